//! Command-line types (clap). They hold what the user typed; commands convert
//! them once into typed options.
// The doc comments below are the `--help` text a user reads, not rustdoc.
#![allow(clippy::doc_markdown)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lang::Lang;

/// Validate programme plans (TOML) and activity logs (CSV), show compliance
/// with their targets, and draft the six-monthly, annual, mid-term and final
/// reports.
#[derive(Debug, Parser)]
#[command(name = "plan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (the workspace is the nearest directory at or
    /// above it that holds `plans/`).
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// The plan to use, by its id (needed when `plans/` holds several).
    #[arg(long = "plan", value_name = "ID", global = true)]
    pub plan: Option<String>,

    /// Language of everything a person reads (also set by PLAN_LANG).
    #[arg(long, value_enum, default_value_t = Lang::Vi, env = "PLAN_LANG", global = true)]
    pub lang: Lang,

    /// Print nothing when all went well (no "no problems found", no "wrote
    /// the report to ..."); problems are still shown.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,

    /// When to colour output. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the plans and their logs; print every problem with its place.
    Check(CheckArgs),
    /// Show compliance with the targets as of a date.
    Status(StatusArgs),
    /// Write a report draft (half-year, annual, mid-term or final).
    Report(ReportArgs),
    /// Rewrite plans and logs in canonical form (comments kept).
    Fmt(FmtArgs),
    /// Show what changed in the plans between two git revisions, as meaning.
    Diff(DiffArgs),
    /// Print the log schema, or the schema of `status --format json`, for other tools.
    Schema(SchemaArgs),
    /// Write an offline HTML dashboard (DIR/index.html) with charts.
    Site(SiteArgs),
    /// Print a shell completion script (bash, zsh, fish or powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man` and for packagers.
    Man(ManArgs),
    /// Write an entry workbook (.xlsx) for an office to fill in.
    Template(TemplateArgs),
    /// Start a workspace for a new programme in DIR (default: here).
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `plan.1` and one page per command (`plan-status.1`, ...) into
    /// DIR instead of printing `plan.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Pre-fill this organisation on every row.
    #[arg(long, value_name = "CODE")]
    pub org: Option<String>,
    /// Pre-fill this unit on every row.
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Accept dates of this year only.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// The workbook to write (.xlsx); an existing file is not overwritten.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the workspace (created if missing; must hold no
    /// file that `init` would write).
    #[arg(value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// The plan's id (also its file name, `plans/ID.toml`).
    #[arg(long, value_name = "ID", default_value = "DE-AN")]
    pub id: String,
    /// The plan's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// First day of the term.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Last day of the term.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub end: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output form: `human` (stderr), `json`, `github` (workflow commands)
    /// or `gitlab` (a code-quality report), on stdout.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Stand-in for today (for `done-in-future`), so CI runs are reproducible.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Gitlab,
}

/// Period options: at most one of --half, --year, --term, plus --at.
#[derive(Debug, Args, Clone, Default)]
pub struct PeriodArgs {
    /// A half-year: 2023H1 (also 2023S1), `last` or `this`.
    #[arg(long, value_name = "HALF", group = "period")]
    pub half: Option<String>,
    /// A calendar year: 2023, `last` or `this`.
    #[arg(long, value_name = "YEAR", group = "period")]
    pub year: Option<String>,
    /// The whole term of the plan.
    #[arg(long, group = "period")]
    pub term: bool,
    /// Evaluate as of this date (default: the period's last day or today,
    /// whichever is earlier).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Only this target (by id).
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
    /// Only results of this organisation.
    #[arg(long, value_name = "CODE")]
    pub org: Option<String>,
    /// Only results of this unit.
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Only results that are behind, missed or over.
    #[arg(long)]
    pub behind: bool,
    /// Every period, not only those around the as-of date (table and md).
    #[arg(long)]
    pub all: bool,
    /// Exit with code 3 when any result has one of these statuses
    /// (comma-separated, e.g. `missed,over`).
    #[arg(long, value_name = "STATUSES", value_delimiter = ',')]
    pub fail_on: Vec<String>,
    /// Output form. Default: from the extension of `-o FILE` (`.json`,
    /// `.csv`, `.md`), else `table`.
    #[arg(long, value_enum)]
    pub format: Option<StatusFormat>,
    /// Write to FILE instead of standard output (`-` is standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte-order mark, so that Excel opens it
    /// with its diacritics on a double click.
    #[arg(long)]
    pub bom: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
    Csv,
    Md,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// The directory to write `index.html` into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
}

/// `--half`, `--year` and `--term` are those of [`PeriodArgs`], with help
/// that speaks of a report; `--midterm` and `--final` join their group.
#[derive(Debug, Args)]
#[command(mut_arg("half", |a| a.help("Half-year report: 2023H1 (also 2023S1, `last`, `this`)")))]
#[command(mut_arg("year", |a| a.help("Annual report for a year.")))]
#[command(mut_arg("term", |a| a.help("The whole term: the final summary up to the term's last half-year.").display_order(4)))]
#[command(mut_arg("at", |a| a.help("Evaluate as of this date instead of the period's last day.").display_order(5)))]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Mid-term review (the plan's `[reporting] midterm` half-year).
    #[arg(long, group = "period", display_order = 2)]
    pub midterm: bool,
    /// Final summary (the plan's `[reporting] final`, or the term's end).
    #[arg(long = "final", group = "period", display_order = 3)]
    pub final_: bool,
    /// The draft of this organisation (its rows only, under its own header).
    #[arg(long, value_name = "CODE")]
    pub org: Option<String>,
    /// The draft of this unit (every organisation in it).
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Write every office's draft into the folder `-o DIR`, with the
    /// consolidated one.
    #[arg(long, conflicts_with_all = ["org", "unit"])]
    pub all_offices: bool,
    /// Output form. Default: from the extension of `-o FILE` (`.md`,
    /// `.docx`, `.xlsx`), else `md`.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to FILE instead of standard output (`-` is standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Docx,
    /// The results workbook of `status --format xlsx` with the appendix tables.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing; show, per file that would change, its first
    /// differing line, and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// With `--check`: show a short unified diff of each file instead.
    #[arg(long, requires = "check")]
    pub diff: bool,
    /// Files to format (default: every plan and every log of the plans).
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old revision (any git revision: a commit, a branch, HEAD~1).
    pub rev: String,
    /// The new revision (default: the working tree).
    pub rev2: Option<String>,
    /// Output form.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Schema dialect.
    #[arg(long, value_enum, default_value_t = SchemaFormat::Frictionless)]
    pub format: SchemaFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// The Frictionless Table Schema of the logs, as a data resource.
    Frictionless,
    /// The JSON Schema of `plan status --format json`.
    StatusJson,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
