//! Workbooks as logs: an `.xlsx`, `.xlsm`, `.ods` or `.xls` file matched by
//! a `logs` glob is read with calamine and handed to the same row checker
//! as a CSV log.
//!
//! Each sheet whose first non-empty row names the required log columns (by
//! code or by Vietnamese title, see [`super::titles`]) is read; when no
//! sheet does, the first sheet is read, so that its header gets the usual
//! diagnostics. The sheets are turned into CSV text: a date cell becomes its
//! ISO date, a number cell its number, a text cell stays text exactly (so a
//! text `14/02/2023` is a `bad-date`, as in a CSV). The CSV's line *n* is
//! row *n* of the first sheet (empty rows are empty lines, which the reader
//! skips); every line's sheet and row are kept, so that each diagnostic is
//! placed afterwards at the sheet's row (`line`), column number (`column`)
//! and cell reference (`Sheet1!C7`, at the start of the message) by
//! [`Book::place`]. A row holding nothing but an org and a unit is a blank
//! row of an entry workbook (`plan template --org/--unit` pre-fills them)
//! and is skipped like an empty one.
//!
//! A zip-packed workbook (xlsx, ods) whose entries unpack to more than
//! [`MAX_UNPACKED`] bytes, or a file larger than [`MAX_FILE`], is refused
//! before it is unpacked; an xlsx sheet whose used cells span more than
//! [`MAX_CELLS`] is refused before calamine allocates that rectangle (two
//! stray cells far apart would otherwise ask for terabytes). The ods and xls
//! readers build their sheets inside calamine, where that check cannot
//! reach: they are bounded by the file and unpacked sizes only. A password-protected workbook, and a workbook
//! saved under a `.csv` name, get a diagnostic that says what to do.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Ods, OdsError, Range, Reader, Xls, XlsError, Xlsx, XlsxError};

use super::titles::column_index;
use super::{LogFile, Source};
use crate::columns::REQUIRED;
use crate::diag::Diagnostic;
use crate::lang::Lang;

/// Largest workbook file read, in bytes.
pub const MAX_FILE: u64 = 64 << 20;
/// Largest total unpacked size of a zip-packed workbook's entries, in bytes:
/// a "zip bomb" is refused, not unpacked.
pub const MAX_UNPACKED: u64 = 512 << 20;

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

/// A workbook read as CSV text, with where each line came from.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The CSV text (header and rows of the sheets read).
    pub csv: Vec<u8>,
    /// Sheet names, indexed by `lines`.
    sheets: Vec<String>,
    /// For each sheet: the workbook column (0-based) of each CSV cell.
    columns: Vec<Vec<u32>>,
    /// For CSV line *n* (index *n* − 1): the sheet and its 1-based row.
    lines: Vec<(u16, u32)>,
    /// Diagnostics of the conversion itself (columns of a later sheet that
    /// the first sheet read does not have).
    pub diags: Vec<Diagnostic>,
}

/// Reads a workbook's bytes. `name` is the shown file name.
pub fn read_bytes(name: &str, bytes: Vec<u8>, lang: Lang) -> Result<Book, Box<Diagnostic>> {
    let t = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    let err = |code: &'static str, msg: String| Err(Box::new(Diagnostic::error(name, code, msg)));
    if bytes.len() as u64 > MAX_FILE {
        return err(
            "workbook-too-large",
            t(
                &format!(
                    "sổ tính lớn hơn {} MB: hãy chia thành nhiều tệp (mỗi năm hoặc mỗi đơn vị một tệp) hoặc lưu thành CSV UTF-8",
                    MAX_FILE >> 20
                ),
                &format!(
                    "the workbook is larger than {} MB: split it (one file per year or per unit) or save it as CSV UTF-8",
                    MAX_FILE >> 20
                ),
            ),
        );
    }
    let password = || {
        Box::new(Diagnostic::error(
            name,
            "workbook-password",
            t(
                "sổ tính được đặt mật khẩu nên không đọc được: mở nó trong Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống) rồi lưu lại",
                "the workbook is password-protected and cannot be read: open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it) and save it again",
            ),
        ))
    };
    let broken = |e: &dyn std::fmt::Display| {
        Box::new(Diagnostic::error(
            name,
            "workbook",
            t(
                &format!("không đọc được sổ tính ({e}): mở lại trong Excel hoặc LibreOffice và lưu thành .xlsx"),
                &format!("cannot read the workbook ({e}): open it in Excel or LibreOffice and save it as .xlsx again"),
            ),
        ))
    };
    let sheets: Vec<(String, Range<Data>)> = match sniff(&bytes) {
        Some(Packing::Zip) => {
            // The sizes the central directory declares (a data descriptor
            // repeats them after each entry; calamine's reader stops at them).
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| broken(&e))?;
            let mut unpacked = 0u128;
            for i in 0..archive.len() {
                let size = archive.by_index_raw(i).map_err(|e| broken(&e))?.size();
                unpacked = unpacked.saturating_add(u128::from(size));
            }
            if unpacked > u128::from(MAX_UNPACKED) {
                return err(
                    "workbook-too-large",
                    t(
                        &format!(
                            "sổ tính giải nén ra hơn {} MB (có thể là \"bom zip\"): không đọc; hãy lưu lại từ Excel hoặc chia nhỏ",
                            MAX_UNPACKED >> 20
                        ),
                        &format!(
                            "the workbook unpacks to more than {} MB (possibly a zip bomb): not read; save it again from Excel or split it",
                            MAX_UNPACKED >> 20
                        ),
                    ),
                );
            }
            let is_ods = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).is_ok_and(|z| {
                z.file_names().any(|n| n == "content.xml") && !z.file_names().any(|n| n == "xl/workbook.xml")
            });
            if is_ods {
                let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                    OdsError::Password => password(),
                    e => broken(&e),
                })?;
                all_sheets(&mut wb).map_err(|e| broken(&e))?
            } else {
                let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
                    XlsxError::Password => password(),
                    e => broken(&e),
                })?;
                xlsx_sheets(&mut wb, name, lang)?
            }
        }
        Some(Packing::Ole) => {
            // An encrypted xlsx is an OLE file holding `EncryptedPackage`.
            if matches!(Xlsx::new(Cursor::new(bytes.as_slice())), Err(XlsxError::Password)) {
                return Err(password());
            }
            let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                XlsError::Password => password(),
                e => broken(&e),
            })?;
            all_sheets(&mut wb).map_err(|e| broken(&e))?
        }
        None => {
            return Err(broken(
                &lang.pick("không phải tệp xlsx, ods hay xls", "not an xlsx, ods or xls file"),
            ));
        }
    };
    Ok(convert(name, &sheets, lang))
}

/// Largest sheet read, in cells of the rectangle from its first to its last
/// used cell (calamine holds that rectangle in memory: two cells far apart
/// must not make it allocate terabytes).
pub const MAX_CELLS: usize = 20_000_000;

/// The sheets of an xlsx, each read cell by cell first, so that a sheet
/// whose used cells span more than [`MAX_CELLS`] is refused before its
/// rectangle is allocated.
fn xlsx_sheets(
    wb: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    lang: Lang,
) -> Result<Vec<(String, Range<Data>)>, Box<Diagnostic>> {
    let broken = |e: &dyn std::fmt::Display| {
        Box::new(Diagnostic::error(
            name,
            "workbook",
            lang.pick(
                &format!("không đọc được sổ tính ({e}): mở lại trong Excel hoặc LibreOffice và lưu thành .xlsx"),
                &format!("cannot read the workbook ({e}): open it in Excel or LibreOffice and save it as .xlsx again"),
            ),
        ))
    };
    let mut out = Vec::new();
    for sheet in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&sheet).map_err(|e| broken(&e))?;
        let mut cells = Vec::new();
        let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
        while let Some(cell) = reader.next_cell().map_err(|e| broken(&e))? {
            let (r, c) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if matches!(value, Data::Empty) {
                continue;
            }
            (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
            let span = (r1 - r0 + 1) as usize * (c1 - c0 + 1) as usize;
            if span > MAX_CELLS {
                let place = cell_ref(&sheet, r + 1, Some(c));
                return Err(Box::new(Diagnostic::error(
                    name,
                    "workbook-too-large",
                    lang.pick(
                        &format!(
                            "trang `{sheet}` trải quá {MAX_CELLS} ô (đến {place}): xóa các ô thừa ở xa bảng, hoặc chia sổ tính"
                        ),
                        &format!(
                            "sheet `{sheet}` spans more than {MAX_CELLS} cells (up to {place}): delete the stray cells far from the table, or split the workbook"
                        ),
                    ),
                )));
            }
            cells.push(calamine::Cell::new((r, c), value));
        }
        drop(reader);
        out.push((sheet, Range::from_sparse(cells)));
    }
    Ok(out)
}

fn all_sheets<R: Reader<Cursor<Vec<u8>>>>(wb: &mut R) -> Result<Vec<(String, Range<Data>)>, R::Error> {
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name)?;
        out.push((name, range));
    }
    Ok(out)
}

/// The canonical columns a sheet's first non-empty row names, by CSV cell,
/// and that row (0-based index into the range).
fn header_of(range: &Range<Data>) -> Option<(usize, Vec<Option<usize>>)> {
    let (i, row) = range
        .rows()
        .enumerate()
        .find(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)))?;
    let map = row.iter().map(|c| column_index(cell_text(c).trim())).collect();
    Some((i, map))
}

fn has_required(map: &[Option<usize>]) -> bool {
    (0..REQUIRED.len()).all(|c| map.contains(&Some(c)))
}

/// Turns the sheets into one CSV text (see the module doc).
fn convert(name: &str, sheets: &[(String, Range<Data>)], lang: Lang) -> Book {
    let mut book = Book::default();
    let picked: Vec<usize> = {
        let logs: Vec<usize> = sheets
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| header_of(r).is_some_and(|(_, m)| has_required(&m)))
            .map(|(i, _)| i)
            .collect();
        if logs.is_empty() { vec![0] } else { logs }
    };
    // The first sheet's header layout: canonical column of each CSV cell.
    let mut layout: Vec<Option<usize>> = Vec::new();
    let mut cell = String::new();
    for (k, &s) in picked.iter().enumerate() {
        let Some((sheet, range)) = sheets.get(s) else { continue };
        let sheet_no = u16::try_from(book.sheets.len()).unwrap_or(u16::MAX);
        book.sheets.push(sheet.clone());
        let Some((r0, c0)) = range.start() else {
            book.columns.push(Vec::new());
            continue;
        };
        let header = header_of(range);
        // Which range column feeds each CSV cell.
        let feed: Vec<Option<usize>> = match (k, &header) {
            (0, Some((_, map))) => {
                layout = map.clone();
                (0..map.len()).map(Some).collect()
            }
            (_, Some((hrow, map))) => {
                for (j, c) in map.iter().enumerate() {
                    if c.is_none_or(|c| !layout.contains(&Some(c))) {
                        let text = range
                            .get((*hrow, j))
                            .map(cell_text)
                            .unwrap_or_default()
                            .trim()
                            .to_owned();
                        if text.is_empty() {
                            continue;
                        }
                        let first = book.sheets.first().map_or("", String::as_str);
                        let place = cell_ref(sheet, r0 + *hrow as u32 + 1, Some(c0 + j as u32));
                        book.diags.push(
                            Diagnostic::error(
                                name,
                                "csv-header",
                                lang.pick(
                                    &format!(
                                        "{place}: cột `{text}` không có trong dòng tiêu đề của trang `{first}`: thêm cột đó vào trang `{first}` hoặc xóa nó ở đây"
                                    ),
                                    &format!(
                                        "{place}: column `{text}` is not in the header of sheet `{first}`: add it there or remove it here"
                                    ),
                                ),
                            )
                            .at(r0 as usize + hrow + 1, c0 as usize + j + 1, None),
                        );
                    }
                }
                layout
                    .iter()
                    .map(|want| want.and_then(|w| map.iter().position(|c| *c == Some(w))))
                    .collect()
            }
            (_, None) => Vec::new(),
        };
        book.columns
            .push(feed.iter().map(|f| c0 + f.unwrap_or(0) as u32).collect());
        if k == 0 {
            // Line n of the CSV is row n of the first sheet.
            for row in 1..=r0 {
                book.csv.push(b'\n');
                book.lines.push((sheet_no, row));
            }
        }
        let skip = if k == 0 {
            0
        } else {
            header.as_ref().map_or(0, |(h, _)| h + 1)
        };
        for (i, row) in range.rows().enumerate().skip(skip) {
            let sheet_row = r0 + i as u32 + 1;
            // An empty row, or one holding nothing but its org and unit (a
            // blank row of an entry workbook made with `plan template
            // --org/--unit`), is an empty line.
            let blank = feed
                .iter()
                .zip(&layout)
                .all(|(f, c)| matches!(c, Some(1 | 2)) || f.and_then(|f| row.get(f)).is_none_or(cell_text_is_empty));
            if blank || row.iter().all(cell_text_is_empty) {
                book.csv.push(b'\n');
                book.lines.push((sheet_no, sheet_row));
                continue;
            }
            for (j, f) in feed.iter().enumerate() {
                if j > 0 {
                    book.csv.push(b',');
                }
                cell.clear();
                if let Some(c) = f.and_then(|f| row.get(f)) {
                    write_cell(c, &mut cell);
                }
                push_csv(&mut book.csv, &cell);
            }
            book.csv.push(b'\n');
            // A cell's line breaks make more CSV lines for the same row.
            let breaks = 1 + feed
                .iter()
                .filter_map(|f| f.and_then(|f| row.get(f)))
                .map(|c| match c {
                    Data::String(s) => s.bytes().filter(|b| *b == b'\n').count(),
                    _ => 0,
                })
                .sum::<usize>();
            for _ in 0..breaks {
                book.lines.push((sheet_no, sheet_row));
            }
        }
    }
    book
}

fn cell_text_is_empty(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell's text as a log cell (see the module doc).
fn write_cell(c: &Data, out: &mut String) {
    use std::fmt::Write;
    let _ = match c {
        Data::Empty => Ok(()),
        Data::String(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Int(i) => write!(out, "{i}"),
        Data::Float(f) => write_number(*f, out),
        Data::Bool(b) => write!(out, "{}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            write!(out, "{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => write_number(d.as_f64(), out),
        Data::DateTimeIso(s) => {
            // ODS: `2023-02-14` or `2023-02-14T00:00:00`.
            let day = s
                .get(..10)
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
            out.push_str(day.unwrap_or(s));
            Ok(())
        }
        Data::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Error(e) => write!(out, "{e}"),
    };
}

fn write_number(f: f64, out: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    // Whole numbers as integers (Excel stores every number as a float).
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        write!(out, "{}", f as i64)
    } else {
        write!(out, "{f}")
    }
}

fn cell_text(c: &Data) -> String {
    let mut s = String::new();
    write_cell(c, &mut s);
    s
}

fn push_csv(out: &mut Vec<u8>, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(cell.as_bytes());
    }
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
        let Some(&(sheet, row)) = self.lines.get(d.line - 1) else {
            return;
        };
        let sheet_name = self.sheets.get(usize::from(sheet)).map_or("", String::as_str);
        let col = (d.column > 0)
            .then(|| {
                let text = line_text(csv, line_starts, d.line);
                let idx = cell_at(text, d.column);
                self.columns.get(usize::from(sheet)).and_then(|c| c.get(idx)).copied()
            })
            .flatten();
        d.message = format!("{}: {}", cell_ref(sheet_name, row, col), d.message);
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

/// Logs to scan: the CSV files as they are, the workbooks read into CSV
/// text; the files that cannot be read as logs are left out with a
/// diagnostic each.
#[derive(Debug, Default)]
pub struct Opened {
    pub paths: Vec<PathBuf>,
    pub names: Vec<String>,
    pub files: Vec<LogFile>,
    pub diags: Vec<Diagnostic>,
    /// The workbooks read, with their index in `files` (whose source holds
    /// the CSV text).
    books: BTreeMap<String, (usize, Book)>,
}

/// What opening one log gave: its source (and the workbook it was read
/// from), or the diagnostic that keeps it out.
type OpenedOne = Result<(Source, Option<Book>), Box<Diagnostic>>;

/// Opens one log: a workbook is read and converted, a workbook saved under
/// another name (`.csv`) is refused, a CSV is left to the reader.
fn open_one(path: &Path, name: &str, lang: Lang) -> OpenedOne {
    if !is_workbook_name(name) {
        return match sniff(&head(path)) {
            Some(p) => Err(Box::new(misnamed(name, p, lang))),
            None => Ok((Source::Path(path.to_path_buf()), None)),
        };
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let e = lang.io_error(&e);
        Box::new(Diagnostic::error(
            name,
            "io",
            lang.pick(
                &format!("không đọc được tệp: {e}"),
                &format!("cannot read the file: {e}"),
            ),
        ))
    })?;
    let mut book = read_bytes(name, bytes, lang)?;
    let source = Source::Bytes(std::mem::take(&mut book.csv));
    Ok((source, Some(book)))
}

/// Opens the logs `paths` (shown as `names`), workbooks on up to
/// `threads` threads; the result does not depend on the threads.
pub fn open(paths: &[PathBuf], names: &[String], lang: Lang, threads: usize) -> Opened {
    let jobs: Vec<(usize, &PathBuf, &String)> = paths
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (p, n))| (i, p, n))
        .collect();
    let books = jobs.iter().filter(|(_, _, n)| is_workbook_name(n)).count();
    let threads = threads.clamp(1, books.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, OpenedOne)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&(i, p, n)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        // A reader that panics on a malformed workbook
                        // gives a diagnostic, not a crash or a lost file.
                        let one = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_one(p, n, lang)))
                            .unwrap_or_else(|_| {
                                Err(Box::new(Diagnostic::error(
                                    n,
                                    "workbook",
                                    lang.pick(
                                        "không đọc được sổ tính (tệp hỏng): mở lại trong Excel hoặc LibreOffice và lưu thành .xlsx",
                                        "cannot read the workbook (it is damaged): open it in Excel or LibreOffice and save it as .xlsx again",
                                    ),
                                )))
                            });
                        done.push((i, one));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).flatten().collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let mut out = Opened::default();
    for (i, result) in results {
        let (Some(path), Some(name)) = (paths.get(i), names.get(i)) else {
            continue;
        };
        match result {
            Ok((source, book)) => {
                if let Some(mut book) = book {
                    out.diags.append(&mut book.diags);
                    out.books.insert(name.clone(), (out.files.len(), book));
                }
                out.paths.push(path.clone());
                out.names.push(name.clone());
                out.files.push(LogFile {
                    name: name.clone(),
                    source,
                });
            }
            Err(d) => out.diags.push(*d),
        }
    }
    out
}

impl Opened {
    /// Places the scan's diagnostics of workbooks at their sheet cells.
    pub fn place(&self, diags: &mut [Diagnostic]) {
        if self.books.is_empty() {
            return;
        }
        let mut starts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for d in diags.iter_mut() {
            let Some((name, (i, book))) = self.books.get_key_value(&d.file) else {
                continue;
            };
            let Some(Source::Bytes(csv)) = self.files.get(*i).map(|f| &f.source) else {
                continue;
            };
            let s = starts.entry(name.as_str()).or_insert_with(|| line_starts(csv));
            book.place(d, csv, s);
        }
    }
}

/// The first bytes of a file (empty when it cannot be read: the CSV reader
/// then says why).
fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::with_capacity(8);
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(8).read_to_end(&mut buf);
    }
    buf
}

/// A workbook saved under a CSV name.
fn misnamed(name: &str, p: Packing, lang: Lang) -> Diagnostic {
    let what = match p {
        Packing::Zip => "xlsx/ods",
        Packing::Ole => "xls",
    };
    Diagnostic::error(
        name,
        "workbook-as-csv",
        lang.pick(
            &format!(
                "tệp này là sổ tính Excel ({what}) mang đuôi .csv, không phải văn bản CSV: đổi tên cho đúng đuôi (ví dụ .xlsx) để `plan` đọc nó như sổ tính, hoặc mở trong Excel và Lưu thành → \"CSV UTF-8 (Comma delimited)\""
            ),
            &format!(
                "this file is an Excel workbook ({what}) named .csv, not CSV text: rename it with its real extension (e.g. .xlsx) so that `plan` reads it as a workbook, or open it in Excel and Save As → \"CSV UTF-8 (Comma delimited)\""
            ),
        ),
    )
    .at(1, 0, None)
}

/// The workbooks below the folders the `logs` globs look in that no glob
/// matched: each gets a warning (their rows would not count in silence).
pub fn unmatched(root: &Path, globs: &[String], matched: &[PathBuf], lang: Lang) -> Vec<Diagnostic> {
    let mut dirs: Vec<PathBuf> = globs
        .iter()
        .map(|g| {
            crate::workspace::normal_glob(g)
                .split('/')
                .take_while(|s| !s.contains(['*', '?', '[', '{']))
                .collect::<PathBuf>()
        })
        .filter(|p| !p.as_os_str().is_empty() && !p.components().any(|c| matches!(c, std::path::Component::ParentDir)))
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut found = Vec::new();
    for dir in &dirs {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = e.path();
            let Some(n) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if e.file_type().is_file() && is_workbook_name(n) && !n.starts_with("~$") && !matched.iter().any(|m| m == p)
            {
                found.push(p.to_path_buf());
            }
        }
    }
    found.sort();
    found.dedup();
    found
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("xlsx").to_ascii_lowercase();
            Diagnostic::warning(
                &rel,
                "unread-workbook",
                lang.pick(
                    &format!(
                        "sổ tính này nằm trong thư mục nhật ký nhưng không mẫu `logs` nào khớp nó, nên các dòng của nó không được tính: thêm mẫu như \"{}/**/*.{ext}\" vào `logs` của kế hoạch, hoặc lưu nó thành CSV",
                        dirs.iter().find(|d| p.starts_with(root.join(d))).map_or("logs".into(), |d| d.to_string_lossy().into_owned())
                    ),
                    &format!(
                        "this workbook is in a logs folder but no `logs` glob matches it, so its rows do not count: add a glob such as \"{}/**/*.{ext}\" to the plan's `logs`, or save it as CSV",
                        dirs.iter().find(|d| p.starts_with(root.join(d))).map_or("logs".into(), |d| d.to_string_lossy().into_owned())
                    ),
                ),
            )
        })
        .collect()
}

/// A log's bytes as CSV text: a workbook's converted (its diagnostics
/// are then on the CSV's lines), anything else as it is. For `plan diff`,
/// which compares rows.
pub fn as_csv(name: &str, bytes: Vec<u8>, lang: Lang) -> Vec<u8> {
    if is_workbook_name(name) {
        read_bytes(name, bytes, lang).map(|b| b.csv).unwrap_or_default()
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

    #[test]
    fn numbers_and_dates_become_log_text() {
        let mut s = String::new();
        write_cell(&Data::Float(21_500_000.0), &mut s);
        assert_eq!(s, "21500000");
        s.clear();
        write_cell(&Data::Float(1.5), &mut s);
        assert_eq!(s, "1.5");
        s.clear();
        write_cell(
            &Data::DateTime(calamine::ExcelDateTime::new(
                44971.0,
                calamine::ExcelDateTimeType::DateTime,
                false,
            )),
            &mut s,
        );
        assert_eq!(s, "2023-02-14");
        s.clear();
        write_cell(&Data::DateTimeIso("2023-02-14T00:00:00".into()), &mut s);
        assert_eq!(s, "2023-02-14");
    }
}
