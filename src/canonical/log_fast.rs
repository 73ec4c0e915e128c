//! Whether a log file is already in canonical form, proved from its bytes
//! without building the canonical text: the file is canonical exactly when
//! its header names the columns in canonical order, every record is the
//! canonical rendering of its own cells, the rows are in order and the file
//! ends with a line break. The file is read in blocks (memory does not grow
//! with it), in parts on several threads; a line without quotes whose cells
//! need no trimming, no line-break change and no normalisation (ASCII, or
//! characters that are NFC on their own) is accepted as it is, and any
//! other record is canonicalised exactly as [`super::LogReader`] does and
//! compared. "Not proved" is not "not canonical": the full pass
//! ([`super::scan_log`]) decides then, and shows what differs.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fs::File;
use std::io;
use std::path::Path;

use super::LogReader;
use super::line_form::{Hint, LineForm, Run};
use super::log_sort::{Collector, FAN_IN, Gather, SortedLog, limit_per_thread};
use crate::columns::COLUMNS;
use crate::logs::{Scan, scan_line};
use crate::textdiff::Difference;

/// Bytes read at a time by each thread.
const BLOCK: usize = 1 << 20;

/// The block [`check_range`] starts with; in the unit tests a small one, so
/// that their logs cross many block ends.
const RANGE_BLOCK: usize = if cfg!(test) { 256 } else { BLOCK };

/// Below this size a log is read on one thread.
const PARALLEL_MIN: u64 = 4 << 20;

/// Whether the log in `file` is certainly in canonical form (read with
/// positional reads, on up to `threads` threads; the file's cursor is left
/// alone). `false` when it is not, or when this could not prove it.
pub fn proven_canonical(file: &File, threads: usize) -> io::Result<bool> {
    let size = file.metadata()?.len();
    let mut head = vec![0u8; BLOCK];
    let n = read_full_at(file, &mut head, 0)?;
    head.truncate(n);
    let Some((data_start, width)) = header(&head) else {
        return Ok(false);
    };
    // A row of one empty cell reads as a blank line: left to the full pass.
    if width < 2 {
        return Ok(false);
    }
    let parts = parts_of(file, data_start, size, threads, PARALLEL_MIN)?;
    let outcome = check_parts(file, &parts, width)?;
    if outcome == Verdict::Misaligned && parts.len() > 2 {
        // A part began inside a quoted cell: once more, in one part.
        return Ok(check_parts(file, &[data_start, size], width)? == Verdict::Canonical);
    }
    Ok(outcome == Verdict::Canonical)
}

/// Where the data of a log whose header line is canonical begins, and how
/// many columns it has (`None`: the header is not canonical).
pub fn canonical_header(file: &File) -> io::Result<Option<(u64, usize)>> {
    let mut head = vec![0u8; BLOCK];
    let n = read_full_at(file, &mut head, 0)?;
    Ok(header(head.get(..n).unwrap_or_default()))
}

/// What [`first_difference`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The log is in canonical form.
    Canonical,
    /// The first line that differs.
    Differs(Difference),
    /// Not found by this reading: the full pass decides.
    Unknown,
}

/// The first line where a log and its canonical form differ (its number,
/// the log's line and the canonical line; `None` past the end of one), found
/// from the log's bytes on up to `threads` threads, without sorting.
///
/// With the header canonical, the records are read once ([`Mode::Find`]):
/// the leading run of records that are canonical and in order, and the
/// least row `m` after it. The sorted rows begin with the run's records
/// up to the first that is greater than `m` (they are not greater than
/// anything after them), then `m`; rows equal as cells are equal as text,
/// so how the sort breaks ties does not matter. The two texts are
/// therefore equal up to that record (or, when there is none, up to the
/// run's end) and are compared from there: the log's lines against `m`'s
/// (or against the end of the canonical text when no row follows the
/// run). With the header not canonical, the first line differs; the
/// records are still read, so that a log the full pass would refuse is
/// left to it.
pub fn first_difference(file: &File, threads: usize) -> io::Result<Found> {
    first_difference_from(file, threads, PARALLEL_MIN)
}

/// [`first_difference`], read in parts from `parallel_min` bytes on.
fn first_difference_from(file: &File, threads: usize, parallel_min: u64) -> io::Result<Found> {
    let size = file.metadata()?.len();
    let mut head = vec![0u8; BLOCK];
    let n = read_full_at(file, &mut head, 0)?;
    head.truncate(n);
    if let Some((data_start, width)) = header(&head) {
        if width < 2 {
            return Ok(Found::Unknown);
        }
        let parts = parts_of(file, data_start, size, threads, parallel_min)?;
        return find(file, &parts, width);
    }
    let Ok(reader) = LogReader::new(ReadAt { file, pos: 0 }, true) else {
        return Ok(Found::Unknown);
    };
    let (width, data_start, want) = (reader.width(), reader.offset(), reader.header_line()?);
    let line = match memchr::memchr(b'\n', &head) {
        Some(nl) => head.get(..=nl).unwrap_or_default(),
        None if n as u64 == size => &head,
        None => return Ok(Found::Unknown),
    };
    if width < 2 || line == want.as_slice() || data_start > size {
        return Ok(Found::Unknown);
    }
    let parts = parts_of(file, data_start, size, threads, parallel_min)?;
    let mut valid = validate(file, &parts, width)?;
    if valid == Verdict::Misaligned && parts.len() > 2 {
        valid = validate(file, &[data_start, size], width)?;
    }
    Ok(if valid == Verdict::Canonical {
        Found::Differs((1, Some(lossy(line)), Some(lossy(&want))))
    } else {
        Found::Unknown
    })
}

/// The canonical text of a log that is not in canonical form, its records
/// rendered on up to `threads` threads and sorted in bounded memory (runs
/// spilled to anonymous temporary files in `dir`, the directory of the log:
/// `/tmp` may be memory). `None` when this reading cannot follow the log
/// (see [`super::log_sort`]): the full pass writes it then.
pub fn sorted_log(file: &File, threads: usize, dir: &Path) -> io::Result<Option<SortedLog>> {
    let gather = Gather {
        limit: limit_per_thread(threads),
        dir,
        fan_in: FAN_IN,
    };
    sorted_log_with(file, threads, gather, PARALLEL_MIN)
}

/// [`sorted_log`], read in parts from `parallel_min` bytes on.
fn sorted_log_with(
    file: &File,
    threads: usize,
    gather: Gather<'_>,
    parallel_min: u64,
) -> io::Result<Option<SortedLog>> {
    let size = file.metadata()?.len();
    let mut head = vec![0u8; BLOCK];
    let n = read_full_at(file, &mut head, 0)?;
    head.truncate(n);
    let (data_start, width, header_line, order) = if let Some((start, width)) = header(&head) {
        let line = head
            .get(..usize::try_from(start).unwrap_or(usize::MAX))
            .unwrap_or_default();
        (start, width, line.to_vec(), None)
    } else {
        // Columns in another order, or named by their Vietnamese titles:
        // each record's cells are put in canonical order.
        let Ok(reader) = LogReader::new(ReadAt { file, pos: 0 }, true) else {
            return Ok(None);
        };
        let slots = reader.slots();
        let order: Option<Vec<usize>> = (0..reader.columns().len())
            .map(|j| slots.iter().position(|s| *s == Some(j)))
            .collect();
        let Some(order) = order else { return Ok(None) };
        (reader.offset(), reader.width(), reader.header_line()?, Some(order))
    };
    if width < 2 || data_start > size {
        return Ok(None);
    }
    let mut parts = parts_of(file, data_start, size, threads, parallel_min)?;
    loop {
        let mut collected = Vec::new();
        let mut misaligned = false;
        for part in scan_parts_with(file, &parts, width, Mode::Collect, Some((gather, order.as_deref()))) {
            match part? {
                Part::Collected(c) => collected.push(c),
                Part::Misaligned => misaligned = true,
                Part::Rows { .. } | Part::Differs | Part::Unhandled => return Ok(None),
            }
        }
        if !misaligned {
            return Ok(Some(SortedLog {
                header: header_line,
                parts: collected,
                dir: gather.dir.to_path_buf(),
                fan_in: gather.fan_in,
            }));
        }
        if parts.len() <= 2 {
            return Ok(None);
        }
        // A part began inside a quoted cell: once more, in one part.
        parts = vec![data_start, size];
    }
}

/// Whether every record of the parts can be followed ([`Mode::Validate`]).
fn validate(file: &File, parts: &[u64], width: usize) -> io::Result<Verdict> {
    for part in scan_parts(file, parts, width, Mode::Validate) {
        match part? {
            Part::Rows { .. } => {}
            Part::Misaligned => return Ok(Verdict::Misaligned),
            Part::Differs | Part::Unhandled | Part::Collected(_) => return Ok(Verdict::Differs),
        }
    }
    Ok(Verdict::Canonical)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file read from `pos` on with positional reads.
struct ReadAt<'a> {
    file: &'a File,
    pos: u64,
}

impl io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// The part of the leading run that one part of the file holds.
struct RunPart {
    start: u64,
    /// Its last record.
    last: Vec<u8>,
    /// The line breaks of the run before `start`.
    lines_before: u64,
}

/// What the parts read with [`Mode::Find`] come to.
enum Outcome {
    Canonical,
    /// The run ends at the record at `at`, after `lines` line breaks of
    /// records; `min` is the least row from there on.
    Broken {
        runs: Vec<RunPart>,
        at: u64,
        lines: u64,
        min: Option<Vec<u8>>,
    },
    /// A part began inside a quoted cell.
    Misaligned,
    Unknown,
}

/// Reads the parts with [`Mode::Find`] and joins what they found: the run
/// goes on from one part to the next while the next begins with a row not
/// before the last one.
fn find_parts(file: &File, parts: &[u64], width: usize) -> io::Result<Outcome> {
    let keep_min = |min: &mut Option<Vec<u8>>, row: Option<Vec<u8>>| {
        if let Some(r) = row
            && min.as_ref().is_none_or(|m| cmp_records(&r, m) == Ordering::Less)
        {
            *min = Some(r);
        }
    };
    let mut runs = Vec::new();
    let mut lines = 0u64;
    let mut broken: Option<(u64, u64)> = None;
    let mut min: Option<Vec<u8>> = None;
    for (part, &start) in scan_parts(file, parts, width, Mode::Find).into_iter().zip(parts) {
        let (first, last, at, n, rest_min) = match part? {
            Part::Rows {
                first,
                last,
                broken,
                lines,
                rest_min,
            } => (first, last, broken, lines, rest_min),
            Part::Misaligned => return Ok(Outcome::Misaligned),
            Part::Differs | Part::Unhandled | Part::Collected(_) => return Ok(Outcome::Unknown),
        };
        if broken.is_some() {
            keep_min(&mut min, first);
            keep_min(&mut min, rest_min);
            continue;
        }
        let prev_last = runs.last().map(|r: &RunPart| r.last.as_slice());
        if let (Some(p), Some(f)) = (prev_last, &first)
            && cmp_records(p, f) == Ordering::Greater
        {
            broken = Some((start, lines));
            keep_min(&mut min, first);
            keep_min(&mut min, rest_min);
            continue;
        }
        if let Some(last) = last {
            runs.push(RunPart {
                start,
                last,
                lines_before: lines,
            });
        }
        lines += n;
        if let Some(at) = at {
            broken = Some((at, lines));
            keep_min(&mut min, rest_min);
        }
    }
    Ok(match broken {
        None => Outcome::Canonical,
        Some((at, lines)) => Outcome::Broken { runs, at, lines, min },
    })
}

/// [`first_difference`] for a log whose header is canonical.
fn find(file: &File, parts: &[u64], width: usize) -> io::Result<Found> {
    let mut outcome = find_parts(file, parts, width)?;
    if matches!(outcome, Outcome::Misaligned)
        && let (Some(&start), Some(&end)) = (parts.first(), parts.last())
        && parts.len() > 2
    {
        outcome = find_parts(file, &[start, end], width)?;
    }
    let (runs, at, lines, min) = match outcome {
        Outcome::Canonical => return Ok(Found::Canonical),
        Outcome::Misaligned | Outcome::Unknown => return Ok(Found::Unknown),
        Outcome::Broken { runs, at, lines, min } => (runs, at, lines, min),
    };
    // The first record of the run greater than the least row after it.
    let mut from = (at, lines);
    if let Some(m) = &min
        && let Some(run) = runs.iter().find(|r| cmp_records(&r.last, m) == Ordering::Greater)
    {
        match first_greater(file, run, m)? {
            Some(found) => from = found,
            None => return Ok(Found::Unknown),
        }
    }
    // Line 1 is the header.
    let line = usize::try_from(from.1 + 2).unwrap_or(usize::MAX);
    differing_line(file, from.0, line, min.as_deref())
}

/// Where the first record of `run` greater than `m` begins, and the line
/// breaks of the run before it (the run's records are canonical: a record
/// ends at a line break after an even number of quotes).
fn first_greater(file: &File, run: &RunPart, m: &[u8]) -> io::Result<Option<(u64, u64)>> {
    let mut r = io::BufReader::with_capacity(BLOCK, ReadAt { file, pos: run.start });
    let (mut at, mut lines) = (run.start, run.lines_before);
    let mut record = Vec::new();
    loop {
        record.clear();
        loop {
            let n = io::BufRead::read_until(&mut r, b'\n', &mut record)?;
            if n == 0 || memchr::memchr_iter(b'"', &record).count() % 2 == 0 {
                break;
            }
        }
        if record.last() != Some(&b'\n') {
            return Ok(None);
        }
        if cmp_records(&record, m) == Ordering::Greater {
            return Ok(Some((at, lines)));
        }
        at += record.len() as u64;
        lines += memchr::memchr_iter(b'\n', &record).count() as u64;
    }
}

/// The first of the log's lines from `at` (line `line`) that differs from
/// the lines of `next` (a canonical record; `None`: the canonical text
/// ends there). [`Found::Unknown`] if none does (it cannot be, as the run ended).
fn differing_line(file: &File, at: u64, line: usize, next: Option<&[u8]>) -> io::Result<Found> {
    let mut r = io::BufReader::with_capacity(1 << 16, ReadAt { file, pos: at });
    let mut was = Vec::new();
    let Some(next) = next else {
        let n = io::BufRead::read_until(&mut r, b'\n', &mut was)?;
        return Ok(if n > 0 {
            Found::Differs((line, Some(lossy(&was)), None))
        } else {
            Found::Unknown
        });
    };
    for (i, want) in next.split_inclusive(|&b| b == b'\n').enumerate() {
        was.clear();
        let n = io::BufRead::read_until(&mut r, b'\n', &mut was)?;
        if was != want {
            return Ok(Found::Differs((
                line + i,
                (n > 0).then(|| lossy(&was)),
                Some(lossy(want)),
            )));
        }
    }
    Ok(Found::Unknown)
}

/// The parts of `[data_start, size)` for `threads` threads.
fn parts_of(file: &File, data_start: u64, size: u64, threads: usize, parallel_min: u64) -> io::Result<Vec<u64>> {
    if size >= parallel_min {
        split_points(file, data_start, size, threads)
    } else {
        Ok(vec![data_start, size])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Canonical,
    /// Not canonical, or not proved.
    Differs,
    /// A part did not end where the next one begins.
    Misaligned,
}

/// Checks the parts `[parts[i], parts[i + 1])`, each on its own thread,
/// then the order of the rows where two parts meet.
fn check_parts(file: &File, parts: &[u64], width: usize) -> io::Result<Verdict> {
    let results = scan_parts(file, parts, width, Mode::Prove);
    let mut prev_last: Option<Vec<u8>> = None;
    for part in results {
        match part? {
            Part::Rows { first, last, .. } => {
                if let (Some(p), Some(f)) = (&prev_last, &first)
                    && cmp_records(p, f) == Ordering::Greater
                {
                    return Ok(Verdict::Differs);
                }
                if last.is_some() {
                    prev_last = last;
                }
            }
            Part::Differs | Part::Unhandled | Part::Collected(_) => return Ok(Verdict::Differs),
            // The parts after it began in the wrong place.
            Part::Misaligned => return Ok(Verdict::Misaligned),
        }
    }
    Ok(Verdict::Canonical)
}

/// Reads the parts `[parts[i], parts[i + 1])`, each on its own thread.
fn scan_parts(file: &File, parts: &[u64], width: usize, mode: Mode) -> Vec<io::Result<Part>> {
    scan_parts_with(file, parts, width, mode, None)
}

/// [`scan_parts`], the records handed to a [`Collector`] per part with
/// [`Mode::Collect`].
fn scan_parts_with(
    file: &File,
    parts: &[u64],
    width: usize,
    mode: Mode,
    gather: Option<(Gather<'_>, Option<&[usize]>)>,
) -> Vec<io::Result<Part>> {
    let ranges: Vec<(u64, u64)> = parts
        .windows(2)
        .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
        .collect();
    let last = ranges.len().saturating_sub(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| {
                crate::threads::spawn(s, move || {
                    let mut checker = Records::new(width, mode);
                    if let Some((g, order)) = gather {
                        checker.collect = Some((Collector::new(g.limit), g.dir, order));
                    }
                    check_range(file, start, end, i == last, checker)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a thread failed"))))
            .collect()
    })
}

/// Where the data is cut for `threads` parts: just after a line break
/// near each even share (a cut may fall inside a quoted cell; the part
/// before it then does not end there).
fn split_points(file: &File, data_start: u64, size: u64, threads: usize) -> io::Result<Vec<u64>> {
    let mut points = vec![data_start];
    let share = (size - data_start) / threads.max(1) as u64;
    let mut buf = vec![0u8; 1 << 16];
    for i in 1..threads.max(1) {
        let at = data_start + share * i as u64;
        let n = read_full_at(file, &mut buf, at)?;
        let Some(nl) = buf.get(..n).and_then(|b| memchr::memchr(b'\n', b)) else {
            continue;
        };
        let cut = at + nl as u64 + 1;
        if cut < size && points.last().is_some_and(|&p| cut > p) {
            points.push(cut);
        }
    }
    points.push(size);
    Ok(points)
}

/// The canonical header: an optional BOM, then the column codes in
/// [`COLUMNS`] order, each once, and a line break. Where the data begins
/// and how many columns there are.
fn header(head: &[u8]) -> Option<(u64, usize)> {
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { head.get(3..)? } else { head };
    let nl = memchr::memchr(b'\n', body)?;
    let mut prev: Option<usize> = None;
    let mut width = 0;
    for name in body.get(..nl)?.split(|&b| b == b',') {
        let c = COLUMNS.iter().position(|c| c.as_bytes() == name)?;
        if prev.is_some_and(|p| p >= c) {
            return None;
        }
        prev = Some(c);
        width += 1;
    }
    Some(((nl + 1 + if bom { 3 } else { 0 }) as u64, width))
}

/// What one part found.
enum Part {
    /// Every record canonical and in order (with [`Mode::Find`]: up to
    /// `broken`); the first and last rows of that run (none when empty).
    Rows {
        first: Option<Vec<u8>>,
        last: Option<Vec<u8>>,
        /// [`Mode::Find`]: where the first record that is not canonical or
        /// not in order begins (a file offset), if any.
        broken: Option<u64>,
        /// The line breaks of the run's records.
        lines: u64,
        /// The least row from `broken` on, rendered canonically.
        rest_min: Option<Vec<u8>>,
    },
    Differs,
    Misaligned,
    /// A record this reading does not follow (badly quoted, of another
    /// width, not UTF-8): the full pass decides.
    Unhandled,
    /// [`Mode::Collect`]: every record of the part, canonical.
    Collected(Collector),
}

/// What a reading of the records is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Whether every record is canonical and in order: stops at the first
    /// that is not.
    Prove,
    /// The leading run of canonical records in order, and the least row
    /// after it (reads every record).
    Find,
    /// Only whether every record can be followed (reads every record).
    Validate,
    /// Every record rendered canonically, to the reader's [`Collector`].
    Collect,
}

/// Checks the records of `[start, end)`, read in blocks. `end` must be a
/// record's end: for the last part the file's end, which a canonical file
/// reaches with a line break.
fn check_range(file: &File, start: u64, end: u64, is_last: bool, mut checker: Records<'_>) -> io::Result<Part> {
    let mode = checker.mode;
    let mut buf: Vec<u8> = vec![
        0;
        RANGE_BLOCK
            .min(usize::try_from(end - start).unwrap_or(RANGE_BLOCK))
            .max(1)
    ];
    // buf[..filled] holds the bytes from `pos`; buf[at..filled] is unread.
    let mut pos = start;
    let mut filled = 0usize;
    let mut at = 0usize;
    loop {
        // Keep the unread tail, then fill up from the file.
        if at > 0 {
            buf.copy_within(at..filled, 0);
            pos += at as u64;
            filled -= at;
            at = 0;
        }
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let want = usize::try_from((end - pos).saturating_sub(filled as u64)).unwrap_or(usize::MAX);
        let room = buf.len() - filled;
        let got = read_full_at(
            file,
            buf.get_mut(filled..filled + room.min(want)).unwrap_or_default(),
            pos + filled as u64,
        )?;
        filled += got;
        let at_end = pos + filled as u64 >= end || got == 0;
        let block = buf.get(..filled).unwrap_or_default();
        // The whole lines read: checked for UTF-8 and CR once, not line by line.
        let region_start = at;
        let region = block.get(at..).unwrap_or_default();
        let region = region
            .get(..memchr::memrchr(b'\n', region).map_or(0, |i| i + 1))
            .unwrap_or_default();
        let hint = Hint::of(region);
        loop {
            if at == filled {
                if at_end {
                    return Ok(checker.finish());
                }
                break;
            }
            let rest = block.get(at..).unwrap_or_default();
            match checker.record(rest, pos + at as u64, hint.from(at - region_start)) {
                Step::Done(len) => at += len,
                Step::Differs => return Ok(Part::Differs),
                Step::Unhandled => return checker.unhandled(),
                Step::Incomplete if at_end && is_last && mode != Mode::Prove => {
                    // The last record, without a line break.
                    return match checker.other(rest, pos + at as u64) {
                        Step::Unhandled => checker.unhandled(),
                        _ => Ok(checker.finish()),
                    };
                }
                Step::Incomplete if at_end => {
                    return Ok(if is_last { Part::Differs } else { Part::Misaligned });
                }
                Step::Incomplete => break,
            }
        }
    }
}

/// The result of checking the record at the start of some bytes.
enum Step {
    /// Canonical and in order; its length with the line break.
    Done(usize),
    Differs,
    /// The record does not end within the bytes.
    Incomplete,
    /// See [`Part::Unhandled`].
    Unhandled,
}

/// Checks records one after the other.
struct Records<'a> {
    width: usize,
    mode: Mode,
    /// [`Part::Rows`]' `broken`, `lines` and `rest_min` so far.
    broken: Option<u64>,
    lines: u64,
    rest_min: Option<Vec<u8>>,
    /// The records kept: canonical and in order.
    run: Run,
    /// Cell boundaries of the current line, reused.
    cells: Vec<(usize, usize)>,
    form: LineForm,
    /// A canonical rendering, reused.
    out: Vec<u8>,
    /// [`Mode::Collect`]: where records go, where it spills, and for each
    /// canonical column the record's cell (`None`: the header is canonical).
    collect: Option<(Collector, &'a Path, Option<&'a [usize]>)>,
    /// An error of the collector (which ends the reading).
    failed: Option<io::Error>,
}

impl<'a> Records<'a> {
    fn new(width: usize, mode: Mode) -> Records<'a> {
        Records {
            width,
            mode,
            broken: None,
            lines: 0,
            rest_min: None,
            run: Run::default(),
            cells: Vec::with_capacity(width),
            form: LineForm::new(),
            out: Vec::new(),
            collect: None,
            failed: None,
        }
    }

    fn finish(self) -> Part {
        if let Some((c, ..)) = self.collect {
            return Part::Collected(c.finish());
        }
        Part::Rows {
            first: self.run.first,
            last: self.run.last,
            broken: self.broken,
            lines: self.lines,
            rest_min: self.rest_min,
        }
    }

    /// The record at the start of `bytes`, which begins at `offset` in the
    /// file.
    fn record(&mut self, bytes: &[u8], offset: u64, hint: Hint<'_>) -> Step {
        let nl = match scan_line(bytes, false, &mut self.cells) {
            Scan::NeedMore => return Step::Incomplete,
            Scan::Cut { len, .. } if self.cells.len() == self.width => Some(len),
            Scan::Cut { .. } | Scan::NotSimple => None,
        };
        if let Some(nl) = nl
            && self
                .form
                .plain_line(bytes.get(..nl).unwrap_or_default(), &self.cells, hint)
        {
            let record = bytes.get(..=nl).unwrap_or_default();
            let mode = self.mode;
            return match mode {
                Mode::Prove if !self.run.keep(record) => Step::Differs,
                Mode::Prove | Mode::Validate => Step::Done(nl + 1),
                Mode::Find => {
                    self.found(record, true, offset, 1);
                    Step::Done(nl + 1)
                }
                Mode::Collect if self.gather_line(record) => Step::Done(nl + 1),
                Mode::Collect => Step::Unhandled,
            };
        }
        let Some(len) = record_len(bytes) else {
            return Step::Incomplete;
        };
        let record = bytes.get(..len).unwrap_or_default();
        let mode = self.mode;
        match mode {
            Mode::Prove if self.exact(record) => Step::Done(len),
            Mode::Prove => Step::Differs,
            Mode::Find | Mode::Validate | Mode::Collect => self.other(record, offset),
        }
    }

    /// [`Mode::Collect`]: a record whose cells (`self.cells`, inside any
    /// quotes) are their own canonical form, in the canonical order of the
    /// columns.
    fn gather_line(&mut self, record: &[u8]) -> bool {
        let Some((_, _, Some(order))) = &self.collect else {
            return self.gather(record);
        };
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        for (i, &c) in order.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let cell = self.cells.get(c).and_then(|&(s, e)| record.get(s..e));
            render_cell(cell.unwrap_or_default(), &mut out);
        }
        out.push(b'\n');
        let step = self.gather(&out);
        self.out = out;
        step
    }

    /// Hands a canonical record to the collector (`false`: it failed).
    fn gather(&mut self, rendered: &[u8]) -> bool {
        let Some((c, dir, _)) = &mut self.collect else {
            return false;
        };
        match c.push(rendered, dir) {
            Ok(()) => true,
            Err(e) => {
                self.failed = Some(e);
                false
            }
        }
    }

    /// What a part comes to when a record was not followed: the collector's
    /// error, if that was why.
    fn unhandled(&mut self) -> io::Result<Part> {
        match self.failed.take() {
            Some(e) => Err(e),
            None => Ok(Part::Unhandled),
        }
    }

    /// A record (with its line break, or the file's last without one) read
    /// as [`super::LogReader`] reads it when its quotes are well formed
    /// (`Unhandled` otherwise), canonicalised, rendered and followed
    /// ([`Records::found`]); a blank line ends the run and is no row.
    fn other(&mut self, record: &[u8], offset: u64) -> Step {
        let len = record.len();
        let body = record.strip_suffix(b"\n").unwrap_or(record);
        let Some(raw) = well_formed_cells(body) else {
            return Step::Unhandled;
        };
        if let [only] = raw.as_slice()
            && only.trim_ascii().is_empty()
        {
            if self.broken.is_none() && self.mode == Mode::Find {
                self.broken = Some(offset);
            }
            return Step::Done(len);
        }
        if raw.len() != self.width {
            return Step::Unhandled;
        }
        let mut cells = Vec::with_capacity(self.width);
        for cell in &raw {
            let Ok(text) = std::str::from_utf8(cell) else {
                return Step::Unhandled;
            };
            cells.push(text);
        }
        if self.mode == Mode::Validate {
            return Step::Done(len);
        }
        let order = match &self.collect {
            Some((_, _, Some(order))) => Some(*order),
            _ => None,
        };
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        for i in 0..cells.len() {
            if i > 0 {
                out.push(b',');
            }
            let c = order.map_or(Some(i), |o| o.get(i).copied());
            let cell = c.and_then(|c| cells.get(c)).copied().unwrap_or_default();
            render_cell(crate::text::cell(cell).as_bytes(), &mut out);
        }
        out.push(b'\n');
        let step = if self.mode == Mode::Collect {
            if self.gather(&out) {
                Step::Done(len)
            } else {
                Step::Unhandled
            }
        } else {
            let lines = memchr::memchr_iter(b'\n', record).count() as u64;
            self.found(&out, out == record, offset, lines);
            Step::Done(len)
        };
        self.out = out;
        step
    }

    /// Follows a row (`rendered` canonically, `canonical` when that is the
    /// record's bytes) that begins at `offset`: the run goes on while rows
    /// are canonical and in order; after it, the least row is kept.
    fn found(&mut self, rendered: &[u8], canonical: bool, offset: u64, lines: u64) {
        if self.broken.is_none() {
            if canonical && self.run.keep(rendered) {
                self.lines += lines;
                return;
            }
            self.broken = Some(offset);
        }
        match &mut self.rest_min {
            Some(m) if cmp_records(rendered, m) == Ordering::Less => {
                m.clear();
                m.extend_from_slice(rendered);
            }
            Some(_) => {}
            None => self.rest_min = Some(rendered.to_vec()),
        }
    }

    /// A record read as [`super::LogReader`] reads it, canonicalised and
    /// rendered as the CSV writer renders it: canonical when the rendering
    /// is the record's bytes.
    fn exact(&mut self, record: &[u8]) -> bool {
        let Some(raw) = cells_of(record) else {
            return false;
        };
        if raw.len() != self.width {
            return false;
        }
        let mut cells = Vec::with_capacity(self.width);
        for cell in raw {
            let Ok(text) = String::from_utf8(cell) else {
                return false;
            };
            cells.push(crate::text::cell(&text));
        }
        self.out.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            render_cell(cell.as_bytes(), &mut self.out);
        }
        self.out.push(b'\n');
        self.out == record && self.run.keep(record)
    }
}

/// The cells of a record (with its line break), as the CSV reader reads
/// them: a cell that begins with a quote is quoted up to a lone quote
/// (`""` is a quote); any other byte is the cell's own.
fn cells_of(record: &[u8]) -> Option<Vec<Vec<u8>>> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let body = record.strip_suffix(b"\n")?;
    let mut cells = Vec::new();
    let mut cell = Vec::new();
    let mut s = S::FieldStart;
    for &b in body {
        s = match (s, b) {
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::QuoteInQuoted, b'"') | (S::Quoted, _) => {
                cell.push(b);
                S::Quoted
            }
            (_, b',') => {
                cells.push(std::mem::take(&mut cell));
                S::FieldStart
            }
            (S::FieldStart, b'"') => S::Quoted,
            _ => {
                cell.push(b);
                S::Unquoted
            }
        };
    }
    if s == S::Quoted {
        return None;
    }
    cells.push(cell);
    Some(cells)
}

/// The cells of a record (without its line break), as the CSV reader reads
/// them (see [`cells_of`]); `None` when it ends inside quotes.
fn well_formed_cells(body: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut record = Vec::with_capacity(body.len() + 1);
    record.extend_from_slice(body);
    record.push(b'\n');
    cells_of(&record)
}

/// A cell as the CSV writer writes it: quoted (quotes doubled) when it
/// holds a comma, a quote, a CR or an LF.
fn render_cell(cell: &[u8], out: &mut Vec<u8>) {
    if !cell.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.extend_from_slice(cell);
        return;
    }
    out.push(b'"');
    for &b in cell {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Two canonical records (with their line breaks) in the order of their
/// rows, read in place where the first byte that differs decides: two bytes
/// of a cell, or (outside quotes) the end of one cell against a byte of the
/// other; otherwise their cells are compared.
pub(super) fn cmp_records(a: &[u8], b: &[u8]) -> Ordering {
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    let same = a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .take_while(|(x, y)| word(x) == word(y))
        .count()
        * 8;
    let at = same
        + a.get(same..)
            .unwrap_or_default()
            .iter()
            .zip(b.get(same..).unwrap_or_default())
            .take_while(|(x, y)| x == y)
            .count();
    let (x, y) = (a.get(at).copied(), b.get(at).copied());
    let plain = |c: Option<u8>| c.is_some_and(|c| !matches!(c, b',' | b'"' | b'\n' | b'\r'));
    let end = |c: Option<u8>| matches!(c, Some(b',' | b'\n'));
    if plain(x) && plain(y) {
        return x.cmp(&y);
    }
    let prefix = a.get(..at).unwrap_or_default();
    // With no quote in the common prefix, its cells are whole and equal up
    // to its last comma: the comparison goes on from the cell after it.
    let mut from = 0;
    if memchr::memchr(b'"', prefix).is_none() {
        if end(x) && plain(y) {
            return Ordering::Less;
        }
        if plain(x) && end(y) {
            return Ordering::Greater;
        }
        from = memchr::memrchr(b',', prefix).map_or(0, |c| c + 1);
    }
    let (mut i, mut j) = (from, from);
    loop {
        match (next_cell(a, i), next_cell(b, j)) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some((p, ni)), Some((q, nj))) => match p.cmp(&q) {
                Ordering::Equal => (i, j) = (ni, nj),
                other => return other,
            },
        }
    }
}

/// The cell of a canonical record that begins at `pos` (quotes removed,
/// doubled quotes made single) and where the next begins.
fn next_cell(record: &[u8], pos: usize) -> Option<(Cow<'_, [u8]>, usize)> {
    let rest = record.get(pos..).filter(|r| !r.is_empty())?;
    if rest.first() != Some(&b'"') {
        let end = memchr::memchr2(b',', b'\n', rest).unwrap_or(rest.len());
        return Some((Cow::Borrowed(rest.get(..end)?), pos + end + 1));
    }
    let mut owned: Option<Vec<u8>> = None;
    let mut from = 1;
    loop {
        let q = from + memchr::memchr(b'"', rest.get(from..)?)?;
        let piece = rest.get(from..q)?;
        if rest.get(q + 1) == Some(&b'"') {
            owned.get_or_insert_with(Vec::new).extend_from_slice(piece);
            owned.as_mut()?.push(b'"');
            from = q + 2;
            continue;
        }
        let cell = match owned {
            Some(mut v) => {
                v.extend_from_slice(piece);
                Cow::Owned(v)
            }
            None => Cow::Borrowed(rest.get(1..q)?),
        };
        return Some((cell, pos + q + 2));
    }
}

/// Rows compared as `Vec<String>`s are: cell by cell, by bytes.
#[cfg(test)]
fn cmp_cells<'a, 'b>(mut a: impl Iterator<Item = &'a [u8]>, mut b: impl Iterator<Item = &'b [u8]>) -> Ordering {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// The length of the record at the start of `bytes` with its line break,
/// quotes followed as the CSV reader follows them; `None` when it does not
/// end within `bytes`.
fn record_len(bytes: &[u8]) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::FieldStart;
    for (i, &b) in bytes.iter().enumerate() {
        s = match (s, b) {
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) | (S::QuoteInQuoted, b'"') => S::Quoted,
            (_, b'\n') => return Some(i + 1),
            (_, b',') => S::FieldStart,
            (S::FieldStart, b'"') => S::Quoted,
            _ => S::Unquoted,
        };
    }
    None
}

/// Reads until `buf` is full or the file ends, at `offset`.
fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match read_at(file, buf.get_mut(n..).unwrap_or_default(), offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(unix)]
pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::io::Write;

    use unicode_normalization::UnicodeNormalization;

    use super::*;
    use crate::canonical::log_csv;

    /// `text` in an anonymous file, checked on one and on three threads,
    /// with parts of a few hundred bytes.
    fn proven(text: &str) -> bool {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let size = text.len() as u64;
        let (start, width) = match header(text.as_bytes()) {
            Some(h) if h.1 >= 2 => h,
            _ => return proven_canonical(&f, 2).unwrap(),
        };
        let one = check_parts(&f, &[start, size], width).unwrap() == Verdict::Canonical;
        let points = split_points(&f, start, size, 3).unwrap();
        let mut three = check_parts(&f, &points, width).unwrap();
        if three == Verdict::Misaligned {
            three = check_parts(&f, &[start, size], width).unwrap();
        }
        assert_eq!(one, three == Verdict::Canonical, "{text:?}");
        assert_eq!(one, proven_canonical(&f, 2).unwrap(), "{text:?}");
        one
    }

    /// A canonical log of `n` rows with a quoted cell and Vietnamese text.
    fn big(n: usize) -> String {
        let mut s = String::from("date,org,unit,kind,status,title,note\n");
        for i in 0..n {
            s.push_str(&format!(
                "2023-{:02}-{:02},MTTQ,tinh,dialogue,done,Đối thoại {i:05},\"ghi chú, {i}\"\n",
                i / 28 % 12 + 1,
                i % 28 + 1
            ));
        }
        log_csv(s.as_bytes()).unwrap()
    }

    #[test]
    fn a_canonical_log_is_proved() {
        let text = big(400);
        assert_eq!(log_csv(text.as_bytes()).unwrap(), text);
        assert!(proven(&text));
        assert!(proven(&format!("\u{feff}{text}")));
        assert!(proven("date,title\n"));
        assert!(proven("date,title\n2023-01-01,\"a\nb\"\n2023-01-01,\"a\nb\"\n"));
    }

    #[test]
    fn one_cell_out_of_form_in_the_middle_is_not_proved() {
        let text = big(400);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mid = lines.len() / 2;
        let with = |line: String| {
            let mut l = lines.clone();
            l[mid] = &line;
            l.concat()
        };
        // A space at the end of a cell; an NFD title; quotes not needed;
        // quotes missing (a comma split into two cells); a CRLF.
        let spaced = with(lines[mid].replacen(",MTTQ,", ",MTTQ ,", 1));
        let nfd_title: String = "Đối thoại".nfd().collect();
        let nfd = with(lines[mid].replacen("Đối thoại", &nfd_title, 1));
        let quoted = with(lines[mid].replacen(",MTTQ,", ",\"MTTQ\",", 1));
        let unquoted = with(
            lines[mid]
                .replacen("\"ghi chú, ", "ghi chú; ", 1)
                .replacen("\"\n", "\n", 1),
        );
        let crlf = with(lines[mid].replacen('\n', "\r\n", 1));
        let swapped = {
            let mut l = lines.clone();
            l.swap(mid, mid + 1);
            l.concat()
        };
        for bad in [spaced, nfd, quoted, crlf, swapped] {
            assert_ne!(log_csv(bad.as_bytes()).unwrap(), bad);
            assert!(!proven(&bad), "{:?}", &bad[bad.len() / 2 - 100..bad.len() / 2 + 100]);
        }
        // Canonical after all: a cell that needs no quotes written without.
        assert!(proven(&unquoted), "{unquoted:?}");
    }

    /// What [`first_difference`] finds in `text`, read in one part and in
    /// two, three and five; all the same.
    fn found(text: &str) -> Found {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let one = first_difference_from(&f, 1, u64::MAX).unwrap();
        for threads in [2, 3, 5] {
            assert_eq!(
                first_difference_from(&f, threads, 0).unwrap(),
                one,
                "{threads} parts: {text:?}"
            );
        }
        one
    }

    fn want(d: Option<Difference>) -> Found {
        d.map_or(Found::Canonical, Found::Differs)
    }

    /// The first difference between `text` and its canonical form, as the
    /// full pass (read, sort, write, compare) finds it.
    fn expected(text: &str) -> Option<Difference> {
        crate::textdiff::first_difference(text, &log_csv(text.as_bytes()).unwrap())
    }

    #[test]
    fn the_first_difference_is_found_without_sorting() {
        let text = big(300);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let n = lines.len();
        let with = |f: &dyn Fn(&mut Vec<String>)| {
            let mut l: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
            f(&mut l);
            l.concat()
        };
        let nfd: String = "Đối thoại".nfd().collect();
        let cases = [
            text.clone(),
            with(&|l| l.swap(150, 151)),
            with(&|l| l.swap(1, 2)),
            with(&|l| l.swap(n - 2, n - 1)),
            with(&|l| {
                let last = l.pop().unwrap();
                l.insert(1, last);
            }),
            with(&|l| {
                let first = l.remove(1);
                l.push(first);
            }),
            with(&|l| {
                let first = l.remove(1);
                l.insert(200, first);
            }),
            with(&|l| l[1..].reverse()),
            with(&|l| l[100] = l[100].replacen(",MTTQ,", ",MTTQ ,", 1)),
            with(&|l| l[100] = l[100].replacen("Đối thoại", &nfd, 1)),
            with(&|l| l[100] = l[100].replacen(",MTTQ,", ",\"MTTQ\",", 1)),
            with(&|l| l[100] = l[100].replacen('\n', "\r\n", 1)),
            with(&|l| l[100].push('\n')),
            with(&|l| l.push("\n".to_owned())),
            with(&|l| l.push("  \r\n".to_owned())),
            with(&|l| l[n - 1].pop().map(drop).unwrap()),
            // Duplicates: next to each other (canonical), and far apart.
            with(&|l| l.insert(100, l[100].clone())),
            with(&|l| l.push(l[100].clone())),
            with(&|l| l.push(l[n - 1].clone())),
            // The header out of order, with CRLF, with a BOM.
            with(&|l| l[0] = "org,date,unit,kind,status,title,note\n".to_owned()),
            text.replace('\n', "\r\n"),
            format!("\u{feff}{text}"),
            format!("\u{feff}{}", with(&|l| l.swap(150, 151))),
            "date,title\n".to_owned(),
            "date,title\n2023-01-01,x".to_owned(),
            "date,title".to_owned(),
            "date,title\n\n".to_owned(),
        ];
        for case in &cases {
            assert_eq!(found(case), want(expected(case)), "{case:?}");
        }
        // Quotes where the CSV reader keeps them as text.
        for odd in [
            "date,title\n2023-01-01,a\"b\n",
            "date,title\n2023-01-01,\"a\"b\n2022-01-01,x\n",
        ] {
            assert_eq!(found(odd), want(expected(odd)), "{odd:?}");
        }
        // Not followed here: another width, a quote left open.
        for odd in ["date,title\n2023-01-01\n", "date,title\n2023-01-01,\"a\n"] {
            assert_eq!(found(odd), Found::Unknown, "{odd:?}");
        }
    }

    #[test]
    fn records_of_several_lines() {
        // Two rows alike up to the second line of their notes, out of order:
        // the first line of each is the same, the second differs.
        let a = "date,title,note\n2023-01-01,x,\"a\nc\"\n2023-01-01,x,\"a\nb\"\n2023-01-02,y,z\n";
        assert_eq!(found(a), want(expected(a)));
        assert_eq!(expected(a).unwrap().0, 3);
        // A run of rows of several lines, then one that goes before some.
        let mut b = String::from("date,title,note\n");
        for i in 0..40 {
            b.push_str(&format!("2023-01-{:02},t,\"n\n{i}\"\n", i % 28 + 1));
        }
        let b = log_csv(b.as_bytes()).unwrap();
        for extra in [
            "2023-01-05,t,\"n\n0\"\n",
            "2023-01-05,t,\"n\n0 \"\n",
            "2023-01-05,t,\"n\r\n0\"\r\n",
            "2023-01-01,a,b\n",
        ] {
            for at in [1, 20, 41] {
                let mut lines: Vec<&str> = b.split_inclusive("\"\n").collect();
                lines.insert(at.min(lines.len()), extra);
                let case = format!(
                    "date,title,note\n{}",
                    lines.concat().trim_start_matches("date,title,note\n")
                );
                assert_eq!(found(&case), want(expected(&case)), "{case:?}");
            }
        }
    }

    #[test]
    fn odd_files_are_left_to_the_full_pass() {
        for text in [
            "date,title\n2023-01-01,x",
            "date,title\n\n2023-01-01,x\n",
            "title,date\nx,2023-01-01\n",
            "date,title\n2023-01-01,x,y\n",
            "date,title\n2023-01-01,\"x\n",
            "date\n2023-01-01\n",
            "date,title\n2023-01-01,a\rb\n",
        ] {
            assert!(!proven(text), "{text:?}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod props {
    use std::io::Write;

    use proptest::prelude::*;

    use super::{Gather, proven_canonical};
    use crate::canonical::log_csv;
    use crate::canonical::log_csv::written_log;

    /// A record as the CSV writer renders `cells`.
    fn record(cells: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            super::render_cell(c.as_bytes(), &mut out);
        }
        out.push(b'\n');
        out
    }

    proptest! {
        /// Records compared in place are in the order of their cells.
        #[test]
        fn records_compare_as_their_cells(
            a in proptest::collection::vec("[ab,\"\n\r]{0,3}", 3),
            b in proptest::collection::vec("[ab,\"\n\r]{0,3}", 3),
        ) {
            let want = super::cmp_cells(a.iter().map(|c| c.as_bytes()), b.iter().map(|c| c.as_bytes()));
            prop_assert_eq!(super::cmp_records(&record(&a), &record(&b)), want);
            prop_assert_eq!(super::cmp_records(&record(&b), &record(&a)), want.reverse());
        }

        /// Proved canonical only when the bytes are the canonical form; the
        /// canonical form of any log is proved.
        #[test]
        fn proved_exactly_when_canonical(
            rows in proptest::collection::vec(
                proptest::collection::vec("[ ,\"\r\na-zĐđ\u{0301}\u{0323}\u{a0}]{0,6}", 3),
                0..8,
            ),
            canonicalise in any::<bool>(),
        ) {
            let mut input = written_log(&["date", "org", "title"], &rows, false, false);
            let Ok(canon) = log_csv(&input) else { return Ok(()) };
            if canonicalise {
                input = canon.clone().into_bytes();
            }
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(&input).unwrap();
            let proved = proven_canonical(&f, 2).unwrap();
            prop_assert!(!proved || input == canon.as_bytes());
            prop_assert!(!canonicalise || proved, "{:?}", canon);
        }

        /// The sorted text is the full pass's, byte for byte, at any
        /// spill limit and on 1 to 3 threads; whatever it does not follow
        /// (`None`) is left to the full pass.
        #[test]
        fn sorted_text_is_the_full_pass_text(
            rows in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    3 => "[ab]{0,2}",
                    1 => "[ ,\"\r\na-zĐđ\u{0301}\u{0323}\u{a0}]{0,4}",
                    2 => "[a-c]{6,16}",
                ], 3),
                0..14,
            ),
            header in prop_oneof![Just(["date", "org", "title"]), Just(["title", "date", "org"]), Just(["Ngày", "org", "title"])],
            crlf in any::<bool>(),
            bom in any::<bool>(),
            limit in 0usize..300,
            fan_in in prop_oneof![2usize..5, Just(super::FAN_IN)],
        ) {
            let input = written_log(&header, &rows, crlf, bom);
            let full = log_csv(&input).ok();
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(&input).unwrap();
            let dir = tempfile::tempdir().unwrap();
            for (threads, min) in [(1, u64::MAX), (2, 0), (3, 0)] {
                let gather = Gather { limit, dir: dir.path(), fan_in };
                let Some(sorted) = super::sorted_log_with(&f, threads, gather, min).unwrap() else {
                    continue;
                };
                let written = tempfile::tempfile().unwrap();
                sorted.write_to(&written).unwrap();
                // Written at offsets: the file's cursor is still at its start.
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut &written, &mut out).unwrap();
                prop_assert_eq!(Some(String::from_utf8(out).unwrap()), full.clone(), "{:?}", String::from_utf8_lossy(&input));
            }
        }

        /// The first difference found from the bytes is the one between the
        /// log and its sorted canonical form, on one part or several; a log
        /// the CSV writer wrote is always followed.
        #[test]
        fn first_difference_as_the_full_pass_finds_it(
            rows in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    3 => "[ab]{0,2}",
                    1 => "[ ,\"\r\na-zĐđ\u{0301}\u{0323}\u{a0}]{0,4}",
                ], 3),
                0..12,
            ),
            sorted in 0..3u8,
            crlf in any::<bool>(),
            bom in any::<bool>(),
            blank in proptest::option::of(0..12usize),
        ) {
            let mut rows = rows;
            if sorted > 0 {
                rows.sort();
            }
            let mut input = written_log(&["date", "org", "title"], &rows, crlf, bom);
            if sorted == 2 {
                // The canonical form, then maybe a blank line in it.
                let Ok(canon) = log_csv(&input) else { return Ok(()) };
                input = canon.into_bytes();
                if let Some(at) = blank {
                    let mut lines: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
                    lines.insert(at.min(lines.len()), b"\n");
                    input = lines.concat();
                }
            }
            let Ok(canon) = log_csv(&input) else { return Ok(()) };
            let text = String::from_utf8(input).unwrap();
            let want = crate::textdiff::first_difference(&text, &canon);
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(text.as_bytes()).unwrap();
            for (threads, min) in [(1, u64::MAX), (2, 0), (3, 0)] {
                let found = super::first_difference_from(&f, threads, min).unwrap();
                prop_assert_eq!(found, want.clone().map_or(super::Found::Canonical, super::Found::Differs), "{:?}", text);
            }
        }
    }
}
