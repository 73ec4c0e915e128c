//! Canonical form of plan TOML and log CSV (`plan fmt`).
//!
//! A plan is rewritten by [`plan_toml()`]: sections in the order `plans/README.md` describes them,
//! keys in their canonical order, basic double-quoted strings, `key = value` spacing, arrays on one
//! line (one item per line when they are long or carry comments), one blank
//! line before every table, and every comment kept next to the item it
//! belongs to.
//!
//! A log is rewritten with its columns in [`COLUMNS`](crate::columns::COLUMNS)
//! order, cells trimmed and NFC, rows sorted by date then the rest of the
//! row, LF line ends, a BOM kept when the file has one. It is read and
//! written as a stream, so memory does not grow with the file: on every core
//! when the fast reading follows it ([`sorted_log`], [`proven_canonical`],
//! [`first_difference`]), otherwise by the full pass ([`scan_log`]), which
//! says why a log cannot be read. Whether one line is already a canonical
//! record is decided in one place ([`LineForm`]), which the check also uses
//! to prove a log canonical as it reads it for `plan fmt`
//! ([`crate::logs::scan_proving`]).
//!
//! Nothing here opens the files being formatted (the command hands over a
//! reader and a writer; sorting a log larger than memory spills to anonymous
//! temporary files), and nothing decides whether a file may be formatted
//! (that is `plan check`'s business, asked by the command).

mod line_form;
mod log_csv;
mod log_fast;
mod log_sort;
mod plan_toml;

pub(crate) use line_form::{Hint, LineForm, Run};
pub use log_csv::{LogError, LogPass, LogReader, LogTable, Spill, log_csv, read_log, scan_log};
pub use log_fast::{Found, canonical_header, first_difference, proven_canonical, sorted_log};
pub use log_sort::SortedLog;
pub use plan_toml::{CanonError, WIDTH, plan_toml, render_plan, toml_comments};
