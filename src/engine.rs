//! The compliance engine: plan + valid rows + an as-of date → every figure.
//!
//! Instances and periods come from the plan alone (so a target with no row
//! still shows, with actual 0). Rows are added one at a time, in any order,
//! into flat accumulators; [`Engine::merge`] adds two engines fed with
//! different rows, so files can be read in parallel. [`Engine::finish`]
//! turns the accumulators into results with statuses, following the rules
//! documented in `plans/README.md`. Every output format renders this result.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::logs::Row;
use crate::model::{Measure, NumColumn, Plan, Requirement, RowStatus, Target};
use crate::period::{self, Period, Span, year_span};

/// The status of one result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "on-track")]
    OnTrack,
    #[serde(rename = "behind")]
    Behind,
    #[serde(rename = "missed")]
    Missed,
    #[serde(rename = "upcoming")]
    Upcoming,
    #[serde(rename = "within")]
    Within,
    #[serde(rename = "over")]
    Over,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Met,
        Status::OnTrack,
        Status::Behind,
        Status::Missed,
        Status::Upcoming,
        Status::Within,
        Status::Over,
        Status::NotApplicable,
    ];

    /// The spelling used in files, JSON and options.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on-track",
            Status::Behind => "behind",
            Status::Missed => "missed",
            Status::Upcoming => "upcoming",
            Status::Within => "within",
            Status::Over => "over",
            Status::NotApplicable => "n/a",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Needs attention: `behind`, `missed` or `over`.
    pub fn is_bad(self) -> bool {
        matches!(self, Status::Behind | Status::Missed | Status::Over)
    }

    /// Counts as a strength in a report: `met`, `on-track` or `within`.
    pub fn is_good(self) -> bool {
        matches!(self, Status::Met | Status::OnTrack | Status::Within)
    }
}

/// A figure: an integer for count and sum, a ratio for completion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Int(u64),
    Ratio(f64),
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Int(n) => s.serialize_u64(*n),
            Figure::Ratio(r) => s.serialize_f64(*r),
        }
    }
}

impl Figure {
    pub fn as_f64(self) -> f64 {
        match self {
            Figure::Int(n) => n as f64,
            Figure::Ratio(r) => r,
        }
    }
}

/// One instance of one target in one period, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// Index into [`Plan::targets`].
    pub target: usize,
    pub period: Period,
    /// Instance values for the dimensions in `each` (indices into the plan).
    pub org: Option<usize>,
    pub unit: Option<usize>,
    pub field: Option<usize>,
    /// `None` only for a completion with no scheduled row.
    pub actual: Option<Figure>,
    pub required: Figure,
    /// The pace, for `min` targets while their period runs.
    pub expected: Option<u64>,
    pub status: Status,
}

impl TargetResult {
    /// actual ÷ required, when both mean something.
    pub fn ratio(&self) -> Option<f64> {
        let req = self.required.as_f64();
        let act = self.actual?.as_f64();
        (req > 0.0).then(|| act / req)
    }
}

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
fn add(x: &mut u64, y: u64) -> bool {
    match x.checked_add(y) {
        Some(v) => {
            *x = v;
            true
        }
        None => {
            *x = u64::MAX;
            false
        }
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
    /// Zero every count, keeping the shape.
    fn clear(&mut self) {
        for k in &mut self.kinds {
            k.done = 0;
            k.scheduled = 0;
            k.postponed = 0;
            k.cancelled = 0;
            k.sums = [0; 4];
            for v in [&mut k.by_level, &mut k.by_org, &mut k.by_field] {
                v.iter_mut().for_each(|x| *x = 0);
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

/// Position of a plan code in a target's instance list; `NO` = filtered out.
const NO: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Instance {
    org: Option<usize>,
    unit: Option<usize>,
    field: Option<usize>,
    /// Index of this instance's first period slot in [`Engine::acc`].
    first_slot: usize,
    periods: Vec<Period>,
}

#[derive(Debug, Clone)]
struct TargetIndex {
    org_pos: Vec<u32>,
    unit_pos: Vec<u32>,
    /// Position by field index; the last entry stands for "no field".
    field_pos: Vec<u32>,
    n_units: usize,
    n_fields: usize,
    instances: Vec<Instance>,
    /// Where this target's per-cell contributions start in
    /// [`Engine::contrib`] (`None`: split by org and unit, or too large).
    contrib_first: Option<usize>,
    /// The target's first period slot.
    first_slot: usize,
}

/// At most this many per-cell contribution counters (beyond it an office's
/// share of a shared target is not kept).
const MAX_CONTRIB: usize = 1 << 23;

/// Per period slot: the measure's value, and done / scheduled for completion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Acc {
    value: u64,
    done: u64,
    scheduled: u64,
}

/// Accumulates rows; see the module docs.
#[derive(Debug, Clone)]
pub struct Engine<'p> {
    plan: &'p Plan,
    as_of: NaiveDate,
    /// Where each target's instances and periods are; built once and shared
    /// by the forks of a parallel read.
    index: Arc<[TargetIndex]>,
    /// Targets that rows of each kind may count for.
    by_kind: Arc<[Vec<usize>]>,
    acc: Vec<Acc>,
    /// Per-cell contributions to targets not split by org and unit.
    contrib: Vec<u64>,
    /// `orgs * units`.
    cells: usize,
    windows: Vec<WindowTally>,
    /// Set when a sum went past `u64::MAX` (it then stays at `u64::MAX`):
    /// the smallest (file, line) of a row whose figure made it overflow,
    /// or `None` inside when it happened while merging two partial sums.
    overflow: Option<Option<(usize, u64)>>,
    /// Per target, the period (position in an instance's list) of the last
    /// row counted: only a hint, checked before use.
    hints: Vec<usize>,
}

impl<'p> Engine<'p> {
    /// An engine evaluating as of `as_of`, also tallying rows per kind in
    /// each of `windows` (days after `as_of` are not counted there either).
    pub fn new(plan: &'p Plan, as_of: NaiveDate, windows: &[Span]) -> Engine<'p> {
        let mut slots = 0;
        let cells = plan.orgs.len() * plan.units.len();
        let mut contrib = 0usize;
        let index: Arc<[TargetIndex]> = plan
            .targets
            .iter()
            .map(|t| {
                let mut ix = build_index(plan, t, &mut slots);
                let size = (slots - ix.first_slot).saturating_mul(cells);
                if !(t.each.org && t.each.unit) && contrib.saturating_add(size) <= MAX_CONTRIB {
                    ix.contrib_first = Some(contrib);
                    contrib += size;
                }
                ix
            })
            .collect();
        let mut by_kind = vec![Vec::new(); plan.kinds.len()];
        for (ti, t) in plan.targets.iter().enumerate() {
            for &k in &t.kinds {
                if let Some(v) = by_kind.get_mut(k) {
                    v.push(ti);
                }
            }
        }
        let windows = windows
            .iter()
            .map(|&span| WindowTally {
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
            })
            .collect();
        Engine {
            plan,
            as_of,
            index,
            by_kind: by_kind.into(),
            acc: vec![Acc::default(); slots],
            contrib: vec![0; contrib],
            cells,
            windows,
            overflow: None,
            hints: vec![0; plan.targets.len()],
        }
    }

    /// Adds one valid row.
    pub fn add(&mut self, row: &Row<'_>) {
        if row.date > self.as_of {
            return;
        }
        let done = row.status == RowStatus::Done;
        let scheduled = row.status != RowStatus::Cancelled;
        let mut overflowed = !self.tally(row, done, scheduled);
        let targets = self.by_kind.get(row.kind).map_or(&[][..], Vec::as_slice);
        for &ti in targets {
            let (Some(t), Some(ix)) = (self.plan.targets.get(ti), self.index.get(ti)) else {
                continue;
            };
            if !t.days.admits(row.date) {
                continue;
            }
            let o = ix.org_pos.get(row.org).copied().unwrap_or(NO);
            let u = ix.unit_pos.get(row.unit).copied().unwrap_or(NO);
            let f = match row.field {
                Some(f) => ix.field_pos.get(f).copied().unwrap_or(NO),
                None => ix.field_pos.last().copied().unwrap_or(NO),
            };
            if o == NO || u == NO || f == NO {
                continue;
            }
            let inst = (o as usize * ix.n_units + u as usize) * ix.n_fields + f as usize;
            let Some(inst) = ix.instances.get(inst) else {
                continue;
            };
            // The period of the row before is tried first: logs are mostly
            // in date order, and a target's instances share their periods.
            let hint = self.hints.get(ti).copied().unwrap_or(0);
            let p = if inst.periods.get(hint).is_some_and(|p| p.span.contains(row.date)) {
                hint
            } else {
                let Some(p) = inst.periods.iter().position(|p| p.span.contains(row.date)) else {
                    continue;
                };
                if let Some(h) = self.hints.get_mut(ti) {
                    *h = p;
                }
                p
            };
            if let Some(first) = ix.contrib_first {
                let at = first
                    + (inst.first_slot + p - ix.first_slot) * self.cells
                    + row.org * self.plan.units.len()
                    + row.unit;
                let v = match t.measure {
                    Measure::Sum(c) if done => row.num(c).unwrap_or(0),
                    Measure::Sum(_) => 0,
                    Measure::Count | Measure::Completion => u64::from(done),
                };
                if let Some(x) = self.contrib.get_mut(at) {
                    *x = x.saturating_add(v);
                }
            }
            let Some(acc) = self.acc.get_mut(inst.first_slot + p) else {
                continue;
            };
            match t.measure {
                Measure::Count => acc.value += u64::from(done),
                Measure::Sum(c) => {
                    if done && !add(&mut acc.value, row.num(c).unwrap_or(0)) {
                        overflowed = true;
                    }
                }
                Measure::Completion => {
                    acc.done += u64::from(done);
                    acc.scheduled += u64::from(scheduled);
                }
            }
        }
        if overflowed && self.overflow.is_none() {
            self.overflow = Some(Some((row.file, row.line)));
        }
    }

    /// Counts the row in the windows; false when a sum overflowed.
    fn tally(&mut self, row: &Row<'_>, done: bool, scheduled: bool) -> bool {
        let mut overflowed = false;
        let n_units = self.plan.units.len();
        let level = self.plan.units.get(row.unit).map(|u| u.level);
        let (n_kinds, n_fields) = (self.plan.kinds.len(), self.plan.fields.len());
        let cell = (row.org * n_units + row.unit) * n_kinds + row.kind;
        for w in &mut self.windows {
            if !w.span.contains(row.date) {
                continue;
            }
            if let Some(a) = w.active.get_mut(row.org * n_units + row.unit) {
                *a = true;
            }
            if let Some(c) = w.cells.get_mut(cell) {
                c.scheduled += u64::from(scheduled);
                c.postponed += u64::from(row.status == RowStatus::Postponed);
                c.cancelled += u64::from(!scheduled);
                if done {
                    c.done += 1;
                    for col in NumColumn::ALL {
                        if let Some(s) = c.sums.get_mut(col.index()) {
                            *s = s.saturating_add(row.num(col).unwrap_or(0));
                        }
                    }
                    if let Some(x) = row.field.and_then(|f| w.cell_fields.get_mut(cell * n_fields + f)) {
                        *x += 1;
                    }
                }
            }
            let Some(k) = w.kinds.get_mut(row.kind) else {
                continue;
            };
            k.scheduled += u64::from(scheduled);
            k.postponed += u64::from(row.status == RowStatus::Postponed);
            k.cancelled += u64::from(!scheduled);
            if !done {
                continue;
            }
            k.done += 1;
            bump(&mut k.by_org, Some(row.org));
            bump(&mut k.by_level, level);
            bump(&mut k.by_field, row.field);
            for c in NumColumn::ALL {
                if let Some(s) = k.sums.get_mut(c.index())
                    && !add(s, row.num(c).unwrap_or(0))
                {
                    overflowed = true;
                }
            }
        }
        !overflowed
    }

    /// Adds the rows another engine (same plan, same as-of) has seen.
    pub fn merge(&mut self, other: &Engine<'_>) {
        let mut overflowed = false;
        for (a, b) in self.acc.iter_mut().zip(&other.acc) {
            overflowed |= !add(&mut a.value, b.value);
            a.done += b.done;
            a.scheduled += b.scheduled;
        }
        for (w, o) in self.windows.iter_mut().zip(&other.windows) {
            for (k, ok) in w.kinds.iter_mut().zip(&o.kinds) {
                overflowed |= !k.merge(ok);
            }
            for (a, b) in w.active.iter_mut().zip(&o.active) {
                *a |= *b;
            }
            for (a, b) in w.cells.iter_mut().zip(&o.cells) {
                a.done += b.done;
                a.scheduled += b.scheduled;
                a.postponed += b.postponed;
                a.cancelled += b.cancelled;
                for (x, y) in a.sums.iter_mut().zip(b.sums) {
                    *x = x.saturating_add(y);
                }
            }
            add_vec(&mut w.cell_fields, &o.cell_fields);
        }
        for (a, b) in self.contrib.iter_mut().zip(&other.contrib) {
            *a = a.saturating_add(*b);
        }
        let merged = if overflowed { Some(None) } else { None };
        self.overflow = self.overflow.or(other.overflow).or(merged);
    }

    /// Whether a sum went past `u64::MAX`: `Some(Some((file, line)))` names
    /// the row that made it overflow, `Some(None)` says partial sums did
    /// (a parallel read; read again on one thread to find the row). The
    /// figures are then wrong and must not be shown.
    pub fn overflow(&self) -> Option<Option<(usize, u64)>> {
        self.overflow
    }

    /// Evaluates every instance and period.
    pub fn finish(self) -> Evaluation {
        let mut results = Vec::new();
        for (ti, (t, ix)) in self.plan.targets.iter().zip(self.index.iter()).enumerate() {
            for inst in &ix.instances {
                for (pi, p) in inst.periods.iter().enumerate() {
                    let slot = inst.first_slot + pi;
                    let acc = self.acc.get(slot).copied().unwrap_or_default();
                    let contrib = ix
                        .contrib_first
                        .map(|first| first + (slot - ix.first_slot) * self.cells)
                        .and_then(|at| self.contrib.get(at..at + self.cells))
                        .map(<[u64]>::to_vec)
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
            by_kind: Arc::clone(&self.by_kind),
            acc: vec![Acc::default(); self.acc.len()],
            contrib: vec![0; self.contrib.len()],
            cells: self.cells,
            windows,
            overflow: None,
            hints: vec![0; self.hints.len()],
        }
    }

    const ORDER_FREE: bool = true;

    fn merge(&mut self, other: Self) {
        Engine::merge(self, &other);
    }
}

fn bump(v: &mut [u64], i: Option<usize>) {
    if let Some(x) = i.and_then(|i| v.get_mut(i)) {
        *x += 1;
    }
}

fn positions(n: usize, filter: Option<&Vec<usize>>, split: bool) -> (Vec<u32>, Vec<usize>) {
    let mut pos = vec![NO; n];
    let mut members = Vec::new();
    for (i, p) in pos.iter_mut().enumerate() {
        if filter.is_none_or(|f| f.contains(&i)) {
            *p = if split {
                u32::try_from(members.len()).unwrap_or(NO)
            } else {
                0
            };
            members.push(i);
        }
    }
    (pos, members)
}

fn build_index(plan: &Plan, t: &Target, slots: &mut usize) -> TargetIndex {
    let (org_pos, orgs) = positions(plan.orgs.len(), t.orgs.as_ref(), t.each.org);
    let unit_filter: Vec<usize> = plan
        .units
        .iter()
        .enumerate()
        .filter(|(i, u)| {
            t.units.as_ref().is_none_or(|f| f.contains(i)) && t.levels.as_ref().is_none_or(|l| l.contains(&u.level))
        })
        .map(|(i, _)| i)
        .collect();
    let (unit_pos, units) = positions(plan.units.len(), Some(&unit_filter), t.each.unit);
    let (mut field_pos, fields) = positions(plan.fields.len(), t.fields.as_ref(), t.each.field);
    let first_slot = *slots;
    // Rows without a field count only when the target neither filters nor
    // splits by field.
    field_pos.push(if t.fields.is_none() && !t.each.field { 0 } else { NO });

    let dim = |split: bool, members: &[usize]| -> Vec<Option<usize>> {
        if split {
            members.iter().map(|&m| Some(m)).collect()
        } else {
            vec![None]
        }
    };
    let (os, us, fs) = (
        dim(t.each.org, &orgs),
        dim(t.each.unit, &units),
        dim(t.each.field, &fields),
    );
    // At most `planfile::MAX_INSTANCES`: the plan check refuses more.
    let count = os.len().saturating_mul(us.len()).saturating_mul(fs.len());
    let mut instances = Vec::with_capacity(count.min(crate::planfile::MAX_INSTANCES as usize));
    for &org in &os {
        for &unit in &us {
            for &field in &fs {
                let life = unit.and_then(|u| plan.units.get(u)).and_then(crate::model::Unit::life);
                let periods = period::periods(t.per, plan.term, &t.days, life);
                let first_slot = *slots;
                *slots += periods.len();
                instances.push(Instance {
                    org,
                    unit,
                    field,
                    first_slot,
                    periods,
                });
            }
        }
    }
    TargetIndex {
        org_pos,
        unit_pos,
        field_pos,
        n_units: us.len(),
        n_fields: fs.len(),
        instances,
        contrib_first: None,
        first_slot,
    }
}

fn evaluate(t: &Target, ti: usize, inst: &Instance, p: &Period, acc: Acc, as_of: NaiveDate) -> TargetResult {
    let mut r = TargetResult {
        target: ti,
        period: p.clone(),
        org: inst.org,
        unit: inst.unit,
        field: inst.field,
        actual: Some(Figure::Int(acc.value)),
        required: Figure::Int(0),
        expected: None,
        status: Status::Upcoming,
    };
    let upcoming = as_of < p.span.start;
    let ended = as_of >= p.span.end;
    match t.requirement {
        Requirement::Min(min) => {
            r.required = Figure::Int(min);
            if !upcoming && !ended {
                r.expected = Some(expected(t, p, min, as_of));
            }
            r.status = if upcoming {
                Status::Upcoming
            } else if acc.value >= min {
                Status::Met
            } else if ended {
                Status::Missed
            } else if acc.value >= r.expected.unwrap_or(0) {
                Status::OnTrack
            } else {
                Status::Behind
            };
        }
        Requirement::Max(max) => {
            r.required = Figure::Int(max);
            r.status = if upcoming {
                Status::Upcoming
            } else if acc.value > max {
                Status::Over
            } else {
                Status::Within
            };
        }
        Requirement::MinRatio(min) => {
            r.required = Figure::Ratio(min);
            r.actual = (acc.scheduled > 0).then(|| Figure::Ratio(acc.done as f64 / acc.scheduled as f64));
            r.status = match r.actual {
                _ if upcoming => Status::Upcoming,
                None => Status::NotApplicable,
                Some(Figure::Ratio(x)) if x >= min => Status::Met,
                Some(_) if ended => Status::Missed,
                Some(_) => Status::Behind,
            };
        }
    }
    r
}

/// The pace of a `min` target at `as_of` (inside the period): linear over the
/// countable days, or from the `schedule`.
fn expected(t: &Target, p: &Period, min: u64, as_of: NaiveDate) -> u64 {
    if let Some(schedule) = &t.schedule {
        let mut total = 0u64;
        for &(year, qty) in schedule {
            let ys = year_span(year);
            if ys.end < as_of {
                // The plan check refuses entries that add up past u64::MAX.
                total = total.saturating_add(qty);
            } else if year == as_of.year() {
                let Some(span) = ys.intersect(p.span) else { continue };
                let all = t.days.count_days(span);
                let elapsed = Span::new(span.start, as_of.min(span.end)).map_or(0, |s| t.days.count_days(s));
                if all > 0 {
                    total = total.saturating_add(floor_mul_div(qty, elapsed, all));
                }
            }
        }
        return total;
    }
    let elapsed = period::elapsed_days(p, &t.days, as_of);
    floor_mul_div(min, elapsed, p.countable_days)
}

fn floor_mul_div(a: u64, num: i64, den: i64) -> u64 {
    let (Ok(num), Ok(den)) = (u128::try_from(num), u128::try_from(den)) else {
        return 0;
    };
    if den == 0 {
        return 0;
    }
    u64::try_from(u128::from(a) * num / den).unwrap_or(u64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::lang::Lang;
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
        a.iter().for_each(|r| ea.add(r));
        let mut eb = Engine::new(&p, d("2024-05-05"), &[]);
        b.iter().for_each(|r| eb.add(r));
        ea.merge(&eb);
        assert_eq!(ea.finish(), one);
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
