//! The period options that `status` and `report` share: `report` takes them
//! in one group with `--midterm` and `--final`, and a bad period option is one
//! error line in the user's language, with exit 2.

use crate::common::{fixture, plan};

fn run(args: &[&str]) -> (i32, String) {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-clean"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn one_report_kind_at_a_time() {
    for pair in [["--half", "2023H1", "--midterm"], ["--year", "2023", "--final"]] {
        let (code, err) = run(&[&["report"], &pair[..]].concat());
        assert_eq!(code, 2, "{pair:?}: {err}");
        assert!(err.contains("cannot be used with"), "{pair:?}: {err}");
    }
    let (code, err) = run(&["report", "--term", "--midterm"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_bad_period_option_is_one_error_line_exit_2() {
    let (code, err) = run(&["report", "--half", "2023H3"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --half `2023H3`: not a half-year: write it like 2023H1 or 2023H2 (also 2023S1, last, this)\n"
    );
    let out = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .args(["--color", "never", "-C"])
        .arg(fixture("check-clean"))
        .args(["status", "--year", "20x3"])
        .env_remove("PLAN_LANG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "lỗi: --year `20x3`: không phải năm: viết như 2023 (hoặc last, this)\n"
    );
}
