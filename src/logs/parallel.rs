//! Reading logs on several threads: large files are split into pieces at
//! line breaks, the pieces and whole files are read largest first, and what
//! each piece found is put back together in file order, so that the result
//! is the one reading in one thread gives. A split point that turns out to
//! lie inside a quoted cell is detected (see [`SENTINEL`]) and that file is
//! read again in one piece.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::checker::Checker;
use super::found::{FileOut, LastRecord};
use super::header::{LogHeader, read_header};
use super::piece::{Piece, PieceOut, SENTINEL, read_piece};
use super::records::{Record, Records};
use super::refs;
use super::{LogFile, ParallelSink, RowSink, Source};

/// Files at least this large are split for parallel reading.
/// (In the unit tests a few hundred bytes, so that their logs are cut.)
const SPLIT_MIN_BYTES: u64 = if cfg!(test) { 256 } else { 4 << 20 };

/// What a thread read from a piece, and its fork of the sink (`None`: the
/// rows went into the thread's shared fork).
type PieceResult<S> = (PieceOut, Option<S>);

/// What a thread read from whole files when the sink is order-free: one
/// fork and one run of `ref`s per thread, not one per file.
type Gathered<S> = (Option<S>, Vec<u64>);

/// A piece for a thread to read, and the header it needs (pieces after a
/// file's first).
struct PieceTask {
    piece: Piece,
    header: Option<LogHeader>,
    size: u64,
}

/// Reads every log on `threads` threads (at least two); see
/// [`super::scan`].
pub(super) fn scan<S: ParallelSink>(
    checker: &Checker<'_>,
    files: &[LogFile],
    threads: usize,
    sink: &mut S,
) -> (Vec<FileOut>, Vec<Vec<u64>>) {
    let tasks = tasks(checker, files, threads);
    let (results, gathered) = read_tasks(checker, files, &tasks, threads, &*sink);
    let mut outs = Vec::with_capacity(files.len());
    let mut results = results.into_iter();
    for (file, log) in files.iter().enumerate() {
        let pieces: Vec<(Piece, Option<PieceResult<S>>)> = tasks
            .iter()
            .filter(|t| t.piece.file == file)
            .map(|t| (t.piece, results.next().flatten()))
            .collect();
        if let Some((out, parts)) = assemble(pieces) {
            for part in parts.into_iter().flatten() {
                sink.merge(part);
            }
            outs.push(out);
        } else {
            // A split point inside a quoted cell (or a thread that failed):
            // read the file again in one piece.
            let mut part = sink.fork();
            outs.push(checker.read_whole(file, &log.source, &mut part));
            sink.merge(part);
        }
    }
    let mut runs = Vec::new();
    for (mine, run) in gathered {
        if let Some(part) = mine {
            sink.merge(part);
        }
        runs.push(run);
    }
    (outs, runs)
}

/// The pieces to read, in file order: a whole file, or the pieces of a
/// large one.
fn tasks(checker: &Checker<'_>, files: &[LogFile], threads: usize) -> Vec<PieceTask> {
    let mut tasks = Vec::new();
    for (file, log) in files.iter().enumerate() {
        let size = log.source.len();
        let split = (size >= SPLIT_MIN_BYTES && checker.unreadable(file, &log.source).is_none())
            .then(|| header_of(checker, file, &log.source))
            .flatten()
            .map(|(header, data_start)| (header, split_points(&log.source, data_start, size, threads)))
            .filter(|(_, points)| !points.is_empty());
        let Some((header, points)) = split else {
            tasks.push(PieceTask {
                piece: Piece {
                    file,
                    start: 0,
                    end: None,
                },
                header: None,
                size,
            });
            continue;
        };
        let mut start = 0;
        for end in points.iter().copied().map(Some).chain([None]) {
            tasks.push(PieceTask {
                piece: Piece { file, start, end },
                header: (start > 0).then(|| header.clone()),
                size: end.unwrap_or(size) - start,
            });
            start = end.unwrap_or(size);
        }
    }
    tasks
}

/// Reads the tasks on up to `threads` threads, largest first so that the
/// threads finish together: what each task found (by task), and what each
/// thread gathered from whole files.
fn read_tasks<S: ParallelSink>(
    checker: &Checker<'_>,
    files: &[LogFile],
    tasks: &[PieceTask],
    threads: usize,
    template: &S,
) -> (Vec<Option<PieceResult<S>>>, Vec<Gathered<S>>) {
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tasks.get(i).map_or(0, |t| t.size)));
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<PieceResult<S>>> = (0..tasks.len()).map(|_| None).collect();
    let mut gathered = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(tasks.len()))
            .map(|_| crate::threads::spawn(scope, || work(checker, files, tasks, &order, &next, template)))
            .collect();
        for w in workers {
            // A thread that failed leaves its files without results: they
            // are read again, and what it gathered is dropped with it.
            let Ok((done, thread_gathered)) = w.join() else {
                continue;
            };
            for (i, result) in done {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(result);
                }
            }
            gathered.push(thread_gathered);
        }
    });
    (results, gathered)
}

/// One thread's work: takes the next task in `order` until none is left.
fn work<S: ParallelSink>(
    checker: &Checker<'_>,
    files: &[LogFile],
    tasks: &[PieceTask],
    order: &[usize],
    next: &AtomicUsize,
    template: &S,
) -> (Vec<(usize, PieceResult<S>)>, Gathered<S>) {
    let mut done = Vec::new();
    let mut mine: Option<S> = None;
    let mut run = Vec::new();
    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
        let Some(task) = tasks.get(i) else { break };
        let whole = task.piece.start == 0 && task.piece.is_last();
        let shared = whole && S::ORDER_FREE;
        let mut part = match mine.take() {
            Some(p) if shared => p,
            other => {
                mine = other;
                template.fork()
            }
        };
        let mut out = read_task(checker, files, task, &mut part);
        if whole {
            // Taken, not appended: `out` is kept until the end, and an
            // emptied Vec keeps its memory.
            run.extend(std::mem::take(&mut out.refs));
        } else {
            refs::sort_run(&mut out.refs);
        }
        if shared {
            mine = Some(part);
            done.push((i, (out, None)));
        } else {
            part.settle();
            done.push((i, (out, Some(part))));
        }
    }
    if let Some(part) = &mut mine {
        part.settle();
    }
    refs::sort_run(&mut run);
    (done, (mine, run))
}

fn read_task(checker: &Checker<'_>, files: &[LogFile], task: &PieceTask, sink: &mut dyn RowSink) -> PieceOut {
    let Some(log) = files.get(task.piece.file) else {
        return PieceOut::default();
    };
    if task.piece.start == 0 && task.piece.end.is_none() {
        let out = checker.read_whole(task.piece.file, &log.source, sink);
        return PieceOut {
            pending: out.pending,
            refs: out.refs.into_iter().next().unwrap_or_default(),
            entries: out.entries.into_iter().next().unwrap_or_default(),
            last: out.last,
            lines: None,
            stopped: false,
            failed: out.extra,
            proof: out.proof,
        };
    }
    let Ok(input) = log.source.reader(task.piece.start, task.piece.end) else {
        return PieceOut::default();
    };
    let suffix: &[u8] = if task.piece.is_last() { b"\n" } else { b"" };
    let input = input.chain(suffix);
    if task.piece.is_last() {
        read_piece(checker, task.piece, input, task.header.as_ref(), sink)
    } else {
        let sentinel = SENTINEL.chain(&b"\n"[..]);
        read_piece(checker, task.piece, input.chain(sentinel), task.header.as_ref(), sink)
    }
}

/// The header of a file and where its rows start, when the file can be
/// split (a clean header on line 1).
fn header_of(checker: &Checker<'_>, file: usize, src: &Source) -> Option<(LogHeader, u64)> {
    let mut rdr = Records::new(src.reader(0, None).ok()?);
    let mut rec = Record::default();
    if !rdr.read(&mut rec).ok()? || rec.line != 1 || rdr.position().1 != 2 {
        return None;
    }
    let mut problems = Vec::new();
    let header = read_header(checker.name(file), &rec, 1, checker.lang, &mut problems)?;
    problems.is_empty().then(|| (header, rdr.position().0))
}

/// Split points of a large file: just after a line break near each
/// `size × k / parts`.
fn split_points(src: &Source, data_start: u64, size: u64, parts: usize) -> Vec<u64> {
    let mut points = Vec::new();
    for k in 1..parts as u64 {
        let approx = (size * k / parts as u64).max(data_start);
        let mut window = Vec::with_capacity(1 << 16);
        if let Ok(r) = src.reader(approx, Some(approx + (1 << 16))) {
            let _ = r.take(1 << 16).read_to_end(&mut window);
        }
        if let Some(nl) = memchr::memchr(b'\n', &window) {
            let p = approx + nl as u64 + 1;
            if p < size && points.last().is_none_or(|&l| p > l) {
                points.push(p);
            }
        }
    }
    points
}

/// Puts a file's pieces back together: lines counted from the file's start,
/// sinks in order. `None` when a piece did not end on a record boundary.
fn assemble<S>(pieces: Vec<(Piece, Option<(PieceOut, S)>)>) -> Option<(FileOut, Vec<S>)> {
    let mut file = FileOut::default();
    let mut sinks = Vec::new();
    let mut offset = 0u64;
    for (piece, result) in pieces {
        let (out, part) = result?;
        file.pending.append(out.pending, offset);
        file.refs.push(out.refs);
        let mut entries = out.entries;
        for e in &mut entries {
            e.shift(offset);
        }
        file.entries.push(entries);
        file.extra.extend(out.failed);
        // Every piece's proof, one after the other (none: no proof).
        file.proof = match (file.proof.take(), out.proof) {
            (None, Some(first)) if piece.start == 0 => Some(first),
            (Some(before), Some(next)) if piece.start > 0 => Some(before.then(next)),
            _ => None,
        };
        sinks.push(part);
        file.last = out.last.map(|l| LastRecord {
            byte: l.byte + piece.start,
            line: l.line + offset,
        });
        if out.stopped {
            // An encoding error ends the file, as in one piece.
            file.last = None;
            file.proof = None;
            return Some((file, sinks));
        }
        if !piece.is_last() {
            offset += out.lines?;
        }
    }
    Some((file, sinks))
}
