//! One version of a workspace's plans and logs, read from a file source:
//! the working tree, or a git revision. `plan diff` compares two of them.
//! In a revision, plans and the files the logs globs reach are listed with
//! `git ls-tree`; a symbolic link stored there is never followed and a
//! name that is not UTF-8 is never passed over: each is an error of that
//! revision, as in the working tree.

use crate::logs::workbook::SheetChoice;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use globset::Glob;

use super::{PlanFile, load_plans, log_files, without_bom};
use crate::canonical::{LogTable, read_log};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::git::{Git, TreeEntry};
use crate::lang::Lang;
use crate::logs::{self, Discard, LogFile, Source};
use crate::model::Plan;
use crate::planfile;
use crate::workspace::{PathProblem, Workspace, glob_escape, literal_prefix, normal_glob};

/// Where a version's files are read from.
pub enum FileSource<'a> {
    /// The files on disk, through [`Workspace::contain`].
    WorkingTree,
    /// A commit: `rev` as the user wrote it (it names files in diagnostics:
    /// `HEAD~1:logs/2023/hnd.csv`), `commit` its id. Links stored in the
    /// revision are never followed.
    Revision { git: &'a Git, rev: String, commit: String },
}

/// One version of the workspace: its plans and their logs, read from a
/// [`FileSource`].
pub struct Version<'a> {
    ws: &'a Workspace,
    source: FileSource<'a>,
    lang: Lang,
    /// `--plan ID`, if given.
    pick: Option<String>,
    pub plans: Vec<PlanFile>,
    /// Errors in the logs globs (`glob-escape`, and in the working tree the
    /// files the globs reach but may not read).
    pub glob_errors: Vec<Diagnostic>,
}

impl<'a> Version<'a> {
    /// Reads the plans of `source` and checks the logs globs of those
    /// `pick` (`--plan ID`) selects.
    pub fn load(
        ws: &'a Workspace,
        source: FileSource<'a>,
        pick: Option<&str>,
        lang: Lang,
    ) -> Result<Version<'a>, Error> {
        let mut version = Version {
            ws,
            source,
            lang,
            pick: pick.map(str::to_owned),
            plans: Vec::new(),
            glob_errors: Vec::new(),
        };
        match &version.source {
            FileSource::WorkingTree => version.load_working_tree(),
            FileSource::Revision { git, rev, commit } => {
                let (plans, glob_errors) = load_revision(git, rev, commit, pick, lang)?;
                version.plans = plans;
                version.glob_errors = glob_errors;
            }
        }
        Ok(version)
    }

    fn load_working_tree(&mut self) {
        self.plans = load_plans(self.ws, self.lang);
        for pf in self.plans.iter().filter(|pf| pf.is_picked(self.pick.as_deref())) {
            if let Some(p) = &pf.plan {
                let (_, _, d) = log_files(self.ws, p, self.lang);
                self.glob_errors.extend(d.into_iter().filter(Diagnostic::is_error));
            }
        }
    }

    /// The plan files `--plan` selects (all without it).
    pub fn chosen(&self) -> impl Iterator<Item = &PlanFile> {
        self.plans.iter().filter(|pf| pf.is_picked(self.pick.as_deref()))
    }

    /// The valid plans by id (the first file wins a duplicate id).
    pub fn valid_plans(&self) -> BTreeMap<&str, &Plan> {
        let mut out = BTreeMap::new();
        for pf in self.chosen() {
            if let Some(p) = &pf.plan {
                out.entry(p.id.as_str()).or_insert(p);
            }
        }
        out
    }

    /// The log files `plan` names in this version, workspace-relative.
    pub fn log_names(&self, plan: &Plan) -> Result<Vec<String>, Error> {
        Ok(self.log_entries(plan)?.0)
    }

    /// The log files `plan` names in this version, and the errors of the
    /// files its globs reach but that are not read: symbolic links in the
    /// revision (never followed), names that are not UTF-8. (In the working
    /// tree those come from [`crate::workspace::Workspace::resolve_logs`].)
    fn log_entries(&self, plan: &Plan) -> Result<(Vec<String>, Vec<Diagnostic>), Error> {
        let FileSource::Revision { git, rev, commit } = &self.source else {
            let (_, names, _) = log_files(self.ws, plan, self.lang);
            return Ok((names, Vec::new()));
        };
        let plan_shown = format!("{rev}:{}", plan.path);
        let mut out = Vec::new();
        let mut diags = Vec::new();
        for (written, line) in &plan.logs {
            if glob_escape("", written, 0, self.lang).is_some() {
                continue; // an error of this revision, reported with the plan's
            }
            let normal = normal_glob(written);
            let glob = normal.as_str();
            let Ok(matcher) = Glob::new(glob).map(|g| g.compile_matcher()) else {
                continue;
            };
            let prefix = literal_prefix(glob);
            let dir = prefix.join("/");
            let mut problems = Vec::new();
            // A folder on the way that is a link hides everything below it
            // from `ls-tree -r`: look at each folder of the prefix itself.
            if !dir.is_empty() {
                let ancestors: Vec<String> = (1..prefix.len())
                    .map(|n| prefix.get(..n).unwrap_or_default().join("/"))
                    .collect();
                let mut links: Vec<TreeEntry> = git
                    .tree(commit, &dir, &ancestors, false)?
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
                for e in git.tree(commit, &dir, &[], true)? {
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
                    .map(|p| p.glob_diagnostic(&plan_shown, written, *line, self.lang)),
            );
        }
        out.sort();
        out.dedup();
        Ok((out, diags))
    }

    /// The errors in this version's logs of `plan` (checked together, so a
    /// `ref` used in two files is found too).
    pub fn log_errors(&self, plan: &Plan, today: NaiveDate) -> Result<Vec<Diagnostic>, Error> {
        let mut files = Vec::new();
        let (names, mut refused) = self.log_entries(plan)?;
        for name in names {
            if let Some(bytes) = self.log_bytes(&name, SheetChoice::of(plan))? {
                files.push(LogFile {
                    name: match &self.source {
                        FileSource::Revision { rev, .. } => format!("{rev}:{name}"),
                        FileSource::WorkingTree => name.clone(),
                    },
                    source: Source::Bytes(bytes),
                });
            }
        }
        let diags = logs::scan_sequential(plan, &files, today, self.lang, &mut Discard);
        refused.extend(diags.into_iter().filter(Diagnostic::is_error));
        Ok(refused)
    }

    /// A log's bytes in this version, `None` when it does not exist there.
    fn log_bytes(&self, name: &str, sheet: Option<SheetChoice<'_>>) -> Result<Option<Vec<u8>>, Error> {
        let bytes = match &self.source {
            FileSource::Revision { git, commit, .. } => {
                if git.files(commit, name)?.iter().all(|f| f != name) {
                    return Ok(None);
                }
                git.show(commit, name)?
            }
            FileSource::WorkingTree => match std::fs::read(self.ws.path(name)) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(Error::io(format!("{name}: {}", self.lang.io_error(&e)))),
            },
        };
        // A workbook's rows are compared as rows: read as CSV text.
        Ok(Some(crate::logs::workbook::as_csv(name, bytes, sheet, self.lang)))
    }

    /// A log in this version, `None` when it does not exist there; `Err`
    /// when it exists but is no table (not UTF-8, broken quoting).
    pub fn read_log(&self, name: &str, sheet: Option<SheetChoice<'_>>) -> Result<Result<Option<LogTable>, ()>, Error> {
        let Some(bytes) = self.log_bytes(name, sheet)? else {
            return Ok(Ok(None));
        };
        Ok(read_log(&bytes, false).map(Some).map_err(|_| ()))
    }
}

/// The plan files of the revision, and the errors of their logs globs.
fn load_revision(
    git: &Git,
    rev: &str,
    commit: &str,
    pick: Option<&str>,
    lang: Lang,
) -> Result<(Vec<PlanFile>, Vec<Diagnostic>), Error> {
    let mut plans: Vec<PlanFile> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // Links (`plans` itself, or a plan file) are never followed, and a
    // name that is not UTF-8 is not passed over: each is an error of
    // this revision.
    for entry in git.tree(commit, "plans", &[], true)? {
        let is_plan = entry
            .path
            .strip_prefix("plans/")
            .is_some_and(|n| !n.contains('/') && Path::new(n).extension().is_some_and(|x| x == "toml"));
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
        let d = problem.plan_diagnostic(lang);
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
        let bytes = git.show(commit, &file)?;
        let (plan, diags) = match String::from_utf8(bytes) {
            Ok(text) => {
                let (p, d) = planfile::load(&shown, without_bom(&text), lang);
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
                        lang.pick(
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
            let chosen = pick.is_none_or(|id| p.id == id);
            glob_errors.extend(
                p.logs
                    .iter()
                    .filter(|_| chosen)
                    .filter_map(|(glob, line)| glob_escape(&shown, glob, *line, lang)),
            );
        }
        plans.push(PlanFile {
            file: shown,
            plan,
            diags,
        });
    }
    Ok((plans, glob_errors))
}
