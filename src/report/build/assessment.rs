//! Section III of a report draft: the general assessment (strengths,
//! shortcomings, causes, lessons) and, in the final report, the comparison with
//! the baseline.

use super::*;

impl Builder<'_> {
    /// Targets grouped by how they stand: (target, its relevant results).
    pub(super) fn grouped(&self, good: bool) -> Vec<String> {
        let mut out = Vec::new();
        for ti in 0..self.plan.targets.len() {
            let Some(t) = self.plan.targets.get(ti) else { continue };
            let results = self.relevant(ti);
            let selected: Vec<&&TargetResult> = results
                .iter()
                .filter(|r| if good { r.status.is_good() } else { r.status.is_bad() })
                .collect();
            if selected.is_empty() {
                continue;
            }
            if selected.len() == 1 && results.len() == 1 {
                if let Some(r) = selected.first() {
                    out.push(format!("{} ({}): {}", t.title, r.period.label, self.one_result(t, r)));
                }
                continue;
            }
            if good {
                let counts = self.status_counts(t, &selected);
                out.push(format!("{}: {counts}", t.title));
                continue;
            }
            let scopes: Vec<String> = selected
                .iter()
                .map(|r| {
                    let s = self.named_scope(r);
                    let fig = self.fig(t, r.actual);
                    let req = self.fig(t, Some(r.required));
                    let got = match (self.lang, r.required) {
                        (Lang::Vi, Figure::Ratio(_)) => format!("đạt {fig}, yêu cầu {req}"),
                        (Lang::En, Figure::Ratio(_)) => format!("{fig}, required {req}"),
                        (Lang::Vi, Figure::Int(_)) => format!("thực hiện {fig}/{req}"),
                        (Lang::En, Figure::Int(_)) => format!("{fig} of {req}"),
                    };
                    match s.is_empty() {
                        true => format!("{}: {got}", r.period.label),
                        false => format!("{s} ({}): {got}", r.period.label),
                    }
                })
                .collect();
            let shown: Vec<&String> = scopes.iter().take(12).collect();
            let more = scopes.len().saturating_sub(shown.len());
            let all: Vec<&&TargetResult> = results.iter().collect();
            let mut text = format!(
                "{}: {}/{} {} ({})",
                t.title,
                selected.len(),
                self.instances(t, &all),
                self.t("chưa đạt", "not met"),
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
            );
            if more > 0 {
                text.push_str(&match self.lang {
                    Lang::Vi => format!(" và {more} trường hợp khác"),
                    Lang::En => format!(" and {more} more"),
                });
            }
            out.push(text);
        }
        out
    }

    pub(super) fn assessment(&mut self) {
        let h = self.t("ĐÁNH GIÁ CHUNG", "GENERAL ASSESSMENT");
        self.heading(1, format!("{}. {h}", roman(2)));
        let h1 = self.t("1. Ưu điểm", "1. Strengths");
        self.heading(2, h1.to_owned());
        let good = self.grouped(true);
        if good.is_empty() {
            self.para(
                self.t(
                    "Chưa có chỉ tiêu nào đạt hoặc đúng tiến độ.",
                    "No target is met or on track yet.",
                )
                .to_owned(),
            );
        }
        for line in good {
            self.bullet(line);
        }
        self.placeholder("Bổ sung các kết quả nổi bật khác.", "Add other notable results.");
        let h2 = self.t("2. Hạn chế", "2. Shortcomings");
        self.heading(2, h2.to_owned());
        let bad = self.grouped(false);
        if bad.is_empty() {
            self.para(
                self.t(
                    "Không có chỉ tiêu nào chậm tiến độ hoặc không đạt.",
                    "No target is behind or missed.",
                )
                .to_owned(),
            );
        }
        for line in bad {
            self.bullet(line);
        }
        let h3 = self.t("3. Nguyên nhân", "3. Causes");
        self.heading(2, h3.to_owned());
        self.placeholder(
            "Nêu nguyên nhân khách quan, chủ quan của các hạn chế trên.",
            "State the causes (objective and subjective) of the shortcomings above.",
        );
        if matches!(self.scope.kind, ReportKind::Midterm(_) | ReportKind::Final(_)) {
            let h4 = self.t("4. Bài học kinh nghiệm", "4. Lessons learned");
            self.heading(2, h4.to_owned());
            self.placeholder("Nêu các bài học kinh nghiệm.", "State the lessons learned.");
        }
        if matches!(self.scope.kind, ReportKind::Final(_)) {
            self.baseline();
        }
    }

    pub(super) fn baseline(&mut self) {
        let Some(b) = self.plan.baseline.clone() else { return };
        let Some(cum) = self.window(1).cloned() else { return };
        let n = if matches!(self.scope.kind, ReportKind::Final(_)) {
            5
        } else {
            4
        };
        let h = match self.lang {
            Lang::Vi => format!("{n}. So sánh với giai đoạn {}", b.label),
            Lang::En => format!("{n}. Compared with {}", b.label),
        };
        self.heading(2, h);
        let term = format!("{}-{}", self.plan.term.start.year(), self.plan.term.end.year());
        let header = match self.lang {
            Lang::Vi => vec!["Nội dung".to_owned(), b.label.clone(), term],
            Lang::En => vec!["Activity".to_owned(), b.label.clone(), term],
        };
        let mut rows = Vec::new();
        for (code, done, planned) in &b.entries {
            let Some(k) = self.plan.kind(code) else { continue };
            let name = self
                .plan
                .kinds
                .get(k)
                .map_or(code.as_str(), |x| x.name.as_str())
                .to_owned();
            let now = cum.kinds.get(k).cloned().unwrap_or_default();
            let pair = |d: u64, p: u64| {
                let pct = if p > 0 {
                    self.lang.percent(d as f64 / p as f64)
                } else {
                    "–".to_owned()
                };
                format!("{}/{} ({pct})", self.int(d), self.int(p))
            };
            rows.push(vec![name, pair(*done, *planned), pair(now.done, now.scheduled)]);
        }
        self.push(Block::Table {
            header,
            rows,
            align: vec![Align::Left, Align::Right, Align::Right],
            widths: vec![4, 3, 3],
        });
    }
}
