//! `plan fmt --check` on large logs: a canonical log passes (proved from
//! its bytes), and one cell out of form in the middle of it is found and its
//! line shown, as is an NFD title and a cell that needs quotes; rows out of
//! canonical order are found without sorting the log, on one thread and on
//! several, at the line the full comparison shows.

use crate::common::{HEADER, TempWs};
use unicode_normalization::UnicodeNormalization;

/// A canonical log of `n` rows (about 130 bytes each), Vietnamese titles,
/// a quoted note on every third row.
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

fn fmt_check(lines: &[String]) -> (i32, String) {
    fmt_check_on(lines, None)
}

/// `fmt --check` on a workspace holding `lines` as its log, on `threads`
/// threads when given: the exit code and stdout.
fn fmt_check_on(lines: &[String], threads: Option<usize>) -> (i32, String) {
    let ws = TempWs::new();
    ws.write("logs/a.csv", lines.concat().as_bytes());
    let mut cmd = crate::common::plan();
    if let Some(n) = threads {
        cmd.env("PLAN_THREADS", n.to_string());
    }
    let out = cmd.arg("-C").arg(ws.path()).args(["fmt", "--check"]).output().unwrap();
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
fn a_large_canonical_log_passes_and_one_bad_cell_is_shown() {
    // Over 4 MiB: read in two parts on two threads.
    let lines = log(40_000);
    assert_eq!(fmt_check(&lines), (0, String::new()));
    let mid = 20_001;
    for (what, bad) in [
        ("a space", lines[mid].replacen(",,,120", " ,,,120", 1)),
        (
            "NFD",
            lines[mid].replacen("Hội nghị", &"Hội nghị".nfd().collect::<String>(), 1),
        ),
        ("needless quotes", lines[mid].replacen(",tinh,", ",\"tinh\",", 1)),
    ] {
        let mut l = lines.clone();
        l[mid] = bad.clone();
        let (code, out) = fmt_check(&l);
        assert_eq!(code, 1, "{what}");
        let line = mid + 1;
        assert!(out.contains(&format!("line {line}:")), "{what}: {out}");
        assert!(out.contains(&format!("- {}", bad.trim_end())), "{what}: {out}");
        assert!(out.contains(&format!("+ {}", lines[mid].trim_end())), "{what}: {out}");
    }
}

#[test]
fn rows_out_of_order_in_a_large_log() {
    // Over 4 MiB: read in parts on several threads.
    let lines = log(40_000);
    for threads in [1, 3] {
        let check = |l: &[String]| fmt_check_on(l, Some(threads));
        assert_eq!(check(&lines), (0, String::new()));
        // The last row first: line 2 would be the first row.
        let mut l = lines.clone();
        let last = l.pop().unwrap();
        l.insert(1, last.clone());
        assert_eq!(check(&l), (1, shown(2, &last, &lines[1])));
        // The first row last: every row moves up one line.
        let mut l = lines.clone();
        let first = l.remove(1);
        l.push(first);
        assert_eq!(check(&l), (1, shown(2, &lines[2], &lines[1])));
        // Two rows swapped in the middle of the second part.
        let mut l = lines.clone();
        l.swap(30_000, 30_001);
        assert_eq!(check(&l), (1, shown(30_001, &lines[30_001], &lines[30_000])));
        // A row of the middle repeated at the end: the end differs.
        let mut l = lines.clone();
        l.push(lines[20_000].clone());
        assert_eq!(check(&l), (1, shown(20_002, &lines[20_001], &lines[20_000])));
    }
}

/// `plan fmt` on a workspace holding `text` as its log, on `threads`
/// threads: the exit code and the log afterwards.
fn fmt_on(text: &str, threads: usize) -> (i32, String) {
    let ws = TempWs::new();
    ws.write("logs/a.csv", text.as_bytes());
    let out = crate::common::plan()
        .env("PLAN_THREADS", threads.to_string())
        .arg("-C")
        .arg(ws.path())
        .arg("fmt")
        .output()
        .unwrap();
    let after = std::fs::read_to_string(ws.path().join("logs/a.csv")).unwrap();
    (out.status.code().unwrap(), after)
}

#[test]
fn a_large_log_out_of_order_is_written_in_canonical_form() {
    // Over 4 MiB, read in parts: rows in reverse order, with CRLF line
    // ends, and the same rows with the note column first and NFD titles.
    let lines = log(40_000);
    let canonical = lines.concat();
    let reversed: String = lines[..1]
        .iter()
        .chain(lines[1..].iter().rev())
        .map(|l| l.replace('\n', "\r\n"))
        .collect();
    let note_first: String = lines[..1]
        .iter()
        .chain(lines[1..].iter().rev())
        .map(|l| {
            // The note, last, may hold a comma (quoted).
            let mut cells: Vec<&str> = l.trim_end().splitn(13, ',').collect();
            let note = cells.pop().unwrap();
            format!("{note},{}\n", cells.join(",").nfd())
        })
        .collect();
    assert!(note_first.starts_with("note,date,org"));
    for threads in [1, 3] {
        assert_eq!(
            fmt_on(&reversed, threads),
            (0, canonical.clone()),
            "reversed, {threads} threads"
        );
        assert_eq!(
            fmt_on(&note_first, threads),
            (0, canonical.clone()),
            "note first, {threads} threads"
        );
    }
}
