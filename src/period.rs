//! Calendar arithmetic for plans: half-years, years and the term; parsing of
//! the period options (`2023H1`, `2023S1`, `last`, `this`, `2023`); clipping
//! of periods to the term, to a target's `years` and to a unit's life; and
//! counting the days on which rows can count (`months`, `years`).
//!
//! Every date rule of the compliance engine lives here so that it can be
//! tested at its edges in one place. All intervals are closed: both the first
//! and the last day belong to the period.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A closed interval of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Span {
    /// A span, or `None` when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<Span> {
        (start <= end).then_some(Span { start, end })
    }

    /// The days both spans share, or `None` when they do not meet.
    pub fn intersect(self, other: Span) -> Option<Span> {
        Span::new(self.start.max(other.start), self.end.min(other.end))
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.intersect(other).is_some()
    }

    /// Number of calendar days in the span.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// Which half of a year: H1 = January–June, H2 = July–December.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WhichHalf {
    H1,
    H2,
}

/// A half-year: a year and which half of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Half {
    pub year: i32,
    pub half: WhichHalf,
}

impl Half {
    pub fn containing(day: NaiveDate) -> Half {
        Half {
            year: day.year(),
            half: if day.month() <= 6 { WhichHalf::H1 } else { WhichHalf::H2 },
        }
    }

    pub fn span(self) -> Span {
        let (first, last) = match self.half {
            WhichHalf::H1 => ((1, 1), (6, 30)),
            WhichHalf::H2 => ((7, 1), (12, 31)),
        };
        Span {
            start: ymd(self.year, first.0, first.1),
            end: ymd(self.year, last.0, last.1),
        }
    }

    #[must_use]
    pub fn previous(self) -> Half {
        match self.half {
            WhichHalf::H2 => Half {
                year: self.year,
                half: WhichHalf::H1,
            },
            WhichHalf::H1 => Half {
                year: self.year - 1,
                half: WhichHalf::H2,
            },
        }
    }

    #[must_use]
    pub fn next(self) -> Half {
        match self.half {
            WhichHalf::H1 => Half {
                year: self.year,
                half: WhichHalf::H2,
            },
            WhichHalf::H2 => Half {
                year: self.year + 1,
                half: WhichHalf::H1,
            },
        }
    }

    /// Parses `2023H1`, `2023h2`, `2023S1` (Vietnamese "semester" spelling),
    /// and, relative to `today`, `this` and `last`; `None` for anything else.
    pub fn parse(text: &str, today: NaiveDate) -> Option<Half> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "this" => return Some(Half::containing(today)),
            "last" => return Some(Half::containing(today).previous()),
            _ => {}
        }
        if t.len() != 6 || !t.is_ascii() {
            return None;
        }
        let (year, rest) = t.split_at(4);
        if !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let half = match rest.to_ascii_uppercase().as_str() {
            "H1" | "S1" => WhichHalf::H1,
            "H2" | "S2" => WhichHalf::H2,
            _ => return None,
        };
        Some(Half { year, half })
    }
}

impl fmt::Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = match self.half {
            WhichHalf::H1 => 1,
            WhichHalf::H2 => 2,
        };
        write!(f, "{}H{n}", self.year)
    }
}

/// Parses a year option: `2023`, or relative to `today`, `this` and `last`;
/// `None` for anything else.
pub fn parse_year(text: &str, today: NaiveDate) -> Option<i32> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "this" => Some(today.year()),
        "last" => Some(today.year() - 1),
        _ => Some(t)
            .filter(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<i32>().ok())
            .filter(|y| (1900..=9999).contains(y)),
    }
}

/// Parses an ISO date `YYYY-MM-DD` strictly (four-digit year, two-digit
/// month and day). Returns `None` for anything else.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    parse_iso_date_bytes(text.as_bytes())
}

/// [`parse_iso_date`] on bytes (the log reader's hot path).
pub fn parse_iso_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        let mut n = 0u32;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(c - b'0');
        }
        Some(n)
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// When `text` looks like a Vietnamese-style `dd/mm/yyyy` (or `dd-mm-yyyy`,
/// `dd.mm.yyyy`) date, the ISO date it probably means.
pub fn guess_dmy(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A calendar date that is known to be valid (used for constants such as
/// 1 January); falls back to the minimum date instead of panicking.
pub fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The whole calendar year.
pub fn year_span(year: i32) -> Span {
    Span {
        start: ymd(year, 1, 1),
        end: ymd(year, 12, 31),
    }
}

/// Which days of a period can carry rows: only days in `months` (if any) and
/// in `years` (if any). The default admits every day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayFilter {
    /// Bit m-1 set = month m admitted. `None` = every month.
    pub months: Option<u16>,
    /// Sorted admitted years. `None` = every year.
    pub years: Option<Vec<i32>>,
}

impl DayFilter {
    pub fn admits(&self, day: NaiveDate) -> bool {
        self.admits_month(day.month()) && self.admits_year(day.year())
    }

    fn admits_month(&self, month: u32) -> bool {
        self.months.is_none_or(|m| m & (1 << (month - 1)) != 0)
    }

    pub fn admits_year(&self, year: i32) -> bool {
        self.years.as_ref().is_none_or(|ys| ys.binary_search(&year).is_ok())
    }

    /// Number of admitted days in `span` (whole months at a time, so a
    /// term of five years costs sixty steps, not 1 826).
    pub fn count_days(&self, span: Span) -> i64 {
        let mut total = 0;
        let mut cursor = span.start;
        while cursor <= span.end {
            let month_end = last_day_of_month(cursor.year(), cursor.month()).min(span.end);
            if self.admits_month(cursor.month()) && self.admits_year(cursor.year()) {
                total += (month_end - cursor).num_days() + 1;
            }
            match month_end.succ_opt() {
                Some(next) => cursor = next,
                None => break,
            }
        }
        total
    }

    /// The last admitted day of `span`, if any: a target held only in
    /// November is due by 30 November, not by the end of its year.
    pub fn last_admitted(&self, span: Span) -> Option<NaiveDate> {
        let mut month_end = span.end;
        while month_end >= span.start {
            if self.admits(month_end) {
                return Some(month_end);
            }
            // The last day of the month before.
            month_end = month_end.with_day(1)?.pred_opt()?;
        }
        None
    }
}

/// The last day of `month` (1-12) of `year`. December of the calendar's last
/// year has no next month to step back from: its last day is
/// `NaiveDate::MAX` (falling back to `MIN` there made `count_days` start over
/// from the first day of the calendar, forever).
pub fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year.saturating_add(1), 1)
    } else {
        (year, month.saturating_add(1))
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The grain a target is required in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Per {
    Term,
    Year,
    Half,
}

impl Per {
    pub fn parse(s: &str) -> Option<Per> {
        match s {
            "term" => Some(Per::Term),
            "year" => Some(Per::Year),
            "half" => Some(Per::Half),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Per::Term => "term",
            Per::Year => "year",
            Per::Half => "half",
        }
    }
}

/// The name of a target period, as written in outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodLabel {
    /// A term-long period, written `2021-2025` (or `2025` when it is
    /// clipped to a single year by `years`).
    Term {
        first: i32,
        last: i32,
    },
    Year(i32),
    Half(Half),
}

impl fmt::Display for PeriodLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodLabel::Term { first, last } if first == last => write!(f, "{first}"),
            PeriodLabel::Term { first, last } => write!(f, "{first}-{last}"),
            PeriodLabel::Year(y) => write!(f, "{y}"),
            PeriodLabel::Half(h) => write!(f, "{h}"),
        }
    }
}

/// One period of a target: its name, its days (already clipped to the
/// term, `years` and the unit's life) and how many of them can carry rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: PeriodLabel,
    pub span: Span,
    /// Days in `span` admitted by the target's day filter.
    pub countable_days: i64,
}

/// The periods of a target of grain `per` over `term`, clipped to `filter`'s
/// years and to `life` (a unit's from–until). Periods without a countable day
/// do not exist and are left out.
pub fn periods(per: Per, term: Span, filter: &DayFilter, life: Option<Span>) -> Vec<Period> {
    let mut out = Vec::new();
    let mut push = |label: PeriodLabel, span: Span| {
        let Some(span) = span.intersect(term) else {
            return;
        };
        let Some(span) = life.map_or(Some(span), |l| span.intersect(l)) else {
            return;
        };
        let countable_days = filter.count_days(span);
        if countable_days > 0 {
            out.push(Period {
                label,
                span,
                countable_days,
            });
        }
    };
    let (y0, y1) = (term.start.year(), term.end.year());
    match per {
        Per::Term => {
            let span = match &filter.years {
                Some(ys) => match (ys.first(), ys.last()) {
                    (Some(&a), Some(&b)) => Span {
                        start: year_span(a).start,
                        end: year_span(b).end,
                    },
                    _ => return out,
                },
                None => term,
            };
            if let Some(s) = span.intersect(term) {
                let label = PeriodLabel::Term {
                    first: s.start.year(),
                    last: s.end.year(),
                };
                push(label, s);
            }
        }
        Per::Year => {
            for y in y0..=y1 {
                if filter.admits_year(y) {
                    push(PeriodLabel::Year(y), year_span(y));
                }
            }
        }
        Per::Half => {
            for y in y0..=y1 {
                if !filter.admits_year(y) {
                    continue;
                }
                for half in [WhichHalf::H1, WhichHalf::H2] {
                    let h = Half { year: y, half };
                    push(PeriodLabel::Half(h), h.span());
                }
            }
        }
    }
    out
}

/// Admitted days of `period` from its start up to and including `as_of`.
pub fn elapsed_days(period: &Period, filter: &DayFilter, as_of: NaiveDate) -> i64 {
    if as_of < period.span.start {
        return 0;
    }
    let end = as_of.min(period.span.end);
    Span::new(period.span.start, end).map_or(0, |s| filter.count_days(s))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
    }

    fn term() -> Span {
        Span::new(d("2021-01-01"), d("2025-12-31")).unwrap()
    }

    #[test]
    fn parses_halves_in_every_spelling() {
        let today = d("2024-03-10");
        assert_eq!(
            Half::parse("2023H1", today).unwrap(),
            Half {
                year: 2023,
                half: WhichHalf::H1
            }
        );
        assert_eq!(
            Half::parse("2023s2", today).unwrap(),
            Half {
                year: 2023,
                half: WhichHalf::H2
            }
        );
        assert_eq!(
            Half::parse("this", today).unwrap(),
            Half {
                year: 2024,
                half: WhichHalf::H1
            }
        );
        assert_eq!(
            Half::parse("last", today).unwrap(),
            Half {
                year: 2023,
                half: WhichHalf::H2
            }
        );
        assert!(Half::parse("2023H3", today).is_none());
        assert!(Half::parse("23H1", today).is_none());
        assert!(Half::parse("2023Ḥ1", today).is_none());
        assert_eq!(
            Half {
                year: 2023,
                half: WhichHalf::H2
            }
            .to_string(),
            "2023H2"
        );
        assert_eq!(parse_year("last", today).unwrap(), 2023);
        assert!(parse_year("20x3", today).is_none());
        // Signs and short years are not years of a plan.
        assert!(Half::parse("+023H1", today).is_none());
        assert!(Half::parse("-023H1", today).is_none());
        assert!(parse_year("+2023", today).is_none());
        assert!(parse_year("0203", today).is_none());
        assert_eq!(parse_year(" 2023 ", today), Some(2023));
    }

    #[test]
    fn last_admitted_day() {
        let nov = DayFilter {
            months: Some(1 << 10),
            years: None,
        };
        let y2023 = year_span(2023);
        assert_eq!(nov.last_admitted(y2023), Some(d("2023-11-30")));
        assert_eq!(DayFilter::default().last_admitted(y2023), Some(d("2023-12-31")));
        let h1 = Half {
            year: 2023,
            half: WhichHalf::H1,
        }
        .span();
        assert_eq!(nov.last_admitted(h1), None, "no November in a first half");
        let to_mid_nov = Span::new(d("2023-04-15"), d("2023-11-10")).unwrap();
        assert_eq!(nov.last_admitted(to_mid_nov), Some(d("2023-11-10")));
        let only_2022 = DayFilter {
            months: None,
            years: Some(vec![2022]),
        };
        assert_eq!(
            only_2022.last_admitted(Span::new(d("2021-01-01"), d("2025-12-31")).unwrap()),
            Some(d("2022-12-31"))
        );
    }

    #[test]
    fn half_spans_and_neighbours() {
        let h = Half {
            year: 2024,
            half: WhichHalf::H1,
        };
        assert_eq!(h.span().days(), 182, "2024 is a leap year");
        assert_eq!(
            Half {
                year: 2023,
                half: WhichHalf::H1
            }
            .span()
            .days(),
            181
        );
        assert_eq!(
            h.previous(),
            Half {
                year: 2023,
                half: WhichHalf::H2
            }
        );
        assert_eq!(h.previous().next(), h);
        assert_eq!(Half::containing(d("2024-06-30")), h);
        assert_eq!(Half::containing(d("2024-07-01")).half, WhichHalf::H2);
    }

    #[test]
    fn strict_iso_dates_and_dmy_guesses() {
        assert_eq!(parse_iso_date("2024-02-29"), Some(d("2024-02-29")));
        assert_eq!(parse_iso_date("2023-02-29"), None);
        assert_eq!(parse_iso_date("2023-2-9"), None);
        assert_eq!(parse_iso_date("15/03/2023"), None);
        assert_eq!(guess_dmy("15/03/2023"), Some(d("2023-03-15")));
        assert_eq!(guess_dmy("5.3.2023"), Some(d("2023-03-05")));
        assert_eq!(guess_dmy("2023/03/15"), None);
    }

    #[test]
    fn year_periods_clip_to_a_term_from_first_of_july() {
        let term = Span::new(d("2020-07-01"), d("2025-06-30")).unwrap();
        let ps = periods(Per::Year, term, &DayFilter::default(), None);
        assert_eq!(ps.len(), 6);
        assert_eq!(ps[0].span, Span::new(d("2020-07-01"), d("2020-12-31")).unwrap());
        assert_eq!(ps[5].span.end, d("2025-06-30"));
        let term_p = periods(Per::Term, term, &DayFilter::default(), None);
        assert_eq!(term_p[0].label.to_string(), "2020-2025");
    }

    #[test]
    fn years_filter_limits_periods() {
        let f = DayFilter {
            months: None,
            years: Some(vec![2021, 2022, 2023, 2024]),
        };
        let ps = periods(Per::Year, term(), &f, None);
        assert_eq!(
            ps.iter().map(|p| p.label.to_string()).collect::<Vec<_>>(),
            ["2021", "2022", "2023", "2024"]
        );
        let one = DayFilter {
            months: None,
            years: Some(vec![2025]),
        };
        let t = periods(Per::Term, term(), &one, None);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].label.to_string(), "2025");
        assert_eq!(t[0].span, year_span(2025));
    }

    #[test]
    fn unit_life_clips_and_removes_periods() {
        let life = Span::new(NaiveDate::MIN, d("2025-06-30")).unwrap();
        let ps = periods(Per::Half, term(), &DayFilter::default(), Some(life));
        assert_eq!(ps.len(), 9, "2025H2 does not exist for a unit that ended on 30/06/2025");
        let ys = periods(Per::Year, term(), &DayFilter::default(), Some(life));
        assert_eq!(
            ys.last().unwrap().span,
            Span::new(d("2025-01-01"), d("2025-06-30")).unwrap()
        );
        let born = Span::new(d("2023-04-01"), NaiveDate::MAX).unwrap();
        let ys = periods(Per::Year, term(), &DayFilter::default(), Some(born));
        assert_eq!(ys[0].span.start, d("2023-04-01"));
        assert_eq!(ys[0].countable_days, 275);
    }

    #[test]
    fn november_window_before_during_and_after() {
        let f = DayFilter {
            months: Some(1 << 10),
            years: None,
        };
        let ps = periods(Per::Year, term(), &f, None);
        let p2023 = &ps[2];
        assert_eq!(p2023.countable_days, 30);
        assert_eq!(elapsed_days(p2023, &f, d("2023-10-31")), 0);
        assert_eq!(elapsed_days(p2023, &f, d("2023-11-15")), 15);
        assert_eq!(elapsed_days(p2023, &f, d("2023-12-20")), 30);
        let halves = periods(Per::Half, term(), &f, None);
        assert!(
            halves.iter().all(|p| matches!(
                p.label,
                PeriodLabel::Half(Half {
                    half: WhichHalf::H2,
                    ..
                })
            )),
            "no H1 period exists for a November-only target"
        );
    }

    #[test]
    fn counting_days_at_the_end_of_the_calendar() {
        // Found by the `period` fuzz target: this looped forever.
        let last = NaiveDate::MAX;
        let s = Span::new(last.pred_opt().unwrap().pred_opt().unwrap(), last).unwrap();
        assert_eq!(DayFilter::default().count_days(s), 3);
        assert_eq!(last_day_of_month(last.year(), 12), last);
        let first = Span::new(NaiveDate::MIN, NaiveDate::MIN.succ_opt().unwrap()).unwrap();
        assert_eq!(DayFilter::default().count_days(first), 2);
    }

    #[test]
    fn counting_days_across_leap_february() {
        let f = DayFilter::default();
        let s = Span::new(d("2024-02-01"), d("2024-03-01")).unwrap();
        assert_eq!(f.count_days(s), 30);
        assert_eq!(f.count_days(year_span(2024)), 366);
        assert_eq!(f.count_days(term()), 1826);
    }
}
