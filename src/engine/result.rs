//! One evaluated result of the engine: a target's instance in one period,
//! its [`Figure`]s and its [`Status`].

use serde::Serialize;

use crate::period::Period;

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
    /// Index into [`Plan::targets`](crate::model::Plan::targets).
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
