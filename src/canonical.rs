//! Canonical form of plan TOML and log CSV (`plan fmt`).
//!
//! A plan is rewritten by [`plan_toml()`]: sections in the order of SPEC §3, keys in their canonical
//! order, basic double-quoted strings, `key = value` spacing, arrays on one
//! line (one item per line when they are long or carry comments), one blank
//! line before every table, and every comment kept next to the item it
//! belongs to.
//!
//! A log is rewritten with its columns in [`COLUMNS`] order, cells trimmed and
//! NFC, rows sorted by date then the rest of the row, LF line ends, a BOM only
//! if the file had one.
//!
//! Nothing here reads or writes files, and nothing decides whether a file may
//! be formatted (that is `plan check`'s business, asked by the command).

mod plan_toml;

pub use plan_toml::{CanonError, WIDTH, plan_toml, render_plan, toml_comments};

use unicode_normalization::UnicodeNormalization;

use crate::logs::COLUMNS;

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// A log read into canonical cells: `columns` are indices into [`COLUMNS`]
/// (ascending, the canonical order), each row holds one cell per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTable {
    pub columns: Vec<usize>,
    pub rows: Vec<Vec<String>>,
}

impl LogTable {
    /// The cell of `row` in column `name`, if the log has that column.
    pub fn cell<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        let c = COLUMNS.iter().position(|x| *x == name)?;
        let i = self.columns.iter().position(|x| *x == c)?;
        row.get(i).map(String::as_str)
    }

    /// The column names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().filter_map(|c| COLUMNS.get(*c).copied()).collect()
    }
}

/// A log that cannot be read as a table (callers check files first).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogError {
    #[error("not UTF-8")]
    Encoding,
    #[error("no header line")]
    Empty,
    #[error("column `{0}` is unknown or repeated")]
    Header(String),
    #[error("line {0}: the row does not have as many cells as the header")]
    Width(u64),
    #[error("{0}")]
    Csv(String),
}

/// A cell in canonical form: NFC, line breaks LF (CRLF and a lone CR
/// alike), no surrounding whitespace.
pub fn canonical_cell(raw: &str) -> String {
    nfc(raw.trim()).replace("\r\n", "\n").replace('\r', "\n")
}

/// Reads a log. `strict` refuses unknown or repeated columns and rows of the
/// wrong width; otherwise such columns are skipped and rows padded, so that
/// `plan diff` can compare files that `plan check` would reject.
pub fn read_log(bytes: &[u8], strict: bool) -> Result<LogTable, LogError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) if !strict => String::from_utf8_lossy(bytes),
        Err(_) => return Err(LogError::Encoding),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // Records end at LF only, as `check` reads them: a lone CR inside an
        // unquoted cell is text, not a row break (a CRLF's CR is trimmed
        // with the cell).
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        None => return Err(LogError::Empty),
        Some(Err(e)) => return Err(LogError::Csv(e.to_string())),
        Some(Ok(h)) => h,
    };
    // map[i] = canonical column of the file's cell i.
    let mut map: Vec<Option<usize>> = Vec::with_capacity(header.len());
    for name in &header {
        let name = name.trim();
        match crate::logs::titles::column_index(name) {
            Some(c) if !map.contains(&Some(c)) => map.push(Some(c)),
            _ if strict => return Err(LogError::Header(name.to_owned())),
            _ => map.push(None),
        }
    }
    let mut columns: Vec<usize> = map.iter().flatten().copied().collect();
    columns.sort_unstable();
    let mut rows = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) if strict => return Err(LogError::Csv(e.to_string())),
            Err(_) => continue,
        };
        if rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != map.len() && strict {
            return Err(LogError::Width(rec.position().map_or(0, csv::Position::line)));
        }
        let mut row = vec![String::new(); columns.len()];
        for (cell, col) in rec.iter().zip(&map) {
            let Some(col) = col else { continue };
            if let Some(slot) = columns.iter().position(|c| c == col).and_then(|i| row.get_mut(i)) {
                *slot = canonical_cell(cell);
            }
        }
        rows.push(row);
    }
    Ok(LogTable { columns, rows })
}

/// Writes a log table in canonical form: header in [`COLUMNS`] order, rows
/// sorted by date then the rest of the row, LF, no BOM, a final line break.
pub fn write_log(table: &LogTable) -> Result<String, LogError> {
    let err = |e: &dyn std::fmt::Display| LogError::Csv(e.to_string());
    let mut rows: Vec<&Vec<String>> = table.rows.iter().collect();
    rows.sort();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    w.write_record(table.names()).map_err(|e| err(&e))?;
    for r in rows {
        w.write_record(r).map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}

/// The canonical text of a log file.
/// A UTF-8 byte-order mark the log had is kept: Excel needs it to open a
/// CSV with its diacritics.
pub fn log_csv(bytes: &[u8]) -> Result<String, LogError> {
    let text = write_log(&read_log(bytes, true)?)?;
    Ok(if bytes.starts_with(b"\xEF\xBB\xBF") {
        format!("\u{feff}{text}")
    } else {
        text
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn log_canonical_form() {
        let nfd: String = "Đối thoại".nfd().collect();
        let text = format!(
            "\u{feff}title,status,date,kind,unit,org,note\r\n\"{nfd}\",done, 2023-05-01 ,dialogue,tinh,MTTQ,\r\nA,done,2023-01-02,dialogue,tinh,MTTQ,\"x, y\"\r\n"
        );
        let out = log_csv(text.as_bytes()).unwrap();
        assert_eq!(
            out,
            "\u{feff}date,org,unit,kind,status,title,note\n2023-01-02,MTTQ,tinh,dialogue,done,A,\"x, y\"\n2023-05-01,MTTQ,tinh,dialogue,done,Đối thoại,\n"
        );
        assert_eq!(log_csv(out.as_bytes()).unwrap(), out);
        // Without a BOM none is added; Vietnamese titles become codes.
        assert_eq!(
            log_csv("Ngày,Tổ chức\n2023-01-01,MTTQ\n".as_bytes()).unwrap(),
            "date,org\n2023-01-01,MTTQ\n"
        );
        assert_eq!(log_csv(b"date,date\n"), Err(LogError::Header("date".to_owned())));
        assert_eq!(log_csv(b"date,org\n2023-01-01\n"), Err(LogError::Width(2)));
    }

    fn cell() -> impl Strategy<Value = String> {
        // Commas, quotes, line breaks, spaces, BOMs, NFD marks, anything.
        prop_oneof![
            "[ ,\"\r\na-zĐđ\u{0301}\u{0323}\u{feff}]{0,12}",
            any::<String>().prop_map(|s| s.chars().take(12).collect()),
        ]
    }

    proptest! {
        #[test]
        fn log_format_is_idempotent_and_keeps_rows(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 7), 0..6),
            crlf in any::<bool>(),
            bom in any::<bool>(),
        ) {
            // The columns in a shuffled order.
            let header = ["note", "title", "status", "kind", "unit", "org", "date"];
            let mut w = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            w.write_record(header).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let mut input = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            input.extend(w.into_inner().unwrap());
            let Ok(once) = log_csv(&input) else {
                // A row that reads as a different width (a lone empty
                // line) is refused, never mangled.
                return Ok(());
            };
            prop_assert_eq!(log_csv(once.as_bytes()).unwrap(), once.clone());
            let mut a = read_log(&input, true).unwrap().rows;
            let mut b = read_log(once.as_bytes(), true).unwrap().rows;
            // Same cells (reordered into canonical columns), same rows.
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
    }
}
