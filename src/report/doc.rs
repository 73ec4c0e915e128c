//! A small, format-neutral document tree for report drafts: the report builder fills it, and
//! the Markdown and DOCX renderers turn it into bytes.
//!
//! This module owns only the shape of a draft (header, blocks, inline spans). It knows nothing
//! about plans, figures or languages, and it does no formatting: every string in it is final
//! text, which the renderers escape for their own format.

/// A whole report draft: the administrative header, then the body in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The two-column header of an administrative document and the title under it.
    pub header: DocumentHeader,
    /// The body, from the opening paragraph to the appendix.
    pub blocks: Vec<Block>,
    /// Document properties (DOCX `docProps/core.xml`, the language of the text).
    pub meta: Meta,
}

/// What a file says about the document besides its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// The title (e.g. "Báo cáo kết quả thực hiện Đề án số 15-ĐA/TU 6 tháng đầu năm 2023").
    pub title: String,
    /// The author: the issuing body ("Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Lào Cai").
    pub author: String,
    /// The date the figures stand at, `YYYY-MM-DD`: the document's created and modified date,
    /// so that the same inputs give the same bytes.
    pub date: String,
    /// The language of the text as a BCP 47 tag: `vi-VN`, `en-GB`.
    pub language: String,
}

/// The header of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentHeader {
    /// Top-left lines: issuing body lines (e.g. "ỦY BAN MTTQ VIỆT NAM", "TỈNH LÀO CAI"), then
    /// the office ("BAN THƯỜNG TRỰC"); the LAST line is bold, the others regular (when there's
    /// only one line it is bold).
    pub body: Vec<String>,
    /// Top-right: national motto lines, e.g. `["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    /// "Độc lập - Tự do - Hạnh phúc"]` (both bold).
    pub motto: Vec<String>,
    /// Left under the body: "Số: .../BC-MTTQ-BTT".
    pub number: String,
    /// Right, italic: "Lào Cai, ngày ... tháng ... năm 2023".
    pub place_date: String,
    /// Centred bold: "BÁO CÁO".
    pub doc_type: String,
    /// Centred bold lines under it: the summary title.
    pub title: Vec<String>,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Section heading. level 1 = "I. KẾT QUẢ THỰC HIỆN" (bold, upper), 2 = "1. Công tác giám
    /// sát" (bold), 3 = "a) ..." (bold italic). The text is used as given (the builder writes
    /// the numbering and the case); levels above 3 render like 3, level 0 like 1.
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// The heading text, numbering included.
        text: String,
    },
    /// Body paragraph (justified, first-line indent in DOCX).
    Paragraph(Vec<Span>),
    /// A bullet item ("- ..." in Vietnamese documents).
    Bullet(Vec<Span>),
    /// A marked place a person must fill in (e.g. causes, proposals): rendered visibly, e.g.
    /// Markdown `> **[Cần bổ sung]** ...` and in DOCX an italic paragraph highlighted yellow.
    ///
    /// The renderers add no words of their own (the draft may be Vietnamese or English): when
    /// the text starts with a bracketed label (`"[Cần bổ sung] Nêu nguyên nhân"`) that label is
    /// set in bold and the rest follows; otherwise the whole text is shown in bold brackets.
    Placeholder(String),
    /// A real table. `widths` are relative column widths (same length as header).
    Table {
        /// Column titles (set in bold).
        header: Vec<String>,
        /// Body rows; a short row is padded with empty cells.
        rows: Vec<Vec<String>>,
        /// Alignment per column; a missing entry means [`Align::Left`].
        align: Vec<Align>,
        /// Relative widths per column; missing or zero entries count as 1.
        widths: Vec<u32>,
    },
    /// Closing block: left "Nơi nhận:" + recipients (one per line, "- " prefixed by the
    /// renderer), right the signer lines (bold) and blank space for the signature and name.
    Signature {
        /// "Nơi nhận:" (or "Distribution:").
        recipients_label: String,
        /// One recipient per entry, without the leading "- ".
        recipients: Vec<String>,
        /// "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", ...
        signer: Vec<String>,
        /// The marked place for the signer's name under the space for the signature, e.g.
        /// "[Họ và tên]" (shown like a placeholder label).
        name: String,
    },
    /// Starts a new page (DOCX) / a horizontal rule (Markdown). Used between appendices.
    PageBreak,
    /// A centred paragraph (the `PHỤ LỤC I` heading of an appendix, its title and its
    /// `(Kèm theo Báo cáo số …)` line).
    Centered(Vec<Span>),
    /// Everything after it is on landscape pages, starting on a new page (a new section in
    /// DOCX; a horizontal rule in Markdown). Used before the appendix, whose wide tables need
    /// the room.
    Landscape,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (text columns).
    #[default]
    Left,
    /// Flush right (figures).
    Right,
    /// Centred (numbers in the TT column, short codes).
    Center,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text, unescaped.
    pub text: String,
    /// Set in bold.
    pub bold: bool,
    /// Set in italic.
    pub italic: bool,
}

impl Span {
    /// Regular text.
    pub fn plain(t: impl Into<String>) -> Span {
        Span {
            text: t.into(),
            bold: false,
            italic: false,
        }
    }

    /// Bold text.
    pub fn bold(t: impl Into<String>) -> Span {
        Span {
            text: t.into(),
            bold: true,
            italic: false,
        }
    }

    /// Italic text.
    pub fn italic(t: impl Into<String>) -> Span {
        Span {
            text: t.into(),
            bold: false,
            italic: true,
        }
    }
}

impl Block {
    /// A paragraph of one regular span.
    pub fn text(t: impl Into<String>) -> Block {
        Block::Paragraph(vec![Span::plain(t)])
    }
}

/// A placeholder text taken apart for rendering: `[label] rest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placeholder<'a> {
    /// The label, shown bold between brackets.
    pub label: &'a str,
    /// The explanation after it, possibly empty.
    pub rest: &'a str,
}

impl Placeholder<'_> {
    /// Splits a placeholder text into its leading bracketed label (without the brackets) and
    /// the rest, as both renderers show them.
    pub(crate) fn split(text: &str) -> Placeholder<'_> {
        let trimmed = text.trim_start();
        if let Some(inner) = trimmed.strip_prefix('[') {
            if let Some((label, rest)) = inner.split_once(']') {
                return Placeholder {
                    label,
                    rest: rest.trim_start(),
                };
            }
        }
        Placeholder {
            label: text.trim(),
            rest: "",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn span_constructors() {
        assert_eq!(
            Span::bold("a"),
            Span {
                text: "a".into(),
                bold: true,
                italic: false
            }
        );
        assert!(Span::italic("a").italic && !Span::italic("a").bold);
        assert!(!Span::plain("a").bold && !Span::plain("a").italic);
    }

    #[test]
    fn placeholder_split() {
        assert_eq!(
            Placeholder::split("[Cần bổ sung] Nêu nguyên nhân"),
            Placeholder {
                label: "Cần bổ sung",
                rest: "Nêu nguyên nhân"
            }
        );
        assert_eq!(
            Placeholder::split("Nêu nguyên nhân"),
            Placeholder {
                label: "Nêu nguyên nhân",
                rest: ""
            }
        );
        assert_eq!(
            Placeholder::split("[unclosed"),
            Placeholder {
                label: "[unclosed",
                rest: ""
            }
        );
    }
}
