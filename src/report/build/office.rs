//! The office a draft is for: its reporting profile (header, signer,
//! recipients, place), derived when the plan gives none, its name in running
//! text, and the sentences on its contribution to shared targets.

use super::*;
use crate::model::Reporting;
use crate::report::office::Office;

/// A marked blank, for what the plan does not say and cannot be derived.
pub const BLANK: &str = "[...]";

/// `Huyện Bát Xát` → `Bát Xát`, `Thành phố Lào Cai` → `Lào Cai`: a unit's
/// name without the type of unit, as the date line writes the place.
pub fn place_of(unit_name: &str) -> String {
    const TYPES: [&str; 8] = [
        "Thành phố ",
        "Thị xã ",
        "Huyện ",
        "Tỉnh ",
        "Quận ",
        "Thị trấn ",
        "Xã ",
        "Phường ",
    ];
    TYPES
        .iter()
        .find_map(|t| unit_name.strip_prefix(t))
        .unwrap_or(unit_name)
        .to_owned()
}

/// The reporting profile of an office and its place: the plan's
/// `[reporting.units.U.orgs.O]`, `[reporting.units.U]` or `[reporting.orgs.O]`
/// when given, else derived from the lead's profile and the unit's name.
pub fn profile(plan: &Plan, office: Office) -> (Reporting, Option<String>) {
    let lead = &plan.reporting;
    if office.is_all() {
        return (lead.clone(), plan.place.clone());
    }
    let unit = office.unit.and_then(|u| plan.units.get(u));
    let org = office.org.and_then(|o| plan.orgs.get(o));
    let unit_place = unit.map(|u| place_of(&u.name));
    let given = match (office.org, office.unit) {
        (Some(o), Some(u)) => plan.reporting_for(Some(o), Some(u)),
        (Some(o), None) => plan.reporting_for(Some(o), None),
        (None, Some(u)) => plan.reporting_for(None, Some(u)),
        (None, None) => None,
    };
    if let Some(p) = given {
        let place = p.place.clone().or(unit_place).or_else(|| plan.place.clone());
        return (p.clone(), place);
    }
    let upper = |s: &str| s.to_uppercase();
    let top = plan.units.iter().filter(|u| u.level == 0).collect::<Vec<_>>();
    let top = match top.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let mut r = Reporting {
        midterm: lead.midterm,
        final_half: lead.final_half,
        ..Reporting::default()
    };
    match (org, unit) {
        // The district's Fatherland Front (the lead): its header follows the
        // lead's with the unit's name in place of the province's.
        (_, Some(u)) if office.org.is_none() || office.org == plan.lead => {
            let first = lead.body.as_deref().and_then(|b| b.lines().next()).map(str::to_owned);
            r.body = Some(match first {
                Some(f) => format!("{f}\n{}", upper(&u.name)),
                None => format!("{BLANK}\n{}", upper(&u.name)),
            });
            r.body_en = lead
                .body_en
                .as_deref()
                .and_then(|b| b.lines().next())
                .map(|f| format!("{f}\n{}", upper(u.en.as_deref().unwrap_or(&u.name))));
            r.office.clone_from(&lead.office);
            r.office_en.clone_from(&lead.office_en);
            r.symbol.clone_from(&lead.symbol);
            r.signer.clone_from(&lead.signer);
            r.signer_en.clone_from(&lead.signer_en);
        }
        (Some(o), Some(u)) => {
            r.body = Some(format!("{} {}", upper(&o.name), upper(&u.name)));
            r.body_en =
                o.en.as_deref()
                    .map(|e| format!("{}, {}", upper(e), upper(u.en.as_deref().unwrap_or(&u.name))));
        }
        (Some(o), None) => {
            r.body = Some(match top {
                Some(t) => format!("{} {}", upper(&o.name), upper(&t.name)),
                None => upper(&o.name),
            });
            r.body_en = o.en.as_deref().map(|e| match top {
                Some(t) => format!("{}, {}", upper(e), upper(t.en.as_deref().unwrap_or(&t.name))),
                None => upper(e),
            });
        }
        (None, _) => {}
    }
    r.recipients = vec![BLANK.to_owned(), "Lưu: VT".to_owned()];
    let place = unit_place.or_else(|| plan.place.clone());
    (r, place)
}

impl Builder<'_> {
    /// The office in running text: `Hội Nông dân tỉnh Lào Cai`,
    /// `Ủy ban Mặt trận Tổ quốc Việt Nam huyện Bát Xát`, `Hội Nông dân huyện Bát Xát`.
    pub(super) fn office_name(&self) -> String {
        let joined = |b: &Self, o: usize, u: usize| b.org_unit(o, u);
        let top = self
            .plan
            .units
            .iter()
            .position(|u| self.top_unit().is_some_and(|t| std::ptr::eq(t, u)));
        match (self.office.org, self.office.unit, self.plan.lead) {
            (Some(o), Some(u), _) => joined(self, o, u),
            (Some(o), None, _) => match top {
                Some(t) => joined(self, o, t),
                None => self.org_name(o),
            },
            (None, Some(u), Some(l)) => joined(self, l, u),
            (None, Some(u), None) => self.unit_name(u),
            (None, None, _) => String::new(),
        }
    }

    /// Who did what the office's figures count: the office, or, for a unit,
    /// every organisation in it (`MTTQ và các tổ chức chính trị - xã hội
    /// huyện Bát Xát`).
    pub(super) fn office_doers(&self) -> String {
        match (self.office.org, self.office.unit) {
            (None, Some(u)) => match self.lang {
                Lang::Vi => format!(
                    "MTTQ và các tổ chức chính trị - xã hội {}",
                    lower_first(&self.unit_name(u))
                ),
                Lang::En => format!("the Fatherland Front and the organisations of {}", self.unit_name(u)),
            },
            _ => self.office_name(),
        }
    }

    /// The office's reporter: its board (`office`) and its name.
    pub(super) fn office_reporter(&self) -> String {
        let name = self.office_name();
        let board = match (self.lang, &self.reporting.office_en) {
            // `STANDING BOARD` → `Standing Board`, as the lead's reporter says it.
            (Lang::En, Some(en)) => Some(
                en.split_whitespace()
                    .map(|w| capitalise(&w.to_lowercase()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => self.reporting.office.as_deref().map(office_case),
        };
        match (board, self.lang) {
            (Some(b), Lang::Vi) if b != BLANK => format!("{b} {name}"),
            (Some(b), Lang::En) if b != BLANK => format!("the {b} of the {name}"),
            (_, Lang::En) => format!("the {name}"),
            _ => name,
        }
    }

    /// Sentences on the office's part in the shared targets of these
    /// targets: `Hội Nông dân tỉnh Lào Cai đã thực hiện 13 cuộc, góp phần vào
    /// chỉ tiêu chung 102/234 cuộc của Đề án (giai đoạn 2021-2025).`
    pub(super) fn shared_lines(&self, targets: &[usize]) -> Vec<String> {
        let name = self.office_doers();
        // `the Farmers' Union, …` in English, once.
        let the_name = if name.starts_with("the ") {
            name.clone()
        } else {
            format!("the {name}")
        };
        let mut out = Vec::new();
        for s in &self.shared {
            let r = &s.result;
            // A target split by field is shown in the field table.
            if !targets.contains(&r.target)
                || r.field.is_some()
                || !(r.period.span.overlaps(self.scope.window) && r.period.span.start <= self.scope.as_of)
            {
                continue;
            }
            let Some(t) = self.plan.targets.get(r.target) else {
                continue;
            };
            let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
            let mine = match (s.mine, t.measure) {
                (None, _) => BLANK.to_owned(),
                (Some(m), Measure::Count | Measure::Completion) => self.n(m),
                (Some(m), Measure::Sum(_)) => self.figure_text(t, Some(Figure::Int(m))),
            };
            let whole = self.figure_text(t, r.actual);
            let req = self.figure_text(t, Some(r.required));
            let title = self.title(t);
            let when = self.period_words(r.period.label);
            let (mine, whole_req) = match t.measure {
                Measure::Sum(NumColumn::Cost) => (mine, format!("{whole}/{req}")),
                Measure::Completion => (
                    format!("{mine} {counter}"),
                    format!(
                        "{whole} ({req})",
                        req = self.in_lang("yêu cầu", "required").to_owned() + " " + &req
                    ),
                ),
                _ => (format!("{mine} {counter}"), format!("{whole}/{req} {counter}")),
            };
            let none = s.mine == Some(0) && matches!(t.measure, Measure::Count | Measure::Completion);
            out.push(match (self.lang, none) {
                (Lang::Vi, true) => format!(
                    "{title}: {name} chưa thực hiện {counter} nào; chỉ tiêu chung của Đề án đạt {whole_req} ({when})."
                ),
                (Lang::Vi, false) => format!(
                    "{title}: {name} đã thực hiện {mine}, góp phần vào chỉ tiêu chung {whole_req} của Đề án ({when})."
                ),
                (Lang::En, true) => format!(
                    "{title}: {the_name} did none; the shared target of the Scheme stands at {whole_req} ({when})."
                ),
                (Lang::En, false) => format!(
                    "{title}: {the_name} did {mine}, contributing to the shared target of the Scheme, {whole_req} ({when})."
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_drops_the_type_of_unit() {
        assert_eq!(place_of("Huyện Bát Xát"), "Bát Xát");
        assert_eq!(place_of("Thành phố Lào Cai"), "Lào Cai");
        assert_eq!(place_of("Thị xã Sa Pa"), "Sa Pa");
        assert_eq!(place_of("Lào Cai"), "Lào Cai");
    }
}
