//! Diagnostics: what is wrong with an input file, where, and how to fix it.
//!
//! A [`Diagnostic`] is plain data with a place (file, line, column). It is
//! produced by the plan and log readers and rendered here in three forms:
//! human (an annotated source line, like cargo), JSON and GitHub workflow
//! commands. Nothing in this module decides *what* is wrong.
//!
//! Text from the files is shown inert in every form (controls and
//! bidirectional characters made visible by [`escape::terminal`], Markdown
//! escaped in the step summary), and never whole when long: a quoted value
//! keeps [`QUOTED_MAX`] characters, a source line [`SOURCE_MAX`] around the
//! column.

use std::borrow::Cow;
use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::lang::Lang;

pub mod cap;
pub mod gitlab;

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
    /// The offending source line (without its line break), when known: at
    /// most [`SOURCE_MAX`] characters of it around `column`, with `…` where
    /// it was cut (see [`Diagnostic::at`]).
    pub source_line: Option<String>,
    /// How many characters of the line were cut before `source_line` (which
    /// then starts with `…`); `column` stays the column in the file.
    pub source_from: usize,
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
            message: cut_message(message.into()),
            source_line: None,
            source_from: 0,
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

    /// Places the diagnostic at a line and column, with the line's text. A
    /// line longer than [`SOURCE_MAX`] characters is kept only around the
    /// column (a 100 MB cell is not held, nor echoed).
    #[must_use]
    pub fn at(mut self, line: usize, column: usize, source_line: Option<String>) -> Diagnostic {
        self.line = line;
        self.column = column;
        self.source_from = 0;
        self.source_line = source_line.map(|src| match window(&src, column) {
            None => src,
            Some(w) => {
                self.source_from = w.from;
                w.text
            }
        });
        self
    }

    #[must_use]
    pub fn width(mut self, width: usize) -> Diagnostic {
        self.width = width.max(1);
        self
    }

    /// The text underlined in the source line (a cell, a key), as in the
    /// file: what a diagnostic points at, whatever the message's language.
    pub fn cell(&self) -> Option<String> {
        let src = self.source_line.as_deref()?;
        // `source_line` starts with `…` when `source_from` characters were cut.
        let skip = self.column.checked_sub(1)?.checked_sub(self.source_from)? + usize::from(self.source_from > 0);
        Some(src.chars().skip(skip).take(self.width.max(1)).collect())
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

/// The most characters of a source line a diagnostic keeps and shows.
pub const SOURCE_MAX: usize = 200;
/// The most characters of a value quoted (between backticks) in a message.
pub const QUOTED_MAX: usize = 100;
/// The most characters of a message.
pub const MESSAGE_MAX: usize = 1000;

/// A message with every value quoted between backticks cut to
/// [`QUOTED_MAX`] characters, and the whole to [`MESSAGE_MAX`] (with `…`).
fn cut_message(message: String) -> String {
    if message.len() <= QUOTED_MAX {
        return message; // bytes bound characters: nothing can be too long
    }
    let mut out = String::with_capacity(message.len().min(MESSAGE_MAX * 4));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&escape::cut(part, QUOTED_MAX));
        } else {
            out.push_str(part);
        }
    }
    match escape::cut(&out, MESSAGE_MAX) {
        Cow::Borrowed(_) => out,
        Cow::Owned(cut) => cut,
    }
}

/// A part of a long line: the text (with `…` where cut) and how many
/// characters were cut before it.
struct Window {
    text: String,
    from: usize,
}

/// At most [`SOURCE_MAX`] characters of `line` around the 1-based character
/// `column` (a quarter of them before it, more when the line ends soon), or
/// `None` when the whole line is short enough. Reads only as far as the
/// column and the window: a 100 MB line costs no more than its window.
fn window(line: &str, column: usize) -> Option<Window> {
    const BEFORE: usize = SOURCE_MAX / 4;
    let budget = SOURCE_MAX - 2; // room for the two `…`
    if line.len() <= SOURCE_MAX || line.char_indices().nth(SOURCE_MAX).is_none() {
        return None;
    }
    let at = byte_of_column(line, column.max(1));
    let (head, tail) = line.split_at(at);
    let head_has = head.chars().rev().take(budget).count();
    let tail_has = tail.chars().take(budget).count();
    let before = head_has.min(BEFORE.max(budget.saturating_sub(tail_has)));
    let after = tail_has.min(budget - before);
    let start = match before.checked_sub(1) {
        None => at,
        Some(n) => head.char_indices().rev().nth(n).map_or(0, |(i, _)| i),
    };
    let end = tail.char_indices().nth(after).map_or(line.len(), |(i, _)| at + i);
    let body = line.get(start..end).unwrap_or("");
    let mut text = String::with_capacity(body.len() + 6);
    if start > 0 {
        text.push('…');
    }
    text.push_str(body);
    if end < line.len() {
        text.push('…');
    }
    let from = line.get(..start).map_or(0, |h| h.chars().count());
    Some(Window { text, from })
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
            out.write_all(render_block(&renderer, block, lang).as_bytes())?;
        }
    } else {
        // Worker `t` lays out blocks t, t + threads, ... and hands them over
        // through its own short queue; they are written here in order.
        std::thread::scope(|s| -> io::Result<()> {
            let queues: Vec<_> = (0..threads)
                .map(|t| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<String>(2);
                    let (renderer, blocks) = (&renderer, &blocks);
                    // A worker the system will not start drops its queue:
                    // its blocks are laid out here.
                    let _ = std::thread::Builder::new().spawn_scoped(s, move || {
                        for block in blocks.iter().skip(t).step_by(threads) {
                            if tx.send(render_block(renderer, block, lang)).is_err() {
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
                    .unwrap_or_else(|| render_block(&renderer, block, lang));
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

/// The label of a severity in the human form: `lỗi[bad-date]` /
/// `error[bad-date]`. (Machine forms keep `error`/`warning`.)
pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => lang.pick("lỗi", "error"),
        Severity::Warning => lang.pick("cảnh báo", "warning"),
    }
}

/// The human form of some diagnostics, each followed by a blank line.
fn render_block(renderer: &Renderer, diags: &[Diagnostic], lang: Lang) -> String {
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
        }
        .with_name(severity_label(d.severity, lang));
        let message = escape::terminal(&d.message);
        let file = escape::terminal(&d.file);
        match (&d.source_line, d.line) {
            (Some(src), line) if line > 0 => {
                let (src, start, end) = shown_source(src, d);
                let report = &[level.primary_title(message.as_ref()).id(d.code).element(
                    Snippet::source(src.as_str())
                        .line_start(line)
                        .path(file.as_ref())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )];
                let rendered = renderer.render(report);
                // The snippet counts the column in the shown text, which may be cut
                // and escaped: the `-->` line gets the column in the file.
                let shown = src.get(..start).map_or(0, |s| s.chars().count()) + 1;
                let place = |col: usize| format!("{file}:{line}:{col}");
                match rendered.split_once('\n') {
                    Some((title, rest)) if shown != d.column.max(1) => {
                        text.push_str(title);
                        text.push('\n');
                        text.push_str(&rest.replacen(&place(shown), &place(d.column), 1));
                    }
                    _ => text.push_str(&rendered),
                }
            }
            _ => {
                let sev = severity_label(d.severity, lang);
                let _ = write!(text, "{sev}[{}]: {message}\n  --> {file}", d.code);
                if d.line > 0 {
                    let _ = write!(text, ":{}", d.line);
                }
            }
        }
        text.push_str("\n\n");
    }
    text
}

/// The source line of `d` as shown: at most [`SOURCE_MAX`] characters around
/// the column (a line set without [`Diagnostic::at`] may be longer), every
/// control and bidirectional character made visible by [`escape::terminal`],
/// and the byte range to underline in it.
fn shown_source(src: &str, d: &Diagnostic) -> (String, usize, usize) {
    // The column in the kept text, where `…` stands for what was cut.
    let shift = |column: usize, from: usize| {
        if from > 0 {
            column.saturating_sub(from) + 1
        } else {
            column
        }
    };
    let column = shift(d.column, d.source_from);
    let (src, column) = match window(src, column) {
        Some(w) => (Cow::Owned(w.text), shift(column, w.from)),
        None => (Cow::Borrowed(src), column),
    };
    let first = column.saturating_sub(1);
    let last = column.saturating_add(d.width.max(1)).saturating_sub(1);
    let mut out = String::with_capacity(src.len() + 8);
    let (mut start, mut end) = (None, None);
    for (i, c) in src.chars().enumerate() {
        if i == first {
            start = Some(out.len());
        }
        if i == last {
            end = Some(out.len());
        }
        escape::push_terminal(&mut out, c);
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start, end)
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

/// GitHub Actions workflow commands, escaped per the workflow-command rules
/// (the runner's log shows them as a terminal would: controls made visible).
/// `prefix` is the workspace's path in the git repository (`programme/`, or
/// empty), since GitHub places annotations by repository path. The syntax
/// (`::error file=…`) is GitHub's and never translated.
pub fn render_github(diags: &[Diagnostic], prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = format!("{prefix}{}", d.file);
        if d.suppressed > 0 {
            writeln!(out, "{}", summary_github(cmd, &file, d))?;
            continue;
        }
        let mut props = format!("file={}", escape_property(&escape::terminal(&file)));
        if d.line > 0 {
            props.push_str(&format!(",line={},endLine={}", d.line, d.line));
        }
        if d.column > 0 {
            // The last column underlined in the human form.
            let end = d.column.saturating_add(d.width.max(1) - 1);
            props.push_str(&format!(",col={},endColumn={end}", d.column));
        }
        props.push_str(&format!(",title={}", escape_property(d.code)));
        writeln!(
            out,
            "::{cmd} {props}::{}",
            escape_data(&format!("[{}] {}", d.code, escape::terminal(&d.message)))
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
            escape::markdown(&d.file),
            d.line,
            d.code,
            escape::markdown(&d.message)
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
    format!("{}: {}\n\n", escape::terminal(&d.file), escape::terminal(&d.message))
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
fn summary_github(cmd: &str, file: &str, d: &Diagnostic) -> String {
    format!(
        "::{cmd} file={},title={}::{}",
        escape_property(&escape::terminal(file)),
        escape_property(d.code),
        escape_data(&escape::terminal(&d.message))
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
    let w_len = w.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let limit = (c.chars().count().max(w_len) / 2).max(1);
            let lower = c.to_lowercase();
            // The distance is at least the difference in length: a 10 MB cell
            // is not compared character by character with each short code.
            if w_len.abs_diff(lower.chars().count()) > limit {
                return None;
            }
            let d = strsim::osa_distance(&w, &lower);
            (d <= limit).then_some((d, c))
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
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
        render_github(std::slice::from_ref(&d), "", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            // A line break from a file is shown, not obeyed (see `escape::terminal`).
            "::error file=logs/a%2Cb%3Ac%25.csv,line=3,endLine=3,col=4,endColumn=4,title=bad-date::[bad-date] line1\\nline2 50%25\n"
        );
        let mut out = Vec::new();
        render_github(&[d.width(10)], "programme/", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("::error file=programme/logs/a%2Cb%3Ac%25.csv,line=3,endLine=3,col=4,endColumn=13,"),
            "{text}"
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

    /// The human form of one diagnostic, and the source line and caret line
    /// of its snippet.
    fn snippet(d: Diagnostic) -> (String, String, String) {
        let mut out = Vec::new();
        render_human(&[d], false, Lang::En, 1, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        let i = lines.iter().position(|l| l.trim_start().starts_with("7 |")).unwrap();
        (s.clone(), lines[i].to_owned(), lines[i + 1].to_owned())
    }

    #[test]
    fn a_long_line_is_kept_and_shown_around_the_column() {
        let line = format!("{}BAD{}", "a".repeat(5_000_000), "b".repeat(5_000_000));
        let d = Diagnostic::error("logs/x.csv", "bad-status", "bad")
            .at(7, 5_000_001, Some(line))
            .width(3);
        assert_eq!(d.column, 5_000_001, "the column stays the file's");
        let src = d.source_line.clone().unwrap();
        assert!(src.chars().count() <= SOURCE_MAX, "{}", src.len());
        assert!(
            src.starts_with('…') && src.ends_with('…') && src.contains("aBADb"),
            "{src}"
        );
        assert_eq!(d.source_from, 5_000_000 - SOURCE_MAX / 4);
        let (all, src, carets) = snippet(d);
        assert!(all.len() < 1000, "{all}");
        assert!(all.contains(" --> logs/x.csv:7:5000001\n"), "the file's column: {all}");
        let at = src[..src.find("BAD").unwrap()].chars().count();
        assert_eq!(carets.find('^'), Some(at), "\n{src}\n{carets}");
        assert_eq!(carets.trim_end().len(), at + 3, "\n{src}\n{carets}");
    }

    #[test]
    fn a_long_line_is_cut_on_the_side_that_is_far() {
        let line = "x".repeat(1000);
        let start = Diagnostic::error("f", "c", "m").at(1, 1, Some(line.clone()));
        let src = start.source_line.unwrap();
        assert!(
            !src.starts_with('…') && src.ends_with('…') && src.chars().count() == SOURCE_MAX - 1,
            "{src}"
        );
        let end = Diagnostic::error("f", "c", "m").at(1, 1000, Some(line.clone()));
        let src = end.source_line.unwrap();
        assert!(
            src.starts_with('…') && !src.ends_with('…') && src.chars().count() == SOURCE_MAX - 1,
            "{src}"
        );
        assert_eq!(end.source_from, 1000 - (SOURCE_MAX - 2));
        // A line short enough is kept whole, however many bytes its letters take.
        let vi = "Hội nghị đối thoại ".repeat(10);
        assert_eq!(
            Diagnostic::error("f", "c", "m").at(1, 5, Some(vi.clone())).source_line,
            Some(vi)
        );
    }

    #[test]
    fn a_line_set_directly_is_still_shown_cut() {
        let mut d = Diagnostic::error("logs/x.csv", "c", "m").at(7, 1501, None).width(2);
        d.source_line = Some(format!("{}ZZ{}", "a".repeat(1500), "b".repeat(1500)));
        let (all, src, carets) = snippet(d);
        assert!(src.len() < 300, "{src}");
        assert!(all.contains(" --> logs/x.csv:7:1501\n"), "the file's column: {all}");
        let at = src[..src.find("ZZ").unwrap()].chars().count();
        assert_eq!(
            (carets.find('^'), carets.trim_end().len()),
            (Some(at), at + 2),
            "\n{src}\n{carets}"
        );
    }

    #[test]
    fn the_human_form_shows_controls_visibly_with_the_underline_in_place() {
        let d = Diagnostic::error("logs/e\u{1b}[31m\r.csv", "bad-status", "status `\u{1b}]0;x\u{7}`")
            .at(7, 8, Some("a\u{1b}[2J\u{202e},BAD,c".into()))
            .width(3);
        let (all, src, carets) = snippet(d.clone());
        assert!(
            !all.chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\r' || c == '\u{202e}'),
            "{all:?}"
        );
        assert!(all.contains("status `\\u{1b}]0;x\\u{7}`"), "{all}");
        assert!(all.contains("logs/e\\u{1b}[31m\\r.csv:7:8"), "{all}");
        assert!(src.ends_with("a\\u{1b}[2J\\u{202e},BAD,c"), "{src}");
        let at = src[..src.find("BAD").unwrap()].chars().count();
        assert_eq!(
            (carets.find('^'), carets.trim_end().len()),
            (Some(at), at + 3),
            "\n{src}\n{carets}"
        );
        // Without a source line: the `-->` line.
        let (file, msg) = (d.file.clone(), d.message.clone());
        let mut out = Vec::new();
        render_human(
            &[Diagnostic::error(&file, "c", msg).at(7, 0, None)],
            false,
            Lang::En,
            1,
            &mut out,
        )
        .unwrap();
        let all = String::from_utf8(out).unwrap();
        assert!(all.contains("--> logs/e\\u{1b}[31m\\r.csv:7"), "{all}");
        assert!(!all.contains(['\u{1b}', '\r', '\u{7}']), "{all:?}");
    }

    #[test]
    fn quoted_values_and_messages_are_cut() {
        let d = Diagnostic::error(
            "f",
            "c",
            format!("value `{}` is bad; `short` stays", "v".repeat(1_000_000)),
        );
        assert_eq!(
            d.message,
            format!("value `{}…` is bad; `short` stays", "v".repeat(QUOTED_MAX - 1))
        );
        let d = Diagnostic::warning("f", "c", "w".repeat(1_000_000));
        assert_eq!(d.message.chars().count(), MESSAGE_MAX);
        assert!(d.message.ends_with("w…"));
        let fine = "tổ chức `HNX` chưa được khai báo trong kế hoạch; các mã đã khai báo: MTTQ, HND, và còn nhiều nữa";
        assert_eq!(Diagnostic::error("f", "c", fine).message, fine);
    }

    #[test]
    fn step_summary_cells_stay_in_their_row() {
        let d = Diagnostic::error(
            "logs/a|b.csv",
            "bad-status",
            "status `Y\r\r## All checks passed\r\r![ok](http://evil.example/px.png)\r`",
        )
        .at(2, 3, None);
        let mut out = Vec::new();
        render_github_summary(&[d], Lang::En, &mut out).unwrap();
        let md = String::from_utf8(out).unwrap();
        assert_eq!(
            md.lines().last().unwrap(),
            r"| logs/a\|b.csv | 2 | `bad-status` | status \`Y \#\# All checks passed \!\[ok\](http\://evil.example/px.png) \` |"
        );
        assert!(!md.contains('\r'));
    }

    #[test]
    fn nearest_skips_candidates_of_another_length() {
        assert_eq!(nearest("dnoe", ["done", "planned"]), Some("done"));
        assert_eq!(nearest("DONE", ["done"]), Some("done"));
        assert_eq!(nearest(&"x".repeat(10_000_000), ["done", "planned"]), None);
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
