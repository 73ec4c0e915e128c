//! The keys each table of a plan file allows, in the order `plan fmt` writes
//! them (the formatter in `canonical/plan_toml.rs` uses these same lists).

/// Keys of the file's root: its format version and its sections.
pub(crate) const ROOT_KEYS: &[&str] = &[
    "format",
    "plan",
    "reporting",
    "baseline",
    "orgs",
    "levels",
    "units",
    "kinds",
    "fields",
    "target",
];
/// Keys of `[plan]`.
pub(crate) const PLAN_KEYS: &[&str] = &[
    "id",
    "number",
    "title",
    "title_en",
    "issuer",
    "issuer_en",
    "issued",
    "start",
    "end",
    "lead",
    "place",
    "currency",
    "logs",
    "sheet",
];
/// `[reporting]`'s own keys, beside its `orgs` and `units` profile tables
/// (also the order `plan fmt` writes them in).
pub(crate) const REPORTING_KEYS: &[&str] = &[
    "midterm",
    "final",
    "body",
    "body_en",
    "office",
    "office_en",
    "symbol",
    "kinh_gui",
    "kinh_gui_en",
    "signer",
    "signer_en",
    "recipients",
    "recipients_en",
];
/// Keys of a reporting profile (`[reporting.orgs.HND]`, `[reporting.units.bat-xat]`,
/// `[reporting.units.bat-xat.orgs.HND]`): those of `[reporting]` that head
/// and sign a draft, and the place of its date line.
pub(crate) const PROFILE_KEYS: &[&str] = &[
    "body",
    "body_en",
    "office",
    "office_en",
    "symbol",
    "kinh_gui",
    "kinh_gui_en",
    "signer",
    "signer_en",
    "recipients",
    "recipients_en",
    "place",
];
/// Keys of a unit, `[units.CODE]`.
pub(crate) const UNIT_KEYS: &[&str] = &["name", "en", "level", "from", "until"];
/// Keys of a kind written as a table.
pub(crate) const KIND_KEYS: &[&str] = &["name", "en", "field", "counter", "group", "group_en"];
/// Keys of an organisation or level written as a table.
pub(super) const NAMED_KEYS: &[&str] = &["name", "en"];
/// Keys of a field written as a table.
pub(crate) const FIELD_KEYS: &[&str] = &["name", "short", "en", "short_en"];
/// Target keys in canonical order (also the order `plan fmt` writes).
pub const TARGET_KEYS: &[&str] = &[
    "id",
    "title",
    "title_en",
    "source",
    "kind",
    "orgs",
    "levels",
    "units",
    "fields",
    "each",
    "per",
    "years",
    "months",
    "measure",
    "min",
    "max",
    "min_ratio",
    "schedule",
    "note",
];
/// `[baseline]`'s own key, beside its entries (one per kind).
pub(crate) const BASELINE_KEYS: &[&str] = &["label"];
/// Keys of an entry of `[baseline]`, `kind = { done = 195, planned = 377 }`.
pub(crate) const BASELINE_ENTRY_KEYS: &[&str] = &["done", "planned"];
