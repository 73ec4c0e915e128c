//! `plan schema`: print the log schema of the selected plan (a Frictionless
//! resource), or the JSON Schema of `status --format json`, for other tools
//! ([`crate::schema`]). The plan is checked first (exit 1 on errors).

use crate::cli::{SchemaArgs, SchemaFormat};
use crate::schema;

use super::{Ctx, Exit, load_plan, write_stdout};

pub fn run(ctx: &Ctx, args: &SchemaArgs) -> Result<Exit, Exit> {
    let (plans, idx) = load_plan(ctx)?;
    let Some(plan) = plans.get(idx).and_then(|p| p.plan.as_ref()) else {
        return Err(Exit::Fatal);
    };
    match args.format {
        SchemaFormat::StatusJson => write_stdout(ctx, schema::render_status_json)?,
        SchemaFormat::Frictionless => {
            let s = schema::resource(plan, ctx.lang);
            write_stdout(ctx, |w| schema::render(&s, w))?;
        }
    }
    Ok(Exit::Success)
}
