//! `plan report` on the shipped plan and example logs: snapshots of the
//! Markdown drafts, the DOCX read back, and the appendix checked against the
//! engine's JSON.

mod drafts;
mod office_wording;
mod offices;

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;

use crate::common;

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
    assert!(
        md.contains("**Kết quả thực hiện Đề án số 15-ĐA/TU ngày 11/12/2020 của Tỉnh ủy**\\\n**6 tháng đầu năm 2023**")
    );
    let h2 = stdout(&["report", "--half", "2023H2"]);
    assert!(h2.contains("của Tỉnh ủy**\\\n**6 tháng cuối năm 2023**"));
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
        "**PHỤ LỤC I**",
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
        md.contains("| Huyện Bát Xát |  | Đã kết thúc hoạt động từ ngày 01/07/2025 |"),
        "{md}"
    );
    // Not "cấp huyện 0": the level is gone, it did not do nothing.
    assert!(md.contains("trong đó cấp tỉnh 14 cuộc, cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025."));
    assert!(!md.contains("cấp huyện 0"));
    // The year the districts ended: they count for its first half.
    let year = stdout(&["report", "--year", "2025"]);
    assert!(year.contains("| Huyện Bát Xát | "), "{year}");
    assert!(year.contains("| Đã kết thúc hoạt động từ ngày 01/07/2025 |"), "{year}");
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
    // The title's number and period phrase never break across lines.
    assert!(xml.contains("Kết quả thực hiện Đề án số 15</w:t><w:noBreakHyphen /><w:t xml:space=\"preserve\">ĐA/TU ngày 11/12/2020 của Tỉnh ủy"));
    assert!(xml.contains("6\u{a0}tháng\u{a0}đầu\u{a0}năm\u{a0}2023"));
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
/// `Hội Nông dân huyện Bát Xát`, `Lĩnh vực “giám sát ...”`, `Chung` for no
/// scope.
fn scope_name(plan: &toml_edit::DocumentMut, r: &serde_json::Value) -> String {
    let lower_first = |s: &str| {
        let mut chars = s.chars();
        let first = chars.next().unwrap().to_lowercase();
        first.chain(chars).collect::<String>()
    };
    let org = r["org"]
        .as_str()
        .map(|c| plan["orgs"][c]["name"].as_str().unwrap().to_owned());
    let unit = r["unit"]
        .as_str()
        .map(|c| plan["units"][c]["name"].as_str().unwrap().to_owned());
    let mut parts = Vec::new();
    match (org, unit) {
        (Some(o), Some(u)) => parts.push(format!("{o} {}", lower_first(&u))),
        (Some(o), None) => parts.push(o),
        (None, Some(u)) => parts.push(u),
        (None, None) => {}
    }
    if let Some(f) = r["field"].as_str() {
        let name = plan["fields"][f]["short"].as_str().unwrap();
        parts.push(format!("Lĩnh vực “{}”", lower_first(name)));
    }
    if parts.is_empty() {
        "Chung".to_owned()
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

/// The rows of a Markdown table that follows `after`, as cells.
fn table_after(md: &str, after: &str) -> Vec<Vec<String>> {
    md.split(after)
        .nth(1)
        .unwrap_or_else(|| panic!("no {after}"))
        .lines()
        .skip_while(|l| !l.starts_with("| "))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| TT"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace("\\-", "-"))
                .collect()
        })
        .collect()
}

/// Every row of Phụ lục I is an engine result (or, for a target with no
/// period in the report's, says so), with the engine's figures, under the
/// target's title, never its id, numbered by its target (`3`, `3.1`, …), a
/// target's later rows naming it by that number; and every target of the
/// plan is there.
#[test]
fn appendix_numbers_equal_the_engine() {
    let plan: toml_edit::DocumentMut = common::shipped_plan().parse().unwrap();
    let targets: Vec<(String, String)> = plan["target"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_owned(),
                t["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (report, at) in [(["--half", "2023H1"], "2023-06-30"), (["--year", "2024"], "2024-12-31")] {
        let md = stdout(&["report", report[0], report[1]]);
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["status", "--format", "json", "--at", at])).unwrap();
        let results = json["results"].as_array().unwrap();
        let mut checked = 0;
        let mut seen = Vec::new();
        let mut id = String::new();
        for cells in table_after(&md, "**PHỤ LỤC I**") {
            let (title, scope, period, required, actual, standing) =
                (&cells[1], &cells[2], &cells[3], &cells[4], &cells[5], &cells[7]);
            let continued = title.strip_prefix("Chỉ tiêu ").and_then(|t| t.strip_suffix(" (tiếp)"));
            if let Some(n) = continued {
                // A target's later rows name it by its number.
                assert_eq!(n, seen.len().to_string(), "{cells:?}");
            } else {
                id = targets
                    .iter()
                    .find(|(_, t)| t == title)
                    .unwrap_or_else(|| panic!("{title}"))
                    .0
                    .clone();
                seen.push(id.clone());
            }
            let number = &cells[0];
            assert!(
                *number == seen.len().to_string() || number.starts_with(&format!("{}.", seen.len())),
                "{cells:?} numbered under target {}",
                seen.len()
            );
            if standing == "Chưa đến kỳ" && scope == "Chung" && actual.is_empty() {
                continue;
            }
            let found = results
                .iter()
                .find(|r| {
                    r["target"] == id.as_str() && r["period"] == period.as_str() && scope_name(&plan, r) == *scope
                })
                .unwrap_or_else(|| panic!("{cells:?} has no engine result"));
            assert_eq!(vi_number(required), found["required"].as_f64().unwrap(), "{cells:?}");
            if !actual.is_empty() {
                assert!(
                    (vi_number(actual) - found["actual"].as_f64().unwrap()).abs() < 0.0005,
                    "{cells:?}"
                );
            }
            checked += 1;
        }
        assert!(checked > 50, "only {checked} appendix rows checked");
        let ids: Vec<&String> = targets.iter().map(|(i, _)| i).collect();
        assert_eq!(seen.iter().collect::<Vec<_>>(), ids, "every target, in plan order");
    }
}

#[test]
fn a_plan_without_an_issuer_leaves_a_blank_in_the_title() {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.arg("-C").arg(common::fixture("check-clean"));
    let out = common::stdout_of(cmd, &["report", "--half", "2023H1"]);
    assert!(
        out.contains("**Kết quả thực hiện Đề án số X của ...**\\\n**6 tháng đầu năm 2023**"),
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

/// The lines of a section of the draft, from its heading to the next one.
fn section_lines<'a>(md: &'a str, heading: &str) -> Vec<&'a str> {
    md.split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no {heading}"))
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("- "))
        .collect()
}

/// `Title (period)` and `NN/MM` of an assessment line.
fn line_key(line: &str) -> (String, Option<(u64, u64)>) {
    let (key, body) = line.split_once("): ").unwrap_or((line, ""));
    let count = body.split_whitespace().next().and_then(|w| {
        let (a, b) = w.split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    (key.to_owned(), count)
}

#[test]
fn strengths_and_shortcomings_never_share_a_result() {
    for args in [
        &["report", "--half", "2023H1"][..],
        &["report", "--year", "2023"],
        &["report", "--midterm"],
        &["report", "--final"],
    ] {
        let md = stdout(args);
        let good = section_lines(&md, "### 1. Ưu điểm");
        let bad = section_lines(&md, "### 2. Hạn chế");
        for g in &good {
            let (key, count) = line_key(g);
            // A 0 that is "on track" only because the pace rounds down is no strength.
            assert!(!g.contains("chưa thực hiện") && !g.contains("đã thực hiện 0/"), "{g}");
            // Budget use is a fact, not a strength.
            assert!(!g.contains("trong phạm vi mức được duyệt"), "{g}");
            for b in bad.iter().filter(|b| line_key(b).0 == key) {
                // The same target and period in both lists: the instances split,
                // never counted twice.
                let (Some((g_n, total)), Some((b_n, b_total))) = (count, line_key(b).1) else {
                    panic!("{args:?}: in both lists:\n{g}\n{b}");
                };
                assert_eq!(total, b_total);
                assert!(g_n + b_n <= total, "{g}\n{b}");
            }
        }
    }
}

/// On the 2023H1 figures: the provincial dialogues stand at 1 of 2 with a
/// pace of 0 (on track, no strength); 16 district organisations met their
/// dialogue target and 38 have none yet.
#[test]
fn on_pace_or_at_zero_is_no_strength() {
    let md = stdout(&["report", "--half", "2023H1"]);
    let good = section_lines(&md, "### 1. Ưu điểm").join("\n");
    assert!(
        !good.contains("tỉnh chủ trì tổ chức từ 02 hội nghị đối thoại"),
        "{good}"
    );
    assert!(
        good.contains("tổ chức từ 01 hội nghị đối thoại (năm 2023): 16/54 tổ chức đã đạt chỉ tiêu"),
        "{good}"
    );
    // The budget is a fact in section II, not a strength.
    assert!(!good.contains("Nhu cầu vốn"), "{good}");
}

#[test]
fn a_field_still_at_zero_after_its_target_started_is_a_shortcoming() {
    let md = stdout(&["report", "--half", "2023H1"]);
    let bad = section_lines(&md, "### 2. Hạn chế").join("\n");
    // F4 has no supervision since 2021.
    assert!(
        bad.contains("01/08 lĩnh vực chưa thực hiện (lĩnh vực “đề tài, dự án khoa học công nghệ”)"),
        "{bad}"
    );
    // District organisations with no dialogue yet, the postponed and cancelled
    // activities with their reasons, the open recommendations, the silent offices.
    assert!(bad.contains("38/54 tổ chức chưa thực hiện"), "{bad}");
    assert!(
        bad.contains("(hủy, lý do: chưa bố trí được thời gian của lãnh đạo UBND)"),
        "{bad}"
    );
    assert!(bad.contains("Còn 50/147 kiến nghị"), "{bad}");
    assert!(
        bad.contains("huyện Mường Khương không có tổ chức nào có hoạt động"),
        "{bad}"
    );
}

#[test]
fn plan_against_done_counts_cancelled_activities() {
    let md = stdout(&["report", "--half", "2023H1"]);
    assert!(
        md.contains("đã thực hiện 23/25 hội nghị theo kế hoạch, đạt 92%, trong đó cấp tỉnh 06 hội nghị, cấp huyện 17 hội nghị; 01 hội nghị phải hoãn, 01 hội nghị bị hủy."),
        "{md}"
    );
    let status = stdout(&["status", "--half", "2023H1"]);
    assert!(
        status.contains("Hội nghị đối thoại: 23/25 hội nghị, đạt 92%; 01 hội nghị hoãn, 01 hội nghị hủy"),
        "{status}"
    );
}

#[test]
fn the_appendix_lists_every_target_upcoming_ones_too() {
    let md = stdout(&["report", "--half", "2023H1"]);
    let rows = table_after(&md, "**PHỤ LỤC I**");
    // The final review conference is due in 2025 only.
    let conference = rows
        .iter()
        .find(|r| r[1].starts_with("Tổ chức 01 hội nghị tổng kết"))
        .unwrap_or_else(|| panic!("{md}"));
    assert_eq!(conference[3], "2025");
    assert_eq!(conference[7], "Chưa đến kỳ");
    assert!(md.contains("*(Kèm theo Báo cáo số …/BC-MTTQ-BTT ngày …/…/2023 của Ban Thường trực"));
}

#[test]
fn no_target_id_in_the_vietnamese_text() {
    let plan = common::shipped_plan();
    let doc: toml_edit::DocumentMut = plan.parse().unwrap();
    let ids: Vec<String> = doc["target"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    let codes: Vec<String> = doc["fields"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, _)| k.to_owned())
        .collect();
    for args in [
        &["report", "--half", "2023H1"][..],
        &["report", "--midterm"],
        &["report", "--final"],
    ] {
        let md = stdout(args).replace("\\-", "-");
        for id in &ids {
            assert!(!md.contains(id.as_str()), "{args:?}: target id {id} in the text");
        }
        for code in &codes {
            assert!(
                !md.contains(&format!("{code}:")) && !md.contains(&format!("vực {code}")),
                "{code}"
            );
        }
        // Nothing sends the reader to files they do not have.
        assert!(!md.contains("nhật ký"), "{args:?}");
    }
}

#[test]
fn docx_has_language_header_rows_compressed_parts_and_a_place_for_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.docx");
    plan()
        .args(["report", "--half", "2023H1", "-o"])
        .arg(&path)
        .assert()
        .success();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        if !entry.is_dir() {
            assert_eq!(
                entry.compression(),
                zip::CompressionMethod::Deflated,
                "{}",
                entry.name()
            );
        }
    }
    let styles = docx_part(&path, "word/styles.xml");
    assert!(styles.contains(r#"<w:lang w:val="vi-VN""#));
    let xml = docx_part(&path, "word/document.xml");
    assert!(xml.contains("<w:tblHeader />"), "repeated header rows");
    assert!(
        xml.contains(r#"w:orient="landscape""#),
        "the appendix on landscape pages"
    );
    assert!(xml.contains("[Họ và tên]"), "the signer's name has its place");
    let core = docx_part(&path, "docProps/core.xml");
    assert!(core.contains("<dc:creator>Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai</dc:creator>"));
    assert!(core.contains("2023-06-30T00:00:00Z"));
    // English drafts are marked English.
    let en = dir.path().join("en.docx");
    plan()
        .args(["--lang", "en", "report", "--half", "2023H1", "-o"])
        .arg(&en)
        .assert()
        .success();
    assert!(docx_part(&en, "word/styles.xml").contains(r#"<w:lang w:val="en-GB""#));
}
