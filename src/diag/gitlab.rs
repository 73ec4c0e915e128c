//! `plan check --format gitlab`: a GitLab code-quality report (the Code
//! Climate JSON subset GitLab reads), one issue per diagnostic, its path
//! relative to the git repository.
//!
//! GitLab shows one issue per fingerprint, so fingerprints must be unique
//! within a report and stable across runs and languages: each is a hash of
//! the file, line, column, code and the cell's own text (never the
//! translated message), plus how many identical ones came before it.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Diagnostic, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// FNV-1a, 64 bits, from `seed`.
fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(seed, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// 128 bits of hash of `parts` (separated so that `a|bc` ≠ `ab|c`), as hex.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut bytes = Vec::new();
    for p in parts {
        bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
        bytes.extend_from_slice(p.as_bytes());
    }
    let a = fnv(0xcbf2_9ce4_8422_2325, &bytes);
    let b = fnv(0x6c62_272e_07bb_0142, &bytes);
    format!("{a:016x}{b:016x}")
}

/// Writes the report; `prefix` is the workspace's path in the repository.
pub fn render(diags: &[Diagnostic], prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let issues: Vec<Issue> = diags
        .iter()
        .map(|d| {
            let path = format!("{prefix}{}", d.file);
            let key = fingerprint(&[
                &path,
                &d.line.to_string(),
                &d.column.to_string(),
                d.code,
                &d.cell().unwrap_or_default(),
                if d.suppressed > 0 { "suppressed" } else { "" },
            ]);
            let n = seen.entry(key.clone()).or_default();
            let fingerprint = if *n == 0 {
                key
            } else {
                fingerprint(&[&key, &n.to_string()])
            };
            *n += 1;
            Issue {
                description: format!("[{}] {}", d.code, d.message),
                check_name: d.code,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path,
                    lines: Lines { begin: d.line.max(1) },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn prints(diags: &[Diagnostic]) -> serde_json::Value {
        let mut out = Vec::new();
        render(diags, "programme/", &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn fingerprints_are_unique_and_ignore_the_language() {
        let at = |msg: &str, src: &str| {
            Diagnostic::error("logs/a.csv", "unknown-org", msg)
                .at(2, 12, Some(src.to_owned()))
                .width(3)
        };
        // Same place and code: different cells, then identical ones.
        let vi = [
            at("tổ chức", "x,MTQ"),
            at("tổ chức", "x,HNX"),
            at("a", "x,MTQ"),
            at("b", "x,MTQ"),
        ];
        let en = [
            at("org", "x,MTQ"),
            at("org", "x,HNX"),
            at("c", "x,MTQ"),
            at("d", "x,MTQ"),
        ];
        let (a, b) = (prints(&vi), prints(&en));
        let prints: Vec<&str> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        let mut unique = prints.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 4, "{prints:?}");
        for i in 0..4 {
            assert_eq!(a[i]["fingerprint"], b[i]["fingerprint"], "language-independent");
        }
        assert_eq!(a[0]["location"]["path"], "programme/logs/a.csv");
        assert_eq!(a[0]["location"]["lines"]["begin"], 2);
        assert_eq!(a[0]["severity"], "major");
    }
}
