//! `plan diff` shows the change under review (issue 20): even when the new
//! revision leaves errors in the logs (the change first, then the errors,
//! exit 1), with fields reordered and codes renamed said as such, in the
//! user's language.

use std::fs;

use std::process::Command;

use crate::common::{copy_dir, fixture, git, git_env};

struct Repo(tempfile::TempDir);

impl Repo {
    /// `tests/fixtures/diff-base` with `edit` applied to its plan, committed.
    fn new(edit: impl Fn(String) -> String) -> Repo {
        let r = Repo(tempfile::tempdir().unwrap());
        copy_dir(&fixture("diff-base"), r.0.path());
        r.edit(edit);
        for args in [&["init", "-q"][..], &["add", "-A"], &["commit", "-q", "-m", "base"]] {
            git(r.0.path(), args);
        }
        r
    }

    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.current_dir(self.0.path())
            .envs(git_env(self.0.path()))
            .env_remove("PLAN_LANG");
        c
    }

    fn edit(&self, f: impl Fn(String) -> String) {
        let path = self.0.path().join("plans/p.toml");
        fs::write(&path, f(fs::read_to_string(&path).unwrap())).unwrap();
    }

    fn diff(&self, lang: &str) -> (i32, String, String) {
        let out = self
            .cmd(assert_cmd::cargo::cargo_bin("plan"))
            .args(["--color", "never", "--lang", lang, "diff", "HEAD"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
}

#[test]
fn removing_an_organisation_with_rows_shows_the_removal_then_the_errors() {
    let repo = Repo::new(|p| p);
    repo.edit(|p| p.replace("HND = \"Hội Nông dân\"\n", ""));
    let (code, out, err) = repo.diff("vi");
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "kế hoạch P (plans/p.toml)\n  - tổ chức HND: \"Hội Nông dân\"\n");
    assert!(err.contains("lỗi[unknown-org]"), "{err}");
    assert!(err.contains("logs/2023.csv:3:12"), "{err}");
    let (code, out, err) = repo.diff("en");
    assert_eq!(code, 1);
    assert_eq!(out, "plan P (plans/p.toml)\n  - org HND: \"Hội Nông dân\"\n");
    assert!(err.starts_with("\nThe changes above leave errors in the logs"), "{err}");
}

#[test]
fn reordered_fields_and_levels_are_changes_in_words_of_the_language() {
    let fields = |p: String| {
        p.replace(
            "[kinds]",
            "[fields]\nF1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"\n\n[kinds]",
        )
    };
    let repo = Repo::new(fields);
    repo.edit(|p| {
        p.replace(
            "F1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"",
            "F2 = \"Giáo dục\"\nF1 = \"Nông nghiệp\"",
        )
        .replace(
            "province = \"Cấp tỉnh\"\ndistrict = \"Cấp huyện\"",
            "district = \"Cấp huyện\"\nprovince = \"Cấp tỉnh\"",
        )
    });
    let (code, out, err) = repo.diff("vi");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  ~ cấp: thứ tự [province, district] → [district, province]\n"),
        "{out}"
    );
    assert!(out.contains("  ~ lĩnh vực: thứ tự [F1, F2] → [F2, F1]\n"), "{out}");
    assert!(!out.contains("order"), "{out}");
    let (_, out, _) = repo.diff("en");
    assert!(out.contains("  ~ field: order [F1, F2] → [F2, F1]\n"), "{out}");
}

#[test]
fn a_renamed_code_is_one_rename() {
    let fields = |p: String| p.replace("[kinds]", "[fields]\nF1 = \"Nông nghiệp\"\n\n[kinds]");
    let repo = Repo::new(fields);
    repo.edit(|p| p.replace("F1 = ", "N1 = "));
    let (code, out, err) = repo.diff("vi");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "kế hoạch P (plans/p.toml)\n  ~ lĩnh vực F1 → N1 (đổi mã): \"Nông nghiệp\"\n"
    );
    let (_, out, _) = repo.diff("en");
    assert_eq!(
        out,
        "plan P (plans/p.toml)\n  ~ field F1 → N1 (code renamed): \"Nông nghiệp\"\n"
    );
}

#[test]
fn swapped_field_names_are_two_renames() {
    let fields = |p: String| {
        p.replace(
            "[kinds]",
            "[fields]\nF1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"\n\n[kinds]",
        )
    };
    let repo = Repo::new(fields);
    repo.edit(|p| {
        p.replace(
            "F1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"",
            "F1 = \"Giáo dục\"\nF2 = \"Nông nghiệp\"",
        )
    });
    let (code, out, err) = repo.diff("en");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "plan P (plans/p.toml)\n  ~ field F1 renamed: \"Nông nghiệp\" → \"Giáo dục\"\n  ~ field F2 renamed: \"Giáo dục\" → \"Nông nghiệp\"\n"
    );
}
