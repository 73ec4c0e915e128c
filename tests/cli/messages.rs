//! Messages that finish the thought: the period and the term of a report
//! outside it, days that do not exist, missing zeros, a file's date order,
//! the valid codes of `status --org`, and what `fmt --check` would change.

use crate::common;

use crate::common::{HEADER, TempWs, stderr_of as stderr};

#[test]
fn a_report_outside_the_term_names_the_period_and_the_term() {
    let out = common::in_repo()
        .args(["--lang", "en", "report", "--year", "2019"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the report period 2019 (2019-01-01 to 2019-12-31) is outside the plan's term (2021-01-01 to 2025-12-31): choose a period inside it, or --final / --term\n"
    );
    let out = common::in_repo()
        .args(["--lang", "en", "report", "--half", "2026H2"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("2026H2 (2026-07-01 to 2026-12-31)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn status_of_a_period_outside_the_term_names_both() {
    let out = common::in_repo()
        .args(["--lang", "en", "status", "--half", "2026H1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("(the period 2026H1 (2026-01-01 to 2026-06-30) is outside the plan's term (2021-01-01 to 2025-12-31): use --term, --all or a period inside it)"),
        "{text}"
    );
    let out = common::in_repo().args(["status", "--year", "2019"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("kỳ 2019 (01/01/2019–31/12/2019) nằm ngoài thời gian của kế hoạch"),
        "{text}"
    );
}

#[test]
fn impossible_days_and_missing_zeros() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-02-30,MTTQ,tinh,dialogue,done,A,,,,,,,\n2023-3-5,MTTQ,tinh,dialogue,done,B,,,,,,,\n")
            .as_bytes(),
    );
    let run = ws.check(&["--at", "2024-01-01"]);
    let messages = run.messages();
    assert_eq!(
        messages[0],
        "`2023-02-30` is not a real date: month 2 of 2023 has 28 days, not 30; fix the date"
    );
    assert_eq!(
        messages[1],
        "`2023-3-5` lacks zeros: months and days take two digits; write 2023-03-05"
    );
}

#[test]
fn the_date_order_is_inferred_per_file() {
    let ws = TempWs::new();
    let rows = |dates: &[&str]| {
        let mut text = format!("{HEADER}\n");
        for d in dates {
            text.push_str(&format!("{d},MTTQ,tinh,dialogue,done,A,,,,,,,\n"));
        }
        text
    };
    // a.csv writes the month first (03/15); b.csv gives no evidence.
    ws.write("logs/a.csv", rows(&["03/15/2023", "03/05/2023"]).as_bytes());
    ws.write("logs/b.csv", rows(&["03/05/2023"]).as_bytes());
    let run = ws.check(&["--at", "2024-01-01"]);
    let by_file = |f: &str| {
        run.diags
            .iter()
            .filter(|d| d["file"] == f)
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let a = by_file("logs/a.csv");
    assert!(
        a[1].contains("probably means 2023-03-05 (this file writes the month first)"),
        "{a:?}"
    );
    let b = by_file("logs/b.csv");
    assert!(b[0].contains("probably means 2023-05-03;"), "{b:?}");
    // The human form says the same.
    let out = ws.run(&["check", "--at", "2024-01-01"]);
    assert!(stderr(&out).contains("2023-03-05 (this file writes the month first)"));
}

#[test]
fn status_lists_the_valid_codes() {
    let out = common::in_repo()
        .args(["--lang", "en", "status", "--org", "MTQ"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --org `MTQ`: not in the plan (did you mean `MTTQ`?); valid codes: MTTQ, LDLD, HND, HLHPN, TD, HCCB\n"
    );
    let out = common::in_repo()
        .args(["--lang", "en", "status", "--target", "nope"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("valid codes: supervision-total, supervision-fields,"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fmt_check_shows_what_differs() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-05 ,MTTQ,tinh,dialogue,done,A,,,,,,,\n").as_bytes(),
    );
    let out = ws.run(&["fmt", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "logs/a.csv\n    line 2:\n      - 2023-03-05 ,MTTQ,tinh,dialogue,done,A,,,,,,,\n      + 2023-03-05,MTTQ,tinh,dialogue,done,A,,,,,,,\n"
    );
    let out = ws.run(&["fmt", "--check", "--diff"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("logs/a.csv\n    --- a/logs/a.csv\n    +++ b/logs/a.csv\n    @@"),
        "{text}"
    );
    assert!(text.contains("    -2023-03-05 ,MTTQ"), "{text}");
    let out = ws.run(&["fmt", "--diff"]);
    assert_eq!(out.status.code(), Some(2), "--diff needs --check");
}
