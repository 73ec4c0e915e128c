//! `status` as a terminal table (comfy-table) or a Markdown table, with the
//! per-kind done/scheduled summary under it. Text from the plan goes through
//! [`escape::terminal`] or [`escape::markdown`].

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width, presets};
use unicode_width::UnicodeWidthStr;

use crate::engine::{Evaluation, Figure, Status, TargetResult};
use crate::escape;
use crate::lang::Lang;
use crate::model::{Measure, NumColumn, Plan};

use super::instance_label;
use crate::wording::{done_of_scheduled, figure, money_pair, percent, status_label};

/// How the terminal table is drawn.
#[derive(Debug, Clone)]
pub struct TableStyle {
    pub color: bool,
    /// Terminal width to fit, when writing to a terminal.
    pub width: Option<u16>,
    /// The period asked for (`--half 2026H1` → `2026H1`), to name it when
    /// it lies outside the term.
    pub asked: Option<String>,
}

fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Vi => [
            "Mục tiêu",
            "Phạm vi",
            "Kỳ",
            "Kết quả",
            "%",
            "Cần đạt đến nay",
            "Trạng thái",
        ],
        Lang::En => [
            "Target",
            "Scope",
            "Period",
            "Actual / req.",
            "%",
            "Expected by now",
            "Status",
        ],
    }
}

fn cells(plan: &Plan, r: &TargetResult, lang: Lang) -> [String; 7] {
    let target = plan.targets.get(r.target);
    let money = target.is_some_and(|t| t.measure == Measure::Sum(NumColumn::Cost));
    let result = match (money, r.actual, r.required) {
        (true, Some(Figure::Int(act)), Figure::Int(req)) => money_pair(act, req, lang),
        _ => format!("{} / {}", figure(r.actual, lang), figure(Some(r.required), lang)),
    };
    [
        plan.targets.get(r.target).map_or_else(String::new, |t| t.id.clone()),
        instance_label(plan, r, lang),
        r.period.label.to_string(),
        result,
        percent(r, lang),
        pace(r).map_or_else(String::new, |e| lang.int(e)),
        status_label(r.status, lang).to_owned(),
    ]
}

/// What should be done by the as-of date, when that says something: only
/// while the period runs and the target is neither met nor missed, and not
/// when nothing is due yet (a `0` would read as "nothing required").
fn pace(r: &TargetResult) -> Option<u64> {
    match r.status {
        Status::OnTrack | Status::Behind => r.expected.filter(|&e| e > 0),
        _ => None,
    }
}

fn status_color(s: Status) -> Option<Color> {
    match s {
        Status::Met | Status::Within => Some(Color::Green),
        Status::OnTrack => Some(Color::Cyan),
        Status::Behind => Some(Color::Yellow),
        Status::Missed | Status::Over => Some(Color::Red),
        Status::Upcoming | Status::NotApplicable => None,
    }
}

/// [`status_color`] for text written without comfy-table.
fn ansi_color(s: Status) -> Option<anstyle::Style> {
    use anstyle::AnsiColor as A;
    let c = match status_color(s)? {
        Color::Green => A::Green,
        Color::Cyan => A::Cyan,
        Color::Yellow => A::Yellow,
        _ => A::Red,
    };
    Some(c.on_default())
}

/// The summary lines under the table: per kind with any row in the window.
pub fn summary_lines(plan: &Plan, eval: &Evaluation, lang: Lang) -> Vec<String> {
    let Some(w) = eval.windows.first() else {
        return Vec::new();
    };
    if w.span.start > plan.term.end || w.span.end < plan.term.start {
        return Vec::new(); // a half outside the term has nothing to count
    }
    if eval.as_of < w.span.start {
        return Vec::new(); // `--at` before the period: nothing of it has happened
    }
    let (from, to) = (lang.date(w.span.start), lang.date(w.span.end.min(eval.as_of)));
    let head = match lang {
        Lang::Vi => format!("Số hoạt động thực hiện / kế hoạch từ {from} đến {to}:"),
        Lang::En => format!("Activities done / scheduled from {from} to {to}:"),
    };
    let mut lines = vec![head];
    for (k, t) in plan.kinds.iter().zip(&w.kinds) {
        if t.scheduled == 0 && t.cancelled == 0 {
            continue;
        }
        let name = match lang {
            Lang::Vi => k.name.clone(),
            Lang::En => k.code.clone(),
        };
        lines.push(format!(
            "  {name}: {}",
            done_of_scheduled(t, k.counter.as_deref(), lang)
        ));
    }
    if lines.len() == 1 {
        lines.push(format!("  {}", lang.pick("(chưa có hoạt động nào)", "(no activity)")));
    }
    lines
}

/// Below this many columns the table gives way to the compact list: seven
/// columns do not fit without cutting words.
pub const COMPACT_BELOW: u16 = 100;

pub fn render_terminal(
    plan: &Plan,
    eval: &Evaluation,
    results: &[&TargetResult],
    lang: Lang,
    style: TableStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    if style.color {
        // Colour was decided here (`--color`, a terminal, NO_COLOR); crossterm
        // would otherwise drop the colours under NO_COLOR but keep the resets.
        crossterm::style::force_color_output(true);
    }
    let width = style.width.map(usize::from);
    let title = format!(
        "{} — {} {}",
        escape::terminal(&plan.number),
        lang.pick("tính đến ngày", "as of"),
        lang.date(eval.as_of)
    );
    for line in wrap(&[Token::plain(&title)], width, "", "  ") {
        writeln!(out, "{line}")?;
    }
    if results.is_empty() {
        for line in wrap(
            &words(&nothing_shown(plan, eval, style.asked.as_deref(), lang)),
            width,
            "",
            "  ",
        ) {
            writeln!(out, "{line}")?;
        }
    } else if style.width.is_some_and(|w| w < COMPACT_BELOW) {
        render_compact(plan, results, lang, style.color, width.unwrap_or(80), out)?;
    } else {
        writeln!(out, "{}", full_table(plan, results, lang, &style))?;
    }
    for line in summary_lines(plan, eval, lang) {
        let line = escape::terminal(&line);
        let indent = if line.starts_with(' ') { "  " } else { "" };
        for l in wrap(&words(line.trim_start()), width, indent, &format!("{indent}    ")) {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

/// The seven-column table, fitted to `style.width` when there is one by
/// wrapping cells at spaces (never inside a word).
fn full_table(plan: &Plan, results: &[&TargetResult], lang: Lang, style: &TableStyle) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    if let Some(w) = style.width {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(w);
    } else {
        table.set_content_arrangement(ContentArrangement::Disabled);
        table.force_no_tty();
    }
    if style.color {
        table.enforce_styling();
    }
    table.set_header(headers(lang));
    let rows: Vec<[String; 7]> = results
        .iter()
        .map(|r| cells(plan, r, lang).map(|c| escape::terminal(&c).into_owned()))
        .collect();
    // A column may wrap at spaces, never narrower than its longest word;
    // ids and figures stay on one line.
    for i in 0..7 {
        let longest_word = rows
            .iter()
            .filter_map(|r| r.get(i))
            .chain(headers(lang).get(i).map(|h| (*h).to_owned()).as_ref())
            .flat_map(|c| c.split(' ').map(UnicodeWidthStr::width).collect::<Vec<_>>())
            .max()
            .unwrap_or(1)
            + 2; // the padding, which the boundary counts
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(match i {
                0 | 3 | 4 => ColumnConstraint::ContentWidth,
                _ => ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(longest_word).unwrap_or(u16::MAX))),
            });
        }
    }
    for (r, [a, b, c, d, e, f, g]) in results.iter().zip(rows) {
        let mut status = Cell::new(g);
        if style.color {
            if let Some(col) = status_color(r.status) {
                status = status.fg(col);
            }
        }
        table.add_row(vec![
            Cell::new(a),
            Cell::new(b),
            Cell::new(c),
            Cell::new(d).set_alignment(CellAlignment::Right),
            Cell::new(e).set_alignment(CellAlignment::Right),
            Cell::new(f).set_alignment(CellAlignment::Right),
            status,
        ]);
    }
    table
}

/// The compact layout for a narrow terminal: each target's id on a line,
/// then one entry per result, wrapped at spaces under an indent:
/// `chung · 2021-2025 · 102 / 234 (43,6%) · cần đạt đến nay 115 · chậm tiến độ`.
fn render_compact(
    plan: &Plan,
    results: &[&TargetResult],
    lang: Lang,
    color: bool,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut last_target = None;
    for r in results {
        let [id, scope, period, result, pct, pace, status] =
            cells(plan, r, lang).map(|c| escape::terminal(&c).into_owned());
        if last_target != Some(r.target) {
            last_target = Some(r.target);
            for line in wrap(&[Token::plain(&id)], Some(width), "", "  ") {
                writeln!(out, "{line}")?;
            }
        }
        let sep = |tokens: &mut Vec<Token>| {
            if let Some(last) = tokens.last_mut() {
                last.text.push_str(" ·");
            }
        };
        let mut tokens = words(&scope);
        sep(&mut tokens);
        tokens.extend(words(&period));
        sep(&mut tokens);
        tokens.extend(words(&result));
        if pct != "–" {
            tokens.push(Token::plain(&format!("({pct})")));
        }
        if !pace.is_empty() {
            sep(&mut tokens);
            tokens.push(Token::plain(&format!(
                "{} {pace}",
                lang.pick("cần đạt đến nay", "expected by now")
            )));
        }
        sep(&mut tokens);
        tokens.push(Token {
            text: status,
            color: if color { ansi_color(r.status) } else { None },
        });
        for line in wrap(&tokens, Some(width), "  ", "      ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// A piece of text that is never broken, with its colour.
struct Token {
    text: String,
    color: Option<anstyle::Style>,
}

impl Token {
    fn plain(text: &str) -> Token {
        Token {
            text: text.to_owned(),
            color: None,
        }
    }
}

/// The words of `text`, a ` / ` kept with the figures on both sides
/// (`102 / 234` is one piece).
fn words(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut glue = false;
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        match out.last_mut() {
            Some(last) if glue || w == "/" => {
                last.text.push(' ');
                last.text.push_str(w);
                glue = w == "/";
            }
            _ => {
                out.push(Token::plain(w));
                glue = false;
            }
        }
    }
    out
}

/// Lays `tokens` out in lines of at most `width` columns (any length when
/// `None`), separated by spaces: the first line after `first`, the others
/// after `cont`. A token longer than a line gets a line of its own.
fn wrap(tokens: &[Token], width: Option<usize>, first: &str, cont: &str) -> Vec<String> {
    let width = width.unwrap_or(usize::MAX);
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let (mut used, mut empty) = (first.width(), true);
    for t in tokens {
        let w = t.text.width();
        if !empty && used + 1 + w > width {
            lines.push(std::mem::replace(&mut line, cont.to_owned()));
            used = cont.width();
            empty = true;
        }
        if !empty {
            line.push(' ');
            used += 1;
        }
        match t.color {
            Some(c) => line.push_str(&format!("{c}{}{c:#}", t.text)),
            None => line.push_str(&t.text),
        }
        used += w;
        empty = false;
    }
    lines.push(line);
    lines
}

/// What to say when no result is shown: outside the term, which options
/// show the term's results.
fn nothing_shown(plan: &Plan, eval: &Evaluation, asked: Option<&str>, lang: Lang) -> String {
    let d = lang.date(eval.as_of);
    let term = plan.term;
    let outside = eval
        .windows
        .first()
        .map(|w| w.span)
        .filter(|w| w.end < term.start || w.start > term.end);
    if let (Some(label), Some(w)) = (asked, outside) {
        let (from, to) = (lang.date(w.start), lang.date(w.end));
        let (start, end) = (lang.date(term.start), lang.date(term.end));
        return lang
            .pick(
                &format!(
                    "(kỳ {label} ({from}–{to}) nằm ngoài thời gian của kế hoạch ({start}–{end}): dùng --term, --all hoặc một kỳ trong khoảng đó)"
                ),
                &format!(
                    "(the period {label} ({from} to {to}) is outside the plan's term ({start} to {end}): use --term, --all or a period inside it)"
                ),
            )
            .to_owned();
    }
    if eval.as_of > term.end {
        let end = lang.date(term.end);
        let iso = term.end.format("%Y-%m-%d");
        lang.pick(
            &format!(
                "(không có kỳ nào chứa ngày {d}: nhiệm kỳ đã kết thúc ngày {end}; dùng --term, --all hoặc --at {iso})"
            ),
            &format!("(no period contains {d}: the term ended on {end}; use --term, --all or --at {iso})"),
        )
        .to_owned()
    } else if eval.as_of < term.start {
        let start = lang.date(term.start);
        lang.pick(
            &format!("(không có kỳ nào chứa ngày {d}: nhiệm kỳ bắt đầu ngày {start}; dùng --all để xem mọi kỳ)"),
            &format!("(no period contains {d}: the term starts on {start}; use --all to see every period)"),
        )
        .to_owned()
    } else {
        lang.pick("(không có kết quả nào khớp)", "(no matching result)")
            .to_owned()
    }
}

/// Escapes text for a Markdown table cell.
fn md_cell(s: &str) -> String {
    escape::markdown(s)
}

pub fn render_markdown(
    plan: &Plan,
    eval: &Evaluation,
    results: &[&TargetResult],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "## {} — {} {}\n",
        md_cell(&plan.number),
        lang.pick("tình hình thực hiện tính đến ngày", "status as of"),
        lang.date(eval.as_of)
    )?;
    writeln!(out, "| {} |", headers(lang).join(" | "))?;
    writeln!(out, "|---|---|---|---:|---:|---:|---|")?;
    for r in results {
        let c = cells(plan, r, lang).map(|c| md_cell(&c));
        writeln!(out, "| {} |", c.join(" | "))?;
    }
    let lines = summary_lines(plan, eval, lang);
    if !lines.is_empty() {
        writeln!(out)?;
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                writeln!(out, "{}\n", md_cell(line))?;
            } else {
                writeln!(out, "- {}", md_cell(line.trim()))?;
            }
        }
    }
    Ok(())
}
