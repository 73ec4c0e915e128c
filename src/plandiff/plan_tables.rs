//! The changes to a plan's own tables: its term, `[plan]`, `[reporting]`
//! and the reporting profiles of organisations and units, and the baseline.

use std::collections::BTreeMap;

use super::{Action, Change, Subject, Val, code_of, text, texts, word};
use crate::model::Plan;

/// Every change to the plan's own tables, in display order.
pub(super) fn plan_tables(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    term(old, new, out);
    plan_keys(old, new, out);
    reporting(old, new, out);
    profile_changes(old, new, out);
    baseline(old, new, out);
}

fn term(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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
}

/// The keys of `[plan]`.
fn plan_keys(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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
            ("sheet", p.sheet.as_ref().map(|(name, _, _)| text(name))),
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
}

/// `[reporting]`'s own keys: its half-years, then those a profile has (its
/// `place` is always empty: `[reporting]` takes none).
fn reporting(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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
                action: added_removed_or_changed(a.as_ref(), b.as_ref()),
                code: key.to_owned(),
                key: None,
                old: a,
                new: b,
            });
        }
    }
}

/// Added when only the new version has a value, removed when only the old.
fn added_removed_or_changed(old: Option<&Val>, new: Option<&Val>) -> Action {
    if old.is_none() {
        Action::Added
    } else if new.is_none() {
        Action::Removed
    } else {
        Action::Changed
    }
}

/// The baseline's label, then one entry per kind.
fn baseline(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
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
    super::lists::pairs(Subject::Baseline, &entries(old), &entries(new), out);
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
    let all = |p: &Plan| -> BTreeMap<String, Vec<(&'static str, Option<Val>)>> {
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
                    action: added_removed_or_changed(o.as_ref(), n.as_ref()),
                    code: format!("{p}.{key}"),
                    key: None,
                    old: o.clone(),
                    new: n.clone(),
                });
            }
        }
    }
}
