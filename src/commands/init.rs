//! `plan init [DIR]`: a workspace for another programme — a commented plan
//! (every section, one example of each target shape), one log per
//! organisation, `.gitignore`, the CI recipe and a README with the next
//! three steps. `plan check` is clean on the result; nothing that exists is
//! overwritten (if any file would be, nothing is written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::cli::InitArgs;
use crate::columns::COLUMNS;
use crate::error::Error;
use crate::lang::Lang;

use super::Exit;

const ORGS: [(&str, &str); 3] = [
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("HND", "Hội Nông dân"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ"),
];

pub fn run(lang: Lang, cwd: &Path, args: &InitArgs) -> Result<Exit, Error> {
    let files = plan_files(lang, args).map_err(Error::Usage)?;
    let dir = args.folder.as_ref().map_or_else(|| cwd.to_path_buf(), |d| cwd.join(d));
    write_all(&dir, &files, lang)?;
    let shown = dir.display();
    println!(
        "{}",
        lang.pick(
            &format!("đã tạo không gian làm việc trong {shown}: xem README.md để biết ba bước tiếp theo"),
            &format!("created a workspace in {shown}: README.md gives the next three steps"),
        )
    );
    Ok(Exit::Success)
}

fn date(lang: Lang, what: &str, text: Option<&str>, default: NaiveDate) -> Result<NaiveDate, String> {
    match text {
        None => Ok(default),
        Some(t) => NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
            lang.pick(
                &format!("--{what} `{t}`: hãy viết ngày dạng YYYY-MM-DD"),
                &format!("--{what} `{t}`: write the date as YYYY-MM-DD"),
            )
            .to_owned()
        }),
    }
}

/// The files of the new workspace, relative to it.
fn plan_files(lang: Lang, args: &InitArgs) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let id = args.id.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(lang
            .pick(
                &format!("--id `{id}`: chỉ dùng chữ cái không dấu, chữ số, - và _"),
                &format!("--id `{id}`: use only ASCII letters, digits, - and _"),
            )
            .to_owned());
    }
    let start = date(lang, "start", args.start.as_deref(), crate::period::ymd(2026, 1, 1))?;
    let end = date(lang, "end", args.end.as_deref(), crate::period::ymd(2030, 12, 31))?;
    if end < start {
        return Err(lang
            .pick("--end phải sau --start", "--end must come after --start")
            .to_owned());
    }
    let title = args.title.clone().unwrap_or_else(|| {
        lang.pick("Đề án (đặt tên đề án ở đây)", "Programme (name it here)")
            .to_owned()
    });
    let mut files = vec![
        (
            PathBuf::from(format!("plans/{id}.toml")),
            plan_toml(lang, id, &title, start, end).into_bytes(),
        ),
        (
            PathBuf::from(".gitignore"),
            b"/target/\n*.tmp\n~$*\n.~lock.*#\n".to_vec(),
        ),
        (
            PathBuf::from(".github/workflows/plan.yml"),
            include_str!("../../examples/ci/github-actions.yml").as_bytes().to_vec(),
        ),
        (PathBuf::from("README.md"), readme(lang, id).into_bytes()),
    ];
    for (code, _) in ORGS {
        let mut text = COLUMNS.join(",");
        text.push('\n');
        files.push((
            PathBuf::from(format!("logs/{}.csv", code.to_lowercase())),
            text.into_bytes(),
        ));
    }
    Ok(files)
}

fn write_all(dir: &Path, files: &[(PathBuf, Vec<u8>)], lang: Lang) -> Result<(), Error> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| dir.join(p).symlink_metadata().is_ok())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(
            lang.pick(
                &format!(
                    "{} đã có: `plan init` không ghi đè; chọn một thư mục khác hoặc xóa các tệp đó",
                    existing.join(", ")
                ),
                &format!(
                    "{} already exist(s): `plan init` overwrites nothing; pick another folder or remove them",
                    existing.join(", ")
                ),
            )
            .to_owned(),
        ));
    }
    for (p, bytes) in files {
        let path = dir.join(p);
        save(&path, bytes).map_err(|e| Error::Io(format!("{}: {}", path.display(), e.message(lang))))?;
    }
    Ok(())
}

/// Writes one new file (never replacing one).
fn save(path: &Path, bytes: &[u8]) -> Result<(), crate::safe_write::WriteError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::safe_write::write_new_file(path, bytes)
}

fn plan_toml(lang: Lang, id: &str, title: &str, start: NaiveDate, end: NaiveDate) -> String {
    let c = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let orgs = ORGS.iter().fold(String::new(), |mut out, (k, v)| {
        let _ = writeln!(out, "{k} = \"{v}\"");
        out
    });
    let mut s = String::new();
    s += &c(
        "# Kế hoạch của đề án, đọc bởi `plan`. Các dòng bắt đầu bằng # là chú thích.\n# Sửa các giá trị cho đúng đề án của bạn, rồi chạy `plan check`.\n",
        "# The programme's plan, read by `plan`. Lines starting with # are comments.\n# Change the values to your programme's, then run `plan check`.\n",
    );
    s += "format = 1\n\n[plan]\n";
    s += &c(
        "# Mã kế hoạch (chữ không dấu, số, -): dùng trong --plan và tên tệp.\n",
        "# The plan's id (ASCII letters, digits, -): used by --plan and the file name.\n",
    );
    s += &format!("id = \"{id}\"\ntitle = \"{title}\"\n");
    s += &c(
        "# Thời gian thực hiện: ngày đầu và ngày cuối.\n",
        "# The term: first and last day.\n",
    );
    s += &format!("start = {start}\nend = {end}\n");
    s += &c(
        "# Cơ quan chủ trì (một mã trong [orgs]).\n",
        "# The lead organisation (a code from [orgs]).\n",
    );
    s += "lead = \"MTTQ\"\ncurrency = \"VND\"\n";
    s += &c(
        "# Nhật ký hoạt động: tệp CSV hoặc sổ tính Excel (.xlsx, .ods) khớp các mẫu này.\n",
        "# Activity logs: CSV files or Excel workbooks (.xlsx, .ods) matching these globs.\n",
    );
    s += "logs = [\"logs/**/*.{csv,xlsx,ods}\"]\n\n[reporting]\n";
    s += &c(
        "# Kỳ sơ kết và tổng kết (nửa năm: 2028H1).\n",
        "# Mid-term and final reviews (half-years: 2028H1).\n",
    );
    let half = |d: NaiveDate| format!("{}H{}", d.year(), if d.month() <= 6 { 1 } else { 2 });
    let mid = start + (end - start) / 2;
    s += &format!("midterm = \"{}\"\nfinal = \"{}\"\n\n", half(mid), half(end));
    s += "[orgs]\n";
    s += &c(
        "# Các tổ chức ghi nhật ký: MÃ = \"tên\".\n",
        "# The organisations that keep logs: CODE = \"name\".\n",
    );
    s += &orgs;
    s += "\n[levels]\n";
    s += &c(
        "# Các cấp hành chính, từ trên xuống.\n",
        "# Administrative levels, from the top.\n",
    );
    s += &c(
        "province = \"Cấp tỉnh\"\ndistrict = \"Cấp huyện\"\n\n",
        "province = \"Province\"\ndistrict = \"District\"\n\n",
    );
    s += &c(
        "# Các đơn vị hành chính; `until` (hoặc `from`) khi đơn vị không tồn tại suốt thời gian đề án.\n",
        "# Administrative units; `until` (or `from`) when a unit does not exist for the whole term.\n",
    );
    s += "[units.tinh]\n";
    s += &c("name = \"Tỉnh\"\n", "name = \"Province\"\n");
    s += "level = \"province\"\n\n[units.huyen-a]\n";
    s += &c("name = \"Huyện A\"\n", "name = \"District A\"\n");
    s += "level = \"district\"\n\n[kinds]\n";
    s += &c(
        "# Các loại hoạt động; field = true: dòng loại này phải ghi lĩnh vực.\n",
        "# Activity kinds; field = true: rows of this kind must name a field.\n",
    );
    s += &c(
        "supervision = { name = \"Giám sát\", field = true, counter = \"cuộc\" }\ndialogue = { name = \"Hội nghị đối thoại\", counter = \"hội nghị\" }\ncriticism = \"Phản biện xã hội\"\n\n",
        "supervision = { name = \"Supervision\", field = true }\ndialogue = \"Dialogue\"\ncriticism = \"Social criticism\"\n\n",
    );
    s += "[fields]\n";
    s += &c(
        "F1 = \"Nông nghiệp\"\nF2 = \"Giáo dục\"\n\n",
        "F1 = \"Agriculture\"\nF2 = \"Education\"\n\n",
    );
    s += &c(
        "# Chỉ tiêu: mỗi [[target]] là một yêu cầu của đề án. Năm mẫu dưới đây là năm dạng thường gặp.\n\n",
        "# Targets: each [[target]] is one requirement of the programme. The five below are the common shapes.\n\n",
    );
    s += &targets(lang, start, end);
    s
}

/// The five example targets of the new plan, one of each common shape.
fn targets(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    let c = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    let years: Vec<i32> = (start.year()..=end.year()).collect();
    let schedule: Vec<String> = years.iter().map(|y| format!("{y} = 10")).collect();
    let total = 10 * years.len();
    let mut s = String::new();
    s += &c(
        "# 1. Tổng cả giai đoạn, phân kỳ theo năm (schedule).\n",
        "# 1. A total for the term, phased by year (schedule).\n",
    );
    s += &format!(
        "[[target]]\nid = \"supervision-total\"\ntitle = \"{}\"\nkind = \"supervision\"\nper = \"term\"\nmin = {total}\nschedule = {{ {} }}\n\n",
        c(
            &format!("Tổng số {total} cuộc giám sát trong cả giai đoạn"),
            &format!("{total} supervisions over the term")
        ),
        schedule.join(", ")
    );
    s += &c("# 2. Mỗi tổ chức, mỗi năm.\n", "# 2. Each organisation, every year.\n");
    s += &format!(
        "[[target]]\nid = \"dialogue-org-year\"\ntitle = \"{}\"\nkind = \"dialogue\"\neach = [\"org\"]\nper = \"year\"\nmin = 2\n\n",
        c(
            "Mỗi tổ chức tổ chức từ 02 hội nghị đối thoại mỗi năm",
            "Each organisation holds 2 dialogues a year"
        )
    );
    s += &c("# 3. Mỗi đơn vị cấp huyện.\n", "# 3. Each district unit.\n");
    s += &format!(
        "[[target]]\nid = \"dialogue-district\"\ntitle = \"{}\"\nkind = \"dialogue\"\nlevels = [\"district\"]\neach = [\"unit\"]\nper = \"year\"\nmin = 1\n\n",
        c(
            "Mỗi huyện 01 hội nghị đối thoại mỗi năm",
            "Each district holds 1 dialogue a year"
        )
    );
    s += &c(
        "# 4. Kinh phí: tổng cột cost không vượt mức.\n",
        "# 4. Budget: the sum of the cost column stays under a cap.\n",
    );
    s += &format!(
        "[[target]]\nid = \"budget\"\ntitle = \"{}\"\nkind = [\"supervision\", \"dialogue\", \"criticism\"]\nper = \"term\"\nmeasure = \"sum:cost\"\nmax = 1000000000\n\n",
        c(
            "Kinh phí cả giai đoạn không quá 1.000.000.000 đồng",
            "Budget for the term at most 1,000,000,000"
        )
    );
    s += &c(
        "# 5. Tỷ lệ hoàn thành: số đã làm ÷ số đã lên kế hoạch.\n",
        "# 5. Completion: done ÷ scheduled.\n",
    );
    s += &format!(
        "[[target]]\nid = \"criticism\"\ntitle = \"{}\"\nkind = \"criticism\"\nper = \"year\"\nmeasure = \"completion\"\nmin_ratio = 1.0\n",
        c(
            "Hoàn thành 100% số cuộc phản biện đã lên kế hoạch",
            "Complete every planned social criticism"
        )
    );
    s
}

fn readme(lang: Lang, id: &str) -> String {
    lang.pick(
        &format!(
            "# Đề án `{id}`\n\nKhông gian làm việc của `plan`: kế hoạch trong `plans/{id}.toml`, nhật ký hoạt động trong `logs/`.\n\n## Ba bước tiếp theo\n\n1. Sửa `plans/{id}.toml` cho đúng đề án (tổ chức, đơn vị, loại hoạt động, chỉ tiêu), rồi chạy `plan check`.\n2. Mỗi tổ chức nhận một sổ nhập liệu: `plan template --org MTTQ -o logs/mttq.xlsx` (xóa `logs/mttq.csv` nếu dùng sổ tính), điền các dòng hoạt động và nộp lại vào `logs/`.\n3. Xem tiến độ: `plan status`, và lập báo cáo: `plan report --half 2026H1 -o bao-cao.docx`.\n\n`.github/workflows/plan.yml` chạy `plan check` trên mỗi lần đẩy mã.\n"
        ),
        &format!(
            "# Programme `{id}`\n\nA `plan` workspace: the plan in `plans/{id}.toml`, activity logs in `logs/`.\n\n## The next three steps\n\n1. Edit `plans/{id}.toml` to match the programme (organisations, units, kinds, targets), then run `plan check`.\n2. Give each organisation an entry workbook: `plan template --org MTTQ -o logs/mttq.xlsx` (remove `logs/mttq.csv` if you use workbooks), fill in the activity rows, and put it back in `logs/`.\n3. Follow progress with `plan status`, and draft reports with `plan report --half 2026H1 -o report.docx`.\n\n`.github/workflows/plan.yml` runs `plan check` on every push.\n"
        ),
    )
    .to_owned()
}
