//! The checks of rows against one plan, shared by all reading threads: the
//! fast check and the detailed one, the language of the messages, the
//! names of the files, and the reading of a whole file in one piece.

use std::io::Read;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::Plan;

use super::fast::FastCheck;
use super::found::FileOut;
use super::piece::{Piece, read_piece};
use super::refs::Wanted;
use super::row::DetailedCheck;
use super::{LogFile, RowSink, Source};

pub(super) struct Checker<'p> {
    pub lang: Lang,
    names: Vec<&'p str>,
    pub fast: FastCheck<'p>,
    pub detailed: DetailedCheck<'p>,
    /// During the second reading for duplicate `ref`s only: the hashes used
    /// more than once in the first (see [`super::refs`]).
    wanted_refs: Option<Wanted>,
    /// Whether the first reading also proves each file canonical
    /// ([`super::proof`]).
    prove: bool,
}

impl<'p> Checker<'p> {
    pub fn new(plan: &'p Plan, files: &'p [LogFile], today: NaiveDate, lang: Lang) -> Checker<'p> {
        Checker {
            lang,
            names: files.iter().map(|f| f.name.as_str()).collect(),
            fast: FastCheck::new(plan, today),
            detailed: DetailedCheck { plan, today, lang },
            wanted_refs: None,
            prove: false,
        }
    }

    /// The hashes of the `ref`s to note with their place: `None` in the
    /// first reading (every `ref`'s hash is noted).
    pub fn wanted_refs(&self) -> Option<&Wanted> {
        self.wanted_refs.as_ref()
    }

    /// Runs `read` (the second reading) with `wanted` set, and only it;
    /// gives `wanted` back.
    pub fn reading_again<R>(&mut self, wanted: Wanted, read: impl FnOnce(&Checker<'p>) -> R) -> (R, Wanted) {
        self.wanted_refs = Some(wanted);
        let out = read(self);
        (out, self.wanted_refs.take().unwrap_or_default())
    }

    /// The checker of [`Checker::new`] that also proves each file
    /// canonical in its first reading.
    pub fn proving(mut self) -> Checker<'p> {
        self.prove = true;
        self
    }

    /// Whether this reading proves files canonical: the first, when asked.
    pub fn proves(&self) -> bool {
        self.prove && self.wanted_refs.is_none()
    }

    /// The message in the user's language.
    pub fn localize(&self, vi: &str, en: &str) -> String {
        self.lang.pick(vi, en).to_owned()
    }

    /// The display name of file `file`.
    pub fn name(&self, file: usize) -> &str {
        self.names.get(file).copied().unwrap_or("")
    }

    /// A diagnostic for a file that cannot be read as UTF-8 CSV at all, from
    /// its first bytes (a UTF-16 BOM, or NUL bytes: no CSV text has them).
    pub fn unreadable(&self, file: usize, src: &Source) -> Option<Diagnostic> {
        let name = self.name(file);
        let mut head = Vec::with_capacity(4);
        match src.reader(0, Some(4)) {
            Ok(mut r) => {
                if let Err(e) = r.read_to_end(&mut head) {
                    return Some(self.io_error(name, &e));
                }
            }
            Err(e) => return Some(self.io_error(name, &e)),
        }
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.contains(&0) {
            let msg = self.localize(
                "tệp được lưu ở mã UTF-16 (\"Unicode Text\" của Excel), không phải UTF-8: trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
                "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
            );
            return Some(Diagnostic::error(name, "encoding", msg).at(1, 0, None));
        }
        None
    }

    pub fn io_error(&self, name: &str, e: &std::io::Error) -> Diagnostic {
        let e = self.lang.io_error(e);
        let msg = self.localize(
            &format!("không đọc được tệp: {e}"),
            &format!("cannot read the file: {e}"),
        );
        Diagnostic::error(name, "io", msg)
    }

    /// Reads a whole file in one piece.
    pub fn read_whole(&self, file: usize, src: &Source, sink: &mut dyn RowSink) -> FileOut {
        if let Some(d) = self.unreadable(file, src) {
            return FileOut::failed(d);
        }
        let input = match src.reader(0, None) {
            Ok(r) => r,
            Err(e) => return FileOut::failed(self.io_error(self.name(file), &e)),
        };
        // A final line break is added so that every record ends with one
        // (see `piece` on line numbers); an extra empty line is skipped.
        let piece = Piece {
            file,
            start: 0,
            end: None,
        };
        let out = read_piece(self, piece, input.chain(&b"\n"[..]), None, sink);
        FileOut {
            pending: out.pending,
            refs: vec![out.refs],
            entries: vec![out.entries],
            last: out.last,
            extra: out.failed,
            proof: out.proof,
        }
    }
}
