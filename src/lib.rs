//! `plan`: programme plans (TOML) and activity logs (CSV) in a git
//! repository, validated, evaluated against their targets and reported on.
//!
//! The flow is: [`workspace`] finds the files, [`planfile`] and [`logs`]
//! read and check them (gathered by [`check`]), [`engine`] computes every
//! figure, and [`render`] and [`report`] present that one result. The
//! [`commands`] tie options to these steps; [`run`] maps outcomes to exit
//! codes (0 success, 1 errors in the inputs, 2 the tool could not run,
//! 3 `--fail-on` matched).

pub mod canonical;
pub mod check;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod engine;
pub mod escape;
pub mod lang;
pub mod logs;
pub mod model;
pub mod period;
pub mod plandiff;
pub mod planfile;
pub mod render;
pub mod report;
pub mod schema;
pub mod workspace;
pub mod xlsx;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use unicode_normalization::UnicodeNormalization;

/// Text from a file as every output shows it: NFC, trimmed.
pub fn canonical_text(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Runs the command line `args` (including the program name) and returns the
/// process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(commands::dispatch(cli) as u8)
}
