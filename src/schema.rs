//! The log schema for other tools (`plan schema`): a Frictionless Tabular
//! Data Resource (<https://specs.frictionlessdata.io/tabular-data-resource/>)
//! with the CSV dialect and encoding `plan` reads (`,`, UTF-8) and a Table
//! Schema describing the activity-log columns of one plan, with the plan's
//! codes as `enum` constraints, so that other validators (frictionless, Open
//! Data Editor) reject what `plan check` rejects, as far as that format can
//! say it. Also the JSON Schema of `plan status --format json`.
//!
//! What a Table Schema cannot express stays with `plan check`: `field` being
//! required for some kinds only, `resolved` ≤ `recommendations`, dates inside
//! the term or a unit's life, and `ref` unique across files.

use std::io::{self, Write};

use serde::Serialize;

use crate::columns::{COLUMNS, REQUIRED};
use crate::lang::Lang;
use crate::model::{Plan, RowStatus};

/// A Table Schema document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub fields: Vec<Field>,
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<String>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub title: String,
    pub description: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<u64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A Tabular Data Resource: how a log file is read, and its schema. It has
/// no `path`: give one per file to validate (see `examples/frictionless/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub name: String,
    pub title: String,
    pub profile: &'static str,
    pub format: &'static str,
    pub mediatype: &'static str,
    pub encoding: &'static str,
    pub dialect: Dialect,
    pub schema: Schema,
}

/// The CSV dialect `plan` reads: comma-separated, `"` quotes doubled, a
/// header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dialect {
    pub delimiter: &'static str,
    #[serde(rename = "quoteChar")]
    pub quote_char: &'static str,
    #[serde(rename = "doubleQuote")]
    pub double_quote: bool,
    pub header: bool,
    #[serde(rename = "skipInitialSpace")]
    pub skip_initial_space: bool,
}

/// The resource of `plan`'s logs for `plan`.
pub fn resource(plan: &Plan, lang: Lang) -> Resource {
    // A resource name is lower-case letters, digits, `-`, `_` and `.`.
    let id: String = plan
        .id
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    Resource {
        name: format!("{id}-log"),
        title: lang
            .pick(
                &format!("Nhật ký hoạt động của kế hoạch {}", plan.id),
                &format!("Activity log of plan {}", plan.id),
            )
            .to_owned(),
        profile: "tabular-data-resource",
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        dialect: Dialect {
            delimiter: ",",
            quote_char: "\"",
            double_quote: true,
            header: true,
            skip_initial_space: false,
        },
        schema: frictionless(plan, lang),
    }
}

/// The Table Schema of `plan`'s logs, columns in canonical order.
pub fn frictionless(plan: &Plan, lang: Lang) -> Schema {
    let codes = |list: Vec<&str>| Some(list.into_iter().map(str::to_owned).collect::<Vec<_>>());
    let fields = COLUMNS
        .iter()
        .map(|&name| {
            let (title, description) = describe(name, lang);
            let mut c = Constraints {
                required: REQUIRED.contains(&name),
                ..Constraints::default()
            };
            let mut kind = "string";
            let mut format = None;
            match name {
                "date" => {
                    kind = "date";
                    format = Some("%Y-%m-%d");
                }
                "org" => c.values = codes(plan.orgs.iter().map(|o| o.code.as_str()).collect()),
                "unit" => c.values = codes(plan.units.iter().map(|o| o.code.as_str()).collect()),
                "kind" => c.values = codes(plan.kinds.iter().map(|o| o.code.as_str()).collect()),
                "field" => c.values = codes(plan.fields.iter().map(|o| o.code.as_str()).collect()),
                "status" => c.values = codes(RowStatus::ALL.iter().map(|s| s.as_str()).collect()),
                "ref" => c.unique = true,
                "participants" | "cost" | "recommendations" | "resolved" => {
                    kind = "integer";
                    c.minimum = Some(0);
                }
                _ => {}
            }
            Field {
                name,
                title: title.to_owned(),
                description: description.to_owned(),
                kind,
                format,
                constraints: c,
            }
        })
        .collect();
    Schema {
        fields,
        missing_values: vec![String::new()],
    }
}

/// The Vietnamese title of a log column (`Ngày` for `date`): the title
/// `plan schema` exports, which a log header may use instead of the code.
pub fn title(name: &str) -> &'static str {
    describe(name, Lang::Vi).0
}

fn describe(name: &str, lang: Lang) -> (&'static str, &'static str) {
    let (vi, en) = match name {
        "date" => (
            ("Ngày", "Ngày diễn ra (hoặc dự kiến) của hoạt động, YYYY-MM-DD."),
            ("Date", "The day the activity took (or will take) place, YYYY-MM-DD."),
        ),
        "org" => (
            ("Tổ chức", "Mã tổ chức trong [orgs] của kế hoạch."),
            ("Organisation", "Organisation code from the plan's [orgs]."),
        ),
        "unit" => (
            ("Đơn vị", "Mã đơn vị hành chính trong [units] của kế hoạch."),
            ("Unit", "Administrative unit code from the plan's [units]."),
        ),
        "kind" => (
            ("Loại hoạt động", "Mã loại hoạt động trong [kinds] của kế hoạch."),
            ("Kind", "Activity kind code from the plan's [kinds]."),
        ),
        "status" => (
            ("Trạng thái", "done, planned, postponed hoặc cancelled."),
            ("Status", "done, planned, postponed or cancelled."),
        ),
        "title" => (("Nội dung", "Nội dung hoạt động."), ("Title", "What the activity was.")),
        "field" => (
            (
                "Lĩnh vực",
                "Mã lĩnh vực trong [fields]; bắt buộc với các loại hoạt động có field = true.",
            ),
            (
                "Field",
                "Field code from [fields]; required for rows whose kind has field = true.",
            ),
        ),
        "ref" => (
            (
                "Số văn bản",
                "Số hiệu văn bản (ví dụ KH-12/MTTQ); không trùng trong mọi tệp nhật ký.",
            ),
            (
                "Reference",
                "Document number (e.g. KH-12/MTTQ); unique across all log files.",
            ),
        ),
        "participants" => (
            ("Số người tham gia", "Số nguyên không âm."),
            ("Participants", "Non-negative integer."),
        ),
        "cost" => (
            ("Kinh phí", "Số nguyên không âm, theo đơn vị tiền của kế hoạch."),
            ("Cost", "Non-negative integer, in the plan's currency."),
        ),
        "recommendations" => (
            ("Số kiến nghị", "Số kiến nghị hoạt động đưa ra."),
            ("Recommendations", "Recommendations the activity made."),
        ),
        "resolved" => (
            (
                "Số kiến nghị đã giải quyết",
                "Số kiến nghị đã được tiếp thu, giải quyết; không vượt số kiến nghị.",
            ),
            (
                "Resolved",
                "How many recommendations have been acted on; at most recommendations.",
            ),
        ),
        _ => (("Ghi chú", "Ghi chú tự do."), ("Note", "Free text.")),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The JSON Schema of `plan status --format json` (version 1), shipped as
/// `schemas/status.schema.json`.
pub const STATUS_JSON_SCHEMA: &str = include_str!("../schemas/status.schema.json");

/// Writes [`STATUS_JSON_SCHEMA`].
pub fn render_status_json(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(STATUS_JSON_SCHEMA.as_bytes())
}

/// Pretty JSON with a final line break.
pub fn render(schema: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, schema)?;
    writeln!(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::planfile;

    #[test]
    fn codes_become_enums() {
        let text = "format = 1\n[plan]\nid = \"P\"\ntitle = \"K\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = []\n[orgs]\nMTTQ = \"M\"\nHND = \"H\"\n[levels]\np = \"P\"\n[units.tinh]\nname = \"T\"\nlevel = \"p\"\n[kinds]\nd = \"D\"\n";
        let plan = planfile::load("p.toml", text, Lang::En).0.unwrap();
        let s = frictionless(&plan, Lang::En);
        let names: Vec<&str> = s.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, COLUMNS.to_vec());
        assert_eq!(
            s.fields[1].constraints.values,
            Some(vec!["MTTQ".to_owned(), "HND".to_owned()])
        );
        assert!(s.fields[0].constraints.required);
        assert!(!s.fields[6].constraints.required);
        assert_eq!(s.fields[9].constraints.minimum, Some(0));
    }
}
