//! Reading activity logs (CSV) against a plan: each row checked and, when
//! valid, handed to a sink (the compliance engine, the report's collector,
//! or nothing for `plan check`).
//!
//! The hot path: records are read into a reused `csv::ByteRecord`; a fast
//! check ([`fast`]) compares codes as bytes and parses dates and numbers
//! without allocating; only a row that fails it goes through the detailed
//! check ([`row`]) that words the diagnostics. Nothing per row is kept but a
//! 24-byte note of its `ref` ([`refs`]), so memory is bounded by the plan and
//! the set of `ref`s, not by the number of rows.
//!
//! Large files are split into pieces at record boundaries and read on all
//! cores ([`scan`]); the pieces' sinks are merged in file order, and the
//! result is the same as reading in one thread ([`scan_sequential`]). A split
//! point that turns out to lie inside a quoted cell is detected (see
//! [`piece::SENTINEL`]) and that file is read again in one piece.
//!
//! Diagnostics carry the file and line; the column and source line are
//! filled in afterwards, only for files that have problems, by looking at
//! the raw text again ([`raw`]).

mod dayorder;
mod fast;
mod piece;
mod raw;
mod records;
mod refs;
mod row;
pub mod titles;
pub mod workbook;

pub use dayorder::month_first;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::diag::cap::{self, Cap, Coded};
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::model::{NumColumn, Plan, RowStatus};

use piece::{Header, Piece, PieceOut, SENTINEL};
use refs::{Duplicate, RefEntry};

/// The log columns, in canonical order (the order `plan fmt` writes).
pub const COLUMNS: [&str; 13] = [
    "date",
    "org",
    "unit",
    "kind",
    "status",
    "title",
    "field",
    "ref",
    "participants",
    "cost",
    "recommendations",
    "resolved",
    "note",
];
/// Columns every log must have.
pub const REQUIRED: [&str; 6] = ["date", "org", "unit", "kind", "status", "title"];

const C_DATE: usize = 0;
const C_ORG: usize = 1;
const C_UNIT: usize = 2;
const C_KIND: usize = 3;
const C_STATUS: usize = 4;
const C_TITLE: usize = 5;
const C_FIELD: usize = 6;
const C_REF: usize = 7;
const C_NUM0: usize = 8;
const C_NOTE: usize = 12;

/// How many lines of a record holding a duplicate `ref` are looked at to
/// quote it (a quoted cell may hold line breaks).
const DUPLICATE_LINES: usize = 20;

/// Files at least this large are split for parallel reading.
const SPLIT_MIN_BYTES: u64 = 4 << 20;

/// One valid row, borrowed from the reader's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub date: NaiveDate,
    pub org: usize,
    pub unit: usize,
    pub kind: usize,
    pub status: RowStatus,
    pub field: Option<usize>,
    /// participants, cost, recommendations, resolved (see [`NumColumn`]).
    pub nums: [Option<u64>; 4],
    pub title: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    /// Index of the file in the list given to the scan.
    pub file: usize,
    /// 1-based line of the row. In a parallel [`scan`] of a split file it
    /// counts from the start of the row's piece: sinks that need places
    /// use [`scan_sequential`].
    pub line: u64,
}

impl Row<'_> {
    pub fn num(&self, c: NumColumn) -> Option<u64> {
        self.nums.get(c.index()).copied().flatten()
    }
}

/// Receives valid rows.
pub trait RowSink {
    fn row(&mut self, row: &Row<'_>);
}

impl<F: FnMut(&Row<'_>)> RowSink for F {
    fn row(&mut self, row: &Row<'_>) {
        self(row);
    }
}

/// A sink that can be split across threads and put back together: each
/// piece of the logs gets a [`fork`](ParallelSink::fork), and the forks are
/// merged in file order, so the result does not depend on the threads (an
/// [`ORDER_FREE`](ParallelSink::ORDER_FREE) sink gets one fork per thread
/// for the whole files it reads).
pub trait ParallelSink: RowSink + Send + Sync + Sized {
    /// An empty sink of the same configuration.
    fn fork(&self) -> Self;
    /// Adds what `other` has seen (rows that come after this sink's).
    fn merge(&mut self, other: Self);
    /// True when merging in any order gives the same sink (counts and sums):
    /// a reading thread then keeps one fork for all the whole files it
    /// reads, instead of one per file.
    const ORDER_FREE: bool = false;
}

/// Counts nothing: `plan check` only wants the diagnostics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl RowSink for Discard {
    fn row(&mut self, _row: &Row<'_>) {}
}

impl ParallelSink for Discard {
    fn fork(&self) -> Self {
        Discard
    }
    fn merge(&mut self, _other: Self) {}
    const ORDER_FREE: bool = true;
}

impl<A: ParallelSink, B: ParallelSink> RowSink for (A, B) {
    fn row(&mut self, row: &Row<'_>) {
        self.0.row(row);
        self.1.row(row);
    }
}

impl<A: ParallelSink, B: ParallelSink> ParallelSink for (A, B) {
    fn fork(&self) -> Self {
        (self.0.fork(), self.1.fork())
    }
    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
        self.1.merge(other.1);
    }
    const ORDER_FREE: bool = A::ORDER_FREE && B::ORDER_FREE;
}

/// Where a log's bytes are.
#[derive(Debug, Clone)]
pub enum Source {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

impl Source {
    fn len(&self) -> u64 {
        match self {
            Source::Path(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Source::Bytes(b) => b.len() as u64,
        }
    }

    /// The bytes from `start` to `end` (or the end).
    fn reader(&self, start: u64, end: Option<u64>) -> std::io::Result<Box<dyn Read + Send + '_>> {
        match self {
            Source::Path(p) => {
                // No BufReader: the CSV reader buffers (see `piece`).
                let mut f = File::open(p)?;
                f.seek(SeekFrom::Start(start))?;
                Ok(match end {
                    Some(e) => Box::new(f.take(e.saturating_sub(start))),
                    None => Box::new(f),
                })
            }
            Source::Bytes(b) => {
                let from = usize::try_from(start).unwrap_or(usize::MAX).min(b.len());
                let to = end.map_or(b.len(), |e| usize::try_from(e).unwrap_or(usize::MAX).min(b.len()));
                Ok(Box::new(b.get(from..to.max(from)).unwrap_or_default()))
            }
        }
    }

    /// The bytes from `start` on.
    fn tail(&self, start: u64) -> Vec<u8> {
        let mut out = Vec::new();
        if let Ok(mut r) = self.reader(start, None) {
            let _ = r.read_to_end(&mut out);
        }
        out
    }
}

/// A log to read: its display name (workspace-relative) and its bytes.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub name: String,
    pub source: Source,
}

/// A diagnostic whose column is the start of a cell, filled in later.
#[derive(Debug, Clone)]
struct Pending {
    diag: Diagnostic,
    /// Cell index in the raw line (header order), if the problem is in a cell.
    cell: Option<usize>,
}

impl Coded for Pending {
    fn code(&self) -> &'static str {
        self.diag.code
    }
    fn severity(&self) -> Severity {
        self.diag.severity
    }
}

/// The diagnostics of a file, or of a piece of it, as they are found: at
/// most [`cap::MAX_PER_CODE`] of each code kept, the others counted. Those
/// of the record read last are held apart until the next record is read:
/// when it was the file's last and a quote left open swallowed the rest of
/// the file, they are dropped.
#[derive(Debug, Default)]
struct Found {
    kept: Cap<Pending>,
    /// The last record's diagnostics.
    record: Vec<Pending>,
    /// The last record's diagnostics that were not made, the cap of their
    /// code being full (see [`Found::wants`]).
    record_skipped: Vec<&'static str>,
}

impl Found {
    fn push(&mut self, p: Pending) {
        self.record.push(p);
    }

    /// Whether an error of `code` is worth making: false when the cap of
    /// its code is full already (it is then counted as made).
    fn wants(&mut self, code: &'static str) -> bool {
        if self.kept.is_full(code, Severity::Error) {
            self.record_skipped.push(code);
            false
        } else {
            true
        }
    }

    /// A new record starts: the last one's diagnostics are final.
    fn settle(&mut self) {
        for p in self.record.drain(..) {
            self.kept.push(p);
        }
        for code in self.record_skipped.drain(..) {
            self.kept.count(code, Severity::Error, 1);
        }
    }

    /// Forgets the last record's diagnostics.
    fn drop_record(&mut self) {
        self.record.clear();
        self.record_skipped.clear();
    }

    /// Adds the diagnostics of the piece after this one, whose lines are
    /// counted from `offset` lines into the file.
    fn append(&mut self, mut later: Found, offset: u64) {
        self.settle();
        let shift = |p: &mut Pending| {
            if p.diag.line > 0 {
                p.diag.line = p.diag.line.saturating_add(to_usize(offset));
            }
        };
        later.kept.items_mut().iter_mut().for_each(shift);
        later.record.iter_mut().for_each(shift);
        self.kept.append(later.kept);
        self.record = later.record;
        self.record_skipped = later.record_skipped;
    }

    /// Every diagnostic found, capped.
    fn finish(mut self) -> Cap<Pending> {
        self.settle();
        self.kept
    }
}

/// Where the last record of a file starts, to look for a quote left open at
/// the end of the file (the CSV reader silently ends such a field at EOF).
#[derive(Debug, Clone, Copy)]
struct LastRecord {
    /// Byte offset and line where the reader started on the record.
    byte: u64,
    line: u64,
}

/// The checks of rows against one plan; shared by all reading threads.
struct Checker<'p> {
    plan: &'p Plan,
    today: NaiveDate,
    lang: Lang,
    names: Vec<&'p str>,
    codes: fast::Codes,
}

impl<'p> Checker<'p> {
    fn new(plan: &'p Plan, files: &'p [LogFile], today: NaiveDate, lang: Lang) -> Checker<'p> {
        Checker {
            plan,
            today,
            lang,
            names: files.iter().map(|f| f.name.as_str()).collect(),
            codes: fast::Codes::new(plan),
        }
    }

    fn t(&self, vi: &str, en: &str) -> String {
        self.lang.pick(vi, en).to_owned()
    }

    fn name(&self, file: usize) -> &str {
        self.names.get(file).copied().unwrap_or("")
    }

    /// A diagnostic for a file that cannot be read as UTF-8 CSV at all, from
    /// its first bytes (a UTF-16 BOM, or NUL bytes: no CSV text has them).
    fn unreadable(&self, file: usize, src: &Source) -> Option<Diagnostic> {
        let name = self.name(file);
        let mut head = Vec::with_capacity(4);
        match src.reader(0, Some(4)) {
            Ok(mut r) => {
                if let Err(e) = r.read_to_end(&mut head) {
                    return Some(self.io_error(name, &e));
                }
            }
            Err(e) => return Some(self.io_error(name, &e)),
        }
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.contains(&0) {
            let msg = self.t(
                "tệp được lưu ở mã UTF-16 (\"Unicode Text\" của Excel), không phải UTF-8: trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
                "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
            );
            return Some(Diagnostic::error(name, "encoding", msg).at(1, 0, None));
        }
        None
    }

    fn io_error(&self, name: &str, e: &std::io::Error) -> Diagnostic {
        let e = self.lang.io_error(e);
        let msg = self.t(
            &format!("không đọc được tệp: {e}"),
            &format!("cannot read the file: {e}"),
        );
        Diagnostic::error(name, "io", msg)
    }

    /// Reads a whole file in one piece.
    fn read_whole(&self, file: usize, src: &Source, sink: &mut dyn RowSink) -> FileOut {
        if let Some(d) = self.unreadable(file, src) {
            return FileOut::failed(d);
        }
        let input = match src.reader(0, None) {
            Ok(r) => r,
            Err(e) => return FileOut::failed(self.io_error(self.name(file), &e)),
        };
        // A final line break is added so that every record ends with one
        // (see `piece` on line numbers); an extra empty line is skipped.
        let piece = Piece {
            file,
            start: 0,
            end: None,
        };
        let out = self.read_piece(piece, input.chain(&b"\n"[..]), None, sink);
        FileOut {
            pending: out.pending,
            refs: vec![out.refs],
            last: out.last,
            extra: out.failed,
        }
    }

    /// The header of a file and where its rows start, when the file can be
    /// split (a clean header on line 1).
    fn header_of(&self, file: usize, src: &Source) -> Option<(Header, u64)> {
        let mut rdr = records::Records::new(src.reader(0, None).ok()?);
        let mut rec = records::Record::default();
        if !rdr.read(&mut rec).ok()? || rec.line != 1 || rdr.position().1 != 2 {
            return None;
        }
        let mut scratch = Vec::new();
        let header = self.header(self.name(file), &rec, 1, &mut scratch)?;
        scratch.is_empty().then(|| (header, rdr.position().0))
    }

    /// Split points of a large file: just after a line break near each
    /// `size × k / parts`.
    fn split_points(src: &Source, data_start: u64, size: u64, parts: usize) -> Vec<u64> {
        let mut points = Vec::new();
        for k in 1..parts as u64 {
            let approx = (size * k / parts as u64).max(data_start);
            let mut window = Vec::with_capacity(1 << 16);
            if let Ok(r) = src.reader(approx, Some(approx + (1 << 16))) {
                let _ = r.take(1 << 16).read_to_end(&mut window);
            }
            if let Some(nl) = memchr::memchr(b'\n', &window) {
                let p = approx + nl as u64 + 1;
                if p < size && points.last().is_none_or(|&l| p > l) {
                    points.push(p);
                }
            }
        }
        points
    }

    /// Places each file's diagnostics, including `ref`s used twice and a
    /// quote left open at the end of a file.
    /// `runs` are more `ref`s, gathered across files.
    fn finish(&self, files: &[LogFile], mut outs: Vec<FileOut>, mut runs: Vec<Vec<RefEntry>>) -> Vec<Diagnostic> {
        runs.extend(outs.iter_mut().flat_map(|o| std::mem::take(&mut o.refs)));
        runs.retain(|r| !r.is_empty());
        let dups = refs::duplicates(refs::sorted_runs(runs), cap::MAX_PER_CODE);
        let mut diags = Vec::new();
        for (file, (out, log)) in outs.into_iter().zip(files).enumerate() {
            let mut found = out.pending;
            if let Some(last) = out.last {
                let tail = log.source.tail(last.byte);
                if let Some((line, column)) = raw::open_quote_at_eof(&tail, &last) {
                    // The last record swallowed the rest of the file: its
                    // other diagnostics are consequences of that.
                    found.drop_record();
                    let msg = self.t(
                        "dấu ngoặc kép mở ở đây không bao giờ được đóng: phần còn lại của tệp bị đọc thành một ô; hãy thêm dấu \" đóng hoặc xóa dấu \" thừa",
                        "this quote is never closed, so the rest of the file was read as one cell: add the closing \" or remove the stray one",
                    );
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
                Ok(r) => raw::read_lines(r, &wanted),
                Err(_) => BTreeMap::new(),
            };
            for d in mine {
                pending.push(self.duplicate(&log.name, files, &lines, d));
            }
            if more_dups > 0 {
                pending.count("duplicate-ref", Severity::Error, more_dups);
            }
            raw::locate_cells(&lines, pending.items_mut());
            diags.extend(out.extra);
            let (kept, left_out) = pending.into_parts();
            diags.extend(kept.into_iter().map(|p| p.diag));
            diags.extend(
                left_out
                    .into_iter()
                    .map(|(code, severity, n)| cap::summary(&log.name, code, severity, n, self.lang)),
            );
        }
        diags
    }

    fn duplicate(&self, name: &str, files: &[LogFile], lines: &BTreeMap<usize, String>, d: &Duplicate) -> Pending {
        let at = to_usize(d.again.line());
        let record: Vec<&String> = lines.range(at..).map(|(_, l)| l).collect();
        let text = raw::record_cells(&record)
            .get(d.again.cell())
            .map(|c| c.trim().to_owned())
            .unwrap_or_default();
        let other = files.get(d.first.file()).map_or("", |f| f.name.as_str());
        let l = d.first.line();
        let msg = self.t(
            &format!("số văn bản `{text}` đã dùng ở {other}:{l}: mỗi `ref` chỉ dùng một lần"),
            &format!("ref `{text}` is already used at {other}:{l}: each `ref` may be used once"),
        );
        Pending {
            diag: Diagnostic::error(name, "duplicate-ref", msg)
                .at(to_usize(d.again.line()), 0, None)
                .width(text.chars().count()),
            cell: Some(d.again.cell()),
        }
    }
}

/// What reading one file found, before placing.
#[derive(Debug, Default)]
struct FileOut {
    pending: Found,
    /// The file's `ref`s: one run per piece (sorted by hash, or not yet).
    refs: Vec<Vec<RefEntry>>,
    last: Option<LastRecord>,
    /// Diagnostics already placed (a file that could not be read).
    extra: Vec<Diagnostic>,
}

impl FileOut {
    fn failed(d: Diagnostic) -> FileOut {
        FileOut {
            extra: vec![d],
            ..FileOut::default()
        }
    }
}

/// Reads every log in one thread, in order.
pub fn scan_sequential(
    plan: &Plan,
    files: &[LogFile],
    today: NaiveDate,
    lang: Lang,
    sink: &mut dyn RowSink,
) -> Vec<Diagnostic> {
    let checker = Checker::new(plan, files, today, lang);
    // The `ref`s of all files in one run, sorted once at the end.
    let mut run = Vec::new();
    let outs = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut out = checker.read_whole(i, &f.source, sink);
            for piece in &mut out.refs {
                run.extend(std::mem::take(piece));
            }
            out
        })
        .collect();
    checker.finish(files, outs, vec![run])
}

/// Checks one CSV log held in memory (for tools and fuzzing).
pub fn check_bytes(plan: &Plan, name: &str, bytes: &[u8], today: NaiveDate, lang: Lang) -> Vec<Diagnostic> {
    let files = [LogFile {
        name: name.to_owned(),
        source: Source::Bytes(bytes.to_vec()),
    }];
    scan_sequential(plan, &files, today, lang, &mut Discard)
}

/// What a thread read from a piece, and its fork of the sink (`None`: the
/// rows went into the thread's shared fork).
type PieceResult<S> = (PieceOut, Option<S>);

/// A piece to read, and the header it needs (pieces after a file's first).
struct Job {
    piece: Piece,
    header: Option<Header>,
    size: u64,
}

/// Reads every log on up to `threads` threads, splitting large files; the
/// same diagnostics and the same sink contents as [`scan_sequential`].
pub fn scan<S: ParallelSink>(
    plan: &Plan,
    files: &[LogFile],
    today: NaiveDate,
    lang: Lang,
    threads: usize,
    sink: &mut S,
) -> Vec<Diagnostic> {
    let threads = threads.max(1);
    if threads == 1 {
        return scan_sequential(plan, files, today, lang, sink);
    }
    let checker = Checker::new(plan, files, today, lang);
    let mut jobs = Vec::new();
    for (file, log) in files.iter().enumerate() {
        let size = log.source.len();
        let split = (size >= SPLIT_MIN_BYTES && checker.unreadable(file, &log.source).is_none())
            .then(|| checker.header_of(file, &log.source))
            .flatten()
            .map(|(header, data_start)| (header, Checker::split_points(&log.source, data_start, size, threads)))
            .filter(|(_, points)| !points.is_empty());
        match split {
            None => jobs.push(Job {
                piece: Piece {
                    file,
                    start: 0,
                    end: None,
                },
                header: None,
                size,
            }),
            Some((header, points)) => {
                let mut start = 0;
                for end in points.iter().copied().map(Some).chain([None]) {
                    jobs.push(Job {
                        piece: Piece { file, start, end },
                        header: (start > 0).then(|| header.clone()),
                        size: end.unwrap_or(size) - start,
                    });
                    start = end.unwrap_or(size);
                }
            }
        }
    }
    // Largest first, so that the threads finish together.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs.get(i).map_or(0, |j| j.size)));
    let next = AtomicUsize::new(0);
    let template = &*sink;
    let mut results: Vec<Option<PieceResult<S>>> = (0..jobs.len()).map(|_| None).collect();
    // What each thread read from whole files, when the sink is order-free:
    // one fork and one run of `ref`s per thread, not one per file.
    let mut gathered: Vec<(Option<S>, Vec<RefEntry>)> = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(jobs.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    let mut mine: Option<S> = None;
                    let mut run = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let Some(job) = jobs.get(i) else { break };
                        let whole = job.piece.start == 0 && job.piece.is_last();
                        let shared = whole && S::ORDER_FREE;
                        let mut part = match mine.take() {
                            Some(p) if shared => p,
                            other => {
                                mine = other;
                                template.fork()
                            }
                        };
                        let mut out = checker.read_job(files, job, &mut part);
                        if whole {
                            // Taken, not appended: `out` is kept until the
                            // end, and an emptied Vec keeps its memory.
                            run.extend(std::mem::take(&mut out.refs));
                        } else {
                            refs::sort_run(&mut out.refs);
                        }
                        if shared {
                            mine = Some(part);
                            done.push((i, out, None));
                        } else {
                            done.push((i, out, Some(part)));
                        }
                    }
                    refs::sort_run(&mut run);
                    (done, mine, run)
                })
            })
            .collect();
        for w in workers {
            // A thread that failed leaves its files without results: they
            // are read again below, and what it gathered is dropped with it.
            let Ok((done, mine, run)) = w.join() else { continue };
            for (i, out, part) in done {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some((out, part));
                }
            }
            gathered.push((mine, run));
        }
    });
    let mut outs = Vec::with_capacity(files.len());
    let mut results = results.into_iter();
    for (file, log) in files.iter().enumerate() {
        let pieces: Vec<(Piece, Option<PieceResult<S>>)> = jobs
            .iter()
            .filter(|j| j.piece.file == file)
            .map(|j| (j.piece, results.next().flatten()))
            .collect();
        match assemble(pieces) {
            Some((out, parts)) => {
                for part in parts.into_iter().flatten() {
                    sink.merge(part);
                }
                outs.push(out);
            }
            // A split point inside a quoted cell (or a thread that failed):
            // read the file again in one piece.
            None => {
                let mut part = sink.fork();
                outs.push(checker.read_whole(file, &log.source, &mut part));
                sink.merge(part);
            }
        }
    }
    let mut runs = Vec::new();
    for (mine, run) in gathered {
        if let Some(part) = mine {
            sink.merge(part);
        }
        runs.push(run);
    }
    checker.finish(files, outs, runs)
}

impl Checker<'_> {
    fn read_job(&self, files: &[LogFile], job: &Job, sink: &mut dyn RowSink) -> PieceOut {
        let Some(log) = files.get(job.piece.file) else {
            return PieceOut::default();
        };
        if job.piece.start == 0 && job.piece.end.is_none() {
            let out = self.read_whole(job.piece.file, &log.source, sink);
            return PieceOut {
                pending: out.pending,
                refs: out.refs.into_iter().next().unwrap_or_default(),
                last: out.last,
                lines: None,
                stopped: false,
                failed: out.extra,
            };
        }
        let input = match log.source.reader(job.piece.start, job.piece.end) {
            Ok(r) => r,
            Err(_) => return PieceOut::default(),
        };
        let suffix: &[u8] = if job.piece.is_last() { b"\n" } else { b"" };
        let input = input.chain(suffix);
        if job.piece.is_last() {
            self.read_piece(job.piece, input, job.header.as_ref(), sink)
        } else {
            let sentinel = SENTINEL.chain(&b"\n"[..]);
            self.read_piece(job.piece, input.chain(sentinel), job.header.as_ref(), sink)
        }
    }
}

/// Puts a file's pieces back together: lines counted from the file's start,
/// sinks in order. `None` when a piece did not end on a record boundary.
fn assemble<S>(pieces: Vec<(Piece, Option<(PieceOut, S)>)>) -> Option<(FileOut, Vec<S>)> {
    let mut file = FileOut::default();
    let mut sinks = Vec::new();
    let mut offset = 0u64;
    for (piece, result) in pieces {
        let (out, part) = result?;
        file.pending.append(out.pending, offset);
        let mut run = out.refs;
        for r in &mut run {
            r.shift(offset);
        }
        file.refs.push(run);
        file.extra.extend(out.failed);
        sinks.push(part);
        file.last = out.last.map(|l| LastRecord {
            byte: l.byte + piece.start,
            line: l.line + offset,
        });
        if out.stopped {
            // An encoding error ends the file, as in one piece.
            file.last = None;
            return Some((file, sinks));
        }
        if !piece.is_last() {
            offset += out.lines?;
        }
    }
    Some((file, sinks))
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
