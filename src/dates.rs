//! What to say about a date that is not `YYYY-MM-DD`: a day that does not
//! exist (`2023-02-30`), missing zeros (`2023-3-5`), or a `dd/mm/yyyy` or
//! `mm/dd/yyyy` date, whose order is inferred per file from its other such
//! dates before an ISO date is suggested ([`refine_order`]).

use chrono::NaiveDate;

use crate::diag::Diagnostic;

/// Which part of a `a/b/yyyy` date is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `15/03/2023`: the Vietnamese way, assumed without evidence.
    DayFirst,
    /// `03/15/2023`: what a spreadsheet set to US English writes.
    MonthFirst,
}

/// The parts of `a/b/yyyy` (also `-` and `.`), as numbers.
fn slashed(text: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let small = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) || !small(a) || !small(b) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

/// The parts of `yyyy-m-d`, as numbers.
fn iso_like(text: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// What a date written `a/b/yyyy` tells of its file's order, if anything.
pub fn evidence(text: &str) -> Option<Order> {
    let (a, b, _) = slashed(text.trim())?;
    match (a > 12, b > 12) {
        (true, false) => Some(Order::DayFirst),
        (false, true) => Some(Order::MonthFirst),
        _ => None,
    }
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

/// Why `(year, month, day)` is no day, in words: (vi, en).
fn no_such_day(year: i32, month: u32, day: u32) -> (String, String) {
    match days_in_month(year, month) {
        None => (format!("không có tháng {month}"), format!("there is no month {month}")),
        Some(n) => (
            format!("tháng {month} năm {year} chỉ có {n} ngày, không có ngày {day}"),
            format!("month {month} of {year} has {n} days, not {day}"),
        ),
    }
}

/// The message of a `bad-date` cell `text` (vi, en), given the order its
/// file writes `a/b/yyyy` dates in.
pub fn bad_date(text: &str, order: Order) -> (String, String) {
    let t = text.trim();
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some((y, m, d)) = iso_like(t) {
        return if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            (
                format!(
                    "`{t}` thiếu số 0: ngày tháng phải có hai chữ số; hãy viết {}",
                    iso(date)
                ),
                format!(
                    "`{t}` lacks zeros: months and days take two digits; write {}",
                    iso(date)
                ),
            )
        } else {
            let (vi, en) = no_such_day(y, m, d);
            (
                format!("`{t}` không phải ngày có thật: {vi}; hãy sửa ngày"),
                format!("`{t}` is not a real date: {en}; fix the date"),
            )
        };
    }
    if let Some((a, b, y)) = slashed(t) {
        let order = evidence(t).unwrap_or(order);
        let (day, month) = match order {
            Order::DayFirst => (a, b),
            Order::MonthFirst => (b, a),
        };
        return if let Some(date) = NaiveDate::from_ymd_opt(y, month, day) {
            let (vi_note, en_note) = match order {
                Order::DayFirst => ("", ""),
                Order::MonthFirst => (
                    " (tệp này viết tháng trước ngày)",
                    " (this file writes the month first)",
                ),
            };
            (
                format!(
                    "`{t}` không phải ngày ISO: có lẽ ý bạn là {}{vi_note}; hãy viết YYYY-MM-DD",
                    iso(date)
                ),
                format!(
                    "`{t}` is not an ISO date: it probably means {}{en_note}; write dates as YYYY-MM-DD",
                    iso(date)
                ),
            )
        } else {
            let (vi, en) = no_such_day(y, month, day);
            (
                format!("`{t}` không phải ngày có thật: {vi}; hãy viết ngày có thật dạng YYYY-MM-DD"),
                format!("`{t}` is not a real date: {en}; write a real date as YYYY-MM-DD"),
            )
        };
    }
    (
        format!("`{t}` không phải ngày ISO: hãy viết YYYY-MM-DD, ví dụ 2023-03-15"),
        format!("`{t}` is not an ISO date: write YYYY-MM-DD, e.g. 2023-03-15"),
    )
}

/// Rewords the `bad-date` diagnostics of each file whose `a/b/yyyy` dates
/// show the month first (`03/15/2023`), so that its ambiguous dates
/// (`03/05/2023`) get the suggestion that file means. The evidence is every
/// such date of the file; without any, day-first stands.
pub fn refine_order(diags: &mut [Diagnostic], lang: crate::lang::Lang) {
    use std::collections::BTreeMap;
    let mut votes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.code == "bad-date" && d.suppressed == 0) {
        let Some(text) = d.cell() else { continue };
        let v = votes.entry(d.file.clone()).or_default();
        match evidence(&text) {
            Some(Order::DayFirst) => v.0 += 1,
            Some(Order::MonthFirst) => v.1 += 1,
            None => {}
        }
    }
    for d in diags.iter_mut().filter(|d| d.code == "bad-date" && d.suppressed == 0) {
        let Some(&(day_first, month_first)) = votes.get(&d.file) else {
            continue;
        };
        if month_first <= day_first {
            continue;
        }
        let Some(text) = d.cell() else { continue };
        let (vi, en) = bad_date(&text, Order::MonthFirst);
        d.message = lang.pick(&vi, &en).to_owned();
    }
}

/// The day a date option (`--at`) means, or why it means none (vi, en).
pub fn parse_option(text: &str) -> Result<NaiveDate, (String, String)> {
    match crate::period::parse_iso_date(text.trim()) {
        Some(d) => Ok(d),
        None => Err(bad_date(text, Order::DayFirst)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn en(text: &str, order: Order) -> String {
        bad_date(text, order).1
    }

    #[test]
    fn impossible_days_are_called_so() {
        assert_eq!(
            en("2023-02-30", Order::DayFirst),
            "`2023-02-30` is not a real date: month 2 of 2023 has 28 days, not 30; fix the date"
        );
        assert!(en("2024-13-01", Order::DayFirst).contains("there is no month 13"));
        assert!(
            bad_date("2023-02-30", Order::DayFirst)
                .0
                .contains("không phải ngày có thật")
        );
        assert!(en("31/04/2023", Order::DayFirst).contains("month 4 of 2023 has 30 days"));
    }

    #[test]
    fn missing_zeros_get_the_iso_date() {
        assert_eq!(
            en("2023-3-5", Order::DayFirst),
            "`2023-3-5` lacks zeros: months and days take two digits; write 2023-03-05"
        );
        assert!(en("5/3/2023", Order::DayFirst).contains("2023-03-05"));
    }

    #[test]
    fn the_order_decides_ambiguous_dates_only() {
        assert!(en("03/05/2023", Order::DayFirst).contains("means 2023-05-03;"));
        assert!(en("03/05/2023", Order::MonthFirst).contains("means 2023-03-05 (this file writes the month first)"));
        // Unambiguous dates ignore the file's order.
        assert!(en("15/03/2023", Order::MonthFirst).contains("means 2023-03-15;"));
        assert!(en("03/15/2023", Order::DayFirst).contains("means 2023-03-15 (this file"));
        assert_eq!(evidence("03/15/2023"), Some(Order::MonthFirst));
        assert_eq!(evidence("15/03/2023"), Some(Order::DayFirst));
        assert_eq!(evidence("03/05/2023"), None);
    }

    #[test]
    fn a_month_first_file_rewords_its_ambiguous_dates() {
        let line = |s: &str| {
            Diagnostic::error("a.csv", "bad-date", "x")
                .at(2, 1, Some(format!("{s},MTTQ")))
                .width(10)
        };
        let mut d = vec![line("03/15/2023"), line("03/05/2023"), line("04/20/2023")];
        d.push(
            Diagnostic::error("b.csv", "bad-date", "kept")
                .at(2, 1, Some("03/05/2023,x".into()))
                .width(10),
        );
        refine_order(&mut d, crate::lang::Lang::En);
        assert!(
            d[1].message.contains("2023-03-05 (this file writes the month first)"),
            "{}",
            d[1].message
        );
        assert_eq!(d[3].message, "kept", "another file: no evidence, left alone");
    }
}
