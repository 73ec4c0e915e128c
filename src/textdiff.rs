//! What `plan fmt --check` shows of a file that is not in canonical form:
//! its first line that differs, or (`--diff`) a short unified diff
//! (similar), controls and bidirectional characters made visible.

use std::fmt::Write as _;

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

/// The first line (1-based) where `old` and `new` differ, with both texts
/// (`None` past the end of one of them).
pub fn first_difference(old: &str, new: &str) -> Option<(usize, Option<String>, Option<String>)> {
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
    let Some((line, was, would)) = first_difference(&old, &new) else {
        return out;
    };
    let shown = |s: Option<String>| match s {
        // The line break itself is shown (`\r` where it was CRLF, say).
        Some(s) => visible(s.strip_suffix('\n').unwrap_or(&s)),
        None => lang.pick("(hết tệp)", "(end of file)").to_owned(),
    };
    let _ = writeln!(
        out,
        "    {} {line}:\n      - {}\n      + {}",
        lang.pick("dòng", "line"),
        shown(was),
        shown(would)
    );
    out
}

#[cfg(test)]
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
