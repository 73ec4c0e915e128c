//! Inline SVG for the dashboard: progress bars, stacked status bars, line
//! charts and legend swatches. Geometry is computed by small pure functions
//! (tested against the figures); coordinates are written with one decimal,
//! so the same figures give the same bytes. Colours come from the page's
//! stylesheet through the `s-…` status classes.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::engine::{Figure, Status, TargetResult};
use crate::lang::Lang;

use super::model::Line;

/// Width and height of a progress bar, in SVG units.
pub const BAR_W: f64 = 240.0;
pub const BAR_H: f64 = 22.0;

/// Where a result's bar ends and its markers stand, in SVG units from the
/// left of a track [`BAR_W`] long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarGeometry {
    pub bar: f64,
    pub required: f64,
    pub pace: Option<f64>,
}

/// The track runs from 0 to the largest of required, actual and pace (100%
/// for a completion ratio), so a bar at or below its requirement is exactly
/// its ratio of the track, and one past it still fits.
pub fn geometry(r: &TargetResult) -> BarGeometry {
    let actual = r.actual.map_or(0.0, Figure::as_f64);
    let required = r.required.as_f64();
    let expected = r.expected.map(|e| e as f64);
    let scale = match r.required {
        Figure::Ratio(_) => 1.0_f64.max(actual),
        Figure::Int(_) => required.max(actual).max(expected.unwrap_or(0.0)),
    };
    let x = |v: f64| if scale > 0.0 { v / scale * BAR_W } else { 0.0 };
    BarGeometry {
        bar: x(actual),
        required: x(required),
        pace: expected.map(x),
    }
}

fn n(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_owned(),
        Some(i) => i.to_owned(),
        None => s,
    }
}

/// The CSS class of a status.
pub fn class(s: Status) -> &'static str {
    match s {
        Status::Met => "s-met",
        Status::OnTrack => "s-on-track",
        Status::Behind => "s-behind",
        Status::Missed => "s-missed",
        Status::Upcoming => "s-upcoming",
        Status::Within => "s-within",
        Status::Over => "s-over",
        Status::NotApplicable => "s-na",
    }
}

/// A progress bar: track, bar coloured by status, a tick at the
/// requirement and a triangle where the pace stands.
pub fn progress(r: &TargetResult) -> String {
    let g = geometry(r);
    let mut s = format!(
        r#"<svg class="bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" focusable="false"><rect class="track" x="0" y="2" width="{w}" height="12"/>"#,
        w = n(BAR_W),
        h = n(BAR_H)
    );
    let _ = write!(
        s,
        r#"<rect class="fill {}" x="0" y="2" width="{}" height="12"/>"#,
        class(r.status),
        n(g.bar)
    );
    let _ = write!(
        s,
        r#"<line class="req" x1="{x}" y1="0" x2="{x}" y2="{h}"/>"#,
        x = n(g.required.clamp(1.0, BAR_W - 1.0)),
        h = n(BAR_H)
    );
    if let Some(p) = g.pace {
        let p = p.clamp(5.0, BAR_W - 5.0);
        let _ = write!(
            s,
            r#"<path class="pace" d="M{} 22L{} 14L{} 22Z"/><line class="pace-line" x1="{p}" y1="2" x2="{p}" y2="14"/>"#,
            n(p - 5.0),
            n(p),
            n(p + 5.0),
            p = n(p)
        );
    }
    s.push_str("</svg>");
    s
}

/// Segment widths of a stacked bar of `counts` (in their order).
pub fn stacked_widths(counts: &[(Status, usize)]) -> Vec<f64> {
    let total: usize = counts.iter().map(|(_, c)| c).sum();
    counts
        .iter()
        .map(|(_, c)| {
            if total == 0 {
                0.0
            } else {
                *c as f64 / total as f64 * BAR_W
            }
        })
        .collect()
}

/// The statuses of a split target's instances as one stacked bar.
pub fn stacked(counts: &[(Status, usize)]) -> String {
    let mut s = format!(
        r#"<svg class="bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" focusable="false"><rect class="track" x="0" y="2" width="{w}" height="12"/>"#,
        w = n(BAR_W),
        h = n(BAR_H)
    );
    let mut x = 0.0;
    for ((st, _), w) in counts.iter().zip(stacked_widths(counts)) {
        let _ = write!(
            s,
            r#"<rect class="fill {}" x="{}" y="2" width="{}" height="12"/>"#,
            class(*st),
            n(x),
            n(w)
        );
        x += w;
    }
    s.push_str("</svg>");
    s
}

/// Two bars on one track scaled to `most`: `made` (light) and `resolved`
/// (dark) over it.
pub fn pair(made: u64, resolved: u64, most: u64) -> String {
    let x = |v: u64| if most > 0 { v as f64 / most as f64 * BAR_W } else { 0.0 };
    format!(
        r#"<svg class="bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" focusable="false"><rect class="track" x="0" y="2" width="{w}" height="12"/><rect class="made" x="0" y="2" width="{}" height="12"/><rect class="resolved" x="0" y="5" width="{}" height="6"/></svg>"#,
        n(x(made)),
        n(x(resolved.min(made.max(resolved)))),
        w = n(BAR_W),
        h = n(BAR_H)
    )
}

/// A small square in a status's colour and pattern, for legends and grid cells.
pub fn swatch(s: Status) -> String {
    format!(
        r#"<svg class="sw" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true" focusable="false"><rect class="fill {}" x="0.5" y="0.5" width="13" height="13"/></svg>"#,
        class(s)
    )
}

/// The patterns the status classes use, so statuses differ in grey print too.
pub fn defs() -> &'static str {
    concat!(
        r##"<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>"##,
        r##"<pattern id="p-behind" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e8a33d"/><rect width="2" height="6" fill="#8a5a10"/></pattern>"##,
        r##"<pattern id="p-missed" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#c8372d"/><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1.2"/></pattern>"##,
        r##"<pattern id="p-over" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#c8372d"/><rect width="5" height="1.5" fill="#fff"/></pattern>"##,
        r##"<pattern id="p-upcoming" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1" fill="#777"/></pattern>"##,
        r##"</defs></svg>"##
    )
}

/// Plot area of a line chart, in SVG units.
pub const CHART_W: f64 = 360.0;
pub const CHART_H: f64 = 190.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;

/// A round top for a value axis: 1, 2 or 5 times a power of ten, at least `v`.
pub fn nice_max(v: u64) -> u64 {
    if v == 0 {
        return 1;
    }
    let mut p: u64 = 1;
    loop {
        for m in [1, 2, 5] {
            let c = p.saturating_mul(m);
            if c >= v || c == u64::MAX {
                return c;
            }
        }
        if p > u64::MAX / 10 {
            return u64::MAX;
        }
        p *= 10;
    }
}

/// x of `d` on a term from `start` to `end`.
pub fn x_of(d: NaiveDate, start: NaiveDate, end: NaiveDate) -> f64 {
    let all = (end - start).num_days().max(1) as f64;
    let at = (d - start).num_days().clamp(0, (end - start).num_days().max(0)) as f64;
    LEFT + at / all * (CHART_W - LEFT - RIGHT)
}

/// y of `v` on an axis from 0 to `top`.
pub fn y_of(v: u64, top: u64) -> f64 {
    let h = CHART_H - TOP - BOTTOM;
    TOP + h - (v as f64 / top.max(1) as f64).min(1.05) * h
}

/// An axis label: a count, or money in thousand millions (`tỷ`/`bn`).
fn axis_label(v: u64, money: bool, lang: Lang) -> String {
    if money && v >= 1_000_000_000 {
        let tenths = v / 100_000_000;
        let (w, f) = (tenths / 10, tenths % 10);
        let num = if f == 0 {
            lang.int(w)
        } else {
            format!("{}{}{f}", lang.int(w), lang.pick(",", "."))
        };
        format!("{num} {}", lang.pick("tỷ", "bn"))
    } else {
        lang.int(v)
    }
}

fn polyline(class: &str, pts: &[(NaiveDate, u64)], line: &Line, top: u64) -> String {
    if pts.is_empty() {
        return String::new();
    }
    let coords: Vec<String> = pts
        .iter()
        .map(|&(d, v)| format!("{},{}", n(x_of(d, line.term.start, line.term.end)), n(y_of(v, top))))
        .collect();
    // A single point draws from the start of the term.
    let first = format!("{},{}", n(LEFT), n(y_of(0, top)));
    format!(r#"<polyline class="{class}" points="{first} {}"/>"#, coords.join(" "))
}

/// A cumulative line chart: done (solid), scheduled in the logs (dotted),
/// the targets' pace (dashed) or a `max` (a red line), years along x.
pub fn line_chart(line: &Line, lang: Lang, title: &str) -> String {
    let money = line.limit.is_some();
    let most = line
        .done
        .iter()
        .chain(&line.scheduled)
        .chain(&line.pace)
        .map(|(_, v)| *v)
        .chain(line.limit)
        .max()
        .unwrap_or(0);
    let top = nice_max(most);
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}">"#,
        w = n(CHART_W),
        h = n(CHART_H),
        t = crate::escape::html(title)
    );
    let (x0, x1) = (LEFT, CHART_W - RIGHT);
    for v in [0, top / 2, top] {
        let y = n(y_of(v, top));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{}" y1="{y}" x2="{}" y2="{y}"/><text class="ax" x="{}" y="{y}" dy="3" text-anchor="end">{}</text>"#,
            n(x0),
            n(x1),
            n(x0 - 4.0),
            axis_label(v, money, lang)
        );
    }
    let (start, end) = (line.term.start, line.term.end);
    for year in start.year()..=end.year() {
        let Some(jan) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            continue;
        };
        let first = jan.max(start);
        let x = n(x_of(first, start, end));
        let _ = write!(
            s,
            r#"<line class="tick" x1="{x}" y1="{}" x2="{x}" y2="{}"/>"#,
            n(TOP),
            n(CHART_H - BOTTOM + 4.0)
        );
        let mid = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(first).clamp(start, end);
        let _ = write!(
            s,
            r#"<text class="ax" x="{}" y="{}" text-anchor="middle">{year}</text>"#,
            n(x_of(mid, start, end)),
            n(CHART_H - 8.0)
        );
    }
    if let Some(max) = line.limit {
        let y = n(y_of(max, top));
        let _ = write!(
            s,
            r#"<line class="limit" x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#,
            n(x0),
            n(x1)
        );
    }
    s.push_str(&polyline("pace", &line.pace, line, top));
    s.push_str(&polyline("sched", &line.scheduled, line, top));
    s.push_str(&polyline("done", &line.done, line, top));
    if line.term.contains(line.as_of) {
        let x = n(x_of(line.as_of, start, end));
        let _ = write!(
            s,
            r#"<line class="asof" x1="{x}" y1="{}" x2="{x}" y2="{}"/>"#,
            n(TOP),
            n(CHART_H - BOTTOM)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::period::{Half, Period, PeriodLabel, WhichHalf, parse_iso_date};

    fn result(actual: Figure, required: Figure, expected: Option<u64>, status: Status) -> TargetResult {
        let h = Half {
            year: 2023,
            half: WhichHalf::H1,
        };
        TargetResult {
            target: 0,
            period: Period {
                label: PeriodLabel::Half(h),
                span: h.span(),
                countable_days: 181,
            },
            org: None,
            unit: None,
            field: None,
            actual: Some(actual),
            required,
            expected,
            status,
        }
    }

    fn attr(svg: &str, class: &str, name: &str) -> f64 {
        let at = svg.find(&format!("class=\"{class}")).unwrap();
        let rest = &svg[at..];
        let v = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        rest[v..v + rest[v..].find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn a_bar_is_its_ratio_of_the_track() {
        let r = result(Figure::Int(15), Figure::Int(16), None, Status::Behind);
        let g = geometry(&r);
        assert!((g.bar - r.ratio().unwrap() * BAR_W).abs() < 1e-9);
        assert_eq!(g.required, BAR_W);
        let svg = progress(&r);
        assert_eq!(attr(&svg, "fill", "width"), 225.0); // 15/16 of 240
        assert!(svg.contains("s-behind"));
    }

    #[test]
    fn the_pace_marker_stands_at_expected_over_required() {
        let r = result(Figure::Int(30), Figure::Int(234), Some(117), Status::Behind);
        let g = geometry(&r);
        assert!((g.pace.unwrap() - 117.0 / 234.0 * BAR_W).abs() < 1e-9);
        assert!((g.bar - 30.0 / 234.0 * BAR_W).abs() < 1e-9);
        let svg = progress(&r);
        // The triangle's apex is at the pace.
        assert!(svg.contains(r#"<path class="pace" d="M115 22L120 14L125 22Z"/><line class="pace-line" x1="120" y1="2" x2="120" y2="14"/>"#), "{svg}");
    }

    #[test]
    fn past_the_requirement_the_bar_fills_and_the_tick_moves_back() {
        let r = result(Figure::Int(3), Figure::Int(2), None, Status::Met);
        let g = geometry(&r);
        assert_eq!(g.bar, BAR_W);
        assert_eq!(g.required, BAR_W * 2.0 / 3.0);
    }

    #[test]
    fn a_completion_ratio_is_drawn_on_a_100_percent_track() {
        let r = result(Figure::Ratio(0.75), Figure::Ratio(0.8), None, Status::Behind);
        let g = geometry(&r);
        assert_eq!(g.bar, 0.75 * BAR_W);
        assert_eq!(g.required, 0.8 * BAR_W);
    }

    #[test]
    fn stacked_segments_are_shares_of_the_instances() {
        let w = stacked_widths(&[(Status::Met, 3), (Status::Behind, 1)]);
        assert_eq!(w, vec![180.0, 60.0]);
        let svg = stacked(&[(Status::Met, 3), (Status::Behind, 1)]);
        assert!(
            svg.contains(r#"class="fill s-behind" x="180" y="2" width="60""#),
            "{svg}"
        );
    }

    #[test]
    fn chart_axes() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(234), 500);
        assert_eq!(nice_max(500), 500);
        assert_eq!(nice_max(2), 2);
        assert_eq!(nice_max(30_727_000_000), 50_000_000_000);
        assert_eq!(nice_max(u64::MAX), u64::MAX);
        let (a, b) = (
            parse_iso_date("2021-01-01").unwrap(),
            parse_iso_date("2025-12-31").unwrap(),
        );
        assert_eq!(x_of(a, a, b), LEFT);
        assert_eq!(x_of(b, a, b), CHART_W - RIGHT);
        assert_eq!(y_of(0, 10), CHART_H - BOTTOM);
        assert_eq!(y_of(10, 10), TOP);
        assert_eq!(axis_label(30_700_000_000, true, Lang::Vi), "30,7 tỷ");
        assert_eq!(axis_label(1_500, false, Lang::Vi), "1.500");
    }
}
