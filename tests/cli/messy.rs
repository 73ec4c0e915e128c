//! Hostile and messy input (issue 7): files as Excel, phones and colleagues
//! produce them. Each case asserts its exact diagnostic (code, file, line,
//! column) or its exact reading (the rows the library hands to the engine).
//! Text-safe cases are committed fixtures (tests/fixtures/messy-*); byte-exact
//! and large ones are written into a temporary workspace at test time.
//! Also: exit codes and streams, and a closed stdout pipe.

use crate::common;

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use crate::common::{HEADER, TempWs, at, expect_fixture, fixture, plan, snapshot};
use plan::lang::Lang;

const AT: [&str; 2] = ["--at", "2024-01-01"];

/// A row as the library reads it, with codes spelled out.
#[derive(Debug, PartialEq, Eq)]
struct Read1 {
    file: String,
    line: u64,
    date: String,
    org: String,
    unit: String,
    kind: String,
    status: &'static str,
    field: Option<String>,
    title: String,
    reference: String,
    note: String,
    nums: [Option<u64>; 4],
}

/// Reads every log of the workspace's only plan through the library (the
/// path `status` and `report` take) and returns the valid rows and the
/// diagnostics' (code, line).
fn read_rows(dir: &Path) -> (Vec<Read1>, Vec<(&'static str, usize)>) {
    let ws = plan::workspace::Workspace::discover(dir).unwrap();
    let plans = plan::load::load_plans(&ws, Lang::En);
    let p = plans[0].plan.as_ref().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut raw = Vec::new();
    let scan = plan::load::scan_logs(&ws, p, today, Lang::En, &mut |r| {
        raw.push((
            r.file,
            Read1 {
                file: String::new(),
                line: r.line,
                date: r.date.to_string(),
                org: p.orgs[r.org].code.clone(),
                unit: p.units[r.unit].code.clone(),
                kind: p.kinds[r.kind].code.clone(),
                status: r.status.as_str(),
                field: r.field.map(|f| p.fields[f].code.clone()),
                title: r.title.to_owned(),
                reference: r.reference.to_owned(),
                note: r.note.to_owned(),
                nums: r.nums,
            },
        ));
    });
    let rows = raw
        .into_iter()
        .map(|(file, row)| Read1 {
            file: scan.files[file].clone(),
            ..row
        })
        .collect();
    (rows, scan.diags.iter().map(|d| (d.code, d.line)).collect())
}

fn row(line: u64, date: &str, org: &str, unit: &str, kind: &str, status: &'static str, title: &str) -> Read1 {
    Read1 {
        file: "logs/a.csv".into(),
        line,
        date: date.into(),
        org: org.into(),
        unit: unit.into(),
        kind: kind.into(),
        status,
        field: None,
        title: title.into(),
        reference: String::new(),
        note: String::new(),
        nums: [None; 4],
    }
}

fn is_nfc(s: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect::<String>() == s
}

// ---- Excel ----

#[test]
fn excel_csv_utf8_bom_crlf_reads_fine() {
    let ws = TempWs::new();
    let text = format!(
        "\u{feff}{HEADER}\r\n2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị đối thoại,,,120,5000000,,,Ghi chú\r\n\
         2023-04-20,HND,bat-xat,supervision,done,\"Giám sát, lần 1\",F1,GS-01,30,,5,3,\"dòng 1\r\ndòng 2\"\r\n"
    );
    ws.write("logs/a.csv", text.as_bytes());
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![]);
    assert_eq!(run.code, 0);
    let (rows, diags) = read_rows(ws.path());
    assert_eq!(diags, vec![]);
    let mut first = row(
        2,
        "2023-03-15",
        "MTTQ",
        "tinh",
        "dialogue",
        "done",
        "Hội nghị đối thoại",
    );
    first.nums = [Some(120), Some(5_000_000), None, None];
    first.note = "Ghi chú".into();
    let mut second = row(
        3,
        "2023-04-20",
        "HND",
        "bat-xat",
        "supervision",
        "done",
        "Giám sát, lần 1",
    );
    second.field = Some("F1".into());
    second.reference = "GS-01".into();
    second.nums = [Some(30), None, Some(5), Some(3)];
    second.note = "dòng 1\r\ndòng 2".into();
    assert_eq!(rows, vec![first, second]);
}

#[test]
fn crlf_errors_are_on_the_right_line() {
    // A CRLF file with a blank CRLF line and a multi-line cell before the bad row.
    let ws = TempWs::new();
    let text = format!(
        "\u{feff}{HEADER}\r\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\r\n\r\n\
         2023-03-16,MTTQ,tinh,dialogue,done,\"a\r\nb\",,,,,,,\r\n2023-03-17,MTTX,tinh,dialogue,dne,T,,,,,,,\r\n"
    );
    ws.write("logs/a.csv", text.as_bytes());
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("unknown-org", "logs/a.csv", 6, 12),
            at("bad-status", "logs/a.csv", 6, 31)
        ]
    );
    // The last column of a CRLF line carries no `\r` into the value.
    ws.write(
        "logs/a.csv",
        b"date,org,unit,kind,title,status\r\n2023-03-15,MTTQ,tinh,dialogue,T,done\r\n2023-03-16,MTTQ,tinh,dialogue,T,dne\r\n",
    );
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("bad-status", "logs/a.csv", 3, 33)]);
    assert_eq!(
        run.messages()[0],
        "status `dne` is not one of done, planned, postponed, cancelled (did you mean `done`?)"
    );
}

#[test]
fn windows_1258_is_an_encoding_error_naming_the_fix() {
    let ws = TempWs::new();
    let text = format!(
        "{HEADER}\r\n2023-03-15,MTTQ,tinh,dialogue,done,Hoi nghi,,,,,,,\r\n2023-03-16,MTTQ,tinh,dialogue,done,Hội nghị đối thoại,,,,,,,\r\n"
    );
    ws.write("logs/a.csv", &common::windows_1258(&text));
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("encoding", "logs/a.csv", 3, 37)]);
    assert_eq!(
        run.messages()[0],
        "the file is not UTF-8 (it looks like Windows-1258, Excel's legacy CSV): in Excel use Save As → \"CSV UTF-8 (Comma delimited)\""
    );
    assert_eq!(run.code, 1);
    // In Vietnamese too, pointing at the first byte that is not UTF-8.
    let out = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .arg("-C")
        .arg(ws.path())
        .args(["check", "--at", "2024-01-01"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("lỗi[encoding]: tệp không phải UTF-8 (có vẻ là Windows-1258"),
        "{err}"
    );
    assert!(err.contains("--> logs/a.csv:3:37\n"), "{err}");
}

#[test]
fn a_plan_in_windows_1258_is_placed_at_its_first_bad_byte() {
    let plan = common::base_plan();
    let lines: Vec<&str> = plan.lines().collect();
    let title = lines.iter().position(|l| l.starts_with("title")).unwrap();
    let mut bytes = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == title {
            bytes.extend_from_slice(&common::windows_1258("title = \"Kế hoạch\""));
        } else {
            bytes.extend_from_slice(l.as_bytes());
        }
        bytes.push(b'\n');
    }
    let ws = TempWs::new();
    ws.write("plans/x.toml", &bytes);
    let run = ws.check(&AT);
    // `K` then the first byte that is not UTF-8, after `title = "K`.
    assert_eq!(run.places(), vec![at("encoding", "plans/x.toml", title as u64 + 1, 11)]);
    assert!(
        run.messages()[0].starts_with("the plan file is not UTF-8"),
        "{}",
        run.messages()[0]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn broken_quoting_is_named_not_guessed() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!(
            "{HEADER}\n2023-05-01,MTTQ,tinh,dialogue,done,ab\"c\"d,,,,,,,\n\
             2023-05-02,MTTQ,tinh,dialogue,done,\"Hội nghị \"x\"y,,,,,,,\n\
             2023-05-03,MTTQ,tinh,dialogue,done,\"a \"\"quoted\"\" title, fine\",,,,,,,\n\
             2023-05-04,MTTQ,tinh,dialogue,done,\"two\nlines\"z,,,,,,,\n"
        )
        .as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("csv-row", "logs/a.csv", 2, 38),
            at("csv-row", "logs/a.csv", 3, 47),
            at("csv-row", "logs/a.csv", 6, 7),
        ]
    );
    assert!(run.messages()[0].starts_with("a quote inside a cell that does not start with one"));
    assert!(run.messages()[1].starts_with("text after the quote that closes a cell"));
    // `plan fmt` leaves the file alone rather than rewrite a guess.
    let before = common::snapshot(ws.path());
    let out = ws.run(&["fmt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::snapshot(ws.path()), before);
}

#[test]
fn resolved_without_recommendations_and_huge_numbers() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!(
            "{HEADER}\n2023-05-01,HND,tinh,supervision,done,T,F1,,,,,3,\n\
             2023-05-02,HND,tinh,supervision,done,T,F1,,,,,0,\n\
             2023-05-03,HND,tinh,supervision,done,T,F1,,99999999999999999999999,,,,\n\
             2023-05-04,HND,tinh,supervision,done,T,F1,,,1.5,two,1,\n"
        )
        .as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("bad-number", "logs/a.csv", 2, 47),
            at("bad-number", "logs/a.csv", 4, 44),
            at("bad-number", "logs/a.csv", 5, 45),
            at("bad-number", "logs/a.csv", 5, 49),
        ]
    );
    assert_eq!(
        run.messages(),
        vec![
            "`resolved` is 3 but `recommendations` is empty: write how many recommendations were made",
            "`participants` must be a non-negative integer, not `99999999999999999999999` (too large: at most 18446744073709551615)",
            "`cost` must be a non-negative integer, not `1.5`",
            "`recommendations` must be a non-negative integer, not `two`",
        ],
        "no separator hint for a decimal; no `empty` claim about an invalid recommendations cell"
    );
}

/// A title with line breaks in quotes: the cells after it are placed on the
/// line they are written on, and the next row keeps its own line.
#[test]
fn cells_after_a_quoted_line_break_are_placed_where_they_are_written() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!(
            "{HEADER}\n2023-03-01,MTTQ,tinh,dialogue,done,\"two\n\nlines, \"\"quoted\"\"\",,,,abc,,,\n\
             2023-03-02,MTTQ,tinh,dialoge,done,x,,,,,,,\n"
        )
        .as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("bad-number", "logs/a.csv", 4, 23),
            at("unknown-kind", "logs/a.csv", 5, 22)
        ]
    );
    let out = ws.run(&["check", "--at", "2024-01-01"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("4 | lines, \"\"quoted\"\"\",,,,abc,,,"), "{err}");
}

/// Each figure fits in a u64, their sum does not: refused at the row that
/// makes it overflow (read on one thread, so whatever the split), not wrapped.
#[test]
fn sums_past_the_largest_integer_are_refused_at_the_row() {
    let big = "10000000000000000000";
    let row = |day: u32| format!("2023-05-{day:02},MTTQ,tinh,dialogue,done,T,,,,{big},,,\n");
    for (files, expected) in [
        (
            vec![("logs/a.csv", format!("{HEADER}\n{}{}", row(1), row(2)))],
            "--> logs/a.csv:3",
        ),
        (
            vec![
                ("logs/a.csv", format!("{HEADER}\n{}", row(1))),
                ("logs/b.csv", format!("{HEADER}\n{}", row(2))),
            ],
            "--> logs/b.csv:2",
        ),
    ] {
        let ws = TempWs::new();
        for (name, text) in &files {
            ws.write(name, text.as_bytes());
        }
        assert!(ws.check(&AT).places().is_empty(), "each figure alone is valid");
        for command in ["status", "report"] {
            let out = ws.run(&[command, "--year", "2023"]);
            assert_eq!(out.status.code(), Some(1), "{command}");
            assert!(out.stdout.is_empty(), "{command}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(err.contains("error[bad-number]") && err.contains(expected), "{err}");
            assert!(err.contains("goes past 18,446,744,073,709,551,615"), "{err}");
        }
    }
}

#[test]
fn utf16_is_an_encoding_error() {
    let text = format!("{HEADER}\r\n2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị,,,,,,,\r\n");
    for bom in [true, false] {
        let ws = TempWs::new();
        ws.write("logs/a.csv", &common::utf16le(&text, bom));
        let run = ws.check(&AT);
        assert_eq!(run.places(), vec![at("encoding", "logs/a.csv", 1, 0)], "bom: {bom}");
        assert_eq!(
            run.messages()[0],
            "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\""
        );
    }
}

#[test]
fn semicolons_are_named() {
    let run = expect_fixture("messy-semicolon", &AT, &[at("csv-header", "logs/a.csv", 1, 1)]);
    assert_eq!(
        run.messages()[0],
        "the file is separated by semicolons (;): save it again with commas (Excel: \"CSV UTF-8 (Comma delimited)\")"
    );
}

#[test]
fn old_mac_line_endings_are_named() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\r2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\r").as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("csv-header", "logs/a.csv", 1, 1)]);
    assert!(run.messages()[0].contains("lone carriage return"), "{run:?}");
}

// ---- Unicode ----

#[test]
fn nfd_text_reads_as_nfc() {
    let dir = fixture("messy-nfd");
    let raw = std::fs::read_to_string(dir.join("logs/a.csv")).unwrap();
    assert!(!is_nfc(&raw), "the fixture must be NFD");
    expect_fixture("messy-nfd", &AT, &[]);
    let (rows, diags) = read_rows(&dir);
    assert_eq!(diags, vec![]);
    let mut first = row(
        2,
        "2023-03-15",
        "MTTQ",
        "tinh",
        "dialogue",
        "done",
        "Hội nghị đối thoại với nông dân",
    );
    first.nums = [Some(120), None, None, None];
    first.note = "Ghi chú: đã tổng hợp ý kiến".into();
    let mut second = row(
        3,
        "2023-04-20",
        "HND",
        "bat-xat",
        "supervision",
        "done",
        "Giám sát việc thực hiện chính sách, pháp luật",
    );
    second.field = Some("F1".into());
    second.reference = "GS-01/HND".into();
    second.nums = [Some(30), None, Some(5), Some(3)];
    assert!(is_nfc(&first.title) && is_nfc(&first.note) && is_nfc(&second.title));
    assert_eq!(rows, vec![first, second]);
}

// ---- layout ----

#[test]
fn blank_lines_and_no_final_newline() {
    let raw = std::fs::read(fixture("messy-blank-lines").join("logs/a.csv")).unwrap();
    assert_ne!(raw.last(), Some(&b'\n'), "the fixture must not end with a newline");
    let run = expect_fixture("messy-blank-lines", &AT, &[at("unknown-org", "logs/a.csv", 7, 12)]);
    assert_eq!(run.messages()[0], "unknown organisation `HNX`; did you mean `HND`?");
    let (rows, _) = read_rows(&fixture("messy-blank-lines"));
    let mut second = row(6, "2023-04-20", "HND", "bat-xat", "supervision", "done", "Giám sát");
    second.field = Some("F1".into());
    assert_eq!(
        rows,
        vec![
            row(
                3,
                "2023-03-15",
                "MTTQ",
                "tinh",
                "dialogue",
                "done",
                "Hội nghị đối thoại"
            ),
            second
        ]
    );
}

#[test]
fn spaces_around_cells_are_trimmed() {
    // Decision (README): spaces and tabs around a cell are not part of it.
    expect_fixture("messy-spaces", &AT, &[]);
    let (rows, diags) = read_rows(&fixture("messy-spaces"));
    assert_eq!(diags, vec![]);
    let mut second = row(3, "2023-04-20", "HND", "bat-xat", "supervision", "done", "Giám sát");
    second.field = Some("F1".into());
    assert_eq!(
        rows,
        vec![
            row(
                2,
                "2023-03-15",
                "MTTQ",
                "tinh",
                "dialogue",
                "done",
                "Hội nghị đối thoại"
            ),
            second
        ]
    );
}

#[test]
fn empty_file_needs_a_header() {
    let run = expect_fixture("messy-empty-file", &AT, &[at("csv-header", "logs/a.csv", 1, 0)]);
    assert_eq!(
        run.messages()[0],
        "the file is empty: its first line must be the header, e.g. date,org,unit,kind,status,title"
    );
    // A BOM alone is empty too.
    let ws = TempWs::new();
    ws.write("logs/a.csv", b"\xEF\xBB\xBF");
    assert_eq!(ws.check(&AT).places(), vec![at("csv-header", "logs/a.csv", 1, 0)]);
}

#[test]
fn header_only_is_clean() {
    expect_fixture("messy-header-only", &AT, &[]);
    let (rows, diags) = read_rows(&fixture("messy-header-only"));
    assert_eq!((rows, diags), (vec![], vec![]));
}

#[test]
fn quote_left_open_at_eof() {
    let run = expect_fixture("messy-open-quote", &AT, &[at("csv-row", "logs/a.csv", 3, 35)]);
    assert_eq!(
        run.messages()[0],
        "this quote is never closed, so the rest of the file was read as one cell: add the closing \" or remove the stray one"
    );
    // The same on the last line, without a final newline; and in the last
    // column, where the cell count would not give it away.
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\"ghi chú").as_bytes(),
    );
    assert_eq!(ws.check(&AT).places(), vec![at("csv-row", "logs/a.csv", 2, 44)]);
    // A closed multi-line cell at the end is fine.
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\"ghi\n\"\"chú\"\"\"").as_bytes(),
    );
    assert_eq!(ws.check(&AT).places(), vec![]);
}

// ---- size ----

#[test]
fn ten_megabyte_cell() {
    let ws = TempWs::new();
    let big = "Hội nghị ".repeat(10 * 1024 * 1024 / 11);
    assert!(big.len() >= 10 * 1024 * 1024);
    ws.write(
        "logs/a.csv",
        format!(
            "{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,\"{big}\",,,,,,,\n2023-03-16,MTTX,tinh,dialogue,done,\"{big}\",,,,,,,\n"
        )
        .as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("unknown-org", "logs/a.csv", 3, 12)]);
    let (rows, _) = read_rows(ws.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, big.trim());
    // The human form does not echo a 10 MB line.
    let out = ws.run(&["check", "--at", "2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.len() < 1000, "{} bytes on stderr", out.stderr.len());
}

#[test]
fn hundred_thousand_lines_with_one_bad_row_at_the_end() {
    let ws = TempWs::new();
    let mut text = String::with_capacity(8 << 20);
    text.push_str(HEADER);
    text.push('\n');
    for i in 0..99_998 {
        text.push_str(&format!(
            "2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị số {i},,,10,,,,\n"
        ));
    }
    text.push_str("2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị cuối,,,10 người,,,,\n");
    assert_eq!(text.lines().count(), 100_000);
    ws.write("logs/a.csv", text.as_bytes());
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("bad-number", "logs/a.csv", 100_000, 52)]);
    let (rows, _) = read_rows(ws.path());
    assert_eq!(rows.len(), 99_998);
    assert_eq!(rows.last().unwrap().line, 99_999);
}

#[test]
fn ten_thousand_targets_load() {
    let mut text = common::base_plan();
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[target]]\nid = \"t{i}\"\nkind = \"dialogue\"\nper = \"year\"\nmin = {}\n",
            i % 7 + 1
        ));
    }
    let (plan, diags) = plan::planfile::load("plans/x.toml", &text, Lang::En);
    assert_eq!(diags, vec![]);
    assert_eq!(plan.unwrap().targets.len(), 10_001);
    let ws = TempWs::with_plan(&text);
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\n").as_bytes(),
    );
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![]);
    assert_eq!(run.code, 0);
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = 10_000;
    let cases = [
        format!("{}note = {}{}\n", "", "[".repeat(deep), "]".repeat(deep)),
        format!("note = {}1{}\n", "{ a = ".repeat(deep), " }".repeat(deep)),
        format!("{} = 1\n", vec!["a"; deep].join(".")),
        format!("[{}]\n", vec!["a"; deep].join(".")),
    ];
    for case in cases {
        let text = format!("{}\n{case}", common::base_plan());
        let (plan, diags) = plan::planfile::load("plans/x.toml", &text, Lang::En);
        assert!(plan.is_none());
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec!["toml-syntax"], "{diags:?}");
        assert!(diags[0].message.contains("nested too deeply"), "{}", diags[0].message);
        // And through the binary: exit 1 with the diagnostic, no crash.
        let ws = TempWs::with_plan(&text);
        let run = ws.check(&AT);
        assert_eq!(run.places().len(), 1);
        assert_eq!(run.places()[0].0, "toml-syntax");
        assert_eq!(run.code, 1);
    }
}

#[test]
fn huge_toml_values_load() {
    let title = "Đề án ".repeat(1_000_000);
    let text = common::base_plan().replace("title = \"Kế hoạch thử nghiệm\"", &format!("title = \"{title}\""));
    let (plan, diags) = plan::planfile::load("plans/x.toml", &text, Lang::En);
    assert_eq!(diags, vec![]);
    assert_eq!(plan.unwrap().title, title);
}

// ---- leaving the workspace ----

/// A directory outside the workspace holding a log that would give
/// diagnostics (bad date, unknown org) if it were ever read.
fn outside_logs() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.csv"),
        format!("{HEADER}\n15/03/2023,NOPE,tinh,dialogue,done,T,,,,,,,\n"),
    )
    .unwrap();
    outside
}

#[test]
fn globs_with_dotdot_or_absolute_paths_read_nothing_outside() {
    let outside = outside_logs();
    let abs = format!("{}/*.csv", outside.path().display());
    // `..` reaching the sibling directory `outside` from the workspace.
    let parent = tempfile::tempdir().unwrap();
    let ws_dir = parent.path().join("ws");
    std::fs::create_dir_all(parent.path().join("outside")).unwrap();
    std::fs::copy(
        outside.path().join("secret.csv"),
        parent.path().join("outside/secret.csv"),
    )
    .unwrap();
    let plan_text = common::base_plan().replace(
        "logs = [\"logs/*.csv\"]",
        &format!("logs = [\n  \"../outside/*.csv\",\n  \"{abs}\",\n  \"logs/../../outside/*.csv\",\n]"),
    );
    std::fs::create_dir_all(ws_dir.join("plans")).unwrap();
    std::fs::write(ws_dir.join("plans/x.toml"), plan_text).unwrap();
    let before = snapshot(parent.path());
    let run = common::check_json(&ws_dir, &AT);
    assert_eq!(snapshot(parent.path()), before);
    assert_eq!(
        run.places(),
        vec![
            at("glob-escape", "plans/x.toml", 11, 3),
            at("glob-escape", "plans/x.toml", 12, 3),
            at("glob-escape", "plans/x.toml", 13, 3),
        ]
    );
    assert_eq!(run.code, 1);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_workspace_are_not_followed() {
    let outside = outside_logs();
    // A linked file among real ones, and a linked directory as the glob's base.
    let ws = TempWs::with_plan(&common::base_plan().replace(
        "logs = [\"logs/*.csv\"]",
        "logs = [\n  \"logs/*.csv\",\n  \"linked/*.csv\",\n]",
    ));
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,T,,,,,,,\n").as_bytes(),
    );
    std::os::unix::fs::symlink(outside.path().join("secret.csv"), ws.path().join("logs/z.csv")).unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path().join("linked")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("path-escape", "plans/x.toml", 11, 3),
            at("path-escape", "plans/x.toml", 12, 3)
        ]
    );
    let (rows, diags) = read_rows(ws.path());
    assert_eq!(
        rows.iter().map(|r| r.file.as_str()).collect::<Vec<_>>(),
        vec!["logs/a.csv"]
    );
    assert!(diags.iter().all(|(c, _)| *c == "path-escape"), "{diags:?}");
    // A link that stays inside is read.
    ws.write(
        "data/b.csv",
        format!("{HEADER}\n2023-03-16,HND,tinh,dialogue,done,T2,,,,,,,\n").as_bytes(),
    );
    std::fs::remove_file(ws.path().join("logs/z.csv")).unwrap();
    std::os::unix::fs::symlink(ws.path().join("data/b.csv"), ws.path().join("logs/b.csv")).unwrap();
    std::fs::remove_file(ws.path().join("linked")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("no-logs", "plans/x.toml", 12, 3)]);
    let (rows, _) = read_rows(ws.path());
    assert_eq!(rows.len(), 2);
}

// ---- exit codes and streams ----

#[test]
fn status_on_bad_inputs_exits_1_with_diagnostics_on_stderr() {
    let dir = fixture("check-unknown-org");
    let out = plan()
        .arg("-C")
        .arg(&dir)
        .args(["status", "--at", "2023-06-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[unknown-org]") && err.contains("--> logs/a.csv:3:12"),
        "{err}"
    );
    for format in ["json", "csv"] {
        let out = plan()
            .arg("-C")
            .arg(&dir)
            .args(["status", "--at", "2023-06-30", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stdout.is_empty(), "{format}");
    }
}

#[test]
fn status_results_on_stdout_only() {
    let out = plan()
        .arg("-C")
        .arg(fixture("check-clean"))
        .args(["status", "--at", "2023-06-30", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["plan"], "X");
    assert_eq!(doc["as_of"], "2023-06-30");
}

#[test]
fn status_usage_errors_exit_2() {
    for args in [
        &["status", "--at", "2023-02-30"][..],
        &["status", "--half", "2023H3"],
        &["status", "--target", "nope"],
        &["status", "--half", "2023H1", "--year", "2023"],
    ] {
        let out = plan()
            .arg("-C")
            .arg(fixture("check-clean"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
}

#[test]
fn option_errors_say_how_to_write_the_value_in_the_users_language() {
    let dir = fixture("check-clean");
    for (lang, args, expected) in [
        (
            "vi",
            &["status", "--at", "31/12/2023"][..],
            "lỗi: --at `31/12/2023` không phải ngày ISO: có lẽ ý bạn là 2023-12-31; hãy viết YYYY-MM-DD",
        ),
        (
            "en",
            &["status", "--at", "31/12/2023"],
            "error: --at `31/12/2023` is not an ISO date: it probably means 2023-12-31; write dates as YYYY-MM-DD",
        ),
        (
            "vi",
            &["report", "--half", "2023X1"],
            "lỗi: --half `2023X1`: không phải nửa năm: viết như 2023H1 hoặc 2023H2 (hoặc 2023S1, last, this)",
        ),
        (
            "en",
            &["status", "--year", "12"],
            "error: --year `12`: not a year: write it like 2023 (also last, this)",
        ),
    ] {
        let out = assert_cmd::Command::cargo_bin("plan")
            .unwrap()
            .args(["--color", "never", "--lang", lang, "-C"])
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), expected);
    }
}

fn spawn_status(format: &str) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("plan"))
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["status", "--all", "--at", "2023-06-30", "--format", format])
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn closed_pipe_exits_quietly() {
    // Closed before anything is written (`plan status | true`).
    let mut child = spawn_status("table");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, "");

    // Closed after a few bytes (`plan status | head -c 10`): the JSON is
    // larger than a pipe's buffer, so the writer is still writing.
    let mut child = spawn_status("json");
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 10];
    stdout.read_exact(&mut buf).unwrap();
    assert_eq!(buf[0], b'{');
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn globs_written_with_dot_or_doubled_slashes_read_the_same_files() {
    for glob in ["./logs/*.csv", "logs//*.csv", "./logs/./*.csv"] {
        let ws = TempWs::with_plan(&common::base_plan().replace("\"logs/*.csv\"", &format!("\"{glob}\"")));
        ws.write(
            "logs/a.csv",
            format!("{HEADER}\n2023-05-01,NOPE,tinh,dialogue,done,T,,,,,,,\n").as_bytes(),
        );
        // The row is read: its unknown org is found, and no `no-logs` warning.
        let run = ws.check(&AT);
        assert_eq!(run.places(), vec![at("unknown-org", "logs/a.csv", 2, 12)], "{glob}");
    }
}

#[test]
fn a_missing_required_column_does_not_hide_the_rows_problems() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        b"date,org,unit,kind,status\n2023-05-01,NOPE,tinh,dialogue,done\n2023-05-02,MTTQ,tinh,dialogue,done\n",
    );
    let run = ws.check(&AT);
    // The column once, on the header; not a missing `title` on every row.
    assert_eq!(
        run.places(),
        vec![
            at("csv-header", "logs/a.csv", 1, 1),
            at("unknown-org", "logs/a.csv", 2, 12)
        ]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn refs_that_differ_only_in_unicode_spaces_or_normal_form_are_duplicates() {
    // `plan fmt` trims Unicode spaces and writes NFC, so `check` must
    // compare refs the same way, or formatting would create duplicates.
    for (first, second) in [("R2\u{a0}", "R2"), ("S\u{1ed1} 1", "So\u{302}\u{301} 1")] {
        let ws = TempWs::new();
        let text = format!(
            "{HEADER}\n2023-05-01,MTTQ,tinh,dialogue,done,T,,\"{first}\",,,,,\n2023-05-02,MTTQ,tinh,dialogue,done,T,,{second},,,,,\n"
        );
        ws.write("logs/a.csv", text.as_bytes());
        let places = ws.check(&AT).places();
        assert_eq!(places.len(), 1, "{first:?}: {places:?}");
        assert_eq!(
            (places[0].0.as_str(), places[0].1.as_str(), places[0].2),
            ("duplicate-ref", "logs/a.csv", 3)
        );
    }
}
