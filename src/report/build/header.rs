//! The head of a report draft: the two-column administrative header, the
//! title, the opening paragraph, and section I (leadership), which people fill.

use super::*;

impl Builder<'_> {
    /// The document's properties: its title, the issuing body as author,
    /// the as-of date, the language.
    pub(super) fn meta(&self) -> Meta {
        let title = match self.lang {
            Lang::Vi => format!("Báo cáo {}", self.report_of(&self.plan_ref(true))),
            Lang::En => format!("Report on the {}", self.report_of(&self.plan_ref(true))),
        };
        Meta {
            title: title.replace(['\u{a0}'], " ").replace('\u{2011}', "-"),
            author: self.reporter(),
            date: self.scope.as_of.format("%Y-%m-%d").to_string(),
            language: self.in_lang("vi-VN", "en-GB").to_owned(),
        }
    }

    pub(super) fn header(&self) -> DocumentHeader {
        let r = &self.reporting;
        let (body, office) = match self.lang {
            Lang::En => (
                r.body_en.as_ref().or(r.body.as_ref()),
                r.office_en.as_ref().or(r.office.as_ref()),
            ),
            Lang::Vi => (r.body.as_ref(), r.office.as_ref()),
        };
        let mut body: Vec<String> =
            body.map_or_else(|| vec!["[...]".to_owned()], |b| b.lines().map(str::to_owned).collect());
        body.extend(office.cloned());
        let symbol = r.symbol.as_deref().unwrap_or("...");
        let place = self.place.as_deref().unwrap_or("...");
        let year = self.scope.as_of.year();
        let (number, place_date) = match self.lang {
            // Party-style numbering (Hướng dẫn 36-HD/VPTW): `Số ...-BC/TĐTN`.
            Lang::Vi if symbol.starts_with("BC/") => (
                format!("Số ...-{symbol}"),
                format!("{place}, ngày ... tháng ... năm {year}"),
            ),
            Lang::Vi => (
                format!("Số: .../{symbol}"),
                format!("{place}, ngày ... tháng ... năm {year}"),
            ),
            Lang::En => (format!("No.: .../{symbol}"), format!("{place}, ... {year}")),
        };
        let motto = match self.lang {
            Lang::Vi => ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
            Lang::En => ["SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"],
        };
        // The title on two lines as practice sets it (what, then the
        // period), with no line break inside the period phrase or the
        // Đề án's number.
        let plan_ref = self
            .plan_ref(true)
            .replace(&self.plan.number, &self.plan.number.replace('-', "\u{2011}"));
        let title = match (self.scope.kind, self.lang) {
            (ReportKind::Half(_) | ReportKind::Year(_), Lang::Vi) => vec![
                format!("Kết quả thực hiện {plan_ref}"),
                self.period_phrase().replace(' ', "\u{a0}"),
            ],
            _ => vec![capitalise(&self.report_of(&plan_ref))],
        };
        DocumentHeader {
            body,
            motto: motto.map(str::to_owned).to_vec(),
            number,
            place_date,
            doc_type: self.in_lang("BÁO CÁO", "REPORT").to_owned(),
            title,
        }
    }

    pub(super) fn opening(&mut self) {
        // Nghị định 30, box 9a: the optional addressee under the title; an
        // English draft has one when the plan gives `kinh_gui_en`.
        let to = match self.lang {
            Lang::Vi => self.reporting.kinh_gui.as_deref(),
            Lang::En => self.reporting.kinh_gui_en.as_deref(),
        };
        if let Some(to) = to.filter(|t| !t.trim().is_empty()) {
            let to = to.trim().trim_end_matches('.');
            let label = self.in_lang("Kính gửi", "To");
            self.push(Block::Centered(vec![Text::plain(format!("{label}: {to}."))]));
        }
        let title = match (self.lang, &self.plan.title_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => self.plan.title.clone(),
        };
        let about = title
            .strip_prefix("Đề án ")
            .or_else(|| title.strip_prefix("Scheme "))
            .unwrap_or(&title)
            .to_owned();
        let text = match self.lang {
            Lang::Vi => format!(
                "Thực hiện {} về {about}; {} báo cáo {} (số liệu tính đến ngày {}) như sau:",
                self.plan_ref(false),
                self.reporter(),
                self.report_of("Đề án"),
                self.prose_date(self.scope.as_of)
            ),
            Lang::En => format!(
                "Pursuant to {} ({about}), {} reports on the {} (figures as of {}) as follows:",
                self.plan_ref(false),
                self.reporter(),
                self.report_of("the Scheme"),
                self.prose_date(self.scope.as_of)
            ),
        };
        self.para(text);
    }

    pub(super) fn leadership(&mut self) {
        let h = self.in_lang(
            "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
            "LEADERSHIP, DIRECTION AND IMPLEMENTATION",
        );
        self.heading(1, format!("{}. {h}", roman(0)));
        self.placeholder(
            "Nêu các văn bản lãnh đạo, chỉ đạo, kế hoạch, hướng dẫn đã ban hành trong kỳ và cách thức triển khai.",
            "List the directives, plans and guidance issued in the period and how they were carried out.",
        );
    }
}
