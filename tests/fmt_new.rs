//! `plan fmt --check` on a large log whose rows are not in canonical order:
//! the first differing line is found without sorting the log, on one
//! thread and on several, and is the line the full comparison shows.
//! (To be folded into `tests/cli/fmt/large.rs`; self-contained here.)

use std::path::Path;
use std::process::Command;

const HEADER: &str = "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note";

/// A canonical log of `n` rows (about 130 bytes each), Vietnamese titles,
/// a quoted note on every third row; line 0 is the header.
fn log(n: usize) -> Vec<String> {
    let mut rows: Vec<String> = (0..n)
        .map(|i| {
            let note = if i % 3 == 0 {
                format!("\"Ghi chú, số {i}\"")
            } else {
                String::new()
            };
            format!(
                "2023-{:02}-{:02},MTTQ,tinh,dialogue,done,Hội nghị đối thoại số {i:06},,,120,5000000,,,{note}\n",
                i / 28 % 12 + 1,
                i % 28 + 1,
            )
        })
        .collect();
    rows.sort();
    rows.insert(0, format!("{HEADER}\n"));
    rows
}

/// `plan fmt --check` (English) on a workspace holding `lines` as its log,
/// on `threads` threads: the exit code and stdout.
fn fmt_check(lines: &[String], threads: usize) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-clean/plans/x.toml");
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    std::fs::copy(plan, dir.path().join("plans/x.toml")).unwrap();
    std::fs::write(dir.path().join("logs/a.csv"), lines.concat()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plan"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("PLAN_THREADS", threads.to_string())
        .args(["--lang", "en", "--color", "never", "-C"])
        .arg(dir.path())
        .args(["fmt", "--check"])
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// What `fmt --check` prints for a first difference.
fn shown(line: usize, was: &str, would: &str) -> String {
    format!(
        "logs/a.csv\n    line {line}:\n      - {}\n      + {}\n",
        was.trim_end(),
        would.trim_end()
    )
}

#[test]
fn rows_out_of_order_in_a_large_log() {
    // Over 4 MiB: read in parts on several threads.
    let lines = log(40_000);
    let n = lines.len();
    for threads in [1, 3] {
        assert_eq!(fmt_check(&lines, threads), (0, String::new()));
        // The last row first: line 2 would be the first row.
        let mut l = lines.clone();
        let last = l.pop().unwrap();
        l.insert(1, last.clone());
        assert_eq!(fmt_check(&l, threads), (1, shown(2, &last, &lines[1])));
        // The first row last: every row moves up one line.
        let mut l = lines.clone();
        let first = l.remove(1);
        l.push(first);
        assert_eq!(fmt_check(&l, threads), (1, shown(2, &lines[2], &lines[1])));
        // Two rows swapped in the middle of the second part.
        let mut l = lines.clone();
        l.swap(30_000, 30_001);
        assert_eq!(
            fmt_check(&l, threads),
            (1, shown(30_001, &lines[30_001], &lines[30_000]))
        );
        // A row of the middle repeated at the end: the end differs.
        let mut l = lines.clone();
        l.push(lines[20_000].clone());
        assert_eq!(
            fmt_check(&l, threads),
            (1, shown(20_002, &lines[20_001], &lines[20_000]))
        );
        assert!(n > 40_000);
    }
}
