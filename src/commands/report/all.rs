//! `plan report --all-offices -o DIR`: the consolidated draft and one draft
//! per organisation, per unit and per organisation in each unit that has a
//! target or a row in the period, from ONE read of the logs (one engine
//! pass; every office's draft is a view of the same evaluation). Named by
//! the plan's codes: `DIR/tong-hop.EXT`, `DIR/to-chuc/HND.EXT`,
//! `DIR/don-vi/bat-xat.EXT`, `DIR/don-vi/bat-xat/HND.EXT`; each file is
//! written atomically by [`crate::safe_write`]; one summary line.

use std::path::{Path, PathBuf};

use crate::cli::{ReportArgs, ReportFormat};
use crate::engine::Evaluation;
use crate::error::Error;
use crate::model::Plan;
use crate::report::build::{ReportPeriod, build_office};
use crate::report::office::{self, Office};

use super::super::{Ctx, Exit};
use super::{check_period, evaluate_period, render, report_kind};

/// The offices that get a draft: those with a target instance for them or
/// a row in the period (a unit only while it exists), in plan order.
pub fn offices(plan: &Plan, eval: &Evaluation, report_period: &ReportPeriod) -> Vec<Office> {
    let n_units = plan.units.len();
    let active = |o: usize, u: usize| eval.windows.first().is_some_and(|w| w.is_active(o, u, n_units));
    let relevant: Vec<_> = eval
        .results
        .iter()
        .filter(|r| r.period.span.overlaps(report_period.window) && r.period.span.start <= report_period.as_of)
        .collect();
    let exists = |u: usize| {
        plan.units
            .get(u)
            .is_some_and(|x| x.life().is_none_or(|l| l.overlaps(report_period.window)))
    };
    let mut out = vec![Office::default()];
    for o in 0..plan.orgs.len() {
        if (0..n_units).any(|u| active(o, u)) || relevant.iter().any(|r| r.org == Some(o)) {
            out.push(Office {
                org: Some(o),
                unit: None,
            });
        }
    }
    for u in (0..n_units).filter(|&u| exists(u)) {
        if (0..plan.orgs.len()).any(|o| active(o, u)) || relevant.iter().any(|r| r.unit == Some(u)) {
            out.push(Office {
                org: None,
                unit: Some(u),
            });
        }
        for o in 0..plan.orgs.len() {
            if active(o, u) || relevant.iter().any(|r| r.org == Some(o) && r.unit == Some(u)) {
                out.push(Office {
                    org: Some(o),
                    unit: Some(u),
                });
            }
        }
    }
    out
}

/// Where an office's draft goes under `dir`.
pub fn path_of(plan: &Plan, dir: &Path, office: Office, ext: &str) -> PathBuf {
    let org = office.org.and_then(|o| plan.orgs.get(o)).map(|o| o.code.as_str());
    let unit = office.unit.and_then(|u| plan.units.get(u)).map(|u| u.code.as_str());
    match (org, unit) {
        (None, None) => dir.join(format!("tong-hop.{ext}")),
        (Some(o), None) => dir.join("to-chuc").join(format!("{o}.{ext}")),
        (None, Some(u)) => dir.join("don-vi").join(format!("{u}.{ext}")),
        (Some(o), Some(u)) => dir.join("don-vi").join(u).join(format!("{o}.{ext}")),
    }
}

pub fn run(ctx: &Ctx, plan: &Plan, args: &ReportArgs) -> Result<Exit, Error> {
    let lang = ctx.lang;
    let Some(dir) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
        return Err(Error::usage(lang.pick(
            "--all-offices ghi nhiều tệp: hãy cho thư mục bằng -o THƯ_MỤC",
            "--all-offices writes many files: give a folder with -o DIR",
        )));
    };
    if dir.is_file() {
        return Err(Error::usage(format!(
            "{}: {}",
            dir.display(),
            lang.pick(
                "là một tệp; --all-offices cần một thư mục (-o THƯ_MỤC)",
                "is a file; --all-offices needs a folder (-o DIR)"
            )
        )));
    }
    let format = args.format.unwrap_or(ReportFormat::Md);
    let ext = match format {
        ReportFormat::Md => "md",
        ReportFormat::Docx => "docx",
        ReportFormat::Xlsx => "xlsx",
    };
    let kind = report_kind(ctx, plan, args)?;
    let report_period = check_period(ctx, plan, kind, args)?;
    let (eval, acts) = evaluate_period(ctx, plan, report_period)?;
    let offices = offices(plan, &eval, &report_period);
    let mut counts = [0usize; 4];
    for &o in &offices {
        let view = office::view(plan, &eval, o);
        let doc = build_office(plan, &view, o, report_period, &acts, lang);
        let bytes = render(ctx, plan, &view.eval, &doc, format)?;
        let path = path_of(plan, dir, o, ext);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("{}: {e}", parent.display())))?;
        }
        crate::safe_write::write_file(&path, &bytes, None)
            .map_err(|e| Error::io(format!("{}: {}", path.display(), e.message(lang))))?;
        let i = match (o.org, o.unit) {
            (None, None) => 0,
            (Some(_), None) => 1,
            (None, Some(_)) => 2,
            (Some(_), Some(_)) => 3,
        };
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    if !ctx.quiet {
        let shown = crate::escape::terminal(&dir.to_string_lossy()).into_owned();
        let [all, orgs, units, pairs] = counts;
        let n = offices.len();
        eprintln!(
            "{}",
            lang.pick(
                &format!("đã ghi {n} báo cáo vào {shown}: {all} tổng hợp, {orgs} tổ chức, {units} đơn vị, {pairs} tổ chức trong đơn vị"),
                &format!("wrote {n} reports to {shown}: {all} consolidated, {orgs} organisations, {units} units, {pairs} organisations in units"),
            )
        );
    }
    Ok(Exit::Success)
}
