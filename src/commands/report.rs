//! `plan report`: the report draft, as Markdown (stdout or `-o`) or DOCX
//! (`-o` required). Files are written by [`crate::safe_write`]; a path that
//! is a symbolic link is written through (the user named it), temporary
//! files left by a killed run beside it are named in a warning.

use std::path::Path;

use crate::cli::{ReportArgs, ReportFormat};
use crate::period::Half;
use crate::report::build::{Activities, ReportKind, Scope, build};
use crate::report::{docx, markdown};

use super::{Ctx, Exit, evaluate, load_plan, write_stdout};

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<Exit, Exit> {
    let (plans, idx) = load_plan(ctx)?;
    let Some(plan) = plans.get(idx).and_then(|p| p.plan.as_ref()) else {
        return Err(Exit::Fatal);
    };
    let lang = ctx.lang;
    let kind = if let Some(h) = &args.half {
        ReportKind::Half(ctx.half_option(h)?)
    } else if let Some(y) = &args.year {
        ReportKind::Year(ctx.year_option(y)?)
    } else if args.midterm {
        let h = plan.reporting.midterm.ok_or_else(|| {
            ctx.fatal(lang.pick(
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
    } else if args.term {
        ReportKind::Final(Half::containing(plan.term.end))
    } else {
        return Err(ctx.fatal(lang.pick(
            "chọn loại báo cáo: --half, --year, --midterm, --final hoặc --term",
            "choose a report: --half, --year, --midterm, --final or --term",
        )));
    };
    if plan
        .term
        .intersect(match kind {
            ReportKind::Half(h) => h.span(),
            ReportKind::Year(y) => crate::period::year_span(y),
            ReportKind::Midterm(h) | ReportKind::Final(h) => h.span(),
        })
        .is_none()
    {
        return Err(ctx.fatal(lang.pick(
            "kỳ báo cáo nằm ngoài thời gian của kế hoạch",
            "the report period is outside the plan's term",
        )));
    }
    let format = args.format.unwrap_or_else(|| {
        let docx = args
            .output
            .as_deref()
            .and_then(Path::extension)
            .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        if docx { ReportFormat::Docx } else { ReportFormat::Md }
    });
    if format == ReportFormat::Docx && args.output.is_none() {
        return Err(ctx.fatal(lang.pick(
            "--format docx cần -o TỆP (không ghi DOCX ra màn hình)",
            "--format docx needs -o FILE (DOCX is not written to a terminal)",
        )));
    }
    let at = args.at.as_deref().map(|a| ctx.date_option("--at", a)).transpose()?;
    let scope = Scope::new(plan, kind, at, ctx.today);
    if scope.as_of < scope.window.start {
        // Nothing of the period can have happened yet: every figure would be
        // zero and every unit listed as not reporting.
        let (day, start) = (lang.date(scope.as_of), lang.date(scope.window.start));
        return Err(ctx.fatal(lang.pick(
            &format!("kỳ báo cáo bắt đầu từ {start}, sau ngày tính số liệu {day}: chọn --at trong kỳ hoặc một kỳ đã bắt đầu"),
            &format!("the report period starts on {start}, after the as-of date {day}: give an --at inside the period, or a period that has begun"),
        )));
    }
    let (eval, acts) = evaluate(ctx, plan, scope.as_of, &scope.windows(plan), Activities::new(scope))?;
    let doc = build(plan, &eval, scope, acts, lang);
    let bytes = match format {
        ReportFormat::Md => markdown::to_string(&doc).into_bytes(),
        ReportFormat::Docx => docx::render(&doc).map_err(|e| ctx.fatal(&e.to_string()))?,
    };
    match &args.output {
        None => write_stdout(ctx, |w| w.write_all(&bytes))?,
        Some(path) => super::write_output(ctx, path, &bytes)?,
    }
    Ok(Exit::Success)
}
