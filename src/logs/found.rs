//! What reading a log finds before it is placed: diagnostics whose column
//! is still to be filled in, capped per code as they come, and where a
//! file's last record starts.

use crate::diag::cap::{Cap, Coded};
use crate::diag::{Diagnostic, Severity};

use super::proof::Proof;
use super::refs::RefEntry;
use super::to_usize;

/// A diagnostic whose column is the start of a cell, filled in later.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub diag: Diagnostic,
    /// Cell index in the raw line (header order), if the problem is in a cell.
    pub cell: Option<usize>,
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
pub(super) struct Found {
    kept: Cap<Pending>,
    /// The last record's diagnostics.
    pub record: Vec<Pending>,
    /// The last record's diagnostics that were not made, the cap of their
    /// code being full (see [`Found::wants`]).
    record_skipped: Vec<&'static str>,
}

impl Found {
    pub fn push(&mut self, p: Pending) {
        self.record.push(p);
    }

    /// Whether an error of `code` is worth making: false when the cap of
    /// its code is full already (it is then counted as made).
    pub fn wants(&mut self, code: &'static str) -> bool {
        if self.kept.is_full(code, Severity::Error) {
            self.record_skipped.push(code);
            false
        } else {
            true
        }
    }

    /// A new record starts: the last one's diagnostics are final.
    #[inline]
    pub fn settle(&mut self) {
        // Most records have none: no drain of empty lists, and no call.
        if self.record.is_empty() && self.record_skipped.is_empty() {
            return;
        }
        self.keep_record();
    }

    /// [`Found::settle`] for a record with diagnostics.
    #[cold]
    fn keep_record(&mut self) {
        for p in self.record.drain(..) {
            self.kept.push(p);
        }
        for code in self.record_skipped.drain(..) {
            self.kept.count(code, Severity::Error, 1);
        }
    }

    /// Forgets the last record's diagnostics.
    pub fn drop_record(&mut self) {
        self.record.clear();
        self.record_skipped.clear();
    }

    /// Adds the diagnostics of the piece after this one, whose lines are
    /// counted from `offset` lines into the file.
    pub fn append(&mut self, mut later: Found, offset: u64) {
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
    pub fn finish(mut self) -> Cap<Pending> {
        self.settle();
        self.kept
    }
}

/// Where the last record of a file starts, to look for a quote left open at
/// the end of the file (the CSV reader silently ends such a field at EOF).
#[derive(Debug, Clone, Copy)]
pub(super) struct LastRecord {
    /// Byte offset and line where the reader started on the record.
    pub byte: u64,
    pub line: u64,
}

/// What reading one file found, before placing.
#[derive(Debug, Default)]
pub(super) struct FileOut {
    pub pending: Found,
    /// The hashes of the file's `ref`s: one run per piece (sorted, or not
    /// yet).
    pub refs: Vec<Vec<u64>>,
    /// Where the `ref`s with a wanted hash are (the second reading): one
    /// run per piece.
    pub entries: Vec<Vec<RefEntry>>,
    pub last: Option<LastRecord>,
    /// Whether the file is canonical, as far as its records go (when the
    /// checker proves).
    pub proof: Option<Proof>,
    /// Diagnostics already placed (a file that could not be read).
    pub extra: Vec<Diagnostic>,
}

impl FileOut {
    /// Where the file's records lie, when its reading proved them all
    /// canonical (taken out).
    pub fn proven(&mut self) -> Option<super::Proven> {
        self.proof.take().filter(|p| p.ok).map(|p| super::Proven {
            data_start: p.begin,
            end: p.end,
        })
    }

    pub fn failed(d: Diagnostic) -> FileOut {
        FileOut {
            extra: vec![d],
            ..FileOut::default()
        }
    }
}
