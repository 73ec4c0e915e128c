//! The texts of the help: the Vietnamese help of every argument and
//! command, what `plan` is in English, and each command's examples in both
//! languages.

/// Vietnamese help of an argument: (command, argument id) → text. An empty
/// command matches any command (the global options).
pub(super) const VI_ARGS: &[(&str, &str, &str)] = &[
    (
        "",
        "dir",
        "Chạy như thể bắt đầu trong THƯ_MỤC (thư mục làm việc là thư mục gần nhất, tại đó hoặc ở trên, có chứa plans/).",
    ),
    (
        "",
        "plan",
        "Kế hoạch cần dùng, theo mã (cần khi plans/ có nhiều kế hoạch).",
    ),
    (
        "",
        "lang",
        "Ngôn ngữ của mọi thứ người dùng đọc (cũng đặt được bằng biến PLAN_LANG).",
    ),
    (
        "",
        "color",
        "Khi nào tô màu: `auto` tô màu khi in ra màn hình, trừ khi có biến NO_COLOR.",
    ),
    (
        "",
        "quiet",
        "Không in gì khi mọi việc thành công (không in \"không có lỗi\", \"đã ghi báo cáo vào …\"); lỗi vẫn được in.",
    ),
    ("", "help", "In trợ giúp này."),
    ("", "version", "In phiên bản."),
    (
        "check",
        "format",
        "Dạng kết quả: `human` (ra stderr), `json`, `github` (lệnh workflow của GitHub) hoặc `gitlab` (báo cáo code quality), ra stdout.",
    ),
    (
        "check",
        "at",
        "Ngày dùng thay cho hôm nay (cho lỗi `done-in-future`), để CI cho cùng kết quả mỗi lần chạy.",
    ),
    ("status", "half", "Nửa năm: 2023H1 (cũng được: 2023S1, `last`, `this`)."),
    ("status", "year", "Năm dương lịch: 2023, `last` hoặc `this`."),
    ("status", "term", "Toàn bộ thời gian của kế hoạch."),
    (
        "status",
        "at",
        "Tính đến ngày này (mặc định: ngày cuối của kỳ hoặc hôm nay, lấy ngày sớm hơn).",
    ),
    ("status", "target", "Chỉ mục tiêu này (theo mã)."),
    (
        "status",
        "bom",
        "Ghi dấu BOM UTF-8 ở đầu tệp CSV, để Excel mở ra đúng dấu tiếng Việt khi nháy đúp.",
    ),
    ("template", "org", "Điền sẵn tổ chức này vào mọi dòng."),
    ("template", "unit", "Điền sẵn đơn vị này vào mọi dòng."),
    ("template", "year", "Chỉ nhận ngày trong năm này."),
    ("template", "output", "Sổ tính cần ghi (.xlsx); không ghi đè tệp đã có."),
    (
        "init",
        "folder",
        "Nơi tạo thư mục làm việc (tạo mới nếu chưa có; không được có sẵn tệp nào mà `init` sẽ ghi).",
    ),
    ("init", "id", "Mã của kế hoạch (cũng là tên tệp, `plans/MÃ.toml`)."),
    ("init", "title", "Tên của kế hoạch."),
    ("init", "start", "Ngày đầu của thời gian thực hiện."),
    ("init", "end", "Ngày cuối của thời gian thực hiện."),
    ("site", "half", "Nửa năm: 2023H1 (cũng được: 2023S1, `last`, `this`)."),
    ("site", "year", "Năm dương lịch: 2023, `last` hoặc `this`."),
    ("site", "term", "Toàn bộ thời gian của kế hoạch."),
    (
        "site",
        "at",
        "Tính đến ngày này (mặc định: ngày cuối của kỳ hoặc hôm nay, lấy ngày sớm hơn).",
    ),
    (
        "site",
        "output",
        "Thư mục để ghi `index.html` vào (tạo mới nếu chưa có).",
    ),
    ("status", "org", "Chỉ kết quả của tổ chức này."),
    ("status", "unit", "Chỉ kết quả của đơn vị này."),
    (
        "status",
        "behind",
        "Chỉ kết quả chậm tiến độ, không đạt hoặc vượt hạn mức.",
    ),
    (
        "status",
        "all",
        "Mọi kỳ, không chỉ các kỳ quanh ngày tính (dạng table và md).",
    ),
    (
        "status",
        "fail_on",
        "Thoát với mã 3 khi có kết quả mang một trong các trạng thái này (cách nhau bằng dấu phẩy, ví dụ `missed,over`).",
    ),
    (
        "status",
        "format",
        "Dạng kết quả. Mặc định: theo đuôi của `-o TỆP` (`.json`, `.csv`, `.md`), nếu không thì `table`.",
    ),
    (
        "status",
        "output",
        "Ghi vào TỆP thay vì ra màn hình (`-` là ra màn hình).",
    ),
    (
        "report",
        "half",
        "Báo cáo 6 tháng: 2023H1 (cũng được: 2023S1, `last`, `this`).",
    ),
    ("report", "year", "Báo cáo năm."),
    (
        "report",
        "midterm",
        "Báo cáo sơ kết giữa nhiệm kỳ (nửa năm `[reporting] midterm` của kế hoạch).",
    ),
    (
        "report",
        "final_",
        "Báo cáo tổng kết (`[reporting] final` của kế hoạch, hoặc cuối nhiệm kỳ).",
    ),
    (
        "report",
        "term",
        "Toàn nhiệm kỳ: báo cáo tổng kết đến nửa năm cuối của nhiệm kỳ.",
    ),
    ("report", "at", "Tính đến ngày này thay vì ngày cuối của kỳ."),
    (
        "report",
        "org",
        "Báo cáo của tổ chức này (chỉ số liệu của tổ chức, dưới tiêu đề riêng).",
    ),
    ("report", "unit", "Báo cáo của đơn vị này (mọi tổ chức trong đơn vị)."),
    (
        "report",
        "all_offices",
        "Ghi báo cáo của mọi tổ chức, đơn vị vào thư mục `-o THƯ_MỤC`, cùng báo cáo tổng hợp.",
    ),
    (
        "report",
        "format",
        "Dạng kết quả. Mặc định: theo đuôi của `-o TỆP` (`.md`, `.docx`), nếu không thì `md`.",
    ),
    (
        "report",
        "output",
        "Ghi vào TỆP thay vì ra màn hình (`-` là ra màn hình).",
    ),
    (
        "fmt",
        "check",
        "Không sửa gì; với mỗi tệp sẽ bị đổi, in dòng đầu tiên khác, và thoát với mã 1 nếu có.",
    ),
    (
        "fmt",
        "diff",
        "Cùng với `--check`: in một diff hợp nhất ngắn của từng tệp.",
    ),
    (
        "fmt",
        "files",
        "Các tệp cần định dạng (mặc định: mọi kế hoạch và mọi nhật ký của chúng).",
    ),
    (
        "diff",
        "rev",
        "Phiên bản cũ (bất kỳ phiên bản git nào: một commit, một nhánh, HEAD~1).",
    ),
    ("diff", "rev2", "Phiên bản mới (mặc định: thư mục làm việc hiện tại)."),
    ("diff", "format", "Dạng kết quả."),
    (
        "schema",
        "format",
        "Loại lược đồ: `frictionless` (lược đồ của nhật ký) hoặc `status-json` (JSON Schema của `status --format json`).",
    ),
    ("completions", "shell", "Shell cần gợi ý lệnh."),
    (
        "man",
        "dir",
        "Ghi `plan.1` và một trang cho mỗi lệnh (`plan-status.1`, …) vào THƯ_MỤC thay vì in `plan.1`.",
    ),
];

/// Vietnamese one-line descriptions of the commands.
pub(super) const VI_ABOUT: &[(&str, &str)] = &[
    (
        "plan",
        "Kiểm tra kế hoạch (TOML) và nhật ký hoạt động (CSV), theo dõi việc thực hiện các chỉ tiêu, và soạn dự thảo báo cáo 6 tháng, năm, sơ kết và tổng kết.",
    ),
    ("check", "Kiểm tra kế hoạch và nhật ký; in mọi lỗi kèm vị trí."),
    ("status", "Tình hình thực hiện các chỉ tiêu tính đến một ngày."),
    ("report", "Soạn dự thảo báo cáo (6 tháng, năm, sơ kết hoặc tổng kết)."),
    (
        "fmt",
        "Viết lại kế hoạch và nhật ký theo dạng chuẩn (giữ nguyên chú thích).",
    ),
    ("diff", "Những gì kế hoạch thay đổi về nội dung giữa hai phiên bản git."),
    (
        "schema",
        "In lược đồ của nhật ký, hoặc của `status --format json`, cho công cụ khác.",
    ),
    (
        "completions",
        "In đoạn mã gợi ý lệnh cho shell (bash, zsh, fish hoặc powershell).",
    ),
    ("man", "In trang hướng dẫn (roff), cho `man` và cho người đóng gói."),
    (
        "template",
        "Ghi sổ tính nhập liệu (.xlsx) để một cơ quan điền hoạt động.",
    ),
    (
        "init",
        "Tạo thư mục làm việc cho một đề án mới trong THƯ_MỤC (mặc định: tại đây).",
    ),
    (
        "site",
        "Ghi trang tổng quan HTML xem không cần mạng (THƯ_MỤC/index.html), có biểu đồ.",
    ),
];

/// What `plan` is, in English (the crate description is shorter).
pub(super) const EN_ABOUT: &str = "Validate programme plans (TOML) and activity logs (CSV), show compliance with their targets, and draft the six-monthly, annual, mid-term and final reports.";

/// Examples at the end of each command's help: (command, vi, en).
pub(super) const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "template",
        "  plan template -o nhap-lieu.xlsx                 sổ nhập liệu chung\n  plan template --org HND -o hnd.xlsx             điền sẵn Hội Nông dân\n  plan template --unit bat-xat --year 2024 -o bx.xlsx  một huyện, năm 2024",
        "  plan template -o entry.xlsx                     an entry workbook\n  plan template --org HND -o hnd.xlsx             pre-filled for one organisation\n  plan template --unit bat-xat --year 2024 -o bx.xlsx  one district, 2024 only",
    ),
    (
        "init",
        "  plan init de-an-moi                             thư mục làm việc mới\n  plan init x --id 12-DA --start 2026-01-01 --end 2030-12-31  kèm mã và thời gian\n  plan init --lang en                             chú thích bằng tiếng Anh",
        "  plan init new-programme                         a new workspace\n  plan init x --id 12-DA --start 2026-01-01 --end 2030-12-31  with its id and term\n  plan init --lang en                             comments in English",
    ),
    (
        "site",
        "  plan site --half 2023H1 -o tongquan   trang tổng quan 6 tháng đầu 2023\n  plan site --term -o tongquan          cả thời gian của kế hoạch\n  plan site --lang en -o dashboard      bằng tiếng Anh",
        "  plan site --half 2023H1 -o dashboard  the dashboard for the first half of 2023\n  plan site --term -o dashboard         the whole term\n  plan site --lang en -o dashboard      in English",
    ),
    (
        "plan",
        "  plan check                        kiểm tra mọi kế hoạch và nhật ký\n  plan status --half 2023H1         tình hình 6 tháng đầu năm 2023\n  plan report --year 2024 -o bc.docx  báo cáo năm 2024 dạng Word",
        "  plan check                        check every plan and log\n  plan status --half 2023H1         status for the first half of 2023\n  plan report --year 2024 -o r.docx   the 2024 annual report as Word",
    ),
    (
        "check",
        "  plan check                        in lỗi kèm dòng nguồn\n  plan check --format github        chú thích cho GitHub Actions\n  plan check --at 2023-12-31        như thể hôm nay là 31/12/2023",
        "  plan check                        problems with their source lines\n  plan check --format github        annotations for GitHub Actions\n  plan check --at 2023-12-31        as if today were 2023-12-31",
    ),
    (
        "status",
        "  plan status                       các kỳ quanh hôm nay\n  plan status --half 2023H1 --behind  chỉ những gì chậm, 6 tháng đầu 2023\n  plan status --format json -o s.json  ghi JSON cho công cụ khác",
        "  plan status                       the periods around today\n  plan status --half 2023H1 --behind  only what is behind, first half of 2023\n  plan status --format json -o s.json  JSON for other tools",
    ),
    (
        "report",
        "  plan report --half 2023H1         dự thảo Markdown ra màn hình\n  plan report --year 2024 -o bc.docx  báo cáo năm dạng Word\n  plan report --final -o tongket.md  báo cáo tổng kết vào tệp",
        "  plan report --half 2023H1         the Markdown draft on standard output\n  plan report --year 2024 -o r.docx   the annual report as Word\n  plan report --final -o final.md    the final summary into a file",
    ),
    (
        "fmt",
        "  plan fmt                          định dạng lại mọi tệp\n  plan fmt --check                  chỉ kiểm tra (cho CI)\n  plan fmt --check --diff           kèm diff của từng tệp",
        "  plan fmt                          reformat every file\n  plan fmt --check                  only check (for CI)\n  plan fmt --check --diff           with a diff of each file",
    ),
    (
        "diff",
        "  plan diff HEAD                    thay đổi chưa commit\n  plan diff origin/main             thay đổi so với nhánh main\n  plan diff v1 v2 --format json     giữa hai phiên bản, dạng JSON",
        "  plan diff HEAD                    uncommitted changes\n  plan diff origin/main             changes against main\n  plan diff v1 v2 --format json     between two revisions, as JSON",
    ),
    (
        "schema",
        "  plan schema > schema.json         lược đồ Frictionless của nhật ký\n  plan schema --format status-json  JSON Schema của status --format json",
        "  plan schema > schema.json         the Frictionless schema of the logs\n  plan schema --format status-json  the JSON Schema of status --format json",
    ),
    (
        "completions",
        "  plan completions bash > ~/.local/share/bash-completion/completions/plan\n  plan completions zsh > ~/.zfunc/_plan\n  plan completions fish > ~/.config/fish/completions/plan.fish",
        "  plan completions bash > ~/.local/share/bash-completion/completions/plan\n  plan completions zsh > ~/.zfunc/_plan\n  plan completions fish > ~/.config/fish/completions/plan.fish",
    ),
    (
        "man",
        "  plan man | man -l -                xem trang hướng dẫn\n  plan man --dir share/man/man1      ghi các trang cho gói cài đặt",
        "  plan man | man -l -                read the manual page\n  plan man --dir share/man/man1      write the pages for a package",
    ),
];
