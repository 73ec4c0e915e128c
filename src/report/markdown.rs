//! Markdown renderer for report drafts: turns a [`Document`] into GitHub-flavoured Markdown.
//!
//! It owns the Markdown layout of a draft and the escaping of every string taken from the
//! document, so that no text (names, titles, figures from user files) can inject Markdown or
//! HTML. It computes nothing: the report builder decides the words. Output is deterministic,
//! uses LF line endings and ends with exactly one newline.

use std::io::{self, Write};

use super::doc::{Align, Block, Document, DocumentHeader, Placeholder, Span};

/// Writes `doc` as GitHub-flavoured Markdown.
///
/// # Errors
///
/// Returns the error of the underlying writer.
pub fn render(doc: &Document, out: &mut impl Write) -> io::Result<()> {
    out.write_all(to_string(doc).as_bytes())
}

/// Renders `doc` to a `String` (what [`render`] writes).
#[must_use]
pub fn to_string(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    header(&doc.header, &mut parts);

    let mut previous_bullet = false;
    for block in &doc.blocks {
        let text = match block {
            Block::Heading { level, text } => {
                let hashes = "#".repeat(usize::from((*level).clamp(1, 3)) + 1);
                format!("{hashes} {}", escape_inline(text).trim())
            }
            Block::Paragraph(spans) => spans_line(spans),
            Block::Bullet(spans) => format!("- {}", spans_line(spans)),
            Block::Placeholder(text) => placeholder(text),
            Block::Table {
                header,
                rows,
                align,
                widths: _,
            } => table(header, rows, align),
            Block::Signature {
                recipients_label,
                recipients,
                signer,
                name,
            } => signature(recipients_label, recipients, signer, name),
            Block::PageBreak | Block::Landscape => "---".to_owned(),
            Block::Centered(spans) => spans_line(spans),
        };
        let is_bullet = matches!(block, Block::Bullet(_));
        if text.is_empty() {
            previous_bullet = false;
            continue;
        }
        // Consecutive bullets form one tight list; everything else is separated by a blank line.
        match parts.last_mut() {
            Some(last) if previous_bullet && is_bullet => {
                last.push('\n');
                last.push_str(&text);
            }
            _ => parts.push(text),
        }
        previous_bullet = is_bullet;
    }

    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The administrative header as a two-column table with an empty header row (body left, motto
/// right, number and place/date on the last row), then the document type and title in bold.
fn header(h: &DocumentHeader, parts: &mut Vec<String>) {
    let body_len = h.body.len();
    let left = h.body.iter().enumerate().map(|(i, line)| {
        if i + 1 == body_len {
            strong(line)
        } else {
            escape(line).trim().to_owned()
        }
    });
    let right = h.motto.iter().map(|line| strong(line));
    let mut left: Vec<String> = left.collect();
    let mut right: Vec<String> = right.collect();
    let rows = left.len().max(right.len());
    left.resize(rows, String::new());
    right.resize(rows, String::new());
    let mut lines: Vec<(String, String)> = left.into_iter().zip(right).collect();
    if !h.number.trim().is_empty() || !h.place_date.trim().is_empty() {
        lines.push((escape(&h.number).trim().to_owned(), emphasis(&h.place_date)));
    }
    if !lines.is_empty() {
        let mut table = String::from("|  |  |\n|:---:|:---:|");
        for (l, r) in lines {
            table.push('\n');
            table.push_str(&row(&[l, r]));
        }
        parts.push(table);
    }
    if !h.doc_type.trim().is_empty() {
        parts.push(strong(&h.doc_type));
    }
    let title: Vec<String> = h
        .title
        .iter()
        .filter(|l| !l.trim().is_empty())
        // The non-breaking space and hyphen that keep a DOCX title's period phrase and number
        // on one line mean nothing in Markdown: plain ones keep the text searchable.
        .map(|l| strong(&l.replace('\u{2011}', "-").replace('\u{a0}', " ")))
        .collect();
    if !title.is_empty() {
        // A backslash at the end of a line is a hard line break in CommonMark.
        parts.push(title.join("\\\n"));
    }
}

/// `> **[label]** rest`: a visible blockquote that stands out in any Markdown viewer.
fn placeholder(text: &str) -> String {
    let p = Placeholder::split(text);
    let mut out = format!("> **\\[{}\\]**", escape(p.label));
    if !p.rest.trim().is_empty() {
        out.push(' ');
        out.push_str(&escape(p.rest));
    }
    out
}

/// A pipe table with an alignment row. The column count is the widest of the header and rows.
fn table(header: &[String], rows: &[Vec<String>], align: &[Align]) -> String {
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    if columns == 0 {
        return String::new();
    }
    let cells = |source: &[String]| -> Vec<String> {
        (0..columns)
            .map(|i| {
                source
                    .get(i)
                    .map(|c| escape_inline(c).trim().to_owned())
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut lines = vec![row(&cells(header))];
    let rule: Vec<String> = (0..columns)
        .map(|i| match align.get(i).copied().unwrap_or_default() {
            Align::Left => ":---".to_owned(),
            Align::Right => "---:".to_owned(),
            Align::Center => ":---:".to_owned(),
        })
        .collect();
    lines.push(format!("|{}|", rule.join("|")));
    lines.extend(rows.iter().map(|r| row(&cells(r))));
    lines.join("\n")
}

/// One table row from already escaped cells.
fn row(cells: &[String]) -> String {
    let mut out = String::from("|");
    for cell in cells {
        if cell.is_empty() {
            out.push_str("  |");
        } else {
            out.push(' ');
            out.push_str(cell);
            out.push_str(" |");
        }
    }
    out
}

/// "**Nơi nhận:**", the recipients as a list, then the signer lines in bold.
fn signature(label: &str, recipients: &[String], signer: &[String], name: &str) -> String {
    let mut parts = Vec::new();
    if !label.trim().is_empty() {
        parts.push(strong(label));
    }
    let list: Vec<String> = recipients
        .iter()
        .map(|r| format!("- {}", escape(strip_dash(r))))
        .collect();
    if !list.is_empty() {
        parts.push(list.join("\n"));
    }
    let signer: Vec<String> = signer
        .iter()
        .filter(|l| !l.trim().is_empty())
        // The non-breaking space and hyphen that keep a DOCX title's period phrase and number
        // on one line mean nothing in Markdown: plain ones keep the text searchable.
        .map(|l| strong(&l.replace('\u{2011}', "-").replace('\u{a0}', " ")))
        .collect();
    if !signer.is_empty() {
        parts.push(signer.join("\\\n"));
    }
    if !name.trim().is_empty() {
        // The signer's name, written under the signature: a marked place to fill.
        parts.push(strong(name));
    }
    parts.join("\n\n")
}

/// A recipient written with its own "- " would otherwise get two dashes.
fn strip_dash(text: &str) -> &str {
    let t = text.trim_start();
    match t.strip_prefix('-') {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
        _ => t,
    }
}

/// The spans of a paragraph on one line, each escaped and wrapped in its emphasis markers.
///
/// Neighbours with the same style are merged first: `**a****b**` would not be bold.
fn spans_line(spans: &[Span]) -> String {
    let mut merged: Vec<(String, bool, bool)> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some((text, bold, italic)) if *bold == span.bold && *italic == span.italic => {
                text.push_str(&span.text);
            }
            _ => merged.push((span.text.clone(), span.bold, span.italic)),
        }
    }
    let mut out = String::new();
    for (text, bold, italic) in &merged {
        out.push_str(&styled(&escape(text), *bold, *italic));
    }
    out.trim().to_owned()
}

/// Bold text, escaped and trimmed (it may start a line).
fn strong(text: &str) -> String {
    styled(escape(text).trim(), true, false)
}

/// Italic text, escaped and trimmed.
fn emphasis(text: &str) -> String {
    styled(escape(text).trim(), false, true)
}

/// Wraps escaped text in emphasis markers. Surrounding whitespace stays outside the markers,
/// since `** x**` would not be bold; a blank text gets no markers.
fn styled(escaped: &str, bold: bool, italic: bool) -> String {
    let marker = match (bold, italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => return escaped.to_owned(),
    };
    let inner = escaped.trim();
    if inner.is_empty() {
        return escaped.to_owned();
    }
    // `escape` never ends in a lone backslash, so trimming cannot strip an escaped space.
    let (lead, _) = escaped.split_at(escaped.len() - escaped.trim_start().len());
    let (_, trail) = escaped.split_at(escaped.trim_end().len());
    format!("{lead}{marker}{inner}{marker}{trail}")
}

/// Escapes text so that Markdown and HTML readers show it literally: [`crate::escape::markdown`]
/// (the one escaping of text for Markdown) plus the line-start markers.
///
/// - A line break (LF, CR LF, CR, or a run of them) becomes one space and a tab a space, so a
///   text always stays on its line and table cells stay whole; other control characters are
///   dropped. Runs of spaces are kept (`"Số:      /BC"` leaves room to write by hand).
/// - ASCII punctuation with a meaning in GitHub-flavoured Markdown gets a backslash:
///   `\`, `` ` ``, `*`, `_`, `[`, `]`, `<`, `>`, `#`, `|`, `~`, `&`, `$` anywhere, `!` before
///   `[`, and the `:` of `://` and the `.` of `www.` (so that bare addresses are not linked).
/// - At the start (after any spaces): `-`, `+`, `=` and a number followed by `.` or `)` are
///   escaped, so the text cannot become a list item, a setext underline or a rule.
///
/// The text is escaped as if it started a line, which is harmless elsewhere: `\-` reads `-`.
/// Leading spaces are kept; the renderer trims text that does start a line, so that four
/// spaces cannot open a code block.
#[must_use]
pub fn escape(text: &str) -> String {
    let inline = escape_inline(text);
    let mut out = String::with_capacity(inline.len() + 2);
    let (indent, body) = inline.split_at(inline.len() - inline.trim_start_matches(' ').len());
    out.push_str(indent);
    let mut chars = body.chars().peekable();

    // Line-start markers (the inline escaping leaves these characters alone).
    match chars.peek().copied() {
        Some(c @ ('-' | '+' | '=')) => {
            out.push('\\');
            out.push(c);
            chars.next();
        }
        Some(c) if c.is_ascii_digit() => {
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                out.push(d);
            }
            if let Some(p) = chars.next_if(|p| matches!(p, '.' | ')')) {
                out.push('\\');
                out.push(p);
            }
        }
        _ => {}
    }
    out.extend(chars);
    out
}

/// Escapes text that cannot start a line of Markdown (a table cell, a heading after its `#`s):
/// the same as [`escape`] without the line-start markers, so `30.727` stays `30.727`.
#[must_use]
pub fn escape_inline(text: &str) -> String {
    crate::escape::markdown(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::report::doc::Meta;

    fn sample() -> Document {
        Document {
            header: DocumentHeader {
                body: vec![
                    "ỦY BAN MTTQ VIỆT NAM".into(),
                    "TỈNH LÀO CAI".into(),
                    "BAN THƯỜNG TRỰC".into(),
                ],
                motto: vec![
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
                    "Độc lập - Tự do - Hạnh phúc".into(),
                ],
                number: "Số: .../BC-MTTQ-BTT".into(),
                place_date: "Lào Cai, ngày ... tháng ... năm 2023".into(),
                doc_type: "BÁO CÁO".into(),
                title: vec![
                    "Kết quả thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy".into(),
                    "6 tháng đầu năm 2023".into(),
                ],
            },
            blocks: vec![
                Block::Paragraph(vec![
                    Span::plain("Thực hiện "),
                    Span::bold("Đề án số 15-ĐA/TU"),
                    Span::plain(", báo cáo như sau:"),
                ]),
                Block::Heading {
                    level: 1,
                    text: "I. KẾT QUẢ THỰC HIỆN".into(),
                },
                Block::Heading {
                    level: 2,
                    text: "1. Công tác giám sát".into(),
                },
                Block::Bullet(vec![Span::plain("Tổ chức được 195/377 cuộc, đạt 51,7%.")]),
                Block::Bullet(vec![Span::italic("Cấp tỉnh: 12 cuộc.")]),
                Block::Heading {
                    level: 3,
                    text: "a) Kiến nghị".into(),
                },
                Block::Placeholder("[Cần bổ sung] Nêu nguyên nhân.".into()),
                Block::Signature {
                    recipients_label: "Nơi nhận:".into(),
                    recipients: vec!["Thường trực Tỉnh ủy (b/c);".into(), "Lưu: VT.".into()],
                    signer: vec!["TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into()],
                    name: "[Họ và tên]".into(),
                },
                Block::PageBreak,
                Block::Table {
                    header: vec!["TT".into(), "Đơn vị".into(), "Tỷ lệ %".into()],
                    rows: vec![
                        vec!["1".into(), "Huyện Bát Xát".into(), "51,7".into()],
                        vec!["2".into(), "A | B".into()],
                    ],
                    align: vec![Align::Center, Align::Left, Align::Right],
                    widths: vec![1, 6, 2],
                },
            ],
            meta: Meta::default(),
        }
    }

    const EXPECTED: &str = r"|  |  |
|:---:|:---:|
| ỦY BAN MTTQ VIỆT NAM | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |
| TỈNH LÀO CAI | **Độc lập - Tự do - Hạnh phúc** |
| **BAN THƯỜNG TRỰC** |  |
| Số: .../BC-MTTQ-BTT | *Lào Cai, ngày ... tháng ... năm 2023* |

**BÁO CÁO**

**Kết quả thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy**\
**6 tháng đầu năm 2023**

Thực hiện **Đề án số 15-ĐA/TU**, báo cáo như sau:

## I. KẾT QUẢ THỰC HIỆN

### 1. Công tác giám sát

- Tổ chức được 195/377 cuộc, đạt 51,7%.
- *Cấp tỉnh: 12 cuộc.*

#### a) Kiến nghị

> **\[Cần bổ sung\]** Nêu nguyên nhân.

**Nơi nhận:**

- Thường trực Tỉnh ủy (b/c);
- Lưu: VT.

**TM. BAN THƯỜNG TRỰC**\
**CHỦ TỊCH**

**\[Họ và tên\]**

---

| TT | Đơn vị | Tỷ lệ % |
|:---:|:---|---:|
| 1 | Huyện Bát Xát | 51,7 |
| 2 | A \| B |  |
";

    #[test]
    fn renders_small_document_exactly() {
        let mut out = Vec::new();
        render(&sample(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, EXPECTED);
        assert!(!text.contains('\r'));
        assert!(!text.ends_with("\n\n"));
    }

    #[test]
    fn rendering_is_deterministic() {
        for _ in 0..3 {
            assert_eq!(to_string(&sample()), EXPECTED);
        }
    }

    #[test]
    fn escape_neutralises_markup() {
        let hostile = "**x** [a](http://e) <b>#h</b> | y";
        let escaped = escape(hostile);
        assert_eq!(escaped, r"\*\*x\*\* \[a\](http\://e) \<b\>\#h\</b\> \| y");
        // No unescaped markup character survives.
        let mut prev_backslash = false;
        for c in escaped.chars() {
            if !prev_backslash {
                assert!(!"*[]<>#|`_~&".contains(c), "unescaped {c:?} in {escaped}");
            }
            prev_backslash = c == '\\' && !prev_backslash;
        }
    }

    #[test]
    fn hostile_title_cannot_inject() {
        let mut doc = sample();
        doc.header.title = vec!["**x** [a](http://e) <b>#h</b> | y".into()];
        doc.blocks = vec![Block::Table {
            header: vec!["a|b".into()],
            rows: vec![vec!["<script>\n# x".into()]],
            align: vec![],
            widths: vec![],
        }];
        let text = to_string(&doc);
        assert!(text.contains(r"**\*\*x\*\* \[a\](http\://e) \<b\>\#h\</b\> \| y**"));
        assert!(text.contains(r"| a\|b |"));
        assert!(text.contains(r"| \<script\> \# x |"));
        assert!(!text.contains("<b>") && !text.contains("<script>"));
    }

    #[test]
    fn escape_line_start_markers() {
        assert_eq!(escape("- a"), r"\- a");
        assert_eq!(escape("+ a"), r"\+ a");
        assert_eq!(escape("> a"), r"\> a");
        assert_eq!(escape("# a"), r"\# a");
        assert_eq!(escape("12. a"), r"12\. a");
        assert_eq!(escape("3) a"), r"3\) a");
        assert_eq!(escape("2023 a"), "2023 a");
        assert_eq!(escape("==="), r"\===");
        assert_eq!(escape("  - a"), r"  \- a");
        assert_eq!(escape("a - b 1. c"), "a - b 1. c");
        assert_eq!(escape("![i](x)"), r"\!\[i\](x)");
        assert_eq!(escape("Hi! there"), "Hi! there");
        assert_eq!(escape("<http://e> WWW.x"), r"\<http\://e\> WWW\.x");
        assert_eq!(escape("Lưu: VT. 1.5"), "Lưu: VT. 1.5");
        assert_eq!(escape("a & b ~c~ $x$ `c` _u_ \\"), r"a \& b \~c\~ \$x\$ \`c\` \_u\_ \\");
    }

    #[test]
    fn escape_joins_lines() {
        assert_eq!(escape("a\n# b\r\n\t- c"), r"a \# b  - c");
        assert_eq!(escape("a\n\n    code"), "a     code");
        assert_eq!(escape("Số:   /BC\u{0}"), "Số:   /BC");
    }

    #[test]
    fn emphasis_keeps_spaces_outside_markers() {
        let p = Block::Paragraph(vec![
            Span::plain("a"),
            Span::bold(" b "),
            Span::italic("c"),
            Span::bold("  "),
            Span::italic("d"),
            Span::italic("e"),
        ]);
        let doc = Document {
            header: DocumentHeader {
                body: vec![],
                motto: vec![],
                number: String::new(),
                place_date: String::new(),
                doc_type: String::new(),
                title: vec![],
            },
            blocks: vec![p, Block::Placeholder("Viết nguyên nhân".into())],
            meta: Meta::default(),
        };
        assert_eq!(to_string(&doc), "a **b** *c*  *de*\n\n> **\\[Viết nguyên nhân\\]**\n");
    }

    #[test]
    fn empty_document_is_one_newline() {
        let doc = Document {
            header: DocumentHeader {
                body: vec![],
                motto: vec![],
                number: String::new(),
                place_date: String::new(),
                doc_type: String::new(),
                title: vec![],
            },
            blocks: vec![],
            meta: Meta::default(),
        };
        assert_eq!(to_string(&doc), "\n");
    }
}
