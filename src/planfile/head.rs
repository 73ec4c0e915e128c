//! The root of a plan file and its `[plan]` table (id, titles, issuer, the
//! term, the lead organisation, the log patterns), and the reading of a
//! whole plan: every section in turn, assembled into one [`Plan`].

use std::ops::Range;

use chrono::NaiveDate;
use toml_edit::{Item, TableLike};

use crate::model::{Named, Plan};
use crate::period::Span;

use super::keys::{PLAN_KEYS, ROOT_KEYS};
use super::reader::PlanReader;
use super::{baseline, lists, reporting, targets};

/// Reads the whole plan from the root table. `None` when the plan cannot be
/// used (no id, no title or no valid term); its sections, targets included,
/// are read all the same, so that one run reports every problem.
pub(super) fn read(reader: &mut PlanReader, root: &dyn TableLike) -> Option<Plan> {
    let whole = reader.whole();
    reader.known_keys(root, ROOT_KEYS, &whole);
    check_format(reader, root, &whole);
    let head = reader.section(root, "plan", true);
    let orgs = lists::named(reader, root, "orgs", true);
    let levels = lists::named(reader, root, "levels", true);
    let fields = lists::named(reader, root, "fields", false);
    let kinds = lists::kinds(reader, root);
    let units = lists::units(reader, root, &levels);

    let head = head?;
    reader.known_keys(head, PLAN_KEYS, "[plan]");
    let head_span = root.get("plan").and_then(Item::span);
    let id = reader.required_string(head, "id", "[plan]", head_span.clone());
    if let Some(id) = &id {
        reader.check_code(id, head.get("id").and_then(Item::span));
    }
    let title = reader.required_string(head, "title", "[plan]", head_span.clone());
    let number = reader.string(head, "number", "[plan]");
    let issuer = reader.string(head, "issuer", "[plan]").unwrap_or_default();
    let title_en = reader.string(head, "title_en", "[plan]");
    let issuer_en = reader.string(head, "issuer_en", "[plan]");
    let issued = reader.date(head, "issued", "[plan]");
    let term = term(reader, head, head_span.clone());
    let lead = lead(reader, head, &orgs);
    let place = reader.string(head, "place", "[plan]");
    let currency = reader
        .string(head, "currency", "[plan]")
        .unwrap_or_else(|| "VND".to_owned());
    let logs = log_patterns(reader, head, head_span);
    let sheet = reader.string(head, "sheet", "[plan]").map(|name| {
        let at = head.get("sheet").and_then(Item::span).map_or(0, |s| s.start);
        let (line, column, _) = reader.map.locate(at);
        (name, line, column)
    });
    let reporting = reporting::read(reader, root, term);
    let profiles = reporting::profiles(reader, root, &orgs, &units);
    let baseline = baseline::read(reader, root, &kinds);

    // An unknown term admits every year (no `years` or `schedule`
    // diagnostic is made up against it).
    let usable = id.is_some() && title.is_some() && term.is_some();
    let mut plan = Plan {
        path: reader.file.to_owned(),
        id: id.unwrap_or_default(),
        id_span: head.get("id").and_then(Item::span),
        number: String::new(),
        title: title.unwrap_or_default(),
        issuer,
        title_en,
        issuer_en,
        issued,
        term: term.unwrap_or(Span {
            start: NaiveDate::MIN,
            end: NaiveDate::MAX,
        }),
        lead,
        place,
        currency,
        logs,
        sheet,
        reporting,
        profiles,
        baseline,
        orgs,
        levels,
        units,
        kinds,
        fields,
        targets: Vec::new(),
    };
    plan.number = number.unwrap_or_else(|| plan.id.clone());
    plan.targets = targets::read(reader, root, &plan);
    usable.then_some(plan)
}

/// `format = 1`, the only format version there is.
fn check_format(reader: &mut PlanReader, root: &dyn TableLike, whole: &str) {
    match root.get("format") {
        None => reader.missing("format", whole, None),
        Some(item) => {
            if item.as_integer() != Some(1) {
                reader.bad(
                    item.span(),
                    "`format` phải là 1 (phiên bản định dạng duy nhất hiện có)",
                    "`format` must be 1 (the only format version there is)",
                );
            }
        }
    }
}

/// The term, `start` to `end` (both required, `end` not before `start`).
fn term(reader: &mut PlanReader, head: &dyn TableLike, head_span: Option<Range<usize>>) -> Option<Span> {
    if head.get("start").is_none() {
        reader.missing("start", "[plan]", head_span.clone());
    }
    if head.get("end").is_none() {
        reader.missing("end", "[plan]", head_span);
    }
    let start = reader.date(head, "start", "[plan]");
    let end = reader.date(head, "end", "[plan]");
    let (Some(s), Some(e)) = (start, end) else {
        return None;
    };
    let span = Span::new(s, e);
    if span.is_none() {
        reader.bad(
            head.get("end").and_then(Item::span),
            "`end` đứng trước `start`: ngày kết thúc phải sau ngày bắt đầu",
            "`end` is before `start`: the term must end after it starts",
        );
    }
    span
}

/// The lead organisation, one of `orgs`.
fn lead(reader: &mut PlanReader, head: &dyn TableLike, orgs: &[Named]) -> Option<usize> {
    let item = head.get("lead")?;
    let code = reader.string(head, "lead", "[plan]")?;
    let org_codes: Vec<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
    reader.resolve(&code, item.span(), ("tổ chức", "organisation"), &org_codes)
}

/// The glob patterns of the plan's logs, each with its line; a warning when
/// there are none (no log would be read).
fn log_patterns(
    reader: &mut PlanReader,
    head: &dyn TableLike,
    head_span: Option<Range<usize>>,
) -> Vec<(String, usize)> {
    let logs = reader
        .str_list(head, "logs", "[plan]")
        .unwrap_or_default()
        .into_iter()
        .map(|(g, span)| {
            let line = span.map_or(1, |s| reader.map.locate(s.start).0);
            (g, line)
        })
        .collect::<Vec<_>>();
    match head.get("logs") {
        None => reader.warn(
            "no-logs",
            head_span,
            "[plan] không có `logs`: hãy thêm logs = [\"logs/**/*.csv\"] để đọc nhật ký hoạt động",
            "[plan] has no `logs`: add logs = [\"logs/**/*.csv\"] so activity logs are read",
        ),
        Some(item) if item.as_array().is_some_and(toml_edit::Array::is_empty) => reader.warn(
            "no-logs",
            item.span(),
            "`logs` rỗng: hãy ghi ít nhất một mẫu như \"logs/**/*.csv\" để đọc nhật ký hoạt động",
            "`logs` is empty: write at least one pattern such as \"logs/**/*.csv\" so activity logs are read",
        ),
        Some(_) => {}
    }
    logs
}
