//! The rules that give a period's accumulated figures a status: pace for
//! `min` targets, ceilings for `max`, ratios for completion (documented in
//! `plans/README.md`).

use chrono::{Datelike, NaiveDate};

use super::index::Instance;
use super::result::{Figure, Status, TargetResult};
use crate::model::{Requirement, Target};
use crate::period::{self, Period, Span, year_span};

/// Per period slot: the measure's value, and done / scheduled for completion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Acc {
    pub(super) value: u64,
    pub(super) done: u64,
    pub(super) scheduled: u64,
}

/// The result of one instance `inst` of target `t` (index `ti`) in period `p`.
pub(super) fn evaluate(t: &Target, ti: usize, inst: &Instance, p: &Period, acc: Acc, as_of: NaiveDate) -> TargetResult {
    let mut r = TargetResult {
        target: ti,
        period: p.clone(),
        org: inst.org,
        unit: inst.unit,
        field: inst.field,
        actual: Some(Figure::Int(acc.value)),
        required: Figure::Int(0),
        expected: None,
        status: Status::Upcoming,
    };
    let upcoming = as_of < p.span.start;
    let ended = as_of >= p.span.end;
    match t.requirement {
        Requirement::Min(min) => {
            r.required = Figure::Int(min);
            if !upcoming && !ended {
                r.expected = Some(expected(t, p, min, as_of));
            }
            r.status = if upcoming {
                Status::Upcoming
            } else if acc.value >= min {
                Status::Met
            } else if ended {
                Status::Missed
            } else if acc.value >= r.expected.unwrap_or(0) {
                Status::OnTrack
            } else {
                Status::Behind
            };
        }
        Requirement::Max(max) => {
            r.required = Figure::Int(max);
            r.status = if upcoming {
                Status::Upcoming
            } else if acc.value > max {
                Status::Over
            } else {
                Status::Within
            };
        }
        Requirement::MinRatio(min) => {
            r.required = Figure::Ratio(min);
            r.actual = (acc.scheduled > 0).then(|| Figure::Ratio(acc.done as f64 / acc.scheduled as f64));
            r.status = match r.actual {
                _ if upcoming => Status::Upcoming,
                None => Status::NotApplicable,
                Some(Figure::Ratio(x)) if x >= min => Status::Met,
                Some(_) if ended => Status::Missed,
                Some(_) => Status::Behind,
            };
        }
    }
    r
}

/// The pace of a `min` target at `as_of` (inside the period): linear over the
/// countable days, or from the `schedule`.
fn expected(t: &Target, p: &Period, min: u64, as_of: NaiveDate) -> u64 {
    if let Some(schedule) = &t.schedule {
        let mut total = 0u64;
        for &(year, qty) in schedule {
            let ys = year_span(year);
            if ys.end < as_of {
                // The plan check refuses entries that add up past u64::MAX.
                total = total.saturating_add(qty);
            } else if year == as_of.year() {
                let Some(span) = ys.intersect(p.span) else { continue };
                let all = t.days.count_days(span);
                let elapsed = Span::new(span.start, as_of.min(span.end)).map_or(0, |s| t.days.count_days(s));
                if all > 0 {
                    total = total.saturating_add(floor_mul_div(qty, elapsed, all));
                }
            }
        }
        return total;
    }
    let elapsed = period::elapsed_days(p, &t.days, as_of);
    floor_mul_div(min, elapsed, p.countable_days)
}

/// ⌊a × num ÷ den⌋; 0 when `num` or `den` is negative or `den` is 0.
fn floor_mul_div(a: u64, num: i64, den: i64) -> u64 {
    let (Ok(num), Ok(den)) = (u128::try_from(num), u128::try_from(den)) else {
        return 0;
    };
    if den == 0 {
        return 0;
    }
    u64::try_from(u128::from(a) * num / den).unwrap_or(u64::MAX)
}
