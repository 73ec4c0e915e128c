//! `plan report`: the report draft, as Markdown (stdout or `-o`) or DOCX
//! (`-o` required). Files are written atomically.

use std::io::Write;
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
    if format == ReportFormat::Xlsx && args.output.is_none() {
        return Err(ctx.fatal(lang.pick(
            "--format xlsx cần -o TỆP (không ghi sổ tính ra màn hình)",
            "--format xlsx needs -o FILE (a workbook is not written to a terminal)",
        )));
    }
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
        ReportFormat::Xlsx => {
            let results: Vec<_> = eval.results.iter().collect();
            crate::xlsx::status_with_appendix(plan, &eval, &results, &appendix(&doc), lang)
                .map_err(|e| ctx.fatal(&e.to_string()))?
        }
    };
    match &args.output {
        None => write_stdout(ctx, |w| w.write_all(&bytes))?,
        Some(path) => {
            write_atomic(path, &bytes).map_err(|e| ctx.fatal(&format!("{}: {}", path.display(), lang.io_error(&e))))?
        }
    }
    Ok(Exit::Success)
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

/// Writes `bytes` to a temporary file beside `path`, then renames it into
/// place, so a reader never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
