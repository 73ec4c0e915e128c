//! `plan fmt --check` on large logs: a canonical log passes (proved from
//! its bytes), and one cell out of form in the middle of it is found and its
//! line shown, as is an NFD title and a cell that needs quotes.

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
    let ws = TempWs::new();
    ws.write("logs/a.csv", lines.concat().as_bytes());
    let out = ws.run(&["fmt", "--check"]);
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
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
