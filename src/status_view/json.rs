//! `status --format json`, version 1 (its JSON Schema is
//! `schemas/status.schema.json`, printed by `plan schema --format
//! status-json`): `{"version", "plan", "as_of", "period", "results": [...],
//! "kinds": [...]}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::{Evaluation, Figure, Status, TargetResult};
use crate::model::Plan;

/// The version of this output; a change that removes or retypes a field
/// raises it.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    plan: &'a str,
    as_of: String,
    /// The period the per-kind lines count.
    period: Dates,
    results: Vec<Item<'a>>,
    kinds: Vec<KindLine<'a>>,
}

#[derive(Serialize)]
struct Dates {
    start: String,
    end: String,
}

/// One kind code, or several as in the plan file (`kind = ["a", "b"]`).
#[derive(Serialize)]
#[serde(untagged)]
enum Kinds<'a> {
    One(&'a str),
    Many(Vec<&'a str>),
}

#[derive(Serialize)]
struct Item<'a> {
    target: &'a str,
    kind: Kinds<'a>,
    measure: String,
    period: String,
    start: String,
    end: String,
    org: Option<&'a str>,
    unit: Option<&'a str>,
    field: Option<&'a str>,
    actual: Option<Figure>,
    required: Figure,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<u64>,
    status: Status,
}

#[derive(Serialize)]
struct KindLine<'a> {
    kind: &'a str,
    done: u64,
    planned: u64,
    postponed: u64,
    cancelled: u64,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn item<'a>(plan: &'a Plan, r: &TargetResult) -> Item<'a> {
    let target = plan.targets.get(r.target);
    let mut kinds: Vec<&str> = target
        .map(|t| {
            t.kinds
                .iter()
                .filter_map(|&k| plan.kinds.get(k))
                .map(|k| k.code.as_str())
                .collect()
        })
        .unwrap_or_default();
    Item {
        target: target.map_or("", |t| t.id.as_str()),
        kind: if kinds.len() == 1 {
            Kinds::One(kinds.remove(0))
        } else {
            Kinds::Many(kinds)
        },
        measure: target.map(|t| t.measure.spelling()).unwrap_or_default(),
        period: r.period.label.to_string(),
        start: iso(r.period.span.start),
        end: iso(r.period.span.end),
        org: r.org.and_then(|i| plan.orgs.get(i)).map(|o| o.code.as_str()),
        unit: r.unit.and_then(|i| plan.units.get(i)).map(|o| o.code.as_str()),
        field: r.field.and_then(|i| plan.fields.get(i)).map(|o| o.code.as_str()),
        actual: r.actual,
        required: r.required,
        expected: r.expected,
        status: r.status,
    }
}

/// Writes the results (already filtered by the caller) as pretty JSON, with
/// the per-kind counts of the evaluation's first window.
pub fn render(plan: &Plan, eval: &Evaluation, results: &[&TargetResult], out: &mut dyn Write) -> io::Result<()> {
    let window = eval.windows.first();
    let kinds = window
        .map(|w| {
            plan.kinds
                .iter()
                .zip(&w.kinds)
                .map(|(k, t)| KindLine {
                    kind: &k.code,
                    done: t.done,
                    planned: t.scheduled.saturating_sub(t.done).saturating_sub(t.postponed),
                    postponed: t.postponed,
                    cancelled: t.cancelled,
                })
                .collect()
        })
        .unwrap_or_default();
    let span = window.map_or(plan.term, |w| w.span);
    let doc = Doc {
        version: VERSION,
        plan: &plan.id,
        as_of: iso(eval.as_of),
        period: Dates {
            start: iso(span.start),
            end: iso(span.end),
        },
        results: results.iter().map(|r| item(plan, r)).collect(),
        kinds,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
