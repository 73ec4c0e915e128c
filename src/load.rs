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
use crate::safe_write::Fingerprint;
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
    /// With [`scan_logs_proving`], by file: the log when its check proved
    /// it canonical (empty otherwise).
    pub proven: Vec<Option<ProvenLog>>,
}

/// A log whose check proved its records canonical ([`logs::Proven`]), and
/// the state of the file taken before it was read: the proof holds while
/// the file is in that state.
#[derive(Debug, Clone, Copy)]
pub struct ProvenLog {
    pub before: Fingerprint,
    pub records: logs::Proven,
}

impl ProvenLog {
    /// Whether the log open as `f`, now in state `now`, is in canonical
    /// form: it is as it was before the check read it, and the proof
    /// holds for the whole file ([`logs::Proven::holds`]).
    pub fn holds(&self, f: &std::fs::File, now: Fingerprint) -> std::io::Result<bool> {
        if self.before != now {
            return Ok(false);
        }
        self.records.holds(f, now.size())
    }
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
    read_logs(ws, plan, lang, false, |files| {
        let diags = logs::scan_sequential(plan, files, today, lang, &mut |r: &Row<'_>| sink(r));
        (diags, Vec::new())
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
    read_logs(ws, plan, lang, false, |files| {
        (logs::scan(plan, files, today, lang, threads(), sink), Vec::new())
    })
}

/// [`scan_logs_parallel`], also proving each log canonical as it is read,
/// for `plan fmt` ([`LogScan::proven`]).
pub fn scan_logs_proving<S: ParallelSink>(
    ws: &Workspace,
    plan: &Plan,
    today: NaiveDate,
    lang: Lang,
    sink: &mut S,
) -> LogScan {
    read_logs(ws, plan, lang, true, |files| {
        logs::scan_proving(plan, files, today, lang, threads(), sink)
    })
}

/// The logs of `plan` found, workbooks opened, and read by `scan`; its
/// diagnostics placed (sheet cells for workbooks) after the files' own.
/// With `prove`, each file's state is taken before it is read, for what
/// `scan` proved of it.
fn read_logs(
    ws: &Workspace,
    plan: &Plan,
    lang: Lang,
    prove: bool,
    scan: impl FnOnce(&[logs::LogFile]) -> (Vec<Diagnostic>, Vec<Option<logs::Proven>>),
) -> LogScan {
    let (paths, files, mut diags) = log_files(ws, plan, lang);
    let mut opened = workbook::open(&paths, &files, workbook::SheetChoice::of(plan), lang, threads());
    diags.append(&mut opened.diags);
    let before: Vec<Option<Fingerprint>> = if prove {
        opened
            .paths
            .iter()
            .map(|p| std::fs::metadata(p).ok().map(|m| Fingerprint::of(&m)))
            .collect()
    } else {
        Vec::new()
    };
    let (mut found, proofs) = scan(&opened.files);
    logs::month_first(&mut found, lang);
    opened.place(&mut found);
    diags.extend(found);
    let proven = proofs
        .into_iter()
        .zip(before)
        .map(|(records, before)| {
            Some(ProvenLog {
                before: before?,
                records: records?,
            })
        })
        .collect();
    LogScan {
        files: opened.names,
        paths: opened.paths,
        diags,
        proven,
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::fs::File;
    use std::io::{Seek, SeekFrom, Write};
    use std::time::{Duration, SystemTime};

    use super::*;

    fn file(text: &str) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn state(f: &File) -> Fingerprint {
        Fingerprint::of(&f.metadata().unwrap())
    }

    #[test]
    fn a_proof_holds_for_the_file_only_as_it_was_before_it_was_read() {
        let text = "date,org\n2023-01-01,A\n2023-01-02,B\n";
        let mut f = file(text);
        let before = state(&f);
        let records = logs::Proven {
            data_start: 9,
            end: text.len() as u64,
        };
        let proven = ProvenLog { before, records };
        assert!(proven.holds(&f, before).unwrap());
        // The rows swapped, the size the same: the proof is of another file.
        f.seek(SeekFrom::Start(9)).unwrap();
        f.write_all(b"2023-01-02,A\n2023-01-01,B\n").unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(86_400))
            .unwrap();
        assert!(!proven.holds(&f, state(&f)).unwrap());
    }

    #[test]
    fn a_proof_holds_when_the_records_fill_the_file_after_a_canonical_header() {
        let holds = |text: &str, data_start: u64, end: u64| {
            logs::Proven { data_start, end }
                .holds(&file(text), text.len() as u64)
                .unwrap()
        };
        let text = "date,org\n2023-01-01,A\n";
        assert!(holds(text, 9, 22));
        assert!(holds("\u{feff}date,org\n", 12, 12));
        // Records that stop short of the end, or begin elsewhere.
        assert!(!holds(text, 9, 21));
        assert!(!holds(text, 8, 22));
        // A header not in canonical order, or of one column.
        assert!(!holds("org,date\nA,2023-01-01\n", 9, 22));
        assert!(!holds("date\n2023-01-01\n", 5, 16));
    }
}
