//! Memory and time bounded by design (issue 15): at most 100 diagnostics of
//! one code in one file in every form, then one summary; a target's `each`
//! limited to 1,000,000 instances; `schedule` sums checked. The floods of
//! the issue (16 million bad lines) are small-limit variants here: the cap
//! is the same whatever the size.

mod speed;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::common::{TempWs, base_plan, plan};
use serde_json::Value;

const HEAD: &str = "date,org,unit,kind,status,title\n";
const GOOD: &str = "2023-01-05,MTTQ,tinh,dialogue,done,t\n";
const AT: [&str; 2] = ["--at", "2024-01-01"];

/// `check --format json` on `ws` (English): exit code and the records.
fn json(ws: &TempWs, env: &[(&str, &str)]) -> (i32, Vec<Value>) {
    let mut cmd = plan();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .arg("-C")
        .arg(ws.path())
        .args(["check", "--format", "json"])
        .args(AT)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = doc["diagnostics"].as_array().unwrap().clone();
    (out.status.code().unwrap(), records)
}

/// The summary records (those with `suppressed`), as (file, code, severity, n).
fn summaries(records: &[Value]) -> Vec<(String, String, String, u64)> {
    records
        .iter()
        .filter(|r| r.get("suppressed").is_some())
        .map(|r| {
            let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 4, "exactly file, code, severity, suppressed: {r}");
            (
                r["file"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap().to_owned(),
                r["severity"].as_str().unwrap().to_owned(),
                r["suppressed"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (code, line) of the records that are diagnostics.
fn shown(records: &[Value]) -> Vec<(String, u64)> {
    records
        .iter()
        .filter(|r| r.get("suppressed").is_none())
        .map(|r| (r["code"].as_str().unwrap().to_owned(), r["line"].as_u64().unwrap()))
        .collect()
}

fn bad_dates(n: usize) -> String {
    let mut log = HEAD.to_owned();
    for i in 0..n {
        writeln!(log, "{:02}/13/2023,MTTQ,tinh,dialogue,done,t{i}", i % 28 + 1).unwrap();
    }
    log
}

#[test]
fn a_flood_of_one_code_shows_the_first_100_and_one_summary_in_json() {
    let ws = TempWs::new();
    ws.write("logs/a.csv", bad_dates(1000).as_bytes());
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    let lines: Vec<(String, u64)> = (2..=101).map(|l| ("bad-date".to_owned(), l)).collect();
    assert_eq!(shown(&records), lines, "the first 100 in file order");
    assert_eq!(
        summaries(&records),
        vec![("logs/a.csv".into(), "bad-date".into(), "error".into(), 900)]
    );
    assert!(
        records.last().unwrap().get("suppressed").is_some(),
        "the summary comes last"
    );
}

#[test]
fn human_and_github_forms_say_how_many_more_and_count_them() {
    let ws = TempWs::new();
    ws.write("logs/a.csv", bad_dates(1000).as_bytes());
    let out = ws.run(&["check", "--at", "2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("error[bad-date]").count(), 100, "{err}");
    assert!(
        err.ends_with("logs/a.csv: … and 900 more `bad-date` errors in this file\n\n1000 error(s), 0 warning(s)\n"),
        "{}",
        &err[err.len() - 300..]
    );
    let vi = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["--color", "never", "-C"])
        .arg(ws.path())
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    let err = String::from_utf8(vi.stderr).unwrap();
    assert!(
        err.ends_with("logs/a.csv: … và 900 lỗi `bad-date` khác trong tệp này\n\n1000 lỗi, 0 cảnh báo\n"),
        "{}",
        &err[err.len() - 300..]
    );

    let summary = ws.path().join("summary.md");
    let out = plan()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("-C")
        .arg(ws.path())
        .args(["check", "--format", "github", "--at", "2024-01-01"])
        .output()
        .unwrap();
    let gh = String::from_utf8(out.stdout).unwrap();
    assert_eq!(gh.lines().count(), 101, "{gh}");
    assert_eq!(
        gh.lines().last().unwrap(),
        "::error file=logs/a.csv,title=bad-date::… and 900 more `bad-date` errors in this file"
    );
    let md = std::fs::read_to_string(summary).unwrap();
    assert!(md.starts_with("### plan check: 1000 error(s), 0 warning(s)"), "{md}");
}

#[test]
fn each_code_has_its_own_cap() {
    let ws = TempWs::new();
    let mut log = HEAD.to_owned();
    // One code fills its cap before the other starts.
    for i in 0..150 {
        writeln!(log, "2023-01-05,HNX,tinh,dialogue,done,t{i}").unwrap(); // unknown-org
    }
    log.push_str(&"x\n".repeat(150)); // csv-row
    ws.write("logs/a.csv", log.as_bytes());
    let (_, records) = json(&ws, &[]);
    let count = |code: &str| shown(&records).iter().filter(|(c, _)| c == code).count();
    assert_eq!((count("csv-row"), count("unknown-org")), (100, 100));
    assert_eq!(
        summaries(&records),
        vec![
            ("logs/a.csv".into(), "csv-row".into(), "error".into(), 50),
            ("logs/a.csv".into(), "unknown-org".into(), "error".into(), 50),
        ]
    );
}

#[test]
fn the_cap_does_not_depend_on_how_a_large_file_is_split() {
    // Over 4 MiB: split for parallel reading; bad rows in every piece.
    let ws = TempWs::new();
    let mut log = HEAD.to_owned();
    let mut i = 0;
    while log.len() < (5 << 20) {
        log.push_str(if i % 7 == 3 {
            "31/02/2023,MTTQ,tinh,dialogue,done,t\n"
        } else {
            GOOD
        });
        if i % 1001 == 500 {
            log.push_str("2023-01-05,MTTQ,tinh,dialogue,done\n"); // csv-row
        }
        i += 1;
    }
    ws.write("logs/a.csv", log.as_bytes());
    let one = json(&ws, &[("PLAN_THREADS", "1")]);
    let bad = log.lines().filter(|l| l.starts_with("31/")).count() as u64;
    assert_eq!(
        summaries(&one.1)[0],
        ("logs/a.csv".into(), "bad-date".into(), "error".into(), bad - 100)
    );
    // Lines of the first 100 bad dates: the 4th of every 7 rows, shifted by
    // the csv-row lines before them.
    assert_eq!(shown(&one.1).iter().filter(|(c, _)| c == "bad-date").count(), 100);
    // Far more threads than a system starts: as many as `plan` allows.
    for threads in ["2", "3", "8", "1000000"] {
        assert_eq!(json(&ws, &[("PLAN_THREADS", threads)]), one, "{threads} threads");
    }
}

#[test]
fn duplicate_refs_are_capped_too() {
    let ws = TempWs::new();
    let mut log = String::from("date,org,unit,kind,status,title,ref\n");
    for _ in 0..300 {
        log.push_str("2023-01-05,MTTQ,tinh,dialogue,done,t,KH-1\n");
    }
    ws.write("logs/a.csv", log.as_bytes());
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    let lines: Vec<(String, u64)> = (3..=102).map(|l| ("duplicate-ref".to_owned(), l)).collect();
    assert_eq!(shown(&records), lines);
    assert_eq!(
        summaries(&records),
        vec![("logs/a.csv".into(), "duplicate-ref".into(), "error".into(), 199)]
    );
}

#[test]
fn a_quote_left_open_at_the_end_drops_its_records_problems_even_beyond_the_cap() {
    let ws = TempWs::new();
    let mut log = HEAD.to_owned();
    log.push_str(&"x\n".repeat(200));
    // The last record swallows the rest of the file: its wrong cell count
    // is a consequence, not counted; the open quote is.
    log.push_str("2023-01-05,\"MTTQ,tinh\n");
    ws.write("logs/a.csv", log.as_bytes());
    let (_, records) = json(&ws, &[]);
    assert_eq!(
        summaries(&records),
        vec![("logs/a.csv".into(), "csv-row".into(), "error".into(), 101)]
    );
}

#[test]
fn a_header_of_many_unknown_columns_is_placed_column_by_column_and_capped() {
    let ws = TempWs::new();
    let extra: Vec<String> = (0..20_000).map(|i| format!("x{i}")).collect();
    let header = format!("date,org,unit,kind,status,title,{}\n", extra.join(","));
    ws.write("logs/a.csv", header.as_bytes());
    let start = Instant::now();
    let (_, records) = json(&ws, &[]);
    assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
    let columns: Vec<u64> = records
        .iter()
        .filter(|r| r.get("suppressed").is_none())
        .map(|r| r["column"].as_u64().unwrap())
        .collect();
    // x0 starts after "date,org,unit,kind,status,title," (33 characters).
    let mut expected = Vec::new();
    let mut col = 33;
    for name in extra.iter().take(100) {
        expected.push(col);
        col += name.len() as u64 + 1;
    }
    assert_eq!(columns, expected);
    assert_eq!(
        summaries(&records),
        vec![("logs/a.csv".into(), "csv-header".into(), "error".into(), 19_900)]
    );
}

#[test]
fn a_plans_own_diagnostics_are_capped() {
    let mut text = base_plan();
    for i in 0..150 {
        writeln!(
            text,
            "[[target]]\nid = \"t{i}\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\ncolour = \"red\""
        )
        .unwrap();
    }
    let ws = TempWs::with_plan(&text);
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    let unknown = shown(&records).into_iter().filter(|(c, _)| c == "unknown-key").count();
    assert_eq!(unknown, 100);
    assert_eq!(
        summaries(&records),
        vec![("plans/x.toml".into(), "unknown-key".into(), "error".into(), 50)]
    );
    // Capped where the plan is read: every command shows the same.
    let out = ws.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("error[unknown-key]").count(), 100);
    assert!(
        err.contains("plans/x.toml: … and 50 more `unknown-key` errors in this file"),
        "{err}"
    );
}

#[test]
fn status_and_report_print_the_capped_diagnostics() {
    let ws = TempWs::new();
    ws.write("logs/a.csv", bad_dates(500).as_bytes());
    for args in [&["status"][..], &["report", "--year", "2023", "-o", "-"]] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.matches("error[bad-date]").count(), 100, "{args:?}");
        assert!(
            err.contains("… and 400 more `bad-date` errors in this file"),
            "{args:?}"
        );
        assert!(err.ends_with("500 error(s), 0 warning(s)\n"), "{args:?}");
    }
}

#[test]
fn two_plans_reading_one_log_show_at_most_100_of_a_code_together() {
    // Each plan words the problem its own way (the nearest code it knows).
    let ws = TempWs::new();
    let other = base_plan()
        .replace("id = \"X\"", "id = \"Y\"")
        .replace("HND = ", "HNX = ");
    ws.write("plans/y.toml", other.as_bytes());
    let mut log = HEAD.to_owned();
    for i in 0..150 {
        writeln!(log, "2023-01-05,HNY,tinh,dialogue,done,t{i}").unwrap();
    }
    ws.write("logs/a.csv", log.as_bytes());
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    let unknown = shown(&records).into_iter().filter(|(c, _)| c == "unknown-org").count();
    assert_eq!(unknown, 100);
    let s = summaries(&records);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!((s[0].0.as_str(), s[0].1.as_str()), ("logs/a.csv", "unknown-org"));
}

/// A plan of 200 organisations, 200 district units and 100 fields with one
/// target split by all three: 4,020,000 instances.
fn wide_plan() -> (String, usize) {
    let mut text = String::from(
        "format = 1\n[plan]\nid = \"W\"\ntitle = \"W\"\nstart = 2021-01-01\nend = 2025-12-31\nlogs = [\"logs/*.csv\"]\n[levels]\nprovince = \"Tỉnh\"\ndistrict = \"Huyện\"\n[kinds]\ndialogue = \"Đối thoại\"\n[orgs]\n",
    );
    (0..200).for_each(|i| writeln!(text, "O{i} = \"o\"").unwrap());
    text.push_str("[fields]\n");
    (0..100).for_each(|i| writeln!(text, "F{i} = \"f\"").unwrap());
    text.push_str("[units]\ntinh = { name = \"t\", level = \"province\" }\n");
    (0..200).for_each(|i| writeln!(text, "U{i} = {{ name = \"u\", level = \"district\" }}").unwrap());
    text.push_str("[[target]]\nid = \"w\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n");
    let line = text.lines().count() + 1;
    text.push_str("each = [\"org\", \"unit\", \"field\"]\n");
    (text, line)
}

#[test]
fn too_many_instances_is_an_error_at_each_and_status_refuses_at_once() {
    let (text, line) = wide_plan();
    let ws = TempWs::with_plan(&text);
    ws.write("logs/a.csv", HEAD.as_bytes());
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(shown(&records), vec![("too-many-instances".to_owned(), line as u64)]);
    assert_eq!(records[0]["column"], 8);
    let start = Instant::now();
    let out = ws.run(&["status", "--at", "2024-01-01"]);
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("`each` splits this target into 4,020,000 instances (200 organisations × 201 units × 100 fields), more than the limit of 1,000,000"),
        "{err}"
    );
}

#[test]
fn a_schedule_adding_up_past_the_integer_range_is_bad_value_and_status_refuses() {
    let big = i64::MAX;
    let text = format!(
        "{}[[target]]\nid = \"s\"\nkind = \"dialogue\"\nper = \"term\"\nmin = 1\nschedule = {{ 2021 = {big}, 2022 = {big}, 2023 = {big} }}\n",
        base_plan()
    );
    let ws = TempWs::with_plan(&text);
    ws.write("logs/a.csv", format!("{HEAD}{GOOD}").as_bytes());
    let (code, records) = json(&ws, &[]);
    assert_eq!(code, 1);
    let line = text.lines().count() as u64;
    assert_eq!(shown(&records), vec![("bad-value".to_owned(), line)]);
    let out = ws.run(&["status", "--format", "json", "--at", "2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("4624320774642257457"));
}
