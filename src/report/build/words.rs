//! Shared wording of a report draft: how the plan, the period, the
//! reporting office and its names are said in running text, and small
//! text helpers (case, punctuation of the `Nơi nhận` list, statuses in words).

use super::*;
use crate::period::WhichHalf::H1;

impl Builder<'_> {
    /// A count in running text: `05` in Vietnamese (the leading zero of
    /// administrative writing), `5` in English.
    pub(super) fn n(&self, n: u64) -> String {
        crate::wording::count(n, self.lang)
    }

    /// A date in running text: `11/12/2020`, `11 December 2020`.
    pub(super) fn prose_date(&self, d: NaiveDate) -> String {
        match self.lang {
            Lang::Vi => self.date(d),
            Lang::En => d.format("%-d %B %Y").to_string(),
        }
    }

    /// A target as the report names it: its title, or, for a target the
    /// plan gave no title, words made from its definition (never its id).
    pub(super) fn title(&self, t: &Target) -> String {
        if let (Lang::En, Some(en)) = (self.lang, &t.title_en) {
            return en.clone();
        }
        if t.title != t.id && !t.title.trim().is_empty() {
            return t.title.clone();
        }
        self.describe(t)
    }

    /// `Hội nghị đối thoại cấp huyện, mỗi tổ chức ở mỗi đơn vị từ 01 hội
    /// nghị mỗi năm`: a target's definition in words.
    pub(super) fn describe(&self, t: &Target) -> String {
        let kinds: Vec<String> = t
            .kinds
            .iter()
            .filter_map(|&k| self.plan.kinds.get(k))
            .map(|k| match (self.lang, &k.en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => k.name.clone(),
            })
            .collect();
        let mut out = kinds.join(", ");
        if let Some(levels) = &t.levels {
            let names: Vec<String> = levels.iter().map(|&l| self.level_name(l)).collect();
            out.push_str(&format!(" {}", names.join(", ")));
        }
        if let Some(orgs) = &t.orgs {
            let names: Vec<String> = orgs.iter().map(|&o| self.org_name(o)).collect();
            out.push_str(&format!(" ({})", names.join(", ")));
        }
        let each = match (self.lang, t.each.org, t.each.unit, t.each.field) {
            (Lang::Vi, true, true, _) => "mỗi tổ chức ở mỗi đơn vị ",
            (Lang::Vi, true, false, _) => "mỗi tổ chức ",
            (Lang::Vi, false, true, _) => "mỗi đơn vị ",
            (Lang::Vi, false, false, true) => "mỗi lĩnh vực ",
            (Lang::En, true, true, _) => "each organisation in each unit ",
            (Lang::En, true, false, _) => "each organisation ",
            (Lang::En, false, true, _) => "each unit ",
            (Lang::En, false, false, true) => "each field ",
            _ => "",
        };
        let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
        let per = match (self.lang, t.per) {
            (Lang::Vi, crate::period::Per::Year) => " mỗi năm",
            (Lang::Vi, crate::period::Per::Half) => " mỗi 6 tháng",
            (Lang::Vi, crate::period::Per::Term) => " trong giai đoạn",
            (Lang::En, crate::period::Per::Year) => " a year",
            (Lang::En, crate::period::Per::Half) => " a half-year",
            (Lang::En, crate::period::Per::Term) => " in the term",
        };
        let req = match (self.lang, t.requirement) {
            (Lang::Vi, crate::model::Requirement::Min(q)) => format!("từ {} {counter}{per}", self.n(q)),
            (Lang::Vi, crate::model::Requirement::Max(q)) => format!("không quá {}{per}", self.money_or_int(t, q)),
            (Lang::Vi, crate::model::Requirement::MinRatio(r)) => {
                format!("hoàn thành từ {} kế hoạch{per}", self.lang.percent(r))
            }
            (Lang::En, crate::model::Requirement::Min(q)) => format!("at least {} {counter}{per}", self.n(q)),
            (Lang::En, crate::model::Requirement::Max(q)) => format!("at most {}{per}", self.money_or_int(t, q)),
            (Lang::En, crate::model::Requirement::MinRatio(r)) => {
                format!("at least {} of the plan done{per}", self.lang.percent(r))
            }
        };
        format!("{}, {each}{req}", capitalise(out.trim()))
    }

    /// An amount of a target's measure: money in đồng, else a plain count.
    pub(super) fn money_or_int(&self, t: &Target, q: u64) -> String {
        self.figure_text(t, Some(Figure::Int(q)))
    }

    /// A period in running text: `năm 2023`, `giai đoạn 2021-2025`, `6
    /// tháng đầu năm 2023`; `2023`, `2021-2025`, `the first half of 2023`.
    pub(super) fn period_words(&self, label: crate::period::PeriodLabel) -> String {
        use crate::period::PeriodLabel as L;
        match (self.lang, label) {
            (Lang::Vi, L::Year(y)) => format!("năm {y}"),
            (Lang::Vi, L::Term { first, last }) if first == last => format!("năm {first}"),
            (Lang::Vi, L::Term { first, last }) => format!("giai đoạn {first}-{last}"),
            (Lang::Vi, L::Half(h)) => {
                format!("6 tháng {} năm {}", if h.half == H1 { "đầu" } else { "cuối" }, h.year)
            }
            (Lang::En, L::Half(h)) => {
                format!(
                    "the {} half of {}",
                    if h.half == H1 { "first" } else { "second" },
                    h.year
                )
            }
            (Lang::En, l) => l.to_string(),
        }
    }

    /// One line for a target over several periods: `{title} ({period}):
    /// {what}.` when every period says the same (`các năm 2021, 2022 và
    /// 2023`), else the periods in turn, `{title}: năm 2021, {what}; năm
    /// 2022, {what}.`
    pub(super) fn over_periods(&self, title: &str, parts: &[(crate::period::PeriodLabel, String)]) -> String {
        let mut groups: Vec<(Vec<crate::period::PeriodLabel>, &str)> = Vec::new();
        for (label, what) in parts {
            match groups.iter_mut().find(|(_, w)| *w == what.as_str()) {
                Some((labels, _)) => labels.push(*label),
                None => groups.push((vec![*label], what)),
            }
        }
        if let [(labels, what)] = groups.as_slice() {
            return format!("{title} ({}): {what}.", self.periods_words(labels));
        }
        // The appendix is pointed to once, at the end.
        let pointer = self.in_lang(" (chi tiết tại Phụ lục I)", " (listed in Appendix I)");
        let mut pointed = false;
        let said: Vec<String> = groups
            .iter()
            .map(|(labels, what)| {
                let what = match what.strip_suffix(pointer) {
                    Some(w) => {
                        pointed = true;
                        w
                    }
                    None => what,
                };
                match self.lang {
                    Lang::Vi => format!("{}, {what}", self.periods_words(labels)),
                    Lang::En => format!("in {}, {what}", self.periods_words(labels)),
                }
            })
            .collect();
        let end = match (pointed, self.lang) {
            (false, _) => "",
            (true, Lang::Vi) => "; chi tiết tại Phụ lục I",
            (true, Lang::En) => "; listed in Appendix I",
        };
        format!("{title}: {}{end}.", said.join("; "))
    }

    /// Several periods in running text: `năm 2021`, `các năm 2021, 2022 và
    /// 2023`, `2021, 2022 and 2023`.
    pub(super) fn periods_words(&self, labels: &[crate::period::PeriodLabel]) -> String {
        use crate::period::PeriodLabel as L;
        let years: Option<Vec<i32>> = labels
            .iter()
            .map(|l| match l {
                L::Year(y) => Some(*y),
                _ => None,
            })
            .collect();
        let and = self.in_lang(" và ", " and ");
        let join = |items: Vec<String>| match items.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
            _ => items.concat(),
        };
        match (years, self.lang) {
            (Some(ys), Lang::Vi) if ys.len() > 1 => {
                format!("các năm {}", join(ys.iter().map(i32::to_string).collect()))
            }
            (Some(ys), Lang::En) if ys.len() > 1 => join(ys.iter().map(i32::to_string).collect()),
            _ => join(labels.iter().map(|l| self.period_words(*l)).collect()),
        }
    }

    /// `08 cuộc giám sát`, `12 hội nghị đối thoại`: a count of a kind's
    /// activities with its counter word.
    pub(super) fn counted_kind(&self, k: usize, n: u64) -> String {
        let counter = self.counter(k);
        match self.lang {
            Lang::Vi => {
                let name = self.plan.kinds.get(k).map(|x| lower_first(&x.name)).unwrap_or_default();
                if name.starts_with(&counter) {
                    format!("{} {name}", self.n(n))
                } else {
                    format!("{} {counter} {name}", self.n(n))
                }
            }
            Lang::En => format!("{} ({})", self.kind_name(k), self.n(n)),
        }
    }

    /// A field as prose and tables name it: its short name if the plan
    /// gives one (`short`, `short_en`), else its full name, with a
    /// lower-case first letter; never its code.
    pub(super) fn field_name(&self, f: usize) -> String {
        let Some(x) = self.plan.fields.get(f) else {
            return String::new();
        };
        let name = match self.lang {
            Lang::Vi => x.short.as_deref().unwrap_or(&x.name),
            Lang::En => x
                .short_en
                .as_deref()
                .or(x.en.as_deref())
                .or(x.short.as_deref())
                .unwrap_or(&x.name),
        };
        lower_first(name)
    }

    /// An organisation's name in the draft's language (`en` when the plan
    /// gives one).
    pub(super) fn org_name(&self, o: usize) -> String {
        self.plan
            .orgs
            .get(o)
            .map(|x| match (self.lang, &x.en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => x.name.clone(),
            })
            .unwrap_or_default()
    }

    /// A unit's name in the draft's language.
    pub(super) fn unit_name(&self, u: usize) -> String {
        self.plan
            .units
            .get(u)
            .map(|x| match (self.lang, &x.en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => x.name.clone(),
            })
            .unwrap_or_default()
    }

    /// A level's name in running text: `cấp tỉnh`, `provincial level`.
    pub(super) fn level_name(&self, l: usize) -> String {
        self.plan
            .levels
            .get(l)
            .map(|x| match (self.lang, &x.en) {
                (Lang::En, Some(en)) => en.to_lowercase(),
                (Lang::En, None) => format!("{} level", x.code),
                _ => x.name.to_lowercase(),
            })
            .unwrap_or_default()
    }

    /// The issuer in the draft's language.
    pub(super) fn issuer(&self) -> String {
        match (self.lang, &self.plan.issuer_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => self.plan.issuer.clone(),
        }
    }

    /// `Tỉnh ủy` for `Tỉnh ủy Lào Cai` when the plan's place is Lào Cai: the
    /// report is written in the same province.
    pub(super) fn issuer_short(&self) -> String {
        let issuer = self.plan.issuer.trim();
        match &self.plan.place {
            Some(place) => issuer
                .strip_suffix(place.as_str())
                .map_or(issuer, str::trim_end)
                .to_owned(),
            None => issuer.to_owned(),
        }
    }

    /// `6 tháng đầu năm 2023`, `năm 2023`, `sơ kết giữa nhiệm kỳ`, `tổng kết`.
    pub(super) fn period_phrase(&self) -> String {
        match (self.scope.kind, self.lang) {
            (ReportKind::Half(h), Lang::Vi) => {
                format!("6 tháng {} năm {}", if h.half == H1 { "đầu" } else { "cuối" }, h.year)
            }
            (ReportKind::Half(h), Lang::En) => {
                format!(
                    "in the {} half of {}",
                    if h.half == H1 { "first" } else { "second" },
                    h.year
                )
            }
            (ReportKind::Year(y), Lang::Vi) => format!("năm {y}"),
            (ReportKind::Year(y), Lang::En) => format!("in {y}"),
            (ReportKind::Midterm(_), Lang::Vi) => "sơ kết giữa nhiệm kỳ".to_owned(),
            (ReportKind::Midterm(_), Lang::En) => "mid-term review".to_owned(),
            (ReportKind::Final(_), Lang::Vi) => "tổng kết".to_owned(),
            (ReportKind::Final(_), Lang::En) => "final review".to_owned(),
        }
    }

    /// What the report is, after "báo cáo" and as its title (capitalised):
    /// `kết quả thực hiện {plan} 6 tháng đầu năm 2023`, `kết quả sơ kết giữa
    /// nhiệm kỳ thực hiện {plan}`, `kết quả tổng kết thực hiện {plan}`.
    pub(super) fn report_of(&self, plan: &str) -> String {
        match (self.scope.kind, self.lang) {
            (ReportKind::Half(_) | ReportKind::Year(_), Lang::Vi) => {
                format!("kết quả thực hiện {plan} {}", self.period_phrase())
            }
            (ReportKind::Midterm(_) | ReportKind::Final(_), Lang::Vi) => {
                format!("kết quả {} thực hiện {plan}", self.period_phrase())
            }
            (ReportKind::Half(_) | ReportKind::Year(_), Lang::En) => {
                format!("implementation of {plan} {}", self.period_phrase())
            }
            (ReportKind::Midterm(_) | ReportKind::Final(_), Lang::En) => {
                format!("{} of the implementation of {plan}", self.period_phrase())
            }
        }
    }

    /// `Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy`: the issuer shortened
    /// by the plan's place in titles (`short`), in full in the text.
    pub(super) fn plan_ref(&self, short: bool) -> String {
        let issued = self.plan.issued.map(|d| self.prose_date(d));
        // A plan without an issuer (optional to `check`) leaves a blank to fill.
        let blank = |s: String| if s.trim().is_empty() { "...".to_owned() } else { s };
        let full = blank(self.issuer());
        let vi = if short {
            blank(self.issuer_short())
        } else {
            full.clone()
        };
        let number = &self.plan.number;
        match (self.lang, issued) {
            (Lang::Vi, Some(d)) => format!("Đề án số {number} ngày {d} của {vi}"),
            (Lang::Vi, None) => format!("Đề án số {number} của {vi}"),
            (Lang::En, Some(d)) => format!("Scheme No. {number} of {d} of the {full}"),
            (Lang::En, None) => format!("Scheme No. {number} of the {full}"),
        }
    }

    pub(super) fn reporter(&self) -> String {
        if !self.office.is_all() {
            return self.office_reporter();
        }
        let lead = self.plan.lead.map(|l| self.org_name(l));
        let r = &self.plan.reporting;
        let office = match (self.lang, &r.office_en) {
            // `STANDING BOARD` → `Standing Board`.
            (Lang::En, Some(en)) => Some(
                en.split_whitespace()
                    .map(|w| capitalise(&w.to_lowercase()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => r.office.as_deref().map(office_case),
        };
        let top = self
            .plan
            .units
            .iter()
            .position(|u| self.top_unit().is_some_and(|t| std::ptr::eq(t, u)));
        // `Ủy ban MTTQ Việt Nam` + `tỉnh Lào Cai`: the lead reports at the top level.
        let lead = lead.map(|l| match (top, self.lang) {
            (Some(u), Lang::Vi) => format!("{l} {}", lower_first(&self.unit_name(u))),
            (Some(u), Lang::En) => format!("{l}, {}", self.unit_name(u)),
            (None, _) => l,
        });
        if self.lang == Lang::En {
            return match (office, lead) {
                (Some(o), Some(l)) => format!("the {o} of the {l}"),
                (None, Some(l)) => format!("the {l}"),
                (Some(o), None) => format!("the {o}"),
                (None, None) => "the lead agency".to_owned(),
            };
        }
        match (office, lead) {
            (Some(o), Some(l)) => format!("{o} {l}"),
            (None, Some(l)) => l,
            (Some(o), None) => o,
            (None, None) => self.in_lang("Cơ quan chủ trì", "The lead agency").to_owned(),
        }
    }

    /// The one unit of the first level (the province), if there is one.
    pub(super) fn top_unit(&self) -> Option<&crate::model::Unit> {
        let mut top = self.plan.units.iter().filter(|u| u.level == 0);
        match (top.next(), top.next()) {
            (Some(u), None) => Some(u),
            _ => None,
        }
    }
}

/// An office name from its upper-case header line, as Nghị định 30/2020
/// writes it in running text: the type of body and the word after it
/// capitalised, `BAN THƯỜNG TRỰC` → `Ban Thường trực`, `VĂN PHÒNG` →
/// `Văn phòng`. (`Ban` is the one type of body whose next word names it.)
pub(super) fn office_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut words = lower.split_whitespace();
    let mut out = Vec::new();
    if let Some(first) = words.next() {
        out.push(capitalise(first));
        if first == "ban" {
            out.extend(words.next().map(capitalise));
        }
    }
    out.extend(words.map(str::to_owned));
    out.join(" ")
}

/// The `Nơi nhận` list as Nghị định 30/2020 writes it: each line ends with
/// `;`, the last with `.` (unless the plan already wrote the punctuation).
pub(super) fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let last = recipients.len().saturating_sub(1);
    recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r = r.trim_end();
            match r.chars().last() {
                Some(';' | '.' | ',' | ':') => r.to_owned(),
                _ if i == last => format!("{r}."),
                _ => format!("{r};"),
            }
        })
        .collect()
}

/// The first letter in upper case.
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first letter in lower case: `Tỉnh Lào Cai` → `tỉnh Lào Cai`, as a
/// unit's name reads after an organisation's.
pub(super) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_names_read_as_in_running_text() {
        assert_eq!(office_case("BAN THƯỜNG TRỰC"), "Ban Thường trực");
        assert_eq!(office_case("BAN DÂN VẬN"), "Ban Dân vận");
        assert_eq!(office_case("VĂN PHÒNG"), "Văn phòng");
        assert_eq!(office_case("  "), "");
    }

    #[test]
    fn recipients_end_with_semicolons_and_a_full_stop() {
        let lines = |v: &[&str]| recipient_lines(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            lines(&["Thường trực Tỉnh ủy (để b/c)", "Lưu: VT"]),
            vec!["Thường trực Tỉnh ủy (để b/c);", "Lưu: VT."]
        );
        // What the plan already punctuated is kept as written.
        assert_eq!(lines(&["A;", "Lưu: VT."]), vec!["A;", "Lưu: VT."]);
        assert_eq!(lines(&["Lưu: VT"]), vec!["Lưu: VT."]);
    }

    #[test]
    fn unit_names_follow_an_organisation_in_lower_case() {
        assert_eq!(lower_first("Tỉnh Lào Cai"), "tỉnh Lào Cai");
        assert_eq!(lower_first("Ủy ban"), "ủy ban");
        assert_eq!(capitalise("kết quả"), "Kết quả");
    }
}
