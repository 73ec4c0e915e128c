//! `plan status --format json` is what `plan schema --format status-json`
//! says it is (real outputs validated against the shipped JSON Schema), and
//! `--format csv` ends with `as_of`.

use serde_json::Value;

use crate::common;

fn stdout(args: &[&str]) -> String {
    common::stdout_of(common::in_repo(), args)
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&stdout(&["schema", "--format", "status-json"])).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn real_outputs_match_the_shipped_schema() {
    let v = validator();
    for args in [
        &["status", "--format", "json", "--at", "2023-06-30"][..],
        &["status", "--format", "json", "--term"],
        &["status", "--format", "json", "--year", "2024", "--org", "HND"],
        &["status", "--format", "json", "--half", "2025H2", "--behind"],
    ] {
        let doc: Value = serde_json::from_str(&stdout(args)).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
    }
    // The schema is no empty promise: a document without `version` fails.
    let mut doc: Value = serde_json::from_str(&stdout(&["status", "--format", "json"])).unwrap();
    doc.as_object_mut().unwrap().remove("version");
    assert!(!v.is_valid(&doc));
}

#[test]
fn json_carries_version_kind_measure_dates_and_kinds() {
    let doc: Value = serde_json::from_str(&stdout(&["status", "--format", "json", "--half", "2023H1"])).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["period"]["start"], "2023-01-01");
    assert_eq!(doc["period"]["end"], "2023-06-30");
    let first = &doc["results"][0];
    assert_eq!(first["kind"], "supervision");
    assert_eq!(first["measure"], "count");
    assert_eq!(
        (first["start"].as_str(), first["end"].as_str()),
        (Some("2021-01-01"), Some("2025-12-31"))
    );
    let budget = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == "budget")
        .unwrap();
    assert_eq!(budget["measure"], "sum:cost");
    let kinds = doc["kinds"].as_array().unwrap();
    let dialogue = kinds.iter().find(|k| k["kind"] == "dialogue").unwrap();
    // The counts behind the table's summary line: 23 done of 25 planned
    // (the postponed and the cancelled one included), 1 postponed, 1 cancelled.
    assert_eq!(
        (
            &dialogue["done"],
            &dialogue["planned"],
            &dialogue["postponed"],
            &dialogue["cancelled"]
        ),
        (&Value::from(23), &Value::from(0), &Value::from(1), &Value::from(1))
    );
    let table = stdout(&["status", "--half", "2023H1"]);
    assert!(
        table.contains("Hội nghị đối thoại: 23/25 hội nghị, đạt 92%; 01 hội nghị hoãn, 01 hội nghị hủy"),
        "{table}"
    );
}

#[test]
fn csv_ends_with_as_of() {
    let csv = stdout(&[
        "status",
        "--format",
        "csv",
        "--at",
        "2023-06-30",
        "--target",
        "criticism",
    ]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",status,as_of"));
    for l in lines {
        assert!(l.ends_with(",2023-06-30"), "{l}");
    }
}
