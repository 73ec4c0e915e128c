//! `ref` must be unique across all logs. Rows are read in pieces, possibly
//! in parallel, so each piece only notes where a `ref` occurs (as a 96-bit
//! hash: memory stays at 24 bytes per `ref` whatever its length); the
//! duplicates are found once, after reading, in reading order. Two
//! different `ref`s colliding in 96 bits (odds about 10^-17 for a million
//! `ref`s) is beyond any real log.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// One occurrence of a `ref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct RefEntry {
    pub hash: u64,
    /// 32 more bits of hash, kept apart so that the entry packs in 24 bytes.
    pub hash2: u32,
    /// Line within the piece until the piece is placed, then in the file.
    pub line: u32,
    pub file: u32,
    /// Cell index of the `ref` column in its file.
    pub cell: u16,
}

impl RefEntry {
    pub fn new(text: &[u8], file: usize, line: u64, cell: usize) -> RefEntry {
        let (hash, hash2) = hash96(text);
        RefEntry {
            hash,
            hash2,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            file: u32::try_from(file).unwrap_or(u32::MAX),
            cell: u16::try_from(cell).unwrap_or(u16::MAX),
        }
    }

    pub fn file(&self) -> usize {
        self.file as usize
    }

    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    pub fn cell(&self) -> usize {
        usize::from(self.cell)
    }

    /// Moves the line by the lines of the pieces before this one.
    pub fn shift(&mut self, lines: u64) {
        self.line = u32::try_from(u64::from(self.line) + lines).unwrap_or(u32::MAX);
    }
}

/// Two FNV-1a hashes with different offset bases (FNV: a handful of
/// instructions per byte, and `ref`s are short), folded to 96 bits.
fn hash96(text: &[u8]) -> (u64, u32) {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let (mut a, mut b) = (0xCBF2_9CE4_8422_2325_u64, 0x8422_2325_CBF2_9CE4_u64);
    for &byte in text {
        a = (a ^ u64::from(byte)).wrapping_mul(PRIME);
        b = (b ^ u64::from(byte)).wrapping_mul(PRIME).rotate_left(29);
    }
    (a, (b >> 32) as u32)
}

/// A later use of a `ref` and the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Duplicate {
    pub again: RefEntry,
    pub first: RefEntry,
}

/// Sorts one piece's entries by hash (on the piece's thread); [`duplicates`]
/// then only merges the sorted runs. A plain `u64` key keeps this cheap.
pub(super) fn sort_run(run: &mut [RefEntry]) {
    run.sort_unstable_by_key(|e| e.hash);
}

/// Runs ready for [`duplicates`]: each sorted (a run sorted already costs
/// one pass), and many small runs (one per file of a large workspace) made
/// one, since merging a thousand runs through a heap costs more than one sort.
pub(super) fn sorted_runs(mut runs: Vec<Vec<RefEntry>>) -> Vec<Vec<RefEntry>> {
    if runs.len() > MAX_RUNS {
        let mut all = Vec::with_capacity(runs.iter().map(Vec::len).sum());
        for run in runs {
            all.extend(run); // each run freed as soon as it is copied
        }
        runs = vec![all];
    }
    for run in &mut runs {
        sort_run(run);
    }
    runs
}

/// Beyond this many runs, [`sorted_runs`] sorts them as one.
const MAX_RUNS: usize = 8;

/// The later uses of `ref`s: the first `per_file` of each file, and how
/// many more each file has.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Duplicates {
    /// In reading order (file, line).
    pub first: Vec<Duplicate>,
    /// File → later uses beyond `first`.
    pub more: BTreeMap<usize, u64>,
}

/// Every use of a `ref` after its first, in reading order (file, line): the
/// first `per_file` of each file, the others only counted (a log where one
/// `ref` is on every row holds no more than that).
/// `runs` are sorted by [`sort_run`] (one per piece); they are merged by
/// hash on the fly, so nothing is copied. Entries that share the first 64
/// bits of hash (real duplicates, almost always) are put in reading order
/// and told apart by the other 32 bits.
pub(super) fn duplicates(runs: Vec<Vec<RefEntry>>, per_file: usize) -> Duplicates {
    let mut groups = Groups {
        per_file,
        ..Groups::default()
    };
    match runs.as_slice() {
        [] => {}
        [one] => one.iter().for_each(|e| groups.push(*e)),
        [a, b] => {
            // Two cursors: one large file split for two cores, the usual case.
            let (mut a, mut b) = (a.as_slice(), b.as_slice());
            loop {
                let from_b = match (a.first(), b.first()) {
                    (Some(x), Some(y)) => y.hash < x.hash,
                    (Some(_), None) => false,
                    (None, Some(_)) => true,
                    (None, None) => break,
                };
                let side = if from_b { &mut b } else { &mut a };
                if let Some((e, rest)) = side.split_first() {
                    groups.push(*e);
                    *side = rest;
                }
            }
        }
        many => {
            let mut heads: BinaryHeap<Reverse<(u64, usize, usize)>> = many
                .iter()
                .enumerate()
                .filter_map(|(r, run)| run.first().map(|e| Reverse((e.hash, r, 0))))
                .collect();
            while let Some(Reverse((_, r, i))) = heads.pop() {
                let run = many.get(r).map_or(&[][..], Vec::as_slice);
                if let Some(e) = run.get(i) {
                    groups.push(*e);
                }
                if let Some(next) = run.get(i + 1) {
                    heads.push(Reverse((next.hash, r, i + 1)));
                }
            }
        }
    }
    groups.finish()
}

/// Entries in hash order in, duplicates out: only a run of equal hashes is
/// ever collected.
#[derive(Default)]
struct Groups {
    prev: Option<RefEntry>,
    group: Vec<RefEntry>,
    per_file: usize,
    /// File → the first `per_file` later uses (a max-heap by place, so the
    /// latest is the one dropped for an earlier), and how many were dropped.
    out: BTreeMap<u32, FileDuplicates>,
}

/// One file's first later uses, keyed by place (line, cell), and how many
/// more there are.
type FileDuplicates = (BinaryHeap<((u32, u16), Duplicate)>, u64);

impl Groups {
    fn push(&mut self, e: RefEntry) {
        match self.prev {
            Some(p) if p.hash == e.hash => {
                if self.group.is_empty() {
                    self.group.push(p);
                }
                self.group.push(e);
            }
            _ => self.flush(),
        }
        self.prev = Some(e);
    }

    fn flush(&mut self) {
        if self.group.is_empty() {
            return;
        }
        self.group.sort_unstable_by_key(|e| (e.hash2, e.file, e.line, e.cell));
        for same in self.group.chunk_by(|a, b| a.hash2 == b.hash2) {
            if let [first, rest @ ..] = same {
                for &again in rest {
                    let d = Duplicate { again, first: *first };
                    let (heap, more) = self.out.entry(again.file).or_default();
                    let key = (again.line, again.cell);
                    if heap.len() < self.per_file {
                        heap.push((key, d));
                        continue;
                    }
                    *more += 1;
                    if heap.peek().is_some_and(|(top, _)| key < *top) {
                        heap.pop();
                        heap.push((key, d));
                    }
                }
            }
        }
        self.group.clear();
    }

    fn finish(mut self) -> Duplicates {
        self.flush();
        let mut out = Duplicates::default();
        for (file, (heap, more)) in self.out {
            out.first.extend(heap.into_sorted_vec().into_iter().map(|(_, d)| d));
            if more > 0 {
                out.more.insert(file as usize, more);
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn later_uses_name_the_first() {
        let e = |t: &str, file, line| RefEntry::new(t.as_bytes(), file, line, 7);
        let all = [e("A", 1, 5), e("B", 0, 2), e("A", 0, 9), e("A", 1, 2), e("C", 0, 3)];
        // The same duplicates whatever the runs: one, two, or three.
        let runs = |cuts: &[usize]| {
            let mut runs: Vec<Vec<RefEntry>> = Vec::new();
            let mut start = 0;
            for &end in cuts.iter().chain([&all.len()]) {
                let mut run = all[start..end].to_vec();
                sort_run(&mut run);
                runs.push(run);
                start = end;
            }
            runs
        };
        let d = duplicates(runs(&[]), 100);
        assert_eq!(d, duplicates(runs(&[2]), 100));
        assert_eq!(d, duplicates(runs(&[1, 3]), 100));
        assert!(d.more.is_empty());
        let d = d.first;
        assert_eq!(d.len(), 2);
        assert_eq!(
            (
                d[0].again.file(),
                d[0].again.line(),
                d[0].first.file(),
                d[0].first.line()
            ),
            (1, 2, 0, 9)
        );
        assert_eq!((d[1].again.file(), d[1].again.line(), d[1].first.line()), (1, 5, 9));
        assert_ne!(hash96(b"KH-1"), hash96(b"KH-2"));
        assert_eq!(std::mem::size_of::<RefEntry>(), 24);
    }

    #[test]
    fn later_uses_beyond_the_cap_are_only_counted() {
        // `A` on lines 1 to 50, read in reverse: line 1 is still the first.
        let mut run: Vec<RefEntry> = (1..=50).rev().map(|l| RefEntry::new(b"A", 0, l, 7)).collect();
        sort_run(&mut run);
        let d = duplicates(vec![run], 10);
        let lines: Vec<u64> = d.first.iter().map(|d| d.again.line()).collect();
        assert_eq!(lines, (2..=11).collect::<Vec<u64>>());
        assert!(d.first.iter().all(|d| d.first.line() == 1));
        assert_eq!(d.more, BTreeMap::from([(0, 39)]));
    }
}
