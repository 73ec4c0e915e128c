//! Finding the workspace (the directory that holds `plans/`), listing its plan
//! files and resolving a plan's `logs` globs to files, refusing any glob or
//! symlink that would lead outside the workspace.

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
    /// Plan files, workspace-relative (`plans/x.toml`), sorted.
    pub plan_files: Vec<String>,
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
        let dir = root.join("plans");
        let entries = std::fs::read_dir(&dir).map_err(|source| WorkspaceError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let mut plan_files: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml") && e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(|n| format!("plans/{n}")))
            .collect();
        plan_files.sort();
        Ok(Workspace { root, plan_files })
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
    /// the workspace, and files reached through symlinks that point outside
    /// it, give `glob-escape` and are not read. `plan_file` and the glob's
    /// line place the diagnostics.
    pub fn resolve_logs(
        &self,
        plan_file: &str,
        globs: &[(String, usize)],
        lang: Lang,
    ) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        let canon_root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
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
            let mut escaped = false;
            self.walk(glob, &matcher, &canon_root, &mut files, &mut || {
                escaped = true;
                diags.push(escape_error(
                    plan_file,
                    written,
                    *line,
                    (
                        "dẫn tới một liên kết trỏ ra ngoài thư mục làm việc",
                        "reaches a symlink that points outside the workspace",
                    ),
                    lang,
                ));
            });
            // A glob that only reached escaping links has its diagnostic.
            if files.len() == before && !escaped {
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
        let Ok(text) = std::fs::read_to_string(self.path(plan_file)) else {
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

    fn walk(
        &self,
        glob: &str,
        matcher: &GlobMatcher,
        canon_root: &Path,
        files: &mut Vec<PathBuf>,
        on_escape: &mut dyn FnMut(),
    ) {
        // Walk only below the glob's literal prefix (`examples/x/logs` for
        // `examples/x/logs/**/*.csv`), not the whole workspace.
        let prefix: PathBuf = glob
            .split('/')
            .take_while(|s| !s.contains(['*', '?', '[', '{']))
            .collect();
        let base = self.root.join(&prefix);
        if !base.exists() {
            return;
        }
        // The literal prefix itself may be a symlink to elsewhere.
        if !base.canonicalize().is_ok_and(|c| c.starts_with(canon_root)) {
            on_escape();
            return;
        }
        let mut escaped = false;
        for entry in WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            let rel = self.display(path);
            if !matcher.is_match(&rel) {
                continue;
            }
            let ft = entry.file_type();
            if ft.is_symlink() {
                let inside = path
                    .canonicalize()
                    .is_ok_and(|c| c.starts_with(canon_root) && c.is_file());
                if !inside {
                    escaped = true;
                    continue;
                }
            } else if !ft.is_file() {
                continue;
            }
            files.push(path.to_path_buf());
        }
        if escaped {
            on_escape();
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
