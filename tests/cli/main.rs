//! The command-line tests: one test binary that runs `plan` as a user
//! would, one module per command (their own edge cases in submodules) and
//! one per concern that crosses commands (containment, injection, limits,
//! messy input, safe writing, parallel reading, fuzzing). `common` holds the
//! helpers they share; fixtures are under `tests/fixtures/`, insta snapshots
//! in `snapshots/` beside the module that asserts them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
// Tests compare exact computed values and build inputs tersely.
#![allow(
    clippy::float_cmp,
    clippy::format_collect,
    clippy::redundant_closure_for_method_calls,
    clippy::items_after_statements,
    clippy::case_sensitive_file_extension_comparisons
)]

mod common;

mod check;
mod diff;
mod excel;
mod fmt;
mod help;
mod messages;
mod report;
mod schema;
mod shell;
mod site;
mod status;

mod containment;
mod fuzz;
mod injection;
mod limits;
mod messy;
mod parallel;
mod period;
mod safety;
mod writing;
