//! `plan report` on the shipped plan: a target is one line over the
//! periods, the Đề án's party-building heading with its three items, and
//! the English addressee line.

use crate::common;

fn stdout(args: &[&str]) -> String {
    common::stdout_of(common::in_repo(), args)
}

/// The lines of a section: from the heading that starts with `from` to the next `## `.
fn section<'a>(md: &'a str, from: &str) -> Vec<&'a str> {
    md.lines()
        .skip_while(|l| !l.starts_with(from))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .collect()
}

#[test]
fn a_target_is_one_line_over_the_periods_in_the_assessment() {
    for kind in ["--midterm", "--final"] {
        let md = stdout(&["report", kind]);
        let lines = section(&md, "## III.");
        let title = "Tham gia góp ý các dự thảo văn bản, văn kiện của cơ quan Đảng, Nhà nước khi được đề nghị";
        let with_title = lines.iter().filter(|l| l.starts_with(&format!("- {title}"))).count();
        assert_eq!(with_title, 1, "{kind}: one line for the target in section III");
        let line = lines.iter().find(|l| l.starts_with(&format!("- {title}"))).unwrap();
        assert!(line.contains("(các năm 2021, 2022"), "{kind}: {line}");
        // Years that read differently are said in turn, in the same line
        // (the final draft's criticism missed in 2022 and in 2025).
        let criticism = lines
            .iter()
            .find(|l| l.starts_with("- Thực hiện phản biện") && l.contains("không đạt"))
            .unwrap();
        let said = match kind {
            "--final" => ": năm 2022, tỷ lệ hoàn thành kế hoạch 85,7%",
            _ => " (năm 2022): tỷ lệ hoàn thành kế hoạch 85,7%",
        };
        assert!(criticism.contains(said), "{kind}: {criticism}");
        // No line of section II or III names a single year in brackets after a title.
        assert!(!md.contains("khi được đề nghị (năm 2021)"), "{kind}");
    }
}

#[test]
fn the_party_building_kinds_are_three_items_under_the_heading_of_the_de_an() {
    let md = stdout(&["report", "--half", "2023H1"]);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("###")).collect();
    let at = headings
        .iter()
        .position(|h| h.ends_with(". Tham gia xây dựng Đảng, xây dựng chính quyền"))
        .expect("the heading");
    assert_eq!(
        headings[at + 1..at + 4],
        [
            "#### a) Góp ý dự thảo văn bản, văn kiện",
            "#### b) Tiếp xúc cử tri, tập hợp kiến nghị",
            "#### c) Giám sát cán bộ, đảng viên theo Quy định 124-QĐ/TW",
        ]
    );
    let en = stdout(&["--lang", "en", "report", "--half", "2023H1"]);
    assert!(en.contains("### 8. Participation in building the Party and the government"));
}

#[test]
fn an_english_draft_has_the_addressee_of_kinh_gui_en() {
    let en = stdout(&["--lang", "en", "report", "--half", "2023H1"]);
    assert!(
        en.lines()
            .any(|l| l == "To: Standing Board of the Lào Cai Provincial Party Committee."),
        "{}",
        &en[..800]
    );
    let vi = stdout(&["report", "--half", "2023H1"]);
    assert!(vi.lines().any(|l| l == "Kính gửi: Thường trực Tỉnh ủy Lào Cai."));
    assert!(!vi.contains("To: "));
}
