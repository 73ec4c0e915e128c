//! The canonical text of a log that is not in canonical form, for `plan
//! fmt`, from the log's bytes on every core in bounded memory.
//!
//! Each thread reads its part of the file ([`super::log_fast`]'s reading,
//! which renders every record canonically) and hands the records to a
//! [`Collector`]: their bytes in one buffer, sorted there when it is full
//! and spilled as a sorted run to an anonymous temporary file (each
//! record after its length, so that it is read back without being
//! scanned). [`SortedLog::write_to`] merges every run and what is left in
//! memory, through a tree of losers. Rows compare as their cells do
//! ([`super::log_fast::cmp_records`], on the rendered records); two rows
//! equal as cells render to the same bytes, so ties need no rule.
//!
//! A log this reading cannot follow (badly quoted, rows of another width,
//! not UTF-8, a single column) gives `None`, and the full pass
//! ([`super::scan_log`]) writes it, or says why it cannot.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::Path;

use wide::u8x16;

use super::log_fast::cmp_records;

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
    runs: Vec<File>,
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

    /// Sorts what is in memory into a new run file.
    fn spill(&mut self, dir: &Path) -> io::Result<()> {
        self.sort();
        let mut w = BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(dir)?);
        for r in &self.rows {
            write_framed(&mut w, self.arena.get(r.start..r.end).unwrap_or_default())?;
        }
        let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
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

/// A sorted run read back: each record as its length (4 bytes,
/// little-endian) and its bytes, read a block at a time. A record is read
/// in place, in the block, so that the merge copies it only once, to the
/// output.
struct RunReader {
    file: File,
    buf: Vec<u8>,
    /// Where the unread bytes begin, and where they end.
    pos: usize,
    filled: usize,
}

/// Bytes read from a run at a time (a longer record gets a longer block);
/// in the unit tests a few, so that their records cross the ends of blocks
/// and outgrow them.
const RUN_BLOCK: usize = if cfg!(test) { 16 } else { 1 << 18 };

impl RunReader {
    fn new(file: File) -> RunReader {
        RunReader {
            file,
            buf: vec![0; RUN_BLOCK],
            pos: 0,
            filled: 0,
        }
    }

    /// Where the next record lies in [`Self::buf`] (until the next call);
    /// `None` at the end of the run.
    fn next(&mut self) -> io::Result<Option<(usize, usize)>> {
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
            let n = self.file.read(self.buf.get_mut(self.filled..).unwrap_or_default())?;
            if n == 0 {
                return if self.filled == 0 {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
            self.filled += n;
        }
    }
}

/// Writes a record to a run (see [`RunReader`]).
fn write_framed(w: &mut impl Write, record: &[u8]) -> io::Result<()> {
    let len = u32::try_from(record.len()).map_err(|_| io::Error::other("a record longer than 4 GiB"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(record)
}

/// Where a merge takes its next record from.
enum Source {
    Run(RunReader),
    Memory {
        arena: Vec<u8>,
        rows: std::vec::IntoIter<Row>,
    },
}

impl Source {
    fn run(f: File) -> Source {
        Source::Run(RunReader::new(f))
    }

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
struct Merge {
    sources: Vec<Source>,
    heads: Vec<Option<Head>>,
    /// Node `i` (from 1) plays the winners of nodes `2i` and `2i + 1`;
    /// node `n + s` is source `s`.
    losers: Vec<usize>,
    winner: usize,
}

impl Merge {
    fn new(mut sources: Vec<Source>) -> io::Result<Merge> {
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
}

/// Bytes of output handed to the writing thread at a time.
const OUT_CHUNK: usize = 1 << 20;

/// How many buffers of output may wait for the writing thread: the merge
/// goes on while the safe writer waits for the disk (it syncs every 8 MiB).
const OUT_QUEUE: usize = 4;

impl SortedLog {
    /// Writes the canonical text: the header, then every record in order
    /// (merged on this thread, written on another).
    pub fn write_to(self, out: &mut (dyn Write + Send)) -> io::Result<()> {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(OUT_QUEUE);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::scope(|s| {
            let writer = s.spawn(move || -> io::Result<()> {
                for mut buf in full_rx {
                    out.write_all(&buf)?;
                    buf.clear();
                    // The merge may have ended: the buffer is then dropped.
                    let _ = empty_tx.send(buf);
                }
                out.flush()
            });
            let merged = self.merge(|buf| {
                let next = empty_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(OUT_CHUNK + (1 << 16)));
                let full = std::mem::replace(buf, next);
                // Refused only when the writer stopped: its error is returned.
                full_tx.send(full).is_ok()
            });
            drop(full_tx);
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a thread failed")));
            written.and(merged)
        })
    }

    /// Merges every part's records after the header into buffers of about
    /// [`OUT_CHUNK`] bytes, each handed to `emit` (which gives an empty one
    /// back in its place, or `false` to stop). Past [`FAN_IN`] runs, the
    /// oldest are first merged into longer runs, so that files and buffers
    /// open at once stay bounded.
    fn merge(self, mut emit: impl FnMut(&mut Vec<u8>) -> bool) -> io::Result<()> {
        let mut runs = Vec::new();
        let mut memory = Vec::new();
        for part in self.parts {
            runs.extend(part.runs);
            memory.push(Source::Memory {
                arena: part.arena,
                rows: part.rows.into_iter(),
            });
        }
        while runs.len() + memory.len() > self.fan_in.max(2) {
            // The memory sources stay for the last merge; at least two
            // runs are merged at a time.
            let take = self.fan_in.max(2).min(runs.len());
            if take < 2 {
                break;
            }
            let group: Vec<Source> = runs.drain(..take).map(Source::run).collect();
            let mut w = BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(&self.dir)?);
            let mut failed = None;
            merge_sources(group, |rec| match write_framed(&mut w, rec) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            })?;
            if let Some(e) = failed {
                return Err(e);
            }
            let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            runs.push(file);
        }
        let mut sources: Vec<Source> = runs.into_iter().map(Source::run).collect();
        sources.extend(memory);
        let mut buf = Vec::with_capacity(OUT_CHUNK + (1 << 16));
        buf.extend_from_slice(&self.header);
        let mut stopped = false;
        merge_sources(sources, |rec| {
            buf.extend_from_slice(rec);
            if buf.len() >= OUT_CHUNK && !emit(&mut buf) {
                stopped = true;
                return false;
            }
            true
        })?;
        if !stopped && !buf.is_empty() {
            emit(&mut buf);
        }
        Ok(())
    }
}

/// How many sources one merge reads at once (each holds a buffer and a file).
pub(super) const FAN_IN: usize = 64;

/// Hands every record of the sorted `sources`, in order, to `each` (which
/// says `false` to stop).
fn merge_sources(sources: Vec<Source>, mut each: impl FnMut(&[u8]) -> bool) -> io::Result<()> {
    let mut merge = Merge::new(sources)?;
    while let Some(rec) = merge.peek() {
        if !each(rec) {
            return Ok(());
        }
        merge.advance()?;
    }
    Ok(())
}

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
