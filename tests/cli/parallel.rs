//! Reading logs on several threads gives exactly what one thread gives:
//! the same diagnostics (places, messages, source lines) and the same
//! figures, on a large generated log with defects sprinkled through it, and
//! on one whose split point falls inside a quoted cell that spans many lines.

use std::path::Path;

use chrono::NaiveDate;
use plan::engine::Engine;
use plan::lang::Lang;
use plan::logs::{LogFile, Source, scan, scan_sequential};
use plan::model::Plan;

fn shipped_plan() -> Plan {
    let text = crate::common::shipped_plan();
    let (plan, diags) = plan::planfile::load("plans/15-DA-TU.toml", &text, Lang::En);
    assert!(diags.iter().all(|d| !d.is_error()));
    plan.unwrap()
}

/// The example rows, repeated with fresh `ref`s until the log is large
/// enough to be split, with a defect every few thousand rows.
fn big_log(defects: bool) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/15-DA-TU/logs");
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    let mut header = None;
    for year in 2021..=2025 {
        for entry in std::fs::read_dir(root.join(year.to_string())).unwrap() {
            let mut r = csv::Reader::from_path(entry.unwrap().path()).unwrap();
            header.get_or_insert_with(|| r.headers().unwrap().clone());
            rows.extend(r.records().map(Result::unwrap));
        }
    }
    rows.sort_by(|a, b| a.iter().cmp(b.iter()));
    let header = header.unwrap();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (date, org, reference, cost, note) = (col("date"), col("org"), col("ref"), col("cost"), col("note"));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let mut n = 0usize;
    for copy in 0..110 {
        for row in &rows {
            n += 1;
            let mut cells: Vec<String> = row.iter().map(str::to_owned).collect();
            if !cells[reference].is_empty() {
                cells[reference] = format!("{}-{copy}", cells[reference]);
            }
            if defects {
                match n % 4999 {
                    1 => cells[date] = "15/03/2023".to_owned(),
                    2 => cells[org] = "HNX".to_owned(),
                    3 => cells[cost] = "1.000.000".to_owned(),
                    4 => cells[reference] = "KH-01/MTTQ-2021-0".to_owned(),
                    5 => cells[note] = "ghi chú\nhai dòng, \"trích dẫn\"".to_owned(),
                    _ => {}
                }
            }
            w.write_record(&cells).unwrap();
        }
    }
    w.into_inner().unwrap()
}

fn run(plan: &Plan, files: &[LogFile], threads: usize) -> (Vec<plan::diag::Diagnostic>, plan::engine::Evaluation) {
    let as_of = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut engine = Engine::new(plan, as_of, &[plan.term]);
    let mut diags = if threads == 0 {
        scan_sequential(plan, files, today, Lang::En, &mut engine)
    } else {
        scan(plan, files, today, Lang::En, threads, &mut engine)
    };
    plan::diag::sort(&mut diags);
    (diags, engine.finish())
}

fn files(bytes: Vec<u8>) -> Vec<LogFile> {
    vec![
        LogFile {
            name: "logs/small.csv".to_owned(),
            source: Source::Bytes(b"date,org,unit,kind,status,title\n2023-01-05,HND,tinh,dialogue,done,x\n".to_vec()),
        },
        LogFile {
            name: "logs/big.csv".to_owned(),
            source: Source::Bytes(bytes),
        },
    ]
}

#[test]
fn parallel_equals_sequential_with_defects() {
    let plan = shipped_plan();
    let bytes = big_log(true);
    assert!(bytes.len() > 8 << 20, "large enough to be split: {} bytes", bytes.len());
    let files = files(bytes);
    let (d1, e1) = run(&plan, &files, 0);
    let codes: std::collections::BTreeSet<&str> = d1.iter().map(|d| d.code).collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["bad-date", "bad-number", "duplicate-ref", "unknown-org"],
        "every sprinkled defect is found"
    );
    assert!(d1.len() > 40, "{}", d1.len());
    for threads in [2, 3, 4] {
        let (d, e) = run(&plan, &files, threads);
        assert_eq!(d, d1, "{threads} threads: diagnostics");
        assert_eq!(e, e1, "{threads} threads: figures");
    }
}

#[test]
fn parallel_equals_sequential_on_a_clean_log() {
    let plan = shipped_plan();
    let files = files(big_log(false));
    let (d1, e1) = run(&plan, &files, 0);
    assert!(d1.iter().all(|d| !d.is_error()), "{:?}", d1.first());
    let (d2, e2) = run(&plan, &files, 2);
    assert_eq!((d2, e2), (d1, e1.clone()));
    assert!(e1.results.iter().any(|r| r.actual.is_some()));
}

#[test]
fn a_split_point_inside_a_quoted_cell_falls_back_to_one_piece() {
    let plan = shipped_plan();
    let mut bytes = big_log(false);
    // A note of many short lines around the middle of the file: the split
    // point of two threads lands inside it.
    let mid = bytes.len() / 2;
    let at = mid - 200_000 + bytes[mid - 200_000..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let long_note: String = (0..40_000).map(|i| format!("dòng {i}\n")).collect();
    let row = format!("2023-05-05,HND,tinh,dialogue,done,Đối thoại,,,,,,,\"{long_note}\"\r\n");
    bytes.splice(at..at, row.into_bytes());
    let files = files(bytes);
    let (d1, e1) = run(&plan, &files, 0);
    let (d2, e2) = run(&plan, &files, 2);
    assert_eq!(d2, d1);
    assert_eq!(e2, e1);
}

/// The big log cut into many small files (as a workspace with one log per
/// organisation, unit and year has), so that threads read whole files and
/// gather their rows and `ref`s across files.
fn many_files(bytes: &[u8], rows_per_file: usize) -> Vec<LogFile> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut all = records.records().map(Result::unwrap);
    let header = all.next().unwrap();
    let rows: Vec<csv::StringRecord> = all.collect();
    rows.chunks(rows_per_file)
        .enumerate()
        .map(|(i, chunk)| {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&header).unwrap();
            for r in chunk {
                w.write_record(r).unwrap();
            }
            LogFile {
                name: format!("logs/part-{i:04}.csv"),
                source: Source::Bytes(w.into_inner().unwrap()),
            }
        })
        .collect()
}

#[test]
fn parallel_equals_sequential_on_many_small_files() {
    let plan = shipped_plan();
    let files = many_files(&big_log(true), 300);
    assert!(files.len() > 200, "{} files", files.len());
    let (d1, e1) = run(&plan, &files, 0);
    let dups: Vec<_> = d1.iter().filter(|d| d.code == "duplicate-ref").collect();
    assert!(
        dups.iter().any(|d| d.message.contains("logs/part-0000.csv")),
        "a duplicate across files names the first file: {:?}",
        dups.first()
    );
    for threads in [2, 3] {
        let (d, e) = run(&plan, &files, threads);
        assert_eq!(d, d1, "{threads} threads: diagnostics");
        assert_eq!(e, e1, "{threads} threads: figures");
    }
}
