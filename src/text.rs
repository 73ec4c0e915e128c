//! Text normalisation: the one place that says how text read from a plan or
//! a log is compared and shown.
//!
//! Vietnamese letters can be written composed (`ộ`, one character, as most
//! editors write it) or decomposed (`o` + two combining marks, as macOS and
//! Excel's Windows-1258 export write it). Everything the tool keeps, compares
//! or writes is in NFC, the composed form, so the two spellings are the same
//! text. Trimming removes Unicode white space (a no-break or ideographic
//! space as well as ASCII blanks), as [`str::trim`] does.
//!
//! ASCII text is NFC already: every function returns it without running the
//! normaliser, and [`is_nfc`] answers for it from one byte scan.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Whether `s` is certainly in NFC (a quick check: `false` may also mean
/// "cannot tell without normalising", and [`nfc`] then does so).
#[inline]
pub fn is_nfc(s: &str) -> bool {
    s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// `s` in NFC.
pub fn nfc(s: &str) -> String {
    if is_nfc(s) { s.to_owned() } else { s.nfc().collect() }
}

/// Text from a file as every output shows it: Unicode white space trimmed
/// at both ends, NFC.
pub fn trimmed(s: &str) -> String {
    nfc(s.trim())
}

/// A string of a plan as the model keeps it: NFC, and each CRLF read as LF
/// (a multi-line string in a CRLF file means the same as in an LF file; a
/// lone CR, which only an escape can put in a TOML string, is kept).
pub fn nfc_lf(s: &str) -> String {
    if s.contains("\r\n") {
        nfc(&s.replace("\r\n", "\n"))
    } else {
        nfc(s)
    }
}

/// Whether text starts and ends with a visible ASCII character: no white
/// space to trim, ASCII or not (no Unicode space is such a character), so
/// [`str::trim`] and [`trimmed`] would take nothing off.
#[allow(clippy::inline_always)] // on the hot path, several times a row
#[inline(always)]
pub fn visible_ascii_ends(text: &[u8]) -> bool {
    matches!((text.first(), text.last()), (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic())
}

/// Whether text is visible ASCII characters and spaces only (0x20..=0x7E):
/// nothing to normalise and no line break, so with [`visible_ascii_ends`]
/// it is its own [`cell`]. Eight bytes at a time: no byte below 0x20 and
/// none above 0x7E (the "has less" and "has more" word tests, exact as to
/// whether such a byte is there).
pub fn is_printable_ascii(text: &[u8]) -> bool {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * LANES;
    let printable = |w: u64| (w.wrapping_sub(0x20 * LANES) & !w | (w.wrapping_add(LANES) | w)) & HIGH == 0;
    let mut words = text.chunks_exact(8);
    let all_words = words
        .by_ref()
        .all(|c| <[u8; 8]>::try_from(c).is_ok_and(|w| printable(u64::from_le_bytes(w))));
    all_words && words.remainder().iter().all(|&b| b == b' ' || b.is_ascii_graphic())
}

/// A log cell in canonical form: Unicode white space trimmed, NFC, every
/// line break LF (CRLF and a lone CR alike).
pub fn cell(raw: &str) -> String {
    let out = trimmed(raw);
    if out.contains('\r') {
        out.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::indexing_slicing)]
    fn printable_ascii_is_found_eight_bytes_at_a_time_as_one_by_one() {
        let bytewise = |text: &[u8]| text.iter().all(|&b| b == b' ' || b.is_ascii_graphic());
        // Every pair of byte values, side by side, at each place of a word
        // and in the tail after it (a borrow or a carry from one byte must
        // not hide or fake its neighbour).
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for at in [0, 3, 6, 7, 8, 9] {
                    let mut text = *b"KH-0123/abc";
                    text[at] = a;
                    text[at + 1] = b;
                    assert_eq!(is_printable_ascii(&text), bytewise(&text), "{a:#x} {b:#x} at {at}");
                }
            }
        }
        assert!(is_printable_ascii(b""));
    }

    #[test]
    fn text_with_visible_ascii_ends_is_its_own_cell() {
        for t in ["KH-1", "a b", "Hội nghị (2023)", "x"] {
            assert!(visible_ascii_ends(t.as_bytes()), "{t:?}");
            assert_eq!(t.trim(), t);
        }
        for t in ["", " a", "a\u{b}", "a\r", "\u{a0}a", "ộ", "a\u{3000}"] {
            assert!(!visible_ascii_ends(t.as_bytes()), "{t:?}");
        }
    }

    /// `ộ` decomposed: `o`, combining circumflex, combining dot below.
    const NFD_O: &str = "o\u{302}\u{323}";

    #[test]
    fn decomposed_text_is_composed() {
        assert_eq!(nfc(&format!("C{NFD_O}ng")), "Cộng");
        assert_eq!(nfc("Cộng"), "Cộng");
        assert_eq!(nfc(""), "");
        assert!(!is_nfc(NFD_O));
        assert!(is_nfc("Cộng") && is_nfc("plain ascii"));
    }

    #[test]
    fn trimming_removes_unicode_spaces_only_at_the_ends() {
        assert_eq!(trimmed("\u{a0}\u{3000} a\u{a0}b \t\n"), "a\u{a0}b");
        assert_eq!(trimmed(&format!("  {NFD_O} ")), "ộ");
    }

    #[test]
    fn plan_strings_read_crlf_as_lf_and_keep_a_lone_cr() {
        assert_eq!(nfc_lf("a\r\nb\rc"), "a\nb\rc");
        assert_eq!(nfc_lf(&format!(" {NFD_O}\r\n")), " ộ\n");
    }

    #[test]
    fn cells_are_trimmed_with_every_line_break_lf() {
        assert_eq!(cell(" a\r\nb\rc\n "), "a\nb\nc");
        assert_eq!(cell(&format!("\u{a0}{NFD_O}\r\n")), "ộ");
        assert_eq!(cell("x"), "x");
    }
}
