//! Workbooks `plan` writes (`rust_xlsxwriter)`: the entry workbook an office
//! fills in (`plan template`) and the results for Excel (`plan status
//! --format xlsx`, and `plan report --format xlsx` with the appendix tables).
//!
//! Same inputs, same bytes: the document's creation date is fixed (the
//! plan's first day), and `rust_xlsxwriter` stamps its zip entries with a
//! fixed date of its own.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Note, Workbook,
    Worksheet, XlsxError,
};

use crate::engine::{Evaluation, Figure, TargetResult};
use crate::lang::Lang;
use crate::model::{NumColumn, Plan, RowStatus};

/// Text from plans and logs into a cell: a string cell (never evaluated as
/// a formula, whatever it starts with) without the characters XML cannot
/// hold (`escape::xml`).
trait Text {
    fn text(&mut self, row: u32, col: u16, s: impl AsRef<str>) -> Result<&mut Worksheet, XlsxError>;
}

impl Text for Worksheet {
    fn text(&mut self, row: u32, col: u16, s: impl AsRef<str>) -> Result<&mut Worksheet, XlsxError> {
        self.write_string(row, col, crate::escape::xml(s.as_ref()).as_ref())
    }
}
use crate::columns::COLUMNS;

/// How many rows of the entry workbook carry drop-down lists and checks.
pub const TEMPLATE_ROWS: u32 = 2000;

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let y = u16::try_from(d.year()).unwrap_or(1900).clamp(1900, 9999);
    ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8)
}

fn fixed_properties(plan: &Plan) -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new()
        .set_title(&plan.title)
        .set_creation_datetime(&excel_date(plan.term.start)?))
}

fn width_of(texts: impl IntoIterator<Item = usize>) -> f64 {
    let w = texts.into_iter().max().unwrap_or(8).clamp(8, 60);
    w as f64 + 2.0
}

/// What `plan template` pre-fills and restricts.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    pub org: Option<usize>,
    pub unit: Option<usize>,
    pub year: Option<i32>,
}

/// The entry workbook of `plan` (see `plan template --help`).
pub fn template(plan: &Plan, opts: &TemplateOptions, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties(plan)?);
    let entry = Entry {
        plan,
        opts,
        lists: code_lists(plan, lang),
        list_sheet: lang.pick("Danh mục", "Codes"),
        lang,
    };
    log_sheet(wb.add_worksheet(), &entry)?;
    codes_sheet(wb.add_worksheet(), &entry)?;
    wb.save_to_buffer()
}

/// A list of codes a log column takes: (column, [(code, name)]).
type CodeList<'a> = (&'a str, Vec<(String, String)>);

/// What the entry workbook is made from.
struct Entry<'a> {
    plan: &'a Plan,
    opts: &'a TemplateOptions,
    /// The lists of the codes sheet.
    lists: Vec<CodeList<'static>>,
    /// The name of the codes sheet.
    list_sheet: &'static str,
    lang: Lang,
}

/// The lists of the codes sheet, one per coded column.
fn code_lists(plan: &Plan, lang: Lang) -> Vec<CodeList<'static>> {
    let statuses: Vec<(String, String)> = RowStatus::ALL
        .iter()
        .map(|s| {
            let (vi, en) = match s.as_str() {
                "done" => ("đã thực hiện", "done"),
                "planned" => ("kế hoạch", "planned"),
                "postponed" => ("hoãn", "postponed"),
                _ => ("hủy", "cancelled"),
            };
            (s.as_str().to_owned(), lang.pick(vi, en).to_owned())
        })
        .collect();
    let pairs = |v: Vec<(&str, &str)>| -> Vec<(String, String)> {
        v.into_iter().map(|(a, b)| (a.to_owned(), b.to_owned())).collect()
    };
    vec![
        (
            "org",
            pairs(plan.orgs.iter().map(|o| (o.code.as_str(), o.name.as_str())).collect()),
        ),
        (
            "unit",
            pairs(plan.units.iter().map(|o| (o.code.as_str(), o.name.as_str())).collect()),
        ),
        (
            "kind",
            pairs(plan.kinds.iter().map(|o| (o.code.as_str(), o.name.as_str())).collect()),
        ),
        ("status", statuses),
        (
            "field",
            pairs(plan.fields.iter().map(|o| (o.code.as_str(), o.name.as_str())).collect()),
        ),
    ]
}

/// The sheet an office fills in: one column per log column, with its code in
/// a note, a drop-down list or a check on the first [`TEMPLATE_ROWS`] rows,
/// and the organisation and unit pre-filled when asked.
fn log_sheet(sheet: &mut Worksheet, e: &Entry<'_>) -> Result<(), XlsxError> {
    let (plan, opts, lang) = (e.plan, e.opts, e.lang);
    let bold = Format::new().set_bold().set_align(FormatAlign::Center).set_text_wrap();
    sheet.set_name(lang.pick("Nhật ký", "Log"))?;
    sheet.set_default_note_author("plan");
    for (c, code) in COLUMNS.iter().enumerate() {
        let col = c as u16;
        let title = crate::schema::title(code);
        sheet.write_string_with_format(0, col, title, &bold)?;
        sheet.insert_note(
            0,
            col,
            &Note::new(lang.pick(&format!("Mã cột: {code}"), &format!("Column code: {code}"))).add_author_prefix(false),
        )?;
        let list = e.lists.iter().find(|(n, _)| n == code);
        let widest = list.map_or(0, |(_, v)| v.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0));
        let width = match *code {
            "title" | "note" => 40.0,
            "date" => 12.0,
            _ => width_of([title.chars().count(), widest]),
        };
        sheet.set_column_width(col, width)?;
        column_check(sheet, e, code, col)?;
    }
    sheet.set_row_height(0, 30)?;
    sheet.set_freeze_panes(1, 0)?;
    // Pre-filled org and unit: the reader skips a row that holds nothing
    // else (see `logs::workbook`).
    for (code, value) in [
        ("org", opts.org.and_then(|i| plan.orgs.get(i)).map(|o| o.code.as_str())),
        (
            "unit",
            opts.unit.and_then(|i| plan.units.get(i)).map(|u| u.code.as_str()),
        ),
    ] {
        let (Some(value), Some(c)) = (value, COLUMNS.iter().position(|x| *x == code)) else {
            continue;
        };
        for r in 1..=TEMPLATE_ROWS {
            sheet.text(r, c as u16, value)?;
        }
    }
    Ok(())
}

/// The check and cell format of log column `code` (at `col`): a code from
/// its list, a date in the term (or `--year`), a whole number, or text.
fn column_check(sheet: &mut Worksheet, e: &Entry<'_>, code: &str, col: u16) -> Result<(), XlsxError> {
    let (plan, lang, list_sheet) = (e.plan, e.lang, e.list_sheet);
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    let num_fmt = Format::new().set_num_format("#,##0");
    let text_fmt = Format::new().set_num_format("@");
    let rows = (1, col, TEMPLATE_ROWS, col);
    if let Some((i, (_, items))) = e.lists.iter().enumerate().find(|(_, (n, _))| *n == code) {
        let letter = crate::logs::workbook::column_letters(2 * i as u32);
        let last = items.len().max(1) + 1;
        let formula = format!("='{list_sheet}'!${letter}$2:${letter}${last}");
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(formula))
            .set_error_title(lang.pick("Mã không hợp lệ", "Invalid code"))?
            .set_error_message(lang.pick(
                &format!("Chọn một mã trong danh sách (xem trang \"{list_sheet}\")."),
                &format!("Pick a code from the list (see the \"{list_sheet}\" sheet)."),
            ))?;
        sheet.add_data_validation(rows.0, rows.1, rows.2, rows.3, &dv)?;
        sheet.set_column_format(col, &text_fmt)?;
    } else if code == "date" {
        let span = match e.opts.year {
            Some(y) => crate::period::year_span(y),
            None => plan.term,
        };
        let (from, to) = (span.start.max(plan.term.start), span.end.min(plan.term.end));
        let dv = DataValidation::new()
            .allow_date(DataValidationRule::Between(excel_date(from)?, excel_date(to)?))
            .set_error_title(lang.pick("Ngày không hợp lệ", "Invalid date"))?
            .set_error_message(lang.pick(
                &format!("Nhập ngày từ {} đến {}.", lang.date(from), lang.date(to)),
                &format!("Enter a date from {} to {}.", lang.date(from), lang.date(to)),
            ))?;
        sheet.add_data_validation(rows.0, rows.1, rows.2, rows.3, &dv)?;
        sheet.set_column_format(col, &date_fmt)?;
    } else if NumColumn::parse(code).is_some() {
        let dv = DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title(lang.pick("Số không hợp lệ", "Invalid number"))?
            .set_error_message(lang.pick("Nhập số nguyên không âm.", "Enter a whole number, 0 or more."))?;
        sheet.add_data_validation(rows.0, rows.1, rows.2, rows.3, &dv)?;
        sheet.set_column_format(col, &num_fmt)?;
    } else {
        sheet.set_column_format(col, &text_fmt)?;
    }
    Ok(())
}

/// The codes sheet: for each list, codes in one column, names beside.
fn codes_sheet(sheet: &mut Worksheet, e: &Entry<'_>) -> Result<(), XlsxError> {
    let lang = e.lang;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center).set_text_wrap();
    sheet.set_name(e.list_sheet)?;
    for (i, (name, items)) in e.lists.iter().enumerate() {
        let col = (2 * i) as u16;
        sheet.write_string_with_format(0, col, *name, &bold)?;
        sheet.write_string_with_format(0, col + 1, lang.pick("Tên", "Name"), &bold)?;
        for (r, (code, label)) in items.iter().enumerate() {
            sheet.text(r as u32 + 1, col, code)?;
            sheet.text(r as u32 + 1, col + 1, label)?;
        }
        sheet.set_column_width(col, width_of(items.iter().map(|(c, _)| c.chars().count())))?;
        sheet.set_column_width(col + 1, width_of(items.iter().map(|(_, n)| n.chars().count())))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A table of a report's appendix: its heading, column titles and rows.
pub struct AppendixTable<'a> {
    pub heading: &'a str,
    pub header: &'a [String],
    pub rows: &'a [Vec<String>],
}

/// `status --format xlsx`: the results (typed numbers, percentages, dates;
/// header row, autofilter), the per-kind counts of the summary window, and
/// the plan and as-of date.
pub fn status(plan: &Plan, eval: &Evaluation, results: &[&TargetResult], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    status_with_appendix(plan, eval, results, &[], lang)
}

/// `report --format xlsx`: the status workbook, then one sheet per table of
/// the report's appendix (heading on the first row, column titles on the
/// second; cells that are plain whole numbers as numbers).
pub fn status_with_appendix(
    plan: &Plan,
    eval: &Evaluation,
    results: &[&TargetResult],
    appendix: &[AppendixTable<'_>],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties(plan)?);
    results_sheet(wb.add_worksheet(), plan, results, lang)?;
    kinds_sheet(wb.add_worksheet(), plan, eval, lang)?;
    about_sheet(wb.add_worksheet(), plan, eval, lang)?;
    for (i, t) in appendix.iter().enumerate() {
        appendix_sheet(wb.add_worksheet(), i, t, lang)?;
    }
    wb.save_to_buffer()
}

/// One row per result, with typed figures, a header row and an autofilter.
fn results_sheet(sheet: &mut Worksheet, plan: &Plan, results: &[&TargetResult], lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    let int_fmt = Format::new().set_num_format("#,##0");
    let pct_fmt = Format::new().set_num_format("0.0%");
    sheet.set_name(lang.pick("Kết quả", "Results"))?;
    let header = [
        "target", "title", "period", "start", "end", "org", "unit", "field", "actual", "required", "expected", "status",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let figure = |s: &mut Worksheet, r: u32, c: u16, f: Option<Figure>| -> Result<(), XlsxError> {
        match f {
            None => {}
            Some(Figure::Int(n)) => {
                s.write_number_with_format(r, c, n as f64, &int_fmt)?;
            }
            Some(Figure::Ratio(x)) => {
                s.write_number_with_format(r, c, x, &pct_fmt)?;
            }
        }
        Ok(())
    };
    for (i, res) in results.iter().enumerate() {
        let r = i as u32 + 1;
        let t = plan.targets.get(res.target);
        let code = |v: Option<&str>| v.unwrap_or("").to_owned();
        sheet.text(r, 0, code(t.map(|t| t.id.as_str())))?;
        sheet.text(r, 1, code(t.map(|t| t.title.as_str())))?;
        sheet.text(r, 2, res.period.label.to_string())?;
        sheet.write_datetime_with_format(r, 3, excel_date(res.period.span.start)?, &date_fmt)?;
        sheet.write_datetime_with_format(r, 4, excel_date(res.period.span.end)?, &date_fmt)?;
        for (c, v) in [
            (5, res.org.and_then(|i| plan.orgs.get(i)).map(|o| o.code.as_str())),
            (6, res.unit.and_then(|i| plan.units.get(i)).map(|o| o.code.as_str())),
            (7, res.field.and_then(|i| plan.fields.get(i)).map(|o| o.code.as_str())),
        ] {
            if let Some(v) = v {
                sheet.text(r, c, v)?;
            }
        }
        figure(sheet, r, 8, res.actual)?;
        figure(sheet, r, 9, Some(res.required))?;
        figure(sheet, r, 10, res.expected.map(Figure::Int))?;
        sheet.text(r, 11, res.status.as_str())?;
    }
    let last = results.len() as u32;
    sheet.autofilter(0, 0, last, (header.len() - 1) as u16)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(1, 50)?;
    sheet.set_column_width(3, 12)?;
    sheet.set_column_width(4, 12)?;
    Ok(())
}

/// The per-kind counts of the summary window, and the window's dates.
fn kinds_sheet(kinds: &mut Worksheet, plan: &Plan, eval: &Evaluation, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    let int_fmt = Format::new().set_num_format("#,##0");
    kinds.set_name(lang.pick("Theo loại", "By kind"))?;
    for (c, h) in ["kind", "name", "done", "scheduled", "cancelled"].iter().enumerate() {
        kinds.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    if let Some(w) = eval.windows.first() {
        for (i, (k, t)) in plan.kinds.iter().zip(&w.kinds).enumerate() {
            let r = i as u32 + 1;
            kinds.text(r, 0, &k.code)?;
            kinds.text(r, 1, &k.name)?;
            kinds.write_number_with_format(r, 2, t.done as f64, &int_fmt)?;
            kinds.write_number_with_format(r, 3, t.scheduled as f64, &int_fmt)?;
            kinds.write_number_with_format(r, 4, t.cancelled as f64, &int_fmt)?;
        }
        kinds.write_string_with_format(plan.kinds.len() as u32 + 2, 0, lang.pick("Từ", "From"), &bold)?;
        kinds.write_datetime_with_format(plan.kinds.len() as u32 + 2, 1, excel_date(w.span.start)?, &date_fmt)?;
        kinds.write_string_with_format(plan.kinds.len() as u32 + 3, 0, lang.pick("Đến", "To"), &bold)?;
        kinds.write_datetime_with_format(plan.kinds.len() as u32 + 3, 1, excel_date(w.span.end)?, &date_fmt)?;
    }
    kinds.set_column_width(1, 30)?;
    Ok(())
}

/// The plan's id and the as-of date.
fn about_sheet(about: &mut Worksheet, plan: &Plan, eval: &Evaluation, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    about.set_name(lang.pick("Thông tin", "About"))?;
    about.write_string_with_format(0, 0, "plan", &bold)?;
    about.text(0, 1, &plan.id)?;
    about.write_string_with_format(1, 0, "as_of", &bold)?;
    about.write_datetime_with_format(1, 1, excel_date(eval.as_of)?, &date_fmt)?;
    about.set_column_width(1, 14)?;
    Ok(())
}

/// Table `i` of the report's appendix.
fn appendix_sheet(sheet: &mut Worksheet, i: usize, t: &AppendixTable<'_>, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.set_name(format!("{} {}", lang.pick("Phụ lục", "Appendix"), i + 1))?;
    sheet.write_string_with_format(0, 0, t.heading, &bold)?;
    for (c, h) in t.header.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, h, &bold)?;
        let widest = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|x| x.chars().count())
            .chain([h.chars().count()]);
        sheet.set_column_width(c as u16, width_of(widest))?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<u64>() {
                Ok(n) if cell.bytes().all(|b| b.is_ascii_digit()) => {
                    sheet.write_number(r, c as u16, n as f64)?;
                }
                _ => {
                    sheet.text(r, c as u16, cell)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(())
}
