//! `plan site`: the offline HTML dashboard, `DIR/index.html`, from one
//! evaluation of the engine (the period options are those of `status`).

use crate::cli::SiteArgs;
use crate::error::Error;
use crate::period::Half;
use crate::site::{self, Recommendations};

use super::{Ctx, Exit, evaluate, load_plan};

pub fn run(ctx: &Ctx, args: &SiteArgs) -> Result<Exit, Error> {
    let plan = &load_plan(ctx)?;
    let sel = crate::select::period(&args.period, plan.term, ctx.today, ctx.lang)?;
    // The period shown: the one asked for, else the half-year of D (as
    // `status` summarises).
    let window = sel.window.unwrap_or_else(|| Half::containing(sel.as_of).span());
    let windows = site::windows(plan, window);
    let (eval, recos) = evaluate(
        ctx,
        plan,
        sel.as_of,
        &windows,
        Recommendations::new(plan, window, sel.as_of),
    )?;
    let label = match (sel.half, sel.year, sel.window) {
        (Some(h), _, _) => h.to_string(),
        (None, Some(y), _) => y.to_string(),
        (None, None, Some(_)) => format!("{}-{}", plan.term.start.format("%Y"), plan.term.end.format("%Y")),
        (None, None, None) => Half::containing(sel.as_of).to_string(),
    };
    let html = site::page(plan, &eval, &recos, &label, ctx.lang);
    let dir = &args.output;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("{}: {}", dir.display(), ctx.lang.io_error(&e))))?;
    let path = dir.join("index.html");
    ctx.write_output(
        &path,
        html.as_bytes(),
        ctx.lang.pick("trang tổng quan", "the dashboard"),
    )?;
    Ok(Exit::Success)
}
