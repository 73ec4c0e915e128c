//! When a target counts: `per` (the term, each year or each half-year),
//! `years` (some years of the term) and `months` (some months of each year).

use std::ops::Range;

use toml_edit::TableLike;

use crate::period::Per;

use super::super::reader::PlanReader;

/// `per`, required.
pub(super) fn per(reader: &mut PlanReader, t: &dyn TableLike, at: Option<Range<usize>>) -> Option<Per> {
    match t.get("per") {
        None => {
            reader.missing("per", "[[target]]", at);
            None
        }
        Some(item) => {
            if let Some(p) = item.as_str().and_then(Per::parse) {
                Some(p)
            } else {
                reader.bad(
                    item.span(),
                    "`per` phải là \"term\", \"year\" hoặc \"half\"",
                    "`per` must be \"term\", \"year\" or \"half\"",
                );
                None
            }
        }
    }
}

/// `years`: years of the term `ty0..=ty1`, ascending, without repeats.
pub(super) fn years(reader: &mut PlanReader, t: &dyn TableLike, (ty0, ty1): (i32, i32)) -> Option<Vec<i32>> {
    let item = t.get("years")?;
    let Some(arr) = item.as_array() else {
        reader.bad(
            item.span(),
            "`years` phải là một mảng năm, ví dụ [2021, 2022]",
            "`years` must be an array of years, e.g. [2021, 2022]",
        );
        return None;
    };
    let mut ys = Vec::new();
    for v in arr {
        match v.as_integer().and_then(|y| i32::try_from(y).ok()) {
            Some(y) if (ty0..=ty1).contains(&y) => ys.push(y),
            _ => reader.bad(
                v.span(),
                &format!("mỗi năm trong `years` phải là một năm trong nhiệm kỳ {ty0}-{ty1}"),
                &format!("each entry of `years` must be a year of the term {ty0}-{ty1}"),
            ),
        }
    }
    ys.sort_unstable();
    ys.dedup();
    if ys.is_empty() {
        // Entries outside the term have their own diagnostic above.
        if arr.is_empty() {
            reader.bad(item.span(), "`years` không được rỗng", "`years` must not be empty");
        }
        return None;
    }
    Some(ys)
}

/// `months`, as a bit set (bit 0 is January).
pub(super) fn months(reader: &mut PlanReader, t: &dyn TableLike) -> Option<u16> {
    let item = t.get("months")?;
    let Some(arr) = item.as_array() else {
        reader.bad(
            item.span(),
            "`months` phải là một mảng tháng, ví dụ [11]",
            "`months` must be an array of months, e.g. [11]",
        );
        return None;
    };
    if arr.is_empty() {
        reader.bad(
            item.span(),
            "`months` không được rỗng: bỏ khoá này đi nếu tính cả năm",
            "`months` must not be empty: leave the key out to count the whole year",
        );
        return None;
    }
    let mut bits = 0u16;
    for v in arr {
        match v.as_integer() {
            Some(m @ 1..=12) => bits |= 1 << (m - 1),
            _ => reader.bad(
                v.span(),
                "mỗi tháng phải là một số từ 1 đến 12",
                "each month must be a number from 1 to 12",
            ),
        }
    }
    (bits != 0).then_some(bits)
}
