//! The dashboard page: one HTML document with its stylesheet and SVG
//! inline, no script and no external reference. Every string from a plan or
//! a log goes through [`crate::escape::html`]; every figure is written in
//! the page's language (`30.727.000.000`, `51,7%`, `30/06/2023`). Each
//! chart has its numbers in a table, and every element that shows an engine
//! result carries it in `data-` attributes (target, period, scope, actual,
//! required, expected, status), so a test can compare the page with
//! `status --format json`.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::engine::{Figure, Status, TargetResult};
use crate::escape::html as esc;
use crate::lang::Lang;
use crate::model::{Measure, NumColumn, Plan, Target};
use crate::wording::{machine_figure, money_pair, status_label};

use super::model::Model;
use super::svg;

mod grids;
mod offices;
mod targets;
mod timeline;

const CSS: &str = include_str!("site.css");

/// A status as a mark that reads without colour.
pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Met | Status::Within => "✓",
        Status::OnTrack => "→",
        Status::Behind => "!",
        Status::Missed => "✗",
        Status::Over => "↑",
        Status::Upcoming => "○",
        Status::NotApplicable => "–",
    }
}

struct Page<'m, 'a> {
    m: &'m Model<'a>,
    out: String,
}

/// Writes the page.
pub fn render(m: &Model<'_>) -> String {
    let mut p = Page {
        m,
        out: String::with_capacity(256 * 1024),
    };
    p.document();
    p.out
}

impl<'a> Page<'_, 'a> {
    fn pick<'s>(&self, vi: &'s str, en: &'s str) -> &'s str {
        self.m.lang.pick(vi, en)
    }

    fn plan(&self) -> &'a Plan {
        self.m.plan
    }

    fn date(&self, d: NaiveDate) -> String {
        self.m.lang.date(d)
    }

    fn int(&self, n: u64) -> String {
        self.m.lang.int(n)
    }

    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn document(&mut self) {
        let lang = self.pick("vi", "en");
        let plan = self.plan();
        let title = format!(
            "{} {} · {}",
            self.pick("Bảng theo dõi", "Dashboard"),
            plan.number,
            self.m.label
        );
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
            esc(&title)
        );
        self.w(svg::defs());
        self.w("\n");
        self.header();
        self.w("<main>\n");
        self.legend();
        self.summary();
        self.targets();
        self.grids();
        self.lines();
        self.offices();
        self.recos();
        self.w("</main>\n");
        let foot = format!(
            "<footer><p>{} <code>plan site</code> {} <code>{}</code>. {}</p></footer>\n",
            self.pick("Trang do", "Made by"),
            self.pick("từ tệp kế hoạch", "from the plan file"),
            esc(&self.plan().path),
            self.pick(
                "Số liệu như lệnh plan status cho cùng ngày.",
                "The figures are those of plan status for the same date."
            )
        );
        self.w(&foot);
        self.w("</body>\n</html>\n");
    }

    fn header(&mut self) {
        let m = self.m;
        let plan = m.plan;
        let _ = write!(
            self.out,
            "<header>\n<p class=\"issuer\">{} · {}</p>\n<h1>{}</h1>\n<p class=\"asof\">{} <strong>{}</strong> · {} <strong>{}</strong> ({} – {})</p>\n",
            esc(&plan.issuer),
            esc(&plan.number),
            esc(&plan.title),
            self.pick("Số liệu tính đến ngày", "Figures as of"),
            self.date(m.eval.as_of),
            self.pick("kỳ", "period"),
            esc(&m.label),
            self.date(m.window.start),
            self.date(m.window.end),
        );
        let nav = [
            ("tom-tat", "Tóm tắt", "Summary"),
            ("chi-tieu", "Chỉ tiêu", "Targets"),
            ("luoi", "Tổ chức, đơn vị", "Organisations, units"),
            ("luy-ke", "Lũy kế", "Over time"),
            ("chua-ghi-nhan", "Chưa ghi nhận", "Nothing logged"),
            ("kien-nghi", "Kiến nghị", "Recommendations"),
        ];
        self.w("<nav><ul>");
        for (id, vi, en) in nav {
            let _ = write!(self.out, "<li><a href=\"#{id}\">{}</a></li>", self.pick(vi, en));
        }
        self.w("</ul></nav>\n</header>\n");
    }

    fn legend(&mut self) {
        let _ = write!(
            self.out,
            "<section class=\"legend\" aria-label=\"{}\"><ul>",
            self.pick("Chú giải", "Legend")
        );
        for s in Status::ALL {
            let _ = write!(
                self.out,
                "<li>{}<span class=\"sym\">{}</span> {}</li>",
                svg::swatch(s),
                symbol(s),
                status_label(s, self.m.lang)
            );
        }
        let _ = write!(
            self.out,
            "<li><span class=\"key-req\" aria-hidden=\"true\"></span> {}</li><li><span class=\"key-pace\" aria-hidden=\"true\">▲</span> {}</li><li><span class=\"sym\">—</span> {}</li>",
            self.pick("yêu cầu", "requirement"),
            self.pick("tiến độ cần đạt đến ngày tính", "pace due by the as-of date"),
            self.pick(
                "đơn vị không còn (hoặc chưa có) trong kỳ",
                "unit no longer (or not yet) in existence"
            )
        );
        self.w("</ul></section>\n");
    }

    fn kind_name(&self, k: usize) -> String {
        let Some(kind) = self.plan().kinds.get(k) else {
            return String::new();
        };
        match self.m.lang {
            Lang::Vi => kind.name.clone(),
            Lang::En if kind.en.is_some() => kind.en.clone().unwrap_or_default(),
            Lang::En => {
                // No English name in the plan: the code in words, with the
                // Vietnamese name beside it.
                let words = kind.code.replace(['-', '_'], " ");
                let mut c = words.chars();
                let cap: String = c
                    .next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default();
                format!("{cap} ({})", kind.name)
            }
        }
    }

    fn summary(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"tom-tat\">\n<h2>{}</h2>\n<ul class=\"summary\">\n",
            self.pick(
                "Tóm tắt theo loại hoạt động trong kỳ (đã thực hiện/theo kế hoạch)",
                "Summary by kind of activity in the period (done/scheduled)"
            )
        );
        let lines: Vec<String> = self.m.groups.iter().filter_map(|g| g.summary.clone()).collect();
        for (k, line) in lines.iter().enumerate() {
            // The summary starts with the Vietnamese kind name; English
            // shows the code's words first.
            let text = match self.m.lang {
                Lang::Vi => line.clone(),
                Lang::En => {
                    let name = self.plan().kinds.get(k).map_or("", |x| x.name.as_str());
                    format!("{}{}", self.kind_name(k), line.strip_prefix(name).unwrap_or(line))
                }
            };
            let code = self.plan().kinds.get(k).map_or("", |x| x.code.as_str());
            let _ = writeln!(self.out, "<li data-kind=\"{}\">{}</li>", esc(code), esc(&text));
        }
        self.w("</ul>\n</section>\n");
    }

    fn result_attrs(&self, r: &TargetResult) -> String {
        let plan = self.plan();
        let mut s = format!(
            " data-target=\"{}\" data-period=\"{}\"",
            esc(plan.targets.get(r.target).map_or("", |t| t.id.as_str())),
            r.period.label
        );
        if let Some(o) = r.org.and_then(|i| plan.orgs.get(i)) {
            let _ = write!(s, " data-org=\"{}\"", esc(&o.code));
        }
        if let Some(u) = r.unit.and_then(|i| plan.units.get(i)) {
            let _ = write!(s, " data-unit=\"{}\"", esc(&u.code));
        }
        if let Some(f) = r.field.and_then(|i| plan.fields.get(i)) {
            let _ = write!(s, " data-field=\"{}\"", esc(&f.code));
        }
        let _ = write!(
            s,
            " data-actual=\"{}\" data-required=\"{}\" data-status=\"{}\"",
            machine_figure(r.actual),
            machine_figure(Some(r.required)),
            r.status.as_str()
        );
        if let Some(e) = r.expected {
            let _ = write!(s, " data-expected=\"{e}\"");
        }
        s
    }

    /// `15/16`, `6,66 / 30,73 tỷ` for money, `75%` for a ratio.
    fn actual_of_required(&self, t: Option<&Target>, r: &TargetResult) -> String {
        let lang = self.m.lang;
        let money = t.is_some_and(|t| t.measure == Measure::Sum(NumColumn::Cost));
        match (r.actual, r.required) {
            (Some(Figure::Int(a)), Figure::Int(q)) if money => money_pair(a, q, lang),
            (Some(Figure::Int(a)), Figure::Int(q)) => format!("{}/{}", lang.int(a), lang.int(q)),
            (a, q) => format!(
                "{} / {}",
                crate::wording::figure(a, lang),
                crate::wording::figure(Some(q), lang)
            ),
        }
    }

    fn status_cell(&self, s: Status) -> String {
        format!(
            "<td class=\"st {}\"><span class=\"sym\">{}</span> {}</td>",
            svg::class(s),
            symbol(s),
            status_label(s, self.m.lang)
        )
    }

    fn target_cell(t: Option<&Target>) -> String {
        let Some(t) = t else {
            return "<th scope=\"row\"></th>".to_owned();
        };
        format!(
            "<th scope=\"row\"><span class=\"ttl\">{}</span> <code>{}</code></th>",
            esc(&t.title),
            esc(&t.id)
        )
    }
}

fn statuses_attr(counts: &[(Status, usize)]) -> String {
    counts
        .iter()
        .map(|(s, n)| format!("{}:{n}", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

fn is_half_end(d: NaiveDate) -> bool {
    (d.month() == 6 && d.day() == 30) || (d.month() == 12 && d.day() == 31)
}
