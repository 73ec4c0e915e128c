//! The plan as the rest of the program sees it: organisations, units, kinds,
//! fields and targets, with every code resolved to a small index into the
//! plan's own lists. Built by [`crate::planfile`] from TOML; read-only after.

use chrono::NaiveDate;

use crate::period::{DayFilter, Half, Per, Span};

/// A named entry of one of the plan's code lists (`[orgs]`, `[levels]`,
/// `[fields]`), in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub code: String,
    pub name: String,
    /// The English name (`{ name = "…", en = "…" }`), for `--lang en` drafts.
    pub en: Option<String>,
    /// A field's short name for prose and tables (`short`), and its English one (`short_en`).
    pub short: Option<String>,
    pub short_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// Index into [`Plan::levels`].
    pub level: usize,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The English name (`en`), for `--lang en` drafts.
    pub en: Option<String>,
}

impl Unit {
    /// The days the unit exists, `None` when it has no `from`/`until`.
    pub fn life(&self) -> Option<Span> {
        if self.from.is_none() && self.until.is_none() {
            return None;
        }
        Some(Span {
            start: self.from.unwrap_or(NaiveDate::MIN),
            end: self.until.unwrap_or(NaiveDate::MAX),
        })
    }

    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.life().is_none_or(|l| l.contains(day))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    pub code: String,
    pub name: String,
    /// Rows of this kind must name a field.
    pub field: bool,
    /// Counter word used in Vietnamese reports (`cuộc`, `hội nghị`, `lớp`).
    pub counter: Option<String>,
    /// The English name (`{ name = "…", en = "…" }`), for `--lang en` drafts.
    pub en: Option<String>,
    /// The heading of the Đề án the kind's activities are reported under,
    /// with the other kinds of the same group (`group`, `group_en`).
    pub group: Option<String>,
    pub group_en: Option<String>,
}

/// Who signs reports and how they are headed; every entry is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reporting {
    pub midterm: Option<Half>,
    pub final_half: Option<Half>,
    pub body: Option<String>,
    pub office: Option<String>,
    pub symbol: Option<String>,
    pub signer: Vec<String>,
    pub recipients: Vec<String>,
    /// The optional `Kính gửi: …` line under the title (Nghị định 30, box 9a).
    pub kinh_gui: Option<String>,
    /// Its English version, for `--lang en` drafts.
    pub kinh_gui_en: Option<String>,
    /// English versions of the keys above, for `--lang en` drafts.
    pub body_en: Option<String>,
    pub office_en: Option<String>,
    pub signer_en: Vec<String>,
    pub recipients_en: Vec<String>,
    /// The place in the date line (a profile's; the plan's `place` otherwise).
    pub place: Option<String>,
}

/// A reporting profile of one office: `[reporting.orgs.O]` (org set),
/// `[reporting.units.U]` (unit set) or `[reporting.units.U.orgs.O]` (both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub org: Option<usize>,
    pub unit: Option<usize>,
    pub reporting: Reporting,
}

/// The previous period's results, quoted in final reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub label: String,
    /// (kind code, done, planned), in file order.
    pub entries: Vec<(String, u64, u64)>,
}

/// A numeric log column that `sum:` can add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NumColumn {
    Participants,
    Cost,
    Recommendations,
    Resolved,
}

impl NumColumn {
    pub const ALL: [NumColumn; 4] = [
        NumColumn::Participants,
        NumColumn::Cost,
        NumColumn::Recommendations,
        NumColumn::Resolved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NumColumn::Participants => "participants",
            NumColumn::Cost => "cost",
            NumColumn::Recommendations => "recommendations",
            NumColumn::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<NumColumn> {
        NumColumn::ALL.into_iter().find(|c| c.name() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Rows with status `done`.
    Count,
    /// Sum of a numeric column over `done` rows.
    Sum(NumColumn),
    /// done ÷ (done + planned + postponed).
    Completion,
}

impl Measure {
    pub fn spelling(self) -> String {
        match self {
            Measure::Count => "count".to_owned(),
            Measure::Sum(c) => format!("sum:{}", c.name()),
            Measure::Completion => "completion".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Requirement {
    Min(u64),
    Max(u64),
    MinRatio(f64),
}

/// Which dimensions a target is split by (`each`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Each {
    pub org: bool,
    pub unit: bool,
    pub field: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    pub title: String,
    /// The English title (`title_en`).
    pub title_en: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Indices into [`Plan::kinds`]: rows of any of these kinds count.
    pub kinds: Vec<usize>,
    /// Filters as indices; `None` = no filter.
    pub orgs: Option<Vec<usize>>,
    pub levels: Option<Vec<usize>>,
    pub units: Option<Vec<usize>>,
    pub fields: Option<Vec<usize>>,
    pub each: Each,
    pub per: Per,
    /// Admitted months and years (from `months` and `years`).
    pub days: DayFilter,
    pub measure: Measure,
    pub requirement: Requirement,
    /// (year, quantity), sorted by year.
    pub schedule: Option<Vec<(i32, u64)>>,
}

/// Status values a log row may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowStatus {
    Done,
    Planned,
    Postponed,
    Cancelled,
}

impl RowStatus {
    pub const ALL: [RowStatus; 4] = [
        RowStatus::Done,
        RowStatus::Planned,
        RowStatus::Postponed,
        RowStatus::Cancelled,
    ];

    pub fn parse(s: &str) -> Option<RowStatus> {
        RowStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Done => "done",
            RowStatus::Planned => "planned",
            RowStatus::Postponed => "postponed",
            RowStatus::Cancelled => "cancelled",
        }
    }
}

/// A loaded, valid plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Path of the plan file relative to the workspace root.
    pub path: String,
    pub id: String,
    /// Where `id` is written in the plan file (byte range), for diagnostics.
    pub id_span: Option<std::ops::Range<usize>>,
    pub number: String,
    pub title: String,
    pub issuer: String,
    /// English versions of `title` and `issuer` (`title_en`, `issuer_en`).
    pub title_en: Option<String>,
    pub issuer_en: Option<String>,
    pub issued: Option<NaiveDate>,
    pub term: Span,
    pub lead: Option<usize>,
    pub place: Option<String>,
    pub currency: String,
    /// Log globs, relative to the workspace root, with their 1-based line in the plan file.
    pub logs: Vec<(String, usize)>,
    /// The workbook sheet logs are read from (`sheet`), with its 1-based line
    /// and column in the plan file; `None`: each workbook's first sheet.
    pub sheet: Option<(String, usize, usize)>,
    pub reporting: Reporting,
    /// Per-office reporting profiles, in file order.
    pub profiles: Vec<Profile>,
    pub baseline: Option<Baseline>,
    pub orgs: Vec<Named>,
    pub levels: Vec<Named>,
    pub units: Vec<Unit>,
    pub kinds: Vec<Kind>,
    pub fields: Vec<Named>,
    pub targets: Vec<Target>,
}

fn find(list: impl IntoIterator<Item = impl AsRef<str>>, code: &str) -> Option<usize> {
    list.into_iter().position(|c| c.as_ref() == code)
}

impl Plan {
    pub fn org(&self, code: &str) -> Option<usize> {
        find(self.orgs.iter().map(|o| &o.code), code)
    }
    pub fn unit(&self, code: &str) -> Option<usize> {
        find(self.units.iter().map(|o| &o.code), code)
    }
    pub fn level(&self, code: &str) -> Option<usize> {
        find(self.levels.iter().map(|o| &o.code), code)
    }
    pub fn kind(&self, code: &str) -> Option<usize> {
        find(self.kinds.iter().map(|o| &o.code), code)
    }
    pub fn field(&self, code: &str) -> Option<usize> {
        find(self.fields.iter().map(|o| &o.code), code)
    }
    /// The reporting profile the plan gives for exactly this office.
    pub fn reporting_for(&self, org: Option<usize>, unit: Option<usize>) -> Option<&Reporting> {
        self.profiles
            .iter()
            .find(|p| p.org == org && p.unit == unit)
            .map(|p| &p.reporting)
    }

    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }
}
