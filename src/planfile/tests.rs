//! Tests of reading plan files, and the small plans other modules test with.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::model::{Measure, NumColumn};

/// The smallest valid plan, shared by the tests of other modules.
pub(crate) const MINIMAL: &str = r#"format = 1
[plan]
id = "P"
title = "Kế hoạch"
start = 2021-01-01
end = 2025-12-31
logs = ["logs/*.csv"]
[orgs]
MTTQ = "Mặt trận"
[levels]
province = "Cấp tỉnh"
[units.tinh]
name = "Tỉnh"
level = "province"
[kinds]
dialogue = "Đối thoại"
"#;

fn codes(diags: &[Diagnostic]) -> Vec<(&str, usize)> {
    diags.iter().map(|d| (d.code, d.line)).collect()
}

#[test]
fn a_quoted_date_says_why_it_is_no_date() {
    for (written, says) in [
        ("\"2021-02-30\"", "month 2 of 2021 has 28 days, not 30"),
        ("\"2021-1-5\"", "write 2021-01-05"),
        ("\"2021-01-05\"", "drop the quotes, write start = 2021-01-05"),
    ] {
        let text = MINIMAL.replace("start = 2021-01-01", &format!("start = {written}"));
        let (_, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("bad-value", 5)], "{written}");
        assert!(diags[0].message.contains(says), "{written}: {}", diags[0].message);
    }
}

#[test]
fn names_may_be_tables_with_english_and_short_names() {
    let text = format!(
        "{MINIMAL}[fields]\nF1 = {{ name = \"Lĩnh vực một\", short = \"Một\", en = \"Field one\", short_en = \"One\" }}\nF2 = \"Hai\"\n"
    )
    .replace(
        "MTTQ = \"Mặt trận\"",
        "MTTQ = { name = \"Mặt trận\", en = \"Fatherland Front\" }",
    );
    let (plan, diags) = load("plans/p.toml", &text, Lang::En);
    assert!(diags.is_empty(), "{diags:?}");
    let plan = plan.unwrap();
    let f1 = &plan.fields[0];
    assert_eq!(
        (
            f1.name.as_str(),
            f1.short.as_deref(),
            f1.en.as_deref(),
            f1.short_en.as_deref()
        ),
        ("Lĩnh vực một", Some("Một"), Some("Field one"), Some("One"))
    );
    assert_eq!(plan.fields[1].short, None);
    assert_eq!(plan.orgs[0].en.as_deref(), Some("Fatherland Front"));
    // `short` is for fields only; a typo is an unknown key.
    let bad = text.replace("en = \"Fatherland Front\"", "short = \"MT\"");
    let (_, diags) = load("plans/p.toml", &bad, Lang::En);
    assert_eq!(codes(&diags), vec![("unknown-key", 9)]);
}

#[test]
fn minimal_plan_loads() {
    let (plan, diags) = load("plans/p.toml", MINIMAL, Lang::En);
    assert!(diags.is_empty(), "{diags:?}");
    let plan = plan.unwrap();
    assert_eq!(plan.id, "P");
    assert_eq!(plan.number, "P");
    assert_eq!(plan.logs, vec![("logs/*.csv".to_owned(), 7)]);
}

#[test]
fn a_unit_with_a_bad_level_is_still_known_by_its_code() {
    let text = format!("{MINIMAL}[units.bx]\nname = \"Bát Xát\"\nlevel = \"distric\"\n");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(codes(&diags), vec![("unknown-ref", 19)]);
    assert!(
        plan.unwrap().unit("bx").is_some(),
        "logs using `bx` get no unknown-unit on top"
    );
}

#[test]
fn empty_logs_is_a_warning() {
    let text = MINIMAL.replace("logs = [\"logs/*.csv\"]", "logs = []");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert!(plan.is_some());
    assert_eq!(codes(&diags), vec![("no-logs", 7)]);
    assert_eq!(diags[0].column, 8);
    assert!(!diags[0].is_error());
}

#[test]
fn reporting_halves_must_fall_in_the_term() {
    let text = format!("{MINIMAL}[reporting]\nmidterm = \"2030H1\"\nfinal = \"2025H2\"\n");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(codes(&diags), vec![("bad-value", 18)]);
    assert_eq!(diags[0].column, 11);
    assert_eq!(
        diags[0].message,
        "`midterm` = \"2030H1\" is outside the plan's term: pick a half-year from 2021H1 to 2025H2"
    );
    assert_eq!(
        plan.map(|p| p.reporting.final_half.map(|h| h.to_string())),
        Some(Some("2025H2".into()))
    );
    let (_, diags) = load(
        "p.toml",
        &format!("{MINIMAL}[reporting]\nfinal = \"2020H2\"\n"),
        Lang::En,
    );
    assert_eq!(codes(&diags), vec![("bad-value", 18)]);
}

#[test]
fn schedule_years_must_be_target_years() {
    let text = format!(
        "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 3\nyears = [2021, 2022]\nschedule = {{ 2021 = 1, 2022 = 1, 2023 = 1 }}\n"
    );
    let (_, diags) = load("p.toml", &text, Lang::En);
    // The entries as written add up to `min`: no schedule-sum beside it.
    assert_eq!(codes(&diags), vec![("bad-value", 23)]);
    assert_eq!(diags[0].column, 34);
    assert_eq!(
        diags[0].message,
        "`schedule` year 2023 is not in `years` [2021, 2022]: no activity counts in that year"
    );
    let short = text.replace("min = 3", "min = 4");
    let (_, diags) = load("p.toml", &short, Lang::En);
    assert_eq!(codes(&diags), vec![("bad-value", 23), ("schedule-sum", 23)]);
    assert_eq!(diags[1].message, "the `schedule` adds up to 3, not `min` = 4");
}

#[test]
fn a_code_of_an_empty_list_says_the_plan_defines_none() {
    let text =
        format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nfields = [\"F1\"]\n");
    let (_, diags) = load("p.toml", &text, Lang::En);
    let got: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert!(
        got.contains(&"field `F1` is not defined in the plan; the plan defines none: add it to the plan"),
        "{got:?}"
    );
}

#[test]
fn a_schedule_on_a_max_or_ratio_target_is_refused() {
    for req in [
        "measure = \"sum:cost\"\nmax = 10",
        "measure = \"completion\"\nmin_ratio = 1.0",
    ] {
        let text = format!(
            "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\n{req}\nschedule = {{ 2021 = 5, 2022 = 5 }}\n"
        );
        let (_, diags) = load("p.toml", &text, Lang::En);
        assert_eq!(codes(&diags), vec![("bad-value", 23)], "{req}");
        assert!(diags[0].message.contains("has no effect"), "{req}");
    }
}

#[test]
fn every_problem_in_one_run() {
    let text = format!(
        "{MINIMAL}[[target]]\nid = \"a\"\nkind = \"dialog\"\nper = \"month\"\nmin = 2\nmni = 3\n[[target]]\nid = \"a\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n"
    );
    let (_, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(
        codes(&diags),
        vec![
            ("unknown-key", 22),
            ("unknown-ref", 19),
            ("bad-value", 20),
            ("duplicate-id", 24)
        ]
    );
    assert!(diags[0].message.contains("did you mean `min`"), "{}", diags[0].message);
    assert!(
        diags[1].message.contains("did you mean `dialogue`"),
        "{}",
        diags[1].message
    );
}

#[test]
fn syntax_error_has_a_place() {
    let (plan, diags) = load("p.toml", "format = 1\n[plan\nid = 1\n", Lang::En);
    assert!(plan.is_none());
    assert_eq!(codes(&diags), vec![("toml-syntax", 2)]);
}

#[test]
fn end_before_start() {
    let text = MINIMAL.replace("end = 2025-12-31", "end = 2020-12-31");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert!(plan.is_none());
    assert_eq!(codes(&diags), vec![("bad-value", 6)]);
}

#[test]
fn missing_keys_and_requirements() {
    let text = format!("{MINIMAL}[[target]]\nid = \"x\"\nper = \"term\"\n");
    let (_, diags) = load("p.toml", &text, Lang::En);
    let c: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(c, vec!["missing-key", "missing-key"]);
}

#[test]
fn years_outside_the_term_get_one_diagnostic_each_and_no_other() {
    let text = format!(
        "{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nyears = [2030, 2019]\n"
    );
    let (_, diags) = load("p.toml", &text, Lang::En);
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "each entry of `years` must be a year of the term 2021-2025",
            "each entry of `years` must be a year of the term 2021-2025"
        ]
    );
    let empty = format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\nyears = []\n");
    let (_, diags) = load("p.toml", &empty, Lang::En);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].message, "`years` must not be empty");
}

#[test]
fn empty_filter_lists_are_errors_not_silent_filters() {
    for key in ["orgs", "levels", "units", "months", "kind"] {
        let text = format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n").replace(
            "kind = \"dialogue\"\n",
            if key == "kind" { "" } else { "kind = \"dialogue\"\n" },
        ) + &format!("{key} = []\n");
        let (_, diags) = load("p.toml", &text, Lang::En);
        let got: Vec<(&str, &str)> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(got.len(), 1, "{key}: {got:?}");
        assert_eq!(got[0].0, "bad-value", "{key}");
        assert!(
            got[0].1.starts_with(&format!("`{key}` must not be empty")),
            "{key}: {got:?}"
        );
    }
}

#[test]
fn a_duplicate_target_id_does_not_hide_its_other_problems() {
    let t = "[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n";
    let text = format!(
        "{MINIMAL}{t}{}",
        t.replace("per = \"year\"", "per = \"yearly\"\nbogus = 1")
    );
    let (_, diags) = load("p.toml", &text, Lang::En);
    let mut c: Vec<_> = diags.iter().map(|d| d.code).collect();
    c.sort_unstable();
    assert_eq!(c, vec!["bad-value", "duplicate-id", "unknown-key"]);
}

#[test]
fn a_bad_term_does_not_hide_the_targets_problems() {
    let text =
        format!("{MINIMAL}[[target]]\nid = \"x\"\nkind = \"dialogue\"\nper = \"month\"\nmin = 1\nyears = [2023]\n")
            .replace("start = 2021-01-01", "start = \"2021-01-01\"");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert!(plan.is_none());
    // The term's own error and the target's; nothing made up about `years`.
    assert_eq!(codes(&diags), vec![("bad-value", 5), ("bad-value", 20)]);
    let text =
        MINIMAL.replace("id = \"P\"\n", "") + "[[target]]\nid = \"x\"\nkind = \"dialog\"\nper = \"year\"\nmin = 1\n";
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert!(plan.is_none());
    let c: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(c, vec!["missing-key", "unknown-ref"]);
}

#[test]
fn a_quoted_date_is_a_string_and_the_fix_is_named() {
    let text = MINIMAL.replace("start = 2021-01-01", "start = \"2021-01-01\"");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert!(plan.is_none());
    assert_eq!(codes(&diags), vec![("bad-value", 5)]);
    assert!(
        diags[0].message.contains("drop the quotes, write start = 2021-01-01"),
        "{}",
        diags[0].message
    );
    let text = MINIMAL.replace("start = 2021-01-01", "start = \"01/01/2021\"");
    let (_, diags) = load("p.toml", &text, Lang::En);
    assert!(
        diags[0].message.contains("write start = 2021-01-01"),
        "{}",
        diags[0].message
    );
}

#[test]
fn a_schedule_adding_up_past_the_integer_range_is_refused() {
    // Found while fuzzing: three entries of i64::MAX overflowed a u64 sum
    // (and the pace wrapped around to 4624320774642257457).
    let big = i64::MAX;
    let text = format!(
        "{MINIMAL}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 1\nschedule = {{ 2021 = {big}, 2022 = {big}, 2023 = {big} }}\n"
    );
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(codes(&diags), vec![("bad-value", 22)]);
    assert!(
        diags[0].message.contains("27670116110564327421"),
        "{}",
        diags[0].message
    );
    assert_eq!(plan.unwrap().targets.len(), 0, "the target is not evaluated");
    // Two entries that fit in a u64 together are fine.
    let half = u64::MAX / 2;
    let ok = text.replace(
        &format!("2021 = {big}, 2022 = {big}, 2023 = {big}"),
        &format!("2021 = {}", half.min(i64::MAX as u64)),
    );
    let (_, diags) = load("p.toml", &ok, Lang::En);
    assert_eq!(codes(&diags), vec![("schedule-sum", 22)]);
}

#[test]
fn kind_list_and_schedule() {
    let text = format!(
        "{MINIMAL}[[target]]\nid = \"b\"\nkind = [\"dialogue\"]\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 100\n[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 10\nschedule = {{ 2021 = 4, 2022 = 5 }}\n"
    );
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(codes(&diags), vec![("schedule-sum", 28)]);
    let plan = plan.unwrap();
    assert_eq!(plan.targets[0].measure, Measure::Sum(NumColumn::Cost));
    assert_eq!(plan.targets[1].schedule, Some(vec![(2021, 4), (2022, 5)]));
}

/// A plan with `orgs` organisations, `units` district units and
/// `fields` fields, and one target split by all three.
pub(crate) fn wide_plan(orgs: usize, units: usize, fields: usize, filters: &str) -> String {
    let mut text = String::from(
        "format = 1\n[plan]\nid = \"W\"\ntitle = \"W\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = [\"logs/*.csv\"]\n[levels]\nprovince = \"Tỉnh\"\ndistrict = \"Huyện\"\n[kinds]\ndialogue = \"Đối thoại\"\n[orgs]\n",
    );
    (0..orgs).for_each(|i| text.push_str(&format!("O{i} = \"o\"\n")));
    text.push_str("[fields]\n");
    (0..fields).for_each(|i| text.push_str(&format!("F{i} = \"f\"\n")));
    text.push_str("[units]\ntinh = { name = \"t\", level = \"province\" }\n");
    (0..units).for_each(|i| text.push_str(&format!("U{i} = {{ name = \"u\", level = \"district\" }}\n")));
    text.push_str(&format!(
        "[[target]]\nid = \"w\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n{filters}each = [\"org\", \"unit\", \"field\"]\n"
    ));
    text
}

#[test]
fn too_many_instances_are_refused_at_each() {
    // 200 × 201 × 100 = 4,020,000 instances.
    let text = wide_plan(200, 200, 100, "");
    let (plan, diags) = load("p.toml", &text, Lang::En);
    let each_line = text.lines().position(|l| l.starts_with("each")).unwrap() + 1;
    assert_eq!(codes(&diags), vec![("too-many-instances", each_line)]);
    assert_eq!(diags[0].column, 8, "at the list");
    assert!(
        diags[0].message.contains(
            "4,020,000 instances (200 organisations × 201 units × 100 fields), more than the limit of 1,000,000"
        ),
        "{}",
        diags[0].message
    );
    assert!(plan.unwrap().targets.is_empty());
    // Units of one level: 200 × 200 × 25 = 1,000,000, just at the limit.
    let fields: Vec<String> = (0..25).map(|i| format!("\"F{i}\"")).collect();
    let text = wide_plan(
        200,
        200,
        100,
        &format!("levels = [\"district\"]\nfields = [{}]\n", fields.join(", ")),
    );
    let (plan, diags) = load("p.toml", &text, Lang::En);
    assert_eq!(codes(&diags), vec![]);
    assert_eq!(plan.unwrap().targets.len(), 1);
}

#[test]
fn duplicate_target_ids_among_many_name_the_first_use() {
    let mut text = MINIMAL.to_owned();
    for i in 0..20_000 {
        text.push_str(&format!(
            "[[target]]\nid = \"t{}\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n",
            i % 19_999
        ));
    }
    let (plan, diags) = load("p.toml", &text, Lang::En);
    let first = MINIMAL.lines().count() + 1;
    let again = first + 19_999 * 5;
    assert_eq!(codes(&diags), vec![("duplicate-id", again + 1)]);
    assert!(
        diags[0].message.contains(&format!("already used on line {first}")),
        "{}",
        diags[0].message
    );
    assert_eq!(plan.unwrap().targets.len(), 19_999);
}
