//! Help, usage errors and diagnostic labels in the user's language:
//! Vietnamese by default, English with `--lang en` or `PLAN_LANG=en`; a
//! snapshot of `--help` for `plan` and every command in both languages at
//! 100 columns; each command's own options before the global ones, examples
//! last, exit codes in `plan --help`.

use assert_cmd::Command;

use crate::common;

fn bare() -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("PLAN_LANG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("COLUMNS", "100");
    cmd
}

fn run(cmd: &mut Command, args: &[&str]) -> (i32, String, String) {
    common::outcome(cmd.args(args).output().unwrap())
}

/// Every command, in the order `plan --help` lists them.
const COMMANDS: [&str; 11] = [
    "check",
    "status",
    "report",
    "fmt",
    "diff",
    "schema",
    "site",
    "completions",
    "man",
    "template",
    "init",
];

#[test]
fn help_snapshots_in_both_languages() {
    let mut runs = vec![
        ("help_vi".to_owned(), vec!["--help"]),
        ("help_en".to_owned(), vec!["--help", "--lang", "en"]),
    ];
    for sub in COMMANDS {
        runs.push((format!("{sub}_help_vi"), vec![sub, "--help"]));
        runs.push((format!("{sub}_help_en"), vec!["--lang", "en", sub, "--help"]));
    }
    for (name, args) in runs {
        let (code, out, _) = run(&mut bare(), &args);
        assert_eq!(code, 0, "{name}");
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn every_command_has_its_help_snapshot() {
    let (_, out, _) = run(&mut bare(), &["--lang", "en", "--help"]);
    let listed: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, COMMANDS, "{out}");
}

#[test]
fn plan_lang_selects_english() {
    let (_, out, _) = run(bare().env("PLAN_LANG", "en"), &["--help"]);
    assert!(out.contains("Usage: plan [OPTIONS] <COMMAND>"), "{out}");
    let (_, joined, _) = run(&mut bare(), &["--lang=en", "report", "--help"]);
    let (_, apart, _) = run(&mut bare(), &["--lang", "en", "report", "--help"]);
    assert_eq!(joined, apart);
}

#[test]
fn the_root_help_lists_the_exit_codes_and_examples() {
    let (_, vi, _) = run(&mut bare(), &["--help"]);
    assert!(vi.contains("Mã thoát:\n  0  thành công\n  1  "), "{vi}");
    assert!(vi.contains("  3  `status --fail-on`"), "{vi}");
    let (_, en, _) = run(&mut bare(), &["--help", "--lang", "en"]);
    assert!(en.contains("Exit codes:\n  0  success"), "{en}");
}

#[test]
fn each_command_shows_its_options_before_the_global_ones_then_examples() {
    for sub in COMMANDS {
        for (lang, own, global, examples) in [
            ("vi", "Tùy chọn:", "Tùy chọn chung:", "Ví dụ:"),
            ("en", "Options:", "Global options:", "Examples:"),
        ] {
            let (code, out, _) = run(&mut bare(), &["--lang", lang, sub, "--help"]);
            assert_eq!(code, 0);
            let g = out.find(global).unwrap_or_else(|| panic!("{sub} {lang}:\n{out}"));
            if let Some(o) = out.find(&format!("\n{own}")) {
                assert!(o < g, "{sub} {lang}: own options first\n{out}");
            }
            let e = out
                .find(examples)
                .unwrap_or_else(|| panic!("{sub} {lang}: no examples\n{out}"));
            assert!(e > g, "{sub} {lang}: examples last\n{out}");
            let lines = out
                .get(e..)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("  plan "))
                .count();
            assert!((2..=3).contains(&lines), "{sub} {lang}: two or three examples\n{out}");
        }
    }
}

#[test]
fn usage_errors_speak_vietnamese_by_default() {
    let (code, _, err) = run(&mut bare(), &["statsu"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("lỗi: không có lệnh `statsu`"), "{err}");
    assert!(err.contains("có phải ý bạn là `status`"), "{err}");
    let (code, _, err) = run(&mut bare(), &["status", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("giá trị `xml` không hợp lệ cho --format"), "{err}");
    assert!(err.contains("table, json, csv, md"), "{err}");
    let (code, _, err) = run(&mut bare(), &["report", "--half", "2023H1", "--year", "2023"]);
    assert_eq!(code, 2);
    assert!(err.contains("không dùng cùng với"), "{err}");
    let (code, _, err) = run(&mut bare(), &["--lang", "en", "check", "--formt", "json"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: unknown option `--formt` (did you mean `--format`?)"),
        "{err}"
    );
    assert!(!err.contains("tùy chọn"), "{err}");
}

#[test]
fn diagnostic_labels_follow_the_language_but_workflow_commands_do_not() {
    let dir = common::fixture("check-bad-date");
    let (code, _, vi) = run(&mut bare(), &["-C", dir.to_str().unwrap(), "--color", "never", "check"]);
    assert_eq!(code, 1);
    assert!(vi.contains("lỗi[bad-date]:"), "{vi}");
    assert!(!vi.contains("error["), "{vi}");
    let (_, _, en) = run(&mut bare(), &["-C", dir.to_str().unwrap(), "--lang", "en", "check"]);
    assert!(en.contains("error[bad-date]:"), "{en}");
    let (_, gh, _) = run(
        &mut bare(),
        &["-C", dir.to_str().unwrap(), "check", "--format", "github"],
    );
    assert!(gh.starts_with("::error file="), "{gh}");
}

#[test]
fn quiet_silences_success_lines_only() {
    let dir = common::fixture("check-clean");
    let (code, _, err) = run(&mut bare(), &["-C", dir.to_str().unwrap(), "check"]);
    assert_eq!((code, err.as_str()), (0, "không có lỗi\n"));
    let (code, _, err) = run(&mut bare(), &["-C", dir.to_str().unwrap(), "-q", "check"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let bad = common::fixture("check-bad-date");
    let (code, _, err) = run(&mut bare(), &["-C", bad.to_str().unwrap(), "check", "--quiet"]);
    assert_eq!(code, 1);
    assert!(err.contains("bad-date"), "{err}");
}
