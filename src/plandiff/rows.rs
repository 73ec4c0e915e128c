//! Row-level comparison of two versions of a log file: rows matched by
//! `ref` when it is used once, otherwise by their whole content.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Action;
use crate::canonical::LogTable;
use crate::columns::COLUMNS;

/// A row as all [`COLUMNS`] (empty for a column the file lacks).
pub type FullRow = Vec<String>;

/// One row added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    pub action: Action,
    /// The row's `ref`, for changed rows (and others that have one).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The whole row (added: the new one; removed and changed: the old one).
    #[serde(serialize_with = "ser_row")]
    pub row: FullRow,
    /// For changed rows: (column, old, new).
    pub cells: Vec<CellChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

fn ser_row<S: serde::Serializer>(row: &FullRow, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(None)?;
    for (c, v) in COLUMNS.iter().zip(row) {
        if !v.is_empty() {
            m.serialize_entry(c, v)?;
        }
    }
    m.end()
}

/// The row changes of one log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogDiff {
    pub file: String,
    /// Added = a new file, removed = a file gone, changed = rows differ.
    pub action: Action,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// Row by row, for a changed file (a new or removed file has only counts).
    pub rows: Vec<RowChange>,
}

fn full_rows(t: &LogTable) -> Vec<FullRow> {
    t.rows
        .iter()
        .map(|r| {
            let mut full = vec![String::new(); COLUMNS.len()];
            for (c, v) in t.columns.iter().zip(r) {
                if let Some(slot) = full.get_mut(*c) {
                    slot.clone_from(v);
                }
            }
            full
        })
        .collect()
}

/// The position of `ref` in [`COLUMNS`].
const REF: usize = 7;

fn reference(row: &FullRow) -> Option<&str> {
    row.get(REF).map(String::as_str).filter(|r| !r.is_empty())
}

/// Rows with a ref used once in their version, by ref; the others (matched
/// by their whole content) with how many times each appears.
fn by_ref(rows: &[FullRow]) -> (BTreeMap<String, FullRow>, BTreeMap<FullRow, usize>) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        if let Some(x) = reference(r) {
            *count.entry(x).or_default() += 1;
        }
    }
    let mut keyed: BTreeMap<String, FullRow> = BTreeMap::new();
    let mut rest: BTreeMap<FullRow, usize> = BTreeMap::new();
    for r in rows {
        match reference(r) {
            Some(x) if count.get(x) == Some(&1) => {
                keyed.insert(x.to_owned(), r.clone());
            }
            _ => *rest.entry(r.clone()).or_default() += 1,
        }
    }
    (keyed, rest)
}

/// The cells that differ between two versions of a row with the same ref.
fn cell_changes(old: &FullRow, new: &FullRow) -> Vec<CellChange> {
    COLUMNS
        .iter()
        .zip(old.iter().zip(new))
        .filter(|(_, (x, y))| x != y)
        .map(|(c, (x, y))| CellChange {
            column: c,
            old: x.clone(),
            new: y.clone(),
        })
        .collect()
}

/// Compares two versions of a log; `None` when nothing changed.
pub fn logs(file: &str, old: Option<&LogTable>, new: Option<&LogTable>) -> Option<LogDiff> {
    let a = old.map(full_rows).unwrap_or_default();
    let b = new.map(full_rows).unwrap_or_default();
    match (old, new) {
        (None, None) => return None,
        (None, Some(_)) | (Some(_), None) => {
            let added = old.is_none();
            return Some(LogDiff {
                file: file.to_owned(),
                action: if added { Action::Added } else { Action::Removed },
                added: b.len(),
                removed: a.len(),
                changed: 0,
                rows: Vec::new(),
            });
        }
        _ => {}
    }
    let (ka, ra) = by_ref(&a);
    let (kb, rb) = by_ref(&b);
    let mut removed: Vec<RowChange> = Vec::new();
    let mut added: Vec<RowChange> = Vec::new();
    let mut changed: Vec<RowChange> = Vec::new();
    let row_change = |action, row: &FullRow| RowChange {
        action,
        reference: reference(row).map(str::to_owned),
        row: row.clone(),
        cells: Vec::new(),
    };
    for (r, row) in &ka {
        match kb.get(r) {
            None => removed.push(row_change(Action::Removed, row)),
            Some(nrow) if nrow != row => changed.push(RowChange {
                action: Action::Changed,
                reference: Some(r.clone()),
                row: row.clone(),
                cells: cell_changes(row, nrow),
            }),
            Some(_) => {}
        }
    }
    for (r, row) in &kb {
        if !ka.contains_key(r) {
            added.push(row_change(Action::Added, row));
        }
    }
    for (row, n) in &ra {
        let extra = n.saturating_sub(rb.get(row).copied().unwrap_or(0));
        for _ in 0..extra {
            removed.push(row_change(Action::Removed, row));
        }
    }
    for (row, n) in &rb {
        let extra = n.saturating_sub(ra.get(row).copied().unwrap_or(0));
        for _ in 0..extra {
            added.push(row_change(Action::Added, row));
        }
    }
    removed.sort_by(|x, y| x.row.cmp(&y.row));
    added.sort_by(|x, y| x.row.cmp(&y.row));
    changed.sort_by(|x, y| x.row.cmp(&y.row));
    if removed.is_empty() && added.is_empty() && changed.is_empty() {
        return None;
    }
    let (na, nr, nc) = (added.len(), removed.len(), changed.len());
    let mut rows = removed;
    rows.extend(added);
    rows.extend(changed);
    Some(LogDiff {
        file: file.to_owned(),
        action: Action::Changed,
        added: na,
        removed: nr,
        changed: nc,
        rows,
    })
}
