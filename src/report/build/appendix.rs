//! The appendices of a report draft, on landscape pages: I, every target of
//! the plan and where each instance stands (upcoming ones too, so a reader
//! sees the whole Đề án); II, the organisations with no activity recorded in
//! the period; III, the activities postponed or cancelled with their reasons,
//! and the recommendations not yet acted on.

use super::judge::{Ahead, Verdict, Why, verdict};
use super::*;

impl Builder<'_> {
    pub(super) fn appendix(&mut self, acts: &Activities) {
        self.push(Block::Landscape);
        self.appendix_head(
            "I",
            &match self.lang {
                Lang::Vi => "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA ĐỀ ÁN".to_owned(),
                Lang::En => "RESULTS AGAINST THE TARGETS OF THE SCHEME".to_owned(),
            },
            Some(match self.lang {
                Lang::Vi => format!("(Số liệu tính đến ngày {})", self.prose_date(self.scope.as_of)),
                Lang::En => format!("(Figures as of {})", self.prose_date(self.scope.as_of)),
            }),
        );
        let header = match self.lang {
            Lang::Vi => [
                "TT",
                "Chỉ tiêu",
                "Phạm vi",
                "Thời gian",
                "Yêu cầu",
                "Thực hiện",
                "Tỷ lệ",
                "Đánh giá",
            ],
            Lang::En => [
                "No.", "Target", "Scope", "Period", "Required", "Done", "Ratio", "Standing",
            ],
        };
        let mut rows: Vec<Vec<String>> = Vec::new();
        // Rows are numbered by target (`3`, or `3.1`, `3.2`, … for a target
        // with several rows), and a target's later rows name it by number, so
        // a page that starts inside a long target still says whose rows they are.
        let mut number = 0;
        for (ti, t) in self.plan.targets.iter().enumerate() {
            let title = self.title(t);
            let results: Vec<&TargetResult> = self
                .of_target(ti)
                .iter()
                .filter(|r| r.period.span.overlaps(self.scope.window))
                .collect();
            if results.is_empty() {
                // An office's draft lists its own targets; its part in the
                // shared ones is in section II.
                if self.office.is_all() {
                    number += 1;
                    rows.push(self.absent_row(t, ti, &title, number));
                }
                continue;
            }
            number += 1;
            let several = results.len() > 1;
            for (i, r) in results.into_iter().enumerate() {
                let v = verdict(t, r, self.scope.as_of);
                rows.push(vec![
                    if several {
                        format!("{number}.{}", i + 1)
                    } else {
                        number.to_string()
                    },
                    if i == 0 { title.clone() } else { self.continued(number) },
                    match self.named_scope(r) {
                        s if s.is_empty() => self.in_lang("Chung", "All").to_owned(),
                        s => capitalise(&s),
                    },
                    self.period_cell(r.period.label),
                    crate::wording::figure(Some(r.required), self.lang),
                    if v == Verdict::NotYet {
                        String::new()
                    } else {
                        crate::wording::figure(r.actual, self.lang)
                    },
                    if v == Verdict::NotYet {
                        String::new()
                    } else {
                        self.percent_words(r)
                    },
                    capitalise(self.verdict_word(r, v)),
                ]);
            }
        }
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![
                Align::Center,
                Align::Left,
                Align::Left,
                Align::Center,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
            widths: vec![2, 9, 5, 3, 4, 4, 3, 4],
        });
        self.completeness();
        let third = self.dropped_and_open(acts);
        if self.office.is_all() {
            self.by_office(if third { "IV" } else { "III" });
        }
    }

    /// The target cell of a target's later rows in Phụ lục I.
    fn continued(&self, number: usize) -> String {
        match self.lang {
            Lang::Vi => format!("Chỉ tiêu {number} (tiếp)"),
            Lang::En => format!("Target {number} (cont.)"),
        }
    }

    /// The heading of an appendix: `PHỤ LỤC I`, its title, an optional line
    /// under it, and the italic `(Kèm theo Báo cáo số …)` line.
    pub(super) fn appendix_head(&mut self, number: &str, title: &str, sub: Option<String>) {
        let label = match self.lang {
            Lang::Vi => format!("PHỤ LỤC {number}"),
            Lang::En => format!("APPENDIX {number}"),
        };
        self.push(Block::Centered(vec![Text::bold(label)]));
        self.push(Block::Centered(vec![Text::bold(title)]));
        if let Some(sub) = sub {
            self.push(Block::Centered(vec![Text::plain(sub)]));
        }
        let symbol = self.reporting.symbol.as_deref().unwrap_or("...");
        let attached = match self.lang {
            Lang::Vi => format!(
                "(Kèm theo Báo cáo số …/{symbol} ngày …/…/{} của {})",
                self.scope.as_of.year(),
                self.reporter()
            ),
            Lang::En => format!(
                "(Attached to Report No. …/{symbol} of … {} of {})",
                self.scope.as_of.year(),
                self.reporter()
            ),
        };
        self.push(Block::Centered(vec![Text::italic(attached)]));
    }

    /// The row of a target none of whose periods overlaps the reported
    /// one: not yet due, or over before it began.
    fn absent_row(&self, t: &Target, ti: usize, title: &str, n: usize) -> Vec<String> {
        let all = self.of_target(ti);
        let first = all.iter().map(|r| r.period.span.start).min();
        let last = all.iter().map(|r| r.period.span.end).max();
        let period = match (first, last) {
            (Some(a), Some(b)) if a.year() == b.year() => a.year().to_string(),
            (Some(a), Some(b)) => format!("{}-{}", a.year(), b.year()),
            _ => String::new(),
        };
        let standing = match first {
            Some(a) if a > self.scope.window.end => self.in_lang("Chưa đến kỳ", "Not yet due"),
            _ => self.in_lang("Ngoài kỳ báo cáo", "Outside the period"),
        };
        let required = match t.requirement {
            crate::model::Requirement::Min(q) | crate::model::Requirement::Max(q) => self.int(q),
            crate::model::Requirement::MinRatio(r) => self.lang.percent(r),
        };
        vec![
            n.to_string(),
            title.to_owned(),
            self.in_lang("Chung", "All").to_owned(),
            period,
            required,
            String::new(),
            String::new(),
            standing.to_owned(),
        ]
    }

    /// A period as a table cell: `2023`, `2021-2025`, `6 tháng đầu năm 2023`.
    fn period_cell(&self, label: crate::period::PeriodLabel) -> String {
        match label {
            crate::period::PeriodLabel::Half(_) => self.period_words(label),
            l => l.to_string(),
        }
    }

    /// A result's standing in one or two words, for the table.
    fn verdict_word(&self, r: &TargetResult, v: Verdict) -> &'static str {
        match (self.lang, v) {
            (Lang::Vi, Verdict::Strength(Ahead::Met)) => "đạt",
            (Lang::Vi, Verdict::Strength(Ahead::AheadOfPace)) => "vượt tiến độ",
            (Lang::Vi, Verdict::Neutral) if r.status == Status::Within => "trong hạn mức",
            (Lang::Vi, Verdict::Neutral) if r.status == Status::NotApplicable => "không áp dụng",
            (Lang::Vi, Verdict::Neutral) => "đúng tiến độ",
            (Lang::Vi, Verdict::Shortcoming(Why::Nothing)) if r.status == Status::Missed => "không đạt",
            (Lang::Vi, Verdict::Shortcoming(Why::Nothing)) => "chưa thực hiện",
            (Lang::Vi, Verdict::Shortcoming(Why::Behind)) => "chậm tiến độ",
            (Lang::Vi, Verdict::Shortcoming(Why::Missed)) => "không đạt",
            (Lang::Vi, Verdict::Shortcoming(Why::Over)) => "vượt hạn mức",
            (Lang::Vi, Verdict::NotYet) => "chưa đến kỳ",
            (Lang::En, Verdict::Strength(Ahead::Met)) => "met",
            (Lang::En, Verdict::Strength(Ahead::AheadOfPace)) => "ahead of pace",
            (Lang::En, Verdict::Neutral) if r.status == Status::Within => "within the limit",
            (Lang::En, Verdict::Neutral) if r.status == Status::NotApplicable => "not applicable",
            (Lang::En, Verdict::Neutral) => "on pace",
            (Lang::En, Verdict::Shortcoming(Why::Nothing)) if r.status == Status::Missed => "missed",
            (Lang::En, Verdict::Shortcoming(Why::Nothing)) => "nothing done",
            (Lang::En, Verdict::Shortcoming(Why::Behind)) => "behind",
            (Lang::En, Verdict::Shortcoming(Why::Missed)) => "missed",
            (Lang::En, Verdict::Shortcoming(Why::Over)) => "over the limit",
            (Lang::En, Verdict::NotYet) => "not yet due",
        }
    }

    /// For each unit that exists in the period, the organisations with no
    /// activity row at all in it (in plan order).
    pub(super) fn silent_offices(&self) -> Vec<(usize, Vec<usize>)> {
        let Some(w) = self.window(0) else { return Vec::new() };
        let n_units = self.plan.units.len();
        let mut out = Vec::new();
        for (ui, u) in self.plan.units.iter().enumerate() {
            let life = u.life().unwrap_or(self.plan.term);
            if !life.overlaps(self.scope.window) {
                continue;
            }
            if self.office.unit.is_some_and(|o| o != ui) {
                continue;
            }
            let silent: Vec<usize> = (0..self.plan.orgs.len())
                .filter(|oi| self.office.admits(*oi, ui) && !w.is_active(*oi, ui, n_units))
                .collect();
            if !silent.is_empty() {
                out.push((ui, silent));
            }
        }
        out
    }

    /// Who recorded nothing in the period, unit by unit; units that have
    /// ceased to exist are said to have.
    fn completeness(&mut self) {
        self.push(Block::PageBreak);
        self.appendix_head(
            "II",
            &match self.lang {
                Lang::Vi => "CÁC TỔ CHỨC CHƯA CÓ HOẠT ĐỘNG THỰC HIỆN ĐỀ ÁN TRONG KỲ".to_owned(),
                Lang::En => "ORGANISATIONS WITH NO ACTIVITY UNDER THE SCHEME IN THE PERIOD".to_owned(),
            },
            Some(
                self.in_lang(
                    "(Tổ chức không có hoạt động nào trong kỳ, kể cả hoạt động đã lên kế hoạch, phải hoãn hoặc bị hủy)",
                    "(Organisations with no activity of any kind in the period, planned, postponed and cancelled ones included)",
                )
                .to_owned(),
            ),
        );
        let silent = self.silent_offices();
        let mut rows = Vec::new();
        let n_orgs = self.office.org.map_or(self.plan.orgs.len(), |_| 1);
        for (ui, u) in self.plan.units.iter().enumerate() {
            if self.office.unit.is_some_and(|o| o != ui) {
                continue;
            }
            let life = u.life().unwrap_or(self.plan.term);
            let ended = u
                .until
                .filter(|d| *d < self.scope.window.end)
                .and_then(|d| d.succ_opt());
            let ended_note = |b: &Self| {
                ended.map(|d| match b.lang {
                    Lang::Vi => format!("Đã kết thúc hoạt động từ ngày {}", b.prose_date(d)),
                    Lang::En => format!("Ceased operation on {}", b.prose_date(d)),
                })
            };
            if !life.overlaps(self.scope.window) {
                let note = match ended_note(self) {
                    Some(n) => n,
                    None => self
                        .in_lang("Chưa thành lập trong kỳ", "Not yet established in the period")
                        .to_owned(),
                };
                rows.push(vec![String::new(), self.unit_name(ui), String::new(), note]);
                continue;
            }
            let orgs: Vec<String> = silent
                .iter()
                .find(|(s, _)| *s == ui)
                .map(|(_, orgs)| orgs.iter().map(|&o| self.org_name(o)).collect())
                .unwrap_or_default();
            let text = if orgs.len() == n_orgs && n_orgs > 1 {
                self.in_lang("Tất cả các tổ chức", "Every organisation").to_owned()
            } else if orgs.is_empty() {
                self.in_lang(
                    "Không có (các tổ chức đều có hoạt động)",
                    "None (every organisation was active)",
                )
                .to_owned()
            } else {
                orgs.join("; ")
            };
            rows.push(vec![
                String::new(),
                self.unit_name(ui),
                text,
                ended_note(self).unwrap_or_default(),
            ]);
        }
        for (i, row) in rows.iter_mut().enumerate() {
            if let Some(c) = row.first_mut() {
                *c = (i + 1).to_string();
            }
        }
        let header = match self.lang {
            Lang::Vi => ["TT", "Đơn vị", "Tổ chức chưa có hoạt động", "Ghi chú"],
            Lang::En => ["No.", "Unit", "Organisations with no activity", "Note"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Center, Align::Left, Align::Left, Align::Left],
            widths: vec![1, 4, 10, 5],
        });
    }

    /// Appendix III: postponed and cancelled activities with their reasons,
    /// and the recommendations of the period not yet acted on.
    /// Says whether it wrote the appendix.
    fn dropped_and_open(&mut self, acts: &Activities) -> bool {
        let (postponed, cancelled) = acts.dropped_counts();
        let any_dropped = postponed + cancelled > 0;
        let any_open = acts.any_open();
        if !any_dropped && !any_open {
            return false;
        }
        self.push(Block::PageBreak);
        self.appendix_head(
            "III",
            self.in_lang(
                "HOẠT ĐỘNG PHẢI HOÃN, BỊ HỦY VÀ KIẾN NGHỊ CHƯA ĐƯỢC GIẢI QUYẾT TRONG KỲ",
                "ACTIVITIES POSTPONED OR CANCELLED AND RECOMMENDATIONS NOT YET ACTED ON",
            ),
            None,
        );
        if any_dropped {
            self.para(
                self.in_lang("1. Hoạt động phải hoãn, bị hủy", "1. Activities postponed or cancelled")
                    .to_owned(),
            );
            match acts.dropped() {
                Listing::Each(all) => self.dropped_each(&all),
                Listing::ByOffice(lines) => self.dropped_by_office(&lines),
            }
        }
        if any_open {
            self.para(
                match (any_dropped, self.lang) {
                    (true, Lang::Vi) => "2. Kiến nghị chưa được tiếp thu, giải quyết",
                    (true, Lang::En) => "2. Recommendations not yet acted on",
                    (false, Lang::Vi) => "Kiến nghị chưa được tiếp thu, giải quyết",
                    (false, Lang::En) => "Recommendations not yet acted on",
                }
                .to_owned(),
            );
            let over_years = matches!(self.scope.kind, ReportKind::Midterm(_) | ReportKind::Final(_));
            match acts.open() {
                Listing::Each(all) if !over_years => self.open_each(&all),
                Listing::Each(all) => self.open_by_office(&group_open(&all)),
                Listing::ByOffice(lines) => self.open_by_office(&lines),
            }
        }
        true
    }

    /// The postponed and cancelled activities, one line each.
    fn dropped_each(&mut self, all: &[Activity]) {
        let rows: Vec<Vec<String>> = all
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string(),
                    self.org_unit(a.org, a.unit),
                    a.title.clone(),
                    self.prose_date(a.date),
                    match (self.lang, a.status) {
                        (Lang::Vi, RowStatus::Postponed) => "Hoãn".to_owned(),
                        (Lang::Vi, _) => "Hủy".to_owned(),
                        (Lang::En, RowStatus::Postponed) => "Postponed".to_owned(),
                        (Lang::En, _) => "Cancelled".to_owned(),
                    },
                    a.note.clone(),
                ]
            })
            .collect();
        let header = match self.lang {
            Lang::Vi => ["TT", "Tổ chức", "Hoạt động", "Ngày", "Tình trạng", "Lý do"],
            Lang::En => ["No.", "Organisation", "Activity", "Date", "Standing", "Reason"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![
                Align::Center,
                Align::Left,
                Align::Left,
                Align::Center,
                Align::Left,
                Align::Left,
            ],
            widths: vec![2, 6, 9, 3, 3, 7],
        });
    }

    /// Too many postponed and cancelled activities to list one by one:
    /// counted by organisation and unit, with the reasons given.
    fn dropped_by_office(&mut self, lines: &[activities::OfficeLine]) {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    (i + 1).to_string(),
                    self.org_unit(l.org, l.unit),
                    self.int(l.postponed),
                    self.int(l.cancelled),
                    match (self.lang, l.reasons.is_empty()) {
                        (Lang::Vi, true) => "Chưa nêu lý do".to_owned(),
                        (Lang::En, true) => "No reason given".to_owned(),
                        (_, false) => l.reasons.join("; "),
                    },
                ]
            })
            .collect();
        let header = match self.lang {
            Lang::Vi => ["TT", "Tổ chức", "Hoãn", "Hủy", "Lý do"],
            Lang::En => ["No.", "Organisation", "Postponed", "Cancelled", "Reasons"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Center, Align::Left, Align::Right, Align::Right, Align::Left],
            widths: vec![2, 10, 3, 3, 12],
        });
    }

    /// The activities with recommendations not yet acted on, one line each.
    fn open_each(&mut self, open: &[Activity]) {
        let rows: Vec<Vec<String>> = open
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string(),
                    self.org_unit(a.org, a.unit),
                    a.title.clone(),
                    self.prose_date(a.date),
                    self.int(a.recommendations),
                    self.int(a.resolved),
                    self.int(a.recommendations.saturating_sub(a.resolved)),
                ]
            })
            .collect();
        let header = match self.lang {
            Lang::Vi => [
                "TT",
                "Tổ chức",
                "Hoạt động",
                "Ngày",
                "Kiến nghị",
                "Đã giải quyết",
                "Còn lại",
            ],
            Lang::En => ["No.", "Organisation", "Activity", "Date", "Made", "Acted on", "Open"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![
                Align::Center,
                Align::Left,
                Align::Left,
                Align::Center,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            widths: vec![2, 6, 11, 3, 3, 3, 3],
        });
    }

    /// Over several years, the open recommendations by organisation and
    /// unit (a line per activity would run to dozens of pages).
    fn open_by_office(&mut self, lines: &[activities::OfficeLine]) {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    (i + 1).to_string(),
                    self.org_unit(l.org, l.unit),
                    self.int(l.activities),
                    self.int(l.made),
                    self.int(l.acted),
                    self.int(l.made.saturating_sub(l.acted)),
                ]
            })
            .collect();
        let header = match self.lang {
            Lang::Vi => ["TT", "Tổ chức", "Số hoạt động", "Kiến nghị", "Đã giải quyết", "Còn lại"],
            Lang::En => ["No.", "Organisation", "Activities", "Made", "Acted on", "Open"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![
                Align::Center,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            widths: vec![2, 10, 3, 3, 3, 3],
        });
    }
}

/// The activities with open recommendations counted by unit and organisation.
fn group_open(open: &[Activity]) -> Vec<activities::OfficeLine> {
    let mut lines: Vec<activities::OfficeLine> = Vec::new();
    for a in open {
        let acted = a.resolved.min(a.recommendations);
        match lines.iter_mut().find(|l| (l.unit, l.org) == (a.unit, a.org)) {
            Some(l) => {
                l.activities += 1;
                l.made += a.recommendations;
                l.acted += acted;
            }
            None => lines.push(activities::OfficeLine {
                unit: a.unit,
                org: a.org,
                postponed: 0,
                cancelled: 0,
                activities: 1,
                made: a.recommendations,
                acted,
                reasons: Vec::new(),
            }),
        }
    }
    lines.sort_by_key(|l| (l.unit, l.org));
    lines
}
