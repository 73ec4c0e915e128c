//! `plan`: programme plans (TOML) and activity logs (CSV) in a git
//! repository, validated, evaluated against their targets and reported on.
//!
//! The flow is: [`workspace`] finds the files, [`planfile`] and [`logs`]
//! read and check them (gathered by [`load`], from the working tree or a
//! [`git`] revision), [`engine`] computes every figure as of the date
//! [`select`] gives, and [`status_view`] and [`report`] present that one result.
//! The [`commands`] tie options to these steps and return an [`error`] when
//! they stop; [`run`] prints it and maps outcomes to exit codes (0 success,
//! 1 errors in the inputs, 2 the tool could not run, 3 `--fail-on` matched).

// Unit tests compare exact computed values and build their inputs tersely.
#![cfg_attr(
    test,
    allow(
        clippy::float_cmp,
        clippy::format_collect,
        clippy::redundant_closure_for_method_calls
    )
)]

pub mod canonical;
pub mod cli;
pub mod columns;
pub mod commands;
pub mod dates;
pub mod diag;
pub mod engine;
pub mod error;
pub mod escape;
pub mod git;
pub mod help;
pub mod lang;
pub mod load;
pub mod logs;
pub mod model;
pub mod output;
pub mod period;
pub mod plandiff;
pub mod planfile;
pub mod report;
pub mod safe_write;
pub mod schema;
pub mod select;
pub mod site;
pub mod status_view;
pub mod text;
pub mod textdiff;
pub mod threads;
pub mod wording;
pub mod workspace;
pub mod xlsx;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::FromArgMatches;

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
    let lang = cli.lang;
    let exit = commands::dispatch(cli).unwrap_or_else(|e| {
        error::print(&e, lang);
        e.exit()
    });
    ExitCode::from(exit as u8)
}
