//! `plan schema`.

use crate::cli::SchemaArgs;

use super::{Ctx, Exit};

pub fn run(ctx: &Ctx, _args: &SchemaArgs) -> Result<Exit, Exit> {
    Err(ctx.fatal("not implemented yet"))
}
