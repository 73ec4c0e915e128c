//! `plan schema` is a Frictionless tabular data resource carrying the CSV
//! dialect and encoding `plan` reads (so that `frictionless validate`
//! rejects semicolon and Windows-1258 files as `plan check` does; shown end
//! to end by `examples/frictionless/selftest.py`).

use serde_json::{Value, json};

use crate::common;

#[test]
fn the_resource_says_how_logs_are_read() {
    let out = common::stdout_of(common::in_repo(), &["schema"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["profile"], "tabular-data-resource");
    assert_eq!(v["name"], "15-da-tu-log");
    assert_eq!(v["format"], "csv");
    assert_eq!(v["encoding"], "utf-8");
    assert_eq!(v["dialect"]["delimiter"], ",");
    assert_eq!(v["dialect"]["header"], json!(true));
    assert_eq!(v["dialect"]["doubleQuote"], json!(true));
    assert_eq!(v["schema"]["fields"][0]["name"], "date");
    assert!(v.get("path").is_none(), "a path is given per file to validate");
}
