//! `[[target]]`: the targets of the plan, each read into a [`Target`] —
//! its id and texts, the kinds of activity it counts, the filters and the
//! split (`each`) that say whose activities count, when they count
//! ([`days`]) and what it asks for ([`requirement`]).

mod days;
mod requirement;

use std::collections::HashMap;
use std::ops::Range;

use chrono::Datelike;
use toml_edit::{Item, TableLike};

use crate::model::{Each, Plan, Target};
use crate::period::DayFilter;

use super::keys::TARGET_KEYS;
use super::reader::PlanReader;

/// The most instances one target may have: the product of the lengths of
/// the lists its `each` splits by (organisations × units × fields, after
/// the filters). Above it the target gets `too-many-instances`: it would
/// need gigabytes to evaluate, and no plan means that many.
pub const MAX_INSTANCES: u64 = 1_000_000;

/// The filters of a target: `orgs`, `levels`, `units`, `fields`, each as
/// indices into the plan's list (`None`: not filtered).
type Filters = [Option<Vec<usize>>; 4];

/// Every `[[target]]`; a target whose id is already used is reported (at
/// its id, naming the line of the first use) and checked, but not kept.
pub(super) fn read(reader: &mut PlanReader, root: &dyn TableLike, plan: &Plan) -> Vec<Target> {
    let Some(item) = root.get("target") else {
        return Vec::new();
    };
    let Some(arr) = item.as_array_of_tables() else {
        reader.bad(
            item.span(),
            "mỗi mục tiêu phải là một bảng [[target]]",
            "each target must be a [[target]] table",
        );
        return Vec::new();
    };
    let mut out: Vec<Target> = Vec::new();
    // Target id → the line of its first use.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for table in arr {
        let line = table.span().map_or(0, |s| reader.map.locate(s.start).0);
        if let Some(id) = table.get("id").and_then(Item::as_str) {
            if let Some(&first) = seen.get(id) {
                reader.error(
                    "duplicate-id",
                    table.get("id").and_then(Item::span),
                    &format!("mã mục tiêu `{id}` đã dùng ở dòng {first}: mỗi mục tiêu cần một id riêng"),
                    &format!("target id `{id}` is already used on line {first}: give each target its own id"),
                );
                // Still checked, so all its problems show in one run.
                let _ = target(reader, table, plan);
                continue;
            }
            seen.insert(id, line);
        }
        if let Some(target) = target(reader, table, plan) {
            out.push(target);
        }
    }
    out
}

/// Whether the instances `each` makes of target `t` are at most
/// [`MAX_INSTANCES`]; if not, a `too-many-instances` error at `each`.
/// Counted from the lengths of the lists (`filters`: orgs, levels,
/// units, fields as resolved), before anything is built.
fn instances_fit(reader: &mut PlanReader, t: &dyn TableLike, plan: &Plan, each: Each, filters: &Filters) -> bool {
    let [orgs, levels, units, fields] = filters;
    let org_count = orgs.as_ref().map_or(plan.orgs.len(), Vec::len);
    let unit_count = {
        let mut listed = vec![units.is_none(); plan.units.len()];
        for &u in units.iter().flatten() {
            if let Some(l) = listed.get_mut(u) {
                *l = true;
            }
        }
        let mut level_ok = vec![levels.is_none(); plan.levels.len()];
        for &l in levels.iter().flatten() {
            if let Some(ok) = level_ok.get_mut(l) {
                *ok = true;
            }
        }
        plan.units
            .iter()
            .zip(&listed)
            .filter(|(u, listed)| **listed && level_ok.get(u.level).copied().unwrap_or(false))
            .count()
    };
    let field_count = fields.as_ref().map_or(plan.fields.len(), Vec::len);
    let factor = |split: bool, n: usize| if split { n as u128 } else { 1 };
    let count = factor(each.org, org_count)
        .checked_mul(factor(each.unit, unit_count))
        .and_then(|n| n.checked_mul(factor(each.field, field_count)));
    if count.is_some_and(|n| n <= u128::from(MAX_INSTANCES)) {
        return true;
    }
    let lang = reader.lang;
    let max = lang.int(MAX_INSTANCES);
    let total = count.map_or_else(
        || lang.pick("vô số", "countless").to_owned(),
        |n| u64::try_from(n).map_or_else(|_| n.to_string(), |n| lang.int(n)),
    );
    let mut vi = Vec::new();
    let mut en = Vec::new();
    for (split, n, v, e) in [
        (each.org, org_count, "tổ chức", "organisations"),
        (each.unit, unit_count, "đơn vị", "units"),
        (each.field, field_count, "lĩnh vực", "fields"),
    ] {
        if split {
            vi.push(format!("{} {v}", lang.int(n as u64)));
            en.push(format!("{} {e}", lang.int(n as u64)));
        }
    }
    reader.error(
        "too-many-instances",
        t.get("each").and_then(Item::span),
        &format!(
            "`each` chia mục tiêu này thành {total} trường hợp ({}), quá giới hạn {max}: hãy thu hẹp bằng `orgs`, `levels`, `units` hoặc `fields`, hoặc bỏ bớt chiều trong `each`",
            vi.join(" × ")
        ),
        &format!(
            "`each` splits this target into {total} instances ({}), more than the limit of {max}: narrow it with `orgs`, `levels`, `units` or `fields`, or split by fewer dimensions",
            en.join(" × ")
        ),
    );
    false
}

/// One `[[target]]`: `None` when it cannot be evaluated (every problem
/// reported).
fn target(reader: &mut PlanReader, t: &toml_edit::Table, plan: &Plan) -> Option<Target> {
    let at = t.span();
    reader.known_keys(t, TARGET_KEYS, "[[target]]");
    let id = reader.required_string(t, "id", "[[target]]", at.clone());
    if let Some(id) = &id {
        reader.check_code(id, t.get("id").and_then(Item::span));
    }
    let title = reader.string(t, "title", "[[target]]");
    let title_en = reader.string(t, "title_en", "[[target]]");
    let source = reader.string(t, "source", "[[target]]");
    let note = reader.string(t, "note", "[[target]]");
    let kinds = kinds(reader, t, plan, at.clone());
    let filters = filters(reader, t, plan);
    let each = each(reader, t, plan, &filters);
    let per = days::per(reader, t, at.clone());
    let term_years = (plan.term.start.year(), plan.term.end.year());
    let years = days::years(reader, t, term_years);
    let months = days::months(reader, t);
    let measure = requirement::measure(reader, t);
    let requirement = requirement::requirement(reader, t, at.clone());
    requirement::check_pairing(reader, t, measure, requirement, at);
    let schedule = requirement::schedule(reader, t, per, requirement, years.as_deref(), term_years);

    let id = id?;
    let schedule = schedule.ok()?;
    let [orgs, levels, units, fields] = filters;
    Some(Target {
        title: title.unwrap_or_else(|| id.clone()),
        title_en,
        id,
        source,
        note,
        kinds: kinds?,
        orgs,
        levels,
        units,
        fields,
        each: each?,
        per: per?,
        days: DayFilter { months, years },
        measure: measure?,
        requirement: requirement?,
        schedule,
    })
}

/// `kind`: one kind code or a list of them, required.
fn kinds(reader: &mut PlanReader, t: &dyn TableLike, plan: &Plan, at: Option<Range<usize>>) -> Option<Vec<usize>> {
    let kind_codes: Vec<&str> = plan.kinds.iter().map(|k| k.code.as_str()).collect();
    match t.get("kind") {
        None => {
            reader.missing("kind", "[[target]]", at);
            None
        }
        Some(item) if item.as_str().is_some() => {
            let code = reader.string(t, "kind", "[[target]]")?;
            reader
                .resolve(&code, item.span(), ("loại hoạt động", "kind"), &kind_codes)
                .map(|k| vec![k])
        }
        Some(item) if item.as_array().is_some() => {
            // An empty list has its diagnostic from `codes`; unknown codes theirs.
            reader
                .codes(t, "kind", ("loại hoạt động", "kind"), &kind_codes)
                .filter(|ks| !ks.is_empty())
        }
        Some(item) => {
            reader.bad(
                item.span(),
                "`kind` phải là một mã loại hoạt động (hoặc một mảng mã)",
                "`kind` must be a kind code (or an array of kind codes)",
            );
            None
        }
    }
}

/// The filters `orgs`, `levels`, `units` and `fields`, each resolved
/// against the plan's list.
fn filters(reader: &mut PlanReader, t: &dyn TableLike, plan: &Plan) -> Filters {
    let org_codes: Vec<&str> = plan.orgs.iter().map(|o| o.code.as_str()).collect();
    let level_codes: Vec<&str> = plan.levels.iter().map(|o| o.code.as_str()).collect();
    let unit_codes: Vec<&str> = plan.units.iter().map(|o| o.code.as_str()).collect();
    let field_codes: Vec<&str> = plan.fields.iter().map(|o| o.code.as_str()).collect();
    [
        reader.codes(t, "orgs", ("tổ chức", "organisation"), &org_codes),
        reader.codes(t, "levels", ("cấp", "level"), &level_codes),
        reader.codes(t, "units", ("đơn vị", "unit"), &unit_codes),
        reader.codes(t, "fields", ("lĩnh vực", "field"), &field_codes),
    ]
}

/// `each`: the dimensions the target is split by, within
/// [`MAX_INSTANCES`].
fn each(reader: &mut PlanReader, t: &dyn TableLike, plan: &Plan, filters: &Filters) -> Option<Each> {
    let mut each = Each::default();
    let mut each_ok = true;
    for (dim, span) in reader.str_list(t, "each", "[[target]]").unwrap_or_default() {
        match dim.as_str() {
            "org" => each.org = true,
            "unit" => each.unit = true,
            "field" => each.field = true,
            other => {
                each_ok = false;
                reader.bad(
                    span,
                    &format!("`each` chỉ nhận \"org\", \"unit\", \"field\", không nhận \"{other}\""),
                    &format!("`each` takes \"org\", \"unit\" and \"field\", not \"{other}\""),
                );
            }
        }
    }
    if each.field && plan.fields.is_empty() {
        each_ok = false;
        reader.bad(
            t.get("each").and_then(Item::span),
            "`each` có \"field\" nhưng kế hoạch không có [fields]",
            "`each` has \"field\" but the plan has no [fields]",
        );
    }
    if each_ok && !instances_fit(reader, t, plan, each, filters) {
        each_ok = false;
    }
    each_ok.then_some(each)
}
