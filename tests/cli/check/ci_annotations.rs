//! Annotations for CI services: paths from the git repository's root (a
//! workspace in a subfolder), the span's end, the workflow-command syntax
//! never translated, and GitLab fingerprints unique and the same in every
//! language.

use crate::common;

/// A git repository with the shared plan in `programme/` and `log` as its log.
fn repo(log: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("programme");
    std::fs::create_dir_all(ws.join("plans")).unwrap();
    std::fs::create_dir_all(ws.join("logs")).unwrap();
    std::fs::write(ws.join("plans/x.toml"), common::base_plan()).unwrap();
    std::fs::write(ws.join("logs/a.csv"), log).unwrap();
    common::git(dir.path(), &["init", "-q"]);
    dir
}

fn check(dir: &std::path::Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("PLAN_LANG")
        .envs(common::git_env(dir))
        .arg("-C")
        .arg(dir.join("programme"))
        .args(["check", "--at", "2024-01-01"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn github_annotations_name_repository_paths_with_the_span() {
    let dir = repo(&format!(
        "{}\n15/03/2023,MTTQ,tinh,dialogue,done,A,,,,,,,\n",
        common::HEADER
    ));
    // Vietnamese by default: the command syntax stays GitHub's.
    let out = check(dir.path(), &["--format", "github"]);
    assert!(
        out.starts_with("::error file=programme/logs/a.csv,line=2,endLine=2,col=1,endColumn=10,title=bad-date::[bad-date] `15/03/2023` không phải ngày ISO"),
        "{out}"
    );
}

#[test]
fn gitlab_fingerprints_are_unique_and_language_independent() {
    // Many problems, several at the same line, column and code.
    let mut log = format!("{}\n", common::HEADER);
    for i in 0..10 {
        log.push_str(&format!("2023-03-{:02},MTX,tinh,dialogue,done,A,,,,,,,\n", i + 1));
        log.push_str("2023-03-01,MTX,tinh,dialogue,done,A,,,,,,,\n");
    }
    log.push_str("2023-03-01,MTX,tinh,dialogue,done,A,,,,,,,\n");
    let dir = repo(&log);
    let issues = |lang: &str| -> Vec<serde_json::Value> {
        serde_json::from_str(&check(dir.path(), &["--lang", lang, "--format", "gitlab"])).unwrap()
    };
    let (vi, en) = (issues("vi"), issues("en"));
    assert!(vi.len() >= 21, "{}", vi.len());
    let prints: std::collections::BTreeSet<&str> = vi.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), vi.len(), "one fingerprint per issue");
    for (a, b) in vi.iter().zip(&en) {
        assert_eq!(a["fingerprint"], b["fingerprint"]);
        assert_ne!(a["description"], b["description"]);
    }
    assert_eq!(vi[0]["location"]["path"], "programme/logs/a.csv");
    assert_eq!(vi[0]["check_name"], "unknown-org");
}
