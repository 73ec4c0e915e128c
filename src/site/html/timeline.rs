//! The page's cumulative charts: activities done and scheduled since the
//! start of the term, against the targets' pace and maximums.

use std::fmt::Write;

use chrono::NaiveDate;

use super::{Page, is_half_end};
use crate::escape::html as esc;
use crate::site::model::Line;
use crate::site::svg;

impl Page<'_, '_> {
    pub(super) fn lines(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"luy-ke\">\n<h2>{}</h2>\n<p class=\"note\"><span class=\"k-done\"></span> {} <span class=\"k-sched\"></span> {} <span class=\"k-pace\"></span> {} <span class=\"k-limit\"></span> {} <span class=\"k-asof\"></span> {}</p>\n<div class=\"cards\">\n",
            self.pick("Lũy kế từ đầu giai đoạn", "Cumulative over the term"),
            self.pick("đã thực hiện", "done"),
            self.pick("đã lên kế hoạch trong nhật ký", "scheduled in the logs"),
            self.pick("yêu cầu theo tiến độ của chỉ tiêu", "required by the targets' pace"),
            self.pick("mức tối đa", "maximum"),
            self.pick("ngày tính số liệu", "as-of date"),
        );
        let m = self.m;
        for line in &m.lines {
            let Some(k) = line.kind else { continue };
            let code = m.plan.kinds.get(k).map_or("", |x| x.code.as_str());
            let last = line.done.last().map_or(0, |(_, v)| *v);
            let mut attrs = format!(" data-kind=\"{}\" data-done=\"{last}\"", esc(code));
            if let Some((_, p)) = line.pace.iter().find(|(d, _)| *d == line.as_of) {
                let _ = write!(attrs, " data-pace=\"{p}\"");
            }
            self.card(line, &self.kind_name(k), &attrs);
        }
        for line in &m.budgets {
            let Some(t) = line.target.and_then(|i| m.plan.targets.get(i)) else {
                continue;
            };
            let last = line.done.last().map_or(0, |(_, v)| *v);
            let attrs = format!(" data-target=\"{}\" data-spent=\"{last}\"", esc(&t.id));
            self.card(line, &t.title, &attrs);
        }
        self.w("</div>\n</section>\n");
    }

    fn card(&mut self, line: &Line, title: &str, attrs: &str) {
        let lang = self.m.lang;
        let money = line.limit.is_some();
        let _ = write!(
            self.out,
            "<figure class=\"card\"{attrs}>\n<figcaption>{}</figcaption>\n{}\n",
            esc(title),
            svg::line_chart(line, lang, title)
        );
        let head = if money {
            vec![
                self.pick("Đến ngày", "To"),
                self.pick("Đã chi (đồng)", "Spent"),
                self.pick("Mức tối đa", "Maximum"),
            ]
        } else {
            let mut h = vec![
                self.pick("Đến ngày", "To"),
                self.pick("Đã thực hiện", "Done"),
                self.pick("Theo kế hoạch", "Scheduled"),
            ];
            if !line.pace.is_empty() {
                h.push(self.pick("Yêu cầu theo tiến độ", "Required by pace"));
            }
            h
        };
        let _ = write!(
            self.out,
            "<div class=\"scroll\"><table class=\"data\"><caption>{} ({})</caption><thead><tr>",
            esc(title),
            self.pick("số liệu của biểu đồ", "the chart's figures")
        );
        for h in head {
            let _ = write!(self.out, "<th scope=\"col\">{h}</th>");
        }
        self.w("</tr></thead><tbody>\n");
        let dates: Vec<NaiveDate> = line
            .pace
            .iter()
            .chain(&line.done)
            .map(|(d, _)| *d)
            .filter(|d| is_half_end(*d) || *d == line.as_of || *d == line.term.end)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let at = |v: &[(NaiveDate, u64)], d: NaiveDate| {
            v.iter()
                .find(|(x, _)| *x == d)
                .map_or_else(|| "–".to_owned(), |(_, n)| lang.int(*n))
        };
        for d in dates {
            let mark = if d == line.as_of { " class=\"asof\"" } else { "" };
            let _ = write!(
                self.out,
                "<tr{mark}><th scope=\"row\">{}</th><td class=\"num\">{}</td>",
                self.date(d),
                at(&line.done, d)
            );
            if let Some(max) = line.limit {
                let _ = write!(self.out, "<td class=\"num\">{}</td>", self.int(max));
            } else {
                let _ = write!(self.out, "<td class=\"num\">{}</td>", at(&line.scheduled, d));
                if !line.pace.is_empty() {
                    let _ = write!(self.out, "<td class=\"num\">{}</td>", at(&line.pace, d));
                }
            }
            self.w("</tr>\n");
        }
        self.w("</tbody></table></div>\n</figure>\n");
    }
}
