//! Excel in and out (issue 19): workbooks made by real spreadsheet programs
//! read as logs, diagnostics at sheet cells, wrong-file messages, column
//! titles, month-first dates, BOMs, `plan template`, `plan init` and
//! `status --format xlsx`.
//!
//! The workbooks under `tests/fixtures/excel/` were made by `make.sh`
//! (`LibreOffice` headless) and `make.py` (openpyxl) from
//! `source-hnd-2023.csv`, a copy of the shipped 2023 HND log.

mod sheets;

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;

use crate::common::{at, check_json, copy_dir, outcome, root};

fn excel(name: &str) -> PathBuf {
    root().join("tests/fixtures/excel").join(name)
}

/// The shipped plan and logs in a temp dir, the logs glob also matching
/// workbooks.
fn shipped() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/15-DA-TU/logs"), &tmp.path().join("logs"));
    let plan = fs::read_to_string(root().join("plans/15-DA-TU.toml")).unwrap().replace(
        "logs = [\"examples/15-DA-TU/logs/**/*.csv\"]",
        "logs = [\"logs/**/*.{csv,xlsx,ods,xls}\"]",
    );
    assert!(plan.contains("logs/**/*.{csv,xlsx,ods,xls}"));
    fs::create_dir_all(tmp.path().join("plans")).unwrap();
    fs::write(tmp.path().join("plans/15-DA-TU.toml"), plan).unwrap();
    tmp
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(common::plan().arg("-C").arg(dir).args(args).output().unwrap())
}

fn status_json(dir: &Path) -> String {
    let (code, out, err) = run(dir, &["status", "--format", "json", "--at", "2025-12-31"]);
    assert_eq!(code, 0, "{err}");
    out
}

/// The 2023 HND log replaced by `workbook` gives the same status as the CSV.
fn same_status_as_csv(workbook: &str, ext: &str) {
    let ws = shipped();
    // The CSV the fixture workbooks were made from stands in for the shipped
    // 2023 HND log (which the example generator may since have changed).
    let csv = ws.path().join("logs/2023/hnd.csv");
    fs::copy(excel("source-hnd-2023.csv"), &csv).unwrap();
    let want = status_json(ws.path());
    fs::remove_file(&csv).unwrap();
    fs::copy(excel(workbook), ws.path().join(format!("logs/2023/hnd.{ext}"))).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(c.code, 0, "{:?}", c.diags);
    assert_eq!(status_json(ws.path()), want, "{workbook}");
}

#[test]
fn a_libreoffice_workbook_gives_the_status_of_its_csv() {
    same_status_as_csv("libreoffice-hnd-2023.xlsx", "xlsx");
}

#[test]
fn a_libreoffice_ods_gives_the_status_of_its_csv() {
    same_status_as_csv("libreoffice-hnd-2023.ods", "ods");
}

#[test]
fn a_libreoffice_xls_gives_the_status_of_its_csv() {
    same_status_as_csv("libreoffice-hnd-2023.xls", "xls");
}

#[test]
fn an_openpyxl_workbook_with_titles_and_typed_cells_gives_the_status_of_its_csv() {
    same_status_as_csv("openpyxl-hnd-2023.xlsx", "xlsx");
}

#[test]
fn without_its_rows_the_status_differs() {
    // The comparison above can fail: a workbook whose rows were not read
    // gives other figures.
    let ws = shipped();
    let want = status_json(ws.path());
    fs::remove_file(ws.path().join("logs/2023/hnd.csv")).unwrap();
    assert_ne!(status_json(ws.path()), want);
}

#[test]
fn planted_mistakes_are_found_at_their_sheet_cells() {
    let ws = shipped();
    fs::copy(excel("mistakes.xlsx"), ws.path().join("logs/2023/m.xlsx")).unwrap();
    let c = check_json(ws.path(), &[]);
    let f = "logs/2023/m.xlsx";
    assert_eq!(
        c.places(),
        vec![
            at("bad-date", f, 3, 1),
            at("unknown-org", f, 4, 2),
            at("bad-number", f, 5, 10),
            at("bad-status", f, 6, 5),
            at("bad-number", f, 8, 9),
            at("missing-field", f, 9, 7),
        ]
    );
    let cells: Vec<String> = c
        .messages()
        .iter()
        .map(|m| m.split(':').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        cells,
        [
            "Sheet1!A3",
            "Sheet1!B4",
            "Sheet1!J5",
            "Sheet1!E6",
            "Sheet1!I8",
            "Sheet1!G9"
        ]
    );
    assert!(c.messages()[0].contains("2023-02-14"), "{}", c.messages()[0]);
    assert!(c.messages()[2].contains("21500000"), "{}", c.messages()[2]);
    // The human and GitHub forms show the cell too.
    let (_, out, err) = run(ws.path(), &["check"]);
    let human = out + &err;
    assert!(
        human.contains("]: Sheet1!J5: `cost`") && human.contains("m.xlsx:5"),
        "{human}"
    );
    let (_, gh, _) = run(ws.path(), &["check", "--format", "github"]);
    assert!(
        gh.contains(
            "file=logs/2023/m.xlsx,line=5,endLine=5,col=10,endColumn=10,title=bad-number::[bad-number] Sheet1!J5"
        ),
        "{gh}"
    );
}

#[test]
fn a_workbook_saved_as_csv_says_what_it_is() {
    let ws = shipped();
    fs::copy(excel("mistakes.xlsx"), ws.path().join("logs/2023/m.csv")).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(c.places(), vec![at("workbook-as-csv", "logs/2023/m.csv", 1, 0)]);
    assert!(c.messages()[0].contains("Excel workbook"), "{:?}", c.messages());
}

#[test]
fn a_workbook_no_glob_matches_gets_a_warning() {
    let ws = shipped();
    let plan = ws.path().join("plans/15-DA-TU.toml");
    let text = fs::read_to_string(&plan)
        .unwrap()
        .replace("*.{csv,xlsx,ods,xls}", "*.csv");
    fs::write(&plan, text).unwrap();
    fs::copy(excel("mistakes.xlsx"), ws.path().join("logs/2023/m.xlsx")).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(c.places(), vec![at("unread-workbook", "logs/2023/m.xlsx", 0, 0)]);
    assert!(c.messages()[0].contains("logs/**/*.xlsx"), "{:?}", c.messages());
}

#[test]
fn a_password_protected_workbook_says_so() {
    let ws = shipped();
    fs::copy(excel("password.xlsx"), ws.path().join("logs/2023/p.xlsx")).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(c.places(), vec![at("workbook-password", "logs/2023/p.xlsx", 0, 0)]);
    assert!(c.messages()[0].contains("password"), "{:?}", c.messages());
}

#[test]
fn a_zip_bomb_is_refused_before_unpacking() {
    use std::io::Write;
    let ws = shipped();
    // A small archive whose entry declares 3 GB once unpacked (a bomb's
    // sizes are true; the check reads only the declared ones).
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(b"<worksheet/>").unwrap();
    let mut bytes = z.finish().unwrap().into_inner();
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&3_000_000_000u32.to_le_bytes());
    fs::write(ws.path().join("logs/2023/b.xlsx"), &bytes).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(
        c.places(),
        vec![at("workbook-too-large", "logs/2023/b.xlsx", 0, 0)],
        "{:?}",
        c.messages()
    );
}

#[test]
fn vietnamese_titles_are_column_names_in_csv_too() {
    let ws = shipped();
    let csv = ws.path().join("logs/2023/hnd.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let titled = text.replacen(
        "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note",
        "Ngày,Tổ chức,Đơn vị,Loại hoạt động,Trạng thái,Nội dung,Lĩnh vực,Số văn bản,Số người tham gia,Kinh phí,Số kiến nghị,Số kiến nghị đã giải quyết,Ghi chú",
        1,
    );
    assert_ne!(titled, text);
    let want = status_json(ws.path());
    fs::write(&csv, &titled).unwrap();
    assert_eq!(check_json(ws.path(), &[]).code, 0);
    assert_eq!(status_json(ws.path()), want);
    // `plan fmt` writes the codes.
    let (code, _, err) = run(ws.path(), &["fmt", "logs/2023/hnd.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(fs::read_to_string(&csv).unwrap().lines().next(), text.lines().next());
}

#[test]
fn month_first_order_is_inferred_per_file() {
    let ws = shipped();
    let csv = ws.path().join("logs/2023/x.csv");
    fs::write(
        &csv,
        "date,org,unit,kind,status,title\n03/09/2023,HND,tinh,dialogue,done,A\n02/14/2023,HND,tinh,dialogue,done,B\n",
    )
    .unwrap();
    let c = check_json(ws.path(), &[]);
    assert!(c.messages()[0].contains("2023-03-09"), "{:?}", c.messages());
    // Without the proof, day first.
    fs::write(
        &csv,
        "date,org,unit,kind,status,title\n03/09/2023,HND,tinh,dialogue,done,A\n",
    )
    .unwrap();
    let c = check_json(ws.path(), &[]);
    assert!(c.messages()[0].contains("2023-09-03"), "{:?}", c.messages());
}

#[test]
fn fmt_leaves_workbooks_and_keeps_a_bom() {
    let ws = shipped();
    let book = ws.path().join("logs/2023/o.xlsx");
    fs::copy(excel("openpyxl-hnd-2023.xlsx"), &book).unwrap();
    fs::remove_file(ws.path().join("logs/2023/hnd.csv")).unwrap();
    let csv = ws.path().join("logs/2022/hnd.csv");
    let text = fs::read_to_string(&csv).unwrap();
    // Unsorted rows and a BOM: fmt sorts, keeps the BOM.
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    fs::write(&csv, format!("\u{feff}{}\n", lines.join("\n"))).unwrap();
    let before = fs::read(&book).unwrap();
    let (code, _, err) = run(ws.path(), &["fmt", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("workbook(s) left as they are").count(), 1, "{err}");
    let (code, out, err) = run(ws.path(), &["fmt"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "logs/2022/hnd.csv\n");
    assert_eq!(fs::read(&book).unwrap(), before);
    assert_eq!(fs::read_to_string(&csv).unwrap(), format!("\u{feff}{text}"));
}

fn init(dir: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(common::plan().arg("init").arg(dir).args(args).output().unwrap())
}

#[test]
fn init_makes_a_workspace_that_checks_clean_and_overwrites_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("x");
    let (code, _, err) = init(&x, &["--lang", "vi"]);
    assert_eq!(code, 0, "{err}");
    let c = check_json(&x, &[]);
    assert_eq!((c.code, c.diags.len()), (0, 0), "{:?}", c.messages());
    let plan = fs::read_to_string(x.join("plans/DE-AN.toml")).unwrap();
    // Vietnamese comments by default; the five target shapes.
    assert!(plan.contains("# Chỉ tiêu"), "{plan}");
    for shape in [
        "schedule = {",
        "each = [\"org\"]",
        "each = [\"unit\"]",
        "measure = \"sum:cost\"",
        "measure = \"completion\"",
    ] {
        assert!(plan.contains(shape), "{shape}");
    }
    for f in ["README.md", ".gitignore", ".github/workflows/plan.yml", "logs/mttq.csv"] {
        assert!(x.join(f).is_file(), "{f}");
    }
    // A second run refuses and changes nothing.
    let before = common::snapshot(&x);
    let (code, _, err) = init(&x, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("overwrites nothing"), "{err}");
    assert_eq!(common::snapshot(&x), before);
}

#[test]
fn init_fills_the_given_fields_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("y");
    let (code, _, err) = init(
        &x,
        &[
            "--id",
            "P-7",
            "--title",
            "Đề án \"số 7\"",
            "--start",
            "2024-07-01",
            "--end",
            "2026-06-30",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let plan = fs::read_to_string(x.join("plans/P-7.toml")).unwrap();
    assert!(plan.contains("id = \"P-7\"") && plan.contains("start = 2024-07-01") && plan.contains("end = 2026-06-30"));
    assert!(plan.contains("# Targets:"), "English comments: {plan}");
    let c = check_json(&x, &[]);
    assert_eq!((c.code, c.diags.len()), (0, 0), "{:?}", c.messages());
}

#[test]
fn the_template_filled_in_by_a_script_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("w");
    assert_eq!(
        init(&x, &["--lang", "vi", "--start", "2026-01-01", "--end", "2030-12-31"]).0,
        0
    );
    let out = tmp.path().join("t.xlsx");
    let (code, _, err) = run(
        &x,
        &["template", "--lang", "vi", "--org", "HND", "-o", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    // The committed template-hnd.xlsx (which fill.py filled) is this one:
    // the same bytes, so the filled fixture is the current template.
    assert!(
        fs::read(&out).unwrap() == fs::read(excel("template-hnd.xlsx")).unwrap(),
        "the template changed: run tests/fixtures/excel/make.sh"
    );
    // Not overwritten.
    assert_eq!(run(&x, &["template", "-o", out.to_str().unwrap()]).0, 2);
    fs::remove_file(x.join("logs/hnd.csv")).unwrap();
    fs::copy(excel("template-hnd-filled.xlsx"), x.join("logs/hnd.xlsx")).unwrap();
    let c = check_json(&x, &[]);
    assert_eq!((c.code, c.diags.len()), (0, 0), "{:?}", c.messages());
    // The rows count (and the 1998 pre-filled blank rows do not).
    let (_, json, _) = run(
        &x,
        &[
            "status",
            "--format",
            "json",
            "--at",
            "2026-12-31",
            "--target",
            "dialogue-org-year",
            "--org",
            "HND",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["results"][0]["period"], "2026");
    assert_eq!(doc["results"][0]["actual"], 1, "{json}");
}

#[test]
fn the_template_has_lists_dates_and_a_frozen_header() {
    use calamine::Reader;
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("w");
    assert_eq!(init(&x, &[]).0, 0);
    let out = tmp.path().join("t.xlsx");
    assert_eq!(
        run(
            &x,
            &[
                "template",
                "--unit",
                "tinh",
                "--year",
                "2027",
                "-o",
                out.to_str().unwrap()
            ]
        )
        .0,
        0
    );
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Log", "Codes"]);
    let log = wb.worksheet_range("Log").unwrap();
    assert_eq!(log.get((0, 0)), Some(&calamine::Data::String("Ngày".into())));
    assert_eq!(log.get((1, 2)), Some(&calamine::Data::String("tinh".into())));
    let codes = wb.worksheet_range("Codes").unwrap();
    assert_eq!(codes.get((1, 0)), Some(&calamine::Data::String("MTTQ".into())));
    // The sheet XML: list validations, a date rule for 2027, frozen header.
    let mut z = zip::ZipArchive::new(fs::File::open(&out).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("<formula1>'Codes'!$A$2:$A$4</formula1>"), "{xml}");
    assert!(xml.contains("type=\"date\""), "{xml}");
    assert!(xml.contains("<formula1>46388</formula1>"), "2027-01-01: {xml}");
    assert!(xml.contains("type=\"whole\" operator=\"greaterThanOrEqual\""), "{xml}");
    assert!(xml.contains("state=\"frozen\""), "{xml}");
}

#[test]
fn status_xlsx_reread_equals_the_json() {
    use calamine::{Data, Reader};
    let ws = shipped();
    let (code, json, err) = run(ws.path(), &["status", "--format", "json", "--at", "2024-12-31"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let out = ws.path().join("s.xlsx");
    let args = [
        "status",
        "--format",
        "xlsx",
        "--at",
        "2024-12-31",
        "-o",
        out.to_str().unwrap(),
    ];
    assert_eq!(run(ws.path(), &args).0, 0);
    let first = fs::read(&out).unwrap();
    fs::remove_file(&out).unwrap();
    assert_eq!(run(ws.path(), &args).0, 0);
    assert!(fs::read(&out).unwrap() == first, "same inputs, same bytes");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range("Results").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(rows.len(), results.len() + 1);
    let text = |d: &Data| match d {
        Data::Empty => serde_json::Value::Null,
        Data::String(s) => serde_json::Value::String(s.clone()),
        Data::Float(f) => serde_json::json!(*f),
        other => panic!("{other:?}"),
    };
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    for (row, want) in rows[1..].iter().zip(results) {
        for key in [
            "target", "period", "org", "unit", "field", "actual", "required", "expected", "status",
        ] {
            let col = header.iter().position(|h| h == key).unwrap();
            let got = text(&row[col]);
            let want = want.get(key).cloned().unwrap_or(serde_json::Value::Null);
            // Numbers compare as numbers (JSON writes 1 and 1.0 apart).
            match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => assert_eq!(g, w, "{key} of {row:?}"),
                _ => assert_eq!(got, want, "{key} of {row:?}"),
            }
        }
        // Period dates are date cells.
        assert!(matches!(row[3], Data::DateTime(_)), "{:?}", row[3]);
    }
    let about = wb.worksheet_range("About").unwrap();
    let Some(Data::DateTime(d)) = about.get((1, 1)) else {
        panic!("as_of is no date cell")
    };
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    assert_eq!(format!("{y:04}-{m:02}-{day:02}"), doc["as_of"].as_str().unwrap());
}

#[test]
fn bom_only_when_asked() {
    let ws = shipped();
    let (_, with, _) = run(ws.path(), &["status", "--format", "csv", "--bom", "--at", "2024-12-31"]);
    let (_, without, _) = run(ws.path(), &["status", "--format", "csv", "--at", "2024-12-31"]);
    assert!(with.starts_with("\u{feff}target,"));
    assert!(without.starts_with("target,"));
    assert_eq!(&with[3..], without);
}

#[test]
fn report_xlsx_holds_the_results_and_the_appendix_tables() {
    use calamine::{Data, Reader};
    let ws = shipped();
    let out = ws.path().join("r.xlsx");
    let (code, _, err) = run(
        ws.path(),
        &[
            "report",
            "--half",
            "2023H1",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, md, _) = run(ws.path(), &["report", "--half", "2023H1"]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let names = wb.sheet_names();
    assert_eq!(&names[..3], ["Results", "By kind", "About"]);
    let appendix: Vec<&String> = names.iter().filter(|n| n.starts_with("Appendix")).collect();
    assert!(!appendix.is_empty(), "{names:?}");
    // Each appendix sheet's heading is a heading of the Markdown report.
    for name in appendix {
        let sheet = wb.worksheet_range(name).unwrap();
        let Some(Data::String(heading)) = sheet.get((0, 0)) else {
            panic!("{name}")
        };
        assert!(md.contains(heading.as_str()), "{heading}");
    }
    // Without -o, a workbook goes to standard output when that is not a
    // terminal (here a pipe), as a DOCX does: the same bytes as the file.
    let piped = common::plan()
        .arg("-C")
        .arg(ws.path())
        .args(["report", "--half", "2023H1", "--format", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(piped.stdout, fs::read(&out).unwrap());
}

#[test]
fn diff_compares_a_workbook_as_rows() {
    let ws = shipped();
    let git = |args: &[&str]| common::git(ws.path(), args);
    fs::remove_file(ws.path().join("logs/2023/hnd.csv")).unwrap();
    let book = ws.path().join("logs/2023/hnd.xlsx");
    fs::copy(excel("openpyxl-hnd-2023.xlsx"), &book).unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    // Other bytes (LibreOffice's file, codes for titles), the same rows.
    fs::copy(excel("libreoffice-hnd-2023.xlsx"), &book).unwrap();
    let (code, out, err) = run(ws.path(), &["diff", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "no change in what the plans and logs say", "{out}");
    // The workbook's rows are counted: removed, its 18 rows go.
    fs::remove_file(&book).unwrap();
    let (_, out, err) = run(ws.path(), &["diff", "HEAD"]);
    assert!(
        out.contains("- logs/2023/hnd.xlsx: file removed, 18 rows"),
        "{out}{err}"
    );
}

#[test]
fn workbooks_read_on_several_threads_give_what_one_thread_gives() {
    let ws = shipped();
    for (i, f) in [
        "mistakes.xlsx",
        "openpyxl-hnd-2023.xlsx",
        "libreoffice-hnd-2023.ods",
        "mistakes.xlsx",
    ]
    .iter()
    .enumerate()
    {
        let ext = f.rsplit('.').next().unwrap();
        fs::copy(excel(f), ws.path().join(format!("logs/2024/book{i}.{ext}"))).unwrap();
    }
    // A damaged workbook is a diagnostic, not a crash.
    let bytes = fs::read(excel("mistakes.xlsx")).unwrap();
    fs::write(ws.path().join("logs/2024/cut.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    let run_with = |threads: &str| {
        let out = common::plan()
            .env("PLAN_THREADS", threads)
            .arg("-C")
            .arg(ws.path())
            .args(["check", "--format", "json"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run_with("1");
    assert_eq!(run_with("2"), one);
    assert_eq!(run_with("3"), one);
    assert!(one.contains("\"file\": \"logs/2024/cut.xlsx\""), "{one}");
    assert!(one.contains("logs/2024/book3.xlsx"), "{one}");
}

#[test]
fn two_cells_far_apart_are_refused_not_allocated() {
    // calamine holds the rectangle from the first to the last used cell:
    // A1 and XFD1048576 would be 17 billion cells.
    let ws = shipped();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in ["date", "org", "unit", "kind", "status", "title"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(ws.path().join("logs/2023/far.xlsx")).unwrap();
    let c = check_json(ws.path(), &[]);
    assert_eq!(
        c.places(),
        vec![at("workbook-too-large", "logs/2023/far.xlsx", 0, 0)],
        "{:?}",
        c.messages()
    );
    assert!(c.messages()[0].contains("XFD1048576"), "{:?}", c.messages());
}

#[test]
fn template_takes_an_xlsx_name_or_none() {
    let ws = shipped();
    let at = |name: &str| ws.path().join(name).to_str().unwrap().to_owned();
    let (code, _, err) = run(ws.path(), &["template", "-o", &at("nhap.csv")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".xlsx"), "{err}");
    assert!(!ws.path().join("nhap.csv").exists());
    let (code, _, err) = run(ws.path(), &["template", "-o", "-"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(ws.path(), &["template", "-o", &at("nhap")]);
    assert_eq!(code, 0, "{err}");
    assert!(fs::read(ws.path().join("nhap")).unwrap().starts_with(b"PK"));
}
