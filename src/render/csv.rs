//! `status --format csv`: one row per result, with a header; cells that a
//! spreadsheet would run as a formula are neutralised.

use std::io::{self, Write};

use crate::engine::{Evaluation, TargetResult};
use crate::model::Plan;

use super::machine_figure;

/// Prefixes `'` to a cell that starts with `=`, `+`, `-`, `@`, tab or CR, so
/// that Excel and LibreOffice show it as text instead of running it.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

pub fn render(plan: &Plan, _eval: &Evaluation, results: &[&TargetResult], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "target", "title", "period", "org", "unit", "field", "actual", "required", "expected", "status",
    ])?;
    for r in results {
        let t = plan.targets.get(r.target);
        let code = |v: Option<&str>| v.map(neutralise).unwrap_or_default();
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
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(super::neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::neutralise("Giám sát"), "Giám sát");
    }
}
