//! Whether one line of a log is, as it stands, a canonical record: its
//! cells (as the log reader's splitter cut them) each their own canonical
//! form and quoted exactly as the CSV writer quotes them, found from the
//! bytes without rendering the record; and the run of such records in
//! order. Shared by the reading that proves a log canonical on its own
//! ([`super::log_fast`]) and by the check, which proves it while it reads
//! for `plan fmt --check` ([`crate::logs`]).

use std::cmp::Ordering;

use unicode_normalization::{IsNormalized, is_nfc_quick};
use wide::u8x16;

use super::log_fast::cmp_records;

/// What is known of the bytes a record is read from.
#[derive(Clone, Copy)]
pub(crate) struct Hint<'a> {
    /// The whole lines from the record's start on, as text (when UTF-8).
    pub text: Option<&'a str>,
    /// Whether they may hold a CR.
    pub cr: bool,
    /// Whether every character of `text` is an NFC starter
    /// ([`starters_only`]; false: not known).
    pub starters: bool,
}

impl<'a> Hint<'a> {
    /// What is known of `region`, whole lines, each looked at once.
    pub fn of(region: &'a [u8]) -> Hint<'a> {
        Hint::with_text(region, simdutf8::basic::from_utf8(region).ok())
    }

    /// [`Hint::of`] when `region` is already known to be `text` (`None`:
    /// not UTF-8).
    pub fn with_text(region: &'a [u8], text: Option<&'a str>) -> Hint<'a> {
        Hint {
            text,
            cr: memchr::memchr(b'\r', region).is_some(),
            // Most blocks: every character an NFC starter, found in one pass
            // rather than line by line.
            starters: text.is_some() && starters_only(region),
        }
    }

    /// The hint for the lines from byte `at` of the region on.
    pub fn from(self, at: usize) -> Hint<'a> {
        Hint {
            text: self.text.and_then(|t| t.get(at..)),
            ..self
        }
    }
}

/// Tells whether lines are canonical records; remembers which characters
/// it found to be NFC on their own.
pub(crate) struct LineForm {
    /// BMP characters seen to be NFC starters on their own, one bit each.
    nfc_ok: Vec<u64>,
}

impl LineForm {
    pub fn new() -> LineForm {
        LineForm {
            nfc_ok: vec![0; 1 << 10],
        }
    }

    /// Whether `line` (without its line break), cut into `cells` (inside
    /// the quotes) by the log reader's splitter, is a record whose cells are
    /// each their own canonical form, quoted exactly when they hold a comma
    /// (and no quote or line break). `false`: not shown so.
    pub fn plain_line(&mut self, line: &[u8], cells: &[(usize, usize)], hint: Hint<'_>) -> bool {
        if hint.cr && memchr::memchr(b'\r', line).is_some() {
            return false;
        }
        let known = hint.text.and_then(|t| t.get(..line.len()));
        let text = if known.is_some() {
            known
        } else if line.is_ascii() {
            None
        } else {
            match simdutf8::basic::from_utf8(line) {
                Ok(t) => Some(t),
                Err(_) => return false,
            }
        };
        // Every character of the line an NFC starter: no cell needs the
        // per-character check.
        let starters = text.is_none_or(|_| hint.starters || starters_only(line));
        cells.iter().all(|&(s, e)| {
            let Some(cell) = line.get(s..e) else {
                return false;
            };
            // An unquoted cell ends at its first comma.
            let quoted = s > 0 && line.get(s - 1) == Some(&b'"');
            if quoted && memchr::memchr(b',', cell).is_none() {
                return false;
            }
            // Most cells: a visible ASCII character at each end (nothing to
            // trim) and every character of the line a starter (nothing to
            // compose), so no character is looked at.
            if starters && crate::text::visible_ascii_ends(cell) {
                return true;
            }
            match text {
                Some(t) => t.get(s..e).is_some_and(|c| self.own_canonical_form(c, starters)),
                None => !ascii_space_at_ends(cell),
            }
        })
    }

    /// Whether a cell without quotes, commas or CR is its own canonical
    /// form: no whitespace at either end and NFC (`starters`: its
    /// characters are known to be NFC starters).
    fn own_canonical_form(&mut self, cell: &str, starters: bool) -> bool {
        let space = |b: u8, c: &dyn Fn() -> Option<char>| {
            if b.is_ascii() {
                matches!(b, b'\t'..=b'\r' | b' ')
            } else {
                c().is_some_and(char::is_whitespace)
            }
        };
        let bytes = cell.as_bytes();
        let ends_ok = match (bytes.first(), bytes.last()) {
            (Some(&a), Some(&z)) => !space(a, &|| cell.chars().next()) && !space(z, &|| cell.chars().next_back()),
            _ => true,
        };
        ends_ok && (starters || self.is_nfc(cell))
    }

    /// NFC, with a per-character shortcut: a string of characters each an
    /// NFC starter of its own (quick check "yes", combining class 0) is NFC.
    fn is_nfc(&mut self, cell: &str) -> bool {
        let bytes = cell.as_bytes();
        if starters_only(bytes) {
            return true;
        }
        let mut i = 0;
        while let Some(&lead) = bytes.get(i) {
            // ASCII, a continuation byte, or the lead of a character below U+0300.
            if lead < 0xCC {
                i += 1;
                continue;
            }
            let Some(c) = cell.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            i += c.len_utf8();
            let u = c as usize;
            let (word, bit) = (u >> 6, 1u64 << (u & 63));
            if self.nfc_ok.get(word).is_some_and(|w| w & bit != 0) {
                continue;
            }
            if u > 0xFFFF
                || unicode_normalization::char::canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
            {
                return crate::text::is_nfc(cell) || crate::text::nfc(cell) == cell;
            }
            if let Some(w) = self.nfc_ok.get_mut(word) {
                *w |= bit;
            }
        }
        true
    }
}

/// A run of canonical records in order: its first and its latest, with
/// their line breaks.
#[derive(Debug, Default)]
pub(crate) struct Run {
    pub first: Option<Vec<u8>>,
    pub last: Option<Vec<u8>>,
}

impl Run {
    /// This run followed by `next`: `None` when `next` begins before this
    /// one ends.
    pub fn then(self, next: Run) -> Option<Run> {
        if let (Some(last), Some(first)) = (&self.last, &next.first)
            && cmp_records(last, first) == Ordering::Greater
        {
            return None;
        }
        Some(Run {
            first: self.first.or(next.first),
            last: next.last.or(self.last),
        })
    }

    /// Keeps a canonical record (with its line break) when it is not
    /// before the previous one.
    pub fn keep(&mut self, record: &[u8]) -> bool {
        if self
            .last
            .as_ref()
            .is_some_and(|p| cmp_records(p, record) == Ordering::Greater)
        {
            return false;
        }
        self.push(record);
        true
    }

    /// Keeps a record as the latest (and maybe the first).
    pub fn push(&mut self, record: &[u8]) {
        if let Some(last) = &mut self.last {
            last.clear();
            last.extend_from_slice(record);
        } else {
            self.first = Some(record.to_vec());
            self.last = Some(record.to_vec());
        }
    }
}

/// Whether every character of a text (UTF-8) is below U+0300 or in
/// U+1E00–U+1EFF (Latin Extended Additional, where Vietnamese's letters with
/// tone marks are), read 16 bytes at a time: all are NFC starters of their
/// own (quick check "yes", combining class 0), so such a text is NFC.
pub(crate) fn starters_only(bytes: &[u8]) -> bool {
    // A lead byte from 0xCC on (U+0300 and up) other than 0xE1 followed by
    // 0xB8–0xBB; continuation bytes are below 0xCC.
    let high = u8x16::splat(0xCC);
    let lanes = |at: usize| -> u8x16 {
        if let Some(whole) = bytes.get(at..at + 16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
            return u8x16::new(whole);
        }
        // The end, padded.
        let mut a = [0u8; 16];
        let src = bytes.get(at..).unwrap_or_default();
        let n = src.len().min(16);
        if let (Some(dst), Some(src)) = (a.get_mut(..n), src.get(..n)) {
            dst.copy_from_slice(src);
        }
        u8x16::new(a)
    };
    let mut at = 0;
    while at < bytes.len() {
        let (v, next) = (lanes(at), lanes(at + 1));
        let lead = v.max(high).simd_eq(v);
        let tone = v.simd_eq(u8x16::splat(0xE1)) & (next & u8x16::splat(0xFC)).simd_eq(u8x16::splat(0xB8));
        if (lead & !tone).to_bitmask() != 0 {
            return false;
        }
        at += 16;
    }
    true
}

fn ascii_space_at_ends(c: &[u8]) -> bool {
    let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    c.first().is_some_and(space) || c.last().is_some_and(space)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn starters_only_is_nfc_starters_only() {
        // Every character the shortcut lets through is an NFC starter of its own.
        for c in (0..0x300u32).chain(0x1E00..0x1F00).filter_map(char::from_u32) {
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            let text = format!("Hội nghị đối thoại {c} ở xã Cốc Lầu");
            assert!(starters_only(text.as_bytes()), "{c:?}");
        }
        // Anything else is left to the full check, at any place in the text.
        for c in ['\u{301}', '\u{1F00}', '\u{1DFF}', 'Ω', '€', '😀', '\u{3099}'] {
            for pad in 0..20 {
                let text = format!("{}{c}x", "ộ".repeat(pad % 7) + &"a".repeat(pad));
                assert!(!starters_only(text.as_bytes()), "{c:?} {pad}");
            }
        }
        assert!(starters_only(b""));
    }
}
