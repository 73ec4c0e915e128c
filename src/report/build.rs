//! Builds a report draft ([`Document`]) from a plan and the engine's
//! [`Evaluation`]: the skeleton of a Vietnamese administrative report
//! (header; I leadership; II results by kind; III assessment; IV tasks
//! ahead; V proposals; closing and signature; appendix). Every figure comes
//! from the evaluation; this module only chooses words. The only thing it
//! takes from rows directly is text: the titles of the period's activities
//! and of those already planned for the next period ([`Activities`]).

use chrono::{Datelike, NaiveDate};

use crate::engine::{Evaluation, Figure, KindTally, Status, TargetResult, WindowTally};
use crate::lang::Lang;
use crate::logs::Row;
use crate::model::{Measure, NumColumn, Plan, RowStatus, Target};
use crate::period::{Half, Span};
use crate::render::status_label;

use super::doc::{Align, Block, Document, Header, Span as Text};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Half(Half),
    Year(i32),
    /// Mid-term review up to the end of this half-year.
    Midterm(Half),
    /// Final summary up to the end of this half-year.
    Final(Half),
}

/// What a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub kind: ReportKind,
    /// The reported period (clipped to the term).
    pub window: Span,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The period after it, for "already planned" activities.
    pub next: Option<Span>,
}

impl Scope {
    pub fn new(plan: &Plan, kind: ReportKind, as_of: Option<NaiveDate>, today: NaiveDate) -> Scope {
        let term = plan.term;
        let (window, next) = match kind {
            ReportKind::Half(h) => (h.span(), Some(h.next().span())),
            ReportKind::Year(y) => (crate::period::year_span(y), Some(crate::period::year_span(y + 1))),
            ReportKind::Midterm(h) => (
                Span {
                    start: term.start,
                    end: h.span().end,
                },
                Some(h.next().span()),
            ),
            ReportKind::Final(h) => (
                Span {
                    start: term.start,
                    end: h.span().end,
                },
                None,
            ),
        };
        let window = window.intersect(term).unwrap_or(window);
        let next = next.and_then(|n| n.intersect(term));
        Scope {
            kind,
            window,
            as_of: as_of.unwrap_or_else(|| window.end.min(today)),
            next,
        }
    }

    /// Windows the engine must tally: the period, and the term so far.
    pub fn windows(&self, plan: &Plan) -> [Span; 2] {
        [
            self.window,
            Span {
                start: plan.term.start,
                end: self.window.end,
            },
        ]
    }
}

/// One activity, as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Activity {
    pub date: NaiveDate,
    pub kind: usize,
    pub org: usize,
    pub unit: usize,
    pub title: String,
}

/// Titles of the rows a report lists: done in the period (up to the as-of
/// date), and planned or postponed in the next period.
#[derive(Debug, Clone)]
pub struct Activities {
    scope: Scope,
    pub done: Vec<Activity>,
    pub planned_next: Vec<Activity>,
}

impl crate::logs::RowSink for Activities {
    fn row(&mut self, row: &Row<'_>) {
        self.add(row);
    }
}

impl crate::logs::ParallelSink for Activities {
    fn fork(&self) -> Self {
        Activities::new(self.scope)
    }

    fn merge(&mut self, other: Self) {
        self.done.extend(other.done);
        self.planned_next.extend(other.planned_next);
    }
}

impl Activities {
    pub fn new(scope: Scope) -> Activities {
        Activities {
            scope,
            done: Vec::new(),
            planned_next: Vec::new(),
        }
    }

    /// Looks at one valid row.
    pub fn add(&mut self, row: &Row<'_>) {
        let scope = &self.scope;
        let act = || Activity {
            date: row.date,
            kind: row.kind,
            org: row.org,
            unit: row.unit,
            title: crate::canonical_text(row.title),
        };
        if row.status == RowStatus::Done && scope.window.contains(row.date) && row.date <= scope.as_of {
            self.done.push(act());
        } else if matches!(row.status, RowStatus::Planned | RowStatus::Postponed)
            && scope.next.is_some_and(|n| n.contains(row.date))
        {
            self.planned_next.push(act());
        }
    }

    fn sort(&mut self) {
        self.done.sort();
        self.planned_next.sort();
    }
}

/// How many activity titles to list per kind.
const MAX_TITLES: usize = 5;

struct Builder<'a> {
    plan: &'a Plan,
    eval: &'a Evaluation,
    scope: Scope,
    lang: Lang,
    blocks: Vec<Block>,
}

/// Builds the draft.
pub fn build(plan: &Plan, eval: &Evaluation, scope: Scope, mut acts: Activities, lang: Lang) -> Document {
    acts.sort();
    let mut b = Builder {
        plan,
        eval,
        scope,
        lang,
        blocks: Vec::new(),
    };
    let header = b.header();
    b.opening();
    b.leadership();
    b.results(&acts);
    b.assessment();
    b.tasks(&acts);
    b.proposals();
    b.closing();
    b.appendix();
    Document {
        header,
        blocks: b.blocks,
    }
}

fn roman(i: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII"].get(i).copied().unwrap_or("")
}

impl Builder<'_> {
    fn t<'s>(&self, vi: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(vi, en)
    }

    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    fn para(&mut self, text: String) {
        self.push(Block::text(text));
    }

    fn bullet(&mut self, text: String) {
        self.push(Block::Bullet(vec![Text::plain(text)]));
    }

    fn placeholder(&mut self, vi: &str, en: &str) {
        let label = self.t("[Cần bổ sung]", "[To be completed]");
        let text = format!("{label} {}", self.t(vi, en));
        self.push(Block::Placeholder(text));
    }

    fn heading(&mut self, level: u8, text: String) {
        self.push(Block::Heading { level, text });
    }

    fn date(&self, d: NaiveDate) -> String {
        self.lang.date(d)
    }

    fn int(&self, n: u64) -> String {
        self.lang.int(n)
    }

    /// `Tỉnh ủy` for `Tỉnh ủy Lào Cai` when the plan's place is Lào Cai: the
    /// report is written in the same province.
    fn issuer_short(&self) -> String {
        let issuer = self.plan.issuer.trim();
        match &self.plan.place {
            Some(place) => issuer
                .strip_suffix(place.as_str())
                .map_or(issuer, str::trim_end)
                .to_owned(),
            None => issuer.to_owned(),
        }
    }

    /// `6 tháng đầu năm 2023`, `năm 2023`, `sơ kết giữa nhiệm kỳ`, `tổng kết`.
    fn period_phrase(&self) -> String {
        match (self.scope.kind, self.lang) {
            (ReportKind::Half(h), Lang::Vi) => {
                format!("6 tháng {} năm {}", if h.half == 1 { "đầu" } else { "cuối" }, h.year)
            }
            (ReportKind::Half(h), Lang::En) => {
                format!(
                    "in the {} half of {}",
                    if h.half == 1 { "first" } else { "second" },
                    h.year
                )
            }
            (ReportKind::Year(y), Lang::Vi) => format!("năm {y}"),
            (ReportKind::Year(y), Lang::En) => format!("in {y}"),
            (ReportKind::Midterm(_), Lang::Vi) => "sơ kết giữa nhiệm kỳ".to_owned(),
            (ReportKind::Midterm(_), Lang::En) => "mid-term review".to_owned(),
            (ReportKind::Final(_), Lang::Vi) => "tổng kết".to_owned(),
            (ReportKind::Final(_), Lang::En) => "final review".to_owned(),
        }
    }

    /// What the report is, after "báo cáo" and as its title (capitalised):
    /// `kết quả thực hiện {plan} 6 tháng đầu năm 2023`, `kết quả sơ kết giữa
    /// nhiệm kỳ thực hiện {plan}`, `kết quả tổng kết thực hiện {plan}`.
    fn report_of(&self, plan: &str) -> String {
        match (self.scope.kind, self.lang) {
            (ReportKind::Half(_) | ReportKind::Year(_), Lang::Vi) => {
                format!("kết quả thực hiện {plan} {}", self.period_phrase())
            }
            (ReportKind::Midterm(_) | ReportKind::Final(_), Lang::Vi) => {
                format!("kết quả {} thực hiện {plan}", self.period_phrase())
            }
            (ReportKind::Half(_) | ReportKind::Year(_), Lang::En) => {
                format!("implementation of {plan} {}", self.period_phrase())
            }
            (ReportKind::Midterm(_) | ReportKind::Final(_), Lang::En) => {
                format!("{} of the implementation of {plan}", self.period_phrase())
            }
        }
    }

    /// `Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy`: the issuer shortened
    /// by the plan's place in titles (`short`), in full in the text.
    fn plan_ref(&self, short: bool) -> String {
        let issued = self.plan.issued.map(|d| self.date(d));
        // A plan without an issuer (optional to `check`) leaves a blank to fill.
        let blank = |s: String| if s.trim().is_empty() { "...".to_owned() } else { s };
        let full = blank(self.plan.issuer.clone());
        let vi = if short {
            blank(self.issuer_short())
        } else {
            full.clone()
        };
        let number = &self.plan.number;
        match (self.lang, issued) {
            (Lang::Vi, Some(d)) => format!("Đề án số {number} ngày {d} của {vi}"),
            (Lang::Vi, None) => format!("Đề án số {number} của {vi}"),
            (Lang::En, Some(d)) => format!("Scheme No. {number} of {d} of the {full}"),
            (Lang::En, None) => format!("Scheme No. {number} of the {full}"),
        }
    }

    fn header(&self) -> Header {
        let r = &self.plan.reporting;
        let mut body: Vec<String> = r
            .body
            .as_deref()
            .map(|b| b.lines().map(str::to_owned).collect())
            .unwrap_or_else(|| vec!["[...]".to_owned()]);
        body.extend(r.office.clone());
        let symbol = r.symbol.as_deref().unwrap_or("...");
        let place = self.plan.place.as_deref().unwrap_or("...");
        let year = self.scope.as_of.year();
        let (number, place_date) = match self.lang {
            Lang::Vi => (
                format!("Số: .../{symbol}"),
                format!("{place}, ngày ... tháng ... năm {year}"),
            ),
            Lang::En => (format!("No.: .../{symbol}"), format!("{place}, ... {year}")),
        };
        let motto = match self.lang {
            Lang::Vi => ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
            Lang::En => ["SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"],
        };
        let title = capitalise(&self.report_of(&self.plan_ref(true)));
        Header {
            body,
            motto: motto.map(str::to_owned).to_vec(),
            number,
            place_date,
            doc_type: self.t("BÁO CÁO", "REPORT").to_owned(),
            title: vec![title],
        }
    }

    fn reporter(&self) -> String {
        let lead = self
            .plan
            .lead
            .and_then(|l| self.plan.orgs.get(l))
            .map(|o| o.name.clone());
        let office = self.plan.reporting.office.as_deref().map(office_case);
        // `Ủy ban MTTQ Việt Nam` + `tỉnh Lào Cai`: the lead reports at the top level.
        let lead = lead.map(|l| match self.top_unit() {
            Some(u) => format!("{l} {}", lower_first(&u.name)),
            None => l,
        });
        match (office, lead) {
            (Some(o), Some(l)) => format!("{o} {l}"),
            (None, Some(l)) => l,
            (Some(o), None) => o,
            (None, None) => self.t("Cơ quan chủ trì", "The lead agency").to_owned(),
        }
    }

    /// The one unit of the first level (the province), if there is one.
    fn top_unit(&self) -> Option<&crate::model::Unit> {
        let mut top = self.plan.units.iter().filter(|u| u.level == 0);
        match (top.next(), top.next()) {
            (Some(u), None) => Some(u),
            _ => None,
        }
    }

    fn opening(&mut self) {
        let about = self
            .plan
            .title
            .strip_prefix("Đề án ")
            .unwrap_or(&self.plan.title)
            .to_owned();
        let text = match self.lang {
            Lang::Vi => format!(
                "Thực hiện {} về {about}; {} báo cáo {} (số liệu tính đến ngày {}) như sau:",
                self.plan_ref(false),
                self.reporter(),
                self.report_of("Đề án"),
                self.date(self.scope.as_of)
            ),
            Lang::En => format!(
                "Pursuant to {} ({about}), {} reports on the {} (figures as of {}) as follows:",
                self.plan_ref(false),
                self.reporter(),
                self.report_of("the Scheme"),
                self.date(self.scope.as_of)
            ),
        };
        self.para(text);
    }

    fn leadership(&mut self) {
        let h = self.t(
            "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
            "LEADERSHIP, DIRECTION AND IMPLEMENTATION",
        );
        self.heading(1, format!("{}. {h}", roman(0)));
        self.placeholder(
            "Nêu các văn bản lãnh đạo, chỉ đạo, kế hoạch, hướng dẫn đã ban hành trong kỳ và cách thức triển khai.",
            "List the directives, plans and guidance issued in the period and how they were carried out.",
        );
    }

    fn window(&self, i: usize) -> Option<&WindowTally> {
        self.eval.windows.get(i)
    }

    fn counter(&self, kind: usize) -> String {
        match self.lang {
            Lang::Vi => self
                .plan
                .kinds
                .get(kind)
                .and_then(|k| k.counter.clone())
                .unwrap_or_else(|| "hoạt động".to_owned()),
            Lang::En => self.t("hoạt động", "activities").to_owned(),
        }
    }

    fn results(&mut self, acts: &Activities) {
        let h = self.t("KẾT QUẢ THỰC HIỆN", "RESULTS");
        self.heading(1, format!("{}. {h}", roman(1)));
        let mut n = 0;
        for k in 0..self.plan.kinds.len() {
            n += 1;
            self.kind_section(n, k, acts);
        }
        // Targets over several kinds (e.g. the budget) get their own items.
        let multi: Vec<usize> = (0..self.plan.targets.len())
            .filter(|&i| self.plan.targets.get(i).is_some_and(|t| t.kinds.len() > 1))
            .collect();
        for ti in multi {
            n += 1;
            self.multi_kind_section(n, ti);
        }
    }

    fn kind_section(&mut self, n: usize, k: usize, acts: &Activities) {
        let Some(kind) = self.plan.kinds.get(k) else { return };
        let name = match self.lang {
            Lang::Vi => kind.name.clone(),
            // The plan names kinds in Vietnamese; the code read as words
            // (`study-visit` → `Study visit`) heads the English section.
            Lang::En => format!("{} ({})", capitalise(&kind.code.replace(['-', '_'], " ")), kind.name),
        };
        self.heading(2, format!("{n}. {name}"));
        let counter = self.counter(k);
        let tally = self.window(0).and_then(|w| w.kinds.get(k)).cloned().unwrap_or_default();
        self.period_counts(&tally, &counter);
        if kind.field {
            self.field_table(k);
        }
        self.recommendations(&tally);
        // Cumulative against each single-kind target of this kind.
        let targets: Vec<usize> = (0..self.plan.targets.len())
            .filter(|&i| self.plan.targets.get(i).is_some_and(|t| t.kinds == [k]))
            .collect();
        let lines: Vec<String> = targets.iter().flat_map(|&ti| self.target_lines(ti)).collect();
        if !lines.is_empty() {
            let lead = match self.lang {
                Lang::Vi => format!(
                    "Kết quả so với chỉ tiêu của Đề án (lũy kế đến ngày {}):",
                    self.date(self.scope.as_of)
                ),
                Lang::En => format!("Against the targets (cumulative to {}):", self.date(self.scope.as_of)),
            };
            self.para(lead);
            for line in lines {
                self.bullet(line);
            }
        }
        let titles: Vec<&Activity> = acts.done.iter().filter(|a| a.kind == k).collect();
        if !titles.is_empty() {
            let lead = self
                .t("Một số hoạt động tiêu biểu trong kỳ:", "Main activities of the period:")
                .to_owned();
            self.para(lead);
            for a in titles.iter().take(MAX_TITLES) {
                let line = self.activity_line(a);
                self.bullet(line);
            }
            if titles.len() > MAX_TITLES {
                let more = titles.len() - MAX_TITLES;
                let text = match self.lang {
                    Lang::Vi => format!("và {} hoạt động khác (xem nhật ký hoạt động).", self.int(more as u64)),
                    Lang::En => format!("and {} more (see the activity logs).", self.int(more as u64)),
                };
                self.bullet(text);
            }
        }
    }

    fn activity_line(&self, a: &Activity) -> String {
        let org = self.plan.orgs.get(a.org).map_or("", |o| o.name.as_str());
        let unit = self.plan.units.get(a.unit).map_or("", |u| u.name.as_str());
        // As the report names a scope: `Hội Nông dân huyện Bát Xát`.
        format!("{}: {} ({org} {})", self.date(a.date), a.title, lower_first(unit))
    }

    fn period_counts(&mut self, t: &KindTally, counter: &str) {
        let lang = self.lang;
        if t.scheduled == 0 && t.cancelled == 0 {
            let text = self.t(
                "Trong kỳ chưa ghi nhận hoạt động nào.",
                "No activity was logged in the period.",
            );
            self.para(text.to_owned());
            return;
        }
        if t.scheduled == 0 {
            let n = self.int(t.cancelled);
            let text = match (lang, t.cancelled) {
                (Lang::Vi, _) => format!("Trong kỳ không có {counter} nào theo kế hoạch; có {n} {counter} bị hủy."),
                (Lang::En, 1) => "No activity was scheduled in the period; 1 was cancelled.".to_owned(),
                (Lang::En, _) => format!("No activity was scheduled in the period; {n} were cancelled."),
            };
            self.para(text);
            return;
        }
        let pct = lang.percent(t.done as f64 / t.scheduled as f64); // scheduled > 0 here
        let levels: Vec<String> = self
            .plan
            .levels
            .iter()
            .zip(&t.by_level)
            .enumerate()
            .map(|(li, (l, n))| match (lang, self.level_ended(li)) {
                (Lang::Vi, Some(d)) => format!("{} đã kết thúc hoạt động từ {}", l.name.to_lowercase(), self.date(d)),
                (Lang::En, Some(d)) => format!("{} ceased operation as of {}", l.code, self.date(d)),
                (Lang::Vi, None) => format!("{} {}", l.name.to_lowercase(), self.int(*n)),
                (Lang::En, None) => format!("{} {}", l.code, self.int(*n)),
            })
            .collect();
        let mut text = match lang {
            Lang::Vi => format!(
                "Trong kỳ, MTTQ và các tổ chức chính trị - xã hội các cấp thực hiện được {}/{} {counter} theo kế hoạch, đạt {pct}; trong đó {}.",
                self.int(t.done),
                self.int(t.scheduled),
                levels.join(", ")
            ),
            Lang::En => format!(
                "In the period: {}/{} scheduled {} carried out ({pct}): {}.",
                self.int(t.done),
                self.int(t.scheduled),
                if t.scheduled == 1 { "activity" } else { "activities" },
                levels.join(", ")
            ),
        };
        if t.cancelled > 0 {
            text.push_str(&match lang {
                Lang::Vi => format!(" Có {} {counter} bị hủy.", self.int(t.cancelled)),
                Lang::En if t.cancelled == 1 => " 1 was cancelled.".to_owned(),
                Lang::En => format!(" {} were cancelled.", self.int(t.cancelled)),
            });
        }
        self.para(text);
        let by_org: Vec<String> = self
            .plan
            .orgs
            .iter()
            .zip(&t.by_org)
            .filter(|(_, n)| **n > 0)
            .map(|(o, n)| format!("{} {}", o.name, self.int(*n)))
            .collect();
        if !by_org.is_empty() {
            let lead = self.t("Theo tổ chức", "By organisation");
            self.para(format!("{lead}: {}.", by_org.join("; ")));
        }
        if t.sum(NumColumn::Participants) > 0 {
            let n = self.int(t.sum(NumColumn::Participants));
            let text = match lang {
                Lang::Vi => format!("Tổng số người tham gia: {n} lượt người."),
                Lang::En => format!("Participants: {n} attendances."),
            };
            self.para(text);
        }
    }

    /// The day after the last unit of a level ended, when every unit of
    /// the level had ended before the reported period began (the district
    /// level in the second half of 2025).
    fn level_ended(&self, level: usize) -> Option<NaiveDate> {
        let units: Vec<&crate::model::Unit> = self.plan.units.iter().filter(|u| u.level == level).collect();
        let mut last = None;
        for u in &units {
            let until = u.until.filter(|d| *d < self.scope.window.start)?;
            last = last.max(Some(until));
        }
        last.and_then(|d| d.succ_opt())
    }

    fn field_table(&mut self, k: usize) {
        let (Some(w0), Some(w1)) = (self.window(0), self.window(1)) else {
            return;
        };
        let (Some(p), Some(c)) = (w0.kinds.get(k), w1.kinds.get(k)) else {
            return;
        };
        let rows: Vec<Vec<String>> = self
            .plan
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    format!("{}: {}", f.code, f.name),
                    self.int(p.by_field.get(i).copied().unwrap_or(0)),
                    self.int(c.by_field.get(i).copied().unwrap_or(0)),
                ]
            })
            .collect();
        let lead = self.t("Theo lĩnh vực giám sát:", "By field:");
        self.para(lead.to_owned());
        let header = match self.lang {
            Lang::Vi => ["TT", "Lĩnh vực", "Trong kỳ", "Lũy kế"],
            Lang::En => ["No.", "Field", "Period", "Cumulative"],
        };
        self.push(Block::Table {
            header: header.map(str::to_owned).to_vec(),
            rows,
            align: vec![Align::Center, Align::Left, Align::Right, Align::Right],
            widths: vec![1, 10, 2, 2],
        });
    }

    fn recommendations(&mut self, t: &KindTally) {
        let made = t.sum(NumColumn::Recommendations);
        if made == 0 {
            return;
        }
        let resolved = t.sum(NumColumn::Resolved);
        let pct = self.lang.percent(resolved as f64 / made as f64);
        let text = match self.lang {
            Lang::Vi => format!(
                "Qua các hoạt động trong kỳ đã đưa ra {} kiến nghị; đến nay đã được tiếp thu, giải quyết {}/{}, đạt {pct}.",
                self.int(made),
                self.int(resolved),
                self.int(made)
            ),
            Lang::En => format!(
                "The period's activities made {} recommendations; {}/{} have been accepted and resolved so far ({pct}).",
                self.int(made),
                self.int(resolved),
                self.int(made)
            ),
        };
        self.para(text);
    }

    /// Results of a target that the report speaks of: periods that overlap
    /// the reported window and have started by the as-of date.
    fn relevant(&self, ti: usize) -> Vec<&TargetResult> {
        self.eval
            .results
            .iter()
            .filter(|r| {
                r.target == ti && r.period.span.overlaps(self.scope.window) && r.period.span.start <= self.scope.as_of
            })
            .collect()
    }

    fn fig(&self, t: &Target, f: Option<Figure>) -> String {
        match (t.measure, f) {
            (Measure::Sum(NumColumn::Cost), Some(Figure::Int(n))) => {
                format!("{} {}", self.int(n), self.t("đồng", "VND"))
            }
            (_, f) => crate::render::figure(f, self.lang),
        }
    }

    /// One line per period of a target: a single instance in figures, several
    /// as counts by status.
    fn target_lines(&self, ti: usize) -> Vec<String> {
        let Some(t) = self.plan.targets.get(ti) else {
            return Vec::new();
        };
        let results = self.relevant(ti);
        let mut periods: Vec<&crate::period::Period> = results.iter().map(|r| &r.period).collect();
        periods.dedup_by(|a, b| a.label == b.label);
        let mut lines = Vec::new();
        let mut seen = Vec::new();
        for p in periods {
            if seen.contains(&p.label) {
                continue;
            }
            seen.push(p.label);
            let of: Vec<&&TargetResult> = results.iter().filter(|r| r.period.label == p.label).collect();
            let body = match of.as_slice() {
                [one] => self.one_result(t, one),
                many => self.status_counts(t, many),
            };
            lines.push(format!("{} ({}): {body}", t.title, p.label));
        }
        lines
    }

    fn one_result(&self, t: &Target, r: &TargetResult) -> String {
        let counter = t.kinds.first().map(|&k| self.counter(k)).unwrap_or_default();
        let req = self.fig(t, Some(r.required));
        let act = self.fig(t, r.actual);
        let status = prose_status(r.status, self.lang);
        let pct = crate::render::percent(r, self.lang);
        match (t.measure, self.lang) {
            (Measure::Completion, Lang::Vi) => format!("tỷ lệ hoàn thành {act} (yêu cầu {req}) — {status}"),
            (Measure::Completion, Lang::En) => format!("completion {act} (required {req}) — {status}"),
            (Measure::Sum(_), _) => format!("{act} / {req} ({pct}) — {status}"),
            (Measure::Count, Lang::Vi) => format!("thực hiện {act}/{req} {counter}, đạt {pct} — {status}"),
            (Measure::Count, Lang::En) => format!("{act}/{req} ({pct}) — {status}"),
        }
    }

    /// `54 tổ chức: 16 đạt, 38 đúng tiến độ`.
    fn status_counts(&self, t: &Target, results: &[&&TargetResult]) -> String {
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter_map(|s| {
                let n = results.iter().filter(|r| r.status == *s).count();
                (n > 0).then(|| format!("{} {}", n, prose_status(*s, self.lang)))
            })
            .collect();
        format!("{}: {}", self.instances(t, results), parts.join(", "))
    }

    /// How many instances of a target some results are, with the word for
    /// them: `54 tổ chức` (org × unit: each a district's organisation),
    /// `8 lĩnh vực`, `30 lượt tổ chức` over several periods; in English
    /// `54 organisations`, `30 organisation-periods`.
    fn instances(&self, t: &Target, results: &[&&TargetResult]) -> String {
        let n = results.len();
        let mut labels: Vec<crate::period::PeriodLabel> = results.iter().map(|r| r.period.label).collect();
        labels.sort_unstable();
        labels.dedup();
        let periods = labels.len() > 1;
        let (vi, en) = if t.each.org {
            ("tổ chức", "organisation")
        } else if t.each.unit {
            ("đơn vị", "unit")
        } else if t.each.field {
            ("lĩnh vực", "field")
        } else {
            ("kỳ", "period")
        };
        let plain = !(t.each.org || t.each.unit || t.each.field);
        match self.lang {
            Lang::Vi if periods && !plain => format!("{n} lượt {vi}"),
            Lang::Vi => format!("{n} {vi}"),
            Lang::En => {
                let noun = if periods && !plain {
                    format!("{en}-period")
                } else {
                    en.to_owned()
                };
                format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
            }
        }
    }

    /// A result's scope as the report names it: `Hội Nông dân huyện Bát
    /// Xát`, `lĩnh vực F7`; empty for a target without `each`.
    fn named_scope(&self, r: &TargetResult) -> String {
        let org = r.org.and_then(|o| self.plan.orgs.get(o)).map(|o| o.name.as_str());
        let unit = r.unit.and_then(|u| self.plan.units.get(u)).map(|u| u.name.as_str());
        let mut parts = Vec::new();
        match (org, unit) {
            (Some(o), Some(u)) => parts.push(format!("{o} {}", lower_first(u))),
            (Some(o), None) => parts.push(o.to_owned()),
            (None, Some(u)) => parts.push(u.to_owned()),
            (None, None) => {}
        }
        if let Some(f) = r.field.and_then(|f| self.plan.fields.get(f)) {
            parts.push(format!("{} {}", self.t("lĩnh vực", "field"), f.code));
        }
        parts.join(", ")
    }

    fn multi_kind_section(&mut self, n: usize, ti: usize) {
        let Some(t) = self.plan.targets.get(ti) else { return };
        let title = if t.measure == Measure::Sum(NumColumn::Cost) {
            self.t("Kinh phí", "Budget").to_owned()
        } else {
            t.title.clone()
        };
        self.heading(2, format!("{n}. {title}"));
        if let Measure::Sum(col) = t.measure {
            let in_period: u64 = self
                .window(0)
                .map(|w| {
                    w.kinds
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| t.kinds.contains(k))
                        .map(|(_, kt)| kt.sum(col))
                        .fold(0, u64::saturating_add)
                })
                .unwrap_or(0);
            let amount = self.fig(t, Some(Figure::Int(in_period)));
            let text = match self.lang {
                Lang::Vi => format!("Trong kỳ: {amount}."),
                Lang::En => format!("In the period: {amount}."),
            };
            self.para(text);
        }
        for line in self.target_lines(ti) {
            self.bullet(line);
        }
    }

    /// Targets grouped by how they stand: (target, its relevant results).
    fn grouped(&self, good: bool) -> Vec<String> {
        let mut out = Vec::new();
        for ti in 0..self.plan.targets.len() {
            let Some(t) = self.plan.targets.get(ti) else { continue };
            let results = self.relevant(ti);
            let selected: Vec<&&TargetResult> = results
                .iter()
                .filter(|r| if good { r.status.is_good() } else { r.status.is_bad() })
                .collect();
            if selected.is_empty() {
                continue;
            }
            if selected.len() == 1 && results.len() == 1 {
                if let Some(r) = selected.first() {
                    out.push(format!("{} ({}): {}", t.title, r.period.label, self.one_result(t, r)));
                }
                continue;
            }
            if good {
                let counts = self.status_counts(t, &selected);
                out.push(format!("{}: {counts}", t.title));
                continue;
            }
            let scopes: Vec<String> = selected
                .iter()
                .map(|r| {
                    let s = self.named_scope(r);
                    let fig = self.fig(t, r.actual);
                    let req = self.fig(t, Some(r.required));
                    let got = match (self.lang, r.required) {
                        (Lang::Vi, Figure::Ratio(_)) => format!("đạt {fig}, yêu cầu {req}"),
                        (Lang::En, Figure::Ratio(_)) => format!("{fig}, required {req}"),
                        (Lang::Vi, Figure::Int(_)) => format!("thực hiện {fig}/{req}"),
                        (Lang::En, Figure::Int(_)) => format!("{fig} of {req}"),
                    };
                    match s.is_empty() {
                        true => format!("{}: {got}", r.period.label),
                        false => format!("{s} ({}): {got}", r.period.label),
                    }
                })
                .collect();
            let shown: Vec<&String> = scopes.iter().take(12).collect();
            let more = scopes.len().saturating_sub(shown.len());
            let all: Vec<&&TargetResult> = results.iter().collect();
            let mut text = format!(
                "{}: {}/{} {} ({})",
                t.title,
                selected.len(),
                self.instances(t, &all),
                self.t("chưa đạt", "not met"),
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
            );
            if more > 0 {
                text.push_str(&match self.lang {
                    Lang::Vi => format!(" và {more} trường hợp khác"),
                    Lang::En => format!(" and {more} more"),
                });
            }
            out.push(text);
        }
        out
    }

    fn assessment(&mut self) {
        let h = self.t("ĐÁNH GIÁ CHUNG", "GENERAL ASSESSMENT");
        self.heading(1, format!("{}. {h}", roman(2)));
        let h1 = self.t("1. Ưu điểm", "1. Strengths");
        self.heading(2, h1.to_owned());
        let good = self.grouped(true);
        if good.is_empty() {
            self.para(
                self.t(
                    "Chưa có chỉ tiêu nào đạt hoặc đúng tiến độ.",
                    "No target is met or on track yet.",
                )
                .to_owned(),
            );
        }
        for line in good {
            self.bullet(line);
        }
        self.placeholder("Bổ sung các kết quả nổi bật khác.", "Add other notable results.");
        let h2 = self.t("2. Hạn chế", "2. Shortcomings");
        self.heading(2, h2.to_owned());
        let bad = self.grouped(false);
        if bad.is_empty() {
            self.para(
                self.t(
                    "Không có chỉ tiêu nào chậm tiến độ hoặc không đạt.",
                    "No target is behind or missed.",
                )
                .to_owned(),
            );
        }
        for line in bad {
            self.bullet(line);
        }
        let h3 = self.t("3. Nguyên nhân", "3. Causes");
        self.heading(2, h3.to_owned());
        self.placeholder(
            "Nêu nguyên nhân khách quan, chủ quan của các hạn chế trên.",
            "State the causes (objective and subjective) of the shortcomings above.",
        );
        if matches!(self.scope.kind, ReportKind::Midterm(_) | ReportKind::Final(_)) {
            let h4 = self.t("4. Bài học kinh nghiệm", "4. Lessons learned");
            self.heading(2, h4.to_owned());
            self.placeholder("Nêu các bài học kinh nghiệm.", "State the lessons learned.");
        }
        if matches!(self.scope.kind, ReportKind::Final(_)) {
            self.baseline();
        }
    }

    fn baseline(&mut self) {
        let Some(b) = self.plan.baseline.clone() else { return };
        let Some(cum) = self.window(1).cloned() else { return };
        let n = if matches!(self.scope.kind, ReportKind::Final(_)) {
            5
        } else {
            4
        };
        let h = match self.lang {
            Lang::Vi => format!("{n}. So sánh với giai đoạn {}", b.label),
            Lang::En => format!("{n}. Compared with {}", b.label),
        };
        self.heading(2, h);
        let term = format!("{}-{}", self.plan.term.start.year(), self.plan.term.end.year());
        let header = match self.lang {
            Lang::Vi => vec!["Nội dung".to_owned(), b.label.clone(), term],
            Lang::En => vec!["Activity".to_owned(), b.label.clone(), term],
        };
        let mut rows = Vec::new();
        for (code, done, planned) in &b.entries {
            let Some(k) = self.plan.kind(code) else { continue };
            let name = self
                .plan
                .kinds
                .get(k)
                .map_or(code.as_str(), |x| x.name.as_str())
                .to_owned();
            let now = cum.kinds.get(k).cloned().unwrap_or_default();
            let pair = |d: u64, p: u64| {
                let pct = if p > 0 {
                    self.lang.percent(d as f64 / p as f64)
                } else {
                    "–".to_owned()
                };
                format!("{}/{} ({pct})", self.int(d), self.int(p))
            };
            rows.push(vec![name, pair(*done, *planned), pair(now.done, now.scheduled)]);
        }
        self.push(Block::Table {
            header,
            rows,
            align: vec![Align::Left, Align::Right, Align::Right],
            widths: vec![4, 3, 3],
        });
    }

    fn tasks(&mut self, acts: &Activities) {
        let beyond = self.scope.next.is_none();
        let next = match (self.scope.kind, self.lang) {
            (_, Lang::Vi) if beyond => "GIAI ĐOẠN TIẾP THEO".to_owned(),
            (_, Lang::En) if beyond => "FOR THE NEXT PERIOD".to_owned(),
            (ReportKind::Half(h), Lang::Vi) if h.half == 1 => format!("6 THÁNG CUỐI NĂM {}", h.year),
            (ReportKind::Half(h), Lang::Vi) => format!("6 THÁNG ĐẦU NĂM {}", h.year + 1),
            (ReportKind::Year(y), Lang::Vi) => format!("NĂM {}", y + 1),
            (_, Lang::Vi) => "GIAI ĐOẠN TIẾP THEO".to_owned(),
            (ReportKind::Half(h), Lang::En) if h.half == 1 => format!("FOR THE SECOND HALF OF {}", h.year),
            (ReportKind::Half(h), Lang::En) => format!("FOR THE FIRST HALF OF {}", h.year + 1),
            (ReportKind::Year(y), Lang::En) => format!("FOR {}", y + 1),
            (_, Lang::En) => "FOR THE NEXT PERIOD".to_owned(),
        };
        let h = match self.lang {
            Lang::Vi => format!("{}. PHƯƠNG HƯỚNG, NHIỆM VỤ {next}", roman(3)),
            Lang::En => format!("{}. TASKS AHEAD {next}", roman(3)),
        };
        self.heading(1, h);
        // What remains of each target not yet met whose period still runs.
        let mut remaining = Vec::new();
        for (ti, t) in self.plan.targets.iter().enumerate() {
            if !matches!(t.requirement, crate::model::Requirement::Min(_)) {
                continue;
            }
            let open: Vec<&TargetResult> = self
                .eval
                .results
                .iter()
                .filter(|r| {
                    r.target == ti
                        && r.period.span.end > self.scope.as_of
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
            let open_refs: Vec<&&TargetResult> = open.iter().collect();
            let instances = self.instances(t, &open_refs);
            // One instance left: say whose it is (`Hội Cựu chiến binh`).
            let whose = match open.as_slice() {
                [r] => Some(self.named_scope(r)).filter(|s| !s.is_empty()),
                _ => None,
            }
            .map_or_else(String::new, |s| format!(" ({s})"));
            let text = match (self.lang, open.len()) {
                (Lang::Vi, 1) => format!(
                    "{}{whose}: còn phải thực hiện {} {counter} trước ngày {}.",
                    t.title,
                    self.int(missing),
                    self.date(by)
                ),
                (Lang::Vi, _) => format!(
                    "{}: {instances} chưa đạt, còn thiếu tổng cộng {} {counter}, hạn chậm nhất ngày {}.",
                    t.title,
                    self.int(missing),
                    self.date(by)
                ),
                (Lang::En, 1) => format!(
                    "{}{whose}: {} more to be carried out by {}.",
                    t.title,
                    self.int(missing),
                    self.date(by)
                ),
                (Lang::En, _) => format!(
                    "{}: {instances} not yet met, {} still to do in all, by {} at the latest.",
                    t.title,
                    self.int(missing),
                    self.date(by)
                ),
            };
            remaining.push(text);
        }
        let starting = self.starting_next();
        let anything = !remaining.is_empty() || !starting.is_empty() || !acts.planned_next.is_empty();
        if !remaining.is_empty() {
            self.para(
                self.t("Các chỉ tiêu chưa hoàn thành:", "Targets not yet met:")
                    .to_owned(),
            );
            for line in remaining {
                self.bullet(line);
            }
        }
        if !starting.is_empty() {
            self.para(
                self.t(
                    "Các chỉ tiêu có thời hạn bắt đầu trong kỳ tới:",
                    "Targets whose period begins in the next period:",
                )
                .to_owned(),
            );
            for line in starting {
                self.bullet(line);
            }
        }
        if !acts.planned_next.is_empty() {
            self.para(
                self.t(
                    "Các hoạt động đã có trong kế hoạch kỳ tới:",
                    "Activities already planned for the next period:",
                )
                .to_owned(),
            );
            for a in acts.planned_next.iter().take(3 * MAX_TITLES) {
                let line = self.activity_line(a);
                self.bullet(line);
            }
            if acts.planned_next.len() > 3 * MAX_TITLES {
                let more = acts.planned_next.len() - 3 * MAX_TITLES;
                self.bullet(match self.lang {
                    Lang::Vi => format!("và {more} hoạt động khác."),
                    Lang::En => format!("and {more} more."),
                });
            }
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
    fn starting_next(&self) -> Vec<String> {
        let Some(next) = self.scope.next else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (ti, t) in self.plan.targets.iter().enumerate() {
            let upcoming: Vec<&TargetResult> = self
                .eval
                .results
                .iter()
                .filter(|r| {
                    r.target == ti
                        && r.status == Status::Upcoming
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
            let refs: Vec<&&TargetResult> = upcoming.iter().collect();
            let (n, by) = (self.int(required), self.date(by));
            let whose = match upcoming.as_slice() {
                [r] => Some(self.named_scope(r)).filter(|s| !s.is_empty()),
                _ => Some(self.instances(t, &refs)),
            }
            .map_or_else(String::new, |s| format!(" ({s})"));
            out.push(match self.lang {
                Lang::Vi => format!("{}{whose}: thực hiện {n} {counter}, hạn chậm nhất ngày {by}.", t.title),
                Lang::En => format!("{}{whose}: {n} to be carried out by {by}.", t.title),
            });
        }
        out
    }

    fn proposals(&mut self) {
        let h = self.t("ĐỀ XUẤT, KIẾN NGHỊ", "PROPOSALS");
        self.heading(1, format!("{}. {h}", roman(4)));
        self.placeholder(
            "Nêu các đề xuất, kiến nghị với cấp ủy, chính quyền.",
            "State the proposals to the Party committee and the authorities.",
        );
    }

    fn closing(&mut self) {
        let text = match self.lang {
            Lang::Vi => format!(
                "Trên đây là báo cáo {} của {}./.",
                self.report_of(&format!("Đề án số {}", self.plan.number)),
                self.reporter()
            ),
            Lang::En => format!("This concludes the report of {}.", self.reporter()),
        };
        self.para(text);
        let r = &self.plan.reporting;
        let recipients = if r.recipients.is_empty() {
            vec!["...".to_owned()]
        } else {
            recipient_lines(&r.recipients)
        };
        let signer = if r.signer.is_empty() {
            vec!["...".to_owned()]
        } else {
            r.signer.clone()
        };
        self.push(Block::Signature {
            recipients_label: self.t("Nơi nhận:", "Distribution:").to_owned(),
            recipients,
            signer,
        });
    }

    fn appendix(&mut self) {
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
    fn completeness(&mut self) {
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

/// An office name from its upper-case header line, as Nghị định 30/2020
/// writes it in running text: the type of body and the word after it
/// capitalised, `BAN THƯỜNG TRỰC` → `Ban Thường trực`, `VĂN PHÒNG` →
/// `Văn phòng`. (`Ban` is the one type of body whose next word names it.)
fn office_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut words = lower.split_whitespace();
    let mut out = Vec::new();
    if let Some(first) = words.next() {
        out.push(capitalise(first));
        if first == "ban" {
            out.extend(words.next().map(capitalise));
        }
    }
    out.extend(words.map(str::to_owned));
    out.join(" ")
}

/// The `Nơi nhận` list as Nghị định 30/2020 writes it: each line ends with
/// `;`, the last with `.` (unless the plan already wrote the punctuation).
fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let last = recipients.len().saturating_sub(1);
    recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r = r.trim_end();
            match r.chars().last() {
                Some(';' | '.' | ',' | ':') => r.to_owned(),
                _ if i == last => format!("{r}."),
                _ => format!("{r};"),
            }
        })
        .collect()
}

/// A status as words in running text: the Vietnamese labels, and in
/// English words rather than the codes the tables and JSON carry.
fn prose_status(s: Status, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::Vi, _) => status_label(s, lang),
        (Lang::En, Status::OnTrack) => "on track",
        (Lang::En, Status::Behind) => "behind schedule",
        (Lang::En, Status::Within) => "within the limit",
        (Lang::En, Status::Over) => "over the limit",
        (Lang::En, Status::NotApplicable) => "not applicable",
        (Lang::En, _) => s.as_str(),
    }
}

/// The first letter in upper case.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first letter in lower case: `Tỉnh Lào Cai` → `tỉnh Lào Cai`, as a
/// unit's name reads after an organisation's.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_names_read_as_in_running_text() {
        assert_eq!(office_case("BAN THƯỜNG TRỰC"), "Ban Thường trực");
        assert_eq!(office_case("BAN DÂN VẬN"), "Ban Dân vận");
        assert_eq!(office_case("VĂN PHÒNG"), "Văn phòng");
        assert_eq!(office_case("  "), "");
    }

    #[test]
    fn recipients_end_with_semicolons_and_a_full_stop() {
        let lines = |v: &[&str]| recipient_lines(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            lines(&["Thường trực Tỉnh ủy (để b/c)", "Lưu: VT"]),
            vec!["Thường trực Tỉnh ủy (để b/c);", "Lưu: VT."]
        );
        // What the plan already punctuated is kept as written.
        assert_eq!(lines(&["A;", "Lưu: VT."]), vec!["A;", "Lưu: VT."]);
        assert_eq!(lines(&["Lưu: VT"]), vec!["Lưu: VT."]);
    }

    #[test]
    fn unit_names_follow_an_organisation_in_lower_case() {
        assert_eq!(lower_first("Tỉnh Lào Cai"), "tỉnh Lào Cai");
        assert_eq!(lower_first("Ủy ban"), "ủy ban");
        assert_eq!(capitalise("kết quả"), "Kết quả");
    }

    #[test]
    fn english_prose_says_statuses_in_words() {
        assert_eq!(prose_status(Status::OnTrack, Lang::En), "on track");
        assert_eq!(prose_status(Status::Within, Lang::En), "within the limit");
        assert_eq!(prose_status(Status::Met, Lang::En), "met");
        assert_eq!(prose_status(Status::Behind, Lang::Vi), "chậm tiến độ");
    }
}
