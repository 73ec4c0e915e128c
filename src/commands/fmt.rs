//! `plan fmt`.

use crate::cli::FmtArgs;

use super::{Ctx, Exit};

pub fn run(ctx: &Ctx, _args: &FmtArgs) -> Result<Exit, Exit> {
    Err(ctx.fatal("not implemented yet"))
}
