//! Output safety: text from plans and logs cannot run as a spreadsheet
//! formula in CSV output, nor inject Markdown or HTML into a report.

use std::path::Path;

use assert_cmd::Command;

/// A workspace with the shipped plan (its first target's title made hostile)
/// and one log whose titles try to inject Markdown and HTML.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let plan = common::shipped_plan();
    let first_title = plan
        .lines()
        .find(|l| l.starts_with("title = \"Tổng số 234"))
        .unwrap()
        .to_owned();
    let plan = plan.replace("examples/15-DA-TU/logs/**/*.csv", "logs/*.csv").replace(
        &first_title,
        "title = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"",
    );
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    std::fs::write(dir.path().join("plans/15-DA-TU.toml"), plan).unwrap();
    let log = "date,org,unit,kind,status,title,field\n\
        2023-02-01,HND,tinh,supervision,done,\"<script>alert(1)</script> **đậm** [bấm](http://evil.example)\",F1\n\
        2023-03-01,HND,tinh,dialogue,done,\"# Tiêu đề giả\n| a | b |\",\n\
        2023-04-01,HND,tinh,dialogue,done,\"@SUM(A1) ![ảnh](x.png)\",\n";
    std::fs::write(dir.path().join("logs/hnd.csv"), log).unwrap();
    dir
}

use crate::common;

fn run(dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.arg("-C").arg(dir);
    common::stdout_of(cmd, args)
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let ws = workspace();
    let csv = run(
        ws.path(),
        &[
            "status",
            "--format",
            "csv",
            "--at",
            "2023-06-30",
            "--target",
            "supervision-total",
        ],
    );
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("supervision-total,\"'=HYPERLINK("), "{row}");
}

#[test]
fn report_text_from_logs_is_escaped() {
    let ws = workspace();
    let md = run(ws.path(), &["report", "--half", "2023H1"]);
    assert!(!md.contains("<script>"), "raw HTML leaked");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(md.contains("\\*\\*đậm\\*\\*"));
    assert!(md.contains("\\[bấm\\](http\\://evil.example)"));
    assert!(
        !md.lines().any(|l| l.starts_with("# Tiêu đề giả")),
        "a heading was injected"
    );
    assert!(
        md.contains("\\# Tiêu đề giả \\| a \\| b \\|"),
        "line breaks flattened, pipes escaped"
    );
    assert!(md.contains("!\\[ảnh\\]") || md.contains("\\!\\[ảnh\\]"));
}
