//! The compliance engine: plan + valid rows + an as-of date → every figure.
//!
//! Instances and periods come from the plan alone (so a target with no row
//! still shows, with actual 0). Rows are added in any order, into flat
//! accumulators; [`Engine::merge`] adds two engines fed with different rows,
//! so files can be read in parallel. [`Engine::finish`] turns the
//! accumulators into results with statuses, following the rules documented
//! in `plans/README.md`. Every output format renders this result.
//!
//! [`Engine::add`] runs once per row of the log. It gathers the row into
//! its group ([`groups`]: rows the engine cannot tell apart, counted and
//! summed together), and the groups are counted when the reading thread is
//! done. Counting reads only compact tables built once ([`index`]): the
//! targets of the rows' kind, and for each the instance's slots by one
//! (org, unit) and one field lookup, the periods' spans in one flat array.
//! Rows that cannot change a figure (not done, for a count or a sum;
//! cancelled, for a completion ratio) stop before that. An office's
//! contribution to a shared target is kept only along the dimension the
//! target does not split by (per unit for a target split by org, say), and
//! spread over every (org, unit) at the end.

mod evaluate;
mod groups;
mod index;
mod result;
mod tally;

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::logs::Row;
use crate::model::{Measure, Plan};
use crate::period::Span;
use evaluate::{Acc, evaluate};
use groups::{Alike, DayClasses, Groups};
use index::{Flat, Route, TargetIndex, build_index};
pub use result::{Figure, Status, TargetResult};
use tally::add;
pub use tally::{CellTally, KindTally, WindowTally};

/// Everything the engine computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    /// Sorted by target order, then period, then org, unit, field.
    pub results: Vec<TargetResult>,
    /// Beside each result: the value of its measure (done rows for a
    /// completion) split by the cell `org * units + unit` of the rows that
    /// counted, for results not split by both organisation and unit (an
    /// office's contribution to a shared target); empty otherwise.
    pub contrib: Vec<Vec<u64>>,
    /// For each window passed to [`Engine::new`]: a tally per kind (plan order),
    /// and (org, unit) pairs that have at least one row of any status.
    pub windows: Vec<WindowTally>,
}

/// A sum that went past `u64::MAX` (it then stays at `u64::MAX`, and the
/// figures are wrong and must not be shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// The (file, line) of the row whose figure made a sum overflow.
    AtRow(usize, u64),
    /// Partial sums overflowed when two engines were merged (a parallel
    /// read; read again on one thread to find the row).
    InMerge,
}

impl Overflow {
    /// The (file, line) of the row, when known.
    pub fn row(self) -> Option<(usize, u64)> {
        match self {
            Overflow::AtRow(file, line) => Some((file, line)),
            Overflow::InMerge => None,
        }
    }
}

/// At most this many per-cell contribution counters (beyond it an office's
/// share of a shared target is not kept).
const MAX_CONTRIB: usize = 1 << 23;

/// Accumulates rows; see the module docs.
#[derive(Debug, Clone)]
pub struct Engine<'p> {
    plan: &'p Plan,
    as_of: NaiveDate,
    /// Where each target's instances and periods are; built once and shared
    /// by the forks of a parallel read.
    index: Arc<[TargetIndex]>,
    /// The span of the period of each slot of `acc`.
    spans: Arc<[Span]>,
    /// Every target's positions and instance slots, in flat arrays.
    flat: Arc<Flat>,
    /// The targets that rows of each kind may count for: those of kind `k`
    /// are `routes[route_at[k]..route_at[k + 1]]`.
    routes: Arc<[Route]>,
    route_at: Arc<[usize]>,
    acc: Vec<Acc>,
    /// Per-cell contributions to targets not split by org and unit: for
    /// each slot, a counter per unit (a target split by org), per org
    /// (split by unit) or per org and unit (neither); see
    /// `TargetIndex::contrib_mul`. [`Engine::finish`] spreads them out over
    /// every (org, unit).
    contrib: Vec<u64>,
    /// `orgs * units`.
    cells: usize,
    /// `units` of the plan.
    units: usize,
    /// `fields` of the plan.
    fields: usize,
    windows: Vec<WindowTally>,
    /// The first overflow seen, if any.
    overflow: Option<Overflow>,
    /// Per target, the period (position in an instance's list) of the last
    /// row counted: only a hint, checked before use.
    hints: Vec<usize>,
    /// Rows gathered by group and not yet counted ([`groups`]), and the
    /// classes of days they are gathered by; `None`: rows are counted one
    /// by one.
    groups: Option<(Arc<DayClasses>, Groups)>,
}

impl<'p> Engine<'p> {
    /// An engine evaluating as of `as_of`, also tallying rows per kind in
    /// each of `windows` (days after `as_of` are not counted there either).
    /// Rows are gathered by group and counted a group at a time.
    pub fn new(plan: &'p Plan, as_of: NaiveDate, windows: &[Span]) -> Engine<'p> {
        let mut e = Engine::exact(plan, as_of, windows);
        let groups = DayClasses::new(plan, &e.spans, windows, &e.routes)
            .and_then(|c| Groups::new(plan, &c).map(|g| (Arc::new(c), g)));
        e.groups = groups;
        e
    }

    /// [`Engine::new`] counting every row on its own, so that the first
    /// row whose figure makes a sum overflow is known
    /// ([`Overflow::AtRow`]).
    pub fn exact(plan: &'p Plan, as_of: NaiveDate, windows: &[Span]) -> Engine<'p> {
        let mut slots = 0;
        let mut spans = Vec::new();
        let cells = plan.orgs.len() * plan.units.len();
        // The limit counts every (org, unit) of every slot, as the results
        // hold them, though fewer counters are kept.
        let (mut counted, mut contrib) = (0usize, 0usize);
        let mut flat = Flat::default();
        let index: Arc<[TargetIndex]> = plan
            .targets
            .iter()
            .map(|t| {
                let mut ix = build_index(plan, t, &mut slots, &mut spans, &mut flat);
                let size = (slots - ix.first_slot).saturating_mul(cells);
                if !(t.each.org && t.each.unit) && counted.saturating_add(size) <= MAX_CONTRIB {
                    counted += size;
                    ix.contrib_first = Some(contrib);
                    contrib += (slots - ix.first_slot) * ix.contrib_cells;
                }
                ix
            })
            .collect();
        let mut by_kind = vec![Vec::new(); plan.kinds.len()];
        for ((ti, t), ix) in plan.targets.iter().enumerate().zip(index.iter()) {
            for &k in &t.kinds {
                if let Some(v) = by_kind.get_mut(k) {
                    v.push(Route::new(ti, ix));
                }
            }
        }
        let mut route_at = vec![0];
        let mut routes = Vec::new();
        for v in by_kind {
            routes.extend(v);
            route_at.push(routes.len());
        }
        Engine {
            plan,
            as_of,
            index,
            spans: spans.into(),
            flat: Arc::new(flat),
            routes: routes.into(),
            route_at: route_at.into(),
            acc: vec![Acc::default(); slots],
            contrib: vec![0; contrib],
            cells,
            units: plan.units.len(),
            fields: plan.fields.len(),
            windows: windows.iter().map(|&span| WindowTally::new(plan, span)).collect(),
            overflow: None,
            hints: vec![0; plan.targets.len()],
            groups: None,
        }
    }

    /// Adds one valid row.
    #[inline]
    pub fn add(&mut self, row: &Row<'_>) {
        if row.date > self.as_of {
            return;
        }
        if let Some((classes, groups)) = &mut self.groups
            && groups.add(classes, row)
        {
            return;
        }
        self.count(&Alike::one(row));
    }

    /// Counts the rows gathered by group, emptying the groups.
    fn settle(&mut self) {
        if let Some((classes, mut groups)) = self.groups.take() {
            groups.drain(&classes, |g| self.count(g));
            self.groups = Some((classes, groups));
        }
    }

    /// Counts rows the engine cannot tell apart (one row, or a group),
    /// dated at most `as_of`.
    fn count(&mut self, rows: &Alike) {
        let mut fits = true;
        for w in &mut self.windows {
            if w.span.contains(rows.date) {
                fits &= w.count(self.plan, rows);
            }
        }
        let (done, scheduled) = (rows.done(), rows.scheduled());
        let routes = match (self.route_at.get(rows.kind), self.route_at.get(rows.kind + 1)) {
            (Some(&a), Some(&b)) => self.routes.get(a..b).unwrap_or_default(),
            _ => &[],
        };
        // A row outside the plan's codes has no instance (the tables of a
        // target would not bound it).
        let cell = rows.org * self.units + rows.unit;
        let field = rows.field.unwrap_or(self.fields);
        if routes.is_empty() || cell >= self.cells || field > self.fields {
            self.note(fits, rows);
            return;
        }
        // The month and year of the rows, once for every target.
        let month_bit = 1u16 << (rows.date.month0() & 15);
        let year = rows.date.year();
        for r in routes {
            // A row not done adds nothing to a count or a sum, nor does a
            // cancelled one to a completion ratio.
            let counts = done > 0 || (r.measure == Measure::Completion && scheduled > 0);
            if !counts || r.months & month_bit == 0 {
                continue;
            }
            if !r.all_years && !self.index.get(r.target).is_some_and(|ix| ix.days.admits_year(year)) {
                continue;
            }
            let Some(inst) = r.instance(&self.flat, cell, field) else {
                continue;
            };
            let spans = self.spans.get(inst.first..inst.first + inst.len).unwrap_or_default();
            let Some(p) = period_of(self.hints.get_mut(r.target), spans, rows.date) else {
                continue;
            };
            let slot = inst.first + p;
            if r.contrib_first != usize::MAX {
                let (per_org, per_unit) = r.contrib_mul;
                let at = r.contrib_first
                    + (slot - r.first_slot) * r.contrib_cells
                    + rows.org * per_org
                    + rows.unit * per_unit;
                if let Some(x) = self.contrib.get_mut(at) {
                    *x = x.saturating_add(measured(r.measure, rows));
                }
            }
            let Some(acc) = self.acc.get_mut(slot) else {
                continue;
            };
            match r.measure {
                Measure::Count => acc.value += done,
                Measure::Sum(c) => {
                    if done > 0 {
                        fits &= add(&mut acc.value, rows.sum(c.index()));
                    }
                }
                Measure::Completion => {
                    acc.done += done;
                    acc.scheduled += scheduled;
                }
            }
        }
        self.note(fits, rows);
    }

    /// Keeps the first overflow: at the row whose figure made a sum
    /// overflow, or somewhere in a group.
    fn note(&mut self, fits: bool, rows: &Alike) {
        if !fits && self.overflow.is_none() {
            self.overflow = Some(match rows.at {
                Some((file, line)) => Overflow::AtRow(file, line),
                None => Overflow::InMerge,
            });
        }
    }

    /// Adds the rows another engine (same plan, same as-of) has seen.
    pub fn merge(&mut self, mut other: Engine<'_>) {
        other.settle();
        let mut fits = true;
        for (a, b) in self.acc.iter_mut().zip(&other.acc) {
            fits &= add(&mut a.value, b.value);
            a.done += b.done;
            a.scheduled += b.scheduled;
        }
        for (w, o) in self.windows.iter_mut().zip(&other.windows) {
            fits &= w.merge(o);
        }
        for (a, b) in self.contrib.iter_mut().zip(&other.contrib) {
            *a = a.saturating_add(*b);
        }
        let merged = (!fits).then_some(Overflow::InMerge);
        self.overflow = self.overflow.or(other.overflow).or(merged);
    }

    /// Whether a sum went past `u64::MAX`, and where (once the rows
    /// gathered so far are counted).
    pub fn overflow(&mut self) -> Option<Overflow> {
        self.settle();
        self.overflow
    }

    /// Evaluates every instance and period.
    pub fn finish(mut self) -> Evaluation {
        self.settle();
        let mut results = Vec::new();
        for (ti, (t, ix)) in self.plan.targets.iter().zip(self.index.iter()).enumerate() {
            for inst in &ix.instances {
                for (pi, p) in inst.periods.iter().enumerate() {
                    let slot = inst.first_slot + pi;
                    let acc = self.acc.get(slot).copied().unwrap_or_default();
                    let contrib = ix
                        .contrib_first
                        .map(|first| first + (slot - ix.first_slot) * ix.contrib_cells)
                        .and_then(|at| self.contrib.get(at..at + ix.contrib_cells))
                        .map(|kept| self.spread(ix, inst, kept))
                        .unwrap_or_default();
                    results.push((evaluate(t, ti, inst, p, acc, self.as_of), contrib));
                }
            }
        }
        // The period's label, not its (possibly clipped) first day: a unit
        // that starts mid-year must not move ahead of the organisations.
        results.sort_by(|(a, _), (b, _)| {
            (a.target, a.period.label, a.org, a.unit, a.field).cmp(&(b.target, b.period.label, b.org, b.unit, b.field))
        });
        let (results, contrib) = results.into_iter().unzip();
        Evaluation {
            as_of: self.as_of,
            results,
            contrib,
            windows: self.windows,
        }
    }
}

impl Engine<'_> {
    /// One slot's kept contribution counters spread over every (org, unit)
    /// of the plan (`org * units + unit`), 0 where the instance's org or
    /// unit is another.
    fn spread(&self, ix: &TargetIndex, inst: &index::Instance, kept: &[u64]) -> Vec<u64> {
        let mut all = vec![0; self.cells];
        let (per_org, per_unit) = ix.contrib_mul;
        for (i, x) in all.iter_mut().enumerate() {
            let (org, unit) = (i / self.units, i % self.units);
            if inst.org.is_none_or(|o| o == org) && inst.unit.is_none_or(|u| u == unit) {
                *x = kept.get(org * per_org + unit * per_unit).copied().unwrap_or(0);
            }
        }
        all
    }
}

/// The position of the period holding `day` among an instance's periods
/// (`spans`). The period of the row before (`hint`) is tried first: logs
/// are mostly in date order, and a target's instances share their periods.
fn period_of(hint: Option<&mut usize>, spans: &[Span], day: NaiveDate) -> Option<usize> {
    let tried = hint.as_deref().copied().unwrap_or(0);
    if spans.get(tried).is_some_and(|s| s.contains(day)) {
        return Some(tried);
    }
    let p = spans.iter().position(|s| s.contains(day))?;
    if let Some(h) = hint {
        *h = p;
    }
    Some(p)
}

/// What rows add to a target's measure, for an office's contribution.
fn measured(measure: Measure, rows: &Alike) -> u64 {
    match measure {
        Measure::Sum(c) if rows.done() > 0 => rows.sum(c.index()),
        Measure::Sum(_) => 0,
        Measure::Count | Measure::Completion => rows.done(),
    }
}

impl crate::logs::RowSink for Engine<'_> {
    fn row(&mut self, row: &Row<'_>) {
        self.add(row);
    }
}

impl crate::logs::ParallelSink for Engine<'_> {
    /// An empty engine sharing this one's index (building it again for
    /// every file of a large workspace cost more than reading small files).
    fn fork(&self) -> Self {
        let mut windows = self.windows.clone();
        for w in &mut windows {
            w.clear();
        }
        Engine {
            plan: self.plan,
            as_of: self.as_of,
            index: Arc::clone(&self.index),
            spans: Arc::clone(&self.spans),
            flat: Arc::clone(&self.flat),
            routes: Arc::clone(&self.routes),
            route_at: Arc::clone(&self.route_at),
            acc: vec![Acc::default(); self.acc.len()],
            contrib: vec![0; self.contrib.len()],
            cells: self.cells,
            units: self.units,
            fields: self.fields,
            windows,
            overflow: None,
            hints: vec![0; self.hints.len()],
            groups: self.groups.as_ref().map(|(c, g)| (Arc::clone(c), g.emptied())),
        }
    }

    const ORDER_FREE: bool = true;

    fn settle(&mut self) {
        Engine::settle(self);
    }

    fn merge(&mut self, other: Self) {
        Engine::merge(self, other);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::model::{NumColumn, RowStatus};
    use crate::period::parse_iso_date;

    const HEAD: &str = r#"format = 1
[plan]
id = "T"
title = "Test"
start = 2021-01-01
end = 2025-12-31
[orgs]
MTTQ = "Mặt trận"
HND = "Nông dân"
[levels]
province = "Tỉnh"
district = "Huyện"
[units.tinh]
name = "Tỉnh"
level = "province"
[units.bx]
name = "Bát Xát"
level = "district"
until = 2025-06-30
[units.moi]
name = "Mới"
level = "district"
from = 2023-04-01
[kinds]
sup = { name = "Giám sát", field = true }
dia = "Đối thoại"
con = "Hiệp thương"
cri = "Phản biện"
[fields]
F1 = "Một"
F2 = "Hai"
"#;

    fn plan(targets: &str) -> Plan {
        let (p, d) = crate::planfile::load("p.toml", &format!("{HEAD}{targets}"), Lang::En);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        p.unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
    }

    fn row(plan: &Plan, date: &str, org: &str, unit: &str, kind: &str, status: RowStatus) -> Row<'static> {
        Row {
            date: d(date),
            org: plan.org(org).unwrap(),
            unit: plan.unit(unit).unwrap(),
            kind: plan.kind(kind).unwrap(),
            status,
            field: None,
            nums: [None; 4],
            title: "",
            reference: "",
            note: "",
            file: 0,
            line: 0,
        }
    }

    fn eval(plan: &Plan, as_of: &str, rows: &[Row<'_>]) -> Evaluation {
        let mut e = Engine::new(plan, d(as_of), &[]);
        for r in rows {
            e.add(r);
        }
        e.finish()
    }

    fn brief(e: &Evaluation) -> Vec<(String, Option<Figure>, Option<u64>, Status)> {
        e.results
            .iter()
            .map(|r| (r.period.label.to_string(), r.actual, r.expected, r.status))
            .collect()
    }

    const DIALOGUE_YEAR: &str =
        "[[target]]\nid = \"dy\"\nkind = \"dia\"\nlevels = [\"province\"]\neach = [\"org\"]\nper = \"year\"\nmin = 2\n";

    #[test]
    fn instances_and_periods_come_from_the_plan() {
        let p = plan(DIALOGUE_YEAR);
        let e = eval(&p, "2023-06-30", &[]);
        assert_eq!(e.results.len(), 2 * 5, "two orgs, five years, no rows");
        assert!(e.results.iter().all(|r| r.actual == Some(Figure::Int(0))));
    }

    #[test]
    fn every_min_status() {
        let p = plan(DIALOGUE_YEAR);
        let rows = [
            row(&p, "2022-03-01", "MTTQ", "tinh", "dia", RowStatus::Done),
            row(&p, "2022-09-01", "MTTQ", "tinh", "dia", RowStatus::Done),
            row(&p, "2022-05-01", "HND", "tinh", "dia", RowStatus::Done),
            row(&p, "2023-02-01", "MTTQ", "tinh", "dia", RowStatus::Done),
            // Not done, not in the filter, or after D: none count.
            row(&p, "2023-02-02", "MTTQ", "tinh", "dia", RowStatus::Planned),
            row(&p, "2023-02-03", "MTTQ", "bx", "dia", RowStatus::Done),
            row(&p, "2023-08-01", "HND", "tinh", "dia", RowStatus::Done),
        ];
        let e = eval(&p, "2023-07-02", &rows);
        let get = |org: &str, period: &str| {
            let o = p.org(org).unwrap();
            e.results
                .iter()
                .find(|r| r.org == Some(o) && r.period.label.to_string() == period)
                .unwrap()
        };
        assert_eq!(get("MTTQ", "2022").status, Status::Met);
        assert_eq!(get("HND", "2022").status, Status::Missed);
        assert_eq!(get("HND", "2022").expected, None, "no pace once the period has ended");
        // 2023-07-02 is day 183 of 365: expected = floor(2 × 183 / 365) = 1.
        assert_eq!(get("MTTQ", "2023").expected, Some(1));
        assert_eq!(get("MTTQ", "2023").status, Status::OnTrack);
        assert_eq!(get("HND", "2023").status, Status::Behind);
        assert_eq!(get("HND", "2023").actual, Some(Figure::Int(0)));
        assert_eq!(get("HND", "2024").status, Status::Upcoming);
    }

    #[test]
    fn max_and_sum() {
        let p = plan(
            "[[target]]\nid = \"b\"\nkind = [\"dia\", \"sup\"]\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 100\n",
        );
        let mut a = row(&p, "2021-03-01", "MTTQ", "tinh", "dia", RowStatus::Done);
        a.nums[NumColumn::Cost.index()] = Some(60);
        let mut b = row(&p, "2021-04-01", "HND", "tinh", "sup", RowStatus::Done);
        b.nums[NumColumn::Cost.index()] = Some(30);
        b.field = p.field("F1");
        let mut planned = row(&p, "2021-05-01", "HND", "tinh", "dia", RowStatus::Planned);
        planned.nums[NumColumn::Cost.index()] = Some(1000);
        let e = eval(&p, "2021-12-31", &[a, b, planned]);
        assert_eq!(
            brief(&e),
            vec![("2021-2025".into(), Some(Figure::Int(90)), None, Status::Within)]
        );
        let mut c = a;
        c.date = d("2022-01-01");
        let e = eval(&p, "2022-12-31", &[a, b, c]);
        assert_eq!(e.results[0].status, Status::Over);
        assert_eq!(eval(&p, "2020-12-31", &[]).results[0].status, Status::Upcoming);
    }

    #[test]
    fn a_sum_past_the_largest_number_names_its_row_or_the_merge() {
        let p = plan("[[target]]\nid = \"b\"\nkind = \"dia\"\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 100\n");
        let mut a = row(&p, "2021-03-01", "MTTQ", "tinh", "dia", RowStatus::Done);
        a.nums[NumColumn::Cost.index()] = Some(u64::MAX);
        (a.file, a.line) = (1, 5);
        let mut b = a;
        b.line = 9;
        let mut one = Engine::exact(&p, d("2021-12-31"), &[]);
        one.add(&a);
        assert_eq!(one.overflow(), None);
        one.add(&b);
        assert_eq!(one.overflow(), Some(Overflow::AtRow(1, 9)));
        assert_eq!(one.overflow().and_then(Overflow::row), Some((1, 9)));
        let (mut ea, mut eb) = (
            Engine::new(&p, d("2021-12-31"), &[]),
            Engine::new(&p, d("2021-12-31"), &[]),
        );
        ea.add(&a);
        eb.add(&b);
        ea.merge(eb);
        assert_eq!(ea.overflow(), Some(Overflow::InMerge));
        assert_eq!(ea.overflow().and_then(Overflow::row), None);
    }

    #[test]
    fn completion_statuses() {
        let p =
            plan("[[target]]\nid = \"c\"\nkind = \"cri\"\nper = \"year\"\nmeasure = \"completion\"\nmin_ratio = 1.0\n");
        let rows = [
            row(&p, "2021-03-01", "MTTQ", "tinh", "cri", RowStatus::Done),
            row(&p, "2021-04-01", "MTTQ", "tinh", "cri", RowStatus::Cancelled),
            row(&p, "2022-03-01", "MTTQ", "tinh", "cri", RowStatus::Done),
            row(&p, "2022-04-01", "MTTQ", "tinh", "cri", RowStatus::Postponed),
            row(&p, "2023-04-01", "MTTQ", "tinh", "cri", RowStatus::Done),
            row(&p, "2023-05-01", "MTTQ", "tinh", "cri", RowStatus::Planned),
        ];
        let e = eval(&p, "2023-06-30", &rows);
        let b = brief(&e);
        assert_eq!(
            b[0],
            ("2021".into(), Some(Figure::Ratio(1.0)), None, Status::Met),
            "cancelled rows are left out"
        );
        assert_eq!(b[1], ("2022".into(), Some(Figure::Ratio(0.5)), None, Status::Missed));
        assert_eq!(b[2], ("2023".into(), Some(Figure::Ratio(0.5)), None, Status::Behind));
        assert_eq!(b[3], ("2024".into(), None, None, Status::Upcoming));
        let e = eval(&p, "2024-06-30", &rows);
        assert_eq!(e.results[3].status, Status::NotApplicable);
        assert_eq!(e.results[3].actual, None);
    }

    #[test]
    fn november_window() {
        let p =
            plan("[[target]]\nid = \"n\"\nkind = \"con\"\norgs = [\"MTTQ\"]\nper = \"year\"\nmonths = [11]\nmin = 1\n");
        let dec = row(&p, "2023-12-05", "MTTQ", "tinh", "con", RowStatus::Done);
        let before = eval(&p, "2023-10-31", &[]);
        assert_eq!(before.results[2].expected, Some(0));
        assert_eq!(before.results[2].status, Status::OnTrack);
        let during = eval(&p, "2023-11-30", &[]);
        assert_eq!(during.results[2].expected, Some(1));
        assert_eq!(during.results[2].status, Status::Behind);
        let after = eval(&p, "2023-12-31", &[dec]);
        assert_eq!(
            after.results[2].actual,
            Some(Figure::Int(0)),
            "a December row does not count"
        );
        assert_eq!(after.results[2].status, Status::Missed);
    }

    #[test]
    fn units_that_end_or_start_mid_term() {
        let p = plan(
            "[[target]]\nid = \"u\"\nkind = \"dia\"\nlevels = [\"district\"]\neach = [\"org\", \"unit\"]\nper = \"year\"\nmin = 1\n",
        );
        let e = eval(&p, "2025-12-31", &[]);
        let bx = p.unit("bx").unwrap();
        let moi = p.unit("moi").unwrap();
        let bx_2025: Vec<_> = e
            .results
            .iter()
            .filter(|r| r.unit == Some(bx) && r.period.label == crate::period::PeriodLabel::Year(2025))
            .collect();
        assert_eq!(bx_2025.len(), 2);
        assert_eq!(bx_2025[0].period.span.end, d("2025-06-30"));
        let moi_years: Vec<String> = e
            .results
            .iter()
            .filter(|r| r.unit == Some(moi) && r.org == Some(0))
            .map(|r| r.period.label.to_string())
            .collect();
        assert_eq!(moi_years, ["2023", "2024", "2025"]);
        // Pace inside a clipped period: 2023 for `moi` runs 01/04–31/12 (275 days).
        let mid = eval(&p, "2023-08-15", &[]);
        let r = mid
            .results
            .iter()
            .find(|r| r.unit == Some(moi) && r.period.label.to_string() == "2023")
            .unwrap();
        assert_eq!(r.period.countable_days, 275);
        assert_eq!(r.expected, Some(0), "floor(1 × 137 / 275)");
        assert_eq!(r.status, Status::OnTrack);
    }

    #[test]
    fn results_are_in_org_then_unit_order_even_when_a_unit_starts_mid_period() {
        let p = plan(
            "[[target]]\nid = \"u\"\nkind = \"dia\"\nlevels = [\"district\"]\neach = [\"org\", \"unit\"]\nper = \"year\"\nmin = 1\n",
        );
        let e = eval(&p, "2023-12-31", &[]);
        let order: Vec<(Option<usize>, Option<usize>)> = e
            .results
            .iter()
            .filter(|r| r.period.label == crate::period::PeriodLabel::Year(2023))
            .map(|r| (r.org, r.unit))
            .collect();
        let (bx, moi) = (p.unit("bx"), p.unit("moi"));
        let (mttq, hnd) = (p.org("MTTQ"), p.org("HND"));
        assert_eq!(order, [(mttq, bx), (mttq, moi), (hnd, bx), (hnd, moi)]);
    }

    #[test]
    fn schedule_replaces_linear_pace() {
        let p = plan(
            "[[target]]\nid = \"s\"\nkind = \"dia\"\nper = \"term\"\nmin = 100\nschedule = { 2021 = 10, 2022 = 30, 2023 = 20, 2024 = 20, 2025 = 20 }\n",
        );
        // 2023-07-02: 10 + 30 for the years ended, plus floor(20 × 183/365) = 10.
        let e = eval(&p, "2023-07-02", &[]);
        assert_eq!(e.results[0].expected, Some(50));
        let e = eval(&p, "2021-12-31", &[]);
        assert_eq!(e.results[0].expected, Some(10));
    }

    #[test]
    fn merging_engines_equals_one_pass() {
        let p = plan(DIALOGUE_YEAR);
        let rows: Vec<Row<'_>> = (0..40)
            .map(|i| {
                let date = format!("202{}-0{}-1{}", 1 + i % 5, 1 + i % 9, i % 10);
                row(
                    &p,
                    &date,
                    if i % 3 == 0 { "HND" } else { "MTTQ" },
                    "tinh",
                    "dia",
                    RowStatus::Done,
                )
            })
            .collect();
        let one = eval(&p, "2024-05-05", &rows);
        let (a, b) = rows.split_at(17);
        let mut ea = Engine::new(&p, d("2024-05-05"), &[]);
        for r in a {
            ea.add(r);
        }
        let mut eb = Engine::new(&p, d("2024-05-05"), &[]);
        for r in b {
            eb.add(r);
        }
        ea.merge(eb);
        assert_eq!(ea.finish(), one);
    }

    #[test]
    fn contributions_are_by_org_and_unit_whatever_the_split() {
        let p = plan(concat!(
            "[[target]]\nid = \"o\"\nkind = \"dia\"\neach = [\"org\"]\nper = \"year\"\nmin = 1\n",
            "[[target]]\nid = \"u\"\nkind = \"dia\"\neach = [\"unit\"]\nper = \"year\"\nmin = 1\n",
            "[[target]]\nid = \"n\"\nkind = \"dia\"\nper = \"year\"\nmeasure = \"completion\"\nmin_ratio = 1.0\n",
        ));
        let rows = [
            row(&p, "2023-02-01", "MTTQ", "tinh", "dia", RowStatus::Done),
            row(&p, "2023-03-01", "MTTQ", "tinh", "dia", RowStatus::Done),
            row(&p, "2023-03-02", "HND", "bx", "dia", RowStatus::Done),
            row(&p, "2023-05-01", "HND", "moi", "dia", RowStatus::Done),
            row(&p, "2023-05-02", "HND", "moi", "dia", RowStatus::Planned),
            row(&p, "2024-01-05", "MTTQ", "moi", "dia", RowStatus::Done),
        ];
        let e = eval(&p, "2024-12-31", &rows);
        let units = p.units.len();
        for (r, contrib) in e.results.iter().zip(&e.contrib) {
            let mut expected = vec![0; p.orgs.len() * units];
            for x in &rows {
                if x.status == RowStatus::Done
                    && r.period.span.contains(x.date)
                    && r.org.is_none_or(|o| o == x.org)
                    && r.unit.is_none_or(|u| u == x.unit)
                {
                    expected[x.org * units + x.unit] += 1;
                }
            }
            assert_eq!(
                contrib, &expected,
                "{} {} {:?} {:?}",
                p.targets[r.target].id, r.period.label, r.org, r.unit
            );
        }
        assert!(
            e.contrib.iter().any(|c| c.iter().sum::<u64>() == 2),
            "a cell of two rows"
        );
    }

    /// Targets and windows with boundaries of every sort the engine tells
    /// days apart by: years, halves, a months filter, a years filter, a
    /// unit's lifetime, a window that starts and ends mid-month.
    const MANY: &str = concat!(
        "[[target]]\nid = \"d\"\nkind = \"dia\"\nlevels = [\"district\"]\neach = [\"org\", \"unit\"]\nper = \"year\"\nmin = 1\n",
        "[[target]]\nid = \"s\"\nkind = \"sup\"\neach = [\"field\"]\nper = \"half\"\nmin = 3\n",
        "[[target]]\nid = \"c\"\nkind = \"cri\"\neach = [\"unit\"]\nper = \"year\"\nmeasure = \"completion\"\nmin_ratio = 0.5\n",
        "[[target]]\nid = \"m\"\nkind = \"con\"\nper = \"year\"\nmonths = [11]\nmin = 1\n",
        "[[target]]\nid = \"y\"\nkind = \"dia\"\nper = \"term\"\nyears = [2022, 2024]\nmeasure = \"sum:cost\"\nmax = 1000000\n",
        "[[target]]\nid = \"p\"\nkind = \"sup\"\neach = [\"org\"]\nper = \"term\"\nmeasure = \"sum:participants\"\nmin = 10\n",
    );

    #[test]
    fn a_group_whose_sum_would_overflow_counts_the_row_on_its_own() {
        let p = plan("[[target]]\nid = \"b\"\nkind = \"dia\"\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 100\n");
        // A window sums every numeric column: each can overflow.
        let window = [p.term];
        for c in NumColumn::ALL {
            let mut a = row(&p, "2021-03-01", "MTTQ", "tinh", "dia", RowStatus::Done);
            a.nums[c.index()] = Some(u64::MAX / 3);
            // Asking for the overflow counts the groups: a new engine each time.
            for (rows, overflow) in [(3, None), (4, Some(Overflow::InMerge))] {
                let mut e = Engine::new(&p, d("2021-12-31"), &window);
                assert!(e.groups.is_some());
                for _ in 0..rows {
                    e.add(&a);
                }
                assert_eq!(e.overflow(), overflow, "{c:?}, {rows} rows");
            }
        }
    }

    /// Targets over the whole term, told apart only by their filters.
    const FILTERED: &str = concat!(
        "[[target]]\nid = \"m\"\nkind = \"con\"\neach = [\"org\"]\nper = \"term\"\nmonths = [3, 4, 11]\nmin = 1\n",
        "[[target]]\nid = \"y\"\nkind = \"dia\"\nper = \"term\"\nyears = [2022, 2024]\nmeasure = \"completion\"\nmin_ratio = 0.5\n",
    );

    proptest::proptest! {
        /// Rows gathered by group and counted a group at a time, on two
        /// forks merged, give what counting them one by one gives: every
        /// result, contribution and window tally, and whether a sum
        /// overflows.
        #[test]
        fn groups_count_as_rows_one_by_one(
            raw in proptest::collection::vec((
                -200i64..2100,
                // One past the plan's codes each (a row no check lets
                // through, counted on its own).
                0usize..3,
                0usize..4,
                0usize..5,
                0usize..4,
                0usize..4,
                proptest::array::uniform4(proptest::prop_oneof![
                    8 => proptest::option::of(0u64..1000),
                    1 => proptest::strategy::Just(Some(u64::MAX / 3)),
                ]),
            ), 0..300),
            as_of in -10i64..1900,
            split in 0usize..300,
            settled: bool,
            filtered: bool,
        ) {
            let p = plan(if filtered { FILTERED } else { MANY });
            let start = d("2021-01-01");
            let as_of = start + chrono::Duration::days(as_of);
            let windows = [
                crate::period::Half::containing(d("2023-02-01")).span(),
                Span::new(d("2022-03-15"), d("2022-11-20")).unwrap(),
            ];
            let rows: Vec<Row<'_>> = raw
                .iter()
                .map(|&(day, org, unit, kind, status, field, nums)| Row {
                    date: start + chrono::Duration::days(day),
                    org,
                    unit,
                    kind,
                    status: RowStatus::ALL[status],
                    field: field.checked_sub(1),
                    nums,
                    ..row(&p, "2021-01-01", "MTTQ", "tinh", "dia", RowStatus::Done)
                })
                .collect();
            let mut one = Engine::exact(&p, as_of, &windows);
            for r in &rows {
                one.add(r);
            }
            let mut a = Engine::new(&p, as_of, &windows);
            proptest::prop_assert!(a.groups.is_some());
            let mut b = crate::logs::ParallelSink::fork(&a);
            let (x, y) = rows.split_at(split.min(rows.len()));
            for r in x {
                a.add(r);
            }
            for r in y {
                b.add(r);
            }
            if settled {
                crate::logs::ParallelSink::settle(&mut b);
            }
            a.merge(b);
            proptest::prop_assert_eq!(a.overflow().is_some(), one.overflow().is_some());
            if one.overflow().is_none() {
                proptest::prop_assert_eq!(a.finish(), one.finish());
            }
        }
    }

    proptest::proptest! {
        /// For random valid rows, `actual` of a count target equals the
        /// number of matching done rows counted independently.
        #[test]
        fn count_equals_matching_done_rows(
            raw in proptest::collection::vec((0i64..1826, 0usize..2, 0usize..3, 0usize..4, 0usize..4, 0usize..3), 0..300),
            as_of in 0i64..1900,
        ) {
            let p = plan(concat!(
                "[[target]]\nid = \"d\"\nkind = \"dia\"\nlevels = [\"district\"]\neach = [\"org\", \"unit\"]\nper = \"year\"\nmin = 1\n",
                "[[target]]\nid = \"s\"\nkind = \"sup\"\neach = [\"field\"]\nper = \"half\"\nmin = 3\n",
            ));
            let start = d("2021-01-01");
            let as_of = start + chrono::Duration::days(as_of);
            let rows: Vec<Row<'_>> = raw
                .iter()
                .filter_map(|&(day, org, unit, kind, status, field)| {
                    let date = start + chrono::Duration::days(day);
                    let u = p.units.get(unit)?;
                    if !u.exists_on(date) {
                        return None; // `check` rejects such rows
                    }
                    let kind_code = &p.kinds.get(kind)?.code;
                    let mut r = row(&p, &date.to_string(), &p.orgs.get(org)?.code.clone(), &u.code.clone(), &kind_code.clone(), RowStatus::ALL[status]);
                    r.field = if kind_code == "sup" { Some(field % 2) } else { None };
                    Some(r)
                })
                .collect();
            let e = eval(&p, &as_of.to_string(), &rows);
            for r in &e.results {
                let t = &p.targets[r.target];
                let expected = rows
                    .iter()
                    .filter(|x| {
                        x.status == RowStatus::Done
                            && x.date <= as_of
                            && r.period.span.contains(x.date)
                            && p.kinds[x.kind].code == t.kinds.iter().map(|&k| p.kinds[k].code.clone()).next().unwrap()
                            && (t.id != "d" || (p.units[x.unit].level == p.level("district").unwrap() && Some(x.org) == r.org && Some(x.unit) == r.unit))
                            && (t.id != "s" || x.field == r.field)
                    })
                    .count() as u64;
                let actual = if as_of < r.period.span.start { 0 } else { expected };
                proptest::prop_assert_eq!(r.actual, Some(Figure::Int(actual)), "{} {}", t.id, r.period.label);
            }
        }
    }
}
