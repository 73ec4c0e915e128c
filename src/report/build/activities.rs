//! The rows a report speaks of one by one, kept as the report prints them
//! and no more: per (kind, organisation, unit) the few activities that may
//! be chosen as representative (a bounded list, best first), the
//! recommendations made and acted on, the activities already planned for
//! the next period as counts; per (organisation, unit) the postponed and
//! cancelled activities and those with recommendations still open, listed
//! while they are few enough to print one by one ([`MAX_LISTED`]) and
//! counted beyond. Memory stays flat in the number of rows read.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::ReportPeriod;
use crate::logs::Row;
use crate::model::{NumColumn, RowStatus};
use crate::report::office::Office;

/// How many activities of one kind a section names as representative.
pub const MAX_TITLES: usize = 5;

/// Above this many postponed and cancelled activities (or activities with
/// recommendations still open), an office's appendix counts them by
/// organisation and unit instead of listing them one by one: a table of
/// thousands of lines is not read.
pub const MAX_LISTED: u64 = 200;

/// How many distinct reasons a grouped line of postponed and cancelled
/// activities quotes.
const MAX_REASONS: usize = 3;

/// One activity, as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Activity {
    pub date: NaiveDate,
    pub kind: usize,
    pub org: usize,
    pub unit: usize,
    pub status: RowStatus,
    pub title: String,
    /// The row's `note` (why it was postponed or cancelled, say).
    pub note: String,
    pub participants: u64,
    pub recommendations: u64,
    pub resolved: u64,
}

impl Activity {
    fn of(row: &Row<'_>) -> Activity {
        Activity {
            date: row.date,
            kind: row.kind,
            org: row.org,
            unit: row.unit,
            status: row.status,
            title: crate::text::trimmed(row.title),
            note: crate::text::trimmed(row.note),
            participants: row.num(NumColumn::Participants).unwrap_or(0),
            recommendations: row.num(NumColumn::Recommendations).unwrap_or(0),
            resolved: row.num(NumColumn::Resolved).unwrap_or(0),
        }
    }
}

/// The order in which activities are considered representative: most
/// recommendations made, then most participants, then by date (and the
/// rest of the row, so that the order is total).
pub fn by_achievement(a: &Activity, b: &Activity) -> Ordering {
    (b.recommendations, b.participants)
        .cmp(&(a.recommendations, a.participants))
        .then_with(|| a.cmp(b))
}

/// What a (kind, organisation, unit) keeps.
#[derive(Debug, Clone, Default)]
struct KindCell {
    /// The best done activities by [`by_achievement`], at most [`MAX_TITLES`].
    best: Vec<Activity>,
    /// Recommendations made, and acted on (at most as many as made), by done
    /// activities that made some.
    made: u64,
    acted: u64,
    /// Activities planned or postponed in the next period.
    planned_next: u64,
}

impl KindCell {
    /// Takes the row if it is among the best; the title is copied only then.
    fn offer(&mut self, row: &Row<'_>) {
        let recs = row.num(NumColumn::Recommendations).unwrap_or(0);
        let parts = row.num(NumColumn::Participants).unwrap_or(0);
        if self.best.len() >= MAX_TITLES
            && let Some(last) = self.best.last()
        {
            // Same kind, organisation, unit and status: the cheap part of the order first.
            let cheap = (last.recommendations, last.participants)
                .cmp(&(recs, parts))
                .then_with(|| row.date.cmp(&last.date));
            if cheap == Ordering::Greater {
                return;
            }
        }
        self.insert(Activity::of(row));
    }

    fn insert(&mut self, a: Activity) {
        let at = self
            .best
            .partition_point(|b| by_achievement(b, &a) != Ordering::Greater);
        if at >= MAX_TITLES {
            return;
        }
        self.best.insert(at, a);
        self.best.truncate(MAX_TITLES);
    }

    fn merge(&mut self, other: KindCell) {
        for a in other.best {
            self.insert(a);
        }
        self.made += other.made;
        self.acted += other.acted;
        self.planned_next += other.planned_next;
    }
}

/// A list printed one by one while it is short, counted beyond.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    /// Every item while `count <= MAX_LISTED`, else empty.
    items: Vec<Activity>,
    pub count: u64,
}

impl Listed {
    fn push(&mut self, row: &Row<'_>) {
        self.count += 1;
        if self.count <= MAX_LISTED {
            self.items.push(Activity::of(row));
        } else {
            self.items = Vec::new();
        }
    }

    fn merge(&mut self, other: Listed) {
        self.count += other.count;
        if self.count <= MAX_LISTED {
            self.items.extend(other.items);
        } else {
            self.items = Vec::new();
        }
    }
}

/// What an (organisation, unit) keeps.
#[derive(Debug, Clone, Default)]
struct OfficeCell {
    /// Postponed or cancelled in the period.
    dropped: Listed,
    postponed: u64,
    /// The first [`MAX_REASONS`] distinct reasons given for them, in text order.
    reasons: Vec<String>,
    /// Done in the period with recommendations not all acted on.
    open: Listed,
    /// Over those: recommendations made, and acted on.
    open_made: u64,
    open_acted: u64,
}

impl OfficeCell {
    fn merge(&mut self, other: OfficeCell) {
        self.dropped.merge(other.dropped);
        self.postponed += other.postponed;
        for r in other.reasons {
            self.add_reason(r);
        }
        self.open.merge(other.open);
        self.open_made += other.open_made;
        self.open_acted += other.open_acted;
    }

    /// Keeps the first [`MAX_REASONS`] distinct reasons in text order, so
    /// that the same rows give the same reasons whatever the order read.
    fn add_reason(&mut self, note: String) {
        if note.trim().is_empty() {
            return;
        }
        if let Err(at) = self.reasons.binary_search(&note)
            && at < MAX_REASONS
        {
            self.reasons.insert(at, note);
            self.reasons.truncate(MAX_REASONS);
        }
    }
}

/// The postponed and cancelled activities, or those with open
/// recommendations, of the offices a draft covers: each one when they are
/// few, else counted by organisation and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Every activity, by date.
    Each(Vec<Activity>),
    /// Too many to list: one line per (unit, organisation).
    ByOffice(Vec<OfficeLine>),
}

/// One (unit, organisation)'s line of a [`Listing::ByOffice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeLine {
    pub unit: usize,
    pub org: usize,
    /// Activities postponed, cancelled (a dropped listing), or with
    /// recommendations open (an open listing: `cancelled` is 0).
    pub postponed: u64,
    pub cancelled: u64,
    pub activities: u64,
    /// Recommendations made and acted on (an open listing).
    pub made: u64,
    pub acted: u64,
    /// Reasons given (a dropped listing): the first three distinct ones in text order.
    pub reasons: Vec<String>,
}

/// The rows a report speaks of one by one: done in the period (up to the
/// as-of date), postponed or cancelled in it, and planned or postponed in
/// the next period; of one office's rows when built with [`Activities::for_office`].
#[derive(Debug, Clone)]
pub struct Activities {
    scope: ReportPeriod,
    office: Office,
    kinds: BTreeMap<(usize, usize, usize), KindCell>,
    offices: BTreeMap<(usize, usize), OfficeCell>,
}

impl crate::logs::RowSink for Activities {
    fn row(&mut self, row: &Row<'_>) {
        self.add(row);
    }
}

impl crate::logs::ParallelSink for Activities {
    fn fork(&self) -> Self {
        Activities::for_office(self.scope, self.office)
    }

    fn merge(&mut self, other: Self) {
        for (key, cell) in other.kinds {
            self.kinds.entry(key).or_default().merge(cell);
        }
        for (key, cell) in other.offices {
            self.offices.entry(key).or_default().merge(cell);
        }
    }

    // Counts, sums, bounded lists under a total order, lists kept whole or
    // dropped by their total count: the same whatever the order of merging.
    const ORDER_FREE: bool = true;
}

impl Activities {
    /// Every office's rows.
    pub fn new(scope: ReportPeriod) -> Activities {
        Activities::for_office(scope, Office::default())
    }

    /// One office's rows only.
    pub fn for_office(scope: ReportPeriod, office: Office) -> Activities {
        Activities {
            scope,
            office,
            kinds: BTreeMap::new(),
            offices: BTreeMap::new(),
        }
    }

    /// Looks at one valid row.
    pub fn add(&mut self, row: &Row<'_>) {
        if !self.office.admits(row.org, row.unit) {
            return;
        }
        let scope = &self.scope;
        let in_period = scope.window.contains(row.date) && row.date <= scope.as_of;
        let next = scope.next.is_some_and(|n| n.contains(row.date));
        match row.status {
            RowStatus::Done if in_period => {
                let cell = self.kinds.entry((row.kind, row.org, row.unit)).or_default();
                cell.offer(row);
                let made = row.num(NumColumn::Recommendations).unwrap_or(0);
                let resolved = row.num(NumColumn::Resolved).unwrap_or(0);
                if made > 0 {
                    cell.made += made;
                    cell.acted += resolved.min(made);
                }
                if made > resolved {
                    let office = self.offices.entry((row.org, row.unit)).or_default();
                    office.open.push(row);
                    office.open_made += made;
                    office.open_acted += resolved.min(made);
                }
            }
            RowStatus::Postponed | RowStatus::Cancelled if in_period => {
                let office = self.offices.entry((row.org, row.unit)).or_default();
                office.dropped.push(row);
                if row.status == RowStatus::Postponed {
                    office.postponed += 1;
                }
                office.add_reason(crate::text::trimmed(row.note));
            }
            RowStatus::Planned | RowStatus::Postponed if next => {
                self.kinds
                    .entry((row.kind, row.org, row.unit))
                    .or_default()
                    .planned_next += 1;
            }
            _ => {}
        }
    }

    /// The rows of one office only.
    #[must_use]
    pub fn only(&self, office: Office) -> Activities {
        Activities {
            scope: self.scope,
            office,
            kinds: self
                .kinds
                .iter()
                .filter(|((_, o, u), _)| office.admits(*o, *u))
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
            offices: self
                .offices
                .iter()
                .filter(|((o, u), _)| office.admits(*o, *u))
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
        }
    }

    /// The candidates for a kind's representative activities: the best of
    /// every (organisation, unit), which hold every activity that the choice
    /// of [`super::results::representative`] can make.
    pub fn candidates(&self, kind: usize) -> impl Iterator<Item = &Activity> {
        self.kinds
            .range((kind, 0, 0)..(kind + 1, 0, 0))
            .flat_map(|(_, c)| c.best.iter())
    }

    /// Recommendations of a kind made and acted on, by (organisation, unit),
    /// for those that made some.
    pub fn recommendations(&self, kind: usize) -> impl Iterator<Item = (usize, usize, u64, u64)> + '_ {
        self.kinds
            .range((kind, 0, 0)..(kind + 1, 0, 0))
            .filter(|(_, c)| c.made > 0)
            .map(|((_, o, u), c)| (*o, *u, c.made, c.acted))
    }

    /// Activities already planned in the next period, of a kind.
    pub fn planned_next(&self, kind: usize) -> u64 {
        self.kinds
            .range((kind, 0, 0)..(kind + 1, 0, 0))
            .map(|(_, c)| c.planned_next)
            .sum()
    }

    /// Postponed and cancelled activities: (postponed, cancelled).
    pub fn dropped_counts(&self) -> (u64, u64) {
        self.offices
            .values()
            .fold((0, 0), |(p, c), x| (p + x.postponed, c + x.dropped.count - x.postponed))
    }

    /// The postponed and cancelled activities.
    pub fn dropped(&self) -> Listing {
        self.listing(
            |c| &c.dropped,
            |c, line| {
                line.postponed = c.postponed;
                line.cancelled = c.dropped.count - c.postponed;
                line.reasons = c.reasons.clone();
            },
        )
    }

    /// The done activities with recommendations not all acted on.
    pub fn open(&self) -> Listing {
        self.listing(
            |c| &c.open,
            |c, line| {
                line.made = c.open_made;
                line.acted = c.open_acted;
            },
        )
    }

    /// Whether there is any done activity with recommendations open.
    pub fn any_open(&self) -> bool {
        self.offices.values().any(|c| c.open.count > 0)
    }

    fn listing(&self, list: impl Fn(&OfficeCell) -> &Listed, fill: impl Fn(&OfficeCell, &mut OfficeLine)) -> Listing {
        let total: u64 = self.offices.values().map(|c| list(c).count).sum();
        if total <= MAX_LISTED {
            let mut all: Vec<Activity> = self
                .offices
                .values()
                .flat_map(|c| list(c).items.iter().cloned())
                .collect();
            all.sort();
            return Listing::Each(all);
        }
        let mut lines: Vec<OfficeLine> = self
            .offices
            .iter()
            .filter(|(_, c)| list(c).count > 0)
            .map(|((org, unit), c)| {
                let mut line = OfficeLine {
                    unit: *unit,
                    org: *org,
                    postponed: 0,
                    cancelled: 0,
                    activities: list(c).count,
                    made: 0,
                    acted: 0,
                    reasons: Vec::new(),
                };
                fill(c, &mut line);
                line
            })
            .collect();
        lines.sort_by_key(|l| (l.unit, l.org));
        Listing::ByOffice(lines)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::logs::ParallelSink;
    use crate::period::{Span, ymd};

    fn scope() -> ReportPeriod {
        ReportPeriod {
            kind: super::super::ReportKind::Year(2023),
            window: Span {
                start: ymd(2023, 1, 1),
                end: ymd(2023, 12, 31),
            },
            as_of: ymd(2023, 12, 31),
            next: None,
        }
    }

    /// A done row of kind 0; its title says its number.
    fn row(title: &str, i: u64, status: RowStatus) -> Row<'_> {
        Row {
            date: ymd(2023, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
            org: (i % 3) as usize,
            unit: (i % 4) as usize,
            kind: 0,
            status,
            field: None,
            nums: [Some(i * 7 % 50), None, Some(i * 13 % 9), Some(i % 3)],
            title,
            reference: "",
            note: "",
            file: 0,
            line: i,
        }
    }

    #[test]
    fn the_kept_candidates_give_the_same_choice_as_every_row() {
        let titles: Vec<String> = (0..600).map(|i| format!("{i}")).collect();
        let rows: Vec<Row<'_>> = (0..600).map(|i| row(&titles[i as usize], i, RowStatus::Done)).collect();
        // Read in two halves merged, as the parallel scan does.
        let mut a = Activities::new(scope());
        let mut b = a.fork();
        for (i, r) in rows.iter().enumerate() {
            if i % 2 == 0 { a.add(r) } else { b.add(r) }
        }
        a.merge(b);
        let all: Vec<Activity> = rows.iter().map(Activity::of).collect();
        let level = |x: &Activity| usize::from(x.unit > 0);
        let from_all: Vec<String> = super::super::results::representative(all.iter(), level, MAX_TITLES)
            .iter()
            .map(|x| x.title.clone())
            .collect();
        let kept: Vec<&Activity> = a.candidates(0).collect();
        assert!(kept.len() <= 12 * MAX_TITLES);
        let from_kept: Vec<String> = super::super::results::representative(kept.into_iter(), level, MAX_TITLES)
            .iter()
            .map(|x| x.title.clone())
            .collect();
        assert_eq!(from_all.len(), MAX_TITLES);
        assert_eq!(from_kept, from_all);
    }

    #[test]
    fn long_lists_are_counted_by_office_short_ones_listed() {
        let titles: Vec<String> = (0..300).map(|i| format!("{i}")).collect();
        let mut few = Activities::new(scope());
        let mut many = Activities::new(scope());
        for i in 0..300u64 {
            let r = row(&titles[i as usize], i, RowStatus::Cancelled);
            if i < MAX_LISTED {
                few.add(&r);
            }
            many.add(&r);
        }
        match few.dropped() {
            Listing::Each(all) => assert_eq!(all.len() as u64, MAX_LISTED),
            Listing::ByOffice(_) => panic!("{MAX_LISTED} activities are listed one by one"),
        }
        let Listing::ByOffice(lines) = many.dropped() else {
            panic!("300 activities are counted by office")
        };
        assert_eq!(lines.iter().map(|l| l.cancelled).sum::<u64>(), 300);
        assert_eq!(lines.len(), 12);
        assert_eq!(many.dropped_counts(), (0, 300));
        // One office of the many has few: listed one by one.
        let one = many.only(Office {
            org: Some(0),
            unit: Some(0),
        });
        assert!(matches!(one.dropped(), Listing::Each(all) if all.len() == 25));
    }
}
