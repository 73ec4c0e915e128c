//! The canonical text of a log that is not in canonical form, for `plan
//! fmt`, from the log's bytes on every core in bounded memory.
//!
//! Each thread reads its part of the file ([`super::log_fast`]'s reading,
//! which renders every record canonically) and hands the records to a
//! [`Collector`]: their bytes in one buffer, sorted there when it is full
//! and spilled as a sorted run to an anonymous temporary file (each
//! record after its length, so that it is read back without being
//! scanned). [`SortedLog::write_to`] merges every run and what is left in
//! memory, through trees of losers, in parts cut at sampled records, each
//! part on its own thread and written where its records begin. Rows compare as their cells do
//! ([`super::log_fast::cmp_records`], on the rendered records); two rows
//! equal as cells render to the same bytes, so ties need no rule.
//!
//! A log this reading cannot follow (badly quoted, rows of another width,
//! not UTF-8, a single column) gives `None`, and the full pass
//! ([`super::scan_log`]) writes it, or says why it cannot.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use wide::u8x16;

use super::log_fast::{cmp_records, read_at};
use crate::safe_write::WriteAt;

/// What the collectors of one log hold in all before they spill: 64 MiB,
/// shared among the threads (32 MiB each on two cores), at least 4 MiB each.
const COLLECT_LIMIT: usize = 64 << 20;

/// The limit of each of `threads` collectors.
pub(super) fn limit_per_thread(threads: usize) -> usize {
    (COLLECT_LIMIT / threads.max(1)).max(4 << 20)
}

/// How many leading bytes of a record its [`Key`] holds.
const KEY_BYTES: usize = 32;

/// The first [`KEY_BYTES`] bytes of a canonical record, a comma (a cell's
/// end) as 0, compared as numbers: of two rows whose keys are `whole`
/// (only unquoted cells in those bytes, no NUL, no line break), the lesser
/// key is the lesser row (the first byte that differs decides, and a
/// cell's end comes before any byte). Other rows are compared in full.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    hi: u128,
    lo: u128,
    whole: bool,
}

impl Key {
    /// The key of a record, its bytes looked at 16 at a time.
    fn of(record: &[u8]) -> Key {
        let Some(head) = record.first_chunk::<KEY_BYTES>() else {
            return Key::NOT_WHOLE;
        };
        let (a, b) = head.split_at(KEY_BYTES / 2);
        let lanes = |h: &[u8]| u8x16::new(h.try_into().unwrap_or_default());
        let (a, b) = (lanes(a), lanes(b));
        let is = |v: u8x16, c: u8| v.simd_eq(u8x16::splat(c));
        let stops = |v: u8x16| is(v, b'"') | is(v, b'\n') | is(v, b'\r') | is(v, 0);
        if (stops(a) | stops(b)).any() {
            return Key::NOT_WHOLE;
        }
        let zero = u8x16::splat(0);
        let half = |v: u8x16| u128::from_be_bytes(is(v, b',').bitselect(zero, v).to_array());
        Key {
            hi: half(a),
            lo: half(b),
            whole: true,
        }
    }

    /// The key of a row that its key cannot order.
    const NOT_WHOLE: Key = Key {
        hi: 0,
        lo: 0,
        whole: false,
    };

    /// The order of two rows, when their keys tell it.
    fn order(self, other: Key) -> Option<Ordering> {
        (self.whole && other.whole && self != other).then(|| (self.hi, self.lo).cmp(&(other.hi, other.lo)))
    }
}

/// A record's place in a collector's buffer, with its key.
#[derive(Clone, Copy)]
struct Row {
    key: Key,
    start: usize,
    end: usize,
}

fn cmp_rows(arena: &[u8], a: &Row, b: &Row) -> Ordering {
    a.key.order(b.key).unwrap_or_else(|| {
        cmp_records(
            arena.get(a.start..a.end).unwrap_or_default(),
            arena.get(b.start..b.end).unwrap_or_default(),
        )
    })
}

/// The canonical records one thread read: sorted runs spilled to files, and
/// the rest in memory.
pub(super) struct Collector {
    arena: Vec<u8>,
    rows: Vec<Row>,
    limit: usize,
    runs: Vec<Run>,
}

/// Where a collector spills, and after how many bytes.
#[derive(Clone, Copy)]
pub(super) struct Gather<'a> {
    pub limit: usize,
    pub dir: &'a Path,
    /// See [`FAN_IN`].
    pub fan_in: usize,
}

impl Collector {
    pub(super) fn new(limit: usize) -> Collector {
        Collector {
            arena: Vec::new(),
            rows: Vec::new(),
            limit,
            runs: Vec::new(),
        }
    }

    /// Keeps a canonical record (with its line break); spills to a new run
    /// in `dir` when the collector is full.
    pub(super) fn push(&mut self, record: &[u8], dir: &Path) -> io::Result<()> {
        let start = self.arena.len();
        self.arena.extend_from_slice(record);
        self.rows.push(Row {
            key: Key::of(record),
            start,
            end: self.arena.len(),
        });
        if self.arena.len() + self.rows.len() * std::mem::size_of::<Row>() > self.limit {
            self.spill(dir)?;
        }
        Ok(())
    }

    /// Sorts what is left in memory (on the thread that read it).
    pub(super) fn finish(mut self) -> Collector {
        self.sort();
        self
    }

    fn sort(&mut self) {
        let arena = &self.arena;
        self.rows.sort_unstable_by(|a, b| cmp_rows(arena, a, b));
    }

    /// The record of a row.
    fn record(&self, r: &Row) -> &[u8] {
        self.arena.get(r.start..r.end).unwrap_or_default()
    }

    /// Sorts what is in memory into a new run file.
    fn spill(&mut self, dir: &Path) -> io::Result<()> {
        self.sort();
        let mut w = RunWriter::new(dir)?;
        for r in &self.rows {
            w.push(self.record(r))?;
        }
        self.runs.push(w.finish()?);
        self.arena.clear();
        self.rows.clear();
        Ok(())
    }
}

/// A log's canonical text, ready to be written: its header line and the
/// sorted records of every part.
pub struct SortedLog {
    pub(super) header: Vec<u8>,
    pub(super) parts: Vec<Collector>,
    /// Where longer runs are written when there are too many ([`FAN_IN`]).
    pub(super) dir: std::path::PathBuf,
    pub(super) fan_in: usize,
}

/// A sorted run on disk: each record as its length (4 bytes, little-endian)
/// and its bytes; with a few of its records noted ([`Sample`]), so that the
/// merge can be cut into parts.
struct Run {
    file: File,
    /// The length of the file.
    len: u64,
    samples: Vec<Sample>,
    /// About how many records each sample stands for.
    every: usize,
}

/// A record of a run, where its length begins, and the bytes of the
/// records before it.
struct Sample {
    at: u64,
    before: u64,
    record: Vec<u8>,
}

/// A run notes about every this many records (the rows left in memory are
/// sampled as often); in the unit tests every other, so that their merges
/// are cut too.
const SAMPLE_EVERY: usize = if cfg!(test) { 2 } else { 1024 };

/// A run keeps at most twice this many samples: past it, every other is
/// dropped and the rest stand for twice as many records. With at most
/// [`FAN_IN`] runs in a merge, and no sample longer than [`SAMPLE_MAX`],
/// what the samples hold is bounded whatever the log.
const SAMPLES_PER_RUN: usize = if cfg!(test) { 4 } else { 64 };

/// The longest record kept as a sample (a longer one is passed over for
/// the next).
const SAMPLE_MAX: usize = if cfg!(test) { 24 } else { 1024 };

/// Writes a [`Run`] to an anonymous temporary file.
struct RunWriter {
    w: BufWriter<File>,
    at: u64,
    bytes: u64,
    count: usize,
    samples: Vec<Sample>,
    every: usize,
    /// A sample is due: the next record short enough is noted.
    due: bool,
}

impl RunWriter {
    fn new(dir: &Path) -> io::Result<RunWriter> {
        Ok(RunWriter {
            w: BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(dir)?),
            at: 0,
            bytes: 0,
            count: 0,
            samples: Vec::new(),
            every: SAMPLE_EVERY,
            due: false,
        })
    }

    fn push(&mut self, record: &[u8]) -> io::Result<()> {
        self.due |= self.count % self.every == 0;
        if self.due && record.len() <= SAMPLE_MAX {
            self.due = false;
            self.samples.push(Sample {
                at: self.at,
                before: self.bytes,
                record: record.to_vec(),
            });
            if self.samples.len() > 2 * SAMPLES_PER_RUN {
                let mut i = 0;
                self.samples.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.every *= 2;
            }
        }
        let len = u32::try_from(record.len()).map_err(|_| io::Error::other("a record longer than 4 GiB"))?;
        self.w.write_all(&len.to_le_bytes())?;
        self.w.write_all(record)?;
        self.count += 1;
        self.at += 4 + u64::from(len);
        self.bytes += u64::from(len);
        Ok(())
    }

    fn finish(self) -> io::Result<Run> {
        let file = self.w.into_inner().map_err(io::IntoInnerError::into_error)?;
        Ok(Run {
            file,
            len: self.at,
            samples: self.samples,
            every: self.every,
        })
    }
}

/// A stretch of a run read back, a block at a time, from another thread
/// if need be (positional reads). A record is read in place, in the
/// block, so that the merge copies it only once, to the output.
struct RunReader<'a> {
    file: &'a File,
    /// Where the next block is read from, and where the stretch ends.
    at: u64,
    end: u64,
    buf: Vec<u8>,
    /// The length of a block (`buf` grows past it for a longer record).
    block: usize,
    /// Where the unread bytes of the block begin, and where they end.
    pos: usize,
    filled: usize,
}

/// Bytes read from the runs at a time, in all, by one merge (each run gets
/// its share; a longer record gets a longer block); in the unit tests a
/// few, so that their records cross the ends of blocks and outgrow them.
const RUN_BLOCKS: usize = if cfg!(test) { 16 } else { 8 << 20 };

impl<'a> RunReader<'a> {
    fn new(file: &'a File, at: u64, end: u64, block: usize) -> RunReader<'a> {
        let block = block.max(16);
        RunReader {
            file,
            at,
            end,
            buf: vec![0; block],
            block,
            pos: 0,
            filled: 0,
        }
    }

    /// Where the next record lies in [`Self::buf`] (until the next call);
    /// `None` at the end of the stretch.
    fn next(&mut self) -> io::Result<Option<(usize, usize)>> {
        self.shrink();
        loop {
            let unread = self.buf.get(self.pos..self.filled).unwrap_or_default();
            if let Some(len) = unread.first_chunk::<4>() {
                let len = u32::from_le_bytes(*len) as usize;
                if unread.len() - 4 >= len {
                    let start = self.pos + 4;
                    self.pos = start + len;
                    return Ok(Some((start, self.pos)));
                }
                if len + 4 > self.buf.len() {
                    self.buf.resize(len + 4, 0);
                }
            }
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
            let room = self.buf.len() - self.filled;
            let want = usize::try_from(self.end.saturating_sub(self.at)).map_or(room, |left| left.min(room));
            let n = if want == 0 {
                0
            } else {
                read_at(
                    self.file,
                    self.buf.get_mut(self.filled..self.filled + want).unwrap_or_default(),
                    self.at,
                )?
            };
            if n == 0 {
                return if self.filled == 0 {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
            self.at += n as u64;
            self.filled += n;
        }
    }
}

impl RunReader<'_> {
    /// A block grown for a long record shrinks back once that record has
    /// been read, unless the next needs it too.
    fn shrink(&mut self) {
        if self.buf.len() <= self.block {
            return;
        }
        let unread = self.buf.get(self.pos..self.filled).unwrap_or_default();
        let next = unread
            .first_chunk::<4>()
            .map_or(0, |len| u32::from_le_bytes(*len) as usize + 4);
        if unread.len() <= self.block && next <= self.block {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
            self.buf.truncate(self.block);
            self.buf.shrink_to_fit();
        }
    }
}

/// Where a merge takes its next record from.
enum Source<'a> {
    Run(RunReader<'a>),
    Memory {
        arena: &'a [u8],
        rows: std::slice::Iter<'a, Row>,
    },
}

impl Source<'_> {
    /// The bytes the source's records lie in.
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Run(r) => &r.buf,
            Source::Memory { arena, .. } => arena,
        }
    }

    /// The next record (with its line break), in [`Self::bytes`], and its
    /// key; `None` at the end.
    fn next(&mut self) -> io::Result<Option<Head>> {
        let (start, end, key) = match self {
            Source::Memory { rows, .. } => match rows.next() {
                Some(r) => (r.start, r.end, Some(r.key)),
                None => return Ok(None),
            },
            Source::Run(r) => match r.next()? {
                Some((start, end)) => (start, end, None),
                None => return Ok(None),
            },
        };
        let key = key.unwrap_or_else(|| Key::of(self.bytes().get(start..end).unwrap_or_default()));
        Ok(Some(Head { start, end, key }))
    }
}

/// A source's current record: where it lies in the source, and its key.
#[derive(Clone, Copy)]
struct Head {
    start: usize,
    end: usize,
    key: Key,
}

/// The sources of one merge and their current records, with a tree of
/// losers over them: each inner node holds the source that lost the match
/// played there, and `winner` the least. When the winner moves on to its
/// next record, only the matches on its way to the root are played again.
struct Merge<'a> {
    sources: Vec<Source<'a>>,
    heads: Vec<Option<Head>>,
    /// Node `i` (from 1) plays the winners of nodes `2i` and `2i + 1`;
    /// node `n + s` is source `s`.
    losers: Vec<usize>,
    winner: usize,
}

impl<'a> Merge<'a> {
    fn new(mut sources: Vec<Source<'a>>) -> io::Result<Merge<'a>> {
        let heads = sources.iter_mut().map(Source::next).collect::<io::Result<_>>()?;
        let n = sources.len();
        let mut m = Merge {
            sources,
            heads,
            losers: vec![0; n],
            winner: 0,
        };
        if n > 0 {
            m.winner = m.play(1);
        }
        Ok(m)
    }

    /// Plays every match under `node`; its winner.
    fn play(&mut self, node: usize) -> usize {
        let n = self.sources.len();
        if node >= n {
            return node - n;
        }
        let (a, b) = (self.play(2 * node), self.play(2 * node + 1));
        let (win, lose) = if self.before(b, a) { (b, a) } else { (a, b) };
        if let Some(slot) = self.losers.get_mut(node) {
            *slot = lose;
        }
        win
    }

    /// Whether source `a`'s record comes before `b`'s (an ended source
    /// after every other; records equal as cells are equal as bytes, so
    /// either may go first).
    fn before(&self, a: usize, b: usize) -> bool {
        let head = |s: usize| self.heads.get(s).copied().flatten();
        let (Some(x), Some(y)) = (head(a), head(b)) else {
            return head(b).is_none() && head(a).is_some();
        };
        let order = x.key.order(y.key).unwrap_or_else(|| {
            let bytes = |s: usize, h: Head| {
                self.sources
                    .get(s)
                    .and_then(|src| src.bytes().get(h.start..h.end))
                    .unwrap_or_default()
            };
            cmp_records(bytes(a, x), bytes(b, y))
        });
        order == Ordering::Less
    }

    /// The least record left; `None` when every source has ended.
    fn peek(&self) -> Option<&[u8]> {
        let h = self.heads.get(self.winner).copied().flatten()?;
        self.sources.get(self.winner)?.bytes().get(h.start..h.end)
    }

    /// Moves the winner on to its next record and plays its way up again.
    fn advance(&mut self) -> io::Result<()> {
        let mut win = self.winner;
        let next = match self.sources.get_mut(win) {
            Some(s) => s.next()?,
            None => None,
        };
        if let Some(h) = self.heads.get_mut(win) {
            *h = next;
        }
        // The winner's leaf, then each node above it.
        let leaf = self.sources.len() + win;
        let mut node = leaf / 2;
        while node >= 1 {
            let other = self.losers.get(node).copied().unwrap_or(win);
            if self.before(other, win) {
                if let Some(slot) = self.losers.get_mut(node) {
                    *slot = win;
                }
                win = other;
            }
            node /= 2;
        }
        self.winner = win;
        Ok(())
    }

    /// Hands every record left, in order, to `each`.
    fn drain(mut self, mut each: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        while let Some(rec) = self.peek() {
            each(rec)?;
            self.advance()?;
        }
        Ok(())
    }
}

/// Bytes of output written at a time by each part of the merge.
const OUT_CHUNK: usize = 1 << 20;

/// At most how many parts the last merge is cut into, each merged and
/// written on its own thread.
const MAX_PARTS: usize = 8;

/// Where one part of the last merge begins in each source (a run's offset,
/// a row's index), and in the output.
struct Cut {
    runs: Vec<u64>,
    rows: Vec<usize>,
    out: u64,
}

impl SortedLog {
    /// Writes the canonical text to `out`, the whole file from its start:
    /// the header, then every record in order. Past [`FAN_IN`] runs, the
    /// oldest are first merged into longer runs, so that files and buffers
    /// open at once stay bounded. The last merge is cut into parts at
    /// records sampled from the runs and rows, as many as the log was read
    /// in (at most [`MAX_PARTS`], and at most [`FAN_IN`] runs read at once
    /// by all the parts), each merged on its own thread and written where
    /// its records begin.
    pub fn write_to(self, out: &dyn WriteAt) -> io::Result<()> {
        let reading = self.parts.len();
        let mut runs = Vec::new();
        let mut memory = Vec::new();
        for part in self.parts {
            runs.extend(part.runs);
            memory.push(Collector {
                runs: Vec::new(),
                ..part
            });
        }
        let fan_in = self.fan_in.max(2);
        while runs.len() + memory.len() > fan_in {
            // The memory sources stay for the last merge; at least two
            // runs are merged at a time.
            let take = fan_in.min(runs.len());
            if take < 2 {
                break;
            }
            let group: Vec<Run> = runs.drain(..take).collect();
            let block = RUN_BLOCKS / group.len();
            let sources = group
                .iter()
                .map(|r| Source::Run(RunReader::new(&r.file, 0, r.len, block)))
                .collect();
            let mut w = RunWriter::new(&self.dir)?;
            Merge::new(sources)?.drain(|rec| w.push(rec))?;
            runs.push(w.finish()?);
        }
        // Every part reads every run: at most FAN_IN readers in all, each
        // holding a record (as long as it may be).
        let parts = reading.min(MAX_PARTS).min(fan_in / runs.len().max(1)).max(1);
        out.write_all_at(&self.header, 0)?;
        let cuts = cuts(&runs, &memory, parts, self.header.len() as u64)?;
        let block = RUN_BLOCKS / (runs.len().max(1) * cuts.len().saturating_sub(1).max(1));
        std::thread::scope(|s| {
            let handles: Vec<_> = cuts
                .windows(2)
                .filter_map(|w| Some((w.first()?, w.get(1)?)))
                .map(|(from, to)| {
                    let mut sources: Vec<Source<'_>> = Vec::new();
                    for ((r, &a), &b) in runs.iter().zip(&from.runs).zip(&to.runs) {
                        sources.push(Source::Run(RunReader::new(&r.file, a, b, block)));
                    }
                    for ((c, &a), &b) in memory.iter().zip(&from.rows).zip(&to.rows) {
                        sources.push(Source::Memory {
                            arena: &c.arena,
                            rows: c.rows.get(a..b).unwrap_or_default().iter(),
                        });
                    }
                    let at = from.out;
                    crate::threads::spawn(s, move || merge_part(sources, out, at))
                })
                .collect();
            // The scope joins whatever is left after an error.
            handles
                .into_iter()
                .try_for_each(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a thread failed"))))
        })
    }
}

/// Merges `sources` and writes the records from `at` on.
fn merge_part(sources: Vec<Source<'_>>, out: &dyn WriteAt, mut at: u64) -> io::Result<()> {
    let mut buf = Vec::with_capacity(OUT_CHUNK + (1 << 16));
    Merge::new(sources)?.drain(|rec| {
        buf.extend_from_slice(rec);
        if buf.len() >= OUT_CHUNK {
            out.write_all_at(&buf, at)?;
            at += buf.len() as u64;
            buf.clear();
        }
        Ok(())
    })?;
    out.write_all_at(&buf, at)
}

/// Where each of up to `parts` parts of the last merge begins, and (last)
/// where the sources end: cut before the first record not less than each
/// of the records that divide the samples of every source into `parts`
/// equal shares. Every record of a part is then less than every record of
/// the parts after it, and it is written after the header (`header` bytes)
/// and every record of the parts before it.
fn cuts(runs: &[Run], memory: &[Collector], parts: usize, header: u64) -> io::Result<Vec<Cut>> {
    // Each sample with how many records it stands for.
    let mut samples: Vec<(&[u8], usize)> = runs
        .iter()
        .flat_map(|r| r.samples.iter().map(|s| (s.record.as_slice(), r.every)))
        .collect();
    for c in memory {
        let rows = c.rows.iter().step_by(SAMPLE_EVERY);
        samples.extend(rows.map(|r| (c.record(r), SAMPLE_EVERY)));
    }
    samples.sort_unstable_by(|a, b| cmp_records(a.0, b.0));
    let total: usize = samples.iter().map(|s| s.1).sum();
    // The first sample at or past each share of the records.
    let mut dividers: Vec<&[u8]> = Vec::new();
    let mut seen = 0;
    for (record, weight) in samples {
        seen += weight;
        if dividers.len() + 1 < parts && seen * parts >= total * (dividers.len() + 1) {
            dividers.push(record);
        }
    }
    dividers.dedup();
    let start = Cut {
        runs: vec![0; runs.len()],
        rows: vec![0; memory.len()],
        out: header,
    };
    let mut all = vec![start];
    for d in dividers {
        let mut cut = Cut {
            runs: Vec::new(),
            rows: Vec::new(),
            out: header,
        };
        for r in runs {
            let (at, before) = run_cut(r, d)?;
            cut.runs.push(at);
            cut.out += before;
        }
        for c in memory {
            let i = c
                .rows
                .partition_point(|r| cmp_records(c.record(r), d) == Ordering::Less);
            cut.rows.push(i);
            cut.out += c
                .rows
                .get(..i)
                .unwrap_or_default()
                .iter()
                .map(|r| (r.end - r.start) as u64)
                .sum::<u64>();
        }
        all.push(cut);
    }
    // Where the sources end (`out`, the end of the output, is not needed).
    all.push(Cut {
        runs: runs.iter().map(|r| r.len).collect(),
        rows: memory.iter().map(|c| c.rows.len()).collect(),
        out: 0,
    });
    Ok(all)
}

/// Where the first record of `run` not less than `divider` begins, and the
/// bytes of the records before it: read on from the last sample less than
/// it.
fn run_cut(run: &Run, divider: &[u8]) -> io::Result<(u64, u64)> {
    let i = run
        .samples
        .partition_point(|s| cmp_records(&s.record, divider) == Ordering::Less);
    let (mut at, mut before) = match i.checked_sub(1).and_then(|i| run.samples.get(i)) {
        Some(s) => (s.at, s.before),
        None => (0, 0),
    };
    let end = run.samples.get(i).map_or(run.len, |s| s.at);
    let mut reader = RunReader::new(&run.file, at, end, 1 << 16);
    while let Some((start, stop)) = reader.next()? {
        let rec = reader.buf.get(start..stop).unwrap_or_default();
        if cmp_records(rec, divider) != Ordering::Less {
            break;
        }
        at += 4 + rec.len() as u64;
        before += rec.len() as u64;
    }
    Ok((at, before))
}

/// How many sources one merge reads at once (each holds a file, and its
/// share of [`RUN_BLOCKS`]): a log of up to about 6 GB (256 runs of 24 MB
/// of records) is merged in one pass.
pub(super) const FAN_IN: usize = 256;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`Key::of`] a byte at a time, as it was first written.
    fn key_byte_by_byte(record: &[u8]) -> Key {
        let mut bytes = [0u8; KEY_BYTES];
        if record.len() < KEY_BYTES {
            return Key::NOT_WHOLE;
        }
        for (slot, &b) in bytes.iter_mut().zip(record) {
            match b {
                b',' => *slot = 0,
                b'"' | b'\n' | b'\r' | 0 => return Key::NOT_WHOLE,
                _ => *slot = b,
            }
        }
        let (hi, lo) = bytes.split_at(KEY_BYTES / 2);
        Key {
            hi: u128::from_be_bytes(hi.try_into().unwrap()),
            lo: u128::from_be_bytes(lo.try_into().unwrap()),
            whole: true,
        }
    }

    proptest! {
        #[test]
        fn keys_are_read_16_bytes_at_a_time_as_one_at_a_time(
            record in proptest::collection::vec(prop_oneof![
                8 => 0x23u8..=0xFF,
                1 => proptest::sample::select(vec![b',', b'"', b'\n', b'\r', 0, b' ', 0x0B]),
            ], 0..48),
        ) {
            let key = Key::of(&record);
            let want = key_byte_by_byte(&record);
            prop_assert!(key == want, "{:?}", record);
        }
    }

    /// A run of many records, some too long to be samples, keeps a bounded
    /// number of samples, none too long, each found where it says.
    #[test]
    fn a_run_keeps_few_short_samples_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RunWriter::new(dir.path()).unwrap();
        let mut bytes = 0;
        for i in 0..1000 {
            let rec = format!("{i:04},{}\n", "y".repeat(if i % 2 == 0 { 30 } else { i % 7 }));
            bytes += rec.len() as u64;
            w.push(rec.as_bytes()).unwrap();
        }
        let run = w.finish().unwrap();
        assert!((SAMPLES_PER_RUN..=2 * SAMPLES_PER_RUN).contains(&run.samples.len()));
        assert!(run.every >= 1000 / (2 * SAMPLES_PER_RUN));
        for s in &run.samples {
            assert!(s.record.len() <= SAMPLE_MAX);
            let mut reader = RunReader::new(&run.file, s.at, run.len, 16);
            let (a, b) = reader.next().unwrap().unwrap();
            assert_eq!(reader.buf[a..b], s.record[..]);
            let n: u64 = std::str::from_utf8(&s.record[..4]).unwrap().parse().unwrap();
            let before: u64 = (0..n).map(|i| 6 + if i % 2 == 0 { 30 } else { i % 7 }).sum();
            assert_eq!(s.before, before);
        }
        assert_eq!(run.len, bytes + 4 * 1000);
    }

    /// A reader's block grows for a long record and shrinks back after it.
    #[test]
    fn a_block_grown_for_a_long_record_shrinks_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RunWriter::new(dir.path()).unwrap();
        let long = format!("{}\n", "z".repeat(1000));
        for rec in ["a\n", long.as_str(), "b\n", "c\n"] {
            w.push(rec.as_bytes()).unwrap();
        }
        let run = w.finish().unwrap();
        let mut reader = RunReader::new(&run.file, 0, run.len, 64);
        let mut lens = Vec::new();
        while let Some((a, b)) = reader.next().unwrap() {
            lens.push((b - a, reader.buf.len()));
        }
        assert_eq!(lens, [(2, 64), (1001, 1005), (2, 64), (2, 64)]);
    }

    /// Two collectors of 300 rows, each spilled in runs (and the greatest
    /// rows left in memory): cut in three, each
    /// part holds about a third of the rows, every row of a part is less
    /// than every row of the next, and each part is written where the
    /// bytes of the parts before it end.
    #[test]
    fn the_last_merge_is_cut_in_even_parts_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut collectors = Vec::new();
        for c in 0..2 {
            // About 200 rows a run, the last 100 left in memory.
            let mut col = Collector::new(200 * (std::mem::size_of::<Row>() + 15));
            for i in 0..300 {
                // In order: the rows left in memory are the greatest.
                let rec = format!("2023-{:04},{},{c}\n", i * 2 + c, "x".repeat(i % 5));
                col.push(rec.as_bytes(), dir.path()).unwrap();
            }
            collectors.push(col.finish());
        }
        let mut runs = Vec::new();
        for c in &mut collectors {
            runs.append(&mut c.runs);
        }
        assert!(runs.len() >= 2 && collectors.iter().all(|c| c.rows.len() > 60));
        let header = 5;
        let cuts = cuts(&runs, &collectors, 3, header).unwrap();
        assert_eq!(cuts.len(), 4);
        // Every part's records, read from the runs and the rows.
        let parts: Vec<Vec<Vec<u8>>> = cuts
            .windows(2)
            .map(|w| {
                let mut recs = Vec::new();
                for ((r, &a), &b) in runs.iter().zip(&w[0].runs).zip(&w[1].runs) {
                    let mut reader = RunReader::new(&r.file, a, b, 16);
                    while let Some((s, e)) = reader.next().unwrap() {
                        recs.push(reader.buf[s..e].to_vec());
                    }
                }
                for ((c, &a), &b) in collectors.iter().zip(&w[0].rows).zip(&w[1].rows) {
                    recs.extend(c.rows[a..b].iter().map(|r| c.record(r).to_vec()));
                }
                recs
            })
            .collect();
        assert_eq!(parts.iter().map(Vec::len).sum::<usize>(), 600);
        let mut out = header;
        for (i, part) in parts.iter().enumerate() {
            assert!((150..=250).contains(&part.len()), "part {i}: {} rows", part.len());
            assert_eq!(cuts[i].out, out);
            out += part.iter().map(|r| r.len() as u64).sum::<u64>();
            if let Some(next) = parts.get(i + 1) {
                let max = part.iter().max_by(|a, b| cmp_records(a, b)).unwrap();
                let min = next.iter().min_by(|a, b| cmp_records(a, b)).unwrap();
                assert_eq!(cmp_records(max, min), Ordering::Less);
            }
        }
    }

    #[test]
    fn whole_keys_order_rows_as_their_cells() {
        let rows = [
            "2023-01-01,A,b,ccccccccccccccccccc\n",
            "2023-01-01,AB,b,cccccccccccccccccc\n",
            "2023-01-01,A b,b,ccccccccccccccccc\n",
            "2023-01-01,A,\"b,\",cccccccccccccccccc\n",
            "2023-01-0,A,bbbbbbbbb,cccccccccccccccc\n",
            "2023-01-01,A,bbbbbb,cccccccccccccccc,c\n",
            "2023-01-01,A,bbbbbb,cccccccccccccccc,d\n",
            "2023-01-01,A,bbbbbb,ccccccccccccccccc\n",
        ];
        let mut decided = 0;
        for a in rows {
            for b in rows {
                if let Some(o) = Key::of(a.as_bytes()).order(Key::of(b.as_bytes())) {
                    assert_eq!(o, cmp_records(a.as_bytes(), b.as_bytes()), "{a:?} {b:?}");
                    decided += 1;
                }
            }
        }
        assert!(decided > 20);
        // A quote within the key's bytes, or a short row: the key does not decide.
        assert!(!Key::of(rows[3].as_bytes()).whole);
        assert!(!Key::of(b"a,b\n").whole);
        assert!(Key::of(rows[5].as_bytes()).whole);
    }
}
