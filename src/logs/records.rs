//! Splitting a log into records: the first stage of the hot path.
//!
//! Almost every record of a log is one line whose quoted cells, if any, are
//! simple (a title with a comma, in quotes). Such a line is found with
//! `memchr` and cut into cells in one pass, eight bytes at a time (bit
//! masks of its commas and quotes); it is copied once into the reused
//! record. A line with anything else — a `""`, a line break inside quotes, a
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
}

/// Quoting that RFC 4180 does not allow, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BadQuote {
    pub kind: BadQuoteKind,
    pub line: u64,
    /// 1-based, in characters.
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BadQuoteKind {
    /// A `"` inside a cell that does not start with one.
    InsideCell,
    /// Text after the `"` that closes a quoted cell.
    AfterQuote,
}

/// Where the RFC 4180 check is inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    CellStart,
    Plain,
    Quoted,
    /// A `"` inside a quoted cell: the end of the cell, or the first of `""`.
    QuoteInQuoted,
    /// After the closing quote (and maybe a `\r`).
    Closed,
}

/// Follows a record's bytes (as `csv_core` consumes them) and notes the
/// first quoting RFC 4180 does not allow.
#[derive(Debug, Clone, Copy)]
struct QuoteCheck {
    state: Quoting,
    line: u64,
    column: usize,
    found: Option<BadQuote>,
}

impl QuoteCheck {
    fn new(line: u64) -> QuoteCheck {
        QuoteCheck {
            state: Quoting::CellStart,
            line,
            column: 0,
            found: None,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b & 0xC0 != 0x80 {
                self.column += 1; // not a UTF-8 continuation byte: a new character
            }
            let next = match (self.state, b) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, b',' | b'\n') => Quoting::CellStart,
                (Quoting::CellStart, b'"') => Quoting::Quoted,
                (Quoting::CellStart | Quoting::Plain, _) if b != b'"' => Quoting::Plain,
                (Quoting::QuoteInQuoted | Quoting::Closed, b'\r') => Quoting::Closed,
                (state, _) => {
                    let kind = if state == Quoting::Plain || state == Quoting::CellStart {
                        BadQuoteKind::InsideCell
                    } else {
                        BadQuoteKind::AfterQuote
                    };
                    self.found.get_or_insert(BadQuote {
                        kind,
                        line: self.line,
                        column: self.column,
                    });
                    // Read on as csv_core does, without reporting more.
                    Quoting::Plain
                }
            };
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            }
            self.state = next;
        }
    }
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

    /// The bytes the cells are taken from (with the separators and quotes
    /// of the line, or without them).
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
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

    /// The cells of `line` (without its line break), when every quoted
    /// cell in it is simple: the whole cell in quotes, no `""` inside, no
    /// line break. False otherwise (the record is then read by `csv_core`).
    ///
    /// One pass over the line, eight bytes at a time: each word gives a
    /// bit mask of its commas and one of its quotes ([`zero_bytes`]), and
    /// the cells are cut at the set bits in order, so there is no call per
    /// cell. A word without quotes, outside a quoted cell, is cut at its
    /// commas in a tight loop (most words of a log).
    fn split_line(&mut self, line: &[u8]) -> bool {
        self.bytes.clear();
        self.bytes.extend_from_slice(line);
        let spans = &mut self.spans;
        spans.clear();
        // The current cell starts at `start` (at its opening quote when
        // `quoted` or `closed`); `closed`: the quote closing it is there.
        let mut cut = Cut {
            start: 0,
            quoted: false,
            closed: None,
        };
        let mut words = line.chunks_exact(8);
        let mut base = 0;
        for w in words.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            if !cut.word(u64::from_le_bytes(word), base, spans) {
                return false;
            }
            base += 8;
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(to) = word.get_mut(..rest.len()) {
                to.copy_from_slice(rest);
            }
            if !cut.word(u64::from_le_bytes(word), base, spans) {
                return false;
            }
        }
        let Cut { start, quoted, closed } = cut;
        match closed {
            _ if quoted => return false, // the cell goes on past the line
            Some(close) if close + 1 == line.len() => spans.push((start + 1, close)),
            Some(_) => return false,
            None => spans.push((start, line.len())),
        }
        true
    }
}

/// Where [`Record::split_line`] is in the line.
struct Cut {
    start: usize,
    quoted: bool,
    closed: Option<usize>,
}

impl Cut {
    /// The commas and quotes of the word `x` at `base`; false when the line
    /// needs `csv_core`.
    #[inline(always)]
    fn word(&mut self, x: u64, base: usize, spans: &mut Vec<(usize, usize)>) -> bool {
        let mut commas = zero_bytes(x ^ COMMAS);
        let quotes = zero_bytes(x ^ QUOTES);
        if quotes == 0 && !self.quoted && self.closed.is_none() {
            while commas != 0 {
                let at = base + (commas.trailing_zeros() / 8) as usize;
                commas &= commas - 1;
                spans.push((self.start, at));
                self.start = at + 1;
            }
            return true;
        }
        let mut m = commas | quotes;
        while m != 0 {
            let bit = m & m.wrapping_neg();
            let at = base + (m.trailing_zeros() / 8) as usize;
            m ^= bit;
            if bit & quotes != 0 {
                if self.quoted {
                    self.quoted = false;
                    self.closed = Some(at);
                } else if self.closed.is_some() || at != self.start {
                    return false; // `""`, or a quote inside a cell
                } else {
                    self.quoted = true;
                }
            } else if self.quoted {
                // a comma inside quotes
            } else if let Some(close) = self.closed {
                if at != close + 1 {
                    return false; // text after the closing quote
                }
                spans.push((self.start + 1, close));
                self.start = at + 1;
                self.closed = None;
            } else {
                spans.push((self.start, at));
                self.start = at + 1;
            }
        }
        true
    }
}

const LOW_BITS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const COMMAS: u64 = 0x2C2C_2C2C_2C2C_2C2C;
const QUOTES: u64 = 0x2222_2222_2222_2222;

/// The high bit of each byte of `x` that is zero, and no other bit (no
/// carry crosses a byte).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW_BITS) + LOW_BITS) | x | LOW_BITS)
}

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

    /// The next record into `rec`; false at the end of the input.
    pub fn read(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        if !self.started {
            while self.unread().len() < BOM.len() && self.fill()? {}
            if self.unread().starts_with(BOM) {
                self.consume(BOM.len(), 0);
            }
            self.started = true;
        }
        // Empty lines are skipped.
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
        let mut searched = 0;
        let (end, next) = loop {
            let unread = self.unread();
            if let Some(nl) = unread.get(searched..).and_then(|rest| memchr::memchr(b'\n', rest)) {
                break (searched + nl, searched + nl + 1);
            }
            searched = unread.len();
            if !self.fill()? {
                break (searched, searched);
            }
        };
        let line = self.buf.get(self.pos..self.pos + end).unwrap_or_default();
        rec.bad_quote = None;
        if rec.split_line(line) {
            self.consume(next, u64::from(next > end));
            return Ok(true);
        }
        self.read_quoted(rec)
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
    use super::*;

    /// Records as lists of cells.
    type Cells = Vec<Vec<Vec<u8>>>;
    /// A byte offset and a line.
    type Position = (u64, u64);
    /// A record's start line and cells.
    type Numbered = (u64, Vec<Vec<u8>>);

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
        assert_eq!(rec.as_slice(), b"abc");
        assert_eq!(rec.get(3), None);
        assert_eq!(rec.len(), 3);
    }
}
