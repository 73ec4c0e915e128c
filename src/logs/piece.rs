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

use crate::canonical::Hint;
use crate::columns::{C_REF, REQUIRED};
use crate::diag::Diagnostic;

use super::cells::{BadQuote, BadQuoteKind, Scan, scan_line_unmarked};
use super::checker::Checker;
use super::fast::DateCache;
use super::found::{Found, LastRecord, Pending};
use super::header::{LogHeader, read_header};
use super::proof::{Proof, Prover};
use super::records::{Rec, Record, Records};
use super::refs::{RefEntry, hash64};
use super::{RowSink, to_usize};

/// The last record of a piece that is not the last of its file: a line no
/// log holds (it starts with a control character). When the reader meets it
/// as a record of its own, the piece ended at a record boundary; when the
/// split point was inside a quoted cell, it is swallowed by that cell.
pub(super) const SENTINEL: &[u8] = b"\x01plan-piece-end\x01";

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
    /// The hashes of the piece's `ref`s (the first reading).
    pub refs: Vec<u64>,
    /// The `ref`s whose hash is one of [`Checker::wanted_refs`] (the second
    /// reading).
    pub entries: Vec<RefEntry>,
    /// The last record, for the open-quote check at the end of a file.
    pub last: Option<LastRecord>,
    /// For a piece that is not last: lines in it, when it ended exactly at a
    /// record boundary (`None`: it did not, or reading stopped early).
    pub lines: Option<u64>,
    /// Reading stopped at an encoding error: nothing after it counts.
    pub stopped: bool,
    /// Diagnostics already placed (a file that could not be read).
    pub failed: Vec<Diagnostic>,
    /// Whether the piece's records are canonical (when the checker proves).
    pub proof: Option<Proof>,
}

impl PieceOut {
    /// Reading ends early: nothing after this counts.
    fn stop(&mut self) {
        self.stopped = true;
        self.last = None;
    }
}

/// What became of a record.
enum Next {
    Go,
    /// Reading ends (the piece's end, or an error that stops the file).
    Stop,
}

/// Reads `piece` from `input` (its bytes, followed by a final `\n` or the
/// sentinel line). `header` is given for pieces after the first.
pub(super) fn read_piece(
    checker: &Checker<'_>,
    piece: Piece,
    input: impl Read,
    header: Option<&LogHeader>,
    sink: &mut dyn RowSink,
) -> PieceOut {
    let mut reader = PieceReader {
        checker,
        piece,
        name: checker.name(piece.file).to_owned(),
        out: PieceOut::default(),
        dates: DateCache::default(),
        prover: None,
    };
    let mut rdr = if piece.start > 0 {
        Records::new(input).inside_file()
    } else {
        Records::new(input)
    };
    let mut rec = Record::default();
    let mut nfc_rec = Record::default();
    let owned;
    let header = match header {
        Some(h) => h,
        None => match reader.first_header(&mut rdr, &mut rec) {
            Some(h) => {
                owned = h;
                &owned
            }
            None => return reader.out,
        },
    };
    if checker.proves() {
        reader.prover = Some(Prover::new(piece.start + rdr.position().0, header.width));
    }
    let mut spans = Vec::new();
    loop {
        match reader.simple_lines(&mut rdr, &mut spans, &mut nfc_rec, header, sink) {
            Flow::Slow => {}
            Flow::Stop => break,
            Flow::Sentinel(line) => {
                if matches!(rdr.read(&mut rec), Ok(false)) {
                    reader.out.lines = Some(line.saturating_sub(1));
                }
                break;
            }
        }
        // A record that is not one simple line, or the end of the input.
        if let Next::Stop = reader.next_record(&mut rdr, &mut rec) {
            break;
        }
        if let Some(p) = &mut reader.prover {
            p.fail();
        }
        if let Next::Stop = reader.record(&rec.view(), &mut nfc_rec, header, sink) {
            break;
        }
    }
    // A reading that stopped early ends before the file does: not proved.
    reader.out.proof = reader.prover.take().map(Prover::finish);
    reader.out
}

/// Where [`PieceReader::simple_lines`] stopped.
enum Flow {
    /// At a record it does not read (not one simple line), or at the end
    /// of the input.
    Slow,
    /// Reading ends.
    Stop,
    /// After the sentinel line (on this line) of a piece that is not last.
    Sentinel(u64),
}

/// The state of reading one piece.
struct PieceReader<'c, 'p> {
    checker: &'c Checker<'p>,
    piece: Piece,
    name: String,
    out: PieceOut,
    dates: DateCache,
    /// Proves the records canonical as they are read (`plan fmt`).
    prover: Option<Prover>,
}

impl PieceReader<'_, '_> {
    /// Reads the header line; `None` when the file has none, or one that
    /// shows it cannot be read as a log.
    fn first_header<R: Read>(&mut self, rdr: &mut Records<R>, rec: &mut Record) -> Option<LogHeader> {
        match rdr.read(rec) {
            Ok(true) => {}
            Ok(false) => {
                let msg = self.checker.localize(
                    &format!("tệp rỗng: dòng đầu phải là tiêu đề cột, ví dụ {}", REQUIRED.join(",")),
                    &format!(
                        "the file is empty: its first line must be the header, e.g. {}",
                        REQUIRED.join(",")
                    ),
                );
                self.out.pending.push(Pending {
                    diag: Diagnostic::error(&self.name, "csv-header", msg).at(1, 0, None),
                    cell: None,
                });
                return None;
            }
            Err(e) => {
                self.out.failed.push(self.checker.io_error(&self.name, &e));
                return None;
            }
        }
        self.out.last = Some(last_record(&rec.view()));
        read_header(
            &self.name,
            rec,
            rec.line,
            self.checker.lang,
            &mut self.out.pending.record,
        )
    }

    /// Reads the records that are one simple line each (most of a log)
    /// straight from the reader's buffer, whole lines at a time, their
    /// text checked as UTF-8 once for all of them; stops before any other
    /// record. What each record goes through is what [`read_piece`] does
    /// with one read by [`Records::read`].
    fn simple_lines<R: Read>(
        &mut self,
        rdr: &mut Records<R>,
        spans: &mut Vec<(usize, usize)>,
        nfc_rec: &mut Record,
        header: &LogHeader,
        sink: &mut dyn RowSink,
    ) -> Flow {
        loop {
            let lines = match rdr.lines() {
                Ok(Some(lines)) => lines,
                Ok(None) => return Flow::Slow,
                Err(e) => {
                    self.out.failed.push(self.checker.io_error(&self.name, &e));
                    self.out.stop();
                    return Flow::Stop;
                }
            };
            // Bytes and line breaks used.
            let (mut at, mut breaks) = (0usize, 0u64);
            // Looked at once for the chunk, only while a proof holds.
            let hint = self
                .prover
                .as_ref()
                .filter(|p| p.holds())
                .map(|_| Hint::with_text(lines.bytes, lines.text()));
            let flow = loop {
                let rest = lines.bytes.get(at..).unwrap_or_default();
                match rest.first() {
                    None => break None,
                    // An empty line: skipped.
                    Some(b'\n') => {
                        at += 1;
                        breaks += 1;
                        continue;
                    }
                    Some(_) => {}
                }
                let Scan::Cut { len, ended: true, .. } = scan_line_unmarked(rest, false, spans) else {
                    break Some(Flow::Slow);
                };
                let rec = lines.rec(at, len, breaks, spans);
                at += len + 1;
                breaks += 1;
                if !self.piece.is_last() && rec.len() == 1 && rec.get(0) == Some(SENTINEL) {
                    break Some(Flow::Sentinel(rec.line));
                }
                if let (Some(p), Some(hint)) = (&mut self.prover, hint) {
                    let start = at - len - 1;
                    let record = lines.bytes.get(start..at).unwrap_or_default();
                    p.line(record, self.piece.start + rec.byte, spans, hint.from(start));
                }
                self.out.pending.settle();
                self.out.last = Some(last_record(&rec));
                if let Next::Stop = self.record(&rec, nfc_rec, header, sink) {
                    break Some(Flow::Stop);
                }
            };
            rdr.skip(at, breaks);
            if let Some(flow) = flow {
                return flow;
            }
        }
    }

    /// Reads the next record into `rec`; `Stop` at the end of the piece.
    fn next_record<R: Read>(&mut self, rdr: &mut Records<R>, rec: &mut Record) -> Next {
        match rdr.read(rec) {
            Ok(true) => {}
            Ok(false) => return Next::Stop,
            Err(e) => {
                self.out.failed.push(self.checker.io_error(&self.name, &e));
                self.out.stop();
                return Next::Stop;
            }
        }
        if !self.piece.is_last() && rec.len() == 1 && rec.get(0) == Some(SENTINEL) {
            if matches!(rdr.read(rec), Ok(false)) {
                self.out.lines = Some(rec.line.saturating_sub(1));
            }
            return Next::Stop;
        }
        self.out.pending.settle();
        self.out.last = Some(last_record(&rec.view()));
        Next::Go
    }

    /// Checks one record and hands its row, if valid, to `sink`; `nfc_rec`
    /// receives the record in NFC when it is not.
    fn record(&mut self, rec: &Rec<'_>, nfc_rec: &mut Record, header: &LogHeader, sink: &mut dyn RowSink) -> Next {
        let line = rec.line;
        if rec.len() == 1 && rec.get(0).is_some_and(|c| c.iter().all(u8::is_ascii_whitespace)) {
            return Next::Go;
        }
        if let Some(bad) = rec.bad_quote {
            let p = self.bad_quote(bad);
            self.out.pending.push(p);
            return Next::Go;
        }
        if rec.len() != header.width {
            self.wrong_width(rec, header.width);
            return Next::Go;
        }
        // Text in NFD (base letter + combining tone mark, as macOS and
        // some converters write it) is read as NFC.
        let nfc;
        let rec = if rec.may_hold_marks() && to_nfc(rec, nfc_rec) {
            nfc = nfc_rec.view();
            &nfc
        } else {
            rec
        };
        let (next, fast_ref) = self.check(rec, header, line, sink);
        if let Next::Go = next
            && let Some(cell) = header.index.get(C_REF).copied().flatten()
        {
            match fast_ref {
                // What `note_ref` would note, taken from the cell the fast
                // check read: nothing to trim, nothing to normalise.
                Some(r) if is_plain_ascii_ref(r.as_bytes()) => self.note_ref_text(r.as_bytes(), cell, line),
                _ => self.note_ref(rec, cell, line),
            }
        }
        next
    }

    /// The fast check, then the detailed one when it fails; the `ref` the
    /// fast check read, when it passed.
    fn check<'r>(
        &mut self,
        rec: &Rec<'r>,
        header: &LogHeader,
        line: u64,
        sink: &mut dyn RowSink,
    ) -> (Next, Option<&'r str>) {
        let file = self.piece.file;
        if let Some(r) = self.checker.fast.row(file, rec, header, line, &mut self.dates, sink) {
            return (Next::Go, Some(r));
        } else if self.checker.fast.only_bad_date(rec, header) && !self.out.pending.wants("bad-date") {
            // Counted: the cap of `bad-date` is full.
        } else if let Some(row) =
            self.checker
                .detailed
                .row(file, &self.name, rec, &header.map, line, &mut self.out.pending.record)
        {
            sink.row(&row);
        } else if self
            .out
            .pending
            .record
            .last()
            .is_some_and(|p| p.diag.code == "encoding")
        {
            self.out.stop();
            return (Next::Stop, None);
        }
        (Next::Go, None)
    }

    fn wrong_width(&mut self, rec: &Rec<'_>, width: usize) {
        if !self.out.pending.wants("csv-row") {
            return;
        }
        let msg = self.checker.localize(
            &format!("dòng có {} ô nhưng tiêu đề có {width} cột: kiểm tra dấu phẩy thừa/thiếu hoặc đặt ô có dấu phẩy trong ngoặc kép", rec.len()),
            &format!("the row has {} cells but the header has {width} columns: look for a missing or extra comma, or quote cells that contain commas", rec.len()),
        );
        self.out.pending.push(Pending {
            diag: Diagnostic::error(&self.name, "csv-row", msg).at(to_usize(rec.line), 1, None),
            cell: None,
        });
    }

    /// Notes the record's `ref` (cell `cell`), compared as `plan fmt`
    /// writes it: Unicode spaces trimmed, NFC.
    fn note_ref(&mut self, rec: &Rec<'_>, cell: usize, line: u64) {
        let raw = rec.get(cell).unwrap_or_default();
        let raw = if cell + 1 == rec.len() {
            raw.strip_suffix(b"\r").unwrap_or(raw)
        } else {
            raw
        };
        let r = raw.trim_ascii();
        if crate::text::is_printable_ascii(r) {
            // As `text::cell` would give it: no other space to trim, no
            // line break to write as LF, nothing to normalise.
            if !r.is_empty() {
                self.note_ref_text(r, cell, line);
            }
        } else if let Ok(text) = std::str::from_utf8(r) {
            let text = crate::text::cell(text);
            if !text.is_empty() {
                self.note_ref_text(text.as_bytes(), cell, line);
            }
        } else {
            self.note_ref_text(r, cell, line);
        }
    }

    /// Notes a `ref`'s hash (the first reading), or where it is when its
    /// hash is wanted (the second).
    #[inline]
    fn note_ref_text(&mut self, text: &[u8], cell: usize, line: u64) {
        let hash = hash64(text);
        match self.checker.wanted_refs() {
            None => self.out.refs.push(hash),
            Some(wanted) => {
                if wanted.contains(hash) {
                    self.out.entries.push(RefEntry::new(text, self.piece.file, line, cell));
                }
            }
        }
    }

    /// A row whose quoting RFC 4180 does not allow: the CSV reader would
    /// guess at its cells, so it is not counted.
    fn bad_quote(&self, bad: BadQuote) -> Pending {
        let msg = match bad.kind {
            BadQuoteKind::InsideCell => self.checker.localize(
                "dấu ngoặc kép nằm giữa một ô không mở bằng ngoặc kép: hãy đặt cả ô trong ngoặc kép và viết dấu \" bên trong thành \"\"",
                "a quote inside a cell that does not start with one: put the whole cell in quotes and write each quote inside it as \"\"",
            ),
            BadQuoteKind::AfterQuote => self.checker.localize(
                "có chữ sau dấu ngoặc kép đóng ô: hãy đặt cả ô trong ngoặc kép và viết dấu \" bên trong thành \"\"",
                "text after the quote that closes a cell: put the whole cell in quotes and write each quote inside it as \"\"",
            ),
        };
        Pending {
            diag: Diagnostic::error(&self.name, "csv-row", msg).at(to_usize(bad.line), bad.column, None),
            cell: None,
        }
    }
}

/// Whether a `ref` cell is, byte for byte, what [`PieceReader::note_ref`]
/// notes for it: printable ASCII with a visible character at each end
/// (the `\r` of a CRLF is not one), so its own [`crate::text::cell`].
fn is_plain_ascii_ref(cell: &[u8]) -> bool {
    crate::text::visible_ascii_ends(cell) && crate::text::is_printable_ascii(cell)
}

fn last_record(rec: &Rec<'_>) -> LastRecord {
    LastRecord {
        byte: rec.byte,
        line: rec.line,
    }
}

/// Writes `rec` in NFC into `out`; false when `rec` is NFC already (or not
/// UTF-8, which the row check reports).
fn to_nfc(rec: &Rec<'_>, out: &mut Record) -> bool {
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
