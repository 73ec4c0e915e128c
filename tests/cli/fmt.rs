//! `plan fmt`: canonical plans and logs, comments kept,
//! meaning kept, idempotent, atomic, and files with errors left alone.
//!
//! The messy fixture (`tests/fixtures/fmt-messy`) has shuffled keys and
//! columns, odd quoting, dotted keys, unsorted rows and comments everywhere;
//! the tests add a BOM, CRLF line ends and NFD text on top of it, and the
//! result must equal `tests/fixtures/fmt-expected` byte for byte.

mod large;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use unicode_normalization::UnicodeNormalization;

use crate::common::{copy_dir, root};

fn plan(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("NO_COLOR")
        .args(["--lang", "en", "--color", "never", "-C"])
        .arg(dir);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = plan(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The shipped workspace (plans/ and the example logs) in a temp dir.
fn shipped() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("plans"), &tmp.path().join("plans"));
    copy_dir(&root().join("examples/15-DA-TU"), &tmp.path().join("examples/15-DA-TU"));
    tmp
}

/// The messy fixture in a temp dir, with a BOM, CRLF and NFD text added.
fn messy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/fmt-messy"), tmp.path());
    for (rel, bytes) in snapshot(tmp.path()) {
        let text = String::from_utf8(bytes).unwrap();
        let nfd: String = text.nfd().collect();
        // A log's BOM is kept by fmt (Excel needs it; see tests/cli/excel.rs):
        // only the plans get one here.
        let bom = if rel.ends_with(".csv") { "" } else { "\u{feff}" };
        let messy = format!("{bom}{}", nfd.replace('\n', "\r\n"));
        fs::write(tmp.path().join(rel), messy).unwrap();
    }
    tmp
}

fn status_json(dir: &Path) -> String {
    let r = run(dir, &["status", "--format", "json", "--at", "2023-06-30"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn messy_files_become_the_expected_canonical_form() {
    let ws = messy();
    let r = run(ws.path(), &["fmt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout, "plans/messy.toml\nlogs/2022/mttq.csv\nlogs/2023/hnd.csv\n",
        "fmt lists the files it rewrote"
    );
    let got = snapshot(ws.path());
    let want = snapshot(&root().join("tests/fixtures/fmt-expected"));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (rel, bytes) in &want {
        assert_eq!(
            String::from_utf8_lossy(&got[rel]),
            String::from_utf8_lossy(bytes),
            "{rel} differs from tests/fixtures/fmt-expected"
        );
    }
}

#[test]
fn messy_output_is_nfc_lf_without_bom() {
    let ws = messy();
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    for (rel, bytes) in snapshot(ws.path()) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.starts_with('\u{feff}'), "{rel} keeps a BOM");
        assert!(!text.contains('\r'), "{rel} keeps a CR");
        assert!(text.ends_with('\n'), "{rel} lacks a final line break");
        assert_eq!(text, text.nfc().collect::<String>(), "{rel} is not NFC");
    }
}

#[test]
fn every_comment_survives() {
    let ws = messy();
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    let out = fs::read_to_string(ws.path().join("plans/messy.toml")).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    for expected in [
        "# Messy plan: keys shuffled, odd quoting and spacing, comments everywhere.",
        "format = 1 # the format version",
        "[[target]] # header comment of the first target",
        "# above `per`",
        "min = 2 # at least two",
        "levels = [\"province\"] # only the province",
        "    \"org\", # one per organisation",
        "# A term target phased by year.",
        "# rows name a field",
        "# dialogue comes second",
        "[units.bat-xat] # a district",
        "# the Front",
        "# the id is the code used on the command line",
        "    \"Thường trực Tỉnh ủy\", # first",
        "# a comment at the very end",
    ] {
        assert!(lines.contains(&expected), "missing line {expected:?} in:\n{out}");
    }
    // The comment stays with its key, wherever the key moves.
    let id = lines.iter().position(|l| *l == "id = \"messy\"").unwrap();
    assert_eq!(lines[id - 1], "# the id is the code used on the command line");
    assert_eq!(lines.last(), Some(&"# a comment at the very end"));
}

#[test]
fn fmt_is_idempotent_on_messy_files() {
    let ws = messy();
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    let once = snapshot(ws.path());
    let r = run(ws.path(), &["fmt"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(snapshot(ws.path()), once);
    let r = run(ws.path(), &["fmt", "--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

#[test]
fn status_is_the_same_after_fmt_on_messy_files() {
    let ws = messy();
    let before = status_json(ws.path());
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    assert_eq!(status_json(ws.path()), before);
}

#[test]
fn fmt_is_idempotent_on_the_shipped_plan_and_logs() {
    let ws = shipped();
    let r = run(ws.path(), &["fmt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let once = snapshot(ws.path());
    let r = run(ws.path(), &["fmt"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(snapshot(ws.path()), once);
    let r = run(ws.path(), &["fmt", "--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

#[test]
fn status_is_the_same_after_fmt_on_the_shipped_files() {
    let ws = shipped();
    let before = status_json(ws.path());
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    assert_eq!(status_json(ws.path()), before);
    let r = run(ws.path(), &["check", "--format", "json", "--at", "2025-12-31"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn shipped_plan_comments_survive() {
    let ws = shipped();
    let before = fs::read_to_string(ws.path().join("plans/15-DA-TU.toml")).unwrap();
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    let after = fs::read_to_string(ws.path().join("plans/15-DA-TU.toml")).unwrap();
    let comments = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .map(|l| l.trim().to_owned())
            .collect()
    };
    assert_eq!(comments(&after), comments(&before));
}

#[test]
fn check_lists_changes_writes_nothing_and_exits_1() {
    let ws = messy();
    let before = snapshot(ws.path());
    let r = run(ws.path(), &["fmt", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Each file's name, then (indented) its first differing line.
    let names: Vec<&str> = r.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(names, ["plans/messy.toml", "logs/2022/mttq.csv", "logs/2023/hnd.csv"]);
    assert!(
        r.stdout
            .contains("\n    line 1:\n      - date,org,unit,kind,status,title,ref,cost\\r\n      + date,org,unit,kind,status,title,ref,cost\n"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("3 file(s) not in canonical form"), "{}", r.stderr);
    assert_eq!(snapshot(ws.path()), before);
}

#[test]
fn named_files_only() {
    let ws = messy();
    let plan_before = fs::read(ws.path().join("plans/messy.toml")).unwrap();
    let r = run(ws.path(), &["fmt", "logs/2023/hnd.csv"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "logs/2023/hnd.csv\n"), "{}", r.stderr);
    assert_eq!(fs::read(ws.path().join("plans/messy.toml")).unwrap(), plan_before);
    assert_eq!(
        fs::read(ws.path().join("logs/2023/hnd.csv")).unwrap(),
        fs::read(root().join("tests/fixtures/fmt-expected/logs/2023/hnd.csv")).unwrap()
    );
}

#[test]
fn a_file_that_is_neither_plan_nor_log_is_a_usage_error() {
    let ws = messy();
    fs::write(ws.path().join("other.csv"), "a,b\n").unwrap();
    let r = run(ws.path(), &["fmt", "other.csv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("neither a plan"), "{}", r.stderr);
    let r = run(ws.path(), &["fmt", "missing.csv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_plan_with_errors_is_not_touched() {
    let ws = messy();
    let path = ws.path().join("plans/messy.toml");
    let text = fs::read_to_string(&path).unwrap().replace("min = 2", "mni = 2");
    fs::write(&path, &text).unwrap();
    let r = run(ws.path(), &["fmt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown-key"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("files with errors were not formatted: plans/messy.toml"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    // The logs have no errors: they are formatted.
    assert_eq!(r.stdout, "logs/2022/mttq.csv\nlogs/2023/hnd.csv\n");
}

#[test]
fn a_log_with_errors_is_not_touched() {
    let ws = messy();
    let path = ws.path().join("logs/2023/hnd.csv");
    let text = fs::read_to_string(&path).unwrap().replace("2023-02-01", "01/02/2023");
    fs::write(&path, &text).unwrap();
    let r = run(ws.path(), &["fmt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("bad-date"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    assert_eq!(r.stdout, "plans/messy.toml\nlogs/2022/mttq.csv\n");
}

#[test]
fn a_broken_toml_file_is_not_touched() {
    let ws = messy();
    let path = ws.path().join("plans/messy.toml");
    fs::write(&path, "format = 1\n[plan\n").unwrap();
    let r = run(ws.path(), &["fmt", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("toml-syntax"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), "format = 1\n[plan\n");
}

#[test]
fn writes_leave_no_temporary_files() {
    let ws = messy();
    assert_eq!(run(ws.path(), &["fmt"]).code, 0);
    let names: Vec<String> = snapshot(ws.path()).into_keys().collect();
    assert_eq!(names, ["logs/2022/mttq.csv", "logs/2023/hnd.csv", "plans/messy.toml"]);
}

#[test]
fn a_lone_carriage_return_in_a_cell_is_text_as_check_reads_it() {
    // Excel on a Mac can leave a bare CR inside an unquoted cell; `check`
    // reads it as part of the cell, so fmt must too (it split the row).
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/check-clean"), tmp.path());
    let header = "date,org,unit,kind,status,title,note\r\n";
    let log = format!("{header}2023-05-02,MTTQ,tinh,dialogue,done,Line one\rline two,note\r\n");
    fs::write(tmp.path().join("logs/cr.csv"), log).unwrap();
    assert_eq!(run(tmp.path(), &["check"]).code, 0);
    let before = status_json(tmp.path());
    let r = run(tmp.path(), &["fmt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = fs::read_to_string(tmp.path().join("logs/cr.csv")).unwrap();
    assert!(text.ends_with(",done,\"Line one\nline two\",note\n"), "{text:?}");
    assert_eq!(status_json(tmp.path()), before);
}
