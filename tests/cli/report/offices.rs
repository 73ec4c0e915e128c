//! Every office's own report (issue 18): `plan report --org/--unit`,
//! `--all-offices`, and the consolidated table by unit and organisation, on
//! the shipped plan and example logs. The figures are recomputed here from
//! the CSV rows themselves (read with the `csv` crate), not from the engine.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{in_repo, stdout_of};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// One row of the example logs.
struct Row {
    date: String,
    org: String,
    unit: String,
    kind: String,
    status: String,
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    let mut files = Vec::new();
    let base = Path::new(ROOT).join("examples/15-DA-TU/logs");
    for year in std::fs::read_dir(&base).unwrap() {
        for f in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "csv") {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let mut r = csv::Reader::from_path(&f).unwrap();
        let h = r.headers().unwrap().clone();
        let col = |name: &str| h.iter().position(|x| x == name).unwrap();
        let (d, o, u, k, s) = (col("date"), col("org"), col("unit"), col("kind"), col("status"));
        for rec in r.records() {
            let rec = rec.unwrap();
            out.push(Row {
                date: rec[d].to_owned(),
                org: rec[o].to_owned(),
                unit: rec[u].to_owned(),
                kind: rec[k].to_owned(),
                status: rec[s].to_owned(),
            });
        }
    }
    out
}

/// The plan's kind codes, in file order.
fn kinds() -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("plans/15-DA-TU.toml")).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    doc["kinds"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, _)| k.to_owned())
        .collect()
}

/// (done, planned) per kind from the rows of 2023H1 matching the office.
fn expected(rows: &[Row], org: Option<&str>, unit: Option<&str>) -> Vec<(u64, u64)> {
    kinds()
        .iter()
        .map(|k| {
            let mine: Vec<&Row> = rows
                .iter()
                .filter(|r| {
                    r.kind == *k
                        && r.date.as_str() >= "2023-01-01"
                        && r.date.as_str() <= "2023-06-30"
                        && org.is_none_or(|o| r.org == o)
                        && unit.is_none_or(|u| r.unit == u)
                })
                .collect();
            let done = mine.iter().filter(|r| r.status == "done").count() as u64;
            (done, mine.len() as u64)
        })
        .collect()
}

/// (done, planned) per kind as a draft's section II says it: `Trong kỳ,
/// … đã thực hiện 02/03 …`, or `Trong kỳ chưa tổ chức …` for none.
fn drafted(md: &str) -> Vec<(u64, u64)> {
    drafted_n(md, kinds().len())
}

fn drafted_n(md: &str, n: usize) -> Vec<(u64, u64)> {
    let two = md.split("## II.").nth(1).unwrap().split("## III.").next().unwrap();
    let mut out = Vec::new();
    // A kind's item is `### n.` or, under a group's heading, `#### a)`.
    let items = two.split("\n### ").skip(1).flat_map(|s| s.split("\n#### "));
    for section in items.filter(|s| s.lines().any(|l| l.starts_with("Trong kỳ"))).take(n) {
        let line = section.lines().find(|l| l.starts_with("Trong kỳ")).unwrap();
        if line.starts_with("Trong kỳ chưa tổ chức") {
            out.push((0, 0));
            continue;
        }
        let figs = line.split("đã thực hiện ").nth(1).unwrap().split(' ').next().unwrap();
        let (d, p) = figs.split_once('/').unwrap();
        out.push((d.parse().unwrap(), p.parse().unwrap()));
    }
    assert_eq!(out.len(), n, "{md}");
    out
}

fn report(args: &[&str]) -> String {
    let mut all = vec!["report", "--half", "2023H1"];
    all.extend_from_slice(args);
    stdout_of(in_repo(), &all)
}

#[test]
fn every_figure_of_an_office_draft_is_a_count_of_its_rows() {
    let rows = rows();
    for (args, org, unit) in [
        (vec!["--org", "HND"], Some("HND"), None),
        (vec!["--unit", "bat-xat"], None, Some("bat-xat")),
        (vec!["--org", "HND", "--unit", "bat-xat"], Some("HND"), Some("bat-xat")),
        (vec![], None, None),
    ] {
        let md = report(&args);
        let want = expected(&rows, org, unit);
        assert!(want.iter().any(|(_, p)| *p > 0), "{args:?}: no rows to compare");
        assert_eq!(drafted(&md), want, "{args:?}");
    }
}

#[test]
fn an_office_draft_has_its_own_header_and_speaks_of_itself() {
    let hnd = report(&["--org", "HND"]);
    assert!(hnd.contains("HỘI NÔNG DÂN TỈNH LÀO CAI"), "{hnd}");
    assert!(hnd.contains("Số: .../BC-HND"), "{hnd}");
    assert!(hnd.contains("TM. BAN THƯỜNG VỤ"), "{hnd}");
    assert!(hnd.contains("Ban Thường vụ Hội Nông dân tỉnh Lào Cai báo cáo"), "{hnd}");
    // Only its own rows among the activities it names.
    assert!(!hnd.contains("Liên đoàn Lao động huyện"), "{hnd}");
    let bx = report(&["--unit", "bat-xat"]);
    assert!(bx.contains("ỦY BAN MTTQ VIỆT NAM | "), "{bx}");
    assert!(bx.contains("HUYỆN BÁT XÁT"), "{bx}");
    assert!(bx.contains("*Bát Xát, ngày"), "{bx}");
    assert!(bx.contains("\\[...\\]"), "a marked blank for the recipients: {bx}");
    // Its completeness appendix lists Bát Xát only.
    let appendix = bx.split("PHỤ LỤC II").nth(1).unwrap();
    assert!(
        appendix.contains("Huyện Bát Xát") && !appendix.contains("Huyện Văn Bàn"),
        "{appendix}"
    );
    let td = report(&["--org", "TD"]);
    assert!(td.contains("Số ...-BC/TĐTN"), "Party-style numbering: {td}");
}

#[test]
fn a_shared_target_shows_the_office_contribution() {
    let rows = rows();
    let done = |org: Option<&str>| {
        rows.iter()
            .filter(|r| {
                r.kind == "supervision"
                    && r.status == "done"
                    && r.date.as_str() <= "2023-06-30"
                    && org.is_none_or(|o| r.org == o)
            })
            .count()
    };
    let (mine, all) = (done(Some("HND")), done(None));
    let md = report(&["--org", "HND"]);
    let n = if mine < 10 {
        format!("{mine:02}")
    } else {
        mine.to_string()
    };
    let want = format!(
        "Hội Nông dân tỉnh Lào Cai đã thực hiện {n} cuộc, góp phần vào chỉ tiêu chung {all}/234 cuộc của Đề án"
    );
    assert!(md.contains(&want), "{want}\n{md}");
}

#[test]
fn a_unit_that_ceased_before_the_period_is_refused() {
    let out = in_repo()
        .args(["report", "--half", "2025H2", "--unit", "bat-xat"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("đã kết thúc hoạt động"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn status_scopes_its_per_kind_lines() {
    let rows = rows();
    let out = stdout_of(in_repo(), &["status", "--half", "2023H1", "--org", "HND"]);
    let (d, p) = expected(&rows, Some("HND"), None)[0];
    assert!(out.contains(&format!("Giám sát: {d}/{p} cuộc")), "{out}");
    let all = stdout_of(in_repo(), &["status", "--half", "2023H1"]);
    let (d, p) = expected(&rows, None, None)[0];
    assert!(all.contains(&format!("Giám sát: {d}/{p} cuộc")), "{all}");
}

fn all_offices(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    all_offices_with(in_repo(), dir)
}

fn all_offices_with(mut cmd: assert_cmd::Command, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = cmd
        .args(["report", "--half", "2023H1", "--all-offices", "-o"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one summary line: {err}");
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

#[test]
fn all_offices_writes_every_draft_deterministically() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (x, y) = (all_offices(a.path()), all_offices(b.path()));
    assert_eq!(x, y, "same inputs, same names and bytes");
    for name in [
        "tong-hop.md",
        "to-chuc/HND.md",
        "don-vi/bat-xat.md",
        "don-vi/bat-xat/HND.md",
    ] {
        assert!(x.contains_key(name), "{name}: {:?}", x.keys().collect::<Vec<_>>());
    }
    // Each is the draft a single run gives.
    assert_eq!(x["to-chuc/HND.md"], report(&["--org", "HND"]).into_bytes());
    assert_eq!(
        x["don-vi/bat-xat/HND.md"],
        report(&["--org", "HND", "--unit", "bat-xat"]).into_bytes()
    );
    assert_eq!(x["tong-hop.md"], report(&[]).into_bytes());
}

#[test]
fn the_offices_figures_add_up_to_the_consolidated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let files = all_offices(dir.path());
    let text = |k: &str| String::from_utf8(files[k].clone()).unwrap();
    let whole = drafted(&text("tong-hop.md"));
    let sum = |names: Vec<&String>| {
        let mut s = vec![(0u64, 0u64); whole.len()];
        for n in names {
            for (acc, (d, p)) in s.iter_mut().zip(drafted(&text(n))) {
                acc.0 += d;
                acc.1 += p;
            }
        }
        s
    };
    let orgs: Vec<&String> = files.keys().filter(|k| k.starts_with("to-chuc/")).collect();
    let units: Vec<&String> = files
        .keys()
        .filter(|k| k.starts_with("don-vi/") && k.matches('/').count() == 1)
        .collect();
    assert_eq!(orgs.len(), 6);
    assert_eq!(sum(orgs), whole, "organisations");
    assert_eq!(sum(units), whole, "units");
    // The consolidated table's total rows are the consolidated figures, and
    // its rows add up to them.
    let md = text("tong-hop.md");
    let table = md.split("PHỤ LỤC IV").nth(1).unwrap();
    for part in table.split("\n2\\. ").take(2) {
        let body: Vec<Vec<&str>> = part
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| TT"))
            .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        let (total, rows) = body.split_last().unwrap();
        assert_eq!(total[1], "Tổng cộng");
        for c in 2..total.len() {
            let (mut d, mut p) = (0u64, 0u64);
            for r in rows {
                let (a, b) = r[c].split_once('/').unwrap();
                d += a.parse::<u64>().unwrap();
                p += b.parse::<u64>().unwrap();
            }
            assert_eq!(format!("{d}/{p}"), total[c]);
        }
    }
}

#[test]
fn a_profile_names_codes_of_the_plan() {
    let good = common::base_plan().replace(
        "[orgs]",
        "[reporting.units.bat-xat.orgs.HND]\nbody = \"HỘI NÔNG DÂN HUYỆN BÁT XÁT\"\nplace = \"Bát Xát\"\n\n[orgs]",
    );
    let ws = common::TempWs::with_plan(&good);
    let out = ws.run(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bad = good.replace(
        "[reporting.units.bat-xat.orgs.HND]",
        "[reporting.units.bat-xat.orgs.HNX]",
    );
    let ws = common::TempWs::with_plan(&bad);
    let out = ws.run(&["check"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`HNX` is not an organisation code of the plan"), "{err}");
    let typo = good.replace("place = ", "plaec = ");
    let out = common::TempWs::with_plan(&typo).run(&["check"]);
    assert!(!out.status.success(), "an unknown key in a profile is refused");
}

/// A small deterministic generator (no dependency, same numbers everywhere).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn on_random_plans_the_offices_add_up_to_the_consolidated_figures() {
    for seed in 1..=4u64 {
        let mut g = Lcg(seed);
        let (orgs, units, kinds) = (2 + g.next(4), 2 + g.next(4), 1 + g.next(3));
        let mut plan = String::from(
            "format = 1\n\n[plan]\nid = \"R\"\ntitle = \"Kế hoạch ngẫu nhiên\"\nstart = 2021-01-01\nend = 2025-12-31\nlead = \"O0\"\nlogs = [\"logs/*.csv\"]\n\n[orgs]\n",
        );
        for o in 0..orgs {
            plan += &format!("O{o} = \"Tổ chức {o}\"\n");
        }
        plan += "\n[levels]\nprovince = \"Cấp tỉnh\"\ndistrict = \"Cấp huyện\"\n";
        for u in 0..units {
            let (name, level) = if u == 0 {
                ("Tỉnh A".to_owned(), "province")
            } else {
                (format!("Huyện B{u}"), "district")
            };
            plan += &format!("\n[units.u{u}]\nname = \"{name}\"\nlevel = \"{level}\"\n");
        }
        plan += "\n[kinds]\n";
        for k in 0..kinds {
            plan += &format!("k{k} = \"Loại {k}\"\n");
        }
        plan += "\n[[target]]\nid = \"t0\"\ntitle = \"Chung\"\nkind = \"k0\"\nper = \"term\"\nmin = 50\n";
        plan += "\n[[target]]\nid = \"t1\"\ntitle = \"Mỗi tổ chức ở mỗi đơn vị\"\nkind = \"k0\"\neach = [\"org\", \"unit\"]\nper = \"year\"\nmin = 1\n";
        let statuses = ["done", "done", "planned", "postponed", "cancelled"];
        let mut log = String::from(common::HEADER);
        log.push('\n');
        for i in 0..(20 + g.next(60)) {
            log += &format!(
                "2023-{:02}-{:02},O{},u{},k{},{},Hoạt động {i},,,,,,,\n",
                1 + g.next(6),
                1 + g.next(28),
                g.next(orgs),
                g.next(units),
                g.next(kinds),
                statuses[g.next(5) as usize]
            );
        }
        let ws = common::TempWs::with_plan(&plan);
        ws.write("logs/a.csv", log.as_bytes());
        let out = tempfile::tempdir().unwrap();
        let mut cmd = assert_cmd::Command::cargo_bin("plan").unwrap();
        cmd.env_remove("GITHUB_STEP_SUMMARY")
            .arg("-C")
            .arg(ws.path())
            .args(["--color", "never", "--lang", "vi"]);
        let files = all_offices_with(cmd, out.path());
        let text = |k: &str| String::from_utf8(files[k].clone()).unwrap();
        let n = kinds as usize;
        let whole = drafted_n(&text("tong-hop.md"), n);
        assert!(whole.iter().any(|(_, p)| *p > 0), "seed {seed}");
        let sum = |prefix: &str, depth: usize| {
            let mut s = vec![(0u64, 0u64); n];
            for (name, _) in files
                .iter()
                .filter(|(k, _)| k.starts_with(prefix) && k.matches('/').count() == depth)
            {
                for (acc, (d, p)) in s.iter_mut().zip(drafted_n(&text(name), n)) {
                    acc.0 += d;
                    acc.1 += p;
                }
            }
            s
        };
        assert_eq!(sum("to-chuc/", 1), whole, "seed {seed}: organisations");
        assert_eq!(sum("don-vi/", 1), whole, "seed {seed}: units");
        assert_eq!(sum("don-vi/", 2), whole, "seed {seed}: organisations in units");
    }
}
