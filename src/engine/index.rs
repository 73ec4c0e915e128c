//! Where each target's instances and periods are: built once from the plan,
//! so that a row finds the accumulator slot it counts for by index.

use crate::logs::Row;
use crate::model::{Plan, Target};
use crate::period::{self, Period};

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

/// One target's instances, and the position of each plan code among them.
#[derive(Debug, Clone)]
pub(super) struct TargetIndex {
    org_pos: Vec<u32>,
    unit_pos: Vec<u32>,
    /// Position by field index; the last entry stands for "no field".
    field_pos: Vec<u32>,
    n_units: usize,
    n_fields: usize,
    pub(super) instances: Vec<Instance>,
    /// Where this target's per-cell contributions start in
    /// `Engine::contrib` (`None`: split by org and unit, or too large).
    pub(super) contrib_first: Option<usize>,
    /// The target's first period slot.
    pub(super) first_slot: usize,
}

impl TargetIndex {
    /// The instance a row counts for, or `None` when the target filters the
    /// row's organisation, unit or field out.
    pub(super) fn instance(&self, row: &Row<'_>) -> Option<&Instance> {
        let o = self.org_pos.get(row.org).copied().unwrap_or(FILTERED_OUT);
        let u = self.unit_pos.get(row.unit).copied().unwrap_or(FILTERED_OUT);
        let f = match row.field {
            Some(f) => self.field_pos.get(f).copied().unwrap_or(FILTERED_OUT),
            None => self.field_pos.last().copied().unwrap_or(FILTERED_OUT),
        };
        if o == FILTERED_OUT || u == FILTERED_OUT || f == FILTERED_OUT {
            return None;
        }
        self.instances
            .get((o as usize * self.n_units + u as usize) * self.n_fields + f as usize)
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

/// The index of target `t`, whose period slots start at `*slots` (moved past them).
pub(super) fn build_index(plan: &Plan, t: &Target, slots: &mut usize) -> TargetIndex {
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
