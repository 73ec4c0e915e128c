//! The fuzz targets run inside `cargo test` for a bounded time (see
//! docs/fuzzing.md): a proptest harness over the same three entry points as
//! the cargo-fuzz targets in `fuzz/` (plan parsing, log parsing, period
//! parsing), whose bodies it shares (`fuzz/src/lib.rs`).
//!
//! - `PLAN_FUZZ_CASES` sets the number of generated inputs per target
//!   (default 200: a few seconds in all);
//! - `PLAN_FUZZ_SEED` sets the random seed (a number; the default is fixed so
//!   that a run is reproducible; `random` picks a new one, named in a failure's message);
//! - `PLAN_FUZZ_CASE_TIMEOUT` is how many seconds one input may run before
//!   it counts as a hang (default 60).
//!
//! Inputs are mutated seeds (`fuzz/seeds/<target>/`, edited with the tokens of
//! `fuzz/dict/<target>.dict` and random bytes), random bytes, and for logs
//! rows built from the shipped plan's own codes. A failing input is shrunk,
//! saved under the test's target temp dir and named in the failure message:
//! add it to `tests/fixtures/fuzz-regressions/<target>/`. Every file there
//! and in `fuzz/seeds/` is replayed by `replay_seeds_and_regressions`.

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DEFAULT_CASES: u32 = 200;
const DEFAULT_SEED: u64 = 0x706c_616e_2d66_757a; // "plan-fuz"

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("plan_toml", harness::plan_toml),
    ("log_csv", harness::log_csv),
    ("period", harness::period),
];

fn cases() -> u32 {
    std::env::var("PLAN_FUZZ_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn seed() -> u64 {
    match std::env::var("PLAN_FUZZ_SEED") {
        Ok(s) if s.trim() == "random" => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(DEFAULT_SEED, |d| d.as_nanos() as u64),
        Ok(s) => s.trim().parse().expect("PLAN_FUZZ_SEED must be a number or `random`"),
        Err(_) => DEFAULT_SEED,
    }
}

/// Runs `target` on `cases()` inputs from `strategy`; on a failure, saves the
/// shrunk input and fails with its path.
fn fuzz(name: &str, target: Target, strategy: impl Strategy<Value = Vec<u8>>) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let seed = seed();
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed ^ i as u64).to_le_bytes());
    }
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let current: Arc<Mutex<(Instant, Vec<u8>)>> = Arc::new(Mutex::new((Instant::now(), Vec::new())));
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = spawn_watchdog(name, Arc::clone(&current), Arc::clone(&done));
    let result = runner.run(&strategy, |input| {
        *current.lock().unwrap_or_else(PoisonError::into_inner) = (Instant::now(), input.clone());
        target(&input);
        Ok(())
    });
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, input)) => {
            let path = save_failure(name, "crash", &input);
            panic!(
                "{name} (PLAN_FUZZ_SEED={seed}): {reason}\ninput ({} bytes) saved to {}: {:?}\n\
                 copy it to tests/fixtures/fuzz-regressions/{name}/ once fixed",
                input.len(),
                path.display(),
                String::from_utf8_lossy(&input)
            );
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

fn save_failure(name: &str, kind: &str, input: &[u8]) -> PathBuf {
    let mut h = DefaultHasher::new();
    input.hash(&mut h);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{kind}-{:016x}", h.finish()));
    std::fs::write(&path, input).unwrap();
    path
}

/// A hang would stall the test run (and CI) forever: when one input runs
/// longer than `PLAN_FUZZ_CASE_TIMEOUT` seconds (default 60), it is saved and
/// the whole test binary exits with a failure.
fn spawn_watchdog(name: &str, current: Arc<Mutex<(Instant, Vec<u8>)>>, done: Arc<AtomicBool>) -> JoinHandle<()> {
    let limit = Duration::from_secs(
        std::env::var("PLAN_FUZZ_CASE_TIMEOUT")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(60),
    );
    let name = name.to_owned();
    std::thread::spawn(move || {
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            let (started, input) = current.lock().unwrap_or_else(PoisonError::into_inner).clone();
            if started.elapsed() > limit && !done.load(Ordering::Relaxed) {
                let path = save_failure(&name, "timeout", &input);
                // Straight to stderr: the test harness's capture would be lost on exit.
                let _ = writeln!(
                    std::io::stderr(),
                    "{name}: one input has run for more than {limit:?} (a hang?)\ninput ({} bytes) saved to {}: {:?}\n\
                     copy it to tests/fixtures/fuzz-regressions/{name}/ once fixed",
                    input.len(),
                    path.display(),
                    String::from_utf8_lossy(&input)
                );
                std::process::exit(101);
            }
        }
    })
}

/// Every regular file under `dir`, sorted, except dotfiles (`.gitkeep`).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn seeds(name: &str) -> Vec<Vec<u8>> {
    let files = files_under(&Path::new(ROOT).join("fuzz/seeds").join(name));
    assert!(!files.is_empty(), "no seeds for {name}");
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// The tokens of a libFuzzer dictionary (`"..."` lines with `\xNN`, `\\`
/// and `\"` escapes).
fn dictionary(name: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("fuzz/dict").join(format!("{name}.dict"))).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(body) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
            continue;
        };
        let b = body.as_bytes();
        let mut tok = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap();
                    tok.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 4;
                }
                (b'\\', Some(&c)) => {
                    tok.push(c);
                    i += 2;
                }
                (c, _) => {
                    tok.push(c);
                    i += 1;
                }
            }
        }
        out.push(tok);
    }
    assert!(!out.is_empty(), "empty dictionary {name}");
    out
}

/// One edit of a byte string; positions are taken modulo its length.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Replace(usize, Vec<u8>),
    Delete(usize, usize),
    /// Copies the line at the first position to before the line at the second.
    CopyLine(usize, usize),
    Truncate(usize),
}

fn apply(mut v: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |p: usize, v: &Vec<u8>| if v.is_empty() { 0 } else { p % (v.len() + 1) };
        match e {
            Edit::Insert(p, t) => {
                let p = at(*p, &v);
                v.splice(p..p, t.iter().copied());
            }
            Edit::Replace(p, t) => {
                let p = at(*p, &v);
                let end = (p + t.len()).min(v.len());
                v.splice(p..end, t.iter().copied());
            }
            Edit::Delete(p, n) => {
                let p = at(*p, &v);
                let end = (p + n).min(v.len());
                v.drain(p..end);
            }
            Edit::CopyLine(from, to) => {
                let lines: Vec<Vec<u8>> = v.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                if !lines.is_empty() {
                    let line = lines[from % lines.len()].clone();
                    let to = to % lines.len();
                    let mut out: Vec<u8> = lines[..to].concat();
                    out.extend_from_slice(&line);
                    out.extend(lines[to..].concat());
                    v = out;
                }
            }
            Edit::Truncate(p) => {
                let p = at(*p, &v);
                v.truncate(p);
            }
        }
    }
    v
}

/// A token: from the dictionary, random bytes, or random printable text.
fn token(dict: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => select(dict),
        1 => vec(any::<u8>(), 1..8),
        1 => "\\PC{1,6}".prop_map(String::into_bytes),
    ]
}

fn edit(dict: Vec<Vec<u8>>) -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), token(dict.clone())).prop_map(|(p, t)| Edit::Insert(p, t)),
        3 => (any::<usize>(), token(dict)).prop_map(|(p, t)| Edit::Replace(p, t)),
        2 => (any::<usize>(), 1..64usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::CopyLine(a, b)),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Mostly seeds with a few edits, sometimes plain random bytes.
fn mutated(name: &str) -> impl Strategy<Value = Vec<u8>> + use<> {
    let dict = dictionary(name);
    prop_oneof![
        8 => (select(seeds(name)), vec(edit(dict), 0..8)).prop_map(|(s, es)| apply(s, &es)),
        1 => vec(any::<u8>(), 0..512),
    ]
}

/// A log built from the shipped plan's codes: a header (some columns
/// missing, repeated or misspelt) and rows of mostly valid cells.
fn plan_shaped_log() -> impl Strategy<Value = Vec<u8>> {
    let plan = harness::shipped_plan();
    let codes = |v: Vec<String>| {
        let mut v = v;
        v.extend(["", "x", "MTTQ ", "mttq", "Đ"].map(String::from));
        select(v)
    };
    let orgs = codes(plan.orgs.iter().map(|o| o.code.clone()).collect());
    let units = codes(plan.units.iter().map(|o| o.code.clone()).collect());
    let kinds = codes(plan.kinds.iter().map(|o| o.code.clone()).collect());
    let fields = codes(plan.fields.iter().map(|o| o.code.clone()).collect());
    let status = select(
        ["done", "planned", "postponed", "cancelled", "Done", "", "xong"]
            .map(String::from)
            .to_vec(),
    );
    let date = prop_oneof![
        (2019..2028i32, 1..=12u32, 1..=31u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (1..=31u32, 1..=12u32, 2019..2028i32).prop_map(|(d, m, y)| format!("{d}/{m}/{y}")),
        "\\PC{0,12}",
    ];
    let number = prop_oneof![
        (0..100_000u64).prop_map(|n| n.to_string()),
        Just(String::new()),
        Just("18446744073709551616".to_owned()),
        Just("-1".to_owned()),
        Just("1.000".to_owned()),
        "[0-9 .,\\-]{1,8}",
    ];
    let text = prop_oneof![
        "\\PC{0,20}",
        Just("\"quoted, \"\"text\"\"\"".to_owned()),
        Just("=HYPERLINK(\"x\")".to_owned())
    ];
    let row = (
        (date, orgs, units, kinds, status, text.clone(), fields),
        (
            "[A-Z0-9/\\-]{0,10}",
            number.clone(),
            number.clone(),
            number.clone(),
            number,
            text,
        ),
    )
        .prop_map(|((d, o, u, k, s, t, f), (r, p, c, rec, res, n))| {
            let quote = |x: String| {
                if x.contains([',', '"', '\n', '\r']) && !x.starts_with('"') {
                    format!("\"{}\"", x.replace('"', "\"\""))
                } else {
                    x
                }
            };
            [d, o, u, k, s, t, f, r, p, c, rec, res, n].map(quote).join(",")
        });
    const HEADER: [&str; 13] = plan::columns::COLUMNS;
    let header = prop_oneof![
        6 => Just(HEADER.join(",")),
        1 => Just(HEADER[..5].join(",")),
        1 => Just(format!("{},date", HEADER.join(","))),
        1 => Just(HEADER.join(",").replace("status", "stat")),
        1 => Just(HEADER.join(";")),
    ];
    let eol = select(vec!["\n", "\r\n", "\n\n"]);
    (header, vec(row, 0..12), eol, any::<bool>(), any::<bool>()).prop_map(|(h, rows, eol, bom, last_eol)| {
        let mut s = if bom { "\u{feff}".to_owned() } else { String::new() };
        s.push_str(&h);
        for r in rows {
            s.push_str(eol);
            s.push_str(&r);
        }
        if last_eol {
            s.push_str(eol);
        }
        s.into_bytes()
    })
}

/// A period option as a person might type it, then a NUL and the bytes that
/// choose dates, a term and a filter.
fn period_input() -> impl Strategy<Value = Vec<u8>> {
    let text = prop_oneof![
        "[0-9+\\- ]{0,5}[HhSsḤ ]?[0-9]{0,2}",
        "[ ]?(this|last|THIS|Last|lastt|thi)[ ]?",
        "[0-9]{1,5}[/.\\-][0-9]{1,3}[/.\\-][0-9]{1,5}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "\\PC{0,10}",
    ];
    (text, vec(any::<u8>(), 0..48)).prop_map(|(t, tail)| {
        let mut v = t.into_bytes();
        v.push(0);
        v.extend(tail);
        v
    })
}

#[test]
fn plan_toml_never_panics() {
    fuzz("plan_toml", harness::plan_toml, mutated("plan_toml"));
}

#[test]
fn log_csv_never_panics() {
    let strategy = prop_oneof![
        2 => mutated("log_csv"),
        1 => plan_shaped_log(),
        1 => (plan_shaped_log(), vec(edit(dictionary("log_csv")), 1..6)).prop_map(|(s, es)| apply(s, &es)),
    ];
    fuzz("log_csv", harness::log_csv, strategy);
}

#[test]
fn period_never_panics() {
    let strategy = prop_oneof![
        3 => period_input(),
        1 => mutated("period"),
    ];
    fuzz("period", harness::period, strategy);
}

/// Every seed and every crashing input ever found runs without a panic.
#[test]
fn replay_seeds_and_regressions() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, target) in TARGETS {
        for dir in ["fuzz/seeds", "tests/fixtures/fuzz-regressions"] {
            for file in files_under(&Path::new(ROOT).join(dir).join(name)) {
                let data = std::fs::read(&file).unwrap();
                count += 1;
                if std::panic::catch_unwind(|| target(&data)).is_err() {
                    failures.push(file.display().to_string());
                }
            }
        }
    }
    assert!(failures.is_empty(), "these inputs panic:\n{}", failures.join("\n"));
    assert!(count > 0);
}

/// The committed seed corpus stays small (the working corpus is git-ignored).
#[test]
fn seed_corpus_is_small() {
    let total: u64 = files_under(&Path::new(ROOT).join("fuzz/seeds"))
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(total < 200 * 1024, "fuzz/seeds holds {total} bytes");
}
