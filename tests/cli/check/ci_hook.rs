//! The shipped pre-commit hook (`examples/ci/pre-commit`) in a repository
//! whose workspace is a subfolder: it checks what is staged (not the working
//! tree), and does nothing for a commit that touches no plan or log.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

const GOOD: &str = "2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị,,,,,,,\n";
const BAD: &str = "15/03/2023,MTTQ,tinh,dialogue,done,Hội nghị,,,,,,,\n";

struct Repo(tempfile::TempDir);

impl Repo {
    /// A repository with the shared plan in `programme/`, one clean log, committed.
    fn new() -> Repo {
        let r = Repo(tempfile::tempdir().unwrap());
        r.write("programme/plans/x.toml", &common::base_plan());
        r.write("programme/logs/a.csv", &format!("{}\n{GOOD}", common::HEADER));
        r.write("README.md", "hello\n");
        r.git(&["init", "-q"]);
        r.git(&["add", "-A"]);
        r.git(&["commit", "-q", "-m", "base"]);
        r
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        common::git(self.0.path(), args);
    }

    /// Runs the hook with `plan` on the PATH (or not).
    fn hook(&self, with_plan: bool) -> (i32, String) {
        let bin: PathBuf = assert_cmd::cargo::cargo_bin("plan").parent().unwrap().to_path_buf();
        let path = if with_plan {
            format!("{}:/usr/bin:/bin", bin.display())
        } else {
            "/usr/bin:/bin".to_owned()
        };
        let out = Command::new("sh")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/pre-commit"))
            .current_dir(self.0.path())
            .env("PATH", path)
            .envs(common::git_env(self.0.path()))
            .env("PLAN_LANG", "en")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        (out.status.code().unwrap(), text)
    }
}

#[test]
fn a_bad_staged_log_is_refused_though_the_working_tree_is_fixed() {
    let repo = Repo::new();
    repo.write("programme/logs/a.csv", &format!("{}\n{BAD}", common::HEADER));
    repo.git(&["add", "programme/logs/a.csv"]);
    repo.write("programme/logs/a.csv", &format!("{}\n{GOOD}", common::HEADER)); // fixed, not staged
    let (code, out) = repo.hook(true);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bad-date") && out.contains("in programme"), "{out}");
}

#[test]
fn a_good_staged_log_passes_though_the_working_tree_is_broken() {
    let repo = Repo::new();
    repo.write("programme/logs/b.csv", &format!("{}\n{GOOD}", common::HEADER));
    repo.git(&["add", "programme/logs/b.csv"]);
    repo.write("programme/logs/b.csv", &format!("{}\n{BAD}", common::HEADER)); // broken, not staged
    let (code, out) = repo.hook(true);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_commit_without_plans_or_logs_is_not_checked() {
    let repo = Repo::new();
    // A README commit runs nothing...
    repo.write("README.md", "changed\n");
    repo.git(&["add", "README.md"]);
    let (code, out) = repo.hook(true);
    assert_eq!((code, out.as_str()), (0, ""));
    // ...and a log commit without `plan` installed is let through, said so.
    repo.write("programme/logs/a.csv", &format!("{}\n{BAD}", common::HEADER));
    repo.git(&["add", "-A"]);
    let (code, out) = repo.hook(false);
    assert_eq!(code, 0);
    assert!(out.contains("not on the PATH"), "{out}");
}

#[test]
fn the_pre_commit_framework_finds_hooks_at_the_root() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    for needle in [
        "- id: plan-check",
        "entry: plan check",
        "- id: plan-fmt",
        "entry: plan fmt --check",
        "pass_filenames: false",
        "files: '(^|/)plans/[^/]+\\.toml$|\\.csv$'",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    assert_eq!(text.matches("pass_filenames: false").count(), 2);
}
