//! The reader's shortcuts (issue 21) must not change what `check` says. A
//! row whose only problem is a date that is not ISO is counted without the
//! detailed check once `bad-date`'s cap is full: rows with another problem
//! too, or a date that the detailed check reads as valid, must still be
//! told apart from it.

use std::fmt::Write as _;

use crate::common::TempWs;

#[test]
fn past_the_bad_date_cap_other_problems_are_still_found() {
    let mut log = "date,org,unit,kind,status,title\n".to_owned();
    for i in 0..250 {
        let date = match i {
            // Unicode spaces are trimmed by the detailed check: a valid date.
            220 => "\u{a0}2023-01-05".to_owned(),
            230 => String::new(),
            _ => format!("{:02}/01/2023", i % 28 + 1),
        };
        let org = if i == 150 { "XXXX" } else { "MTTQ" };
        let kind = if i == 200 { "nope" } else { "dialogue" };
        writeln!(log, "{date},{org},tinh,{kind},done,t{i}").unwrap();
    }
    let ws = TempWs::new();
    ws.write("logs/a.csv", log.as_bytes());
    let out = ws.run(&["check", "--format", "json", "--at", "2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut shown = Vec::new();
    let mut suppressed = Vec::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap().to_owned();
        match d.get("suppressed") {
            Some(n) => suppressed.push((code, n.as_u64().unwrap())),
            None => shown.push((code, d["line"].as_u64().unwrap())),
        }
    }
    let mut want: Vec<(String, u64)> = (2..=101).map(|l| ("bad-date".to_owned(), l)).collect();
    want.push(("unknown-org".to_owned(), 152));
    want.push(("unknown-kind".to_owned(), 202));
    want.push(("missing-value".to_owned(), 232));
    assert_eq!(shown, want);
    // 250 rows, two of them without a bad date, 100 shown.
    assert_eq!(suppressed, vec![("bad-date".to_owned(), 148)]);
}
