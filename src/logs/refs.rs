//! `ref` must be unique across all logs. Rows are read in pieces, possibly
//! in parallel, so each piece only notes where a `ref` occurs (as a 96-bit
//! hash: memory stays at 24 bytes per `ref` whatever its length); the
//! duplicates are found once, after reading, in reading order. Two
//! different `ref`s colliding in 96 bits (odds about 10^-17 for a million
//! `ref`s) is beyond any real log.

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
    pub fn shifted(self, lines: u64) -> RefEntry {
        RefEntry {
            line: u32::try_from(u64::from(self.line) + lines).unwrap_or(u32::MAX),
            ..self
        }
    }
}

/// Two FNV-1a hashes with different offset bases (FNV: a handful of
/// instructions per byte, and `ref`s are short), folded to 96 bits.
fn hash96(text: &[u8]) -> (u64, u32) {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let (mut a, mut b) = (0xCBF2_9CE4_8422_2325_u64, 0x84222325_CBF29CE4_u64);
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

/// Every use of a `ref` after its first, in reading order (file, line).
/// `all` is the concatenation of runs sorted by [`sort_run`]; the stable
/// sort merges such runs in near-linear time. Entries that share the first
/// 64 bits of hash (real duplicates, almost always) are then put in reading
/// order and told apart by the other 32 bits.
pub(super) fn duplicates(mut all: Vec<RefEntry>) -> Vec<Duplicate> {
    all.sort_by_key(|e| e.hash);
    let mut out = Vec::new();
    for group in all.chunk_by_mut(|a, b| a.hash == b.hash) {
        if group.len() < 2 {
            continue;
        }
        group.sort_unstable_by_key(|e| (e.hash2, e.file, e.line, e.cell));
        for same in group.chunk_by(|a, b| a.hash2 == b.hash2) {
            if let [first, rest @ ..] = same {
                out.extend(rest.iter().map(|&again| Duplicate { again, first: *first }));
            }
        }
    }
    out.sort_unstable_by_key(|d| (d.again.file, d.again.line));
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn later_uses_name_the_first() {
        let e = |t: &str, file, line| RefEntry::new(t.as_bytes(), file, line, 7);
        let d = duplicates(vec![
            e("A", 1, 5),
            e("B", 0, 2),
            e("A", 0, 9),
            e("A", 1, 2),
            e("C", 0, 3),
        ]);
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
}
