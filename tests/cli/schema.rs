//! `plan schema --format frictionless`: a Frictionless
//! Table Schema of the logs with the plan's codes as `enum` constraints,
//! the required columns marked, deterministic JSON.

mod resource;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::common::{fixture, outcome};

fn schema(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["--color", "never", "-C"])
        .arg(dir)
        .arg("schema")
        .args(extra)
        .output()
        .unwrap();
    outcome(out)
}

fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn frictionless_schema_of_the_plan() {
    let (code, out, err) = schema(&fixture("diff-base"), &["--format", "frictionless", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "date",
            "org",
            "unit",
            "kind",
            "status",
            "title",
            "field",
            "ref",
            "participants",
            "cost",
            "recommendations",
            "resolved",
            "note"
        ]
    );
    assert_eq!(v["schema"]["missingValues"], json!([""]));
    assert!(v.get("primaryKey").is_none());

    assert_eq!(field(&v, "date")["type"], "date");
    assert_eq!(field(&v, "date")["format"], "%Y-%m-%d");
    assert_eq!(field(&v, "org")["constraints"]["enum"], json!(["MTTQ", "HND"]));
    assert_eq!(field(&v, "unit")["constraints"]["enum"], json!(["tinh", "bat-xat"]));
    assert_eq!(
        field(&v, "kind")["constraints"]["enum"],
        json!(["dialogue", "training"])
    );
    assert_eq!(field(&v, "field")["constraints"]["enum"], json!([]));
    assert_eq!(
        field(&v, "status")["constraints"]["enum"],
        json!(["done", "planned", "postponed", "cancelled"])
    );
    for required in ["date", "org", "unit", "kind", "status", "title"] {
        assert_eq!(field(&v, required)["constraints"]["required"], true, "{required}");
    }
    for optional in ["field", "ref", "participants", "cost", "note"] {
        assert!(
            field(&v, optional)["constraints"].get("required").is_none(),
            "{optional}"
        );
    }
    for n in ["participants", "cost", "recommendations", "resolved"] {
        assert_eq!(field(&v, n)["type"], "integer");
        assert_eq!(field(&v, n)["constraints"]["minimum"], 0);
    }
    assert_eq!(field(&v, "ref")["constraints"]["unique"], true);
}

#[test]
fn deterministic_and_in_the_chosen_language() {
    let dir = fixture("diff-base");
    let (_, a, _) = schema(&dir, &[]);
    let (_, b, _) = schema(&dir, &[]);
    assert_eq!(a, b);
    assert!(a.ends_with("}\n"));
    let v: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(field(&v, "org")["title"], "Tổ chức");
    let (_, en, _) = schema(&dir, &["--lang", "en"]);
    let v: Value = serde_json::from_str(&en).unwrap();
    assert_eq!(field(&v, "org")["title"], "Organisation");
}

#[test]
fn a_plan_with_errors_gives_no_schema() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("plans")).unwrap();
    let text = fs::read_to_string(fixture("diff-base").join("plans/p.toml")).unwrap();
    fs::write(tmp.path().join("plans/p.toml"), text.replace("min = 2", "mni = 2")).unwrap();
    let (code, out, err) = schema(tmp.path(), &["--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("unknown-key"), "{err}");
}
