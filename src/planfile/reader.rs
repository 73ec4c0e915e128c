//! [`PlanReader`]: the context a plan file is read in (its name, where
//! offsets are on which line, the user's language) and the diagnostics found
//! so far, with the ways every section reports a problem.

use std::ops::Range;

use toml_edit::TableLike;

use crate::diag::{Diagnostic, SourceMap, nearest};
use crate::lang::Lang;

use super::is_code;

/// The context a plan file is read in, collecting its diagnostics.
pub(super) struct PlanReader<'a> {
    pub(super) file: &'a str,
    pub(super) map: SourceMap<'a>,
    diags: Vec<Diagnostic>,
    pub(super) lang: Lang,
}

impl<'a> PlanReader<'a> {
    pub(super) fn new(file: &'a str, text: &'a str, lang: Lang) -> PlanReader<'a> {
        PlanReader {
            file,
            map: SourceMap::new(text),
            diags: Vec::new(),
            lang,
        }
    }

    /// Every diagnostic found, in the order found.
    pub(super) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags
    }
}

impl PlanReader<'_> {
    /// The message in the user's language: `vi` (the default) or `en`.
    pub(super) fn message(&self, vi: &str, en: &str) -> String {
        self.lang.pick(vi, en).to_owned()
    }
    fn push(&mut self, diag: Diagnostic, span: Option<Range<usize>>) {
        let diag = match span {
            Some(s) => self.map.place(diag, s),
            None => diag.at(1, 0, None),
        };
        self.diags.push(diag);
    }

    /// Reports error `code` at `span` (line 1 when `None`).
    pub(super) fn error(&mut self, code: &'static str, span: Option<Range<usize>>, vi: &str, en: &str) {
        let msg = self.message(vi, en);
        self.push(Diagnostic::error(self.file, code, msg), span);
    }

    /// Reports warning `code` at `span`.
    pub(super) fn warn(&mut self, code: &'static str, span: Option<Range<usize>>, vi: &str, en: &str) {
        let msg = self.message(vi, en);
        self.push(Diagnostic::warning(self.file, code, msg), span);
    }

    /// Reports every key of `table` that is not in `allowed`.
    pub(super) fn known_keys(&mut self, table: &dyn TableLike, allowed: &[&str], section: &str) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = table.key(key).and_then(toml_edit::Key::span);
            let hint = nearest(key, allowed.iter().copied()).map_or_else(
                || {
                    (
                        format!("; các khóa hợp lệ: {}", allowed.join(", ")),
                        format!("; valid keys: {}", allowed.join(", ")),
                    )
                },
                |n| (format!("; có phải ý bạn là `{n}`?"), format!("; did you mean `{n}`?")),
            );
            self.error(
                "unknown-key",
                span,
                &format!("khóa `{key}` không có trong {section}{}", hint.0),
                &format!("`{key}` is not a key of {section}{}", hint.1),
            );
        }
    }

    /// Reports that `section` lacks the required `key` (a `[table]` when
    /// `key` starts with `[`).
    pub(super) fn missing(&mut self, key: &str, section: &str, span: Option<Range<usize>>) {
        let (add_vi, add_en) = if key.starts_with('[') {
            (format!("hãy thêm bảng {key}"), format!("add a {key} table"))
        } else {
            (format!("hãy thêm `{key} = ...`"), format!("add `{key} = ...`"))
        };
        self.error(
            "missing-key",
            span,
            &format!("thiếu khóa bắt buộc `{key}` trong {section}: {add_vi}"),
            &format!("{section} lacks the required key `{key}`: {add_en}"),
        );
    }

    /// How messages name the file as a whole.
    pub(super) fn whole(&self) -> String {
        self.message("tệp kế hoạch", "the plan file")
    }

    /// Reports a value that cannot be used (`bad-value`).
    pub(super) fn bad(&mut self, span: Option<Range<usize>>, vi: &str, en: &str) {
        self.error("bad-value", span, vi, en);
    }

    /// Reports a code that is not [`is_code`].
    pub(super) fn check_code(&mut self, code: &str, span: Option<Range<usize>>) {
        if !is_code(code) {
            self.bad(
                span,
                &format!("mã `{code}` chỉ được gồm chữ cái ASCII, chữ số, `_` và `-` (tên tiếng Việt đặt ở giá trị)"),
                &format!("code `{code}` may only use ASCII letters, digits, `_` and `-` (put the Vietnamese name in the value)"),
            );
        }
    }

    /// Resolves a code against a list, reporting `unknown-ref` with a suggestion.
    pub(super) fn resolve(
        &mut self,
        code: &str,
        span: Option<Range<usize>>,
        what: (&str, &str),
        list: &[&str],
    ) -> Option<usize> {
        if let Some(i) = list.iter().position(|c| *c == code) {
            return Some(i);
        }
        let hint = match nearest(code, list.iter().copied()) {
            Some(n) => (format!("có phải ý bạn là `{n}`?"), format!("did you mean `{n}`?")),
            None if list.is_empty() => (
                "kế hoạch chưa khai báo mã nào: hãy thêm vào".to_owned(),
                "the plan defines none: add it to the plan".to_owned(),
            ),
            None => (
                format!("các mã đã khai báo: {}", list.join(", ")),
                format!("the plan defines: {}", list.join(", ")),
            ),
        };
        self.error(
            "unknown-ref",
            span,
            &format!("{} `{code}` chưa được khai báo trong kế hoạch; {}", what.0, hint.0),
            &format!("{} `{code}` is not defined in the plan; {}", what.1, hint.1),
        );
        None
    }
}
