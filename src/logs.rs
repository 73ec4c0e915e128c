//! Reading activity logs (CSV) against a plan: each row checked and, when
//! valid, handed to a sink (the compliance engine, the report's collector,
//! or nothing for `plan check`).
//!
//! The hot path: records are read into a reused buffer ([`records`], cut by
//! the quote rules of [`cells`]); a fast check ([`fast`]) compares codes as
//! bytes and parses dates and numbers without allocating; only a row that
//! fails it goes through the detailed check ([`row`]) that words the
//! diagnostics. Nothing per row is kept but an 8-byte hash of its `ref`
//! ([`refs`]), so memory is bounded by the plan and the set of `ref`s, not by
//! the number of rows. When a hash repeats, the logs are read a second time
//! to name the places of those `ref`s.
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
mod proof;
mod raw;
mod records;
mod refs;
mod row;
pub mod titles;
pub mod workbook;

pub use dayorder::month_first;
// The hot path's line splitter, also used by `canonical::log_fast`.
pub(crate) use cells::{Scan, scan_line};

use std::collections::BTreeSet;
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
    /// Finishes what can be finished of the rows seen so far, on the
    /// thread that read them, before the fork is merged on another (the
    /// engine counts the groups it gathered). Nothing by default.
    fn settle(&mut self) {}
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
    fn settle(&mut self) {
        self.0.settle();
        self.1.settle();
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
    sequential(Checker::new(plan, files, today, lang), files, lang, sink).0
}

/// [`scan_sequential`] with `checker`; what each file's reading proved.
fn sequential(
    mut checker: Checker<'_>,
    files: &[LogFile],
    lang: Lang,
    sink: &mut dyn RowSink,
) -> (Vec<Diagnostic>, Vec<Option<Proven>>) {
    let mut outs: Vec<found::FileOut> = files
        .iter()
        .enumerate()
        .map(|(i, f)| checker.read_whole(i, &f.source, sink))
        .collect();
    let proven = outs.iter_mut().map(found::FileOut::proven).collect();
    let diags = place_all(&mut checker, files, outs, Vec::new(), 1, lang, |checker| {
        read_whole_files(checker, files)
    });
    (diags, proven)
}

/// Every file's diagnostics placed, the `ref`s used twice among them: the
/// first reading's hashes are `runs` and those still in `outs`, compared on
/// `threads` threads; see [`duplicate_refs`] for `read_again`.
fn place_all(
    checker: &mut Checker<'_>,
    files: &[LogFile],
    mut outs: Vec<found::FileOut>,
    mut runs: Vec<Vec<u64>>,
    threads: usize,
    lang: Lang,
    read_again: impl FnOnce(&Checker<'_>) -> Vec<Vec<refs::RefEntry>>,
) -> Vec<Diagnostic> {
    runs.extend(outs.iter_mut().flat_map(|o| std::mem::take(&mut o.refs)));
    let (dups, changed) = duplicate_refs(checker, runs, threads, read_again);
    let mut diags = raw::place(files, outs, &dups, lang);
    diags.extend(changed);
    diags
}

/// The second reading in one thread: each file whole, for the entries of
/// the wanted `ref`s (one run per file).
fn read_whole_files(checker: &Checker<'_>, files: &[LogFile]) -> Vec<Vec<refs::RefEntry>> {
    let mut entries = Vec::new();
    for (i, f) in files.iter().enumerate() {
        entries.extend(checker.read_whole(i, &f.source, &mut Discard).entries);
    }
    entries
}

/// The `ref`s used more than once, from the hashes of the first reading
/// (`runs`, one per piece or thread): when a hash repeats, `read_again`
/// reads the logs a second time with [`Checker::wanted_refs`] set, for where
/// those `ref`s are (runs of entries; see [`refs`]). Also an error for each
/// file where a `ref` seen twice in the first reading was found once in the
/// second: a log changed in between, and its duplicates cannot be named.
fn duplicate_refs(
    checker: &mut Checker<'_>,
    mut runs: Vec<Vec<u64>>,
    threads: usize,
    read_again: impl FnOnce(&Checker<'_>) -> Vec<Vec<refs::RefEntry>>,
) -> (refs::Duplicates, Vec<Diagnostic>) {
    runs.retain(|r| !r.is_empty());
    let repeated = refs::repeated_hashes(&refs::sorted_runs(runs, threads), threads);
    if repeated.is_empty() {
        return (refs::Duplicates::default(), Vec::new());
    }
    let (mut entries, wanted) = checker.reading_again(refs::Wanted::new(repeated), read_again);
    entries.retain(|r| !r.is_empty());
    let entries = refs::sorted_runs(entries, threads);
    let mut changed = Vec::new();
    let again = refs::repeated_hashes(&entries, threads);
    if wanted.hashes() != again.as_slice() {
        // Files holding a `ref` whose hash is now found once.
        let mut lone = BTreeSet::new();
        for e in entries.iter().flatten() {
            if again.binary_search(&e.hash).is_err() {
                lone.insert(e.file());
            }
        }
        let files = if lone.is_empty() { BTreeSet::from([0]) } else { lone };
        for file in files {
            let msg = checker.localize(
                "tệp đã thay đổi trong khi đang được đọc (một mã `ref` trùng lặp không còn thấy khi đọc lại): hãy chạy lại lệnh khi không còn ai sửa tệp",
                "the file changed while it was being read (a `ref` used twice was not found twice when read again): run the command again once nobody is editing it",
            );
            changed.push(Diagnostic::error(checker.name(file), "io", msg));
        }
    }
    (
        refs::duplicates(&entries, &again, crate::diag::cap::MAX_PER_CODE),
        changed,
    )
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
    scan_with(Checker::new(plan, files, today, lang), files, lang, threads, sink).0
}

/// Where the records of a log whose check proved them canonical lie: from
/// `data_start` (the end of the header line as the check read it) to
/// `end` (where the bytes after the last record begin). The log is in
/// canonical form when, besides, its header line is canonical and ends at
/// `data_start`, and `end` is the file's size (see `plan fmt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proven {
    pub data_start: u64,
    pub end: u64,
}

impl Proven {
    /// Whether the file these records were read from (open as `f`, `size`
    /// bytes, unchanged since) is in canonical form: its records reach its
    /// end, and its header line is canonical and ends where they begin.
    pub fn holds(&self, f: &File, size: u64) -> std::io::Result<bool> {
        if self.end != size {
            return Ok(false);
        }
        let header = crate::canonical::canonical_header(f)?;
        // A row of one empty cell would read as a blank line.
        Ok(header.is_some_and(|(data_start, width)| width >= 2 && data_start == self.data_start))
    }
}

/// [`scan`], also proving each file canonical as it is read
/// ([`proof`]): for each file, where its records lie when every one of
/// them is a canonical line in order (`None`: not proved, which is not
/// "not canonical").
pub fn scan_proving<S: ParallelSink>(
    plan: &Plan,
    files: &[LogFile],
    today: NaiveDate,
    lang: Lang,
    threads: usize,
    sink: &mut S,
) -> (Vec<Diagnostic>, Vec<Option<Proven>>) {
    scan_with(
        Checker::new(plan, files, today, lang).proving(),
        files,
        lang,
        threads,
        sink,
    )
}

fn scan_with<S: ParallelSink>(
    mut checker: Checker<'_>,
    files: &[LogFile],
    lang: Lang,
    threads: usize,
    sink: &mut S,
) -> (Vec<Diagnostic>, Vec<Option<Proven>>) {
    if threads <= 1 {
        return sequential(checker, files, lang, sink);
    }
    let (mut outs, runs) = parallel::scan(&checker, files, threads, sink);
    let proven = outs.iter_mut().map(found::FileOut::proven).collect();
    let diags = place_all(&mut checker, files, outs, runs, threads, lang, |checker| {
        let (again, _) = parallel::scan(checker, files, threads, &mut Discard);
        again.into_iter().flat_map(|o| o.entries).collect()
    });
    (diags, proven)
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const HEAD: &str = "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note\n";
    const ROW: &str = "2021-03-02,HCCB,van-ban,supervision,done,Giám sát tại xã Thẩm Dương,F5,KH-02,12,15000000,2,1,\n";

    fn log(rows: usize) -> LogFile {
        LogFile {
            name: "logs/a.csv".to_owned(),
            source: Source::Bytes(format!("{HEAD}{}", ROW.repeat(rows)).into_bytes()),
        }
    }

    /// The second reading of `files` when they are read as they are.
    fn read_again(files: &[LogFile]) -> impl FnOnce(&Checker<'_>) -> Vec<Vec<refs::RefEntry>> + '_ {
        |checker| read_whole_files(checker, files)
    }

    #[test]
    fn a_bom_inside_a_file_is_text_wherever_the_file_is_cut() {
        // Every row after the first begins with a BOM: one of them begins a
        // piece (cut from 256 bytes on in the unit tests), and is read as
        // the others are (its date cell starts with U+FEFF).
        let (plan, _) = crate::planfile::load("p.toml", include_str!("../plans/15-DA-TU.toml"), Lang::En);
        let plan = plan.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let text = format!("{HEAD}{ROW}{}", format!("\u{feff}{ROW}").repeat(40));
        let files = [LogFile {
            name: "logs/a.csv".to_owned(),
            source: Source::Bytes(text.into_bytes()),
        }];
        let one = scan_sequential(&plan, &files, today, Lang::En, &mut Discard);
        assert_eq!(one.iter().filter(|d| d.code == "bad-date").count(), 40);
        for threads in 2..=4 {
            assert_eq!(
                scan(&plan, &files, today, Lang::En, threads, &mut Discard),
                one,
                "{threads}"
            );
        }
    }

    #[test]
    fn refs_are_compared_as_plan_fmt_writes_them_on_every_path() {
        let (plan, _) = crate::planfile::load("p.toml", include_str!("../plans/15-DA-TU.toml"), Lang::En);
        let plan = plan.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let row = |r: &str| format!("2021-03-02,HCCB,van-ban,supervision,done,Giám sát,F5,{r},12,15000000,2,1,\n");
        // Spaces are trimmed (a vertical tab too), NFD is read as NFC, a
        // quoted `ref` is its text, a line break in it is LF.
        let refs = [
            "KH-1",
            " KH-1",
            "\"KH-1 \"",
            "Số-1",
            "So\u{302}\u{301}-1",
            "KH-2",
            "KH-1",
            "KH-1\u{b}",
            "\"KH\r\n3\"",
            "\"KH\n3\"",
        ];
        let csv: String = std::iter::once(HEAD.to_owned())
            .chain(refs.iter().map(|r| row(r)))
            .collect();
        let dups: Vec<usize> = check_bytes(&plan, "logs/a.csv", csv.as_bytes(), today, Lang::En)
            .iter()
            .filter(|d| d.code == "duplicate-ref")
            .map(|d| d.line)
            .collect();
        assert_eq!(dups, [3, 4, 6, 8, 9, 12]);
    }

    #[test]
    fn a_log_that_changed_between_the_readings_is_an_error_not_a_pass() {
        let (plan, _) = crate::planfile::load("p.toml", include_str!("../plans/15-DA-TU.toml"), Lang::En);
        let plan = plan.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let hash = refs::hash64(b"KH-02");
        // The first reading saw `KH-02` twice.
        let then = [log(2)];
        let mut checker = Checker::new(&plan, &then, today, Lang::En);
        let (dups, changed) = duplicate_refs(&mut checker, vec![vec![hash, hash]], 1, read_again(&then));
        assert_eq!((dups.first.len(), changed.len()), (1, 0));
        // By the second, one of the two rows was gone.
        let now = [log(1)];
        let (dups, changed) = duplicate_refs(&mut checker, vec![vec![hash, hash]], 1, read_again(&now));
        assert!(dups.first.is_empty());
        assert_eq!(changed.len(), 1);
        assert_eq!((changed[0].code, changed[0].file.as_str()), ("io", "logs/a.csv"));
        assert!(checker.wanted_refs().is_none(), "the first reading's mode is back");
    }
}
