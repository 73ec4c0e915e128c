//! `plan diff REV [REV2]`: each test makes a throw-away
//! git repository from `tests/fixtures/diff-base`, commits it, changes one
//! kind of thing and asserts the exact lines `plan diff` prints; then the
//! errors (outside a repository, unknown revision, a plan with errors).

mod review;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use crate::common::{copy_dir, fixture, git, git_env};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temp dir holding the fixture workspace; a git repository once
/// [`Repo::init`] has run.
struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    /// The fixture, not under git.
    fn plain() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&fixture("diff-base"), tmp.path());
        Repo { tmp }
    }

    /// The fixture, committed as the first revision.
    fn new() -> Repo {
        let r = Repo::plain();
        r.git(&["init", "-q"]);
        r.commit("base");
        r
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    /// Replaces `from` (which must occur) by `to` in `file`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn plan(&self, args: &[&str]) -> Run {
        let mut cmd = Command::cargo_bin("plan").unwrap();
        cmd.envs(git_env(self.path()))
            .env_remove("NO_COLOR")
            .args(["--color", "never", "-C"])
            .arg(self.path())
            .args(args);
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// `plan diff ARGS --lang en`, which must succeed; its lines.
    fn diff(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["--lang", "en", "diff"];
        all.extend_from_slice(args);
        let r = self.plan(&all);
        assert_eq!(r.code, 0, "stderr: {}", r.stderr);
        r.stdout.lines().map(str::to_owned).collect()
    }
}

const HEADER: &str = "plan P (plans/p.toml)";

#[test]
fn no_change() {
    let repo = Repo::new();
    assert_eq!(repo.diff(&["HEAD"]), ["no change in what the plans and logs say"]);
}

#[test]
fn formatting_is_not_a_change_in_meaning() {
    let repo = Repo::new();
    repo.edit(
        "plans/p.toml",
        "id = \"P\"\ntitle = \"Kế hoạch thử\"",
        "title = 'Kế hoạch thử'\nid = \"P\"",
    );
    repo.edit("plans/p.toml", "min = 2", "min   =   2   # two");
    // A filter list is a set: its order is not a change.
    repo.edit(
        "plans/p.toml",
        "kind = [\"dialogue\", \"training\"]",
        "kind = [\"training\", \"dialogue\"]",
    );
    repo.write(
        "logs/2023.csv",
        "ref,title,date,org,unit,kind,status,cost\r\n,Tập huấn,2023-04-01,HND,bat-xat,training,done,50000\r\nKH-2, Đối thoại lần 2 ,2023-03-01,HND,tinh,dialogue,planned,\r\nKH-1,Đối thoại lần 1,2023-02-01,MTTQ,tinh,dialogue,done,100000\r\n",
    );
    assert_eq!(repo.diff(&["HEAD"]), ["no change in what the plans and logs say"]);
}

#[test]
fn targets_added_removed_and_changed() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "min = 2", "min = 3");
    repo.edit(
        "plans/p.toml",
        "[[target]]\nid = \"training\"\ntitle = \"Tập huấn hằng năm\"\nkind = \"training\"\nper = \"year\"\nmin = 1\n",
        "[[target]]\nid = \"training-term\"\ntitle = \"Tập huấn cả giai đoạn\"\nkind = \"training\"\nper = \"term\"\nmin = 5\n",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            HEADER,
            "  - target training: \"Tập huấn hằng năm\"",
            "  + target training-term: \"Tập huấn cả giai đoạn\"",
            "  ~ target dialogue-province: min 2 → 3",
        ]
    );
}

#[test]
fn target_keys_changed() {
    let repo = Repo::new();
    repo.edit(
        "plans/p.toml",
        "levels = [\"province\"]\neach = [\"org\"]\nper = \"year\"",
        "per = \"half\"",
    );
    repo.edit(
        "plans/p.toml",
        "title = \"Tập huấn hằng năm\"",
        "title = \"Tập huấn\"\nyears = [2021, 2022]",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            HEADER,
            "  ~ target dialogue-province: levels [province] → —",
            "  ~ target dialogue-province: each [org] → —",
            "  ~ target dialogue-province: per year → half",
            "  ~ target training: title \"Tập huấn hằng năm\" → \"Tập huấn\"",
            "  ~ target training: years — → [2021, 2022]",
        ]
    );
}

#[test]
fn budget_changed() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "max = 1000000", "max = 2000000");
    assert_eq!(
        repo.diff(&["HEAD"]),
        [HEADER, "  ~ budget budget: max 1000000 → 2000000"]
    );
}

#[test]
fn org_renamed_unit_added_term_changed() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "HND = \"Hội Nông dân\"", "HND = \"Hội Nông dân tỉnh\"");
    repo.edit(
        "plans/p.toml",
        "[kinds]",
        "[units.sa-pa]\nname = \"Thị xã Sa Pa\"\nlevel = \"district\"\n\n[kinds]",
    );
    repo.edit("plans/p.toml", "end = 2025-12-31", "end = 2026-12-31");
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            HEADER,
            "  ~ term: 2021-01-01 – 2025-12-31 → 2021-01-01 – 2026-12-31",
            "  ~ org HND renamed: \"Hội Nông dân\" → \"Hội Nông dân tỉnh\"",
            "  + unit sa-pa: \"Thị xã Sa Pa\"",
        ]
    );
}

#[test]
fn orgs_units_kinds_fields_levels_added_removed_changed() {
    let repo = Repo::new();
    // Logs that stay valid under the new plan (diff refuses invalid inputs).
    repo.write(
        "logs/2023.csv",
        "date,org,unit,kind,status,title,ref,cost\n2023-02-01,MTTQ,tinh,dialogue,done,Đối thoại lần 1,KH-1,100000\n",
    );
    repo.commit("logs without HND");
    repo.edit("plans/p.toml", "HND = \"Hội Nông dân\"\n", "TD = \"Tỉnh đoàn\"\n");
    repo.edit(
        "plans/p.toml",
        "name = \"Huyện Bát Xát\"\nlevel = \"district\"",
        "name = \"Huyện Bát Xát\"\nlevel = \"district\"\nuntil = 2025-06-30",
    );
    repo.edit(
        "plans/p.toml",
        "training = \"Tập huấn\"",
        "training = { name = \"Tập huấn\", field = true }\n\n[fields]\nF1 = \"Nông nghiệp\"",
    );
    repo.edit(
        "plans/p.toml",
        "district = \"Cấp huyện\"",
        "district = \"Cấp huyện, thị xã\"",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            HEADER,
            "  - org HND: \"Hội Nông dân\"",
            "  + org TD: \"Tỉnh đoàn\"",
            "  ~ level district renamed: \"Cấp huyện\" → \"Cấp huyện, thị xã\"",
            "  ~ unit bat-xat: until — → 2025-06-30",
            "  ~ kind training: field false → true",
            "  + field F1: \"Nông nghiệp\"",
        ]
    );
}

#[test]
fn errors_in_the_logs_come_after_the_change() {
    // Issue 20: the change under review is shown, then the errors (exit 1).
    let repo = Repo::new();
    repo.edit("logs/2023.csv", "2023-02-01,MTTQ", "2023-02-01,MTQ");
    let run = repo.plan(&["diff", "HEAD"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("~ logs/2023.csv"), "{}", run.stdout);
    assert!(run.stderr.contains("lỗi[unknown-org]"), "{}", run.stderr);
    assert!(run.stderr.contains("logs/2023.csv:2:12"), "{}", run.stderr);
}

#[test]
fn log_rows_added_removed_changed() {
    let repo = Repo::new();
    repo.write(
        "logs/2023.csv",
        "date,org,unit,kind,status,title,ref,cost\n2023-02-01,MTTQ,tinh,dialogue,done,Đối thoại lần 1,KH-1,100000\n2023-03-01,HND,tinh,dialogue,done,Đối thoại lần 2,KH-2,20000\n2023-05-01,MTTQ,tinh,dialogue,done,Đối thoại lần 3,KH-3,\n",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            "logs",
            "  ~ logs/2023.csv: 1 row added, 1 row removed, 1 row changed",
            "      - 2023-04-01 HND bat-xat training done \"Tập huấn\"",
            "      + 2023-05-01 MTTQ tinh dialogue done \"Đối thoại lần 3\" (KH-3)",
            "      ~ KH-2: status planned → done; cost — → 20000",
        ]
    );
}

#[test]
fn log_files_added_and_removed() {
    let repo = Repo::new();
    fs::remove_file(repo.path().join("logs/2023.csv")).unwrap();
    repo.write(
        "logs/2024/hnd.csv",
        "date,org,unit,kind,status,title\n2024-02-01,HND,tinh,dialogue,planned,Đối thoại\n",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [
            "logs",
            "  - logs/2023.csv: file removed, 3 rows",
            "  + logs/2024/hnd.csv: new file, 1 row",
        ]
    );
}

#[test]
fn between_two_revisions() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "min = 2", "min = 3");
    repo.commit("three");
    repo.edit("plans/p.toml", "min = 3", "min = 4");
    assert_eq!(
        repo.diff(&["HEAD~1", "HEAD"]),
        [HEADER, "  ~ target dialogue-province: min 2 → 3"]
    );
    assert_eq!(
        repo.diff(&["HEAD~1"]),
        [HEADER, "  ~ target dialogue-province: min 2 → 4"]
    );
    assert_eq!(
        repo.diff(&["HEAD", "HEAD~1"]),
        [HEADER, "  ~ target dialogue-province: min 3 → 2"]
    );
}

#[test]
fn plans_added_and_removed() {
    let repo = Repo::new();
    let text = fs::read_to_string(repo.path().join("plans/p.toml")).unwrap();
    repo.write("plans/q.toml", &text.replace("id = \"P\"", "id = \"Q\""));
    assert_eq!(repo.diff(&["HEAD"]), ["+ plan Q (plans/q.toml)"]);
    repo.commit("q");
    fs::remove_file(repo.path().join("plans/q.toml")).unwrap();
    assert_eq!(repo.diff(&["HEAD"]), ["- plan Q (plans/q.toml)"]);
}

#[test]
fn vietnamese_by_default() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "min = 2", "min = 3");
    repo.edit("plans/p.toml", "HND = \"Hội Nông dân\"", "HND = \"Hội Nông dân tỉnh\"");
    repo.edit("logs/2023.csv", ",planned,", ",done,");
    let r = repo.plan(&["diff", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "kế hoạch P (plans/p.toml)\n  ~ tổ chức HND đổi tên: \"Hội Nông dân\" → \"Hội Nông dân tỉnh\"\n  ~ mục tiêu dialogue-province: min 2 → 3\nnhật ký\n  ~ logs/2023.csv: sửa 1 dòng\n      ~ KH-2: status planned → done\n"
    );
}

#[test]
fn json_output() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "min = 2", "min = 3");
    repo.edit("logs/2023.csv", ",planned,", ",done,");
    let r = repo.plan(&["diff", "HEAD", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["from"], "HEAD");
    assert_eq!(v["to"], serde_json::Value::Null);
    assert_eq!(v["from_commit"].as_str().unwrap().len(), 40);
    let change = &v["plans"][0]["changes"][0];
    assert_eq!(change["subject"], "target");
    assert_eq!(change["action"], "changed");
    assert_eq!(change["code"], "dialogue-province");
    assert_eq!(change["key"], "min");
    assert_eq!(change["old"], 2);
    assert_eq!(change["new"], 3);
    let log = &v["logs"][0];
    assert_eq!(log["file"], "logs/2023.csv");
    assert_eq!((log["added"].as_u64(), log["changed"].as_u64()), (Some(0), Some(1)));
    assert_eq!(log["rows"][0]["ref"], "KH-2");
    assert_eq!(log["rows"][0]["cells"][0]["column"], "status");
    // Deterministic: the same run gives the same bytes.
    assert_eq!(repo.plan(&["diff", "HEAD", "--format", "json"]).stdout, r.stdout);
}

#[test]
fn outside_a_git_repository_is_exit_2() {
    let repo = Repo::plain();
    let r = repo.plan(&["--lang", "en", "diff", "HEAD"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not inside a git repository"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn unknown_revision_is_exit_2() {
    let repo = Repo::new();
    for rev in ["no-such-branch", "HEAD~5"] {
        let r = repo.plan(&["--lang", "en", "diff", rev]);
        assert_eq!(r.code, 2, "{rev}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("unknown revision `{rev}`")), "{}", r.stderr);
    }
    let r = repo.plan(&["--lang", "en", "diff", "HEAD", "nope"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_plan_with_errors_stops_the_diff() {
    let repo = Repo::new();
    repo.edit("plans/p.toml", "min = 2", "mni = 2");
    let r = repo.plan(&["--lang", "en", "diff", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown-key"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    // The same error in the old revision, named by it.
    repo.commit("broken");
    repo.edit("plans/p.toml", "mni = 2", "min = 2");
    let r = repo.plan(&["--lang", "en", "diff", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("HEAD:plans/p.toml"), "{}", r.stderr);
}

#[test]
fn between_two_revisions_a_dotted_glob_finds_the_same_logs() {
    // The working tree reads `./logs/*.csv` as `logs/*.csv`; a committed
    // revision must too, or its row changes are silently lost.
    let repo = Repo::new();
    repo.edit(
        "plans/p.toml",
        "logs = [\"logs/**/*.csv\"]",
        "logs = [\"./logs//**/*.csv\"]",
    );
    repo.commit("dotted glob");
    repo.edit("logs/2023.csv", "Tập huấn", "Tập huấn kỹ năng");
    repo.commit("title");
    let lines = repo.diff(&["HEAD~1", "HEAD"]);
    assert_eq!(lines.first().map(String::as_str), Some("logs"), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("logs/2023.csv: 1 row added, 1 row removed")),
        "{lines:?}"
    );
}

#[test]
fn a_committed_glob_out_of_the_workspace_stops_the_diff() {
    let repo = Repo::new();
    repo.edit(
        "plans/p.toml",
        "logs = [\"logs/**/*.csv\"]",
        "logs = [\"logs/**/*.csv\", \"../x/*.csv\"]",
    );
    repo.commit("escaping glob");
    repo.edit("plans/p.toml", "min = 2", "min = 3");
    repo.commit("three");
    let r = repo.plan(&["--lang", "en", "diff", "HEAD~1", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("error[glob-escape]"), "{}", r.stderr);
    assert!(r.stderr.contains("HEAD~1:plans/p.toml"), "{}", r.stderr);
}

#[test]
fn reordering_organisations_is_a_change_tables_follow_it() {
    let repo = Repo::new();
    repo.edit(
        "plans/p.toml",
        "MTTQ = \"Ủy ban Mặt trận Tổ quốc\"\nHND = \"Hội Nông dân\"",
        "HND = \"Hội Nông dân\"\nMTTQ = \"Ủy ban Mặt trận Tổ quốc\"",
    );
    assert_eq!(
        repo.diff(&["HEAD"]),
        [HEADER, "  ~ org: order [MTTQ, HND] → [HND, MTTQ]"]
    );
}
