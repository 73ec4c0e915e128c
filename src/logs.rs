//! Reading activity logs (CSV) against a plan: each row checked and, when
//! valid, handed to a sink (the compliance engine, the report's collector,
//! or nothing for `plan check`).
//!
//! The hot path: records are read into a reused buffer ([`records`], cut by
//! the quote rules of [`cells`]); a fast check ([`fast`]) compares codes as
//! bytes and parses dates and numbers without allocating; only a row that
//! fails it goes through the detailed check ([`row`]) that words the
//! diagnostics. Nothing per row is kept but a 24-byte note of its `ref`
//! ([`refs`]), so memory is bounded by the plan and the set of `ref`s, not by
//! the number of rows.
//!
//! Large files are split into pieces at record boundaries and read on all
//! cores ([`scan`], [`parallel`]); the result is the same as reading in one
//! thread ([`scan_sequential`]). Each file, or piece, is read by [`piece`]
//! with the checks of [`checker`], its header by [`header`].
//!
//! Diagnostics carry the file and line ([`found`]); the column and source
//! line are filled in afterwards, only for files that have problems, by
//! looking at the raw text again ([`raw`]).

mod cells;
mod checker;
mod dayorder;
mod fast;
mod found;
mod header;
mod parallel;
mod piece;
mod raw;
mod records;
mod refs;
mod row;
pub mod titles;
pub mod workbook;

pub use dayorder::month_first;
// The hot path's line splitter, also used by `canonical::log_fast`.
pub(crate) use cells::{Scan, scan_line};

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::{NumColumn, Plan, RowStatus};

use checker::Checker;

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
    #[must_use]
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

/// Reads every log in one thread, in order.
pub fn scan_sequential(
    plan: &Plan,
    files: &[LogFile],
    today: NaiveDate,
    lang: Lang,
    sink: &mut dyn RowSink,
) -> Vec<Diagnostic> {
    let mut checker = Checker::new(plan, files, today, lang);
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
    let dups = duplicate_refs(&mut checker, vec![run], |checker| {
        let mut entries = Vec::new();
        for (i, f) in files.iter().enumerate() {
            entries.extend(checker.read_whole(i, &f.source, &mut Discard).entries);
        }
        entries
    });
    raw::place(files, outs, &dups, lang)
}

/// The `ref`s used more than once, from the hashes of the first reading
/// (`runs`, one per piece or thread): when a hash repeats, `read_again`
/// reads the logs a second time with [`Checker::wanted_refs`] set, for where
/// those `ref`s are (see [`refs`]).
fn duplicate_refs(
    checker: &mut Checker<'_>,
    mut runs: Vec<Vec<u64>>,
    read_again: impl FnOnce(&Checker<'_>) -> Vec<refs::RefEntry>,
) -> refs::Duplicates {
    runs.retain(|r| !r.is_empty());
    let repeated = refs::repeated_hashes(&refs::sorted_runs(runs));
    if repeated.is_empty() {
        return refs::Duplicates::default();
    }
    checker.wanted_refs = Some(repeated);
    let mut entries = read_again(checker);
    checker.wanted_refs = None;
    refs::sort_run(&mut entries);
    refs::duplicates(vec![entries], crate::diag::cap::MAX_PER_CODE)
}

/// Checks one CSV log held in memory (for tools and fuzzing).
pub fn check_bytes(plan: &Plan, name: &str, bytes: &[u8], today: NaiveDate, lang: Lang) -> Vec<Diagnostic> {
    let files = [LogFile {
        name: name.to_owned(),
        source: Source::Bytes(bytes.to_vec()),
    }];
    scan_sequential(plan, &files, today, lang, &mut Discard)
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
    if threads <= 1 {
        return scan_sequential(plan, files, today, lang, sink);
    }
    let mut checker = Checker::new(plan, files, today, lang);
    let (mut outs, mut runs) = parallel::scan(&checker, files, threads, sink);
    runs.extend(outs.iter_mut().flat_map(|o| std::mem::take(&mut o.refs)));
    let dups = duplicate_refs(&mut checker, runs, |checker| {
        let (again, _) = parallel::scan(checker, files, threads, &mut Discard);
        again.into_iter().flat_map(|o| o.entries).collect()
    });
    raw::place(files, outs, &dups, lang)
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
