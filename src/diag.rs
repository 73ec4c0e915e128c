//! Diagnostics: what is wrong with an input file, where, and how to fix it.
//!
//! A [`Diagnostic`] is plain data with a place (file, line, column). It is
//! produced by the plan and log readers and rendered here in three forms:
//! human (an annotated source line, like cargo), JSON and GitHub workflow
//! commands. Nothing in this module decides *what* is wrong.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::lang::Lang;

pub mod cap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the workspace root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when a column means nothing.
    pub column: usize,
    pub severity: Severity,
    /// Stable code, e.g. `bad-date`.
    pub code: &'static str,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
    /// The offending source line (without its line break), when known.
    pub source_line: Option<String>,
    /// How many characters from `column` to underline (at least one).
    pub width: usize,
    /// Not 0: this is no problem of its own but the summary of that many
    /// more of `code` in `file`, left out (see [`cap`]).
    pub suppressed: usize,
}

impl Diagnostic {
    pub fn error(file: &str, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            source_line: None,
            width: 1,
            suppressed: 0,
        }
    }

    pub fn warning(file: &str, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, code, message)
        }
    }

    /// Places the diagnostic at a line and column, with the line's text.
    pub fn at(mut self, line: usize, column: usize, source_line: Option<String>) -> Diagnostic {
        self.line = line;
        self.column = column;
        self.source_line = source_line;
        self
    }

    pub fn width(mut self, width: usize) -> Diagnostic {
        self.width = width.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// How many problems this stands for: one, or those a summary counts.
    pub fn weight(&self) -> usize {
        self.suppressed.max(1)
    }

    /// Sort key: file, then line, then column, then code (stable output);
    /// a file's summaries of diagnostics left out come after the others.
    fn key(&self) -> (&str, bool, usize, usize, &str, &str) {
        (
            &self.file,
            self.suppressed > 0,
            self.line,
            self.column,
            self.code,
            &self.message,
        )
    }
}

/// Sorts diagnostics by place so that output never depends on reading order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.key().cmp(&b.key()));
}

/// Maps byte offsets of a text to 1-based line and character column.
pub struct SourceMap<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    pub fn new(text: &'a str) -> SourceMap<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceMap { text, line_starts }
    }

    /// Line (1-based), column (1-based, in characters) and the line's text.
    pub fn locate(&self, offset: usize) -> (usize, usize, String) {
        let offset = offset.min(self.text.len());
        let idx = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let end = self.line_starts.get(idx + 1).map_or(self.text.len(), |&e| e - 1);
        let line = self.text.get(start..end).unwrap_or("").trim_end_matches('\r');
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (idx + 1, col, line.to_owned())
    }

    /// Places `diag` at the byte range `span` of this text.
    pub fn place(&self, diag: Diagnostic, span: std::ops::Range<usize>) -> Diagnostic {
        let (line, col, text) = self.locate(span.start);
        let width = self
            .text
            .get(span.start..span.end.max(span.start))
            .map_or(1, |s| s.lines().next().map_or(1, |l| l.chars().count()));
        diag.at(line, col, Some(text)).width(width)
    }
}

/// Human form: an annotated snippet per diagnostic, then a count.
///
/// A snippet takes microseconds to lay out, and a log where every row is
/// wrong has a million of them: blocks of diagnostics are laid out on up to
/// `threads` threads and written in their order, so the bytes do not depend
/// on the number of threads.
pub fn render_human(
    diags: &[Diagnostic],
    color: bool,
    lang: Lang,
    threads: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    const BLOCK: usize = 4096;
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let blocks: Vec<&[Diagnostic]> = diags.chunks(BLOCK).collect();
    let threads = threads.clamp(1, blocks.len().max(1));
    if threads == 1 {
        for block in &blocks {
            out.write_all(render_block(&renderer, block).as_bytes())?;
        }
    } else {
        // Worker `t` lays out blocks t, t + threads, ... and hands them over
        // through its own short queue; they are written here in order.
        std::thread::scope(|s| -> io::Result<()> {
            let queues: Vec<_> = (0..threads)
                .map(|t| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<String>(2);
                    let (renderer, blocks) = (&renderer, &blocks);
                    s.spawn(move || {
                        for block in blocks.iter().skip(t).step_by(threads) {
                            if tx.send(render_block(renderer, block)).is_err() {
                                break;
                            }
                        }
                    });
                    rx
                })
                .collect();
            for (i, block) in blocks.iter().enumerate() {
                // A worker that failed has its block laid out again here.
                let text = queues
                    .get(i % threads)
                    .and_then(|q| q.recv().ok())
                    .unwrap_or_else(|| render_block(&renderer, block));
                out.write_all(text.as_bytes())?;
            }
            Ok(())
        })?;
    }
    let (errors, warnings) = counts(diags);
    if !diags.is_empty() {
        match lang {
            Lang::Vi => writeln!(out, "{errors} lỗi, {warnings} cảnh báo")?,
            Lang::En => writeln!(out, "{errors} error(s), {warnings} warning(s)")?,
        }
    }
    Ok(())
}

/// The human form of some diagnostics, each followed by a blank line.
fn render_block(renderer: &Renderer, diags: &[Diagnostic]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for d in diags {
        if d.suppressed > 0 {
            text.push_str(&summary_human(d));
            continue;
        }
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        match (&d.source_line, d.line) {
            (Some(src), line) if line > 0 => {
                let start = byte_of_column(src, d.column);
                let end = byte_of_column(src, d.column + d.width).max(start);
                let (start, end) = if src.is_empty() { (0, 0) } else { (start, end) };
                let report = &[level.primary_title(d.message.as_str()).id(d.code).element(
                    Snippet::source(src.as_str())
                        .line_start(line)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )];
                text.push_str(&renderer.render(report));
            }
            _ => {
                let sev = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let _ = write!(text, "{sev}[{}]: {}\n  --> {}", d.code, d.message, d.file);
                if d.line > 0 {
                    let _ = write!(text, ":{}", d.line);
                }
            }
        }
        text.push_str("\n\n");
    }
    text
}

fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: Severity,
    code: &'a str,
    message: &'a str,
}

/// `{"diagnostics": [{"file","line","column","severity","code","message"}]}`.
pub fn render_json(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        diagnostics: Vec<JsonRecord<'a>>,
    }
    let doc = Doc {
        diagnostics: diags
            .iter()
            .map(|d| {
                if d.suppressed > 0 {
                    return JsonRecord::Suppressed(summary_json(d));
                }
                JsonRecord::Diag(JsonDiag {
                    file: &d.file,
                    line: d.line,
                    column: d.column,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// GitHub Actions workflow commands, escaped per the workflow-command rules.
pub fn render_github(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if d.suppressed > 0 {
            writeln!(out, "{}", summary_github(cmd, d))?;
            continue;
        }
        let mut props = format!("file={}", escape_property(&d.file));
        if d.line > 0 {
            props.push_str(&format!(",line={}", d.line));
        }
        if d.column > 0 {
            props.push_str(&format!(",col={}", d.column));
        }
        props.push_str(&format!(",title={}", escape_property(d.code)));
        writeln!(
            out,
            "::{cmd} {props}::{}",
            escape_data(&format!("[{}] {}", d.code, d.message))
        )?;
    }
    Ok(())
}

/// Escapes a workflow-command message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY` (GitHub shows only ten
/// annotations of each kind per step; the summary lists them all).
pub fn render_github_summary(diags: &[Diagnostic], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings) = counts(diags);
    match lang {
        Lang::Vi => writeln!(out, "### plan check: {errors} lỗi, {warnings} cảnh báo\n")?,
        Lang::En => writeln!(out, "### plan check: {errors} error(s), {warnings} warning(s)\n")?,
    }
    if diags.is_empty() {
        return Ok(());
    }
    let head = lang.pick("| tệp | dòng | mã | thông báo |", "| file | line | code | message |");
    writeln!(out, "{head}\n|---|---|---|---|")?;
    for d in diags {
        writeln!(
            out,
            "| {} | {} | `{}` | {} |",
            d.file.replace('|', "\\|"),
            d.line,
            d.code,
            d.message.replace('|', "\\|").replace('\n', " ")
        )?;
    }
    Ok(())
}

/// How many errors and warnings `diags` stand for, those left out by the
/// cap included (see [`Diagnostic::weight`]).
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    diags.iter().fold((0, 0), |(e, w), d| {
        if d.is_error() {
            (e.saturating_add(d.weight()), w)
        } else {
            (e, w.saturating_add(d.weight()))
        }
    })
}

/// The human form of a summary of diagnostics left out: one line naming
/// the file (then the blank line every diagnostic has).
fn summary_human(d: &Diagnostic) -> String {
    format!("{}: {}\n\n", d.file, d.message)
}

/// A record of the JSON form: a diagnostic, or a summary of those left out.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonRecord<'a> {
    Diag(JsonDiag<'a>),
    Suppressed(JsonSuppressed<'a>),
}

/// `{"file","code","severity","suppressed"}`: how many diagnostics of
/// `code` the file has beyond those shown.
#[derive(Serialize)]
struct JsonSuppressed<'a> {
    file: &'a str,
    code: &'a str,
    severity: Severity,
    suppressed: usize,
}

fn summary_json(d: &Diagnostic) -> JsonSuppressed<'_> {
    JsonSuppressed {
        file: &d.file,
        code: d.code,
        severity: d.severity,
        suppressed: d.suppressed,
    }
}

/// The workflow command of a summary: an annotation on the file.
fn summary_github(cmd: &str, d: &Diagnostic) -> String {
    format!(
        "::{cmd} file={},title={}::{}",
        escape_property(&d.file),
        escape_property(d.code),
        escape_data(&d.message)
    )
}

/// Display width of a string in terminal cells (Vietnamese diacritics are
/// combining or precomposed, both one cell).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The candidate closest to `word` (by edit distance, ignoring case), if it is
/// close enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(w.chars().count()) / 2).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets_in_characters() {
        let text = "a = 1\nname = \"Hội Nông dân\" x\n";
        let map = SourceMap::new(text);
        let off = text.find('x').unwrap();
        let (line, col, src) = map.locate(off);
        assert_eq!((line, col), (2, 23));
        assert_eq!(src, "name = \"Hội Nông dân\" x");
        assert_eq!(map.locate(0).0, 1);
    }

    #[test]
    fn github_escaping() {
        let d = Diagnostic::error("logs/a,b:c%.csv", "bad-date", "line1\nline2 50%").at(3, 4, None);
        let mut out = Vec::new();
        render_github(&[d], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=logs/a%2Cb%3Ac%25.csv,line=3,col=4,title=bad-date::[bad-date] line1%0Aline2 50%25\n"
        );
    }

    #[test]
    fn human_form_is_the_same_on_any_number_of_threads() {
        let diags: Vec<Diagnostic> = (1..=10_000)
            .map(|i| {
                let d = Diagnostic::error(
                    "logs/x.csv",
                    "bad-date",
                    format!("row {i}: write the date as YYYY-MM-DD"),
                );
                match i % 3 {
                    0 => d
                        .at(i, 1, Some(format!("{:02}/01/2023,MTTQ,tinh", i % 28 + 1)))
                        .width(10),
                    1 => d.at(i, 0, None),
                    _ => Diagnostic::warning("plans/p.toml", "unused", format!("warning {i}")),
                }
            })
            .collect();
        let render = |threads| {
            let mut out = Vec::new();
            render_human(&diags, false, Lang::Vi, threads, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let one = render(1);
        assert!(one.contains("row 9999: write"), "the last block is rendered");
        assert!(
            one.ends_with("6667 lỗi, 3333 cảnh báo\n"),
            "{}",
            &one[one.len() - 200..]
        );
        assert_eq!(render(2), one);
        assert_eq!(render(3), one);
    }

    #[test]
    fn human_form_shows_the_line_and_code() {
        let d = Diagnostic::error("logs/x.csv", "unknown-org", "unknown organisation `HNX`")
            .at(2, 12, Some("2023-01-05,HNX,tinh".into()))
            .width(3);
        let mut out = Vec::new();
        render_human(&[d], false, Lang::En, 1, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("error[unknown-org]: unknown organisation `HNX`"), "{s}");
        assert!(s.contains("logs/x.csv:2:12"), "{s}");
        assert!(s.contains("2023-01-05,HNX,tinh"), "{s}");
        assert!(s.contains("1 error(s), 0 warning(s)"), "{s}");
    }
}
