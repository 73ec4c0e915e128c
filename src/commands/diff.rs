//! `plan diff`.

use crate::cli::DiffArgs;

use super::{Ctx, Exit};

pub fn run(ctx: &Ctx, _args: &DiffArgs) -> Result<Exit, Exit> {
    Err(ctx.fatal("not implemented yet"))
}
