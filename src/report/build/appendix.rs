//! The appendices of a report draft: the results against every target, and
//! the offices with no activity recorded in the period.

use super::*;

impl Builder<'_> {
    pub(super) fn appendix(&mut self) {
        self.push(Block::PageBreak);
        self.heading(1, self.t("PHỤ LỤC", "APPENDIX").to_owned());
        let h = match self.lang {
            Lang::Vi => format!(
                "Phụ lục 1. Kết quả thực hiện các chỉ tiêu (tính đến ngày {})",
                self.date(self.scope.as_of)
            ),
            Lang::En => format!(
                "Appendix 1. Results against the targets (as of {})",
                self.date(self.scope.as_of)
            ),
        };
        self.heading(2, h);
        let header = match self.lang {
            Lang::Vi => [
                "TT",
                "Mã",
                "Chỉ tiêu",
                "Phạm vi",
                "Kỳ",
                "Yêu cầu",
                "Thực hiện",
                "Tỷ lệ",
                "Trạng thái",
            ],
            Lang::En => [
                "No.", "Id", "Target", "Scope", "Period", "Required", "Actual", "%", "Status",
            ],
        };
        let mut rows = Vec::new();
        for ti in 0..self.plan.targets.len() {
            let Some(t) = self.plan.targets.get(ti) else { continue };
            for (i, r) in self.relevant(ti).into_iter().enumerate() {
                // The title once per target: the id repeats on every row.
                let title = if i == 0 { t.title.clone() } else { String::new() };
                rows.push(vec![
                    (rows.len() + 1).to_string(),
                    t.id.clone(),
                    title,
                    match self.named_scope(r) {
                        s if s.is_empty() => self.t("chung", "all").to_owned(),
                        s => s,
                    },
                    r.period.label.to_string(),
                    crate::render::figure(Some(r.required), self.lang),
                    crate::render::figure(r.actual, self.lang),
                    crate::render::percent(r, self.lang),
                    status_label(r.status, self.lang).to_owned(),
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
                Align::Left,
                Align::Center,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
            widths: vec![1, 3, 6, 3, 2, 3, 3, 2, 3],
        });
        self.completeness();
    }

    /// Who logged nothing in the period, unit by unit; units that have
    /// ceased to exist are said to have.
    pub(super) fn completeness(&mut self) {
        let h = self.t(
            "Phụ lục 2. Tình hình cập nhật nhật ký hoạt động trong kỳ",
            "Appendix 2. Reporting completeness in the period",
        );
        self.heading(2, h.to_owned());
        let Some(w) = self.window(0).cloned() else { return };
        let n_units = self.plan.units.len();
        let mut rows = Vec::new();
        for (ui, u) in self.plan.units.iter().enumerate() {
            let life = u.life().unwrap_or(self.plan.term);
            let exists = life.overlaps(self.scope.window);
            let name = u.name.clone();
            if !exists {
                let text = match (u.until, self.lang) {
                    (Some(until), Lang::Vi) if until < self.scope.window.start => {
                        format!(
                            "đã kết thúc hoạt động từ {}",
                            self.date(until.succ_opt().unwrap_or(until))
                        )
                    }
                    (Some(until), Lang::En) if until < self.scope.window.start => {
                        format!(
                            "ceased operation as of {}",
                            self.date(until.succ_opt().unwrap_or(until))
                        )
                    }
                    (_, Lang::Vi) => "chưa thành lập trong kỳ".to_owned(),
                    (_, Lang::En) => "not yet established in the period".to_owned(),
                };
                rows.push(vec![name, text]);
                continue;
            }
            let silent: Vec<&str> = self
                .plan
                .orgs
                .iter()
                .enumerate()
                .filter(|(oi, _)| !w.is_active(*oi, ui, n_units))
                .map(|(_, o)| o.name.as_str())
                .collect();
            let mut text = if silent.is_empty() {
                self.t("đủ các tổ chức có hoạt động", "every organisation logged activity")
                    .to_owned()
            } else {
                format!(
                    "{}: {}",
                    self.t("chưa có hoạt động nào", "nothing logged"),
                    silent.join(", ")
                )
            };
            if let Some(until) = u.until.filter(|d| *d < self.scope.window.end) {
                text.push_str(&match self.lang {
                    Lang::Vi => format!(
                        " (đã kết thúc hoạt động từ {})",
                        self.date(until.succ_opt().unwrap_or(until))
                    ),
                    Lang::En => format!(
                        " (ceased operation as of {})",
                        self.date(until.succ_opt().unwrap_or(until))
                    ),
                });
            }
            rows.push(vec![name, text]);
        }
        let header = match self.lang {
            Lang::Vi => ["Đơn vị", "Tình hình"],
            Lang::En => ["Unit", "Status"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Left, Align::Left],
            widths: vec![3, 7],
        });
    }
}
