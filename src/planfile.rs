//! Reading a plan file (TOML) into a [`Plan`], with a diagnostic for every
//! problem: syntax, unknown and missing keys, values of the wrong type or out
//! of range, duplicate target ids and references to undefined codes.
//!
//! The file is walked by hand over `toml_edit`'s spanned tree rather than
//! deserialised with serde, so that *every* problem is reported in one run
//! with its exact line and column, not just the first.
//!
//! The map, one file per part of the plan file (plans/README.md describes
//! the format): `keys` lists the keys each table allows; the reading
//! context with its diagnostics is in `reader`, the readers of single values
//! (strings, dates, integers, lists) in `values`; then one module per
//! section: `head` (the root and `[plan]`), `lists` (`[orgs]`, `[levels]`,
//! `[fields]`, `[kinds]`, `[units]`), `reporting` (`[reporting]` and its
//! profiles), `baseline` and `targets` (`[[target]]`).

mod baseline;
mod head;
mod keys;
mod lists;
mod reader;
mod reporting;
mod targets;
mod values;

use toml_edit::Document;

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::Plan;

pub use keys::TARGET_KEYS;
pub(crate) use keys::{
    BASELINE_ENTRY_KEYS, BASELINE_KEYS, FIELD_KEYS, KIND_KEYS, PLAN_KEYS, PROFILE_KEYS, REPORTING_KEYS, ROOT_KEYS,
    UNIT_KEYS,
};
use reader::PlanReader;
pub use targets::MAX_INSTANCES;

/// Parses and validates one plan file. Returns the plan when it could be
/// built (possibly without some broken targets) and every diagnostic found.
pub fn load(file: &str, text: &str, lang: Lang) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut reader = PlanReader::new(file, text, lang);
    let plan = match Document::parse(text) {
        Ok(doc) => head::read(&mut reader, doc.as_table()),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_owned();
            // The parser refuses deep nesting (instead of overflowing the stack).
            let (hint_vi, hint_en) = if msg.contains("recurs") {
                (
                    " (bảng, mảng hoặc khóa lồng nhau quá sâu: một kế hoạch chỉ cần vài cấp)",
                    " (tables, arrays or dotted keys nested too deeply: a plan needs only a few levels)",
                )
            } else {
                ("", "")
            };
            reader.error(
                "toml-syntax",
                Some(span),
                &format!("tệp kế hoạch không phải TOML hợp lệ: {msg}{hint_vi}"),
                &format!("the plan is not valid TOML: {msg}{hint_en}"),
            );
            None
        }
    };
    (plan, crate::diag::cap::limit(reader.into_diagnostics(), lang))
}

/// A code as the formats allow it: ASCII letters, digits, `_` and `-`.
pub fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
pub(crate) mod tests;
