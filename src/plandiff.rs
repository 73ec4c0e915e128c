//! What changed in the plans between two git revisions, as meaning (`plan
//! diff`): targets, organisations, units, levels, kinds and fields added,
//! removed or changed, term, budget, `[plan]` and `[reporting]` changes, and,
//! per log file, the rows added, removed or changed.
//!
//! Plans are compared as read by [`crate::planfile`] (so quoting, key order,
//! NFC and comments never show up); logs as canonical cells
//! ([`crate::canonical`]), rows matched by `ref` when they have one. This
//! module does not talk to git: the command hands it both versions.
//! `plan_tables` and `lists` compare the plan, `rows` compares logs, `render`
//! shows the result.

mod lists;
mod plan_tables;
mod render;
mod rows;

pub use render::{Report, change_text, log_text, render_json, render_text, row_text};
pub use rows::{CellChange, FullRow, LogDiff, RowChange, logs};

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::lang::Lang;
use crate::model::{Named, Plan};

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

fn texts(items: &[String]) -> Val {
    Val::List(items.iter().map(|s| text(s)).collect())
}

/// A ratio as the plan writes it.
fn ratio_text(r: f64) -> String {
    if r.fract() == 0.0 {
        format!("{r:.1}")
    } else {
        format!("{r}")
    }
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

/// A text value as the plan file would write it: in double quotes, with
/// controls and bidirectional overrides as `\u` escapes.
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
    plan_tables::plan_tables(old, new, &mut changes);
    lists::named(Subject::Org, &old.orgs, &new.orgs, &mut changes);
    lists::named(Subject::Level, &old.levels, &new.levels, &mut changes);
    lists::units(old, new, &mut changes);
    lists::kinds(&old.kinds, &new.kinds, &mut changes);
    lists::named(Subject::Field, &old.fields, &new.fields, &mut changes);
    lists::targets(old, new, &mut changes);
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
    fn the_workbook_sheet_is_a_plan_change() {
        let new = PLAN.replace("end = 2025-12-31", "end = 2025-12-31\nsheet = \"Nhật ký\"");
        assert_eq!(lines(PLAN, &new), vec!["~ plan sheet: — → \"Nhật ký\""]);
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
