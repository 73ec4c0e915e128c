//! The page's targets section: per kind of activity, a bar for each
//! target's result in the periods that overlap the period shown.

use std::fmt::Write;

use super::{Page, statuses_attr};
use crate::engine::Status;
use crate::escape::html as esc;
use crate::lang::Lang;
use crate::site::model::{BarRow, Group, status_counts};
use crate::site::svg;
use crate::wording::{percent, status_label};

impl Page<'_, '_> {
    pub(super) fn targets(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"chi-tieu\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
            self.pick(
                "Chỉ tiêu theo loại hoạt động (các kỳ giao với kỳ đang xem)",
                "Targets by kind of activity (periods that overlap the period shown)"
            ),
            self.pick(
                "Thanh: số đã thực hiện so với yêu cầu; vạch đứng: yêu cầu; tam giác: tiến độ cần đạt đến ngày tính. Chỉ tiêu tính riêng cho từng tổ chức, đơn vị hoặc lĩnh vực: thanh chia theo số trường hợp ở mỗi trạng thái.",
                "Bar: done against the requirement; upright tick: the requirement; triangle: the pace due by the as-of date. Targets counted per organisation, unit or field: the bar is split by how many are in each status."
            )
        );
        for g in &self.m.groups {
            self.group(g);
        }
        self.w("</section>\n");
    }

    fn group(&mut self, g: &Group<'_>) {
        let name = match g.kind {
            Some(k) => self.kind_name(k),
            None => self
                .pick("Nhiều loại hoạt động", "Several kinds of activity")
                .to_owned(),
        };
        let _ = writeln!(self.out, "<h3>{}</h3>", esc(&name));
        if g.rows.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"note\">{}</p>",
                self.pick("Không có chỉ tiêu riêng cho loại này.", "No target of its own.")
            );
            return;
        }
        let head = match self.m.lang {
            Lang::Vi => [
                "Chỉ tiêu",
                "Kỳ",
                "Biểu đồ",
                "Thực hiện/Yêu cầu",
                "Tiến độ cần đạt",
                "Tỷ lệ",
                "Trạng thái",
            ],
            Lang::En => [
                "Target",
                "Period",
                "Chart",
                "Done/Required",
                "Pace due",
                "Ratio",
                "Status",
            ],
        };
        let _ = write!(
            self.out,
            "<div class=\"scroll\"><table class=\"bars\">\n<caption>{}</caption>\n<colgroup><col class=\"w-title\"><col class=\"w-per\"><col class=\"w-viz\"><col class=\"w-num\"><col class=\"w-pace\"><col class=\"w-pct\"><col class=\"w-st\"></colgroup>\n<thead><tr>",
            esc(&name)
        );
        for h in head {
            let _ = write!(self.out, "<th scope=\"col\">{h}</th>");
        }
        self.w("</tr></thead>\n<tbody>\n");
        for row in &g.rows {
            self.bar_row(row);
        }
        self.w("</tbody></table></div>\n");
    }

    fn bar_row(&mut self, row: &BarRow<'_>) {
        let plan = self.plan();
        let lang = self.m.lang;
        match row {
            BarRow::One { target, r } => {
                let t = plan.targets.get(*target);
                let expected = r.expected.map_or_else(|| "–".to_owned(), |e| lang.int(e));
                let _ = writeln!(
                    self.out,
                    "<tr{}>{}<td>{}</td><td class=\"viz\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
                    self.result_attrs(r),
                    Self::target_cell(t),
                    r.period.label,
                    svg::progress(r),
                    self.actual_of_required(t, r),
                    expected,
                    percent(r, lang),
                    self.status_cell(r.status)
                );
            }
            BarRow::Many { target, label, results } => {
                let t = plan.targets.get(*target);
                let counts = status_counts(results);
                let words: Vec<String> = counts
                    .iter()
                    .map(|(s, n)| format!("{} {}", lang.int(*n as u64), status_label(*s, lang)))
                    .collect();
                let met = results.iter().filter(|r| r.status == Status::Met).count();
                let _ = writeln!(
                    self.out,
                    "<tr data-target=\"{}\" data-period=\"{label}\" data-statuses=\"{}\">{}<td>{label}</td><td class=\"viz\">{}</td><td class=\"num\">{}/{} {}</td><td class=\"num\">–</td><td class=\"num\">{}</td><td class=\"st\">{}</td></tr>",
                    esc(t.map_or("", |t| t.id.as_str())),
                    statuses_attr(&counts),
                    Self::target_cell(t),
                    svg::stacked(&counts),
                    lang.int(met as u64),
                    lang.int(results.len() as u64),
                    self.pick("đạt", "met"),
                    lang.percent(met as f64 / results.len().max(1) as f64),
                    words.join("; ")
                );
            }
            BarRow::Nothing { target } => {
                let t = plan.targets.get(*target);
                let _ = writeln!(
                    self.out,
                    "<tr>{}<td colspan=\"6\" class=\"note\">{}</td></tr>",
                    Self::target_cell(t),
                    self.pick(
                        "Không có kỳ nào của chỉ tiêu trong kỳ đang xem.",
                        "The target has no period in the period shown."
                    )
                );
            }
        }
    }
}
