//! What changed in the plans between two git revisions, as meaning (`plan
//! diff`): targets, organisations, units, levels, kinds and fields added,
//! removed or changed, term, budget and header changes, and, per log file,
//! the rows added, removed or changed.
//!
//! Plans are compared as read by [`crate::planfile`] (so quoting, key order,
//! NFC and comments never show up); logs as canonical cells
//! ([`crate::canonical`]), rows matched by `ref` when they have one. This
//! module does not talk to git: the command hands it both versions.
//! `rows` compares logs, `render` shows the result.

mod render;
mod rows;

pub use render::{Report, change_text, log_text, render_json, render_text, row_text};
pub use rows::{CellChange, FullRow, LogDiff, RowChange, logs};

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::lang::Lang;
use crate::model::{Kind, Measure, Named, NumColumn, Plan, Requirement, Target, Unit};

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Removed,
    Changed,
}

impl Action {
    fn sigil(self) -> &'static str {
        match self {
            Action::Added => "+",
            Action::Removed => "-",
            Action::Changed => "~",
        }
    }
}

/// What kind of item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Term,
    Plan,
    Reporting,
    Baseline,
    Org,
    Level,
    Unit,
    Kind,
    Field,
    Target,
    /// The ceiling (`max`) of a `sum:cost` target.
    Budget,
}

impl Subject {
    fn noun(self, lang: Lang) -> &'static str {
        match self {
            Subject::Term => lang.pick("thời gian thực hiện", "term"),
            Subject::Plan => lang.pick("kế hoạch", "plan"),
            Subject::Reporting => lang.pick("báo cáo", "reporting"),
            Subject::Baseline => lang.pick("kết quả giai đoạn trước", "baseline"),
            Subject::Org => lang.pick("tổ chức", "org"),
            Subject::Level => lang.pick("cấp", "level"),
            Subject::Unit => lang.pick("đơn vị", "unit"),
            Subject::Kind => lang.pick("loại hoạt động", "kind"),
            Subject::Field => lang.pick("lĩnh vực", "field"),
            Subject::Target => lang.pick("mục tiêu", "target"),
            Subject::Budget => lang.pick("kinh phí", "budget"),
        }
    }
}

/// A value of a plan key. In JSON it is the natural value (text and codes as
/// strings, numbers, arrays, objects); in text it is written as in the plan
/// file (text quoted, codes bare, lists in brackets).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Val {
    /// Free text: quoted in the terminal.
    Text(String),
    /// A code, a date, a spelling (`year`, `sum:cost`): bare.
    Word(String),
    Int(u64),
    Float(f64),
    Bool(bool),
    List(Vec<Val>),
    /// A table such as `schedule` (keys sorted).
    Map(BTreeMap<String, Val>),
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Text(s) => f.write_str(&quote(s)),
            Val::Word(s) => f.write_str(s),
            Val::Int(n) => write!(f, "{n}"),
            Val::Float(x) => f.write_str(&ratio_text(*x)),
            Val::Bool(b) => write!(f, "{b}"),
            Val::List(v) => {
                let items: Vec<String> = v.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", items.join(", "))
            }
            Val::Map(m) => {
                let items: Vec<String> = m.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                write!(f, "{{ {} }}", items.join(", "))
            }
        }
    }
}

fn text(s: &str) -> Val {
    Val::Text(s.to_owned())
}

fn word(s: impl Into<String>) -> Val {
    Val::Word(s.into())
}

fn words<T: AsRef<str>>(items: &[T]) -> Val {
    Val::List(items.iter().map(|s| word(s.as_ref())).collect())
}

/// The profile keys of one reporting profile, as values.
fn profile_items(r: &crate::model::Reporting) -> Vec<(&'static str, Option<Val>)> {
    let strings = |v: &[String]| (!v.is_empty()).then(|| texts(v));
    vec![
        ("body", r.body.as_deref().map(text)),
        ("body_en", r.body_en.as_deref().map(text)),
        ("office", r.office.as_deref().map(text)),
        ("office_en", r.office_en.as_deref().map(text)),
        ("symbol", r.symbol.as_deref().map(text)),
        ("kinh_gui", r.kinh_gui.as_deref().map(text)),
        ("kinh_gui_en", r.kinh_gui_en.as_deref().map(text)),
        ("signer", strings(&r.signer)),
        ("signer_en", strings(&r.signer_en)),
        ("recipients", strings(&r.recipients)),
        ("recipients_en", strings(&r.recipients_en)),
        ("place", r.place.as_deref().map(text)),
    ]
}

/// Reporting profiles added, removed or changed, named by their path
/// (`orgs.HND`, `units.bat-xat`, `units.bat-xat.orgs.HND`), key by key.
fn profile_changes(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    let path = |p: &Plan, pr: &crate::model::Profile| {
        let org = pr.org.and_then(|o| p.orgs.get(o)).map(|o| o.code.as_str());
        let unit = pr.unit.and_then(|u| p.units.get(u)).map(|u| u.code.as_str());
        match (org, unit) {
            (Some(o), Some(u)) => format!("units.{u}.orgs.{o}"),
            (Some(o), None) => format!("orgs.{o}"),
            (None, Some(u)) => format!("units.{u}"),
            (None, None) => String::new(),
        }
    };
    let all = |p: &Plan| -> std::collections::BTreeMap<String, Vec<(&'static str, Option<Val>)>> {
        p.profiles
            .iter()
            .map(|pr| (path(p, pr), profile_items(&pr.reporting)))
            .collect()
    };
    let (a, b) = (all(old), all(new));
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    for p in paths {
        let none = profile_items(&crate::model::Reporting::default());
        let (x, y) = (a.get(p).unwrap_or(&none), b.get(p).unwrap_or(&none));
        for ((key, o), (_, n)) in x.iter().zip(y) {
            if o != n {
                out.push(Change {
                    subject: Subject::Reporting,
                    action: if o.is_none() {
                        Action::Added
                    } else if n.is_none() {
                        Action::Removed
                    } else {
                        Action::Changed
                    },
                    code: format!("{p}.{key}"),
                    key: None,
                    old: o.clone(),
                    new: n.clone(),
                });
            }
        }
    }
}

fn texts(items: &[String]) -> Val {
    Val::List(items.iter().map(|s| text(s)).collect())
}

/// One change in a plan; `None` is "not set".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub subject: Subject,
    pub action: Action,
    /// The code or id of the item (`HND`, `dialogue-province`), or the key
    /// for plan, reporting and baseline entries; empty for the term.
    pub code: String,
    /// Which key of the item changed, for items with several keys.
    pub key: Option<String>,
    pub old: Option<Val>,
    pub new: Option<Val>,
}

/// The changes between two versions of one plan (matched by id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    pub id: String,
    pub action: Action,
    /// The plan's file in the old and the new version.
    pub old_file: Option<String>,
    pub new_file: Option<String>,
    pub changes: Vec<Change>,
}

pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || crate::escape::is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Compares two versions of a plan with the same id.
pub fn plans(id: &str, old: &Plan, new: &Plan) -> PlanDiff {
    let mut changes = Vec::new();
    header(old, new, &mut changes);
    named(Subject::Org, &old.orgs, &new.orgs, &mut changes);
    named(Subject::Level, &old.levels, &new.levels, &mut changes);
    units(old, new, &mut changes);
    kinds(&old.kinds, &new.kinds, &mut changes);
    named(Subject::Field, &old.fields, &new.fields, &mut changes);
    targets(old, new, &mut changes);
    // Order is meaning too: tables and reports follow the plan's order.
    order(
        Subject::Org,
        old,
        new,
        |p| p.orgs.iter().map(|x| x.code.as_str()).collect(),
        &mut changes,
    );
    order(
        Subject::Unit,
        old,
        new,
        |p| p.units.iter().map(|x| x.code.as_str()).collect(),
        &mut changes,
    );
    order(
        Subject::Kind,
        old,
        new,
        |p| p.kinds.iter().map(|x| x.code.as_str()).collect(),
        &mut changes,
    );
    // Fields and levels too: the report's tables list them in this order.
    order(
        Subject::Level,
        old,
        new,
        |p| p.levels.iter().map(|x| x.code.as_str()).collect(),
        &mut changes,
    );
    order(
        Subject::Field,
        old,
        new,
        |p| p.fields.iter().map(|x| x.code.as_str()).collect(),
        &mut changes,
    );
    order(
        Subject::Target,
        old,
        new,
        |p| p.targets.iter().map(|x| x.id.as_str()).collect(),
        &mut changes,
    );
    PlanDiff {
        id: id.to_owned(),
        action: Action::Changed,
        old_file: Some(old.path.clone()),
        new_file: Some(new.path.clone()),
        changes,
    }
}

/// A plan present in only one version.
pub fn whole_plan(plan: &Plan, action: Action) -> PlanDiff {
    let (old_file, new_file) = match action {
        Action::Removed => (Some(plan.path.clone()), None),
        _ => (None, Some(plan.path.clone())),
    };
    PlanDiff {
        id: plan.id.clone(),
        action,
        old_file,
        new_file,
        changes: Vec::new(),
    }
}

/// Pushes a change for every key whose value differs; `items` are
/// (key, old, new) in display order.
fn keyed(subject: Subject, code: &str, items: Vec<(&str, Option<Val>, Option<Val>)>, out: &mut Vec<Change>) {
    for (key, old, new) in items {
        if old != new {
            out.push(Change {
                subject,
                action: Action::Changed,
                code: code.to_owned(),
                key: Some(key.to_owned()),
                old,
                new,
            });
        }
    }
}

/// An `order` change when the items present in both versions (their
/// `codes`) are listed in another order (items added or removed have their
/// own changes).
fn order<'p>(
    subject: Subject,
    old: &'p Plan,
    new: &'p Plan,
    codes: impl Fn(&'p Plan) -> Vec<&'p str>,
    out: &mut Vec<Change>,
) {
    let (old, new) = (codes(old), codes(new));
    let (in_old, in_new): (BTreeSet<&str>, BTreeSet<&str>) =
        (old.iter().copied().collect(), new.iter().copied().collect());
    let a: Vec<&str> = old.into_iter().filter(|c| in_new.contains(c)).collect();
    let b: Vec<&str> = new.into_iter().filter(|c| in_old.contains(c)).collect();
    if a != b {
        out.push(Change {
            subject,
            action: Action::Changed,
            code: String::new(),
            key: Some("order".to_owned()),
            old: Some(words(&a)),
            new: Some(words(&b)),
        });
    }
}

fn code_of(list: &[Named], i: usize) -> String {
    list.get(i).map_or_else(|| format!("#{i}"), |n| n.code.clone())
}

fn header(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    let term = |p: &Plan| word(format!("{} – {}", p.term.start, p.term.end));
    if old.term != new.term {
        out.push(Change {
            subject: Subject::Term,
            action: Action::Changed,
            code: String::new(),
            key: None,
            old: Some(term(old)),
            new: Some(term(new)),
        });
    }
    let plan_items = |p: &Plan| {
        vec![
            ("number", Some(text(&p.number))),
            ("title", Some(text(&p.title))),
            ("title_en", p.title_en.as_deref().map(text)),
            ("issuer", Some(text(&p.issuer))),
            ("issuer_en", p.issuer_en.as_deref().map(text)),
            ("issued", p.issued.map(|d| word(d.to_string()))),
            ("lead", p.lead.map(|i| word(code_of(&p.orgs, i)))),
            ("place", p.place.as_deref().map(text)),
            ("currency", Some(text(&p.currency))),
            (
                "logs",
                Some(texts(&p.logs.iter().map(|(g, _)| g.clone()).collect::<Vec<_>>())),
            ),
        ]
    };
    for ((key, a), (_, b)) in plan_items(old).into_iter().zip(plan_items(new)) {
        if a != b {
            out.push(Change {
                subject: Subject::Plan,
                action: Action::Changed,
                code: key.to_owned(),
                key: None,
                old: a,
                new: b,
            });
        }
    }
    // `[reporting]`'s own keys: its half-years, then those a profile has
    // (its `place` is always empty: `[reporting]` takes none).
    let reporting_items = |p: &Plan| {
        let r = &p.reporting;
        let mut items = vec![
            ("midterm", r.midterm.map(|h| text(&h.to_string()))),
            ("final", r.final_half.map(|h| text(&h.to_string()))),
        ];
        items.extend(profile_items(r));
        items
    };
    for ((key, a), (_, b)) in reporting_items(old).into_iter().zip(reporting_items(new)) {
        if a != b {
            out.push(Change {
                subject: Subject::Reporting,
                action: if a.is_none() {
                    Action::Added
                } else if b.is_none() {
                    Action::Removed
                } else {
                    Action::Changed
                },
                code: key.to_owned(),
                key: None,
                old: a,
                new: b,
            });
        }
    }
    profile_changes(old, new, out);
    // Baseline: the label, then one entry per kind.
    let label = |p: &Plan| p.baseline.as_ref().map(|b| text(&b.label));
    let entries = |p: &Plan| -> Vec<(String, Val)> {
        p.baseline
            .as_ref()
            .map(|b| {
                b.entries
                    .iter()
                    .map(|(k, d, pl)| {
                        let m =
                            BTreeMap::from([("done".to_owned(), Val::Int(*d)), ("planned".to_owned(), Val::Int(*pl))]);
                        (k.clone(), Val::Map(m))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if label(old) != label(new) {
        out.push(Change {
            subject: Subject::Baseline,
            action: Action::Changed,
            code: "label".to_owned(),
            key: None,
            old: label(old),
            new: label(new),
        });
    }
    pairs(Subject::Baseline, &entries(old), &entries(new), out);
}

/// Compares two `(code, value)` lists: removed, added, then changed.
fn pairs(subject: Subject, old: &[(String, Val)], new: &[(String, Val)], out: &mut Vec<Change>) {
    let find = |list: &[(String, Val)], code: &str| list.iter().find(|(c, _)| c == code).map(|(_, v)| v.clone());
    for (code, v) in old {
        if find(new, code).is_none() {
            out.push(Change {
                subject,
                action: Action::Removed,
                code: code.clone(),
                key: None,
                old: Some(v.clone()),
                new: None,
            });
        }
    }
    for (code, v) in new {
        if find(old, code).is_none() {
            out.push(Change {
                subject,
                action: Action::Added,
                code: code.clone(),
                key: None,
                old: None,
                new: Some(v.clone()),
            });
        }
    }
    for (code, v) in new {
        if let Some(o) = find(old, code) {
            if &o != v {
                out.push(Change {
                    subject,
                    action: Action::Changed,
                    code: code.clone(),
                    key: None,
                    old: Some(o),
                    new: Some(v.clone()),
                });
            }
        }
    }
}

fn named(subject: Subject, old: &[Named], new: &[Named], out: &mut Vec<Change>) {
    let pairs_of = |l: &[Named]| -> Vec<(String, Val)> { l.iter().map(|n| (n.code.clone(), text(&n.name))).collect() };
    pairs(subject, &pairs_of(old), &pairs_of(new), out);
    // The optional names beside the name: English, short.
    for n in new {
        let Some(o) = old.iter().find(|o| o.code == n.code) else {
            continue;
        };
        let items = |x: &Named| {
            vec![
                ("en", x.en.as_deref().map(text)),
                ("short", x.short.as_deref().map(text)),
                ("short_en", x.short_en.as_deref().map(text)),
            ]
        };
        let (a, b) = (items(o), items(n));
        keyed(
            subject,
            &n.code,
            a.into_iter().zip(b).map(|((k, x), (_, y))| (k, x, y)).collect(),
            out,
        );
    }
}

/// Removed and added items of two lists keyed by code; returns the pairs
/// present in both (in the new order) for the caller to compare.
fn added_removed<'a, T>(
    subject: Subject,
    old: &'a [T],
    new: &'a [T],
    code: impl Fn(&T) -> &str,
    describe: impl Fn(&T) -> Option<Val>,
    out: &mut Vec<Change>,
) -> Vec<(&'a T, &'a T)> {
    for o in old {
        if !new.iter().any(|n| code(n) == code(o)) {
            out.push(Change {
                subject,
                action: Action::Removed,
                code: code(o).to_owned(),
                key: None,
                old: describe(o),
                new: None,
            });
        }
    }
    for n in new {
        if !old.iter().any(|o| code(o) == code(n)) {
            out.push(Change {
                subject,
                action: Action::Added,
                code: code(n).to_owned(),
                key: None,
                old: None,
                new: describe(n),
            });
        }
    }
    new.iter()
        .filter_map(|n| old.iter().find(|o| code(o) == code(n)).map(|o| (o, n)))
        .collect()
}

fn units(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    let both = added_removed(
        Subject::Unit,
        &old.units,
        &new.units,
        |u: &Unit| u.code.as_str(),
        |u| Some(text(&u.name)),
        out,
    );
    for (o, n) in both {
        let items = |p: &Plan, u: &Unit| {
            vec![
                ("name", Some(text(&u.name))),
                ("en", u.en.as_deref().map(text)),
                ("level", Some(word(code_of(&p.levels, u.level)))),
                ("from", u.from.map(|d| word(d.to_string()))),
                ("until", u.until.map(|d| word(d.to_string()))),
            ]
        };
        let (a, b) = (items(old, o), items(new, n));
        keyed(
            Subject::Unit,
            &n.code,
            a.into_iter().zip(b).map(|((k, x), (_, y))| (k, x, y)).collect(),
            out,
        );
    }
}

fn kinds(old: &[Kind], new: &[Kind], out: &mut Vec<Change>) {
    let both = added_removed(
        Subject::Kind,
        old,
        new,
        |k: &Kind| k.code.as_str(),
        |k| Some(text(&k.name)),
        out,
    );
    for (o, n) in both {
        let items = |k: &Kind| {
            vec![
                ("name", Some(text(&k.name))),
                ("field", Some(Val::Bool(k.field))),
                ("counter", k.counter.as_deref().map(text)),
                ("en", k.en.as_deref().map(text)),
                ("group", k.group.as_deref().map(text)),
                ("group_en", k.group_en.as_deref().map(text)),
            ]
        };
        let (a, b) = (items(o), items(n));
        keyed(
            Subject::Kind,
            &n.code,
            a.into_iter().zip(b).map(|((k, x), (_, y))| (k, x, y)).collect(),
            out,
        );
    }
}

/// The codes of a filter list, sorted: a filter is a set, so writing
/// `["district", "province"]` for `["province", "district"]` is no change.
fn codes(list: &[Named], idx: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = idx.iter().map(|i| code_of(list, *i)).collect();
    out.sort();
    out
}

/// A target's keys as they would be written, from the model (so a default
/// left out and the same default spelled out compare equal).
fn target_items(p: &Plan, t: &Target) -> Vec<(&'static str, Option<Val>)> {
    let mut kinds: Vec<String> = t
        .kinds
        .iter()
        .map(|k| p.kinds.get(*k).map_or_else(|| format!("#{k}"), |x| x.code.clone()))
        .collect();
    kinds.sort();
    let mut unit_codes: Vec<String> = t
        .units
        .iter()
        .flatten()
        .map(|u| p.units.get(*u).map_or_else(|| format!("#{u}"), |x| x.code.clone()))
        .collect();
    unit_codes.sort();
    let mut each = Vec::new();
    if t.each.org {
        each.push("org");
    }
    if t.each.unit {
        each.push("unit");
    }
    if t.each.field {
        each.push("field");
    }
    let months = t.days.months.map(|bits| {
        Val::List(
            (1..=12u16)
                .filter(|m| bits & (1 << (m - 1)) != 0)
                .map(|m| Val::Int(u64::from(m)))
                .collect(),
        )
    });
    let (min, max, ratio) = match t.requirement {
        Requirement::Min(n) => (Some(Val::Int(n)), None, None),
        Requirement::Max(n) => (None, Some(Val::Int(n)), None),
        Requirement::MinRatio(r) => (None, None, Some(Val::Float(r))),
    };
    vec![
        ("title", Some(text(&t.title))),
        ("title_en", t.title_en.as_deref().map(text)),
        ("source", t.source.as_deref().map(text)),
        (
            "kind",
            Some(match kinds.as_slice() {
                [one] => word(one.clone()),
                _ => words(&kinds),
            }),
        ),
        ("orgs", t.orgs.as_ref().map(|v| words(&codes(&p.orgs, v)))),
        ("levels", t.levels.as_ref().map(|v| words(&codes(&p.levels, v)))),
        ("units", t.units.as_ref().map(|_| words(&unit_codes))),
        ("fields", t.fields.as_ref().map(|v| words(&codes(&p.fields, v)))),
        ("each", (!each.is_empty()).then(|| words(&each))),
        ("per", Some(word(t.per.as_str()))),
        (
            "years",
            t.days
                .years
                .as_ref()
                .map(|ys| Val::List(ys.iter().map(|y| Val::Int(u64::try_from(*y).unwrap_or(0))).collect())),
        ),
        ("months", months),
        ("measure", Some(word(t.measure.spelling()))),
        ("min", min),
        ("max", max),
        ("min_ratio", ratio),
        (
            "schedule",
            t.schedule
                .as_ref()
                .map(|s| Val::Map(s.iter().map(|(y, n)| (y.to_string(), Val::Int(*n))).collect())),
        ),
        ("note", t.note.as_deref().map(text)),
    ]
}

fn ratio_text(r: f64) -> String {
    if r.fract() == 0.0 {
        format!("{r:.1}")
    } else {
        format!("{r}")
    }
}

fn is_budget(t: &Target) -> bool {
    t.measure == Measure::Sum(NumColumn::Cost) && matches!(t.requirement, Requirement::Max(_))
}

fn targets(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    let both = added_removed(
        Subject::Target,
        &old.targets,
        &new.targets,
        |t: &Target| t.id.as_str(),
        |t| Some(text(&t.title)),
        out,
    );
    for (o, n) in both {
        let a = target_items(old, o);
        let b = target_items(new, n);
        for ((key, x), (_, y)) in a.into_iter().zip(b) {
            if x == y {
                continue;
            }
            let subject = if key == "max" && (is_budget(o) || is_budget(n)) {
                Subject::Budget
            } else {
                Subject::Target
            };
            out.push(Change {
                subject,
                action: Action::Changed,
                code: n.id.clone(),
                key: Some(key.to_owned()),
                old: x,
                new: y,
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::canonical::read_log;
    use crate::planfile;

    #[test]
    fn quoted_values_show_controls_and_bidi_overrides_as_escapes() {
        assert_eq!(quote("a\u{1b}[2Jb\u{202e}c"), "\"a\\u001B[2Jb\\u202Ec\"");
    }

    const PLAN: &str = r#"format = 1
[plan]
id = "P"
title = "Kế hoạch"
start = 2021-01-01
end = 2025-12-31
[orgs]
MTTQ = "Mặt trận"
HND = "Hội Nông dân"
[levels]
province = "Cấp tỉnh"
[units.tinh]
name = "Tỉnh"
level = "province"
[kinds]
dialogue = "Đối thoại"
[[target]]
id = "d"
kind = "dialogue"
per = "year"
min = 2
"#;

    fn load(text: &str) -> Plan {
        let (p, d) = planfile::load("plans/p.toml", text, Lang::En);
        assert!(d.iter().all(|x| !x.is_error()), "{d:?}");
        p.unwrap()
    }

    fn lines(old: &str, new: &str) -> Vec<String> {
        let d = plans("P", &load(old), &load(new));
        d.changes
            .iter()
            .map(|c| format!("{} {}", c.action.sigil(), change_text(c, Lang::En)))
            .collect()
    }

    #[test]
    fn same_meaning_is_no_change() {
        let respelled = PLAN
            .replace("min = 2", "min = 2\nmeasure = 'count'")
            .replace("kind = \"dialogue\"", "kind = [\"dialogue\"]");
        assert!(lines(PLAN, &respelled).is_empty());
    }

    #[test]
    fn english_and_short_names_show() {
        let new = PLAN
            .replace(
                "HND = \"Hội Nông dân\"",
                "HND = { name = \"Hội Nông dân\", en = \"Farmers' Union\" }",
            )
            .replace("name = \"Tỉnh\"", "name = \"Tỉnh\"\nen = \"Province\"")
            .replace(
                "dialogue = \"Đối thoại\"",
                "dialogue = { name = \"Đối thoại\", en = \"Dialogue\" }",
            )
            .replace("id = \"d\"", "id = \"d\"\ntitle_en = \"Dialogues\"")
            .replace(
                "end = 2025-12-31",
                "end = 2025-12-31\ntitle_en = \"Plan\"\n[reporting]\nkinh_gui = \"Tỉnh ủy\"",
            );
        let out = lines(PLAN, &new).join("\n");
        for key in ["en", "title_en", "kinh_gui"] {
            assert!(out.contains(key), "{key} not shown:\n{out}");
        }
        assert_eq!(lines(PLAN, &new).len(), 6, "{out}");
    }

    #[test]
    fn reporting_profiles_show_key_by_key() {
        let new = PLAN.replace(
            "end = 2025-12-31",
            "end = 2025-12-31\n[reporting.orgs.HND]\nsymbol = \"BC-HND\"\nplace = \"Lào Cai\"",
        );
        let out = lines(PLAN, &new).join("\n");
        assert!(out.contains("orgs.HND.symbol"), "{out}");
        assert!(out.contains("orgs.HND.place"), "{out}");
        assert_eq!(lines(PLAN, &new).len(), 2, "{out}");
    }

    #[test]
    fn plan_changes() {
        let new = PLAN
            .replace("min = 2", "min = 3")
            .replace("HND = \"Hội Nông dân\"", "HND = \"Hội Nông dân tỉnh\"\nTD = \"Đoàn\"")
            .replace("end = 2025-12-31", "end = 2026-12-31");
        assert_eq!(
            lines(PLAN, &new),
            vec![
                "~ term: 2021-01-01 – 2025-12-31 → 2021-01-01 – 2026-12-31",
                "+ org TD: \"Đoàn\"",
                "~ org HND renamed: \"Hội Nông dân\" → \"Hội Nông dân tỉnh\"",
                "~ target d: min 2 → 3",
            ]
        );
    }

    #[test]
    fn log_rows_by_ref_and_content() {
        let old = read_log(b"date,org,unit,kind,status,title,ref\n2023-01-01,MTTQ,tinh,dialogue,planned,A,R1\n2023-02-01,MTTQ,tinh,dialogue,done,B,\n2023-03-01,MTTQ,tinh,dialogue,done,C,R3\n", true).unwrap();
        let new = read_log(b"ref,date,org,unit,kind,status,title\nR1,2023-01-01,MTTQ,tinh,dialogue,done,A\nR3,2023-03-01,MTTQ,tinh,dialogue,done,C\n,2023-04-01,HND,tinh,dialogue,done,D\n", true).unwrap();
        let d = logs("l.csv", Some(&old), Some(&new)).unwrap();
        assert_eq!((d.added, d.removed, d.changed), (1, 1, 1));
        let text: Vec<String> = d
            .rows
            .iter()
            .map(|r| format!("{} {}", r.action.sigil(), row_text(r)))
            .collect();
        assert_eq!(
            text,
            vec![
                "- 2023-02-01 MTTQ tinh dialogue done \"B\"",
                "+ 2023-04-01 HND tinh dialogue done \"D\"",
                "~ R1: status planned → done",
            ]
        );
        assert_eq!(
            log_text(&d, Lang::En),
            "l.csv: 1 row added, 1 row removed, 1 row changed"
        );
        assert!(logs("l.csv", Some(&old), Some(&old)).is_none());
    }
}
