//! Builds a report draft ([`Document`]) from a plan and the engine's
//! [`Evaluation`]: the skeleton of a Vietnamese administrative report
//! (header; I leadership; II results by kind; III assessment; IV tasks
//! ahead; V proposals; closing and signature; appendix). Every figure comes
//! from the evaluation; this module only chooses words. The only thing it
//! takes from rows directly is text: the titles of the period's activities
//! and of those already planned for the next period ([`Activities`]).

mod activities;
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

pub use activities::{Activities, Activity};
use activities::{Listing, MAX_TITLES};
use words::*;

use crate::engine::{Evaluation, Figure, KindTally, Status, TargetResult, WindowTally};
use crate::lang::Lang;
use crate::model::{Measure, NumColumn, Plan, RowStatus, Target};
use crate::period::{Half, Span};

use crate::report::doc::{Align, Block, Document, DocumentHeader, Meta, Span as Text};

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

/// The period a report covers: its kind, window, as-of date and the period after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub kind: ReportKind,
    /// The reported period (clipped to the term).
    pub window: Span,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The period after it, for "already planned" activities.
    pub next: Option<Span>,
}

impl ReportPeriod {
    pub fn new(plan: &Plan, kind: ReportKind, as_of: Option<NaiveDate>, today: NaiveDate) -> ReportPeriod {
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
        ReportPeriod {
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

/// How many names a sentence may list; more are counted, and named in an
/// appendix.
const MAX_NAMED: usize = 5;

struct Builder<'a> {
    plan: &'a Plan,
    eval: &'a Evaluation,
    scope: ReportPeriod,
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
pub fn build(plan: &Plan, eval: &Evaluation, scope: ReportPeriod, acts: Activities, lang: Lang) -> Document {
    build_for(
        plan,
        eval,
        Vec::new(),
        crate::report::office::Office::default(),
        scope,
        acts,
        lang,
    )
}

/// Builds one office's draft from its view of the evaluation
/// ([`crate::report::office::view`]).
pub fn build_office(
    plan: &Plan,
    view: &crate::report::office::View,
    office: crate::report::office::Office,
    scope: ReportPeriod,
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
    scope: ReportPeriod,
    acts: Activities,
    lang: Lang,
) -> Document {
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
    /// The Vietnamese or the English text, as the draft's language asks.
    fn in_lang<'s>(&self, vi: &'s str, en: &'s str) -> &'s str {
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
        let label = self.in_lang("[Cần bổ sung]", "[To be completed]");
        let text = format!("{label} {}", self.in_lang(vi, en));
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
            Lang::En => self.in_lang("hoạt động", "activities").to_owned(),
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

    /// A target's figure as the draft writes it: money with its currency
    /// word, other figures as the status table writes them.
    fn figure_text(&self, t: &Target, f: Option<Figure>) -> String {
        match (t.measure, f) {
            (Measure::Sum(NumColumn::Cost), Some(Figure::Int(n))) => {
                format!("{} {}", self.int(n), self.in_lang("đồng", "VND"))
            }
            (_, f) => crate::wording::figure(f, self.lang),
        }
    }
}
