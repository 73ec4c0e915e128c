//! An office's view of the one evaluation: an organisation (`--org`), a unit
//! (`--unit`, every organisation in it) or one organisation in one unit.
//! Its figures add up the engine's per-(organisation, unit) cells; its own
//! targets are the instances split for it; a shared target (not split by the
//! office's dimensions) is kept apart with the office's contribution to it.
//! Many views come from one evaluation: the logs are read once.

use crate::engine::{Evaluation, KindTally, TargetResult, WindowTally};
use crate::model::{NumColumn, Plan};

/// Whose report: `None` in a dimension means every one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Office {
    pub org: Option<usize>,
    pub unit: Option<usize>,
}

impl Office {
    /// Whether rows of `org` in `unit` are the office's.
    pub fn admits(&self, org: usize, unit: usize) -> bool {
        self.org.is_none_or(|o| o == org) && self.unit.is_none_or(|u| u == unit)
    }

    /// The whole plan (the lead agency's consolidated report).
    pub fn is_all(&self) -> bool {
        self.org.is_none() && self.unit.is_none()
    }
}

/// A shared target's result, with the office's part in its figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub result: TargetResult,
    /// The office's rows' share of `result.actual` (done rows for a
    /// completion); `None` when the engine did not keep it.
    pub mine: Option<u64>,
}

/// The evaluation as one office sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The office's own results (instances for it) and its windows.
    pub eval: Evaluation,
    /// Shared targets that admit the office's rows, with its contribution.
    pub shared: Vec<Shared>,
}

/// The office's view; the whole evaluation for [`Office::is_all`].
pub fn view(plan: &Plan, eval: &Evaluation, office: Office) -> View {
    if office.is_all() {
        return View {
            eval: eval.clone(),
            shared: Vec::new(),
        };
    }
    let n_units = plan.units.len();
    let mut results = Vec::new();
    let mut shared = Vec::new();
    for (i, r) in eval.results.iter().enumerate() {
        let conflicts = matches!((office.org, r.org), (Some(o), Some(x)) if o != x)
            || matches!((office.unit, r.unit), (Some(u), Some(x)) if u != x);
        if conflicts {
            continue;
        }
        let own = office.org.is_none_or(|_| r.org.is_some()) && office.unit.is_none_or(|_| r.unit.is_some());
        if own {
            results.push(r.clone());
            continue;
        }
        let Some(t) = plan.targets.get(r.target) else { continue };
        let org_ok = office
            .org
            .is_none_or(|o| t.orgs.as_ref().is_none_or(|f| f.contains(&o)));
        let unit_ok = office.unit.is_none_or(|u| {
            t.units.as_ref().is_none_or(|f| f.contains(&u))
                && t.levels
                    .as_ref()
                    .is_none_or(|l| plan.units.get(u).is_some_and(|x| l.contains(&x.level)))
        });
        if !(org_ok && unit_ok) {
            continue;
        }
        let mine = eval.contrib.get(i).filter(|c| !c.is_empty()).map(|c| {
            c.iter()
                .enumerate()
                .filter(|(cell, _)| office.admits(cell / n_units.max(1), cell % n_units.max(1)))
                .fold(0u64, |a, (_, v)| a.saturating_add(*v))
        });
        shared.push(Shared {
            result: r.clone(),
            mine,
        });
    }
    let windows = eval.windows.iter().map(|w| office_tally(plan, w, office)).collect();
    View {
        eval: Evaluation {
            as_of: eval.as_of,
            contrib: vec![Vec::new(); results.len()],
            results,
            windows,
        },
        shared,
    }
}

/// A window's per-kind tallies over the office's cells only.
pub fn office_tally(plan: &Plan, w: &WindowTally, office: Office) -> WindowTally {
    let (n_orgs, n_units, n_kinds, n_fields) = (plan.orgs.len(), plan.units.len(), plan.kinds.len(), plan.fields.len());
    let mut kinds = vec![
        KindTally {
            by_level: vec![0; plan.levels.len()],
            by_org: vec![0; n_orgs],
            by_field: vec![0; n_fields],
            ..KindTally::default()
        };
        n_kinds
    ];
    let mut active = vec![false; n_orgs * n_units];
    for o in 0..n_orgs {
        for u in 0..n_units {
            if !office.admits(o, u) {
                continue;
            }
            let at = o * n_units + u;
            if let (Some(a), Some(b)) = (active.get_mut(at), w.active.get(at)) {
                *a = *b;
            }
            let level = plan.units.get(u).map(|x| x.level);
            for (k, tally) in kinds.iter_mut().enumerate() {
                let cell = at * n_kinds + k;
                let Some(c) = w.cells.get(cell) else { continue };
                tally.done += c.done;
                tally.scheduled += c.scheduled;
                tally.postponed += c.postponed;
                tally.cancelled += c.cancelled;
                for col in NumColumn::ALL {
                    if let (Some(s), Some(v)) = (tally.sums.get_mut(col.index()), c.sums.get(col.index())) {
                        *s = s.saturating_add(*v);
                    }
                }
                if let Some(x) = tally.by_org.get_mut(o) {
                    *x += c.done;
                }
                if let Some(x) = level.and_then(|l| tally.by_level.get_mut(l)) {
                    *x += c.done;
                }
                for (f, x) in tally.by_field.iter_mut().enumerate() {
                    *x += w.cell_fields.get(cell * n_fields + f).copied().unwrap_or(0);
                }
            }
        }
    }
    WindowTally {
        span: w.span,
        kinds,
        active,
        cells: Vec::new(),
        cell_fields: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn an_office_admits_its_own_rows_only() {
        let o = Office {
            org: Some(2),
            unit: None,
        };
        assert!(o.admits(2, 5));
        assert!(!o.admits(1, 5));
        let u = Office {
            org: None,
            unit: Some(3),
        };
        assert!(u.admits(0, 3) && !u.admits(0, 4));
        assert!(Office::default().is_all());
    }
}
