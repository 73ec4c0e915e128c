//! Which sheet of a workbook is read: the one the plan names with `sheet`
//! in `[plan]`, else the first; a named sheet the workbook lacks gets a
//! diagnostic naming the file, the plan's line and column, and the sheets;
//! another sheet with a log header gets a warning that its rows are not
//! counted.
//!
//! `tests/fixtures/excel/sheets-hnd-2023.xlsx` (made by `make.py`) has a
//! note sheet first, the rows of `source-hnd-2023.csv` in `Nhật ký`, and a
//! draft sheet `Nháp` whose one row names an unknown org.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, check_json, copy_dir, root};

fn excel(name: &str) -> PathBuf {
    root().join("tests/fixtures/excel").join(name)
}

const LOGS: &str = "logs = [\"examples/15-DA-TU/logs/**/*.csv\"]";

/// The shipped plan and logs in a temp dir, the logs glob also matching
/// workbooks and `extra` written after it; the 2023 HND log is the source
/// CSV of the fixtures.
fn shipped(extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/15-DA-TU/logs"), &tmp.path().join("logs"));
    fs::copy(excel("source-hnd-2023.csv"), tmp.path().join("logs/2023/hnd.csv")).unwrap();
    let plan = fs::read_to_string(root().join("plans/15-DA-TU.toml")).unwrap();
    assert!(plan.contains(LOGS));
    let plan = plan.replace(LOGS, &format!("logs = [\"logs/**/*.{{csv,xlsx}}\"]{extra}"));
    fs::create_dir_all(tmp.path().join("plans")).unwrap();
    fs::write(tmp.path().join("plans/15-DA-TU.toml"), plan).unwrap();
    tmp
}

fn status_json(dir: &Path) -> String {
    let out = common::plan()
        .arg("-C")
        .arg(dir)
        .args(["status", "--format", "json", "--at", "2025-12-31"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The CSV's status, then the workbook in its place.
fn with_workbook(extra: &str) -> (tempfile::TempDir, String) {
    let ws = shipped(extra);
    let want = status_json(ws.path());
    fs::remove_file(ws.path().join("logs/2023/hnd.csv")).unwrap();
    fs::copy(excel("sheets-hnd-2023.xlsx"), ws.path().join("logs/2023/hnd.xlsx")).unwrap();
    (ws, want)
}

#[test]
fn the_sheet_the_plan_names_is_read_and_the_others_ignored() {
    let (ws, want) = with_workbook("\nsheet = \"Nhật ký\"");
    let c = check_json(ws.path(), &["--lang", "en"]);
    assert_eq!(c.code, 0, "{:?}", c.diags);
    // The draft sheet has a log header too: its rows are not counted, and
    // a warning says so (the note sheet has none).
    assert_eq!(
        c.places(),
        vec![common::at("workbook-unread-sheet", "logs/2023/hnd.xlsx", 0, 0)],
        "{:?}",
        c.messages()
    );
    let msg = &c.messages()[0];
    assert!(
        msg.starts_with("sheet `Nháp` also has a log header")
            && msg.contains("only sheet `Nhật ký` is read (the sheet the plan names")
            && msg.ends_with("or change `sheet` in the plan"),
        "{msg}"
    );
    assert_eq!(c.diags[0]["severity"], "warning");
    assert_eq!(status_json(ws.path()), want);
}

#[test]
fn without_a_sheet_named_other_sheets_with_log_headers_are_warned_of() {
    let (ws, _) = with_workbook("");
    let c = check_json(ws.path(), &["--lang", "vi"]);
    let mut unread: Vec<String> = c
        .diags
        .iter()
        .filter(|d| d["code"] == "workbook-unread-sheet")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    unread.sort();
    assert_eq!(unread.len(), 2, "{unread:?}");
    assert!(
        unread[0].starts_with("trang `Nháp` cũng có tiêu đề cột của nhật ký"),
        "{}",
        unread[0]
    );
    assert!(
        unread[1].starts_with("trang `Nhật ký` cũng có tiêu đề cột của nhật ký"),
        "{}",
        unread[1]
    );
    assert!(
        unread[1].contains("chỉ đọc trang `Ghi chú` (trang đầu tiên)"),
        "{}",
        unread[1]
    );
    assert!(unread[1].ends_with("hoặc đặt `sheet` trong kế hoạch"), "{}", unread[1]);
}

#[test]
fn without_a_sheet_named_the_first_is_read() {
    // The note sheet comes first: its one cell is no log header.
    let (ws, _) = with_workbook("");
    let c = check_json(ws.path(), &[]);
    assert_eq!(c.code, 1);
    assert!(
        c.places()
            .iter()
            .any(|(code, file, ..)| code == "csv-header" && file == "logs/2023/hnd.xlsx"),
        "{:?}",
        c.diags
    );
    assert!(c.messages().iter().all(|m| !m.contains("XYZ")), "{:?}", c.messages());
}

#[test]
fn a_named_sheet_the_workbook_lacks_is_a_diagnostic() {
    let (ws, _) = with_workbook("\nsheet = \"Nhat ky\"");
    let plan = fs::read_to_string(ws.path().join("plans/15-DA-TU.toml")).unwrap();
    let line = plan.lines().position(|l| l.starts_with("sheet = ")).unwrap() + 1;
    let c = check_json(ws.path(), &["--lang", "en"]);
    assert_eq!(c.code, 1);
    assert_eq!(
        c.places(),
        vec![common::at("workbook-sheet", "logs/2023/hnd.xlsx", 0, 0)],
        "{:?}",
        c.messages()
    );
    let msg = &c.messages()[0];
    for part in [
        "`Nhat ky`".to_owned(),
        format!("plans/15-DA-TU.toml:{line}:9"),
        "`Ghi chú`, `Nhật ký`, `Nháp`".to_owned(),
    ] {
        assert!(msg.contains(&part), "{part} not in {msg}");
    }
    let c = check_json(ws.path(), &["--lang", "vi"]);
    assert!(
        c.messages()[0].contains("không có trang `Nhat ky`"),
        "{:?}",
        c.messages()
    );
}
