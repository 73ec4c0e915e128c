//! `plan diff REV [REV2]`: what changed in the plans and logs between two git
//! revisions (REV2 defaults to the working tree), as meaning.
//!
//! Git is run as a program (`git show`, `git ls-tree`, `git rev-parse`), so
//! the user's own git and configuration answer. Both versions of every plan
//! and its logs are read and checked first: an error in a plan on either
//! side stops the command (exit 1, its diagnostics on stderr); errors in the
//! logs do not hide the change under review: it is shown, then the errors
//! (exit 1). The comparison itself is [`crate::plandiff`]'s.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

use globset::Glob;

use crate::canonical::{LogTable, read_log};
use crate::check::{PlanFile, load_plans, log_files};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::{self, Diagnostic};
use crate::logs::{self, Discard, LogFile, Source};
use crate::model::Plan;
use crate::plandiff::{self, Action, Report};
use crate::planfile;
use crate::workspace::{PathProblem, glob_escape, normal_glob, shown_path};

use super::{Ctx, Exit, write_stdout};

pub fn run(ctx: &Ctx, args: &DiffArgs) -> Result<Exit, Exit> {
    let git = Git::open(ctx)?;
    let from = git.commit(ctx, &args.rev)?;
    let to = match &args.rev2 {
        Some(r) => Some(git.commit(ctx, r)?),
        None => None,
    };
    let old = Side::at_commit(ctx, &git, &args.rev, &from)?;
    let new = match (&args.rev2, &to) {
        (Some(r), Some(c)) => Side::at_commit(ctx, &git, r, c)?,
        _ => Side::working_tree(ctx),
    };

    // Check both sides first. A plan that cannot be read whole (or a glob
    // out of the workspace) leaves nothing sound to compare: refused.
    let mut diags: Vec<Diagnostic> = Vec::new();
    for side in [&old, &new] {
        for pf in side.chosen(ctx) {
            if pf.plan.is_none() || pf.diags.iter().any(Diagnostic::is_error) {
                diags.extend(pf.diags.iter().cloned());
            }
        }
        diags.extend(side.glob_errors.iter().cloned());
    }
    let old_plans: BTreeMap<&str, &Plan> = old.plans(ctx);
    let new_plans: BTreeMap<&str, &Plan> = new.plans(ctx);
    if !diags.is_empty() {
        diag::sort(&mut diags);
        diags.dedup();
        ctx.print_diags(&diags);
        return Ok(Exit::Invalid);
    }
    // Errors in the logs do not hide the change under review (removing an
    // organisation that has rows makes every row an error): the change is
    // shown first, then the errors, and the exit is 1.
    for (side, plans) in [(&old, &old_plans), (&new, &new_plans)] {
        for plan in plans.values() {
            diags.extend(side.log_errors(ctx, &git, plan)?);
        }
    }

    if let Some(id) = &ctx.plan {
        if !old_plans.contains_key(id.as_str()) && !new_plans.contains_key(id.as_str()) {
            return Err(ctx.fatal(ctx.lang.pick(
                &format!("không có kế hoạch `{id}` ở cả hai phiên bản"),
                &format!("no plan `{id}` in either revision"),
            )));
        }
    }
    let mut plan_diffs = Vec::new();
    let ids: BTreeSet<&str> = old_plans.keys().chain(new_plans.keys()).copied().collect();
    for id in ids {
        match (old_plans.get(id), new_plans.get(id)) {
            (Some(a), Some(b)) => {
                let d = plandiff::plans(id, a, b);
                if !d.changes.is_empty() || a.path != b.path {
                    plan_diffs.push(d);
                }
            }
            (Some(a), None) => plan_diffs.push(plandiff::whole_plan(a, Action::Removed)),
            (None, Some(b)) => plan_diffs.push(plandiff::whole_plan(b, Action::Added)),
            (None, None) => {}
        }
    }

    // Logs: every file either side's plans name.
    let mut files: BTreeSet<String> = BTreeSet::new();
    for plan in old_plans.values() {
        files.extend(old.log_names(ctx, &git, plan)?);
    }
    for plan in new_plans.values() {
        files.extend(new.log_names(ctx, &git, plan)?);
    }
    let mut log_diffs = Vec::new();
    let old_sheet = old_plans
        .values()
        .find_map(|p| crate::logs::workbook::SheetChoice::of(p));
    let new_sheet = new_plans
        .values()
        .find_map(|p| crate::logs::workbook::SheetChoice::of(p));
    for f in &files {
        // A file that cannot be read as a table (its error is among the
        // diagnostics) is not compared: it would show as every row removed.
        let (Ok(a), Ok(b)) = (
            old.read_log(ctx, &git, f, old_sheet)?,
            new.read_log(ctx, &git, f, new_sheet)?,
        ) else {
            continue;
        };
        if let Some(d) = plandiff::logs(f, a.as_ref(), b.as_ref()) {
            log_diffs.push(d);
        }
    }

    let report = Report {
        from: args.rev.clone(),
        from_commit: from,
        to: args.rev2.clone(),
        to_commit: to,
        plans: plan_diffs,
        logs: log_diffs,
    };
    match args.format {
        DiffFormat::Text => write_stdout(ctx, |w| plandiff::render_text(&report, ctx.lang, ctx.color_stdout, w))?,
        DiffFormat::Json => write_stdout(ctx, |w| plandiff::render_json(&report, w))?,
    }
    if diags.is_empty() {
        return Ok(Exit::Success);
    }
    diag::sort(&mut diags);
    diags.dedup();
    let diags = diag::cap::limit(diags, ctx.lang);
    let _ = writeln!(
        std::io::stderr(),
        "\n{}",
        ctx.lang.pick(
            "Các thay đổi trên làm nhật ký có lỗi (phải sửa trước khi gộp):",
            "The changes above leave errors in the logs (to fix before merging):"
        )
    );
    ctx.print_diags(&diags);
    Ok(Exit::Invalid)
}

/// The git repository around the workspace.
struct Git {
    root: PathBuf,
}

impl Git {
    /// Checks that git runs and that the workspace is inside a repository.
    fn open(ctx: &Ctx) -> Result<Git, Exit> {
        let git = Git {
            root: ctx.ws.root.clone(),
        };
        match git.run(&["rev-parse", "--git-dir"]) {
            Ok(_) => Ok(git),
            Err(GitError::Spawn(e)) => Err(ctx.fatal(ctx.lang.pick(
                &format!("không chạy được git ({e}): `plan diff` cần git trong PATH"),
                &format!("cannot run git ({e}): `plan diff` needs git on the PATH"),
            ))),
            Err(GitError::Failed(_)) => Err(ctx.fatal(ctx.lang.pick(
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
    fn commit(&self, ctx: &Ctx, rev: &str) -> Result<String, Exit> {
        let unknown = || {
            ctx.fatal(ctx.lang.pick(
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
    fn tree(
        &self,
        ctx: &Ctx,
        commit: &str,
        dir: &str,
        also: &[String],
        recursive: bool,
    ) -> Result<Vec<TreeEntry>, Exit> {
        let dir = if dir.is_empty() { "." } else { dir };
        let mut args = vec!["ls-tree", "-z"];
        if recursive {
            args.push("-r");
        }
        args.extend([commit, "--", dir]);
        args.extend(also.iter().map(String::as_str));
        let out = self
            .run(&args)
            .map_err(|e| ctx.fatal(&format!("git ls-tree: {}", e.text())))?;
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
    fn files(&self, ctx: &Ctx, commit: &str, dir: &str) -> Result<Vec<String>, Exit> {
        Ok(self
            .tree(ctx, commit, dir, &[], true)?
            .into_iter()
            .filter(|e| e.utf8 && !e.link)
            .map(|e| e.path)
            .collect())
    }

    /// The content of `path` (workspace-relative) at `commit`.
    fn show(&self, ctx: &Ctx, commit: &str, path: &str) -> Result<Vec<u8>, Exit> {
        self.run(&["show", &format!("{commit}:./{path}")])
            .map_err(|e| ctx.fatal(&format!("git show {commit}:{path}: {}", e.text())))
    }
}

/// One blob of a revision's tree.
struct TreeEntry {
    /// The path, with U+FFFD for bytes that are not UTF-8 (what globs match).
    path: String,
    /// The path as shown in messages (`\xNN` for bytes that are not UTF-8).
    shown: String,
    utf8: bool,
    /// A symbolic link (mode 120000): never followed.
    link: bool,
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

/// One version of the workspace: a commit, or the working tree.
struct Side {
    /// `None` for the working tree.
    commit: Option<String>,
    /// The revision as the user wrote it (`None` for the working tree), to
    /// name files in diagnostics: `HEAD~1:logs/2023/hnd.csv`.
    rev: Option<String>,
    plans: Vec<PlanFile>,
    /// Errors in the logs globs (the working tree's `glob-escape`).
    glob_errors: Vec<Diagnostic>,
}

impl Side {
    fn working_tree(ctx: &Ctx) -> Side {
        let plans = load_plans(&ctx.ws, ctx.lang);
        let mut glob_errors = Vec::new();
        for pf in &plans {
            if ctx
                .plan
                .as_ref()
                .is_some_and(|id| pf.plan.as_ref().is_none_or(|p| &p.id != id))
            {
                continue;
            }
            if let Some(p) = &pf.plan {
                let (_, _, d) = log_files(&ctx.ws, p, ctx.lang);
                glob_errors.extend(d.into_iter().filter(Diagnostic::is_error));
            }
        }
        Side {
            commit: None,
            rev: None,
            plans,
            glob_errors,
        }
    }

    fn at_commit(ctx: &Ctx, git: &Git, rev: &str, commit: &str) -> Result<Side, Exit> {
        let mut plans: Vec<PlanFile> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        // Links (`plans` itself, or a plan file) are never followed, and a
        // name that is not UTF-8 is not passed over: each is an error of
        // this revision.
        for entry in git.tree(ctx, commit, "plans", &[], true)? {
            let is_plan = entry
                .path
                .strip_prefix("plans/")
                .is_some_and(|n| !n.contains('/') && n.ends_with(".toml"));
            let problem = if entry.link && (is_plan || entry.path == "plans") {
                PathProblem::CommittedLink {
                    link: format!("{rev}:{}", entry.shown),
                }
            } else if !is_plan {
                continue;
            } else if !entry.utf8 {
                PathProblem::BadName {
                    shown: format!("{rev}:{}", entry.shown),
                }
            } else {
                names.push(entry.path);
                continue;
            };
            let d = problem.plan_diagnostic(ctx.lang);
            plans.push(PlanFile {
                file: d.file.clone(),
                plan: None,
                diags: vec![d],
            });
        }
        names.sort();
        let mut glob_errors = Vec::new();
        for file in names {
            let shown = format!("{rev}:{file}");
            let bytes = git.show(ctx, commit, &file)?;
            let (plan, diags) = match String::from_utf8(bytes) {
                Ok(text) => {
                    let (p, d) = planfile::load(&shown, text.strip_prefix('\u{feff}').unwrap_or(&text), ctx.lang);
                    // The diff works with workspace paths; diagnostics name
                    // the revision.
                    (
                        p.map(|mut p| {
                            p.path.clone_from(&file);
                            p
                        }),
                        d,
                    )
                }
                Err(_) => (
                    None,
                    vec![
                        Diagnostic::error(
                            &shown,
                            "encoding",
                            ctx.lang.pick(
                                "tệp kế hoạch không phải UTF-8: hãy lưu lại với mã UTF-8",
                                "the plan file is not UTF-8: save it again as UTF-8",
                            ),
                        )
                        .at(1, 0, None),
                    ],
                ),
            };
            if let Some(p) = &plan {
                // As in the working tree: a glob out of the workspace is an
                // error of this revision (its files are never read).
                let chosen = ctx.plan.as_ref().is_none_or(|id| &p.id == id);
                glob_errors.extend(
                    p.logs
                        .iter()
                        .filter(|_| chosen)
                        .filter_map(|(glob, line)| glob_escape(&shown, glob, *line, ctx.lang)),
                );
            }
            plans.push(PlanFile {
                file: shown,
                plan,
                diags,
            });
        }
        Ok(Side {
            commit: Some(commit.to_owned()),
            rev: Some(rev.to_owned()),
            plans,
            glob_errors,
        })
    }

    /// The plan files `--plan` selects (all without it).
    fn chosen<'a>(&'a self, ctx: &'a Ctx) -> impl Iterator<Item = &'a PlanFile> + 'a {
        self.plans.iter().filter(move |pf| match &ctx.plan {
            None => true,
            Some(id) => pf.plan.as_ref().is_some_and(|p| &p.id == id),
        })
    }

    /// The valid plans by id (the first file wins a duplicate id).
    fn plans<'a>(&'a self, ctx: &'a Ctx) -> BTreeMap<&'a str, &'a Plan> {
        let mut out = BTreeMap::new();
        for pf in self.chosen(ctx) {
            if let Some(p) = &pf.plan {
                out.entry(p.id.as_str()).or_insert(p);
            }
        }
        out
    }

    /// The log files `plan` names in this version, workspace-relative.
    fn log_names(&self, ctx: &Ctx, git: &Git, plan: &Plan) -> Result<Vec<String>, Exit> {
        Ok(self.log_entries(ctx, git, plan)?.0)
    }

    /// The log files `plan` names in this version, and the errors of the
    /// files its globs reach but that are not read: symbolic links in the
    /// revision (never followed), names that are not UTF-8. (In the working
    /// tree those come from [`crate::workspace::Workspace::resolve_logs`].)
    fn log_entries(&self, ctx: &Ctx, git: &Git, plan: &Plan) -> Result<(Vec<String>, Vec<Diagnostic>), Exit> {
        let Some(commit) = &self.commit else {
            let (_, names, _) = log_files(&ctx.ws, plan, ctx.lang);
            return Ok((names, Vec::new()));
        };
        let rev = self.rev.as_deref().unwrap_or(commit);
        let plan_shown = format!("{rev}:{}", plan.path);
        let mut out = Vec::new();
        let mut diags = Vec::new();
        for (written, line) in &plan.logs {
            if glob_escape("", written, 0, ctx.lang).is_some() {
                continue; // an error of this revision, reported with the plan's
            }
            let normal = normal_glob(written);
            let glob = normal.as_str();
            let Ok(matcher) = Glob::new(glob).map(|g| g.compile_matcher()) else {
                continue;
            };
            let prefix: Vec<&str> = glob
                .split('/')
                .take_while(|s| !s.contains(['*', '?', '[', '{']))
                .collect();
            let dir = prefix.join("/");
            let mut problems = Vec::new();
            // A folder on the way that is a link hides everything below it
            // from `ls-tree -r`: look at each folder of the prefix itself.
            if !dir.is_empty() {
                let ancestors: Vec<String> = (1..prefix.len())
                    .map(|n| prefix.get(..n).unwrap_or_default().join("/"))
                    .collect();
                let mut links: Vec<TreeEntry> = git
                    .tree(ctx, commit, &dir, &ancestors, false)?
                    .into_iter()
                    .filter(|e| e.link && (e.path == dir || ancestors.contains(&e.path)))
                    .collect();
                links.sort_by_key(|e| e.path.len());
                if let Some(e) = links.first() {
                    problems.push(PathProblem::CommittedLink {
                        link: format!("{rev}:{}", e.shown),
                    });
                }
            }
            if problems.is_empty() {
                for e in git.tree(ctx, commit, &dir, &[], true)? {
                    if !matcher.is_match(&e.path) {
                        continue;
                    }
                    if e.link {
                        problems.push(PathProblem::CommittedLink {
                            link: format!("{rev}:{}", e.shown),
                        });
                    } else if !e.utf8 {
                        problems.push(PathProblem::BadName {
                            shown: format!("{rev}:{}", e.shown),
                        });
                    } else {
                        out.push(e.path);
                    }
                }
            }
            diags.extend(
                problems
                    .iter()
                    .map(|p| p.glob_diagnostic(&plan_shown, written, *line, ctx.lang)),
            );
        }
        out.sort();
        out.dedup();
        Ok((out, diags))
    }

    /// The errors in this version's logs of `plan` (checked together, so a
    /// `ref` used in two files is found too).
    fn log_errors(&self, ctx: &Ctx, git: &Git, plan: &Plan) -> Result<Vec<Diagnostic>, Exit> {
        let mut files = Vec::new();
        let (names, mut refused) = self.log_entries(ctx, git, plan)?;
        for name in names {
            if let Some(bytes) = self.log_bytes(ctx, git, &name, crate::logs::workbook::SheetChoice::of(plan))? {
                files.push(LogFile {
                    name: self
                        .rev
                        .as_ref()
                        .map_or_else(|| name.clone(), |r| format!("{r}:{name}")),
                    source: Source::Bytes(bytes),
                });
            }
        }
        let diags = logs::scan_sequential(plan, &files, ctx.today, ctx.lang, &mut Discard);
        refused.extend(diags.into_iter().filter(Diagnostic::is_error));
        Ok(refused)
    }

    /// A log's bytes in this version, `None` when it does not exist there.
    fn log_bytes(
        &self,
        ctx: &Ctx,
        git: &Git,
        name: &str,
        sheet: Option<crate::logs::workbook::SheetChoice<'_>>,
    ) -> Result<Option<Vec<u8>>, Exit> {
        let bytes = match &self.commit {
            Some(c) => {
                if git.files(ctx, c, name)?.iter().all(|f| f != name) {
                    return Ok(None);
                }
                git.show(ctx, c, name)?
            }
            None => match std::fs::read(ctx.ws.path(name)) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(ctx.fatal(&format!("{name}: {}", ctx.lang.io_error(&e)))),
            },
        };
        // A workbook's rows are compared as rows: read as CSV text.
        Ok(Some(crate::logs::workbook::as_csv(name, bytes, sheet, ctx.lang)))
    }

    /// A log in this version, `None` when it does not exist there; `Err`
    /// when it exists but is no table (not UTF-8, broken quoting).
    fn read_log(
        &self,
        ctx: &Ctx,
        git: &Git,
        name: &str,
        sheet: Option<crate::logs::workbook::SheetChoice<'_>>,
    ) -> Result<Result<Option<LogTable>, ()>, Exit> {
        let Some(bytes) = self.log_bytes(ctx, git, name, sheet)? else {
            return Ok(Ok(None));
        };
        Ok(read_log(&bytes, false).map(Some).map_err(|_| ()))
    }
}
