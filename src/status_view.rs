//! Views of the engine's [`Evaluation`](crate::engine::Evaluation) for
//! `plan status`: one module per output form. Figures and statuses are
//! worded by [`crate::wording`], as in the report and the site.

pub mod csv;
pub mod json;
pub mod table;

use crate::engine::TargetResult;
use crate::lang::Lang;
use crate::model::Plan;

/// The instance a result is for: its organisation, unit and field codes (as
/// typed in `--org`/`--unit`), or "chung" / "all" when the target is not split.
pub fn instance_label(plan: &Plan, r: &TargetResult, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(o) = r.org.and_then(|o| plan.orgs.get(o)) {
        parts.push(o.code.clone());
    }
    if let Some(u) = r.unit.and_then(|u| plan.units.get(u)) {
        parts.push(u.code.clone());
    }
    if let Some(f) = r.field.and_then(|f| plan.fields.get(f)) {
        parts.push(f.code.clone());
    }
    if parts.is_empty() {
        lang.pick("chung", "all").to_owned()
    } else {
        parts.join(" · ")
    }
}
