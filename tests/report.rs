//! `plan report` on the shipped plan and example logs: snapshots of the
//! Markdown drafts, the DOCX read back, and the appendix checked against the
//! engine's JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;

mod common;

fn plan() -> Command {
    common::in_repo()
}

fn stdout(args: &[&str]) -> String {
    common::stdout_of(plan(), args)
}

#[test]
fn half_year_report_vi() {
    insta::assert_snapshot!("report_2023H1_vi", stdout(&["report", "--half", "2023H1"]));
}

#[test]
fn half_year_report_en() {
    insta::assert_snapshot!(
        "report_2023H1_en",
        stdout(&["--lang", "en", "report", "--half", "2023H1"])
    );
}

#[test]
fn annual_report_vi() {
    insta::assert_snapshot!("report_2024_vi", stdout(&["report", "--year", "2024"]));
}

#[test]
fn annual_report_en() {
    insta::assert_snapshot!("report_2024_en", stdout(&["--lang", "en", "report", "--year", "2024"]));
}

#[test]
fn final_report_vi() {
    insta::assert_snapshot!("report_final_vi", stdout(&["report", "--final"]));
}

#[test]
fn final_report_en() {
    insta::assert_snapshot!("report_final_en", stdout(&["--lang", "en", "report", "--final"]));
}

#[test]
fn title_follows_the_administrative_form() {
    let md = stdout(&["report", "--half", "2023H1"]);
    assert!(md.contains("**Kết quả thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy 6 tháng đầu năm 2023**"));
    let h2 = stdout(&["report", "--half", "2023H2"]);
    assert!(h2.contains("của Tỉnh ủy 6 tháng cuối năm 2023**"));
    assert!(
        stdout(&["report", "--midterm"])
            .contains("**Kết quả sơ kết giữa nhiệm kỳ thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy**")
    );
    assert!(
        stdout(&["report", "--final"])
            .contains("**Kết quả tổng kết thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy**")
    );
    let sections = [
        "## I. ",
        "## II. ",
        "## III. ",
        "## IV. ",
        "## V. ",
        "**Nơi nhận:**",
        "## PHỤ LỤC",
    ];
    let mut last = 0;
    for s in sections {
        let at = md.find(s).unwrap_or_else(|| panic!("missing {s}"));
        assert!(at > last, "{s} out of order");
        last = at;
    }
}

#[test]
fn ceased_units_are_reported_as_such() {
    let md = stdout(&["report", "--half", "2025H2"]);
    assert!(
        md.contains("| Huyện Bát Xát | đã kết thúc hoạt động từ 01/07/2025 |"),
        "{md}"
    );
    // Not "cấp huyện 0": the level is gone, it did not do nothing.
    assert!(md.contains("trong đó cấp tỉnh 14, cấp huyện đã kết thúc hoạt động từ 01/07/2025."));
    assert!(!md.contains("cấp huyện 0"));
    // The year the districts ended: they count for its first half.
    let year = stdout(&["report", "--year", "2025"]);
    assert!(year.contains("| Huyện Bát Xát | "), "{year}");
    assert!(year.contains("(đã kết thúc hoạt động từ 01/07/2025)"), "{year}");
    // Nothing is planned beyond the term: the tasks look to the next stage.
    assert!(md.contains("## IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TIẾP THEO"));
}

#[test]
fn reports_are_deterministic() {
    assert_eq!(
        stdout(&["report", "--year", "2023"]),
        stdout(&["report", "--year", "2023"])
    );
}

fn docx_part(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn docx_reads_back_with_title_header_table_and_engine_figure() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.docx");
    let b = dir.path().join("b.docx");
    // `b` without `--format`: a FILE ending in .docx asks for DOCX.
    for (p, format) in [(&a, &["--format", "docx"][..]), (&b, &[][..])] {
        plan()
            .args(["report", "--half", "2023H1"])
            .args(format)
            .arg("-o")
            .arg(p)
            .assert()
            .success();
    }
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "DOCX must be byte-identical"
    );
    let xml = docx_part(&a, "word/document.xml");
    assert!(xml.contains("Kết quả thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy 6 tháng đầu năm 2023"));
    assert!(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && xml.contains("ỦY BAN MTTQ VIỆT NAM"));
    assert!(xml.contains("<w:tbl>"), "real Word tables");
    // A figure from the engine: supervision-total's actual as of 30/06/2023.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["status", "--format", "json", "--at", "2023-06-30"])).unwrap();
    let total = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == "supervision-total")
        .unwrap();
    let figure = format!("{}/{}", total["actual"], total["required"]);
    assert!(
        xml.contains(&format!("thực hiện {figure} cuộc")),
        "{figure} not in the DOCX"
    );
}

#[test]
fn the_term_report_is_the_final_summary() {
    // The shipped plan's `[reporting] final` is the term's last half-year.
    assert_eq!(stdout(&["report", "--term"]), stdout(&["report", "--final"]));
    assert!(stdout(&["report", "--term"]).contains("Kết quả tổng kết thực hiện"));
}

/// A file that cannot be written: exit 2, the reason in the user's language.
#[test]
fn an_unwritable_output_is_named_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no-such-dir").join("r.md");
    plan()
        .args(["report", "--half", "2023H1", "-o"])
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("r.md: không tìm thấy tệp hoặc thư mục"));
    assert!(!target.exists());
}

#[test]
fn docx_may_go_to_a_redirected_stdout() {
    // Standard output is a pipe here, not a terminal (issue 20).
    let out = plan()
        .args(["report", "--half", "2023H1", "--format", "docx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"PK"));
}

/// How the report names a JSON result's scope, from the plan's names:
/// `Hội Nông dân huyện Bát Xát`, `lĩnh vực F1`, `chung` for no scope.
fn scope_name(plan: &toml_edit::DocumentMut, r: &serde_json::Value) -> String {
    let org = r["org"].as_str().map(|c| plan["orgs"][c].as_str().unwrap().to_owned());
    let unit = r["unit"]
        .as_str()
        .map(|c| plan["units"][c]["name"].as_str().unwrap().to_owned());
    let mut parts = Vec::new();
    match (org, unit) {
        (Some(o), Some(u)) => {
            let mut chars = u.chars();
            let first = chars.next().unwrap().to_lowercase();
            parts.push(format!("{o} {}", first.chain(chars).collect::<String>()));
        }
        (Some(o), None) => parts.push(o),
        (None, Some(u)) => parts.push(u),
        (None, None) => {}
    }
    if let Some(f) = r["field"].as_str() {
        parts.push(format!("lĩnh vực {f}"));
    }
    if parts.is_empty() {
        "chung".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Parses a Vietnamese figure: `1.234` → 1234.0, `51,7%` → 0.517.
fn vi_number(s: &str) -> f64 {
    let pct = s.ends_with('%');
    let n: f64 = s
        .trim_end_matches('%')
        .replace('.', "")
        .replace(',', ".")
        .parse()
        .unwrap();
    if pct { n / 100.0 } else { n }
}

#[test]
fn appendix_numbers_equal_the_engine() {
    let plan: toml_edit::DocumentMut =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/15-DA-TU.toml"))
            .unwrap()
            .parse()
            .unwrap();
    for (report, at) in [(["--half", "2023H1"], "2023-06-30"), (["--year", "2024"], "2024-12-31")] {
        let md = stdout(&["report", report[0], report[1]]);
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["status", "--format", "json", "--at", at])).unwrap();
        let results = json["results"].as_array().unwrap();
        let appendix = md
            .split("### Phụ lục 1.")
            .nth(1)
            .unwrap()
            .split("### Phụ lục 2.")
            .next()
            .unwrap();
        let mut checked = 0;
        for line in appendix
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| TT"))
        {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let (id, scope, period, required, actual) = (cells[1], cells[3], cells[4], cells[5], cells[6]);
            let found = results
                .iter()
                .find(|r| {
                    r["target"] == id.replace("\\-", "-")
                        && r["period"] == period
                        && scope_name(&plan, r) == scope.replace("\\-", "-")
                })
                .unwrap_or_else(|| panic!("{line} has no engine result"));
            assert_eq!(vi_number(required), found["required"].as_f64().unwrap(), "{line}");
            if actual != "–" {
                assert!(
                    (vi_number(actual) - found["actual"].as_f64().unwrap()).abs() < 0.0005,
                    "{line}"
                );
            } else {
                assert!(found["actual"].is_null());
            }
            checked += 1;
        }
        assert!(checked > 50, "only {checked} appendix rows checked");
    }
}

#[test]
fn a_plan_without_an_issuer_leaves_a_blank_in_the_title() {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.arg("-C").arg(common::fixture("check-clean"));
    let out = common::stdout_of(cmd, &["report", "--half", "2023H1"]);
    assert!(
        out.contains("**Kết quả thực hiện Đề án số X của ... 6 tháng đầu năm 2023**"),
        "{out}"
    );
}

#[test]
fn an_as_of_date_before_the_period_is_refused() {
    // Nothing of 2023H1 can have happened by 2019: the report would list
    // every unit as not reporting.
    let out = plan()
        .args(["--lang", "en", "report", "--half", "2023H1", "--at", "2022-12-31"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("starts on 2023-01-01, after the as-of date 2022-12-31"),
        "{err}"
    );
    // The period's first day is a valid as-of date.
    let out = plan()
        .args(["report", "--half", "2023H1", "--at", "2023-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
