//! Workbooks as logs: an `.xlsx`, `.xlsm`, `.ods` or `.xls` file matched by
//! a `logs` glob is read with calamine and handed to the same row checker
//! as a CSV log.
//!
//! One sheet is read: the one the plan names (`sheet` in `[plan]`, see
//! plans/README.md), else the workbook's first worksheet. A workbook without
//! the named sheet gets a diagnostic that names the plan's line and the
//! sheets it has; in an xlsx, another worksheet whose first row names every
//! required log column gets a `workbook-unread-sheet` warning, so that rows
//! kept on a second sheet are not dropped in silence (only that row is
//! streamed; ods and xls sheets, which calamine builds whole, are not
//! looked at). The sheet is turned into CSV text ([`convert`]); every
//! line's sheet row is kept, so that each diagnostic is placed afterwards
//! at the sheet's row (`line`), column number (`column`) and cell reference
//! (`Sheet1!C7`, at the start of the message) by [`Book::place`]. An xlsx
//! sheet is streamed cell by cell (only the shared strings and the text
//! written are held); ods and xls sheets are built whole inside calamine.
//!
//! A zip-packed workbook (xlsx, ods) whose entries unpack to more than
//! [`MAX_UNPACKED`] bytes, or a file larger than [`MAX_FILE`], is refused
//! before it is unpacked; a sheet whose used cells span more than
//! [`MAX_CELLS`] is refused (two stray cells far apart would otherwise make
//! millions of empty lines). A password-protected workbook, and a workbook
//! saved under a `.csv` name, get a diagnostic that says what to do.

mod convert;
mod open;

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Ods, OdsError, Range, Reader, SheetType, Xls, XlsError, Xlsx, XlsxError};

use self::convert::{Convert, TooLarge, data_ref};
pub use self::open::{Opened, open, unmatched};
use crate::columns::REQUIRED;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::Plan;

/// Largest workbook file read, in bytes.
pub const MAX_FILE: u64 = 64 << 20;
/// Largest total unpacked size of a zip-packed workbook's entries, in bytes:
/// a "zip bomb" is refused, not unpacked.
pub const MAX_UNPACKED: u64 = 512 << 20;
/// Largest sheet read, in cells of the rectangle from its first to its last
/// used cell.
pub const MAX_CELLS: usize = 20_000_000;

/// File name endings read as workbooks.
pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "ods", "xls"];

/// Whether `name` ends in a workbook extension (any case).
pub fn is_workbook_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// What the first bytes of a file say it is, when it is a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// A zip archive: xlsx or ods.
    Zip,
    /// An OLE compound file: xls, or an encrypted xlsx.
    Ole,
}

/// The packing of a workbook from its first bytes, `None` for anything else.
pub fn sniff(head: &[u8]) -> Option<Packing> {
    if head.starts_with(b"PK\x03\x04") {
        Some(Packing::Zip)
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Packing::Ole)
    } else {
        None
    }
}

/// The sheet a plan names (`sheet = "…"` in `[plan]`), and where it says so.
#[derive(Debug, Clone, Copy)]
pub struct SheetChoice<'a> {
    pub name: &'a str,
    /// The plan file, and the 1-based line and column of the name in it.
    pub plan: &'a str,
    pub line: usize,
    pub column: usize,
}

impl<'a> SheetChoice<'a> {
    /// The sheet `plan` names, if it names one.
    pub fn of(plan: &'a Plan) -> Option<Self> {
        plan.sheet.as_ref().map(|(name, line, column)| SheetChoice {
            name,
            plan: &plan.path,
            line: *line,
            column: *column,
        })
    }
}

/// A sheet read as CSV text, with where each line came from.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The CSV text (the header and the rows of the sheet).
    pub csv: Vec<u8>,
    /// The sheet's name.
    sheet: String,
    /// The sheet column (0-based) of the CSV's first cell.
    c0: u32,
    /// For CSV line *n* (index *n* − 1): its 1-based sheet row.
    lines: Vec<u32>,
    /// Diagnostics of the conversion itself (cells outside the table).
    pub diags: Vec<Diagnostic>,
}

/// The ways a workbook cannot be read, worded for `name`.
struct Refusal<'a> {
    name: &'a str,
    lang: Lang,
}

impl Refusal<'_> {
    fn err(&self, code: &'static str, vi: &str, en: &str) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(self.name, code, self.lang.pick(vi, en).to_owned()))
    }

    fn broken(&self, e: &dyn std::fmt::Display) -> Box<Diagnostic> {
        self.err(
            "workbook",
            &format!("không đọc được sổ tính ({e}): mở lại trong Excel hoặc LibreOffice và lưu thành .xlsx"),
            &format!("cannot read the workbook ({e}): open it in Excel or LibreOffice and save it as .xlsx again"),
        )
    }

    fn password(&self) -> Box<Diagnostic> {
        self.err(
            "workbook-password",
            "sổ tính được đặt mật khẩu nên không đọc được: mở nó trong Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống) rồi lưu lại",
            "the workbook is password-protected and cannot be read: open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it) and save it again",
        )
    }

    fn too_large(&self, sheet: &str, TooLarge(place): TooLarge) -> Box<Diagnostic> {
        self.err(
            "workbook-too-large",
            &format!(
                "trang `{sheet}` trải quá {MAX_CELLS} ô (đến {place}): xóa các ô thừa ở xa bảng, hoặc chia sổ tính"
            ),
            &format!(
                "sheet `{sheet}` spans more than {MAX_CELLS} cells (up to {place}): delete the stray cells far from the table, or split the workbook"
            ),
        )
    }

    /// Another worksheet with a log header, whose rows are not read.
    fn unread_sheet(&self, other: &str, read: &str, named: bool) -> Diagnostic {
        let (why_vi, why_en, set_vi, set_en) = if named {
            (
                "trang mà `sheet` trong kế hoạch chỉ định",
                "the sheet the plan names with `sheet`",
                "đổi",
                "change",
            )
        } else {
            ("trang đầu tiên", "the first sheet", "đặt", "set")
        };
        Diagnostic::warning(
            self.name,
            "workbook-unread-sheet",
            self.lang.pick(
                &format!(
                    "trang `{other}` cũng có tiêu đề cột của nhật ký nhưng các dòng của nó không được tính: chỉ đọc trang `{read}` ({why_vi}); chuyển các dòng sang trang `{read}`, lưu trang `{other}` thành một tệp riêng, hoặc {set_vi} `sheet` trong kế hoạch"
                ),
                &format!(
                    "sheet `{other}` also has a log header, but its rows are not counted: only sheet `{read}` is read ({why_en}); move the rows to `{read}`, save `{other}` as a file of its own, or {set_en} `sheet` in the plan"
                ),
            ),
        )
    }

    /// The sheet to read among `sheets` (worksheets first flagged `true`).
    fn pick(&self, sheets: &[(String, bool)], choice: Option<SheetChoice<'_>>) -> Result<String, Box<Diagnostic>> {
        let Some(c) = choice else {
            return sheets
                .iter()
                .find(|(_, work)| *work)
                .or(sheets.first())
                .map(|(s, _)| s.clone())
                .ok_or_else(|| self.broken(&self.lang.pick("không có trang nào", "it has no sheet")));
        };
        if let Some((s, _)) = sheets.iter().find(|(s, _)| crate::text::nfc(s) == c.name) {
            return Ok(s.clone());
        }
        let list = sheets
            .iter()
            .map(|(s, _)| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (plan, line, col, want) = (c.plan, c.line, c.column, c.name);
        Err(self.err(
            "workbook-sheet",
            &format!(
                "sổ tính không có trang `{want}` mà {plan}:{line}:{col} chỉ định (`sheet`); các trang của nó: {list}: đổi tên trang cho đúng, hoặc sửa `sheet` trong kế hoạch"
            ),
            &format!(
                "the workbook has no sheet `{want}`, which {plan}:{line}:{col} names (`sheet`); its sheets: {list}: rename the sheet, or correct `sheet` in the plan"
            ),
        ))
    }
}

/// Reads a workbook's bytes: the sheet `sheet` names, else the first. `name`
/// is the shown file name.
pub fn read_bytes(
    name: &str,
    bytes: Vec<u8>,
    sheet: Option<SheetChoice<'_>>,
    lang: Lang,
) -> Result<Book, Box<Diagnostic>> {
    let no = Refusal { name, lang };
    if bytes.len() as u64 > MAX_FILE {
        let mb = MAX_FILE >> 20;
        return Err(no.err(
            "workbook-too-large",
            &format!("sổ tính lớn hơn {mb} MB: hãy chia thành nhiều tệp (mỗi năm hoặc mỗi đơn vị một tệp) hoặc lưu thành CSV UTF-8"),
            &format!("the workbook is larger than {mb} MB: split it (one file per year or per unit) or save it as CSV UTF-8"),
        ));
    }
    match sniff(&bytes) {
        Some(Packing::Zip) => {
            // The sizes the central directory declares (a data descriptor
            // repeats them after each entry; calamine's reader stops at them).
            let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| no.broken(&e))?;
            let mut unpacked = 0u128;
            let mut archive = archive;
            for i in 0..archive.len() {
                let size = archive.by_index_raw(i).map_err(|e| no.broken(&e))?.size();
                unpacked = unpacked.saturating_add(u128::from(size));
            }
            if unpacked > u128::from(MAX_UNPACKED) {
                let mb = MAX_UNPACKED >> 20;
                return Err(no.err(
                    "workbook-too-large",
                    &format!("sổ tính giải nén ra hơn {mb} MB (có thể là \"bom zip\"): không đọc; hãy lưu lại từ Excel hoặc chia nhỏ"),
                    &format!("the workbook unpacks to more than {mb} MB (possibly a zip bomb): not read; save it again from Excel or split it"),
                ));
            }
            let is_ods = archive.file_names().any(|n| n == "content.xml")
                && !archive.file_names().any(|n| n == "xl/workbook.xml");
            drop(archive);
            if is_ods {
                let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                    OdsError::Password => no.password(),
                    e => no.broken(&e),
                })?;
                whole_sheet(&mut wb, &no, sheet)
            } else {
                let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
                    XlsxError::Password => no.password(),
                    e => no.broken(&e),
                })?;
                xlsx_sheet(&mut wb, &no, sheet)
            }
        }
        Some(Packing::Ole) => {
            // An encrypted xlsx is an OLE file holding `EncryptedPackage`.
            if matches!(Xlsx::new(Cursor::new(bytes.as_slice())), Err(XlsxError::Password)) {
                return Err(no.password());
            }
            let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                XlsError::Password => no.password(),
                e => no.broken(&e),
            })?;
            whole_sheet(&mut wb, &no, sheet)
        }
        None => Err(no.broken(&lang.pick("không phải tệp xlsx, ods hay xls", "not an xlsx, ods or xls file"))),
    }
}

fn sheet_list<R: Reader<Cursor<Vec<u8>>>>(wb: &R) -> Vec<(String, bool)> {
    wb.sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ == SheetType::WorkSheet))
        .collect()
}

/// The chosen sheet of an xlsx, streamed cell by cell into CSV text.
fn xlsx_sheet(
    wb: &mut Xlsx<Cursor<Vec<u8>>>,
    no: &Refusal<'_>,
    choice: Option<SheetChoice<'_>>,
) -> Result<Book, Box<Diagnostic>> {
    let sheets = sheet_list(wb);
    let sheet = no.pick(&sheets, choice)?;
    let mut reader = wb.worksheet_cells_reader(&sheet).map_err(|e| no.broken(&e))?;
    let mut out = Convert::new(no.name, &sheet, no.lang);
    while let Some(cell) = reader.next_cell().map_err(|e| no.broken(&e))? {
        let (r, c) = cell.get_position();
        out.cell(r, c, cell.get_value().clone())
            .map_err(|t| no.too_large(&sheet, t))?;
    }
    drop(reader);
    let mut book = out.finish();
    for (other, work) in &sheets {
        if *work && *other != sheet && names_log_columns(&xlsx_first_row(wb, other)) {
            book.diags.push(no.unread_sheet(other, &sheet, choice.is_some()));
        }
    }
    Ok(book)
}

/// The text cells of an xlsx sheet's first row (streamed: nothing past the
/// row is read).
fn xlsx_first_row(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<String> {
    let Ok(mut reader) = wb.worksheet_cells_reader(sheet) else {
        return Vec::new();
    };
    let mut row = None;
    let mut cells = Vec::new();
    while let Ok(Some(cell)) = reader.next_cell() {
        let (r, _) = cell.get_position();
        if row.is_some_and(|first| first != r) {
            break;
        }
        row = Some(r);
        match cell.get_value() {
            DataRef::String(s) => cells.push(s.clone()),
            DataRef::SharedString(s) => cells.push((*s).to_owned()),
            _ => {}
        }
    }
    cells
}

/// Whether a row names every required log column (by code or title): the
/// header of a log. (The code lists of an entry workbook name a few
/// columns, not all.)
fn names_log_columns(row: &[String]) -> bool {
    let named: Vec<usize> = row
        .iter()
        .filter_map(|c| super::titles::column_index(c.trim()))
        .collect();
    (0..REQUIRED.len()).all(|c| named.contains(&c))
}

/// The chosen sheet of an ods or xls, which calamine builds whole.
fn whole_sheet<R>(wb: &mut R, no: &Refusal<'_>, choice: Option<SheetChoice<'_>>) -> Result<Book, Box<Diagnostic>>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let sheet = no.pick(&sheet_list(wb), choice)?;
    let range: Range<Data> = wb.worksheet_range(&sheet).map_err(|e| no.broken(&e))?;
    let mut out = Convert::new(no.name, &sheet, no.lang);
    if let Some((r0, c0)) = range.start() {
        for (i, row) in range.rows().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + i as u32, c0 + j as u32);
                out.cell(r, c, data_ref(cell)).map_err(|t| no.too_large(&sheet, t))?;
            }
        }
    }
    Ok(out.finish())
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + r));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `Sheet1!C7` (`'My sheet'!C7` when the name needs quotes); `Sheet1!7:7`
/// for a whole row. `row` is 1-based, `col` 0-based.
pub fn cell_ref(sheet: &str, row: u32, col: Option<u32>) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    let sheet = if plain {
        sheet.to_owned()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    match col {
        Some(c) => format!("{sheet}!{}{row}", column_letters(c)),
        None => format!("{sheet}!{row}:{row}"),
    }
}

impl Book {
    /// Moves a diagnostic of the CSV text to the workbook: `line` becomes
    /// the sheet row, `column` the column number, and the message starts
    /// with the cell reference. The CSV line is not shown.
    pub fn place(&self, d: &mut Diagnostic, csv: &[u8], line_starts: &[usize]) {
        if d.line == 0 {
            return;
        }
        let Some(&row) = self.lines.get(d.line - 1) else {
            return;
        };
        let col = (d.column > 0).then(|| {
            let text = line_text(csv, line_starts, d.line);
            let idx = u32::try_from(cell_at(text, d.column)).unwrap_or(u32::MAX);
            self.c0.saturating_add(idx)
        });
        d.message = format!("{}: {}", cell_ref(&self.sheet, row, col), d.message);
        d.line = row as usize;
        d.column = col.map_or(0, |c| c as usize + 1);
        d.source_line = None;
        d.source_from = 0;
        d.width = 1;
    }
}

/// Where each line of a CSV text starts, for [`Book::place`].
fn line_starts(csv: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', csv).map(|i| i + 1))
        .collect()
}

fn line_text<'a>(csv: &'a [u8], starts: &[usize], line: usize) -> &'a [u8] {
    let from = starts.get(line - 1).copied().unwrap_or(csv.len());
    let to = starts.get(line).map_or(csv.len(), |e| e.saturating_sub(1));
    csv.get(from..to.max(from)).unwrap_or_default()
}

/// The 0-based cell of a CSV line that holds the 1-based character `column`.
fn cell_at(line: &[u8], column: usize) -> usize {
    let text = String::from_utf8_lossy(line);
    let mut cell = 0;
    let mut quoted = false;
    for (i, ch) in text.chars().enumerate() {
        if i + 1 >= column {
            break;
        }
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => cell += 1,
            _ => {}
        }
    }
    cell
}

/// A log's bytes as CSV text: a workbook's converted (its diagnostics
/// are then on the CSV's lines), anything else as it is. For `plan diff`,
/// which compares rows.
pub fn as_csv(name: &str, bytes: Vec<u8>, sheet: Option<SheetChoice<'_>>, lang: Lang) -> Vec<u8> {
    if is_workbook_name(name) {
        read_bytes(name, bytes, sheet, lang).map(|b| b.csv).unwrap_or_default()
    } else {
        bytes
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref("Sheet1", 7, Some(2)), "Sheet1!C7");
        assert_eq!(cell_ref("Nhật ký", 7, Some(2)), "'Nhật ký'!C7");
        assert_eq!(cell_ref("Sheet1", 7, None), "Sheet1!7:7");
    }

    #[test]
    fn cells_are_found_by_character_column() {
        let line = "2023-01-01,\"a, b\",Đà Nẵng,x".as_bytes();
        assert_eq!(cell_at(line, 1), 0);
        assert_eq!(cell_at(line, 12), 1);
        assert_eq!(cell_at(line, 19), 2);
        assert_eq!(cell_at(line, 27), 3);
    }

    #[test]
    fn workbooks_are_sniffed_by_their_first_bytes() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(Packing::Zip));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            Some(Packing::Ole)
        );
        assert_eq!(sniff(b"date,org"), None);
        assert!(is_workbook_name("logs/a.XLSX"));
        assert!(!is_workbook_name("logs/a.csv"));
    }
}
