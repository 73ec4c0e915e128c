//! What the dashboard shows, arranged from the engine's evaluation: bars per
//! target grouped by kind, status grids for `each` targets, cumulative
//! lines, silent offices and recommendations. No figure is computed here
//! that the engine already has; the cumulative lines add up the engine's
//! per-step tallies, and the pace line follows the engine's pace rule.

use chrono::{Datelike, NaiveDate};

use crate::engine::{Evaluation, KindTally, Status, TargetResult};
use crate::lang::Lang;
use crate::model::{Measure, Plan, Requirement, Target};
use crate::period::{Period, PeriodLabel, Span, elapsed_days, year_span};

use super::Recommendations;

/// One row of a kind's table of bars.
#[derive(Debug)]
pub enum BarRow<'a> {
    /// A target not split by `each`: one result in one period.
    One { target: usize, r: &'a TargetResult },
    /// A target split by `each`: its instances' statuses in one period.
    Many {
        target: usize,
        label: PeriodLabel,
        results: Vec<&'a TargetResult>,
    },
    /// A target with no period in the shown window.
    Nothing { target: usize },
}

/// The targets of one kind (or of several kinds, `kind = None`).
#[derive(Debug)]
pub struct Group<'a> {
    pub kind: Option<usize>,
    /// `Giám sát: 15/16 cuộc, đạt 93,8%`, as the report words it.
    pub summary: Option<String>,
    pub rows: Vec<BarRow<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Org,
    Unit,
    Field,
}

#[derive(Debug)]
pub enum Cell<'a> {
    /// No result: the unit did not exist in the period, or the period has
    /// no countable day for it.
    Empty,
    Results(Vec<&'a TargetResult>),
}

/// A status grid of one `each` target: rows by org, unit or field, columns
/// by period.
#[derive(Debug)]
pub struct Grid<'a> {
    pub target: usize,
    pub dim: Dim,
    pub periods: Vec<(PeriodLabel, Span)>,
    /// (index in the plan list of `dim`, cells by period).
    pub rows: Vec<(usize, Vec<Cell<'a>>)>,
}

/// A cumulative line over the term.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The kind (`kind`) or the `max` target (`target`) it is about.
    pub kind: Option<usize>,
    pub target: Option<usize>,
    pub term: Span,
    pub as_of: NaiveDate,
    /// (date, cumulative done or spent) up to the as-of date.
    pub done: Vec<(NaiveDate, u64)>,
    /// (date, cumulative scheduled) up to the as-of date (kinds only).
    pub scheduled: Vec<(NaiveDate, u64)>,
    /// (date, what the targets require by then), over the whole term.
    pub pace: Vec<(NaiveDate, u64)>,
    /// The `max` of a budget line.
    pub limit: Option<u64>,
}

/// One unit in the period: which organisations logged anything there.
#[derive(Debug)]
pub struct Office {
    pub unit: usize,
    /// `Some(day)`: the unit did not exist in the period (ended the day
    /// before `day`, or not yet established when `day` is after it).
    pub absent: Option<NaiveDate>,
    pub active: Vec<bool>,
}

#[derive(Debug)]
pub struct Model<'a> {
    pub plan: &'a Plan,
    pub eval: &'a Evaluation,
    pub lang: Lang,
    pub label: String,
    pub window: Span,
    pub groups: Vec<Group<'a>>,
    pub grids: Vec<Grid<'a>>,
    pub lines: Vec<Line>,
    pub budgets: Vec<Line>,
    pub offices: Vec<Office>,
    /// `[made, resolved]` per organisation.
    pub recos: Vec<[u64; 2]>,
}

impl<'a> Model<'a> {
    pub fn build(plan: &'a Plan, eval: &'a Evaluation, recos: &Recommendations, label: &str, lang: Lang) -> Model<'a> {
        let window = eval.windows.first().map_or(
            Span {
                start: eval.as_of,
                end: eval.as_of,
            },
            |w| w.span,
        );
        let steps = eval.windows.get(1..).unwrap_or(&[]);
        let mut groups = Vec::new();
        for (k, kind) in plan.kinds.iter().enumerate() {
            let tally = eval
                .windows
                .first()
                .and_then(|w| w.kinds.get(k))
                .cloned()
                .unwrap_or_default();
            let counter = kind.counter.as_deref();
            let summary = format!(
                "{}: {}",
                kind.name,
                crate::wording::done_of_scheduled(&tally, counter, lang)
            );
            let targets = (0..plan.targets.len()).filter(|&i| plan.targets.get(i).is_some_and(|t| t.kinds == [k]));
            groups.push(Group {
                kind: Some(k),
                summary: Some(summary),
                rows: targets.flat_map(|ti| bar_rows(plan, eval, ti, window)).collect(),
            });
        }
        let multi: Vec<usize> = (0..plan.targets.len())
            .filter(|&i| plan.targets.get(i).is_some_and(|t| t.kinds.len() != 1))
            .collect();
        if !multi.is_empty() {
            groups.push(Group {
                kind: None,
                summary: None,
                rows: multi.iter().flat_map(|&ti| bar_rows(plan, eval, ti, window)).collect(),
            });
        }
        let grids = plan
            .targets
            .iter()
            .enumerate()
            .flat_map(|(ti, t)| {
                let mut dims = Vec::new();
                if t.each.org {
                    dims.push(Dim::Org);
                }
                if t.each.unit {
                    dims.push(Dim::Unit);
                }
                if t.each.field && dims.is_empty() {
                    dims.push(Dim::Field);
                }
                dims.into_iter().map(move |d| grid(eval, ti, d))
            })
            .collect();
        let samples = samples(steps, eval.as_of);
        let lines = (0..plan.kinds.len())
            .map(|k| kind_line(plan, eval, steps, &samples, k))
            .collect();
        let budgets = plan
            .targets
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| budget_line(plan, eval, steps, &samples, ti, t))
            .collect();
        let offices = offices(plan, eval, window);
        Model {
            plan,
            eval,
            lang,
            label: label.to_owned(),
            window,
            groups,
            grids,
            lines,
            budgets,
            offices,
            recos: recos.by_org.clone(),
        }
    }
}

/// Results of target `ti` whose period overlaps `window` (as `status`
/// shows them): one row per result, or per period for a split target.
fn bar_rows<'a>(plan: &Plan, eval: &'a Evaluation, ti: usize, window: Span) -> Vec<BarRow<'a>> {
    let Some(t) = plan.targets.get(ti) else {
        return Vec::new();
    };
    let rs: Vec<&TargetResult> = eval
        .results
        .iter()
        .filter(|r| r.target == ti && r.period.span.overlaps(window))
        .collect();
    if rs.is_empty() {
        return vec![BarRow::Nothing { target: ti }];
    }
    let split = t.each.org || t.each.unit || t.each.field;
    if !split {
        return rs.into_iter().map(|r| BarRow::One { target: ti, r }).collect();
    }
    let mut out: Vec<BarRow<'a>> = Vec::new();
    for r in rs {
        match out.last_mut() {
            Some(BarRow::Many { label, results, .. }) if *label == r.period.label => results.push(r),
            _ => out.push(BarRow::Many {
                target: ti,
                label: r.period.label,
                results: vec![r],
            }),
        }
    }
    out
}

fn grid(eval: &Evaluation, ti: usize, dim: Dim) -> Grid<'_> {
    let rs: Vec<&TargetResult> = eval.results.iter().filter(|r| r.target == ti).collect();
    let mut periods: Vec<(PeriodLabel, Span)> = Vec::new();
    for r in &rs {
        match periods.iter_mut().find(|(l, _)| *l == r.period.label) {
            // A unit's period may be clipped to its life: the widest span.
            Some((_, s)) => {
                s.start = s.start.min(r.period.span.start);
                s.end = s.end.max(r.period.span.end);
            }
            None => periods.push((r.period.label, r.period.span)),
        }
    }
    periods.sort_by_key(|(l, _)| *l);
    let key = |r: &TargetResult| match dim {
        Dim::Org => r.org,
        Dim::Unit => r.unit,
        Dim::Field => r.field,
    };
    let mut members: Vec<usize> = rs.iter().filter_map(|r| key(r)).collect();
    members.sort_unstable();
    members.dedup();
    let rows = members
        .into_iter()
        .map(|m| {
            let cells = periods
                .iter()
                .map(|(l, _)| {
                    let v: Vec<&TargetResult> = rs
                        .iter()
                        .copied()
                        .filter(|r| key(r) == Some(m) && r.period.label == *l)
                        .collect();
                    if v.is_empty() { Cell::Empty } else { Cell::Results(v) }
                })
                .collect();
            (m, cells)
        })
        .collect();
    Grid {
        target: ti,
        dim,
        periods,
        rows,
    }
}

/// The status a cell of several results shows: the worst of them.
pub fn worst(results: &[&TargetResult]) -> Status {
    let rank = |s: Status| match s {
        Status::Missed => 0,
        Status::Over => 1,
        Status::Behind => 2,
        Status::OnTrack => 3,
        Status::Within => 4,
        Status::Met => 5,
        Status::NotApplicable => 6,
        Status::Upcoming => 7,
    };
    results
        .iter()
        .map(|r| r.status)
        .min_by_key(|s| rank(*s))
        .unwrap_or(Status::NotApplicable)
}

/// Counts of each status among `results`, in [`Status::ALL`] order, zeros left out.
pub fn status_counts(results: &[&TargetResult]) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .map(|&s| (s, results.iter().filter(|r| r.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The dates the lines are sampled at: each step's last day, and the as-of
/// date inside its step.
fn samples(steps: &[crate::engine::WindowTally], as_of: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for w in steps {
        if w.span.contains(as_of) && as_of < w.span.end {
            out.push(as_of);
        }
        out.push(w.span.end);
    }
    out
}

/// Sum of `f` over the steps that start on or before `day`.
fn cumulative(steps: &[crate::engine::WindowTally], day: NaiveDate, f: impl Fn(&[KindTally]) -> u64) -> u64 {
    steps
        .iter()
        .filter(|w| w.span.start <= day)
        .fold(0u64, |a, w| a.saturating_add(f(&w.kinds)))
}

fn kind_line(
    plan: &Plan,
    eval: &Evaluation,
    steps: &[crate::engine::WindowTally],
    samples: &[NaiveDate],
    k: usize,
) -> Line {
    let upto: Vec<NaiveDate> = samples.iter().copied().filter(|d| *d <= eval.as_of).collect();
    let get = |f: fn(&KindTally) -> u64| {
        upto.iter()
            .map(|&d| (d, cumulative(steps, d, |ks| ks.get(k).map_or(0, f))))
            .collect::<Vec<_>>()
    };
    let done = get(|t| t.done);
    let scheduled = get(|t| t.scheduled);
    // The count targets of the kind; when some are not split by `each`,
    // only those (the split ones restate part of them: every field once).
    let counted =
        |t: &&Target| t.kinds == [k] && t.measure == Measure::Count && matches!(t.requirement, Requirement::Min(_));
    let split = |t: &Target| t.each.org || t.each.unit || t.each.field;
    let any_whole = plan.targets.iter().filter(counted).any(|t| !split(t));
    let paced: Vec<(usize, &Target)> = plan
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| counted(t) && !(any_whole && split(t)))
        .collect();
    let pace = if paced.is_empty() {
        Vec::new()
    } else {
        samples
            .iter()
            .map(|&d| {
                let sum = eval
                    .results
                    .iter()
                    .filter_map(|r| paced.iter().find(|(i, _)| *i == r.target).map(|(_, t)| (t, r)))
                    .fold(0u64, |a, (t, r)| a.saturating_add(pace_at(t, &r.period, d)));
                (d, sum)
            })
            .collect()
    };
    Line {
        kind: Some(k),
        target: None,
        term: plan.term,
        as_of: eval.as_of,
        done,
        scheduled,
        pace,
        limit: None,
    }
}

/// A `max` target over a sum with no filter: what was spent, step by step.
/// (With a filter the steps' tallies would not be the target's figure.)
fn budget_line(
    plan: &Plan,
    eval: &Evaluation,
    steps: &[crate::engine::WindowTally],
    samples: &[NaiveDate],
    ti: usize,
    t: &Target,
) -> Option<Line> {
    let (Measure::Sum(c), Requirement::Max(max)) = (t.measure, t.requirement) else {
        return None;
    };
    let plain = t.orgs.is_none()
        && t.levels.is_none()
        && t.units.is_none()
        && t.fields.is_none()
        && !(t.each.org || t.each.unit || t.each.field)
        && t.days == crate::period::DayFilter::default()
        && t.per == crate::period::Per::Term;
    if !plain {
        return None;
    }
    let spent = |d: NaiveDate| {
        cumulative(steps, d, |ks| {
            t.kinds
                .iter()
                .filter_map(|&k| ks.get(k))
                .fold(0u64, |a, kt| a.saturating_add(kt.sum(c)))
        })
    };
    let done = samples
        .iter()
        .copied()
        .filter(|d| *d <= eval.as_of)
        .map(|d| (d, spent(d)))
        .collect();
    Some(Line {
        kind: None,
        target: Some(ti),
        term: plan.term,
        as_of: eval.as_of,
        done,
        scheduled: Vec::new(),
        pace: Vec::new(),
        limit: Some(max),
    })
}

/// What target `t` requires in period `p` by day `d`: nothing before the
/// period, all of it after, and in between the engine's pace (linear over
/// the countable days, or the `schedule`).
pub fn pace_at(t: &Target, p: &Period, d: NaiveDate) -> u64 {
    let Requirement::Min(min) = t.requirement else {
        return 0;
    };
    if d < p.span.start {
        return 0;
    }
    if d >= p.span.end {
        return min;
    }
    if let Some(schedule) = &t.schedule {
        let mut total = 0u64;
        for &(year, qty) in schedule {
            let ys = year_span(year);
            if ys.end < d {
                total = total.saturating_add(qty);
            } else if year == d.year() {
                let Some(span) = ys.intersect(p.span) else { continue };
                let all = t.days.count_days(span);
                let elapsed = Span::new(span.start, d.min(span.end)).map_or(0, |s| t.days.count_days(s));
                total = total.saturating_add(mul_div(qty, elapsed, all));
            }
        }
        return total;
    }
    mul_div(min, elapsed_days(p, &t.days, d), p.countable_days)
}

fn mul_div(a: u64, num: i64, den: i64) -> u64 {
    let (Ok(num), Ok(den)) = (u128::try_from(num), u128::try_from(den)) else {
        return 0;
    };
    if den == 0 {
        return 0;
    }
    u64::try_from(u128::from(a) * num / den).unwrap_or(u64::MAX)
}

fn offices(plan: &Plan, eval: &Evaluation, window: Span) -> Vec<Office> {
    let Some(w) = eval.windows.first() else {
        return Vec::new();
    };
    let n_units = plan.units.len();
    plan.units
        .iter()
        .enumerate()
        .map(|(ui, u)| {
            let life = u.life().unwrap_or(plan.term);
            let absent = if life.overlaps(window) {
                None
            } else if life.end < window.start {
                Some(life.end.succ_opt().unwrap_or(life.end))
            } else {
                Some(life.start)
            };
            Office {
                unit: ui,
                absent,
                active: (0..plan.orgs.len()).map(|oi| w.is_active(oi, ui, n_units)).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::Each;
    use crate::period::{DayFilter, Per, parse_iso_date, periods};

    fn target(per: Per, min: u64, schedule: Option<Vec<(i32, u64)>>) -> Target {
        Target {
            id: "t".to_owned(),
            title: "t".to_owned(),
            title_en: None,
            source: None,
            note: None,
            kinds: vec![0],
            orgs: None,
            levels: None,
            units: None,
            fields: None,
            each: Each::default(),
            per,
            days: DayFilter::default(),
            measure: Measure::Count,
            requirement: Requirement::Min(min),
            schedule,
        }
    }

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
    }

    #[test]
    fn linear_pace_is_the_elapsed_share_rounded_down() {
        let term = Span::new(d("2021-01-01"), d("2025-12-31")).unwrap();
        let t = target(Per::Year, 12, None);
        let ps = periods(Per::Year, term, &t.days, None);
        let p2023 = &ps[2];
        assert_eq!(pace_at(&t, p2023, d("2022-12-31")), 0);
        // 182 of 365 days: 12 × 182 / 365 = 5.98 → 5.
        assert_eq!(pace_at(&t, p2023, d("2023-07-01")), 5);
        assert_eq!(pace_at(&t, p2023, d("2023-07-02")), 6);
        assert_eq!(pace_at(&t, p2023, d("2023-12-31")), 12);
        assert_eq!(pace_at(&t, p2023, d("2024-03-01")), 12);
    }

    #[test]
    fn scheduled_pace_adds_past_years_and_a_share_of_this_one() {
        let term = Span::new(d("2021-01-01"), d("2025-12-31")).unwrap();
        let t = target(
            Per::Term,
            234,
            Some(vec![(2021, 44), (2022, 48), (2023, 48), (2024, 48), (2025, 46)]),
        );
        let ps = periods(Per::Term, term, &t.days, None);
        // 44 + 48 and 181/365 of 48 (23.8 → 23): the engine's 115.
        assert_eq!(pace_at(&t, &ps[0], d("2023-06-30")), 115);
        assert_eq!(pace_at(&t, &ps[0], d("2025-12-31")), 234);
    }
}
