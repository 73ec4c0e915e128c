//! Section II of a report draft: results by activity kind (what was done in
//! the period, by level, organisation and field, recommendations, standing
//! against each target) and the items of targets over several kinds (budget).

use super::*;

impl Builder<'_> {
    pub(super) fn results(&mut self, acts: &Activities) {
        let h = self.t("KẾT QUẢ THỰC HIỆN", "RESULTS");
        self.heading(1, format!("{}. {h}", roman(1)));
        let mut n = 0;
        for k in 0..self.plan.kinds.len() {
            n += 1;
            self.kind_section(n, k, acts);
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

    pub(super) fn kind_section(&mut self, n: usize, k: usize, acts: &Activities) {
        let Some(kind) = self.plan.kinds.get(k) else { return };
        let name = match self.lang {
            Lang::Vi => kind.name.clone(),
            // The plan names kinds in Vietnamese; the code read as words
            // (`study-visit` → `Study visit`) heads the English section.
            Lang::En => format!("{} ({})", capitalise(&kind.code.replace(['-', '_'], " ")), kind.name),
        };
        self.heading(2, format!("{n}. {name}"));
        let counter = self.counter(k);
        let tally = self.window(0).and_then(|w| w.kinds.get(k)).cloned().unwrap_or_default();
        self.period_counts(&tally, &counter);
        if kind.field {
            self.field_table(k);
        }
        self.recommendations(&tally);
        // Cumulative against each single-kind target of this kind.
        let targets: Vec<usize> = (0..self.plan.targets.len())
            .filter(|&i| self.plan.targets.get(i).is_some_and(|t| t.kinds == [k]))
            .collect();
        let lines: Vec<String> = targets.iter().flat_map(|&ti| self.target_lines(ti)).collect();
        if !lines.is_empty() {
            let lead = match self.lang {
                Lang::Vi => format!(
                    "Kết quả so với chỉ tiêu của Đề án (lũy kế đến ngày {}):",
                    self.date(self.scope.as_of)
                ),
                Lang::En => format!("Against the targets (cumulative to {}):", self.date(self.scope.as_of)),
            };
            self.para(lead);
            for line in lines {
                self.bullet(line);
            }
        }
        let titles: Vec<&Activity> = acts.done.iter().filter(|a| a.kind == k).collect();
        if !titles.is_empty() {
            let lead = self
                .t("Một số hoạt động tiêu biểu trong kỳ:", "Main activities of the period:")
                .to_owned();
            self.para(lead);
            for a in titles.iter().take(MAX_TITLES) {
                let line = self.activity_line(a);
                self.bullet(line);
            }
            if titles.len() > MAX_TITLES {
                let more = titles.len() - MAX_TITLES;
                let text = match self.lang {
                    Lang::Vi => format!("và {} hoạt động khác (xem nhật ký hoạt động).", self.int(more as u64)),
                    Lang::En => format!("and {} more (see the activity logs).", self.int(more as u64)),
                };
                self.bullet(text);
            }
        }
    }

    pub(super) fn activity_line(&self, a: &Activity) -> String {
        let org = self.plan.orgs.get(a.org).map_or("", |o| o.name.as_str());
        let unit = self.plan.units.get(a.unit).map_or("", |u| u.name.as_str());
        // As the report names a scope: `Hội Nông dân huyện Bát Xát`.
        format!("{}: {} ({org} {})", self.date(a.date), a.title, lower_first(unit))
    }

    pub(super) fn period_counts(&mut self, t: &KindTally, counter: &str) {
        let lang = self.lang;
        if t.scheduled == 0 && t.cancelled == 0 {
            let text = self.t(
                "Trong kỳ chưa ghi nhận hoạt động nào.",
                "No activity was logged in the period.",
            );
            self.para(text.to_owned());
            return;
        }
        if t.scheduled == 0 {
            let n = self.int(t.cancelled);
            let text = match (lang, t.cancelled) {
                (Lang::Vi, _) => format!("Trong kỳ không có {counter} nào theo kế hoạch; có {n} {counter} bị hủy."),
                (Lang::En, 1) => "No activity was scheduled in the period; 1 was cancelled.".to_owned(),
                (Lang::En, _) => format!("No activity was scheduled in the period; {n} were cancelled."),
            };
            self.para(text);
            return;
        }
        let pct = lang.percent(t.done as f64 / t.scheduled as f64); // scheduled > 0 here
        let levels: Vec<String> = self
            .plan
            .levels
            .iter()
            .zip(&t.by_level)
            .enumerate()
            .map(|(li, (l, n))| match (lang, self.level_ended(li)) {
                (Lang::Vi, Some(d)) => format!("{} đã kết thúc hoạt động từ {}", l.name.to_lowercase(), self.date(d)),
                (Lang::En, Some(d)) => format!("{} ceased operation as of {}", l.code, self.date(d)),
                (Lang::Vi, None) => format!("{} {}", l.name.to_lowercase(), self.int(*n)),
                (Lang::En, None) => format!("{} {}", l.code, self.int(*n)),
            })
            .collect();
        let mut text = match lang {
            Lang::Vi => format!(
                "Trong kỳ, MTTQ và các tổ chức chính trị - xã hội các cấp thực hiện được {}/{} {counter} theo kế hoạch, đạt {pct}; trong đó {}.",
                self.int(t.done),
                self.int(t.scheduled),
                levels.join(", ")
            ),
            Lang::En => format!(
                "In the period: {}/{} scheduled {} carried out ({pct}): {}.",
                self.int(t.done),
                self.int(t.scheduled),
                if t.scheduled == 1 { "activity" } else { "activities" },
                levels.join(", ")
            ),
        };
        if t.cancelled > 0 {
            text.push_str(&match lang {
                Lang::Vi => format!(" Có {} {counter} bị hủy.", self.int(t.cancelled)),
                Lang::En if t.cancelled == 1 => " 1 was cancelled.".to_owned(),
                Lang::En => format!(" {} were cancelled.", self.int(t.cancelled)),
            });
        }
        self.para(text);
        let by_org: Vec<String> = self
            .plan
            .orgs
            .iter()
            .zip(&t.by_org)
            .filter(|(_, n)| **n > 0)
            .map(|(o, n)| format!("{} {}", o.name, self.int(*n)))
            .collect();
        if !by_org.is_empty() {
            let lead = self.t("Theo tổ chức", "By organisation");
            self.para(format!("{lead}: {}.", by_org.join("; ")));
        }
        if t.sum(NumColumn::Participants) > 0 {
            let n = self.int(t.sum(NumColumn::Participants));
            let text = match lang {
                Lang::Vi => format!("Tổng số người tham gia: {n} lượt người."),
                Lang::En => format!("Participants: {n} attendances."),
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
                    format!("{}: {}", f.code, f.name),
                    self.int(p.by_field.get(i).copied().unwrap_or(0)),
                    self.int(c.by_field.get(i).copied().unwrap_or(0)),
                ]
            })
            .collect();
        let lead = self.t("Theo lĩnh vực giám sát:", "By field:");
        self.para(lead.to_owned());
        let header = match self.lang {
            Lang::Vi => ["TT", "Lĩnh vực", "Trong kỳ", "Lũy kế"],
            Lang::En => ["No.", "Field", "Period", "Cumulative"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Center, Align::Left, Align::Right, Align::Right],
            widths: vec![1, 10, 2, 2],
        });
    }

    pub(super) fn recommendations(&mut self, t: &KindTally) {
        let made = t.sum(NumColumn::Recommendations);
        if made == 0 {
            return;
        }
        let resolved = t.sum(NumColumn::Resolved);
        let pct = self.lang.percent(resolved as f64 / made as f64);
        let text = match self.lang {
            Lang::Vi => format!(
                "Qua các hoạt động trong kỳ đã đưa ra {} kiến nghị; đến nay đã được tiếp thu, giải quyết {}/{}, đạt {pct}.",
                self.int(made),
                self.int(resolved),
                self.int(made)
            ),
            Lang::En => format!(
                "The period's activities made {} recommendations; {}/{} have been accepted and resolved so far ({pct}).",
                self.int(made),
                self.int(resolved),
                self.int(made)
            ),
        };
        self.para(text);
    }

    pub(super) fn multi_kind_section(&mut self, n: usize, ti: usize) {
        let Some(t) = self.plan.targets.get(ti) else { return };
        let title = if t.measure == Measure::Sum(NumColumn::Cost) {
            self.t("Kinh phí", "Budget").to_owned()
        } else {
            t.title.clone()
        };
        self.heading(2, format!("{n}. {title}"));
        if let Measure::Sum(col) = t.measure {
            let in_period: u64 = self
                .window(0)
                .map(|w| {
                    w.kinds
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| t.kinds.contains(k))
                        .map(|(_, kt)| kt.sum(col))
                        .fold(0, u64::saturating_add)
                })
                .unwrap_or(0);
            let amount = self.fig(t, Some(Figure::Int(in_period)));
            let text = match self.lang {
                Lang::Vi => format!("Trong kỳ: {amount}."),
                Lang::En => format!("In the period: {amount}."),
            };
            self.para(text);
        }
        for line in self.target_lines(ti) {
            self.bullet(line);
        }
    }

    /// One line per period of a target: a single instance in figures, several
    /// as counts by status.
    pub(super) fn target_lines(&self, ti: usize) -> Vec<String> {
        let Some(t) = self.plan.targets.get(ti) else {
            return Vec::new();
        };
        let results = self.relevant(ti);
        let mut periods: Vec<&crate::period::Period> = results.iter().map(|r| &r.period).collect();
        periods.dedup_by(|a, b| a.label == b.label);
        let mut lines = Vec::new();
        let mut seen = Vec::new();
        for p in periods {
            if seen.contains(&p.label) {
                continue;
            }
            seen.push(p.label);
            let of: Vec<&&TargetResult> = results.iter().filter(|r| r.period.label == p.label).collect();
            let body = match of.as_slice() {
                [one] => self.one_result(t, one),
                many => self.status_counts(t, many),
            };
            lines.push(format!("{} ({}): {body}", t.title, p.label));
        }
        lines
    }

    pub(super) fn one_result(&self, t: &Target, r: &TargetResult) -> String {
        let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
        let req = self.fig(t, Some(r.required));
        let act = self.fig(t, r.actual);
        let status = prose_status(r.status, self.lang);
        let pct = crate::render::percent(r, self.lang);
        match (t.measure, self.lang) {
            (Measure::Completion, Lang::Vi) => format!("tỷ lệ hoàn thành {act} (yêu cầu {req}) — {status}"),
            (Measure::Completion, Lang::En) => format!("completion {act} (required {req}) — {status}"),
            (Measure::Sum(_), _) => format!("{act} / {req} ({pct}) — {status}"),
            (Measure::Count, Lang::Vi) => format!("thực hiện {act}/{req} {counter}, đạt {pct} — {status}"),
            (Measure::Count, Lang::En) => format!("{act}/{req} ({pct}) — {status}"),
        }
    }

    /// `54 tổ chức: 16 đạt, 38 đúng tiến độ`.
    pub(super) fn status_counts(&self, t: &Target, results: &[&&TargetResult]) -> String {
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter_map(|s| {
                let n = results.iter().filter(|r| r.status == *s).count();
                (n > 0).then(|| format!("{} {}", n, prose_status(*s, self.lang)))
            })
            .collect();
        format!("{}: {}", self.instances(t, results), parts.join(", "))
    }

    /// How many instances of a target some results are, with the word for
    /// them: `54 tổ chức` (org × unit: each a district's organisation),
    /// `8 lĩnh vực`, `30 lượt tổ chức` over several periods; in English
    /// `54 organisations`, `30 organisation-periods`.
    pub(super) fn instances(&self, t: &Target, results: &[&&TargetResult]) -> String {
        let n = results.len();
        let mut labels: Vec<crate::period::PeriodLabel> = results.iter().map(|r| r.period.label).collect();
        labels.sort_unstable();
        labels.dedup();
        let periods = labels.len() > 1;
        let (vi, en) = if t.each.org {
            ("tổ chức", "organisation")
        } else if t.each.unit {
            ("đơn vị", "unit")
        } else if t.each.field {
            ("lĩnh vực", "field")
        } else {
            ("kỳ", "period")
        };
        let plain = !(t.each.org || t.each.unit || t.each.field);
        match self.lang {
            Lang::Vi if periods && !plain => format!("{n} lượt {vi}"),
            Lang::Vi => format!("{n} {vi}"),
            Lang::En => {
                let noun = if periods && !plain {
                    format!("{en}-period")
                } else {
                    en.to_owned()
                };
                format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
            }
        }
    }

    /// A result's scope as the report names it: `Hội Nông dân huyện Bát
    /// Xát`, `lĩnh vực F7`; empty for a target without `each`.
    pub(super) fn named_scope(&self, r: &TargetResult) -> String {
        let org = r.org.and_then(|o| self.plan.orgs.get(o)).map(|o| o.name.as_str());
        let unit = r.unit.and_then(|u| self.plan.units.get(u)).map(|u| u.name.as_str());
        let mut parts = Vec::new();
        match (org, unit) {
            (Some(o), Some(u)) => parts.push(format!("{o} {}", lower_first(u))),
            (Some(o), None) => parts.push(o.to_owned()),
            (None, Some(u)) => parts.push(u.to_owned()),
            (None, None) => {}
        }
        if let Some(f) = r.field.and_then(|f| self.plan.fields.get(f)) {
            parts.push(format!("{} {}", self.t("lĩnh vực", "field"), f.code));
        }
        parts.join(", ")
    }
}
