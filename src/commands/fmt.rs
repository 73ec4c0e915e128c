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
use crate::load::{load_plans, scan_logs};
use crate::safe_write::{self, Fingerprint, SafeWriter, WriteError};
use crate::textdiff;

use super::{Ctx, Exit, write_stdout};

/// What a file is to `fmt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Plan,
    Log,
}

/// One file to format.
struct Job {
    /// Workspace-relative name, as shown.
    name: String,
    path: PathBuf,
    kind: FileKind,
}

pub fn run(ctx: &Ctx, args: &FmtArgs) -> Result<Exit, Error> {
    let lang = ctx.lang;
    let plans = load_plans(&ctx.ws, lang);
    let plans: Vec<_> = super::chosen_plans(ctx, &plans)?.into_iter().cloned().collect();

    // Diagnostics by file; every known plan and log file.
    let mut diags: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut known: BTreeMap<String, Job> = BTreeMap::new();
    for pf in &plans {
        diags
            .entry(pf.file.clone())
            .or_default()
            .extend(pf.diags.iter().cloned());
        known.insert(
            pf.file.clone(),
            Job {
                name: pf.file.clone(),
                path: ctx.ws.path(&pf.file),
                kind: FileKind::Plan,
            },
        );
        let Some(plan) = &pf.plan else { continue };
        // `done-in-future` depends on the calendar, not on the file's form:
        // formatting must not, so no day is "the future" here.
        let scan = scan_logs(&ctx.ws, plan, NaiveDate::MAX, lang, &mut |_| {});
        for d in scan.diags {
            diags.entry(d.file.clone()).or_default().push(d);
        }
        for (name, path) in scan.files.iter().zip(&scan.paths) {
            known.entry(name.clone()).or_insert_with(|| Job {
                name: name.clone(),
                path: path.clone(),
                kind: FileKind::Log,
            });
        }
    }

    let jobs: Vec<&Job> = if args.files.is_empty() {
        let mut v: Vec<&Job> = known.values().collect();
        // Plans first, then logs; each group by name.
        v.sort_by_key(|j| (j.kind == FileKind::Log, j.name.clone()));
        v
    } else {
        let mut picked: Vec<&Job> = Vec::new();
        for f in &args.files {
            let job = find_job(ctx, &known, f)?;
            if !picked.iter().any(|j| j.name == job.name) {
                picked.push(job);
            }
        }
        picked
    };

    let mut refused: Vec<Diagnostic> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    // With --check: under each file, what differs (`textdiff`).
    let mut details: Vec<String> = Vec::new();
    let mut fatal = false;
    let mut invalid = false;
    // Directories already searched for leftover temporary files.
    let mut seen_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut workbooks = 0usize;
    for job in jobs {
        if crate::logs::workbook::is_workbook_name(&job.name) {
            workbooks += 1;
            continue;
        }
        let file_diags = diags.get(&job.name).map(Vec::as_slice).unwrap_or_default();
        if file_diags.iter().any(Diagnostic::is_error) {
            refused.extend(file_diags.iter().cloned());
            invalid = true;
            continue;
        }
        let dir = safe_write::dir_of(&safe_write::resolve(&job.path)).to_path_buf();
        if seen_dirs.insert(dir.clone()) {
            for p in safe_write::leftovers(&dir) {
                let shown = p.strip_prefix(&ctx.ws.root).unwrap_or(&p);
                let _ = writeln!(
                    io::stderr(),
                    "{}: {}",
                    lang.pick("cảnh báo", "warning"),
                    escape::terminal(&safe_write::leftover_message(shown, lang))
                );
            }
        }
        match format_file(job, args.check.then_some(args.diff), lang) {
            Ok(None) => continue,
            Ok(Some(detail)) => details.push(detail),
            Err(e) => {
                crate::error::print(&Error::io(format!("{}: {e}", job.name)), lang);
                fatal = true;
                continue;
            }
        }
        changed.push(job.name.clone());
    }

    if !changed.is_empty() {
        write_stdout(|w| {
            for (i, name) in changed.iter().enumerate() {
                writeln!(w, "{}", escape::terminal(name))?;
                w.write_all(details.get(i).map_or("", String::as_str).as_bytes())?;
            }
            Ok(())
        })?;
    }
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
    if !refused.is_empty() {
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
    if args.check && !changed.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "{}",
            lang.pick(
                &format!("{} tệp chưa đúng dạng chuẩn: chạy `plan fmt` để sửa", changed.len()),
                &format!("{} file(s) not in canonical form: run `plan fmt` to fix", changed.len()),
            )
        );
    }
    Ok(if fatal {
        Exit::Fatal
    } else if invalid || (args.check && !changed.is_empty()) {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// The known file that `arg` names (relative to the directory `plan` runs
/// in, which `-C` sets, or else to the workspace root).
fn find_job<'a>(ctx: &Ctx, known: &'a BTreeMap<String, Job>, arg: &Path) -> Result<&'a Job, Error> {
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

/// Formats one file (with `check`, only reads it). `Ok(true)` when it is
/// not in canonical form (and, without `check`, has been rewritten). A log is
/// streamed: read once to compare with its canonical form (stopping at the
/// first difference), and when it must be rewritten, read again into sorted
/// runs written through the safe writer; memory does not grow with it.
/// Formats one file: `Ok(None)` when it is already canonical. With
/// `check` (`Some(unified)`) nothing is written and the result is what
/// `fmt --check` prints under the file's name (the first difference, or a
/// unified diff).
fn format_file(job: &Job, check: Option<bool>, lang: Lang) -> Result<Option<String>, String> {
    let io_err = |e: io::Error| lang.io_error(&e);
    let write_err = |e: WriteError| {
        format!(
            "{}: {}",
            lang.pick("không ghi được tệp", "cannot write the file"),
            e.message(lang)
        )
    };
    let mut file = File::open(&job.path).map_err(io_err)?;
    // Taken before reading: any change from now on refuses the write.
    let read_at = Fingerprint::of(&file.metadata().map_err(io_err)?);
    match job.kind {
        FileKind::Plan => {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(io_err)?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| lang.pick("tệp không phải UTF-8", "the file is not UTF-8").to_owned())?;
            let formatted = canonical::plan_toml(&job.name, text, lang).map_err(|e| e.to_string())?;
            if formatted.as_bytes() == bytes.as_slice() {
                return Ok(None);
            }
            match check {
                Some(unified) => Ok(Some(textdiff::explain(
                    &job.name,
                    &bytes,
                    formatted.as_bytes(),
                    unified,
                    lang,
                ))),
                None => {
                    safe_write::write_file(&job.path, formatted.as_bytes(), Some(read_at)).map_err(write_err)?;
                    Ok(Some(String::new()))
                }
            }
        }
        FileKind::Log => {
            if canonical::scan_log(&file, None).map_err(|e| e.to_string())?.canonical {
                return Ok(None);
            }
            file.rewind().map_err(io_err)?;
            match check {
                Some(unified) => log_difference(job, &mut file, read_at, unified, lang),
                None => {
                    let mut w = SafeWriter::create(&job.path, Some(read_at)).map_err(write_err)?;
                    let spill = Spill::in_dir(safe_write::dir_of(w.target()));
                    let pass = canonical::scan_log(&file, Some(spill)).map_err(|e| e.to_string())?;
                    pass.write_to(&mut w).map_err(|e| write_err(WriteError::Io(e)))?;
                    w.commit().map_err(write_err)?;
                    Ok(Some(String::new()))
                }
            }
        }
    }
}

/// What `fmt --check` shows for a log that is not canonical. A log up to
/// [`Spill::LIMIT`] bytes is compared in memory (and can be shown as a
/// unified diff); a larger one is sorted as `fmt` would (runs spilled to
/// anonymous temporary files beside it) into an anonymous file and compared
/// line by line, so memory stays bounded: its first differing line is shown.
fn log_difference(
    job: &Job,
    file: &mut File,
    read_at: Fingerprint,
    unified: bool,
    lang: Lang,
) -> Result<Option<String>, String> {
    let io_err = |e: io::Error| lang.io_error(&e);
    if read_at.size() > Spill::LIMIT as u64 {
        let dir = safe_write::dir_of(&safe_write::resolve(&job.path)).to_path_buf();
        let pass = canonical::scan_log(&*file, Some(Spill::in_dir(&dir))).map_err(|e| e.to_string())?;
        let mut formatted = tempfile::tempfile_in(&dir).map_err(io_err)?;
        pass.write_to(&mut io::BufWriter::new(&mut formatted)).map_err(io_err)?;
        formatted.rewind().map_err(io_err)?;
        file.rewind().map_err(io_err)?;
        let found =
            textdiff::first_difference_in(io::BufReader::new(&*file), io::BufReader::new(formatted)).map_err(io_err)?;
        let mut out = found.map(|d| textdiff::show_difference(d, lang)).unwrap_or_default();
        if unified {
            out.push_str(&format!(
                "    {}\n",
                lang.pick(
                    "(tệp lớn: không in diff đầy đủ, chỉ dòng khác đầu tiên)",
                    "(a large file: no full diff, only the first differing line)"
                )
            ));
        }
        return Ok(Some(out));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io_err)?;
    let pass = canonical::scan_log(bytes.as_slice(), Some(Spill::in_memory())).map_err(|e| e.to_string())?;
    let mut formatted = Vec::new();
    pass.write_to(&mut formatted).map_err(io_err)?;
    Ok(Some(textdiff::explain(&job.name, &bytes, &formatted, unified, lang)))
}
