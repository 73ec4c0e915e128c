//! Reading a plan file (TOML) into a [`Plan`], with a diagnostic for every
//! problem: syntax, unknown and missing keys, values of the wrong type or out
//! of range, duplicate target ids and references to undefined codes.
//!
//! The file is walked by hand over `toml_edit`'s spanned tree rather than
//! deserialised with serde, so that *every* problem is reported in one run
//! with its exact line and column, not just the first.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use toml_edit::{Document, Item, TableLike, Value};
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, SourceMap, nearest};
use crate::lang::Lang;
use crate::model::{
    Baseline, Each, Kind, Measure, Named, NumColumn, Plan, Profile, Reporting, Requirement, Target, Unit,
};
use crate::period::{DayFilter, Half, Per, Span};

/// The most instances one target may have: the product of the lengths of
/// the lists its `each` splits by (organisations × units × fields, after
/// the filters). Above it the target gets `too-many-instances`: it would
/// need gigabytes to evaluate, and no plan means that many.
pub const MAX_INSTANCES: u64 = 1_000_000;

const ROOT_KEYS: &[&str] = &[
    "format",
    "plan",
    "reporting",
    "baseline",
    "orgs",
    "levels",
    "units",
    "kinds",
    "fields",
    "target",
];
pub(crate) const PLAN_KEYS: &[&str] = &[
    "id",
    "number",
    "title",
    "title_en",
    "issuer",
    "issuer_en",
    "issued",
    "start",
    "end",
    "lead",
    "place",
    "currency",
    "logs",
    "sheet",
];
/// `[reporting]`'s own keys, beside its `orgs` and `units` profile tables
/// (also the order `plan fmt` writes them in).
pub(crate) const REPORTING_KEYS: &[&str] = &[
    "midterm",
    "final",
    "body",
    "body_en",
    "office",
    "office_en",
    "symbol",
    "kinh_gui",
    "signer",
    "signer_en",
    "recipients",
    "recipients_en",
];
/// Keys of a reporting profile (`[reporting.orgs.HND]`, `[reporting.units.bat-xat]`,
/// `[reporting.units.bat-xat.orgs.HND]`): those of `[reporting]` that head
/// and sign a draft, and the place of its date line.
pub(crate) const PROFILE_KEYS: &[&str] = &[
    "body",
    "body_en",
    "office",
    "office_en",
    "symbol",
    "kinh_gui",
    "signer",
    "signer_en",
    "recipients",
    "recipients_en",
    "place",
];
pub(crate) const UNIT_KEYS: &[&str] = &["name", "en", "level", "from", "until"];
pub(crate) const KIND_KEYS: &[&str] = &["name", "en", "field", "counter"];
/// Keys of an organisation or level written as a table.
const NAMED_KEYS: &[&str] = &["name", "en"];
/// Keys of a field written as a table.
pub(crate) const FIELD_KEYS: &[&str] = &["name", "short", "en", "short_en"];
/// Target keys in canonical order (also the order `plan fmt` writes).
pub const TARGET_KEYS: &[&str] = &[
    "id",
    "title",
    "title_en",
    "source",
    "kind",
    "orgs",
    "levels",
    "units",
    "fields",
    "each",
    "per",
    "years",
    "months",
    "measure",
    "min",
    "max",
    "min_ratio",
    "schedule",
    "note",
];

/// Parses and validates one plan file. Returns the plan when it could be
/// built (possibly without some broken targets) and every diagnostic found.
pub fn load(file: &str, text: &str, lang: Lang) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut cx = Cx {
        file,
        map: SourceMap::new(text),
        diags: Vec::new(),
        lang,
    };
    let plan = match Document::parse(text) {
        Ok(doc) => cx.plan(doc.as_table()),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_owned();
            // The parser refuses deep nesting (instead of overflowing the stack).
            let (hint_vi, hint_en) = if msg.contains("recurs") {
                (
                    " (bảng, mảng hoặc khóa lồng nhau quá sâu: một kế hoạch chỉ cần vài cấp)",
                    " (tables, arrays or dotted keys nested too deeply: a plan needs only a few levels)",
                )
            } else {
                ("", "")
            };
            let text = cx.t(
                &format!("tệp kế hoạch không phải TOML hợp lệ: {msg}{hint_vi}"),
                &format!("the plan is not valid TOML: {msg}{hint_en}"),
            );
            cx.push(Diagnostic::error(file, "toml-syntax", text), Some(span));
            None
        }
    };
    (plan, crate::diag::cap::limit(cx.diags, lang))
}

/// A code as the formats allow it: ASCII letters, digits, `_` and `-`.
pub fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

struct Cx<'a> {
    file: &'a str,
    map: SourceMap<'a>,
    diags: Vec<Diagnostic>,
    lang: Lang,
}

/// A string of the plan as the model keeps it: NFC, line breaks LF (a
/// multi-line string in a CRLF file means the same as in an LF file).
fn nfc(s: &str) -> String {
    s.replace("\r\n", "\n").nfc().collect()
}

impl Cx<'_> {
    fn t(&self, vi: &str, en: &str) -> String {
        self.lang.pick(vi, en).to_owned()
    }

    fn push(&mut self, diag: Diagnostic, span: Option<Range<usize>>) {
        let diag = match span {
            Some(s) => self.map.place(diag, s),
            None => diag.at(1, 0, None),
        };
        self.diags.push(diag);
    }

    fn error(&mut self, code: &'static str, span: Option<Range<usize>>, vi: &str, en: &str) {
        let msg = self.t(vi, en);
        self.push(Diagnostic::error(self.file, code, msg), span);
    }

    fn warn(&mut self, code: &'static str, span: Option<Range<usize>>, vi: &str, en: &str) {
        let msg = self.t(vi, en);
        self.push(Diagnostic::warning(self.file, code, msg), span);
    }

    /// Reports every key of `table` that is not in `allowed`.
    fn known_keys(&mut self, table: &dyn TableLike, allowed: &[&str], section: &str) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = table.key(key).and_then(toml_edit::Key::span);
            let hint = nearest(key, allowed.iter().copied()).map_or_else(
                || {
                    (
                        format!("; các khóa hợp lệ: {}", allowed.join(", ")),
                        format!("; valid keys: {}", allowed.join(", ")),
                    )
                },
                |n| (format!("; có phải ý bạn là `{n}`?"), format!("; did you mean `{n}`?")),
            );
            self.error(
                "unknown-key",
                span,
                &format!("khóa `{key}` không có trong {section}{}", hint.0),
                &format!("`{key}` is not a key of {section}{}", hint.1),
            );
        }
    }

    fn missing(&mut self, key: &str, section: &str, span: Option<Range<usize>>) {
        let (add_vi, add_en) = if key.starts_with('[') {
            (format!("hãy thêm bảng {key}"), format!("add a {key} table"))
        } else {
            (format!("hãy thêm `{key} = ...`"), format!("add `{key} = ...`"))
        };
        self.error(
            "missing-key",
            span,
            &format!("thiếu khóa bắt buộc `{key}` trong {section}: {add_vi}"),
            &format!("{section} lacks the required key `{key}`: {add_en}"),
        );
    }

    /// How messages name the file as a whole.
    fn whole(&self) -> String {
        self.t("tệp kế hoạch", "the plan file")
    }

    fn bad(&mut self, span: Option<Range<usize>>, vi: &str, en: &str) {
        self.error("bad-value", span, vi, en);
    }

    fn string(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<String> {
        let item = t.get(key)?;
        match item.as_str() {
            Some(s) => Some(nfc(s)),
            None => {
                self.bad(
                    item.span(),
                    &format!("`{key}` trong {section} phải là một chuỗi trong dấu ngoặc kép"),
                    &format!("`{key}` in {section} must be a string in double quotes"),
                );
                None
            }
        }
    }

    fn required_string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        section: &str,
        at: Option<Range<usize>>,
    ) -> Option<String> {
        if t.get(key).is_none() {
            self.missing(key, section, at);
            return None;
        }
        self.string(t, key, section)
    }

    fn date(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<NaiveDate> {
        let item = t.get(key)?;
        let parsed = match item.as_value() {
            Some(Value::Datetime(dt)) => {
                let dt = dt.value();
                match (dt.date, dt.time) {
                    (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
                    _ => None,
                }
            }
            Some(Value::String(s)) => {
                // A date in quotes is text to TOML; say how to write it.
                let text = s.value().trim();
                match crate::period::parse_iso_date(text).or_else(|| crate::period::guess_dmy(text)) {
                    Some(d) => {
                        let bare = d.format("%Y-%m-%d");
                        self.bad(
                            item.span(),
                            &format!(
                                "`{key}` trong {section} là chuỗi, không phải ngày TOML: bỏ dấu ngoặc kép, viết {key} = {bare}"
                            ),
                            &format!(
                                "`{key}` in {section} is a string, not a TOML date: drop the quotes, write {key} = {bare}"
                            ),
                        );
                    }
                    None => {
                        // Why the text is no date (a day that does not
                        // exist, missing zeros, ...), as for a log cell.
                        let (vi, en) = crate::dates::bad_date(text, crate::dates::Order::DayFirst);
                        self.bad(
                            item.span(),
                            &format!("`{key}` trong {section}: {vi}; viết ngày TOML không có ngoặc kép, ví dụ {key} = 2021-01-01"),
                            &format!("`{key}` in {section}: {en}; write a TOML date without quotes, e.g. {key} = 2021-01-01"),
                        );
                    }
                }
                return None;
            }
            _ => None,
        };
        if parsed.is_none() {
            self.bad(
                item.span(),
                &format!("`{key}` trong {section} phải là một ngày TOML như 2021-01-01 (không có giờ)"),
                &format!("`{key}` in {section} must be a TOML date like 2021-01-01 (no time)"),
            );
        }
        parsed
    }

    fn int(&mut self, item: &Item, what: &str) -> Option<u64> {
        match item.as_integer() {
            Some(n) if n >= 0 => u64::try_from(n).ok(),
            _ => {
                self.bad(
                    item.span(),
                    &format!("{what} phải là một số nguyên không âm, ví dụ 234"),
                    &format!("{what} must be a non-negative integer such as 234"),
                );
                None
            }
        }
    }

    fn str_list(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<Vec<(String, Option<Range<usize>>)>> {
        let item = t.get(key)?;
        let Some(arr) = item.as_array() else {
            self.bad(
                item.span(),
                &format!("`{key}` trong {section} phải là một mảng chuỗi, ví dụ [\"a\", \"b\"]"),
                &format!("`{key}` in {section} must be an array of strings, e.g. [\"a\", \"b\"]"),
            );
            return None;
        };
        let mut out = Vec::new();
        for v in arr {
            match v.as_str() {
                Some(s) => out.push((nfc(s), v.span())),
                None => self.bad(
                    v.span(),
                    &format!("mọi phần tử của `{key}` phải là chuỗi"),
                    &format!("every entry of `{key}` must be a string"),
                ),
            }
        }
        Some(out)
    }

    fn section<'t>(&mut self, root: &'t dyn TableLike, key: &str, required: bool) -> Option<&'t dyn TableLike> {
        match root.get(key) {
            Some(item) => match item.as_table_like() {
                Some(t) => Some(t),
                None => {
                    self.bad(
                        item.span(),
                        &format!("`{key}` phải là một bảng: [{key}]"),
                        &format!("`{key}` must be a table: [{key}]"),
                    );
                    None
                }
            },
            None => {
                if required {
                    let whole = self.whole();
                    self.missing(&format!("[{key}]"), &whole, None);
                }
                None
            }
        }
    }

    /// A `code = "Name"` table such as `[orgs]`; an entry may also be a table
    /// `{ name = "…", en = "…" }` (and, in `[fields]`, `short`, `short_en`).
    fn named(&mut self, root: &dyn TableLike, key: &str, required: bool) -> Vec<Named> {
        let Some(t) = self.section(root, key, required) else {
            return Vec::new();
        };
        let keys = if key == "fields" { FIELD_KEYS } else { NAMED_KEYS };
        let mut out = Vec::new();
        for (code, item) in t.iter() {
            self.check_code(code, t.key(code).and_then(toml_edit::Key::span));
            if let Some(et) = item.as_table_like() {
                let section = format!("[{key}.{code}]");
                self.known_keys(et, keys, &section);
                if let Some(name) = self.required_string(et, "name", &section, item.span()) {
                    out.push(Named {
                        code: code.to_owned(),
                        name,
                        en: self.string(et, "en", &section),
                        short: self.string(et, "short", &section),
                        short_en: self.string(et, "short_en", &section),
                    });
                }
            } else if let Some(name) = self.string(t, code, &format!("[{key}]")) {
                out.push(Named {
                    code: code.to_owned(),
                    name,
                    en: None,
                    short: None,
                    short_en: None,
                });
            }
        }
        out
    }

    fn check_code(&mut self, code: &str, span: Option<Range<usize>>) {
        if !is_code(code) {
            self.bad(
                span,
                &format!("mã `{code}` chỉ được gồm chữ cái ASCII, chữ số, `_` và `-` (tên tiếng Việt đặt ở giá trị)"),
                &format!("code `{code}` may only use ASCII letters, digits, `_` and `-` (put the Vietnamese name in the value)"),
            );
        }
    }

    /// Resolves a code against a list, reporting `unknown-ref` with a suggestion.
    fn resolve(&mut self, code: &str, span: Option<Range<usize>>, what: (&str, &str), list: &[&str]) -> Option<usize> {
        if let Some(i) = list.iter().position(|c| *c == code) {
            return Some(i);
        }
        let hint = match nearest(code, list.iter().copied()) {
            Some(n) => (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
            None if list.is_empty() => (
                "kế hoạch chưa khai báo mã nào: hãy thêm vào".to_owned(),
                "the plan defines none: add it to the plan".to_owned(),
            ),
            None => (
                format!("các mã đã khai báo: {}", list.join(", ")),
                format!("the plan defines: {}", list.join(", ")),
            ),
        };
        self.error(
            "unknown-ref",
            span,
            &format!("{} `{code}` chưa được khai báo trong kế hoạch; {}", what.0, hint.0),
            &format!("{} `{code}` is not defined in the plan; {}", what.1, hint.1),
        );
        None
    }

    fn plan(&mut self, root: &dyn TableLike) -> Option<Plan> {
        let whole = self.whole();
        self.known_keys(root, ROOT_KEYS, &whole);
        match root.get("format") {
            None => self.missing("format", &whole, None),
            Some(item) => {
                if item.as_integer() != Some(1) {
                    self.bad(
                        item.span(),
                        "`format` phải là 1 (phiên bản định dạng duy nhất hiện có)",
                        "`format` must be 1 (the only format version there is)",
                    );
                }
            }
        }
        let head = self.section(root, "plan", true);
        let orgs = self.named(root, "orgs", true);
        let levels = self.named(root, "levels", true);
        let fields = self.named(root, "fields", false);
        let kinds = self.kinds(root);
        let units = self.units(root, &levels);

        let head = head?;
        self.known_keys(head, PLAN_KEYS, "[plan]");
        let head_span = root.get("plan").and_then(Item::span);
        let id = self.required_string(head, "id", "[plan]", head_span.clone());
        if let Some(id) = &id {
            self.check_code(id, head.get("id").and_then(Item::span));
        }
        let title = self.required_string(head, "title", "[plan]", head_span.clone());
        let number = self.string(head, "number", "[plan]");
        let issuer = self.string(head, "issuer", "[plan]").unwrap_or_default();
        let title_en = self.string(head, "title_en", "[plan]");
        let issuer_en = self.string(head, "issuer_en", "[plan]");
        let issued = self.date(head, "issued", "[plan]");
        if head.get("start").is_none() {
            self.missing("start", "[plan]", head_span.clone());
        }
        if head.get("end").is_none() {
            self.missing("end", "[plan]", head_span.clone());
        }
        let start = self.date(head, "start", "[plan]");
        let end = self.date(head, "end", "[plan]");
        let term = match (start, end) {
            (Some(s), Some(e)) => {
                let span = Span::new(s, e);
                if span.is_none() {
                    self.bad(
                        head.get("end").and_then(Item::span),
                        "`end` đứng trước `start`: ngày kết thúc phải sau ngày bắt đầu",
                        "`end` is before `start`: the term must end after it starts",
                    );
                }
                span
            }
            _ => None,
        };
        let org_codes: Vec<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
        let lead = match head.get("lead") {
            Some(item) => match self.string(head, "lead", "[plan]") {
                Some(code) => self.resolve(&code, item.span(), ("tổ chức", "organisation"), &org_codes),
                None => None,
            },
            None => None,
        };
        let place = self.string(head, "place", "[plan]");
        let currency = self
            .string(head, "currency", "[plan]")
            .unwrap_or_else(|| "VND".to_owned());
        let logs = self
            .str_list(head, "logs", "[plan]")
            .unwrap_or_default()
            .into_iter()
            .map(|(g, span)| {
                let line = span.map_or(1, |s| self.map.locate(s.start).0);
                (g, line)
            })
            .collect::<Vec<_>>();
        let sheet = self.string(head, "sheet", "[plan]").map(|name| {
            let at = head.get("sheet").and_then(Item::span).map_or(0, |s| s.start);
            let (line, column, _) = self.map.locate(at);
            (name, line, column)
        });
        match head.get("logs") {
            None => self.warn(
                "no-logs",
                head_span.clone(),
                "[plan] không có `logs`: hãy thêm logs = [\"logs/**/*.csv\"] để đọc nhật ký hoạt động",
                "[plan] has no `logs`: add logs = [\"logs/**/*.csv\"] so activity logs are read",
            ),
            Some(item) if item.as_array().is_some_and(toml_edit::Array::is_empty) => self.warn(
                "no-logs",
                item.span(),
                "`logs` rỗng: hãy ghi ít nhất một mẫu như \"logs/**/*.csv\" để đọc nhật ký hoạt động",
                "`logs` is empty: write at least one pattern such as \"logs/**/*.csv\" so activity logs are read",
            ),
            Some(_) => {}
        }
        let reporting = self.reporting(root, term);
        let profiles = self.profiles(root, &orgs, &units);
        let baseline = self.baseline(root, &kinds);

        // Without an id, a title or a valid term the plan cannot be used, but
        // its targets are still checked so that one run reports every
        // problem; an unknown term admits every year (no `years` or
        // `schedule` diagnostic is made up against it).
        let usable = id.is_some() && title.is_some() && term.is_some();
        let mut plan = Plan {
            path: self.file.to_owned(),
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
        plan.targets = self.targets(root, &plan);
        usable.then_some(plan)
    }

    fn kinds(&mut self, root: &dyn TableLike) -> Vec<Kind> {
        let Some(t) = self.section(root, "kinds", true) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (code, item) in t.iter() {
            self.check_code(code, t.key(code).and_then(toml_edit::Key::span));
            if let Some(name) = item.as_str() {
                out.push(Kind {
                    code: code.to_owned(),
                    name: nfc(name),
                    field: false,
                    counter: None,
                    en: None,
                });
            } else if let Some(kt) = item.as_table_like() {
                let section = format!("[kinds.{code}]");
                self.known_keys(kt, KIND_KEYS, &section);
                let name = self.required_string(kt, "name", &section, item.span());
                let field = match kt.get("field") {
                    None => false,
                    Some(f) => f.as_bool().unwrap_or_else(|| {
                        self.bad(
                            f.span(),
                            "`field` phải là true hoặc false",
                            "`field` must be true or false",
                        );
                        false
                    }),
                };
                let counter = self.string(kt, "counter", &section);
                let en = self.string(kt, "en", &section);
                if let Some(name) = name {
                    out.push(Kind {
                        code: code.to_owned(),
                        name,
                        field,
                        counter,
                        en,
                    });
                }
            } else {
                self.bad(
                    item.span(),
                    &format!("loại `{code}` phải là một tên (chuỗi) hoặc {{ name = \"...\", field = true }}"),
                    &format!("kind `{code}` must be a name (string) or {{ name = \"...\", field = true }}"),
                );
            }
        }
        out
    }

    fn units(&mut self, root: &dyn TableLike, levels: &[Named]) -> Vec<Unit> {
        let Some(t) = self.section(root, "units", true) else {
            return Vec::new();
        };
        let level_codes: Vec<&str> = levels.iter().map(|l| l.code.as_str()).collect();
        let mut out = Vec::new();
        for (code, item) in t.iter() {
            self.check_code(code, t.key(code).and_then(toml_edit::Key::span));
            let section = format!("[units.{code}]");
            let Some(ut) = item.as_table_like() else {
                self.bad(
                    item.span(),
                    &format!("{section} phải là một bảng có name và level"),
                    &format!("{section} must be a table with name and level"),
                );
                continue;
            };
            self.known_keys(ut, UNIT_KEYS, &section);
            let name = self.required_string(ut, "name", &section, item.span());
            let level = match self.required_string(ut, "level", &section, item.span()) {
                Some(l) => self.resolve(&l, ut.get("level").and_then(Item::span), ("cấp", "level"), &level_codes),
                None => None,
            };
            let from = self.date(ut, "from", &section);
            let until = self.date(ut, "until", &section);
            if let (Some(f), Some(u)) = (from, until) {
                if u < f {
                    self.bad(
                        ut.get("until").and_then(Item::span),
                        "`until` đứng trước `from`: `from` là ngày đơn vị bắt đầu, `until` là ngày cuối cùng; hãy đổi lại",
                        "`until` is before `from`: `from` is the unit's first day and `until` its last; swap or correct them",
                    );
                }
            }
            // A unit whose name or level is wrong is still known by its code
            // (the plan has an error, so nothing is computed with it): the
            // logs that use it are not reported as unknown on top of that.
            let en = self.string(ut, "en", &section);
            out.push(Unit {
                code: code.to_owned(),
                name: name.unwrap_or_default(),
                level: level.unwrap_or(usize::MAX),
                from,
                until,
                en,
            });
        }
        out
    }

    /// `[reporting]`; its half-years must fall inside `term` (when known).
    fn reporting(&mut self, root: &dyn TableLike, term: Option<Span>) -> Reporting {
        let Some(t) = self.section(root, "reporting", false) else {
            return Reporting::default();
        };
        self.known_keys(t, &[REPORTING_KEYS, &["orgs", "units"]].concat(), "[reporting]");
        let half = |cx: &mut Self, key: &str| -> Option<Half> {
            let item = t.get(key)?;
            let s = cx.string(t, key, "[reporting]")?;
            // A fixed date: `this`/`last` make no sense in a file.
            match Half::parse(&s, NaiveDate::MIN) {
                Ok(h) if !matches!(s.as_str(), "this" | "last") => {
                    if let Some(term) = term.filter(|t| !t.overlaps(h.span())) {
                        let (a, b) = (Half::containing(term.start), Half::containing(term.end));
                        cx.bad(
                            item.span(),
                            &format!(
                                "`{key}` = \"{h}\" nằm ngoài thời hạn của kế hoạch: hãy chọn một nửa năm từ {a} đến {b}"
                            ),
                            &format!("`{key}` = \"{h}\" is outside the plan's term: pick a half-year from {a} to {b}"),
                        );
                        return None;
                    }
                    Some(h)
                }
                _ => {
                    cx.bad(
                        item.span(),
                        &format!("`{key}` phải là một nửa năm như \"2023H1\""),
                        &format!("`{key}` must be a half-year such as \"2023H1\""),
                    );
                    None
                }
            }
        };
        let midterm = half(self, "midterm");
        let final_half = half(self, "final");
        Reporting {
            midterm,
            final_half,
            ..self.reporting_keys(t, "[reporting]")
        }
    }

    /// The heading and signing keys of `[reporting]` or of a profile.
    fn reporting_keys(&mut self, t: &dyn TableLike, section: &str) -> Reporting {
        let list = |cx: &mut Self, key: &str| -> Vec<String> {
            cx.str_list(t, key, section)
                .unwrap_or_default()
                .into_iter()
                .map(|x| x.0)
                .collect()
        };
        Reporting {
            midterm: None,
            final_half: None,
            body: self.string(t, "body", section),
            office: self.string(t, "office", section),
            symbol: self.string(t, "symbol", section),
            signer: list(self, "signer"),
            recipients: list(self, "recipients"),
            kinh_gui: self.string(t, "kinh_gui", section),
            body_en: self.string(t, "body_en", section),
            office_en: self.string(t, "office_en", section),
            signer_en: list(self, "signer_en"),
            recipients_en: list(self, "recipients_en"),
            place: self.string(t, "place", section),
        }
    }

    /// The reporting profiles under `[reporting]`: `orgs.O`, `units.U`,
    /// `units.U.orgs.O`, each code one of the plan's.
    fn profiles(&mut self, root: &dyn TableLike, orgs: &[Named], units: &[Unit]) -> Vec<Profile> {
        let mut out = Vec::new();
        let Some(r) = root.get("reporting").and_then(Item::as_table_like) else {
            return out;
        };
        self.org_profiles(r, orgs, None, "[reporting.orgs]", &mut out);
        let Some(item) = r.get("units") else { return out };
        let Some(ut) = item.as_table_like() else {
            self.bad(
                item.span(),
                "`units` trong [reporting] phải là một bảng: [reporting.units.MÃ]",
                "`units` in [reporting] must be a table: [reporting.units.CODE]",
            );
            return out;
        };
        for (code, item) in ut.iter() {
            let section = format!("[reporting.units.{code}]");
            let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
            let Some((ui, t)) = self.profile_entry(ut, code, item, &codes, ("đơn vị", "a unit"), &section) else {
                continue;
            };
            let mut keys = PROFILE_KEYS.to_vec();
            keys.push("orgs");
            self.known_keys(t, &keys, &section);
            out.push(Profile {
                org: None,
                unit: Some(ui),
                reporting: self.reporting_keys(t, &section),
            });
            self.org_profiles(t, orgs, Some(ui), &format!("[reporting.units.{code}.orgs]"), &mut out);
        }
        out
    }

    /// One entry `code = { … }` of a profile table: its index among
    /// `codes` and its table, or an error (a code the plan does not have,
    /// or not a table) and `None`.
    fn profile_entry<'t>(
        &mut self,
        parent: &dyn TableLike,
        code: &str,
        item: &'t Item,
        codes: &[&str],
        what: (&str, &str),
        section: &str,
    ) -> Option<(usize, &'t dyn TableLike)> {
        let Some(index) = codes.iter().position(|c| *c == code) else {
            let valid = codes.join(", ");
            self.bad(
                parent.key(code).and_then(toml_edit::Key::span),
                &format!(
                    "{section}: `{code}` không phải là mã {} của kế hoạch; các mã hợp lệ: {valid}",
                    what.0
                ),
                &format!(
                    "{section}: `{code}` is not {} code of the plan; valid codes: {valid}",
                    what.1
                ),
            );
            return None;
        };
        let Some(t) = item.as_table_like() else {
            self.bad(
                item.span(),
                &format!("{section} phải là một bảng"),
                &format!("{section} must be a table"),
            );
            return None;
        };
        Some((index, t))
    }

    /// `orgs.O` profiles inside `t` (for one unit, or for none).
    fn org_profiles(
        &mut self,
        t: &dyn TableLike,
        orgs: &[Named],
        unit: Option<usize>,
        section: &str,
        out: &mut Vec<Profile>,
    ) {
        let Some(item) = t.get("orgs") else { return };
        let Some(ot) = item.as_table_like() else {
            self.bad(
                item.span(),
                &format!("`orgs` trong {section} phải là một bảng"),
                &format!("`orgs` in {section} must be a table"),
            );
            return;
        };
        for (code, item) in ot.iter() {
            let name = format!("{}.{code}]", section.trim_end_matches(']'));
            let codes: Vec<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
            let Some((oi, pt)) = self.profile_entry(ot, code, item, &codes, ("tổ chức", "an organisation"), &name)
            else {
                continue;
            };
            self.known_keys(pt, PROFILE_KEYS, &name);
            out.push(Profile {
                org: Some(oi),
                unit,
                reporting: self.reporting_keys(pt, &name),
            });
        }
    }

    fn baseline(&mut self, root: &dyn TableLike, kinds: &[Kind]) -> Option<Baseline> {
        let t = self.section(root, "baseline", false)?;
        let kind_codes: Vec<&str> = kinds.iter().map(|k| k.code.as_str()).collect();
        let mut b = Baseline::default();
        for (key, item) in t.iter() {
            if key == "label" {
                b.label = self.string(t, "label", "[baseline]").unwrap_or_default();
                continue;
            }
            let key_span = t.key(key).and_then(toml_edit::Key::span);
            if self
                .resolve(key, key_span, ("loại hoạt động", "kind"), &kind_codes)
                .is_none()
            {
                continue;
            }
            let Some(et) = item.as_table_like() else {
                self.bad(
                    item.span(),
                    &format!("`{key}` phải có dạng {{ done = 195, planned = 377 }}"),
                    &format!("`{key}` must look like {{ done = 195, planned = 377 }}"),
                );
                continue;
            };
            let section = format!("[baseline] {key}");
            self.known_keys(et, &["done", "planned"], &section);
            let done = match et.get("done") {
                Some(i) => self.int(i, "`done`"),
                None => {
                    self.missing("done", &section, item.span());
                    None
                }
            };
            let planned = match et.get("planned") {
                Some(i) => self.int(i, "`planned`"),
                None => {
                    self.missing("planned", &section, item.span());
                    None
                }
            };
            if let (Some(d), Some(p)) = (done, planned) {
                b.entries.push((key.to_owned(), d, p));
            }
        }
        Some(b)
    }

    fn targets(&mut self, root: &dyn TableLike, plan: &Plan) -> Vec<Target> {
        let Some(item) = root.get("target") else {
            return Vec::new();
        };
        let Some(arr) = item.as_array_of_tables() else {
            self.bad(
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
            let line = table.span().map_or(0, |s| self.map.locate(s.start).0);
            if let Some(id) = table.get("id").and_then(Item::as_str) {
                if let Some(&first) = seen.get(id) {
                    self.error(
                        "duplicate-id",
                        table.get("id").and_then(Item::span),
                        &format!("mã mục tiêu `{id}` đã dùng ở dòng {first}: mỗi mục tiêu cần một id riêng"),
                        &format!("target id `{id}` is already used on line {first}: give each target its own id"),
                    );
                    // Still checked, so all its problems show in one run.
                    let _ = self.target(table, plan);
                    continue;
                }
                seen.insert(id, line);
            }
            if let Some(target) = self.target(table, plan) {
                out.push(target);
            }
        }
        out
    }

    /// Whether the instances `each` makes of target `t` are at most
    /// [`MAX_INSTANCES`]; if not, a `too-many-instances` error at `each`.
    /// Counted from the lengths of the lists (`filters`: orgs, levels,
    /// units, fields as resolved), before anything is built.
    fn instances_fit(&mut self, t: &dyn TableLike, plan: &Plan, each: Each, filters: [&Option<Vec<usize>>; 4]) -> bool {
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
        let lang = self.lang;
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
        self.error(
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

    fn codes(&mut self, t: &dyn TableLike, key: &str, what: (&str, &str), list: &[&str]) -> Option<Vec<usize>> {
        let entries = self.str_list(t, key, "[[target]]")?;
        if entries.is_empty() {
            // An empty filter would match nothing (or, read the other way,
            // everything): either way a silent surprise.
            self.bad(
                t.get(key).and_then(Item::span),
                &format!("`{key}` không được rỗng: bỏ khoá này đi nếu muốn tính tất cả"),
                &format!("`{key}` must not be empty: leave the key out to count them all"),
            );
            return None;
        }
        let mut out = Vec::new();
        for (code, span) in entries {
            if let Some(i) = self.resolve(&code, span, what, list) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        Some(out)
    }

    fn target(&mut self, t: &toml_edit::Table, plan: &Plan) -> Option<Target> {
        let at = t.span();
        self.known_keys(t, TARGET_KEYS, "[[target]]");
        let id = self.required_string(t, "id", "[[target]]", at.clone());
        if let Some(id) = &id {
            self.check_code(id, t.get("id").and_then(Item::span));
        }
        let title = self.string(t, "title", "[[target]]");
        let title_en = self.string(t, "title_en", "[[target]]");
        let source = self.string(t, "source", "[[target]]");
        let note = self.string(t, "note", "[[target]]");

        let kind_codes: Vec<&str> = plan.kinds.iter().map(|k| k.code.as_str()).collect();
        let kinds = match t.get("kind") {
            None => {
                self.missing("kind", "[[target]]", at.clone());
                None
            }
            Some(item) if item.as_str().is_some() => {
                let code = self.string(t, "kind", "[[target]]")?;
                self.resolve(&code, item.span(), ("loại hoạt động", "kind"), &kind_codes)
                    .map(|k| vec![k])
            }
            Some(item) if item.as_array().is_some() => {
                // An empty list has its diagnostic from `codes`; unknown codes theirs.
                self.codes(t, "kind", ("loại hoạt động", "kind"), &kind_codes)
                    .filter(|ks| !ks.is_empty())
            }
            Some(item) => {
                self.bad(
                    item.span(),
                    "`kind` phải là một mã loại hoạt động (hoặc một mảng mã)",
                    "`kind` must be a kind code (or an array of kind codes)",
                );
                None
            }
        };
        let org_codes: Vec<&str> = plan.orgs.iter().map(|o| o.code.as_str()).collect();
        let level_codes: Vec<&str> = plan.levels.iter().map(|o| o.code.as_str()).collect();
        let unit_codes: Vec<&str> = plan.units.iter().map(|o| o.code.as_str()).collect();
        let field_codes: Vec<&str> = plan.fields.iter().map(|o| o.code.as_str()).collect();
        let orgs = self.codes(t, "orgs", ("tổ chức", "organisation"), &org_codes);
        let levels = self.codes(t, "levels", ("cấp", "level"), &level_codes);
        let units = self.codes(t, "units", ("đơn vị", "unit"), &unit_codes);
        let fields = self.codes(t, "fields", ("lĩnh vực", "field"), &field_codes);

        let mut each = Each::default();
        let mut each_ok = true;
        for (dim, span) in self.str_list(t, "each", "[[target]]").unwrap_or_default() {
            match dim.as_str() {
                "org" => each.org = true,
                "unit" => each.unit = true,
                "field" => each.field = true,
                other => {
                    each_ok = false;
                    self.bad(
                        span,
                        &format!("`each` chỉ nhận \"org\", \"unit\", \"field\", không nhận \"{other}\""),
                        &format!("`each` takes \"org\", \"unit\" and \"field\", not \"{other}\""),
                    );
                }
            }
        }
        if each.field && plan.fields.is_empty() {
            each_ok = false;
            self.bad(
                t.get("each").and_then(Item::span),
                "`each` có \"field\" nhưng kế hoạch không có [fields]",
                "`each` has \"field\" but the plan has no [fields]",
            );
        }
        if each_ok && !self.instances_fit(t, plan, each, [&orgs, &levels, &units, &fields]) {
            each_ok = false;
        }

        let per = match t.get("per") {
            None => {
                self.missing("per", "[[target]]", at.clone());
                None
            }
            Some(item) => match item.as_str().and_then(Per::parse) {
                Some(p) => Some(p),
                None => {
                    self.bad(
                        item.span(),
                        "`per` phải là \"term\", \"year\" hoặc \"half\"",
                        "`per` must be \"term\", \"year\" or \"half\"",
                    );
                    None
                }
            },
        };

        let (ty0, ty1) = (plan.term.start.year(), plan.term.end.year());
        let years = t.get("years").and_then(|item| {
            let Some(arr) = item.as_array() else {
                self.bad(
                    item.span(),
                    "`years` phải là một mảng năm, ví dụ [2021, 2022]",
                    "`years` must be an array of years, e.g. [2021, 2022]",
                );
                return None;
            };
            let mut ys = Vec::new();
            for v in arr {
                match v.as_integer().and_then(|y| i32::try_from(y).ok()) {
                    Some(y) if (ty0..=ty1).contains(&y) => ys.push(y),
                    _ => self.bad(
                        v.span(),
                        &format!("mỗi năm trong `years` phải là một năm trong nhiệm kỳ {ty0}-{ty1}"),
                        &format!("each entry of `years` must be a year of the term {ty0}-{ty1}"),
                    ),
                }
            }
            ys.sort_unstable();
            ys.dedup();
            if ys.is_empty() {
                // Entries outside the term have their own diagnostic above.
                if arr.is_empty() {
                    self.bad(item.span(), "`years` không được rỗng", "`years` must not be empty");
                }
                return None;
            }
            Some(ys)
        });
        let months = t.get("months").and_then(|item| {
            let Some(arr) = item.as_array() else {
                self.bad(
                    item.span(),
                    "`months` phải là một mảng tháng, ví dụ [11]",
                    "`months` must be an array of months, e.g. [11]",
                );
                return None;
            };
            if arr.is_empty() {
                self.bad(
                    item.span(),
                    "`months` không được rỗng: bỏ khoá này đi nếu tính cả năm",
                    "`months` must not be empty: leave the key out to count the whole year",
                );
                return None;
            }
            let mut bits = 0u16;
            for v in arr {
                match v.as_integer() {
                    Some(m @ 1..=12) => bits |= 1 << (m - 1),
                    _ => self.bad(
                        v.span(),
                        "mỗi tháng phải là một số từ 1 đến 12",
                        "each month must be a number from 1 to 12",
                    ),
                }
            }
            (bits != 0).then_some(bits)
        });

        let measure = match t.get("measure") {
            None => Some(Measure::Count),
            Some(item) => {
                let parsed = item.as_str().and_then(|s| match s {
                    "count" => Some(Measure::Count),
                    "completion" => Some(Measure::Completion),
                    _ => s.strip_prefix("sum:").and_then(NumColumn::parse).map(Measure::Sum),
                });
                if parsed.is_none() {
                    self.bad(
                        item.span(),
                        "`measure` phải là \"count\", \"completion\" hoặc \"sum:COT\" với COT là participants, cost, recommendations hoặc resolved",
                        "`measure` must be \"count\", \"completion\" or \"sum:COLUMN\" with COLUMN one of participants, cost, recommendations, resolved",
                    );
                }
                parsed
            }
        };

        let present: Vec<&str> = ["min", "max", "min_ratio"]
            .into_iter()
            .filter(|k| t.contains_key(k))
            .collect();
        let requirement = match present.as_slice() {
            [] => {
                self.error(
                    "missing-key",
                    at.clone(),
                    "mục tiêu cần đúng một yêu cầu: `min`, `max` hoặc `min_ratio`",
                    "a target needs exactly one requirement: `min`, `max` or `min_ratio`",
                );
                None
            }
            [key] => {
                let item = t.get(key)?;
                match *key {
                    "min" => self.int(item, "`min`").map(Requirement::Min),
                    "max" => self.int(item, "`max`").map(Requirement::Max),
                    _ => match item.as_float().or_else(|| item.as_integer().map(|i| i as f64)) {
                        Some(r) if (0.0..=1.0).contains(&r) => Some(Requirement::MinRatio(r)),
                        _ => {
                            self.bad(
                                item.span(),
                                "`min_ratio` phải là một tỷ lệ từ 0 đến 1, ví dụ 1.0",
                                "`min_ratio` must be a ratio from 0 to 1, e.g. 1.0",
                            );
                            None
                        }
                    },
                }
            }
            _ => {
                self.bad(
                    t.get(present.get(1).copied().unwrap_or("max")).and_then(Item::span),
                    &format!(
                        "chỉ được dùng một trong `min`, `max`, `min_ratio` (đang có: {})",
                        present.join(", ")
                    ),
                    &format!(
                        "use only one of `min`, `max`, `min_ratio` (found: {})",
                        present.join(", ")
                    ),
                );
                None
            }
        };
        if let (Some(m), Some(r)) = (measure, requirement) {
            let ratio = matches!(r, Requirement::MinRatio(_));
            let completion = m == Measure::Completion;
            if ratio != completion {
                self.bad(
                    t.get("measure").or_else(|| t.get("min_ratio")).and_then(Item::span).or(at.clone()),
                    "`min_ratio` đi với measure = \"completion\", và chỉ với nó; `min`/`max` đi với count và sum",
                    "`min_ratio` goes with measure = \"completion\" and only with it; `min`/`max` go with count and sum",
                );
            }
        }

        let mut schedule_ok = true;
        let schedule = t.get("schedule").and_then(|item| {
            let Some(st) = item.as_table_like() else {
                self.bad(
                    item.span(),
                    "`schedule` phải có dạng { 2021 = 40, 2022 = 48 }",
                    "`schedule` must look like { 2021 = 40, 2022 = 48 }",
                );
                return None;
            };
            if per.is_some_and(|p| p != Per::Term) {
                self.bad(
                    item.span(),
                    "`schedule` chỉ dùng với per = \"term\"",
                    "`schedule` is only for per = \"term\"",
                );
            }
            if requirement.as_ref().is_some_and(|r| !matches!(r, Requirement::Min(_))) {
                self.bad(
                    item.span(),
                    "`schedule` chia `min` theo năm: với `max` hoặc `min_ratio` nó không có tác dụng, hãy bỏ đi",
                    "`schedule` phases a `min` over the years: with `max` or `min_ratio` it has no effect; remove it",
                );
            }
            // What the entries add up to as written (the message quotes it),
            // including those with a diagnostic of their own.
            let written: u128 = st
                .iter()
                .filter_map(|(_, v)| v.as_integer().and_then(|n| u64::try_from(n).ok()))
                .map(u128::from)
                .sum();
            let mut out = Vec::new();
            for (year, v) in st.iter() {
                let span = st.key(year).and_then(toml_edit::Key::span);
                match year.parse::<i32>() {
                    Ok(y) if (ty0..=ty1).contains(&y) && years.as_ref().is_some_and(|ys| !ys.contains(&y)) => {
                        let list = years.iter().flatten().map(i32::to_string).collect::<Vec<_>>().join(", ");
                        self.bad(
                            span,
                            &format!("năm {y} của `schedule` không nằm trong `years` [{list}]: không có hoạt động nào được tính vào năm đó"),
                            &format!("`schedule` year {y} is not in `years` [{list}]: no activity counts in that year"),
                        );
                    }
                    Ok(y) if (ty0..=ty1).contains(&y) => {
                        if let Some(n) = self.int(v, &format!("`schedule` {y}")) {
                            out.push((y, n));
                        }
                    }
                    _ => self.bad(
                        span,
                        &format!("khóa của `schedule` phải là một năm trong nhiệm kỳ {ty0}-{ty1}"),
                        &format!("`schedule` keys must be years of the term {ty0}-{ty1}"),
                    ),
                }
            }
            out.sort_unstable();
            if written > u128::from(u64::MAX) {
                // The pace adds entries up: it would wrap around.
                let most = self.lang.int(u64::MAX);
                self.bad(
                    item.span(),
                    &format!("các số của `schedule` cộng lại là {written}, vượt quá số lớn nhất có thể ({most}): hãy kiểm tra lỗi gõ"),
                    &format!("the `schedule` figures add up to {written}, past the largest possible figure ({most}): check for a typo"),
                );
                schedule_ok = false;
                return None;
            }
            if let Some(Requirement::Min(min)) = requirement {
                // u128: entries go up to i64::MAX each, so a u64 sum can overflow.
                let sum = written;
                if sum != u128::from(min) {
                    self.warn(
                        "schedule-sum",
                        item.span(),
                        &format!("tổng `schedule` là {sum}, khác `min` = {min}"),
                        &format!("the `schedule` adds up to {sum}, not `min` = {min}"),
                    );
                }
            }
            Some(out)
        });

        let id = id?;
        if !schedule_ok {
            return None;
        }
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
            each: each_ok.then_some(each)?,
            per: per?,
            days: DayFilter { months, years },
            measure: measure?,
            requirement: requirement?,
            schedule,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use super::*;

    /// The smallest valid plan, shared by the tests of other modules.
    pub(crate) const MINIMAL: &str = r#"format = 1
[plan]
id = "P"
title = "Kế hoạch"
start = 2021-01-01
end = 2025-12-31
logs = ["logs/*.csv"]
[orgs]
MTTQ = "Mặt trận"
[levels]
province = "Cấp tỉnh"
[units.tinh]
name = "Tỉnh"
level = "province"
[kinds]
dialogue = "Đối thoại"
"#;

    fn codes(diags: &[Diagnostic]) -> Vec<(&str, usize)> {
        diags.iter().map(|d| (d.code, d.line)).collect()
    }

    #[test]
    fn a_quoted_date_says_why_it_is_no_date() {
        for (written, says) in [
            ("\"2021-02-30\"", "month 2 of 2021 has 28 days, not 30"),
            ("\"2021-1-5\"", "write 2021-01-05"),
            ("\"2021-01-05\"", "drop the quotes, write start = 2021-01-05"),
        ] {
            let text = MINIMAL.replace("start = 2021-01-01", &format!("start = {written}"));
            let (_, diags) = load("p.toml", &text, Lang::En);
            assert_eq!(codes(&diags), vec![("bad-value", 5)], "{written}");
            assert!(diags[0].message.contains(says), "{written}: {}", diags[0].message);
        }
    }

    #[test]
    fn names_may_be_tables_with_english_and_short_names() {
        let text = format!(
            "{MINIMAL}[fields]\nF1 = {{ name = \"Lĩnh vực một\", short = \"Một\", en = \"Field one\", short_en = \"One\" }}\nF2 = \"Hai\"\n"
        )
        .replace(
            "MTTQ = \"Mặt trận\"",
            "MTTQ = { name = \"Mặt trận\", en = \"Fatherland Front\" }",
        );
        let (plan, diags) = load("plans/p.toml", &text, Lang::En);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        let f1 = &plan.fields[0];
        assert_eq!(
            (
                f1.name.as_str(),
                f1.short.as_deref(),
                f1.en.as_deref(),
                f1.short_en.as_deref()
            ),
            ("Lĩnh vực một", Some("Một"), Some("Field one"), Some("One"))
        );
        assert_eq!(plan.fields[1].short, None);
        assert_eq!(plan.orgs[0].en.as_deref(), Some("Fatherland Front"));
        // `short` is for fields only; a typo is an unknown key.
        let bad = text.replace("en = \"Fatherland Front\"", "short = \"MT\"");
        let (_, diags) = load("plans/p.toml", &bad, Lang::En);
        assert_eq!(codes(&diags), vec![("unknown-key", 9)]);
    }

    #[test]
    fn minimal_plan_loads() {
        let (plan, diags) = load("plans/p.toml", MINIMAL, Lang::En);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        assert_eq!(plan.id, "P");
        assert_eq!(plan.number, "P");
        assert_eq!(plan.logs, vec![("logs/*.csv".to_owned(), 7)]);
    }

    #[test]
    fn a_unit_with_a_bad_level_is_still_known_by_its_code() {
        let text = format!("{MINIMAL}[units.bx]\nname = \"Bát Xát\"\nlevel = \"distric\"\n");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("unknown-ref", 19)]);
        assert!(
            plan.unwrap().unit("bx").is_some(),
            "logs using `bx` get no unknown-unit on top"
        );
    }

    #[test]
    fn empty_logs_is_a_warning() {
        let text = MINIMAL.replace("logs = [\"logs/*.csv\"]", "logs = []");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert!(plan.is_some());
        assert_eq!(codes(&diags), vec![("no-logs", 7)]);
        assert_eq!(diags[0].column, 8);
        assert!(!diags[0].is_error());
    }

    #[test]
    fn reporting_halves_must_fall_in_the_term() {
        let text = format!("{MINIMAL}[reporting]\nmidterm = \"2030H1\"\nfinal = \"2025H2\"\n");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("bad-value", 18)]);
        assert_eq!(diags[0].column, 11);
        assert_eq!(
            diags[0].message,
            "`midterm` = \"2030H1\" is outside the plan's term: pick a half-year from 2021H1 to 2025H2"
        );
        assert_eq!(
            plan.map(|p| p.reporting.final_half.map(|h| h.to_string())),
            Some(Some("2025H2".into()))
        );
        let (_, diags) = load(
            "p.toml",
            &format!("{MINIMAL}[reporting]\nfinal = \"2020H2\"\n"),
            Lang::En,
        );
        assert_eq!(codes(&diags), vec![("bad-value", 18)]);
    }

    #[test]
    fn schedule_years_must_be_target_years() {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 3\nyears = [2021, 2022]\nschedule = {{ 2021 = 1, 2022 = 1, 2023 = 1 }}\n"
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        // The entries as written add up to `min`: no schedule-sum beside it.
        assert_eq!(codes(&diags), vec![("bad-value", 23)]);
        assert_eq!(diags[0].column, 34);
        assert_eq!(
            diags[0].message,
            "`schedule` year 2023 is not in `years` [2021, 2022]: no activity counts in that year"
        );
        let short = text.replace("min = 3", "min = 4");
        let (_, diags) = load("p.toml", &short, Lang::En);
        assert_eq!(codes(&diags), vec![("bad-value", 23), ("schedule-sum", 23)]);
        assert_eq!(diags[1].message, "the `schedule` adds up to 3, not `min` = 4");
    }

    #[test]
    fn a_code_of_an_empty_list_says_the_plan_defines_none() {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nfields = [\"F1\"]\n"
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        let got: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            got.contains(&"field `F1` is not defined in the plan; the plan defines none: add it to the plan"),
            "{got:?}"
        );
    }

    #[test]
    fn a_schedule_on_a_max_or_ratio_target_is_refused() {
        for req in [
            "measure = \"sum:cost\"\nmax = 10",
            "measure = \"completion\"\nmin_ratio = 1.0",
        ] {
            let text = format!(
                "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\n{req}\nschedule = {{ 2021 = 5, 2022 = 5 }}\n"
            );
            let (_, diags) = load("p.toml", &text, Lang::En);
            assert_eq!(codes(&diags), vec![("bad-value", 23)], "{req}");
            assert!(diags[0].message.contains("has no effect"), "{req}");
        }
    }

    #[test]
    fn every_problem_in_one_run() {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"a\"\nkind = \"dialog\"\nper = \"month\"\nmin = 2\nmni = 3\n[[target]]\nid = \"a\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n"
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(
            codes(&diags),
            vec![
                ("unknown-key", 22),
                ("unknown-ref", 19),
                ("bad-value", 20),
                ("duplicate-id", 24)
            ]
        );
        assert!(diags[0].message.contains("did you mean `min`"), "{}", diags[0].message);
        assert!(
            diags[1].message.contains("did you mean `dialogue`"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn syntax_error_has_a_place() {
        let (plan, diags) = load("p.toml", "format = 1\n[plan\nid = 1\n", Lang::En);
        assert!(plan.is_none());
        assert_eq!(codes(&diags), vec![("toml-syntax", 2)]);
    }

    #[test]
    fn end_before_start() {
        let text = MINIMAL.replace("end = 2025-12-31", "end = 2020-12-31");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert!(plan.is_none());
        assert_eq!(codes(&diags), vec![("bad-value", 6)]);
    }

    #[test]
    fn missing_keys_and_requirements() {
        let text = format!("{MINIMAL}[[target]]\nid = \"x\"\nper = \"term\"\n");
        let (_, diags) = load("p.toml", &text, Lang::En);
        let c: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(c, vec!["missing-key", "missing-key"]);
    }

    #[test]
    fn years_outside_the_term_get_one_diagnostic_each_and_no_other() {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nyears = [2030, 2019]\n"
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "each entry of `years` must be a year of the term 2021-2025",
                "each entry of `years` must be a year of the term 2021-2025"
            ]
        );
        let empty =
            format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nyears = []\n");
        let (_, diags) = load("p.toml", &empty, Lang::En);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].message, "`years` must not be empty");
    }

    #[test]
    fn empty_filter_lists_are_errors_not_silent_filters() {
        for key in ["orgs", "levels", "units", "months", "kind"] {
            let text =
                format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n").replace(
                    "kind = \"dialogue\"\n",
                    if key == "kind" { "" } else { "kind = \"dialogue\"\n" },
                ) + &format!("{key} = []\n");
            let (_, diags) = load("p.toml", &text, Lang::En);
            let got: Vec<(&str, &str)> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
            assert_eq!(got.len(), 1, "{key}: {got:?}");
            assert_eq!(got[0].0, "bad-value", "{key}");
            assert!(
                got[0].1.starts_with(&format!("`{key}` must not be empty")),
                "{key}: {got:?}"
            );
        }
    }

    #[test]
    fn a_duplicate_target_id_does_not_hide_its_other_problems() {
        let t = "[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n";
        let text = format!(
            "{MINIMAL}{t}{}",
            t.replace("per = \"year\"", "per = \"yearly\"\nbogus = 1")
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        let mut c: Vec<_> = diags.iter().map(|d| d.code).collect();
        c.sort_unstable();
        assert_eq!(c, vec!["bad-value", "duplicate-id", "unknown-key"]);
    }

    #[test]
    fn a_bad_term_does_not_hide_the_targets_problems() {
        let text =
            format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"month\"\nmin = 1\nyears = [2023]\n")
                .replace("start = 2021-01-01", "start = \"2021-01-01\"");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert!(plan.is_none());
        // The term's own error and the target's; nothing made up about `years`.
        assert_eq!(codes(&diags), vec![("bad-value", 5), ("bad-value", 20)]);
        let text = MINIMAL.replace("id = \"P\"\n", "")
            + "[[target]]\nid = \"x\"\nkind = \"dialog\"\nper = \"year\"\nmin = 1\n";
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert!(plan.is_none());
        let c: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(c, vec!["missing-key", "unknown-ref"]);
    }

    #[test]
    fn a_quoted_date_is_a_string_and_the_fix_is_named() {
        let text = MINIMAL.replace("start = 2021-01-01", "start = \"2021-01-01\"");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert!(plan.is_none());
        assert_eq!(codes(&diags), vec![("bad-value", 5)]);
        assert!(
            diags[0].message.contains("drop the quotes, write start = 2021-01-01"),
            "{}",
            diags[0].message
        );
        let text = MINIMAL.replace("start = 2021-01-01", "start = \"01/01/2021\"");
        let (_, diags) = load("p.toml", &text, Lang::En);
        assert!(
            diags[0].message.contains("write start = 2021-01-01"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn a_schedule_adding_up_past_the_integer_range_is_refused() {
        // Found while fuzzing: three entries of i64::MAX overflowed a u64 sum
        // (and the pace wrapped around to 4624320774642257457).
        let big = i64::MAX;
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 1\nschedule = {{ 2021 = {big}, 2022 = {big}, 2023 = {big} }}\n"
        );
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("bad-value", 22)]);
        assert!(
            diags[0].message.contains("27670116110564327421"),
            "{}",
            diags[0].message
        );
        assert_eq!(plan.unwrap().targets.len(), 0, "the target is not evaluated");
        // Two entries that fit in a u64 together are fine.
        let half = u64::MAX / 2;
        let ok = text.replace(
            &format!("2021 = {big}, 2022 = {big}, 2023 = {big}"),
            &format!("2021 = {}", half.min(i64::MAX as u64)),
        );
        let (_, diags) = load("p.toml", &ok, Lang::En);
        assert_eq!(codes(&diags), vec![("schedule-sum", 22)]);
    }

    #[test]
    fn kind_list_and_schedule() {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"b\"\nkind = [\"dialogue\"]\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 100\n[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 10\nschedule = {{ 2021 = 4, 2022 = 5 }}\n"
        );
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("schedule-sum", 28)]);
        let plan = plan.unwrap();
        assert_eq!(plan.targets[0].measure, Measure::Sum(NumColumn::Cost));
        assert_eq!(plan.targets[1].schedule, Some(vec![(2021, 4), (2022, 5)]));
    }

    /// A plan with `orgs` organisations, `units` district units and
    /// `fields` fields, and one target split by all three.
    pub(crate) fn wide_plan(orgs: usize, units: usize, fields: usize, filters: &str) -> String {
        let mut text = String::from(
            "format = 1\n[plan]\nid = \"W\"\ntitle = \"W\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = [\"logs/*.csv\"]\n[levels]\nprovince = \"Tỉnh\"\ndistrict = \"Huyện\"\n[kinds]\ndialogue = \"Đối thoại\"\n[orgs]\n",
        );
        (0..orgs).for_each(|i| text.push_str(&format!("O{i} = \"o\"\n")));
        text.push_str("[fields]\n");
        (0..fields).for_each(|i| text.push_str(&format!("F{i} = \"f\"\n")));
        text.push_str("[units]\ntinh = { name = \"t\", level = \"province\" }\n");
        (0..units).for_each(|i| text.push_str(&format!("U{i} = {{ name = \"u\", level = \"district\" }}\n")));
        text.push_str(&format!(
            "[[target]]\nid = \"w\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n{filters}each = [\"org\", \"unit\", \"field\"]\n"
        ));
        text
    }

    #[test]
    fn too_many_instances_are_refused_at_each() {
        // 200 × 201 × 100 = 4,020,000 instances.
        let text = wide_plan(200, 200, 100, "");
        let (plan, diags) = load("p.toml", &text, Lang::En);
        let each_line = text.lines().position(|l| l.starts_with("each")).unwrap() + 1;
        assert_eq!(codes(&diags), vec![("too-many-instances", each_line)]);
        assert_eq!(diags[0].column, 8, "at the list");
        assert!(
            diags[0].message.contains(
                "4,020,000 instances (200 organisations × 201 units × 100 fields), more than the limit of 1,000,000"
            ),
            "{}",
            diags[0].message
        );
        assert!(plan.unwrap().targets.is_empty());
        // Units of one level: 200 × 200 × 25 = 1,000,000, just at the limit.
        let fields: Vec<String> = (0..25).map(|i| format!("\"F{i}\"")).collect();
        let text = wide_plan(
            200,
            200,
            100,
            &format!("levels = [\"district\"]\nfields = [{}]\n", fields.join(", ")),
        );
        let (plan, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![]);
        assert_eq!(plan.unwrap().targets.len(), 1);
    }

    #[test]
    fn duplicate_target_ids_among_many_name_the_first_use() {
        let mut text = MINIMAL.to_owned();
        for i in 0..20_000 {
            text.push_str(&format!(
                "[[target]]\nid = \"t{}\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n",
                i % 19_999
            ));
        }
        let (plan, diags) = load("p.toml", &text, Lang::En);
        let first = MINIMAL.lines().count() + 1;
        let again = first + 19_999 * 5;
        assert_eq!(codes(&diags), vec![("duplicate-id", again + 1)]);
        assert!(
            diags[0].message.contains(&format!("already used on line {first}")),
            "{}",
            diags[0].message
        );
        assert_eq!(plan.unwrap().targets.len(), 19_999);
    }
}
