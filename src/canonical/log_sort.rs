//! The canonical text of a log that is not in canonical form, for `plan
//! fmt`, from the log's bytes on every core in bounded memory.
//!
//! Each thread reads its part of the file ([`super::log_fast`]'s reading,
//! which renders every record canonically) and hands the records to a
//! [`Collector`]: their bytes in one buffer, sorted there when it is full
//! and spilled as a sorted run to an anonymous temporary file (plain
//! canonical CSV records). [`SortedLog::write_to`] merges every run and
//! what is left in memory. Rows compare as their cells do
//! ([`super::log_fast::cmp_records`], on the rendered records); two rows
//! equal as cells render to the same bytes, so ties need no rule.
//!
//! A log this reading cannot follow (badly quoted, rows of another width,
//! not UTF-8, a single column) gives `None`, and the full pass
//! ([`super::scan_log`]) writes it, or says why it cannot.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::collections::binary_heap::PeekMut;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};
use std::path::Path;

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
    fn of(record: &[u8]) -> Key {
        let mut bytes = [0u8; KEY_BYTES];
        let mut whole = record.len() >= KEY_BYTES;
        for (slot, &b) in bytes.iter_mut().zip(record) {
            match b {
                b',' => *slot = 0,
                b'"' | b'\n' | b'\r' | 0 => {
                    whole = false;
                    break;
                }
                _ => *slot = b,
            }
        }
        let (hi, lo) = bytes.split_at(KEY_BYTES / 2);
        let half = |h: &[u8]| u128::from_be_bytes(h.try_into().unwrap_or_default());
        Key {
            hi: half(hi),
            lo: half(lo),
            whole,
        }
    }

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
            w.write_all(self.arena.get(r.start..r.end).unwrap_or_default())?;
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

/// Where a merge takes its next record from.
enum Source {
    Run(BufReader<File>),
    Memory {
        arena: Vec<u8>,
        rows: std::vec::IntoIter<Row>,
    },
}

impl Source {
    fn run(f: File) -> Source {
        Source::Run(BufReader::with_capacity(1 << 18, f))
    }

    /// Puts the next record (with its line break) in `rec`; `false` at the end.
    fn next(&mut self, rec: &mut Vec<u8>) -> io::Result<bool> {
        rec.clear();
        match self {
            Source::Memory { arena, rows } => {
                let Some(r) = rows.next() else { return Ok(false) };
                rec.extend_from_slice(arena.get(r.start..r.end).unwrap_or_default());
                Ok(true)
            }
            Source::Run(r) => {
                // A canonical record ends at a line break after an even
                // number of quotes.
                let mut quotes = 0;
                loop {
                    let buf = r.fill_buf()?;
                    if buf.is_empty() {
                        return if rec.is_empty() {
                            Ok(false)
                        } else {
                            Err(io::ErrorKind::UnexpectedEof.into())
                        };
                    }
                    let (line, ends) = match memchr::memchr(b'\n', buf) {
                        Some(i) => (buf.get(..=i).unwrap_or_default(), true),
                        None => (buf, false),
                    };
                    quotes += memchr::memchr_iter(b'"', line).count();
                    rec.extend_from_slice(line);
                    let n = line.len();
                    r.consume(n);
                    if ends && quotes % 2 == 0 {
                        return Ok(true);
                    }
                }
            }
        }
    }
}

/// A source's current record, ordered so that the heap's top is the least.
struct Head {
    rec: Vec<u8>,
    key: Key,
    source: usize,
}

impl Head {
    /// Reads the source's next record; `false` at its end.
    fn advance(&mut self, sources: &mut [Source]) -> io::Result<bool> {
        let more = match sources.get_mut(self.source) {
            Some(s) => s.next(&mut self.rec)?,
            None => false,
        };
        self.key = Key::of(&self.rec);
        Ok(more)
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .key
            .order(self.key)
            .unwrap_or_else(|| cmp_records(&other.rec, &self.rec))
    }
}

/// Bytes of output handed to the writing thread at a time.
const OUT_CHUNK: usize = 1 << 20;

impl SortedLog {
    /// Writes the canonical text: the header, then every record in order
    /// (merged on this thread, written on another).
    pub fn write_to(self, out: &mut (dyn Write + Send)) -> io::Result<()> {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
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
            merge_sources(group, |rec| match w.write_all(rec) {
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
fn merge_sources(mut sources: Vec<Source>, mut each: impl FnMut(&[u8]) -> bool) -> io::Result<()> {
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for source in 0..sources.len() {
        let mut head = Head {
            rec: Vec::new(),
            key: Key::of(b""),
            source,
        };
        if head.advance(&mut sources)? {
            heap.push(head);
        }
    }
    while let Some(mut top) = heap.peek_mut() {
        if !each(&top.rec) {
            return Ok(());
        }
        if !top.advance(&mut sources)? {
            PeekMut::pop(top);
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

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
