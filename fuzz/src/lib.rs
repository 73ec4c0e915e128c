//! The bodies of the fuzz targets, shared by cargo-fuzz (`fuzz/fuzz_targets/*.rs`)
//! and by the bounded proptest run inside `cargo test` (`tests/cli/fuzz.rs`, which
//! includes this file as a module). See `docs/fuzzing.md`.
//!
//! Each function takes raw bytes and must never panic, loop forever or run
//! out of memory. Besides "no panic", each checks a few invariants that hold
//! for every input (a diagnostic's line exists in the file, a period lies in
//! the term, countable days never exceed calendar days): a broken invariant
//! panics like a crash, so the fuzzer reports it.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use plan::diag::{self, Diagnostic};
use plan::lang::Lang;
use plan::model::Plan;
use plan::period::{self, DayFilter, Half, Per, Span};
use plan::planfile;

/// The plan that the log target checks logs against.
pub const SHIPPED_PLAN: &str = include_str!("../../plans/15-DA-TU.toml");

/// "Today" for the log target: inside the term, so that both past and future
/// dates are meaningful.
pub fn log_today() -> NaiveDate {
    period::ymd(2024, 6, 30)
}

/// The output language, chosen by the input so that both are exercised.
fn lang_for(data: &[u8]) -> Lang {
    if data.len() % 2 == 0 { Lang::Vi } else { Lang::En }
}

/// `plan_toml`: one plan file, as `planfile::load` reads it, then every
/// diagnostic rendered in every output form, then the periods of every
/// target of the plan (if one was built) with and without each unit's life.
pub fn plan_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (plan, diags) = planfile::load("plans/fuzz.toml", &text, lang_for(data));
    check_diagnostics(&diags, "plans/fuzz.toml", &text, lang_for(data));
    if let Some(plan) = plan {
        check_plan_periods(&plan);
    }
}

/// `log_csv`: one CSV log, checked against the shipped plan by
/// `logs::check_bytes`, then its diagnostics rendered in every form.
pub fn log_csv(data: &[u8]) {
    const NAME: &str = "logs/fuzz.csv";
    let diags = plan::logs::check_bytes(shipped_plan(), NAME, data, log_today(), lang_for(data));
    check_diagnostics(&diags, NAME, &String::from_utf8_lossy(data), lang_for(data));
}

/// The shipped plan, loaded once.
pub fn shipped_plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let (plan, diags) = planfile::load("plans/15-DA-TU.toml", SHIPPED_PLAN, Lang::En);
        match plan {
            Some(plan) => plan,
            None => panic!("the shipped plan does not load: {diags:?}"),
        }
    })
}

/// `period`: the text before the first NUL byte is parsed by every period
/// parser; the bytes after it choose dates, a term, a day filter and a unit
/// life for the period arithmetic (missing bytes read as zero, so a seed can
/// be plain text such as `2023H1`).
pub fn period(data: &[u8]) {
    let (text, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (data.get(..i).unwrap_or(&[]), data.get(i + 1..).unwrap_or(&[])),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    let mut input = Bytes(rest);
    let today = input.date();

    if let Some(h) = Half::parse(&text, today) {
        check_half(h);
    }
    if let Some(y) = period::parse_year(&text, today) {
        let t = text.trim();
        assert!(
            matches!(t.to_ascii_lowercase().as_str(), "this" | "last") || (1900..=9999).contains(&y),
            "parse_year({text:?}) = {y}"
        );
    }
    if let Some(d) = period::parse_iso_date(&text) {
        let back = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        assert_eq!(back, text, "parse_iso_date is strict: it only accepts YYYY-MM-DD");
    }
    let _ = period::guess_dmy(&text);

    // A term as a plan file can give it (TOML dates have years 0-9999), a
    // day filter, and a unit life as `Unit::life` builds it (possibly with
    // `until` before `from`: the plan reports that but keeps the unit).
    let start = input.plan_date();
    let end = input.plan_date();
    let filter = input.filter(start.min(end).year(), start.max(end).year());
    let life = input.life();
    if let Some(term) = Span::new(start.min(end), start.max(end)) {
        check_periods(term, &filter, life, &[today, start, end]);
    }

    // Counting days in a short span anywhere in the calendar, including its
    // very first and last days.
    let first = input.date();
    let len = i64::from(input.byte()) * 4;
    let last = first
        .checked_add_signed(chrono::TimeDelta::days(len))
        .unwrap_or(NaiveDate::MAX);
    if let Some(span) = Span::new(first, last) {
        let n = filter.count_days(span);
        assert!((0..=span.days()).contains(&n), "count_days({span:?}) = {n}");
    }
}

fn check_half(h: Half) {
    assert!(h.to_string().ends_with("H1") || h.to_string().ends_with("H2"), "{h:?}");
    assert_eq!(h.previous().next(), h);
    assert_eq!(h.next().previous(), h);
    let s = h.span();
    assert!(s.start <= s.end, "{h:?}: {s:?}");
    let whole_year =
        NaiveDate::from_ymd_opt(h.year, 1, 1).is_some() && NaiveDate::from_ymd_opt(h.year, 12, 31).is_some();
    if whole_year {
        assert!((181..=184).contains(&s.days()), "{h:?}: {s:?}");
        assert_eq!(Half::containing(s.start), h);
        assert_eq!(Half::containing(s.end), h);
    }
    let _ = h.to_string();
}

/// The periods of every grain over `term`: each lies in the term (and in
/// `life`), has at least one countable day and no more than its calendar
/// days, and its elapsed days on any date are within that.
fn check_periods(term: Span, filter: &DayFilter, life: Option<Span>, dates: &[NaiveDate]) {
    for per in [Per::Term, Per::Year, Per::Half] {
        for p in period::periods(per, term, filter, life) {
            assert!(
                term.contains(p.span.start) && term.contains(p.span.end),
                "{p:?} outside {term:?}"
            );
            if let Some(l) = life {
                assert!(
                    l.contains(p.span.start) && l.contains(p.span.end),
                    "{p:?} outside life {l:?}"
                );
            }
            assert!((1..=p.span.days()).contains(&p.countable_days), "{p:?}");
            for &d in dates.iter().chain([p.span.start, p.span.end].iter()) {
                let e = period::elapsed_days(&p, filter, d);
                assert!((0..=p.countable_days).contains(&e), "elapsed_days({p:?}, {d}) = {e}");
            }
            let _ = p.label.to_string();
        }
    }
}

fn check_plan_periods(plan: &Plan) {
    let dates = [plan.term.start, plan.term.end];
    for t in &plan.targets {
        check_periods(plan.term, &t.days, None, &dates);
        for u in &plan.units {
            check_periods(plan.term, &t.days, u.life(), &dates);
        }
    }
}

/// Every diagnostic names `file`, points at a line the text has, and can be
/// rendered in every output form.
fn check_diagnostics(diags: &[Diagnostic], file: &str, text: &str, lang: Lang) {
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 2;
    for d in diags {
        assert_eq!(d.file, file, "{d:?}");
        assert!(d.line <= lines, "line {} of a text of {lines} lines: {d:?}", d.line);
        assert!(!d.message.is_empty(), "{d:?}");
    }
    let mut sorted = diags.to_vec();
    diag::sort(&mut sorted);
    let mut out = Vec::new();
    assert!(diag::render_human(&sorted, false, lang, 1, &mut out).is_ok());
    assert!(diag::render_human(&sorted, true, lang, 2, &mut out).is_ok());
    assert!(diag::render_json(&sorted, &mut out).is_ok());
    assert!(diag::render_github(&sorted, "", &mut out).is_ok());
    assert!(diag::render_github_summary(&sorted, lang, &mut out).is_ok());
}

/// Fuzz bytes read as numbers; past the end every read gives 0.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn i32(&mut self) -> i32 {
        i32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// Any date chrono can hold, most often near 2020 or at either end of
    /// the calendar.
    fn date(&mut self) -> NaiveDate {
        let sel = self.byte();
        let raw = self.i32();
        let lo = NaiveDate::MIN.num_days_from_ce();
        let hi = NaiveDate::MAX.num_days_from_ce();
        let days = match sel % 4 {
            0 => period::ymd(2020, 1, 1).num_days_from_ce() + raw % 40_000,
            1 => lo + raw.rem_euclid(800),
            2 => hi - raw.rem_euclid(800),
            _ => {
                let n = i64::from(raw).rem_euclid(i64::from(hi) - i64::from(lo) + 1) + i64::from(lo);
                i32::try_from(n).unwrap_or(lo)
            }
        };
        NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MIN)
    }

    /// A date as a TOML plan file can write it: years 0 to 9999.
    fn plan_date(&mut self) -> NaiveDate {
        let sel = self.byte();
        let raw = self.i32();
        // Mostly years of a real term; now and then any year (a term of
        // thousands of years is legal, but slow to walk, so kept rare).
        let year = if sel % 8 == 7 {
            raw.rem_euclid(10_000)
        } else {
            2020 + raw % 10
        };
        let month = (raw >> 8).rem_euclid(12) + 1;
        let day = (raw >> 16).rem_euclid(31) + 1;
        let (month, day) = (month.unsigned_abs(), day.unsigned_abs());
        NaiveDate::from_ymd_opt(year, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(year, month, 28))
            .unwrap_or(NaiveDate::MIN)
    }

    /// A day filter; its years are near the term `y0..=y1` (the plan keeps
    /// them inside it), sorted, possibly empty.
    fn filter(&mut self, y0: i32, y1: i32) -> DayFilter {
        let sel = self.byte();
        let months = (sel & 1 != 0).then(|| u16::from_le_bytes([self.byte(), self.byte()]) & 0x0FFF);
        let years = (sel & 2 != 0).then(|| {
            let n = self.byte() % 8;
            let width = (y1 - y0).clamp(0, 12) + 3;
            let mut ys: Vec<i32> = (0..n).map(|_| y0 - 1 + i32::from(self.byte()) % width).collect();
            ys.sort_unstable();
            ys.dedup();
            ys
        });
        DayFilter { months, years }
    }

    /// A unit's life as `Unit::life` gives it: `None`, or `from`/`until`
    /// with the ends of the calendar for a missing side.
    fn life(&mut self) -> Option<Span> {
        let sel = self.byte();
        if sel % 4 == 0 {
            return None;
        }
        let start = if sel & 4 != 0 { self.plan_date() } else { NaiveDate::MIN };
        let end = if sel & 8 != 0 { self.plan_date() } else { NaiveDate::MAX };
        Some(Span { start, end })
    }
}
