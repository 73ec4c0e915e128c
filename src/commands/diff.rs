//! `plan diff REV [REV2]`: what changed in the plans and logs between two git
//! revisions (REV2 defaults to the working tree), as meaning.
//!
//! Git is run as a program (`git show`, `git ls-tree`, `git rev-parse`), so
//! the user's own git and configuration answer. Both versions of every plan
//! and its logs are read and checked first: an error in a plan on either
//! side stops the command (exit 1, its diagnostics on stderr); errors in the
//! logs do not hide the change under review: it is shown, then the errors
//! (exit 1). The comparison itself is [`crate::plandiff`]'s.

use crate::logs::workbook::SheetChoice;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::git::Git;
use crate::load::version::{FileSource, Version};
use crate::model::Plan;
use crate::plandiff::{self, Action, LogDiff, PlanDiff, Report};

use super::{Ctx, Exit, write_stdout};

pub fn run(ctx: &Ctx, args: &DiffArgs) -> Result<Exit, Error> {
    let git = Git::open(&ctx.ws.root, ctx.lang)?;
    let from = git.commit(&args.rev, ctx.lang)?;
    let to = match &args.rev2 {
        Some(r) => Some(git.commit(r, ctx.lang)?),
        None => None,
    };
    let revision = |rev: &str, commit: &str| FileSource::Revision {
        git: &git,
        rev: rev.to_owned(),
        commit: commit.to_owned(),
    };
    let old = Version::load(&ctx.ws, revision(&args.rev, &from), ctx.plan.as_deref(), ctx.lang)?;
    let new_source = match (&args.rev2, &to) {
        (Some(r), Some(c)) => revision(r, c),
        _ => FileSource::WorkingTree,
    };
    let new = Version::load(&ctx.ws, new_source, ctx.plan.as_deref(), ctx.lang)?;

    // Check both sides first. A plan that cannot be read whole (or a glob
    // out of the workspace) leaves nothing sound to compare: refused.
    let mut diags = broken_plans(&[&old, &new]);
    let old_plans = old.valid_plans();
    let new_plans = new.valid_plans();
    if !diags.is_empty() {
        diag::sort(&mut diags);
        diags.dedup();
        ctx.print_diags(&diags);
        return Ok(Exit::Invalid);
    }
    // Errors in the logs do not hide the change under review (removing an
    // organisation that has rows makes every row an error): the change is
    // shown first, then the errors, and the exit is 1.
    for (side, plans) in [(&old, &old_plans), (&new, &new_plans)] {
        for plan in plans.values() {
            diags.extend(side.log_errors(plan, ctx.today)?);
        }
    }
    if let Some(id) = &ctx.plan {
        if !old_plans.contains_key(id.as_str()) && !new_plans.contains_key(id.as_str()) {
            return Err(Error::usage(ctx.lang.pick(
                &format!("không có kế hoạch `{id}` ở cả hai phiên bản"),
                &format!("no plan `{id}` in either revision"),
            )));
        }
    }
    let report = Report {
        from: args.rev.clone(),
        from_commit: from,
        to: args.rev2.clone(),
        to_commit: to,
        plans: plan_changes(&old_plans, &new_plans),
        logs: log_changes((&old, &old_plans), (&new, &new_plans))?,
    };
    match args.format {
        DiffFormat::Text => write_stdout(|w| plandiff::render_text(&report, ctx.lang, ctx.color_stdout, w))?,
        DiffFormat::Json => write_stdout(|w| plandiff::render_json(&report, w))?,
    }
    if diags.is_empty() {
        return Ok(Exit::Success);
    }
    show_log_errors(ctx, diags);
    Ok(Exit::Invalid)
}

/// The errors of the plans (and logs globs) of either side that cannot be
/// compared.
fn broken_plans(sides: &[&Version<'_>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for side in sides {
        for pf in side.chosen() {
            if pf.plan.is_none() || pf.diags.iter().any(Diagnostic::is_error) {
                diags.extend(pf.diags.iter().cloned());
            }
        }
        diags.extend(side.glob_errors.iter().cloned());
    }
    diags
}

/// What changed in each plan, by id.
fn plan_changes(old: &BTreeMap<&str, &Plan>, new: &BTreeMap<&str, &Plan>) -> Vec<PlanDiff> {
    let mut out = Vec::new();
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for id in ids {
        match (old.get(id), new.get(id)) {
            (Some(a), Some(b)) => {
                let d = plandiff::plans(id, a, b);
                if !d.changes.is_empty() || a.path != b.path {
                    out.push(d);
                }
            }
            (Some(a), None) => out.push(plandiff::whole_plan(a, Action::Removed)),
            (None, Some(b)) => out.push(plandiff::whole_plan(b, Action::Added)),
            (None, None) => {}
        }
    }
    out
}

/// What changed in every log file either side's plans name.
fn log_changes(
    (old, old_plans): (&Version<'_>, &BTreeMap<&str, &Plan>),
    (new, new_plans): (&Version<'_>, &BTreeMap<&str, &Plan>),
) -> Result<Vec<LogDiff>, Error> {
    let mut files: BTreeSet<String> = BTreeSet::new();
    for plan in old_plans.values() {
        files.extend(old.log_names(plan)?);
    }
    for plan in new_plans.values() {
        files.extend(new.log_names(plan)?);
    }
    let old_sheet = old_plans.values().find_map(|p| SheetChoice::of(p));
    let new_sheet = new_plans.values().find_map(|p| SheetChoice::of(p));
    let mut out = Vec::new();
    for f in &files {
        // A file that cannot be read as a table (its error is among the
        // diagnostics) is not compared: it would show as every row removed.
        let (Ok(a), Ok(b)) = (old.read_log(f, old_sheet)?, new.read_log(f, new_sheet)?) else {
            continue;
        };
        if let Some(d) = plandiff::logs(f, a.as_ref(), b.as_ref()) {
            out.push(d);
        }
    }
    Ok(out)
}

/// The errors the change leaves in the logs, after the change itself.
fn show_log_errors(ctx: &Ctx, mut diags: Vec<Diagnostic>) {
    diag::sort(&mut diags);
    diags.dedup();
    let diags = diag::cap::limit(diags, ctx.lang);
    let _ = writeln!(
        std::io::stderr(),
        "\n{}",
        ctx.lang.pick(
            "Các thay đổi trên làm nhật ký có lỗi (phải sửa trước khi gộp):",
            "The changes above leave errors in the logs (to fix before merging):"
        )
    );
    ctx.print_diags(&diags);
}
