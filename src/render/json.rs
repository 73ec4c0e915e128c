//! `status --format json`: `{"plan", "as_of", "results": [...]}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::{Evaluation, Figure, Status, TargetResult};
use crate::model::Plan;

#[derive(Serialize)]
struct Doc<'a> {
    plan: &'a str,
    as_of: String,
    results: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    target: &'a str,
    period: String,
    org: Option<&'a str>,
    unit: Option<&'a str>,
    field: Option<&'a str>,
    actual: Option<Figure>,
    required: Figure,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<u64>,
    status: Status,
}

fn item<'a>(plan: &'a Plan, r: &TargetResult) -> Item<'a> {
    Item {
        target: plan.targets.get(r.target).map_or("", |t| t.id.as_str()),
        period: r.period.label.to_string(),
        org: r.org.and_then(|i| plan.orgs.get(i)).map(|o| o.code.as_str()),
        unit: r.unit.and_then(|i| plan.units.get(i)).map(|o| o.code.as_str()),
        field: r.field.and_then(|i| plan.fields.get(i)).map(|o| o.code.as_str()),
        actual: r.actual,
        required: r.required,
        expected: r.expected,
        status: r.status,
    }
}

/// Writes the results (already filtered by the caller) as pretty JSON.
pub fn render(plan: &Plan, eval: &Evaluation, results: &[&TargetResult], out: &mut dyn Write) -> io::Result<()> {
    let doc = Doc {
        plan: &plan.id,
        as_of: eval.as_of.format("%Y-%m-%d").to_string(),
        results: results.iter().map(|r| item(plan, r)).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
