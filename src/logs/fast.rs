//! The fast check of one row: byte comparisons against the plan's codes, no
//! allocation, no message. It accepts exactly the rows the detailed check
//! in [`super::row`] accepts, giving the same [`Row`]; anything unusual
//! (a bad code, a stray space inside a date, non-UTF-8 text) makes it give
//! up, and the detailed check then explains what is wrong.

use crate::model::{Plan, RowStatus};
use crate::period::parse_iso_date_bytes;

use super::piece::Header;
use super::{C_DATE, C_FIELD, C_KIND, C_NOTE, C_NUM0, C_ORG, C_REF, C_STATUS, C_TITLE, C_UNIT, Checker, Row};

/// The plan's codes as bytes, for lookups on the hot path.
#[derive(Debug, Clone, Default)]
pub(super) struct Codes {
    orgs: Vec<Box<[u8]>>,
    units: Vec<Box<[u8]>>,
    kinds: Vec<Box<[u8]>>,
    fields: Vec<Box<[u8]>>,
}

impl Codes {
    pub fn new(plan: &Plan) -> Codes {
        let bytes = |it: &mut dyn Iterator<Item = &String>| it.map(|c| c.as_bytes().into()).collect();
        Codes {
            orgs: bytes(&mut plan.orgs.iter().map(|o| &o.code)),
            units: bytes(&mut plan.units.iter().map(|o| &o.code)),
            kinds: bytes(&mut plan.kinds.iter().map(|o| &o.code)),
            fields: bytes(&mut plan.fields.iter().map(|o| &o.code)),
        }
    }
}

fn find(list: &[Box<[u8]>], code: &[u8]) -> Option<usize> {
    list.iter().position(|c| **c == *code)
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

/// Digits only, at most 19 of them (no overflow).
fn number(b: &[u8]) -> Option<Option<u64>> {
    if b.is_empty() {
        return Some(None);
    }
    if b.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    Some(Some(n))
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

impl Checker<'_> {
    pub(super) fn fast_row<'r>(
        &self,
        file: usize,
        rec: &'r super::records::Record,
        header: &Header,
        line: u64,
        dates: &mut DateCache,
    ) -> Option<Row<'r>> {
        let last = rec.len().checked_sub(1)?;
        // A cell by canonical column ("" when the column is absent), with the
        // `\r` of a CRLF taken off the last cell.
        let raw = |col: usize| -> &'r [u8] {
            let Some(i) = header.index.get(col).copied().flatten() else {
                return b"";
            };
            let cell = rec.get(i).unwrap_or_default();
            if i == last {
                cell.strip_suffix(b"\r").unwrap_or(cell)
            } else {
                cell
            }
        };
        let code = |col: usize| raw(col).trim_ascii();
        // The record's text is checked as UTF-8 once; the text cells are
        // sliced from it (cells begin and end next to ASCII, so on
        // character boundaries; `get` checks that anyway).
        let all = simdutf8::basic::from_utf8(rec.as_slice()).ok()?;
        let text = |col: usize| -> Option<&'r str> {
            let Some(i) = header.index.get(col).copied().flatten() else {
                return Some("");
            };
            let (start, end) = rec.span(i)?;
            let cell = all.get(start..end)?;
            Some(if i == last {
                cell.strip_suffix('\r').unwrap_or(cell)
            } else {
                cell
            })
        };
        let plan = self.plan;
        let date = dates.parse(code(C_DATE))?;
        if !plan.term.contains(date) {
            return None;
        }
        let org = find(&self.codes.orgs, code(C_ORG))?;
        let unit = find(&self.codes.units, code(C_UNIT))?;
        let kind = find(&self.codes.kinds, code(C_KIND))?;
        if !plan.units.get(unit)?.exists_on(date) {
            return None;
        }
        let status = status(code(C_STATUS))?;
        if status == RowStatus::Done && date > self.today {
            return None;
        }
        let title = text(C_TITLE)?.trim();
        if title.is_empty() {
            return None;
        }
        let field_code = code(C_FIELD);
        let field = if field_code.is_empty() {
            if plan.kinds.get(kind)?.field {
                return None;
            }
            None
        } else {
            Some(find(&self.codes.fields, field_code)?)
        };
        let mut nums = [None; 4];
        for (k, slot) in nums.iter_mut().enumerate() {
            *slot = number(code(C_NUM0 + k))?;
        }
        if let [_, _, recs, Some(res)] = nums {
            if res > recs.unwrap_or(0) {
                return None;
            }
        }
        Some(Row {
            date,
            org,
            unit,
            kind,
            status,
            field,
            nums,
            title,
            reference: text(C_REF)?.trim(),
            note: text(C_NOTE)?,
            file,
            line,
        })
    }
}
