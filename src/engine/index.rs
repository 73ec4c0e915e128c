//! Where each target's instances and periods are: built once from the plan,
//! so that a row finds the accumulator slot it counts for by index.
//!
//! The hot path ([`super::Engine::add`]) reads only this module's compact
//! tables: one lookup by (org, unit) and one by field give the instance,
//! whose slots and period spans sit in flat arrays, instead of following
//! the plan's target and the instance's own list of periods.

use crate::model::{Measure, Plan, Target};
use crate::period::{self, DayFilter, Period, Span};

/// The position of a plan code that a target filters out (no instance).
const FILTERED_OUT: u32 = u32::MAX;

/// One instance of a target: a value for each dimension it splits by.
#[derive(Debug, Clone)]
pub(super) struct Instance {
    pub(super) org: Option<usize>,
    pub(super) unit: Option<usize>,
    pub(super) field: Option<usize>,
    /// Index of this instance's first period slot in `Engine::acc`.
    pub(super) first_slot: usize,
    pub(super) periods: Vec<Period>,
}

/// Where an instance's period slots are: `first` in `Engine::acc` (and in
/// the period spans), `len` of them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slots {
    pub(super) first: usize,
    pub(super) len: usize,
}

/// The lookup tables of every target, each in one flat array (a row reads
/// a few entries of each, instead of following a target's own vectors).
#[derive(Debug, Clone, Default)]
pub(super) struct Flat {
    /// Every target's positions: by `org * units + unit` of the plan, the
    /// position of the instances of that organisation and unit, times the
    /// number of field positions; then by field index, the field's position
    /// (the last entry stands for "no field").
    pub(super) pos: Vec<u32>,
    /// The slots of every target's instances, in the order of `instances`.
    pub(super) slots: Vec<Slots>,
}

/// One target's instances, and where its positions sit in [`Flat`].
#[derive(Debug, Clone)]
pub(super) struct TargetIndex {
    /// Where this target's cell positions start in `Flat::pos`.
    pub(super) cell_at: usize,
    /// Where this target's field positions (`fields + 1` of them) start in
    /// `Flat::pos`.
    pub(super) field_at: usize,
    /// Where this target's instance slots start in `Flat::slots`, and how
    /// many there are.
    pub(super) inst_at: usize,
    pub(super) inst_len: usize,
    pub(super) instances: Vec<Instance>,
    /// Copies of the target's day filter and measure, beside the rest.
    pub(super) days: DayFilter,
    pub(super) measure: Measure,
    /// Where this target's per-cell contributions start in
    /// `Engine::contrib` (`None`: split by org and unit, or too large).
    pub(super) contrib_first: Option<usize>,
    /// How a row's (org, unit) picks its contribution counter within a slot:
    /// `org * contrib_mul.0 + unit * contrib_mul.1`. Only the dimension the
    /// target does not split by is kept (the other is the instance's).
    pub(super) contrib_mul: (usize, usize),
    /// Contribution counters per slot.
    pub(super) contrib_cells: usize,
    /// The target's first period slot.
    pub(super) first_slot: usize,
}

/// One target that rows of a kind may count for, with all that
/// [`super::Engine::add`] reads of it side by side.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route {
    pub(super) target: usize,
    pub(super) measure: Measure,
    /// Admitted months, bit `m - 1` for month `m` (all set: every month).
    pub(super) months: u16,
    /// The target admits every year (else its day filter is asked).
    pub(super) all_years: bool,
    pub(super) cell_at: usize,
    pub(super) field_at: usize,
    pub(super) inst_at: usize,
    pub(super) inst_len: usize,
    /// As in [`TargetIndex`]; `contrib_first` is `usize::MAX` for none.
    pub(super) contrib_first: usize,
    pub(super) contrib_mul: (usize, usize),
    pub(super) contrib_cells: usize,
    pub(super) first_slot: usize,
}

impl Route {
    pub(super) fn new(target: usize, ix: &TargetIndex) -> Route {
        Route {
            target,
            measure: ix.measure,
            months: ix.days.months.unwrap_or(u16::MAX),
            all_years: ix.days.years.is_none(),
            cell_at: ix.cell_at,
            field_at: ix.field_at,
            inst_at: ix.inst_at,
            inst_len: ix.inst_len,
            contrib_first: ix.contrib_first.unwrap_or(usize::MAX),
            contrib_mul: ix.contrib_mul,
            contrib_cells: ix.contrib_cells,
            first_slot: ix.first_slot,
        }
    }

    /// The slots of the instance a row counts for, or `None` when the target
    /// filters the row's organisation, unit or field out. `cell` is the
    /// row's `org * units + unit` (below `cells`), `field` its field index
    /// (`fields` for none).
    #[inline]
    pub(super) fn instance(&self, flat: &Flat, cell: usize, field: usize) -> Option<Slots> {
        let c = flat.pos.get(self.cell_at + cell).copied().unwrap_or(FILTERED_OUT);
        let f = flat.pos.get(self.field_at + field).copied().unwrap_or(FILTERED_OUT);
        if c == FILTERED_OUT || f == FILTERED_OUT {
            return None;
        }
        let i = c as usize + f as usize;
        if i >= self.inst_len {
            return None;
        }
        flat.slots.get(self.inst_at + i).copied()
    }
}

/// Where each of `n` codes stands among a target's instances (all at 0 when
/// the target does not split by them), and the codes it keeps.
fn positions(n: usize, filter: Option<&Vec<usize>>, split: bool) -> (Vec<u32>, Vec<usize>) {
    let mut pos = vec![FILTERED_OUT; n];
    let mut members = Vec::new();
    for (i, p) in pos.iter_mut().enumerate() {
        if filter.is_none_or(|f| f.contains(&i)) {
            *p = if split {
                u32::try_from(members.len()).unwrap_or(FILTERED_OUT)
            } else {
                0
            };
            members.push(i);
        }
    }
    (pos, members)
}

/// The index of target `t`, whose period slots start at `*slots` (moved past
/// them); the span of each period is pushed to `spans`, by slot.
pub(super) fn build_index(
    plan: &Plan,
    t: &Target,
    slots: &mut usize,
    spans: &mut Vec<Span>,
    flat: &mut Flat,
) -> TargetIndex {
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
    field_pos.push(if t.fields.is_none() && !t.each.field {
        0
    } else {
        FILTERED_OUT
    });

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
                spans.extend(periods.iter().map(|p| p.span));
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
    let n_units = plan.units.len();
    let mut cell_pos = vec![FILTERED_OUT; plan.orgs.len() * n_units];
    for (o, &op) in org_pos.iter().enumerate() {
        for (u, &up) in unit_pos.iter().enumerate() {
            if op != FILTERED_OUT && up != FILTERED_OUT {
                let pos = (op as usize * us.len() + up as usize) * fs.len();
                if let Some(c) = cell_pos.get_mut(o * n_units + u) {
                    *c = u32::try_from(pos).unwrap_or(FILTERED_OUT);
                }
            }
        }
    }
    let contrib_mul = match (t.each.org, t.each.unit) {
        (true, _) => (0, 1),
        (false, true) => (1, 0),
        (false, false) => (n_units, 1),
    };
    let (cell_at, field_at, inst_at) = (flat.pos.len(), flat.pos.len() + cell_pos.len(), flat.slots.len());
    flat.pos.extend_from_slice(&cell_pos);
    flat.pos.extend_from_slice(&field_pos);
    flat.slots.extend(instances.iter().map(|i| Slots {
        first: i.first_slot,
        len: i.periods.len(),
    }));
    TargetIndex {
        cell_at,
        field_at,
        inst_at,
        inst_len: instances.len(),
        instances,
        days: t.days.clone(),
        measure: t.measure,
        contrib_first: None,
        contrib_mul,
        contrib_cells: match (t.each.org, t.each.unit) {
            (true, _) => n_units,
            (false, true) => plan.orgs.len(),
            (false, false) => plan.orgs.len() * n_units,
        },
        first_slot,
    }
}
