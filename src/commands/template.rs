//! `plan template`: the entry workbook an office fills in (see [`crate::xlsx::template`]).

use crate::cli::TemplateArgs;
use crate::error::Error;
use crate::output::{self, Dest};
use crate::xlsx::{TemplateOptions, template};

use super::{Ctx, Exit, load_plan};

/// The one format `template` writes (for the `-o` extension rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Xlsx;

pub fn run(ctx: &Ctx, args: &TemplateArgs) -> Result<Exit, Error> {
    let lang = ctx.lang;
    // `-o` names a workbook: `.xlsx`, or no extension; `-o -` is refused
    // (an office's entry workbook is a file to hand out).
    let (Xlsx, dest) =
        output::choose(None, Some(args.output.as_path()), &[("xlsx", Xlsx)], Xlsx, lang).map_err(Error::Usage)?;
    if dest == Dest::Stdout {
        return Err(Error::usage(lang.pick(
            "-o - : sổ nhập liệu phải ghi ra tệp, ví dụ -o nhap-lieu.xlsx",
            "-o - : the entry workbook must go to a file, e.g. -o entry.xlsx",
        )));
    }
    let plan = &load_plan(ctx)?;
    let pick = |what: &str, code: &Option<String>, found: Option<usize>, list: Vec<&str>| match code {
        None => Ok(None),
        Some(c) => found.map(Some).ok_or_else(|| {
            Error::usage(format!(
                "--{what} `{c}`: {} ({})",
                lang.pick("không có trong kế hoạch", "not in the plan"),
                list.join(", ")
            ))
        }),
    };
    let org = pick(
        "org",
        &args.org,
        args.org.as_deref().and_then(|c| plan.org(c)),
        plan.orgs.iter().map(|o| o.code.as_str()).collect(),
    )?;
    let unit = pick(
        "unit",
        &args.unit,
        args.unit.as_deref().and_then(|c| plan.unit(c)),
        plan.units.iter().map(|o| o.code.as_str()).collect(),
    )?;
    if let Some(y) = args.year {
        if !plan.term.overlaps(crate::period::year_span(y)) {
            return Err(Error::usage(format!(
                "--year {y}: {}",
                lang.pick("nằm ngoài thời gian của kế hoạch", "outside the plan's term")
            )));
        }
    }
    let opts = TemplateOptions {
        org,
        unit,
        year: args.year,
    };
    let bytes = template(plan, &opts, lang).map_err(|e| Error::Io(e.to_string()))?;
    crate::safe_write::write_new_file(&args.output, &bytes)
        .map_err(|e| Error::io(format!("{}: {}", args.output.display(), e.message(lang))))?;
    Ok(Exit::Success)
}
