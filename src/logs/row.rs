//! The detailed check of one log row: every problem of the row as a
//! diagnostic with a plain-words fix. Rows that pass the fast check in
//! [`super::fast`] never come here; this is the path that explains.

use crate::diag::{Diagnostic, nearest};
use crate::model::RowStatus;
use crate::period::parse_iso_date;

use super::{
    C_DATE, C_FIELD, C_KIND, C_NOTE, C_NUM0, C_ORG, C_REF, C_STATUS, C_TITLE, C_UNIT, COLUMNS, Checker, Pending, Row,
    to_usize,
};

impl Checker<'_> {
    #[allow(clippy::too_many_lines)]
    pub(super) fn checked_row<'r>(
        &self,
        file: usize,
        name: &str,
        rec: &'r super::records::Record,
        map: &[Option<usize>],
        line: u64,
        out: &mut Vec<Pending>,
    ) -> Option<Row<'r>> {
        let mut cells: [(&str, usize); COLUMNS.len()] = [("", usize::MAX); COLUMNS.len()];
        let last = rec.len().saturating_sub(1);
        for (i, (raw, col)) in rec.iter().zip(map).enumerate() {
            let Some(col) = col else { continue };
            // The `\r` of a CRLF line ending (see `read_csv`).
            let raw = if i == last {
                raw.strip_suffix(b"\r").unwrap_or(raw)
            } else {
                raw
            };
            let Ok(text) = std::str::from_utf8(raw) else {
                out.push(Pending {
                    diag: Diagnostic::error(name, "encoding", self.encoding_message()).at(to_usize(line), 0, None),
                    cell: None,
                });
                return None;
            };
            if let Some(slot) = cells.get_mut(*col) {
                *slot = (text, i);
            }
        }
        let errors_before = out.len();
        let lang = self.lang;
        let plan = self.plan;
        let ln = to_usize(line);
        let mut err = |code: &'static str, cell: usize, vi: String, en: String, width: usize| {
            out.push(Pending {
                diag: Diagnostic::error(name, code, lang.pick(&vi, &en).to_owned())
                    .at(ln, 0, None)
                    .width(width),
                cell: (cell != usize::MAX).then_some(cell),
            });
        };
        let cell = |c: usize| cells.get(c).copied().unwrap_or(("", usize::MAX));
        let required =
            |c: usize, err: &mut dyn FnMut(&'static str, usize, String, String, usize)| -> Option<(&str, usize)> {
                let (text, i) = cell(c);
                let text = text.trim();
                let col = COLUMNS.get(c).copied().unwrap_or("");
                if i == usize::MAX {
                    // The whole column is missing: said once, on the header.
                    return None;
                }
                if text.is_empty() {
                    err(
                        "missing-value",
                        i,
                        format!("ô `{col}` trống: cột này bắt buộc phải có giá trị"),
                        format!("the `{col}` cell is empty: this column needs a value"),
                        1,
                    );
                    return None;
                }
                Some((text, i))
            };

        // date
        let date = required(C_DATE, &mut err).and_then(|(text, i)| {
            let w = text.chars().count();
            match parse_iso_date(text) {
                Some(d) => Some(d),
                None => {
                    // The file's date order is settled later (`dates::refine_order`).
                    let (vi, en) = crate::dates::bad_date(text, crate::dates::Order::DayFirst);
                    err("bad-date", i, vi, en, w);
                    None
                }
            }
        });
        if let Some(d) = date {
            if !plan.term.contains(d) {
                let (s, e) = (plan.term.start, plan.term.end);
                err(
                    "outside-term",
                    cell(C_DATE).1,
                    format!(
                        "ngày {d} nằm ngoài thời gian của kế hoạch ({s} đến {e}): sửa ngày hoặc chuyển dòng sang kế hoạch khác"
                    ),
                    format!("{d} is outside the plan's term ({s} to {e}): fix the date or log it under another plan"),
                    10,
                );
            }
        }
        let lookup = |c: usize,
                      code: &'static str,
                      what: (&str, &str),
                      list: Vec<&str>,
                      err: &mut dyn FnMut(&'static str, usize, String, String, usize)|
         -> Option<usize> {
            let (text, i) = required(c, err)?;
            if let Some(p) = list.iter().position(|x| *x == text) {
                return Some(p);
            }
            let hint = match nearest(text, list.iter().copied()) {
                Some(n) => (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
                None if list.is_empty() => (
                    "kế hoạch chưa định nghĩa mã nào: hãy thêm mã này vào kế hoạch".to_owned(),
                    "the plan defines none: add it to the plan".to_owned(),
                ),
                None => (
                    format!("các mã hợp lệ: {}", list.join(", ")),
                    format!("valid codes: {}", list.join(", ")),
                ),
            };
            err(
                code,
                i,
                format!("{} `{text}` không có trong kế hoạch; {}", what.0, hint.0),
                format!("unknown {} `{text}`; {}", what.1, hint.1),
                text.chars().count(),
            );
            None
        };
        let org = lookup(
            C_ORG,
            "unknown-org",
            ("tổ chức", "organisation"),
            plan.orgs.iter().map(|o| o.code.as_str()).collect(),
            &mut err,
        );
        let unit = lookup(
            C_UNIT,
            "unknown-unit",
            ("đơn vị", "unit"),
            plan.units.iter().map(|o| o.code.as_str()).collect(),
            &mut err,
        );
        let kind = lookup(
            C_KIND,
            "unknown-kind",
            ("loại hoạt động", "kind"),
            plan.kinds.iter().map(|o| o.code.as_str()).collect(),
            &mut err,
        );
        if let (Some(u), Some(d)) = (unit.and_then(|u| plan.units.get(u)), date) {
            if !u.exists_on(d) {
                let (vi, en) = match (u.from, u.until) {
                    (Some(f), Some(t)) => (format!("từ {f} đến {t}"), format!("from {f} to {t}")),
                    (Some(f), None) => (format!("từ {f}"), format!("from {f}")),
                    (None, Some(t)) => (format!("đến {t}"), format!("until {t}")),
                    (None, None) => (String::new(), String::new()),
                };
                err(
                    "unit-inactive",
                    cell(C_DATE).1,
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
        }
        let status = required(C_STATUS, &mut err).and_then(|(text, i)| {
            RowStatus::parse(text).or_else(|| {
                let hint = nearest(text, RowStatus::ALL.iter().map(|s| s.as_str()))
                    .map(|n| (format!(" (có phải `{n}`?)"), format!(" (did you mean `{n}`?)")))
                    .unwrap_or_default();
                err(
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
        });
        let title = required(C_TITLE, &mut err).map_or("", |(t, _)| t);
        let (field_text, field_cell) = cell(C_FIELD);
        let field_text = field_text.trim();
        let field = if field_text.is_empty() {
            if let Some(k) = kind.and_then(|k| plan.kinds.get(k)) {
                if k.field {
                    err(
                        "missing-field",
                        if field_cell == usize::MAX {
                            cell(C_KIND).1
                        } else {
                            field_cell
                        },
                        format!("hoạt động loại `{}` phải ghi lĩnh vực (cột `field`), ví dụ F1", k.code),
                        format!("rows of kind `{}` must name a field (column `field`), e.g. F1", k.code),
                        1,
                    );
                }
            }
            None
        } else {
            lookup(
                C_FIELD,
                "unknown-field",
                ("lĩnh vực", "field"),
                plan.fields.iter().map(|o| o.code.as_str()).collect(),
                &mut err,
            )
        };
        let mut nums = [None; 4];
        for (k, slot) in nums.iter_mut().enumerate() {
            let (text, i) = cell(C_NUM0 + k);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let col = COLUMNS.get(C_NUM0 + k).copied().unwrap_or("");
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
                    err(
                        "bad-number",
                        i,
                        format!("`{col}` phải là số nguyên không âm, nhưng là `{text}`{}", hint.0),
                        format!("`{col}` must be a non-negative integer, not `{text}`{}", hint.1),
                        text.chars().count(),
                    );
                }
            }
        }
        // An empty `recommendations` is none made: `resolved` must be empty or 0.
        if let [_, _, recs, Some(res)] = nums {
            match recs {
                Some(recs) if res > recs => err(
                    "bad-number",
                    cell(C_NUM0 + 3).1,
                    format!(
                        "`resolved` ({res}) lớn hơn `recommendations` ({recs}): số kiến nghị đã giải quyết không thể vượt số kiến nghị"
                    ),
                    format!(
                        "`resolved` ({res}) is more than `recommendations` ({recs}): no more recommendations can be acted on than were made"
                    ),
                    1,
                ),
                // An invalid `recommendations` has its own error.
                None if res > 0 && cell(C_NUM0 + 2).0.trim().is_empty() => err(
                    "bad-number",
                    cell(C_NUM0 + 3).1,
                    format!("`resolved` là {res} nhưng `recommendations` để trống: hãy ghi số kiến nghị đã đưa ra"),
                    format!(
                        "`resolved` is {res} but `recommendations` is empty: write how many recommendations were made"
                    ),
                    1,
                ),
                _ => {}
            }
        }
        if let (Some(RowStatus::Done), Some(d)) = (status, date) {
            if d > self.today {
                let today = self.today;
                err(
                    "done-in-future",
                    cell(C_STATUS).1,
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
        let reference = cell(C_REF).0.trim();
        if out.len() > errors_before {
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
            reference,
            note: cell(C_NOTE).0,
            file,
            line,
        })
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
