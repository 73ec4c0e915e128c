//! `plan fmt`: rewrite plans and logs in canonical form ([`crate::canonical`]).
//!
//! The files come from the arguments or, by default, are every plan of the
//! workspace and every log its plans name. A file with errors (as `plan check`
//! sees them) is left alone and its diagnostics are printed. Writes are
//! atomic: a temporary file in the same directory, then a rename. `--check`
//! writes nothing and lists the files that would change.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::canonical;
use crate::check::{load_plans, scan_logs};
use crate::cli::FmtArgs;
use crate::diag::{self, Diagnostic};

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

pub fn run(ctx: &Ctx, args: &FmtArgs) -> Result<Exit, Exit> {
    let lang = ctx.lang;
    let plans = load_plans(&ctx.ws, lang);
    let plans: Vec<_> = match &ctx.plan {
        Some(id) => {
            let one = crate::check::select(&plans, Some(id), lang).map_err(|e| ctx.fatal(&e))?;
            vec![one.clone()]
        }
        None => plans,
    };

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
    let mut fatal = false;
    let mut invalid = false;
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
        let bytes = match fs::read(&job.path) {
            Ok(b) => b,
            Err(e) => {
                ctx.fatal(&format!("{}: {}", job.name, lang.io_error(&e)));
                fatal = true;
                continue;
            }
        };
        let formatted = match job.kind {
            FileKind::Plan => match std::str::from_utf8(&bytes) {
                Ok(text) => canonical::plan_toml(&job.name, text, lang).map_err(|e| e.to_string()),
                Err(_) => Err(lang.pick("tệp không phải UTF-8", "the file is not UTF-8").to_owned()),
            },
            FileKind::Log => canonical::log_csv(&bytes).map_err(|e| e.to_string()),
        };
        let formatted = match formatted {
            Ok(f) => f,
            Err(e) => {
                ctx.fatal(&format!("{}: {e}", job.name));
                fatal = true;
                continue;
            }
        };
        if formatted.as_bytes() == bytes.as_slice() {
            continue;
        }
        if !args.check {
            if let Err(e) = write_atomic(&job.path, formatted.as_bytes()) {
                ctx.fatal(&format!(
                    "{}: {}: {}",
                    job.name,
                    lang.pick("không ghi được tệp", "cannot write the file"),
                    lang.io_error(&e)
                ));
                fatal = true;
                continue;
            }
        }
        changed.push(job.name.clone());
    }

    if !changed.is_empty() {
        write_stdout(ctx, |w| {
            for name in &changed {
                writeln!(w, "{name}")?;
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
        let list = files.into_iter().collect::<Vec<_>>().join(", ");
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
fn find_job<'a>(ctx: &Ctx, known: &'a BTreeMap<String, Job>, arg: &Path) -> Result<&'a Job, Exit> {
    let candidates = [ctx.cwd.join(arg), ctx.ws.root.join(arg)];
    let target = candidates
        .iter()
        .find(|p| p.exists())
        .and_then(|p| fs::canonicalize(p).ok())
        .ok_or_else(|| {
            ctx.fatal(&format!(
                "{}: {}",
                arg.display(),
                ctx.lang.pick("không có tệp này", "no such file")
            ))
        })?;
    known
        .values()
        .find(|j| fs::canonicalize(&j.path).is_ok_and(|p| p == target))
        .ok_or_else(|| {
            ctx.fatal(&format!(
                "{}: {}",
                arg.display(),
                ctx.lang.pick(
                    "không phải một kế hoạch trong plans/ hay một tệp nhật ký mà `logs` của kế hoạch chỉ tới",
                    "neither a plan in plans/ nor a log file named by a plan's `logs`",
                )
            ))
        })
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over the original (whose permissions it
/// takes). A symlink is followed, so the link stays a link.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.plan-fmt-{}-{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(bytes)?;
        if let Ok(meta) = fs::metadata(&path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
