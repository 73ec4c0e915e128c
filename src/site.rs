//! `plan site`: one self-contained HTML page (CSS and SVG inline, no script,
//! no external reference) drawn from the engine's one evaluation.
//!
//! [`windows`] gives the engine the period shown plus a timeline of steps
//! over the term (for the cumulative charts); [`Recommendations`] adds up
//! recommendations per organisation while the logs are read; [`model`]
//! arranges the figures, [`svg`] draws them and [`html`] writes the page.

pub mod html;
pub mod model;
pub mod svg;

use chrono::{Datelike, NaiveDate};

use crate::engine::Evaluation;
use crate::lang::Lang;
use crate::logs::{ParallelSink, Row, RowSink};
use crate::model::{NumColumn, Plan, RowStatus};
use crate::period::{Span, last_day_of_month};

/// At most this many steps on a timeline (a long term gets longer steps).
const MAX_STEPS: u32 = 120;

/// The windows the engine tallies for the page: `window` first, then the
/// steps of [`timeline`].
pub fn windows(plan: &Plan, window: Span) -> Vec<Span> {
    let mut w = vec![window];
    w.extend(timeline(plan.term));
    w
}

/// The term cut into steps of whole months (one month, or more for a term
/// longer than ten years), the last one clipped to the term's end.
pub fn timeline(term: Span) -> Vec<Span> {
    let months = (term.end.year() - term.start.year()) * 12 + term.end.month() as i32 - term.start.month() as i32 + 1;
    let months = u32::try_from(months.max(1)).unwrap_or(1);
    let step = months.div_ceil(MAX_STEPS).max(1);
    let mut out = Vec::new();
    let mut start = term.start;
    while start <= term.end {
        let mut y = start.year();
        let mut m = start.month() + step - 1;
        while m > 12 {
            m -= 12;
            y = y.saturating_add(1);
        }
        let end = last_day_of_month(y, m).min(term.end);
        out.push(Span { start, end });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// Recommendations made and resolved per organisation, summed over the
/// done rows of the shown period up to the as-of date.
#[derive(Debug, Clone)]
pub struct Recommendations {
    window: Span,
    as_of: NaiveDate,
    /// `[made, resolved]` per organisation, in plan order.
    pub by_org: Vec<[u64; 2]>,
}

impl Recommendations {
    pub fn new(plan: &Plan, window: Span, as_of: NaiveDate) -> Recommendations {
        Recommendations {
            window,
            as_of,
            by_org: vec![[0, 0]; plan.orgs.len()],
        }
    }
}

impl RowSink for Recommendations {
    fn row(&mut self, row: &Row<'_>) {
        if row.status != RowStatus::Done || row.date > self.as_of || !self.window.contains(row.date) {
            return;
        }
        if let Some(o) = self.by_org.get_mut(row.org) {
            let made = row.num(NumColumn::Recommendations).unwrap_or(0);
            let resolved = row.num(NumColumn::Resolved).unwrap_or(0);
            o[0] = o[0].saturating_add(made);
            o[1] = o[1].saturating_add(resolved);
        }
    }
}

impl ParallelSink for Recommendations {
    fn fork(&self) -> Self {
        Recommendations {
            by_org: vec![[0, 0]; self.by_org.len()],
            ..self.clone()
        }
    }

    fn merge(&mut self, other: Self) {
        for (a, b) in self.by_org.iter_mut().zip(other.by_org) {
            a[0] = a[0].saturating_add(b[0]);
            a[1] = a[1].saturating_add(b[1]);
        }
    }

    const ORDER_FREE: bool = true;
}

/// The whole page for `eval` (evaluated with [`windows`]), the period named
/// `label`.
pub fn page(plan: &Plan, eval: &Evaluation, recos: &Recommendations, label: &str, lang: Lang) -> String {
    let m = model::Model::build(plan, eval, recos, label, lang);
    html::render(&m)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::period::parse_iso_date;

    fn span(a: &str, b: &str) -> Span {
        Span::new(parse_iso_date(a).unwrap(), parse_iso_date(b).unwrap()).unwrap()
    }

    #[test]
    fn a_five_year_term_has_sixty_monthly_steps_end_to_end() {
        let t = timeline(span("2021-01-01", "2025-12-31"));
        assert_eq!(t.len(), 60);
        assert_eq!(t[1], span("2021-02-01", "2021-02-28"));
        assert_eq!(t[59].end, parse_iso_date("2025-12-31").unwrap());
        for w in t.windows(2) {
            assert_eq!(w[0].end.succ_opt().unwrap(), w[1].start);
        }
    }

    #[test]
    fn a_long_term_gets_longer_steps() {
        let t = timeline(span("2000-03-15", "2039-12-31"));
        assert!(t.len() <= MAX_STEPS as usize, "{}", t.len());
        assert_eq!(t[0].start, parse_iso_date("2000-03-15").unwrap());
        assert_eq!(t.last().unwrap().end, parse_iso_date("2039-12-31").unwrap());
    }
}
