//! `plan site`: the dashboard page of the shipped plan shows the engine's
//! figures (compared with `status --format json`), refers to nothing
//! outside itself, escapes plan and log text, is the same bytes every time,
//! and is written in the user's language.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{base_plan, in_repo, plan, stdout_of};
use serde_json::Value;

/// Runs `plan site ARGS -o DIR` in the repository and returns the page.
fn site(lang: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = in_repo();
    cmd.args(["--lang", lang, "site"]).args(args).arg("-o").arg(&out);
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out.join("index.html")).unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every start tag with a `data-` attribute named `key`: its attributes.
fn tags_with(html: &str, key: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let needle = format!(" {key}=\"");
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let at = from + i;
        let start = html[..at].rfind('<').unwrap();
        let end = at + html[at..].find('>').unwrap();
        let tag = &html[start + 1..end];
        let mut attrs = BTreeMap::new();
        let mut rest = tag.split_once(' ').map_or("", |(_, r)| r);
        while let Some(eq) = rest.find("=\"") {
            let name = rest[..eq].trim().to_owned();
            let after = &rest[eq + 2..];
            let close = after.find('"').unwrap();
            attrs.insert(name, unescape(&after[..close]));
            rest = &after[close + 1..];
        }
        // The element's text, up to its end tag (for figures shown).
        let text_end = html[end..].find("</t").map_or(end, |j| end + j);
        attrs.insert("#text".to_owned(), html[end + 1..text_end].to_owned());
        out.push(attrs);
        from = end;
    }
    out
}

fn status_json(args: &[&str]) -> Vec<Value> {
    let mut a = vec!["status", "--format", "json"];
    a.extend_from_slice(args);
    let v: Value = serde_json::from_str(&stdout_of(in_repo(), &a)).unwrap();
    v["results"].as_array().unwrap().clone()
}

fn key_of(r: &Value) -> String {
    let s = |k: &str| r[k].as_str().unwrap_or("").to_owned();
    format!(
        "{}|{}|{}|{}|{}",
        s("target"),
        s("period"),
        s("org"),
        s("unit"),
        s("field")
    )
}

fn key_of_tag(t: &BTreeMap<String, String>) -> String {
    let s = |k: &str| t.get(k).cloned().unwrap_or_default();
    format!(
        "{}|{}|{}|{}|{}",
        s("data-target"),
        s("data-period"),
        s("data-org"),
        s("data-unit"),
        s("data-field")
    )
}

fn num(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Number(n) => n
            .as_u64()
            .map_or_else(|| n.as_f64().unwrap().to_string(), |u| u.to_string()),
        other => panic!("not a figure: {other}"),
    }
}

/// Every figure on the page that comes from a result (bars, grid cells,
/// counts of statuses, the cumulative lines' ends) is the figure of
/// `status --format json` for the same date.
fn page_equals_status(lang: &str, period: &[&str]) {
    let html = site(lang, period);
    let json = status_json(period);
    let by_key: BTreeMap<String, &Value> = json.iter().map(|r| (key_of(r), r)).collect();

    let shown = tags_with(&html, "data-actual");
    assert!(shown.len() > 50, "only {} results on the page", shown.len());
    for t in &shown {
        let r = by_key
            .get(&key_of_tag(t))
            .unwrap_or_else(|| panic!("{} not in status", key_of_tag(t)));
        assert_eq!(t["data-actual"], num(&r["actual"]), "{}", key_of_tag(t));
        assert_eq!(t["data-required"], num(&r["required"]), "{}", key_of_tag(t));
        assert_eq!(t["data-status"], r["status"].as_str().unwrap(), "{}", key_of_tag(t));
        assert_eq!(
            t.get("data-expected").cloned().unwrap_or_default(),
            num(r.get("expected").unwrap_or(&Value::Null)),
            "{}",
            key_of_tag(t)
        );
        // The figure shown is the same (in the page's number form).
        if let (Some(a), Some(q)) = (r["actual"].as_u64(), r["required"].as_u64())
            && q < 1_000_000
        {
            let sep = if lang == "vi" { "." } else { "," };
            let f = |n: u64| {
                let d = n.to_string();
                let mut s = String::new();
                for (i, c) in d.chars().enumerate() {
                    if i > 0 && (d.len() - i) % 3 == 0 {
                        s.push_str(sep);
                    }
                    s.push(c);
                }
                s
            };
            let text = format!("{}/{}", f(a), f(q));
            assert!(
                t["#text"].contains(&text) || html_row(&html, t).contains(&text),
                "{} shows no {text}",
                key_of_tag(t)
            );
        }
    }
    // Counts of statuses (split targets' bars, grid cells over several units).
    let counted = tags_with(&html, "data-statuses");
    assert!(!counted.is_empty());
    for t in &counted {
        let mut want: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &json {
            let same = |k: &str, attr: &str| t.get(attr).is_none_or(|v| r[k].as_str() == Some(v.as_str()));
            if r["target"] == t["data-target"].as_str()
                && r["period"] == t["data-period"].as_str()
                && same("org", "data-org")
                && same("unit", "data-unit")
                && same("field", "data-field")
            {
                *want.entry(r["status"].as_str().unwrap()).or_default() += 1;
            }
        }
        let got: BTreeMap<&str, usize> = t["data-statuses"]
            .split(',')
            .map(|p| {
                let (s, n) = p.split_once(':').unwrap();
                (s, n.parse().unwrap())
            })
            .collect();
        assert_eq!(got, want, "{t:?}");
    }
    // Every non-split result of the period is drawn as a bar.
    let find = |id: &str, period: &str| {
        json.iter()
            .find(|r| r["target"] == id && r["period"] == period)
            .unwrap()
    };
    // The cumulative supervision line ends at the term target's figure,
    // and the budget line at the budget's.
    let total = find("supervision-total", "2021-2025");
    let line = tags_with(&html, "data-done")
        .into_iter()
        .find(|t| t["data-kind"] == "supervision")
        .unwrap();
    assert_eq!(line["data-done"], num(&total["actual"]));
    // Its pace line stands where the target's pace does (while it runs).
    if let Some(e) = total.get("expected") {
        assert_eq!(line["data-pace"], num(e));
    }
    let budget = find("budget", "2021-2025");
    let spent = tags_with(&html, "data-spent");
    assert_eq!(spent.len(), 1);
    assert_eq!(spent[0]["data-spent"], num(&budget["actual"]));
    for id in ["supervision-total", "budget", "criticism"] {
        assert!(shown.iter().any(|t| t["data-target"] == id), "no bar for {id}");
    }
}

/// The `<tr>` that holds the element `t` (by its attributes' text).
fn html_row<'h>(html: &'h str, t: &BTreeMap<String, String>) -> &'h str {
    let key = format!(
        "data-target=\"{}\" data-period=\"{}\"",
        t["data-target"], t["data-period"]
    );
    html.find(&key)
        .map_or("", |i| &html[i..html[i..].find("</tr>").map_or(html.len(), |j| i + j)])
}

#[test]
fn every_figure_equals_status_json_2023h1_vi() {
    page_equals_status("vi", &["--half", "2023H1"]);
}

#[test]
fn every_figure_equals_status_json_2024_en() {
    page_equals_status("en", &["--year", "2024"]);
}

#[test]
fn every_figure_equals_status_json_at_a_date() {
    page_equals_status("vi", &["--at", "2024-09-15"]);
}

#[test]
fn nothing_refers_outside_the_page() {
    for lang in ["vi", "en"] {
        let html = site(lang, &["--half", "2023H1"]);
        for pat in ["src=", "href=", "url("] {
            for (i, _) in html.match_indices(pat) {
                let value = html[i + pat.len()..].trim_start_matches(['"', '\'']);
                assert!(
                    value.starts_with('#'),
                    "{pat} points outside the page: {}",
                    &html[i..(i + 60).min(html.len())]
                );
            }
        }
        let lower = html.to_lowercase();
        for bad in [
            "http://",
            "https://",
            "@import",
            "<link",
            "<script",
            "<img",
            "<iframe",
            "@font-face",
        ] {
            assert!(!lower.contains(bad), "{bad} in the page");
        }
        assert!(html.len() < 1_000_000, "{} bytes", html.len());
    }
}

#[test]
fn same_inputs_same_bytes() {
    let a = site("vi", &["--half", "2023H1"]);
    let b = site("vi", &["--half", "2023H1"]);
    assert!(a == b, "two runs differ");
}

#[test]
fn vietnamese_forms_by_default_english_with_lang_en() {
    let vi = site("vi", &["--half", "2023H1"]);
    assert!(vi.contains("<html lang=\"vi\">"));
    assert!(vi.contains("Số liệu tính đến ngày <strong>30/06/2023</strong>"));
    assert!(
        vi.contains("Giám sát: 15/16 cuộc, đạt 93,8%"),
        "the report's one-line form"
    );
    assert!(vi.contains("30,73 tỷ"));
    assert!(vi.contains("chậm tiến độ"));
    let en = site("en", &["--half", "2023H1"]);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Figures as of <strong>2023-06-30</strong>"));
    // The plan gives kinds English names (`en`), which the English page uses.
    assert!(en.contains("Supervision: 15/16, 93.8%; 1 postponed"), "{en}");
    assert!(en.contains("30.73 bn"));
    assert!(!en.contains("Số liệu tính đến"));
}

#[test]
fn the_charts_have_their_tables() {
    let html = site("vi", &["--half", "2023H1"]);
    let charts = html.matches("<svg class=\"chart\"").count();
    let plan: toml_edit::DocumentMut = crate::common::shipped_plan().parse().unwrap();
    let kinds = plan["kinds"].as_table().unwrap().len();
    assert_eq!(charts, kinds + 1, "one per kind and the budget");
    // Every line chart sits in a figure with a table of its numbers.
    let figures: Vec<&str> = html.split("<figure").skip(1).collect();
    assert_eq!(figures.len(), charts);
    for f in figures {
        let f = &f[..f.find("</figure>").unwrap()];
        assert!(
            f.contains("<svg class=\"chart\"") && f.contains("<table class=\"data\">"),
            "{f}"
        );
    }
    // The as-of row of the supervision table.
    assert!(html.contains("<tr class=\"asof\"><th scope=\"row\">30/06/2023</th>"));
}

#[test]
fn offices_with_nothing_logged_and_recommendations_per_organisation() {
    let html = site("en", &["--half", "2023H1"]);
    // Recommendations per organisation add up to those of the period's
    // done rows in the logs.
    let mut made = 0u64;
    let mut resolved = 0u64;
    for year in ["2023"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/15-DA-TU/logs")
            .join(year);
        for e in std::fs::read_dir(dir).unwrap() {
            let mut rd = csv::Reader::from_path(e.unwrap().path()).unwrap();
            for row in rd.records() {
                let row = row.unwrap();
                if row[4] == *"done" && &row[0] <= "2023-06-30" {
                    made += row[10].parse::<u64>().unwrap_or(0);
                    resolved += row[11].parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    let rows = tags_with(&html, "data-made");
    assert_eq!(rows.len(), 6);
    let sum = |k: &str| rows.iter().map(|t| t[k].parse::<u64>().unwrap()).sum::<u64>();
    assert!(made > 0);
    assert_eq!((sum("data-made"), sum("data-resolved")), (made, resolved));
    // The offices grid: one cell per organisation and existing unit, and
    // at least one office that logged nothing in the half-year.
    let cells = html.matches("<td class=\"c on\"").count() + html.matches("<td class=\"c off\"").count();
    assert_eq!(cells, 6 * 10);
    assert!(html.matches("data-silent=\"1\"").count() > 0);
}

#[test]
fn ceased_units_show_as_such() {
    let html = site("vi", &["--half", "2025H2", "--at", "2025-12-31"]);
    assert!(html.contains("— đã kết thúc hoạt động từ 01/07/2025"));
}

/// A workspace whose plan and log carry markup in every string.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let plan = base_plan()
        .replace(
            "title = \"Kế hoạch thử nghiệm\"",
            "title = \"<script>alert(1)</script> & \\\"x\\\"\"",
        )
        .replace("Hội Nông dân", "Hội <img src=http://evil/x onerror=alert(2)>")
        .replace(
            "Đối thoại mỗi năm",
            "Đối thoại </td><style>body{background:url(http://evil)}</style>",
        );
    std::fs::write(dir.path().join("plans/x.toml"), plan).unwrap();
    std::fs::write(
        dir.path().join("logs/a.csv"),
        format!(
            "{}\n2023-03-01,HND,tinh,dialogue,done,\"<b>x</b>\",,,,,,,\n",
            common::HEADER
        ),
    )
    .unwrap();
    dir
}

#[test]
fn plan_and_log_text_is_escaped() {
    let ws = hostile();
    let out = ws.path().join("site");
    let o = plan()
        .arg("-C")
        .arg(ws.path())
        .args(["site", "--half", "2023H1", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
    assert!(html.contains("Hội &lt;img src=http://evil/x onerror=alert(2)&gt;"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("</td><style>"));
    assert_eq!(html.matches("<style>").count(), 1);
}

#[test]
fn the_directory_is_created_and_an_unwritable_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a/b/c");
    let o = in_repo()
        .args(["site", "--half", "2023H1", "-o"])
        .arg(&deep)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(deep.join("index.html").is_file());
    // A file where the directory should be.
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    let o = in_repo()
        .args(["site", "--half", "2023H1", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("lỗi: ") && err.contains(&*file.to_string_lossy()),
        "{err}"
    );
}

#[test]
fn period_options_are_those_of_status() {
    let o = in_repo()
        .args(["site", "--half", "2023H3", "-o", "/nonexistent/never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--half `2023H3`"));
    let o = in_repo()
        .args(["site", "--half", "2023H1", "--year", "2023", "-o", "/nonexistent/never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
