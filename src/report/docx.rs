//! DOCX renderer for report drafts: turns a [`Document`] into a Word file laid out as a
//! Vietnamese administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I).
//!
//! It owns the page setup (A4 portrait, margins 20/20/30/15 mm, page numbers centred in the top
//! margin from page 2), the fonts (Times New Roman for every script), the two-column header and
//! signature tables and the look of each block. It decides no words. Output is byte-for-byte
//! deterministic: paragraph ids are numbered here rather than by docx-rs's per-thread counter,
//! the package dates are fixed, and the archive entries carry the zip crate's fixed default
//! timestamp.

use std::io::{Read, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, HeightRule, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Style, StyleType,
    Table, TableAlignmentType, TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, WidthType, XMLDocx,
};

use super::doc::{Align, Block, Document, DocumentHeader, Meta, Placeholder, Span};

/// Failure to produce the DOCX bytes.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs could not write the XML parts or the archive.
    #[error("could not write the DOCX file: {0}")]
    Docx(#[from] docx_rs::DocxError),
    /// The archive could not be re-packed with compressed parts.
    #[error("could not write the DOCX file: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing the archive to memory failed.
    #[error("could not write the DOCX file: {0}")]
    Io(#[from] std::io::Error),
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
/// Landscape pages (the appendix): A4 turned, 20 mm margins all round.
const LANDSCAPE_MARGIN: i32 = 1134;
const LANDSCAPE_TEXT_WIDTH: usize = 16838 - 2 * 1134;
/// The size of the appendix tables (11 pt), so that figures fit their columns.
const SIZE_WIDE_TABLE: usize = 22;
/// A header row is first written with this (otherwise unused) row height, then the height is
/// replaced by `<w:tblHeader/>`, which docx-rs cannot write: the row repeats on every page.
const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
/// A table of more columns than this sets its column titles in [`SIZE_SMALL_HEADER`].
const MANY_COLUMNS: usize = 8;
const SIZE_SMALL_HEADER: usize = 18;
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

/// Renders `doc` as the bytes of a `.docx` file.
///
/// # Errors
///
/// Returns [`DocxError::Docx`] when docx-rs fails to write the package (in practice only on an
/// internal error, since the output goes to memory).
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut b = Builder::default();
    let date = package_date(&doc.meta);
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
        .created_at(&date)
        .updated_at(&date)
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
    for level in 1..=3 {
        // Heading styles, so that Word's navigation pane and LibreOffice's navigator list the
        // sections; the look stays in the paragraphs' own formatting.
        let mut style = Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(SIZE_BODY)
            .fonts(fonts())
            .outline_lvl(level - 1);
        if level == 3 {
            style = style.italic();
        }
        docx = docx.add_style(style);
    }

    docx = b.header(docx, &doc.header);
    for (i, block) in doc.blocks.iter().enumerate() {
        // The closing line stays on the page of the signature block, a line
        // introducing a table on the page where the table starts, and a line
        // ending in ":" with the first item of its list.
        let next = doc.blocks.get(i + 1);
        let keep_next = matches!(next, Some(Block::Signature { .. } | Block::Table { .. }))
            || (matches!(next, Some(Block::Bullet(_))) && introduces(block));
        b.last_block = i + 1 == doc.blocks.len();
        docx = b.block(docx, block, keep_next);
    }
    docx = b.flush_break(docx);

    let mut xml = docx.build();
    patch(&mut xml, &b, &doc.meta);
    let mut stored = std::io::Cursor::new(Vec::new());
    xml.pack(&mut stored).map_err(docx_rs::DocxError::from)?;
    compress(&stored.into_inner())
}

/// The package date (docProps/core.xml): the as-of date of the figures, so that the bytes do
/// not depend on the clock; a document without one gets a fixed date.
fn package_date(meta: &Meta) -> String {
    if meta.date.len() == 10 {
        format!("{}T00:00:00Z", meta.date)
    } else {
        "2000-01-01T00:00:00Z".to_owned()
    }
}

/// What docx-rs cannot write, written into its XML: the repeated header rows of tables, the
/// landscape section of the appendix, non-breaking hyphens, the language and widow/orphan
/// control of the text, and the document properties.
fn patch(xml: &mut XMLDocx, b: &Builder, meta: &Meta) {
    let mut document = String::from_utf8_lossy(&xml.document).into_owned();
    document = document.replace(HEADER_ROW_MARK, "<w:tblHeader />");
    document = document.replace('\u{2011}', "</w:t><w:noBreakHyphen /><w:t xml:space=\"preserve\">");
    if let Some(id) = &b.landscape_after {
        document = landscape(&document, id);
    }
    xml.document = document.into_bytes();

    let language = if meta.language.is_empty() {
        "vi-VN"
    } else {
        meta.language.as_str()
    };
    let mut styles = String::from_utf8_lossy(&xml.styles).into_owned();
    if let Some(at) = styles.find("<w:rPrDefault><w:rPr>") {
        let at = at + "<w:rPrDefault><w:rPr>".len();
        let close = styles.get(at..).and_then(|rest| rest.find("</w:rPr>")).map(|i| i + at);
        if let Some(close) = close {
            styles.insert_str(
                close,
                &format!(r#"<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA" />"#),
            );
        }
    }
    if let Some(at) = styles.find("<w:pPrDefault><w:pPr>") {
        styles.insert_str(at + "<w:pPrDefault><w:pPr>".len(), "<w:widowControl />");
    }
    xml.styles = styles.into_bytes();

    let date = package_date(meta);
    xml.doc_props.core = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>{language}</dc:language>",
            "<cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = xml_text(&meta.title),
        author = xml_text(&meta.author),
        language = xml_text(language),
        date = date,
    )
    .into_bytes();
}

/// Ends the portrait section at the paragraph `id` (it takes a copy of the document's section
/// properties) and turns the last section, from there to the end, to landscape.
fn landscape(document: &str, id: &str) -> String {
    let (Some(start), Some(end)) = (document.rfind("<w:sectPr"), document.rfind("</w:sectPr>")) else {
        return document.to_owned();
    };
    let end = end + "</w:sectPr>".len();
    let Some(portrait) = document.get(start..end) else {
        return document.to_owned();
    };
    let mut wide = portrait.replace("<w:titlePg />", "").replace(
        &format!(r#"<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}" />"#),
        &format!(r#"<w:pgSz w:w="{PAGE_HEIGHT}" w:h="{PAGE_WIDTH}" w:orient="landscape" />"#),
    );
    for (key, value) in [
        ("top", MARGIN_TOP),
        ("bottom", MARGIN_BOTTOM),
        ("left", MARGIN_LEFT),
        ("right", MARGIN_RIGHT),
    ] {
        wide = wide.replace(
            &format!(r#"w:{key}="{value}""#),
            &format!(r#"w:{key}="{LANDSCAPE_MARGIN}""#),
        );
    }
    let mut out = String::with_capacity(document.len() + portrait.len());
    out.push_str(document.get(..start).unwrap_or_default());
    out.push_str(&wide);
    out.push_str(document.get(end..).unwrap_or_default());
    // The paragraph that ends the portrait section carries its properties.
    let marker = format!(r#"w14:paraId="{id}""#);
    if let Some(at) = out.find(&marker) {
        if let Some(close) = out.get(at..).and_then(|rest| rest.find("</w:pPr>")).map(|i| i + at) {
            out.insert_str(close, portrait);
        }
    }
    out
}

/// Re-packs the stored archive docx-rs writes with every part deflate-compressed (a report of
/// 445 KB becomes about 25 KB). Entries keep their order and the zip crate's fixed default
/// timestamp, so the bytes stay deterministic.
fn compress(stored: &[u8]) -> Result<Vec<u8>, DocxError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_owned();
        if entry.is_dir() {
            out.add_directory(name, zip::write::SimpleFileOptions::default())?;
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Text for an XML element written here (the document properties): `&`, `<`, `>` and quotes
/// escaped, characters XML 1.0 forbids dropped.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds paragraphs with ids numbered per document, so that two renders of the same document
/// give the same bytes whatever else ran before on the thread.
#[derive(Default)]
struct Builder {
    /// The number of the last paragraph id given out.
    next_id: u32,
    /// A [`Block::PageBreak`] waits for the next paragraph (several in a row make one break).
    page_break: bool,
    /// The id of the paragraph that ends the portrait pages, once a [`Block::Landscape`] came.
    landscape_after: Option<String>,
    /// The block being written is the last: the paragraph closing a table is then as small
    /// as a paragraph can be, so that it never spills onto a blank page.
    last_block: bool,
}

impl Builder {
    /// A new empty paragraph with the next id (`w14:paraId`, 8 hex digits, below 0x80000000).
    fn paragraph(&mut self) -> Paragraph {
        self.next_id += 1;
        Paragraph::new().id(format!("{:08X}", self.next_id))
    }

    /// The width between the margins where the text now is.
    fn width(&self) -> usize {
        if self.landscape_after.is_some() {
            LANDSCAPE_TEXT_WIDTH
        } else {
            TEXT_WIDTH
        }
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
    fn header(&mut self, docx: Docx, h: &DocumentHeader) -> Docx {
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
    fn block(&mut self, docx: Docx, block: &Block, keep_next: bool) -> Docx {
        match block {
            Block::Heading { level, text } => {
                let italic = *level >= 3;
                let level = (*level).clamp(1, 3);
                let p = self
                    .body()
                    .style(&format!("Heading{level}"))
                    .keep_next(true)
                    .outline_lvl(usize::from(level) - 1)
                    .add_run(run(text, SIZE_BODY, true, italic));
                self.push(docx, p)
            }
            Block::Paragraph(spans) => {
                let p = spans_into(self.body(), spans).keep_next(keep_next);
                self.push(docx, p)
            }
            Block::Centered(spans) => {
                let p = spans_into(self.line(AlignmentType::Center, 60), spans).keep_next(true);
                self.push(docx, p)
            }
            Block::Landscape => {
                // A new section starts on a new page: no page break of its own.
                self.page_break = false;
                let p = self.tiny();
                self.landscape_after = Some(format!("{:08X}", self.next_id));
                docx.add_paragraph(p)
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
                    let after = if self.last_block {
                        self.tiny()
                    } else {
                        self.line(AlignmentType::Left, 0)
                    };
                    self.flush_break(docx).add_table(table).add_paragraph(after)
                }
                None => docx,
            },
            Block::Signature {
                recipients_label,
                recipients,
                signer,
                name,
            } => {
                let space = self.line(AlignmentType::Left, 0).size(SIZE_RECIPIENTS).keep_next(true);
                let table = self.signature(recipients_label, recipients, signer, name);
                // As small as a paragraph can be: it must not spill onto a page of its own.
                let after = self.tiny();
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

    /// An empty paragraph one point high.
    fn tiny(&mut self) -> Paragraph {
        self.paragraph().size(2).line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(20)
                .line_rule(LineSpacingType::Exact),
        )
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
        let width = self.width();
        let grid = grid(widths, columns, width);
        // The wide tables of the appendix in 11 pt, the others in 12 pt.
        let size = if width == TEXT_WIDTH {
            SIZE_TABLE
        } else {
            SIZE_WIDE_TABLE
        };
        // Many narrow columns: titles one size smaller so that their words fit.
        let header_size = if columns > MANY_COLUMNS {
            SIZE_SMALL_HEADER
        } else {
            size
        };
        let mut table_rows = Vec::with_capacity(rows.len() + 1);
        if !header.is_empty() {
            let cells = (0..columns)
                .map(|i| {
                    let text = &join_hyphens(header.get(i).map_or("", String::as_str));
                    let p = self.cell_paragraph(AlignmentType::Center).keep_next(true).add_run(run(
                        text,
                        header_size,
                        true,
                        false,
                    ));
                    Self::cell(p, grid.get(i).copied().unwrap_or(0))
                })
                .collect();
            table_rows.push(
                TableRow::new(cells)
                    .cant_split()
                    .row_height(1.0)
                    .height_rule(HeightRule::AtLeast),
            );
        }
        // The header row keeps with the first two rows, and the last row (a total)
        // never stands alone on a page. A whole table kept together would drag its
        // headings onto a page of their own when it is nearly a page tall.
        for (r, row) in rows.iter().enumerate() {
            let keep = r == 0 || r + 2 == rows.len();
            let cells = (0..columns)
                .map(|i| {
                    let text = &join_hyphens(row.get(i).map_or("", String::as_str));
                    let alignment = match align.get(i).copied().unwrap_or_default() {
                        Align::Left => AlignmentType::Left,
                        Align::Right => AlignmentType::Right,
                        Align::Center => AlignmentType::Center,
                    };
                    let p = self
                        .cell_paragraph(alignment)
                        .keep_next(keep)
                        .add_run(run(text, size, false, false));
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
                .width(width, WidthType::Dxa)
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
    fn signature(&mut self, label: &str, recipients: &[String], signer: &[String], name: &str) -> Table {
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
        // Room for the signature and the seal, then the marked place for the signer's name.
        for _ in 0..4 {
            right = right.add_paragraph(self.line(AlignmentType::Center, 0).size(SIZE_BODY));
        }
        if !name.trim().is_empty() {
            right = right.add_paragraph(
                self.line(AlignmentType::Center, 0)
                    .add_run(run(name, SIZE_BODY, true, false).highlight("yellow")),
            );
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
fn grid(widths: &[u32], columns: usize, text_width: usize) -> Vec<usize> {
    let weights: Vec<u64> = (0..columns)
        .map(|i| u64::from(widths.get(i).copied().filter(|w| *w > 0).unwrap_or(1)))
        .collect();
    let total: u64 = weights.iter().sum::<u64>().max(1);
    let width = text_width as u64;
    let mut grid: Vec<usize> = weights
        .iter()
        .map(|w| usize::try_from(w * width / total).unwrap_or(0))
        .collect();
    let used: usize = grid.iter().sum();
    if let Some(last) = grid.last_mut() {
        *last += text_width.saturating_sub(used);
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

/// A paragraph that ends in ":" and so introduces what follows.
fn introduces(block: &Block) -> bool {
    match block {
        Block::Paragraph(spans) => spans.last().is_some_and(|s| s.text.trim_end().ends_with(':')),
        _ => false,
    }
}

/// A table cell's hyphen between two letters or digits (`124-QĐ/TW`, `2021-2025`) becomes a
/// non-breaking hyphen, so a narrow column never splits a code or a period; a spaced ` - `
/// still breaks.
fn join_hyphens(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let joined = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
            if c == '-' && joined(i.checked_sub(1)) && joined(Some(i + 1)) {
                '\u{2011}'
            } else {
                c
            }
        })
        .collect()
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
                    name: "[Họ và tên]".into(),
                },
                Block::PageBreak,
                Block::Table {
                    header: vec!["TT".into(), "Đơn vị".into(), "Tỷ lệ %".into()],
                    rows: vec![vec!["1".into(), "Huyện Bát Xát\u{1}".into(), "51,7".into()]],
                    align: vec![Align::Center, Align::Left, Align::Right],
                    widths: vec![1, 6, 2],
                },
            ],
            meta: Meta {
                title: "Báo cáo <&>".into(),
                author: "Ban Thường trực".into(),
                date: "2023-06-30".into(),
                language: "vi-VN".into(),
            },
        }
    }

    /// The bytes of the zip entry `name`, which must be deflate-compressed.
    fn entry(zip: &[u8], name: &str) -> Option<Vec<u8>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut file = archive.by_name(name).ok()?;
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{name} is stored");
        let mut out = Vec::new();
        file.read_to_end(&mut out).unwrap();
        Some(out)
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
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap()).unwrap();
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

        let core = String::from_utf8(entry(&bytes, "docProps/core.xml").unwrap()).unwrap();
        assert!(core.contains("2023-06-30T00:00:00Z"));
        assert!(core.contains("<dc:creator>Ban Thường trực</dc:creator>"));
        assert!(core.contains("<dc:title>Báo cáo &lt;&amp;&gt;</dc:title>"));
        // The text's language, widow/orphan control, heading styles.
        let styles = String::from_utf8(entry(&bytes, "word/styles.xml").unwrap()).unwrap();
        assert!(styles.contains(r#"<w:lang w:val="vi-VN""#), "{styles}");
        assert!(styles.contains("<w:widowControl />"));
        assert!(styles.contains(r#"w:styleId="Heading1""#));
        assert!(xml.contains(r#"<w:pStyle w:val="Heading1" />"#));
        // The table's header row repeats on every page; the signer's name has its place.
        assert!(xml.contains("<w:tblHeader />"));
        assert!(!xml.contains(HEADER_ROW_MARK));
        assert!(xml.contains("[Họ và tên]"));
    }

    #[test]
    fn table_cells_keep_codes_and_periods_whole() {
        assert_eq!(join_hyphens("Quy định 124-QĐ/TW"), "Quy định 124\u{2011}QĐ/TW");
        assert_eq!(join_hyphens("2021-2025"), "2021\u{2011}2025");
        assert_eq!(join_hyphens("kinh tế - xã hội"), "kinh tế - xã hội");
        assert_eq!(join_hyphens("-5 và 5-"), "-5 và 5-");
    }

    #[test]
    fn line_before_a_table_keeps_with_it() {
        let mut doc = sample();
        let table = Block::Table {
            header: vec!["TT".into()],
            rows: vec![vec!["1".into()]],
            align: vec![],
            widths: vec![],
        };
        doc.blocks = vec![Block::text("lone"), Block::text("2. Theo tổ chức"), table];
        let bytes = render(&doc).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap()).unwrap();
        let para = |text: &str| {
            let end = xml.find(&format!(">{text}</w:t>")).unwrap();
            let start = xml[..end].rfind("</w:p>").unwrap_or(0);
            xml[start..end].to_owned()
        };
        assert!(para("2. Theo tổ chức").contains("<w:keepNext />"));
        assert!(!para("lone").contains("<w:keepNext />"));
        let keeps = |blocks: Vec<Block>| {
            let doc = Document { blocks, ..sample() };
            let bytes = render(&doc).unwrap();
            let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap()).unwrap();
            xml.matches("<w:keepNext />").count()
        };
        let lead = || Block::text("Một số hoạt động tiêu biểu:");
        assert_eq!(
            keeps(vec![lead(), Block::Bullet(vec![Span::plain("a")])]),
            keeps(vec![lead(), Block::text("a")]) + 1,
            "a lead-in line keeps with its list"
        );
        // The header row keeps with the body.
        assert!(para("TT").contains("<w:keepNext />"));
    }

    #[test]
    fn page_break_goes_on_the_next_paragraph() {
        let mut doc = sample();
        doc.blocks = vec![Block::text("a"), Block::PageBreak, Block::PageBreak, Block::text("b")];
        let bytes = render(&doc).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap()).unwrap();
        assert_eq!(xml.matches("<w:pageBreakBefore").count(), 1);
        assert!(!xml.contains(r#"<w:br w:type="page" />"#));
    }

    #[test]
    fn empty_and_ragged_input_renders() {
        let doc = Document {
            header: DocumentHeader {
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
                    name: "[Họ và tên]".into(),
                },
                Block::PageBreak,
            ],
            meta: Meta::default(),
        };
        let bytes = render(&doc).unwrap();
        let xml = String::from_utf8(entry(&bytes, "word/document.xml").unwrap()).unwrap();
        assert_eq!(xml.matches("<w:tbl>").count(), 3);
        // No two tables touch (Word and LibreOffice would merge them).
        assert!(!xml.contains("</w:tbl><w:tbl>"));
        assert!(xml.contains(r#"<w:br w:type="page" />"#));
    }

    #[test]
    fn grid_scales_to_text_width() {
        let g = grid(&[1, 6, 2], 3, TEXT_WIDTH);
        assert_eq!(g.iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(g[0], TEXT_WIDTH / 9);
        assert_eq!(grid(&[], 2, TEXT_WIDTH).iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(grid(&[0, 0, 0, 5], 3, TEXT_WIDTH).len(), 3);
    }

    #[test]
    fn clean_drops_control_characters() {
        assert_eq!(clean("a\u{0}b\r\n\tc\u{7}  d"), "ab  c  d");
    }
}
