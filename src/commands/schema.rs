//! `plan schema`: print the log schema of the selected plan (a Frictionless
//! resource), or the JSON Schema of `status --format json`, for other tools
//! ([`crate::schema`]). The plan is checked first (exit 1 on errors).

use crate::cli::{SchemaArgs, SchemaFormat};
use crate::error::Error;
use crate::schema;

use super::{Ctx, Exit, load_plan, write_stdout};

pub fn run(ctx: &Ctx, args: &SchemaArgs) -> Result<Exit, Error> {
    let plan = &load_plan(ctx)?;
    match args.format {
        SchemaFormat::StatusJson => write_stdout(schema::render_status_json)?,
        SchemaFormat::Frictionless => {
            let s = schema::resource(plan, ctx.lang);
            write_stdout(|w| schema::render(&s, w))?;
        }
    }
    Ok(Exit::Success)
}
