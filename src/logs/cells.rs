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
//! [`split_simple_line`] is the hot path's splitter and stays specialised:
//! it reads eight bytes at a time (bit masks of commas and quotes) rather
//! than one, and gives up on any line that is not simple, which the
//! tokenizer's byte-by-byte state machine cannot match in speed (`plan
//! status` on a million rows spends most of its time here). It follows the
//! same rules on the lines it accepts; the tests of `super::records` compare
//! it with the `csv` crate.

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

/// Cuts `line` into `spans` (without its line break), when every quoted
/// cell in it is simple: the whole cell in quotes, no `""` inside, no
/// line break. False otherwise (the record is then read by `csv_core`).
///
/// One pass over the line, eight bytes at a time: each word gives a
/// bit mask of its commas and one of its quotes ([`zero_bytes`]), and
/// the cells are cut at the set bits in order, so there is no call per
/// cell. A word without quotes, outside a quoted cell, is cut at its
/// commas in a tight loop (most words of a log).
#[inline]
pub(super) fn split_simple_line(line: &[u8], spans: &mut Vec<(usize, usize)>) -> bool {
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

/// Where [`split_simple_line`] is in the line.
struct Cut {
    start: usize,
    quoted: bool,
    closed: Option<usize>,
}

impl Cut {
    /// The commas and quotes of the word `x` at `base`; false when the line
    /// needs `csv_core`.
    // Inlined into the line's loop: a call per word cost 4% of `status`.
    #[allow(clippy::inline_always)]
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
