//! Splitting a log into records: the first stage of the hot path.
//!
//! Almost every record of a log is one line whose quoted cells, if any, are
//! simple (a title with a comma, in quotes). Such a line is found and cut
//! into cells in one pass, 64 bytes at a time ([`scan_line`]); it is
//! copied once into the reused record. A line with anything else — a `""`,
//! a line break inside quotes, a
//! quote inside a cell — goes through `csv_core`'s state machine, which
//! unquotes its cells and may carry the record over several lines. The two
//! paths give exactly what `csv::Reader` gives with `\n` as the terminator
//! (a `\r` before it stays in the last cell, a UTF-8 BOM at the start is
//! dropped, empty lines are skipped); the tests below compare them.
//!
//! Unlike `csv::Reader`, a record's line is where the record itself starts,
//! not where the reader started looking for it (before skipped empty lines).

use std::io::Read;

use csv_core::ReadRecordResult;

use super::cells::{BadQuote, QuoteCheck, Scan, scan_line};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One record's cells, in buffers reused from record to record.
#[derive(Debug, Clone, Default)]
pub(super) struct Record {
    /// The record's bytes: the line as it was (fast path) or the cells
    /// unquoted, one after the other (`csv_core`).
    bytes: Vec<u8>,
    /// Where each cell lies in `bytes`.
    spans: Vec<(usize, usize)>,
    /// Where each cell ends, as `csv_core` writes it.
    ends: Vec<usize>,
    /// Byte offset (in the reader's input) and line (1-based) where the
    /// record starts.
    pub byte: u64,
    pub line: u64,
    /// The first place where the record breaks RFC 4180 quoting, if any
    /// (`csv_core` reads such text leniently; `plan` reports it).
    pub bad_quote: Option<BadQuote>,
    /// The record may hold a byte 0xCC or 0xCD (see [`Rec::may_hold_marks`]).
    marks: bool,
}

impl Record {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let &(start, end) = self.spans.get(i)?;
        self.bytes.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans
            .iter()
            .map(|&(s, e)| self.bytes.get(s..e).unwrap_or_default())
    }

    pub fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// Adds a cell to a record made by [`Record::clear`] and this.
    pub fn push_field(&mut self, cell: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(cell);
        self.spans.push((start, self.bytes.len()));
    }

    /// The record as a [`Rec`] (its text checked as UTF-8 when asked for).
    pub fn view(&self) -> Rec<'_> {
        Rec {
            bytes: &self.bytes,
            text: None,
            spans: &self.spans,
            byte: self.byte,
            line: self.line,
            bad_quote: self.bad_quote,
            marks: self.marks,
        }
    }
}

/// One record's cells, borrowed: from a reused [`Record`], or straight from
/// the reader's buffer ([`Lines::rec`]), with no copy.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec<'a> {
    /// The bytes the cells are taken from.
    bytes: &'a [u8],
    /// Text that holds `bytes` (the chunk of lines they were checked as
    /// UTF-8 with), when known (`None`: not checked yet, or not UTF-8).
    text: Option<&'a str>,
    /// Where each cell lies in `bytes`.
    spans: &'a [(usize, usize)],
    pub byte: u64,
    pub line: u64,
    pub bad_quote: Option<BadQuote>,
    marks: bool,
}

impl<'a> Rec<'a> {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let &(start, end) = self.spans.get(i)?;
        self.bytes.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let bytes = self.bytes;
        self.spans
            .iter()
            .map(move |&(s, e)| bytes.get(s..e).unwrap_or_default())
    }

    /// The bytes the cells are taken from (with the separators and quotes
    /// of the line, or without them).
    pub fn as_slice(&self) -> &'a [u8] {
        self.bytes
    }

    /// Text that holds [`Rec::as_slice`] (the record's own bytes, or the
    /// lines around them too), when it is UTF-8: checked with the lines
    /// around it already, or now. A cell's text is sliced from it at the
    /// cell's place.
    pub fn text(&self) -> Option<&'a str> {
        match self.text {
            Some(t) => Some(t),
            None => simdutf8::basic::from_utf8(self.bytes).ok(),
        }
    }

    /// Whether the record may hold combining marks (U+0300–U+036F, lead
    /// bytes 0xCC and 0xCD: the Vietnamese tone marks of NFD text). Most
    /// records have none, and the splitter's pass says so.
    pub fn may_hold_marks(&self) -> bool {
        self.marks
    }
}

/// Whole lines at the start of a reader's unread bytes, checked as UTF-8 in
/// one call (a call per record of a few hundred bytes costs more than the
/// check itself). They end with a `\n`.
pub(super) struct Lines<'a> {
    pub bytes: &'a [u8],
    /// `bytes` as text, when they are UTF-8.
    text: Option<&'a str>,
    /// Whether `bytes` hold a byte 0xCC or 0xCD (see [`Rec::may_hold_marks`]).
    marks: bool,
    /// Byte offset and line of `bytes[0]` in the input.
    pub byte: u64,
    pub line: u64,
}

impl<'a> Lines<'a> {
    /// The lines as text, when they are UTF-8.
    pub fn text(&self) -> Option<&'a str> {
        self.text
    }

    /// The simple line at `at` (`len` bytes, without its `\n`; `lines`
    /// line breaks after the first line), cut into `spans` by
    /// [`scan_line`] (or its unmarked form: whether the line may hold
    /// combining marks is found here), as a record.
    pub fn rec<'s>(&self, at: usize, len: usize, lines: u64, spans: &'s [(usize, usize)]) -> Rec<'s>
    where
        'a: 's,
    {
        let bytes = self.bytes.get(at..at + len).unwrap_or_default();
        Rec {
            bytes,
            marks: self.marks && memchr::memchr2(0xCC, 0xCD, bytes).is_some(),
            // The whole chunk: slicing the line from it would check two
            // character boundaries nothing needs.
            text: self.text,
            spans,
            byte: self.byte + at as u64,
            line: self.line + lines,
            bad_quote: None,
        }
    }
}

/// [`Records::lines`] gives at most about this many bytes at once, so that
/// a line that needs the slow path costs at most this much checked again.
const CHUNK: usize = 1 << 14;

/// Reads records from `input`, buffering it in blocks.
pub(super) struct Records<R> {
    input: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..filled]`.
    pos: usize,
    filled: usize,
    eof: bool,
    started: bool,
    /// Byte offset and line of `buf[pos]` in the input.
    byte: u64,
    line: u64,
    /// Built on the first record that needs it (most files never do).
    core: Option<csv_core::Reader>,
}

impl<R: Read> Records<R> {
    pub fn new(input: R) -> Records<R> {
        Records {
            input,
            buf: vec![0; 1 << 16],
            pos: 0,
            filled: 0,
            eof: false,
            started: false,
            byte: 0,
            line: 1,
            core: None,
        }
    }

    /// Reads input that begins inside a file (a piece after its first):
    /// a BOM there is text of a record, not the file's mark.
    pub fn inside_file(mut self) -> Records<R> {
        self.started = true;
        self
    }

    /// Byte offset and line of the next unread byte.
    pub fn position(&self) -> (u64, u64) {
        (self.byte, self.line)
    }

    /// Reads more input after the unread bytes (moved to the front of the
    /// buffer, which grows when they fill it). False at the end of input.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let Some(space) = self.buf.get_mut(self.filled..) else {
                return Ok(false);
            };
            match self.input.read(space) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn unread(&self) -> &[u8] {
        self.buf.get(self.pos..self.filled).unwrap_or_default()
    }

    fn consume(&mut self, n: usize, lines: u64) {
        self.pos += n;
        self.byte += n as u64;
        self.line += lines;
    }

    /// Drops the input's BOM, before the first record.
    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            while self.unread().len() < BOM.len() && self.fill()? {}
            if self.unread().starts_with(BOM) {
                self.consume(BOM.len(), 0);
            }
            self.started = true;
        }
        Ok(())
    }

    /// The whole lines at the start of the unread bytes (at least one, at
    /// most about [`CHUNK`] bytes of them), reading more input when there
    /// is none; `None` when the input ends first (what is left, if
    /// anything, is for [`Records::read`]). The caller reads records from
    /// them and then [`Records::skip`]s the bytes it used.
    pub fn lines(&mut self) -> std::io::Result<Option<Lines<'_>>> {
        self.start()?;
        loop {
            let unread = self.unread();
            let head = unread.get(..CHUNK).unwrap_or(unread);
            let end = memchr::memrchr(b'\n', head).or_else(|| {
                let rest = unread.get(head.len()..).unwrap_or_default();
                memchr::memchr(b'\n', rest).map(|nl| head.len() + nl)
            });
            if let Some(nl) = end {
                let bytes = self.buf.get(self.pos..=self.pos + nl).unwrap_or_default();
                return Ok(Some(Lines {
                    bytes,
                    text: simdutf8::basic::from_utf8(bytes).ok(),
                    marks: memchr::memchr2(0xCC, 0xCD, bytes).is_some(),
                    byte: self.byte,
                    line: self.line,
                }));
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Moves past `n` bytes holding `lines` line breaks, read through
    /// [`Records::lines`].
    pub fn skip(&mut self, n: usize, lines: u64) {
        self.consume(n, lines);
    }

    /// The next record into `rec`; false at the end of the input.
    pub fn read(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        self.start()?;
        loop {
            match self.unread().first().copied() {
                Some(b'\n') => self.consume(1, 1),
                Some(_) => break,
                None if self.fill()? => {}
                None => return Ok(false),
            }
        }
        rec.byte = self.byte;
        rec.line = self.line;
        rec.bad_quote = None;
        loop {
            match scan_line(self.unread(), self.eof, &mut rec.spans) {
                Scan::Cut { len, ended, marks } => {
                    let line = self.buf.get(self.pos..self.pos + len).unwrap_or_default();
                    rec.bytes.clear();
                    rec.bytes.extend_from_slice(line);
                    rec.marks = marks;
                    self.consume(len + usize::from(ended), u64::from(ended));
                    return Ok(true);
                }
                Scan::NotSimple => return self.read_quoted(rec),
                // At the end of the input, the next scan takes the line
                // as it is.
                Scan::NeedMore => {
                    self.fill()?;
                }
            }
        }
    }

    /// A record with quotes, through `csv_core`.
    fn read_quoted(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        let mut core = self.core.take().unwrap_or_else(|| {
            let mut core = csv_core::ReaderBuilder::new()
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build();
            // csv_core drops a BOM at the start of what it reads first; the
            // input's BOM is dropped by `read`, so let it see (and skip) a
            // line break first, and keep a BOM at the start of a record.
            let _ = core.read_record(b"\n", &mut [], &mut []);
            core
        });
        let read = self.read_with(&mut core, rec);
        self.core = Some(core);
        read
    }

    fn read_with(&mut self, core: &mut csv_core::Reader, rec: &mut Record) -> std::io::Result<bool> {
        rec.bytes.clear();
        rec.bytes.resize(256, 0);
        rec.ends.clear();
        rec.ends.resize(16, 0);
        let (mut used, mut len) = (0, 0);
        let mut quoting = QuoteCheck::new(self.line);
        loop {
            let input = self.buf.get(self.pos..self.filled).unwrap_or_default();
            let out = rec.bytes.get_mut(used..).unwrap_or_default();
            let ends = rec.ends.get_mut(len..).unwrap_or_default();
            let (res, nin, nout, nend) = core.read_record(input, out, ends);
            let consumed = input.get(..nin).unwrap_or_default();
            quoting.feed(consumed);
            let lines = memchr::memchr_iter(b'\n', consumed).count();
            self.consume(nin, lines as u64);
            used += nout;
            len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    // At the end of the input, csv_core is called once more
                    // with no input, which ends the record.
                    self.fill()?;
                }
                ReadRecordResult::OutputFull => rec.bytes.resize(rec.bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => rec.ends.resize(rec.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    rec.bad_quote = quoting.found;
                    rec.bytes.truncate(used);
                    rec.marks = memchr::memchr2(0xCC, 0xCD, &rec.bytes).is_some();
                    rec.spans.clear();
                    let mut start = 0;
                    for &end in rec.ends.get(..len).unwrap_or_default() {
                        rec.spans.push((start, end));
                        start = end;
                    }
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::cells::BadQuoteKind;
    use super::*;

    /// Records as lists of cells.
    type Cells = Vec<Vec<Vec<u8>>>;
    /// A byte offset and a line.
    type Position = (u64, u64);
    /// A record's start line and cells.
    type Numbered = (u64, Vec<Vec<u8>>);
    /// A record's start line, start byte and cells.
    type Placed = (u64, u64, Vec<Vec<u8>>);

    /// Every record of `input` read by `Records` with a tiny first buffer,
    /// and by `csv::Reader` as the log reader used to: the same cells.
    fn both(input: &[u8]) -> (Cells, Cells) {
        let mut ours = Vec::new();
        let mut rdr = Records::new(input);
        rdr.buf = vec![0; 4];
        let mut rec = Record::default();
        while rdr.read(&mut rec).unwrap() {
            ours.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        let mut theirs = Vec::new();
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(input);
        let mut brec = csv::ByteRecord::new();
        while csv.read_byte_record(&mut brec).unwrap() {
            theirs.push(brec.iter().map(<[u8]>::to_vec).collect());
        }
        (ours, theirs)
    }

    #[test]
    fn reads_as_the_csv_crate_does() {
        for input in [
            &b"a,b,c\n1,2,3\n"[..],
            b"\xEF\xBB\xBFa,b\r\n1,2\r\n",
            b"a,b\n\n\n1,2",
            b"a,\"b,c\",d\n\"x\"\"y\",\"line\nbreak\",z\n",
            b"a,b\"c,d\n",
            b"\"open,quote\nto the end",
            b"",
            b"\n\n",
            b"a,b\n\"\xEF\xBB\xBFq\",w\n\xEF\xBB\xBFx,y\n",
            b",,\n,\n",
            b"a,\"b\"c,d\n",
            b"\"q\",\"\",\"x,y\"\n\"a\"\"b\",c\n\"a\"\r\n\"a\",\n,\"\n",
            b"a,b\"\n\"c\n",
        ] {
            let (ours, theirs) = both(input);
            assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn lines_and_bytes_are_where_records_start() {
        let input = b"\xEF\xBB\xBFh1,h2\n\n\"a\nb\",c\n\nd,e\r\nlast";
        let mut rdr = Records::new(&input[..]);
        let mut rec = Record::default();
        let mut at = Vec::new();
        while rdr.read(&mut rec).unwrap() {
            at.push((rec.byte, rec.line, rec.len()));
        }
        assert_eq!(at, vec![(3, 1, 2), (10, 3, 2), (19, 6, 2), (24, 7, 1)]);
        assert_eq!(rdr.position(), (input.len() as u64, 7));
    }

    #[test]
    fn a_huge_cell_grows_the_buffers() {
        let cell = "x".repeat(200_000);
        let input = format!("a,b\n{cell},\"{cell}\"\n");
        let (ours, theirs) = both(input.as_bytes());
        assert_eq!(ours.len(), 2);
        assert_eq!(ours, theirs);
    }

    /// Records with their start lines, and the reader's final position.
    fn with_lines(input: &[u8]) -> (Vec<Numbered>, Position) {
        let mut rdr = Records::new(input);
        rdr.buf = vec![0; 3];
        let mut rec = Record::default();
        let mut out = Vec::new();
        while rdr.read(&mut rec).unwrap() {
            out.push((rec.line, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        (out, rdr.position())
    }

    proptest::proptest! {
        /// On any mix of the bytes that matter to CSV (and a BOM, and a
        /// two-byte letter), the splitter gives the cells `csv::Reader`
        /// gives; each record starts on a line that holds its first cell's
        /// bytes; the whole input is consumed.
        #[test]
        fn same_cells_as_the_csv_crate(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"a"[..], b"bc", b",", b"\"", b"\"\"", b"\n", b"\r", b"\r\n", b"\xEF\xBB\xBF", "é".as_bytes(), b" ",
                ]),
                0..60,
            )
        ) {
            let input: Vec<u8> = parts.concat();
            let (ours, theirs) = both(&input);
            proptest::prop_assert_eq!(&ours, &theirs);
            let (records, (byte, line)) = with_lines(&input);
            proptest::prop_assert_eq!(byte, input.len() as u64);
            let breaks = input.iter().filter(|&&b| b == b'\n').count() as u64;
            proptest::prop_assert_eq!(line, breaks + 1);
            let mut last = 0;
            for (start, _) in &records {
                proptest::prop_assert!(*start > last, "records out of order");
                last = *start;
            }
        }
    }

    /// Every record of `input` as the log reader reads it: the simple
    /// lines straight from chunks of whole lines ([`Records::lines`]),
    /// anything else through [`Records::read`]; each with its start line
    /// and byte.
    fn by_lines(input: &[u8]) -> (Vec<Placed>, Position) {
        use super::super::cells::scan_line_unmarked;
        let mut rdr = Records::new(input);
        rdr.buf = vec![0; 5];
        let mut rec = Record::default();
        let mut spans = Vec::new();
        let mut out = Vec::new();
        loop {
            while let Some(lines) = rdr.lines().unwrap() {
                let (mut at, mut breaks) = (0, 0);
                let mut slow = false;
                while let Some(rest) = lines.bytes.get(at..).filter(|r| !r.is_empty()) {
                    if rest.first() == Some(&b'\n') {
                        at += 1;
                        breaks += 1;
                        continue;
                    }
                    let Scan::Cut { len, ended: true, .. } = scan_line_unmarked(rest, false, &mut spans) else {
                        slow = true;
                        break;
                    };
                    let r = lines.rec(at, len, breaks, &spans);
                    if let Some(t) = r.text() {
                        let at = r.as_slice().as_ptr() as usize - t.as_ptr() as usize;
                        assert_eq!(
                            t.get(at..at + r.as_slice().len()).map(str::as_bytes),
                            Some(r.as_slice())
                        );
                    } else {
                        assert!(std::str::from_utf8(r.as_slice()).is_err());
                    }
                    out.push((r.line, r.byte, r.iter().map(<[u8]>::to_vec).collect()));
                    at += len + 1;
                    breaks += 1;
                }
                rdr.skip(at, breaks);
                if slow {
                    break;
                }
            }
            if !rdr.read(&mut rec).unwrap() {
                break;
            }
            out.push((rec.line, rec.byte, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        (out, rdr.position())
    }

    proptest::proptest! {
        /// Reading simple lines from chunks gives the records, lines and
        /// bytes that reading record by record gives.
        #[test]
        fn lines_read_as_records_do(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"a"[..], b"bc", b",", b"\"", b"\"\"", b"\n", b"\r\n", b"\xEF\xBB\xBF", "ệ".as_bytes(), b"\xFF",
                ]),
                0..60,
            )
        ) {
            let input: Vec<u8> = parts.concat();
            let mut rdr = Records::new(&input[..]);
            rdr.buf = vec![0; 3];
            let mut rec = Record::default();
            let mut want = Vec::new();
            while rdr.read(&mut rec).unwrap() {
                want.push((rec.line, rec.byte, rec.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
            }
            let (got, end) = by_lines(&input);
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(end, rdr.position());
        }
    }

    /// The quoting problems of each record of `input`, as (kind, line, column).
    fn quoting(input: &[u8]) -> Vec<Option<(BadQuoteKind, u64, usize)>> {
        let mut rdr = Records::new(input);
        let mut rec = Record::default();
        let mut out = Vec::new();
        while rdr.read(&mut rec).unwrap() {
            out.push(rec.bad_quote.map(|b| (b.kind, b.line, b.column)));
        }
        out
    }

    #[test]
    fn quoting_outside_rfc_4180_is_found() {
        use BadQuoteKind::{AfterQuote, InsideCell};
        assert_eq!(
            quoting("a,b\"c\n\"x\"y,z\n\"ok \"\"q\"\"\",\"é\"\r\n\"ô\nl\"ñ\n\"a\" ,b\n".as_bytes()),
            vec![
                Some((InsideCell, 1, 4)),
                Some((AfterQuote, 2, 4)),
                None,
                Some((AfterQuote, 5, 3)),
                Some((AfterQuote, 6, 4)),
            ]
        );
    }

    #[test]
    fn push_field_builds_a_record() {
        let mut rec = Record::default();
        rec.push_field(b"ab");
        rec.push_field(b"");
        rec.push_field(b"c");
        assert_eq!(rec.iter().collect::<Vec<_>>(), vec![&b"ab"[..], b"", b"c"]);
        assert_eq!(rec.view().as_slice(), b"abc");
        assert_eq!(rec.get(3), None);
        assert_eq!(rec.len(), 3);
    }
}
