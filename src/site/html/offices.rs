//! The page's offices with no activity logged in the period (organisation
//! by unit), and the recommendations made and acted on per organisation.

use std::fmt::Write;

use super::Page;
use crate::escape::html as esc;
use crate::site::svg;

impl Page<'_, '_> {
    pub(super) fn offices(&mut self) {
        let m = self.m;
        let plan = m.plan;
        let silent: usize = m
            .offices
            .iter()
            .filter(|o| o.absent.is_none())
            .map(|o| o.active.iter().filter(|a| !**a).count())
            .sum();
        let _ = write!(
            self.out,
            "<section id=\"chua-ghi-nhan\">\n<h2>{}</h2>\n<p>{}: <strong>{}</strong>.</p>\n<div class=\"scroll\"><table class=\"grid offices\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
            self.pick(
                "Cơ quan, tổ chức chưa ghi nhận hoạt động nào trong kỳ",
                "Offices with no activity logged in the period"
            ),
            self.pick(
                "Số tổ chức ở các đơn vị chưa ghi nhận hoạt động",
                "Organisations at units with nothing logged"
            ),
            self.int(silent as u64),
            self.pick(
                "✓ có hoạt động; ✗ chưa ghi nhận hoạt động nào trong kỳ",
                "✓ activity logged; ✗ nothing logged in the period"
            ),
            self.pick("Đơn vị", "Unit")
        );
        for o in &plan.orgs {
            let _ = write!(
                self.out,
                "<th scope=\"col\"><abbr title=\"{}\">{}</abbr></th>",
                esc(&o.name),
                esc(&o.code)
            );
        }
        self.w("</tr></thead>\n<tbody>\n");
        for o in &m.offices {
            let Some(u) = plan.units.get(o.unit) else { continue };
            let _ = write!(self.out, "<tr><th scope=\"row\">{}</th>", esc(&u.name));
            match o.absent {
                Some(day) => {
                    let text = if day <= m.window.start {
                        format!(
                            "{} {}",
                            self.pick("đã kết thúc hoạt động từ", "ceased operation as of"),
                            self.date(day)
                        )
                    } else {
                        format!("{} {}", self.pick("thành lập từ", "established on"), self.date(day))
                    };
                    let _ = write!(
                        self.out,
                        "<td class=\"c gone\" colspan=\"{}\">— {text}</td>",
                        plan.orgs.len().max(1)
                    );
                }
                None => {
                    for (oi, active) in o.active.iter().enumerate() {
                        let org = plan.orgs.get(oi).map_or("", |x| x.code.as_str());
                        if *active {
                            let _ = write!(
                                self.out,
                                "<td class=\"c on\" data-org=\"{}\"><span class=\"sym\">✓</span><span class=\"sr\"> {}</span></td>",
                                esc(org),
                                self.pick("có hoạt động", "activity logged")
                            );
                        } else {
                            let _ = write!(
                                self.out,
                                "<td class=\"c off\" data-org=\"{}\" data-silent=\"1\"><span class=\"sym\">✗</span><span class=\"sr\"> {}</span></td>",
                                esc(org),
                                self.pick("chưa ghi nhận", "nothing logged")
                            );
                        }
                    }
                }
            }
            self.w("</tr>\n");
        }
        self.w("</tbody></table></div>\n</section>\n");
    }

    pub(super) fn recos(&mut self) {
        let m = self.m;
        let lang = m.lang;
        let most = m.recos.iter().map(|r| r[0]).max().unwrap_or(0);
        let _ = write!(
            self.out,
            "<section id=\"kien-nghi\">\n<h2>{}</h2>\n<div class=\"scroll\"><table class=\"bars recos\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            self.pick(
                "Kiến nghị đưa ra và đã được tiếp thu, giải quyết, theo tổ chức (trong kỳ)",
                "Recommendations made and acted on, by organisation (in the period)"
            ),
            self.pick(
                "Thanh nhạt: số kiến nghị; thanh đậm: số đã được giải quyết",
                "Light bar: recommendations made; dark bar: acted on"
            ),
            self.pick("Tổ chức", "Organisation"),
            self.pick("Biểu đồ", "Chart"),
            self.pick("Kiến nghị", "Made"),
            self.pick("Đã giải quyết", "Acted on"),
            self.pick("Tỷ lệ", "Ratio"),
        );
        for (o, [made, resolved]) in m.plan.orgs.iter().zip(&m.recos) {
            let pct = if *made > 0 {
                lang.percent(*resolved as f64 / *made as f64)
            } else {
                "–".to_owned()
            };
            let _ = writeln!(
                self.out,
                "<tr data-org=\"{}\" data-made=\"{made}\" data-resolved=\"{resolved}\"><th scope=\"row\">{}</th><td class=\"viz\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{pct}</td></tr>",
                esc(&o.code),
                esc(&o.name),
                svg::pair(*made, *resolved, most),
                lang.int(*made),
                lang.int(*resolved),
            );
        }
        self.w("</tbody></table></div>\n</section>\n");
    }
}
