//! One sheet turned into CSV text, row by row as the reader gives its cells:
//! nothing but the current row is held besides the text written.
//!
//! The sheet's first non-empty row is its header; the CSV's columns are the
//! sheet's columns from the header's first to its last non-empty cell. A
//! date cell becomes its ISO date, a number cell its number, a text cell
//! stays text exactly. The CSV's line *n* is row *n* of the sheet (empty and
//! missing rows are empty lines, which the reader skips); a row holding
//! nothing but an org and a unit is a blank row of an entry workbook (`plan
//! template --org/--unit` pre-fills them) and is an empty line too. A cell
//! outside the header's columns is reported, not read.

use std::borrow::Cow;
use std::fmt::Write;

use calamine::{Data, DataRef};

use super::{Book, MAX_CELLS, cell_ref};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::logs::titles::column_index;

/// How many cells outside the table are reported one by one.
const OUTSIDE_SHOWN: usize = 20;

/// The sheet being converted.
pub(super) struct Convert<'a, 'v> {
    name: &'a str,
    sheet: &'a str,
    lang: Lang,
    book: Book,
    /// The header's canonical column of each CSV cell, once it is read.
    layout: Option<Vec<Option<usize>>>,
    /// The 0-based sheet row the next CSV line stands for.
    next_row: u32,
    /// The row being gathered: its 0-based index and cells.
    row: Option<u32>,
    cells: Vec<(u32, DataRef<'v>)>,
    /// The used rectangle so far (first row, last row, first column, last column).
    span: Option<(u32, u32, u32, u32)>,
    /// Cells found outside the header's columns.
    outside: usize,
    text: String,
}

/// A sheet too large to read, with the cell that made it so.
pub(super) struct TooLarge(pub String);

impl<'a, 'v> Convert<'a, 'v> {
    pub(super) fn new(name: &'a str, sheet: &'a str, lang: Lang) -> Self {
        Convert {
            name,
            sheet,
            lang,
            book: Book {
                sheet: sheet.to_owned(),
                ..Book::default()
            },
            layout: None,
            next_row: 0,
            row: None,
            cells: Vec::new(),
            span: None,
            outside: 0,
            text: String::new(),
        }
    }

    /// Takes the cell at 0-based (`row`, `col`). Cells come row by row.
    pub(super) fn cell(&mut self, row: u32, col: u32, value: DataRef<'v>) -> Result<(), TooLarge> {
        if matches!(value, DataRef::Empty) {
            return Ok(());
        }
        let (r0, r1, c0, c1) = self.span.unwrap_or((row, row, col, col));
        let span = (r0.min(row), r1.max(row), c0.min(col), c1.max(col));
        self.span = Some(span);
        let cells = (u64::from(span.1 - span.0) + 1) * (u64::from(span.3 - span.2) + 1);
        if cells > MAX_CELLS as u64 {
            return Err(TooLarge(cell_ref(self.sheet, row + 1, Some(col))));
        }
        if self.row != Some(row) {
            self.flush();
            self.row = Some(row);
        }
        self.cells.push((col, value));
        Ok(())
    }

    /// The CSV text and where its lines came from.
    pub(super) fn finish(mut self) -> Book {
        self.flush();
        if self.outside > OUTSIDE_SHOWN {
            let more = self.outside - OUTSIDE_SHOWN;
            let msg = self
                .lang
                .pick(
                    &format!("còn {more} ô khác nằm ngoài các cột của dòng tiêu đề"),
                    &format!("{more} more cells are outside the header's columns"),
                )
                .to_owned();
            self.book.diags.push(Diagnostic::error(self.name, "csv-row", msg));
        }
        self.book
    }

    fn blank_line(&mut self, row: u32) {
        self.book.csv.push(b'\n');
        self.book.lines.push(row + 1);
    }

    /// Writes the gathered row (and the empty lines of the rows before it).
    fn flush(&mut self) {
        let Some(row) = self.row.take() else { return };
        let mut cells = std::mem::take(&mut self.cells);
        while self.next_row < row {
            self.blank_line(self.next_row);
            self.next_row += 1;
        }
        self.next_row = self.next_row.max(row + 1);
        cells.sort_by_key(|(c, _)| *c);
        match self.layout.take() {
            None => self.header(row, &cells),
            Some(layout) => {
                self.data(row, &cells, &layout);
                self.layout = Some(layout);
            }
        }
        cells.clear();
        self.cells = cells;
    }

    fn header(&mut self, row: u32, cells: &[(u32, DataRef<'v>)]) {
        let (Some((first, _)), Some((last, _))) = (cells.first(), cells.last()) else {
            return;
        };
        let (first, last) = (*first, *last);
        self.book.c0 = first;
        let mut layout = vec![None; (last - first + 1) as usize];
        let mut at = cells.iter().peekable();
        for (j, slot) in (first..=last).zip(layout.iter_mut()) {
            if j > first {
                self.book.csv.push(b',');
            }
            self.text.clear();
            if let Some((_, v)) = at.next_if(|(c, _)| *c == j) {
                write_cell(v, &mut self.text);
            }
            *slot = column_index(self.text.trim());
            push_csv(&mut self.book.csv, &self.text);
        }
        self.book.csv.push(b'\n');
        self.book.lines.push(row + 1);
        self.layout = Some(layout);
    }

    fn data(&mut self, row: u32, cells: &[(u32, DataRef<'v>)], layout: &[Option<usize>]) {
        let c0 = self.book.c0;
        let width = layout.len() as u32;
        let inside = |c: u32| c >= c0 && c - c0 < width;
        for (c, v) in cells {
            if !inside(*c) && !is_blank(v) {
                self.outside += 1;
                if self.outside <= OUTSIDE_SHOWN {
                    let place = cell_ref(self.sheet, row + 1, Some(*c));
                    let msg = self
                        .lang
                        .pick(
                            &format!("{place}: ô này nằm ngoài các cột của dòng tiêu đề nên không được đọc: xóa nó hoặc chuyển nó vào một cột có tiêu đề"),
                            &format!("{place}: this cell is outside the header's columns and is not read: delete it or move it into a titled column"),
                        )
                        .to_owned();
                    self.book.diags.push(Diagnostic::error(self.name, "csv-row", msg).at(
                        row as usize + 1,
                        *c as usize + 1,
                        None,
                    ));
                }
            }
        }
        // An empty row, or one holding nothing but its org and unit, is an empty line.
        let blank = cells
            .iter()
            .all(|(c, v)| !inside(*c) || is_blank(v) || matches!(layout.get((*c - c0) as usize), Some(Some(1 | 2))));
        if blank {
            self.blank_line(row);
            return;
        }
        let mut at = cells.iter().filter(|(c, _)| inside(*c)).peekable();
        let mut breaks = 1;
        for j in 0..width {
            if j > 0 {
                self.book.csv.push(b',');
            }
            if let Some((_, v)) = at.next_if(|(c, _)| *c == c0 + j) {
                self.text.clear();
                write_cell(v, &mut self.text);
                push_csv(&mut self.book.csv, &self.text);
                breaks += match v {
                    DataRef::String(s) => memchr::memchr_iter(b'\n', s.as_bytes()).count(),
                    DataRef::SharedString(s) => memchr::memchr_iter(b'\n', s.as_bytes()).count(),
                    _ => 0,
                };
            }
        }
        self.book.csv.push(b'\n');
        // A cell's line breaks make more CSV lines for the same row.
        for _ in 0..breaks {
            self.book.lines.push(row + 1);
        }
    }
}

fn is_blank(c: &DataRef<'_>) -> bool {
    match c {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell of a sheet held whole (ods, xls), as the streaming reader gives it.
pub(super) fn data_ref(c: &Data) -> DataRef<'_> {
    match c {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// A cell's text as a log cell (see the module doc).
pub(super) fn write_cell(c: &DataRef<'_>, out: &mut String) {
    let _ = match c {
        DataRef::Empty => Ok(()),
        DataRef::String(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::SharedString(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::Int(i) => write!(out, "{i}"),
        DataRef::Float(f) => write_number(*f, out),
        DataRef::Bool(b) => {
            out.push_str(if *b { "TRUE" } else { "FALSE" });
            Ok(())
        }
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            write!(out, "{y:04}-{m:02}-{day:02}")
        }
        DataRef::DateTime(d) => write_number(d.as_f64(), out),
        DataRef::DateTimeIso(s) => {
            // ODS: `2023-02-14` or `2023-02-14T00:00:00`.
            let day = s
                .get(..10)
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
            out.push_str(day.unwrap_or(s));
            Ok(())
        }
        DataRef::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::Error(e) => write!(out, "{e}"),
    };
}

fn write_number(f: f64, out: &mut String) -> std::fmt::Result {
    // Whole numbers as integers (Excel stores every number as a float).
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        write!(out, "{}", f as i64)
    } else {
        write!(out, "{f}")
    }
}

fn push_csv(out: &mut Vec<u8>, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        let quoted: Cow<'_, str> = if cell.contains('"') {
            Cow::Owned(cell.replace('"', "\"\""))
        } else {
            Cow::Borrowed(cell)
        };
        out.extend_from_slice(quoted.as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(cell.as_bytes());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn text(c: &DataRef<'_>) -> String {
        let mut s = String::new();
        write_cell(c, &mut s);
        s
    }

    #[test]
    fn numbers_and_dates_become_log_text() {
        assert_eq!(text(&DataRef::Float(21_500_000.0)), "21500000");
        assert_eq!(text(&DataRef::Float(1.5)), "1.5");
        let d = calamine::ExcelDateTime::new(44971.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&DataRef::DateTime(d)), "2023-02-14");
        assert_eq!(text(&DataRef::DateTimeIso("2023-02-14T00:00:00".into())), "2023-02-14");
    }

    fn convert(cells: &[(u32, u32, &str)]) -> Book {
        let mut c = Convert::new("x.xlsx", "Sheet1", Lang::En);
        for (r, col, v) in cells {
            c.cell(*r, *col, DataRef::SharedString(v)).ok().unwrap();
        }
        c.finish()
    }

    #[test]
    fn rows_become_lines_at_their_sheet_rows() {
        let b = convert(&[
            (1, 1, "date"),
            (1, 2, "org"),
            (1, 3, "unit"),
            (3, 1, "2023-01-01"),
            (3, 3, "a, \"b\""),
            (4, 2, "HND"),
            (4, 3, "bat-xat"),
            (5, 1, "x\ny"),
        ]);
        let csv = String::from_utf8(b.csv.clone()).unwrap();
        assert_eq!(csv, "\ndate,org,unit\n\n2023-01-01,,\"a, \"\"b\"\"\"\n\n\"x\ny\",,\n");
        assert_eq!(b.lines, vec![1, 2, 3, 4, 5, 6, 6]);
        assert_eq!(b.c0, 1);
        assert!(b.diags.is_empty());
    }

    #[test]
    fn a_cell_outside_the_header_is_reported() {
        let b = convert(&[(0, 0, "date"), (0, 1, "org"), (1, 0, "2023-01-01"), (1, 4, "stray")]);
        assert_eq!(b.diags.len(), 1);
        assert!(b.diags[0].message.starts_with("Sheet1!E2:"), "{}", b.diags[0].message);
        assert_eq!((b.diags[0].line, b.diags[0].column), (2, 5));
    }
}
