//! At most [`MAX_PER_CODE`] diagnostics of one code in one file.
//!
//! A log where every one of ten million rows is wrong would otherwise hold
//! ten million diagnostics in memory and print gigabytes. The readers put
//! what they find into a [`Cap`] as they find it: it keeps the first
//! [`MAX_PER_CODE`] of each (code, severity) and only counts the others, so
//! nothing beyond the cap is ever held. Caps of consecutive pieces of a file
//! are joined in file order ([`Cap::append`]), which keeps the first ones of
//! the whole file whatever the split. When a file's diagnostics are placed,
//! each code with more gets one summary record ([`summary`]): a
//! [`Diagnostic`] whose `suppressed` is the number left out. It sorts after
//! the file's other diagnostics, counts as that many errors (or warnings),
//! and is rendered as one line (one record in JSON).

use super::{Diagnostic, Severity};
use crate::lang::Lang;

/// How many diagnostics of one code (and severity) one file shows.
pub const MAX_PER_CODE: usize = 100;

/// Something capped by code and severity.
pub trait Coded {
    fn code(&self) -> &'static str;
    fn severity(&self) -> Severity;
}

impl Coded for Diagnostic {
    fn code(&self) -> &'static str {
        self.code
    }
    fn severity(&self) -> Severity {
        self.severity
    }
}

/// How many of one code were seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    code: &'static str,
    severity: Severity,
    /// Every one seen, kept or not.
    total: u64,
}

/// The diagnostics of one file (or of a piece of it), capped per code.
#[derive(Debug, Clone)]
pub struct Cap<T> {
    items: Vec<T>,
    /// One entry per (code, severity) seen: a handful, searched linearly.
    seen: Vec<Seen>,
}

impl<T> Default for Cap<T> {
    fn default() -> Self {
        Cap {
            items: Vec::new(),
            seen: Vec::new(),
        }
    }
}

impl<T: Coded> Cap<T> {
    /// Counts `n` more of `code`; the new total.
    fn add(&mut self, code: &'static str, severity: Severity, n: u64) -> u64 {
        if let Some(s) = self.seen.iter_mut().find(|s| s.code == code && s.severity == severity) {
            s.total = s.total.saturating_add(n);
            return s.total;
        }
        self.seen.push(Seen {
            code,
            severity,
            total: n,
        });
        n
    }

    /// Whether one more of `code` would only be counted.
    pub fn is_full(&self, code: &'static str, severity: Severity) -> bool {
        self.seen
            .iter()
            .any(|s| s.code == code && s.severity == severity && s.total >= MAX_PER_CODE as u64)
    }

    /// Adds one diagnostic: kept if fewer than [`MAX_PER_CODE`] of its code
    /// were seen, else only counted.
    pub fn push(&mut self, item: T) {
        if self.add(item.code(), item.severity(), 1) <= MAX_PER_CODE as u64 {
            self.items.push(item);
        }
    }

    /// Counts `n` diagnostics of `code` without keeping them (the caller
    /// found the cap full, see [`Cap::is_full`], or never made them).
    pub fn count(&mut self, code: &'static str, severity: Severity, n: u64) {
        self.add(code, severity, n);
    }

    /// Adds what `later` holds, as if its diagnostics had been pushed here
    /// in their order (it covers what comes after this one in the file).
    pub fn append(&mut self, later: Cap<T>) {
        let Cap { items, seen } = later;
        for item in items {
            self.push(item);
        }
        for s in seen {
            let kept = (s.total).min(MAX_PER_CODE as u64);
            self.count(s.code, s.severity, s.total - kept);
        }
    }

    /// The diagnostics kept, in the order they came.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn items_mut(&mut self) -> &mut [T] {
        &mut self.items
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// The diagnostics kept, and for each code with more, how many were
    /// left out: (code, severity, count), in the order the codes came.
    pub fn into_parts(self) -> (Vec<T>, Vec<(&'static str, Severity, u64)>) {
        let left_out = self
            .seen
            .iter()
            .filter(|s| s.total > MAX_PER_CODE as u64)
            .map(|s| (s.code, s.severity, s.total - MAX_PER_CODE as u64))
            .collect();
        (self.items, left_out)
    }
}

/// The summary record for `n` diagnostics of `code` left out of `file`.
pub fn summary(file: &str, code: &'static str, severity: Severity, n: u64, lang: Lang) -> Diagnostic {
    let count = lang.int(n);
    let message = match (severity, lang) {
        (Severity::Error, Lang::Vi) => format!("… và {count} lỗi `{code}` khác trong tệp này"),
        (Severity::Warning, Lang::Vi) => format!("… và {count} cảnh báo `{code}` khác trong tệp này"),
        (Severity::Error, Lang::En) => {
            format!("… and {count} more `{code}` error{} in this file", plural(n))
        }
        (Severity::Warning, Lang::En) => {
            format!("… and {count} more `{code}` warning{} in this file", plural(n))
        }
    };
    Diagnostic {
        severity,
        suppressed: usize::try_from(n).unwrap_or(usize::MAX),
        ..Diagnostic::error(file, code, message)
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A list of diagnostics with the cap applied, for lists that were built
/// whole (a plan file's, or several plans' merged): per file and code the
/// first [`MAX_PER_CODE`] in sorted order, then one summary record adding
/// up those left out and the summaries already there. A list with no code
/// over the cap is returned as it is (in its order).
pub fn limit(diags: Vec<Diagnostic>, lang: Lang) -> Vec<Diagnostic> {
    if diags.len() <= MAX_PER_CODE && diags.iter().all(|d| d.suppressed == 0) {
        return diags;
    }
    let mut diags = diags;
    super::sort(&mut diags);
    // (file, code, severity) → (shown, left out); files come in order.
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len().min(4 * MAX_PER_CODE));
    let mut file_caps: Vec<(&'static str, Severity, u64, u64)> = Vec::new();
    let mut current: Option<String> = None;
    let flush = |file: &str, caps: &mut Vec<(&'static str, Severity, u64, u64)>, out: &mut Vec<Diagnostic>| {
        for (code, severity, _, left) in caps.drain(..) {
            if left > 0 {
                out.push(summary(file, code, severity, left, lang));
            }
        }
    };
    for d in diags {
        if current.as_deref() != Some(d.file.as_str()) {
            if let Some(f) = current.take() {
                flush(&f, &mut file_caps, &mut out);
            }
            current = Some(d.file.clone());
        }
        let i = if let Some(i) = file_caps.iter().position(|c| c.0 == d.code && c.1 == d.severity) {
            i
        } else {
            file_caps.push((d.code, d.severity, 0, 0));
            file_caps.len() - 1
        };
        let Some(c) = file_caps.get_mut(i) else { continue };
        if d.suppressed > 0 {
            c.3 = c.3.saturating_add(d.suppressed as u64);
        } else if c.2 < MAX_PER_CODE as u64 {
            c.2 += 1;
            out.push(d);
        } else {
            c.3 += 1;
        }
    }
    if let Some(f) = current {
        flush(&f, &mut file_caps, &mut out);
    }
    super::sort(&mut out);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn d(line: usize, code: &'static str) -> Diagnostic {
        Diagnostic::error("logs/a.csv", code, format!("row {line}")).at(line, 1, None)
    }

    #[test]
    fn keeps_the_first_of_each_code_and_counts_the_rest() {
        let mut cap = Cap::default();
        for line in 1..=1000 {
            cap.push(d(line, "bad-date"));
            if line % 2 == 0 {
                cap.push(d(line, "csv-row"));
            }
        }
        let (items, left) = cap.into_parts();
        assert_eq!(items.len(), 2 * MAX_PER_CODE);
        assert_eq!(items.iter().rfind(|x| x.code == "bad-date").unwrap().line, 100);
        assert_eq!(items.iter().rfind(|x| x.code == "csv-row").unwrap().line, 200);
        assert_eq!(
            left,
            vec![("bad-date", Severity::Error, 900), ("csv-row", Severity::Error, 400)]
        );
    }

    #[test]
    fn joining_pieces_gives_the_same_as_one_piece_whatever_the_split() {
        let whole = {
            let mut cap = Cap::default();
            (1..=500).for_each(|l| cap.push(d(l, "bad-date")));
            cap.into_parts()
        };
        for cut in [1, 50, 99, 100, 101, 250, 499] {
            let (mut a, mut b) = (Cap::default(), Cap::default());
            (1..=cut).for_each(|l| a.push(d(l, "bad-date")));
            (cut + 1..=500).for_each(|l| b.push(d(l, "bad-date")));
            a.append(b);
            assert_eq!(a.into_parts(), whole, "cut at {cut}");
        }
    }

    #[test]
    fn counted_ones_add_up() {
        let mut cap = Cap::default();
        (1..=MAX_PER_CODE).for_each(|l| cap.push(d(l, "csv-row")));
        assert!(cap.is_full("csv-row", Severity::Error));
        assert!(!cap.is_full("bad-date", Severity::Error));
        cap.count("csv-row", Severity::Error, 7);
        assert_eq!(cap.into_parts().1, vec![("csv-row", Severity::Error, 7)]);
    }

    #[test]
    fn summary_words() {
        let s = summary("logs/a.csv", "bad-date", Severity::Error, 999_900, Lang::Vi);
        assert_eq!(s.message, "… và 999.900 lỗi `bad-date` khác trong tệp này");
        assert_eq!(s.suppressed, 999_900);
        let w = summary("logs/a.csv", "no-logs", Severity::Warning, 1, Lang::En);
        assert_eq!(w.message, "… and 1 more `no-logs` warning in this file");
        assert!(!w.is_error());
    }

    #[test]
    fn limit_caps_a_whole_list_and_merges_summaries() {
        let mut all: Vec<Diagnostic> = (1..=150).rev().map(|l| d(l, "bad-value")).collect();
        all.push(summary("logs/a.csv", "bad-value", Severity::Error, 10, Lang::En));
        all.push(d(3, "unknown-key"));
        let out = limit(all, Lang::En);
        assert_eq!(out.len(), 100 + 1 + 1);
        assert_eq!(out[0].line, 1, "the first in file order are kept");
        let last = out.last().unwrap();
        assert_eq!((last.code, last.suppressed), ("bad-value", 60));
        let few = vec![d(2, "x"), d(1, "y")];
        assert_eq!(limit(few.clone(), Lang::En), few, "under the cap: untouched");
    }
}
