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
