//! `plan check`: validate every plan (or `--plan ID`) and its logs.

use std::io::{self, Write};

use crate::cli::{CheckArgs, CheckFormat};
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::load::{load_plans, scan_logs_parallel};
use crate::logs::Discard;

use super::{Ctx, Exit, write_stdout};

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<Exit, Error> {
    let today = match &args.at {
        Some(at) => crate::select::date_option("--at", at, ctx.lang)?,
        None => ctx.today,
    };
    let plans = load_plans(&ctx.ws, ctx.lang);
    let chosen = super::chosen_plans(ctx, &plans)?;
    if chosen.is_empty() {
        return Err(Error::usage(
            ctx.lang
                .pick("thư mục plans/ không có tệp .toml nào", "plans/ holds no .toml file"),
        ));
    }
    let mut diags: Vec<Diagnostic> = Vec::new();
    for pf in chosen {
        diags.extend(pf.diags.iter().cloned());
        if let Some(plan) = &pf.plan {
            diags.extend(scan_logs_parallel(&ctx.ws, plan, today, ctx.lang, &mut Discard).diags);
        }
    }
    diag::sort(&mut diags);
    diags.dedup();
    crate::dates::refine_order(&mut diags, ctx.lang);
    // Plans that read the same log each capped its diagnostics: capped
    // again together (at most 100 per code and file, whatever the plans).
    let diags = diag::cap::limit(diags, ctx.lang);
    match args.format {
        CheckFormat::Human => ctx.print_diags(&diags),
        CheckFormat::Json => write_stdout(|w| diag::render_json(&diags, w))?,
        CheckFormat::Gitlab => {
            let prefix = repo_prefix(ctx);
            write_stdout(|w| diag::gitlab::render(&diags, &prefix, w))?;
        }
        CheckFormat::Github => {
            let prefix = repo_prefix(ctx);
            write_stdout(|w| diag::render_github(&diags, &prefix, w))?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                let summary = std::fs::OpenOptions::new().append(true).create(true).open(path);
                if let Ok(mut f) = summary {
                    let _ = diag::render_github_summary(&diags, ctx.lang, &mut f);
                }
            }
        }
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if args.format == CheckFormat::Human && diags.is_empty() && !ctx.quiet {
        let _ = writeln!(io::stderr(), "{}", ctx.lang.pick("không có lỗi", "no problems found"));
    }
    Ok(if errors > 0 {
        super::refused(&diags)
    } else {
        Exit::Success
    })
}

/// The workspace's path inside its git repository (`programme/`), empty at
/// the root or outside git: CI services place annotations by repository
/// path. Asked of git; else, inside GitHub Actions, from `GITHUB_WORKSPACE`.
fn repo_prefix(ctx: &Ctx) -> String {
    let git = std::process::Command::new("git")
        .arg("-C")
        .arg(&ctx.ws.root)
        .args(["rev-parse", "--show-prefix"])
        .stderr(std::process::Stdio::null())
        .output();
    if let Ok(out) = git {
        if out.status.success() {
            let prefix = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            return prefix.replace('\\', "/");
        }
    }
    let Some(base) = std::env::var_os("GITHUB_WORKSPACE").filter(|v| !v.is_empty()) else {
        return String::new();
    };
    let root = std::fs::canonicalize(&ctx.ws.root).unwrap_or_else(|_| ctx.ws.root.clone());
    let base = std::fs::canonicalize(&base).unwrap_or_else(|_| base.into());
    match root.strip_prefix(&base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}
