//! `[reporting]`: the half-years of the midterm and final reports, the keys
//! that head and sign a draft report, and the reporting profiles that
//! change those keys for one organisation, one unit, or one organisation
//! within one unit (`[reporting.orgs.O]`, `[reporting.units.U]`,
//! `[reporting.units.U.orgs.O]`).

use chrono::NaiveDate;
use toml_edit::{Item, TableLike};

use crate::model::{Named, Profile, Reporting, Unit};
use crate::period::{Half, Span};

use super::keys::{PROFILE_KEYS, REPORTING_KEYS};
use super::reader::PlanReader;

/// `[reporting]`; its half-years must fall inside `term` (when known).
pub(super) fn read(reader: &mut PlanReader, root: &dyn TableLike, term: Option<Span>) -> Reporting {
    let Some(t) = reader.section(root, "reporting", false) else {
        return Reporting::default();
    };
    reader.known_keys(t, &[REPORTING_KEYS, &["orgs", "units"]].concat(), "[reporting]");
    let half = |reader: &mut PlanReader, key: &str| -> Option<Half> {
        let item = t.get(key)?;
        let s = reader.string(t, key, "[reporting]")?;
        // A fixed date: `this`/`last` make no sense in a file.
        match Half::parse(&s, NaiveDate::MIN) {
            Some(h) if !matches!(s.as_str(), "this" | "last") => {
                if let Some(term) = term.filter(|t| !t.overlaps(h.span())) {
                    let (a, b) = (Half::containing(term.start), Half::containing(term.end));
                    reader.bad(
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
                reader.bad(
                    item.span(),
                    &format!("`{key}` phải là một nửa năm như \"2023H1\""),
                    &format!("`{key}` must be a half-year such as \"2023H1\""),
                );
                None
            }
        }
    };
    let midterm = half(reader, "midterm");
    let final_half = half(reader, "final");
    Reporting {
        midterm,
        final_half,
        ..heading_keys(reader, t, "[reporting]")
    }
}

/// The heading and signing keys of `[reporting]` or of a profile.
fn heading_keys(reader: &mut PlanReader, t: &dyn TableLike, section: &str) -> Reporting {
    let list = |reader: &mut PlanReader, key: &str| -> Vec<String> {
        reader
            .str_list(t, key, section)
            .unwrap_or_default()
            .into_iter()
            .map(|x| x.0)
            .collect()
    };
    Reporting {
        midterm: None,
        final_half: None,
        body: reader.string(t, "body", section),
        office: reader.string(t, "office", section),
        symbol: reader.string(t, "symbol", section),
        signer: list(reader, "signer"),
        recipients: list(reader, "recipients"),
        kinh_gui: reader.string(t, "kinh_gui", section),
        kinh_gui_en: reader.string(t, "kinh_gui_en", section),
        body_en: reader.string(t, "body_en", section),
        office_en: reader.string(t, "office_en", section),
        signer_en: list(reader, "signer_en"),
        recipients_en: list(reader, "recipients_en"),
        place: reader.string(t, "place", section),
    }
}

/// The reporting profiles under `[reporting]`: `orgs.O`, `units.U`,
/// `units.U.orgs.O`, each code one of the plan's.
pub(super) fn profiles(reader: &mut PlanReader, root: &dyn TableLike, orgs: &[Named], units: &[Unit]) -> Vec<Profile> {
    let mut out = Vec::new();
    let Some(reporting) = root.get("reporting").and_then(Item::as_table_like) else {
        return out;
    };
    org_profiles(reader, reporting, orgs, None, "[reporting.orgs]", &mut out);
    let Some(item) = reporting.get("units") else { return out };
    let Some(ut) = item.as_table_like() else {
        reader.bad(
            item.span(),
            "`units` trong [reporting] phải là một bảng: [reporting.units.MÃ]",
            "`units` in [reporting] must be a table: [reporting.units.CODE]",
        );
        return out;
    };
    for (code, item) in ut.iter() {
        let section = format!("[reporting.units.{code}]");
        let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
        let Some((ui, t)) = profile_entry(reader, ut, code, item, &codes, ("đơn vị", "a unit"), &section) else {
            continue;
        };
        let mut keys = PROFILE_KEYS.to_vec();
        keys.push("orgs");
        reader.known_keys(t, &keys, &section);
        out.push(Profile {
            org: None,
            unit: Some(ui),
            reporting: heading_keys(reader, t, &section),
        });
        org_profiles(
            reader,
            t,
            orgs,
            Some(ui),
            &format!("[reporting.units.{code}.orgs]"),
            &mut out,
        );
    }
    out
}

/// One entry `code = { … }` of a profile table: its index among
/// `codes` and its table, or an error (a code the plan does not have,
/// or not a table) and `None`.
fn profile_entry<'t>(
    reader: &mut PlanReader,
    parent: &dyn TableLike,
    code: &str,
    item: &'t Item,
    codes: &[&str],
    what: (&str, &str),
    section: &str,
) -> Option<(usize, &'t dyn TableLike)> {
    let Some(index) = codes.iter().position(|c| *c == code) else {
        let valid = codes.join(", ");
        reader.bad(
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
        reader.bad(
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
    reader: &mut PlanReader,
    t: &dyn TableLike,
    orgs: &[Named],
    unit: Option<usize>,
    section: &str,
    out: &mut Vec<Profile>,
) {
    let Some(item) = t.get("orgs") else { return };
    let Some(ot) = item.as_table_like() else {
        reader.bad(
            item.span(),
            &format!("`orgs` trong {section} phải là một bảng"),
            &format!("`orgs` in {section} must be a table"),
        );
        return;
    };
    for (code, item) in ot.iter() {
        let name = format!("{}.{code}]", section.trim_end_matches(']'));
        let codes: Vec<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
        let Some((oi, pt)) = profile_entry(reader, ot, code, item, &codes, ("tổ chức", "an organisation"), &name)
        else {
            continue;
        };
        reader.known_keys(pt, PROFILE_KEYS, &name);
        out.push(Profile {
            org: Some(oi),
            unit,
            reporting: heading_keys(reader, pt, &name),
        });
    }
}
