//! What `plan fmt --check` shows of a file that is not in canonical form:
//! its first line that differs, or (`--diff`) a short unified diff
//! (similar), controls and bidirectional characters made visible.

use std::fmt::Write as _;
use std::io::{self, BufRead};

use similar::TextDiff;

use crate::escape;
use crate::lang::Lang;

/// The most lines of a unified diff shown per file.
pub const DIFF_MAX_LINES: usize = 40;

/// A line as shown: controls and bidirectional characters visible, and a
/// byte-order mark too (`\u{feff}`), which is often the whole difference.
fn visible(line: &str) -> String {
    escape::terminal(line).replace('\u{feff}', "\\u{feff}")
}

/// A first difference: the line (1-based) and both texts of it (`None`
/// past the end of one of them).
pub type Difference = (usize, Option<String>, Option<String>);

/// The first line where `old` and `new` differ.
pub fn first_difference(old: &str, new: &str) -> Option<Difference> {
    let mut a = old.split_inclusive('\n');
    let mut b = new.split_inclusive('\n');
    let mut line = 0;
    loop {
        line += 1;
        match (a.next(), b.next()) {
            (None, None) => return None,
            (x, y) if x == y => {}
            (x, y) => return Some((line, x.map(str::to_owned), y.map(str::to_owned))),
        }
    }
}

/// The indented lines printed under a file's name: the first difference,
/// or a unified diff of at most [`DIFF_MAX_LINES`] lines.
pub fn explain(name: &str, old: &[u8], new: &[u8], unified: bool, lang: Lang) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let mut out = String::new();
    if unified {
        let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
        let text = diff
            .unified_diff()
            .context_radius(1)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        for l in lines.iter().take(DIFF_MAX_LINES) {
            let _ = writeln!(out, "    {}", visible(l));
        }
        if lines.len() > DIFF_MAX_LINES {
            let more = lines.len() - DIFF_MAX_LINES;
            let _ = writeln!(
                out,
                "    {}",
                lang.pick(&format!("… và {more} dòng nữa"), &format!("… and {more} more lines"))
            );
        }
        return out;
    }
    match first_difference(&old, &new) {
        Some(found) => show_difference(found, lang),
        None => out,
    }
}

/// The first differing line of two texts read as streams (memory bounded by
/// the longest line, not the files): for a log too large to hold.
pub fn first_difference_in(mut old: impl BufRead, mut new: impl BufRead) -> io::Result<Option<Difference>> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut line = 0;
    loop {
        line += 1;
        a.clear();
        b.clear();
        let (x, y) = (old.read_until(b'\n', &mut a)?, new.read_until(b'\n', &mut b)?);
        if x == 0 && y == 0 {
            return Ok(None);
        }
        if a != b {
            let text = |v: &[u8], n: usize| (n > 0).then(|| String::from_utf8_lossy(v).into_owned());
            return Ok(Some((line, text(&a, x), text(&b, y))));
        }
    }
}

/// The lines printed under a file's name for its first difference.
pub fn show_difference((line, was, would): Difference, lang: Lang) -> String {
    let shown = |s: Option<String>| match s {
        // The line break itself is shown (`\r` where it was CRLF, say); a
        // very long line is cut.
        Some(s) => visible(&escape::cut(s.strip_suffix('\n').unwrap_or(&s), 300)),
        None => lang.pick("(hết tệp)", "(end of file)").to_owned(),
    };
    format!(
        "    {} {line}:\n      - {}\n      + {}\n",
        lang.pick("dòng", "line"),
        shown(was),
        shown(would)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_first_differing_line() {
        assert_eq!(
            first_difference("a\nb\nc\n", "a\nB\nc\n"),
            Some((2, Some("b\n".into()), Some("B\n".into())))
        );
        assert_eq!(first_difference("a\n", "a\n"), None);
        assert_eq!(first_difference("a\n", "a\nb\n"), Some((2, None, Some("b\n".into()))));
        let text = explain("x.csv", b"a\nb ,c\r\n", b"a\nb,c\n", false, Lang::En);
        assert_eq!(text, "    line 2:\n      - b ,c\\r\n      + b,c\n");
        // The same read as streams.
        let streamed = first_difference_in(&b"a\nb ,c\r\n"[..], &b"a\nb,c\n"[..]).unwrap();
        assert_eq!(show_difference(streamed.unwrap(), Lang::En), text);
        assert_eq!(first_difference_in(&b"a\n"[..], &b"a\n"[..]).unwrap(), None);
        assert_eq!(
            first_difference_in(&b"a\n"[..], &b"a\nb\n"[..]).unwrap(),
            Some((2, None, Some("b\n".into())))
        );
    }

    #[test]
    fn a_short_unified_diff() {
        let text = explain("x.csv", b"a\nb\nc\nd\n", b"a\nB\nc\nd\n", true, Lang::En);
        assert!(text.contains("    --- a/x.csv\n    +++ b/x.csv\n"), "{text}");
        assert!(text.contains("    -b\n    +B\n"), "{text}");
        let long_old: String = (0..100).map(|i| format!("{i}\n")).collect();
        let long_new: String = (0..100).map(|i| format!("x{i}\n")).collect();
        let text = explain("x.csv", long_old.as_bytes(), long_new.as_bytes(), true, Lang::Vi);
        assert_eq!(text.lines().count(), DIFF_MAX_LINES + 1);
        assert!(text.ends_with("dòng nữa\n"), "{text}");
    }
}
