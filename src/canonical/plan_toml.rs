//! The canonical form of a plan file (TOML), for `plan fmt`.
//!
//! A plan is rewritten from its `toml_edit` tree: sections in the order of
//! the plan file's layout (plans/README.md), keys in their canonical order, basic double-quoted strings,
//! `key = value` spacing, arrays on one line (one item per line when they are
//! long or carry comments), one blank line before every table, and every
//! comment kept next to the item it belongs to. Two safety nets guard the
//! result: the comments of the output must be exactly those of the input, and
//! the plan read from the output must equal the plan read from the input.

mod comments;

use std::cmp::Ordering;

use toml_edit::{Array, DocumentMut, Item, Key, Table, TableLike, Value};

use crate::lang::Lang;
use crate::planfile::{
    self, BASELINE_ENTRY_KEYS, BASELINE_KEYS, FIELD_KEYS, KIND_KEYS, PLAN_KEYS, PROFILE_KEYS, REPORTING_KEYS,
    ROOT_KEYS, TARGET_KEYS, UNIT_KEYS,
};

/// Lines longer than this put an array one item per line (the width of the
/// project's `rustfmt.toml`).
pub const WIDTH: usize = 120;

// Keys are written in the order the reader lists them (planfile's lists; an
// organisation or level table holds a subset of a field's keys).

/// Why a file could not be put in canonical form.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CanonError {
    /// The text does not parse (callers check files first, so this is rare).
    #[error("{0}")]
    Syntax(String),
    /// A safety net caught a formatting that would lose or change something:
    /// a bug in `plan fmt`, reported instead of writing the file.
    #[error("{0}")]
    Internal(String),
}

pub use self::comments::toml_comments;
use self::comments::{
    block_lines, comments_in, inline_trailing, inner_value_comments, key_comments, prefix, split_first_line, suffix,
    trim_trailing_blank,
};

/// The canonical text of a plan, checked: same comments, same meaning.
/// `file` names the plan in messages.
pub fn plan_toml(file: &str, text: &str, lang: Lang) -> Result<String, CanonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let out = render_plan(text)?;
    if out == text {
        // Already canonical: the same text has the same comments and means
        // the same (the checks below would read the plan twice more).
        return Ok(out);
    }
    let mut before = toml_comments(text);
    let mut after = toml_comments(&out);
    before.sort();
    after.sort();
    if before != after {
        return Err(CanonError::Internal(
            lang.pick(
                "định dạng lại sẽ làm mất hoặc đổi chú thích; tệp được giữ nguyên (đây là lỗi của `plan fmt`, xin báo lại)",
                "formatting would lose or alter a comment; the file is left as it is (this is a bug in `plan fmt`, please report it)",
            )
            .to_owned(),
        ));
    }
    let (p0, d0) = planfile::load(file, text, lang);
    let (p1, d1) = planfile::load(file, &out, lang);
    let errors = |d: &[crate::diag::Diagnostic]| d.iter().filter(|x| x.is_error()).count();
    let strip = |p: Option<crate::model::Plan>| {
        p.map(|mut p| {
            for g in &mut p.logs {
                g.1 = 0;
            }
            p.id_span = None;
            p
        })
    };
    if strip(p0) != strip(p1) || errors(&d0) != errors(&d1) {
        return Err(CanonError::Internal(
            lang.pick(
                "định dạng lại sẽ đổi nội dung kế hoạch; tệp được giữ nguyên (đây là lỗi của `plan fmt`, xin báo lại)",
                "formatting would change what the plan means; the file is left as it is (this is a bug in `plan fmt`, please report it)",
            )
            .to_owned(),
        ));
    }
    Ok(out)
}

/// Renders a plan in canonical form without the safety checks.
pub fn render_plan(text: &str) -> Result<String, CanonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| CanonError::Syntax(e.message().trim().to_owned()))?;
    let mut em = Emitter::default();
    em.root(doc.as_table());
    let trailing = block_lines(doc.trailing().as_str().unwrap_or(""), false);
    if trailing.iter().any(Option::is_some) {
        if !em.out.is_empty() {
            em.out.push('\n');
        }
        em.lines(&trim_trailing_blank(trailing));
    }
    if em.out.is_empty() {
        return Ok(String::new());
    }
    Ok(em.out)
}

/// How the keys of a table are ordered.
#[derive(Clone, Copy)]
enum Order {
    /// As in the file.
    File,
    /// These keys first, in this order, then the others as in the file.
    Keys(&'static [&'static str]),
    /// Numeric keys (years) ascending, then the others as in the file.
    Numeric,
}

/// The keys of `t` in `order`.
fn ordered_keys(t: &dyn TableLike, order: Order) -> Vec<&str> {
    let mut keys: Vec<&str> = t.iter().filter(|(_, i)| !i.is_none()).map(|(k, _)| k).collect();
    match order {
        Order::File => {}
        Order::Keys(list) => {
            let rank = |k: &str| list.iter().position(|x| *x == k).unwrap_or(list.len());
            keys.sort_by_key(|k| rank(k));
        }
        Order::Numeric => {
            keys.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                (Ok(_), Err(_)) => Ordering::Less,
                (Err(_), Ok(_)) => Ordering::Greater,
                (Err(_), Err(_)) => Ordering::Equal,
            });
        }
    }
    keys
}

/// The order of the entries of a nested (inline) table, by where it sits.
fn nested_order(section: &str, key: &str) -> Order {
    match (section, key) {
        ("kinds", _) => Order::Keys(KIND_KEYS),
        ("orgs" | "levels" | "fields", _) => Order::Keys(FIELD_KEYS),
        ("baseline", _) => Order::Keys(BASELINE_ENTRY_KEYS),
        ("target", "schedule") => Order::Numeric,
        _ => Order::File,
    }
}

/// A key as written: bare when it can be, else a basic string.
fn key_text(k: &str) -> String {
    if planfile::is_code(k) {
        k.to_owned()
    } else {
        basic_string(k)
    }
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\u{8}' => out.push_str("\\b"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\u{c}' => out.push_str("\\f"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        c => out.push(c),
    }
}

/// A TOML basic string (`"..."`), NFC, line breaks LF (CRLF inside a
/// multi-line string of a CRLF file is a line break, not text).
fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in crate::text::nfc_lf(s).chars() {
        escape_char(c, &mut out);
    }
    out.push('"');
    out
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".to_owned() } else { "-inf".to_owned() }
    } else if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        let s = format!("{f}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A value on one line; comments inside it go to `hoist`.
fn inline_value(v: &Value, order: Order, hoist: &mut Vec<String>) -> String {
    match v {
        Value::String(s) => basic_string(s.value()),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => float_text(*f.value()),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => {
            inner_value_comments(v, hoist);
            let items: Vec<String> = a
                .iter()
                .map(|x| inline_value(x, Order::File, &mut Vec::new()))
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::InlineTable(t) => {
            let mut entries = Vec::new();
            for k in ordered_keys(t, order) {
                if let Some((key, item)) = t.get_key_value(k) {
                    key_comments(key, hoist);
                    entries.push((key_text(k), inline_item(item, Order::File, hoist)));
                }
            }
            out_comments_trailing(t.trailing().as_str(), hoist);
            inline_table_text(&entries)
        }
    }
}

fn out_comments_trailing(raw: Option<&str>, hoist: &mut Vec<String>) {
    hoist.extend(comments_in(raw));
}

/// Any item as an inline value; comments inside it go to `hoist`.
fn inline_item(item: &Item, order: Order, hoist: &mut Vec<String>) -> String {
    match item {
        Item::Value(v) => {
            hoist.extend(comments_in(prefix(v.decor())));
            let text = inline_value(v, order, hoist);
            hoist.extend(comments_in(suffix(v.decor())));
            text
        }
        Item::Table(t) => {
            hoist.extend(comments_in(prefix(t.decor())));
            hoist.extend(comments_in(suffix(t.decor())));
            let mut entries = Vec::new();
            for k in ordered_keys(t, order) {
                if let Some((key, it)) = t.get_key_value(k) {
                    key_comments(key, hoist);
                    entries.push((key_text(k), inline_item(it, Order::File, hoist)));
                }
            }
            inline_table_text(&entries)
        }
        Item::ArrayOfTables(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|t| {
                    hoist.extend(comments_in(prefix(t.decor())));
                    hoist.extend(comments_in(suffix(t.decor())));
                    let mut entries = Vec::new();
                    for k in ordered_keys(t, Order::File) {
                        if let Some((key, it)) = t.get_key_value(k) {
                            key_comments(key, hoist);
                            entries.push((key_text(k), inline_item(it, Order::File, hoist)));
                        }
                    }
                    inline_table_text(&entries)
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        Item::None => String::new(),
    }
}

fn inline_table_text(entries: &[(String, String)]) -> String {
    if entries.is_empty() {
        return "{}".to_owned();
    }
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", body.join(", "))
}

/// One array item when the array is written one item per line.
struct ArrayLine {
    before: Vec<String>,
    text: String,
    trailing: Vec<String>,
    after: Vec<String>,
}

#[derive(Default)]
struct Emitter {
    out: String,
}

impl Emitter {
    fn lines(&mut self, lines: &[Option<String>]) {
        for l in lines {
            if let Some(c) = l {
                self.out.push_str(c);
            }
            self.out.push('\n');
        }
    }

    fn comment_lines(&mut self, comments: &[String], indent: &str) {
        for c in comments {
            self.out.push_str(indent);
            self.out.push_str(c);
            self.out.push('\n');
        }
    }

    fn trailing(&mut self, comments: &[String]) {
        if !comments.is_empty() {
            self.out.push(' ');
            self.out.push_str(&comments.join(" "));
        }
    }

    fn root(&mut self, root: &Table) {
        // Plain root values first (`format`), then the sections.
        let order = ROOT_KEYS;
        let rank = |k: &str| order.iter().position(|x| *x == k).unwrap_or(order.len());
        let mut keys: Vec<&str> = root.iter().map(|(k, _)| k).collect();
        keys.sort_by_key(|k| rank(k));
        let is_section = |k: &str| root.get(k).is_some_and(|i| i.is_table_like() || i.is_array_of_tables());
        for k in keys.iter().filter(|k| !is_section(k)) {
            if let Some((key, item)) = root.get_key_value(k) {
                let first = self.out.is_empty();
                self.entry(key, item, "", first);
            }
        }
        for k in keys.iter().filter(|k| is_section(k)) {
            let Some((key, item)) = root.get_key_value(k) else {
                continue;
            };
            let order = match *k {
                "plan" => Order::Keys(PLAN_KEYS),
                "reporting" => Order::Keys(REPORTING_KEYS),
                "baseline" => Order::Keys(BASELINE_KEYS),
                "target" => Order::Keys(TARGET_KEYS),
                "units" => Order::Keys(UNIT_KEYS),
                _ => Order::File,
            };
            match item {
                Item::ArrayOfTables(arr) => self.tables(arr, k, order),
                _ if *k == "units" => self.parent(key, item, "units", order),
                _ if *k == "reporting" => self.reporting(key, item),
                _ => self.section(key, item, &key_text(k), k, order),
            }
        }
    }

    /// A table header with its comments: one blank line before it (unless it
    /// opens the file).
    fn header(&mut self, header: &str, above: Vec<Option<String>>, trailing: &[String]) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.lines(&above);
        self.out.push_str(header);
        self.trailing(trailing);
        self.out.push('\n');
    }

    /// The comments above a section and on its header line, from wherever
    /// the section was written (a `[table]`, a dotted key, an inline table).
    fn section_decor(key: &Key, item: &Item) -> (Vec<Option<String>>, Vec<String>) {
        let mut above = block_lines(prefix(key.leaf_decor()).unwrap_or(""), false);
        let mut trailing = Vec::new();
        let mut extra = Vec::new();
        extra.extend(comments_in(suffix(key.leaf_decor())));
        extra.extend(comments_in(prefix(key.dotted_decor())));
        extra.extend(comments_in(suffix(key.dotted_decor())));
        match item {
            Item::Table(t) => {
                above.extend(block_lines(prefix(t.decor()).unwrap_or(""), false));
                trailing.extend(comments_in(suffix(t.decor())));
            }
            Item::Value(v) => {
                extra.extend(comments_in(prefix(v.decor())));
                trailing.extend(comments_in(suffix(v.decor())));
            }
            _ => {}
        }
        above.extend(extra.into_iter().map(Some));
        (above, trailing)
    }

    /// `[name]` and its entries.
    fn section(&mut self, key: &Key, item: &Item, header: &str, kind: &str, order: Order) {
        let Some(t) = item.as_table_like() else {
            return;
        };
        let (above, trailing) = Self::section_decor(key, item);
        self.header(&format!("[{header}]"), above, &trailing);
        self.body(t, kind, order);
        self.comment_lines(&inline_trailing(item), "");
    }

    /// `[reporting]`, then its profiles: `[reporting.orgs.X]` for each
    /// organisation, `[reporting.units.X]` for each unit, each followed by
    /// its `[reporting.units.X.orgs.Y]`.
    fn reporting(&mut self, key: &Key, item: &Item) {
        let Some(t) = item.as_table_like() else {
            return;
        };
        let (above, trailing) = Self::section_decor(key, item);
        self.header("[reporting]", above, &trailing);
        self.profile_body(t, Order::Keys(REPORTING_KEYS), &["orgs", "units"]);
        self.comment_lines(&inline_trailing(item), "");
        self.profiles(t, "reporting", "orgs");
        self.profiles(t, "reporting", "units");
    }

    /// The profiles under `t`'s child `child` (`orgs` or `units`).
    fn profiles(&mut self, t: &dyn TableLike, path: &str, child: &str) {
        let Some(ct) = t.get(child).and_then(Item::as_table_like) else {
            return;
        };
        for k in ordered_keys(ct, Order::File) {
            let Some((pkey, pitem)) = ct.get_key_value(k) else {
                continue;
            };
            let Some(pt) = pitem.as_table_like() else { continue };
            let (above, trailing) = Self::section_decor(pkey, pitem);
            let path = format!("{path}.{child}.{}", key_text(k));
            self.header(&format!("[{path}]"), above, &trailing);
            let nested: &[&str] = if child == "units" { &["orgs"] } else { &[] };
            self.profile_body(pt, Order::Keys(PROFILE_KEYS), nested);
            self.comment_lines(&inline_trailing(pitem), "");
            if child == "units" {
                self.profiles(pt, &path, "orgs");
            }
        }
    }

    /// A table's entries except the sub-tables named in `nested` (written
    /// as sections of their own).
    fn profile_body(&mut self, t: &dyn TableLike, order: Order, nested: &[&str]) {
        for k in ordered_keys(t, order) {
            if let Some((key, item)) = t.get_key_value(k) {
                if nested.contains(&k) && item.is_table_like() {
                    continue;
                }
                self.entry(key, item, "reporting", false);
            }
        }
    }

    /// The entries of a table, one `key = value` line each.
    fn body(&mut self, t: &dyn TableLike, kind: &str, order: Order) {
        for k in ordered_keys(t, order) {
            if let Some((key, item)) = t.get_key_value(k) {
                self.entry(key, item, kind, false);
            }
        }
    }

    /// `[units.X]` for every child of `units`.
    fn parent(&mut self, key: &Key, item: &Item, name: &str, order: Order) {
        let Some(t) = item.as_table_like() else {
            return;
        };
        let name_text = key_text(name);
        let (mut pending, pending_trailing) = Self::section_decor(key, item);
        pending.extend(pending_trailing.into_iter().map(Some));
        let children: Vec<&str> = t.iter().filter(|(_, i)| !i.is_none()).map(|(k, _)| k).collect();
        if children.is_empty() {
            self.header(&format!("[{name_text}]"), pending, &[]);
            return;
        }
        for k in children {
            let Some((ckey, citem)) = t.get_key_value(k) else {
                continue;
            };
            let (above, trailing) = Self::section_decor(ckey, citem);
            let mut all = std::mem::take(&mut pending);
            all.extend(above);
            let header = format!("[{name_text}.{}]", key_text(k));
            if let Some(ct) = citem.as_table_like() {
                self.header(&header, all, &trailing);
                self.body(ct, name, order);
                self.comment_lines(&inline_trailing(citem), "");
            } else {
                // Not a table (an error `plan check` reports): keep it as
                // it is, in the parent.
                self.header(&format!("[{name_text}]"), all, &trailing);
                self.entry(ckey, citem, name, false);
            }
        }
    }

    /// `[[name]]` for every table of an array of tables (the targets).
    fn tables(&mut self, arr: &toml_edit::ArrayOfTables, name: &str, order: Order) {
        let header = format!("[[{}]]", key_text(name));
        for t in arr {
            let above = block_lines(prefix(t.decor()).unwrap_or(""), false);
            let trailing = comments_in(suffix(t.decor()));
            self.header(&header, above, &trailing);
            self.body(t, name, order);
        }
    }

    /// One `key = value` line (more for a long array), with the comments
    /// above it and after it. `section` says which table it is in (for the
    /// order of nested tables); `first` drops a leading blank line.
    fn entry(&mut self, key: &Key, item: &Item, section: &str, first: bool) {
        let name = key.get();
        let mut above = block_lines(prefix(key.leaf_decor()).unwrap_or(""), !first);
        let mut hoist = Vec::new();
        hoist.extend(comments_in(suffix(key.leaf_decor())));
        hoist.extend(comments_in(prefix(key.dotted_decor())));
        hoist.extend(comments_in(suffix(key.dotted_decor())));
        let mut trailing = Vec::new();
        let order = nested_order(section, name);
        let lhs = format!("{} = ", key_text(name));
        let rhs = match item {
            Item::Value(v) => {
                hoist.extend(comments_in(prefix(v.decor())));
                trailing.extend(comments_in(suffix(v.decor())));
                match v {
                    Value::Array(a) => array_rhs(a, &lhs),
                    _ => inline_value(v, order, &mut hoist),
                }
            }
            other => inline_item(other, order, &mut hoist),
        };
        if !hoist.is_empty() {
            // A trailing blank line belongs between the comments and the key.
            let blank = above.last().is_some_and(Option::is_none);
            if blank {
                above.pop();
            }
            above.extend(hoist.into_iter().map(Some));
            if blank {
                above.push(None);
            }
        }
        self.lines(&above);
        self.out.push_str(&lhs);
        self.out.push_str(&rhs);
        self.trailing(&trailing);
        self.out.push('\n');
    }
}

/// The right-hand side for an array: `[a, b]` when it fits and has no
/// comments, else one item per line.
fn array_rhs(a: &Array, lhs: &str) -> String {
    let mut open: Vec<String> = Vec::new();
    let mut items: Vec<ArrayLine> = Vec::new();
    for (i, v) in a.iter().enumerate() {
        let (same, rest) = split_first_line(prefix(v.decor()));
        if let Some(c) = same {
            match items.last_mut() {
                Some(prev) if i > 0 => prev.trailing.push(c),
                _ => open.push(c),
            }
        }
        let mut before = rest;
        let text = inline_value(v, Order::File, &mut before);
        let (same, after) = split_first_line(suffix(v.decor()));
        items.push(ArrayLine {
            before,
            text,
            trailing: same.into_iter().collect(),
            after,
        });
    }
    let (same, closing) = split_first_line(a.trailing().as_str());
    if let Some(c) = same {
        match items.last_mut() {
            Some(last) => last.trailing.push(c),
            None => open.push(c),
        }
    }
    let has_comments = !open.is_empty()
        || !closing.is_empty()
        || items
            .iter()
            .any(|l| !l.before.is_empty() || !l.trailing.is_empty() || !l.after.is_empty());
    let one_line = format!(
        "[{}]",
        items.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(", ")
    );
    if !has_comments && lhs.chars().count() + one_line.chars().count() <= WIDTH {
        return one_line;
    }
    let mut s = String::from("[");
    if !open.is_empty() {
        s.push(' ');
        s.push_str(&open.join(" "));
    }
    s.push('\n');
    for l in &items {
        for c in &l.before {
            s.push_str("    ");
            s.push_str(c);
            s.push('\n');
        }
        s.push_str("    ");
        s.push_str(&l.text);
        s.push(',');
        if !l.trailing.is_empty() {
            s.push(' ');
            s.push_str(&l.trailing.join(" "));
        }
        s.push('\n');
        for c in &l.after {
            s.push_str("    ");
            s.push_str(c);
            s.push('\n');
        }
    }
    for c in &closing {
        s.push_str("    ");
        s.push_str(c);
        s.push('\n');
    }
    s.push(']');
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    use crate::planfile::tests::MINIMAL as PLAN;

    fn fmt(text: &str) -> String {
        plan_toml("plans/p.toml", text, Lang::En).unwrap()
    }

    #[test]
    fn canonical_layout() {
        let out = fmt(PLAN);
        assert_eq!(
            out,
            "format = 1\n\n[plan]\nid = \"P\"\ntitle = \"Kế hoạch\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = [\"logs/*.csv\"]\n\n[orgs]\nMTTQ = \"Mặt trận\"\n\n[levels]\nprovince = \"Cấp tỉnh\"\n\n[units.tinh]\nname = \"Tỉnh\"\nlevel = \"province\"\n\n[kinds]\ndialogue = \"Đối thoại\"\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn reorders_and_keeps_comments() {
        let text = "# head\n\nformat = 1\n[kinds] # kinds here\n# about dialogue\ndialogue = 'Đối thoại'   # trailing\n[orgs]\nMTTQ = \"Mặt trận\"\n[levels]\nprovince = \"Cấp tỉnh\"\n[units]\n# all units\ntinh = { level = \"province\", name = \"Tỉnh\" } # the province\n[plan]\nlogs = [ # globs\n  \"logs/*.csv\", # one\n  # two\n]\nend = 2025-12-31\nstart = 2021-01-01\ntitle = \"K\"\nid = \"P\"\n# the end\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "# head\n\nformat = 1\n\n[plan]\nid = \"P\"\ntitle = \"K\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = [ # globs\n    \"logs/*.csv\", # one\n    # two\n]\n\n[orgs]\nMTTQ = \"Mặt trận\"\n\n[levels]\nprovince = \"Cấp tỉnh\"\n\n# all units\n[units.tinh] # the province\nname = \"Tỉnh\"\nlevel = \"province\"\n\n[kinds] # kinds here\n# about dialogue\ndialogue = \"Đối thoại\" # trailing\n\n# the end\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn nested_tables_become_inline_in_order() {
        let text = PLAN.replace(
            "dialogue = \"Đối thoại\"\n",
            "dialogue = \"Đối thoại\"\n[kinds.supervision]\nfield = true\nname = \"Giám sát\"\n[[target]]\nschedule.2022 = 2\nschedule.2021 = 1\nmin = 3\nper = \"term\"\nkind = \"dialogue\"\nid = \"t\"\n",
        );
        let out = fmt(&text);
        assert!(
            out.contains("supervision = { name = \"Giám sát\", field = true }\n"),
            "{out}"
        );
        assert!(
            out.ends_with("[[target]]\nid = \"t\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 3\nschedule = { 2021 = 1, 2022 = 2 }\n"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn strings_numbers_nfc() {
        let nfd: String = "Hội".nfd().collect();
        let text = PLAN.replace("title = \"Kế hoạch\"", &format!("title = '''{nfd}\nx \"y\"'''"));
        let out = fmt(&text);
        assert!(out.contains("title = \"Hội\\nx \\\"y\\\"\"\n"), "{out}");
        assert_eq!(fmt(&out), out);
        // The same plan saved with CRLF line ends formats to the same bytes.
        assert_eq!(fmt(&text.replace('\n', "\r\n")), out);
        assert_eq!(float_text(1.0), "1.0");
        assert_eq!(float_text(0.75), "0.75");
    }

    #[test]
    fn long_arrays_one_item_per_line() {
        let long = (0..12)
            .map(|i| format!("\"recipient number {i}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let text = PLAN.replace("[orgs]", &format!("[reporting]\nrecipients = [{long}]\n[orgs]"));
        let out = fmt(&text);
        assert!(out.contains("recipients = [\n    \"recipient number 0\",\n"), "{out}");
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn comment_scanner_skips_strings() {
        let c = toml_comments("a = \"# no\" # yes\nb = '''\n# no\n''' #  also \n");
        assert_eq!(c, vec!["# yes", "#  also"]);
    }

    /// The data of a TOML text, without layout: tables with sorted keys.
    fn dump(text: &str) -> String {
        fn value(v: &Value) -> String {
            match v {
                Value::Array(a) => format!("[{}]", a.iter().map(value).collect::<Vec<_>>().join(",")),
                Value::InlineTable(t) => table(t),
                Value::String(s) => format!("{:?}", s.value()),
                Value::Integer(i) => i.value().to_string(),
                Value::Float(f) => f.value().to_string(),
                Value::Boolean(b) => b.value().to_string(),
                Value::Datetime(d) => d.value().to_string(),
            }
        }
        fn item(i: &Item) -> String {
            match i {
                Item::Value(v) => value(v),
                Item::Table(t) => table(t),
                Item::ArrayOfTables(a) => format!("[{}]", a.iter().map(|t| table(t)).collect::<Vec<_>>().join(",")),
                Item::None => String::new(),
            }
        }
        fn table(t: &dyn TableLike) -> String {
            let mut entries: Vec<String> = t.iter().map(|(k, i)| format!("{k:?}={}", item(i))).collect();
            entries.sort();
            format!("{{{}}}", entries.join(","))
        }
        let doc: DocumentMut = text.parse().unwrap();
        table(doc.as_table())
    }

    #[test]
    fn shapes_outside_the_format_still_give_the_same_data() {
        let text = "\"root key\" = 1 # r\nplan = { id = \"P\", title = 'T' } # p\n[[foo]] # f\na = 1\n[[foo]]\n# b\nb = [1, [2, 3], { c = 4 }]\n[x.\"y z\"]\nq = 0x10\n[units]\n# u\n[target]\nid = \"t\"\n";
        let once = render_plan(text).unwrap();
        assert_eq!(render_plan(&once).unwrap(), once);
        assert_eq!(dump(&once), dump(text), "{once}");
        let mut a = toml_comments(text);
        let mut b = toml_comments(&once);
        a.sort();
        b.sort();
        assert_eq!(a, b, "{once}");
    }

    fn comment() -> impl Strategy<Value = String> {
        "[^\\x00-\\x1f\\x7f]{0,16}".prop_map(|c| format!("#{c}"))
    }

    fn toml_str(s: &str) -> String {
        let mut v = toml_edit::Value::from(s);
        v.decor_mut().clear();
        v.to_string()
    }

    proptest! {
        #[test]
        fn any_title_and_comments_format_idempotently(
            title in any::<String>(),
            comments in proptest::collection::vec(comment(), 6),
            order in Just(vec!["logs", "end", "title", "start", "id"]).prop_shuffle(),
            crlf in any::<bool>(),
        ) {
            let value = |k: &str| match k {
                "id" => "\"P\"".to_owned(),
                "title" => toml_str(&title),
                "start" => "2021-01-01".to_owned(),
                "end" => "2025-12-31".to_owned(),
                _ => format!("[ {}\n  \"logs/*.csv\", {}\n]", comments[0], comments[1]),
            };
            let mut text = format!("{}\nformat = 1 {}\n[plan] {}\n", comments[2], comments[3], comments[4]);
            for (i, k) in order.iter().enumerate() {
                if i == 2 {
                    text.push_str(&format!("{}\n", comments[5]));
                }
                text.push_str(&format!("{k} = {}\n", value(k)));
            }
            text.push_str("[orgs]");
            text.push_str(PLAN.split_once("[orgs]").map_or("", |(_, rest)| rest));
            let text = if crlf { text.replace('\n', "\r\n") } else { text };
            let once = plan_toml("plans/p.toml", &text, Lang::En);
            prop_assert!(once.is_ok(), "{:?} for\n{}", once, text);
            let once = once.unwrap();
            prop_assert_eq!(fmt(&once), once.clone());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod profile_tests {
    #[test]
    fn profiles_follow_reporting_organisations_then_units() {
        let text = "format = 1\n[reporting.units.bx.orgs.HND]\nsymbol = \"S\"\nbody = \"B\"\n[reporting]\nsymbol = \"X\"\n[reporting.units.bx]\nplace = \"P\"\nbody = \"U\"\n[reporting.orgs.HND]\nsigner = [\"A\"]\nbody = \"H\"\n";
        let out = super::render_plan(text).unwrap();
        assert_eq!(
            out,
            "format = 1\n\n[reporting]\nsymbol = \"X\"\n\n[reporting.orgs.HND]\nbody = \"H\"\nsigner = [\"A\"]\n\n[reporting.units.bx]\nbody = \"U\"\nplace = \"P\"\n\n[reporting.units.bx.orgs.HND]\nbody = \"B\"\nsymbol = \"S\"\n"
        );
    }
}
