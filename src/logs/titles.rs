//! Log header cells: a column is named by its code (`date`) or by its
//! Vietnamese title as `plan schema` exports it (`Ngày`), in CSV and
//! workbooks alike. `plan fmt` writes the codes.
//!
//! The titles, as written in the schema (diacritics and case count; a cell
//! in decomposed Unicode, as Excel's Windows-1258 gives, is normalised first):
//! `Ngày`, `Tổ chức`, `Đơn vị`, `Loại hoạt động`, `Trạng thái`, `Nội dung`,
//! `Lĩnh vực`, `Số văn bản`, `Số người tham gia`, `Kinh phí`,
//! `Số kiến nghị`, `Số kiến nghị đã giải quyết`, `Ghi chú`.

use crate::columns::COLUMNS;

/// The index in [`COLUMNS`] of the column a header cell names (already
/// trimmed), by code or by Vietnamese title.
pub fn column_index(cell: &str) -> Option<usize> {
    if let Some(i) = COLUMNS.iter().position(|c| *c == cell) {
        return Some(i);
    }
    if cell.is_ascii() {
        return None;
    }
    let cell = crate::text::nfc(cell);
    COLUMNS.iter().position(|c| crate::schema::title(c) == cell)
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn codes_and_vietnamese_titles_name_columns() {
        assert_eq!(column_index("date"), Some(0));
        assert_eq!(column_index("Ngày"), Some(0));
        assert_eq!(column_index("Tổ chức"), Some(1));
        assert_eq!(column_index("Số kiến nghị đã giải quyết"), Some(11));
        // Decomposed (Excel's Windows-1258) is the same title.
        let nfd: String = "Loại hoạt động".nfd().collect();
        assert_eq!(column_index(&nfd), Some(3));
        assert_eq!(column_index("ngày"), None);
        assert_eq!(column_index("Date"), None);
    }

    #[test]
    fn every_column_has_a_distinct_title() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(column_index(crate::schema::title(c)), Some(i), "{c}");
        }
    }
}
