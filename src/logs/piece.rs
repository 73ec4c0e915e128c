//! Reading one piece of a log file — a whole file, or a chunk of a large
//! one split at a record boundary for parallel reading — record by record.
//!
//! Line numbers are counted from the start of the piece; the caller adds the
//! lines of the pieces before it. Lines end with `\n` only (a `\r` before it
//! is stripped from the last cell), and every record ends with one, so a
//! record starts `1 + (line breaks inside it)` lines before the reader's line
//! after it; the reader's own record position would count blank lines, and
//! the `\n` of a CRLF, against the wrong record.

use std::io::Read;

use crate::diag::{Diagnostic, nearest};

use super::records::{BadQuote, BadQuoteKind, Record, Records};
use super::refs::RefEntry;
use super::{C_REF, COLUMNS, Checker, Found, LastRecord, Pending, REQUIRED, RowSink, to_usize};

/// The last record of a piece that is not the last of its file: a line no
/// log holds (it starts with a control character). When the reader meets it
/// as a record of its own, the piece ended at a record boundary; when the
/// split point was inside a quoted cell, it is swallowed by that cell.
pub(super) const SENTINEL: &[u8] = b"\x01plan-piece-end\x01";

/// A log's header: which canonical column each cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    /// Cell index → canonical column (`None`: unknown or repeated column).
    pub map: Vec<Option<usize>>,
    /// Canonical column → cell index.
    pub index: [Option<usize>; COLUMNS.len()],
    pub width: usize,
}

impl Header {
    fn new(map: Vec<Option<usize>>, width: usize) -> Header {
        let mut index = [None; COLUMNS.len()];
        for (cell, col) in map.iter().enumerate() {
            if let Some(slot) = col.and_then(|c| index.get_mut(c)) {
                *slot = Some(cell);
            }
        }
        Header { map, index, width }
    }
}

/// Where a piece lies in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub file: usize,
    pub start: u64,
    /// `None`: to the end of the file.
    pub end: Option<u64>,
}

impl Piece {
    pub fn is_last(&self) -> bool {
        self.end.is_none()
    }
}

/// What reading a piece found.
#[derive(Debug, Default)]
pub(super) struct PieceOut {
    pub pending: Found,
    pub refs: Vec<RefEntry>,
    /// The last record, for the open-quote check at the end of a file.
    pub last: Option<LastRecord>,
    /// For a piece that is not last: lines in it, when it ended exactly at a
    /// record boundary (`None`: it did not, or reading stopped early).
    pub lines: Option<u64>,
    /// Reading stopped at an encoding error: nothing after it counts.
    pub stopped: bool,
    /// Diagnostics already placed (a file that could not be read).
    pub failed: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Reads `piece` from `input` (its bytes, followed by a final `\n` or the
    /// sentinel line). `header` is given for pieces after the first.
    pub(super) fn read_piece(
        &self,
        piece: Piece,
        input: impl Read,
        header: Option<&Header>,
        sink: &mut dyn RowSink,
    ) -> PieceOut {
        let name = self.name(piece.file).to_owned();
        let mut out = PieceOut::default();
        let mut rdr = Records::new(input);
        let mut rec = Record::default();
        let mut nfc_rec = Record::default();
        let last_of = |rec: &Record| {
            Some(LastRecord {
                byte: rec.byte,
                line: rec.line,
            })
        };
        let owned;
        let header = match header {
            Some(h) => h,
            None => {
                match rdr.read(&mut rec) {
                    Ok(true) => {}
                    Ok(false) => {
                        let msg = self.t(
                            &format!("tệp rỗng: dòng đầu phải là tiêu đề cột, ví dụ {}", REQUIRED.join(",")),
                            &format!(
                                "the file is empty: its first line must be the header, e.g. {}",
                                REQUIRED.join(",")
                            ),
                        );
                        out.pending.push(Pending {
                            diag: Diagnostic::error(&name, "csv-header", msg).at(1, 0, None),
                            cell: None,
                        });
                        return out;
                    }
                    Err(e) => {
                        out.failed.push(self.io_error(&name, &e));
                        return out;
                    }
                }
                out.last = last_of(&rec);
                match self.header(&name, &rec, rec.line, &mut out.pending.record) {
                    Some(h) => {
                        owned = h;
                        &owned
                    }
                    None => return out,
                }
            }
        };
        let width = header.width;
        let mut dates = super::fast::DateCache::default();
        let ref_cell = header.index.get(C_REF).copied().flatten();
        loop {
            match rdr.read(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    out.failed.push(self.io_error(&name, &e));
                    out.stopped = true;
                    out.last = None;
                    return out;
                }
            }
            if !piece.is_last() && rec.len() == 1 && rec.get(0) == Some(SENTINEL) {
                if matches!(rdr.read(&mut rec), Ok(false)) {
                    out.lines = Some(rec.line.saturating_sub(1));
                }
                break;
            }
            out.pending.settle();
            out.last = last_of(&rec);
            let line = rec.line;
            if rec.len() == 1 && rec.get(0).is_some_and(|c| c.iter().all(u8::is_ascii_whitespace)) {
                continue; // a blank line
            }
            if let Some(bad) = rec.bad_quote {
                out.pending.push(self.bad_quote(&name, bad));
                continue;
            }
            if rec.len() != width {
                if !out.pending.wants("csv-row") {
                    continue;
                }
                let msg = self.t(
                    &format!("dòng có {} ô nhưng tiêu đề có {width} cột: kiểm tra dấu phẩy thừa/thiếu hoặc đặt ô có dấu phẩy trong ngoặc kép", rec.len()),
                    &format!("the row has {} cells but the header has {width} columns: look for a missing or extra comma, or quote cells that contain commas", rec.len()),
                );
                out.pending.push(Pending {
                    diag: Diagnostic::error(&name, "csv-row", msg).at(to_usize(line), 1, None),
                    cell: None,
                });
                continue;
            }
            // Text in NFD (base letter + combining tone mark, as macOS and
            // some converters write it) is read as NFC.
            let rec = if has_combining(&rec) && to_nfc(&rec, &mut nfc_rec) {
                &nfc_rec
            } else {
                &rec
            };
            if let Some(row) = self.fast_row(piece.file, rec, header, line, &mut dates) {
                sink.row(&row);
            } else if self.only_bad_date(rec, header) && !out.pending.wants("bad-date") {
                // Counted: the cap of `bad-date` is full.
            } else if let Some(row) =
                self.checked_row(piece.file, &name, rec, &header.map, line, &mut out.pending.record)
            {
                sink.row(&row);
            } else if out.pending.record.last().is_some_and(|p| p.diag.code == "encoding") {
                out.stopped = true;
                out.last = None;
                return out;
            }
            if let Some(cell) = ref_cell {
                let raw = rec.get(cell).unwrap_or_default();
                let raw = if cell + 1 == rec.len() {
                    raw.strip_suffix(b"\r").unwrap_or(raw)
                } else {
                    raw
                };
                let r = raw.trim_ascii();
                if r.is_ascii() {
                    if !r.is_empty() {
                        out.refs.push(RefEntry::new(r, piece.file, line, cell));
                    }
                } else if let Ok(text) = std::str::from_utf8(r) {
                    // Compared as `plan fmt` writes it: Unicode spaces trimmed, NFC.
                    let text = crate::canonical::canonical_cell(text);
                    if !text.is_empty() {
                        out.refs.push(RefEntry::new(text.as_bytes(), piece.file, line, cell));
                    }
                } else {
                    out.refs.push(RefEntry::new(r, piece.file, line, cell));
                }
            }
        }
        out
    }

    /// A row whose quoting RFC 4180 does not allow: the CSV reader would
    /// guess at its cells, so it is not counted.
    fn bad_quote(&self, name: &str, bad: BadQuote) -> Pending {
        let msg = match bad.kind {
            BadQuoteKind::InsideCell => self.t(
                "dấu ngoặc kép nằm giữa một ô không mở bằng ngoặc kép: hãy đặt cả ô trong ngoặc kép và viết dấu \" bên trong thành \"\"",
                "a quote inside a cell that does not start with one: put the whole cell in quotes and write each quote inside it as \"\"",
            ),
            BadQuoteKind::AfterQuote => self.t(
                "có chữ sau dấu ngoặc kép đóng ô: hãy đặt cả ô trong ngoặc kép và viết dấu \" bên trong thành \"\"",
                "text after the quote that closes a cell: put the whole cell in quotes and write each quote inside it as \"\"",
            ),
        };
        Pending {
            diag: Diagnostic::error(name, "csv-row", msg).at(to_usize(bad.line), bad.column, None),
            cell: None,
        }
    }

    pub(super) fn encoding_message(&self) -> String {
        self.t(
            "tệp không phải UTF-8 (có vẻ là Windows-1258, kiểu CSV cũ của Excel): trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
            "the file is not UTF-8 (it looks like Windows-1258, Excel's legacy CSV): in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
        )
    }

    /// Maps header positions to canonical columns; `None` when the header
    /// shows the file cannot be read as a log at all (separated by
    /// semicolons, old Mac line ends, not UTF-8).
    pub(super) fn header(&self, name: &str, rec: &Record, hline: u64, out: &mut Vec<Pending>) -> Option<Header> {
        let hline = to_usize(hline);
        let mut map = Vec::with_capacity(rec.len());
        let mut seen = [false; COLUMNS.len()];
        if rec.len() == 1 && rec.get(0).is_some_and(|c| c.contains(&b';')) {
            let msg = self.t(
                "tệp dùng dấu chấm phẩy (;) làm dấu phân cách: hãy lưu lại với dấu phẩy (Excel: \"CSV UTF-8 (Comma delimited)\")",
                "the file is separated by semicolons (;): save it again with commas (Excel: \"CSV UTF-8 (Comma delimited)\")",
            );
            out.push(Pending {
                diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                cell: None,
            });
            return None;
        }
        if rec.iter().any(|c| c.strip_suffix(b"\r").unwrap_or(c).contains(&b'\r')) {
            let msg = self.t(
                "các dòng của tệp kết thúc bằng một ký tự CR đơn lẻ (kiểu Mac cũ): hãy lưu lại thành \"CSV UTF-8 (Comma delimited)\"",
                "the file's lines end with a lone carriage return (the old Mac format): save it again as \"CSV UTF-8 (Comma delimited)\"",
            );
            out.push(Pending {
                diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                cell: None,
            });
            return None;
        }
        for (i, raw) in rec.iter().enumerate() {
            let Ok(cell) = std::str::from_utf8(raw) else {
                out.push(Pending {
                    diag: Diagnostic::error(name, "encoding", self.encoding_message()).at(hline, 0, None),
                    cell: None,
                });
                return None;
            };
            let col = cell.trim();
            match super::titles::column_index(col) {
                Some(c) if seen.get(c).copied().unwrap_or(false) => {
                    let msg = self.t(
                        &format!("cột `{col}` xuất hiện hai lần: xóa một cột"),
                        &format!("column `{col}` appears twice: remove one"),
                    );
                    out.push(Pending {
                        diag: Diagnostic::error(name, "csv-header", msg).at(hline, 0, None),
                        cell: Some(i),
                    });
                    map.push(None);
                }
                Some(c) => {
                    if let Some(s) = seen.get_mut(c) {
                        *s = true;
                    }
                    map.push(Some(c));
                }
                None => {
                    let hint = nearest(col, COLUMNS).map_or_else(
                        || {
                            (
                                format!("các cột hợp lệ: {}", COLUMNS.join(", ")),
                                format!("valid columns: {}", COLUMNS.join(", ")),
                            )
                        },
                        |n| (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
                    );
                    let msg = self.t(
                        &format!("cột `{col}` không có trong định dạng nhật ký; {}", hint.0),
                        &format!("unknown column `{col}`; {}", hint.1),
                    );
                    out.push(Pending {
                        diag: Diagnostic::error(name, "csv-header", msg)
                            .at(hline, 0, None)
                            .width(col.chars().count()),
                        cell: Some(i),
                    });
                    map.push(None);
                }
            }
        }
        for (c, req) in REQUIRED.iter().enumerate() {
            if !seen.get(c).copied().unwrap_or(false) {
                let msg = self.t(
                    &format!("thiếu cột bắt buộc `{req}`: thêm nó vào dòng tiêu đề"),
                    &format!("the required column `{req}` is missing: add it to the header line"),
                );
                out.push(Pending {
                    diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                    cell: None,
                });
            }
        }
        // Rows are still read when a required column is missing (each row's
        // other cells are checked; the missing column is not reported again
        // on every row), so that one run shows every problem.
        Some(Header::new(map, rec.len()))
    }
}

/// Whether a record may hold combining marks (U+0300–U+036F, lead bytes
/// 0xCC and 0xCD: the Vietnamese tone marks of NFD text). Most records have
/// none, and one memchr pass says so.
fn has_combining(rec: &Record) -> bool {
    memchr::memchr2(0xCC, 0xCD, rec.as_slice()).is_some()
}

/// Writes `rec` in NFC into `out`; false when `rec` is NFC already (or not
/// UTF-8, which the row check reports).
fn to_nfc(rec: &Record, out: &mut Record) -> bool {
    let nfc = |f: &[u8]| std::str::from_utf8(f).is_ok_and(crate::text::is_nfc);
    if rec.iter().all(nfc) {
        return false;
    }
    out.clear();
    for f in rec.iter() {
        match std::str::from_utf8(f) {
            Ok(t) => out.push_field(crate::text::nfc(t).as_bytes()),
            Err(_) => out.push_field(f),
        }
    }
    true
}
