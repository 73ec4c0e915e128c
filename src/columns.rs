//! The columns of an activity log: their codes in canonical order (the
//! order `plan fmt` writes), the ones every log must have, and the index of
//! each in that order. Reading logs ([`crate::logs`]), formatting them
//! ([`crate::canonical`]), the schema and the workbook template all take the
//! columns from here; a cell's canonical text is [`crate::text::cell`].

/// The log columns, in canonical order.
pub const COLUMNS: [&str; 13] = [
    "date",
    "org",
    "unit",
    "kind",
    "status",
    "title",
    "field",
    "ref",
    "participants",
    "cost",
    "recommendations",
    "resolved",
    "note",
];
/// Columns every log must have (the first of [`COLUMNS`]).
pub const REQUIRED: [&str; 6] = ["date", "org", "unit", "kind", "status", "title"];

pub const C_DATE: usize = 0;
pub const C_ORG: usize = 1;
pub const C_UNIT: usize = 2;
pub const C_KIND: usize = 3;
pub const C_STATUS: usize = 4;
pub const C_TITLE: usize = 5;
pub const C_FIELD: usize = 6;
pub const C_REF: usize = 7;
/// The first of the four number columns, which follow in the order of
/// [`NumColumn`](crate::model::NumColumn): participants, cost,
/// recommendations, resolved.
pub const C_FIRST_NUMBER: usize = 8;
pub const C_NOTE: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NumColumn;

    #[test]
    fn indices_name_their_columns() {
        let named = [
            (C_DATE, "date"),
            (C_ORG, "org"),
            (C_UNIT, "unit"),
            (C_KIND, "kind"),
            (C_STATUS, "status"),
            (C_TITLE, "title"),
            (C_FIELD, "field"),
            (C_REF, "ref"),
            (C_NOTE, "note"),
        ];
        for (i, name) in named {
            assert_eq!(COLUMNS.get(i), Some(&name));
        }
        for c in NumColumn::ALL {
            assert_eq!(COLUMNS.get(C_FIRST_NUMBER + c.index()), Some(&c.name()));
        }
        assert_eq!(COLUMNS.get(..REQUIRED.len()), Some(&REQUIRED[..]));
    }
}
