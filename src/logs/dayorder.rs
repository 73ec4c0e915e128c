//! Day-first or month-first: a log's `bad-date` hints follow the order the
//! file itself proves.
//!
//! A text date like `03/09/2023` is read day first (the Vietnamese order)
//! when the detailed check words its hint. But when the same file also holds
//! `02/14/2023`, which can only be month first, and no date that can only be
//! day first, the file was written month first (an English-locale Excel), and
//! the hints of all its `bad-date`s are given in that order.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::lang::Lang;

/// The day, month and year of a `a/b/yyyy` text (also `-` and `.`), as
/// written: (first, second, year).
fn parts(text: &str) -> Option<(u32, u32, i32)> {
    let p: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [a, b, y] = p.as_slice() else { return None };
    if y.len() != 4 || a.is_empty() || a.len() > 2 || b.is_empty() || b.len() > 2 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

/// The text a `bad-date` message quotes (its first `` `…` ``).
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len)
}

/// Rewords the `bad-date` hints of each file that proves month-first order.
pub fn month_first(diags: &mut [Diagnostic], lang: Lang) {
    // Per file: a text proving month first, and whether one proves day first.
    let mut order: BTreeMap<String, (Option<String>, bool)> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.code == "bad-date") {
        let Some(text) = quoted(&d.message) else { continue };
        let Some((a, b, _)) = parts(text) else { continue };
        let e = order.entry(d.file.clone()).or_default();
        if a <= 12 && (13..=31).contains(&b) && e.0.is_none() {
            e.0 = Some(text.to_owned());
        }
        if (13..=31).contains(&a) && b <= 12 {
            e.1 = true;
        }
    }
    for d in diags.iter_mut().filter(|d| d.code == "bad-date") {
        let Some((Some(proof), false)) = order.get(&d.file) else {
            continue;
        };
        let Some(text) = quoted(&d.message).map(str::to_owned) else {
            continue;
        };
        let Some((m, day, y)) = parts(&text) else { continue };
        let Some(date) = NaiveDate::from_ymd_opt(y, m, day) else {
            continue;
        };
        let iso = date.format("%Y-%m-%d");
        d.message = lang
            .pick(
                &format!(
                    "`{text}` không phải ngày ISO: tệp này ghi tháng trước ngày (như `{proof}`), nên có lẽ ý bạn là {iso}; hãy viết YYYY-MM-DD"
                ),
                &format!(
                    "`{text}` is not an ISO date: this file writes the month first (as `{proof}` shows), so it probably means {iso}; write dates as YYYY-MM-DD"
                ),
            )
            .to_owned();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn bad(file: &str, text: &str) -> Diagnostic {
        Diagnostic::error(
            file,
            "bad-date",
            format!("`{text}` is not an ISO date: it probably means X"),
        )
    }

    #[test]
    fn a_file_that_proves_month_first_gets_month_first_hints() {
        let mut d = vec![
            bad("a.csv", "03/09/2023"),
            bad("a.csv", "02/14/2023"),
            bad("b.csv", "03/09/2023"),
        ];
        month_first(&mut d, Lang::En);
        assert!(d[0].message.contains("probably means 2023-03-09"), "{}", d[0].message);
        assert!(d[0].message.contains("`02/14/2023`"));
        assert!(d[1].message.contains("probably means 2023-02-14"));
        // Another file keeps the day-first hint.
        assert!(d[2].message.ends_with("it probably means X"));
    }

    #[test]
    fn a_file_with_both_orders_is_left_alone() {
        let mut d = vec![bad("a.csv", "02/14/2023"), bad("a.csv", "14/02/2023")];
        month_first(&mut d, Lang::En);
        assert!(d.iter().all(|x| x.message.ends_with("it probably means X")));
    }
}
