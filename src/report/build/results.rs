//! Section II of a report draft: results by activity kind (what was done in
//! the period, by level, organisation and field, recommendations, standing
//! against each target, representative activities) and the items of targets
//! over several kinds (budget).

use super::judge::{Ahead, Verdict, Why, verdict};
use super::*;

impl Builder<'_> {
    pub(super) fn results(&mut self, acts: &Activities) {
        let h = self.in_lang("KẾT QUẢ THỰC HIỆN", "RESULTS");
        self.heading(1, format!("{}. {h}", roman(1)));
        let mut n = 0;
        let mut k = 0;
        while k < self.plan.kinds.len() {
            n += 1;
            let Some(group) = self.group_name(k) else {
                let name = self.kind_name(k);
                self.kind_section((2, format!("{n}. {name}")), k, acts);
                k += 1;
                continue;
            };
            // Kinds of one heading of the Đề án, next to each other in the
            // plan: items a), b), c) under it.
            self.heading(2, format!("{n}. {group}"));
            let letters = self.in_lang("abcdđeghiklmnopqrstuvxy", "abcdefghijklmnopqrstuvwxyz");
            let mut letter = letters.chars();
            while k < self.plan.kinds.len() && self.group_name(k).as_deref() == Some(group.as_str()) {
                let name = self.kind_name(k);
                let label = letter.next().map_or(String::new(), |c| format!("{c}) "));
                self.kind_section((3, format!("{label}{name}")), k, acts);
                k += 1;
            }
        }
        // Targets over several kinds (e.g. the budget) get their own items.
        let multi: Vec<usize> = (0..self.plan.targets.len())
            .filter(|&i| self.plan.targets.get(i).is_some_and(|t| t.kinds.len() > 1))
            .collect();
        for ti in multi {
            n += 1;
            self.multi_kind_section(n, ti);
        }
    }

    /// A kind's name as a heading says it.
    pub(super) fn kind_name(&self, k: usize) -> String {
        let Some(kind) = self.plan.kinds.get(k) else {
            return String::new();
        };
        match (self.lang, &kind.en) {
            (Lang::Vi, _) => kind.name.clone(),
            (Lang::En, Some(en)) => en.clone(),
            // Without an English name, the code read as words
            // (`study-visit` → `Study visit`) heads the English section.
            (Lang::En, None) => capitalise(&kind.code.replace(['-', '_'], " ")),
        }
    }

    /// The heading of the Đề án a kind is reported under, if the plan gives one.
    pub(super) fn group_name(&self, k: usize) -> Option<String> {
        let kind = self.plan.kinds.get(k)?;
        match (self.lang, &kind.group_en) {
            (Lang::En, Some(en)) => Some(en.clone()),
            _ => kind.group.clone(),
        }
    }

    pub(super) fn kind_section(&mut self, (level, heading): (u8, String), k: usize, acts: &Activities) {
        let Some(kind) = self.plan.kinds.get(k) else { return };
        let field = kind.field;
        self.heading(level, heading);
        let counter = self.counter(k);
        let tally = self.window(0).and_then(|w| w.kinds.get(k)).cloned().unwrap_or_default();
        self.period_counts(&tally, &counter);
        if field {
            self.field_table(k);
        }
        self.recommendations(k, &tally, acts);
        // Cumulative against each single-kind target of this kind.
        let targets: Vec<usize> = (0..self.plan.targets.len())
            .filter(|&i| self.plan.targets.get(i).is_some_and(|t| t.kinds == [k]))
            .collect();
        let mut lines: Vec<String> = targets.iter().flat_map(|&ti| self.target_lines(ti)).collect();
        lines.extend(self.shared_lines(&targets));
        if !lines.is_empty() {
            let lead = match self.lang {
                Lang::Vi => format!(
                    "Lũy kế đến ngày {}, kết quả so với chỉ tiêu của Đề án như sau:",
                    self.prose_date(self.scope.as_of)
                ),
                Lang::En => format!(
                    "Against the targets of the Scheme, as of {}:",
                    self.prose_date(self.scope.as_of)
                ),
            };
            self.para(lead);
            for line in lines {
                self.bullet(line);
            }
        }
        let units = &self.plan.units;
        let level = |a: &Activity| units.get(a.unit).map_or(0, |u| u.level);
        let picked = representative(acts.candidates(k), level, MAX_TITLES);
        if !picked.is_empty() {
            let lead = self
                .in_lang(
                    "Một số hoạt động tiêu biểu trong kỳ:",
                    "Notable activities of the period:",
                )
                .to_owned();
            self.para(lead);
            for a in picked {
                let line = self.activity_line(a);
                self.bullet(line);
            }
        }
    }

    /// `Hội Nông dân huyện Văn Bàn` (an organisation with its unit).
    pub(super) fn org_unit(&self, org: usize, unit: usize) -> String {
        let (org, unit) = (self.org_name(org), self.unit_name(unit));
        match self.lang {
            Lang::Vi => format!("{org} {}", lower_first(&unit)),
            Lang::En => format!("{org}, {unit}"),
        }
    }

    /// `Hội Nông dân huyện Văn Bàn: Giám sát ... (ngày 21/03/2023); đưa ra
    /// 05 kiến nghị, đã được giải quyết 03 kiến nghị; 120 lượt người tham gia.`
    pub(super) fn activity_line(&self, a: &Activity) -> String {
        let who = self.org_unit(a.org, a.unit);
        let mut text = match self.lang {
            Lang::Vi => format!("{who}: {} (ngày {})", a.title, self.prose_date(a.date)),
            Lang::En => format!("{who}: {} ({})", a.title, self.prose_date(a.date)),
        };
        let mut what = Vec::new();
        if a.recommendations > 0 {
            what.push(match self.lang {
                Lang::Vi => format!(
                    "đưa ra {} kiến nghị, đã được tiếp thu, giải quyết {} kiến nghị",
                    self.n(a.recommendations),
                    self.n(a.resolved)
                ),
                Lang::En => format!(
                    "{} recommendations made, {} acted on",
                    self.n(a.recommendations),
                    self.n(a.resolved)
                ),
            });
        }
        if a.participants > 0 {
            what.push(match self.lang {
                Lang::Vi => format!("có {} lượt người tham gia", self.int(a.participants)),
                Lang::En => format!("{} participants", self.int(a.participants)),
            });
        }
        if !what.is_empty() {
            text.push_str("; ");
            text.push_str(&what.join("; "));
        }
        text.push('.');
        text
    }

    pub(super) fn period_counts(&mut self, t: &KindTally, counter: &str) {
        let lang = self.lang;
        let planned = t.planned();
        if planned == 0 {
            let text = match lang {
                Lang::Vi => format!("Trong kỳ chưa tổ chức {counter} nào."),
                Lang::En => "No such activity took place in the period.".to_owned(),
            };
            self.para(text);
            return;
        }
        let pct = lang.percent(t.done as f64 / planned as f64);
        // Levels with nothing done are left out of `trong đó ...` (a level
        // may have no part in a kind), levels that have ended are said so.
        let levels: Vec<String> = self
            .plan
            .levels
            .iter()
            .zip(&t.by_level)
            .enumerate()
            .filter(|(li, (_, n))| **n > 0 || self.level_ended(*li).is_some())
            .map(|(li, (_, n))| match (lang, self.level_ended(li)) {
                (Lang::Vi, Some(d)) => format!(
                    "{} đã kết thúc hoạt động từ ngày {}",
                    self.level_name(li),
                    self.prose_date(d)
                ),
                (Lang::En, Some(d)) => {
                    format!("the {} ceased operation on {}", self.level_name(li), self.prose_date(d))
                }
                (Lang::Vi, None) => format!("{} {} {counter}", self.level_name(li), self.n(*n)),
                (Lang::En, None) => format!("{} at {}", self.n(*n), self.level_name(li)),
            })
            .collect();
        let of_which = match (lang, levels.is_empty()) {
            (_, true) => String::new(),
            (Lang::Vi, false) => format!(", trong đó {}", levels.join(", ")),
            (Lang::En, false) => format!(": {}", levels.join(", ")),
        };
        let who = if self.office.is_all() {
            "MTTQ và các tổ chức chính trị - xã hội các cấp".to_owned()
        } else {
            self.office_doers()
        };
        let mut text = match lang {
            Lang::Vi => format!(
                "Trong kỳ, {who} đã thực hiện {}/{} {counter} theo kế hoạch, đạt {pct}{of_which}",
                self.n(t.done),
                self.n(planned),
            ),
            Lang::En => format!(
                "In the period, {} of the {} planned activities were carried out ({pct}){of_which}",
                self.n(t.done),
                self.n(planned),
            ),
        };
        let mut dropped = Vec::new();
        if t.postponed > 0 {
            dropped.push(match lang {
                Lang::Vi => format!("{} {counter} phải hoãn", self.n(t.postponed)),
                Lang::En => format!("{} postponed", self.n(t.postponed)),
            });
        }
        if t.cancelled > 0 {
            dropped.push(match lang {
                Lang::Vi => format!("{} {counter} bị hủy", self.n(t.cancelled)),
                Lang::En => format!("{} cancelled", self.n(t.cancelled)),
            });
        }
        if !dropped.is_empty() {
            text.push_str("; ");
            text.push_str(&dropped.join(", "));
        }
        text.push('.');
        self.para(text);
        let by_org: Vec<String> = self
            .plan
            .orgs
            .iter()
            .zip(&t.by_org)
            .enumerate()
            .filter(|(_, (_, n))| **n > 0)
            .map(|(oi, (_, n))| match lang {
                Lang::Vi => format!("{} {} {counter}", self.org_name(oi), self.n(*n)),
                Lang::En => format!("{} {}", self.org_name(oi), self.n(*n)),
            })
            .collect();
        if !by_org.is_empty() {
            let text = match lang {
                Lang::Vi => format!("Theo tổ chức chủ trì: {}.", by_org.join("; ")),
                Lang::En => format!("By organisation: {}.", by_org.join("; ")),
            };
            self.para(text);
        }
        if t.sum(NumColumn::Participants) > 0 {
            let n = self.int(t.sum(NumColumn::Participants));
            let text = match lang {
                Lang::Vi => format!("Các hoạt động trong kỳ có {n} lượt người tham gia."),
                Lang::En => format!("The period's activities had {n} participants."),
            };
            self.para(text);
        }
    }

    /// The day after the last unit of a level ended, when every unit of
    /// the level had ended before the reported period began (the district
    /// level in the second half of 2025).
    pub(super) fn level_ended(&self, level: usize) -> Option<NaiveDate> {
        let units: Vec<&crate::model::Unit> = self.plan.units.iter().filter(|u| u.level == level).collect();
        let mut last = None;
        for u in &units {
            let until = u.until.filter(|d| *d < self.scope.window.start)?;
            last = last.max(Some(until));
        }
        last.and_then(|d| d.succ_opt())
    }

    pub(super) fn field_table(&mut self, k: usize) {
        let (Some(w0), Some(w1)) = (self.window(0), self.window(1)) else {
            return;
        };
        let (Some(p), Some(c)) = (w0.kinds.get(k), w1.kinds.get(k)) else {
            return;
        };
        let rows: Vec<Vec<String>> = self
            .plan
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    match (self.lang, &f.en, &f.short_en) {
                        (Lang::En, Some(en), _) | (Lang::En, None, Some(en)) => en.clone(),
                        _ => f.name.clone(),
                    },
                    self.int(p.by_field.get(i).copied().unwrap_or(0)),
                    self.int(c.by_field.get(i).copied().unwrap_or(0)),
                ]
            })
            .collect();
        let counter = self.counter(k);
        let lead = match self.lang {
            Lang::Vi => format!("Số {counter} theo nội dung, lĩnh vực:"),
            Lang::En => "By field:".to_owned(),
        };
        self.para(lead);
        let header = match self.lang {
            Lang::Vi => ["TT", "Nội dung, lĩnh vực", "Trong kỳ", "Lũy kế"],
            Lang::En => ["No.", "Field", "Period", "Cumulative"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Center, Align::Left, Align::Right, Align::Right],
            widths: vec![2, 16, 3, 4],
        });
    }

    /// Recommendations made in the period and how many were acted on, in
    /// all and by level and organisation.
    pub(super) fn recommendations(&mut self, k: usize, t: &KindTally, acts: &Activities) {
        let made = t.sum(NumColumn::Recommendations);
        if made == 0 {
            return;
        }
        let resolved = t.sum(NumColumn::Resolved);
        let open = made.saturating_sub(resolved);
        let pct = self.lang.percent(resolved as f64 / made as f64);
        let mut text = match self.lang {
            Lang::Vi => format!(
                "Qua các hoạt động trong kỳ đã đưa ra {} kiến nghị; đến nay đã được tiếp thu, giải quyết {}/{} kiến nghị, đạt {pct}",
                self.n(made),
                self.n(resolved),
                self.n(made)
            ),
            Lang::En => format!(
                "The period's activities made {} recommendations; {} of them have been accepted and acted on so far ({pct})",
                self.n(made),
                self.n(resolved),
            ),
        };
        if open > 0 {
            text.push_str(&match self.lang {
                Lang::Vi => format!(
                    "; còn {} kiến nghị đang được theo dõi, đôn đốc giải quyết",
                    self.n(open)
                ),
                Lang::En => format!("; {} are still being followed up", self.n(open)),
            });
        }
        text.push('.');
        self.para(text);
        // By level and organisation: who made them, and how many are open.
        let mut groups: Vec<((usize, usize), (u64, u64))> = Vec::new();
        for (org, unit, made, acted) in acts.recommendations(k) {
            let level = self.plan.units.get(unit).map_or(0, |u| u.level);
            match groups.iter_mut().find(|(key, _)| *key == (level, org)) {
                Some((_, (m, r))) => {
                    *m += made;
                    *r += acted;
                }
                None => groups.push(((level, org), (made, acted))),
            }
        }
        groups.sort_unstable();
        let parts: Vec<String> = groups
            .iter()
            .map(|((level, org), (m, r))| {
                let level = self.level_name(*level);
                let org = self.org_name(*org);
                match self.lang {
                    Lang::Vi => format!("{org} {level} {}/{} kiến nghị", self.n(*r), self.n(*m)),
                    Lang::En => format!("{org} ({level}) {}/{}", self.n(*r), self.n(*m)),
                }
            })
            .collect();
        if parts.len() > 1 {
            let text = match self.lang {
                Lang::Vi => format!(
                    "Kết quả tiếp thu, giải quyết theo tổ chức và cấp: {}.",
                    parts.join("; ")
                ),
                Lang::En => format!("Acted on, by organisation and level: {}.", parts.join("; ")),
            };
            self.para(text);
        }
    }

    /// One line for a target over the periods: a single instance in a
    /// sentence, several as counts by verdict.
    pub(super) fn target_lines(&self, ti: usize) -> Vec<String> {
        let Some(t) = self.plan.targets.get(ti) else {
            return Vec::new();
        };
        let results = self.relevant(ti);
        let mut labels: Vec<crate::period::PeriodLabel> = Vec::new();
        for r in &results {
            if !labels.contains(&r.period.label) {
                labels.push(r.period.label);
            }
        }
        let title = self.title(t);
        let parts: Vec<(crate::period::PeriodLabel, String)> = labels
            .into_iter()
            .map(|label| {
                let of: Vec<&TargetResult> = results.iter().copied().filter(|r| r.period.label == label).collect();
                let body = match of.as_slice() {
                    [one] => self.one_result(t, one),
                    many => self.verdict_counts(t, many),
                };
                (label, body)
            })
            .collect();
        if parts.is_empty() {
            return Vec::new();
        }
        vec![self.over_periods(&title, &parts)]
    }

    /// One result in a sentence, its standing said in words:
    /// `đã thực hiện 102/234 cuộc, đạt 43,6%, chậm so với tiến độ (theo
    /// tiến độ cần đạt 110 cuộc)`.
    pub(super) fn one_result(&self, t: &Target, r: &TargetResult) -> String {
        let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
        let req = self.figure_text(t, Some(r.required));
        let act = self.figure_text(t, r.actual);
        let pct = self.percent_words(r);
        let v = verdict(t, r, self.scope.as_of);
        let standing = self.standing(t, r, v);
        if v == Verdict::NotYet {
            return standing;
        }
        match (t.measure, self.lang) {
            (Measure::Completion, Lang::Vi) => {
                format!("tỷ lệ hoàn thành kế hoạch {act} (yêu cầu {req}), {standing}")
            }
            (Measure::Completion, Lang::En) => format!("{act} of the plan done (required {req}), {standing}"),
            (Measure::Sum(NumColumn::Cost), Lang::Vi) => {
                format!("đã sử dụng {act}, bằng {pct} mức {req}, {standing}")
            }
            (Measure::Sum(NumColumn::Cost), Lang::En) => format!("{act} spent, {pct} of {req}, {standing}"),
            (_, Lang::Vi) => {
                let unit = if t.measure == Measure::Count {
                    counter.as_str()
                } else {
                    ""
                };
                format!(
                    "đã thực hiện {}/{} {unit}, đạt {pct}, {standing}",
                    self.n_fig(r.actual),
                    self.n_fig(Some(r.required))
                )
                .replace("  ", " ")
            }
            (_, Lang::En) => format!(
                "{} of {} done ({pct}), {standing}",
                self.n_fig(r.actual),
                self.n_fig(Some(r.required))
            ),
        }
    }

    /// A count figure in running text (leading zero below ten).
    fn n_fig(&self, f: Option<Figure>) -> String {
        match f {
            Some(Figure::Int(n)) => self.n(n),
            f => crate::wording::figure(f, self.lang),
        }
    }

    /// A percentage of the requirement, with ratios far above it said as a
    /// multiple: `51,7%`, `gấp 15 lần`.
    pub(super) fn percent_words(&self, r: &TargetResult) -> String {
        match r.ratio() {
            Some(x) if x >= 3.0 => match self.lang {
                Lang::Vi => format!("gấp {} lần", self.lang.int(x.floor() as u64)),
                Lang::En => format!("{} times", self.lang.int(x.floor() as u64)),
            },
            _ => crate::wording::percent(r, self.lang),
        }
    }

    /// A result's standing in words: `đã đạt chỉ tiêu`, `vượt tiến độ`,
    /// `đúng tiến độ`, `chậm so với tiến độ (theo tiến độ cần đạt 110
    /// cuộc)`, `không đạt`, `vượt mức cho phép`.
    pub(super) fn standing(&self, t: &Target, r: &TargetResult, v: Verdict) -> String {
        let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
        let pace = |e: u64| match self.lang {
            Lang::Vi => format!(" (theo tiến độ cần đạt {} {counter})", self.n(e)),
            Lang::En => format!(" (the pace asks for {})", self.n(e)),
        };
        let vi_en = |vi: &str, en: &str| self.in_lang(vi, en).to_owned();
        match v {
            Verdict::Strength(Ahead::Met) => vi_en("đã đạt chỉ tiêu", "the target is met"),
            Verdict::Strength(Ahead::AheadOfPace) => {
                vi_en("vượt tiến độ đề ra", "ahead of the pace") + &r.expected.map(pace).unwrap_or_default()
            }
            Verdict::Neutral if r.status == Status::Within => {
                vi_en("trong phạm vi mức được duyệt", "within the approved amount")
            }
            Verdict::Neutral if r.status == Status::NotApplicable => {
                vi_en("chưa có hoạt động theo kế hoạch", "nothing was scheduled")
            }
            Verdict::Neutral => vi_en("đúng tiến độ đề ra", "on pace"),
            Verdict::Shortcoming(Why::Nothing) => match r.status {
                Status::Missed => vi_en("không đạt chỉ tiêu", "the target was missed"),
                _ => vi_en("chưa thực hiện", "nothing done yet"),
            },
            Verdict::Shortcoming(Why::Behind) => {
                vi_en("chậm so với tiến độ", "behind the pace") + &r.expected.map(pace).unwrap_or_default()
            }
            Verdict::Shortcoming(Why::Missed) => vi_en("không đạt chỉ tiêu", "the target was missed"),
            Verdict::Shortcoming(Why::Over) => vi_en("vượt mức cho phép", "over the limit"),
            Verdict::NotYet => match t.days.last_admitted(r.period.span) {
                Some(by) => match self.lang {
                    Lang::Vi => format!(
                        "chưa đến thời gian thực hiện (hạn chậm nhất ngày {})",
                        self.prose_date(by)
                    ),
                    Lang::En => format!("not yet due (due by {})", self.prose_date(by)),
                },
                None => vi_en("chưa đến thời gian thực hiện", "not yet due"),
            },
        }
    }

    /// `16/54 tổ chức đã đạt chỉ tiêu, 38 tổ chức chưa thực hiện`: the
    /// instances of a target in one period, counted by verdict.
    pub(super) fn verdict_counts(&self, t: &Target, results: &[&TargetResult]) -> String {
        let total = results.len() as u64;
        let noun = self.instance_noun(t);
        let mut groups: Vec<(Verdict, u64)> = Vec::new();
        for r in results {
            let v = verdict(t, r, self.scope.as_of);
            let v = match v {
                // Counted together: "behind" says enough here.
                // A period over with nothing done is a target missed, not one
                // "not yet" carried out.
                Verdict::Shortcoming(Why::Behind | Why::Missed | Why::Nothing) if r.status == Status::Missed => {
                    Verdict::Shortcoming(Why::Missed)
                }
                v => v,
            };
            match groups.iter_mut().find(|(g, _)| *g == v) {
                Some((_, n)) => *n += 1,
                None => groups.push((v, 1)),
            }
        }
        groups.sort();
        let words = |v: Verdict| -> &str {
            match (self.lang, v) {
                (Lang::Vi, Verdict::Strength(Ahead::Met)) => "đã đạt chỉ tiêu",
                (Lang::Vi, Verdict::Strength(Ahead::AheadOfPace)) => "vượt tiến độ",
                (Lang::Vi, Verdict::Neutral) => "đúng tiến độ",
                (Lang::Vi, Verdict::Shortcoming(Why::Nothing)) => "chưa thực hiện",
                (Lang::Vi, Verdict::Shortcoming(Why::Behind)) => "chậm tiến độ",
                (Lang::Vi, Verdict::Shortcoming(Why::Missed)) => "không đạt",
                (Lang::Vi, Verdict::Shortcoming(Why::Over)) => "vượt mức cho phép",
                (Lang::Vi, Verdict::NotYet) => "chưa đến kỳ thực hiện",
                (Lang::En, Verdict::Strength(Ahead::Met)) => "met",
                (Lang::En, Verdict::Strength(Ahead::AheadOfPace)) => "ahead of the pace",
                (Lang::En, Verdict::Neutral) => "on pace",
                (Lang::En, Verdict::Shortcoming(Why::Nothing)) => "with nothing done yet",
                (Lang::En, Verdict::Shortcoming(Why::Behind)) => "behind",
                (Lang::En, Verdict::Shortcoming(Why::Missed)) => "missed",
                (Lang::En, Verdict::Shortcoming(Why::Over)) => "over the limit",
                (Lang::En, Verdict::NotYet) => "not yet due",
            }
        };
        let parts: Vec<String> = groups
            .iter()
            .enumerate()
            .map(|(i, (v, n))| match (self.lang, i) {
                (Lang::Vi, 0) => format!("{}/{} {noun} {}", self.n(*n), self.n(total), words(*v)),
                (Lang::Vi, _) => format!("{} {noun} {}", self.n(*n), words(*v)),
                (Lang::En, 0) => format!("{} of {} {noun} {}", self.n(*n), self.n(total), words(*v)),
                (Lang::En, _) => format!("{} {}", self.n(*n), words(*v)),
            })
            .collect();
        parts.join(", ")
    }

    /// The word for one instance of a target: `tổ chức`, `đơn vị`, `lĩnh
    /// vực`; `organisations`, `units`, `fields`.
    pub(super) fn instance_noun(&self, t: &Target) -> &'static str {
        match (self.lang, t.each.org, t.each.unit, t.each.field) {
            (Lang::Vi, true, _, _) => "tổ chức",
            (Lang::Vi, false, true, _) => "đơn vị",
            (Lang::Vi, false, false, true) => "lĩnh vực",
            (Lang::Vi, ..) => "kỳ",
            (Lang::En, true, _, _) => "organisations",
            (Lang::En, false, true, _) => "units",
            (Lang::En, false, false, true) => "fields",
            (Lang::En, ..) => "periods",
        }
    }

    /// A result's scope as the report names it: `Hội Nông dân huyện Bát
    /// Xát`, `lĩnh vực giám sát ...` (the field's name, never its code);
    /// empty for a target without `each`.
    pub(super) fn named_scope(&self, r: &TargetResult) -> String {
        let mut parts = Vec::new();
        match (r.org, r.unit) {
            (Some(o), Some(u)) => parts.push(self.org_unit(o, u)),
            (Some(o), None) => parts.push(self.org_name(o)),
            (None, Some(u)) => parts.push(self.unit_name(u)),
            (None, None) => {}
        }
        if let Some(f) = r.field {
            parts.push(match self.lang {
                Lang::Vi => format!("lĩnh vực “{}”", self.field_name(f)),
                Lang::En => format!("the field “{}”", self.field_name(f)),
            });
        }
        parts.join(", ")
    }

    pub(super) fn multi_kind_section(&mut self, n: usize, ti: usize) {
        let Some(t) = self.plan.targets.get(ti) else { return };
        let title = if t.measure == Measure::Sum(NumColumn::Cost) {
            self.in_lang("Kinh phí", "Budget").to_owned()
        } else {
            self.title(t)
        };
        self.heading(2, format!("{n}. {title}"));
        if t.measure == Measure::Sum(NumColumn::Cost) {
            self.budget(t, ti);
            return;
        }
        for line in self.target_lines(ti).into_iter().chain(self.shared_lines(&[ti])) {
            self.bullet(line);
        }
    }

    /// Budget use stated as a fact: spent in the period, spent since the
    /// start against the whole amount, and how much of the term has passed.
    fn budget(&mut self, t: &Target, ti: usize) {
        let spent = |w: Option<&WindowTally>| -> u64 {
            w.map_or(0, |w| {
                w.kinds
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| t.kinds.contains(k))
                    .map(|(_, kt)| kt.sum(NumColumn::Cost))
                    .fold(0, u64::saturating_add)
            })
        };
        let in_period = self.figure_text(t, Some(Figure::Int(spent(self.window(0)))));
        let text = match self.lang {
            Lang::Vi => format!("Trong kỳ đã sử dụng {in_period} kinh phí cho các hoạt động của Đề án."),
            Lang::En => format!("{in_period} was spent on the Scheme's activities in the period."),
        };
        self.para(text);
        let term = self.plan.term;
        let elapsed = (self.scope.as_of.min(term.end) - term.start).num_days() + 1;
        let passed = self.lang.percent(elapsed.max(0) as f64 / term.days().max(1) as f64);
        let mut texts = Vec::new();
        for r in self.relevant(ti) {
            let act = self.figure_text(t, r.actual);
            let req = self.figure_text(t, Some(r.required));
            let pct = crate::wording::percent(r, self.lang);
            let from = self.prose_date(r.period.span.start);
            let to = self.prose_date(self.scope.as_of);
            let over = r.status == Status::Over;
            let text = match (self.lang, over) {
                (Lang::Vi, false) => format!(
                    "Lũy kế từ ngày {from} đến ngày {to} đã sử dụng {act}, bằng {pct} tổng nhu cầu vốn của Đề án ({req}); thời gian thực hiện Đề án đã qua {passed}."
                ),
                (Lang::Vi, true) => format!(
                    "Lũy kế từ ngày {from} đến ngày {to} đã sử dụng {act}, vượt tổng nhu cầu vốn của Đề án ({req}), bằng {pct}."
                ),
                (Lang::En, false) => format!(
                    "From {from} to {to}, {act} was spent: {pct} of the Scheme's budget of {req}, with {passed} of the term passed."
                ),
                (Lang::En, true) => {
                    format!("From {from} to {to}, {act} was spent: over the Scheme's budget of {req} ({pct}).")
                }
            };
            texts.push(text);
        }
        for text in texts {
            self.para(text);
        }
    }
}

/// Up to `max` activities that show what the period achieved: those that
/// made the most recommendations, then drew the most participants; taken in
/// turn from each level, one per organisation while possible, then the next
/// best; listed by date.
pub(super) fn representative<'a>(
    acts: impl Iterator<Item = &'a Activity>,
    level: impl Fn(&Activity) -> usize,
    max: usize,
) -> Vec<&'a Activity> {
    let mut ranked: Vec<&Activity> = acts.collect();
    ranked.sort_by(|a, b| super::activities::by_achievement(a, b));
    let mut levels: Vec<usize> = ranked.iter().map(|a| level(a)).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut picked: Vec<&Activity> = Vec::new();
    let taken = |picked: &[&Activity], a: &Activity| picked.iter().any(|p| std::ptr::eq(*p, a));
    // In turn from each level, an organisation not yet shown.
    loop {
        let before = picked.len();
        for &l in &levels {
            if picked.len() >= max {
                break;
            }
            let next = ranked
                .iter()
                .find(|a| level(a) == l && !taken(&picked, a) && !picked.iter().any(|p| p.org == a.org));
            if let Some(a) = next {
                picked.push(a);
            }
        }
        if picked.len() == before || picked.len() >= max {
            break;
        }
    }
    for a in &ranked {
        if picked.len() >= max {
            break;
        }
        if !taken(&picked, a) {
            picked.push(a);
        }
    }
    picked.sort();
    picked
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::period::ymd;

    fn act(day: u32, org: usize, unit: usize, recommendations: u64, participants: u64) -> Activity {
        Activity {
            date: ymd(2023, 3, day),
            kind: 0,
            org,
            unit,
            status: RowStatus::Done,
            title: format!("{day}"),
            note: String::new(),
            participants,
            recommendations,
            resolved: 0,
        }
    }

    #[test]
    fn representative_activities_are_chosen_for_what_they_achieved() {
        // Unit 0 is the province (level 0), units 1-2 districts (level 1).
        let level = |a: &Activity| usize::from(a.unit > 0);
        let acts = [
            act(1, 0, 0, 0, 10),  // early, little achieved
            act(2, 0, 1, 9, 50),  // org 0 again, district: best overall
            act(3, 1, 0, 8, 40),  // org 1, province
            act(4, 1, 2, 7, 300), // org 1 again
            act(5, 2, 2, 1, 20),  // org 2, district
        ];
        let picked = representative(acts.iter(), level, 3);
        let days: Vec<&str> = picked.iter().map(|a| a.title.as_str()).collect();
        // By recommendations made, in turn from each level, one per
        // organisation first; listed by date. The first by date is not chosen.
        assert_eq!(days, vec!["2", "3", "5"]);
    }
}
