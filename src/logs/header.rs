//! A log's header line: which canonical column each of its cells names,
//! and the problems that stop a file from being read as a log at all.

use crate::columns::{COLUMNS, REQUIRED};
use crate::diag::{Diagnostic, nearest};
use crate::lang::Lang;

use super::found::Pending;
use super::records::Record;
use super::titles::column_index;
use super::to_usize;

/// A log's header: which canonical column each cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LogHeader {
    /// Cell index → canonical column (`None`: unknown or repeated column).
    pub map: Vec<Option<usize>>,
    /// Canonical column → cell index.
    pub index: [Option<usize>; COLUMNS.len()],
    pub width: usize,
    /// The columns are [`COLUMNS`], all of them, in that order (as `plan
    /// fmt` writes them): cell `i` is column `i`, which the fast check
    /// reads without [`LogHeader::index`].
    pub canonical: bool,
}

impl LogHeader {
    fn new(map: Vec<Option<usize>>, width: usize) -> LogHeader {
        let mut index = [None; COLUMNS.len()];
        for (cell, col) in map.iter().enumerate() {
            if let Some(slot) = col.and_then(|c| index.get_mut(c)) {
                *slot = Some(cell);
            }
        }
        let canonical = width == COLUMNS.len() && (0..width).map(Some).eq(map.iter().copied());
        LogHeader {
            map,
            index,
            width,
            canonical,
        }
    }
}

/// Maps header positions to canonical columns; `None` when the header
/// shows the file cannot be read as a log at all (separated by
/// semicolons, old Mac line ends, not UTF-8).
pub(super) fn read_header(
    name: &str,
    rec: &Record,
    hline: u64,
    lang: Lang,
    out: &mut Vec<Pending>,
) -> Option<LogHeader> {
    let hline = to_usize(hline);
    let mut map = Vec::with_capacity(rec.len());
    let mut seen = [false; COLUMNS.len()];
    if let Some(msg) = not_comma_separated(rec, lang) {
        out.push(Pending {
            diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
            cell: None,
        });
        return None;
    }
    for (i, raw) in rec.iter().enumerate() {
        let Ok(cell) = std::str::from_utf8(raw) else {
            out.push(Pending {
                diag: Diagnostic::error(name, "encoding", encoding_message(lang)).at(hline, 0, None),
                cell: None,
            });
            return None;
        };
        let col = cell.trim();
        match column_index(col) {
            Some(c) if seen.get(c).copied().unwrap_or(false) => {
                let msg = lang
                    .pick(
                        &format!("cột `{col}` xuất hiện hai lần: xóa một cột"),
                        &format!("column `{col}` appears twice: remove one"),
                    )
                    .to_owned();
                out.push(Pending {
                    diag: Diagnostic::error(name, "csv-header", msg).at(hline, 0, None),
                    cell: Some(i),
                });
                map.push(None);
            }
            Some(c) => {
                if let Some(s) = seen.get_mut(c) {
                    *s = true;
                }
                map.push(Some(c));
            }
            None => {
                let msg = unknown_column(col, lang);
                out.push(Pending {
                    diag: Diagnostic::error(name, "csv-header", msg)
                        .at(hline, 0, None)
                        .width(col.chars().count()),
                    cell: Some(i),
                });
                map.push(None);
            }
        }
    }
    for (c, req) in REQUIRED.iter().enumerate() {
        if !seen.get(c).copied().unwrap_or(false) {
            let msg = lang
                .pick(
                    &format!("thiếu cột bắt buộc `{req}`: thêm nó vào dòng tiêu đề"),
                    &format!("the required column `{req}` is missing: add it to the header line"),
                )
                .to_owned();
            out.push(Pending {
                diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                cell: None,
            });
        }
    }
    // Rows are still read when a required column is missing (each row's
    // other cells are checked; the missing column is not reported again
    // on every row), so that one run shows every problem.
    Some(LogHeader::new(map, rec.len()))
}

/// Why a header line shows a file separated by semicolons, or with the old
/// Mac line ends, if it does.
fn not_comma_separated(rec: &Record, lang: Lang) -> Option<String> {
    let msg = if rec.len() == 1 && rec.get(0).is_some_and(|c| c.contains(&b';')) {
        lang.pick(
            "tệp dùng dấu chấm phẩy (;) làm dấu phân cách: hãy lưu lại với dấu phẩy (Excel: \"CSV UTF-8 (Comma delimited)\")",
            "the file is separated by semicolons (;): save it again with commas (Excel: \"CSV UTF-8 (Comma delimited)\")",
        )
    } else if rec.iter().any(|c| c.strip_suffix(b"\r").unwrap_or(c).contains(&b'\r')) {
        lang.pick(
            "các dòng của tệp kết thúc bằng một ký tự CR đơn lẻ (kiểu Mac cũ): hãy lưu lại thành \"CSV UTF-8 (Comma delimited)\"",
            "the file's lines end with a lone carriage return (the old Mac format): save it again as \"CSV UTF-8 (Comma delimited)\"",
        )
    } else {
        return None;
    };
    Some(msg.to_owned())
}

fn unknown_column(col: &str, lang: Lang) -> String {
    let hint = nearest(col, COLUMNS).map_or_else(
        || {
            (
                format!("các cột hợp lệ: {}", COLUMNS.join(", ")),
                format!("valid columns: {}", COLUMNS.join(", ")),
            )
        },
        |n| (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
    );
    lang.pick(
        &format!("cột `{col}` không có trong định dạng nhật ký; {}", hint.0),
        &format!("unknown column `{col}`; {}", hint.1),
    )
    .to_owned()
}

pub(super) fn encoding_message(lang: Lang) -> String {
    lang.pick(
        "tệp không phải UTF-8 (có vẻ là Windows-1258, kiểu CSV cũ của Excel): trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
        "the file is not UTF-8 (it looks like Windows-1258, Excel's legacy CSV): in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
    ).to_owned()
}
