//! `plan status`: the compliance table.

use std::collections::BTreeSet;

use crate::cli::{StatusArgs, StatusFormat};
use crate::diag::nearest;
use crate::engine::{Status, TargetResult};
use crate::period::{Half, Span};
use crate::render::{self, table::TableStyle};

use super::{Ctx, Exit, evaluate, load_plan, select_period, write_stdout};

pub fn run(ctx: &Ctx, args: &StatusArgs) -> Result<Exit, Exit> {
    let (plans, idx) = load_plan(ctx)?;
    let Some(plan) = plans.get(idx).and_then(|p| p.plan.as_ref()) else {
        return Err(Exit::Fatal);
    };
    let sel = select_period(ctx, &args.period, plan)?;
    let fail_on = parse_statuses(ctx, &args.fail_on)?;
    let unknown = |what: &str, code: &str, list: Vec<&str>| {
        let hint = nearest(code, list.iter().copied())
            .map(|n| {
                ctx.lang
                    .pick(
                        &format!(" (có phải ý bạn là `{n}`?)"),
                        &format!(" (did you mean `{n}`?)"),
                    )
                    .to_owned()
            })
            .unwrap_or_default();
        ctx.fatal(&format!(
            "--{what} `{code}`: {}{hint}",
            ctx.lang.pick("không có trong kế hoạch", "not in the plan")
        ))
    };
    let target = match &args.target {
        Some(id) => Some(
            plan.targets
                .iter()
                .position(|t| &t.id == id)
                .ok_or_else(|| unknown("target", id, plan.targets.iter().map(|t| t.id.as_str()).collect()))?,
        ),
        None => None,
    };
    let org = match &args.org {
        Some(c) => Some(
            plan.org(c)
                .ok_or_else(|| unknown("org", c, plan.orgs.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    let unit = match &args.unit {
        Some(c) => Some(
            plan.unit(c)
                .ok_or_else(|| unknown("unit", c, plan.units.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    // The summary window: the period asked for, else the half-year of D.
    let window = sel.window.unwrap_or_else(|| Half::containing(sel.as_of).span());
    let (eval, _) = evaluate(ctx, plan, sel.as_of, &[window], crate::logs::Discard)?;

    let keep = |r: &TargetResult| {
        target.is_none_or(|t| r.target == t)
            && org.is_none_or(|o| r.org == Some(o))
            && unit.is_none_or(|u| r.unit == Some(u))
            && (!args.behind || r.status.is_bad())
    };
    let filtered: Vec<&TargetResult> = eval.results.iter().filter(|r| keep(r)).collect();
    let shown: Vec<&TargetResult> = match args.format {
        StatusFormat::Json | StatusFormat::Csv | StatusFormat::Xlsx => filtered.clone(),
        StatusFormat::Table | StatusFormat::Md if args.all => filtered.clone(),
        StatusFormat::Table | StatusFormat::Md => {
            let around = sel.window.unwrap_or(Span {
                start: sel.as_of,
                end: sel.as_of,
            });
            filtered
                .iter()
                .copied()
                .filter(|r| r.period.span.overlaps(around))
                .collect()
        }
    };
    let lang = ctx.lang;
    if args.format == StatusFormat::Xlsx {
        let Some(path) = &args.output else {
            return Err(ctx.fatal(lang.pick(
                "--format xlsx cần -o TỆP (không ghi sổ tính ra màn hình)",
                "--format xlsx needs -o FILE (a workbook is not written to a terminal)",
            )));
        };
        let bytes = crate::xlsx::status(plan, &eval, &shown, lang).map_err(|e| ctx.fatal(&e.to_string()))?;
        save(path, &bytes).map_err(|e| ctx.fatal(&format!("{}: {}", path.display(), lang.io_error(&e))))?;
    }
    let mut text = Vec::new();
    let w: &mut dyn std::io::Write = &mut text;
    if args.bom && args.format == StatusFormat::Csv {
        w.write_all("\u{feff}".as_bytes())
            .map_err(|e| ctx.fatal(&e.to_string()))?;
    }
    let rendered = match args.format {
        StatusFormat::Xlsx => Ok(()),
        StatusFormat::Json => render::json::render(plan, &eval, &shown, w),
        StatusFormat::Csv => render::csv::render(plan, &eval, &shown, w),
        StatusFormat::Md => render::table::render_markdown(plan, &eval, &shown, lang, w),
        StatusFormat::Table => {
            let width = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                terminal_width()
            } else {
                None
            };
            let style = TableStyle {
                color: ctx.color_stdout,
                width,
            };
            render::table::render_terminal(plan, &eval, &shown, lang, style, w)
        }
    };
    rendered.map_err(|e| ctx.fatal(&e.to_string()))?;
    match (&args.output, args.format) {
        (_, StatusFormat::Xlsx) => {}
        (None, _) => write_stdout(ctx, |w| w.write_all(&text))?,
        (Some(path), _) => {
            save(path, &text).map_err(|e| ctx.fatal(&format!("{}: {}", path.display(), lang.io_error(&e))))?;
        }
    }
    if !fail_on.is_empty() && filtered.iter().any(|r| fail_on.contains(&r.status)) {
        return Ok(Exit::FailOn);
    }
    Ok(Exit::Success)
}

/// Writes an output file (`-o`).
fn save(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    super::report::write_atomic(path, bytes)
}

fn parse_statuses(ctx: &Ctx, list: &[String]) -> Result<BTreeSet<Status>, Exit> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Status::parse(s.trim()).ok_or_else(|| {
                let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                ctx.fatal(&format!(
                    "--fail-on `{s}`: {} {}",
                    ctx.lang.pick("trạng thái hợp lệ:", "valid statuses:"),
                    names.join(", ")
                ))
            })
        })
        .collect()
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(100))
}
