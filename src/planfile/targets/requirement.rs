//! What a target asks for: its `measure` (count, completion or a sum), its
//! one requirement (`min`, `max` or `min_ratio`) and the `schedule` that
//! phases a `min` over the years of the term.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use crate::model::{Measure, NumColumn, Requirement};
use crate::period::Per;

use super::super::reader::PlanReader;

/// A `schedule` whose figures add up past the largest figure there is
/// (reported; the target is not built).
pub(super) struct Overflow;

/// `measure`; `count` when absent.
pub(super) fn measure(reader: &mut PlanReader, t: &dyn TableLike) -> Option<Measure> {
    match t.get("measure") {
        None => Some(Measure::Count),
        Some(item) => {
            let parsed = item.as_str().and_then(|s| match s {
                "count" => Some(Measure::Count),
                "completion" => Some(Measure::Completion),
                _ => s.strip_prefix("sum:").and_then(NumColumn::parse).map(Measure::Sum),
            });
            if parsed.is_none() {
                reader.bad(
                    item.span(),
                    "`measure` phải là \"count\", \"completion\" hoặc \"sum:COT\" với COT là participants, cost, recommendations hoặc resolved",
                    "`measure` must be \"count\", \"completion\" or \"sum:COLUMN\" with COLUMN one of participants, cost, recommendations, resolved",
                );
            }
            parsed
        }
    }
}

/// Exactly one of `min`, `max` and `min_ratio`.
pub(super) fn requirement(reader: &mut PlanReader, t: &dyn TableLike, at: Option<Range<usize>>) -> Option<Requirement> {
    let present: Vec<&str> = ["min", "max", "min_ratio"]
        .into_iter()
        .filter(|k| t.contains_key(k))
        .collect();
    match present.as_slice() {
        [] => {
            reader.error(
                "missing-key",
                at,
                "mục tiêu cần đúng một yêu cầu: `min`, `max` hoặc `min_ratio`",
                "a target needs exactly one requirement: `min`, `max` or `min_ratio`",
            );
            None
        }
        [key] => {
            let item = t.get(key)?;
            match *key {
                "min" => reader.int(item, "`min`").map(Requirement::Min),
                "max" => reader.int(item, "`max`").map(Requirement::Max),
                _ => match item.as_float().or_else(|| item.as_integer().map(|i| i as f64)) {
                    Some(r) if (0.0..=1.0).contains(&r) => Some(Requirement::MinRatio(r)),
                    _ => {
                        reader.bad(
                            item.span(),
                            "`min_ratio` phải là một tỷ lệ từ 0 đến 1, ví dụ 1.0",
                            "`min_ratio` must be a ratio from 0 to 1, e.g. 1.0",
                        );
                        None
                    }
                },
            }
        }
        _ => {
            reader.bad(
                t.get(present.get(1).copied().unwrap_or("max")).and_then(Item::span),
                &format!(
                    "chỉ được dùng một trong `min`, `max`, `min_ratio` (đang có: {})",
                    present.join(", ")
                ),
                &format!(
                    "use only one of `min`, `max`, `min_ratio` (found: {})",
                    present.join(", ")
                ),
            );
            None
        }
    }
}

/// `min_ratio` goes with `measure = "completion"` and only with it.
pub(super) fn check_pairing(
    reader: &mut PlanReader,
    t: &dyn TableLike,
    measure: Option<Measure>,
    requirement: Option<Requirement>,
    at: Option<Range<usize>>,
) {
    let (Some(m), Some(r)) = (measure, requirement) else {
        return;
    };
    let ratio = matches!(r, Requirement::MinRatio(_));
    let completion = m == Measure::Completion;
    if ratio != completion {
        reader.bad(
            t.get("measure")
                .or_else(|| t.get("min_ratio"))
                .and_then(Item::span)
                .or(at),
            "`min_ratio` đi với measure = \"completion\", và chỉ với nó; `min`/`max` đi với count và sum",
            "`min_ratio` goes with measure = \"completion\" and only with it; `min`/`max` go with count and sum",
        );
    }
}

/// `schedule`: a `min` phased over years of the term `ty0..=ty1` (and of
/// `years`, when given), for `per = "term"` only.
pub(super) fn schedule(
    reader: &mut PlanReader,
    t: &dyn TableLike,
    per: Option<Per>,
    requirement: Option<Requirement>,
    years: Option<&[i32]>,
    (ty0, ty1): (i32, i32),
) -> Result<Option<Vec<(i32, u64)>>, Overflow> {
    let Some(item) = t.get("schedule") else {
        return Ok(None);
    };
    let Some(st) = item.as_table_like() else {
        reader.bad(
            item.span(),
            "`schedule` phải có dạng { 2021 = 40, 2022 = 48 }",
            "`schedule` must look like { 2021 = 40, 2022 = 48 }",
        );
        return Ok(None);
    };
    if per.is_some_and(|p| p != Per::Term) {
        reader.bad(
            item.span(),
            "`schedule` chỉ dùng với per = \"term\"",
            "`schedule` is only for per = \"term\"",
        );
    }
    if requirement.as_ref().is_some_and(|r| !matches!(r, Requirement::Min(_))) {
        reader.bad(
            item.span(),
            "`schedule` chia `min` theo năm: với `max` hoặc `min_ratio` nó không có tác dụng, hãy bỏ đi",
            "`schedule` phases a `min` over the years: with `max` or `min_ratio` it has no effect; remove it",
        );
    }
    // What the entries add up to as written (the message quotes it),
    // including those with a diagnostic of their own.
    let written: u128 = st
        .iter()
        .filter_map(|(_, v)| v.as_integer().and_then(|n| u64::try_from(n).ok()))
        .map(u128::from)
        .sum();
    let out = schedule_entries(reader, st, years, (ty0, ty1));
    if written > u128::from(u64::MAX) {
        // The pace adds entries up: it would wrap around.
        let most = reader.lang.int(u64::MAX);
        reader.bad(
            item.span(),
            &format!("các số của `schedule` cộng lại là {written}, vượt quá số lớn nhất có thể ({most}): hãy kiểm tra lỗi gõ"),
            &format!("the `schedule` figures add up to {written}, past the largest possible figure ({most}): check for a typo"),
        );
        return Err(Overflow);
    }
    if let Some(Requirement::Min(min)) = requirement {
        // u128: entries go up to i64::MAX each, so a u64 sum can overflow.
        let sum = written;
        if sum != u128::from(min) {
            reader.warn(
                "schedule-sum",
                item.span(),
                &format!("tổng `schedule` là {sum}, khác `min` = {min}"),
                &format!("the `schedule` adds up to {sum}, not `min` = {min}"),
            );
        }
    }
    Ok(Some(out))
}

/// The entries of a `schedule` table, by year: each key a year of the term
/// (and of `years`, when given), each value a non-negative integer.
fn schedule_entries(
    reader: &mut PlanReader,
    st: &dyn TableLike,
    years: Option<&[i32]>,
    (ty0, ty1): (i32, i32),
) -> Vec<(i32, u64)> {
    let mut out = Vec::new();
    for (year, v) in st.iter() {
        let span = st.key(year).and_then(toml_edit::Key::span);
        match year.parse::<i32>() {
            Ok(y) if (ty0..=ty1).contains(&y) && years.is_some_and(|ys| !ys.contains(&y)) => {
                let list = years
                    .into_iter()
                    .flatten()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                reader.bad(
                    span,
                    &format!("năm {y} của `schedule` không nằm trong `years` [{list}]: không có hoạt động nào được tính vào năm đó"),
                    &format!("`schedule` year {y} is not in `years` [{list}]: no activity counts in that year"),
                );
            }
            Ok(y) if (ty0..=ty1).contains(&y) => {
                if let Some(n) = reader.int(v, &format!("`schedule` {y}")) {
                    out.push((y, n));
                }
            }
            _ => reader.bad(
                span,
                &format!("khóa của `schedule` phải là một năm trong nhiệm kỳ {ty0}-{ty1}"),
                &format!("`schedule` keys must be years of the term {ty0}-{ty1}"),
            ),
        }
    }
    out.sort_unstable();
    out
}
