//! One module per command: options → library calls → rendering. This module
//! holds what they share: the context (workspace, language, colour, today),
//! the exit codes, period selection and the checked evaluation pipeline.

pub mod check;
pub mod diff;
pub mod fmt;
pub mod init;
pub mod report;
pub mod schema;
pub mod shell;
pub mod site;
pub mod status;
pub mod template;

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use chrono::NaiveDate;

use crate::check::{PlanFile, load_plans, scan_logs, scan_logs_parallel, select};
use crate::cli::{Cli, ColorChoice, Command, PeriodArgs};
use crate::diag::{self, Diagnostic};
use crate::engine::{Engine, Evaluation};
use crate::lang::Lang;
use crate::logs::ParallelSink;
use crate::model::Plan;
use crate::period::{Half, Span, parse_year, year_span};
use crate::workspace::Workspace;
use crate::{escape, safe_write};

/// Process exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// Errors in the inputs.
    Invalid = 1,
    /// The tool could not run (usage, I/O, unknown revision).
    Fatal = 2,
    /// `--fail-on` matched.
    FailOn = 3,
}

/// The exit of a command refused for `diags`: 2 when a file could not be
/// read at all (SPEC: "could not run (usage, I/O)"), else 1.
pub fn refused(diags: &[Diagnostic]) -> Exit {
    if diags.iter().any(|d| d.code == "io") {
        Exit::Fatal
    } else {
        Exit::Invalid
    }
}

/// What every command gets.
pub struct Ctx {
    pub ws: Workspace,
    pub lang: Lang,
    pub color_stdout: bool,
    pub color_stderr: bool,
    /// The real date (used only where no option stands in for it).
    pub today: NaiveDate,
    pub plan: Option<String>,
    /// The directory `plan` runs in: `-C DIR`, or the current directory.
    pub cwd: std::path::PathBuf,
    /// `-q`: say nothing when all went well.
    pub quiet: bool,
}

impl Ctx {
    /// Reports a fatal problem on stderr and returns exit code 2.
    pub fn fatal(&self, msg: &str) -> Exit {
        let msg = crate::escape::terminal(msg);
        let _ = writeln!(io::stderr(), "{}: {msg}", self.lang.pick("lỗi", "error"));
        Exit::Fatal
    }

    /// The usage error for `--WHAT CODE` naming no code of the plan: the
    /// nearest code, then the valid ones as `check` lists them (at most 30).
    pub fn unknown_code(&self, what: &str, code: &str, list: Vec<&str>) -> Exit {
        let lang = self.lang;
        let hint = diag::nearest(code, list.iter().copied())
            .map(|n| {
                lang.pick(
                    &format!(" (có phải ý bạn là `{n}`?)"),
                    &format!(" (did you mean `{n}`?)"),
                )
                .to_owned()
            })
            .unwrap_or_default();
        let mut valid = list.iter().take(30).copied().collect::<Vec<_>>().join(", ");
        if list.len() > 30 {
            valid.push_str(", …");
        }
        self.fatal(&format!(
            "--{what} `{code}`: {}{hint}; {} {valid}",
            lang.pick("không có trong kế hoạch", "not in the plan"),
            lang.pick("các mã hợp lệ:", "valid codes:"),
        ))
    }

    /// Writes a command's output file and says so on stderr (unless
    /// `--quiet`): "đã ghi báo cáo vào bc.docx".
    pub fn write_output(&self, path: &Path, bytes: &[u8], what: &str) -> Result<(), Exit> {
        let target = safe_write::resolve(path);
        for p in safe_write::leftovers(safe_write::dir_of(&target)) {
            let _ = writeln!(
                io::stderr(),
                "{}: {}",
                self.lang.pick("cảnh báo", "warning"),
                escape::terminal(&safe_write::leftover_message(&p, self.lang))
            );
        }
        safe_write::write_file(path, bytes, None)
            .map_err(|e| self.fatal(&format!("{}: {}", path.display(), e.message(self.lang))))?;
        if !self.quiet {
            let shown = crate::escape::terminal(&path.to_string_lossy()).into_owned();
            let _ = writeln!(
                io::stderr(),
                "{}",
                self.lang.pick(
                    &format!("đã ghi {what} vào {shown}"),
                    &format!("wrote {what} to {shown}")
                )
            );
        }
        Ok(())
    }

    /// Prints diagnostics in human form on stderr.
    /// Buffered: stderr itself is not, and a log full of errors would
    /// otherwise cost a system call per piece of every message.
    pub fn print_diags(&self, diags: &[Diagnostic]) {
        let refined;
        let diags = if diags.iter().any(|d| d.code == "bad-date") {
            let mut d = diags.to_vec();
            crate::dates::refine_order(&mut d, self.lang);
            refined = d;
            refined.as_slice()
        } else {
            diags
        };
        let mut err = io::BufWriter::with_capacity(1 << 16, io::stderr().lock());
        let _ = diag::render_human(diags, self.color_stderr, self.lang, crate::check::threads(), &mut err);
        let _ = err.flush();
    }

    /// Parses a `--at`-style date option; a `dd/mm/yyyy` date gets the ISO
    /// date it means as a hint.
    pub fn date_option(&self, name: &str, text: &str) -> Result<NaiveDate, Exit> {
        crate::dates::parse_option(text).map_err(|(vi, en)| self.fatal(&format!("{name} {}", self.lang.pick(&vi, &en))))
    }

    /// Parses a `--half` option.
    pub fn half_option(&self, text: &str) -> Result<Half, Exit> {
        Half::parse(text, self.today).map_err(|_| {
            self.fatal(&format!(
                "--half `{}`: {}",
                text.trim(),
                self.lang.pick(
                    "không phải nửa năm: viết như 2023H1 hoặc 2023H2 (hoặc 2023S1, last, this)",
                    "not a half-year: write it like 2023H1 or 2023H2 (also 2023S1, last, this)"
                )
            ))
        })
    }

    /// Parses a `--year` option.
    pub fn year_option(&self, text: &str) -> Result<i32, Exit> {
        parse_year(text, self.today).map_err(|_| {
            self.fatal(&format!(
                "--year `{}`: {}",
                text.trim(),
                self.lang.pick(
                    "không phải năm: viết như 2023 (hoặc last, this)",
                    "not a year: write it like 2023 (also last, this)"
                )
            ))
        })
    }
}

fn color_enabled(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> Exit {
    let lang = cli.lang;
    // These describe the tool itself: no workspace needed.
    match &cli.command {
        Command::Completions(a) => return shell::completions(a, lang),
        Command::Man(a) => return shell::man(a, lang),
        _ => {}
    }
    let start = cli.dir.clone().unwrap_or_else(|| Path::new(".").to_path_buf());
    if cli.dir.as_ref().is_some_and(|d| !d.is_dir()) {
        let _ = writeln!(
            io::stderr(),
            "{}: -C {}: {}",
            lang.pick("lỗi", "error"),
            start.display(),
            lang.pick("không phải thư mục", "not a directory")
        );
        return Exit::Fatal;
    }
    if let Command::Init(a) = &cli.command {
        // A new workspace: there is none to discover yet.
        return init::run(lang, &start, a);
    }
    let ws = match Workspace::discover(&start) {
        Ok(ws) => ws,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}: {}", lang.pick("lỗi", "error"), e.message(lang));
            return Exit::Fatal;
        }
    };
    let ctx = Ctx {
        ws,
        lang,
        color_stdout: color_enabled(cli.color, io::stdout().is_terminal()),
        color_stderr: color_enabled(cli.color, io::stderr().is_terminal()),
        today: chrono::Local::now().date_naive(),
        plan: cli.plan.clone(),
        cwd: std::path::absolute(&start).unwrap_or_else(|_| start.clone()),
        quiet: cli.quiet,
    };
    let result = match &cli.command {
        Command::Check(a) => check::run(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::Fmt(a) => fmt::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Schema(a) => schema::run(&ctx, a),
        Command::Site(a) => site::run(&ctx, a),
        Command::Completions(_) | Command::Man(_) => Ok(Exit::Success),
        Command::Template(a) => template::run(&ctx, a),
        Command::Init(_) => Ok(Exit::Fatal),
    };
    match result {
        Ok(code) => code,
        Err(exit) => exit,
    }
}

/// Writes to stdout; a closed pipe (`plan status | head`) is not an error.
pub fn write_stdout(ctx: &Ctx, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Exit> {
    // Stdout is line-buffered: a block buffer writes a long JSON or table
    // in a few calls instead of one per line.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(ctx.fatal(&e.to_string())),
    }
}

/// The period a command looks at, and the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The period asked for (`--half`, `--year`, `--term`), if any.
    pub window: Option<Span>,
    pub as_of: NaiveDate,
    pub half: Option<Half>,
    pub year: Option<i32>,
}

/// Converts period options: D = `--at`; else the period's last day or today,
/// whichever is earlier; else today.
pub fn select_period(ctx: &Ctx, args: &PeriodArgs, plan: &Plan) -> Result<Selection, Exit> {
    let mut sel = Selection {
        window: None,
        as_of: ctx.today,
        half: None,
        year: None,
    };
    if let Some(h) = &args.half {
        let h = ctx.half_option(h)?;
        sel.half = Some(h);
        sel.window = Some(h.span());
    } else if let Some(y) = &args.year {
        let y = ctx.year_option(y)?;
        sel.year = Some(y);
        sel.window = Some(year_span(y));
    } else if args.term {
        sel.window = Some(plan.term);
    }
    sel.as_of = match (&args.at, sel.window) {
        (Some(at), _) => ctx.date_option("--at", at)?,
        (None, Some(w)) => w.end.min(ctx.today),
        (None, None) => ctx.today,
    };
    Ok(sel)
}

/// Loads and checks the selected plan (exit 1 with its diagnostics when it
/// has errors).
pub fn load_plan(ctx: &Ctx) -> Result<(Vec<PlanFile>, usize), Exit> {
    let plans = load_plans(&ctx.ws, ctx.lang);
    let pf = select(&plans, ctx.plan.as_deref(), ctx.lang).map_err(|e| {
        // A plan file refused by the containment check (`plans/` a link
        // out, say) may be why no plan could be picked: show its error.
        let mut d: Vec<Diagnostic> = plans
            .iter()
            .filter(|p| p.plan.is_none())
            .flat_map(|p| {
                p.diags
                    .iter()
                    .filter(|d| matches!(d.code, "path-escape" | "bad-path"))
                    .cloned()
            })
            .collect();
        diag::sort(&mut d);
        ctx.print_diags(&d);
        ctx.fatal(&e)
    })?;
    let idx = plans.iter().position(|p| std::ptr::eq(p, pf)).unwrap_or(0);
    // Two files with the plan's id: which one is meant is not known, so
    // neither is used (their `duplicate-id` error is shown).
    let id = pf.plan.as_ref().map(|p| p.id.as_str());
    let same_id: Vec<&PlanFile> = plans
        .iter()
        .filter(|p| id.is_some() && p.plan.as_ref().map(|q| q.id.as_str()) == id)
        .collect();
    if same_id.len() > 1 {
        let mut d: Vec<Diagnostic> = same_id.iter().flat_map(|p| p.diags.iter().cloned()).collect();
        diag::sort(&mut d);
        ctx.print_diags(&d);
        return Err(Exit::Invalid);
    }
    if pf.plan.is_none() || pf.diags.iter().any(Diagnostic::is_error) {
        let mut d = pf.diags.clone();
        diag::sort(&mut d);
        ctx.print_diags(&d);
        return Err(refused(&d));
    }
    // Warnings do not stop the command, but are said (as `check` says them):
    // a `no-logs` glob would otherwise show as a silent table of zeros.
    if !pf.diags.is_empty() {
        let mut d = pf.diags.clone();
        diag::sort(&mut d);
        ctx.print_diags(&d);
    }
    Ok((plans, idx))
}

/// Reads the plan's logs on all cores, refusing (exit 1) on any error, and
/// evaluates them as of `as_of`, tallying `windows`. `extra` sees every
/// valid row too (the report's activity titles).
pub fn evaluate<X: ParallelSink>(
    ctx: &Ctx,
    plan: &Plan,
    as_of: NaiveDate,
    windows: &[Span],
    extra: X,
) -> Result<(Evaluation, X), Exit> {
    let mut sink = (Engine::new(plan, as_of, windows), extra);
    let scan = scan_logs_parallel(&ctx.ws, plan, ctx.today, ctx.lang, &mut sink);
    if scan.diags.iter().any(Diagnostic::is_error) {
        let mut d = scan.diags;
        diag::sort(&mut d);
        ctx.print_diags(&d);
        return Err(refused(&d));
    }
    if !scan.diags.is_empty() {
        let mut d = scan.diags;
        diag::sort(&mut d);
        ctx.print_diags(&d); // warnings only, said as `check` says them
    }
    let (engine, extra) = sink;
    if engine.overflow().is_some() {
        ctx.print_diags(&[overflow(ctx, plan, as_of, windows)]);
        return Err(Exit::Invalid);
    }
    Ok((engine.finish(), extra))
}

/// The error for a sum past `u64::MAX`, at the row that made it overflow:
/// found by reading the logs again on one thread, in file order, so that
/// the row named does not depend on how the parallel read split the work.
fn overflow(ctx: &Ctx, plan: &Plan, as_of: NaiveDate, windows: &[Span]) -> Diagnostic {
    let mut one = Engine::new(plan, as_of, windows);
    let scan = scan_logs(&ctx.ws, plan, ctx.today, ctx.lang, &mut |r| one.add(r));
    let most = ctx.lang.int(u64::MAX);
    let message = ctx.lang.pick(
        &format!(
            "một tổng của cột số (cost, participants, recommendations hoặc resolved) vượt quá {most} khi cộng dòng này: có số quá lớn ở dòng này hoặc các dòng trước, hãy kiểm tra lỗi gõ"
        ),
        &format!(
            "a sum of a numeric column (cost, participants, recommendations or resolved) goes past {most} with this row: a figure on it or above it is far too large; check for a typo"
        ),
    ).to_owned();
    match one.overflow().and_then(crate::engine::Overflow::row) {
        Some((file, line)) => {
            let name = scan.files.get(file).map_or(plan.path.as_str(), String::as_str);
            Diagnostic::error(name, "bad-number", message).at(usize::try_from(line).unwrap_or(usize::MAX), 0, None)
        }
        None => Diagnostic::error(&plan.path, "bad-number", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_file_is_exit_2_other_errors_exit_1() {
        let io = Diagnostic::error("logs/a.csv", "io", "permission denied".to_owned());
        let bad = Diagnostic::error("logs/a.csv", "bad-date", "x".to_owned());
        assert_eq!(refused(&[bad.clone(), io]), Exit::Fatal);
        assert_eq!(refused(&[bad]), Exit::Invalid);
    }
}
