//! Helpers shared by the CLI tests: running `plan`, reading its JSON
//! diagnostics, building throw-away workspaces and proving that a run wrote
//! nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use serde_json::Value;

/// The header of a log with every column, in canonical order.
pub const HEADER: &str = "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note";

/// The directory of a committed fixture workspace.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The plan shared by the fixtures (`plans/x.toml` of `check-clean`).
pub fn base_plan() -> String {
    std::fs::read_to_string(fixture("check-clean").join("plans/x.toml")).unwrap()
}

/// `plan` with English messages, no colour and no GitHub step summary (a
/// test run inside GitHub Actions must not write into the real one).
pub fn plan() -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .args(["--lang", "en", "--color", "never"]);
    cmd
}

/// One diagnostic of `check --format json`, as the tuple tests compare:
/// (code, file, line, column).
pub type Place = (String, String, u64, u64);

/// The result of a `plan check --format json` run.
#[derive(Debug)]
pub struct Checked {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The `diagnostics` array, parsed.
    pub diags: Vec<Value>,
}

impl Checked {
    pub fn places(&self) -> Vec<Place> {
        self.diags
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_owned(),
                    d["file"].as_str().unwrap().to_owned(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    pub fn messages(&self) -> Vec<String> {
        self.diags
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Runs `plan -C dir check --format json ARGS` and parses its output,
/// checking the shape of every diagnostic on the way.
pub fn check_json(dir: &Path, args: &[&str]) -> Checked {
    let out = plan()
        .arg("-C")
        .arg(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let diags = assert_json_shape(&doc);
    Checked {
        code: out.status.code().unwrap_or(-1),
        stdout,
        stderr,
        diags,
    }
}

/// Asserts `{"diagnostics":[{file,line,column,severity,code,message}]}`
/// exactly (no other keys, the right types) and returns the array.
pub fn assert_json_shape(doc: &Value) -> Vec<Value> {
    let top = doc.as_object().expect("the document is an object");
    assert_eq!(top.keys().collect::<Vec<_>>(), vec!["diagnostics"], "{doc}");
    let diags = top["diagnostics"].as_array().expect("diagnostics is an array");
    for d in diags {
        let o = d.as_object().expect("a diagnostic is an object");
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "column", "file", "line", "message", "severity"], "{d}");
        assert!(
            o["file"].is_string() && o["code"].is_string() && o["message"].is_string(),
            "{d}"
        );
        assert!(o["line"].is_u64() && o["column"].is_u64(), "{d}");
        assert!(matches!(o["severity"].as_str(), Some("error" | "warning")), "{d}");
        assert!(!o["message"].as_str().unwrap().is_empty(), "{d}");
    }
    diags.clone()
}

/// Shorthand for an expected diagnostic place.
pub fn at(code: &str, file: &str, line: u64, column: u64) -> Place {
    (code.to_owned(), file.to_owned(), line, column)
}

/// Every file under `dir` with its bytes and modification time, to prove a
/// run changed nothing.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let bytes = if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            out.insert(
                path.strip_prefix(dir).unwrap().to_path_buf(),
                (bytes, meta.modified().ok()),
            );
        }
    }
    out
}

/// Runs `check --format json` on a committed fixture, asserting that it
/// wrote nothing, that the diagnostics are exactly `expected` (in order),
/// and the exit code (1 with errors, 0 without). Returns the run.
pub fn expect_fixture(name: &str, args: &[&str], expected: &[Place]) -> Checked {
    let dir = fixture(name);
    let before = snapshot(&dir);
    let run = check_json(&dir, args);
    assert_eq!(snapshot(&dir), before, "{name}: the run changed files");
    assert_eq!(run.places(), expected, "{name}: {:#?}", run.diags);
    let errors = run.diags.iter().any(|d| d["severity"] == "error");
    assert_eq!(run.code, i32::from(errors), "{name}: exit code; stderr: {}", run.stderr);
    assert_eq!(run.stderr, "", "{name}: json output writes nothing to stderr");
    run
}

/// A workspace in a temporary directory, built file by file.
pub struct TempWs {
    pub dir: tempfile::TempDir,
}

impl TempWs {
    /// An empty workspace holding the shared plan and no logs.
    pub fn new() -> TempWs {
        TempWs::with_plan(&base_plan())
    }

    pub fn with_plan(plan: &str) -> TempWs {
        let ws = TempWs {
            dir: tempfile::tempdir().unwrap(),
        };
        ws.write("plans/x.toml", plan.as_bytes());
        std::fs::create_dir_all(ws.path().join("logs")).unwrap();
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to the workspace-relative `rel`, creating directories.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> &TempWs {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// `plan -C <this workspace> ARGS` (English, no colour), run to its end.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        plan().arg("-C").arg(self.path()).args(args).output().unwrap()
    }

    /// `check --format json ARGS` on this workspace, asserting nothing in it changed.
    pub fn check(&self, args: &[&str]) -> Checked {
        let before = snapshot(self.path());
        let run = check_json(self.path(), args);
        assert_eq!(snapshot(self.path()), before, "the run changed files");
        run
    }
}

/// `text` as Excel's legacy Vietnamese "CSV" writes it: Windows-1258, where
/// â ê ô ă ơ ư đ are single bytes and the five tone marks are combining
/// characters after the letter.
pub fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut legacy = String::new();
    for c in text.chars() {
        let (tones, rest): (Vec<char>, Vec<char>) = c.to_string().nfd().partition(|m| TONES.contains(m));
        legacy.extend(rest.into_iter().collect::<String>().nfc());
        legacy.extend(tones);
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&legacy);
    assert!(!unmappable, "{text} has characters Windows-1258 lacks");
    assert!(std::str::from_utf8(&bytes).is_err(), "the bytes must not be UTF-8");
    bytes.into_owned()
}

/// `text` as UTF-16LE with a byte-order mark (Excel's "Unicode Text").
pub fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// `plan` in the repository's own workspace (the shipped plan and example
/// logs), in its default language, without colour.
pub fn in_repo() -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("COLUMNS")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["--color", "never"]);
    cmd
}

/// What a successful run of `cmd` with `args` prints on stdout.
pub fn stdout_of(mut cmd: Command, args: &[&str]) -> String {
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The repository's root: the shipped plan, example logs and fixtures.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of the shipped plan (`plans/15-DA-TU.toml`).
pub fn shipped_plan() -> String {
    std::fs::read_to_string(root().join("plans/15-DA-TU.toml")).unwrap()
}

/// Copies the tree `from` into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A finished run as (exit code, stdout, stderr); -1 when a signal ended it.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// What a run printed on stderr, lossily.
pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The environment that keeps git, and `plan` reading git, away from the
/// machine's configuration and from any repository around `dir`, with fixed
/// commit dates.
pub fn git_env(dir: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
        ("GIT_CEILING_DIRECTORIES", dir.parent().unwrap().into()),
        ("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z".into()),
        ("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z".into()),
    ]
}

/// `git -C dir ARGS` in that environment, as a test user who does not sign;
/// asserts success and returns stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .envs(git_env(dir))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
