//! `plan report`: the report draft, as Markdown (stdout or `-o`) or DOCX
//! (`-o` required). Files are written by [`crate::safe_write`]; a path that
//! is a symbolic link is written through (the user named it), temporary
//! files left by a killed run beside it are named in a warning.

mod all;

use std::io::IsTerminal;

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::Error;
use crate::output::{self, Dest};
use crate::period::Half;
use crate::report::build::{Activities, ReportKind, ReportPeriod, build_office};
use crate::report::office::{self, Office};
use crate::report::{docx, markdown};
use crate::select;

use super::{Ctx, Exit, evaluate, load_plan, office_option, write_stdout};

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<Exit, Error> {
    let plan = &load_plan(ctx)?;
    let lang = ctx.lang;
    let office = office_option(ctx, plan, args.org.as_deref(), args.unit.as_deref())?;
    if args.all_offices {
        return all::run(ctx, plan, args);
    }
    let (format, dest) = output::choose(
        args.format,
        args.output.as_deref(),
        &[
            ("md", ReportFormat::Md),
            ("docx", ReportFormat::Docx),
            ("xlsx", ReportFormat::Xlsx),
        ],
        ReportFormat::Md,
        lang,
    )
    .map_err(Error::Usage)?;
    let kind = report_kind(ctx, plan, args)?;
    let report_period = check_period(ctx, plan, kind, args)?;
    refuse_ceased(ctx, plan, office, &report_period)?;
    if matches!(format, ReportFormat::Docx | ReportFormat::Xlsx)
        && dest == Dest::Stdout
        && std::io::stdout().is_terminal()
    {
        return Err(Error::usage(lang.pick(
            "không ghi DOCX hay sổ tính ra màn hình: dùng -o TỆP.docx (TỆP.xlsx) hoặc chuyển hướng (> bc.docx)",
            "DOCX and workbooks are not written to a terminal: use -o FILE.docx (FILE.xlsx) or redirect (> r.docx)",
        )));
    }
    let (eval, acts) = evaluate_period(ctx, plan, report_period)?;
    let view = office::view(plan, &eval, office);
    let doc = build_office(plan, &view, office, report_period, &acts, lang);
    let bytes = render(ctx, plan, &view.eval, &doc, format)?;
    match &dest {
        Dest::Stdout => write_stdout(|w| w.write_all(&bytes))?,
        Dest::File(path) => ctx.write_output(path, &bytes, lang.pick("báo cáo", "the report"))?,
    }
    Ok(Exit::Success)
}

/// The logs read for the report's period: its evaluation and activities.
fn evaluate_period(
    ctx: &Ctx,
    plan: &crate::model::Plan,
    report_period: ReportPeriod,
) -> Result<(crate::engine::Evaluation, Activities), Error> {
    evaluate(
        ctx,
        plan,
        report_period.as_of,
        &report_period.windows(plan),
        Activities::new(report_period),
    )
}

/// The draft's bytes in the chosen form.
fn render(
    ctx: &Ctx,
    plan: &crate::model::Plan,
    eval: &crate::engine::Evaluation,
    doc: &crate::report::doc::Document,
    format: ReportFormat,
) -> Result<Vec<u8>, Error> {
    Ok(match format {
        ReportFormat::Md => markdown::to_string(doc).into_bytes(),
        ReportFormat::Docx => docx::render(doc).map_err(|e| Error::Io(e.to_string()))?,
        ReportFormat::Xlsx => {
            let results: Vec<_> = eval.results.iter().collect();
            crate::xlsx::status_with_appendix(plan, eval, &results, &appendix(doc), ctx.lang)
                .map_err(|e| Error::Io(e.to_string()))?
        }
    })
}

/// A unit that did not exist in the period has no report to make.
fn refuse_ceased(
    ctx: &Ctx,
    plan: &crate::model::Plan,
    office: Office,
    report_period: &ReportPeriod,
) -> Result<(), Error> {
    let lang = ctx.lang;
    let Some(u) = office.unit.and_then(|u| plan.units.get(u)) else {
        return Ok(());
    };
    let Some(life) = u.life() else { return Ok(()) };
    if life.overlaps(report_period.window) {
        return Ok(());
    }
    let (from, to) = (
        lang.date(report_period.window.start),
        lang.date(report_period.window.end),
    );
    Err(Error::usage(
        match (u.until.filter(|d| *d < report_period.window.start), lang) {
            (Some(end), crate::lang::Lang::Vi) => format!(
                "--unit {}: {} đã kết thúc hoạt động từ ngày {}, trước kỳ báo cáo ({from}–{to}): đơn vị không có báo cáo cho kỳ này; hãy chọn một kỳ trước ngày đó",
                u.code,
                u.name,
                lang.date(end.succ_opt().unwrap_or(end))
            ),
            (Some(end), crate::lang::Lang::En) => format!(
                "--unit {}: {} ceased operation on {}, before the report period ({from} to {to}): it has no report for this period; choose a period before that day",
                u.code,
                u.name,
                lang.date(end.succ_opt().unwrap_or(end))
            ),
            (None, crate::lang::Lang::Vi) => format!(
                "--unit {}: {} chưa thành lập trong kỳ báo cáo ({from}–{to}): hãy chọn một kỳ sau ngày thành lập",
                u.code, u.name
            ),
            (None, crate::lang::Lang::En) => format!(
                "--unit {}: {} did not yet exist in the report period ({from} to {to}): choose a later period",
                u.code, u.name
            ),
        },
    ))
}

/// The report asked for.
fn report_kind(ctx: &Ctx, plan: &crate::model::Plan, args: &ReportArgs) -> Result<ReportKind, Error> {
    let lang = ctx.lang;
    Ok(if let Some(h) = &args.period.half {
        ReportKind::Half(select::half_option(h, ctx.today, lang)?)
    } else if let Some(y) = &args.period.year {
        ReportKind::Year(select::year_option(y, ctx.today, lang)?)
    } else if args.midterm {
        let h = plan.reporting.midterm.ok_or_else(|| {
            Error::usage(lang.pick(
                "kế hoạch không có [reporting] midterm = \"YYYYH1\": hãy thêm vào, hoặc dùng --half",
                "the plan has no [reporting] midterm = \"YYYYH1\": add it, or use --half",
            ))
        })?;
        ReportKind::Midterm(h)
    } else if args.final_ {
        ReportKind::Final(
            plan.reporting
                .final_half
                .unwrap_or_else(|| Half::containing(plan.term.end)),
        )
    } else if args.period.term {
        ReportKind::Final(Half::containing(plan.term.end))
    } else {
        return Err(Error::usage(lang.pick(
            "chọn loại báo cáo: --half, --year, --midterm, --final hoặc --term",
            "choose a report: --half, --year, --midterm, --final or --term",
        )));
    })
}

/// The period must meet the term and have begun by the as-of date.
fn check_period(
    ctx: &Ctx,
    plan: &crate::model::Plan,
    kind: ReportKind,
    args: &ReportArgs,
) -> Result<ReportPeriod, Error> {
    let lang = ctx.lang;
    let (period, span) = match kind {
        ReportKind::Half(h) | ReportKind::Midterm(h) | ReportKind::Final(h) => (h.to_string(), h.span()),
        ReportKind::Year(y) => (y.to_string(), crate::period::year_span(y)),
    };
    if plan.term.intersect(span).is_none() {
        let (from, to) = (lang.date(span.start), lang.date(span.end));
        let (start, end) = (lang.date(plan.term.start), lang.date(plan.term.end));
        return Err(Error::usage(lang.pick(
            &format!(
                "kỳ báo cáo {period} ({from}–{to}) nằm ngoài thời gian của kế hoạch ({start}–{end}): chọn một kỳ trong khoảng đó, hoặc --final / --term"
            ),
            &format!(
                "the report period {period} ({from} to {to}) is outside the plan's term ({start} to {end}): choose a period inside it, or --final / --term"
            ),
        )));
    }
    let at = args
        .period
        .at
        .as_deref()
        .map(|a| select::date_option("--at", a, lang))
        .transpose()?;
    let report_period = ReportPeriod::new(plan, kind, at, ctx.today);
    if report_period.as_of < report_period.window.start {
        // Nothing of the period can have happened yet: every figure would be
        // zero and every unit listed as not reporting.
        let (day, start) = (lang.date(report_period.as_of), lang.date(report_period.window.start));
        return Err(Error::usage(lang.pick(
            &format!("kỳ báo cáo bắt đầu từ {start}, sau ngày tính số liệu {day}: chọn --at trong kỳ hoặc một kỳ đã bắt đầu"),
            &format!("the report period starts on {start}, after the as-of date {day}: give an --at inside the period, or a period that has begun"),
        )));
    }
    Ok(report_period)
}

/// The tables after the report's page break (its appendix), each with the
/// heading before it.
fn appendix(doc: &crate::report::doc::Document) -> Vec<crate::xlsx::AppendixTable<'_>> {
    use crate::report::doc::Block;
    let start = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::PageBreak))
        .unwrap_or(0);
    let mut heading = "";
    let mut out = Vec::new();
    for b in doc.blocks.iter().skip(start) {
        match b {
            Block::Heading { text, .. } => heading = text,
            Block::Table { header, rows, .. } => out.push(crate::xlsx::AppendixTable { heading, header, rows }),
            _ => {}
        }
    }
    out
}
