//! `ref` must be unique across all logs. Rows are read in pieces, possibly
//! in parallel, so each piece only notes a 64-bit hash of each `ref`: memory
//! stays at 8 bytes per `ref` whatever its length. The duplicates are found
//! once, after reading, in reading order.
//!
//! How, in four steps, none needing memory beyond the hashes:
//! 1. each piece's thread sorts its hashes in place, with a radix sort that
//!    makes use of hashes being uniform ([`sort_run`]);
//! 2. the hashes used more than once are found by walking the sorted runs
//!    side by side ([`repeated_hashes`]), each core over its own part of
//!    the hash range: nothing is copied, and in a log without duplicates
//!    nothing more is done;
//! 3. only when some hash repeats are the logs read again, noting for each
//!    `ref` with one of those hashes where it is ([`RefEntry`]: file, line,
//!    cell) and 32 more bits of hash;
//! 4. those entries are put in reading order ([`duplicates`]), keeping the
//!    first few of each file. Two different `ref`s colliding in all 96 bits
//!    (odds about 10^-17 for a million `ref`s) is beyond any real log; a
//!    collision in the first 64 bits only costs the second reading.

use std::collections::{BTreeMap, BinaryHeap};

/// One occurrence of a `ref`, noted in the second reading (step 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct RefEntry {
    pub hash: u64,
    /// 32 more bits of hash, kept apart so that the entry packs in 24 bytes
    /// (a few are made, in the second reading only).
    pub hash2: u32,
    /// Line within the piece until the piece is placed, then in the file.
    pub line: u32,
    pub file: u32,
    /// Cell index of the `ref` column in its file.
    pub cell: u16,
}

impl RefEntry {
    #[inline]
    pub fn new(text: &[u8], file: usize, line: u64, cell: usize) -> RefEntry {
        let (hash, hash2) = hash96(text);
        debug_assert_eq!(hash, hash64(text));
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

/// The hash of a `ref` noted in the first reading: the first 64 bits of
/// [`hash96`], for which only one lane is computed.
#[inline]
pub(super) fn hash64(text: &[u8]) -> u64 {
    lanes::<false>(text).0
}

/// Two 64-bit hashes of `text`, folded to 96 bits (see [`lanes`]).
#[inline]
fn hash96(text: &[u8]) -> (u64, u32) {
    let (a, b) = lanes::<true>(text);
    (a, (b >> 32) as u32)
}

/// Two 64-bit hashes of `text` (the second only when `BOTH`): eight bytes at a time
/// (the last eight overlapping the ones before when the length is not a
/// multiple of eight; a text shorter than eight is read byte by byte), each
/// word mixed into two lanes by a multiply with different constants, the
/// length in the seeds, and each lane finished by `fmix64` (from `MurmurHash3`), so
/// that every bit of the text moves the top bits the radix sort reads. A
/// byte at a time, as FNV goes, costs a dependent multiply per byte.
#[inline]
fn lanes<const BOTH: bool>(text: &[u8]) -> (u64, u64) {
    const K1: u64 = 0x9E37_79B9_7F4A_7C15;
    const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let len = text.len() as u64;
    let (mut a, mut b) = (0x243F_6A88_85A3_08D3 ^ len, 0x1319_8A2E_0370_7344 ^ len.rotate_left(32));
    let mut mix = |w: u64| {
        a = (a ^ w).wrapping_mul(K1).rotate_left(31);
        if BOTH {
            b = (b ^ w).wrapping_mul(K2).rotate_left(27);
        }
    };
    let word = |at: usize| {
        text.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let n = text.len();
    if n < 8 {
        mix(text.iter().rev().fold(0u64, |w, &c| (w << 8) | u64::from(c)));
    } else {
        let mut at = 0;
        while at + 8 <= n {
            mix(word(at));
            at += 8;
        }
        if at < n {
            mix(word(n - 8));
        }
    }
    (fmix64(a), if BOTH { fmix64(b) } else { 0 })
}

/// The finaliser of `MurmurHash3`: every input bit moves every output bit.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The hashes used more than once in the first reading, for the second to
/// look each `ref`'s hash up in: sorted, with a directory by their top bits
/// (hashes are uniform, so each slot holds about one), one or two memory
/// reads a look-up where a binary search over many would take twenty.
#[derive(Debug, Default)]
pub(super) struct Wanted {
    hashes: Vec<u64>,
    /// `slots[p]..slots[p + 1]`: the hashes whose top `bits` bits are `p`.
    slots: Vec<u32>,
    bits: u32,
}

impl Wanted {
    /// `hashes` sorted and each once (as [`repeated_hashes`] gives them).
    pub fn new(hashes: Vec<u64>) -> Wanted {
        // About one hash a slot, at most 2^24 slots (64 MiB).
        let bits = (usize::BITS - hashes.len().leading_zeros()).min(24);
        let slot = |h: u64| h.checked_shr(64 - bits).unwrap_or(0);
        let mut slots = Vec::with_capacity((1 << bits) + 1);
        let mut at = 0;
        for p in 0..=(1u64 << bits) {
            while hashes.get(at).is_some_and(|&h| slot(h) < p) {
                at += 1;
            }
            slots.push(u32::try_from(at).unwrap_or(u32::MAX));
        }
        Wanted { hashes, slots, bits }
    }

    #[inline]
    pub fn contains(&self, hash: u64) -> bool {
        let p = usize::try_from(hash.checked_shr(64 - self.bits).unwrap_or(0)).unwrap_or(0);
        let (Some(&from), Some(&to)) = (self.slots.get(p), self.slots.get(p + 1)) else {
            return false;
        };
        self.hashes
            .get(from as usize..to as usize)
            .is_some_and(|slot| slot.contains(&hash))
    }

    /// The hashes, sorted.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }
}

/// A later use of a `ref` and the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Duplicate {
    pub again: RefEntry,
    pub first: RefEntry,
}

/// What runs are sorted by: a hash (step 1) or an entry's (step 4).
pub(super) trait Hashed: Copy {
    fn hash(&self) -> u64;
}

impl Hashed for u64 {
    #[inline]
    fn hash(&self) -> u64 {
        *self
    }
}

impl Hashed for RefEntry {
    #[inline]
    fn hash(&self) -> u64 {
        self.hash
    }
}

/// Sorts one piece's hashes (on the piece's thread), or entries by hash;
/// [`repeated_hashes`] then only compares sorted runs. See [`radix_sort`].
pub(super) fn sort_run<T: Hashed>(run: &mut [T]) {
    if !run.is_sorted_by_key(Hashed::hash) {
        let mut scratch = Vec::new();
        radix_sort(run, 0, &mut scratch);
    }
}

/// Runs at most this long are sorted by comparison.
const SMALL_RUN: usize = 256;

/// Runs longer than this (about 768 KiB) do not stay in the core's cache.
const CACHED_RUN: usize = 1 << 15;

/// Sorts by hash entries whose hashes share their top `skip` bits.
///
/// Hashes are uniform, so an in-place radix step (an "American flag sort")
/// does most of the work: the next bits of the hash name a bucket, a
/// counting pass sizes the buckets, and a second pass swaps each entry into
/// its bucket, with no memory beyond one counter per bucket. Each bucket is
/// then sorted the same way, and a bucket of a few hundred entries by
/// comparison. A run larger than the cache is split into 16 buckets only:
/// the processor then sees 16 streams of entries it can fetch ahead, where
/// 256 would wait on memory at every swap.
fn radix_sort<T: Hashed>(run: &mut [T], skip: u32, scratch: &mut Vec<T>) {
    if run.len() <= SMALL_RUN || skip + 16 > 64 {
        run.sort_unstable_by_key(Hashed::hash);
        return;
    }
    if run.len() <= CACHED_RUN {
        sort_cached(run, skip, scratch);
        return;
    }
    let bits = 4;
    let shift = 64 - skip - bits;
    let mask = (1usize << bits) - 1;
    let bucket = |e: &T| (e.hash() >> shift) as usize & mask;
    // `ends[b]`: one past the last place of bucket `b`; `next[b]`: the
    // first place of bucket `b` not yet holding one of its entries.
    let mut ends = [0usize; 256];
    for e in run.iter() {
        if let Some(n) = ends.get_mut(bucket(e)) {
            *n += 1;
        }
    }
    let mut next = [0usize; 256];
    let mut sum = 0;
    for (n, start) in ends.iter_mut().zip(&mut next) {
        *start = sum;
        sum += *n;
        *n = sum;
    }
    for (b, &end) in ends.iter().enumerate().take(mask + 1) {
        // Take the entry at bucket b's next free place, and swap it into the
        // bucket it belongs to until one that belongs in b comes back.
        while let Some(&i) = next.get(b).filter(|&&i| i < end) {
            let Some(mut e) = run.get(i).copied() else { break };
            loop {
                let home = bucket(&e);
                if home == b {
                    break;
                }
                let Some(j) = next.get_mut(home) else { break };
                if let Some(slot) = run.get_mut(*j) {
                    std::mem::swap(&mut e, slot);
                }
                *j += 1;
            }
            if let Some(slot) = run.get_mut(i) {
                *slot = e;
            }
            if let Some(n) = next.get_mut(b) {
                *n += 1;
            }
        }
    }
    let mut start = 0;
    for &end in ends.iter().take(mask + 1) {
        if let Some(bucket) = run.get_mut(start..end) {
            radix_sort(bucket, skip + bits, scratch);
        }
        start = end;
    }
}

/// Sorts a run that fits in the cache, whose hashes share their top `skip`
/// bits: the next 16 bits by two counting passes through `scratch` (the
/// less significant byte first, each pass stable), which leaves the run
/// ordered but for hashes that share those 16 bits too (a few, hashes being
/// uniform), and a last pass puts those in order. Streaming passes, where
/// swapping in place waits on a branch the processor cannot predict at
/// every entry.
fn sort_cached<T: Hashed>(run: &mut [T], skip: u32, scratch: &mut Vec<T>) {
    scratch.clear();
    scratch.extend_from_slice(run);
    let pass = |from: &[T], to: &mut [T], shift: u32| {
        let digit = |e: &T| (e.hash() >> shift) as usize & 0xFF;
        let mut at = [0usize; 256];
        for e in from {
            if let Some(n) = at.get_mut(digit(e)) {
                *n += 1;
            }
        }
        let mut sum = 0;
        for n in &mut at {
            let count = *n;
            *n = sum;
            sum += count;
        }
        for e in from {
            if let Some(n) = at.get_mut(digit(e)) {
                if let Some(slot) = to.get_mut(*n) {
                    *slot = *e;
                }
                *n += 1;
            }
        }
    };
    // The low byte of the 16 into `scratch`, then the high byte back.
    let low = 64 - skip - 16;
    pass(run, scratch, low);
    pass(scratch, run, low + 8);
    // Hashes that share the 16 bits too: by comparison, a few at a time
    // (a sort, not insertion, so that crafted `ref`s sharing many bits cost
    // n log n, not n²).
    for group in run.chunk_by_mut(|a, b| a.hash() >> low == b.hash() >> low) {
        if group.len() > 1 {
            group.sort_unstable_by_key(Hashed::hash);
        }
    }
}

/// Runs ready for [`duplicates`]: each sorted (a run sorted already costs
/// one pass), and many small runs (one per file of a large workspace) made
/// one, since comparing every pair of a thousand runs costs more than one sort.
/// Runs are sorted (or found sorted) on up to `threads` threads at once.
pub(super) fn sorted_runs<T: Hashed + Send>(mut runs: Vec<Vec<T>>, threads: usize) -> Vec<Vec<T>> {
    if runs.len() > MAX_RUNS {
        let mut all = Vec::with_capacity(runs.iter().map(Vec::len).sum());
        for run in runs {
            all.extend(run); // each run freed as soon as it is copied
        }
        runs = vec![all];
    }
    let total: usize = runs.iter().map(Vec::len).sum();
    if threads <= 1 || runs.len() <= 1 || total < PARALLEL_MIN {
        for run in &mut runs {
            sort_run(run);
        }
        return runs;
    }
    let per_thread = runs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for some in runs.chunks_mut(per_thread) {
            crate::threads::spawn(scope, move || {
                for run in some {
                    sort_run(run);
                }
            });
        }
    });
    runs
}

/// Below this many hashes in all, [`sorted_runs`] and [`repeated_hashes`]
/// stay on the calling thread: starting threads would cost more.
const PARALLEL_MIN: usize = 1 << 16;

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
///
/// `runs` are sorted by [`sort_run`]; `repeated` are the hashes used more
/// than once in them ([`repeated_hashes`], which the caller has already
/// computed). Only the entries of those hashes are gathered; entries that
/// share the first 64 bits of hash (real duplicates, almost always) are put
/// in reading order and told apart by the other 32 bits.
pub(super) fn duplicates(runs: &[Vec<RefEntry>], repeated: &[u64], per_file: usize) -> Duplicates {
    let mut groups = Groups {
        per_file,
        ..Groups::default()
    };
    // Each run's entries not yet gathered: the hashes come in order.
    let mut rest: Vec<&[RefEntry]> = runs.iter().map(Vec::as_slice).collect();
    for &hash in repeated {
        for run in &mut rest {
            let from = run.partition_point(|e| e.hash < hash);
            let to = from + run.get(from..).map_or(0, |r| r.partition_point(|e| e.hash == hash));
            groups.group.extend_from_slice(run.get(from..to).unwrap_or_default());
            *run = run.get(to..).unwrap_or_default();
        }
        groups.flush();
    }
    groups.finish()
}

/// The hashes found more than once in `runs` (each sorted by hash), sorted,
/// each once, on up to `threads` threads: the hash range is cut into equal
/// parts (hashes are uniform, so the parts hold about as many), each run is
/// cut at the same hashes by binary search, and each part is walked on its
/// own thread ([`repeated_in`]). The parts hold different hashes, so their
/// findings, one after the other, are sorted and each once too.
pub(super) fn repeated_hashes<T: Hashed + Sync>(runs: &[Vec<T>], threads: usize) -> Vec<u64> {
    let total: usize = runs.iter().map(Vec::len).sum();
    // No more parts than threads, nor than parts worth a thread of their own.
    let parts = threads.clamp(1, (total / PARALLEL_MIN).max(1));
    // Part `k` holds the hashes from `k × 2^64 / parts` up to the next part's.
    let bound = |k: usize| u64::try_from((u128::from(k as u64) << 64) / parts as u128).unwrap_or(u64::MAX);
    let cut = |k: usize| -> Vec<&[T]> {
        runs.iter()
            .map(|run| {
                let from = if k == 0 {
                    0
                } else {
                    run.partition_point(|e| e.hash() < bound(k))
                };
                let to = if k + 1 == parts {
                    run.len()
                } else {
                    run.partition_point(|e| e.hash() < bound(k + 1))
                };
                run.get(from..to).unwrap_or_default()
            })
            .collect()
    };
    let cuts: Vec<Vec<&[T]>> = (0..parts).map(cut).collect();
    let Some((last, others)) = cuts.split_last() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = others
            .iter()
            .map(|p| crate::threads::spawn(scope, || repeated_in(p)))
            .collect();
        let mine = repeated_in(last);
        let mut found = Vec::new();
        for (h, part) in handles.into_iter().zip(others) {
            // A thread that failed: its part walked again here.
            found.extend(h.join().unwrap_or_else(|_| repeated_in(part)));
        }
        found.extend(mine);
        found
    })
}

/// [`repeated_hashes`] of runs on one thread: equal neighbours within a
/// run, then each pair of runs walked side by side ([`common`]). Pairs of
/// runs cost `(runs - 1) × entries` steps; [`sorted_runs`] keeps the number
/// of runs small.
fn repeated_in<T: Hashed>(runs: &[&[T]]) -> Vec<u64> {
    let mut found = Vec::new();
    for run in runs {
        for pair in run.windows(2) {
            if let [a, b] = pair
                && a.hash() == b.hash()
            {
                found.push(a.hash());
            }
        }
    }
    for (i, a) in runs.iter().enumerate() {
        for b in runs.get(i + 1..).unwrap_or_default() {
            common(a, b, &mut found);
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Stretches of two runs that [`common`] walks at once.
const LANES: usize = 4;

/// Pushes to `found` the hashes that sorted runs `a` and `b` share. The
/// runs are cut into [`LANES`] stretches of different hashes (at the hashes
/// found at the quarters of `a`, so that equal hashes fall in one
/// stretch), and the stretches are walked side by side in one loop: each
/// step of a walk compares two entries and moves on from the smaller, so
/// it waits on the loads of the step before; four independent walks keep
/// the processor busy while each waits.
fn common<T: Hashed>(a: &[T], b: &[T], found: &mut Vec<u64>) {
    // Where stretch `k` starts in each run (and the last one ends).
    let start = |k: usize| match k {
        0 => (0, 0),
        LANES => (a.len(), b.len()),
        _ => {
            let p = hash_at(a, k * a.len() / LANES);
            (a.partition_point(|e| e.hash() < p), b.partition_point(|e| e.hash() < p))
        }
    };
    let ends: [(usize, usize); LANES + 1] = std::array::from_fn(start);
    let mut at: [(usize, usize); LANES] = std::array::from_fn(start);
    let left = |at: &[(usize, usize); LANES]| {
        at.iter()
            .zip(ends.iter().skip(1))
            .map(|(&(x, y), &(ex, ey))| (ex - x).min(ey - y))
            .min()
            .unwrap_or(0)
    };
    // A step moves on in one run or both, so no walk reaches the end of
    // its stretch in either run within `left` steps.
    let mut steps = left(&at);
    while steps > 0 {
        for _ in 0..steps {
            for walk in &mut at {
                step(a, b, walk, found);
            }
        }
        steps = left(&at);
    }
    // The ends of the stretches, one at a time.
    for (walk, &(ex, ey)) in at.iter_mut().zip(ends.iter().skip(1)) {
        while walk.0 < ex && walk.1 < ey {
            step(a, b, walk, found);
        }
    }
}

/// One step of walking sorted runs `a` and `b` side by side from `at`: the
/// hash both hold there is pushed to `found`, and the walk moves on from
/// the smaller (from both when equal), by comparisons, not branches, so
/// that the processor does not mispredict on every other entry.
#[inline]
fn step<T: Hashed>(a: &[T], b: &[T], at: &mut (usize, usize), found: &mut Vec<u64>) {
    let (ha, hb) = (hash_at(a, at.0), hash_at(b, at.1));
    if ha == hb {
        found.push(ha);
    }
    at.0 += usize::from(ha <= hb);
    at.1 += usize::from(hb <= ha);
}

/// The hash at `i` in `run` (`u64::MAX` past its end).
#[inline]
fn hash_at<T: Hashed>(run: &[T], i: usize) -> u64 {
    run.get(i).map_or(u64::MAX, Hashed::hash)
}

/// The entries of one hash at a time in, duplicates out.
#[derive(Default)]
struct Groups {
    /// The entries of one hash, from every run.
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

    /// [`duplicates`] with the repeated hashes found here.
    fn dups(runs: Vec<Vec<RefEntry>>, per_file: usize) -> Duplicates {
        duplicates(&runs, &repeated_hashes(&runs, 1), per_file)
    }

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
        let d = dups(runs(&[]), 100);
        assert_eq!(d, dups(runs(&[2]), 100));
        assert_eq!(d, dups(runs(&[1, 3]), 100));
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
    fn the_first_reading_hash_is_the_first_lane() {
        for t in ["", "A", "KH-02/HCCB-VB-2021", "Hội nghị đối thoại 12345678"] {
            assert_eq!(hash64(t.as_bytes()), hash96(t.as_bytes()).0);
        }
        let mut run: Vec<u64> = ["B", "A", "C", "A"].iter().map(|t| hash64(t.as_bytes())).collect();
        sort_run(&mut run);
        assert_eq!(repeated_hashes(&[run], 1), vec![hash64(b"A")]);
    }

    #[test]
    fn runs_of_any_size_sort_as_the_standard_sort_does() {
        // Uniform hashes, and runs with many equal hashes and hashes that
        // differ only in their low bits (the insertion pass's work).
        for n in [0usize, 1, 255, 256, 257, 1000, 40_000, 300_000] {
            let uniform: Vec<u64> = (0..n as u64).map(|i| hash64(&i.to_le_bytes())).collect();
            let clustered: Vec<u64> = (0..n as u64)
                .map(|i| (hash64(&(i % 97).to_le_bytes()) & !0xFFFF) | (i * 7919 % 65_536))
                .collect();
            for mut run in [uniform, clustered] {
                let mut want = run.clone();
                want.sort_unstable();
                sort_run(&mut run);
                assert_eq!(run, want, "n {n}");
            }
        }
    }

    #[test]
    fn threads_find_the_hashes_one_thread_finds() {
        // Runs large enough to be cut, with repeats planted within a run,
        // across runs, and on each side of where the parts are cut.
        let n = PARALLEL_MIN as u64;
        let mut runs: Vec<Vec<u64>> = (0..3u64)
            .map(|r| (0..n).map(|i| hash64(&(r * n + i).to_le_bytes())).collect())
            .collect();
        let third = u64::MAX / 3 + 1;
        // Repeated: 7 within run 0; a third of the range, and one below
        // it (where three parts are cut), the top and bottom hashes, across
        // runs. Not repeated: the hashes each side of the middle (where
        // two parts are cut), and one near two thirds of the range.
        let planted: [&[u64]; 3] = [
            &[7, 7, third - 1, u64::MAX],
            &[third - 1, third, 1 << 63, u64::MAX, 0],
            &[third, (1 << 63) - 1, third * 2, 0],
        ];
        for (run, planted) in runs.iter_mut().zip(planted) {
            run.extend_from_slice(planted);
        }
        let (across, within) = (runs[0][5], runs[1][9]);
        runs[2].push(across);
        runs[1].push(within);
        let runs = sorted_runs(runs, 1);
        let one = repeated_hashes(&runs, 1);
        let mut want = vec![0, 7, third - 1, third, u64::MAX, across, within];
        want.sort_unstable();
        assert_eq!(one, want);
        for threads in [2, 3, 4, 7] {
            assert_eq!(repeated_hashes(&runs, threads), one, "{threads} threads");
        }
        // Two runs (one log read by two threads), and one: walked
        // otherwise, the same hashes found.
        let two = sorted_runs(vec![runs[0].clone(), [&runs[1][..], &runs[2][..]].concat()], 1);
        let whole = sorted_runs(vec![runs.concat()], 1);
        for threads in [1, 2, 3] {
            assert_eq!(repeated_hashes(&two, threads), one, "two runs, {threads} threads");
            assert_eq!(repeated_hashes(&whole, threads), one, "one run, {threads} threads");
        }
        // Sorting on several threads sorts each run as one thread does.
        let shuffled: Vec<Vec<u64>> = runs.iter().map(|r| r.iter().rev().copied().collect()).collect();
        assert_eq!(sorted_runs(shuffled, 2), runs);
    }

    #[test]
    fn two_runs_share_the_hashes_a_set_finds() {
        use std::collections::BTreeSet;
        for n in [0usize, 1, 3, 4, 9, 1000] {
            let mut a: Vec<u64> = (0..n as u64).map(|i| hash64(&i.to_le_bytes())).collect();
            a.sort_unstable();
            // Repeated in `a` where its stretches are cut (the hashes at its
            // quarters), and just before.
            let quarters: Vec<usize> = (1..LANES).map(|k| k * a.len() / LANES).collect();
            for &q in &quarters {
                if q > 0 && q < a.len() {
                    a[q - 1] = a[q];
                }
            }
            a.sort_unstable();
            // `b`: other hashes, every seventh of `a`, and those at and
            // around the cuts.
            let mut b: Vec<u64> = (0..n as u64).map(|i| hash64(&((i + 1) << 40).to_le_bytes())).collect();
            for (i, &h) in a.iter().enumerate() {
                if i % 7 == 0 || quarters.iter().any(|&q| i + 1 >= q && i <= q + 1) {
                    b.push(h);
                }
            }
            b.sort_unstable();
            let want: BTreeSet<u64> = a
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .intersection(&b.iter().copied().collect())
                .copied()
                .collect();
            for (x, y) in [(&a, &b), (&b, &a)] {
                let mut found = Vec::new();
                common(x, y, &mut found);
                assert_eq!(found.iter().copied().collect::<BTreeSet<_>>(), want, "{n}");
            }
        }
    }

    #[test]
    fn wanted_hashes_are_found_and_no_others() {
        for n in [0usize, 1, 2, 3, 1000, 40_000] {
            let mut all: Vec<u64> = (0..2 * n as u64).map(|i| hash64(format!("R-{i}").as_bytes())).collect();
            all.extend([0, u64::MAX]);
            let mut wanted: Vec<u64> = all.iter().copied().step_by(2).collect();
            wanted.sort_unstable();
            let w = Wanted::new(wanted.clone());
            for (i, h) in all.iter().enumerate() {
                assert_eq!(w.contains(*h), wanted.binary_search(h).is_ok(), "n {n}, hash {i}");
            }
        }
    }

    #[test]
    fn refs_that_differ_hash_apart() {
        // Texts of every length up to 40 that differ in one byte, or only
        // in their length (trailing zeros), and numbered codes: no two of
        // them share a hash, and the top byte of the hashes is spread.
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for n in 0..=40 {
            for at in 0..n {
                for b in [b'A', b'B', 0] {
                    let mut t = vec![b'x'; n];
                    t[at] = b;
                    texts.push(t);
                }
            }
            texts.push(vec![0; n]);
        }
        texts.extend((0..100_000).map(|i| format!("BM-{i}/HLHPN").into_bytes()));
        texts.sort();
        texts.dedup();
        let mut hashes: Vec<(u64, u32)> = texts.iter().map(|t| hash96(t)).collect();
        let mut top = [0usize; 256];
        for h in &hashes {
            top[(h.0 >> 56) as usize] += 1;
        }
        let fair = hashes.len() / 256;
        assert!(top.iter().all(|&c| c > fair / 2 && c < fair * 2), "{top:?}");
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), texts.len());
    }

    #[test]
    fn later_uses_beyond_the_cap_are_only_counted() {
        // `A` on lines 1 to 50, read in reverse: line 1 is still the first.
        let mut run: Vec<RefEntry> = (1..=50).rev().map(|l| RefEntry::new(b"A", 0, l, 7)).collect();
        sort_run(&mut run);
        let d = dups(vec![run], 10);
        let lines: Vec<u64> = d.first.iter().map(|d| d.again.line()).collect();
        assert_eq!(lines, (2..=11).collect::<Vec<u64>>());
        assert!(d.first.iter().all(|d| d.first.line() == 1));
        assert_eq!(d.more, BTreeMap::from([(0, 39)]));
    }

    #[test]
    fn a_long_run_is_sorted_and_its_duplicates_found_in_any_split() {
        // Enough entries for two radix levels; every 1000th line repeats
        // the `ref` of line 7, and line 40_001 that of line 39_999.
        let text = |line: u64| match line {
            l if l % 1000 == 0 => "R-7".to_owned(),
            40_001 => "R-39999".to_owned(),
            l => format!("R-{l}"),
        };
        let all: Vec<RefEntry> = (1..=100_000)
            .map(|l| RefEntry::new(text(l).as_bytes(), 0, l, 3))
            .collect();
        let mut run = all.clone();
        sort_run(&mut run);
        assert!(run.is_sorted_by_key(|e| e.hash));
        let (mut a, mut b) = (run.clone(), all.clone());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "the same entries");
        let whole = dups(vec![run], 1000);
        let lines: Vec<u64> = whole.first.iter().map(|d| d.again.line()).collect();
        let mut expected: Vec<u64> = (1..=100).map(|k| k * 1000).collect();
        expected.push(40_001);
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(lines, expected);
        assert!(
            whole
                .first
                .iter()
                .all(|d| d.first.line() == if d.again.line() == 40_001 { 39_999 } else { 7 })
        );
        for cuts in [vec![50_000], vec![10, 39_999, 70_000]] {
            let mut runs = Vec::new();
            let mut start = 0;
            for end in cuts.into_iter().chain([all.len()]) {
                let mut run = all[start..end].to_vec();
                sort_run(&mut run);
                runs.push(run);
                start = end;
            }
            assert_eq!(dups(runs, 1000), whole);
        }
    }
}
