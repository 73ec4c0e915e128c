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

/// How many lines a quoted cell is followed over when a diagnostic's record
/// is read again (a longer cell is not worth placing a column in).
const MAX_RECORD_LINES: usize = 1000;

/// Some lines of a file's raw text (1-based numbers), read in one
/// streaming pass: only the lines diagnostics point at are kept, with the
/// lines their record runs on to when a quoted cell holds a line break, so
/// a large file with problems is not held in memory. Lines are decoded
/// lossily (an `encoding` problem shows as U+FFFD) and lose their `\r`; a
/// BOM is dropped.
pub(super) fn read_lines(input: impl std::io::Read, wanted: &BTreeSet<usize>) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    let Some(&last) = wanted.last() else {
        return out;
    };
    let mut reader = std::io::BufReader::new(input);
    let mut buf = Vec::new();
    // Inside a quoted cell of a kept record, and for how many lines.
    let mut open = false;
    let mut followed = 0;
    for n in 1.. {
        if n > last && !open {
            break;
        }
        buf.clear();
        match std::io::BufRead::read_until(&mut reader, b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if open || wanted.contains(&n) {
            let mut bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if n == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let line = String::from_utf8_lossy(bytes).into_owned();
            followed = if open { followed + 1 } else { 0 };
            open = quoted_at_end(&line, open) && followed < MAX_RECORD_LINES;
            out.insert(n, line);
        }
    }
    out
}

/// Whether a CSV line ends inside a quoted cell, given whether it starts
/// inside one (the same quote rules as [`record_cells`]).
fn quoted_at_end(line: &str, mut in_quotes: bool) -> bool {
    if !line.contains('"') {
        return in_quotes;
    }
    let mut at_start = !in_quotes;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
            }
            '"' if in_quotes => in_quotes = false,
            '"' if at_start => in_quotes = true,
            ',' if !in_quotes => {
                at_start = true;
                continue;
            }
            _ => {}
        }
        at_start = false;
    }
    in_quotes
}

/// Fills in the source line and the column of the offending cell for each
/// pending diagnostic. A cell after a quoted line break is placed on the
/// line it is written on.
///
/// A record's cells are found once for all its diagnostics (a header of
/// 100,000 unknown columns has that many, one per cell).
pub(super) fn locate_cells(lines: &BTreeMap<usize, String>, pending: &mut [Pending]) {
    // The cell starts of the record last looked at, by its first line.
    let mut known: Option<(usize, Vec<(usize, usize)>)> = None;
    for p in pending.iter_mut() {
        let start = p.diag.line;
        if let Some(cell) = p.cell {
            if known.as_ref().is_none_or(|(line, _)| *line != start) {
                // The record's lines: consecutive from its first, pulled only
                // while a quoted cell runs on (so a file where every line has
                // a diagnostic is not walked to its end for each of them).
                let record = lines
                    .range(start..)
                    .zip(start..)
                    .take_while(|((n, _), want)| *n == want)
                    .map(|((_, l), _)| l.as_str());
                known = Some((start, cell_starts(record)));
            }
            let starts = known.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
            if let Some(&(offset, column)) = starts.get(cell) {
                p.diag.line = start + offset;
                p.diag.column = column;
            }
        }
        let Some(raw) = lines.get(&p.diag.line) else {
            continue;
        };
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

/// Where each cell of the CSV record that starts at `lines[0]` begins: the
/// index of its line in `lines` and its 1-based character column (quote
/// rules as [`record_cells`], following quoted line breaks). Used only to
/// point at cells in diagnostics.
pub(super) fn cell_starts<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<(usize, usize)> {
    let mut starts = vec![(0, 1)];
    let mut in_quotes = false;
    let mut at_start = true;
    for (n, line) in lines.into_iter().enumerate() {
        if n > 0 && !in_quotes {
            break;
        }
        let mut chars = line.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' if in_quotes && chars.peek().is_some_and(|&(_, next)| next == '"') => {
                    chars.next();
                }
                '"' if in_quotes => in_quotes = false,
                '"' if at_start => in_quotes = true,
                ',' if !in_quotes => {
                    starts.push((n, i + 2));
                    at_start = true;
                    continue;
                }
                _ => {}
            }
            at_start = false;
        }
    }
    starts
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
    fn where_cells_start() {
        assert_eq!(cell_starts(["a,\"b,c\",d"]), vec![(0, 1), (0, 3), (0, 9)]);
        assert_eq!(cell_starts(["Hội,x"]), vec![(0, 1), (0, 5)]);
        assert_eq!(
            cell_starts(["a,\"b\"\",", "c\",d", "x,y"]),
            vec![(0, 1), (0, 3), (1, 4)]
        );
        assert_eq!(
            cell_starts(["a,b", "x,y"]),
            vec![(0, 1), (0, 3)],
            "no open quote: one line"
        );
    }

    #[test]
    fn quoted_line_breaks_are_followed() {
        let text = "h\n1,\"a\n\nb\",2\n3\n4,\"x\n";
        let wanted = BTreeSet::from([2, 6]);
        let lines = read_lines(text.as_bytes(), &wanted);
        assert_eq!(
            lines.keys().copied().collect::<Vec<_>>(),
            [2, 3, 4, 6],
            "line 5 is not wanted"
        );
        assert!(!quoted_at_end("a,b\"c,d", false), "a quote inside a cell is text");
        assert!(quoted_at_end("a,\"b\"\"", false));
    }
}
