//! Loading a workspace's plans and logs with every check applied: the one
//! path by which every command reads its inputs. The working tree is read
//! here; [`version`] reads either it or a git revision (for `plan diff`)
//! through the same plan reading and the same `--plan` rule.

pub mod version;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::{Diagnostic, SourceMap};
use crate::lang::Lang;
use crate::logs::{self, ParallelSink, Row, workbook};
use crate::model::Plan;
use crate::planfile;
use crate::workspace::Workspace;

/// A plan file as read: the plan if it could be built, and its diagnostics.
#[derive(Debug, Clone)]
pub struct PlanFile {
    pub file: String,
    pub plan: Option<Plan>,
    pub diags: Vec<Diagnostic>,
}

impl PlanFile {
    /// Whether `--plan ID` (`pick`) keeps this file's plan: always without
    /// the option, else when the plan read has that id.
    pub fn is_picked(&self, pick: Option<&str>) -> bool {
        pick.is_none_or(|id| self.plan.as_ref().is_some_and(|p| p.id == id))
    }
}

/// A plan file's text without its byte-order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// An `encoding` error at the first byte of `bytes` that is not UTF-8, with
/// its line shown (lossily).
fn not_utf8(file: &str, bytes: &[u8], valid: usize, lang: Lang) -> Diagnostic {
    let before = bytes.get(..valid).unwrap_or_default();
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let end = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |p| start + p);
    let column = String::from_utf8_lossy(before.get(start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    let text = String::from_utf8_lossy(bytes.get(start..end).unwrap_or_default());
    Diagnostic::error(
        file,
        "encoding",
        lang.pick(
            "tệp kế hoạch không phải UTF-8 (có vẻ là Windows-1258 hay một bảng mã cũ): hãy lưu lại với mã UTF-8",
            "the plan file is not UTF-8 (it looks like Windows-1258 or another legacy encoding): save it again as UTF-8",
        ),
    )
    .at(line, column, Some(text.trim_end_matches('\r').to_owned()))
}

/// Reads and validates every plan file of the workspace. Duplicate plan
/// ids across files are reported. A plan file (or `plans/` itself) that
/// leads outside the workspace, or whose name is not UTF-8, is not read: it
/// comes back without a plan, with its `path-escape` or `bad-path` error.
pub fn load_plans(ws: &Workspace, lang: Lang) -> Vec<PlanFile> {
    let mut out: Vec<PlanFile> = ws
        .plan_problems
        .iter()
        .map(|p| {
            let d = p.plan_diagnostic(lang);
            PlanFile {
                file: d.file.clone(),
                plan: None,
                diags: vec![d],
            }
        })
        .collect();
    // Plan id → the file that has it first.
    let mut ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for file in &ws.plan_files {
        let mut text = String::new();
        let path = match ws.contain(Path::new(file)) {
            Ok(path) => path,
            Err(p) => {
                out.push(PlanFile {
                    file: file.clone(),
                    plan: None,
                    diags: vec![p.plan_diagnostic(lang)],
                });
                continue;
            }
        };
        let (plan, diags) = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => {
                    text = without_bom(&t).to_owned();
                    planfile::load(file, &text, lang)
                }
                Err(e) => (
                    None,
                    vec![not_utf8(file, e.as_bytes(), e.utf8_error().valid_up_to(), lang)],
                ),
            },
            Err(e) => (None, vec![Diagnostic::error(file, "io", lang.io_error(&e))]),
        };
        let mut pf = PlanFile {
            file: file.clone(),
            plan,
            diags,
        };
        if let Some(p) = &pf.plan {
            if let Some(first_file) = ids.get(&p.id) {
                let diag = Diagnostic::error(
                    file,
                    "duplicate-id",
                    lang.pick(
                        &format!(
                            "mã kế hoạch `{}` đã dùng trong {}: mỗi kế hoạch cần một id riêng",
                            p.id, first_file
                        ),
                        &format!(
                            "plan id `{}` is already used by {}: give each plan its own id",
                            p.id, first_file
                        ),
                    ),
                );
                pf.diags.push(match &p.id_span {
                    Some(span) => SourceMap::new(&text).place(diag, span.clone()),
                    None => diag.at(1, 0, None),
                });
            } else {
                ids.insert(p.id.clone(), file.clone());
            }
        }
        out.push(pf);
    }
    out
}

/// The result of reading one plan's logs.
pub struct LogScan {
    /// Workspace-relative names of the log files, indexed by `Row::file`.
    pub files: Vec<String>,
    pub paths: Vec<PathBuf>,
    pub diags: Vec<Diagnostic>,
}

/// Resolves the plan's log globs.
pub fn log_files(ws: &Workspace, plan: &Plan, lang: Lang) -> (Vec<PathBuf>, Vec<String>, Vec<Diagnostic>) {
    let (paths, mut diags) = ws.resolve_logs(&plan.path, &plan.logs, lang);
    let globs: Vec<String> = plan.logs.iter().map(|(g, _)| g.clone()).collect();
    diags.extend(workbook::unmatched(&ws.root, &globs, &paths, lang));
    let names = paths.iter().map(|p| ws.display(p)).collect();
    (paths, names, diags)
}

/// How many threads read logs: `PLAN_THREADS` if set, else every core; at
/// most [`MAX_THREADS`].
pub fn threads() -> usize {
    std::env::var("PLAN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
        .clamp(1, MAX_THREADS)
}

/// The most threads [`threads`] gives, whatever `PLAN_THREADS` asks for: a
/// large log is cut into a piece per thread, each read on a thread of the
/// system's own, and a figure like `PLAN_THREADS=100000` asked for more
/// threads than the system would start (the command then stopped).
pub const MAX_THREADS: usize = 256;

/// Reads every log of `plan` in one thread, in order, checking each row;
/// valid rows go to `sink` (with their exact lines).
pub fn scan_logs(ws: &Workspace, plan: &Plan, today: NaiveDate, lang: Lang, sink: &mut dyn FnMut(&Row<'_>)) -> LogScan {
    read_logs(ws, plan, lang, |files| {
        logs::scan_sequential(plan, files, today, lang, &mut |r: &Row<'_>| sink(r))
    })
}

/// Reads every log of `plan` on all cores; the same diagnostics and sink
/// contents as [`scan_logs`].
pub fn scan_logs_parallel<S: ParallelSink>(
    ws: &Workspace,
    plan: &Plan,
    today: NaiveDate,
    lang: Lang,
    sink: &mut S,
) -> LogScan {
    read_logs(ws, plan, lang, |files| {
        logs::scan(plan, files, today, lang, threads(), sink)
    })
}

/// The logs of `plan` found, workbooks opened, and read by `scan`; its
/// diagnostics placed (sheet cells for workbooks) after the files' own.
fn read_logs(
    ws: &Workspace,
    plan: &Plan,
    lang: Lang,
    scan: impl FnOnce(&[logs::LogFile]) -> Vec<Diagnostic>,
) -> LogScan {
    let (paths, files, mut diags) = log_files(ws, plan, lang);
    let mut opened = workbook::open(&paths, &files, workbook::SheetChoice::of(plan), lang, threads());
    diags.append(&mut opened.diags);
    let mut found = scan(&opened.files);
    logs::month_first(&mut found, lang);
    opened.place(&mut found);
    diags.extend(found);
    LogScan {
        files: opened.names,
        paths: opened.paths,
        diags,
    }
}

/// Picks the plan a command works on: `--plan ID`, or the only one.
pub fn select<'a>(plans: &'a [PlanFile], id: Option<&str>, lang: Lang) -> Result<&'a PlanFile, String> {
    match id {
        Some(id) => plans
            .iter()
            .find(|p| p.plan.as_ref().is_some_and(|q| q.id == id) || p.file == format!("plans/{id}.toml"))
            .ok_or_else(|| {
                let known: Vec<&str> = plans
                    .iter()
                    .filter_map(|p| p.plan.as_ref().map(|q| q.id.as_str()))
                    .collect();
                lang.pick(
                    &format!("không có kế hoạch `{id}`; các kế hoạch: {}", known.join(", ")),
                    &format!("no plan `{id}`; the workspace has: {}", known.join(", ")),
                )
                .to_owned()
            }),
        None => match plans {
            [one] => Ok(one),
            [] => Err(lang
                .pick("thư mục plans/ không có tệp .toml nào", "plans/ holds no .toml file")
                .to_owned()),
            _ => {
                let ids: Vec<&str> = plans.iter().map(|p| p.file.as_str()).collect();
                Err(lang
                    .pick(
                        &format!("có nhiều kế hoạch ({}): chọn một bằng --plan ID", ids.join(", ")),
                        &format!(
                            "the workspace has several plans ({}): pick one with --plan ID",
                            ids.join(", ")
                        ),
                    )
                    .to_owned())
            }
        },
    }
}
