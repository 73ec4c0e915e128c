//! The detailed check of one log row: every problem of the row as a
//! diagnostic with a plain-words fix. Rows that pass the fast check in
//! [`super::fast`] never come here; this is the path that explains.

use chrono::NaiveDate;

use crate::columns::{
    C_DATE, C_FIELD, C_FIRST_NUMBER, C_KIND, C_NOTE, C_ORG, C_REF, C_STATUS, C_TITLE, C_UNIT, COLUMNS,
};
use crate::diag::{Diagnostic, nearest};
use crate::lang::Lang;
use crate::model::{Plan, RowStatus};
use crate::period::parse_iso_date;

use super::found::Pending;
use super::header::encoding_message;
use super::records::Rec;
use super::{Row, to_usize};

/// The detailed check against one plan.
#[derive(Debug, Clone, Copy)]
pub(super) struct DetailedCheck<'p> {
    pub plan: &'p Plan,
    pub today: NaiveDate,
    pub lang: Lang,
}

/// No cell: the column is missing from the file.
const NO_CELL: usize = usize::MAX;

/// A row's cells by canonical column: the text and the cell's index in the
/// record ([`NO_CELL`] when the file lacks the column).
struct Cells<'r>([(&'r str, usize); COLUMNS.len()]);

impl<'r> Cells<'r> {
    fn get(&self, c: usize) -> (&'r str, usize) {
        self.0.get(c).copied().unwrap_or(("", NO_CELL))
    }

    /// The cell index of column `c` ([`NO_CELL`] when absent).
    fn index(&self, c: usize) -> usize {
        self.get(c).1
    }
}

/// The problems of one row, as they are found.
struct Problems<'a> {
    name: &'a str,
    line: usize,
    lang: Lang,
    out: &'a mut Vec<Pending>,
}

impl Problems<'_> {
    fn error(&mut self, code: &'static str, cell: usize, vi: String, en: String, width: usize) {
        self.out.push(Pending {
            diag: Diagnostic::error(self.name, code, self.lang.pick(&vi, &en).to_owned())
                .at(self.line, 0, None)
                .width(width),
            cell: (cell != NO_CELL).then_some(cell),
        });
    }
}

/// A plan code list a cell is looked up in, and how its messages name it.
struct CodeList<'a> {
    code: &'static str,
    what_vi: &'static str,
    what_en: &'static str,
    codes: Vec<&'a str>,
}

impl DetailedCheck<'_> {
    /// The row, when every check passes; otherwise its problems in `out`.
    pub fn row<'r>(
        &self,
        file: usize,
        name: &str,
        rec: &Rec<'r>,
        map: &[Option<usize>],
        line: u64,
        out: &mut Vec<Pending>,
    ) -> Option<Row<'r>> {
        let cells = self.cells(name, rec, map, line, out)?;
        let errors_before = out.len();
        let plan = self.plan;
        let mut p = Problems {
            name,
            line: to_usize(line),
            lang: self.lang,
            out,
        };
        let date = self.date(&cells, &mut p);
        let codes = |code, what_vi, what_en, codes| CodeList {
            code,
            what_vi,
            what_en,
            codes,
        };
        let org = lookup(
            &cells,
            C_ORG,
            &codes(
                "unknown-org",
                "tổ chức",
                "organisation",
                plan.orgs.iter().map(|o| o.code.as_str()).collect(),
            ),
            &mut p,
        );
        let unit = lookup(
            &cells,
            C_UNIT,
            &codes(
                "unknown-unit",
                "đơn vị",
                "unit",
                plan.units.iter().map(|o| o.code.as_str()).collect(),
            ),
            &mut p,
        );
        let kind = lookup(
            &cells,
            C_KIND,
            &codes(
                "unknown-kind",
                "loại hoạt động",
                "kind",
                plan.kinds.iter().map(|o| o.code.as_str()).collect(),
            ),
            &mut p,
        );
        self.unit_exists(&cells, unit, date, &mut p);
        let status = status(&cells, &mut p);
        let title = required(&cells, C_TITLE, &mut p).map_or("", |(t, _)| t);
        let fields = codes(
            "unknown-field",
            "lĩnh vực",
            "field",
            plan.fields.iter().map(|o| o.code.as_str()).collect(),
        );
        let field = self.field(&cells, kind, &fields, &mut p);
        let nums = numbers(&cells, &mut p);
        resolved_within_recommendations(&cells, nums, &mut p);
        self.done_not_in_future(&cells, status, date, &mut p);
        if p.out.len() > errors_before {
            return None;
        }
        Some(Row {
            date: date?,
            org: org?,
            unit: unit?,
            kind: kind?,
            status: status?,
            field,
            nums,
            title,
            reference: cells.get(C_REF).0.trim(),
            note: cells.get(C_NOTE).0,
            file,
            line,
        })
    }

    /// The record's cells as text by canonical column; `None` (and an
    /// `encoding` problem) when one is not UTF-8.
    fn cells<'r>(
        &self,
        name: &str,
        rec: &Rec<'r>,
        map: &[Option<usize>],
        line: u64,
        out: &mut Vec<Pending>,
    ) -> Option<Cells<'r>> {
        let mut cells = Cells([("", NO_CELL); COLUMNS.len()]);
        let last = rec.len().saturating_sub(1);
        for (i, (raw, col)) in rec.iter().zip(map).enumerate() {
            let Some(col) = col else { continue };
            // The `\r` of a CRLF line ending.
            let raw = if i == last {
                raw.strip_suffix(b"\r").unwrap_or(raw)
            } else {
                raw
            };
            let Ok(text) = std::str::from_utf8(raw) else {
                out.push(Pending {
                    diag: Diagnostic::error(name, "encoding", encoding_message(self.lang)).at(to_usize(line), 0, None),
                    cell: None,
                });
                return None;
            };
            if let Some(slot) = cells.0.get_mut(*col) {
                *slot = (text, i);
            }
        }
        Some(cells)
    }

    fn date(&self, cells: &Cells<'_>, p: &mut Problems<'_>) -> Option<NaiveDate> {
        let date = required(cells, C_DATE, p).and_then(|(text, i)| {
            let parsed = parse_iso_date(text);
            if parsed.is_none() {
                // The file's date order is settled later (`dates::refine_order`).
                let (vi, en) = crate::dates::bad_date(text, crate::dates::Order::DayFirst);
                p.error("bad-date", i, vi, en, text.chars().count());
            }
            parsed
        });
        let plan = self.plan;
        if let Some(d) = date
            && !plan.term.contains(d)
        {
            let (s, e) = (plan.term.start, plan.term.end);
            p.error(
                "outside-term",
                cells.index(C_DATE),
                format!(
                    "ngày {d} nằm ngoài thời gian của kế hoạch ({s} đến {e}): sửa ngày hoặc chuyển dòng sang kế hoạch khác"
                ),
                format!("{d} is outside the plan's term ({s} to {e}): fix the date or log it under another plan"),
                10,
            );
        }
        date
    }

    fn unit_exists(&self, cells: &Cells<'_>, unit: Option<usize>, date: Option<NaiveDate>, p: &mut Problems<'_>) {
        let (Some(u), Some(d)) = (unit.and_then(|u| self.plan.units.get(u)), date) else {
            return;
        };
        if u.exists_on(d) {
            return;
        }
        let (vi, en) = match (u.from, u.until) {
            (Some(f), Some(t)) => (format!("từ {f} đến {t}"), format!("from {f} to {t}")),
            (Some(f), None) => (format!("từ {f}"), format!("from {f}")),
            (None, Some(t)) => (format!("đến {t}"), format!("until {t}")),
            (None, None) => (String::new(), String::new()),
        };
        p.error(
            "unit-inactive",
            cells.index(C_DATE),
            format!(
                "đơn vị `{}` không hoạt động vào ngày {d} (chỉ hoạt động {vi}): sửa ngày hoặc đơn vị",
                u.code
            ),
            format!(
                "unit `{}` does not exist on {d} (it exists only {en}): fix the date or the unit",
                u.code
            ),
            10,
        );
    }

    fn field(
        &self,
        cells: &Cells<'_>,
        kind: Option<usize>,
        fields: &CodeList<'_>,
        p: &mut Problems<'_>,
    ) -> Option<usize> {
        let (field_text, field_cell) = cells.get(C_FIELD);
        if !field_text.trim().is_empty() {
            return lookup(cells, C_FIELD, fields, p);
        }
        if let Some(k) = kind.and_then(|k| self.plan.kinds.get(k))
            && k.field
        {
            p.error(
                "missing-field",
                if field_cell == NO_CELL {
                    cells.index(C_KIND)
                } else {
                    field_cell
                },
                format!("hoạt động loại `{}` phải ghi lĩnh vực (cột `field`), ví dụ F1", k.code),
                format!("rows of kind `{}` must name a field (column `field`), e.g. F1", k.code),
                1,
            );
        }
        None
    }

    fn done_not_in_future(
        &self,
        cells: &Cells<'_>,
        status: Option<RowStatus>,
        date: Option<NaiveDate>,
        p: &mut Problems<'_>,
    ) {
        if let (Some(RowStatus::Done), Some(d)) = (status, date)
            && d > self.today
        {
            let today = self.today;
            p.error(
                "done-in-future",
                cells.index(C_STATUS),
                format!(
                    "hoạt động ngày {d} được ghi là `done` nhưng hôm nay mới là {today}: dùng `planned` cho đến khi nó diễn ra"
                ),
                format!(
                    "the activity on {d} is marked `done` but today is {today}: use `planned` until it has taken place"
                ),
                4,
            );
        }
    }
}

/// The trimmed text and cell index of a column that must have a value;
/// `None` when it is empty (a problem) or the file lacks the column (said
/// once, on the header).
fn required<'r>(cells: &Cells<'r>, c: usize, p: &mut Problems<'_>) -> Option<(&'r str, usize)> {
    let (text, i) = cells.get(c);
    let text = text.trim();
    let col = COLUMNS.get(c).copied().unwrap_or("");
    if i == NO_CELL {
        return None;
    }
    if text.is_empty() {
        p.error(
            "missing-value",
            i,
            format!("ô `{col}` trống: cột này bắt buộc phải có giá trị"),
            format!("the `{col}` cell is empty: this column needs a value"),
            1,
        );
        return None;
    }
    Some((text, i))
}

/// The position in `list` of the code in column `c`.
fn lookup(cells: &Cells<'_>, c: usize, list: &CodeList<'_>, p: &mut Problems<'_>) -> Option<usize> {
    let (text, i) = required(cells, c, p)?;
    if let Some(at) = list.codes.iter().position(|x| *x == text) {
        return Some(at);
    }
    let hint = match nearest(text, list.codes.iter().copied()) {
        Some(n) => (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
        None if list.codes.is_empty() => (
            "kế hoạch chưa định nghĩa mã nào: hãy thêm mã này vào kế hoạch".to_owned(),
            "the plan defines none: add it to the plan".to_owned(),
        ),
        None => (
            format!("các mã hợp lệ: {}", list.codes.join(", ")),
            format!("valid codes: {}", list.codes.join(", ")),
        ),
    };
    p.error(
        list.code,
        i,
        format!("{} `{text}` không có trong kế hoạch; {}", list.what_vi, hint.0),
        format!("unknown {} `{text}`; {}", list.what_en, hint.1),
        text.chars().count(),
    );
    None
}

fn status(cells: &Cells<'_>, p: &mut Problems<'_>) -> Option<RowStatus> {
    let (text, i) = required(cells, C_STATUS, p)?;
    RowStatus::parse(text).or_else(|| {
        let hint = nearest(text, RowStatus::ALL.iter().map(|s| s.as_str()))
            .map(|n| (format!(" (có phải `{n}`?)"), format!(" (did you mean `{n}`?)")))
            .unwrap_or_default();
        p.error(
            "bad-status",
            i,
            format!(
                "trạng thái `{text}` không hợp lệ: dùng done, planned, postponed hoặc cancelled{}",
                hint.0
            ),
            format!(
                "status `{text}` is not one of done, planned, postponed, cancelled{}",
                hint.1
            ),
            text.chars().count(),
        );
        None
    })
}

/// participants, cost, recommendations, resolved: empty, or a
/// non-negative integer.
fn numbers(cells: &Cells<'_>, p: &mut Problems<'_>) -> [Option<u64>; 4] {
    let mut nums = [None; 4];
    for (k, slot) in nums.iter_mut().enumerate() {
        let (text, i) = cells.get(C_FIRST_NUMBER + k);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let col = COLUMNS.get(C_FIRST_NUMBER + k).copied().unwrap_or("");
        match text.parse::<u64>() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => *slot = Some(n),
            _ => {
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                let hint = if !digits.is_empty() && digits.parse::<u64>().is_err() {
                    (
                        format!(" (số quá lớn: tối đa {})", u64::MAX),
                        format!(" (too large: at most {})", u64::MAX),
                    )
                } else if thousands_grouped(text) {
                    (
                        format!(" (viết {digits}, không dùng dấu phân cách)"),
                        format!(" (write {digits}, without separators)"),
                    )
                } else {
                    (String::new(), String::new())
                };
                p.error(
                    "bad-number",
                    i,
                    format!("`{col}` phải là số nguyên không âm, nhưng là `{text}`{}", hint.0),
                    format!("`{col}` must be a non-negative integer, not `{text}`{}", hint.1),
                    text.chars().count(),
                );
            }
        }
    }
    nums
}

/// `resolved` at most `recommendations`; an empty `recommendations` is none
/// made, so `resolved` must then be empty or 0.
fn resolved_within_recommendations(cells: &Cells<'_>, nums: [Option<u64>; 4], p: &mut Problems<'_>) {
    let [_, _, recs, Some(res)] = nums else {
        return;
    };
    let resolved_cell = cells.index(C_FIRST_NUMBER + 3);
    match recs {
        Some(recs) if res > recs => p.error(
            "bad-number",
            resolved_cell,
            format!(
                "`resolved` ({res}) lớn hơn `recommendations` ({recs}): số kiến nghị đã giải quyết không thể vượt số kiến nghị"
            ),
            format!(
                "`resolved` ({res}) is more than `recommendations` ({recs}): no more recommendations can be acted on than were made"
            ),
            1,
        ),
        // An invalid `recommendations` has its own error.
        None if res > 0 && cells.get(C_FIRST_NUMBER + 2).0.trim().is_empty() => p.error(
            "bad-number",
            resolved_cell,
            format!("`resolved` là {res} nhưng `recommendations` để trống: hãy ghi số kiến nghị đã đưa ra"),
            format!(
                "`resolved` is {res} but `recommendations` is empty: write how many recommendations were made"
            ),
            1,
        ),
        _ => {}
    }
}

/// Whether `text` is an integer written with a thousands separator, like
/// `1.200`, `23,500,000` or `1 200` (groups of three after the first), so
/// that dropping the separators is the fix; `1.5` is not.
fn thousands_grouped(text: &str) -> bool {
    let mut groups = text.split(['.', ',', ' ']);
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let mut rest = groups.peekable();
    first_ok && rest.peek().is_some() && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::thousands_grouped;

    #[test]
    fn thousands_separators_are_told_from_decimals() {
        for grouped in ["1.200", "23,500,000", "1 200", "30.727.000.000"] {
            assert!(thousands_grouped(grouped), "{grouped}");
        }
        for not in ["1.5", "1200", "12.34.567", "1,2000", ".200", "1.200,5", "1..200"] {
            assert!(!thousands_grouped(not), "{not}");
        }
    }
}
