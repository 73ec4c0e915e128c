//! Section III of a report draft: the general assessment (strengths,
//! shortcomings, causes, lessons) and, in the final report, the comparison with
//! the baseline.

use super::judge::{Verdict, verdict};
use super::*;

impl Builder<'_> {
    /// For each target: the results with one kind of verdict (strengths, or
    /// shortcomings), as one line of section III over the periods.
    fn judged_lines(&self, strengths: bool) -> Vec<String> {
        let as_of = self.scope.as_of;
        let mut out = Vec::new();
        for (ti, t) in self.plan.targets.iter().enumerate() {
            let results = self.relevant(ti);
            let mut labels: Vec<crate::period::PeriodLabel> = Vec::new();
            for r in &results {
                if !labels.contains(&r.period.label) {
                    labels.push(r.period.label);
                }
            }
            let title = self.title(t);
            let mut parts = Vec::new();
            for label in labels {
                let all: Vec<&TargetResult> = results.iter().copied().filter(|r| r.period.label == label).collect();
                let chosen: Vec<&TargetResult> = all
                    .iter()
                    .copied()
                    .filter(|r| match verdict(t, r, as_of) {
                        Verdict::Strength(_) => strengths,
                        Verdict::Shortcoming(_) => !strengths,
                        _ => false,
                    })
                    .collect();
                if chosen.is_empty() {
                    continue;
                }
                let what = if let ([_], [one]) = (all.as_slice(), chosen.as_slice()) {
                    self.one_result(t, one)
                } else {
                    let counts = self.verdict_counts_of(t, &chosen, all.len());
                    let names = self.names_or_appendix(&chosen);
                    format!("{counts}{names}")
                };
                parts.push((label, what));
            }
            if !parts.is_empty() {
                out.push(self.over_periods(&title, &parts));
            }
        }
        out
    }

    /// Counts of some results of a target among `total` instances.
    fn verdict_counts_of(&self, t: &Target, chosen: &[&TargetResult], total: usize) -> String {
        let text = self.verdict_counts(t, chosen);
        // `verdict_counts` counts among the chosen; say the whole.
        let n = chosen.len() as u64;
        let (from, to) = match self.lang {
            Lang::Vi => (
                format!("{}/{} ", self.n(n), self.n(n)),
                format!("{}/{} ", self.n(n), self.n(total as u64)),
            ),
            Lang::En => (
                format!("{} of {} ", self.n(n), self.n(n)),
                format!("{} of {} ", self.n(n), self.n(total as u64)),
            ),
        };
        text.replacen(&from, &to, 1)
    }

    /// `(Hội Nông dân huyện Bát Xát, ...)` when there are few, else where
    /// the reader finds them all.
    fn names_or_appendix(&self, chosen: &[&TargetResult]) -> String {
        let names: Vec<String> = chosen
            .iter()
            .map(|r| self.named_scope(r))
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            return String::new();
        }
        if names.len() <= MAX_NAMED {
            return format!(" ({})", names.join("; "));
        }
        self.in_lang(" (chi tiết tại Phụ lục I)", " (listed in Appendix I)")
            .to_owned()
    }

    pub(super) fn assessment(&mut self, acts: &Activities) {
        let h = self.in_lang("ĐÁNH GIÁ CHUNG", "GENERAL ASSESSMENT");
        self.heading(1, format!("{}. {h}", roman(2)));
        let h1 = self.in_lang("1. Ưu điểm", "1. Strengths");
        self.heading(2, h1.to_owned());
        let good = self.judged_lines(true);
        if good.is_empty() {
            self.para(
                self.in_lang(
                    "Chưa có chỉ tiêu nào đạt hoặc vượt tiến độ đề ra.",
                    "No target is met or ahead of its pace yet.",
                )
                .to_owned(),
            );
        }
        for line in good {
            self.bullet(line);
        }
        self.placeholder("Bổ sung các kết quả nổi bật khác.", "Add other notable results.");
        let h2 = self.in_lang("2. Hạn chế", "2. Shortcomings");
        self.heading(2, h2.to_owned());
        let mut bad = self.judged_lines(false);
        bad.extend(self.dropped_line(acts));
        bad.extend(self.open_recommendations_line());
        bad.extend(self.silent_line());
        if bad.is_empty() {
            self.para(
                self.in_lang(
                    "Không có chỉ tiêu nào chậm tiến độ hoặc không đạt.",
                    "No target is behind or missed.",
                )
                .to_owned(),
            );
        }
        for line in bad {
            self.bullet(line);
        }
        let h3 = self.in_lang("3. Nguyên nhân", "3. Causes");
        self.heading(2, h3.to_owned());
        self.placeholder(
            "Nêu nguyên nhân khách quan, chủ quan của các hạn chế trên.",
            "State the causes (objective and subjective) of the shortcomings above.",
        );
        if matches!(self.scope.kind, ReportKind::Midterm(_) | ReportKind::Final(_)) {
            let h4 = self.in_lang("4. Bài học kinh nghiệm", "4. Lessons learned");
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
        // Only the final report compares, after its four items above.
        let h = match self.lang {
            Lang::Vi => format!("5. So sánh với giai đoạn {}", b.label),
            Lang::En => format!("5. Compared with {}", b.label),
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
            let name = self.kind_name(k);
            let now = cum.kinds.get(k).cloned().unwrap_or_default();
            let pair = |d: u64, p: u64| {
                let pct = if p > 0 {
                    self.lang.percent(d as f64 / p as f64)
                } else {
                    "–".to_owned()
                };
                format!("{}/{} ({pct})", self.int(d), self.int(p))
            };
            rows.push(vec![name, pair(*done, *planned), pair(now.done, now.planned())]);
        }
        self.push(Block::Table {
            header,
            rows,
            align: vec![Align::Left, Align::Right, Align::Right],
            widths: vec![4, 3, 3],
        });
    }

    /// The activities postponed or cancelled in the period, with the
    /// reasons their notes give.
    fn dropped_line(&self, acts: &Activities) -> Option<String> {
        let (postponed, cancelled) = acts.dropped_counts();
        let total = postponed + cancelled;
        if total == 0 {
            return None;
        }
        let mut counts = Vec::new();
        if postponed > 0 {
            counts.push(match self.lang {
                Lang::Vi => format!("{} hoạt động phải hoãn", self.n(postponed)),
                Lang::En => format!("{} postponed", self.n(postponed)),
            });
        }
        if cancelled > 0 {
            counts.push(match self.lang {
                Lang::Vi => format!("{} hoạt động bị hủy", self.n(cancelled)),
                Lang::En => format!("{} cancelled", self.n(cancelled)),
            });
        }
        let head = match self.lang {
            Lang::Vi => format!("Trong kỳ có {}", counts.join(", ")),
            Lang::En => {
                let verb = |n: u64, what: &str| match n {
                    1 => format!("1 activity was {what}"),
                    n => format!("{} activities were {what}", self.n(n)),
                };
                match (postponed, cancelled) {
                    (p, 0) => format!("In the period, {}", verb(p, "postponed")),
                    (0, c) => format!("In the period, {}", verb(c, "cancelled")),
                    (p, c) => format!("In the period, {} and {} cancelled", verb(p, "postponed"), self.n(c)),
                }
            }
        };
        let items = match acts.dropped() {
            Listing::Each(all) if all.len() <= MAX_NAMED => all,
            _ => Vec::new(),
        };
        if items.is_empty() {
            return Some(format!(
                "{head}{}.",
                self.in_lang(
                    " (danh sách và lý do tại Phụ lục III)",
                    " (listed with their reasons in Appendix III)"
                )
            ));
        }
        let items: Vec<String> = items.iter().map(|a| self.dropped_item(a)).collect();
        Some(format!("{head}: {}.", items.join("; ")))
    }

    /// `Hội Nông dân huyện Bát Xát: Hội nghị ... (hoãn, lý do: ...)`.
    pub(super) fn dropped_item(&self, a: &Activity) -> String {
        let what = match (self.lang, a.status) {
            (Lang::Vi, RowStatus::Postponed) => "hoãn",
            (Lang::Vi, _) => "hủy",
            (Lang::En, RowStatus::Postponed) => "postponed",
            (Lang::En, _) => "cancelled",
        };
        let why = match (self.lang, a.note.trim()) {
            (Lang::Vi, "") => ", chưa nêu lý do".to_owned(),
            (Lang::En, "") => ", no reason given".to_owned(),
            (Lang::Vi, n) => format!(", lý do: {}", lower_first(n.trim_end_matches('.'))),
            (Lang::En, n) => format!(", reason: {}", n.trim_end_matches('.')),
        };
        format!("{}: {} ({what}{why})", self.org_unit(a.org, a.unit), a.title)
    }

    /// Recommendations of the period not yet acted on.
    fn open_recommendations_line(&self) -> Option<String> {
        let w = self.window(0)?;
        let made: u64 = w
            .kinds
            .iter()
            .map(|k| k.sum(NumColumn::Recommendations))
            .fold(0, u64::saturating_add);
        let resolved: u64 = w
            .kinds
            .iter()
            .map(|k| k.sum(NumColumn::Resolved))
            .fold(0, u64::saturating_add);
        let open = made.saturating_sub(resolved);
        if open == 0 || made == 0 {
            return None;
        }
        let pct = self.lang.percent(open as f64 / made as f64);
        Some(match self.lang {
            Lang::Vi => format!(
                "Còn {}/{} kiến nghị ({pct}) đưa ra trong kỳ chưa được tiếp thu, giải quyết (chi tiết tại Phụ lục III).",
                self.n(open),
                self.n(made)
            ),
            Lang::En => format!(
                "{} of the {} recommendations made in the period ({pct}) have not been acted on yet (listed in Appendix III).",
                self.n(open),
                self.n(made)
            ),
        })
    }

    /// Organisations with no activity at all in the period.
    fn silent_line(&self) -> Option<String> {
        let silent = self.silent_offices();
        let pairs: usize = silent.iter().map(|(_, orgs)| orgs.len()).sum();
        if pairs == 0 {
            return None;
        }
        let all_orgs = self.plan.orgs.len();
        let whole: Vec<String> = silent
            .iter()
            .filter(|(_, orgs)| orgs.len() == all_orgs)
            .map(|(u, _)| match self.lang {
                Lang::Vi => lower_first(&self.unit_name(*u)),
                Lang::En => self.unit_name(*u),
            })
            .collect();
        let mut text = match self.lang {
            Lang::Vi => format!(
                "{} tổ chức ở {} đơn vị chưa có hoạt động nào thực hiện Đề án trong kỳ",
                self.n(pairs as u64),
                self.n(silent.len() as u64)
            ),
            Lang::En => format!(
                "{} organisations in {} units recorded no activity under the Scheme in the period",
                self.n(pairs as u64),
                self.n(silent.len() as u64)
            ),
        };
        if !whole.is_empty() {
            text.push_str(&match self.lang {
                Lang::Vi => format!(", trong đó {} không có tổ chức nào có hoạt động", whole.join(", ")),
                Lang::En => format!(", among them every organisation of {}", whole.join(", ")),
            });
        }
        text.push_str(self.in_lang(" (chi tiết tại Phụ lục II).", " (listed in Appendix II)."));
        Some(text)
    }
}
