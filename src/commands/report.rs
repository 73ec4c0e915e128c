//! `plan report`.

use crate::cli::ReportArgs;

use super::{Ctx, Exit};

pub fn run(ctx: &Ctx, _args: &ReportArgs) -> Result<Exit, Exit> {
    Err(ctx.fatal("not implemented yet"))
}
