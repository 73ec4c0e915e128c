//! The consolidated draft's table of results by unit (district) and by
//! organisation: done/planned per kind in the period, each office's figures
//! from the same evaluation as the consolidated ones (the engine's
//! per-(organisation, unit) cells), so that they add up to them.

use super::*;
use crate::report::office::{Office, office_tally};

impl Builder<'_> {
    /// Appendix `number`: results by unit and by organisation.
    pub(super) fn by_office(&mut self, number: &str) {
        let Some(w) = self.window(0).cloned() else { return };
        // Kinds with anything planned in the period, in plan order.
        let kinds: Vec<usize> = (0..self.plan.kinds.len())
            .filter(|&k| w.kinds.get(k).is_some_and(|t| t.planned() > 0 || t.done > 0))
            .collect();
        if kinds.is_empty() {
            return;
        }
        self.push(Block::PageBreak);
        self.appendix_head(
            number,
            self.in_lang(
                "KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ VÀ THEO TỔ CHỨC TRONG KỲ",
                "RESULTS BY UNIT AND BY ORGANISATION IN THE PERIOD",
            ),
            Some(
                self.in_lang(
                    "(Số hoạt động thực hiện/kế hoạch theo loại hoạt động)",
                    "(Activities done/planned by kind)",
                )
                .to_owned(),
            ),
        );
        let cell = |t: Option<&KindTally>| {
            let t = t.cloned().unwrap_or_default();
            format!("{}/{}", t.done, t.planned())
        };
        let mut header = vec![
            self.in_lang("TT", "No.").to_owned(),
            self.in_lang("Đơn vị", "Unit").to_owned(),
        ];
        header.extend(kinds.iter().map(|&k| self.kind_name(k)));
        // The consolidated figures, which the rows above add up to.
        let total_row = |label: &str| {
            let mut row = vec![String::new(), label.to_owned()];
            row.extend(kinds.iter().map(|&k| cell(w.kinds.get(k))));
            row
        };
        let mut rows = Vec::new();
        for (ui, u) in self.plan.units.iter().enumerate() {
            if !u.life().unwrap_or(self.plan.term).overlaps(self.scope.window) {
                continue;
            }
            let s = office_tally(
                self.plan,
                &w,
                Office {
                    org: None,
                    unit: Some(ui),
                },
            );
            let mut row = vec![(rows.len() + 1).to_string(), self.unit_name(ui)];
            row.extend(kinds.iter().map(|&k| cell(s.kinds.get(k))));
            rows.push(row);
        }
        rows.push(total_row(self.in_lang("Tổng cộng", "Total")));
        let n = kinds.len();
        let align: Vec<Align> = [Align::Center, Align::Left]
            .into_iter()
            .chain(std::iter::repeat_n(Align::Right, n))
            .collect();
        let widths: Vec<u32> = [2, 5].into_iter().chain(std::iter::repeat_n(4, n)).collect();
        self.para(self.in_lang("1. Theo đơn vị", "1. By unit").to_owned());
        self.push(Block::Table {
            header: header.clone(),
            rows,
            align: align.clone(),
            widths: widths.clone(),
        });
        let mut rows = Vec::new();
        for oi in 0..self.plan.orgs.len() {
            let s = office_tally(
                self.plan,
                &w,
                Office {
                    org: Some(oi),
                    unit: None,
                },
            );
            let mut row = vec![(rows.len() + 1).to_string(), self.org_name(oi)];
            row.extend(kinds.iter().map(|&k| cell(s.kinds.get(k))));
            rows.push(row);
        }
        rows.push(total_row(self.in_lang("Tổng cộng", "Total")));
        if let Some(h) = header.get_mut(1) {
            *h = self.in_lang("Tổ chức", "Organisation").to_owned();
        }
        self.para(self.in_lang("2. Theo tổ chức", "2. By organisation").to_owned());
        self.push(Block::Table {
            header,
            rows,
            align,
            widths,
        });
    }
}
