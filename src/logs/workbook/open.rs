//! Opening a plan's logs: CSV files are left to the reader, workbooks are
//! read into CSV text (on several threads), and files that cannot be logs
//! (a workbook under a `.csv` name, a workbook no glob matches) get a
//! diagnostic.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Book, Packing, SheetChoice, is_workbook_name, line_starts, read_bytes, sniff};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::logs::{LogFile, Source};

/// Logs to scan: the CSV files as they are, the workbooks read into CSV
/// text; the files that cannot be read as logs are left out with a
/// diagnostic each.
#[derive(Debug, Default)]
pub struct Opened {
    pub paths: Vec<PathBuf>,
    pub names: Vec<String>,
    pub files: Vec<LogFile>,
    pub diags: Vec<Diagnostic>,
    /// The workbooks read, with their index in `files` (whose source holds
    /// the CSV text).
    books: BTreeMap<String, (usize, Book)>,
}

/// What opening one log gave: its source (and the workbook it was read
/// from), or the diagnostic that keeps it out.
type OpenedOne = Result<(Source, Option<Book>), Box<Diagnostic>>;

/// Opens one log: a workbook is read and converted, a workbook saved under
/// another name (`.csv`) is refused, a CSV is left to the reader.
fn open_one(path: &Path, name: &str, sheet: Option<SheetChoice<'_>>, lang: Lang) -> OpenedOne {
    if !is_workbook_name(name) {
        return match sniff(&head(path)) {
            Some(p) => Err(Box::new(misnamed(name, p, lang))),
            None => Ok((Source::Path(path.to_path_buf()), None)),
        };
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let e = lang.io_error(&e);
        Box::new(Diagnostic::error(
            name,
            "io",
            lang.pick(
                &format!("không đọc được tệp: {e}"),
                &format!("cannot read the file: {e}"),
            ),
        ))
    })?;
    let mut book = read_bytes(name, bytes, sheet, lang)?;
    let source = Source::Bytes(std::mem::take(&mut book.csv));
    Ok((source, Some(book)))
}

/// Opens the logs `paths` (shown as `names`), workbooks on up to
/// `threads` threads (reading the sheet `sheet` names, else the first); the
/// result does not depend on the threads.
pub fn open(paths: &[PathBuf], names: &[String], sheet: Option<SheetChoice<'_>>, lang: Lang, threads: usize) -> Opened {
    let jobs: Vec<(usize, &PathBuf, &String)> = paths
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (p, n))| (i, p, n))
        .collect();
    let books = jobs.iter().filter(|(_, _, n)| is_workbook_name(n)).count();
    let threads = threads.clamp(1, books.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, OpenedOne)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                crate::threads::spawn(scope, || {
                    let mut done = Vec::new();
                    while let Some(&(i, p, n)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        // A reader that panics on a malformed workbook
                        // gives a diagnostic, not a crash or a lost file.
                        let one = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_one(p, n, sheet, lang)))
                            .unwrap_or_else(|_| {
                                Err(Box::new(Diagnostic::error(
                                    n,
                                    "workbook",
                                    lang.pick(
                                        "không đọc được sổ tính (tệp hỏng): mở lại trong Excel hoặc LibreOffice và lưu thành .xlsx",
                                        "cannot read the workbook (it is damaged): open it in Excel or LibreOffice and save it as .xlsx again",
                                    ),
                                )))
                            });
                        done.push((i, one));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).flatten().collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let mut out = Opened::default();
    for (i, result) in results {
        let (Some(path), Some(name)) = (paths.get(i), names.get(i)) else {
            continue;
        };
        match result {
            Ok((source, book)) => {
                if let Some(mut book) = book {
                    out.diags.append(&mut book.diags);
                    out.books.insert(name.clone(), (out.files.len(), book));
                }
                out.paths.push(path.clone());
                out.names.push(name.clone());
                out.files.push(LogFile {
                    name: name.clone(),
                    source,
                });
            }
            Err(d) => out.diags.push(*d),
        }
    }
    out
}

impl Opened {
    /// Places the scan's diagnostics of workbooks at their sheet cells.
    pub fn place(&self, diags: &mut [Diagnostic]) {
        if self.books.is_empty() {
            return;
        }
        let mut starts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for d in diags.iter_mut() {
            let Some((name, (i, book))) = self.books.get_key_value(&d.file) else {
                continue;
            };
            let Some(Source::Bytes(csv)) = self.files.get(*i).map(|f| &f.source) else {
                continue;
            };
            let s = starts.entry(name.as_str()).or_insert_with(|| line_starts(csv));
            book.place(d, csv, s);
        }
    }
}

/// The first bytes of a file (empty when it cannot be read: the CSV reader
/// then says why).
fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::with_capacity(8);
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(8).read_to_end(&mut buf);
    }
    buf
}

/// A workbook saved under a CSV name.
fn misnamed(name: &str, p: Packing, lang: Lang) -> Diagnostic {
    let what = match p {
        Packing::Zip => "xlsx/ods",
        Packing::Ole => "xls",
    };
    Diagnostic::error(
        name,
        "workbook-as-csv",
        lang.pick(
            &format!(
                "tệp này là sổ tính Excel ({what}) mang đuôi .csv, không phải văn bản CSV: đổi tên cho đúng đuôi (ví dụ .xlsx) để `plan` đọc nó như sổ tính, hoặc mở trong Excel và Lưu thành → \"CSV UTF-8 (Comma delimited)\""
            ),
            &format!(
                "this file is an Excel workbook ({what}) named .csv, not CSV text: rename it with its real extension (e.g. .xlsx) so that `plan` reads it as a workbook, or open it in Excel and Save As → \"CSV UTF-8 (Comma delimited)\""
            ),
        ),
    )
    .at(1, 0, None)
}

/// The workbooks below the folders the `logs` globs look in that no glob
/// matched: each gets a warning (their rows would not count in silence).
pub fn unmatched(root: &Path, globs: &[String], matched: &[PathBuf], lang: Lang) -> Vec<Diagnostic> {
    let mut dirs: Vec<PathBuf> = globs
        .iter()
        .map(|g| {
            crate::workspace::normal_glob(g)
                .split('/')
                .take_while(|s| !s.contains(['*', '?', '[', '{']))
                .collect::<PathBuf>()
        })
        .filter(|p| !p.as_os_str().is_empty() && !p.components().any(|c| matches!(c, std::path::Component::ParentDir)))
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut found = Vec::new();
    for dir in &dirs {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = e.path();
            let Some(n) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if e.file_type().is_file() && is_workbook_name(n) && !n.starts_with("~$") && !matched.iter().any(|m| m == p)
            {
                found.push(p.to_path_buf());
            }
        }
    }
    found.sort();
    found.dedup();
    found
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("xlsx").to_ascii_lowercase();
            Diagnostic::warning(
                &rel,
                "unread-workbook",
                lang.pick(
                    &format!(
                        "sổ tính này nằm trong thư mục nhật ký nhưng không mẫu `logs` nào khớp nó, nên các dòng của nó không được tính: thêm mẫu như \"{}/**/*.{ext}\" vào `logs` của kế hoạch, hoặc lưu nó thành CSV",
                        dirs.iter().find(|d| p.starts_with(root.join(d))).map_or("logs".into(), |d| d.to_string_lossy().into_owned())
                    ),
                    &format!(
                        "this workbook is in a logs folder but no `logs` glob matches it, so its rows do not count: add a glob such as \"{}/**/*.{ext}\" to the plan's `logs`, or save it as CSV",
                        dirs.iter().find(|d| p.starts_with(root.join(d))).map_or("logs".into(), |d| d.to_string_lossy().into_owned())
                    ),
                ),
            )
        })
        .collect()
}
