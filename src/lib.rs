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
pub mod columns;
pub mod commands;
pub mod dates;
pub mod diag;
pub mod engine;
pub mod escape;
pub mod help;
pub mod lang;
pub mod logs;
pub mod model;
pub mod output;
pub mod period;
pub mod plandiff;
pub mod planfile;
pub mod render;
pub mod report;
pub mod safe_write;
pub mod schema;
pub mod site;
pub mod textdiff;
pub mod workspace;
pub mod xlsx;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::FromArgMatches;
use unicode_normalization::UnicodeNormalization;

/// Text from a file as every output shows it: NFC, trimmed.
pub fn canonical_text(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Runs the command line `args` (including the program name) and returns the
/// process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = help::help_command(args.into_iter().collect());
    let lang = help::lang_of(&args);
    let cmd = help::command(lang);
    let parsed = cmd
        .clone()
        .try_get_matches_from(&args)
        .and_then(|m| cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version: printed as clap lays them out.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(help::usage_error(&e, &cmd, lang).as_bytes());
            return ExitCode::from(2);
        }
    };
    ExitCode::from(commands::dispatch(cli) as u8)
}
