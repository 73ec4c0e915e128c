//! Output language and the Vietnamese way of writing figures: thousands with
//! `.`, decimals with `,`, dates `dd/mm/yyyy`. English writes `30,727,000,000`,
//! `51.7%` and ISO dates.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Vietnamese (the default: the users are Vietnamese).
    #[default]
    Vi,
    /// English, for partners and reviewers.
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// What went wrong with a file, in this language: the common cases in
    /// Vietnamese words, anything else as the system says it.
    pub fn io_error(self, e: &std::io::Error) -> String {
        use std::io::ErrorKind as K;
        let vi = match e.kind() {
            K::NotFound => "không tìm thấy tệp hoặc thư mục",
            K::PermissionDenied => "không có quyền truy cập",
            K::IsADirectory => "đây là một thư mục, không phải tệp",
            K::NotADirectory => "một phần của đường dẫn không phải thư mục",
            K::StorageFull => "ổ đĩa đã đầy",
            K::ReadOnlyFilesystem => "ổ đĩa chỉ cho phép đọc",
            K::AlreadyExists => "tệp đã tồn tại",
            _ => "",
        };
        match self {
            Lang::Vi if !vi.is_empty() => vi.to_owned(),
            _ => e.to_string(),
        }
    }

    /// An integer with thousands separators: `30.727.000.000` / `30,727,000,000`.
    pub fn int(self, n: u64) -> String {
        let sep = self.pick(".", ",");
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    /// A ratio (0.517) as a percentage with one decimal: `51,7%` / `51.7%`.
    /// Whole numbers drop the decimal: `100%`.
    pub fn percent(self, ratio: f64) -> String {
        let tenths = (ratio * 1000.0).round();
        if !tenths.is_finite() {
            return "-".to_owned();
        }
        let whole = (tenths / 10.0).trunc();
        let frac = (tenths - whole * 10.0).abs();
        // Grouped like any other number: `1.500%`.
        let sign = if whole < 0.0 { "-" } else { "" };
        let whole = self.int(whole.abs() as u64);
        if frac == 0.0 {
            format!("{sign}{whole}%")
        } else {
            format!("{sign}{whole}{}{frac:.0}%", self.pick(",", "."))
        }
    }

    /// A date: `05/07/2023` / `2023-07-05`.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_in_the_users_language() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(Lang::Vi.io_error(&e), "không tìm thấy tệp hoặc thư mục");
        assert_eq!(Lang::En.io_error(&e), e.to_string());
        let other = std::io::Error::other("disk on fire");
        assert_eq!(Lang::Vi.io_error(&other), "disk on fire");
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(Lang::Vi.int(30_727_000_000), "30.727.000.000");
        assert_eq!(Lang::En.int(30_727_000_000), "30,727,000,000");
        assert_eq!(Lang::Vi.int(0), "0");
        assert_eq!(Lang::Vi.int(999), "999");
        assert_eq!(Lang::Vi.int(1000), "1.000");
        assert_eq!(Lang::Vi.percent(195.0 / 377.0), "51,7%");
        assert_eq!(Lang::En.percent(195.0 / 377.0), "51.7%");
        assert_eq!(Lang::Vi.percent(1.0), "100%");
        assert_eq!(Lang::Vi.percent(0.0), "0%");
        assert_eq!(Lang::Vi.percent(0.75), "75%");
        assert_eq!(Lang::Vi.percent(15.0), "1.500%");
        assert_eq!(Lang::En.percent(21.005), "2,100.5%");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2023, 7, 5).unwrap();
        assert_eq!(Lang::Vi.date(d), "05/07/2023");
        assert_eq!(Lang::En.date(d), "2023-07-05");
    }
}
