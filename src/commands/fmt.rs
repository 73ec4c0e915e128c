//! `plan fmt`: rewrite plans and logs in canonical form ([`crate::canonical`]).
//!
//! The files come from the arguments or, by default, are every plan of the
//! workspace and every log its plans name. A file with errors (as `plan check`
//! sees them) is left alone and its diagnostics are printed. Files are
//! written by [`crate::safe_write`] (a temporary file in the same directory,
//! then a rename; refused when the file changed since it was read), and
//! logs are streamed, so memory does not grow with their size. `--check`
//! writes nothing and lists the files that would change. Temporary files
//! left by a killed run in a directory of the files are named in a warning.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::canonical::{self, Spill};
use crate::cli::FmtArgs;
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::escape;
use crate::lang::Lang;
use crate::load::{PlanFile, ProvenLog, load_plans, scan_logs_proving, threads};
use crate::logs::Discard;
use crate::safe_write::{self, Fingerprint, SafeWriter, WriteError};
use crate::textdiff;

use super::{Ctx, Exit, write_stdout};

/// What a file is to `fmt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Plan,
    Log,
}

/// A plan or log that `fmt` may format.
struct FmtFile {
    /// Workspace-relative name, as shown.
    name: String,
    path: PathBuf,
    kind: FileKind,
    /// A log its check proved canonical.
    proven: Option<ProvenLog>,
}

/// What formatting the picked files came to.
#[derive(Default)]
struct Outcome {
    /// The diagnostics of files left alone because they have errors.
    refused: Vec<Diagnostic>,
    /// Files not in canonical form (rewritten, without `--check`).
    changed: Vec<String>,
    /// With `--check`: under each changed file, what differs (`textdiff`).
    details: Vec<String>,
    fatal: bool,
    workbooks: usize,
}

pub fn run(ctx: &Ctx, args: &FmtArgs) -> Result<Exit, Error> {
    let plans = selected_plans(ctx)?;
    let (diags, known) = known_files(ctx, &plans);
    let files = pick_files(ctx, args, &known)?;
    let outcome = format_all(ctx, args, &files, &diags);
    print_outcome(ctx, args, &outcome)?;
    Ok(if outcome.fatal {
        Exit::Fatal
    } else if !outcome.refused.is_empty() || (args.check && !outcome.changed.is_empty()) {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// The plans `fmt` works on: `--plan ID`, or every plan of the workspace.
fn selected_plans(ctx: &Ctx) -> Result<Vec<PlanFile>, Error> {
    let plans = load_plans(&ctx.ws, ctx.lang);
    Ok(super::chosen_plans(ctx, &plans)?.into_iter().cloned().collect())
}

/// Every plan file and every log its plan names, and the diagnostics of
/// each (as `plan check` gives them), by name.
fn known_files(ctx: &Ctx, plans: &[PlanFile]) -> (BTreeMap<String, Vec<Diagnostic>>, BTreeMap<String, FmtFile>) {
    let mut diags: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut known: BTreeMap<String, FmtFile> = BTreeMap::new();
    for pf in plans {
        diags
            .entry(pf.file.clone())
            .or_default()
            .extend(pf.diags.iter().cloned());
        known.insert(
            pf.file.clone(),
            FmtFile {
                name: pf.file.clone(),
                path: ctx.ws.path(&pf.file),
                kind: FileKind::Plan,
                proven: None,
            },
        );
        let Some(plan) = &pf.plan else { continue };
        // `done-in-future` depends on the calendar, not on the file's form:
        // formatting must not, so no day is "the future" here.
        // The check also proves each log canonical as it reads it, so
        // that a canonical log is not read again.
        let scan = scan_logs_proving(&ctx.ws, plan, NaiveDate::MAX, ctx.lang, &mut Discard);
        for d in scan.diags {
            diags.entry(d.file.clone()).or_default().push(d);
        }
        for (i, (name, path)) in scan.files.iter().zip(&scan.paths).enumerate() {
            known.entry(name.clone()).or_insert_with(|| FmtFile {
                name: name.clone(),
                path: path.clone(),
                kind: FileKind::Log,
                proven: scan.proven.get(i).copied().flatten(),
            });
        }
    }
    (diags, known)
}

/// The files named on the command line, or else every known file: plans
/// first, then logs, each group by name.
fn pick_files<'a>(ctx: &Ctx, args: &FmtArgs, known: &'a BTreeMap<String, FmtFile>) -> Result<Vec<&'a FmtFile>, Error> {
    if args.files.is_empty() {
        let mut v: Vec<&FmtFile> = known.values().collect();
        v.sort_by_key(|f| (f.kind == FileKind::Log, f.name.clone()));
        return Ok(v);
    }
    let mut picked: Vec<&FmtFile> = Vec::new();
    for f in &args.files {
        let file = find_file(ctx, known, f)?;
        if !picked.iter().any(|p| p.name == file.name) {
            picked.push(file);
        }
    }
    Ok(picked)
}

/// Formats (or with `--check`, compares) each file in turn; a file with
/// errors is left alone, a workbook is only counted.
fn format_all(ctx: &Ctx, args: &FmtArgs, files: &[&FmtFile], diags: &BTreeMap<String, Vec<Diagnostic>>) -> Outcome {
    let mut outcome = Outcome::default();
    // Directories already searched for leftover temporary files.
    let mut seen_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for file in files {
        if crate::logs::workbook::is_workbook_name(&file.name) {
            outcome.workbooks += 1;
            continue;
        }
        let file_diags = diags.get(&file.name).map(Vec::as_slice).unwrap_or_default();
        if file_diags.iter().any(Diagnostic::is_error) {
            outcome.refused.extend(file_diags.iter().cloned());
            continue;
        }
        let dir = safe_write::dir_of(&safe_write::resolve(&file.path)).to_path_buf();
        if seen_dirs.insert(dir.clone()) {
            warn_leftovers(ctx, &dir);
        }
        match format_file(file, args.check.then_some(args.diff), ctx.lang) {
            Ok(None) => {}
            Ok(Some(detail)) => {
                outcome.details.push(detail);
                outcome.changed.push(file.name.clone());
            }
            Err(e) => {
                crate::error::print(&Error::io(format!("{}: {e}", file.name)), ctx.lang);
                outcome.fatal = true;
            }
        }
    }
    outcome
}

/// Names the temporary files a killed run left in `dir`.
fn warn_leftovers(ctx: &Ctx, dir: &Path) {
    for p in safe_write::leftovers(dir) {
        let shown = p.strip_prefix(&ctx.ws.root).unwrap_or(&p);
        let _ = writeln!(
            io::stderr(),
            "{}: {}",
            ctx.lang.pick("cảnh báo", "warning"),
            escape::terminal(&safe_write::leftover_message(shown, ctx.lang))
        );
    }
}

/// Prints the changed files (with what differs, under `--check`) on
/// stdout; the workbooks left alone, the refused files' diagnostics and the
/// `--check` summary on stderr.
fn print_outcome(ctx: &Ctx, args: &FmtArgs, outcome: &Outcome) -> Result<(), Error> {
    let lang = ctx.lang;
    if !outcome.changed.is_empty() {
        write_stdout(|w| {
            for (i, name) in outcome.changed.iter().enumerate() {
                writeln!(w, "{}", escape::terminal(name))?;
                w.write_all(outcome.details.get(i).map_or("", String::as_str).as_bytes())?;
            }
            Ok(())
        })?;
    }
    let workbooks = outcome.workbooks;
    if workbooks > 0 {
        let _ = writeln!(
            io::stderr(),
            "{}",
            lang.pick(
                &format!("{workbooks} sổ tính được giữ nguyên: `plan fmt` không định dạng sổ tính"),
                &format!("{workbooks} workbook(s) left as they are: `plan fmt` does not format workbooks"),
            )
        );
    }
    if !outcome.refused.is_empty() {
        let mut refused = outcome.refused.clone();
        diag::sort(&mut refused);
        refused.dedup();
        ctx.print_diags(&refused);
        let files: BTreeSet<&str> = refused.iter().map(|d| d.file.as_str()).collect();
        let list = escape::terminal(&files.into_iter().collect::<Vec<_>>().join(", ")).into_owned();
        let _ = writeln!(
            io::stderr(),
            "{}",
            lang.pick(
                &format!("không định dạng các tệp có lỗi: {list}"),
                &format!("files with errors were not formatted: {list}"),
            )
        );
    }
    let changed = outcome.changed.len();
    if args.check && changed > 0 {
        let _ = writeln!(
            io::stderr(),
            "{}",
            lang.pick(
                &format!("{changed} tệp chưa đúng dạng chuẩn: chạy `plan fmt` để sửa"),
                &format!("{changed} file(s) not in canonical form: run `plan fmt` to fix"),
            )
        );
    }
    Ok(())
}

/// The known file that `arg` names (relative to the directory `plan` runs
/// in, which `-C` sets, or else to the workspace root).
fn find_file<'a>(ctx: &Ctx, known: &'a BTreeMap<String, FmtFile>, arg: &Path) -> Result<&'a FmtFile, Error> {
    let candidates = [ctx.cwd.join(arg), ctx.ws.root.join(arg)];
    let target = candidates
        .iter()
        .find(|p| p.exists())
        .and_then(|p| fs::canonicalize(p).ok())
        .ok_or_else(|| {
            Error::usage(format!(
                "{}: {}",
                arg.display(),
                ctx.lang.pick("không có tệp này", "no such file")
            ))
        })?;
    known
        .values()
        .find(|j| fs::canonicalize(&j.path).is_ok_and(|p| p == target))
        .ok_or_else(|| {
            Error::usage(format!(
                "{}: {}",
                arg.display(),
                ctx.lang.pick(
                    "không phải một kế hoạch trong plans/ hay một tệp nhật ký mà `logs` của kế hoạch chỉ tới",
                    "neither a plan in plans/ nor a log file named by a plan's `logs`",
                )
            ))
        })
}

/// Formats one file: `Ok(None)` when it is already canonical. With
/// `check` (`Some(unified)`) nothing is written and the result is what
/// `fmt --check` prints under the file's name (the first difference, or a
/// unified diff).
fn format_file(file: &FmtFile, check: Option<bool>, lang: Lang) -> Result<Option<String>, String> {
    let io_err = |e: io::Error| lang.io_error(&e);
    let mut f = File::open(&file.path).map_err(io_err)?;
    // Taken before reading: any change from now on refuses the write.
    let read_at = Fingerprint::of(&f.metadata().map_err(io_err)?);
    match file.kind {
        FileKind::Plan => format_plan(file, &mut f, read_at, check, lang),
        FileKind::Log => format_log(file, &mut f, read_at, check, lang),
    }
}

fn write_error(e: WriteError, lang: Lang) -> String {
    format!(
        "{}: {}",
        lang.pick("không ghi được tệp", "cannot write the file"),
        e.message(lang)
    )
}

/// [`format_file`] for a plan, read whole.
fn format_plan(
    file: &FmtFile,
    f: &mut File,
    read_at: Fingerprint,
    check: Option<bool>,
    lang: Lang,
) -> Result<Option<String>, String> {
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(|e| lang.io_error(&e))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| lang.pick("tệp không phải UTF-8", "the file is not UTF-8").to_owned())?;
    let formatted = canonical::plan_toml(&file.name, text, lang).map_err(|e| e.to_string())?;
    if formatted.as_bytes() == bytes.as_slice() {
        return Ok(None);
    }
    if let Some(unified) = check {
        Ok(Some(textdiff::explain(
            &file.name,
            &bytes,
            formatted.as_bytes(),
            unified,
            lang,
        )))
    } else {
        safe_write::write_file(&file.path, formatted.as_bytes(), Some(read_at)).map_err(|e| write_error(e, lang))?;
        Ok(Some(String::new()))
    }
}

/// [`format_file`] for a log, streamed. A canonical log is recognised from
/// its bytes on every core ([`canonical::proven_canonical`]); any other is
/// rendered and sorted on every core ([`canonical::sorted_log`], sorted runs
/// spilled beside it), or when that reading cannot follow it, read once
/// into its canonical rows by the full pass (runs spilled past
/// [`Spill::LIMIT`]); the text is written through the safe writer or
/// compared.
fn format_log(
    file: &FmtFile,
    f: &mut File,
    read_at: Fingerprint,
    check: Option<bool>,
    lang: Lang,
) -> Result<Option<String>, String> {
    let io_err = |e: io::Error| lang.io_error(&e);
    if let Some(proven) = &file.proven
        && proven.holds(f, read_at).map_err(io_err)?
    {
        return Ok(None);
    }
    if let Some(unified) = check {
        // A full diff needs both whole texts (held in memory up to
        // Spill::LIMIT); the first difference is found from the log's bytes.
        if !unified || read_at.size() > Spill::LIMIT as u64 {
            match canonical::first_difference(f, threads()).map_err(io_err)? {
                canonical::Found::Canonical => return Ok(None),
                canonical::Found::Differs(d) => {
                    let mut out = textdiff::show_difference(d, lang);
                    if unified {
                        out.push_str(&large_file_note(lang));
                    }
                    return Ok(Some(out));
                }
                canonical::Found::Unknown => {}
            }
        }
        if canonical::proven_canonical(f, threads()).map_err(io_err)? {
            return Ok(None);
        }
        f.rewind().map_err(io_err)?;
        return log_difference(file, f, read_at, unified, lang);
    }
    if canonical::proven_canonical(f, threads()).map_err(io_err)? {
        return Ok(None);
    }
    let dir = safe_write::dir_of(&safe_write::resolve(&file.path)).to_path_buf();
    if let Some(sorted) = canonical::sorted_log(f, threads(), &dir).map_err(io_err)? {
        let mut w = SafeWriter::create(&file.path, Some(read_at)).map_err(|e| write_error(e, lang))?;
        w.write_at(|at| sorted.write_to(at))
            .map_err(|e| write_error(WriteError::Io(e), lang))?;
        w.commit().map_err(|e| write_error(e, lang))?;
        return Ok(Some(String::new()));
    }
    f.rewind().map_err(io_err)?;
    let pass = canonical::scan_log(&*f, Some(Spill::in_dir(&dir))).map_err(|e| e.to_string())?;
    if pass.canonical {
        return Ok(None);
    }
    let mut w = SafeWriter::create(&file.path, Some(read_at)).map_err(|e| write_error(e, lang))?;
    pass.write_to(&mut w)
        .map_err(|e| write_error(WriteError::Io(e), lang))?;
    w.commit().map_err(|e| write_error(e, lang))?;
    Ok(Some(String::new()))
}

/// What `fmt --check` shows for a log not proved canonical (`None` when it
/// is canonical after all). A log up to [`Spill::LIMIT`] bytes is compared
/// in memory (and can be shown as a unified diff); a larger one is sorted
/// as `fmt` would (runs spilled to anonymous temporary files beside it)
/// into an anonymous file and compared line by line, so memory stays
/// bounded: its first differing line is shown.
fn log_difference(
    file: &FmtFile,
    f: &mut File,
    read_at: Fingerprint,
    unified: bool,
    lang: Lang,
) -> Result<Option<String>, String> {
    let io_err = |e: io::Error| lang.io_error(&e);
    if read_at.size() > Spill::LIMIT as u64 {
        let dir = safe_write::dir_of(&safe_write::resolve(&file.path)).to_path_buf();
        let pass = canonical::scan_log(&*f, Some(Spill::in_dir(&dir))).map_err(|e| e.to_string())?;
        if pass.canonical {
            return Ok(None);
        }
        let mut formatted = tempfile::tempfile_in(&dir).map_err(io_err)?;
        pass.write_to(&mut io::BufWriter::new(&mut formatted)).map_err(io_err)?;
        formatted.rewind().map_err(io_err)?;
        f.rewind().map_err(io_err)?;
        let found =
            textdiff::first_difference_in(io::BufReader::new(&*f), io::BufReader::new(formatted)).map_err(io_err)?;
        let mut out = found.map(|d| textdiff::show_difference(d, lang)).unwrap_or_default();
        if unified {
            out.push_str(&large_file_note(lang));
        }
        return Ok(Some(out));
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(io_err)?;
    let pass = canonical::scan_log(bytes.as_slice(), Some(Spill::in_memory())).map_err(|e| e.to_string())?;
    if pass.canonical {
        return Ok(None);
    }
    let mut formatted = Vec::new();
    pass.write_to(&mut formatted).map_err(io_err)?;
    Ok(Some(textdiff::explain(&file.name, &bytes, &formatted, unified, lang)))
}

/// Printed under a large log's first difference when `--diff` was asked.
fn large_file_note(lang: Lang) -> String {
    format!(
        "    {}\n",
        lang.pick(
            "(tệp lớn: không in diff đầy đủ, chỉ dòng khác đầu tiên)",
            "(a large file: no full diff, only the first differing line)"
        )
    )
}
