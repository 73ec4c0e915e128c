//! Rows gathered by what the engine reads of them, and added up before the
//! engine looks at its targets: a group-by, as a database runs one.
//!
//! [`super::Engine::add`] reads a row's organisation, unit, kind, field,
//! status, figures and date, and of the date only which side of each
//! boundary it falls on: the start and end of every period and window, and
//! the months and years a target admits. Days between two
//! boundaries are a *class* ([`DayClasses`]); rows of one class, cell, kind,
//! field and status change every figure the same way, so each such group
//! keeps only how many rows it has and the sums of their figures
//! ([`Groups`]). A row then costs one table lookup and a few additions, and
//! the engine walks its targets once per group, not once per row.
//!
//! The tables are dense, one entry per possible group of a kind and field
//! that rows fall in, and are used only when all of them together would be
//! small ([`MAX_GROUPS`]); a row the tables do not cover (a date outside
//! the term, a count that would overflow) goes to the engine on its own,
//! which gives the same sums.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use crate::logs::Row;
use crate::model::{Plan, RowStatus};
use crate::period::Span;

use super::index::Route;

/// At most this many groups (of 64 bytes each, 16 MiB) in all, else rows
/// are added one by one. Each piece of a log read on its own thread has its
/// own groups until it is merged, and counting them reads each table made;
/// only the tables of the kinds and fields rows fall in are made. (The
/// shipped plan, with a half-year window: about 106 000.)
const MAX_GROUPS: usize = 1 << 18;

/// At most this many classes of days (a class number fits in `u16`).
const MAX_CLASSES: usize = 1 << 12;

/// Rows the engine cannot tell apart, counted together: what
/// [`super::Engine::count`] adds (one row is a group of one).
#[derive(Debug, Clone, Copy)]
pub(super) struct Alike {
    /// The rows' date, or the first day of their class.
    pub date: NaiveDate,
    pub org: usize,
    pub unit: usize,
    pub kind: usize,
    pub field: Option<usize>,
    /// How many rows of each status, in [`RowStatus::ALL`] order.
    pub n: [u64; 4],
    /// The sums of the numeric columns over the done rows.
    pub sums: [u64; 4],
    /// The (file, line) of the row, when this is one row: named when a
    /// sum overflows with it.
    pub at: Option<(usize, u64)>,
}

impl Alike {
    /// One row.
    pub fn one(row: &Row<'_>) -> Alike {
        let mut n = [0; 4];
        if let Some(x) = n.get_mut(status_index(row.status)) {
            *x = 1;
        }
        Alike {
            date: row.date,
            org: row.org,
            unit: row.unit,
            kind: row.kind,
            field: row.field,
            n,
            sums: row.nums.map(|x| x.unwrap_or(0)),
            at: Some((row.file, row.line)),
        }
    }

    pub fn done(&self) -> u64 {
        self.n[0]
    }

    pub fn postponed(&self) -> u64 {
        self.n[2]
    }

    pub fn cancelled(&self) -> u64 {
        self.n[3]
    }

    /// Done, planned or postponed: every row but the cancelled ones.
    pub fn scheduled(&self) -> u64 {
        self.n[0] + self.n[1] + self.n[2]
    }

    /// The sum of numeric column `c` (its index) over the done rows.
    pub fn sum(&self, c: usize) -> u64 {
        self.sums.get(c).copied().unwrap_or(0)
    }
}

/// A status's place in [`RowStatus::ALL`].
fn status_index(s: RowStatus) -> usize {
    match s {
        RowStatus::Done => 0,
        RowStatus::Planned => 1,
        RowStatus::Postponed => 2,
        RowStatus::Cancelled => 3,
    }
}

/// The days of the term cut at every boundary the engine tells apart.
#[derive(Debug, Clone)]
pub(super) struct DayClasses {
    first_year: i32,
    /// `of[(year - first_year) * 366 + ordinal0]`: the class of each day of
    /// the term (`u16::MAX` for a day outside it).
    of: Vec<u16>,
    /// The first day of each class, the date its rows are counted on.
    starts: Vec<NaiveDate>,
}

impl DayClasses {
    /// The classes for an engine whose periods have `spans`, tallying
    /// `windows`, with `routes`; `None` when there would be too many. (The
    /// as-of date is no boundary: the engine drops a row dated after it
    /// before the row is gathered.)
    pub fn new(plan: &Plan, spans: &[Span], windows: &[Span], routes: &[Route]) -> Option<DayClasses> {
        let term = plan.term;
        let mut cuts = BTreeSet::from([term.start]);
        for s in spans.iter().chain(windows) {
            cuts.insert(s.start);
            cuts.extend(s.end.succ_opt());
        }
        let first_year = term.start.year();
        let years = first_year..=term.end.year();
        // A month starts a class where some target's months filter changes
        // from admitting to not, or back; a year, where some target filters
        // years.
        for r in routes {
            for m in 0..12u32 {
                let before = if m == 0 { 11 } else { m - 1 };
                if (r.months >> m) & 1 != (r.months >> before) & 1 {
                    cuts.extend(years.clone().filter_map(|y| NaiveDate::from_ymd_opt(y, m + 1, 1)));
                }
            }
            if !r.all_years {
                cuts.extend(years.clone().filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1)));
            }
        }
        let starts: Vec<NaiveDate> = cuts.into_iter().filter(|&d| term.contains(d)).collect();
        if starts.len() > MAX_CLASSES || years.clone().count() > 400 {
            return None;
        }
        let mut of = vec![u16::MAX; years.count() * 366];
        let mut day = term.start;
        let mut class = 0usize;
        while day <= term.end {
            if starts.get(class + 1) == Some(&day) {
                class += 1;
            }
            let at = Self::slot(first_year, day)?;
            *of.get_mut(at)? = u16::try_from(class).ok()?;
            day = day.succ_opt()?;
        }
        Some(DayClasses { first_year, of, starts })
    }

    fn slot(first_year: i32, day: NaiveDate) -> Option<usize> {
        let year = usize::try_from(day.year().checked_sub(first_year)?).ok()?;
        Some(year * 366 + day.ordinal0() as usize)
    }

    /// The class of `day`, when it is in the term.
    #[inline]
    fn class(&self, day: NaiveDate) -> Option<usize> {
        let c = *self.of.get(Self::slot(self.first_year, day)?)?;
        (c != u16::MAX).then_some(c as usize)
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }
}

/// The counts of one group by status ([`RowStatus::ALL`] order), then the
/// sums of its done rows' figures.
type Group = [u64; 8];

/// The groups of rows an engine has seen and not yet counted, by kind and
/// field (a *plane*), then class, then cell (`org * units + unit`).
///
/// A plane's table is made when a row first falls in it (most kinds have
/// no field, so most planes stay empty), and filled with zeros by writing
/// them. Memory the system hands out zeroed would be cheaper to make, but
/// the first read of each of its pages maps a shared page of zeros, and
/// the first write then replaces it, which makes the system interrupt the
/// process's other threads to forget the old page: on a virtual machine
/// that cost `status` on 100 000 rows a fifth of its time.
#[derive(Debug, Clone)]
pub(super) struct Groups {
    cells: usize,
    units: usize,
    /// Field positions: one per field, and the last for none.
    fields: usize,
    classes: usize,
    /// By plane, its groups (empty until a row falls in it).
    planes: Vec<Vec<Group>>,
}

impl Groups {
    /// Empty groups for `plan` over `classes`; `None` when they could grow
    /// too large.
    pub fn new(plan: &Plan, classes: &DayClasses) -> Option<Groups> {
        let (units, kinds, fields) = (plan.units.len(), plan.kinds.len(), plan.fields.len() + 1);
        let cells = plan.orgs.len().checked_mul(units)?;
        let planes = kinds.checked_mul(fields)?;
        let size = planes.checked_mul(classes.len())?.checked_mul(cells)?;
        (size <= MAX_GROUPS).then(|| Groups {
            cells,
            units,
            fields,
            classes: classes.len(),
            planes: vec![Vec::new(); planes],
        })
    }

    /// Adds `row` to its group; false when it must be counted on its own (a
    /// day outside the classes, a code outside the plan's, a count or sum
    /// that would overflow). `row.date` is at most the engine's as-of date.
    #[inline]
    pub fn add(&mut self, classes: &DayClasses, row: &Row<'_>) -> bool {
        let Some(class) = classes.class(row.date) else {
            return false;
        };
        let field = match row.field {
            None => self.fields - 1,
            Some(f) if f + 1 < self.fields => f,
            Some(_) => return false,
        };
        if row.org * self.units + row.unit >= self.cells || row.unit >= self.units {
            return false;
        }
        // A kind past the plan's has no plane.
        let Some(plane) = self.planes.get_mut(row.kind * self.fields + field) else {
            return false;
        };
        if plane.is_empty() {
            plane.resize(self.classes * self.cells, [0; 8]);
        }
        let Some(g) = plane.get_mut(class * self.cells + row.org * self.units + row.unit) else {
            return false;
        };
        let s = status_index(row.status);
        // Figures count on done rows only: added as zeros on the others,
        // rather than behind a branch on the status (statuses come in no
        // order, so it would be mispredicted).
        let keep = if s == 0 { u64::MAX } else { 0 };
        let [a, b, c, d] = row.nums.map(|x| x.unwrap_or(0) & keep);
        let [_, _, _, _, sa, sb, sc, sd] = g;
        let (a, oa) = sa.overflowing_add(a);
        let (b, ob) = sb.overflowing_add(b);
        let (c, oc) = sc.overflowing_add(c);
        let (d, od) = sd.overflowing_add(d);
        if oa | ob | oc | od {
            return false;
        }
        (*sa, *sb, *sc, *sd) = (a, b, c, d);
        // In place: a copy of the counts, changed at a varying place and
        // stored back whole, would wait on the store it just made.
        if let Some(n) = g.get_mut(s) {
            *n += 1;
        }
        true
    }

    /// Every group that holds a row, as [`Alike`] rows dated on their
    /// class's first day, given to `count` and then emptied.
    pub fn drain(&mut self, classes: &DayClasses, mut count: impl FnMut(&Alike)) {
        for (plane, groups) in self.planes.iter_mut().enumerate() {
            let (kind, field) = (plane / self.fields, plane % self.fields);
            for (i, g) in groups.iter_mut().enumerate() {
                let [n0, n1, n2, n3, sa, sb, sc, sd] = *g;
                if n0 | n1 | n2 | n3 == 0 {
                    continue;
                }
                let (class, cell) = (i / self.cells, i % self.cells);
                let Some(&date) = classes.starts.get(class) else {
                    continue;
                };
                count(&Alike {
                    date,
                    org: cell / self.units,
                    unit: cell % self.units,
                    kind,
                    field: (field + 1 < self.fields).then_some(field),
                    n: [n0, n1, n2, n3],
                    sums: [sa, sb, sc, sd],
                    at: None,
                });
                *g = [0; 8];
            }
        }
    }

    /// Groups of the same shape, empty.
    pub fn emptied(&self) -> Groups {
        Groups {
            planes: vec![Vec::new(); self.planes.len()],
            ..*self
        }
    }
}
