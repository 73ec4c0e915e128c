//! The status table on terminals of 60, 80, 100 and 200 columns, through the
//! library's width seam (`TableStyle::width`, which `plan status` sets from
//! the terminal, then `COLUMNS`, then 80): every line fits, no word is cut,
//! narrow terminals get the compact list and the pace is shown only where it
//! says something.

use std::path::Path;

use chrono::NaiveDate;
use plan::commands::{Ctx, evaluate, load_plan};
use plan::lang::Lang;
use plan::period::Half;
use plan::status_view::table::{TableStyle, render_terminal};
use plan::workspace::Workspace;
use unicode_width::UnicodeWidthStr;

/// `plan status --half 2023H1` drawn for a terminal `width` columns wide.
fn status_at(width: Option<u16>, lang: Lang) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ctx = Ctx {
        ws: Workspace::discover(root).unwrap(),
        lang,
        color_stdout: false,
        color_stderr: false,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        plan: None,
        cwd: root.to_path_buf(),
        quiet: false,
    };
    let plan = &load_plan(&ctx).ok().unwrap();
    let window = Half::parse("2023H1", ctx.today).unwrap().span();
    let (eval, _) = evaluate(&ctx, plan, window.end, &[window], plan::logs::Discard)
        .ok()
        .unwrap();
    let shown: Vec<_> = eval.results.iter().filter(|r| r.period.span.overlaps(window)).collect();
    let mut out = Vec::new();
    render_terminal(
        plan,
        &eval,
        &shown,
        lang,
        TableStyle {
            color: false,
            width,
            asked: None,
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Words of the table that must appear whole whatever the width.
const WHOLE: [&str; 6] = [
    "supervision-total",
    "dialogue-district",
    "muong-khuong",
    "102 / 234",
    "2021-2025",
    "6,90 / 30,73",
];

#[test]
fn every_width_fits_without_cutting_words() {
    for width in [60u16, 80, 100, 200] {
        let text = status_at(Some(width), Lang::Vi);
        assert!(widest(&text) <= usize::from(width), "{width} columns:\n{text}");
        for w in WHOLE {
            assert!(text.contains(w), "{width} columns: `{w}` cut:\n{text}");
        }
        // A value printed a letter per line made hundreds of lines.
        assert!(
            text.lines().count() < 200,
            "{width} columns: {} lines",
            text.lines().count()
        );
        let en = status_at(Some(width), Lang::En);
        assert!(widest(&en) <= usize::from(width), "{width} columns (en):\n{en}");
    }
}

#[test]
fn narrow_terminals_get_the_compact_list() {
    for width in [60, 80] {
        let text = status_at(Some(width), Lang::Vi);
        assert!(!text.contains('┆'), "{width} columns is a list, not a table:\n{text}");
        assert!(text.contains("  chung · 2021-2025 · 102 / 234 (43,6%) ·"), "{text}");
        assert!(text.contains("cần đạt đến nay 115 · chậm tiến độ"), "{text}");
    }
    for width in [100, 200] {
        assert!(
            status_at(Some(width), Lang::Vi).contains('┆'),
            "{width} columns is a table"
        );
    }
    insta::assert_snapshot!("status_60_columns", status_at(Some(60), Lang::Vi));
    insta::assert_snapshot!("status_100_columns", status_at(Some(100), Lang::En));
}

#[test]
fn the_pace_is_named_and_empty_where_it_means_nothing() {
    let wide = status_at(None, Lang::Vi);
    assert!(wide.contains("Cần đạt đến nay"), "{wide}");
    assert!(status_at(None, Lang::En).contains("Expected by now"));
    // dialogue-province: 1 of 2 in June, nothing due yet; F1: met.
    let row = |id: &str, scope: &str| {
        wide.lines()
            .find(|l| l.contains(id) && l.contains(scope))
            .unwrap()
            .split('┆')
            .map(str::trim)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("dialogue-province", "HND")[5], "", "no `0` due by now");
    assert_eq!(row("supervision-fields", " F1 ")[5], "", "met: no pace");
    assert_eq!(row("supervision-total", "chung")[5], "115");
    let compact = status_at(Some(60), Lang::Vi);
    assert!(!compact.contains("cần đạt đến nay 0"), "{compact}");
}
