//! The judgement a report draft passes on each result: a strength, a
//! shortcoming, neither, or not yet due. Sections II, III, IV and the
//! appendix all ask this one function, so they cannot disagree, and a
//! result is never both a strength and a shortcoming.
//!
//! A strength is a target met, or one whose expected pace is above 0 and
//! whose actual is at least `expected + max(1, ⌈expected ÷ 10⌉)`: clearly
//! ahead, never a 0 that is "on track" only because the pace rounds down to
//! 0. A shortcoming is a result behind, missed or over its limit, and any
//! result still at 0 once its countable days have begun. Staying within a
//! budget is a fact, stated as such, not a strength.

use chrono::NaiveDate;

use crate::engine::{Figure, Status, TargetResult};
use crate::model::Target;
use crate::period::Span;

/// What a report says of one result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Met, or clearly ahead of the pace.
    Strength(Ahead),
    /// On the pace (or a limit kept, or nothing scheduled): neither.
    Neutral,
    /// Behind, missed, over the limit, or nothing done once due.
    Shortcoming(Why),
    /// Its period (or its first countable day) has not begun.
    NotYet,
}

/// Why a result is a strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ahead {
    Met,
    AheadOfPace,
}

/// Why a result is a shortcoming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Why {
    /// Nothing done although the target has started.
    Nothing,
    Behind,
    Missed,
    Over,
}

/// Whether a result's countable days have begun by `as_of`.
pub fn started(t: &Target, r: &TargetResult, as_of: NaiveDate) -> bool {
    let p = r.period.span;
    if p.start > as_of {
        return false;
    }
    let end = p.end.min(as_of);
    Span::new(p.start, end).is_some_and(|s| t.days.count_days(s) > 0)
}

/// The margin above the pace that makes an on-track result a strength.
pub fn margin(expected: u64) -> u64 {
    expected.div_ceil(10).max(1)
}

/// Judges one result as of `as_of`.
pub fn verdict(t: &Target, r: &TargetResult, as_of: NaiveDate) -> Verdict {
    let zero = matches!(r.actual, Some(Figure::Int(0) | Figure::Ratio(0.0)));
    match r.status {
        Status::Upcoming => Verdict::NotYet,
        Status::Met => Verdict::Strength(Ahead::Met),
        Status::Missed => Verdict::Shortcoming(if zero { Why::Nothing } else { Why::Missed }),
        Status::Over => Verdict::Shortcoming(Why::Over),
        Status::Behind => Verdict::Shortcoming(if zero { Why::Nothing } else { Why::Behind }),
        Status::OnTrack => {
            if !started(t, r, as_of) {
                return Verdict::NotYet;
            }
            if zero {
                return Verdict::Shortcoming(Why::Nothing);
            }
            match (r.expected, r.actual) {
                (Some(e), Some(Figure::Int(a))) if e > 0 && a >= e.saturating_add(margin(e)) => {
                    Verdict::Strength(Ahead::AheadOfPace)
                }
                _ => Verdict::Neutral,
            }
        }
        Status::Within | Status::NotApplicable => Verdict::Neutral,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::period::{Period, PeriodLabel, ymd};

    fn target() -> Target {
        let (plan, _) = crate::planfile::load(
            "t.toml",
            r#"format = 1
[plan]
id = "p"
number = "1"
title = "T"
start = 2021-01-01
end = 2025-12-31
[orgs]
A = "A"
[levels]
l = "L"
[units.u]
name = "U"
level = "l"
[kinds]
k = "K"
[[target]]
id = "t"
kind = "k"
per = "term"
min = 100
[[target]]
id = "nov"
kind = "k"
per = "year"
months = [11]
min = 1
"#,
            crate::lang::Lang::En,
        );
        plan.unwrap().targets[0].clone()
    }

    fn result(status: Status, actual: u64, expected: Option<u64>) -> TargetResult {
        TargetResult {
            target: 0,
            period: Period {
                span: Span::new(ymd(2021, 1, 1), ymd(2025, 12, 31)).unwrap(),
                label: PeriodLabel::Term {
                    first: 2021,
                    last: 2025,
                },
                countable_days: 1826,
            },
            org: None,
            unit: None,
            field: None,
            actual: Some(Figure::Int(actual)),
            required: Figure::Int(100),
            expected,
            status,
        }
    }

    #[test]
    fn zero_on_track_is_never_a_strength_but_a_shortcoming_once_started() {
        let t = target();
        let day = ymd(2021, 2, 1);
        // The pace rounds down to 0: "on track" with nothing done.
        let r = result(Status::OnTrack, 0, Some(0));
        assert_eq!(verdict(&t, &r, day), Verdict::Shortcoming(Why::Nothing));
    }

    #[test]
    fn ahead_needs_a_margin_above_the_pace() {
        let t = target();
        let day = ymd(2023, 6, 30);
        // expected 40: the margin is 4.
        assert_eq!(
            verdict(&t, &result(Status::OnTrack, 43, Some(40)), day),
            Verdict::Neutral
        );
        assert_eq!(
            verdict(&t, &result(Status::OnTrack, 44, Some(40)), day),
            Verdict::Strength(Ahead::AheadOfPace)
        );
        // expected 3: the margin is at least 1.
        assert_eq!(verdict(&t, &result(Status::OnTrack, 3, Some(3)), day), Verdict::Neutral);
        assert_eq!(
            verdict(&t, &result(Status::OnTrack, 4, Some(3)), day),
            Verdict::Strength(Ahead::AheadOfPace)
        );
        // A pace of 0 never makes a strength, whatever was done.
        assert_eq!(verdict(&t, &result(Status::OnTrack, 5, Some(0)), day), Verdict::Neutral);
        assert_eq!(margin(0), 1);
        assert_eq!(margin(11), 2);
    }

    #[test]
    fn statuses_map_to_one_verdict_each() {
        let t = target();
        let day = ymd(2023, 6, 30);
        assert_eq!(
            verdict(&t, &result(Status::Met, 100, None), day),
            Verdict::Strength(Ahead::Met)
        );
        assert_eq!(
            verdict(&t, &result(Status::Behind, 10, Some(40)), day),
            Verdict::Shortcoming(Why::Behind)
        );
        assert_eq!(
            verdict(&t, &result(Status::Behind, 0, Some(40)), day),
            Verdict::Shortcoming(Why::Nothing)
        );
        assert_eq!(
            verdict(&t, &result(Status::Missed, 10, None), day),
            Verdict::Shortcoming(Why::Missed)
        );
        assert_eq!(
            verdict(&t, &result(Status::Over, 10, None), day),
            Verdict::Shortcoming(Why::Over)
        );
        assert_eq!(verdict(&t, &result(Status::Within, 10, None), day), Verdict::Neutral);
        assert_eq!(verdict(&t, &result(Status::Upcoming, 0, None), day), Verdict::NotYet);
    }

    #[test]
    fn a_target_whose_countable_days_have_not_begun_is_not_yet_due() {
        let plan_t = {
            let mut t = target();
            t.days = crate::period::DayFilter {
                months: Some(1 << 10),
                years: None,
            };
            t
        };
        let mut r = result(Status::OnTrack, 0, Some(0));
        r.period.span = Span::new(ymd(2023, 1, 1), ymd(2023, 12, 31)).unwrap();
        assert_eq!(verdict(&plan_t, &r, ymd(2023, 6, 30)), Verdict::NotYet);
        assert_eq!(
            verdict(&plan_t, &r, ymd(2023, 11, 15)),
            Verdict::Shortcoming(Why::Nothing)
        );
    }
}
