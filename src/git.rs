//! The git repository around a workspace, asked by running git itself
//! (`git rev-parse`, `git ls-tree`, `git show`), so that the user's own git
//! and configuration answer: what `plan diff` reads a revision through.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::lang::Lang;
use crate::workspace::shown_path;

/// The git repository around the workspace.
pub struct Git {
    root: PathBuf,
}

impl Git {
    /// Checks that git runs and that `root` is inside a repository.
    pub fn open(root: &Path, lang: Lang) -> Result<Git, Error> {
        let git = Git {
            root: root.to_path_buf(),
        };
        match git.run(&["rev-parse", "--git-dir"]) {
            Ok(_) => Ok(git),
            Err(GitError::Spawn(e)) => Err(Error::git(lang.pick(
                &format!("không chạy được git ({e}): `plan diff` cần git trong PATH"),
                &format!("cannot run git ({e}): `plan diff` needs git on the PATH"),
            ))),
            Err(GitError::Failed(_)) => Err(Error::git(lang.pick(
                &format!(
                    "{} không nằm trong một kho git: `plan diff` so sánh các phiên bản đã commit",
                    git.root.display()
                ),
                &format!(
                    "{} is not inside a git repository: `plan diff` compares committed versions",
                    git.root.display()
                ),
            ))),
        }
    }

    fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|e| GitError::Spawn(e.to_string()))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(GitError::Failed(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
        }
    }

    /// The commit `rev` names (exit 2 when it names none).
    pub fn commit(&self, rev: &str, lang: Lang) -> Result<String, Error> {
        let unknown = || {
            Error::git(lang.pick(
                &format!("không có phiên bản `{rev}` trong kho git (xem `git log --oneline`)"),
                &format!("unknown revision `{rev}`: no such commit in the repository (see `git log --oneline`)"),
            ))
        };
        if rev.is_empty() || rev.starts_with('-') {
            return Err(unknown());
        }
        let spec = format!("{rev}^{{commit}}");
        match self.run(&["rev-parse", "--verify", "--quiet", &spec]) {
            Ok(out) => {
                let sha = String::from_utf8_lossy(&out).trim().to_owned();
                if sha.is_empty() { Err(unknown()) } else { Ok(sha) }
            }
            Err(_) => Err(unknown()),
        }
    }

    /// The blobs (files and symbolic links) under `dir` at `commit`,
    /// relative to the workspace root. `recursive` false lists `dir` itself
    /// (and `also`) as entries: how a link among a path's folders shows.
    pub fn tree(&self, commit: &str, dir: &str, also: &[String], recursive: bool) -> Result<Vec<TreeEntry>, Error> {
        let dir = if dir.is_empty() { "." } else { dir };
        let mut args = vec!["ls-tree", "-z"];
        if recursive {
            args.push("-r");
        }
        args.extend([commit, "--", dir]);
        args.extend(also.iter().map(String::as_str));
        let out = self
            .run(&args)
            .map_err(|e| Error::git(format!("git ls-tree: {}", e.text())))?;
        let mut entries = Vec::new();
        for entry in out.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let Some(tab) = entry.iter().position(|b| *b == b'\t') else {
                continue;
            };
            let (meta, path) = (
                entry.get(..tab).unwrap_or_default(),
                entry.get(tab + 1..).unwrap_or_default(),
            );
            let meta = String::from_utf8_lossy(meta);
            let mut parts = meta.split(' ');
            let mode = parts.next().unwrap_or("");
            let kind = parts.next().unwrap_or("");
            if kind != "blob" {
                continue;
            }
            let utf8 = std::str::from_utf8(path).is_ok();
            let lossy = String::from_utf8_lossy(path).into_owned();
            entries.push(TreeEntry {
                shown: if utf8 {
                    lossy.clone()
                } else {
                    shown_path(&path_of_bytes(path))
                },
                path: lossy,
                utf8,
                link: mode == "120000",
            });
        }
        Ok(entries)
    }

    /// The regular files under `dir` at `commit` (links and names that are
    /// not UTF-8 left out: they are refused where they are met).
    pub fn files(&self, commit: &str, dir: &str) -> Result<Vec<String>, Error> {
        Ok(self
            .tree(commit, dir, &[], true)?
            .into_iter()
            .filter(|e| e.utf8 && !e.link)
            .map(|e| e.path)
            .collect())
    }

    /// The content of `path` (workspace-relative) at `commit`.
    pub fn show(&self, commit: &str, path: &str) -> Result<Vec<u8>, Error> {
        self.run(&["show", &format!("{commit}:./{path}")])
            .map_err(|e| Error::git(format!("git show {commit}:{path}: {}", e.text())))
    }
}

/// One blob of a revision's tree.
pub struct TreeEntry {
    /// The path, with U+FFFD for bytes that are not UTF-8 (what globs match).
    pub path: String,
    /// The path as shown in messages (`\xNN` for bytes that are not UTF-8).
    pub shown: String,
    pub utf8: bool,
    /// A symbolic link (mode 120000): never followed.
    pub link: bool,
}

/// A path from the raw bytes git gives.
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

enum GitError {
    Spawn(String),
    Failed(String),
}

impl GitError {
    fn text(&self) -> &str {
        match self {
            GitError::Spawn(s) | GitError::Failed(s) => s,
        }
    }
}
