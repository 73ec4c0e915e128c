//! The changes to a plan's lists: organisations, levels, units, kinds,
//! fields and targets added, removed or changed, key by key.

use super::{Action, Change, Subject, Val, code_of, keyed, text, word, words};
use crate::model::{Kind, Measure, Named, NumColumn, Plan, Requirement, Target, Unit};

/// Compares two `(code, value)` lists: removed, added, then changed.
pub(super) fn pairs(subject: Subject, old: &[(String, Val)], new: &[(String, Val)], out: &mut Vec<Change>) {
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

pub(super) fn named(subject: Subject, old: &[Named], new: &[Named], out: &mut Vec<Change>) {
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

pub(super) fn units(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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

pub(super) fn kinds(old: &[Kind], new: &[Kind], out: &mut Vec<Change>) {
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

fn is_budget(t: &Target) -> bool {
    t.measure == Measure::Sum(NumColumn::Cost) && matches!(t.requirement, Requirement::Max(_))
}

pub(super) fn targets(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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
