//! Finding the workspace (the directory that holds `plans/`), listing its plan
//! files and resolving a plan's `logs` globs to files, refusing any glob or
//! symlink that would lead outside the workspace.
//!
//! [`Workspace::contain`] is the one gate: `plans/`, every plan file and
//! every log pass through it before they are read (and so before `fmt` can
//! rewrite them). A link that leads out is a `path-escape` error naming the
//! link; nothing is read through it. A log folder that cannot be listed is
//! an `io` error and a log name that is not UTF-8 a `bad-path` error: the
//! walk skips nothing in silence.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobMatcher};
use walkdir::WalkDir;

use crate::diag::Diagnostic;
use crate::lang::Lang;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("no workspace: no `plans/` directory in {0} or any directory above it (use -C DIR to point at one)")]
    NotFound(String),
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

impl WorkspaceError {
    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            WorkspaceError::NotFound(dir) => lang
                .pick(
                    &format!("không tìm thấy thư mục làm việc: không có thư mục `plans/` trong {dir} hay thư mục nào bên trên (dùng -C THƯ_MỤC để chỉ tới nó)"),
                    &self.to_string(),
                )
                .to_owned(),
            WorkspaceError::Io { path, source } => lang
                .pick(&format!("không đọc được {path}: {source}"), &self.to_string())
                .to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory holding `plans/`.
    pub root: PathBuf,
    /// `root` with every symbolic link resolved: what a file read or
    /// written must lie under ([`Workspace::contain`]).
    pub canon_root: PathBuf,
    /// Plan files, workspace-relative (`plans/x.toml`), sorted.
    pub plan_files: Vec<String>,
    /// What kept plan files from being listed or used: `plans` itself a
    /// link leading out, a file name that is not UTF-8.
    pub plan_problems: Vec<PathProblem>,
}

/// Why a path found in the workspace is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// `link` (workspace-relative) is a symbolic link leading outside the
    /// workspace (`path-escape`).
    Escape { link: String },
    /// `link` (`REV:path`) is a symbolic link stored in a git revision,
    /// which `plan diff` never follows (`path-escape`).
    CommittedLink { link: String },
    /// The name is not valid UTF-8 (`bad-path`); `shown` has `\xNN` for
    /// the bytes that are not.
    BadName { shown: String },
    /// The path could not be resolved or listed (`io`): the error's kind
    /// and text.
    Io {
        path: String,
        kind: std::io::ErrorKind,
        text: String,
    },
}

impl PathProblem {
    fn io(path: String, e: &std::io::Error) -> PathProblem {
        PathProblem::Io {
            path,
            kind: e.kind(),
            text: e.to_string(),
        }
    }

    /// The problem as a diagnostic on `file` (the path itself for a plan,
    /// the plan for a log); `glob` is the logs glob that reached the path.
    fn diagnostic(&self, file: &str, glob: Option<&str>, lang: Lang) -> Diagnostic {
        let (vi_by, en_by) = glob.map_or_else(Default::default, |g| {
            (
                format!("mẫu logs `{g}` dẫn tới "),
                format!("the logs glob `{g}` reaches "),
            )
        });
        match self {
            PathProblem::Escape { link } => Diagnostic::error(
                file,
                "path-escape",
                lang.pick(
                    &format!("{vi_by}`{link}`: một liên kết tượng trưng (symlink) dẫn ra ngoài thư mục làm việc, nên không được đọc; hãy thay liên kết bằng chính tệp đó (đặt trong thư mục làm việc) hoặc xoá nó"),
                    &format!("{en_by}`{link}`: a symbolic link that leads outside the workspace, so it is not read; replace the link with the file itself (kept inside the workspace) or remove it"),
                ),
            ),
            PathProblem::CommittedLink { link } => Diagnostic::error(
                file,
                "path-escape",
                lang.pick(
                    &format!("{vi_by}`{link}`: một liên kết tượng trưng (symlink) lưu trong git; `plan diff` không đi theo liên kết trong một phiên bản, nên nó không được đọc; hãy commit chính tệp đó thay cho liên kết"),
                    &format!("{en_by}`{link}`: a symbolic link stored in git; `plan diff` does not follow links in a revision, so it is not read; commit the file itself instead of a link"),
                ),
            ),
            PathProblem::BadName { shown } => Diagnostic::error(
                file,
                "bad-path",
                lang.pick(
                    &format!("{vi_by}`{shown}`: tên tệp không phải UTF-8, nên tệp không được đọc; hãy đổi tên tệp (chữ, số, `-` và `_` là an toàn)"),
                    &format!("{en_by}`{shown}`: the file name is not valid UTF-8, so the file is not read; rename it (letters, digits, `-` and `_` are safe)"),
                ),
            ),
            PathProblem::Io { path, kind, text } => {
                let message = lang.io_error(&std::io::Error::new(*kind, text.clone()));
                Diagnostic::error(
                    file,
                    "io",
                    lang.pick(
                        &format!("{vi_by}`{path}`: không đọc được ({message})"),
                        &format!("{en_by}`{path}`: it cannot be read ({message})"),
                    ),
                )
            }
        }
    }

    /// The path the problem is about, as shown.
    pub fn path(&self) -> &str {
        match self {
            PathProblem::Escape { link } | PathProblem::CommittedLink { link } => link,
            PathProblem::BadName { shown } => shown,
            PathProblem::Io { path, .. } => path,
        }
    }

    /// The diagnostic of a plan file (or of `plans/` itself).
    pub fn plan_diagnostic(&self, lang: Lang) -> Diagnostic {
        self.diagnostic(self.path(), None, lang)
    }

    /// The diagnostic of a file reached by the logs glob `written` of
    /// `plan_file` (placed on the glob's line).
    pub fn glob_diagnostic(&self, plan_file: &str, written: &str, line: usize, lang: Lang) -> Diagnostic {
        self.diagnostic(plan_file, Some(written), lang).at(line, 0, None)
    }
}

/// A path as shown to users when it may not be UTF-8: the bytes that are
/// not become `\xNN` (not U+FFFD, so that two such names stay apart).
pub fn shown_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

impl Workspace {
    /// Walks up from `start` to the first directory holding `plans/`.
    pub fn discover(start: &Path) -> Result<Workspace, WorkspaceError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let root = start
            .ancestors()
            .find(|d| d.join("plans").is_dir())
            .ok_or_else(|| WorkspaceError::NotFound(start.display().to_string()))?
            .to_path_buf();
        let canon_root = root.canonicalize().map_err(|source| WorkspaceError::Io {
            path: root.display().to_string(),
            source,
        })?;
        let mut ws = Workspace {
            root,
            canon_root,
            plan_files: Vec::new(),
            plan_problems: Vec::new(),
        };
        // `plans` itself may be a link out: then nothing in it is listed.
        if let Err(p) = ws.contain(Path::new("plans")) {
            ws.plan_problems.push(p);
            return Ok(ws);
        }
        let dir = ws.root.join("plans");
        let entries = std::fs::read_dir(&dir).map_err(|source| WorkspaceError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| WorkspaceError::Io {
                path: dir.display().to_string(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            // A link out is said whatever it points to (a file, a folder).
            if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                if let Err(p @ PathProblem::Escape { .. }) = ws.contain(&Path::new("plans").join(entry.file_name())) {
                    ws.plan_problems.push(p);
                    continue;
                }
            }
            if !path.is_file() {
                continue;
            }
            match entry.file_name().to_str() {
                Some(n) => ws.plan_files.push(format!("plans/{n}")),
                None => ws.plan_problems.push(PathProblem::BadName {
                    shown: format!("plans/{}", shown_path(Path::new(&entry.file_name()))),
                }),
            }
        }
        ws.plan_files.sort();
        ws.plan_problems.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(ws)
    }

    /// Resolves the workspace-relative `rel` with every symbolic link
    /// followed, and checks that it and each folder on its way stay inside
    /// the workspace: the one gate for every file `plan` reads or rewrites
    /// (plans, `plans/`, logs). Gives the resolved path, or the link that
    /// leads out (the first one on the way), never looking at what the link
    /// points to beyond its location.
    pub fn contain(&self, rel: &Path) -> Result<PathBuf, PathProblem> {
        let rel = rel.strip_prefix(&self.root).unwrap_or(rel);
        let mut prefix = PathBuf::new();
        let mut resolved = self.canon_root.clone();
        for part in rel.components() {
            prefix.push(part);
            match self.root.join(&prefix).canonicalize() {
                Ok(c) if c.starts_with(&self.canon_root) => resolved = c,
                Ok(_) => {
                    return Err(PathProblem::Escape {
                        link: self.display(&prefix),
                    });
                }
                Err(e) => return Err(PathProblem::io(self.display(&prefix), &e)),
            }
        }
        Ok(resolved)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A path shown to users: relative to the root, with `/`.
    pub fn display(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Resolves `logs` globs to files (sorted, deduplicated). Globs that leave
    /// the workspace give `glob-escape`; files or folders reached through
    /// symlinks that lead outside it give `path-escape`, names that are not
    /// UTF-8 `bad-path`, folders that cannot be listed `io`: none of those is
    /// read or skipped in silence. `plan_file` and the glob's line place the
    /// diagnostics.
    pub fn resolve_logs(
        &self,
        plan_file: &str,
        globs: &[(String, usize)],
        lang: Lang,
    ) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for (written, line) in globs {
            if let Some(d) = glob_escape(plan_file, written, *line, lang) {
                diags.push(d);
                continue;
            }
            let normal = normal_glob(written);
            let glob = normal.as_str();
            let matcher = match Glob::new(glob) {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            plan_file,
                            "bad-value",
                            lang.pick(
                                &format!("mẫu logs `{written}` không hợp lệ: {e}"),
                                &format!("the logs glob `{written}` is not valid: {e}"),
                            )
                            .to_owned(),
                        )
                        .at(*line, 0, None),
                    );
                    continue;
                }
            };
            let before = files.len();
            let mut problems = Vec::new();
            self.walk(glob, &matcher, &mut files, &mut problems);
            // A glob that only reached refused files has their diagnostics.
            if files.len() == before && problems.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        plan_file,
                        "no-logs",
                        lang.pick(
                            &format!("mẫu logs `{written}` không khớp tệp nào"),
                            &format!("the logs glob `{written}` matches no file"),
                        )
                        .to_owned(),
                    )
                    .at(*line, 0, None),
                );
            }
            diags.extend(
                problems
                    .iter()
                    .map(|p| p.glob_diagnostic(plan_file, written, *line, lang)),
            );
        }
        files.sort();
        files.dedup();
        if !diags.is_empty() {
            self.point_at_globs(plan_file, globs, &mut diags);
        }
        (files, diags)
    }

    /// Gives each diagnostic about a glob its source line from the plan
    /// file, and the column of the glob's string when it can be found.
    fn point_at_globs(&self, plan_file: &str, globs: &[(String, usize)], diags: &mut [Diagnostic]) {
        let Ok(path) = self.contain(Path::new(plan_file)) else {
            return;
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let lines: Vec<&str> = text.strip_prefix('\u{feff}').unwrap_or(&text).lines().collect();
        for d in diags.iter_mut() {
            let Some(src) = d.line.checked_sub(1).and_then(|i| lines.get(i)) else {
                continue;
            };
            let glob = globs
                .iter()
                .find(|(g, l)| *l == d.line && d.message.contains(&format!("`{g}`")));
            if let Some((g, _)) = glob {
                let at = src.find(&format!("\"{g}\"")).or_else(|| src.find(&format!("'{g}'")));
                if let Some(before) = at.and_then(|b| src.get(..b)) {
                    d.column = before.chars().count() + 1;
                    d.width = g.chars().count() + 2;
                }
            }
            d.source_line = Some((*src).to_owned());
        }
    }

    /// The files below the glob's literal prefix that `matcher` matches,
    /// into `files`; what keeps a file or folder from being read, into
    /// `problems`.
    fn walk(&self, glob: &str, matcher: &GlobMatcher, files: &mut Vec<PathBuf>, problems: &mut Vec<PathProblem>) {
        // Walk only below the glob's literal prefix, not the whole workspace.
        let prefix: PathBuf = literal_prefix(glob).into_iter().collect();
        let base = self.root.join(&prefix);
        match base.try_exists() {
            Ok(true) => {}
            Ok(false) => {
                // A dangling link is not "no such folder": say which link.
                if base.symlink_metadata().is_ok() {
                    if let Err(p) = self.contain(&prefix) {
                        problems.push(p);
                    }
                }
                return;
            }
            Err(e) => {
                problems.push(PathProblem::io(self.display(&prefix), &e));
                return;
            }
        }
        // The literal prefix itself, or a folder above it, may be a
        // symlink to elsewhere.
        if let Err(p) = self.contain(&prefix) {
            problems.push(p);
            return;
        }
        let entries = WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .map(|r| {
                r.map(|e| (e.path().to_path_buf(), e.file_type())).map_err(|e| {
                    let path = e.path().map_or_else(|| base.clone(), Path::to_path_buf);
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("symbolic link loop"));
                    (path, io)
                })
            });
        self.take(entries, matcher, files, problems);
    }

    /// Sorts what a walk met: files the glob matches are kept, links are
    /// kept only when they stay inside; names that are not UTF-8 and
    /// entries that could not be read become problems. Separate from the
    /// walk so that tests can feed it failures a file system seldom gives.
    fn take(
        &self,
        entries: impl Iterator<Item = Result<(PathBuf, std::fs::FileType), (PathBuf, std::io::Error)>>,
        matcher: &GlobMatcher,
        files: &mut Vec<PathBuf>,
        problems: &mut Vec<PathProblem>,
    ) {
        for entry in entries {
            let (path, ft) = match entry {
                Ok(e) => e,
                Err((path, e)) => {
                    problems.push(PathProblem::io(self.display(&path), &e));
                    continue;
                }
            };
            let rel_path = path.strip_prefix(&self.root).unwrap_or(&path);
            let rel = self.display(&path);
            if !matcher.is_match(&rel) {
                continue;
            }
            if rel_path.to_str().is_none() {
                if !ft.is_dir() {
                    problems.push(PathProblem::BadName {
                        shown: shown_path(rel_path),
                    });
                }
                continue;
            }
            if ft.is_symlink() {
                match self.contain(rel_path) {
                    Ok(target) if target.is_file() => {}
                    Ok(_) => continue,
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                }
            } else if !ft.is_file() {
                continue;
            }
            files.push(path);
        }
    }
}

/// A logs glob as matched: `./logs/*.csv` and `logs//*.csv` mean
/// `logs/*.csv`, as they do to a shell (empty and `.` segments dropped).
pub fn normal_glob(written: &str) -> String {
    written
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The folders a (normal) glob starts with before its first wildcard:
/// `examples/x/logs` for `examples/x/logs/**/*.csv`, where a search for its
/// files begins.
pub fn literal_prefix(glob: &str) -> Vec<&str> {
    glob.split('/')
        .take_while(|s| !s.contains(['*', '?', '[', '{']))
        .collect()
}

/// The `glob-escape` error of a logs glob that is absolute or climbs out
/// of the workspace with `..` (judged on what was written), if it does.
pub fn glob_escape(plan_file: &str, written: &str, line: usize, lang: Lang) -> Option<Diagnostic> {
    let p = Path::new(written);
    let what =
        if p.is_absolute() || written.starts_with('/') || written.starts_with('\\') || written.get(1..2) == Some(":") {
            ("là đường dẫn tuyệt đối", "is an absolute path")
        } else if p.components().any(|c| matches!(c, Component::ParentDir))
            || written.split(['/', '\\']).any(|s| s == "..")
        {
            ("dùng `..` để ra ngoài", "uses `..` to climb out")
        } else {
            return None;
        };
    Some(escape_error(plan_file, written, line, what, lang))
}

/// The `glob-escape` error of a logs glob, saying `what` it does wrong.
fn escape_error(plan_file: &str, written: &str, line: usize, what: (&str, &str), lang: Lang) -> Diagnostic {
    Diagnostic::error(
            plan_file,
            "glob-escape",
            lang.pick(
                &format!("mẫu logs `{written}` {}: mọi tệp nhật ký phải nằm trong thư mục làm việc; hãy viết đường dẫn tương đối như \"logs/**/*.csv\"", what.0),
                &format!("the logs glob `{written}` {}: log files must live inside the workspace; write a relative path such as \"logs/**/*.csv\"", what.1),
            )
            .to_owned(),
        )
        .at(line, 0, None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn ws_in(dir: &Path) -> Workspace {
        std::fs::create_dir_all(dir.join("plans")).unwrap();
        Workspace::discover(dir).unwrap()
    }

    fn matcher(glob: &str) -> GlobMatcher {
        Glob::new(glob).unwrap().compile_matcher()
    }

    /// The seam the walk feeds: an error met while listing (which a test
    /// running as root cannot provoke with mode 000) is an `io` problem
    /// naming the folder, and the entries around it are still taken.
    #[test]
    fn a_walk_error_is_an_io_problem_never_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = ws_in(tmp.path());
        std::fs::create_dir_all(tmp.path().join("logs")).unwrap();
        std::fs::write(tmp.path().join("logs/a.csv"), "x").unwrap();
        let file_type = std::fs::metadata(tmp.path().join("logs/a.csv")).unwrap().file_type();
        let entries = vec![
            Err((
                ws.root.join("logs/locked"),
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            )),
            Ok((ws.root.join("logs/a.csv"), file_type)),
        ];
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        ws.take(
            entries.into_iter(),
            &matcher("logs/**/*.csv"),
            &mut files,
            &mut problems,
        );
        assert_eq!(files, vec![ws.root.join("logs/a.csv")]);
        assert_eq!(problems.len(), 1);
        assert!(matches!(
            &problems[0],
            PathProblem::Io { path, kind: std::io::ErrorKind::PermissionDenied, .. } if path == "logs/locked"
        ));
        let d = problems[0].glob_diagnostic("plans/x.toml", "logs/**/*.csv", 3, Lang::En);
        assert_eq!((d.code, d.line, d.is_error()), ("io", 3, true));
        assert!(d.message.contains("`logs/locked`"), "{}", d.message);
    }

    #[cfg(unix)]
    #[test]
    fn contain_names_the_first_link_that_leads_out() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(outside.path().join("sub")).unwrap();
        std::fs::write(outside.path().join("sub/f.csv"), "x").unwrap();
        let ws = ws_in(tmp.path());
        std::os::unix::fs::symlink(outside.path(), tmp.path().join("ext")).unwrap();
        std::fs::create_dir_all(tmp.path().join("data")).unwrap();
        std::fs::write(tmp.path().join("data/in.csv"), "x").unwrap();
        std::os::unix::fs::symlink("../data/in.csv", tmp.path().join("plans/in.toml")).unwrap();
        assert_eq!(
            ws.contain(Path::new("ext/sub/f.csv")),
            Err(PathProblem::Escape { link: "ext".to_owned() })
        );
        assert_eq!(
            ws.contain(Path::new("plans/in.toml")).unwrap(),
            ws.canon_root.join("data/in.csv")
        );
        assert!(matches!(ws.contain(Path::new("nope.csv")), Err(PathProblem::Io { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn names_not_utf8_are_shown_with_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"logs/\xC4\x91\xff\xfe.csv"));
        assert_eq!(shown_path(p), "logs/đ\\xFF\\xFE.csv");
    }
}
