//! Where the comments of a plan file are: the `#` lines and line ends that
//! `toml_edit` keeps in the decor around keys, values and tables. The
//! emitter asks here which comments go above an item and which after it;
//! [`toml_comments`] finds every comment of a text on its own, to check the
//! emitter.

use toml_edit::{Item, Key, TableLike, Value};

use crate::text::trimmed;

/// Every comment of a TOML text (from `#` to the end of its line, trimmed,
/// NFC), found by a scanner that knows only strings: independent of the
/// emitter, so it can check it.
pub fn toml_comments(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let starts = |i: usize, pat: &[u8]| b.get(i..).is_some_and(|s| s.starts_with(pat));
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match at(i) {
            Some(b'#') => {
                let end = b
                    .get(i..)
                    .and_then(|s| s.iter().position(|&c| c == b'\n'))
                    .map_or(b.len(), |p| i + p);
                out.push(trimmed(text.get(i..end).unwrap_or("")));
                i = end;
            }
            Some(q @ (b'"' | b'\'')) => {
                let triple = [q, q, q];
                if starts(i, &triple) {
                    i += 3;
                    while i < b.len() {
                        if q == b'"' && at(i) == Some(b'\\') {
                            i += 2;
                        } else if starts(i, &triple) {
                            i += 3;
                            // Up to two more quotes may end the content.
                            let mut extra = 0;
                            while extra < 2 && at(i) == Some(q) {
                                i += 1;
                                extra += 1;
                            }
                            break;
                        } else {
                            i += 1;
                        }
                    }
                } else {
                    i += 1;
                    while let Some(c) = at(i) {
                        if q == b'"' && c == b'\\' {
                            i += 2;
                        } else if c == q {
                            i += 1;
                            break;
                        } else if c == b'\n' {
                            break;
                        } else {
                            i += 1;
                        }
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Comment lines (`Some`) and blank lines (`None`) of a decor string that
/// starts at the beginning of a line. Leading blanks are dropped, runs of
/// blanks collapsed; `keep_lead` keeps one leading blank when there are
/// comments.
pub(super) fn block_lines(raw: &str, keep_lead: bool) -> Vec<Option<String>> {
    let mut lines: Vec<Option<String>> = Vec::new();
    let mut lead = false;
    for seg in raw.split_inclusive('\n') {
        let terminated = seg.ends_with('\n');
        let t = seg.trim();
        if let Some(pos) = t.find('#') {
            let c = t.get(pos..).unwrap_or(t);
            lines.push(Some(trimmed(c)));
        } else if terminated {
            if lines.is_empty() {
                lead = true;
            } else if lines.last().is_some_and(Option::is_some) {
                lines.push(None);
            }
        }
    }
    if !lines.iter().any(Option::is_some) {
        return Vec::new();
    }
    if keep_lead && lead {
        lines.insert(0, None);
    }
    lines
}

pub(super) fn trim_trailing_blank(mut lines: Vec<Option<String>>) -> Vec<Option<String>> {
    while lines.last().is_some_and(Option::is_none) {
        lines.pop();
    }
    lines
}

/// Every comment of a raw decor string, in order.
pub(super) fn comments_in(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .lines()
        .filter_map(|l| l.find('#').and_then(|p| l.get(p..)))
        .map(trimmed)
        .collect()
}

pub(super) fn prefix(d: &toml_edit::Decor) -> Option<&str> {
    d.prefix().and_then(toml_edit::RawString::as_str)
}

pub(super) fn suffix(d: &toml_edit::Decor) -> Option<&str> {
    d.suffix().and_then(toml_edit::RawString::as_str)
}

pub(super) fn key_comments(k: &Key, out: &mut Vec<String>) {
    out.extend(comments_in(prefix(k.leaf_decor())));
    out.extend(comments_in(suffix(k.leaf_decor())));
    out.extend(comments_in(prefix(k.dotted_decor())));
    out.extend(comments_in(suffix(k.dotted_decor())));
}

/// Every comment anywhere inside a value (its own decor included).
pub(super) fn value_comments(v: &Value, out: &mut Vec<String>) {
    out.extend(comments_in(prefix(v.decor())));
    inner_value_comments(v, out);
    out.extend(comments_in(suffix(v.decor())));
}

/// Every comment inside a value, not its own decor.
pub(super) fn inner_value_comments(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => {
            for x in a {
                value_comments(x, out);
            }
            out.extend(comments_in(a.trailing().as_str()));
        }
        Value::InlineTable(t) => {
            for (k, _) in t {
                if let Some((key, item)) = t.get_key_value(k) {
                    key_comments(key, out);
                    item_comments(item, out);
                }
            }
            out.extend(comments_in(t.trailing().as_str()));
        }
        _ => {}
    }
}

/// Every comment anywhere inside an item.
pub(super) fn item_comments(item: &Item, out: &mut Vec<String>) {
    match item {
        Item::Value(v) => value_comments(v, out),
        Item::Table(t) => {
            out.extend(comments_in(prefix(t.decor())));
            out.extend(comments_in(suffix(t.decor())));
            table_entry_comments(t, out);
        }
        Item::ArrayOfTables(a) => {
            for t in a {
                out.extend(comments_in(prefix(t.decor())));
                out.extend(comments_in(suffix(t.decor())));
                table_entry_comments(t, out);
            }
        }
        Item::None => {}
    }
}

pub(super) fn table_entry_comments(t: &dyn TableLike, out: &mut Vec<String>) {
    for (k, _) in t.iter() {
        if let Some((key, item)) = t.get_key_value(k) {
            key_comments(key, out);
            item_comments(item, out);
        }
    }
}

/// The part of a decor string before its first line break, and the rest.
pub(super) fn split_first_line(raw: Option<&str>) -> (Option<String>, Vec<String>) {
    let raw = raw.unwrap_or("");
    let (first, rest) = match raw.split_once('\n') {
        Some((f, r)) => (f, r),
        None => (raw, ""),
    };
    let first = comments_in(Some(first)).into_iter().next();
    (first, comments_in(Some(rest)))
}

/// The comments after the last entry of a section written as an inline
/// table.
pub(super) fn inline_trailing(item: &Item) -> Vec<String> {
    match item {
        Item::Value(Value::InlineTable(t)) => comments_in(t.trailing().as_str()),
        _ => Vec::new(),
    }
}
