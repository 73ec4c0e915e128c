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
use crate::wording::{machine_figure, money_pair, percent, status_label};

use super::model::{BarRow, Cell, Dim, Grid, Group, Line, Model, status_counts, worst};
use super::svg;

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

impl<'m, 'a> Page<'m, 'a> {
    fn t<'s>(&self, vi: &'s str, en: &'s str) -> &'s str {
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
        let lang = self.t("vi", "en");
        let plan = self.plan();
        let title = format!(
            "{} {} · {}",
            self.t("Bảng theo dõi", "Dashboard"),
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
            self.t("Trang do", "Made by"),
            self.t("từ tệp kế hoạch", "from the plan file"),
            esc(&self.plan().path),
            self.t(
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
            self.t("Số liệu tính đến ngày", "Figures as of"),
            self.date(m.eval.as_of),
            self.t("kỳ", "period"),
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
            let _ = write!(self.out, "<li><a href=\"#{id}\">{}</a></li>", self.t(vi, en));
        }
        self.w("</ul></nav>\n</header>\n");
    }

    fn legend(&mut self) {
        let _ = write!(
            self.out,
            "<section class=\"legend\" aria-label=\"{}\"><ul>",
            self.t("Chú giải", "Legend")
        );
        for s in [
            Status::Met,
            Status::OnTrack,
            Status::Behind,
            Status::Missed,
            Status::Upcoming,
            Status::Within,
            Status::Over,
            Status::NotApplicable,
        ] {
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
            self.t("yêu cầu", "requirement"),
            self.t("tiến độ cần đạt đến ngày tính", "pace due by the as-of date"),
            self.t(
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
            self.t(
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

    fn target_cell(&self, t: Option<&Target>) -> String {
        let Some(t) = t else {
            return "<th scope=\"row\"></th>".to_owned();
        };
        format!(
            "<th scope=\"row\"><span class=\"ttl\">{}</span> <code>{}</code></th>",
            esc(&t.title),
            esc(&t.id)
        )
    }

    fn targets(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"chi-tieu\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
            self.t(
                "Chỉ tiêu theo loại hoạt động (các kỳ giao với kỳ đang xem)",
                "Targets by kind of activity (periods that overlap the period shown)"
            ),
            self.t(
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
            None => self.t("Nhiều loại hoạt động", "Several kinds of activity").to_owned(),
        };
        let _ = writeln!(self.out, "<h3>{}</h3>", esc(&name));
        if g.rows.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"note\">{}</p>",
                self.t("Không có chỉ tiêu riêng cho loại này.", "No target of its own.")
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
                    self.target_cell(t),
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
                    self.target_cell(t),
                    svg::stacked(&counts),
                    lang.int(met as u64),
                    lang.int(results.len() as u64),
                    self.t("đạt", "met"),
                    lang.percent(met as f64 / results.len().max(1) as f64),
                    words.join("; ")
                );
            }
            BarRow::Nothing { target } => {
                let t = plan.targets.get(*target);
                let _ = writeln!(
                    self.out,
                    "<tr>{}<td colspan=\"6\" class=\"note\">{}</td></tr>",
                    self.target_cell(t),
                    self.t(
                        "Không có kỳ nào của chỉ tiêu trong kỳ đang xem.",
                        "The target has no period in the period shown."
                    )
                );
            }
        }
    }

    fn grids(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"luoi\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
            self.t(
                "Chỉ tiêu theo từng tổ chức, đơn vị qua các kỳ",
                "Targets per organisation and unit, period by period"
            ),
            self.t(
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
            Dim::Org => (self.t("Tổ chức", "Organisation"), "org"),
            Dim::Unit => (self.t("Đơn vị", "Unit"), "unit"),
            Dim::Field => (self.t("Lĩnh vực", "Field"), "field"),
        };
        let caption = format!("{} · {} × {}", t.title, dim_name, self.t("kỳ", "period"));
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
                            self.t("không còn hoặc chưa có trong kỳ", "not in existence in the period")
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
                                self.t("đạt", "met"),
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

    fn lines(&mut self) {
        let _ = write!(
            self.out,
            "<section id=\"luy-ke\">\n<h2>{}</h2>\n<p class=\"note\"><span class=\"k-done\"></span> {} <span class=\"k-sched\"></span> {} <span class=\"k-pace\"></span> {} <span class=\"k-limit\"></span> {} <span class=\"k-asof\"></span> {}</p>\n<div class=\"cards\">\n",
            self.t("Lũy kế từ đầu giai đoạn", "Cumulative over the term"),
            self.t("đã thực hiện", "done"),
            self.t("đã lên kế hoạch trong nhật ký", "scheduled in the logs"),
            self.t("yêu cầu theo tiến độ của chỉ tiêu", "required by the targets' pace"),
            self.t("mức tối đa", "maximum"),
            self.t("ngày tính số liệu", "as-of date"),
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
                self.t("Đến ngày", "To"),
                self.t("Đã chi (đồng)", "Spent"),
                self.t("Mức tối đa", "Maximum"),
            ]
        } else {
            let mut h = vec![
                self.t("Đến ngày", "To"),
                self.t("Đã thực hiện", "Done"),
                self.t("Theo kế hoạch", "Scheduled"),
            ];
            if !line.pace.is_empty() {
                h.push(self.t("Yêu cầu theo tiến độ", "Required by pace"));
            }
            h
        };
        let _ = write!(
            self.out,
            "<div class=\"scroll\"><table class=\"data\"><caption>{} ({})</caption><thead><tr>",
            esc(title),
            self.t("số liệu của biểu đồ", "the chart's figures")
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

    fn offices(&mut self) {
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
            self.t(
                "Cơ quan, tổ chức chưa ghi nhận hoạt động nào trong kỳ",
                "Offices with no activity logged in the period"
            ),
            self.t(
                "Số tổ chức ở các đơn vị chưa ghi nhận hoạt động",
                "Organisations at units with nothing logged"
            ),
            self.int(silent as u64),
            self.t(
                "✓ có hoạt động; ✗ chưa ghi nhận hoạt động nào trong kỳ",
                "✓ activity logged; ✗ nothing logged in the period"
            ),
            self.t("Đơn vị", "Unit")
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
                            self.t("đã kết thúc hoạt động từ", "ceased operation as of"),
                            self.date(day)
                        )
                    } else {
                        format!("{} {}", self.t("thành lập từ", "established on"), self.date(day))
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
                                self.t("có hoạt động", "activity logged")
                            );
                        } else {
                            let _ = write!(
                                self.out,
                                "<td class=\"c off\" data-org=\"{}\" data-silent=\"1\"><span class=\"sym\">✗</span><span class=\"sr\"> {}</span></td>",
                                esc(org),
                                self.t("chưa ghi nhận", "nothing logged")
                            );
                        }
                    }
                }
            }
            self.w("</tr>\n");
        }
        self.w("</tbody></table></div>\n</section>\n");
    }

    fn recos(&mut self) {
        let m = self.m;
        let lang = m.lang;
        let most = m.recos.iter().map(|r| r[0]).max().unwrap_or(0);
        let _ = write!(
            self.out,
            "<section id=\"kien-nghi\">\n<h2>{}</h2>\n<div class=\"scroll\"><table class=\"bars recos\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            self.t(
                "Kiến nghị đưa ra và đã được tiếp thu, giải quyết, theo tổ chức (trong kỳ)",
                "Recommendations made and acted on, by organisation (in the period)"
            ),
            self.t(
                "Thanh nhạt: số kiến nghị; thanh đậm: số đã được giải quyết",
                "Light bar: recommendations made; dark bar: acted on"
            ),
            self.t("Tổ chức", "Organisation"),
            self.t("Biểu đồ", "Chart"),
            self.t("Kiến nghị", "Made"),
            self.t("Đã giải quyết", "Acted on"),
            self.t("Tỷ lệ", "Ratio"),
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
