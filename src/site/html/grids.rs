//! The page's grids: each target's results per organisation and unit,
//! period by period.

use std::fmt::Write;

use super::{Page, statuses_attr, symbol};
use crate::engine::Status;
use crate::escape::html as esc;
use crate::site::model::{Cell, Dim, Grid, status_counts, worst};
use crate::site::svg;
use crate::wording::status_label;

impl Page<'_, '_> {
    pub(super) fn grids(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"luoi\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
            self.pick(
                "Chỉ tiêu theo từng tổ chức, đơn vị qua các kỳ",
                "Targets per organisation and unit, period by period"
            ),
            self.pick(
                "Mỗi ô: trạng thái và số đã thực hiện/yêu cầu; ô gộp nhiều đơn vị ghi số trường hợp đạt và tô theo trạng thái kém nhất.",
                "Each cell: the status and done/required; a cell over several units gives how many met and is coloured by the worst status."
            )
        );
        for g in &self.m.grids {
            self.grid(g);
        }
        self.w("</section>\n");
    }

    fn grid(&mut self, g: &Grid<'_>) {
        let plan = self.plan();
        let lang = self.m.lang;
        let Some(t) = plan.targets.get(g.target) else { return };
        let (dim_name, dim_attr) = match g.dim {
            Dim::Org => (self.pick("Tổ chức", "Organisation"), "org"),
            Dim::Unit => (self.pick("Đơn vị", "Unit"), "unit"),
            Dim::Field => (self.pick("Lĩnh vực", "Field"), "field"),
        };
        let caption = format!("{} · {} × {}", t.title, dim_name, self.pick("kỳ", "period"));
        let _ = write!(
            self.out,
            "<h3>{} <code>{}</code></h3>\n<div class=\"scroll\"><table class=\"grid\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{dim_name}</th>",
            esc(&t.title),
            esc(&t.id),
            esc(&caption)
        );
        for (l, _) in &g.periods {
            let _ = write!(self.out, "<th scope=\"col\">{l}</th>");
        }
        self.w("</tr></thead>\n<tbody>\n");
        for (member, cells) in &g.rows {
            let (code, name) = match g.dim {
                Dim::Org => plan.orgs.get(*member).map(|o| (o.code.as_str(), o.name.as_str())),
                Dim::Unit => plan.units.get(*member).map(|u| (u.code.as_str(), u.name.as_str())),
                Dim::Field => plan.fields.get(*member).map(|f| (f.code.as_str(), f.name.as_str())),
            }
            .unwrap_or(("", ""));
            let shown = if g.dim == Dim::Field {
                format!("{}: {}", esc(code), esc(&crate::escape::cut(name, 60)))
            } else {
                esc(name).into_owned()
            };
            let _ = write!(self.out, "<tr><th scope=\"row\">{shown}</th>");
            for ((label, _), cell) in g.periods.iter().zip(cells) {
                match cell {
                    Cell::Empty => {
                        let _ = write!(
                            self.out,
                            "<td class=\"c gone\" title=\"{}\">—</td>",
                            self.pick("không còn hoặc chưa có trong kỳ", "not in existence in the period")
                        );
                    }
                    Cell::Results(rs) => match rs.as_slice() {
                        [r] => {
                            let _ = write!(
                                self.out,
                                "<td class=\"c {}\"{}><span class=\"sym\">{}</span> {}<span class=\"sr\"> {}</span></td>",
                                svg::class(r.status),
                                self.result_attrs(r),
                                symbol(r.status),
                                self.actual_of_required(Some(t), r),
                                status_label(r.status, lang)
                            );
                        }
                        many => {
                            let s = worst(many);
                            let met = many.iter().filter(|r| r.status == Status::Met).count();
                            let _ = write!(
                                self.out,
                                "<td class=\"c {}\" data-target=\"{}\" data-period=\"{label}\" data-{dim_attr}=\"{}\" data-statuses=\"{}\"><span class=\"sym\">{}</span> {}/{}<span class=\"sr\"> {} ({})</span></td>",
                                svg::class(s),
                                esc(&t.id),
                                esc(code),
                                statuses_attr(&status_counts(many)),
                                symbol(s),
                                lang.int(met as u64),
                                lang.int(many.len() as u64),
                                self.pick("đạt", "met"),
                                status_label(s, lang)
                            );
                        }
                    },
                }
            }
            self.w("</tr>\n");
        }
        self.w("</tbody></table></div>\n");
    }
}
