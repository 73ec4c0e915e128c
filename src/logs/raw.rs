//! Placing the diagnostics of each file once it has been read: `ref`s used
//! twice, and a quote left open at the end of the file, are found; the raw
//! text is looked at again, only for files with problems, for the source
//! line and cell column of each diagnostic and the text of a cell.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::cap;
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;

use super::cells::{Token, Tokenizer, is_char_start};
use super::found::{FileOut, LastRecord, Pending};
use super::refs::{Duplicate, Duplicates};
use super::{LogFile, to_usize};

/// How many lines of a record holding a duplicate `ref` are looked at to
/// quote it (a quoted cell may hold line breaks).
const DUPLICATE_LINES: usize = 20;

/// Places each file's diagnostics, including the `ref`s used twice (`dups`)
/// and a quote left open at the end of a file.
pub(super) fn place(files: &[LogFile], outs: Vec<FileOut>, dups: &Duplicates, lang: Lang) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (file, (out, log)) in outs.into_iter().zip(files).enumerate() {
        let mut found = out.pending;
        if let Some(last) = out.last {
            let tail = log.source.tail(last.byte);
            if let Some((line, column)) = open_quote_at_eof(&tail, &last) {
                // The last record swallowed the rest of the file: its
                // other diagnostics are consequences of that.
                found.drop_record();
                let msg = lang.pick(
                    "dấu ngoặc kép mở ở đây không bao giờ được đóng: phần còn lại của tệp bị đọc thành một ô; hãy thêm dấu \" đóng hoặc xóa dấu \" thừa",
                    "this quote is never closed, so the rest of the file was read as one cell: add the closing \" or remove the stray one",
                ).to_owned();
                found.push(Pending {
                    diag: Diagnostic::error(&log.name, "csv-row", msg).at(to_usize(line), column, None),
                    cell: None,
                });
            }
        }
        let mut pending = found.finish();
        // Duplicates are in file order: this file's are one range.
        let from = dups.first.partition_point(|d| d.again.file() < file);
        let to = dups.first.partition_point(|d| d.again.file() <= file);
        let mine = dups.first.get(from..to).unwrap_or_default();
        let more_dups = dups.more.get(&file).copied().unwrap_or(0);
        if pending.is_empty() && mine.is_empty() {
            diags.extend(out.extra);
            continue;
        }
        // A `ref` cell may run over a few lines (a quoted line break).
        let mut wanted: BTreeSet<usize> = pending.items().iter().map(|p| p.diag.line).collect();
        for d in mine {
            let at = to_usize(d.again.line());
            wanted.extend(at..at.saturating_add(DUPLICATE_LINES));
        }
        let lines = match log.source.reader(0, None) {
            Ok(r) => read_lines(r, &wanted),
            Err(_) => BTreeMap::new(),
        };
        for d in mine {
            pending.push(duplicate(&log.name, files, &lines, d, lang));
        }
        if more_dups > 0 {
            pending.count("duplicate-ref", Severity::Error, more_dups);
        }
        locate_cells(&lines, pending.items_mut());
        diags.extend(out.extra);
        let (kept, left_out) = pending.into_parts();
        diags.extend(kept.into_iter().map(|p| p.diag));
        diags.extend(
            left_out
                .into_iter()
                .map(|(code, severity, n)| cap::summary(&log.name, code, severity, n, lang)),
        );
    }
    diags
}

fn duplicate(name: &str, files: &[LogFile], lines: &BTreeMap<usize, String>, d: &Duplicate, lang: Lang) -> Pending {
    let at = to_usize(d.again.line());
    let record: Vec<&String> = lines.range(at..).map(|(_, l)| l).collect();
    let text = record_cells(&record)
        .get(d.again.cell())
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    let other = files.get(d.first.file()).map_or("", |f| f.name.as_str());
    let l = d.first.line();
    let msg = lang
        .pick(
            &format!("số văn bản `{text}` đã dùng ở {other}:{l}: mỗi `ref` chỉ dùng một lần"),
            &format!("ref `{text}` is already used at {other}:{l}: each `ref` may be used once"),
        )
        .to_owned();
    Pending {
        diag: Diagnostic::error(name, "duplicate-ref", msg)
            .at(to_usize(d.again.line()), 0, None)
            .width(text.chars().count()),
        cell: Some(d.again.cell()),
    }
}

/// Whether the last record of a file (starting at `last`; `tail` is the
/// file from there on) ends inside a quoted cell; if so, the line and column
/// of the opening quote.
pub(super) fn open_quote_at_eof(tail: &[u8], last: &LastRecord) -> Option<(u64, usize)> {
    let mut cells = Tokenizer::new().cr_ends_line();
    let mut open = None;
    for (i, &b) in tail.iter().enumerate() {
        if cells.next(b).0 == Token::Open {
            open = Some(i);
        }
    }
    let q = open.filter(|_| cells.in_quotes())?;
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
/// inside one.
fn quoted_at_end(line: &str, in_quotes: bool) -> bool {
    let mut cells = if in_quotes {
        Tokenizer::in_quoted_cell()
    } else {
        Tokenizer::new()
    };
    for &b in line.as_bytes() {
        cells.next(b);
    }
    cells.in_quotes()
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
/// index of its line in `lines` and its 1-based character column
/// (following quoted line breaks). Used only to point at cells in
/// diagnostics.
pub(super) fn cell_starts<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<(usize, usize)> {
    let mut starts = vec![(0, 1)];
    let mut cells = Tokenizer::new();
    for (n, line) in lines.into_iter().enumerate() {
        if n > 0 {
            if !cells.in_quotes() {
                break;
            }
            cells.next(b'\n');
        }
        let mut column = 0;
        for &b in line.as_bytes() {
            if is_char_start(b) {
                column += 1;
            }
            if cells.next(b).0 == Token::Comma {
                starts.push((n, column + 1));
            }
        }
    }
    starts
}

/// The cells of the CSV record that starts at `lines[0]` (`""` unescaped,
/// line breaks inside quotes followed onto later lines).
pub(super) fn record_cells<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut cells = vec![Vec::new()];
    let mut tokens = Tokenizer::new();
    for (n, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        let line = line.strip_suffix('\r').unwrap_or(line);
        if n > 0 && !tokens.in_quotes() {
            break;
        }
        let line_break: &[u8] = if n > 0 { b"\n" } else { b"" };
        for &b in line_break.iter().chain(line.as_bytes()) {
            match tokens.next(b).0 {
                Token::Text => {
                    if let Some(cell) = cells.last_mut() {
                        cell.push(b);
                    }
                }
                Token::Comma => cells.push(Vec::new()),
                Token::Open | Token::Quote | Token::LineEnd => {}
            }
        }
    }
    cells
        .into_iter()
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .collect()
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
