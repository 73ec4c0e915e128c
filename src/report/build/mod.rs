//! Builds a report draft ([`Document`]) from a plan and the engine's
//! [`Evaluation`]: the skeleton of a Vietnamese administrative report
//! (header; I leadership; II results by kind; III assessment; IV tasks
//! ahead; V proposals; closing and signature; appendix). Every figure comes
//! from the evaluation; this module only chooses words. The only thing it
//! takes from rows directly is text: the titles of the period's activities
//! and of those already planned for the next period ([`Activities`]).

mod appendix;
mod assessment;
mod header;
mod judge;
mod office;
mod offices;
mod results;
mod tasks;
mod words;

use chrono::{Datelike, NaiveDate};

use words::*;

use crate::engine::{Evaluation, Figure, KindTally, Status, TargetResult, WindowTally};
use crate::lang::Lang;
use crate::logs::Row;
use crate::model::{Measure, NumColumn, Plan, RowStatus, Target};
use crate::period::{Half, Span};

use crate::report::doc::{Align, Block, Document, Header, Meta, Span as Text};

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
            as_of: as_of.unwrap_or_else(|| crate::select::as_of(window.end, today)),
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
    pub status: RowStatus,
    pub title: String,
    /// The row's `note` (why it was postponed or cancelled, say).
    pub note: String,
    pub participants: u64,
    pub recommendations: u64,
    pub resolved: u64,
}

/// The rows a report speaks of one by one: done in the period (up to the
/// as-of date), postponed or cancelled in it, and planned or postponed in
/// the next period.
#[derive(Debug, Clone)]
pub struct Activities {
    scope: Scope,
    pub done: Vec<Activity>,
    /// Postponed or cancelled in the period (up to the as-of date).
    pub dropped: Vec<Activity>,
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
        self.dropped.extend(other.dropped);
        self.planned_next.extend(other.planned_next);
    }
}

impl Activities {
    pub fn new(scope: Scope) -> Activities {
        Activities {
            scope,
            done: Vec::new(),
            dropped: Vec::new(),
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
            status: row.status,
            title: crate::canonical_text(row.title),
            note: crate::canonical_text(row.note),
            participants: row.num(NumColumn::Participants).unwrap_or(0),
            recommendations: row.num(NumColumn::Recommendations).unwrap_or(0),
            resolved: row.num(NumColumn::Resolved).unwrap_or(0),
        };
        let in_period = scope.window.contains(row.date) && row.date <= scope.as_of;
        match row.status {
            RowStatus::Done if in_period => self.done.push(act()),
            RowStatus::Postponed | RowStatus::Cancelled if in_period => self.dropped.push(act()),
            RowStatus::Planned | RowStatus::Postponed if scope.next.is_some_and(|n| n.contains(row.date)) => {
                self.planned_next.push(act());
            }
            _ => {}
        }
    }

    /// The rows of one office only.
    pub fn only(&self, office: crate::report::office::Office) -> Activities {
        let keep = |v: &Vec<Activity>| v.iter().filter(|a| office.admits(a.org, a.unit)).cloned().collect();
        Activities {
            scope: self.scope,
            done: keep(&self.done),
            dropped: keep(&self.dropped),
            planned_next: keep(&self.planned_next),
        }
    }

    fn sort(&mut self) {
        self.done.sort();
        self.dropped.sort();
        self.planned_next.sort();
    }
}

/// How many activity titles to list per kind.
const MAX_TITLES: usize = 5;

/// How many names a sentence may list; more are counted, and named in an
/// appendix.
const MAX_NAMED: usize = 5;

struct Builder<'a> {
    plan: &'a Plan,
    eval: &'a Evaluation,
    scope: Scope,
    lang: Lang,
    blocks: Vec<Block>,
    /// Whose draft, its profile and place, and the shared targets it
    /// contributes to (empty for the consolidated draft).
    office: crate::report::office::Office,
    reporting: crate::model::Reporting,
    place: Option<String>,
    shared: Vec<crate::report::office::Shared>,
    /// `by_target[t]`: the range of `eval.results` that belongs to target
    /// `t` (results are sorted by target), so that a section looks at its
    /// own results without scanning all of them.
    by_target: Vec<std::ops::Range<usize>>,
}

/// Builds the consolidated draft.
pub fn build(plan: &Plan, eval: &Evaluation, scope: Scope, acts: Activities, lang: Lang) -> Document {
    build_for(plan, eval, Vec::new(), Default::default(), scope, acts, lang)
}

/// Builds one office's draft from its view of the evaluation
/// ([`crate::report::office::view`]).
pub fn build_office(
    plan: &Plan,
    view: &crate::report::office::View,
    office: crate::report::office::Office,
    scope: Scope,
    acts: &Activities,
    lang: Lang,
) -> Document {
    let acts = acts.only(office);
    build_for(plan, &view.eval, view.shared.clone(), office, scope, acts, lang)
}

fn build_for(
    plan: &Plan,
    eval: &Evaluation,
    shared: Vec<crate::report::office::Shared>,
    office: crate::report::office::Office,
    scope: Scope,
    mut acts: Activities,
    lang: Lang,
) -> Document {
    acts.sort();
    let (reporting, place) = office::profile(plan, office);
    let mut b = Builder {
        plan,
        eval,
        scope,
        lang,
        office,
        reporting,
        place,
        shared,
        blocks: Vec::new(),
        by_target: index_by_target(eval, plan.targets.len()),
    };
    let header = b.header();
    b.opening();
    b.leadership();
    b.results(&acts);
    b.assessment(&acts);
    b.tasks(&acts);
    b.proposals();
    b.closing();
    b.appendix(&acts);
    let meta = b.meta();
    Document {
        header,
        blocks: b.blocks,
        meta,
    }
}

/// The range of results of every target, in one pass over the results.
fn index_by_target(eval: &Evaluation, targets: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = vec![0..0; targets];
    for (i, r) in eval.results.iter().enumerate() {
        if let Some(range) = ranges.get_mut(r.target) {
            if range.start == range.end {
                *range = i..i + 1;
            } else {
                range.end = i + 1;
            }
        }
    }
    ranges
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

    /// Results of a target that the report speaks of: periods that overlap
    /// the reported window and have started by the as-of date.
    fn relevant(&self, ti: usize) -> Vec<&TargetResult> {
        self.of_target(ti)
            .iter()
            .filter(|r| r.period.span.overlaps(self.scope.window) && r.period.span.start <= self.scope.as_of)
            .collect()
    }

    /// Every result of a target, in the engine's order.
    fn of_target(&self, ti: usize) -> &[TargetResult] {
        self.by_target
            .get(ti)
            .and_then(|r| self.eval.results.get(r.clone()))
            .unwrap_or(&[])
    }

    fn fig(&self, t: &Target, f: Option<Figure>) -> String {
        match (t.measure, f) {
            (Measure::Sum(NumColumn::Cost), Some(Figure::Int(n))) => {
                format!("{} {}", self.int(n), self.t("đồng", "VND"))
            }
            (_, f) => crate::wording::figure(f, self.lang),
        }
    }
}
