//! `plan status`: the compliance table.

use std::collections::BTreeSet;

use crate::cli::{StatusArgs, StatusFormat};
use crate::engine::{Evaluation, Status, TargetResult};
use crate::error::Error;
use crate::model::Plan;
use crate::output::{self, Dest};
use crate::period::{Half, Span};
use crate::select::Selection;
use crate::status_view::{self as render, table::TableStyle};

use super::{Ctx, Exit, evaluate, load_plan, office_option, write_stdout};

pub fn run(ctx: &Ctx, args: &StatusArgs) -> Result<Exit, Error> {
    let plan = &load_plan(ctx)?;
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
    .map_err(Error::Usage)?;
    let sel = crate::select::period(&args.period, plan.term, ctx.today, ctx.lang)?;
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
    let office = office_option(ctx, plan, args.org.as_deref(), args.unit.as_deref())?;
    // The summary window: the period asked for, else the half-year of D.
    let window = sel.window.unwrap_or_else(|| Half::containing(sel.as_of).span());
    let (mut eval, _) = evaluate(ctx, plan, sel.as_of, &[window], crate::logs::Discard)?;
    // The per-kind lines speak of the office asked for: its cells only.
    if !office.is_all() {
        for w in &mut eval.windows {
            *w = crate::report::office::office_tally(plan, w, office);
        }
    }

    let keep = |r: &TargetResult| {
        target.is_none_or(|t| r.target == t)
            && office.org.is_none_or(|o| r.org == Some(o))
            && office.unit.is_none_or(|u| r.unit == Some(u))
            && (!args.behind || r.status.is_bad())
    };
    let filtered: Vec<&TargetResult> = eval.results.iter().filter(|r| keep(r)).collect();
    let shown = shown(&filtered, format, args.all, &sel);
    let to_stdout = dest == Dest::Stdout;
    if format == StatusFormat::Xlsx && to_stdout && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Error::usage(ctx.lang.pick(
            "không ghi sổ tính ra màn hình: dùng -o TỆP.xlsx hoặc chuyển hướng (> tinhhinh.xlsx)",
            "a workbook is not written to a terminal: use -o FILE.xlsx or redirect (> status.xlsx)",
        )));
    }
    let view = View {
        plan,
        eval: &eval,
        shown: &shown,
        format,
        bom: args.bom && format == StatusFormat::Csv,
        to_stdout,
        sel: &sel,
    };
    match &dest {
        Dest::Stdout => write_stdout(|w| view.render(ctx, w))?,
        Dest::File(path) => {
            let mut bytes = Vec::new();
            view.render(ctx, &mut bytes).map_err(|e| Error::Io(e.to_string()))?;
            ctx.write_output(path, &bytes, ctx.lang.pick("tình hình thực hiện", "the status"))?;
        }
    }
    if !fail_on.is_empty() && filtered.iter().any(|r| fail_on.contains(&r.status)) {
        return Ok(Exit::FailOn);
    }
    Ok(Exit::Success)
}

/// The results shown: all of them for data formats and `--all`, else those
/// whose period meets the one asked for (or the as-of date).
fn shown<'a>(filtered: &[&'a TargetResult], format: StatusFormat, all: bool, sel: &Selection) -> Vec<&'a TargetResult> {
    match format {
        StatusFormat::Json | StatusFormat::Csv | StatusFormat::Xlsx => filtered.to_vec(),
        StatusFormat::Table | StatusFormat::Md if all => filtered.to_vec(),
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
    }
}

/// What is drawn, and in which form.
struct View<'a> {
    plan: &'a Plan,
    eval: &'a Evaluation,
    shown: &'a [&'a TargetResult],
    format: StatusFormat,
    bom: bool,
    to_stdout: bool,
    sel: &'a Selection,
}

impl View<'_> {
    fn render(&self, ctx: &Ctx, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let (plan, eval, shown, lang) = (self.plan, self.eval, self.shown, ctx.lang);
        match self.format {
            StatusFormat::Xlsx => {
                let bytes =
                    crate::xlsx::status(plan, eval, shown, lang).map_err(|e| std::io::Error::other(e.to_string()))?;
                w.write_all(&bytes)
            }
            StatusFormat::Csv if self.bom => {
                w.write_all("\u{feff}".as_bytes())?;
                render::csv::render(plan, eval, shown, w)
            }
            StatusFormat::Json => render::json::render(plan, eval, shown, w),
            StatusFormat::Csv => render::csv::render(plan, eval, shown, w),
            StatusFormat::Md => render::table::render_markdown(plan, eval, shown, lang, w),
            StatusFormat::Table => {
                let tty = self.to_stdout && std::io::IsTerminal::is_terminal(&std::io::stdout());
                let width = tty.then(|| {
                    table_width(
                        terminal_size::terminal_size().map(|(w, _)| w.0),
                        std::env::var("COLUMNS").ok().as_deref(),
                    )
                });
                let style = TableStyle {
                    color: self.to_stdout && ctx.color_stdout,
                    width,
                    asked: self
                        .sel
                        .half
                        .map(|h| h.to_string())
                        .or(self.sel.year.map(|y| y.to_string())),
                };
                render::table::render_terminal(plan, eval, shown, lang, style, w)
            }
        }
    }
}

fn parse_statuses(ctx: &Ctx, list: &[String]) -> Result<BTreeSet<Status>, Error> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Status::parse(s.trim()).ok_or_else(|| {
                let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                Error::usage(format!(
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
