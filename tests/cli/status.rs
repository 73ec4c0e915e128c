//! `plan status` on the shipped plan: golden JSON at several as-of dates,
//! the other formats, filters and the `--fail-on` gate.

mod json;
mod width;

use std::collections::BTreeSet;
use std::process::Stdio;

use assert_cmd::Command;

use crate::common;

fn plan() -> Command {
    common::in_repo()
}

fn stdout(args: &[&str]) -> String {
    common::stdout_of(plan(), args)
}

#[test]
fn golden_json_at_mid_term() {
    insta::assert_snapshot!(
        "status_2023-06-30",
        stdout(&["status", "--format", "json", "--at", "2023-06-30"])
    );
}

#[test]
fn golden_json_at_end_of_2024() {
    insta::assert_snapshot!(
        "status_2024-12-31",
        stdout(&["status", "--format", "json", "--at", "2024-12-31"])
    );
}

#[test]
fn golden_json_after_the_districts_ended() {
    insta::assert_snapshot!(
        "status_2025-09-15",
        stdout(&["status", "--format", "json", "--at", "2025-09-15"])
    );
}

#[test]
fn json_shape_and_order() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["status", "--half", "2023H1", "--format", "json"])).unwrap();
    assert_eq!(v["plan"], "15-DA-TU");
    assert_eq!(v["as_of"], "2023-06-30", "a period option means its last day");
    let results = v["results"].as_array().unwrap();
    let first = &results[0];
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "target", "period", "org", "unit", "field", "actual", "required", "expected", "status",
    ] {
        assert!(keys.contains(&k), "{k} missing");
    }
    // Target order of the plan, then period.
    let order: Vec<&str> = results.iter().map(|r| r["target"].as_str().unwrap()).collect();
    let mut dedup = order.clone();
    dedup.dedup();
    assert_eq!(dedup.first(), Some(&"supervision-total"));
    assert_eq!(dedup.last(), Some(&"budget"));
    // A period that has ended carries no `expected`.
    let ended = results
        .iter()
        .find(|r| r["period"] == "2021" && r["target"] == "dialogue-province")
        .unwrap();
    assert!(ended.get("expected").is_none());
}

#[test]
fn districts_have_no_period_after_they_ended() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "status",
        "--format",
        "json",
        "--at",
        "2025-12-31",
        "--unit",
        "bat-xat",
    ]))
    .unwrap();
    let r2025: Vec<_> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["period"] == "2025")
        .collect();
    assert_eq!(
        r2025.len(),
        6,
        "one 2025 period per organisation, clipped to 30/06/2025"
    );
}

#[test]
fn table_shows_the_periods_around_d_and_the_summary() {
    let out = stdout(&["status", "--half", "2023H1"]);
    assert!(out.contains("tính đến ngày 30/06/2023"));
    assert!(out.contains("supervision-total"));
    assert!(out.contains("102 / 234"));
    assert!(out.contains("chậm tiến độ"));
    let periods: BTreeSet<&str> = out
        .lines()
        .filter(|l| l.starts_with('│'))
        .filter_map(|l| l.split('┆').nth(2))
        .map(str::trim)
        .collect();
    assert_eq!(
        periods,
        BTreeSet::from(["Kỳ", "2021-2025", "2023"]),
        "periods that do not overlap 2023H1 are hidden\n{out}"
    );
    assert!(out.contains("Giám sát: 15/16 cuộc, đạt 93,8%"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour codes off a terminal");
    let en = stdout(&["--lang", "en", "status", "--half", "2023H1"]);
    assert!(en.contains("supervision: 15/16, 93.8%"), "{en}");
    // As of a day before the half began there is no summary (it read
    // "from 2023-07-01 to 2023-03-01").
    let early = stdout(&["--lang", "en", "status", "--half", "2023H2", "--at", "2023-03-01"]);
    assert!(early.contains("supervision-total"), "{early}");
    assert!(!early.contains("Activities done / scheduled"), "{early}");
}

#[test]
fn table_columns_line_up_with_diacritics() {
    let out = stdout(&["status", "--half", "2023H1", "--target", "dialogue-province"]);
    let widths: Vec<usize> = out
        .lines()
        .filter(|l| l.starts_with('│') || l.starts_with('┌') || l.starts_with('└'))
        .map(unicode_width::UnicodeWidthStr::width)
        .collect();
    assert!(widths.len() > 3);
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{widths:?}\n{out}");
}

#[test]
fn csv_and_markdown() {
    let csv = stdout(&[
        "status",
        "--format",
        "csv",
        "--at",
        "2023-06-30",
        "--target",
        "supervision-total",
    ]);
    assert_eq!(
        csv,
        "target,title,period,org,unit,field,actual,required,expected,status,as_of\n\
         supervision-total,\"Tổng số 234 cuộc giám sát của MTTQ và các đoàn thể chính trị - xã hội cấp tỉnh, cấp huyện, thị xã, thành phố trong 05 năm\",2021-2025,,,,102,234,115,behind,2023-06-30\n"
    );
    let md = stdout(&["status", "--format", "md", "--half", "2023H1", "--target", "training"]);
    assert!(
        md.contains("| training | HCCB | 2023 | 0 / 1 | 0% |  | đúng tiến độ |"),
        "{md}"
    );
}

#[test]
fn filters_and_fail_on() {
    let out = stdout(&[
        "status",
        "--format",
        "json",
        "--at",
        "2023-06-30",
        "--org",
        "HCCB",
        "--behind",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["org"] == "HCCB"));
    assert!(
        results
            .iter()
            .all(|r| ["behind", "missed", "over"].contains(&r["status"].as_str().unwrap()))
    );
    plan()
        .args(["status", "--at", "2023-06-30", "--fail-on", "missed"])
        .assert()
        .code(3);
    plan()
        .args(["status", "--at", "2023-06-30", "--fail-on", "over"])
        .assert()
        .code(0);
    plan().args(["status", "--fail-on", "late"]).assert().code(2);
    plan()
        .args(["status", "--org", "HNX"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("HND"));
    plan()
        .args(["--lang", "vi", "status", "--org", "HNX"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "không có trong kế hoạch (có phải ý bạn là `HND`?)",
        ));
}

/// `plan status` of one target with its stdout on a pseudo-terminal (made by
/// util-linux `script`, so Linux only), `NO_COLOR` set to `no_color` or unset.
fn on_a_terminal(no_color: Option<&str>) -> String {
    let line = format!(
        "'{}' -C '{}' status --half 2023H1 --target supervision-total",
        env!("CARGO_BIN_EXE_plan"),
        env!("CARGO_MANIFEST_DIR")
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("PLAN_LANG")
        .stdin(Stdio::null());
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    // The status table of one target, with `NO_COLOR` set or not.
    let table = |no_color: bool, extra: &[&str]| {
        let mut cmd = Command::cargo_bin("plan").unwrap();
        cmd.env_remove("NO_COLOR").arg("-C").arg(env!("CARGO_MANIFEST_DIR"));
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let args = ["status", "--half", "2023H1", "--target", "supervision-total"];
        let out = cmd.args(extra).args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!table(false, &[]).contains('\u{1b}'));
    let coloured = table(false, &["--color", "always"]);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    // NO_COLOR switches off `auto`, which colours a terminal; set but empty,
    // it does not count.
    if cfg!(target_os = "linux") {
        assert!(on_a_terminal(None).contains("\u{1b}["));
        let no_color = on_a_terminal(Some("1"));
        assert!(!no_color.contains('\u{1b}'), "{no_color}");
        assert!(no_color.contains("supervision-total"), "{no_color}");
        assert!(on_a_terminal(Some("")).contains("\u{1b}["));
    }
    // `--color always` wins over NO_COLOR: real colours, not bare resets.
    let forced = table(true, &["--color", "always"]);
    assert!(forced.contains("\u{1b}[38;5;"), "{forced}");
}

#[test]
fn after_the_term_the_table_says_how_to_see_it() {
    let out = stdout(&["--lang", "en", "status", "--at", "2026-11-28"]);
    assert!(
        out.contains(
            "(no period contains 2026-11-28: the term ended on 2025-12-31; use --term, --all or --at 2025-12-31)"
        ),
        "{out}"
    );
    assert!(!out.contains("Activities done"), "{out}");
    let shown = stdout(&["--lang", "en", "status", "--at", "2025-12-31"]);
    assert!(!shown.contains("no period contains"), "{shown}");
}

#[test]
fn warnings_are_said_on_stderr_and_do_not_stop_status() {
    // A mistyped glob must not pass as a silent table of zeros.
    let plan = common::base_plan().replace("logs = [\"logs/*.csv\"]", "logs = [\"log/*.csv\"]");
    let ws = common::TempWs::with_plan(&plan);
    for args in [
        &["status", "--format", "csv", "--year", "2023"][..],
        &["report", "--year", "2023"],
    ] {
        let out = ws.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("warning[no-logs]") && err.contains("plans/x.toml:10"),
            "{args:?}: {err}"
        );
    }
}
