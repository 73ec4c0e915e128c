//! Proving a log canonical while the check reads it, for `plan fmt`: each
//! record that is one simple line is tested as it stands
//! ([`crate::canonical::LineForm`]) and against the one before it, so that
//! a canonical log needs no second reading. Only a proof of "canonical" is
//! ever drawn from this: a record read any other way (quoted across lines,
//! not simple), a gap between records (a blank line), a reading that
//! stopped, or anything else unexpected ends the proof, and `fmt` then
//! reads the log again as before.

use crate::canonical::{Hint, LineForm, Run};

/// What reading a piece (or a whole file) proved.
#[derive(Debug, Default)]
pub(super) struct Proof {
    /// Every record from `begin` to `end` is a canonical line, they follow
    /// one another with nothing between, and they are in order.
    pub ok: bool,
    /// File offsets: where the first record had to begin, and where the
    /// bytes after the last one begin.
    pub begin: u64,
    pub end: u64,
    /// The first and last records, with their line breaks.
    pub run: Run,
}

impl Proof {
    /// This proof followed by the one of the next piece of the file.
    pub fn then(self, next: Proof) -> Proof {
        let joined = self.end == next.begin;
        let (ok, run) = match self.run.then(next.run) {
            Some(run) => (self.ok && next.ok && joined, run),
            None => (false, Run::default()),
        };
        Proof {
            ok,
            begin: self.begin,
            end: next.end,
            run,
        }
    }
}

/// Follows the records of a piece.
pub(super) struct Prover {
    form: LineForm,
    width: usize,
    proof: Proof,
}

impl Prover {
    /// For records that begin at file offset `begin`, of `width` cells.
    pub fn new(begin: u64, width: usize) -> Prover {
        Prover {
            form: LineForm::new(),
            width,
            proof: Proof {
                ok: true,
                begin,
                end: begin,
                run: Run::default(),
            },
        }
    }

    /// Whether the proof still holds.
    pub fn holds(&self) -> bool {
        self.proof.ok
    }

    /// A record that is one line: `record` with its line break, at file
    /// offset `at`, cut into `spans` (inside the quotes); `hint` describes
    /// the bytes from its start.
    pub fn line(&mut self, record: &[u8], at: u64, spans: &[(usize, usize)], hint: Hint<'_>) {
        if !self.proof.ok {
            return;
        }
        let line = record.strip_suffix(b"\n").unwrap_or(record);
        self.proof.ok = at == self.proof.end
            && spans.len() == self.width
            && self.form.plain_line(line, spans, hint)
            && self.proof.run.keep(record);
        self.proof.end = at + record.len() as u64;
    }

    /// A record read some other way: not proved.
    pub fn fail(&mut self) {
        self.proof.ok = false;
    }

    pub fn finish(self) -> Proof {
        self.proof
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use crate::canonical::{Run, log_csv};
    use crate::columns::COLUMNS;
    use crate::lang::Lang;
    use crate::logs::{Discard, LogFile, Source, scan_proving};

    /// Whether the check, reading `bytes` on `threads` threads, proves them
    /// canonical as `plan fmt` asks it to.
    fn proved(bytes: &[u8], threads: usize) -> bool {
        let (plan, _) = crate::planfile::load("p.toml", include_str!("../../plans/15-DA-TU.toml"), Lang::En);
        let plan = plan.unwrap();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        let files = [LogFile {
            name: "logs/a.csv".to_owned(),
            source: Source::Path(f.path().to_path_buf()),
        }];
        let today = chrono::NaiveDate::MAX;
        let (_, proven) = scan_proving(&plan, &files, today, Lang::En, threads, &mut Discard);
        assert_eq!(proven.len(), 1);
        proven[0].is_some_and(|p| p.holds(f.as_file(), bytes.len() as u64).unwrap())
    }

    /// A log as a spreadsheet or a person may write it.
    fn written(rows: &[Vec<String>], crlf: bool) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(Vec::new());
        w.write_record(COLUMNS).unwrap();
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    /// What is done to a canonical text before it is read.
    #[derive(Debug, Clone)]
    enum Change {
        None,
        /// An empty line inserted after this line (of those there are).
        Blank(usize),
        /// Two lines swapped.
        Swap(usize, usize),
        /// The last line break taken away.
        NoFinalBreak,
        /// A space put after the comma at this share of the text's length.
        Space(f64),
        /// A BOM before the header.
        Bom,
    }

    fn change(canon: &str, change: &Change) -> Vec<u8> {
        let at = |share: f64| {
            let i = (canon.len() as f64 * share) as usize;
            (i..canon.len())
                .find(|&i| canon.is_char_boundary(i))
                .unwrap_or(canon.len())
        };
        match *change {
            Change::None => canon.as_bytes().to_vec(),
            Change::Blank(after) => {
                let mut lines: Vec<&str> = canon.split_inclusive('\n').collect();
                lines.insert(1 + after % lines.len(), "\n");
                lines.concat().into_bytes()
            }
            Change::Swap(a, b) => {
                let mut lines: Vec<&str> = canon.split_inclusive('\n').collect();
                let n = lines.len();
                if n > 2 {
                    lines.swap(1 + a % (n - 1), 1 + b % (n - 1));
                }
                lines.concat().into_bytes()
            }
            Change::NoFinalBreak => canon.strip_suffix('\n').unwrap_or(canon).as_bytes().to_vec(),
            Change::Space(share) => {
                let i = canon[at(share)..].find(',').map_or(canon.len(), |c| at(share) + c + 1);
                format!("{} {}", &canon[..i], &canon[i..]).into_bytes()
            }
            Change::Bom => format!("\u{feff}{canon}").into_bytes(),
        }
    }

    fn changes() -> impl Strategy<Value = Change> {
        prop_oneof![
            3 => Just(Change::None),
            1 => (0usize..50).prop_map(Change::Blank),
            1 => (0usize..50, 0usize..50).prop_map(|(a, b)| Change::Swap(a, b)),
            1 => Just(Change::NoFinalBreak),
            1 => (0.0..1.0).prop_map(Change::Space),
            1 => Just(Change::Bom),
        ]
    }

    /// A canonical log of `n` rows all of the same length, in order, so that
    /// the pieces are cut at the same rows whatever their order.
    fn even_rows(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                format!(
                    "2023-{:02}-{:02},HND,tinh,dialogue,done,Hội nghị {i:03},F1,R{i:03},10,1000,0,0,\n",
                    i / 28 + 1,
                    i % 28 + 1
                )
            })
            .collect()
    }

    const HEADER: &str = "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note\n";

    #[test]
    fn a_canonical_log_is_proved_whole_and_in_pieces() {
        let text = format!("{HEADER}{}", even_rows(60).concat());
        assert_eq!(log_csv(text.as_bytes()).unwrap(), text);
        for threads in 1..=4 {
            assert!(proved(text.as_bytes(), threads), "{threads}");
        }
        assert!(proved(HEADER.as_bytes(), 2));
    }

    #[test]
    fn an_empty_line_anywhere_is_not_proved() {
        let rows = even_rows(60);
        for at in 0..=rows.len() {
            let mut lines = rows.clone();
            lines.insert(at, "\n".to_owned());
            let text = format!("{HEADER}{}", lines.concat());
            for threads in 1..=3 {
                assert!(!proved(text.as_bytes(), threads), "{at} {threads}");
            }
        }
    }

    #[test]
    fn pieces_out_of_order_are_not_proved() {
        // Each rotation leaves every piece in order at the rows where the
        // log is cut: only the pieces' own order tells.
        let rows = even_rows(60);
        for k in 1..rows.len() {
            let text = format!("{HEADER}{}{}", rows[k..].concat(), rows[..k].concat());
            for threads in 1..=4 {
                assert!(!proved(text.as_bytes(), threads), "{k} {threads}");
            }
        }
    }

    #[test]
    fn an_empty_line_where_the_log_is_cut_is_not_proved() {
        // On two threads the log is cut after the first line break from
        // half its size on: lengthen a note until the empty line is there.
        let mut hits = 0;
        for pad in 0..120 {
            let mut rows = even_rows(30);
            rows[0] = rows[0].replace(",0,0,\n", &format!(",0,0,{}\n", "x".repeat(pad)));
            for at in 1..rows.len() {
                let before = HEADER.len() + rows[..at].concat().len();
                let size = HEADER.len() + rows.concat().len() + 1;
                if size / 2 != before {
                    continue;
                }
                hits += 1;
                let mut lines = rows.clone();
                lines.insert(at, "\n".to_owned());
                let text = format!("{HEADER}{}", lines.concat());
                assert!(!proved(text.as_bytes(), 2), "{pad} {at}");
            }
        }
        assert!(hits > 0);
    }

    #[test]
    fn proofs_join_where_one_ends_and_the_next_begins() {
        let run = |first: &str, last: &str| Run {
            first: Some(first.as_bytes().to_vec()),
            last: Some(last.as_bytes().to_vec()),
        };
        let proof = |begin, end, run| super::Proof {
            ok: true,
            begin,
            end,
            run,
        };
        let joined = proof(0, 10, run("a\n", "b\n")).then(proof(10, 20, run("b\n", "c\n")));
        assert!(joined.ok);
        assert_eq!((joined.begin, joined.end), (0, 20));
        assert_eq!(joined.run.first.as_deref(), Some(&b"a\n"[..]));
        assert_eq!(joined.run.last.as_deref(), Some(&b"c\n"[..]));
        // A gap between them, or the next beginning before this one ends.
        assert!(
            !proof(0, 10, run("a\n", "b\n"))
                .then(proof(11, 20, run("b\n", "c\n")))
                .ok
        );
        assert!(
            !proof(0, 10, run("a\n", "c\n"))
                .then(proof(10, 20, run("b\n", "d\n")))
                .ok
        );
        // An empty piece between two others passes their records on.
        let empty = proof(10, 10, Run::default());
        assert!(
            !proof(0, 10, run("a\n", "c\n"))
                .then(empty)
                .then(proof(10, 20, run("b\n", "d\n")))
                .ok
        );
        let mut broken = proof(10, 20, run("b\n", "c\n"));
        broken.ok = false;
        assert!(!proof(0, 10, run("a\n", "b\n")).then(broken).ok);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The check proves a log canonical only when it is its own
        /// canonical form (a BOM is kept), whether read whole or cut into pieces (in the
        /// unit tests a log is cut from a few hundred bytes on); and it
        /// proves the canonical form of a log whose cells hold no quote
        /// and no line break.
        #[test]
        fn proved_only_when_canonical(
            rows in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    4 => "[ab]{0,2}",
                    2 => "2023-0[1-2]-0[1-3]",
                    1 => "[ ,a-zĐđộ\u{0301}\u{0323}\u{a0}]{0,5}",
                    1 => "[ ,\"\r\na-z]{0,4}",
                ], COLUMNS.len()),
                0..60,
            ),
            canonicalise in any::<bool>(),
            crlf in any::<bool>(),
            change_it in changes(),
            threads in 1usize..4,
        ) {
            let input = written(&rows, crlf);
            let Ok(canon) = log_csv(&input) else { return Ok(()) };
            let read = if canonicalise { change(&canon, &change_it) } else { input };
            let is_proved = proved(&read, threads);
            let own_form = log_csv(&read).is_ok_and(|c| c.as_bytes() == read.as_slice());
            prop_assert!(!is_proved || own_form, "{:?}", String::from_utf8_lossy(&read));
            let plain = rows.iter().flatten().all(|c| !c.contains(['"', '\n', '\r']));
            if canonicalise && plain && matches!(change_it, Change::None) {
                prop_assert!(is_proved, "{:?} on {} threads", canon, threads);
            }
        }
    }
}
