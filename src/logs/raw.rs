//! Looking at a log's raw text again, only for files with problems: the
//! source line and cell column of each diagnostic, the text of a cell, and
//! a quote left open at the end of the file.

use std::collections::{BTreeMap, BTreeSet};

use super::{LastRecord, Pending};

/// Whether the last record of a file (starting at `last`; `tail` is the
/// file from there on) ends inside a quoted cell; if so, the line and column
/// of the opening quote.
pub(super) fn open_quote_at_eof(tail: &[u8], last: &LastRecord) -> Option<(u64, usize)> {
    let mut open: Option<usize> = None;
    let mut at_start = true;
    let mut bytes = tail.iter().enumerate().peekable();
    while let Some((i, &b)) = bytes.next() {
        if open.is_some() {
            if b == b'"' {
                if bytes.peek().is_some_and(|(_, n)| **n == b'"') {
                    bytes.next();
                } else {
                    open = None;
                }
            }
            continue;
        }
        match b {
            b'"' if at_start => open = Some(i),
            b',' | b'\n' | b'\r' => {
                at_start = true;
                continue;
            }
            _ => {}
        }
        at_start = false;
    }
    let q = open?;
    let before = tail.get(..q)?;
    let breaks = before.iter().filter(|&&b| b == b'\n').count() as u64;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(before.get(line_start..)?).chars().count() + 1;
    Some((last.line + breaks, column))
}

/// Some lines of a file's raw text (1-based numbers), read in one
/// streaming pass: only the lines diagnostics point at are kept, so a large
/// file with problems is not held in memory. Lines are decoded lossily
/// (an `encoding` problem shows as U+FFFD) and lose their `\r`; a BOM is
/// dropped.
pub(super) fn read_lines(input: impl std::io::Read, wanted: &BTreeSet<usize>) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    let Some(&last) = wanted.last() else {
        return out;
    };
    let mut reader = std::io::BufReader::new(input);
    let mut buf = Vec::new();
    for n in 1..=last {
        buf.clear();
        match std::io::BufRead::read_until(&mut reader, b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if wanted.contains(&n) {
            let mut bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if n == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            out.insert(n, String::from_utf8_lossy(bytes).into_owned());
        }
    }
    out
}

/// Fills in the source line and the column of the offending cell for each
/// pending diagnostic.
pub(super) fn locate_cells(lines: &BTreeMap<usize, String>, pending: &mut [Pending]) {
    for p in pending.iter_mut() {
        let Some(raw) = lines.get(&p.diag.line) else {
            continue;
        };
        if let Some(cell) = p.cell {
            if let Some(col) = cell_columns(raw).get(cell) {
                p.diag.column = *col;
            }
        }
        if p.diag.code == "encoding" && p.diag.column == 0 {
            // Point at the first byte that is not UTF-8.
            if let Some(i) = raw.chars().position(|c| c == '\u{fffd}') {
                p.diag.column = i + 1;
            }
        }
        // Very long lines (a 10 MB cell) are not worth echoing.
        if raw.len() <= 2000 {
            p.diag.source_line = Some(raw.clone());
        }
    }
}

/// The 1-based character column where each cell of a CSV line starts
/// (quote-aware). Used only to point at cells in diagnostics.
pub fn cell_columns(line: &str) -> Vec<usize> {
    let mut cols = vec![1];
    let mut in_quotes = false;
    for (i, c) in line.chars().enumerate() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => cols.push(i + 2),
            _ => {}
        }
    }
    cols
}

/// The cells of the CSV record that starts at `lines[0]` (quote-aware,
/// `""` unescaped, line breaks inside quotes followed onto later lines).
pub(super) fn record_cells<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut in_quotes = false;
    let mut at_start = true;
    for (n, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        let line = line.strip_suffix('\r').unwrap_or(line);
        if n > 0 {
            if !in_quotes {
                break;
            }
            if let Some(c) = cells.last_mut() {
                c.push('\n');
            }
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if in_quotes && chars.peek() == Some(&'"') => {
                    chars.next();
                    if let Some(cell) = cells.last_mut() {
                        cell.push('"');
                    }
                }
                '"' if in_quotes => in_quotes = false,
                '"' if at_start => in_quotes = true,
                ',' if !in_quotes => {
                    cells.push(String::new());
                    at_start = true;
                    continue;
                }
                c => {
                    if let Some(cell) = cells.last_mut() {
                        cell.push(c);
                    }
                }
            }
            at_start = false;
        }
        if !in_quotes {
            break;
        }
    }
    cells
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_records() {
        assert_eq!(record_cells(&["a,\"b,\"\"c\"\"\",d"]), ["a", "b,\"c\"", "d"]);
        assert_eq!(record_cells(&["a,\"b", "c\",d", "x"]), ["a", "b\nc", "d"]);
        assert_eq!(record_cells(&["x,y\r"]), ["x", "y"]);
    }

    #[test]
    fn columns_of_cells() {
        assert_eq!(cell_columns("a,\"b,c\",d"), vec![1, 3, 9]);
        assert_eq!(cell_columns("Hội,x"), vec![1, 5]);
    }
}
