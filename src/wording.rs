//! How a figure, a status or a count is worded for people, shared by the
//! status views, the report and the site so that each says it the same way.

use crate::engine::{Figure, KindTally, Status, TargetResult};
use crate::lang::Lang;

/// A status in words.
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Met, Lang::Vi) => "đạt",
        (Status::OnTrack, Lang::Vi) => "đúng tiến độ",
        (Status::Behind, Lang::Vi) => "chậm tiến độ",
        (Status::Missed, Lang::Vi) => "không đạt",
        (Status::Upcoming, Lang::Vi) => "chưa đến kỳ",
        (Status::Within, Lang::Vi) => "trong hạn mức",
        (Status::Over, Lang::Vi) => "vượt hạn mức",
        (Status::NotApplicable, Lang::Vi) => "không áp dụng",
        (s, Lang::En) => s.as_str(),
    }
}

/// A figure as a person reads it: `1.234` / `1,234`, or a percentage for ratios.
pub fn figure(f: Option<Figure>, lang: Lang) -> String {
    match f {
        None => "–".to_owned(),
        Some(Figure::Int(n)) => lang.int(n),
        Some(Figure::Ratio(r)) => lang.percent(r),
    }
}

/// Money actual / required for tables, with two decimals in the unit that
/// suits the larger: `6,66 / 30,73 tỷ` (thousand millions), or `45,50 / 80,00
/// triệu` (millions) for a small budget; `bn` / `m` in English. JSON and
/// reports keep every digit.
pub fn money_pair(actual: u64, required: u64, lang: Lang) -> String {
    if actual.max(required) < 1_000_000 {
        // Too small for millions (or not đồng at all): the plain amounts.
        return format!("{} / {}", lang.int(actual), lang.int(required));
    }
    let (unit, vi, en) = if actual.max(required) >= 1_000_000_000 {
        (1_000_000_000, "tỷ", "bn")
    } else {
        (1_000_000, "triệu", "m")
    };
    let short = |n: u64| {
        // Rounded to the nearest hundredth of `unit`, without overflow.
        let step = unit / 100;
        let hundredths = n / step + u64::from(n % step >= step / 2);
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        format!("{}{}{frac:02}", lang.int(whole), lang.pick(",", "."))
    };
    format!("{} / {} {}", short(actual), short(required), lang.pick(vi, en))
}

/// actual ÷ required as a percentage, or "–".
pub fn percent(r: &TargetResult, lang: Lang) -> String {
    match (r.ratio(), r.required) {
        (_, Figure::Ratio(_)) => "–".to_owned(),
        (Some(x), _) => lang.percent(x),
        (None, _) => "–".to_owned(),
    }
}

/// A figure as written in machine outputs (CSV): plain digits or the
/// shortest decimal of a ratio.
pub fn machine_figure(f: Option<Figure>) -> String {
    match f {
        None => String::new(),
        Some(Figure::Int(n)) => n.to_string(),
        Some(Figure::Ratio(r)) => r.to_string(),
    }
}

/// A count in running text: Vietnamese administrative writing gives
/// numbers below ten a leading zero (`05 cuộc`, as the Đề án writes
/// `01 hội nghị`); English writes them plainly.
pub fn count(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Vi if (1..10).contains(&n) => format!("0{n}"),
        _ => lang.int(n),
    }
}

/// `23/25 hội nghị, đạt 92%; 01 hội nghị hoãn, 01 hội nghị hủy` (vi) or
/// `23/25, 92%; 1 postponed, 1 cancelled` (en): done over every activity
/// planned in the window, cancelled ones included (see
/// [`KindTally::planned`]), then how many were postponed or cancelled.
pub fn done_of_scheduled(t: &KindTally, counter: Option<&str>, lang: Lang) -> String {
    let planned = t.planned();
    let base = format!("{}/{}", lang.int(t.done), lang.int(planned));
    let pct = (planned > 0).then(|| lang.percent(t.done as f64 / planned as f64));
    let counter = counter.unwrap_or("hoạt động");
    let mut out = match (lang, pct) {
        (Lang::Vi, Some(p)) => format!("{base} {counter}, đạt {p}"),
        (Lang::Vi, None) => format!("{base} {counter}"),
        (Lang::En, Some(p)) => format!("{base}, {p}"),
        (Lang::En, None) => base,
    };
    let mut tail = Vec::new();
    for (n, vi, en) in [(t.postponed, "hoãn", "postponed"), (t.cancelled, "hủy", "cancelled")] {
        if n > 0 {
            tail.push(match lang {
                Lang::Vi => format!("{} {counter} {vi}", count(n, lang)),
                Lang::En => format!("{} {en}", lang.int(n)),
            });
        }
    }
    if !tail.is_empty() {
        out.push_str("; ");
        out.push_str(&tail.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::money_pair;
    use crate::lang::Lang;

    #[test]
    fn money_in_the_unit_that_suits_it() {
        assert_eq!(money_pair(6_660_000_000, 30_727_000_000, Lang::Vi), "6,66 / 30,73 tỷ");
        assert_eq!(money_pair(6_660_000_000, 30_727_000_000, Lang::En), "6.66 / 30.73 bn");
        assert_eq!(money_pair(45_500_000, 80_000_000, Lang::Vi), "45,50 / 80,00 triệu");
        assert_eq!(money_pair(5_000, 80_000_000, Lang::En), "0.01 / 80.00 m");
        assert_eq!(money_pair(4_999, 80_000_000, Lang::En), "0.00 / 80.00 m");
        // The largest sum the engine lets through does not overflow.
        assert_eq!(money_pair(2_500, 3_000, Lang::Vi), "2.500 / 3.000");
        assert_eq!(money_pair(3_500, 3_000, Lang::En), "3,500 / 3,000");
        assert_eq!(money_pair(u64::MAX, 1, Lang::Vi), "18.446.744.073,71 / 0,00 tỷ");
    }
}
