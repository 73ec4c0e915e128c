//! `status --format csv`: one row per result, with a header; cells that a
//! spreadsheet would run as a formula are neutralised by
//! [`escape::csv_cell`].

use std::io::{self, Write};

use crate::engine::{Evaluation, TargetResult};
use crate::escape;
use crate::model::Plan;

use crate::wording::machine_figure;

/// One row per result; `as_of` last, so that snapshots taken at several
/// dates can be stacked into one table.
pub fn render(plan: &Plan, eval: &Evaluation, results: &[&TargetResult], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "target", "title", "period", "org", "unit", "field", "actual", "required", "expected", "status", "as_of",
    ])?;
    let as_of = eval.as_of.format("%Y-%m-%d").to_string();
    for r in results {
        let t = plan.targets.get(r.target);
        let code = |v: Option<&str>| v.map(|s| escape::csv_cell(s).into_owned()).unwrap_or_default();
        w.write_record([
            code(t.map(|t| t.id.as_str())),
            code(t.map(|t| t.title.as_str())),
            r.period.label.to_string(),
            code(r.org.and_then(|i| plan.orgs.get(i)).map(|o| o.code.as_str())),
            code(r.unit.and_then(|i| plan.units.get(i)).map(|o| o.code.as_str())),
            code(r.field.and_then(|i| plan.fields.get(i)).map(|o| o.code.as_str())),
            machine_figure(r.actual),
            machine_figure(Some(r.required)),
            r.expected.map(|e| e.to_string()).unwrap_or_default(),
            r.status.as_str().to_owned(),
            as_of.clone(),
        ])?;
    }
    w.flush()
}
