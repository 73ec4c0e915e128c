//! Text from plans and logs made safe for the place it is written to.
//!
//! A plan or a log is written by anyone with commit access, and its strings
//! reach terminals, GitHub annotations and step summaries, Markdown and DOCX
//! reports and spreadsheets. Each destination has one function here, and
//! every writer calls the one for its destination on every string that came
//! from a file:
//!
//! - [`terminal`]: control characters (C0, DEL, C1: ESC, CR, BEL, ...) and
//!   bidirectional overrides, isolates and marks are shown as visible escapes
//!   (`\u{1b}`, `\r`), so no escape sequence, title change, hyperlink or
//!   reordering reaches the terminal;
//! - [`markdown`]: one line of text whose Markdown and HTML specials are
//!   backslash-escaped (for the step summary and the Markdown report);
//! - [`xml`]: characters XML 1.0 cannot hold are dropped (DOCX, XLSX);
//! - [`csv_cell`]: a cell a spreadsheet would run as a formula is prefixed
//!   with `'`;
//! - [`html`]: the HTML specials as entities.
//!
//! [`cut`] shortens a long value for a message. Ordinary text (Vietnamese
//! with its diacritics, in NFC or NFD) passes every function unchanged,
//! apart from the Markdown and HTML specials.

use std::borrow::Cow;

/// Bidirectional formatting characters: embeddings and overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069) and the marks U+200E, U+200F
/// and U+061C. They reorder the text around them on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// What a terminal must not receive raw: C0 and C1 control characters, DEL,
/// the line and paragraph separators and the bidirectional controls.
fn unsafe_for_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Text for a terminal: every control character (ESC, CR, LF, TAB, BEL,
/// DEL, C1) and every bidirectional control is written as a visible escape
/// (`\u{1b}`, `\r`, `\n`, `\t`, `\u{202e}`); everything else is unchanged.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_for_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        push_terminal(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c` to `out` as [`terminal`] shows it.
pub fn push_terminal(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if unsafe_for_terminal(c) => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Text as one line of Markdown, safe anywhere inside a line (a table cell,
/// a list item, a heading after its `#`s) of GitHub-flavoured Markdown:
///
/// - each run of line breaks (LF, CR, CR LF, VT, FF, NEL, U+2028, U+2029)
///   becomes one space, so a value can never start a line of its own, and a
///   tab or other whitespace one space; other control characters and the
///   bidirectional controls are dropped. Runs of spaces are kept.
/// - ASCII punctuation with a meaning in Markdown or HTML gets a backslash:
///   `\`, `` ` ``, `*`, `_`, `[`, `]`, `<`, `>`, `#`, `|`, `~`, `&`, `$`
///   anywhere, `!` before `[`, and the `:` of `://` and the `.` of `www.`
///   (so that bare addresses are not turned into links).
///
/// The start-of-line markers (`-`, `1.`, `=`) are left to the caller: only
/// text that starts a line needs them escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = flatten(s).peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '!' if chars.peek() == Some(&'[') => {
                out.push('\\');
                out.push(c);
            }
            // GitHub turns bare `http://...` and `www....` into links (and would swallow a
            // following `\>` into the address): an escaped `:` or `.` keeps them text.
            ':' if chars.clone().take(2).eq("//".chars()) => out.push_str("\\:"),
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|w| w.eq_ignore_ascii_case("www")) =>
            {
                out.push_str("\\.");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The characters of `s` on one line, as [`markdown`] describes.
fn flatten(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
    let mut after_break = false;
    s.chars().filter_map(move |c| {
        let line_break = matches!(
            c,
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        let was_after_break = std::mem::replace(&mut after_break, line_break);
        if line_break {
            (!was_after_break).then_some(' ')
        } else if c.is_whitespace() {
            Some(' ')
        } else if c.is_control() || is_bidi_control(c) {
            None
        } else {
            Some(c)
        }
    })
}

/// Text an XML 1.0 document can hold: the characters XML forbids (C0
/// controls other than TAB, LF and CR; U+FFFE, U+FFFF) and those it
/// discourages (DEL, C1 controls) are dropped. Escaping `<` and `&` is the
/// XML writer's job.
pub fn xml(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if s.chars().any(bad) {
        Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV (or spreadsheet) cell that Excel, `LibreOffice` and Google Sheets show
/// as text: a cell whose first character after any leading whitespace or
/// control characters is `=`, `+`, `-` or `@`, or that starts with a tab or
/// CR among those, would run as a formula, and gets a leading `'`.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let mut lead = s.chars();
    let mut risky = false;
    for c in lead.by_ref() {
        if matches!(c, '\t' | '\r') {
            risky = true;
        }
        if !(c.is_whitespace() || c.is_control()) {
            risky |= matches!(c, '=' | '+' | '-' | '@');
            break;
        }
    }
    if risky {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Text for an HTML page, as element content or a quoted attribute value:
/// `&`, `<`, `>`, `"` and `'` as entities; characters HTML forbids (control
/// characters other than TAB, LF, CR) dropped.
pub fn html(s: &str) -> Cow<'_, str> {
    let special =
        |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    if !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if special(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`: a longer value keeps its first `max - 1`
/// characters followed by `…`.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if s.char_indices().nth(max).is_none() {
        Cow::Borrowed(s)
    } else {
        let keep = s.char_indices().nth(max.saturating_sub(1)).map_or(s.len(), |(i, _)| i);
        let mut out = String::with_capacity(keep + 3);
        out.push_str(s.get(..keep).unwrap_or(""));
        out.push('…');
        Cow::Owned(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The hostile values of issue 15, and ordinary Vietnamese.
    const CLEAR: &str = "\u{1b}[2J";
    const TITLE: &str = "\u{1b}]0;PWNED\u{7}";
    const LINK: &str = "\u{1b}]8;;http://evil.example\u{1b}\\bấm\u{1b}]8;;\u{1b}\\";
    const SUMMARY: &str = "Y\r\r## All checks passed\r\r![ok](http://evil.example/px.png)\r";
    const VI: &str = "Hội nghị đối thoại với nông dân — Huyện Bát Xát, 15-ĐA/TU";
    /// The same in NFD (combining marks).
    const VI_NFD: &str = "Ho\u{302}\u{323}i nghi\u{323}";

    #[test]
    fn terminal_shows_controls_and_bidi_visibly() {
        assert_eq!(terminal(CLEAR), "\\u{1b}[2J");
        assert_eq!(terminal(TITLE), "\\u{1b}]0;PWNED\\u{7}");
        assert_eq!(
            terminal(LINK),
            "\\u{1b}]8;;http://evil.example\\u{1b}\\bấm\\u{1b}]8;;\\u{1b}\\"
        );
        assert_eq!(
            terminal("a\u{202E}b\u{2066}c\u{2069}\u{200E}\u{200F}"),
            "a\\u{202e}b\\u{2066}c\\u{2069}\\u{200e}\\u{200f}"
        );
        assert_eq!(
            terminal("a\rb\nc\td\u{7f}e\u{9b}f\u{0}"),
            "a\\rb\\nc\\td\\u{7f}e\\u{9b}f\\u{0}"
        );
        for s in [CLEAR, TITLE, LINK, SUMMARY, "x\u{202E}y"] {
            let t = terminal(s);
            assert!(!t.chars().any(|c| c.is_control() || is_bidi_control(c)), "{t:?}");
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for s in [VI, VI_NFD, "", "a b  c", "Số:      /BC"] {
            assert!(matches!(terminal(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(xml(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(csv_cell(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(html(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(cut(s, 200), Cow::Borrowed(_)), "{s}");
        }
        assert_eq!(markdown(VI), VI);
        assert_eq!(markdown(VI_NFD), VI_NFD);
    }

    #[test]
    fn markdown_keeps_a_value_on_its_line_and_escapes_markup() {
        let md = markdown(SUMMARY);
        assert_eq!(md, r"Y \#\# All checks passed \!\[ok\](http\://evil.example/px.png) ");
        assert!(!md.contains(['\r', '\n']));
        assert_eq!(
            markdown("`code` <b>&amp; | ~x~ $y$ _i_ *b* \\"),
            r"\`code\` \<b\>\&amp; \| \~x\~ \$y\$ \_i\_ \*b\* \\"
        );
        assert_eq!(markdown("www.evil.example a.b"), r"www\.evil.example a.b");
        assert_eq!(markdown("a\n\n\r\nb\tc\u{0}d\u{202E}e"), "a b cde");
        assert_eq!(markdown(&format!("{CLEAR}{TITLE}")), r"\[2J\]0;PWNED");
        assert_eq!(markdown("Hi! there"), "Hi! there");
    }

    #[test]
    fn xml_drops_what_xml_cannot_hold() {
        assert_eq!(xml("a\u{0}b\u{1b}c\u{7}d\u{7f}e\u{85}f\u{FFFE}\u{FFFF}g"), "abcdefg");
        assert_eq!(xml("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(xml(TITLE), "]0;PWNED");
    }

    #[test]
    fn csv_formulas_are_neutralised_after_leading_blanks_and_controls() {
        for hostile in [
            "=1+1",
            "\u{0}=1+1",
            " =1+1",
            "\u{a0}\u{3000} =1+1",
            "\u{1b}@SUM(A1)",
            "+1",
            "-1",
            "\t1",
            "\r1",
            " \t1",
            "\n\r1",
            "=HYPERLINK(\"http://evil.example\",\"x\")",
        ] {
            assert_eq!(csv_cell(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for fine in ["Giám sát", "1+1", " a=1", "\na", "", "   ", "a-b", "2023-01-01"] {
            assert_eq!(csv_cell(fine), fine, "{fine:?}");
        }
    }

    #[test]
    fn html_escapes_specials() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html(&format!("a{TITLE}b")), "a]0;PWNEDb");
    }

    #[test]
    fn cut_keeps_a_prefix_and_marks_it() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("Hội nghị", 3), "Hộ…");
        assert_eq!(cut(&"x".repeat(10_000_000), 200).chars().count(), 200);
    }
}
