//! `plan status`: the compliance table.

use std::collections::BTreeSet;

use crate::cli::{StatusArgs, StatusFormat};
use crate::engine::{Status, TargetResult};
use crate::output::{self, Dest};
use crate::period::{Half, Span};
use crate::status_view::{self as render, table::TableStyle};

use super::{Ctx, Exit, evaluate, load_plan, select_period, write_stdout};

pub fn run(ctx: &Ctx, args: &StatusArgs) -> Result<Exit, Exit> {
    let (plans, idx) = load_plan(ctx)?;
    let Some(plan) = plans.get(idx).and_then(|p| p.plan.as_ref()) else {
        return Err(Exit::Fatal);
    };
    let (format, dest) = output::choose(
        args.format,
        args.output.as_deref(),
        &[
            ("json", StatusFormat::Json),
            ("csv", StatusFormat::Csv),
            ("md", StatusFormat::Md),
            ("txt", StatusFormat::Table),
            ("xlsx", StatusFormat::Xlsx),
        ],
        StatusFormat::Table,
        ctx.lang,
    )
    .map_err(|e| ctx.fatal(&e))?;
    let sel = select_period(ctx, &args.period, plan)?;
    let fail_on = parse_statuses(ctx, &args.fail_on)?;
    let target = match &args.target {
        Some(id) => Some(
            plan.targets
                .iter()
                .position(|t| &t.id == id)
                .ok_or_else(|| ctx.unknown_code("target", id, plan.targets.iter().map(|t| t.id.as_str()).collect()))?,
        ),
        None => None,
    };
    let org = match &args.org {
        Some(c) => Some(
            plan.org(c)
                .ok_or_else(|| ctx.unknown_code("org", c, plan.orgs.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    let unit = match &args.unit {
        Some(c) => Some(
            plan.unit(c)
                .ok_or_else(|| ctx.unknown_code("unit", c, plan.units.iter().map(|o| o.code.as_str()).collect()))?,
        ),
        None => None,
    };
    // The summary window: the period asked for, else the half-year of D.
    let window = sel.window.unwrap_or_else(|| Half::containing(sel.as_of).span());
    let (mut eval, _) = evaluate(ctx, plan, sel.as_of, &[window], crate::logs::Discard)?;
    // The per-kind lines speak of the office asked for: its cells only.
    let office = crate::report::office::Office { org, unit };
    if !office.is_all() {
        for w in &mut eval.windows {
            *w = crate::report::office::scoped(plan, w, office);
        }
    }

    let keep = |r: &TargetResult| {
        target.is_none_or(|t| r.target == t)
            && org.is_none_or(|o| r.org == Some(o))
            && unit.is_none_or(|u| r.unit == Some(u))
            && (!args.behind || r.status.is_bad())
    };
    let filtered: Vec<&TargetResult> = eval.results.iter().filter(|r| keep(r)).collect();
    let shown: Vec<&TargetResult> = match format {
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
    let to_stdout = dest == Dest::Stdout;
    if format == StatusFormat::Xlsx && to_stdout && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(ctx.fatal(lang.pick(
            "không ghi sổ tính ra màn hình: dùng -o TỆP.xlsx hoặc chuyển hướng (> tinhhinh.xlsx)",
            "a workbook is not written to a terminal: use -o FILE.xlsx or redirect (> status.xlsx)",
        )));
    }
    let bom = args.bom && format == StatusFormat::Csv;
    let render = |w: &mut dyn std::io::Write| match format {
        StatusFormat::Xlsx => {
            let bytes =
                crate::xlsx::status(plan, &eval, &shown, lang).map_err(|e| std::io::Error::other(e.to_string()))?;
            w.write_all(&bytes)
        }
        StatusFormat::Csv if bom => {
            w.write_all("\u{feff}".as_bytes())?;
            render::csv::render(plan, &eval, &shown, w)
        }
        StatusFormat::Json => render::json::render(plan, &eval, &shown, w),
        StatusFormat::Csv => render::csv::render(plan, &eval, &shown, w),
        StatusFormat::Md => render::table::render_markdown(plan, &eval, &shown, lang, w),
        StatusFormat::Table => {
            let tty = to_stdout && std::io::IsTerminal::is_terminal(&std::io::stdout());
            let width = tty.then(|| {
                table_width(
                    terminal_size::terminal_size().map(|(w, _)| w.0),
                    std::env::var("COLUMNS").ok().as_deref(),
                )
            });
            let style = TableStyle {
                color: to_stdout && ctx.color_stdout,
                width,
                asked: sel.half.map(|h| h.to_string()).or(sel.year.map(|y| y.to_string())),
            };
            render::table::render_terminal(plan, &eval, &shown, lang, style, w)
        }
    };
    match &dest {
        Dest::Stdout => write_stdout(ctx, render)?,
        Dest::File(path) => {
            let mut bytes = Vec::new();
            render(&mut bytes).map_err(|e| ctx.fatal(&e.to_string()))?;
            ctx.write_output(path, &bytes, ctx.lang.pick("tình hình thực hiện", "the status"))?;
        }
    }
    if !fail_on.is_empty() && filtered.iter().any(|r| fail_on.contains(&r.status)) {
        return Ok(Exit::FailOn);
    }
    Ok(Exit::Success)
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

/// The width to fit on a terminal: what the terminal says, else `COLUMNS`,
/// else 80. (Output that is not a terminal is never fitted: a file does not
/// change with the window it was written from.)
pub fn table_width(terminal: Option<u16>, columns: Option<&str>) -> u16 {
    terminal
        .filter(|&w| w > 0)
        .or_else(|| columns.and_then(|c| c.trim().parse().ok()).filter(|&w| w > 0))
        .unwrap_or(80)
}

#[cfg(test)]
mod tests {
    use super::table_width;

    #[test]
    fn the_terminal_then_columns_then_80() {
        assert_eq!(table_width(Some(132), Some("60")), 132);
        assert_eq!(table_width(None, Some("60")), 60);
        assert_eq!(table_width(Some(0), Some(" 72 ")), 72);
        assert_eq!(table_width(None, Some("wide")), 80);
        assert_eq!(table_width(None, None), 80);
    }
}
