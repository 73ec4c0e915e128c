//! The canonical form of a log (CSV), read and written as a stream: memory
//! does not grow with the file.
//!
//! [`LogReader`] yields one canonical row at a time. [`scan_log`] compares
//! the canonical text with the file's bytes as it goes (stopping at the
//! first difference when only asked whether the file is canonical), and
//! otherwise collects the rows for [`LogPass::write_to`]: sorted in memory up
//! to a limit, beyond it in sorted runs spilled to files the caller
//! provides (anonymous temporary files) and merged when written.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::rc::Rc;

use crate::columns::COLUMNS;

/// A log read into canonical cells: `columns` are indices into [`COLUMNS`]
/// (ascending, the canonical order), each row holds one cell per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTable {
    pub columns: Vec<usize>,
    pub rows: Vec<Vec<String>>,
}

impl LogTable {
    /// The cell of `row` in column `name`, if the log has that column.
    pub fn cell<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        let c = COLUMNS.iter().position(|x| *x == name)?;
        let i = self.columns.iter().position(|x| *x == c)?;
        row.get(i).map(String::as_str)
    }

    /// The column names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        names(&self.columns)
    }
}

fn names(columns: &[usize]) -> Vec<&'static str> {
    columns.iter().filter_map(|c| COLUMNS.get(*c).copied()).collect()
}

/// A log that cannot be read as a table (callers check files first).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogError {
    #[error("not UTF-8")]
    Encoding,
    #[error("no header line")]
    Empty,
    #[error("column `{0}` is unknown or repeated")]
    Header(String),
    #[error("line {0}: the row does not have as many cells as the header")]
    Width(u64),
    #[error("{0}")]
    Csv(String),
}

/// A reader that drops a UTF-8 byte order mark at the start.
struct SkipBom<R> {
    inner: R,
    /// The first bytes when they are not a BOM, still to hand out.
    head: Vec<u8>,
    started: bool,
    /// The input began with a BOM (kept by `fmt`: Excel needs it).
    bom: bool,
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.started = true;
            let mut head = [0u8; 3];
            let mut n = 0;
            while n < 3 {
                match self.inner.read(head.get_mut(n..).unwrap_or_default()) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let head = head.get(..n).unwrap_or_default();
            if head == b"\xEF\xBB\xBF" {
                self.bom = true;
            } else {
                self.head = head.to_vec();
            }
        }
        if !self.head.is_empty() {
            let n = self.head.len().min(buf.len());
            let rest = self.head.split_off(n);
            if let Some(dst) = buf.get_mut(..n) {
                dst.copy_from_slice(&self.head);
            }
            self.head = rest;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// A log read row by row. `strict` refuses unknown or repeated columns,
/// rows of the wrong width, bad CSV and bytes that are not UTF-8; otherwise
/// such columns are skipped, rows padded, bad records dropped and bytes
/// replaced, so that `plan diff` can compare files `plan check` rejects.
pub struct LogReader<R: Read> {
    rdr: csv::Reader<SkipBom<R>>,
    /// For cell `i` of the file, its index in a row (`None`: skipped).
    slots: Vec<Option<usize>>,
    columns: Vec<usize>,
    strict: bool,
    rec: csv::ByteRecord,
}

impl<R: Read> LogReader<R> {
    /// Whether the input began with a UTF-8 byte order mark.
    pub fn had_bom(&self) -> bool {
        self.rdr.get_ref().bom
    }

    /// Reads the header.
    pub fn new(input: R, strict: bool) -> Result<LogReader<R>, LogError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            // Records end at LF only, as `check` reads them: a lone CR inside
            // an unquoted cell is text, not a row break (a CRLF's CR is
            // trimmed with the cell).
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(SkipBom {
                inner: input,
                head: Vec::new(),
                started: false,
                bom: false,
            });
        let mut header = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut header) {
            Ok(false) => return Err(LogError::Empty),
            Err(e) => return Err(LogError::Csv(e.to_string())),
            Ok(true) => {}
        }
        // map[i] = canonical column of the file's cell i.
        let mut map: Vec<Option<usize>> = Vec::with_capacity(header.len());
        for raw in &header {
            let name = text(raw, strict)?;
            let name = name.trim();
            // A column's code, or its Vietnamese title as `plan schema` gives it.
            match crate::logs::titles::column_index(name) {
                Some(c) if !map.contains(&Some(c)) => map.push(Some(c)),
                _ if strict => return Err(LogError::Header(name.to_owned())),
                _ => map.push(None),
            }
        }
        let mut columns: Vec<usize> = map.iter().flatten().copied().collect();
        columns.sort_unstable();
        let slots = map
            .iter()
            .map(|c| c.and_then(|c| columns.iter().position(|x| *x == c)))
            .collect();
        Ok(LogReader {
            rdr,
            slots,
            columns,
            strict,
            rec: csv::ByteRecord::new(),
        })
    }

    /// The columns (indices into [`COLUMNS`], ascending).
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// For each cell of the file, its index in a row (`None`: skipped).
    pub(super) fn slots(&self) -> &[Option<usize>] {
        &self.slots
    }

    /// How many cells the header has (each row must have as many).
    pub fn width(&self) -> usize {
        self.slots.len()
    }

    /// The input's bytes read so far (a BOM included): just after the
    /// header, where the rows begin.
    pub fn offset(&self) -> u64 {
        self.rdr.position().byte() + if self.had_bom() { 3 } else { 0 }
    }

    /// The canonical form's first line (the BOM the input had, the column
    /// codes in canonical order, a line break), as [`LogPass::write_to`]
    /// writes it.
    pub fn header_line(&self) -> io::Result<Vec<u8>> {
        let mut out = if self.had_bom() {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        let mut w = csv_writer(&mut out);
        w.write_record(names(&self.columns))?;
        w.flush()?;
        drop(w);
        Ok(out)
    }

    /// The next row, in canonical cells; `None` at the end. Blank lines are
    /// skipped.
    pub fn next_row(&mut self) -> Result<Option<Vec<String>>, LogError> {
        loop {
            match self.rdr.read_byte_record(&mut self.rec) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) if e.is_io_error() || self.strict => return Err(LogError::Csv(e.to_string())),
                Err(_) => continue,
            }
            let rec = &self.rec;
            if rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim_ascii().is_empty()) {
                continue;
            }
            if rec.len() != self.slots.len() && self.strict {
                return Err(LogError::Width(rec.position().map_or(0, csv::Position::line)));
            }
            let mut row = vec![String::new(); self.columns.len()];
            for (raw, slot) in rec.iter().zip(&self.slots) {
                if let Some(cell) = slot.and_then(|i| row.get_mut(i)) {
                    *cell = crate::text::cell(&text(raw, self.strict)?);
                }
            }
            // A row of one cell that is empty once trimmed (a vertical tab,
            // a no-break space) would be written `""`, which reads as an
            // empty line: it is one already.
            if rec.len() == 1 && row.len() == 1 && row.first().is_some_and(String::is_empty) {
                continue;
            }
            return Ok(Some(row));
        }
    }
}

fn text(raw: &[u8], strict: bool) -> Result<std::borrow::Cow<'_, str>, LogError> {
    match std::str::from_utf8(raw) {
        Ok(t) => Ok(std::borrow::Cow::Borrowed(t)),
        Err(_) if !strict => Ok(String::from_utf8_lossy(raw)),
        Err(_) => Err(LogError::Encoding),
    }
}

/// Reads a whole log into memory (for `plan diff`). See [`LogReader`] for
/// `strict`.
pub fn read_log(bytes: &[u8], strict: bool) -> Result<LogTable, LogError> {
    let mut r = LogReader::new(bytes, strict)?;
    let mut rows = Vec::new();
    while let Some(row) = r.next_row()? {
        rows.push(row);
    }
    Ok(LogTable {
        columns: r.columns().to_vec(),
        rows,
    })
}

/// The canonical text of a log file held in memory: header in [`COLUMNS`]
/// order, rows sorted by date then the rest of the row, LF, a BOM kept when the file has one, a final
/// line break.
pub fn log_csv(bytes: &[u8]) -> Result<String, LogError> {
    let pass = scan_log(bytes, Some(Spill::in_memory()))?;
    let mut out = Vec::new();
    pass.write_to(&mut out).map_err(|e| LogError::Csv(e.to_string()))?;
    String::from_utf8(out).map_err(|e| LogError::Csv(e.to_string()))
}

/// The bytes of the input that the canonical text has not matched yet, fed
/// by [`Tee`] as the CSV reader reads.
#[derive(Default)]
struct Seen {
    buf: VecDeque<u8>,
    /// Still equal so far.
    equal: bool,
}

type Shared<T> = Rc<RefCell<T>>;

/// Passes the input through, keeping a copy of what has not been matched.
struct Tee<R> {
    inner: R,
    seen: Shared<Seen>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.seen.borrow_mut();
        if seen.equal {
            seen.buf.extend(buf.get(..n).unwrap_or_default());
        }
        Ok(n)
    }
}

/// A `Write` into a shared buffer (the CSV writer owns its sink).
struct Sink(Shared<Vec<u8>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A log as a CSV writer writes it (for tests): `header`, then `rows`,
/// with CRLF or LF line ends, after a BOM when asked.
#[cfg(test)]
pub(super) fn written_log<S: AsRef<[u8]>>(header: &[&str], rows: &[Vec<S>], crlf: bool, bom: bool) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() });
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// Writes records in canonical CSV (quotes only where needed, LF).
fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(w)
}

/// Where rows go when they do not fit in memory.
pub struct Spill {
    /// Bytes of rows (estimated) held in memory before a run is spilled.
    pub limit: usize,
    /// A new empty file for a run (an anonymous temporary file).
    pub new_run: Box<dyn FnMut() -> io::Result<File>>,
}

impl Spill {
    /// The limit `plan fmt` uses: 32 MiB of rows.
    pub const LIMIT: usize = 32 << 20;

    /// Runs spilled to anonymous temporary files in `dir` (the target's
    /// directory: `/tmp` may be memory).
    pub fn in_dir(dir: &std::path::Path) -> Spill {
        let dir = dir.to_path_buf();
        Spill {
            limit: Spill::LIMIT,
            new_run: Box::new(move || tempfile::tempfile_in(&dir)),
        }
    }

    /// Everything in memory (for text already in memory).
    pub fn in_memory() -> Spill {
        Spill {
            limit: usize::MAX,
            new_run: Box::new(|| Err(io::Error::other("no spill files"))),
        }
    }
}

/// What [`scan_log`] found.
pub struct LogPass {
    /// The file is in canonical form.
    pub canonical: bool,
    /// The file began with a UTF-8 BOM, which the canonical form keeps.
    bom: bool,
    columns: Vec<usize>,
    rows: Option<Runs>,
}

/// Rows collected for sorting: sorted runs on disk and a chunk in memory.
struct Runs {
    spill: Spill,
    width: usize,
    files: Vec<File>,
    chunk: Vec<Vec<String>>,
    chunk_bytes: usize,
}

/// How many runs one merge reads at once (each holds a buffer and a file).
const FAN_IN: usize = 64;

impl Runs {
    fn push(&mut self, row: Vec<String>) -> io::Result<()> {
        self.chunk_bytes += cost(&row);
        self.chunk.push(row);
        if self.chunk_bytes > self.spill.limit {
            self.chunk.sort_unstable();
            let rows = std::mem::take(&mut self.chunk);
            self.chunk_bytes = 0;
            let file = write_run(&mut self.spill, rows.into_iter().map(Ok))?;
            self.files.push(file);
        }
        Ok(())
    }

    /// Every row, sorted, to `f`.
    fn each_sorted(mut self, f: &mut dyn FnMut(&[String]) -> io::Result<()>) -> io::Result<()> {
        self.chunk.sort_unstable();
        // Fewer runs than FAN_IN, merging the oldest into longer ones.
        while self.files.len() >= FAN_IN {
            let group: Vec<File> = self.files.drain(..FAN_IN).collect();
            let width = self.width;
            let sources = group.into_iter().map(|f| Source::file(f, width)).collect();
            let merged = write_run(&mut self.spill, Merge::new(sources)?)?;
            self.files.push(merged);
        }
        let width = self.width;
        let mut sources: Vec<Source> = self.files.into_iter().map(|f| Source::file(f, width)).collect();
        sources.push(Source::Memory(self.chunk.into_iter()));
        for row in Merge::new(sources)? {
            f(&row?)?;
        }
        Ok(())
    }
}

/// Roughly what a row holds in memory.
fn cost(row: &[String]) -> usize {
    std::mem::size_of::<Vec<String>>()
        + row
            .iter()
            .map(|c| std::mem::size_of::<String>() + c.capacity())
            .sum::<usize>()
}

/// Writes rows to a new run file: per cell, its length (u64 LE) and bytes.
fn write_run(spill: &mut Spill, rows: impl Iterator<Item = io::Result<Vec<String>>>) -> io::Result<File> {
    let mut w = BufWriter::with_capacity(1 << 16, (spill.new_run)()?);
    for row in rows {
        for cell in row? {
            w.write_all(&(cell.len() as u64).to_le_bytes())?;
            w.write_all(cell.as_bytes())?;
        }
    }
    let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.rewind()?;
    Ok(file)
}

/// Where a merge takes sorted rows from.
enum Source {
    File { r: BufReader<File>, width: usize },
    Memory(std::vec::IntoIter<Vec<String>>),
}

impl Source {
    fn file(f: File, width: usize) -> Source {
        Source::File {
            r: BufReader::with_capacity(1 << 16, f),
            width,
        }
    }

    fn next(&mut self) -> io::Result<Option<Vec<String>>> {
        match self {
            Source::Memory(it) => Ok(it.next()),
            Source::File { r, width } => {
                let mut row = Vec::with_capacity(*width);
                for i in 0..*width {
                    let mut len = [0u8; 8];
                    if i == 0 {
                        // The end of the run, or a whole row.
                        let mut got = 0;
                        while got < len.len() {
                            match r.read(len.get_mut(got..).unwrap_or_default()) {
                                Ok(0) if got == 0 => return Ok(None),
                                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                                Ok(k) => got += k,
                                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                                Err(e) => return Err(e),
                            }
                        }
                    } else {
                        r.read_exact(&mut len)?;
                    }
                    let len = usize::try_from(u64::from_le_bytes(len)).map_err(io::Error::other)?;
                    let mut bytes = Vec::new();
                    r.by_ref().take(len as u64).read_to_end(&mut bytes)?;
                    if bytes.len() != len {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                    row.push(String::from_utf8(bytes).map_err(io::Error::other)?);
                }
                // A log without columns has rows of no cells: none are kept.
                Ok((*width > 0).then_some(row))
            }
        }
    }
}

/// The rows of several sorted sources, in order.
struct Merge {
    sources: Vec<Source>,
    heap: BinaryHeap<Reverse<(Vec<String>, usize)>>,
}

impl Merge {
    fn new(mut sources: Vec<Source>) -> io::Result<Merge> {
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some(row) = s.next()? {
                heap.push(Reverse((row, i)));
            }
        }
        Ok(Merge { sources, heap })
    }
}

impl Iterator for Merge {
    type Item = io::Result<Vec<String>>;

    fn next(&mut self) -> Option<Self::Item> {
        let Reverse((row, i)) = self.heap.pop()?;
        match self.sources.get_mut(i).map(Source::next) {
            Some(Ok(Some(next))) => self.heap.push(Reverse((next, i))),
            Some(Err(e)) => return Some(Err(e)),
            Some(Ok(None)) | None => {}
        }
        Some(Ok(row))
    }
}

/// Reads a log (strictly) once. The result says whether the file is in
/// canonical form; with `collect`, it also holds the rows to write the
/// canonical form. Without it, reading stops at the first difference.
pub fn scan_log<R: Read>(input: R, collect: Option<Spill>) -> Result<LogPass, LogError> {
    let seen = Rc::new(RefCell::new(Seen {
        buf: VecDeque::new(),
        equal: true,
    }));
    let mut reader = LogReader::new(
        Tee {
            inner: input,
            seen: Rc::clone(&seen),
        },
        true,
    )?;
    let columns = reader.columns().to_vec();
    let bom = reader.had_bom();
    // A BOM the file had is kept (Excel needs it to show the diacritics).
    let out = Rc::new(RefCell::new(if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() }));
    let mut w = csv_writer(Sink(Rc::clone(&out)));
    let csv_err = |e: csv::Error| LogError::Csv(e.to_string());
    // Whether the canonical bytes just written match the input's next bytes.
    let matches = |w: &mut csv::Writer<Sink>| -> Result<(), LogError> {
        w.flush().map_err(|e| LogError::Csv(e.to_string()))?;
        let mut out = out.borrow_mut();
        let mut seen = seen.borrow_mut();
        if seen.equal {
            let n = out.len();
            if seen.buf.len() >= n && seen.buf.iter().take(n).eq(out.iter()) {
                seen.buf.drain(..n);
            } else {
                seen.equal = false;
                seen.buf = VecDeque::new();
            }
        }
        out.clear();
        Ok(())
    };
    w.write_record(names(&columns)).map_err(csv_err)?;
    matches(&mut w)?;
    let mut runs = collect.map(|spill| Runs {
        spill,
        width: columns.len(),
        files: Vec::new(),
        chunk: Vec::new(),
        chunk_bytes: 0,
    });
    let mut prev: Option<Vec<String>> = None;
    while let Some(row) = reader.next_row()? {
        if seen.borrow().equal {
            if prev.as_ref().is_some_and(|p| *p > row) {
                let mut s = seen.borrow_mut();
                s.equal = false;
                s.buf = VecDeque::new();
            } else {
                w.write_record(&row).map_err(csv_err)?;
                matches(&mut w)?;
                prev = Some(row.clone());
            }
        }
        match &mut runs {
            Some(runs) => runs.push(row).map_err(|e| LogError::Csv(e.to_string()))?,
            None if !seen.borrow().equal => break,
            None => {}
        }
    }
    let canonical = {
        let s = seen.borrow();
        s.equal && s.buf.is_empty()
    };
    Ok(LogPass {
        canonical,
        bom,
        columns,
        rows: runs,
    })
}

impl LogPass {
    /// Writes the canonical form (for a pass made with `collect`; without,
    /// only the header).
    pub fn write_to(self, out: &mut dyn Write) -> io::Result<()> {
        if self.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv_writer(out);
        w.write_record(names(&self.columns))?;
        if let Some(runs) = self.rows {
            runs.each_sorted(&mut |row| w.write_record(row).map_err(io::Error::from))?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn log_canonical_form() {
        let nfd: String = "Đối thoại".nfd().collect();
        let text = format!(
            "\u{feff}title,status,date,kind,unit,org,note\r\n\"{nfd}\",done, 2023-05-01 ,dialogue,tinh,MTTQ,\r\nA,done,2023-01-02,dialogue,tinh,MTTQ,\"x, y\"\r\n"
        );
        let out = log_csv(text.as_bytes()).unwrap();
        assert_eq!(
            out,
            "\u{feff}date,org,unit,kind,status,title,note\n2023-01-02,MTTQ,tinh,dialogue,done,A,\"x, y\"\n2023-05-01,MTTQ,tinh,dialogue,done,Đối thoại,\n"
        );
        assert_eq!(log_csv(out.as_bytes()).unwrap(), out);
        // Without a BOM none is added; Vietnamese titles become codes.
        assert_eq!(
            log_csv("Ngày,Tổ chức\n2023-01-01,MTTQ\n".as_bytes()).unwrap(),
            "date,org\n2023-01-01,MTTQ\n"
        );
        assert_eq!(log_csv(b"date,date\n"), Err(LogError::Header("date".to_owned())));
        assert_eq!(log_csv(b"date,org\n2023-01-01\n"), Err(LogError::Width(2)));
    }

    #[test]
    fn canonical_is_seen_without_collecting() {
        let canon = "date,org,title\n2023-01-01,A,x\n2023-01-02,A,\"y, z\"\n";
        assert!(scan_log(canon.as_bytes(), None).unwrap().canonical);
        // A BOM is kept, so a file with one can be canonical.
        assert!(scan_log(format!("\u{feff}{canon}").as_bytes(), None).unwrap().canonical);
        for bad in [
            "date,org,title\n2023-01-01,A,x\n2023-01-02,A,\"y, z\"",
            "date,org,title\n2023-01-01,A,x\n\n2023-01-02,A,\"y, z\"\n",
            "date,org,title\n2023-01-02,A,\"y, z\"\n2023-01-01,A,x\n",
            "date,org,title\r\n2023-01-01,A,x\n2023-01-02,A,\"y, z\"\n",
            "date,org,title\n2023-01-01,A,\"x\"\n2023-01-02,A,\"y, z\"\n",
            "date,title,org\n2023-01-01,x,A\n2023-01-02,\"y, z\",A\n",
            "date,org,title\n2023-01-01,A,x\n2023-01-02,A,\"y, z\"\n\n",
        ] {
            assert!(!scan_log(bad.as_bytes(), None).unwrap().canonical, "{bad:?}");
            assert_eq!(log_csv(bad.as_bytes()).unwrap(), canon, "{bad:?}");
        }
    }

    /// A spill into anonymous files after `limit` bytes of rows.
    fn small(limit: usize) -> Spill {
        Spill {
            limit,
            new_run: Box::new(tempfile::tempfile),
        }
    }

    #[test]
    fn spilled_runs_merge_to_the_same_text() {
        // 300 rows in reverse order: with a tiny limit, a run per row or
        // two, more than FAN_IN of them, merged in two levels.
        let mut text = String::from("title,date,note\n");
        for i in (0..300).rev() {
            text.push_str(&format!("t{},2023-01-{:02},\"n\n{i}\"\n", i % 7, i % 28 + 1));
        }
        let whole = log_csv(text.as_bytes()).unwrap();
        for limit in [0, 100, 1000, 100_000] {
            let pass = scan_log(text.as_bytes(), Some(small(limit))).unwrap();
            assert!(!pass.canonical);
            let mut out = Vec::new();
            pass.write_to(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "limit {limit}");
        }
        let pass = scan_log(whole.as_bytes(), Some(small(0))).unwrap();
        assert!(pass.canonical);
    }

    fn cell() -> impl Strategy<Value = String> {
        // Commas, quotes, line breaks, spaces, BOMs, NFD marks, anything.
        prop_oneof![
            "[ ,\"\r\na-zĐđ\u{0301}\u{0323}\u{feff}]{0,12}",
            any::<String>().prop_map(|s| s.chars().take(12).collect()),
        ]
    }

    proptest! {
        /// Any bytes at all (a fuzz of the streaming reader): no panic; when
        /// the file has a canonical form, reading it says "canonical" exactly
        /// when the bytes are that form, with or without spilling.
        #[test]
        fn any_bytes_read_consistently(
            body in proptest::collection::vec(
                prop_oneof![
                    8 => proptest::sample::select(vec![
                        "a", "b", ",", "\"", "\n", "\r", " ", "\u{feff}", "x\u{301}",
                        "2023-01-01,a\n", "2023-01-02,b\n", "2023-01-02,b\n", "a,2023-01-01\n",
                    ]).prop_map(|t| t.as_bytes().to_vec()),
                    1 => any::<u8>().prop_map(|b| vec![b]),
                ],
                0..12,
            ),
            header in prop_oneof![Just("date,title\n"), Just("title,date\n"), Just("\u{feff}date\n"), Just("date"), Just("")],
            limit in 0usize..200,
        ) {
            let mut input = header.as_bytes().to_vec();
            input.extend(body.concat());
            let checked = scan_log(&input[..], None).map(|p| p.canonical);
            match log_csv(&input) {
                Ok(text) => {
                    prop_assert_eq!(checked, Ok(input == text.as_bytes()));
                    let pass = scan_log(&input[..], Some(small(limit))).unwrap();
                    let mut spilled = Vec::new();
                    pass.write_to(&mut spilled).unwrap();
                    prop_assert_eq!(&spilled, text.as_bytes());
                    prop_assert!(scan_log(text.as_bytes(), None).unwrap().canonical);
                }
                Err(e) => {
                    // Refused the same way, unless the check stopped at a
                    // difference before reaching the bad part.
                    prop_assert!(checked == Err(e) || checked == Ok(false));
                }
            }
        }

        #[test]
        fn log_format_is_idempotent_and_keeps_rows(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 7), 0..6),
            crlf in any::<bool>(),
            bom in any::<bool>(),
            limit in 0usize..400,
        ) {
            // The columns in a shuffled order.
            let header = ["note", "title", "status", "kind", "unit", "org", "date"];
            let input = written_log(&header, &rows, crlf, bom);
            let Ok(once) = log_csv(&input) else {
                // A row that reads as a different width (a lone empty
                // line) is refused, never mangled.
                return Ok(());
            };
            prop_assert_eq!(log_csv(once.as_bytes()).unwrap(), once.clone());
            prop_assert!(scan_log(once.as_bytes(), None).unwrap().canonical);
            prop_assert_eq!(scan_log(&input[..], None).unwrap().canonical, input == once.as_bytes());
            // Spilled in runs: the same text.
            let pass = scan_log(&input[..], Some(small(limit))).unwrap();
            let mut spilled = Vec::new();
            pass.write_to(&mut spilled).unwrap();
            prop_assert_eq!(String::from_utf8(spilled).unwrap(), once.clone());
            let mut a = read_log(&input, true).unwrap().rows;
            let mut b = read_log(once.as_bytes(), true).unwrap().rows;
            // Same cells (reordered into canonical columns), same rows.
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
    }
}
