//! `status` as a terminal table (comfy-table) or a Markdown table, with the
//! per-kind done/scheduled summary under it. Text from the plan goes through
//! [`escape::terminal`] or [`escape::markdown`].

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, presets};

use crate::escape;
use crate::engine::{Evaluation, Figure, Status, TargetResult};
use crate::lang::Lang;
use crate::model::{Measure, NumColumn, Plan};

use super::{done_of_scheduled, figure, money_pair, percent, scope, status_label};

/// How the terminal table is drawn.
#[derive(Debug, Clone, Copy)]
pub struct TableStyle {
    pub color: bool,
    /// Terminal width to fit, when writing to a terminal.
    pub width: Option<u16>,
}

fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Vi => ["Mục tiêu", "Phạm vi", "Kỳ", "Kết quả", "%", "Cần đạt", "Trạng thái"],
        Lang::En => ["Target", "Scope", "Period", "Actual / req.", "%", "Expected", "Status"],
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
        scope(plan, r, lang),
        r.period.label.to_string(),
        result,
        percent(r, lang),
        r.expected.map_or_else(String::new, |e| lang.int(e)),
        status_label(r.status, lang).to_owned(),
    ]
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
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    match style.width {
        Some(_) => table.set_content_arrangement(ContentArrangement::Dynamic),
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
            table.force_no_tty()
        }
    };
    if style.color {
        table.enforce_styling();
    }
    table.set_header(headers(lang));
    // Only the scope may wrap on a narrow terminal: ids, figures and statuses stay whole.
    for i in [0, 2, 3, 4, 5, 6] {
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    for r in results {
        let [a, b, c, d, e, f, g] = cells(plan, r, lang).map(|c| escape::terminal(&c).into_owned());
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
    writeln!(
        out,
        "{} — {} {}",
        escape::terminal(&plan.number),
        lang.pick("tính đến ngày", "as of"),
        lang.date(eval.as_of)
    )?;
    if results.is_empty() {
        writeln!(out, "{}", nothing_shown(plan, eval, lang))?;
    } else {
        writeln!(out, "{table}")?;
    }
    for line in summary_lines(plan, eval, lang) {
        writeln!(out, "{}", escape::terminal(&line))?;
    }
    Ok(())
}

/// What to say when no result is shown: outside the term, which options
/// show the term's results.
fn nothing_shown(plan: &Plan, eval: &Evaluation, lang: Lang) -> String {
    let d = lang.date(eval.as_of);
    let term = plan.term;
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
