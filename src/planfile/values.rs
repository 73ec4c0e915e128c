//! Readers of single values of a plan file (strings, dates, integers,
//! lists of strings or codes, tables), each reporting a value of the wrong
//! type or out of range at its place and giving `None` for it.

use std::ops::Range;

use chrono::NaiveDate;
use toml_edit::{Item, TableLike, Value};

use crate::text;

use super::reader::PlanReader;

/// Strings of a list with the place of each.
pub(super) type Spanned = Vec<(String, Option<Range<usize>>)>;

impl PlanReader<'_> {
    /// String `key` of `t` as the model keeps it ([`text::nfc_lf`]), if present.
    pub(super) fn string(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<String> {
        let item = t.get(key)?;
        if let Some(s) = item.as_str() {
            Some(text::nfc_lf(s))
        } else {
            self.bad(
                item.span(),
                &format!("`{key}` trong {section} phải là một chuỗi trong dấu ngoặc kép"),
                &format!("`{key}` in {section} must be a string in double quotes"),
            );
            None
        }
    }

    /// String `key` of `t`, reported missing (at `at`) when absent.
    pub(super) fn required_string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        section: &str,
        at: Option<Range<usize>>,
    ) -> Option<String> {
        if t.get(key).is_none() {
            self.missing(key, section, at);
            return None;
        }
        self.string(t, key, section)
    }

    /// Date `key` of `t`: a bare TOML date; a date in quotes is refused
    /// with the fix named.
    pub(super) fn date(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<NaiveDate> {
        let item = t.get(key)?;
        let parsed = match item.as_value() {
            Some(Value::Datetime(dt)) => {
                let dt = dt.value();
                match (dt.date, dt.time) {
                    (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
                    _ => None,
                }
            }
            Some(Value::String(s)) => {
                // A date in quotes is text to TOML; say how to write it.
                let text = s.value().trim();
                if let Some(d) = crate::period::parse_iso_date(text).or_else(|| crate::period::guess_dmy(text)) {
                    let bare = d.format("%Y-%m-%d");
                    self.bad(
                        item.span(),
                        &format!(
                            "`{key}` trong {section} là chuỗi, không phải ngày TOML: bỏ dấu ngoặc kép, viết {key} = {bare}"
                        ),
                        &format!(
                            "`{key}` in {section} is a string, not a TOML date: drop the quotes, write {key} = {bare}"
                        ),
                    );
                } else {
                    // Why the text is no date (a day that does not
                    // exist, missing zeros, ...), as for a log cell.
                    let (vi, en) = crate::dates::bad_date(text, crate::dates::Order::DayFirst);
                    self.bad(
                        item.span(),
                        &format!(
                            "`{key}` trong {section}: {vi}; viết ngày TOML không có ngoặc kép, ví dụ {key} = 2021-01-01"
                        ),
                        &format!(
                            "`{key}` in {section}: {en}; write a TOML date without quotes, e.g. {key} = 2021-01-01"
                        ),
                    );
                }
                return None;
            }
            _ => None,
        };
        if parsed.is_none() {
            self.bad(
                item.span(),
                &format!("`{key}` trong {section} phải là một ngày TOML như 2021-01-01 (không có giờ)"),
                &format!("`{key}` in {section} must be a TOML date like 2021-01-01 (no time)"),
            );
        }
        parsed
    }

    /// A non-negative integer; `what` names it in the message.
    pub(super) fn int(&mut self, item: &Item, what: &str) -> Option<u64> {
        match item.as_integer() {
            Some(n) if n >= 0 => u64::try_from(n).ok(),
            _ => {
                self.bad(
                    item.span(),
                    &format!("{what} phải là một số nguyên không âm, ví dụ 234"),
                    &format!("{what} must be a non-negative integer such as 234"),
                );
                None
            }
        }
    }

    /// Array of strings `key` of `t`, if present.
    pub(super) fn str_list(&mut self, t: &dyn TableLike, key: &str, section: &str) -> Option<Spanned> {
        let item = t.get(key)?;
        let Some(arr) = item.as_array() else {
            self.bad(
                item.span(),
                &format!("`{key}` trong {section} phải là một mảng chuỗi, ví dụ [\"a\", \"b\"]"),
                &format!("`{key}` in {section} must be an array of strings, e.g. [\"a\", \"b\"]"),
            );
            return None;
        };
        let mut out = Vec::new();
        for v in arr {
            match v.as_str() {
                Some(s) => out.push((text::nfc_lf(s), v.span())),
                None => self.bad(
                    v.span(),
                    &format!("mọi phần tử của `{key}` phải là chuỗi"),
                    &format!("every entry of `{key}` must be a string"),
                ),
            }
        }
        Some(out)
    }

    /// Table `key` of `root`, reported missing when `required`.
    pub(super) fn section<'t>(
        &mut self,
        root: &'t dyn TableLike,
        key: &str,
        required: bool,
    ) -> Option<&'t dyn TableLike> {
        if let Some(item) = root.get(key) {
            if let Some(t) = item.as_table_like() {
                Some(t)
            } else {
                self.bad(
                    item.span(),
                    &format!("`{key}` phải là một bảng: [{key}]"),
                    &format!("`{key}` must be a table: [{key}]"),
                );
                None
            }
        } else {
            if required {
                let whole = self.whole();
                self.missing(&format!("[{key}]"), &whole, None);
            }
            None
        }
    }

    /// The codes of list `key` of `t` (a target's filter), as indices into
    /// `list`: each unknown code reported, repeats dropped, an empty list
    /// refused.
    pub(super) fn codes(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        what: (&str, &str),
        list: &[&str],
    ) -> Option<Vec<usize>> {
        let entries = self.str_list(t, key, "[[target]]")?;
        if entries.is_empty() {
            // An empty filter would match nothing (or, read the other way,
            // everything): either way a silent surprise.
            self.bad(
                t.get(key).and_then(Item::span),
                &format!("`{key}` không được rỗng: bỏ khoá này đi nếu muốn tính tất cả"),
                &format!("`{key}` must not be empty: leave the key out to count them all"),
            );
            return None;
        }
        let mut out = Vec::new();
        for (code, span) in entries {
            if let Some(i) = self.resolve(&code, span, what, list) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        Some(out)
    }
}
