//! The safe writer seen from the command line (`plan fmt`, `report -o`):
//! planted links are not followed, a file changed meanwhile is not
//! overwritten, hard links and owners are respected, signals leave nothing
//! behind and leftovers of a killed run are named.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TempWs, plan, stderr_of as stderr};

const TEMP_PREFIX: &str = ".plan-tmp-";

/// The temporary files of the writer in `dir`.
fn temps(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(TEMP_PREFIX))
        .collect();
    v.sort();
    v
}

/// A valid log of `rows` rows in no particular order (so `fmt` must sort
/// it), from a fixed-seed generator.
fn unsorted_log(rows: usize) -> String {
    let mut out = String::from("date,org,unit,kind,status,title\n");
    let mut x: u64 = 0x15b;
    for i in 0..rows {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let month = (x >> 33) % 12 + 1;
        let day = (x >> 45) % 28 + 1;
        out.push_str(&format!("2023-{month:02}-{day:02},MTTQ,tinh,dialogue,done,Hàng {i}\n"));
    }
    out
}

/// `report -o` into `dir/r.md` of a fresh workspace.
fn report_into(ws: &TempWs, out: &Path) -> std::process::Output {
    plan()
        .arg("-C")
        .arg(ws.path())
        .args(["report", "--half", "2023H1", "-o"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn report_o_never_follows_a_link_planted_at_a_temporary_name() {
    let ws = TempWs::new();
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    let out_dir = ws.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    // The old predictable name `.r.md.PID.tmp` for the next few thousand
    // process ids, and names in the new writer's pattern.
    let mut probe = Command::new("true").spawn().unwrap();
    let next = probe.id();
    probe.wait().unwrap();
    for pid in next..next + 3000 {
        symlink(&victim, out_dir.join(format!(".r.md.{pid}.tmp"))).unwrap();
    }
    for i in 0..50 {
        symlink(&victim, out_dir.join(format!("{TEMP_PREFIX}{i:012}.tmp"))).unwrap();
    }
    let run = report_into(&ws, &out_dir.join("r.md"));
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    let meta = fs::symlink_metadata(out_dir.join("r.md")).unwrap();
    assert!(meta.is_file(), "r.md must be a fresh regular file");
    assert!(
        fs::read_to_string(out_dir.join("r.md"))
            .unwrap()
            .contains("first half of 2023")
    );
    // The planted names are the ones the run found: named, not touched.
    assert!(
        stderr(&run).contains(&format!("{TEMP_PREFIX}000000000049.tmp")),
        "{}",
        stderr(&run)
    );
    assert_eq!(temps(&out_dir).len(), 50);
}

#[test]
fn report_o_writes_through_a_link_the_user_names() {
    let ws = TempWs::new();
    let real = ws.path().join("real.md");
    fs::write(&real, "old").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o604)).unwrap();
    let link = ws.path().join("link.md");
    symlink(&real, &link).unwrap();
    let run = report_into(&ws, &link);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(&real).unwrap().contains("first half of 2023"));
    assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o7777, 0o604);
    assert!(temps(ws.path()).is_empty());
}

#[test]
fn fmt_keeps_the_mode_and_refuses_a_hard_linked_file() {
    let ws = TempWs::new();
    let log = unsorted_log(5);
    ws.write("logs/a.csv", log.as_bytes());
    let a = ws.path().join("logs/a.csv");
    fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).unwrap();
    let other = ws.path().join("copy-elsewhere.csv");
    fs::hard_link(&a, &other).unwrap();

    let run = ws.run(&["fmt"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("logs/a.csv: cannot write the file: the file has 2 names (hard links)"));
    assert_eq!(fs::read_to_string(&a).unwrap(), log);
    assert_eq!(fs::read_to_string(&other).unwrap(), log);
    assert!(temps(&ws.path().join("logs")).is_empty());

    fs::remove_file(&other).unwrap();
    let run = ws.run(&["fmt"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_ne!(fs::read_to_string(&a).unwrap(), log);
    assert_eq!(fs::metadata(&a).unwrap().permissions().mode() & 0o7777, 0o640);
}

/// Run as root (as CI is), `fmt` keeps another user's file theirs; an
/// ordinary user cannot give a file away, so there the write is refused.
#[test]
fn fmt_keeps_or_refuses_another_users_file() {
    let ws = TempWs::new();
    let log = unsorted_log(5);
    ws.write("logs/a.csv", log.as_bytes());
    let a = ws.path().join("logs/a.csv");
    let root = fs::metadata(&a).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&a, Some(12345), Some(12346)).unwrap();
        let run = ws.run(&["fmt"]);
        assert!(run.status.success(), "{}", stderr(&run));
        let meta = fs::metadata(&a).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (12345, 12346));
        assert_ne!(fs::read_to_string(&a).unwrap(), log);
    } else {
        // A file in a directory we own, owned by someone else: only root
        // can make one; here the branch above is what runs in CI.
        eprintln!("not root: the refusal branch is covered by the unit tests' owner check");
    }
}

/// Starts `plan -C ws fmt` on a big unsorted log and waits until its
/// temporary file exists. `None` when the run finished first.
fn fmt_until_temp(ws: &Path, lang: &str) -> Option<Child> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("plan"))
        .args(["--lang", lang, "--color", "never", "-C"])
        .arg(ws)
        .arg("fmt")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let logs = ws.join("logs");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if !temps(&logs).is_empty() {
            return Some(child);
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no temporary file appeared");
}

/// A workspace whose log takes `fmt` long enough to be caught mid-write
/// (bigger on each try, for a fast machine), and the run caught.
fn caught_mid_write() -> (TempWs, String, Child) {
    for rows in [100_000, 400_000, 1_600_000] {
        let ws = TempWs::new();
        let log = unsorted_log(rows);
        ws.write("logs/a.csv", log.as_bytes());
        if let Some(child) = fmt_until_temp(ws.path(), "en") {
            return (ws, log, child);
        }
    }
    panic!("fmt always finished before it could be caught");
}

#[test]
fn a_row_appended_while_fmt_runs_is_not_lost() {
    let (ws, log, child) = caught_mid_write();
    let a = ws.path().join("logs/a.csv");
    let row = "2023-12-31,MTTQ,tinh,dialogue,done,Thêm trong lúc fmt chạy\n";
    fs::OpenOptions::new()
        .append(true)
        .open(&a)
        .and_then(|mut f| std::io::Write::write_all(&mut f, row.as_bytes()))
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("logs/a.csv: cannot write the file: the file changed while `plan` was working on it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), format!("{log}{row}"));
    assert!(temps(&ws.path().join("logs")).is_empty());
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

#[test]
fn sigterm_and_sigint_during_fmt_remove_the_temporary_file() {
    for (name, code) in [("TERM", 143), ("INT", 130)] {
        let (ws, log, child) = caught_mid_write();
        signal(&child, name);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "SIG{name}: {}", stderr(&out));
        assert!(
            temps(&ws.path().join("logs")).is_empty(),
            "SIG{name} left a temporary file"
        );
        // The log as it was, or (when the signal came just after the
        // rename) whole and sorted: never part of it.
        let now = fs::read_to_string(ws.path().join("logs/a.csv")).unwrap();
        assert!(now == log || now == sorted(&log), "SIG{name} left part of the log");
    }
}

/// What `fmt` makes of [`unsorted_log`]: its rows in order (compared as
/// whole lines, as their cells compare here).
fn sorted(log: &str) -> String {
    let mut lines: Vec<&str> = log.lines().collect();
    if let Some(rows) = lines.get_mut(1..) {
        rows.sort_unstable();
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_leftover_of_a_killed_run_is_named_by_the_next_run() {
    let (ws, log, mut child) = caught_mid_write();
    // kill -9: nothing can remove the temporary file.
    child.kill().unwrap();
    child.wait().unwrap();
    let logs = ws.path().join("logs");
    let left = temps(&logs);
    assert_eq!(left.len(), 1);
    let name = left[0].file_name().unwrap().to_string_lossy().into_owned();
    for lang in ["en", "vi"] {
        let out = Command::new(assert_cmd::cargo::cargo_bin("plan"))
            .args(["--lang", lang, "--color", "never", "-C"])
            .arg(ws.path())
            .args(["fmt", "--check"])
            .output()
            .unwrap();
        let err = stderr(&out);
        let words = if lang == "en" {
            "a temporary file left by a `plan` run that was killed"
        } else {
            "tệp tạm do một lần chạy `plan` bị ngắt giữa chừng để lại"
        };
        assert!(err.contains(&format!("logs/{name}: {words}")), "{err}");
        assert_eq!(out.status.code(), Some(1), "{err}");
    }
    // Reported, never deleted (it could be another run's live file).
    assert_eq!(temps(&logs), left);
    assert_eq!(fs::read_to_string(logs.join("a.csv")).unwrap(), log);
}

/// When the system will not start another thread (here a user allowed one
/// process, through `prlimit`), `check`, `status` and `fmt` still run, the
/// work of each thread done on the one there is, and give what they give
/// on many. Run as root (as CI is), to become a user with no process of
/// its own; skipped otherwise.
#[test]
fn commands_run_on_one_thread_when_no_other_can_start() {
    let ws = TempWs::new();
    // Over 4 MiB: cut into pieces, each read on a thread of its own.
    let log = unsorted_log(120_000);
    assert!(log.len() > 4 << 20);
    ws.write("logs/a.csv", log.as_bytes());
    let root = fs::metadata(ws.path()).unwrap().uid() == 0;
    let tools = ["setpriv", "prlimit"]
        .iter()
        .all(|t| Command::new(t).arg("--version").output().is_ok());
    if !root || !tools {
        eprintln!("skipped: needs root, setpriv and prlimit");
        return;
    }
    // Another user, allowed one process, which `plan` then is; `plan`
    // copied where that user may run it (the build may be in a private
    // directory).
    let nobody = 65_534;
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("plan");
    fs::copy(assert_cmd::cargo::cargo_bin("plan"), &bin).unwrap();
    fs::set_permissions(bin_dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    let limited = |args: &[&str]| {
        Command::new("setpriv")
            .env_remove("PLAN_THREADS")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                "prlimit",
                "--nproc=1",
                "--",
            ])
            .arg(&bin)
            .args(["--lang", "en", "--color", "never", "-C"])
            .arg(ws.path())
            .args(args)
            .output()
            .unwrap()
    };
    let free = |args: &[&str]| {
        plan()
            .env("PLAN_THREADS", "4")
            .arg("-C")
            .arg(ws.path())
            .args(args)
            .output()
            .unwrap()
    };
    for dir in [ws.path().to_path_buf(), ws.path().join("logs"), ws.path().join("plans")] {
        std::os::unix::fs::chown(&dir, Some(nobody), Some(nobody)).unwrap();
    }
    std::os::unix::fs::chown(ws.path().join("logs/a.csv"), Some(nobody), Some(nobody)).unwrap();
    // A system where that user cannot reach the workspace (a private
    // temporary directory) cannot run this test.
    let can = |test: &str, path: &Path| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "test", test])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !can("-x", &bin) || !can("-w", &ws.path().join("logs/a.csv")) {
        eprintln!("skipped: the limited user cannot reach plan or the workspace here");
        return;
    }
    for args in [
        &["check", "--format", "json", "--at", "2024-01-01"][..],
        &["status", "--format", "json", "--at", "2024-01-01"],
        &["fmt", "--check"],
    ] {
        let (one, many) = (limited(args), free(args));
        assert!(!stderr(&one).contains("panicked"), "{args:?}: {}", stderr(&one));
        assert_eq!(one.status.code(), many.status.code(), "{args:?}: {}", stderr(&one));
        assert_eq!(one.stdout, many.stdout, "{args:?}");
    }
    // `fmt` sorts the log as it does on many threads.
    let run = limited(&["fmt"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let sorted = fs::read(ws.path().join("logs/a.csv")).unwrap();
    ws.write("logs/a.csv", log.as_bytes());
    assert!(free(&["fmt"]).status.success());
    assert_eq!(sorted, fs::read(ws.path().join("logs/a.csv")).unwrap());
    assert_eq!(sorted, self::sorted(&log).as_bytes());
}
