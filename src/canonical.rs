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
//! row, LF line ends, no BOM; it is read and written as a stream
//! ([`scan_log`]), so memory does not grow with the file.
//!
//! Nothing here opens the files being formatted (the command hands over a
//! reader and a writer; sorting a log larger than memory spills to anonymous
//! temporary files), and nothing decides whether a file may be formatted
//! (that is `plan check`'s business, asked by the command).

mod log_csv;
mod log_fast;
mod plan_toml;

pub use log_csv::{LogError, LogPass, LogReader, LogTable, Spill, log_csv, read_log, scan_log};
pub use log_fast::{Found, first_difference, proven_canonical};
pub use plan_toml::{CanonError, WIDTH, plan_toml, render_plan, toml_comments};
