//! Reading activity logs (CSV) against a plan: one streaming pass per file,
//! each row checked and, when valid, handed to a sink (the compliance engine,
//! the report's collector, or nothing for `plan check`).
//!
//! Rows are read into a reused `csv::ByteRecord`; codes are resolved to the
//! plan's indices once per row; nothing per row is kept except `ref`s, which
//! must be unique across all logs. Diagnostics carry the file and line; the
//! column and source line are filled in afterwards, only for files that have
//! problems, by looking at the raw line again.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use chrono::NaiveDate;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::diag::{Diagnostic, nearest};
use crate::lang::Lang;
use crate::model::{NumColumn, Plan, RowStatus};
use crate::period::{guess_dmy, parse_iso_date};

/// The log columns, in canonical order (the order `plan fmt` writes).
pub const COLUMNS: [&str; 13] = [
    "date",
    "org",
    "unit",
    "kind",
    "status",
    "title",
    "field",
    "ref",
    "participants",
    "cost",
    "recommendations",
    "resolved",
    "note",
];
/// Columns every log must have.
pub const REQUIRED: [&str; 6] = ["date", "org", "unit", "kind", "status", "title"];

const C_DATE: usize = 0;
const C_ORG: usize = 1;
const C_UNIT: usize = 2;
const C_KIND: usize = 3;
const C_STATUS: usize = 4;
const C_TITLE: usize = 5;
const C_FIELD: usize = 6;
const C_REF: usize = 7;
const C_NUM0: usize = 8;
const C_NOTE: usize = 12;

/// One valid row, borrowed from the reader's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub date: NaiveDate,
    pub org: usize,
    pub unit: usize,
    pub kind: usize,
    pub status: RowStatus,
    pub field: Option<usize>,
    /// participants, cost, recommendations, resolved (see [`NumColumn`]).
    pub nums: [Option<u64>; 4],
    pub title: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    /// Index of the file in the list passed to [`LogReader::new`].
    pub file: usize,
    pub line: u64,
}

impl Row<'_> {
    pub fn num(&self, c: NumColumn) -> Option<u64> {
        self.nums.get(c.index()).copied().flatten()
    }
}

/// Checks rows against a plan across all the plan's log files.
pub struct LogReader<'p> {
    plan: &'p Plan,
    today: NaiveDate,
    lang: Lang,
    /// `ref` → (file, line) of its first use.
    refs: HashMap<String, (usize, u64)>,
    files: Vec<String>,
}

/// Where the last record of a file starts, to look for a quote left open
/// at the end of the file (the CSV reader silently ends such a field at EOF).
struct LastRecord {
    /// Byte offset and line where the reader started on the record.
    byte: u64,
    line: u64,
    /// How many diagnostics there were before the record was checked.
    pending_before: usize,
}

/// A diagnostic whose column is the start of a cell, filled in later.
struct Pending {
    diag: Diagnostic,
    /// Cell index in the raw line (header order), if the problem is in a cell.
    cell: Option<usize>,
}

impl<'p> LogReader<'p> {
    /// `files` are workspace-relative display paths, indexed by [`Row::file`].
    pub fn new(plan: &'p Plan, files: Vec<String>, today: NaiveDate, lang: Lang) -> LogReader<'p> {
        LogReader {
            plan,
            today,
            lang,
            refs: HashMap::new(),
            files,
        }
    }

    fn t(&self, vi: &str, en: &str) -> String {
        self.lang.pick(vi, en).to_owned()
    }

    fn name(&self, file: usize) -> &str {
        self.files.get(file).map_or("", String::as_str)
    }

    /// Reads file number `file` from `path`, passing each valid row to `sink`.
    pub fn read(&mut self, file: usize, path: &Path, sink: &mut dyn FnMut(&Row<'_>)) -> Vec<Diagnostic> {
        let name = self.name(file).to_owned();
        let mut f = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                let msg = self.t(
                    &format!("không đọc được tệp: {e}"),
                    &format!("cannot read the file: {e}"),
                );
                return vec![Diagnostic::error(&name, "io", msg)];
            }
        };
        let mut head = [0u8; 4];
        let n = read_prefix(&mut f, &mut head);
        let head = head.get(..n).unwrap_or(&[]);
        // A BOM, or NUL bytes (UTF-16 without a BOM: no CSV text has NULs).
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.contains(&0) {
            let msg = self.t(
                "tệp được lưu ở mã UTF-16 (\"Unicode Text\" của Excel), không phải UTF-8: trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
                "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
            );
            return vec![Diagnostic::error(&name, "encoding", msg).at(1, 0, None)];
        }
        // A final line break is added so that every record ends with one
        // (see `read_csv` on line numbers); an extra empty line is skipped.
        let reader = BufReader::with_capacity(1 << 16, head.chain(f).chain(&b"\n"[..]));
        let (mut pending, last) = self.read_csv(file, reader, sink);
        if let Some(open) = last.and_then(|last| open_quote_at_eof(path, &last).map(|q| (last, q))) {
            // The last record swallowed the rest of the file: its other
            // diagnostics are consequences of that.
            let (last, (line, column)) = open;
            pending.truncate(last.pending_before);
            let msg = self.t(
                "dấu ngoặc kép mở ở đây không bao giờ được đóng: phần còn lại của tệp bị đọc thành một ô; hãy thêm dấu \" đóng hoặc xóa dấu \" thừa",
                "this quote is never closed, so the rest of the file was read as one cell: add the closing \" or remove the stray one",
            );
            pending.push(Pending {
                diag: Diagnostic::error(&name, "csv-row", msg).at(to_usize(line), column, None),
                cell: None,
            });
        }
        if pending.is_empty() {
            return Vec::new();
        }
        locate_cells(path, &mut pending);
        pending.into_iter().map(|p| p.diag).collect()
    }

    /// Reads the records. Lines end with `\n` only (a `\r` before it is
    /// stripped from the last cell), and every record ends with one, so a
    /// record starts `1 + (line breaks inside it)` lines before the reader's
    /// line after it; the reader's own record position would count blank
    /// lines, and the `\n` of a CRLF, against the wrong record.
    fn read_csv(
        &mut self,
        file: usize,
        reader: impl Read,
        sink: &mut dyn FnMut(&Row<'_>),
    ) -> (Vec<Pending>, Option<LastRecord>) {
        let name = self.name(file).to_owned();
        let mut out: Vec<Pending> = Vec::new();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(reader);
        let mut rec = csv::ByteRecord::new();
        let mut nfc_rec = csv::ByteRecord::new();
        let start_line = |rdr: &csv::Reader<_>, breaks: u64| rdr.position().line().saturating_sub(breaks + 1).max(1);
        let last_of = |rec: &csv::ByteRecord, pending_before: usize| {
            rec.position().map(|p| LastRecord {
                byte: p.byte(),
                line: p.line(),
                pending_before,
            })
        };
        // Header.
        let header_ok = match rdr.read_byte_record(&mut rec) {
            Ok(true) => true,
            Ok(false) => {
                let msg = self.t(
                    &format!("tệp rỗng: dòng đầu phải là tiêu đề cột, ví dụ {}", REQUIRED.join(",")),
                    &format!(
                        "the file is empty: its first line must be the header, e.g. {}",
                        REQUIRED.join(",")
                    ),
                );
                out.push(Pending {
                    diag: Diagnostic::error(&name, "csv-header", msg).at(1, 0, None),
                    cell: None,
                });
                return (out, None);
            }
            Err(e) => {
                out.push(self.csv_error(&name, &e));
                return (out, None);
            }
        };
        let _ = header_ok;
        let mut last = last_of(&rec, 0);
        let header_line = start_line(&rdr, scan_bytes(&rec).0);
        let Some(map) = self.header(&name, &rec, header_line, &mut out) else {
            return (out, last);
        };
        let width = rec.len();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let encoding = matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    out.push(self.csv_error(&name, &e));
                    if encoding {
                        return (out, None);
                    }
                    continue;
                }
            }
            last = last_of(&rec, out.len());
            let (breaks, combining) = scan_bytes(&rec);
            let line = start_line(&rdr, breaks);
            if rec.len() == 1 && rec.get(0).is_some_and(|c| c.iter().all(u8::is_ascii_whitespace)) {
                continue; // a blank line
            }
            if rec.len() != width {
                let msg = self.t(
                    &format!("dòng có {} ô nhưng tiêu đề có {width} cột: kiểm tra dấu phẩy thừa/thiếu hoặc đặt ô có dấu phẩy trong ngoặc kép", rec.len()),
                    &format!("the row has {} cells but the header has {width} columns: look for a missing or extra comma, or quote cells that contain commas", rec.len()),
                );
                out.push(Pending {
                    diag: Diagnostic::error(&name, "csv-row", msg).at(to_usize(line), 1, None),
                    cell: None,
                });
                continue;
            }
            // Text in NFD (base letter + combining tone mark, as macOS and
            // some converters write it) is read as NFC.
            let rec = if combining && to_nfc(&rec, &mut nfc_rec) {
                &nfc_rec
            } else {
                &rec
            };
            match self.row(file, &name, rec, &map, line, &mut out) {
                Some(row) => sink(&row),
                None => {
                    if out.last().is_some_and(|p| p.diag.code == "encoding") {
                        return (out, None);
                    }
                }
            }
        }
        (out, last)
    }

    fn csv_error(&self, name: &str, e: &csv::Error) -> Pending {
        let line = e.position().map_or(0, |p| to_usize(p.line()));
        let diag = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => {
                Diagnostic::error(name, "encoding", self.encoding_message()).at(line, 0, None)
            }
            _ => {
                let msg = self.t(
                    &format!("lỗi định dạng CSV: {e}; kiểm tra dấu ngoặc kép chưa đóng"),
                    &format!("broken CSV: {e}; look for a quote that is never closed"),
                );
                Diagnostic::error(name, "csv-row", msg).at(line.max(1), 0, None)
            }
        };
        Pending { diag, cell: None }
    }

    fn encoding_message(&self) -> String {
        self.t(
            "tệp không phải UTF-8 (có vẻ là Windows-1258, kiểu CSV cũ của Excel): trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (Comma delimited)\"",
            "the file is not UTF-8 (it looks like Windows-1258, Excel's legacy CSV): in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"",
        )
    }

    /// Maps header positions to canonical columns; `None` when a required
    /// column is missing (the rows cannot be read).
    fn header(
        &self,
        name: &str,
        rec: &csv::ByteRecord,
        hline: u64,
        out: &mut Vec<Pending>,
    ) -> Option<Vec<Option<usize>>> {
        let hline = to_usize(hline);
        let mut map = Vec::with_capacity(rec.len());
        let mut seen = [false; COLUMNS.len()];
        let mut ok = true;
        if rec.len() == 1 && rec.get(0).is_some_and(|c| c.contains(&b';')) {
            let msg = self.t(
                "tệp dùng dấu chấm phẩy (;) làm dấu phân cách: hãy lưu lại với dấu phẩy (Excel: \"CSV UTF-8 (Comma delimited)\")",
                "the file is separated by semicolons (;): save it again with commas (Excel: \"CSV UTF-8 (Comma delimited)\")",
            );
            out.push(Pending {
                diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                cell: None,
            });
            return None;
        }
        if rec.iter().any(|c| c.strip_suffix(b"\r").unwrap_or(c).contains(&b'\r')) {
            let msg = self.t(
                "các dòng của tệp kết thúc bằng một ký tự CR đơn lẻ (kiểu Mac cũ): hãy lưu lại thành \"CSV UTF-8 (Comma delimited)\"",
                "the file's lines end with a lone carriage return (the old Mac format): save it again as \"CSV UTF-8 (Comma delimited)\"",
            );
            out.push(Pending {
                diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                cell: None,
            });
            return None;
        }
        for (i, raw) in rec.iter().enumerate() {
            let Ok(cell) = std::str::from_utf8(raw) else {
                out.push(Pending {
                    diag: Diagnostic::error(name, "encoding", self.encoding_message()).at(hline, 0, None),
                    cell: None,
                });
                return None;
            };
            let col = cell.trim();
            match COLUMNS.iter().position(|c| *c == col) {
                Some(c) if seen.get(c).copied().unwrap_or(false) => {
                    let msg = self.t(
                        &format!("cột `{col}` xuất hiện hai lần: xóa một cột"),
                        &format!("column `{col}` appears twice: remove one"),
                    );
                    out.push(Pending {
                        diag: Diagnostic::error(name, "csv-header", msg).at(hline, 0, None),
                        cell: Some(i),
                    });
                    ok = false;
                    map.push(None);
                }
                Some(c) => {
                    if let Some(s) = seen.get_mut(c) {
                        *s = true;
                    }
                    map.push(Some(c));
                }
                None => {
                    let hint = nearest(col, COLUMNS).map_or_else(
                        || {
                            (
                                format!("các cột hợp lệ: {}", COLUMNS.join(", ")),
                                format!("valid columns: {}", COLUMNS.join(", ")),
                            )
                        },
                        |n| (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
                    );
                    let msg = self.t(
                        &format!("cột `{col}` không có trong định dạng nhật ký; {}", hint.0),
                        &format!("unknown column `{col}`; {}", hint.1),
                    );
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
                let msg = self.t(
                    &format!("thiếu cột bắt buộc `{req}`: thêm nó vào dòng tiêu đề"),
                    &format!("the required column `{req}` is missing: add it to the header line"),
                );
                out.push(Pending {
                    diag: Diagnostic::error(name, "csv-header", msg).at(hline, 1, None),
                    cell: None,
                });
                ok = false;
            }
        }
        let _ = ok;
        if REQUIRED
            .iter()
            .enumerate()
            .any(|(c, _)| !seen.get(c).copied().unwrap_or(false))
        {
            return None;
        }
        Some(map)
    }

    #[allow(clippy::too_many_lines)]
    fn row<'r>(
        &mut self,
        file: usize,
        name: &str,
        rec: &'r csv::ByteRecord,
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
                    let (vi, en) = match guess_dmy(text) {
                        Some(g) => (
                            format!(
                                "`{text}` không phải ngày ISO: có lẽ ý bạn là {}; hãy viết YYYY-MM-DD",
                                g.format("%Y-%m-%d")
                            ),
                            format!(
                                "`{text}` is not an ISO date: it probably means {}; write dates as YYYY-MM-DD",
                                g.format("%Y-%m-%d")
                            ),
                        ),
                        None => (
                            format!("`{text}` không phải ngày ISO: hãy viết YYYY-MM-DD, ví dụ 2023-03-15"),
                            format!("`{text}` is not an ISO date: write YYYY-MM-DD, e.g. 2023-03-15"),
                        ),
                    };
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
                    let hint = if !digits.is_empty()
                        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
                    {
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
        if let [_, _, Some(recs), Some(res)] = nums {
            if res > recs {
                err(
                    "bad-number",
                    cell(C_NUM0 + 3).1,
                    format!(
                        "`resolved` ({res}) lớn hơn `recommendations` ({recs}): số kiến nghị đã giải quyết không thể vượt số kiến nghị"
                    ),
                    format!(
                        "`resolved` ({res}) is more than `recommendations` ({recs}): no more recommendations can be acted on than were made"
                    ),
                    1,
                );
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
        let (reference, ref_cell) = cell(C_REF);
        let reference = reference.trim();
        if !reference.is_empty() {
            if let Some(&(f, l)) = self.refs.get(reference) {
                let other = self.files.get(f).map_or("", String::as_str);
                err(
                    "duplicate-ref",
                    ref_cell,
                    format!("số văn bản `{reference}` đã dùng ở {other}:{l}: mỗi `ref` chỉ dùng một lần"),
                    format!("ref `{reference}` is already used at {other}:{l}: each `ref` may be used once"),
                    reference.chars().count(),
                );
            } else {
                self.refs.insert(reference.to_owned(), (file, line));
            }
        }
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

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// One pass over a record's bytes: the line breaks inside its cells, and
/// whether it may hold combining marks (U+0300–U+036F, lead bytes 0xCC and
/// 0xCD: the Vietnamese tone marks of NFD text).
fn scan_bytes(rec: &csv::ByteRecord) -> (u64, bool) {
    let s = rec.as_slice();
    // `contains` is memchr: most records have no line break.
    let breaks = if s.contains(&b'\n') {
        s.iter().filter(|&&b| b == b'\n').count() as u64
    } else {
        0
    };
    let combining = !s.is_ascii() && s.iter().fold(false, |acc, &b| acc | (b & 0xFE == 0xCC));
    (breaks, combining)
}

/// Writes `rec` in NFC into `out`; false when `rec` is NFC already (or not
/// UTF-8, which the row check reports).
fn to_nfc(rec: &csv::ByteRecord, out: &mut csv::ByteRecord) -> bool {
    let nfc = |f: &[u8]| std::str::from_utf8(f).is_ok_and(|t| is_nfc_quick(t.chars()) == IsNormalized::Yes);
    if rec.iter().all(nfc) {
        return false;
    }
    out.clear();
    for f in rec {
        match std::str::from_utf8(f) {
            Ok(t) => out.push_field(t.nfc().collect::<String>().as_bytes()),
            Err(_) => out.push_field(f),
        }
    }
    true
}

/// Whether the last record of the file at `path` (starting at `last`) ends
/// inside a quoted cell; if so, the line and column of the opening quote.
fn open_quote_at_eof(path: &Path, last: &LastRecord) -> Option<(u64, usize)> {
    let mut f = File::open(path).ok()?;
    f.seek(SeekFrom::Start(last.byte)).ok()?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail).ok()?;
    let mut open: Option<usize> = None;
    let mut at_start = true;
    let mut bytes = tail.iter().enumerate().peekable();
    while let Some((i, &b)) = bytes.next() {
        if open.is_some() {
            if b == b'"' {
                if bytes.peek().is_some_and(|(_, n)| **n == b'"') {
                    bytes.next();
                } else {
                    open = None;
                }
            }
            continue;
        }
        match b {
            b'"' if at_start => open = Some(i),
            b',' | b'\n' | b'\r' => {
                at_start = true;
                continue;
            }
            _ => {}
        }
        at_start = false;
    }
    let q = open?;
    let before = tail.get(..q)?;
    let breaks = before.iter().filter(|&&b| b == b'\n').count() as u64;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(before.get(line_start..)?).chars().count() + 1;
    Some((last.line + breaks, column))
}

fn read_prefix(f: &mut File, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match buf.get_mut(n..).map(|b| f.read(b)) {
            Some(Ok(0)) | Some(Err(_)) | None => break,
            Some(Ok(k)) => n += k,
        }
    }
    n
}

/// Fills in the source line and the column of the offending cell for each
/// pending diagnostic, from the raw file (read again: this runs only for
/// files with problems).
fn locate_cells(path: &Path, pending: &mut [Pending]) {
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.split('\n').collect();
    for p in pending.iter_mut() {
        let Some(raw) = p.diag.line.checked_sub(1).and_then(|i| lines.get(i)) else {
            continue;
        };
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cell) = p.cell {
            if let Some(col) = cell_columns(raw).get(cell) {
                p.diag.column = *col;
            }
        }
        if p.diag.code == "encoding" && p.diag.column == 0 {
            // Point at the first byte that is not UTF-8.
            if let Some(i) = raw.chars().position(|c| c == '\u{fffd}') {
                p.diag.column = i + 1;
            }
        }
        // Very long lines (a 10 MB cell) are not worth echoing.
        if raw.len() <= 2000 {
            p.diag.source_line = Some(raw.to_owned());
        }
    }
}

/// The 1-based character column where each cell of a CSV line starts
/// (quote-aware). Used only to point at cells in diagnostics.
pub fn cell_columns(line: &str) -> Vec<usize> {
    let mut cols = vec![1];
    let mut in_quotes = false;
    for (i, c) in line.chars().enumerate() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => cols.push(i + 2),
            _ => {}
        }
    }
    cols
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_cells() {
        assert_eq!(cell_columns("a,\"b,c\",d"), vec![1, 3, 9]);
        assert_eq!(cell_columns("Hội,x"), vec![1, 5]);
    }
}
