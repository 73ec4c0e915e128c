//! The per-window tallies of the engine: rows of each kind, and of each
//! organisation in each unit, counted over a window of days for the
//! summaries of status, report and site.

use crate::model::{NumColumn, Plan};
use crate::period::Span;

use super::groups::Alike;

/// Counts of the rows of one kind in a window of days, for summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindTally {
    pub done: u64,
    /// done + planned + postponed.
    pub scheduled: u64,
    /// Of the scheduled rows, those postponed.
    pub postponed: u64,
    pub cancelled: u64,
    /// Done rows by level, org and field index.
    pub by_level: Vec<u64>,
    pub by_org: Vec<u64>,
    pub by_field: Vec<u64>,
    /// Sums over done rows, by [`NumColumn`].
    pub sums: [u64; 4],
}

impl KindTally {
    /// The sum of a numeric column over done rows.
    pub fn sum(&self, c: NumColumn) -> u64 {
        self.sums.get(c.index()).copied().unwrap_or(0)
    }

    /// Every activity planned in the window, whatever became of it: done,
    /// still planned, postponed or cancelled. Plan-against-done figures
    /// ("23/25 hội nghị") count against this, so that a cancelled activity
    /// does not drop out of the plan it was part of.
    pub fn planned(&self) -> u64 {
        self.scheduled.saturating_add(self.cancelled)
    }

    /// Adds `o`; false when a sum overflowed.
    fn merge(&mut self, o: &KindTally) -> bool {
        self.done += o.done;
        self.scheduled += o.scheduled;
        self.postponed += o.postponed;
        self.cancelled += o.cancelled;
        add_vec(&mut self.by_level, &o.by_level);
        add_vec(&mut self.by_org, &o.by_org);
        add_vec(&mut self.by_field, &o.by_field);
        let mut fits = true;
        for (a, b) in self.sums.iter_mut().zip(o.sums) {
            fits &= add(a, b);
        }
        fits
    }
}

/// Adds `y` to the sum `x`; past `u64::MAX` the sum stays there and the
/// answer is false (a log can hold figures that large, and a wrapped or
/// panicking sum would be worse than a refusal).
pub(super) fn add(x: &mut u64, y: u64) -> bool {
    if let Some(v) = x.checked_add(y) {
        *x = v;
        true
    } else {
        *x = u64::MAX;
        false
    }
}

fn add_vec(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// The rows of one kind by one organisation in one unit, in a window: the
/// office-scoped reports add these up for the office (one pass feeds them all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellTally {
    pub done: u64,
    pub scheduled: u64,
    pub postponed: u64,
    pub cancelled: u64,
    /// Sums over done rows, by [`NumColumn`].
    pub sums: [u64; 4],
}

/// The tallies of one window of days.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowTally {
    pub span: Span,
    pub kinds: Vec<KindTally>,
    /// `active[org * units + unit]`: any row at all in the window.
    pub active: Vec<bool>,
    /// `cells[(org * units + unit) * kinds + kind]`: the rows of each
    /// organisation in each unit.
    pub cells: Vec<CellTally>,
    /// `cell_fields[((org * units + unit) * kinds + kind) * fields + field]`:
    /// done rows by field.
    pub cell_fields: Vec<u64>,
}

impl WindowTally {
    /// An empty tally over `span`, shaped for `plan`.
    pub(super) fn new(plan: &Plan, span: Span) -> WindowTally {
        let cells = plan.orgs.len() * plan.units.len();
        WindowTally {
            span,
            kinds: vec![
                KindTally {
                    by_level: vec![0; plan.levels.len()],
                    by_org: vec![0; plan.orgs.len()],
                    by_field: vec![0; plan.fields.len()],
                    ..KindTally::default()
                };
                plan.kinds.len()
            ],
            active: vec![false; cells],
            cells: vec![CellTally::default(); cells * plan.kinds.len()],
            cell_fields: vec![0; cells * plan.kinds.len() * plan.fields.len()],
        }
    }

    /// Counts rows dated inside the window; false when a sum overflowed.
    pub(super) fn count(&mut self, plan: &Plan, rows: &Alike) -> bool {
        let (done, scheduled) = (rows.done(), rows.scheduled());
        let (postponed, cancelled) = (rows.postponed(), rows.cancelled());
        let n_units = plan.units.len();
        let (n_kinds, n_fields) = (plan.kinds.len(), plan.fields.len());
        let cell = (rows.org * n_units + rows.unit) * n_kinds + rows.kind;
        if let Some(a) = self.active.get_mut(rows.org * n_units + rows.unit) {
            *a = true;
        }
        if let Some(c) = self.cells.get_mut(cell) {
            c.scheduled += scheduled;
            c.postponed += postponed;
            c.cancelled += cancelled;
            if done > 0 {
                c.done += done;
                for col in NumColumn::ALL {
                    if let Some(s) = c.sums.get_mut(col.index()) {
                        *s = s.saturating_add(rows.sum(col.index()));
                    }
                }
                if let Some(x) = rows.field.and_then(|f| self.cell_fields.get_mut(cell * n_fields + f)) {
                    *x += done;
                }
            }
        }
        let Some(k) = self.kinds.get_mut(rows.kind) else {
            return true;
        };
        k.scheduled += scheduled;
        k.postponed += postponed;
        k.cancelled += cancelled;
        if done == 0 {
            return true;
        }
        k.done += done;
        bump(&mut k.by_org, Some(rows.org), done);
        bump(&mut k.by_level, plan.units.get(rows.unit).map(|u| u.level), done);
        bump(&mut k.by_field, rows.field, done);
        let mut fits = true;
        for c in NumColumn::ALL {
            if let Some(s) = k.sums.get_mut(c.index()) {
                fits &= add(s, rows.sum(c.index()));
            }
        }
        fits
    }

    /// Adds the counts of `o` (same span and shape); false when a sum overflowed.
    pub(super) fn merge(&mut self, o: &WindowTally) -> bool {
        let mut fits = true;
        for (k, ok) in self.kinds.iter_mut().zip(&o.kinds) {
            fits &= k.merge(ok);
        }
        for (a, b) in self.active.iter_mut().zip(&o.active) {
            *a |= *b;
        }
        for (a, b) in self.cells.iter_mut().zip(&o.cells) {
            a.done += b.done;
            a.scheduled += b.scheduled;
            a.postponed += b.postponed;
            a.cancelled += b.cancelled;
            for (x, y) in a.sums.iter_mut().zip(b.sums) {
                *x = x.saturating_add(y);
            }
        }
        add_vec(&mut self.cell_fields, &o.cell_fields);
        fits
    }

    /// Zero every count, keeping the shape.
    pub(super) fn clear(&mut self) {
        for k in &mut self.kinds {
            k.done = 0;
            k.scheduled = 0;
            k.postponed = 0;
            k.cancelled = 0;
            k.sums = [0; 4];
            for v in [&mut k.by_level, &mut k.by_org, &mut k.by_field] {
                v.fill(0);
            }
        }
        self.active.iter_mut().for_each(|a| *a = false);
        self.cells.iter_mut().for_each(|c| *c = CellTally::default());
        self.cell_fields.iter_mut().for_each(|x| *x = 0);
    }

    pub fn is_active(&self, org: usize, unit: usize, units: usize) -> bool {
        self.active.get(org * units + unit).copied().unwrap_or(false)
    }
}

fn bump(v: &mut [u64], i: Option<usize>, n: u64) {
    if let Some(x) = i.and_then(|i| v.get_mut(i)) {
        *x += n;
    }
}
