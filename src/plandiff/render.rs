//! How `plan diff` shows its findings: text for a terminal (`+` added,
//! `-` removed, `~` changed, in the chosen language) and JSON for tools.

use std::io::{self, Write};

use serde::Serialize;

use super::rows::{LogDiff, RowChange};
use super::{Action, Change, PlanDiff, Subject, quote};
use crate::lang::Lang;

/// Everything `plan diff` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The old revision as given, and the commit it names.
    pub from: String,
    pub from_commit: String,
    /// The new revision as given (`None` = the working tree), and its commit.
    pub to: Option<String>,
    pub to_commit: Option<String>,
    /// The plans that differ (added, removed, changed), by id.
    pub plans: Vec<PlanDiff>,
    /// The log files that differ, by path.
    pub logs: Vec<LogDiff>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty() && self.logs.is_empty()
    }
}

/// `--format json`: the report, pretty-printed.
pub fn render_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn paint(text: &str, action: Action, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let c = match action {
        Action::Added => anstyle::AnsiColor::Green,
        Action::Removed => anstyle::AnsiColor::Red,
        Action::Changed => anstyle::AnsiColor::Yellow,
    };
    let style = anstyle::Style::new().fg_color(Some(c.into()));
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// The text of one plan change, without the sigil.
pub fn change_text(c: &Change, lang: Lang) -> String {
    let none = "—";
    let noun = c.subject.noun(lang);
    let head = if c.code.is_empty() {
        noun.to_owned()
    } else {
        format!("{noun} {}", c.code)
    };
    match c.action {
        Action::Added => match &c.new {
            Some(v) => format!("{head}: {v}"),
            None => head,
        },
        Action::Removed => match &c.old {
            Some(v) => format!("{head}: {v}"),
            None => head,
        },
        Action::Changed => {
            let old = c.old.as_ref().map_or_else(|| none.to_owned(), ToString::to_string);
            let new = c.new.as_ref().map_or_else(|| none.to_owned(), ToString::to_string);
            match c.key.as_deref() {
                // A new name for the same code: a rename.
                None | Some("name") if is_named(c.subject) => {
                    format!("{head} {}: {old} → {new}", lang.pick("đổi tên", "renamed"))
                }
                Some("order") => format!("{head}: {} {old} → {new}", lang.pick("thứ tự", "order")),
                Some(k) => format!("{head}: {k} {old} → {new}"),
                None => format!("{head}: {old} → {new}"),
            }
        }
    }
}

/// Subjects that are a code with a name.
fn is_named(s: Subject) -> bool {
    matches!(
        s,
        Subject::Org | Subject::Level | Subject::Unit | Subject::Kind | Subject::Field
    )
}

/// A removed and an added item of the same subject with the same name: the
/// code was renamed. For each change, the index of the added item that
/// completes it (set on the removed one; the added one is then skipped).
fn code_renames(changes: &[Change]) -> Vec<Option<usize>> {
    let mut partner = vec![None; changes.len()];
    let mut taken = vec![false; changes.len()];
    for (i, r) in changes.iter().enumerate() {
        if r.action != Action::Removed || !is_named(r.subject) || r.old.is_none() {
            continue;
        }
        let found = changes.iter().enumerate().find(|(j, a)| {
            a.action == Action::Added
                && a.subject == r.subject
                && a.new == r.old
                && !taken.get(*j).copied().unwrap_or(true)
        });
        if let Some((j, _)) = found {
            if let (Some(p), Some(t)) = (partner.get_mut(i), taken.get_mut(j)) {
                *p = Some(j);
                *t = true;
            }
        }
    }
    partner
}

/// `lĩnh vực F1 → G1 (đổi mã): "…"`.
fn code_rename_text(removed: &Change, added: &Change, lang: Lang) -> String {
    let value = removed.old.as_ref().map(ToString::to_string).unwrap_or_default();
    format!(
        "{} {} → {} ({}): {value}",
        removed.subject.noun(lang),
        removed.code,
        added.code,
        lang.pick("đổi mã", "code renamed")
    )
}

fn rows_word(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{n} dòng"),
        Lang::En if n == 1 => "1 row".to_owned(),
        Lang::En => format!("{n} rows"),
    }
}

/// The summary of one log file's changes, without the sigil.
pub fn log_text(l: &LogDiff, lang: Lang) -> String {
    match l.action {
        Action::Added => format!(
            "{}: {}, {}",
            l.file,
            lang.pick("tệp mới", "new file"),
            rows_word(l.added, lang)
        ),
        Action::Removed => format!(
            "{}: {}, {}",
            l.file,
            lang.pick("tệp bị xóa", "file removed"),
            rows_word(l.removed, lang)
        ),
        Action::Changed => {
            let mut parts = Vec::new();
            for (n, vi, en) in [
                (l.added, "thêm", "added"),
                (l.removed, "bớt", "removed"),
                (l.changed, "sửa", "changed"),
            ] {
                if n > 0 {
                    parts.push(match lang {
                        Lang::Vi => format!("{vi} {}", rows_word(n, lang)),
                        Lang::En => format!("{} {en}", rows_word(n, lang)),
                    });
                }
            }
            format!("{}: {}", l.file, parts.join(", "))
        }
    }
}

fn cell_text(column: &str, v: &str) -> String {
    if v.is_empty() {
        "—".to_owned()
    } else if matches!(column, "title" | "note") {
        quote(v)
    } else {
        v.to_owned()
    }
}

/// One row change, without the sigil: the row (date, org, unit, kind,
/// status, title, ref) or, for a changed row, its ref and the changed cells.
pub fn row_text(r: &RowChange) -> String {
    if r.action == Action::Changed {
        let cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| {
                format!(
                    "{} {} → {}",
                    c.column,
                    cell_text(c.column, &c.old),
                    cell_text(c.column, &c.new)
                )
            })
            .collect();
        return format!("{}: {}", r.reference.as_deref().unwrap_or(""), cells.join("; "));
    }
    let cell = |i: usize| r.row.get(i).map_or("", String::as_str);
    let mut s = format!(
        "{} {} {} {} {} {}",
        cell(0),
        cell(1),
        cell(2),
        cell(3),
        cell(4),
        quote(cell(5))
    );
    if let Some(x) = &r.reference {
        s.push_str(&format!(" ({x})"));
    }
    s
}

/// Text for a terminal: one line per change, `+` added, `-` removed, `~`
/// changed.
pub fn render_text(report: &Report, lang: Lang, color: bool, out: &mut dyn Write) -> io::Result<()> {
    if report.is_empty() {
        return writeln!(
            out,
            "{}",
            lang.pick(
                "không có thay đổi nào về nội dung kế hoạch và nhật ký",
                "no change in what the plans and logs say"
            )
        );
    }
    let plan_word = Subject::Plan.noun(lang);
    for p in &report.plans {
        match p.action {
            Action::Added | Action::Removed => {
                let file = p.new_file.as_ref().or(p.old_file.as_ref()).cloned().unwrap_or_default();
                let line = format!("{} {plan_word} {} ({file})", p.action.sigil(), p.id);
                writeln!(out, "{}", paint(&line, p.action, color))?;
            }
            Action::Changed => {
                let file = match (&p.old_file, &p.new_file) {
                    (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                    (_, Some(b)) => b.clone(),
                    (Some(a), None) => a.clone(),
                    (None, None) => String::new(),
                };
                writeln!(out, "{plan_word} {} ({file})", p.id)?;
                let renames = code_renames(&p.changes);
                let completes: Vec<usize> = renames.iter().flatten().copied().collect();
                for (i, c) in p.changes.iter().enumerate() {
                    if completes.contains(&i) {
                        continue; // shown with the code it renames
                    }
                    let line = match renames.get(i).copied().flatten().and_then(|j| p.changes.get(j)) {
                        Some(added) => format!("  ~ {}", code_rename_text(c, added, lang)),
                        None => format!("  {} {}", c.action.sigil(), change_text(c, lang)),
                    };
                    let action = if line.starts_with("  ~") {
                        Action::Changed
                    } else {
                        c.action
                    };
                    writeln!(out, "{}", paint(&line, action, color))?;
                }
            }
        }
    }
    if !report.logs.is_empty() {
        writeln!(out, "{}", lang.pick("nhật ký", "logs"))?;
        for l in &report.logs {
            let line = format!("  {} {}", l.action.sigil(), log_text(l, lang));
            writeln!(out, "{}", paint(&line, l.action, color))?;
            for r in &l.rows {
                let line = format!("      {} {}", r.action.sigil(), row_text(r));
                writeln!(out, "{}", paint(&line, r.action, color))?;
            }
        }
    }
    Ok(())
}
