//! Section IV and V of a report draft (tasks ahead, proposals), the closing
//! line, `Nơi nhận` and the signature block.

use super::*;
use crate::period::WhichHalf::H1;

impl Builder<'_> {
    /// Section IV's heading: the next half-year, year or period.
    fn tasks_heading(&self) -> String {
        let beyond = self.scope.next.is_none();
        let next = match (self.scope.kind, self.lang) {
            (_, Lang::Vi) if beyond => "GIAI ĐOẠN TIẾP THEO".to_owned(),
            (_, Lang::En) if beyond => "FOR THE NEXT PERIOD".to_owned(),
            (ReportKind::Half(h), Lang::Vi) if h.half == H1 => format!("6 THÁNG CUỐI NĂM {}", h.year),
            (ReportKind::Half(h), Lang::Vi) => format!("6 THÁNG ĐẦU NĂM {}", h.year + 1),
            (ReportKind::Year(y), Lang::Vi) => format!("NĂM {}", y + 1),
            (_, Lang::Vi) => "GIAI ĐOẠN TIẾP THEO".to_owned(),
            (ReportKind::Half(h), Lang::En) if h.half == H1 => format!("FOR THE SECOND HALF OF {}", h.year),
            (ReportKind::Half(h), Lang::En) => format!("FOR THE FIRST HALF OF {}", h.year + 1),
            (ReportKind::Year(y), Lang::En) => format!("FOR {}", y + 1),
            (_, Lang::En) => "FOR THE NEXT PERIOD".to_owned(),
        };
        match self.lang {
            Lang::Vi => format!("{}. PHƯƠNG HƯỚNG, NHIỆM VỤ {next}", roman(3)),
            Lang::En => format!("{}. TASKS AHEAD {next}", roman(3)),
        }
    }

    pub(super) fn tasks(&mut self, acts: &Activities) {
        let h = self.tasks_heading();
        self.heading(1, h);
        // What remains of each target not yet met whose period still runs.
        let mut remaining = Vec::new();
        for (ti, t) in self.plan.targets.iter().enumerate() {
            if !matches!(t.requirement, crate::model::Requirement::Min(_)) {
                continue;
            }
            let open: Vec<&TargetResult> = self
                .of_target(ti)
                .iter()
                .filter(|r| {
                    r.period.span.end > self.scope.as_of
                        && r.period.span.start <= self.scope.as_of
                        && matches!(r.status, Status::OnTrack | Status::Behind)
                })
                .collect();
            if open.is_empty() {
                continue;
            }
            let missing: u64 = open
                .iter()
                .map(|r| match (r.required, r.actual) {
                    (Figure::Int(q), Some(Figure::Int(a))) => q.saturating_sub(a),
                    _ => 0,
                })
                .fold(0, u64::saturating_add);
            let by = open
                .iter()
                .map(|r| t.days.last_admitted(r.period.span).unwrap_or(r.period.span.end))
                .max()
                .unwrap_or(self.scope.as_of);
            let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
            let instances = format!("{} {}", self.n(open.len() as u64), self.instance_noun(t));
            let title = self.title(t);
            // One instance left: say whose it is (`Hội Cựu chiến binh`).
            let whose = match open.as_slice() {
                [r] => Some(self.named_scope(r)).filter(|s| !s.is_empty()),
                _ => None,
            }
            .map_or_else(String::new, |s| format!(" ({s})"));
            let text = match (self.lang, open.len()) {
                (Lang::Vi, 1) => format!(
                    "{}{whose}: còn phải thực hiện {} {counter} trước ngày {}.",
                    title,
                    self.n(missing),
                    self.prose_date(by)
                ),
                (Lang::Vi, _) => format!(
                    "{}: {instances} chưa hoàn thành, còn thiếu tổng cộng {} {counter}, hạn chậm nhất ngày {}.",
                    title,
                    self.n(missing),
                    self.prose_date(by)
                ),
                (Lang::En, 1) => format!(
                    "{}{whose}: {} more to be carried out by {}.",
                    title,
                    self.n(missing),
                    self.prose_date(by)
                ),
                (Lang::En, _) => format!(
                    "{}: {instances} not yet met, {} still to do in all, by {} at the latest.",
                    title,
                    self.n(missing),
                    self.prose_date(by)
                ),
            };
            remaining.push(text);
        }
        let starting = self.starting_next();
        let anything = !remaining.is_empty() || !starting.is_empty() || self.planned_next_line(acts).is_some();
        if !remaining.is_empty() {
            self.para(
                self.in_lang("Các chỉ tiêu chưa hoàn thành:", "Targets not yet met:")
                    .to_owned(),
            );
            for line in remaining {
                self.bullet(line);
            }
        }
        if !starting.is_empty() {
            self.para(
                self.in_lang(
                    "Các chỉ tiêu có thời hạn bắt đầu trong kỳ tới:",
                    "Targets whose period begins in the next period:",
                )
                .to_owned(),
            );
            for line in starting {
                self.bullet(line);
            }
        }
        if let Some(line) = self.planned_next_line(acts) {
            self.para(line);
        }
        if anything {
            self.placeholder("Bổ sung các nhiệm vụ trọng tâm khác.", "Add the other key tasks.");
        } else {
            self.placeholder("Nêu các nhiệm vụ trọng tâm.", "State the key tasks.");
        }
    }

    /// The `min` targets whose period has not begun by the as-of date but
    /// begins in the next period (next year's dialogues, the summary
    /// conference): what they ask for and by when, a line per target.
    pub(super) fn starting_next(&self) -> Vec<String> {
        let Some(next) = self.scope.next else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (ti, t) in self.plan.targets.iter().enumerate() {
            let upcoming: Vec<&TargetResult> = self
                .of_target(ti)
                .iter()
                .filter(|r| {
                    r.status == Status::Upcoming
                        && r.period.span.start > self.scope.as_of
                        && (next.start..=next.end).contains(&r.period.span.start)
                })
                .collect();
            let required: u64 = upcoming
                .iter()
                .map(|r| match r.required {
                    Figure::Int(q) => q,
                    Figure::Ratio(_) => 0,
                })
                .fold(0, u64::saturating_add);
            if required == 0 || !matches!(t.requirement, crate::model::Requirement::Min(_)) {
                continue;
            }
            let by = upcoming
                .iter()
                .map(|r| t.days.last_admitted(r.period.span).unwrap_or(r.period.span.end))
                .max()
                .unwrap_or(next.end);
            let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
            let title = self.title(t);
            let (n, by) = (self.int(required), self.prose_date(by));
            let whose = match upcoming.as_slice() {
                [r] => Some(self.named_scope(r)).filter(|s| !s.is_empty()),
                _ => Some(format!("{} {}", self.n(upcoming.len() as u64), self.instance_noun(t))),
            }
            .map_or_else(String::new, |s| format!(" ({s})"));
            out.push(match self.lang {
                Lang::Vi => format!("{title}{whose}: thực hiện {n} {counter}, hạn chậm nhất ngày {by}."),
                Lang::En => format!("{title}{whose}: {n} to be carried out by {by}."),
            });
        }
        out
    }

    pub(super) fn proposals(&mut self) {
        let h = self.in_lang("ĐỀ XUẤT, KIẾN NGHỊ", "PROPOSALS");
        self.heading(1, format!("{}. {h}", roman(4)));
        self.placeholder(
            "Nêu các đề xuất, kiến nghị với cấp ủy, chính quyền.",
            "State the proposals to the Party committee and the authorities.",
        );
    }

    pub(super) fn closing(&mut self) {
        let text = match self.lang {
            Lang::Vi => format!(
                "Trên đây là báo cáo {} của {}./.",
                self.report_of(&format!("Đề án số {}", self.plan.number)),
                self.reporter()
            ),
            Lang::En => format!("This concludes the report of {}.", self.reporter()),
        };
        self.para(text);
        let r = &self.reporting;
        let (recipients, signer) = match self.lang {
            Lang::En if !r.recipients_en.is_empty() || !r.signer_en.is_empty() => {
                let pick = |en: &Vec<String>, vi: &Vec<String>| if en.is_empty() { vi.clone() } else { en.clone() };
                (pick(&r.recipients_en, &r.recipients), pick(&r.signer_en, &r.signer))
            }
            _ => (r.recipients.clone(), r.signer.clone()),
        };
        let recipients = if recipients.is_empty() {
            vec!["...".to_owned()]
        } else {
            recipient_lines(&recipients)
        };
        let signer = if signer.is_empty() {
            vec!["...".to_owned()]
        } else {
            signer
        };
        self.push(Block::Signature {
            recipients_label: self.in_lang("Nơi nhận:", "Distribution:").to_owned(),
            recipients,
            signer,
            name: self.in_lang("[Họ và tên]", "[Full name]").to_owned(),
        });
    }

    /// `Kế hoạch kỳ tới đã có 30 hoạt động: 08 cuộc giám sát, 12 hội nghị
    /// đối thoại, ...`: the activities already planned, counted by kind.
    fn planned_next_line(&self, acts: &Activities) -> Option<String> {
        let counts: Vec<(usize, u64)> = (0..self.plan.kinds.len())
            .map(|k| (k, acts.planned_next(k)))
            .filter(|(_, n)| *n > 0)
            .collect();
        if counts.is_empty() {
            return None;
        }
        let parts: Vec<String> = counts.iter().map(|&(k, n)| self.counted_kind(k, n)).collect();
        let total = self.n(counts.iter().map(|(_, n)| n).sum());
        Some(match self.lang {
            Lang::Vi => format!(
                "Kế hoạch của kỳ tới đã có {total} hoạt động được đăng ký: {}.",
                parts.join(", ")
            ),
            Lang::En => format!(
                "{total} activities are already planned for the next period: {}.",
                parts.join(", ")
            ),
        })
    }
}
