//! DOCX renderer for report drafts: turns a [`Document`] into a Word file laid out as a
//! Vietnamese administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I).
//!
//! It owns the page setup (A4 portrait, margins 20/20/30/15 mm, page numbers centred in the top
//! margin from page 2), the fonts (Times New Roman for every script), the two-column header and
//! signature tables and the look of each block. It decides no words. Output is byte-for-byte
//! deterministic: paragraph ids are numbered here rather than by docx-rs's per-thread counter,
//! the package dates are fixed, and the archive entries carry the zip crate's fixed default
//! timestamp.

use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableAlignmentType,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType,
    WidthType,
};

use super::doc::{Align, Block, Document, Header, Placeholder, Span};

/// Failure to produce the DOCX bytes.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs could not write the XML parts or the archive.
    #[error("could not write the DOCX file: {0}")]
    Docx(#[from] docx_rs::DocxError),
}

/// The font of every run, for every script slot (Vietnamese letters must not fall back to
/// another font in the East Asian or complex-script slots).
const FONT: &str = "Times New Roman";
/// A4 portrait, in twips (1/20 pt).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// Margins, in twips: 20 mm top and bottom, 30 mm left, 15 mm right.
const MARGIN_TOP: i32 = 1134;
const MARGIN_BOTTOM: i32 = 1134;
const MARGIN_LEFT: i32 = 1701;
const MARGIN_RIGHT: i32 = 850;
/// Distance of the page number from the top edge: 10 mm.
const HEADER_DISTANCE: i32 = 567;
/// The width between the margins, in twips.
const TEXT_WIDTH: usize = 11906 - 1701 - 850;
/// Font sizes, in half-points.
const SIZE_BODY: usize = 28;
const SIZE_HEADER: usize = 26;
/// The first motto line ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") at 12 pt, the low end of the
/// 12–13 pt that Nghị định 30 allows, so that it stays on one line in its column.
const SIZE_MOTTO_FIRST: usize = 24;
const SIZE_TABLE: usize = 24;
const SIZE_RECIPIENTS_LABEL: usize = 24;
const SIZE_RECIPIENTS: usize = 22;
/// First-line indent of body paragraphs: 1.27 cm.
const FIRST_LINE_INDENT: i32 = 720;
/// Space after a body paragraph: 6 pt.
const SPACE_AFTER: u32 = 120;
/// Left column of the header table: issuing body and number; the rest is the motto column.
const HEADER_LEFT: usize = 3969;
/// Left column of the signature table: the recipients; the rest is the signer column.
const SIGNATURE_LEFT: usize = 4536;
/// The fixed package dates (docProps/core.xml): a draft's bytes must not depend on the clock.
const FIXED_DATE: &str = "2000-01-01T00:00:00Z";

/// Renders `doc` as the bytes of a `.docx` file.
///
/// # Errors
///
/// Returns [`DocxError::Docx`] when docx-rs fails to write the package (in practice only on an
/// internal error, since the output goes to memory).
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut b = Builder::default();
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE)
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(SIZE_BODY)
        .created_at(FIXED_DATE)
        .updated_at(FIXED_DATE)
        // Page numbers centred in the top margin, none on the first page.
        .header(
            docx_rs::Header::new().add_paragraph(
                b.paragraph()
                    .align(AlignmentType::Center)
                    .size(SIZE_HEADER)
                    .fonts(fonts())
                    .add_page_num(PageNum::new()),
            ),
        )
        .first_header(docx_rs::Header::new().add_paragraph(b.paragraph()))
        .title_pg();

    docx = b.header(docx, &doc.header);
    for block in &doc.blocks {
        docx = b.block(docx, block);
    }
    docx = b.flush_break(docx);

    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).map_err(docx_rs::DocxError::from)?;
    Ok(bytes.into_inner())
}

/// Builds paragraphs with ids numbered per document, so that two renders of the same document
/// give the same bytes whatever else ran before on the thread.
#[derive(Default)]
struct Builder {
    /// The number of the last paragraph id given out.
    next_id: u32,
    /// A [`Block::PageBreak`] waits for the next paragraph (several in a row make one break).
    page_break: bool,
}

impl Builder {
    /// A new empty paragraph with the next id (`w14:paraId`, 8 hex digits, below 0x80000000).
    fn paragraph(&mut self) -> Paragraph {
        self.next_id += 1;
        Paragraph::new().id(format!("{:08X}", self.next_id))
    }

    /// A paragraph with the given alignment, no indent and the given space after (twips).
    fn line(&mut self, align: AlignmentType, after: u32) -> Paragraph {
        self.paragraph()
            .align(align)
            .line_spacing(LineSpacing::new().before(0).after(after))
    }

    /// A body paragraph: justified, first-line indent, 6 pt after.
    fn body(&mut self) -> Paragraph {
        self.line(AlignmentType::Both, SPACE_AFTER).indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
    }

    /// The header table, then the document type and the title with its short rule.
    fn header(&mut self, docx: Docx, h: &Header) -> Docx {
        let mut left = TableCell::new()
            .width(HEADER_LEFT, WidthType::Dxa)
            .vertical_align(VAlignType::Top);
        let last = h.body.len().saturating_sub(1);
        for (i, line) in h.body.iter().enumerate() {
            let bold = i == last;
            left = left.add_paragraph(
                self.line(AlignmentType::Center, 0)
                    .add_run(run(line, SIZE_HEADER, bold, false)),
            );
        }
        if let Some(office) = h.body.last() {
            // Nghị định 30: a rule of a third to a half of the office line, centred.
            let width = (text_width(office, SIZE_HEADER) / 2).max(850);
            left = left.add_paragraph(self.rule(HEADER_LEFT, width));
        }
        let right_width = TEXT_WIDTH - HEADER_LEFT;
        let mut right = TableCell::new()
            .width(right_width, WidthType::Dxa)
            .vertical_align(VAlignType::Top);
        for (i, line) in h.motto.iter().enumerate() {
            let size = if i == 0 && h.motto.len() > 1 {
                SIZE_MOTTO_FIRST
            } else {
                SIZE_HEADER
            };
            right = right.add_paragraph(
                self.line(AlignmentType::Center, 0)
                    .add_run(run(line, size, true, false)),
            );
        }
        if let Some(motto) = h.motto.last() {
            // Nghị định 30: the rule under the motto is as long as the line above it.
            right = right.add_paragraph(self.rule(right_width, text_width(motto, SIZE_HEADER)));
        }
        if h.body.is_empty() {
            left = left.add_paragraph(self.paragraph());
        }
        if h.motto.is_empty() {
            right = right.add_paragraph(self.paragraph());
        }

        let number = TableCell::new().width(HEADER_LEFT, WidthType::Dxa).add_paragraph(
            self.line(AlignmentType::Center, 0)
                .add_run(run(&h.number, SIZE_HEADER, false, false)),
        );
        let place_date = TableCell::new().width(right_width, WidthType::Dxa).add_paragraph(
            self.line(AlignmentType::Center, 0)
                .add_run(run(&h.place_date, SIZE_HEADER, false, true)),
        );

        let table = borderless(
            vec![
                TableRow::new(vec![left, right]),
                TableRow::new(vec![number, place_date]),
            ],
            vec![HEADER_LEFT, right_width],
        );
        let mut docx = docx.add_table(table);

        if !h.doc_type.trim().is_empty() {
            docx = docx.add_paragraph(
                self.paragraph()
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().before(360).after(0))
                    .keep_next(true)
                    .add_run(run(&h.doc_type, SIZE_BODY, true, false)),
            );
        }
        let title: Vec<&String> = h.title.iter().filter(|l| !l.trim().is_empty()).collect();
        for line in &title {
            docx = docx.add_paragraph(
                self.line(AlignmentType::Center, 0)
                    .keep_next(true)
                    .add_run(run(line, SIZE_BODY, true, false)),
            );
        }
        if !title.is_empty() || !h.doc_type.trim().is_empty() {
            // Nghị định 30: a short centred rule under the summary title.
            docx = docx.add_paragraph(self.rule(TEXT_WIDTH, 2268));
        }
        // A blank line before the body; without a title it also keeps a table that follows
        // from merging into the header table.
        docx.add_paragraph(self.line(AlignmentType::Center, 0).size(SIZE_BODY))
    }

    /// An empty, one-point-high paragraph drawing a centred horizontal rule `width` twips long
    /// in a space `space` twips wide (the bottom border of an indented paragraph).
    fn rule(&mut self, space: usize, width: usize) -> Paragraph {
        let side = i32::try_from(space.saturating_sub(width) / 2).unwrap_or(0);
        let mut p = self
            .paragraph()
            .align(AlignmentType::Center)
            .indent(Some(side), None, Some(side), None)
            .size(2)
            .line_spacing(
                LineSpacing::new()
                    .before(40)
                    .after(60)
                    .line(40)
                    .line_rule(LineSpacingType::Exact),
            );
        p.property = p.property.set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .size(6)
                    .space(0)
                    .color("000000"),
            ),
        );
        p
    }

    /// Appends one body block.
    fn block(&mut self, docx: Docx, block: &Block) -> Docx {
        match block {
            Block::Heading { level, text } => {
                let italic = *level >= 3;
                let p = self
                    .body()
                    .keep_next(true)
                    .outline_lvl(usize::from((*level).clamp(1, 3)) - 1)
                    .add_run(run(text, SIZE_BODY, true, italic));
                self.push(docx, p)
            }
            Block::Paragraph(spans) => {
                let p = spans_into(self.body(), spans);
                self.push(docx, p)
            }
            Block::Bullet(spans) => {
                let p = spans_into(self.body().add_run(run("- ", SIZE_BODY, false, false)), spans);
                self.push(docx, p)
            }
            Block::Placeholder(text) => {
                let p = self.placeholder(text);
                self.push(docx, p)
            }
            Block::Table {
                header,
                rows,
                align,
                widths,
            } => match self.table(header, rows, align, widths) {
                // The empty paragraph after it keeps a following table from merging into it.
                Some(table) => {
                    let after = self.line(AlignmentType::Left, 0);
                    self.flush_break(docx).add_table(table).add_paragraph(after)
                }
                None => docx,
            },
            Block::Signature {
                recipients_label,
                recipients,
                signer,
            } => {
                let space = self.line(AlignmentType::Left, 0).size(SIZE_RECIPIENTS);
                let table = self.signature(recipients_label, recipients, signer);
                let after = self.line(AlignmentType::Left, 0).size(SIZE_RECIPIENTS);
                self.push(docx, space).add_table(table).add_paragraph(after)
            }
            Block::PageBreak => {
                self.page_break = true;
                docx
            }
        }
    }

    /// Appends a paragraph, starting it on a new page when a page break is pending (a paragraph
    /// that only holds a break would leave an empty line at the top of the new page in Word).
    fn push(&mut self, docx: Docx, p: Paragraph) -> Docx {
        if std::mem::take(&mut self.page_break) {
            docx.add_paragraph(p.page_break_before(true))
        } else {
            docx.add_paragraph(p)
        }
    }

    /// Writes a pending page break as a paragraph of its own (before a table, or at the end).
    fn flush_break(&mut self, docx: Docx) -> Docx {
        if std::mem::take(&mut self.page_break) {
            let p = self.paragraph().add_run(Run::new().add_break(BreakType::Page));
            docx.add_paragraph(p)
        } else {
            docx
        }
    }

    /// An italic paragraph highlighted yellow: `[label] rest`, the label in bold.
    fn placeholder(&mut self, text: &str) -> Paragraph {
        let p = Placeholder::split(text);
        let mut para = self
            .body()
            .add_run(run(&format!("[{}]", p.label), SIZE_BODY, true, true).highlight("yellow"));
        if !p.rest.trim().is_empty() {
            para = para.add_run(run(&format!(" {}", p.rest), SIZE_BODY, false, true).highlight("yellow"));
        }
        para
    }

    /// A bordered table filling the text width; header row bold and centred.
    fn table(&mut self, header: &[String], rows: &[Vec<String>], align: &[Align], widths: &[u32]) -> Option<Table> {
        let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
        if columns == 0 {
            return None;
        }
        let grid = grid(widths, columns);
        let mut table_rows = Vec::with_capacity(rows.len() + 1);
        if !header.is_empty() {
            let cells = (0..columns)
                .map(|i| {
                    let text = header.get(i).map_or("", String::as_str);
                    let p = self
                        .cell_paragraph(AlignmentType::Center)
                        .add_run(run(text, SIZE_TABLE, true, false));
                    Self::cell(p, grid.get(i).copied().unwrap_or(0))
                })
                .collect();
            table_rows.push(TableRow::new(cells).cant_split());
        }
        for row in rows {
            let cells = (0..columns)
                .map(|i| {
                    let text = row.get(i).map_or("", String::as_str);
                    let alignment = match align.get(i).copied().unwrap_or_default() {
                        Align::Left => AlignmentType::Left,
                        Align::Right => AlignmentType::Right,
                        Align::Center => AlignmentType::Center,
                    };
                    let p = self
                        .cell_paragraph(alignment)
                        .add_run(run(text, SIZE_TABLE, false, false));
                    Self::cell(p, grid.get(i).copied().unwrap_or(0))
                })
                .collect();
            table_rows.push(TableRow::new(cells).cant_split());
        }
        let border = |position| {
            TableBorder::new(position)
                .border_type(docx_rs::BorderType::Single)
                .size(4)
                .color("000000")
        };
        let borders = TableBorders::new()
            .set(border(TableBorderPosition::Top))
            .set(border(TableBorderPosition::Left))
            .set(border(TableBorderPosition::Bottom))
            .set(border(TableBorderPosition::Right))
            .set(border(TableBorderPosition::InsideH))
            .set(border(TableBorderPosition::InsideV));
        Some(
            Table::new(table_rows)
                .set_grid(grid)
                .layout(TableLayoutType::Fixed)
                .width(TEXT_WIDTH, WidthType::Dxa)
                .align(TableAlignmentType::Center)
                .margins(TableCellMargins::new().margin(40, 80, 40, 80))
                .set_borders(borders),
        )
    }

    /// A paragraph inside a table cell: no indent, no space after.
    fn cell_paragraph(&mut self, align: AlignmentType) -> Paragraph {
        self.line(align, 0)
    }

    /// A table cell of the given width holding one paragraph.
    fn cell(p: Paragraph, width: usize) -> TableCell {
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(p)
    }

    /// The closing block: recipients left, signer right, in a borderless table.
    fn signature(&mut self, label: &str, recipients: &[String], signer: &[String]) -> Table {
        let mut left = TableCell::new()
            .width(SIGNATURE_LEFT, WidthType::Dxa)
            .vertical_align(VAlignType::Top);
        if !label.trim().is_empty() {
            left = left.add_paragraph(self.line(AlignmentType::Left, 0).add_run(run(
                label,
                SIZE_RECIPIENTS_LABEL,
                true,
                true,
            )));
        }
        for r in recipients {
            left = left.add_paragraph(self.line(AlignmentType::Left, 0).add_run(run(
                &format!("- {}", strip_dash(r)),
                SIZE_RECIPIENTS,
                false,
                false,
            )));
        }
        if label.trim().is_empty() && recipients.is_empty() {
            left = left.add_paragraph(self.paragraph());
        }
        let right_width = TEXT_WIDTH - SIGNATURE_LEFT;
        let mut right = TableCell::new()
            .width(right_width, WidthType::Dxa)
            .vertical_align(VAlignType::Top);
        for line in signer.iter().filter(|l| !l.trim().is_empty()) {
            right = right.add_paragraph(
                self.line(AlignmentType::Center, 0)
                    .add_run(run(line, SIZE_BODY, true, false)),
            );
        }
        // Room for the signature, the seal and the name written by hand or filled in later.
        for _ in 0..5 {
            right = right.add_paragraph(self.line(AlignmentType::Center, 0).size(SIZE_BODY));
        }
        borderless(
            vec![TableRow::new(vec![left, right]).cant_split()],
            vec![SIGNATURE_LEFT, right_width],
        )
    }
}

/// A two-column table without borders (header and signature), filling the text width.
fn borderless(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .clear_all_border()
}

/// Column widths in twips: the relative widths scaled to the text width (missing or zero
/// entries count as 1; rounding leftovers go to the last column).
fn grid(widths: &[u32], columns: usize) -> Vec<usize> {
    let weights: Vec<u64> = (0..columns)
        .map(|i| u64::from(widths.get(i).copied().filter(|w| *w > 0).unwrap_or(1)))
        .collect();
    let total: u64 = weights.iter().sum::<u64>().max(1);
    let text_width = TEXT_WIDTH as u64;
    let mut grid: Vec<usize> = weights
        .iter()
        .map(|w| usize::try_from(w * text_width / total).unwrap_or(0))
        .collect();
    let used: usize = grid.iter().sum();
    if let Some(last) = grid.last_mut() {
        *last += TEXT_WIDTH.saturating_sub(used);
    }
    grid
}

/// An estimate of the printed width of a bold Times New Roman line, in twips, at `size`
/// half-points (per character: capitals about 0.72 em, other letters and digits 0.5 em, spaces
/// 0.25 em, punctuation 0.33 em). Used only for the length of the rules under header lines.
fn text_width(line: &str, size: usize) -> usize {
    let per_mille: usize = line
        .trim()
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                720
            } else if c.is_alphanumeric() {
                500
            } else if c.is_whitespace() {
                250
            } else {
                330
            }
        })
        .sum();
    // One em is `size` half-points = `size * 10` twips.
    per_mille * size * 10 / 1000
}

/// Adds the spans of a paragraph as runs.
fn spans_into(mut p: Paragraph, spans: &[Span]) -> Paragraph {
    for span in spans {
        if !span.text.is_empty() {
            p = p.add_run(run(&span.text, SIZE_BODY, span.bold, span.italic));
        }
    }
    p
}

/// A run of text in Times New Roman (all scripts) at `size` half-points.
fn run(text: &str, size: usize, bold: bool, italic: bool) -> Run {
    let mut r = Run::new().add_text(clean(text)).size(size).fonts(fonts());
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    r
}

/// Times New Roman in the ASCII, high-ANSI, complex-script and East Asian slots.
fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT)
}

/// Text as Word can hold it in one run: a line break (LF, CR LF, CR) or a tab becomes one space,
/// and characters that XML 1.0 forbids (other control characters) are dropped. Runs of spaces
/// are kept: `"Số:      /BC"` leaves room to write the number by hand.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    match crate::escape::xml(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(kept) => kept,
    }
}

/// A recipient written with its own "- " would otherwise get two dashes.
fn strip_dash(text: &str) -> &str {
    let t = text.trim_start();
    match t.strip_prefix('-') {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
        _ => t,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            header: Header {
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
                    Span::plain(" <&> báo cáo như sau:"),
                ]),
                Block::Heading {
                    level: 1,
                    text: "I. KẾT QUẢ THỰC HIỆN".into(),
                },
                Block::Bullet(vec![Span::plain("Tổ chức được 195/377 cuộc, đạt 51,7%.")]),
                Block::Placeholder("[Cần bổ sung] Nêu nguyên nhân.".into()),
                Block::Signature {
                    recipients_label: "Nơi nhận:".into(),
                    recipients: vec!["Thường trực Tỉnh ủy (b/c);".into(), "Lưu: VT.".into()],
                    signer: vec!["TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into()],
                },
                Block::PageBreak,
                Block::Table {
                    header: vec!["TT".into(), "Đơn vị".into(), "Tỷ lệ %".into()],
                    rows: vec![vec!["1".into(), "Huyện Bát Xát\u{1}".into(), "51,7".into()]],
                    align: vec![Align::Center, Align::Left, Align::Right],
                    widths: vec![1, 6, 2],
                },
            ],
        }
    }

    /// The bytes of the (stored, uncompressed) zip entry `name`, found by its local header.
    fn entry<'a>(zip: &'a [u8], name: &str) -> Option<&'a [u8]> {
        let mut i = 0;
        while i + 30 <= zip.len() {
            if zip[i..i + 4] == [0x50, 0x4b, 0x03, 0x04] {
                let u16_at = |o: usize| usize::from(u16::from_le_bytes([zip[o], zip[o + 1]]));
                let u32_at = |o: usize| u32::from_le_bytes([zip[o], zip[o + 1], zip[o + 2], zip[o + 3]]) as usize;
                let method = u16_at(i + 8);
                let size = u32_at(i + 18);
                let name_len = u16_at(i + 26);
                let extra_len = u16_at(i + 28);
                let start = i + 30 + name_len + extra_len;
                if &zip[i + 30..i + 30 + name_len] == name.as_bytes() {
                    assert_eq!(method, 0, "{name} is compressed");
                    return Some(&zip[start..start + size]);
                }
                i = start + size;
            } else {
                i += 1;
            }
        }
        None
    }

    #[test]
    fn render_is_deterministic() {
        let a = render(&sample()).unwrap();
        // Paragraphs built elsewhere on this thread must not shift the ids.
        let _ = Paragraph::new();
        let _ = Paragraph::new();
        let b = render(&sample()).unwrap();
        assert!(a.starts_with(b"PK"));
        assert_eq!(a, b);
    }

    #[test]
    fn document_xml_holds_text_and_layout() {
        let bytes = render(&sample()).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap().to_vec()).unwrap();
        assert!(xml.contains("BÁO CÁO"));
        assert!(xml.contains("Kết quả thực hiện Đề án số 15-ĐA/TU"));
        assert!(xml.contains("Huyện Bát Xát</w:t>"), "control character dropped");
        assert!(xml.contains("&lt;&amp;&gt;"));
        assert!(xml.contains("<w:tbl>"));
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
        assert!(xml.contains(r#"w:top="1134""#) && xml.contains(r#"w:left="1701""#));
        assert!(xml.contains(r#"w:right="850""#) && xml.contains(r#"w:bottom="1134""#));
        assert!(xml.contains(r#"<w:highlight w:val="yellow" />"#));
        assert!(xml.contains(r#"w:eastAsia="Times New Roman""#));
        assert!(xml.contains(r#"w:cs="Times New Roman""#));
        // The break before the appendix table is a paragraph of its own.
        assert!(xml.contains(r#"<w:br w:type="page" />"#));
        assert!(xml.contains("- Lưu: VT."));

        let core = String::from_utf8(entry(&bytes, "docProps/core.xml").unwrap().to_vec()).unwrap();
        assert!(core.contains(FIXED_DATE));
    }

    #[test]
    fn page_break_goes_on_the_next_paragraph() {
        let mut doc = sample();
        doc.blocks = vec![Block::text("a"), Block::PageBreak, Block::PageBreak, Block::text("b")];
        let bytes = render(&doc).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap().to_vec()).unwrap();
        assert_eq!(xml.matches("<w:pageBreakBefore").count(), 1);
        assert!(!xml.contains(r#"<w:br w:type="page" />"#));
    }

    #[test]
    fn empty_and_ragged_input_renders() {
        let doc = Document {
            header: Header {
                body: vec![],
                motto: vec![],
                number: String::new(),
                place_date: String::new(),
                doc_type: String::new(),
                title: vec![],
            },
            blocks: vec![
                Block::Table {
                    header: vec![],
                    rows: vec![vec!["a".into()], vec![], vec!["b".into(), "c".into()]],
                    align: vec![],
                    widths: vec![],
                },
                Block::Table {
                    header: vec![],
                    rows: vec![],
                    align: vec![],
                    widths: vec![],
                },
                Block::Signature {
                    recipients_label: String::new(),
                    recipients: vec![],
                    signer: vec![],
                },
                Block::PageBreak,
            ],
        };
        let bytes = render(&doc).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap().to_vec()).unwrap();
        assert_eq!(xml.matches("<w:tbl>").count(), 3);
        // No two tables touch (Word and LibreOffice would merge them).
        assert!(!xml.contains("</w:tbl><w:tbl>"));
        assert!(xml.contains(r#"<w:br w:type="page" />"#));
    }

    #[test]
    fn grid_scales_to_text_width() {
        let g = grid(&[1, 6, 2], 3);
        assert_eq!(g.iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(g[0], TEXT_WIDTH / 9);
        assert_eq!(grid(&[], 2).iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(grid(&[0, 0, 0, 5], 3).len(), 3);
    }

    #[test]
    fn clean_drops_control_characters() {
        assert_eq!(clean("a\u{0}b\r\n\tc\u{7}  d"), "ab  c  d");
    }
}
