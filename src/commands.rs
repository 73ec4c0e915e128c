//! One module per command: options → library calls → rendering. This module
//! holds what they share: the context (workspace, language, colour, today),
//! the exit codes, the plan a command works on and the checked evaluation
//! pipeline. Commands return [`Error`] when they stop; [`crate::run`] prints it.

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

use crate::cli::{Cli, ColorChoice, Command};
use crate::diag::{self, Diagnostic};
use crate::engine::{Engine, Evaluation};
use crate::error::Error;
use crate::lang::Lang;
use crate::load::{PlanFile, load_plans, scan_logs, scan_logs_parallel, select};
use crate::logs::ParallelSink;
use crate::model::Plan;
use crate::period::Span;
use crate::report::office::Office;
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
/// read at all (the tool could not run), else 1.
pub fn refused(diags: &[Diagnostic]) -> Exit {
    refusal(diags).exit()
}

/// The error of a command refused for `diags` (already shown).
pub fn refusal(diags: &[Diagnostic]) -> Error {
    Error::Refused {
        unreadable: diags.iter().any(|d| d.code == "io"),
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
    /// The usage error for `--WHAT CODE` naming no code of the plan: the
    /// nearest code, then the valid ones as `check` lists them (at most 30).
    pub fn unknown_code(&self, what: &str, code: &str, list: Vec<&str>) -> Error {
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
        Error::Usage(format!(
            "--{what} `{code}`: {}{hint}; {} {valid}",
            lang.pick("không có trong kế hoạch", "not in the plan"),
            lang.pick("các mã hợp lệ:", "valid codes:"),
        ))
    }

    /// Writes a command's output file and says so on stderr (unless
    /// `--quiet`): "đã ghi báo cáo vào bc.docx".
    pub fn write_output(&self, path: &Path, bytes: &[u8], what: &str) -> Result<(), Error> {
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
            .map_err(|e| Error::Io(format!("{}: {}", path.display(), e.message(self.lang))))?;
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
        let _ = diag::render_human(diags, self.color_stderr, self.lang, crate::load::threads(), &mut err);
        let _ = err.flush();
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
pub fn dispatch(cli: Cli) -> Result<Exit, Error> {
    let lang = cli.lang;
    // These describe the tool itself: no workspace needed.
    match &cli.command {
        Command::Completions(a) => return shell::completions(a, lang),
        Command::Man(a) => return shell::man(a, lang),
        _ => {}
    }
    let start = cli.dir.clone().unwrap_or_else(|| Path::new(".").to_path_buf());
    if cli.dir.as_ref().is_some_and(|d| !d.is_dir()) {
        return Err(Error::Usage(format!(
            "-C {}: {}",
            start.display(),
            lang.pick("không phải thư mục", "not a directory")
        )));
    }
    if let Command::Init(a) = &cli.command {
        // A new workspace: there is none to discover yet.
        return init::run(lang, &start, a);
    }
    let ws = Workspace::discover(&start).map_err(|e| Error::Io(e.message(lang)))?;
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
    match &cli.command {
        Command::Check(a) => check::run(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::Fmt(a) => fmt::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Schema(a) => schema::run(&ctx, a),
        Command::Site(a) => site::run(&ctx, a),
        Command::Template(a) => template::run(&ctx, a),
        Command::Completions(_) | Command::Man(_) | Command::Init(_) => Ok(Exit::Success),
    }
}

/// Writes to stdout; a closed pipe (`plan status | head`) is not an error.
pub fn write_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    // Stdout is line-buffered: a block buffer writes a long JSON or table
    // in a few calls instead of one per line.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Io(e.to_string())),
    }
}

/// The plan files `--plan ID` picks: that one (a usage error when there is
/// none), else all of them.
pub fn chosen_plans<'a>(ctx: &Ctx, plans: &'a [PlanFile]) -> Result<Vec<&'a PlanFile>, Error> {
    Ok(match &ctx.plan {
        Some(id) => vec![select(plans, Some(id), ctx.lang).map_err(Error::Usage)?],
        None => plans.iter().collect(),
    })
}

/// `--org CODE` and `--unit CODE`, checked against the plan.
pub fn office_option(ctx: &Ctx, plan: &Plan, org: Option<&str>, unit: Option<&str>) -> Result<Office, Error> {
    let org = match org {
        Some(c) => Some(
            plan.org(c)
                .ok_or_else(|| ctx.unknown_code("org", c, plan.orgs.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    let unit = match unit {
        Some(c) => Some(
            plan.unit(c)
                .ok_or_else(|| ctx.unknown_code("unit", c, plan.units.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    Ok(Office { org, unit })
}

/// Loads and checks the selected plan (refused, its diagnostics shown, when
/// it has errors).
pub fn load_plan(ctx: &Ctx) -> Result<Plan, Error> {
    let mut plans = load_plans(&ctx.ws, ctx.lang);
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
        Error::Usage(e)
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
        return Err(Error::Refused { unreadable: false });
    }
    if pf.plan.is_none() || pf.diags.iter().any(Diagnostic::is_error) {
        let mut d = pf.diags.clone();
        diag::sort(&mut d);
        ctx.print_diags(&d);
        return Err(refusal(&d));
    }
    // Warnings do not stop the command, but are said (as `check` says them):
    // a `no-logs` glob would otherwise show as a silent table of zeros.
    if !pf.diags.is_empty() {
        let mut d = pf.diags.clone();
        diag::sort(&mut d);
        ctx.print_diags(&d);
    }
    let plan = (idx < plans.len()).then(|| plans.swap_remove(idx).plan).flatten();
    plan.ok_or(Error::Refused { unreadable: false })
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
) -> Result<(Evaluation, X), Error> {
    let mut sink = (Engine::new(plan, as_of, windows), extra);
    let scan = scan_logs_parallel(&ctx.ws, plan, ctx.today, ctx.lang, &mut sink);
    if scan.diags.iter().any(Diagnostic::is_error) {
        let mut d = scan.diags;
        diag::sort(&mut d);
        ctx.print_diags(&d);
        return Err(refusal(&d));
    }
    if !scan.diags.is_empty() {
        let mut d = scan.diags;
        diag::sort(&mut d);
        ctx.print_diags(&d); // warnings only, said as `check` says them
    }
    let (mut engine, extra) = sink;
    if engine.overflow().is_some() {
        ctx.print_diags(&[overflow(ctx, plan, as_of, windows)]);
        return Err(Error::Refused { unreadable: false });
    }
    Ok((engine.finish(), extra))
}

/// The error for a sum past `u64::MAX`, at the row that made it overflow:
/// found by reading the logs again on one thread, in file order, so that
/// the row named does not depend on how the parallel read split the work.
fn overflow(ctx: &Ctx, plan: &Plan, as_of: NaiveDate, windows: &[Span]) -> Diagnostic {
    let mut one = Engine::exact(plan, as_of, windows);
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
