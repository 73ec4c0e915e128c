//! Output injection: a string from a plan or a log never reaches a terminal,
//! a GitHub annotation or step summary, or a spreadsheet as anything but
//! text, and a huge value is not echoed whole (issue 15, item 3 and 7).

use crate::common;

use crate::common::{HEADER, TempWs, base_plan};
use assert_cmd::Command;

/// Clears the screen.
const CLEAR: &str = "\u{1b}[2J";
/// Sets the terminal's title.
const TITLE: &str = "\u{1b}]0;PWNED\u{7}";
/// A hidden hyperlink (OSC 8).
const LINK: &str = "\u{1b}]8;;http://evil.example\u{1b}\\bấm vào đây\u{1b}]8;;\u{1b}\\";
/// Right-to-left override: shows the text after it reversed.
const RLO: &str = "\u{202E}";

/// In TOML basic-string escapes.
fn toml_escaped(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\\' => "\\\\".to_owned(),
            '"' => "\\\"".to_owned(),
            c if c.is_control() || c == '\u{202E}' => format!("\\u{:04X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

/// Asserts that `text` holds no character a terminal would act on.
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} reached the output:\n{text}");
}

/// The shared plan with a hostile number, kind name, organisation name and
/// unit name.
fn hostile_plan() -> String {
    let hostile = format!("N {CLEAR}{TITLE} {LINK} {RLO}abc");
    base_plan()
        .replace(
            "id = \"X\"\n",
            &format!("id = \"X\"\nnumber = \"{}\"\n", toml_escaped(&hostile)),
        )
        .replace(
            "dialogue = \"Hội nghị đối thoại\"",
            &format!(
                "dialogue = \"{}\"",
                toml_escaped(&format!("Hội nghị {TITLE}{CLEAR} đối thoại {RLO}x"))
            ),
        )
        .replace(
            "HND = \"Hội Nông dân\"",
            &format!("HND = \"{}\"", toml_escaped(&format!("Hội{CLEAR} Nông dân"))),
        )
        .replace(
            "name = \"Tỉnh Lào Cai\"",
            &format!("name = \"{}\"", toml_escaped(&format!("Tỉnh {RLO}Lào Cai{TITLE}"))),
        )
}

fn plan_vi() -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .args(["--color", "never"]);
    cmd
}

#[test]
fn status_shows_plan_text_inert_in_every_language_and_form() {
    let ws = TempWs::with_plan(&hostile_plan());
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,HND,tinh,dialogue,done,Hội nghị,,,,,,,\n").as_bytes(),
    );
    for lang in ["vi", "en"] {
        for format in ["table", "md"] {
            let out = plan_vi()
                .arg("-C")
                .arg(ws.path())
                .args(["--lang", lang, "status", "--at", "2023-06-30", "--format", format])
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout.contains("dialogue-year"), "{stdout}");
            assert_inert(&format!("status --lang {lang} --format {format}"), &stdout);
            assert_inert("stderr", &String::from_utf8(out.stderr).unwrap());
            if format == "table" {
                // Shown visibly, not dropped: the reader sees what the file holds.
                assert!(stdout.contains("N \\u{1b}[2J\\u{1b}]0;PWNED\\u{7}"), "{stdout}");
                assert!(stdout.contains("\\u{202e}abc"), "{stdout}");
                if lang == "vi" {
                    assert!(
                        stdout.contains("Hội nghị \\u{1b}]0;PWNED\\u{7}\\u{1b}[2J đối thoại"),
                        "{stdout}"
                    );
                }
            }
        }
    }
}

#[test]
fn long_log_line_with_escape_sequences_is_inert_in_human_diagnostics() {
    let ws = TempWs::new();
    let filler = "y".repeat(3000);
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,{CLEAR}bad{TITLE}{RLO},{filler},,,,,,,\n").as_bytes(),
    );
    let out = ws.run(&["check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad-status"), "{stderr}");
    assert!(
        stderr.contains("\\u{1b}[2Jbad\\u{1b}]0;PWNED\\u{7}\\u{202e}"),
        "{stderr}"
    );
    assert_inert("check on a long line", &stderr);
}

#[test]
fn file_names_on_the_arrow_line_are_inert() {
    let ws = TempWs::new();
    let rows = format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,nope,t,,,,,,,\n");
    ws.write("logs/e\u{1b}[31mvil\rx.csv", rows.as_bytes());
    // A line over the length kept for display: the `-->` line without a snippet.
    ws.write(
        "logs/f\u{1b}]0;PWNED\u{7}.csv",
        format!(
            "{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,nope,{},,,,,,,\n",
            "t".repeat(3000)
        )
        .as_bytes(),
    );
    let out = ws.run(&["check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--> logs/e\\u{1b}[31mvil\\rx.csv:2:31"), "{stderr}");
    assert!(stderr.contains("--> logs/f\\u{1b}]0;PWNED\\u{7}.csv:2"), "{stderr}");
    assert_inert("check", &stderr);
    let out = ws.run(&["check", "--format", "github"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert_inert("annotations", &stdout);
}

#[test]
fn step_summary_cannot_be_given_markup_by_a_log_cell() {
    let ws = TempWs::new();
    ws.write(
        "logs/a.csv",
        format!(
            "{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,\"Y\r\r## All checks passed\r\r![ok](http://evil.example/px.png)\r\",t,,,,,,,\n\
             2023-03-16,MTTQ,tinh,dialogue,\"`a|b` <img src=x>\",t,,,,,,,\n\
             2023-03-17,MTTQ,tinh,dialogue,{TITLE}{CLEAR},t,,,,,,,\n"
        )
        .as_bytes(),
    );
    let summary = ws.path().join("summary.md");
    let out = common::plan()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("-C")
        .arg(ws.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let annotations = String::from_utf8(out.stdout).unwrap();
    assert_inert("annotations", &annotations);
    assert!(
        annotations.contains("status `\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J`"),
        "{annotations}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(!md.contains('\r'), "{md:?}");
    // Heading, table header, rule, three rows: no line of the log's own.
    assert_eq!(md.lines().filter(|l| !l.is_empty()).count(), 6, "{md}");
    for line in md.lines().skip(1) {
        assert!(
            line.is_empty() || line.starts_with('|'),
            "a line escaped its table cell: {line:?}"
        );
        assert_eq!(
            line.matches('|').count() - line.matches("\\|").count(),
            if line.is_empty() { 0 } else { 5 },
            "{line}"
        );
    }
    assert!(
        md.contains(r"\#\# All checks passed \!\[ok\](http\://evil.example/px.png)"),
        "{md}"
    );
    assert!(md.contains(r"\`a\|b\` \<img src=x\>"), "{md}");
}

#[test]
fn csv_titles_with_leading_controls_or_blanks_cannot_run_as_formulas() {
    let plan = base_plan().replace("title = \"Đối thoại mỗi năm\"", "title = \"\\u0000=1+1\"")
        + "\n[[target]]\nid = \"b\"\ntitle = \" =1+1\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n"
        + "\n[[target]]\nid = \"c\"\ntitle = \"\\t\\r@SUM(A1)\"\nkind = \"dialogue\"\nper = \"year\"\nmin = 1\n";
    let ws = TempWs::with_plan(&plan);
    let out = ws.run(&["status", "--format", "csv", "--at", "2023-06-30", "--year", "2023"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut titles: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    titles.dedup();
    assert_eq!(titles, ["'\u{0}=1+1", "' =1+1", "'\t\r@SUM(A1)"], "{csv}");
}

#[test]
fn a_ten_megabyte_bad_cell_is_not_echoed() {
    let ws = TempWs::new();
    let huge = "x".repeat(10_000_000);
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,{huge},t,,,,,,,\n2023-03-15,MTTQ,tinh,{huge},done,t,,,,,,,\n")
            .as_bytes(),
    );
    for format in ["human", "json", "github"] {
        let out = ws.run(&["check", "--format", format]);
        assert_eq!(out.status.code(), Some(1));
        let all = out.stdout.len() + out.stderr.len();
        assert!(
            all < 4096,
            "{format}: {all} bytes:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(if format == "human" { out.stderr } else { out.stdout }).unwrap();
        assert!(
            text.contains("xxxxxxxxxx…`"),
            "{format}: the value is shown cut\n{text}"
        );
    }
}

#[test]
fn a_long_plan_line_is_shown_around_the_column() {
    // A 2 MB value in the plan: the message quotes it cut and the source
    // line is a window around the place, with `…` on both sides.
    let long = "Z".repeat(1_000_000);
    let plan = base_plan().replace("lead = \"MTTQ\"", &format!("lead = \"{long}\"  # {long}"));
    let ws = TempWs::with_plan(&plan);
    let out = ws.run(&["check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.len() < 4096, "{} bytes:\n{stderr}", stderr.len());
    let source = stderr
        .lines()
        .find(|l| l.starts_with("9 | "))
        .expect("the source line is shown");
    assert!(source.contains("ZZZZ"), "{source}");
    assert!(source.ends_with('…'), "{source}");
    let json = ws.check(&[]);
    assert_eq!(
        json.diags[0]["column"], 8,
        "the column stays the column in the file: {:?}",
        json.diags
    );
}

#[test]
fn fatal_errors_show_file_names_inert() {
    // Two plans and no `--plan`: the error lists the plan files by name.
    let ws = TempWs::new();
    ws.write(
        &format!("plans/y{TITLE}{RLO}.toml"),
        base_plan().replace("id = \"X\"", "id = \"Y\"").as_bytes(),
    );
    let out = ws.run(&["status"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("plans/y\\u{1b}]0;PWNED\\u{7}\\u{202e}.toml"),
        "{stderr}"
    );
    assert_inert("the error", &stderr);
}

#[test]
fn fmt_lists_file_names_inert() {
    let ws = TempWs::new();
    // Valid rows, out of canonical order: `fmt --check` names the file.
    let rows =
        format!("{HEADER}\n2023-03-16,MTTQ,tinh,dialogue,done,b,,,,,,,\n2023-03-15,MTTQ,tinh,dialogue,done,a,,,,,,,\n");
    ws.write("logs/e\u{1b}[31mvil\u{202E}.csv", rows.as_bytes());
    let out = ws.run(&["fmt", "--check"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("e\\u{1b}[31mvil"), "{stdout}");
    assert_inert("fmt --check", &stdout);
    assert_inert("fmt --check stderr", &String::from_utf8(out.stderr).unwrap());
}

#[test]
fn workbook_cells_hold_no_xml_illegal_characters_and_no_formulas() {
    use calamine::{Data, Reader};
    let ws = TempWs::with_plan(&hostile_plan());
    ws.write(
        "logs/a.csv",
        format!("{HEADER}\n2023-03-15,HND,tinh,dialogue,done,Hội nghị,,,,,,,\n").as_bytes(),
    );
    let out = ws.path().join("s.xlsx");
    let run = plan_vi()
        .arg("-C")
        .arg(ws.path())
        .args(["status", "--at", "2023-06-30", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let mut texts = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            match cell.2 {
                Data::String(s) => texts.push(s.clone()),
                other => assert!(!other.to_string().starts_with('='), "{other:?}"),
            }
        }
        // No cell of any sheet is a formula.
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(formulas.used_cells().all(|c| c.2.is_empty()), "{name} has formulas");
    }
    let all = texts.join("\n");
    assert!(all.contains("dialogue-year"), "{all}");
    assert!(
        all.contains("Hội nghị ]0;PWNED"),
        "the kind name, its ESC and BEL dropped: {all}"
    );
    assert!(
        !all.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{all:?}"
    );
}
