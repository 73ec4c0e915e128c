//! `plan check`: one committed fixture workspace per
//! diagnostic code (tests/fixtures/check-*), each asserting exactly the code,
//! file, line and column it reports, the exit code, and that nothing was
//! written; then the three output forms, the exit codes of runs that cannot
//! start, and the shipped workspace checking clean.

mod ci_annotations;
mod ci_hook;

use crate::common;

use crate::common::{HEADER, TempWs, at, check_json, expect_fixture, fixture, plan, snapshot};

/// Every fixture is checked as of this day unless a test says otherwise.
const AT: [&str; 2] = ["--at", "2024-01-01"];

fn message(run: &common::Checked, i: usize) -> String {
    run.messages()[i].clone()
}

#[test]
fn clean_fixture_checks_clean() {
    let run = expect_fixture("check-clean", &AT, &[]);
    assert_eq!(run.code, 0);
}

// ---- the plan file ----

#[test]
fn toml_syntax() {
    let run = expect_fixture("check-toml-syntax", &AT, &[at("toml-syntax", "plans/x.toml", 41, 7)]);
    assert!(message(&run, 0).starts_with("the plan is not valid TOML: "), "{run:?}");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-key", &AT, &[at("unknown-key", "plans/x.toml", 39, 1)]);
    assert_eq!(
        message(&run, 0),
        "`titel` is not a key of [[target]]; did you mean `title`?"
    );
}

#[test]
fn missing_key() {
    let run = expect_fixture("check-missing-key", &AT, &[at("missing-key", "plans/x.toml", 37, 1)]);
    assert_eq!(
        message(&run, 0),
        "[[target]] lacks the required key `per`: add `per = ...`"
    );
}

#[test]
fn missing_format_and_section_in_plain_english() {
    let text = common::base_plan()
        .replace("format = 1\n", "")
        .replacen("[plan]\n", "[plann]\n", 1);
    let ws = TempWs::with_plan(&text);
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("missing-key", "plans/x.toml", 1, 0),
            at("missing-key", "plans/x.toml", 1, 0),
            at("unknown-key", "plans/x.toml", 3, 2),
        ]
    );
    assert_eq!(
        run.messages(),
        vec![
            "the plan file lacks the required key `[plan]`: add a [plan] table",
            "the plan file lacks the required key `format`: add `format = ...`",
            "`plann` is not a key of the plan file; did you mean `plan`?",
        ]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn bad_value() {
    let run = expect_fixture("check-bad-value", &AT, &[at("bad-value", "plans/x.toml", 41, 7)]);
    assert_eq!(message(&run, 0), "`per` must be \"term\", \"year\" or \"half\"");
}

#[test]
fn duplicate_id_names_the_first() {
    let run = expect_fixture("check-duplicate-id", &AT, &[at("duplicate-id", "plans/x.toml", 45, 6)]);
    assert_eq!(
        message(&run, 0),
        "target id `dialogue-year` is already used on line 37: give each target its own id"
    );
}

/// Two plan files with one id: `check` names the second at its `id`, and
/// `status`/`report` refuse to guess which one `--plan X` means.
#[test]
fn duplicate_plan_id_is_placed_and_refused() {
    let run = expect_fixture(
        "check-duplicate-plan-id",
        &AT,
        &[at("duplicate-id", "plans/y.toml", 5, 6)],
    );
    assert_eq!(
        message(&run, 0),
        "plan id `X` is already used by plans/x.toml: give each plan its own id"
    );
    for command in ["status", "report"] {
        let out = plan()
            .arg("-C")
            .arg(fixture("check-duplicate-plan-id"))
            .args([command, "--plan", "X", "--year", "2023"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(out.stdout.is_empty(), "{command}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("error[duplicate-id]") && err.contains("--> plans/y.toml:5:6"),
            "{err}"
        );
    }
}

/// A code of a list the plan leaves empty: said so, not `valid codes: `.
#[test]
fn unknown_code_of_an_empty_list() {
    let text = common::base_plan()
        .replace("supervision = { name = \"Giám sát\", field = true }\n", "")
        .replace("[fields]\nF1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"\n", "");
    let ws = TempWs::with_plan(&text);
    ws.write(
        "logs/a.csv",
        b"date,org,unit,kind,status,title,field\n2023-03-15,MTTQ,tinh,dialogue,done,T,F1\n",
    );
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("unknown-field", "logs/a.csv", 2, 38)]);
    assert_eq!(
        message(&run, 0),
        "unknown field `F1`; the plan defines none: add it to the plan"
    );
}

#[test]
fn unknown_ref_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-ref", &AT, &[at("unknown-ref", "plans/x.toml", 41, 9)]);
    assert_eq!(
        message(&run, 0),
        "organisation `MTTX` is not defined in the plan; did you mean `MTTQ`?"
    );
}

#[test]
fn glob_escape_absolute_and_parent() {
    let run = expect_fixture(
        "check-glob-escape",
        &AT,
        &[
            at("glob-escape", "plans/x.toml", 12, 5),
            at("glob-escape", "plans/x.toml", 13, 5),
            at("glob-escape", "plans/x.toml", 14, 5),
        ],
    );
    let m = run.messages();
    assert!(m[0].contains("`/var/lib/outside/*.csv` is an absolute path"), "{m:?}");
    assert!(m[1].contains("`../outside/*.csv` uses `..`"), "{m:?}");
    assert!(m[2].contains("`logs/../../outside/*.csv` uses `..`"), "{m:?}");
}

#[cfg(unix)]
#[test]
fn glob_escape_through_a_symlink() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.csv"),
        format!("{HEADER}\nnot a date,NOPE,,,,,,,,,,,\n"),
    )
    .unwrap();
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\n").as_bytes(),
    );
    std::os::unix::fs::symlink(outside.path().join("secret.csv"), ws.path().join("logs/link.csv")).unwrap();
    let run = ws.check(&AT);
    // The outside file would give bad-date and unknown-org if it were read.
    assert_eq!(run.places(), vec![at("path-escape", "plans/x.toml", 10, 9)]);
    assert!(
        message(&run, 0).contains("reaches `logs/link.csv`: a symbolic link that leads outside the workspace"),
        "{run:?}"
    );
    assert_eq!(run.code, 1);
}

// ---- the logs ----

#[test]
fn encoding_windows_1258() {
    let ws = TempWs::new();
    let text = format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị đối thoại,,,,,,,\n");
    ws.write("logs/a.csv", &common::windows_1258(&text));
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("encoding", "logs/a.csv", 2, 37)]);
    let m = message(&run, 0);
    assert!(
        m.contains("Windows-1258") && m.contains("\"CSV UTF-8 (Comma delimited)\""),
        "{m}"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn csv_header_unknown_column_suggests_the_nearest() {
    let run = expect_fixture("check-csv-header", &AT, &[at("csv-header", "logs/a.csv", 1, 86)]);
    assert_eq!(message(&run, 0), "unknown column `notes`; did you mean `note`?");
}

#[test]
fn csv_header_missing_and_repeated_columns() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        b"date,org,unit,kind,status,org\n2023-03-15,MTTQ,tinh,dialogue,done,MTTQ\n",
    );
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("csv-header", "logs/a.csv", 1, 1),
            at("csv-header", "logs/a.csv", 1, 27)
        ]
    );
    assert_eq!(
        run.messages(),
        vec![
            "the required column `title` is missing: add it to the header line",
            "column `org` appears twice: remove one",
        ]
    );
}

#[test]
fn csv_row_wrong_number_of_cells() {
    let run = expect_fixture("check-csv-row", &AT, &[at("csv-row", "logs/a.csv", 3, 1)]);
    assert_eq!(
        message(&run, 0),
        "the row has 14 cells but the header has 13 columns: look for a missing or extra comma, or quote cells that contain commas"
    );
}

#[test]
fn bad_date_suggests_the_iso_date() {
    let run = expect_fixture("check-bad-date", &AT, &[at("bad-date", "logs/a.csv", 3, 1)]);
    assert_eq!(
        message(&run, 0),
        "`15/03/2023` is not an ISO date: it probably means 2023-03-15; write dates as YYYY-MM-DD"
    );
}

#[test]
fn bad_date_in_vietnamese() {
    let out = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .arg("-C")
        .arg(fixture("check-bad-date"))
        .args(["check", "--format", "json", "--at", "2024-01-01"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["diagnostics"][0]["message"],
        "`15/03/2023` không phải ngày ISO: có lẽ ý bạn là 2023-03-15; hãy viết YYYY-MM-DD"
    );
}

#[test]
fn outside_term() {
    let run = expect_fixture("check-outside-term", &AT, &[at("outside-term", "logs/a.csv", 3, 1)]);
    assert_eq!(
        message(&run, 0),
        "2026-02-01 is outside the plan's term (2021-01-01 to 2025-12-31): fix the date or log it under another plan"
    );
}

#[test]
fn unit_inactive() {
    let run = expect_fixture("check-unit-inactive", &AT, &[at("unit-inactive", "logs/a.csv", 3, 1)]);
    assert_eq!(
        message(&run, 0),
        "unit `bat-xat` does not exist on 2025-09-01 (it exists only until 2025-06-30): fix the date or the unit"
    );
}

#[test]
fn unknown_org_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-org", &AT, &[at("unknown-org", "logs/a.csv", 3, 12)]);
    assert_eq!(message(&run, 0), "unknown organisation `MTTX`; did you mean `MTTQ`?");
}

#[test]
fn unknown_unit_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-unit", &AT, &[at("unknown-unit", "logs/a.csv", 3, 16)]);
    assert_eq!(message(&run, 0), "unknown unit `bat-xa`; did you mean `bat-xat`?");
}

#[test]
fn unknown_kind_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-kind", &AT, &[at("unknown-kind", "logs/a.csv", 3, 22)]);
    assert_eq!(message(&run, 0), "unknown kind `dialog`; did you mean `dialogue`?");
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let run = expect_fixture("check-unknown-field", &AT, &[at("unknown-field", "logs/a.csv", 3, 47)]);
    assert_eq!(message(&run, 0), "unknown field `F3`; did you mean `F1`?");
}

#[test]
fn missing_field() {
    let run = expect_fixture("check-missing-field", &AT, &[at("missing-field", "logs/a.csv", 3, 47)]);
    assert_eq!(
        message(&run, 0),
        "rows of kind `supervision` must name a field (column `field`), e.g. F1"
    );
}

#[test]
fn missing_value() {
    let run = expect_fixture("check-missing-value", &AT, &[at("missing-value", "logs/a.csv", 3, 17)]);
    assert_eq!(message(&run, 0), "the `unit` cell is empty: this column needs a value");
}

#[test]
fn bad_status_suggests_the_nearest() {
    let run = expect_fixture("check-bad-status", &AT, &[at("bad-status", "logs/a.csv", 3, 31)]);
    assert_eq!(
        message(&run, 0),
        "status `dne` is not one of done, planned, postponed, cancelled (did you mean `done`?)"
    );
}

#[test]
fn bad_number_and_resolved_above_recommendations() {
    let run = expect_fixture(
        "check-bad-number",
        &AT,
        &[
            at("bad-number", "logs/a.csv", 3, 47),
            at("bad-number", "logs/a.csv", 4, 57),
        ],
    );
    assert_eq!(
        run.messages(),
        vec![
            "`participants` must be a non-negative integer, not `1.200` (write 1200, without separators)",
            "`resolved` (7) is more than `recommendations` (5): no more recommendations can be acted on than were made",
        ]
    );
}

#[test]
fn done_in_future_follows_at() {
    let run = expect_fixture(
        "check-done-in-future",
        &["--at", "2023-06-30"],
        &[at("done-in-future", "logs/a.csv", 3, 31)],
    );
    assert_eq!(
        message(&run, 0),
        "the activity on 2023-12-01 is marked `done` but today is 2023-06-30: use `planned` until it has taken place"
    );
    // The same file is fine once the day has passed (and `--at` is the day).
    expect_fixture("check-done-in-future", &["--at", "2023-12-01"], &[]);
}

#[test]
fn duplicate_ref_names_both_places() {
    let run = expect_fixture("check-duplicate-ref", &AT, &[at("duplicate-ref", "logs/b.csv", 3, 56)]);
    assert_eq!(
        message(&run, 0),
        "ref `GS-01/HND` is already used at logs/a.csv:3: each `ref` may be used once"
    );
}

#[test]
fn all_problems_in_one_run_sorted_by_place() {
    let ws = TempWs::new();
    ws.write(
        "logs/b.csv",
        format!("{HEADER}\n2023-03-15,MTTX,tinh,dialog,dne,T,,,,,,,\n15/03/2023,MTTQ,tinh,dialogue,done,T,,,x,,,,\n")
            .as_bytes(),
    );
    ws.write("logs/a.csv", b"date;org\n");
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("csv-header", "logs/a.csv", 1, 1),
            at("unknown-org", "logs/b.csv", 2, 12),
            at("unknown-kind", "logs/b.csv", 2, 22),
            at("bad-status", "logs/b.csv", 2, 29),
            at("bad-date", "logs/b.csv", 3, 1),
            at("bad-number", "logs/b.csv", 3, 40),
        ]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn warnings_alone_exit_zero() {
    // A glob that matches nothing is a warning, not an error.
    let ws = TempWs::with_plan(
        &common::base_plan().replace("logs = [\"logs/*.csv\"]", "logs = [\"logs/*.csv\", \"other/*.csv\"]"),
    );
    ws.write("logs/a.csv", format!("{HEADER}\n").as_bytes());
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("no-logs", "plans/x.toml", 10, 23)]);
    assert_eq!(run.diags[0]["severity"], "warning");
    assert_eq!(run.code, 0);
}

// ---- output forms and streams ----

#[test]
fn json_goes_to_stdout_only() {
    let dir = fixture("check-unknown-org");
    let out = plan()
        .arg("-C")
        .arg(&dir)
        .args(["check", "--format", "json", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc,
        serde_json::json!({"diagnostics": [{
            "file": "logs/a.csv", "line": 3, "column": 12, "severity": "error",
            "code": "unknown-org", "message": "unknown organisation `MTTX`; did you mean `MTTQ`?"
        }]})
    );
    // A clean run is an empty list, not nothing.
    let run = check_json(&fixture("check-clean"), &AT);
    assert_eq!(run.stdout.trim_end(), "{\n  \"diagnostics\": []\n}");
}

#[test]
fn github_lines_are_workflow_commands() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-bad-number"))
        .args(["check", "--format", "github", "--at", "2024-01-01"])
        // Outside any git repository: paths relative to the workspace.
        .env("GIT_DIR", "/nonexistent")
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "::error file=logs/a.csv,line=3,endLine=3,col=47,endColumn=51,title=bad-number::[bad-number] `participants` must be a non-negative integer, not `1.200` (write 1200, without separators)\n\
         ::error file=logs/a.csv,line=4,endLine=4,col=57,endColumn=57,title=bad-number::[bad-number] `resolved` (7) is more than `recommendations` (5): no more recommendations can be acted on than were made\n"
    );
}

#[test]
fn github_escapes_properties_and_messages() {
    let ws = TempWs::new();
    // A file name with `,`, `:` and `%`; a status cell with `%` and a line break
    // (shown as `\n`, as in every form of the message).
    ws.write(
        "logs/a,b:c%.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,\"50%\nx\",T,,,,,,,\n").as_bytes(),
    );
    let out = ws.run(&["check", "--format", "github", "--at", "2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "::error file=logs/a%2Cb%3Ac%25.csv,line=2,endLine=2,col=31,endColumn=35,title=bad-status::[bad-status] status `50%25\\nx` is not one of done, planned, postponed, cancelled\n"
    );
}

#[test]
fn github_writes_the_step_summary_when_asked() {
    let summary_dir = tempfile::tempdir().unwrap();
    let summary = summary_dir.path().join("summary.md");
    let dir = fixture("check-unknown-org");
    let before = snapshot(&dir);
    let out = plan()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("-C")
        .arg(&dir)
        .args(["check", "--format", "github", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&dir), before);
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "### plan check: 1 error(s), 0 warning(s)\n\n| file | line | code | message |\n|---|---|---|---|\n\
         | logs/a.csv | 3 | `unknown-org` | unknown organisation \\`MTTX\\`; did you mean \\`MTTQ\\`? |\n"
    );
}

#[test]
fn the_step_summary_is_in_the_users_language() {
    let summary_dir = tempfile::tempdir().unwrap();
    let summary = summary_dir.path().join("summary.md");
    let out = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("-C")
        .arg(fixture("check-unknown-org"))
        .args(["check", "--format", "github", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("### plan check: 1 lỗi, 0 cảnh báo\n\n| tệp | dòng | mã | thông báo |\n"),
        "{text}"
    );
}

#[test]
fn human_goes_to_stderr_with_the_source_line() {
    let dir = fixture("check-unknown-org");
    let before = snapshot(&dir);
    let out = plan()
        .arg("-C")
        .arg(&dir)
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(snapshot(&dir), before);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "error[unknown-org]: unknown organisation `MTTX`; did you mean `MTTQ`?\n \
         --> logs/a.csv:3:12\n  |\n\
         3 | 2023-03-16,MTTX,tinh,dialogue,done,Hội nghị,,,,,,,\n  \
         |            ^^^^\n\n\
         1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn human_shows_the_glob_line() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-glob-escape"))
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(" --> plans/x.toml:13:5\n   |\n13 |     \"../outside/*.csv\",\n   |     ^^^^^^^^^^^^^^^^^^\n"),
        "{err}"
    );
}

#[test]
fn human_clean_run_says_so_on_stderr() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-clean"))
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "no problems found\n");
}

#[test]
fn human_points_into_the_plan() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-unknown-key"))
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(" --> plans/x.toml:39:1\n"), "{err}");
    assert!(err.contains("39 | titel = \"Đối thoại mỗi năm\"\n"), "{err}");
    assert!(err.contains("   | ^^^^^\n"), "{err}");
}

// ---- runs that cannot start: exit 2 ----

fn assert_fatal(args: &[&str], dir: &std::path::Path, stderr_has: &str) {
    let before = snapshot(dir);
    let out = plan().arg("-C").arg(dir).args(args).output().unwrap();
    assert_eq!(snapshot(dir), before);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(err.contains(stderr_has), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_at_exits_2() {
    assert_fatal(
        &["check", "--at", "2023-13-01"],
        &fixture("check-clean"),
        "--at `2023-13-01` is not a real date: there is no month 13; fix the date",
    );
    assert_fatal(
        &["check", "--format", "json", "--at", "30/06/2023"],
        &fixture("check-clean"),
        "--at `30/06/2023`",
    );
}

#[test]
fn no_workspace_exits_2() {
    let empty = tempfile::tempdir().unwrap();
    assert_fatal(&["check"], empty.path(), "no workspace");
}

#[test]
fn unknown_plan_exits_2() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-clean"))
        .args(["--plan", "NOPE", "check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: no plan `NOPE`; the workspace has: X\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_fatal(&["check", "--format", "xml"], &fixture("check-clean"), "xml");
    assert_fatal(&["check", "--bogus"], &fixture("check-clean"), "--bogus");
    let out = plan()
        .args(["-C", "/nonexistent/dir/for/plan", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plan_picked_by_id() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-unknown-org"))
        .args(["--plan", "X", "check", "--format", "json", "--at", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

// ---- the shipped workspace ----

#[test]
fn shipped_workspace_checks_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = check_json(root, &[]);
    let errors: Vec<_> = run.diags.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = plan().arg("-C").arg(root).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
