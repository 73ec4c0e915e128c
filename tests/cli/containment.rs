//! Containment and walking (issue 15, items 1 and 6): nothing outside the
//! workspace is read, printed or rewritten through a symbolic link found in
//! it or committed in git (`path-escape`, naming the link); a log folder
//! that cannot be listed is an `io` error (exit 2), never skipped; a log
//! whose file name is not UTF-8 is a `bad-path` error, never ignored.
//!
//! Links are made at run time in temporary directories.

#![cfg(unix)]

use crate::common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command as Std, Output};

use crate::common::{HEADER, TempWs, at, base_plan, git, git_env, plan};

const AT: [&str; 2] = ["--at", "2023-12-31"];
const SECRET: &str = "SECRET_TOKEN=ghp_x";

/// Everything a run printed, lossily.
fn printed(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The base plan, valid but not in canonical form (`fmt` would rewrite it).
fn untidy_plan() -> String {
    let text = base_plan().replacen("id = \"X\"", "id   =   \"X\"", 1);
    assert_ne!(text, base_plan());
    text
}

/// A valid log row whose title is `title`.
fn log_with(title: &str) -> String {
    format!("{HEADER}\n2023-03-15,MTTQ,tinh,dialogue,done,{title},,,,,,,\n")
}

/// `fmt` would really rewrite `text` as a plan: so a test showing it did
/// not rewrite the file outside proves something.
fn assert_fmt_would_rewrite_plan(text: &str) {
    let ws = TempWs::with_plan(text);
    let out = ws.run(&["fmt", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("plans/x.toml"));
}

/// The commands that read plans, each with what it needs to run.
const COMMANDS: [&[&str]; 5] = [
    &["check", "--at", "2023-12-31"],
    &["status", "--at", "2023-12-31"],
    &["report", "--year", "2023", "--format", "md"],
    &["fmt", "--check"],
    &["fmt"],
];

// ---- plan files and plans/ through links ----

#[test]
fn a_plan_linked_to_a_secret_is_refused_by_every_command_and_never_printed() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("s.env"), format!("{SECRET}\n")).unwrap();
    let ws = TempWs::new();
    ws.write("logs/a.csv", log_with("T").as_bytes());
    symlink(outside.path().join("s.env"), ws.path().join("plans/evil.toml")).unwrap();
    for args in COMMANDS {
        let mut args = args.to_vec();
        if args[0] != "check" && !args.contains(&"fmt") {
            args.splice(0..0, ["--plan", "evil"]);
        }
        let out = ws.run(&args);
        let all = printed(&out);
        assert!(!all.contains("SECRET_TOKEN"), "{args:?} printed the secret:\n{all}");
        assert!(all.contains("error[path-escape]"), "{args:?}:\n{all}");
        assert!(all.contains("--> plans/evil.toml"), "{args:?}:\n{all}");
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{all}");
    }
    assert_eq!(
        fs::read_to_string(outside.path().join("s.env")).unwrap(),
        format!("{SECRET}\n")
    );
    // JSON names the link, not its target.
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("path-escape", "plans/evil.toml", 0, 0)]);
    assert!(run.messages()[0].contains("`plans/evil.toml`"), "{:?}", run.messages());
    assert!(!run.stdout.contains(outside.path().to_str().unwrap()), "{}", run.stdout);
}

#[test]
fn a_plan_linked_to_the_process_environment_is_not_read() {
    let ws = TempWs::new();
    symlink("/proc/self/environ", ws.path().join("plans/env.toml")).unwrap();
    // A link to a folder outside is said too, not passed over.
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), ws.path().join("plans/dir.toml")).unwrap();
    let out = plan()
        .env("PLAN_TEST_MARKER", "marker-0451-in-the-environment")
        .arg("-C")
        .arg(ws.path())
        .args(["check", "--at", "2023-12-31"])
        .output()
        .unwrap();
    let all = printed(&out);
    assert!(!all.contains("marker-0451"), "the environment was printed:\n{all}");
    assert!(all.contains("error[path-escape]: `plans/env.toml`"), "{all}");
    assert!(all.contains("error[path-escape]: `plans/dir.toml`"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
}

#[test]
fn a_plans_folder_linked_outside_is_refused_and_nothing_in_it_is_rewritten() {
    let outside = tempfile::tempdir().unwrap();
    let untidy = untidy_plan();
    assert_fmt_would_rewrite_plan(&untidy);
    fs::write(outside.path().join("x.toml"), &untidy).unwrap();
    let ws = tempfile::tempdir().unwrap();
    fs::create_dir(ws.path().join("logs")).unwrap();
    fs::write(ws.path().join("logs/a.csv"), log_with("T")).unwrap();
    symlink(outside.path(), ws.path().join("plans")).unwrap();
    for args in COMMANDS {
        let out = plan().arg("-C").arg(ws.path()).args(args).output().unwrap();
        let all = printed(&out);
        assert!(all.contains("error[path-escape]: `plans`"), "{args:?}:\n{all}");
        assert!(!all.contains("Kế hoạch thử nghiệm"), "{args:?} read the plan:\n{all}");
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{all}");
        assert_eq!(
            fs::read_to_string(outside.path().join("x.toml")).unwrap(),
            untidy,
            "{args:?}"
        );
    }
    // `--plan` naming a plan that cannot be found says why.
    let out = plan()
        .arg("-C")
        .arg(ws.path())
        .args(["--plan", "X", "status"])
        .output()
        .unwrap();
    assert!(
        printed(&out).contains("error[path-escape]: `plans`"),
        "{}",
        printed(&out)
    );
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn fmt_does_not_rewrite_a_plan_outside_through_a_linked_plan_file() {
    let outside = tempfile::tempdir().unwrap();
    let untidy = untidy_plan();
    assert_fmt_would_rewrite_plan(&untidy);
    fs::write(outside.path().join("x.toml"), &untidy).unwrap();
    let ws = TempWs::new();
    fs::remove_file(ws.path().join("plans/x.toml")).unwrap();
    symlink(outside.path().join("x.toml"), ws.path().join("plans/x.toml")).unwrap();
    let out = ws.run(&["fmt"]);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    assert!(
        printed(&out).contains("error[path-escape]: `plans/x.toml`"),
        "{}",
        printed(&out)
    );
    assert_eq!(fs::read_to_string(outside.path().join("x.toml")).unwrap(), untidy);
    assert!(ws.path().join("plans/x.toml").is_symlink());
}

#[test]
fn links_that_stay_inside_the_workspace_are_followed() {
    let ws = TempWs::new();
    ws.write("config/x.toml", base_plan().as_bytes());
    fs::remove_file(ws.path().join("plans/x.toml")).unwrap();
    symlink("../config/x.toml", ws.path().join("plans/x.toml")).unwrap();
    ws.write("data/a.csv", log_with("Linked inside").as_bytes());
    symlink("../data/a.csv", ws.path().join("logs/a.csv")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = ws.run(&["status", "--at", "2023-12-31", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    // `plans` itself linked to a folder inside.
    let ws2 = tempfile::tempdir().unwrap();
    fs::create_dir_all(ws2.path().join("config/plans")).unwrap();
    fs::write(ws2.path().join("config/plans/x.toml"), base_plan()).unwrap();
    fs::create_dir(ws2.path().join("logs")).unwrap();
    fs::write(ws2.path().join("logs/a.csv"), log_with("T")).unwrap();
    symlink("config/plans", ws2.path().join("plans")).unwrap();
    let run = common::check_json(ws2.path(), &AT);
    assert_eq!(run.places(), vec![]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// ---- logs through links ----

#[test]
fn a_log_or_log_folder_linked_outside_is_named_and_never_read_or_rewritten() {
    let outside = tempfile::tempdir().unwrap();
    // CRLF: not canonical, so `fmt` would rewrite it if it reached it.
    let secret_log = log_with("SECRET-ROW-TITLE").replace('\n', "\r\n");
    fs::write(outside.path().join("evil.csv"), &secret_log).unwrap();
    let ws = TempWs::with_plan(&base_plan().replace(
        "logs = [\"logs/*.csv\"]",
        "logs = [\n  \"logs/*.csv\",\n  \"linked/*.csv\",\n]",
    ));
    ws.write("logs/a.csv", log_with("T").as_bytes());
    symlink(outside.path().join("evil.csv"), ws.path().join("logs/evil.csv")).unwrap();
    symlink(outside.path(), ws.path().join("linked")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(
        run.places(),
        vec![
            at("path-escape", "plans/x.toml", 11, 3),
            at("path-escape", "plans/x.toml", 12, 3)
        ]
    );
    let m = run.messages();
    assert!(m[0].contains("`logs/*.csv` reaches `logs/evil.csv`"), "{m:?}");
    assert!(m[1].contains("`linked/*.csv` reaches `linked`"), "{m:?}");
    for args in [
        &["status", "--at", "2023-12-31"][..],
        &["report", "--year", "2023", "--format", "md"],
        &["fmt", "--check"],
        &["fmt"],
        &["check"],
    ] {
        let out = ws.run(args);
        let all = printed(&out);
        assert!(!all.contains("SECRET-ROW-TITLE"), "{args:?}:\n{all}");
        assert!(all.contains("error[path-escape]"), "{args:?}:\n{all}");
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{all}");
    }
    assert_eq!(fs::read_to_string(outside.path().join("evil.csv")).unwrap(), secret_log);
}

#[test]
fn a_log_folder_above_the_glob_linked_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir(outside.path().join("logs")).unwrap();
    fs::write(outside.path().join("logs/a.csv"), log_with("SECRET-ROW-TITLE")).unwrap();
    let ws = TempWs::with_plan(&base_plan().replace("logs = [\"logs/*.csv\"]", "logs = [\"ext/logs/*.csv\"]"));
    symlink(outside.path(), ws.path().join("ext")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("path-escape", "plans/x.toml", 10, 9)]);
    assert!(run.messages()[0].contains("reaches `ext`:"), "{:?}", run.messages());
    assert!(!run.stdout.contains("SECRET"));
}

// ---- walking ----

/// A folder under `logs/` so deep that its path passes `PATH_MAX`: listing
/// it fails (ENAMETOOLONG) even for root, for whom mode 000 means nothing.
fn too_deep(ws: &Path) -> PathBuf {
    let mut deep = ws.join("logs/deep");
    for _ in 0..45 {
        deep.push("d".repeat(99));
    }
    // `mkdir -p` creates it step by step; one absolute path would be refused.
    let status = Std::new("mkdir").arg("-p").arg(&deep).status().unwrap();
    assert!(status.success());
    deep
}

#[test]
fn a_log_folder_that_cannot_be_listed_is_an_io_error_exit_2() {
    let ws = TempWs::new();
    ws.write("logs/a.csv", log_with("T").as_bytes());
    too_deep(ws.path());
    let run = common::check_json(ws.path(), &AT);
    assert_eq!(run.code, 2, "{:#?}", run.diags);
    assert_eq!(run.places().len(), 1, "{:#?}", run.diags);
    assert_eq!(run.places()[0].0, "io");
    assert!(run.messages()[0].contains("`logs/deep/ddd"), "{:?}", run.messages());
    for args in [
        &["status", "--at", "2023-12-31"][..],
        &["report", "--year", "2023", "--format", "md"],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", printed(&out));
        assert!(printed(&out).contains("error[io]"), "{args:?}: {}", printed(&out));
    }
}

/// Mode 000, as the issue reproduced it: meaningful only when not root
/// (root reads such a folder; the test above covers that case).
#[test]
fn an_unreadable_log_folder_is_an_io_error_when_not_root() {
    use std::os::unix::fs::PermissionsExt;
    let ws = TempWs::new();
    ws.write("logs/a.csv", log_with("T").as_bytes());
    ws.write("logs/locked/b.csv", log_with("U").as_bytes());
    let locked = ws.path().join("logs/locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read_dir(&locked).is_ok();
    let out = ws.run(&["check", "--at", "2023-12-31"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        eprintln!("running as root: mode 000 does not stop listing; see the PATH_MAX test");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    assert!(printed(&out).contains("error[io]"), "{}", printed(&out));
    assert!(printed(&out).contains("logs/locked"), "{}", printed(&out));
}

// ---- file names that are not UTF-8 ----

fn bad_name() -> &'static OsStr {
    OsStr::from_bytes(b"logs/b\xff.csv")
}

#[test]
fn a_log_named_in_another_encoding_is_a_bad_path_error() {
    let ws = TempWs::new();
    ws.write("logs/a.csv", log_with("T").as_bytes());
    fs::write(ws.path().join(bad_name()), log_with("U")).unwrap();
    let run = ws.check(&AT);
    assert_eq!(run.places(), vec![at("bad-path", "plans/x.toml", 10, 9)]);
    assert!(run.messages()[0].contains("`logs/b\\xFF.csv`"), "{:?}", run.messages());
    assert_eq!(run.code, 1);
    for args in [
        &["status", "--at", "2023-12-31"][..],
        &["report", "--year", "2023", "--format", "md"],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", printed(&out));
        assert!(printed(&out).contains("error[bad-path]"), "{args:?}: {}", printed(&out));
    }
}

// ---- plan diff: committed links and names ----

/// A git repository holding the check-clean workspace, committed.
struct Repo {
    ws: TempWs,
}

impl Repo {
    fn new() -> Repo {
        let ws = TempWs::new();
        ws.write("logs/a.csv", log_with("T").as_bytes());
        let r = Repo { ws };
        r.git(&["init", "-q"]);
        r.commit("base");
        r
    }

    fn path(&self) -> &Path {
        self.ws.path()
    }

    fn git(&self, args: &[&str]) {
        git(self.path(), args);
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    fn diff(&self, args: &[&str]) -> Output {
        plan()
            .envs(git_env(self.path()))
            .arg("-C")
            .arg(self.path())
            .arg("diff")
            .args(args)
            .output()
            .unwrap()
    }
}

#[test]
fn diff_refuses_a_committed_plan_link() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("s.env"), format!("{SECRET}\n")).unwrap();
    let repo = Repo::new();
    symlink(outside.path().join("s.env"), repo.path().join("plans/evil.toml")).unwrap();
    repo.commit("a link");
    // Between two revisions: the working tree plays no part.
    fs::remove_file(repo.path().join("plans/evil.toml")).unwrap();
    let out = repo.diff(&["HEAD~1", "HEAD"]);
    let all = printed(&out);
    assert!(!all.contains("SECRET_TOKEN"), "{all}");
    assert!(all.contains("error[path-escape]: `HEAD:plans/evil.toml`"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
}

#[test]
fn diff_refuses_a_committed_plans_folder_link() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.toml"), untidy_plan()).unwrap();
    let repo = Repo::new();
    fs::remove_dir_all(repo.path().join("plans")).unwrap();
    symlink(outside.path(), repo.path().join("plans")).unwrap();
    repo.commit("plans linked");
    let out = repo.diff(&["HEAD~1", "HEAD"]);
    let all = printed(&out);
    assert!(all.contains("error[path-escape]: `HEAD:plans`"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
}

#[test]
fn diff_refuses_committed_log_links_inside_or_out() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("evil.csv"), log_with("SECRET-ROW-TITLE")).unwrap();
    let repo = Repo::new();
    symlink(outside.path().join("evil.csv"), repo.path().join("logs/evil.csv")).unwrap();
    // A link inside is refused too: `diff` follows no link in a revision.
    symlink("a.csv", repo.path().join("logs/same.csv")).unwrap();
    repo.commit("links");
    fs::remove_file(repo.path().join("logs/evil.csv")).unwrap();
    let out = repo.diff(&["HEAD~1", "HEAD"]);
    let all = printed(&out);
    assert!(!all.contains("SECRET-ROW-TITLE"), "{all}");
    assert!(all.contains("error[path-escape]"), "{all}");
    assert!(all.contains("reaches `HEAD:logs/evil.csv`"), "{all}");
    assert!(all.contains("reaches `HEAD:logs/same.csv`"), "{all}");
    assert!(all.contains("--> HEAD:plans/x.toml:10"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
}

#[test]
fn diff_refuses_a_committed_log_folder_link() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("a.csv"), log_with("SECRET-ROW-TITLE")).unwrap();
    let repo = Repo::new();
    fs::remove_dir_all(repo.path().join("logs")).unwrap();
    symlink(outside.path(), repo.path().join("logs")).unwrap();
    repo.commit("logs linked");
    let out = repo.diff(&["HEAD~1", "HEAD"]);
    let all = printed(&out);
    assert!(!all.contains("SECRET-ROW-TITLE"), "{all}");
    assert!(all.contains("reaches `HEAD:logs`"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
}

#[test]
fn diff_does_not_say_no_change_for_a_log_named_in_another_encoding() {
    let repo = Repo::new();
    fs::write(repo.path().join(bad_name()), log_with("U")).unwrap();
    repo.commit("bad name");
    let mut text = log_with("U");
    text.push_str("2023-03-16,MTTQ,tinh,dialogue,done,V,,,,,,,\n");
    fs::write(repo.path().join(bad_name()), text).unwrap();
    let out = repo.diff(&["HEAD"]);
    let all = printed(&out);
    assert!(all.contains("error[bad-path]"), "{all}");
    assert!(all.contains("`logs/b\\xFF.csv`"), "{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
    // Between two revisions too.
    let out = repo.diff(&["HEAD~1", "HEAD"]);
    assert!(
        printed(&out).contains("error[bad-path]: the logs glob `logs/*.csv` reaches `HEAD:logs/b\\xFF.csv`"),
        "{}",
        printed(&out)
    );
    assert_eq!(out.status.code(), Some(1));
}
