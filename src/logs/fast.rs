//! The fast check of one row: byte comparisons against the plan's codes, no
//! allocation, no message. It accepts exactly the rows the detailed check
//! in [`super::row`] accepts, giving the same [`Row`]; anything unusual
//! (a bad code, a stray space inside a date, non-UTF-8 text) makes it give
//! up, and the detailed check then explains what is wrong.

use chrono::NaiveDate;

use crate::model::{Plan, RowStatus};
use crate::period::{parse_iso_date, parse_iso_date_bytes};

use crate::columns::{
    C_DATE, C_FIELD, C_FIRST_NUMBER, C_KIND, C_NOTE, C_ORG, C_REF, C_STATUS, C_TITLE, C_UNIT, COLUMNS,
};

use super::header::LogHeader;
use super::records::Rec;
use super::{Row, RowSink};

/// The fast check against one plan.
#[derive(Debug, Clone)]
pub(super) struct FastCheck<'p> {
    plan: &'p Plan,
    today: NaiveDate,
    codes: Codes,
}

impl<'p> FastCheck<'p> {
    pub fn new(plan: &'p Plan, today: NaiveDate) -> FastCheck<'p> {
        FastCheck {
            plan,
            today,
            codes: Codes::new(plan),
        }
    }
}

/// The plan's codes as bytes, for lookups on the hot path.
#[derive(Debug, Clone, Default)]
struct Codes {
    orgs: CodeTable,
    units: CodeTable,
    kinds: CodeTable,
    fields: CodeTable,
}

impl Codes {
    fn new(plan: &Plan) -> Codes {
        Codes {
            orgs: CodeTable::new(plan.orgs.iter().map(|o| o.code.as_bytes())),
            units: CodeTable::new(plan.units.iter().map(|o| o.code.as_bytes())),
            kinds: CodeTable::new(plan.kinds.iter().map(|o| o.code.as_bytes())),
            fields: CodeTable::new(plan.fields.iter().map(|o| o.code.as_bytes())),
        }
    }
}

/// A code as two words and its length: equal keys are equal codes when
/// the code is at most 16 bytes long (longer codes are compared as bytes
/// after the keys agree).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Key {
    len: usize,
    head: u64,
    tail: u64,
}

impl Key {
    #[inline]
    fn of(code: &[u8]) -> Key {
        // Byte loops, not copies: a copy of a variable length is a call.
        let word = |b: &[u8]| b.iter().rev().fold(0u64, |w, &c| (w << 8) | u64::from(c));
        let n = code.len();
        let head = word(code.get(..n.min(8)).unwrap_or_default());
        let tail = if n > 8 {
            word(code.get(n - 8..).unwrap_or_default())
        } else {
            0
        };
        Key { len: n, head, tail }
    }

    /// [`Key::of`] for a code lying in `buf` (a record's bytes): its
    /// words loaded whole from the buffer and masked to its length, when
    /// the buffer has eight bytes from where the code starts.
    #[allow(clippy::inline_always)] // called four times a row
    #[inline(always)]
    fn within(code: &[u8], buf: &[u8]) -> Key {
        let n = code.len();
        if let Some(at) = offset_in(code, buf)
            && let Some(w) = word_at(buf, at)
        {
            let head = if n >= 8 { w } else { w & ((1u64 << (8 * n)) - 1) };
            let tail = if n > 8 {
                word_at(buf, at + n - 8).unwrap_or(0)
            } else {
                0
            };
            return Key { len: n, head, tail };
        }
        Key::of(code)
    }

    #[inline]
    fn slot(self, mult: u64, mask: usize) -> usize {
        self.slot_by(mult, shift_of(mask), mask)
    }

    /// [`Key::slot`] with `shift_of(mask)` given (computed once per table).
    #[inline]
    fn slot_by(self, mult: u64, shift: u32, mask: usize) -> usize {
        // Multiplicative hashing: the product's top bits depend on every
        // bit of the key.
        let h = (self.head ^ self.tail.rotate_left(29) ^ (self.len as u64)).wrapping_mul(mult);
        h.checked_shr(shift).unwrap_or(0) as usize & mask
    }
}

/// Where `cell` starts in `buf`, when it lies wholly inside it (a cell
/// taken from a record's bytes does).
#[allow(clippy::inline_always)] // a dozen calls a row
#[inline(always)]
fn offset_in(cell: &[u8], buf: &[u8]) -> Option<usize> {
    let at = (cell.as_ptr() as usize).checked_sub(buf.as_ptr() as usize)?;
    (at.checked_add(cell.len())? <= buf.len()).then_some(at)
}

/// The eight bytes of `buf` from `at`, as a little-endian word.
#[allow(clippy::inline_always)] // several calls a row
#[inline(always)]
fn word_at(buf: &[u8], at: usize) -> Option<u64> {
    buf.get(at..at.checked_add(8)?)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map(u64::from_le_bytes)
}

/// How far a key's hash is shifted for a table of `mask + 1` slots: its
/// top bits make the slot.
fn shift_of(mask: usize) -> u32 {
    64 - mask.count_ones()
}

/// A slot of a [`CodeTable`].
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: Key,
    /// Position of the code in the plan's list, plus one (0: empty slot).
    code: u32,
}

/// Open addressing over a power-of-two table, its hash chosen when it is
/// built so that no two of the plan's codes share a slot (tried over a few
/// multipliers and sizes; a plan's lists are short): a code is then found
/// with one hash and one key comparison, and a cell that is no code
/// usually lands on an empty or a foreign slot at once. Were no such hash
/// found, colliding codes would take the next free slots and be found by
/// probing, as in any open-addressing table.
#[derive(Debug, Clone, Default)]
struct CodeTable {
    mult: u64,
    /// `shift_of(slots.len() - 1)`.
    shift: u32,
    slots: Vec<Slot>,
    codes: Vec<Box<[u8]>>,
}

impl CodeTable {
    fn new<'a>(codes: impl Iterator<Item = &'a [u8]>) -> CodeTable {
        let codes: Vec<Box<[u8]>> = codes.map(Into::into).collect();
        let keys: Vec<Key> = codes.iter().map(|c| Key::of(c)).collect();
        let smallest = (codes.len() * 4).next_power_of_two().max(8);
        let mut fallback = None;
        for size in [smallest, smallest * 4, smallest * 16] {
            for attempt in 0..32u64 {
                // Odd multipliers spread over the whole 64-bit range.
                let mult = 0x9E37_79B9_7F4A_7C15_u64.wrapping_add(attempt.wrapping_mul(0xD6E8_FEB8_6659_FD93)) | 1;
                let (table, perfect) = CodeTable::fill(&codes, &keys, mult, size);
                if perfect {
                    return table;
                }
                fallback.get_or_insert(table);
            }
        }
        fallback.unwrap_or_default()
    }

    /// The table with the given hash; true when every code sits in its
    /// own hash slot.
    fn fill(codes: &[Box<[u8]>], keys: &[Key], mult: u64, size: usize) -> (CodeTable, bool) {
        let mut table = CodeTable {
            mult,
            shift: shift_of(size - 1),
            slots: vec![Slot::default(); size],
            codes: codes.to_vec(),
        };
        let mask = size - 1;
        let mut perfect = true;
        for (i, (&key, code)) in keys.iter().zip(codes).enumerate() {
            // The first of two equal codes wins, as in a linear search.
            if table.find_key(key, code).is_some() {
                continue;
            }
            let mut s = key.slot(mult, mask);
            while table.slots.get(s).is_some_and(|v| v.code != 0) {
                perfect = false;
                s = (s + 1) & mask;
            }
            if let Some(v) = table.slots.get_mut(s) {
                *v = Slot {
                    key,
                    code: u32::try_from(i + 1).unwrap_or(0),
                };
            }
        }
        (table, perfect)
    }

    #[allow(clippy::inline_always)] // called four times a row
    #[inline(always)]
    fn find_key(&self, key: Key, code: &[u8]) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut s = key.slot_by(self.mult, self.shift, mask);
        loop {
            let slot = self.slots.get(s)?;
            let i = (slot.code as usize).checked_sub(1)?;
            if slot.key == key && (key.len <= 16 || self.codes.get(i).is_some_and(|c| **c == *code)) {
                return Some(i);
            }
            s = (s + 1) & mask;
        }
    }

    /// Where `code`, lying in `buf`, is in the plan's list.
    #[allow(clippy::inline_always)] // called four times a row
    #[inline(always)]
    fn find(&self, code: &[u8], buf: &[u8]) -> Option<usize> {
        self.find_key(Key::within(code, buf), code)
    }
}

fn status(b: &[u8]) -> Option<RowStatus> {
    match b {
        b"done" => Some(RowStatus::Done),
        b"planned" => Some(RowStatus::Planned),
        b"postponed" => Some(RowStatus::Postponed),
        b"cancelled" => Some(RowStatus::Cancelled),
        _ => None,
    }
}

/// Digits only, at most 19 of them (no overflow). `None`: not a plain number,
/// so the row takes the detailed check; `Some(None)`: an empty cell.
#[allow(clippy::option_option)] // the two levels mean different things, as above
fn number(b: &[u8]) -> Option<Option<u64>> {
    if b.is_empty() {
        return Some(None);
    }
    if b.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    let mut rest = b;
    while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
        n = n * 100_000_000 + eight_digits(u64::from_le_bytes(*eight))?;
        rest = tail;
    }
    for &c in rest {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    Some(Some(n))
}

/// [`number`] for a cell lying in `buf` (a record's bytes), read as at
/// most two words loaded from the buffer, with no loop over its digits: a
/// cell of up to 16 bytes is the digits at the high end of its words, the
/// buffer's bytes before it replaced by `0`s, so that its words are numbers
/// with leading zeros. A cell too near the buffer's start for a whole word,
/// or not in it, is read by [`number`]. Lengths vary from row to row, and a
/// loop that ends after each length mispredicts.
#[allow(clippy::option_option)] // as `number`
#[allow(clippy::inline_always)] // four calls a row
#[inline(always)]
fn number_within(b: &[u8], buf: &[u8]) -> Option<Option<u64>> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // The word ending `to` bytes into `buf`.
    let ending = |to: usize| word_at(buf, to.checked_sub(8)?);
    // The word's `k` last bytes are the cell's, the others zeros (`k` in 1..=8).
    let keep = |w: u64, k: usize| {
        let mask = u64::MAX << (8 * (8 - k));
        (w & mask) | (ZEROS & !mask)
    };
    let n = b.len();
    if n == 0 {
        return Some(None);
    }
    let end = offset_in(b, buf).map(|at| at + n);
    match (n, end.and_then(ending)) {
        (1..=8, Some(low)) => Some(Some(eight_digits(keep(low, n))?)),
        (9..=16, Some(low)) => match end.and_then(|end| ending(end - 8)) {
            Some(high) => Some(Some(
                eight_digits(keep(high, n - 8))? * 100_000_000 + eight_digits(low)?,
            )),
            None => number(b),
        },
        _ => number(b),
    }
}

/// The value of eight ASCII digits read as a little-endian word (the first
/// digit in the low byte), `None` when a byte is not a digit: all eight at
/// once (SWAR), where a loop takes a compare and a multiply per digit.
fn eight_digits(w: u64) -> Option<u64> {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0xF0 * LANES;
    // Every byte is 0x30..=0x3F, and adding 6 keeps it below 0x40.
    if w & HIGH != 0x30 * LANES || w.wrapping_add(6 * LANES) & HIGH != 0x30 * LANES {
        return None;
    }
    let d = w - 0x30 * LANES;
    // Pairs of digits, then fours, then all eight: each step multiplies the
    // upper half of a lane by its weight and adds the lower.
    let d = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d * 100 + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((d * 10_000 + (d >> 32)) & 0xFFFF_FFFF)
}

/// `text.trim()`, without looking at its characters when it starts and
/// ends with a visible ASCII character (no Unicode space is one).
#[allow(clippy::inline_always)] // twice a row; a call otherwise
#[inline(always)]
fn trim(text: &str) -> &str {
    if crate::text::visible_ascii_ends(text.as_bytes()) {
        text
    } else {
        text.trim()
    }
}

/// The last date parsed: logs are mostly in date order, so most rows repeat
/// the date of the row before.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DateCache {
    text: [u8; 10],
    date: Option<chrono::NaiveDate>,
}

impl DateCache {
    fn parse(&mut self, text: &[u8]) -> Option<chrono::NaiveDate> {
        if self.date.is_some() && text == self.text {
            return self.date;
        }
        let date = parse_iso_date_bytes(text)?;
        if let Ok(t) = text.try_into() {
            self.text = t;
            self.date = Some(date);
        }
        Some(date)
    }
}

/// A record's cells by canonical column, for the fast check. `CANON`: the
/// header is canonical ([`LogHeader::canonical`]), so cell `i` is column `i`
/// and `index` is not read (a load and a branch a cell saved).
struct Cells<'c, 'r, 'h, const CANON: bool> {
    rec: &'c Rec<'r>,
    /// Text that holds the record's bytes (see [`Rec::text`]), when UTF-8.
    all: Option<&'r str>,
    index: &'h [Option<usize>; COLUMNS.len()],
    last: usize,
}

impl<'r, const CANON: bool> Cells<'_, 'r, '_, CANON> {
    /// A cell ("" when the column is absent), with the `\r` of a CRLF
    /// taken off the last cell.
    #[allow(clippy::inline_always)] // a dozen calls a row
    #[inline(always)]
    fn raw(&self, col: usize) -> &'r [u8] {
        let (i, last) = if CANON {
            (col, COLUMNS.len() - 1)
        } else {
            let Some(i) = self.index.get(col).copied().flatten() else {
                return b"";
            };
            (i, self.last)
        };
        let cell = self.rec.get(i).unwrap_or_default();
        if i == last {
            cell.strip_suffix(b"\r").unwrap_or(cell)
        } else {
            cell
        }
    }

    /// A code, number, status or date cell: ASCII spaces trimmed. Such a
    /// cell is accepted only when it matches ASCII text (a plan code is
    /// UTF-8), so it needs no UTF-8 check of its own.
    #[allow(clippy::inline_always)] // a dozen calls a row
    #[inline(always)]
    fn code(&self, col: usize) -> &'r [u8] {
        let raw = self.raw(col);
        // ASCII whitespace is at most b' ': a cell that starts and ends
        // above it has none to trim (most cells; the empty one too).
        match (raw.first(), raw.last()) {
            (Some(&a), Some(&b)) if a > b' ' && b > b' ' => raw,
            (None, _) => raw,
            _ => raw.trim_ascii(),
        }
    }

    /// A free-text cell (title, `ref`, note) as text: sliced from the
    /// record's text, which is checked as UTF-8 once (one call over the
    /// line costs less than one per cell; cells begin and end next to
    /// ASCII, so on character boundaries, and `get` checks that anyway).
    #[allow(clippy::inline_always)] // a dozen calls a row
    #[inline(always)]
    fn text(&self, col: usize) -> Option<&'r str> {
        let raw = self.raw(col);
        if raw.is_empty() {
            return Some("");
        }
        let all = self.all?;
        let start = offset_in(raw, all.as_bytes())?;
        all.split_at_checked(start)?
            .1
            .split_at_checked(raw.len())
            .map(|(cell, _)| cell)
    }
}

impl FastCheck<'_> {
    /// Hands the row to `sink` when it passes every check (the row is not
    /// returned: moving it costs a copy), and gives its `ref` cell as it is
    /// (untrimmed; in NFC when the record is); `None` when it does not pass.
    pub fn row<'r>(
        &self,
        file: usize,
        rec: &Rec<'r>,
        header: &LogHeader,
        line: u64,
        dates: &mut DateCache,
        sink: &mut dyn RowSink,
    ) -> Option<&'r str> {
        // Borrowed where it was made: binding it by value copies it.
        let found = &if header.canonical && rec.len() == COLUMNS.len() {
            self.checked::<true>(file, rec, header, line, dates)
        } else {
            self.checked::<false>(file, rec, header, line, dates)
        };
        match found {
            Some((row, ref_cell)) => {
                sink.row(row);
                Some(ref_cell)
            }
            None => None,
        }
    }

    /// The row, when it passes every check, and its `ref` cell; cells found
    /// as `CANON` says.
    #[allow(clippy::inline_always)] // the one call of each form
    #[inline(always)]
    fn checked<'r, const CANON: bool>(
        &self,
        file: usize,
        rec: &Rec<'r>,
        header: &LogHeader,
        line: u64,
        dates: &mut DateCache,
    ) -> Option<(Row<'r>, &'r str)> {
        let cells = Cells::<CANON> {
            rec,
            all: rec.text(),
            index: &header.index,
            last: rec.len().checked_sub(1)?,
        };
        let date = dates.parse(cells.code(C_DATE))?;
        if !self.plan.term.contains(date) {
            return None;
        }
        self.rest(&cells, Some(date), file, line)
    }

    /// Whether the detailed check would find exactly one problem in this
    /// row: a date cell that is not empty and not an ISO date (`bad-date`),
    /// every other cell passing the fast check. A log saved with dates as
    /// `dd/mm/yyyy` has this on every row; once the first hundred are
    /// worded, the others are only counted, without the detailed check.
    pub fn only_bad_date(&self, rec: &Rec<'_>, header: &LogHeader) -> bool {
        let Some(last) = rec.len().checked_sub(1) else {
            return false;
        };
        let cells = Cells::<false> {
            rec,
            all: rec.text(),
            index: &header.index,
            last,
        };
        if header.index.get(C_DATE).copied().flatten().is_none() {
            return false;
        }
        // As the detailed check reads it: UTF-8, Unicode spaces trimmed.
        let Ok(date) = std::str::from_utf8(cells.raw(C_DATE)) else {
            return false;
        };
        let date = date.trim();
        !date.is_empty() && parse_iso_date(date).is_none() && self.rest(&cells, None, 0, 0).is_some()
    }

    /// The checks of every cell but the date; those that need the date
    /// (a unit's lifetime, `done` in the future) only when it is given.
    /// With the row, its `ref` cell as it is (untrimmed).
    fn rest<'r, const CANON: bool>(
        &self,
        cells: &Cells<'_, 'r, '_, CANON>,
        date: Option<NaiveDate>,
        file: usize,
        line: u64,
    ) -> Option<(Row<'r>, &'r str)> {
        let plan = self.plan;
        let org = self.codes.orgs.find(cells.code(C_ORG), cells.rec.as_slice())?;
        let unit = self.codes.units.find(cells.code(C_UNIT), cells.rec.as_slice())?;
        let kind = self.codes.kinds.find(cells.code(C_KIND), cells.rec.as_slice())?;
        let status = status(cells.code(C_STATUS))?;
        if let Some(date) = date {
            if !plan.units.get(unit)?.exists_on(date) {
                return None;
            }
            if status == RowStatus::Done && date > self.today {
                return None;
            }
        }
        let title = trim(cells.text(C_TITLE)?);
        if title.is_empty() {
            return None;
        }
        let field_code = cells.code(C_FIELD);
        let field = if field_code.is_empty() {
            if plan.kinds.get(kind)?.field {
                return None;
            }
            None
        } else {
            Some(self.codes.fields.find(field_code, cells.rec.as_slice())?)
        };
        let mut nums = [None; 4];
        for (k, slot) in nums.iter_mut().enumerate() {
            *slot = number_within(cells.code(C_FIRST_NUMBER + k), cells.rec.as_slice())?;
        }
        if let [_, _, recs, Some(res)] = nums {
            if res > recs.unwrap_or(0) {
                return None;
            }
        }
        let ref_cell = cells.text(C_REF)?;
        let row = Row {
            date: date.unwrap_or_default(),
            org,
            unit,
            kind,
            status,
            field,
            nums,
            title,
            reference: trim(ref_cell),
            note: cells.text(C_NOTE)?,
            file,
            line,
        };
        Some((row, ref_cell))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::CodeTable;

    /// What `number` read one digit at a time, as it did before.
    #[allow(clippy::option_option)]
    fn number_bytewise(b: &[u8]) -> Option<Option<u64>> {
        if b.is_empty() {
            return Some(None);
        }
        if b.len() > 19 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(Some(b.iter().fold(0, |n, &c| n * 10 + u64::from(c - b'0'))))
    }

    #[test]
    fn numbers_read_eight_digits_at_a_time_as_one_by_one() {
        for text in [
            "",
            "0",
            "7",
            "12345678",
            "123456789",
            "99999999",
            "9999999999999999999",
            "10000000000000000000",
            "1234567x",
            "x2345678",
            "12345678 ",
            "1234567:",
            "1234567/",
            "0000000000000000",
            "12 45678",
            "-1",
        ] {
            assert_eq!(
                super::number(text.as_bytes()),
                number_bytewise(text.as_bytes()),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        /// A cell read from its words in the record reads as one digit at
        /// a time, wherever it lies (at the line's start, with digits or
        /// other bytes around it).
        #[test]
        fn a_cell_in_its_record_reads_as_one_by_one(
            digits in proptest::collection::vec(0u8..10, 0..48),
            odd in proptest::option::of((0usize..48, proptest::sample::select(vec![b',', b':', b'/', b' ', 0xF9]))),
            from in 0usize..48,
            len in 0usize..22,
        ) {
            // Digits (so that most cells are numbers and the bytes around
            // them digits too), one byte perhaps not.
            let mut buf: Vec<u8> = digits.iter().map(|d| b'0' + d).collect();
            if let Some((at, byte)) = odd && let Some(b) = buf.get_mut(at) {
                *b = byte;
            }
            let from = from.min(buf.len());
            let cell = &buf[from..(from + len).min(buf.len())];
            proptest::prop_assert_eq!(super::number_within(cell, &buf), number_bytewise(cell));
        }

        /// A code's key made from its record's words is the key made from
        /// its own bytes, wherever it lies and however long it is.
        #[test]
        fn a_code_in_its_record_has_its_own_key(
            buf in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            from in 0usize..40,
            len in 0usize..20,
        ) {
            let from = from.min(buf.len());
            let code = &buf[from..(from + len).min(buf.len())];
            proptest::prop_assert_eq!(super::Key::within(code, &buf), super::Key::of(code));
        }

        #[test]
        fn any_short_text_reads_as_one_by_one(b in proptest::collection::vec(
            proptest::sample::select(vec![b'0', b'1', b'5', b'9', b'3', b'7', b'2', b'8', b'4', b'6', b'/', b':', b' ', 0x06, 0xF9]),
            0..22,
        )) {
            proptest::prop_assert_eq!(super::number(&b), number_bytewise(&b));
        }
    }

    #[test]
    fn codes_are_found_by_their_bytes_and_the_first_of_two_wins() {
        let long_a = b"abcdefgh-A-ijklmnop";
        let long_b = b"abcdefgh-B-ijklmnop";
        let codes: [&[u8]; 6] = [b"HCCB", b"sa-pa", b"HCCB", long_a, long_b, b"supervision"];
        let table = CodeTable::new(codes.iter().copied());
        for (code, want) in [
            (&b"HCCB"[..], Some(0)),
            (b"sa-pa", Some(1)),
            (long_a, Some(3)),
            (long_b, Some(4)),
            (b"abcdefgh-C-ijklmnop", None),
            (b"supervision", Some(5)),
            (b"supervisio", None),
            (b"HCC", None),
            (b"", None),
        ] {
            assert_eq!(
                table.find_key(super::Key::of(code), code),
                want,
                "{:?}",
                String::from_utf8_lossy(code)
            );
            // The same code inside a record, loaded from the record's buffer.
            let mut buf = b"x,".to_vec();
            buf.extend_from_slice(code);
            buf.extend_from_slice(b",more cells after it");
            let inside = &buf[2..2 + code.len()];
            assert_eq!(table.find(inside, &buf), want);
            // At the very end of the buffer: no eight bytes to load.
            let end = &buf[..2 + code.len()];
            assert_eq!(table.find(&end[2..], end), want);
        }
    }

    #[test]
    fn a_plan_sized_list_gets_a_table_without_collisions() {
        let codes: Vec<Vec<u8>> = (0..200).map(|i| format!("don-vi-{i}").into_bytes()).collect();
        let table = CodeTable::new(codes.iter().map(Vec::as_slice));
        let mask = table.slots.len() - 1;
        for (i, code) in codes.iter().enumerate() {
            let slot = super::Key::of(code).slot(table.mult, mask);
            assert_eq!(table.slots[slot].code as usize, i + 1, "{i}");
        }
    }

    /// The rows a scan of `csv` gives, as text, and whether its header was
    /// taken as canonical.
    fn rows_of(csv: &str) -> (Vec<String>, bool) {
        use crate::logs::{LogFile, Row, Source, scan_sequential};
        let (plan, _) = crate::planfile::load(
            "p.toml",
            include_str!("../../plans/15-DA-TU.toml"),
            crate::lang::Lang::En,
        );
        let plan = plan.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let files = [LogFile {
            name: "logs/a.csv".to_owned(),
            source: Source::Bytes(csv.as_bytes().to_vec()),
        }];
        let mut rows = Vec::new();
        let mut sink = |r: &Row<'_>| rows.push(format!("{r:?}"));
        scan_sequential(&plan, &files, today, crate::lang::Lang::En, &mut sink);
        let mut records = crate::logs::records::Records::new(csv.as_bytes());
        let mut rec = crate::logs::records::Record::default();
        records.read(&mut rec).unwrap();
        let header = crate::logs::header::read_header("a", &rec, 1, crate::lang::Lang::En, &mut Vec::new()).unwrap();
        (rows, header.canonical)
    }

    #[test]
    fn a_canonical_header_reads_the_same_rows_as_its_columns_in_another_order() {
        // Cells as lines, split at `|` (a title holds a comma).
        let rows: Vec<Vec<&str>> = [
            "2021-03-02|HCCB|van-ban|supervision|done|Giám sát tại xã Thẩm Dương|F5|KH-02|12|15000000|2|1|ghi chú",
            "2022-07-01| MTTQ |sa-pa|dialogue|planned|\"Đối thoại, lần 2\"|||||||",
            "2023-01-09|HCCB|bat-xat|dialogue|cancelled|Hội nghị||KH-03|40||||hủy",
            "2021-05-05|HND|van-ban|supervision|done|Giám sát|F1|KH-04|7|9|3|3|cuối",
            "2021-05-06|XYZ|van-ban|supervision|done|Mã sai|F1|KH-05|||||",
            "2021-05-07|HND|van-ban|supervision|done|Kết quả lớn hơn kiến nghị|F1|KH-06|||1|2|",
        ]
        .iter()
        .map(|l| l.split('|').collect())
        .collect();
        // Title and note, participants and cost swapped: read as if it
        // were canonical, a row would still pass with other figures.
        let order = [0, 1, 2, 3, 4, 12, 6, 7, 9, 8, 10, 11, 5];
        let mut canonical = format!("{}\n", crate::columns::COLUMNS.join(","));
        let mut other = format!(
            "{}\n",
            order
                .iter()
                .map(|&c| crate::columns::COLUMNS[c])
                .collect::<Vec<_>>()
                .join(",")
        );
        for (i, row) in rows.iter().enumerate() {
            // The third line ends with a CRLF, whose `\r` is on the last cell.
            let end = if i == 2 { "\r\n" } else { "\n" };
            canonical.push_str(&row.join(","));
            canonical.push_str(end);
            other.push_str(&order.iter().map(|&c| row[c]).collect::<Vec<_>>().join(","));
            other.push_str(end);
        }
        let (a, canon_a) = rows_of(&canonical);
        let (b, canon_b) = rows_of(&other);
        assert!(canon_a && !canon_b);
        assert_eq!(a.len(), 4, "{a:#?}");
        assert_eq!(a, b);
    }

    #[test]
    fn colliding_codes_are_found_by_probing() {
        // Multiplier 0: every code hashes to slot 0.
        let codes: Vec<Box<[u8]>> = [&b"HCCB"[..], b"HND", b"HLHPN", b"HCCB"]
            .iter()
            .map(|c| (*c).into())
            .collect();
        let keys: Vec<super::Key> = codes.iter().map(|c| super::Key::of(c)).collect();
        let (table, perfect) = CodeTable::fill(&codes, &keys, 0, 8);
        assert!(!perfect);
        for (code, want) in [
            (&b"HCCB"[..], Some(0)),
            (b"HND", Some(1)),
            (b"HLHPN", Some(2)),
            (b"MTTQ", None),
        ] {
            assert_eq!(table.find_key(super::Key::of(code), code), want);
        }
    }
}
