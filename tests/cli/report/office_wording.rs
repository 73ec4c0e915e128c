//! Office drafts read as their signer reads them: a shared target the office
//! did nothing towards is said in words, every line ends as a sentence, and an
//! appendix part is numbered only when it has a sibling.

use crate::common;

fn unit_draft(lang: &str) -> String {
    common::stdout_of(
        common::in_repo(),
        &["--lang", lang, "report", "--half", "2023H1", "--unit", "bat-xat"],
    )
}

#[test]
fn office_share_of_a_shared_target_reads_as_a_sentence() {
    let vi = unit_draft("vi");
    let shares: Vec<&str> = vi.lines().filter(|l| l.contains("chỉ tiêu chung")).collect();
    assert!(shares.len() >= 3, "{vi}");
    for line in &shares {
        assert!(line.ends_with('.'), "{line}");
        assert!(!line.contains("đã thực hiện 0 "), "{line}");
    }
    assert!(vi.contains("huyện Bát Xát chưa thực hiện hội nghị nào; chỉ tiêu chung của Đề án đạt"));
    let en = unit_draft("en");
    assert!(en.contains("Bát Xát District did none; the shared target of the Scheme stands at"));
    assert!(!en.contains(" did 0 "), "{en}");
}

#[test]
fn a_lone_appendix_part_has_no_number() {
    let vi = unit_draft("vi");
    assert!(
        vi.lines()
            .any(|l| l.trim() == "Kiến nghị chưa được tiếp thu, giải quyết"),
        "{vi}"
    );
    assert!(!vi.contains("2. Kiến nghị chưa được tiếp thu"), "{vi}");
}
