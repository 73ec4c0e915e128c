//! The quote rules of a log's CSV, in one place: where its cells start and
//! end, which quotes are text, and which quoting RFC 4180 does not allow.
//!
//! [`Tokenizer`] reads a record one byte at a time and says what each byte
//! is ([`Token`]), by the rules `csv_core` reads with (`"` opens a quoted
//! cell only at the start of a cell, `""` inside one is a quote, any other
//! quote is text). Everything that looks at quotes calls it: the RFC 4180
//! check of records read by `csv_core` ([`QuoteCheck`]), and, on a file with
//! problems, the open quote at its end, the columns where cells start and a
//! cell's text (`super::raw`).
//!
//! [`scan_line`] is the hot path's splitter and stays specialised: it
//! reads 64 bytes at a time (bit masks of commas, quotes and line breaks)
//! rather than one, and gives up on any line that is not simple, which the
//! tokenizer's byte-by-byte state machine cannot match in speed (`plan
//! status` on a million rows spends most of its time here). It follows the
//! same rules on the lines it accepts; the tests of `super::records` compare
//! it with the `csv` crate.

use wide::u8x16;

/// Quoting that RFC 4180 does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BadQuoteKind {
    /// A `"` inside a cell that does not start with one.
    InsideCell,
    /// Text after the `"` that closes a quoted cell.
    AfterQuote,
}

/// Where the tokenizer is inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    CellStart,
    Plain,
    Quoted,
    /// A `"` inside a quoted cell: the end of the cell, or the first of `""`.
    QuoteInQuoted,
    /// After the closing quote and a `\r`.
    Closed,
}

/// What one byte of a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    /// Part of the cell's text (the second quote of a `""` stands for one
    /// quote).
    Text,
    /// The quote that opens a quoted cell.
    Open,
    /// A quote inside a quoted cell: the one that closes it, or the first
    /// of a `""`.
    Quote,
    /// The comma that ends a cell.
    Comma,
    /// The line break that ends the record.
    LineEnd,
}

/// The quote rules, one byte at a time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tokenizer {
    state: State,
    /// A lone `\r` outside quotes ends a line (the old Mac line end).
    cr_ends_line: bool,
}

impl Tokenizer {
    /// At the start of a record.
    pub fn new() -> Tokenizer {
        Tokenizer {
            state: State::CellStart,
            cr_ends_line: false,
        }
    }

    /// Inside a quoted cell (on a line that goes on with one).
    pub fn in_quoted_cell() -> Tokenizer {
        Tokenizer {
            state: State::Quoted,
            cr_ends_line: false,
        }
    }

    /// The same, with a lone `\r` outside quotes ending a line as `\n` does.
    pub fn cr_ends_line(self) -> Tokenizer {
        Tokenizer {
            cr_ends_line: true,
            ..self
        }
    }

    /// Whether the bytes read so far end inside a quoted cell.
    pub fn in_quotes(self) -> bool {
        self.state == State::Quoted
    }

    /// What `b` is, and the quoting RFC 4180 does not allow when `b` is
    /// where it goes wrong (reading then goes on as `csv_core` does).
    #[inline]
    pub fn next(&mut self, b: u8) -> (Token, Option<BadQuoteKind>) {
        use State::{CellStart, Closed, Plain, QuoteInQuoted, Quoted};
        let (state, token, bad) = match (self.state, b) {
            (Quoted, b'"') => (QuoteInQuoted, Token::Quote, None),
            (Quoted, _) => (Quoted, Token::Text, None),
            (QuoteInQuoted, b'"') => (Quoted, Token::Text, None),
            (_, b',') => (CellStart, Token::Comma, None),
            (_, b'\n') => (CellStart, Token::LineEnd, None),
            (_, b'\r') if self.cr_ends_line => (CellStart, Token::LineEnd, None),
            (CellStart, b'"') => (Quoted, Token::Open, None),
            (Plain, b'"') => (Plain, Token::Text, Some(BadQuoteKind::InsideCell)),
            (CellStart | Plain, _) => (Plain, Token::Text, None),
            (QuoteInQuoted | Closed, b'\r') => (Closed, Token::Text, None),
            (QuoteInQuoted | Closed, _) => (Plain, Token::Text, Some(BadQuoteKind::AfterQuote)),
        };
        self.state = state;
        (token, bad)
    }
}

impl Default for Tokenizer {
    fn default() -> Tokenizer {
        Tokenizer::new()
    }
}

/// Quoting that RFC 4180 does not allow, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BadQuote {
    pub kind: BadQuoteKind,
    pub line: u64,
    /// 1-based, in characters.
    pub column: usize,
}

/// Follows a record's bytes (as `csv_core` consumes them) and notes the
/// first quoting RFC 4180 does not allow.
#[derive(Debug, Clone, Copy)]
pub(super) struct QuoteCheck {
    cells: Tokenizer,
    line: u64,
    column: usize,
    pub found: Option<BadQuote>,
}

impl QuoteCheck {
    /// For a record that starts on `line`.
    pub fn new(line: u64) -> QuoteCheck {
        QuoteCheck {
            cells: Tokenizer::new(),
            line,
            column: 0,
            found: None,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if is_char_start(b) {
                self.column += 1;
            }
            if let (_, Some(kind)) = self.cells.next(b) {
                self.found.get_or_insert(BadQuote {
                    kind,
                    line: self.line,
                    column: self.column,
                });
            }
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            }
        }
    }
}

/// Whether `b` starts a character (is not a UTF-8 continuation byte).
pub(super) fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// What [`scan_line`] found at the start of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A simple line, cut into cells.
    Cut {
        /// The line's length, without its `\n`.
        len: usize,
        /// A `\n` ends it (false: the input ended first).
        ended: bool,
        /// It may hold a combining mark (a byte 0xCC or 0xCD: the lead
        /// bytes of U+0300–U+036F, the tone marks of NFD text).
        marks: bool,
    },
    /// A line that is not simple: `csv_core` reads it.
    NotSimple,
    /// The bytes end before the line does, and more input may follow.
    NeedMore,
}

/// Finds the line at the start of `bytes` and, in the same pass, cuts it
/// into `spans` when every quoted cell in it is simple: the whole cell in
/// quotes, no `""` inside, no line break. `at_end`: no input follows
/// `bytes`, so a line without a `\n` ends with them.
///
/// One pass, 64 bytes at a time: each block gives bit masks of its commas,
/// quotes, line breaks and combining-mark bytes (sixteen bytes per SIMD
/// compare, through `wide`), and the cells are cut at the set bits in
/// order, so there is no call per cell. A block without quotes, outside a
/// quoted cell, is cut at its commas in a tight loop (most blocks of a
/// log).
#[inline]
pub(crate) fn scan_line(bytes: &[u8], at_end: bool, spans: &mut Vec<(usize, usize)>) -> Scan {
    scan_line_with::<true>(bytes, at_end, spans)
}

/// [`scan_line`] without looking for combining marks: `marks` is false in
/// what it gives. For a caller that looks for them over many lines at once.
/// Inlined into its one caller's loop: a call per line costs.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn scan_line_unmarked(bytes: &[u8], at_end: bool, spans: &mut Vec<(usize, usize)>) -> Scan {
    scan_line_with::<false>(bytes, at_end, spans)
}

/// [`scan_line`]; `MARKS`: look for combining marks.
#[allow(clippy::inline_always)] // one copy in each of the two callers' loops
#[inline(always)]
fn scan_line_with<const MARKS: bool>(bytes: &[u8], at_end: bool, spans: &mut Vec<(usize, usize)>) -> Scan {
    spans.clear();
    // The current cell starts at `start` (at its opening quote when
    // `quoted` or `closed`); `closed`: the quote closing it is there.
    let mut cut = Cut {
        start: 0,
        quoted: false,
        closed: None,
    };
    let mut marks = false;
    let mut base = 0;
    let (len, ended) = loop {
        let block = Masks::of::<MARKS>(bytes.get(base..).unwrap_or_default());
        // Only the bytes before the line break belong to the line.
        let line = if block.breaks == 0 {
            u64::MAX
        } else {
            (1u64 << block.breaks.trailing_zeros()) - 1
        };
        marks |= block.marks & line != 0;
        if !cut.block(block.commas & line, block.quotes & line, base, spans) {
            return Scan::NotSimple;
        }
        if block.breaks != 0 {
            break (base + block.breaks.trailing_zeros() as usize, true);
        }
        base += 64;
        if base >= bytes.len() {
            if !at_end {
                return Scan::NeedMore;
            }
            break (bytes.len(), false);
        }
    };
    let Cut { start, quoted, closed } = cut;
    match closed {
        _ if quoted => return Scan::NotSimple, // the cell goes on past the line
        Some(close) if close + 1 == len => spans.push((start + 1, close)),
        Some(_) => return Scan::NotSimple,
        None => spans.push((start, len)),
    }
    Scan::Cut { len, ended, marks }
}

/// One bit per byte of a 64-byte block (bit `i` for byte `i`).
struct Masks {
    commas: u64,
    quotes: u64,
    breaks: u64,
    marks: u64,
}

impl Masks {
    /// The masks of the first 64 bytes of `bytes` (zeros past its end);
    /// `marks` only when `MARKS`.
    #[inline]
    fn of<const MARKS: bool>(bytes: &[u8]) -> Masks {
        let mut m = Masks {
            commas: 0,
            quotes: 0,
            breaks: 0,
            marks: 0,
        };
        let mut add = |k: usize, lanes: [u8; 16]| {
            let v = u8x16::new(lanes);
            let bits = |v: u8x16, b: u8| u64::from(v.simd_eq(u8x16::splat(b)).to_bitmask());
            let at = 16 * k;
            m.commas |= bits(v, b',') << at;
            m.quotes |= bits(v, b'"') << at;
            m.breaks |= bits(v, b'\n') << at;
            if MARKS {
                m.marks |= bits(v & u8x16::splat(0xFE), 0xCC) << at;
            }
        };
        // A whole block is read where it lies; only the last, short one of
        // the input is copied (zeros after it).
        let padded: [u8; 64];
        let block = if let Some(whole) = bytes.get(..64) {
            whole
        } else {
            padded = pad(bytes);
            &padded[..]
        };
        for (k, chunk) in block.chunks_exact(16).enumerate() {
            if let Ok(lanes) = chunk.try_into() {
                add(k, lanes);
            }
        }
        m
    }
}

/// The bytes of a short last block, zeros after them (made only for it:
/// zeroing a block for every block costs).
fn pad(bytes: &[u8]) -> [u8; 64] {
    let mut padded = [0u8; 64];
    if let Some(to) = padded.get_mut(..bytes.len()) {
        to.copy_from_slice(bytes);
    }
    padded
}

/// Where [`scan_line`] is in the line.
struct Cut {
    start: usize,
    quoted: bool,
    closed: Option<usize>,
}

impl Cut {
    /// The commas and quotes of the block at `base` (a bit per byte);
    /// false when the line needs `csv_core`.
    // Inlined into the line's loop: a call per block costs.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn block(&mut self, mut commas: u64, quotes: u64, base: usize, spans: &mut Vec<(usize, usize)>) -> bool {
        if quotes == 0 && !self.quoted && self.closed.is_none() {
            while commas != 0 {
                let at = base + commas.trailing_zeros() as usize;
                commas &= commas - 1;
                spans.push((self.start, at));
                self.start = at + 1;
            }
            return true;
        }
        let mut m = commas | quotes;
        while m != 0 {
            let bit = m & m.wrapping_neg();
            let at = base + m.trailing_zeros() as usize;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each byte's token as a letter: t text, o open, q quote, c comma,
    /// l line end; `!` after a byte where the quoting breaks RFC 4180.
    fn tokens(input: &[u8], cr_ends_line: bool) -> String {
        let mut cells = Tokenizer::new();
        if cr_ends_line {
            cells = cells.cr_ends_line();
        }
        let mut out = String::new();
        for &b in input {
            let (token, bad) = cells.next(b);
            out.push(match token {
                Token::Text => 't',
                Token::Open => 'o',
                Token::Quote => 'q',
                Token::Comma => 'c',
                Token::LineEnd => 'l',
            });
            if bad.is_some() {
                out.push('!');
            }
        }
        out
    }

    #[test]
    fn bytes_are_told_apart_by_the_quote_rules() {
        assert_eq!(tokens(b"a,\"b\"\"c,\n\"\r\n", false), "tcotqttttqtl");
        assert_eq!(tokens(b"a\"b,\"x\"y", false), "tt!tcotqt!");
        assert_eq!(tokens(b"a\r\"b", false), "ttt!t");
        assert_eq!(tokens(b"a\r\"b", true), "tlot");
    }
}
