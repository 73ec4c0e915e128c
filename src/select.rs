//! Which period a command looks at, and the as-of date D: `--at`, else the
//! period's last day or today, whichever is earlier, else today. `status`,
//! `site` and `report` (through its [`crate::report::build::ReportPeriod`]) all
//! take D from here; the period options are parsed here too.

use chrono::NaiveDate;

use crate::cli::PeriodArgs;
use crate::error::Error;
use crate::lang::Lang;
use crate::period::{Half, Span, parse_year, year_span};

/// The period a command looks at, and the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The period asked for (`--half`, `--year`, `--term`), if any.
    pub window: Option<Span>,
    pub as_of: NaiveDate,
    pub half: Option<Half>,
    pub year: Option<i32>,
}

/// D for a period ending on `period_end` when no `--at` is given: its last
/// day, or today if that is earlier.
pub fn as_of(period_end: NaiveDate, today: NaiveDate) -> NaiveDate {
    period_end.min(today)
}

/// The period and as-of date that `args` ask for (`term` is the plan's).
pub fn period(args: &PeriodArgs, term: Span, today: NaiveDate, lang: Lang) -> Result<Selection, Error> {
    let mut sel = Selection {
        window: None,
        as_of: today,
        half: None,
        year: None,
    };
    if let Some(h) = &args.half {
        let h = half_option(h, today, lang)?;
        sel.half = Some(h);
        sel.window = Some(h.span());
    } else if let Some(y) = &args.year {
        let y = year_option(y, today, lang)?;
        sel.year = Some(y);
        sel.window = Some(year_span(y));
    } else if args.term {
        sel.window = Some(term);
    }
    sel.as_of = match (&args.at, sel.window) {
        (Some(at), _) => date_option("--at", at, lang)?,
        (None, Some(w)) => as_of(w.end, today),
        (None, None) => today,
    };
    Ok(sel)
}

/// Parses a `--at`-style date option; a `dd/mm/yyyy` date gets the ISO
/// date it means as a hint.
pub fn date_option(name: &str, text: &str, lang: Lang) -> Result<NaiveDate, Error> {
    crate::dates::parse_option(text).map_err(|(vi, en)| Error::Usage(format!("{name} {}", lang.pick(&vi, &en))))
}

/// Parses a `--half` option.
pub fn half_option(text: &str, today: NaiveDate, lang: Lang) -> Result<Half, Error> {
    Half::parse(text, today).ok_or_else(|| {
        Error::Usage(format!(
            "--half `{}`: {}",
            text.trim(),
            lang.pick(
                "không phải nửa năm: viết như 2023H1 hoặc 2023H2 (hoặc 2023S1, last, this)",
                "not a half-year: write it like 2023H1 or 2023H2 (also 2023S1, last, this)"
            )
        ))
    })
}

/// Parses a `--year` option.
pub fn year_option(text: &str, today: NaiveDate, lang: Lang) -> Result<i32, Error> {
    parse_year(text, today).ok_or_else(|| {
        Error::Usage(format!(
            "--year `{}`: {}",
            text.trim(),
            lang.pick(
                "không phải năm: viết như 2023 (hoặc last, this)",
                "not a year: write it like 2023 (also last, this)"
            )
        ))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::period::parse_iso_date;

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
    }

    #[test]
    fn d_is_at_else_the_periods_last_day_or_today_whichever_is_earlier() {
        let term = Span::new(d("2021-01-01"), d("2025-12-31")).unwrap();
        let today = d("2023-05-10");
        let args = |half: Option<&str>, at: Option<&str>| PeriodArgs {
            half: half.map(str::to_owned),
            at: at.map(str::to_owned),
            ..PeriodArgs::default()
        };
        let past = period(&args(Some("2022H2"), None), term, today, Lang::En).unwrap();
        assert_eq!(past.as_of, d("2022-12-31"));
        let current = period(&args(Some("2023H1"), None), term, today, Lang::En).unwrap();
        assert_eq!(current.as_of, today);
        let at = period(&args(Some("2022H2"), Some("2022-08-01")), term, today, Lang::En).unwrap();
        assert_eq!(at.as_of, d("2022-08-01"));
        assert_eq!(period(&args(None, None), term, today, Lang::En).unwrap().as_of, today);
    }
}
