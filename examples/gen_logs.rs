//! Generates the example activity logs read by `plans/15-DA-TU.toml`, and large
//! synthetic logs for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_logs -- examples/15-DA-TU/logs
//! cargo run --release --example gen_logs -- --rows 1000000 --out /tmp/big.csv
//! ```
//!
//! The first form (re)writes one CSV per organisation per year,
//! `<DIR>/<year>/<org>.csv` for 2021–2025 and the six organisations. The second
//! writes one file of exactly N valid rows, streamed in date order.
//!
//! Every choice comes from a fixed-seed splitmix64 generator, so the output is
//! byte-identical on every run. The example set is invented but shaped to
//! exercise the compliance engine: supervision behind the phasing at the
//! mid-term and caught up by the end, field F4 without a done supervision until
//! 2024, a few organisations and districts missing a dialogue or a training in
//! some year, criticism completion below 100% in 2022 and 2025, and the 2024
//! consultation held in December instead of November.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use csv::{Terminator, WriterBuilder};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The log columns in canonical order, as `plan fmt` writes them.
const HEADER: [&str; 13] = plan::columns::COLUMNS;

const ORGS: [&str; 6] = ["MTTQ", "LDLD", "HND", "HLHPN", "TD", "HCCB"];
const YEARS: [i32; 5] = [2021, 2022, 2023, 2024, 2025];
const FIELDS: [&str; 8] = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"];
const SEED: u64 = 0x15DA_2020_1211_0001;

/// A district-level unit: code, name as written inside a sentence, the short
/// form used in document numbers, and some of its communes.
struct District {
    code: &'static str,
    name: &'static str,
    abbr: &'static str,
    communes: &'static [&'static str],
}

const DISTRICTS: [District; 9] = [
    District {
        code: "lao-cai",
        name: "thành phố Lào Cai",
        abbr: "TPLC",
        communes: &[
            "phường Cốc Lếu",
            "phường Kim Tân",
            "phường Duyên Hải",
            "phường Bắc Cường",
            "phường Pom Hán",
            "phường Bình Minh",
            "xã Cam Đường",
            "xã Đồng Tuyển",
            "xã Vạn Hòa",
            "xã Tả Phời",
            "xã Hợp Thành",
        ],
    },
    District {
        code: "sa-pa",
        name: "thị xã Sa Pa",
        abbr: "SP",
        communes: &[
            "phường Sa Pa",
            "phường Ô Quý Hồ",
            "phường Hàm Rồng",
            "xã Tả Van",
            "xã Bản Hồ",
            "xã Tả Phìn",
            "xã Thanh Bình",
            "xã Mường Bo",
            "xã Liên Minh",
            "xã Ngũ Chỉ Sơn",
        ],
    },
    District {
        code: "bat-xat",
        name: "huyện Bát Xát",
        abbr: "BX",
        communes: &[
            "thị trấn Bát Xát",
            "xã Y Tý",
            "xã A Mú Sung",
            "xã Trịnh Tường",
            "xã Mường Hum",
            "xã Bản Xèo",
            "xã Quang Kim",
            "xã Cốc Mỳ",
            "xã Dền Sáng",
            "xã Sàng Ma Sáo",
        ],
    },
    District {
        code: "muong-khuong",
        name: "huyện Mường Khương",
        abbr: "MK",
        communes: &[
            "thị trấn Mường Khương",
            "xã Bản Lầu",
            "xã Lùng Vai",
            "xã Pha Long",
            "xã Tả Ngài Chồ",
            "xã Cao Sơn",
            "xã Thanh Bình",
            "xã Nấm Lư",
        ],
    },
    District {
        code: "si-ma-cai",
        name: "huyện Si Ma Cai",
        abbr: "SMC",
        communes: &[
            "thị trấn Si Ma Cai",
            "xã Sán Chải",
            "xã Nàn Sán",
            "xã Cán Cấu",
            "xã Lùng Thẩn",
            "xã Quan Hồ Thẩn",
            "xã Sín Chéng",
            "xã Bản Mế",
        ],
    },
    District {
        code: "bac-ha",
        name: "huyện Bắc Hà",
        abbr: "BH",
        communes: &[
            "thị trấn Bắc Hà",
            "xã Bản Phố",
            "xã Tà Chải",
            "xã Na Hối",
            "xã Lùng Phình",
            "xã Bảo Nhai",
            "xã Cốc Lầu",
            "xã Nậm Mòn",
        ],
    },
    District {
        code: "bao-thang",
        name: "huyện Bảo Thắng",
        abbr: "BT",
        communes: &[
            "thị trấn Phố Lu",
            "thị trấn Tằng Loỏng",
            "xã Xuân Quang",
            "xã Phong Niên",
            "xã Gia Phú",
            "xã Sơn Hải",
            "xã Thái Niên",
            "xã Xuân Giao",
        ],
    },
    District {
        code: "bao-yen",
        name: "huyện Bảo Yên",
        abbr: "BY",
        communes: &[
            "thị trấn Phố Ràng",
            "xã Xuân Hòa",
            "xã Lương Sơn",
            "xã Kim Sơn",
            "xã Điện Quan",
            "xã Việt Tiến",
            "xã Nghĩa Đô",
            "xã Bảo Hà",
        ],
    },
    District {
        code: "van-ban",
        name: "huyện Văn Bàn",
        abbr: "VB",
        communes: &[
            "thị trấn Khánh Yên",
            "xã Võ Lao",
            "xã Dương Quỳ",
            "xã Nậm Chày",
            "xã Minh Lương",
            "xã Thẩm Dương",
            "xã Sơn Thủy",
            "xã Khánh Yên Hạ",
        ],
    },
];

/// Supervision titles by field (F1..F8); a place is appended.
const SUPERVISION_TITLES: [&[&str]; 8] = [
    &[
        "Giám sát việc thực hiện chương trình phát triển cây dược liệu",
        "Giám sát việc thực hiện dự án trồng rừng sản xuất và chi trả dịch vụ môi trường rừng",
        "Giám sát việc thực hiện chương trình kiên cố hóa trường, lớp học",
        "Giám sát việc thực hiện quy hoạch mạng lưới trường mầm non, phổ thông",
        "Giám sát việc thực hiện Đề án phát triển nông nghiệp hàng hóa",
    ],
    &[
        "Giám sát việc thực hiện Quyết định số 1902/QĐ-UBND về công tác dân vận trong thực hiện các dự án",
        "Giám sát công tác dân vận trong bồi thường, hỗ trợ, tái định cư các dự án",
        "Giám sát công tác tuyên truyền, vận động Nhân dân giải phóng mặt bằng",
    ],
    &[
        "Giám sát việc thực hiện công trình cấp nước sinh hoạt tập trung",
        "Giám sát việc đầu tư xây dựng công trình thủy lợi",
        "Giám sát chương trình bê tông hóa đường giao thông nông thôn",
        "Giám sát việc xây dựng nhà ở cho hộ nghèo",
        "Giám sát việc thực hiện Luật Xây dựng, Luật Đầu tư công",
    ],
    &[
        "Giám sát việc thực hiện đề tài, dự án nghiên cứu ứng dụng khoa học công nghệ",
        "Giám sát dự án ứng dụng tiến bộ kỹ thuật trong sản xuất giống lúa chất lượng cao",
        "Giám sát việc chuyển giao, ứng dụng kết quả đề tài khoa học vào sản xuất",
    ],
    &[
        "Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt",
        "Giám sát hoạt động của đại biểu HĐND",
        "Giám sát công tác phòng, chống tham nhũng, lãng phí",
        "Giám sát việc tiếp công dân, giải quyết khiếu nại, tố cáo",
    ],
    &[
        "Giám sát việc thực hiện Quy chế dân chủ ở cơ sở",
        "Giám sát việc thực hiện chế độ, chính sách đối với người lao động tại doanh nghiệp",
        "Giám sát hoạt động của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng",
        "Giám sát việc đóng bảo hiểm xã hội, bảo hiểm y tế cho người lao động",
    ],
    &[
        "Giám sát việc thực hiện chính sách hỗ trợ giảm nghèo",
        "Giám sát việc thực hiện Chương trình xây dựng nông thôn mới",
        "Giám sát việc thực hiện chính sách, pháp luật liên quan đến phụ nữ, trẻ em",
        "Giám sát việc chi trả trợ cấp xã hội cho đối tượng bảo trợ xã hội",
        "Giám sát việc khảo sát chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước",
    ],
    &[
        "Giám sát hoạt động khai thác khoáng sản và công tác bảo vệ môi trường",
        "Giám sát công tác bảo đảm vệ sinh an toàn thực phẩm",
        "Giám sát công tác thu gom, xử lý rác thải sinh hoạt",
        "Giám sát công tác bảo vệ môi trường của các cơ sở sản xuất, tiểu thủ công nghiệp",
    ],
];

/// Field weights (F1..F8) by organisation, in `ORGS` order.
const FIELD_WEIGHTS: [[u64; 8]; 6] = [
    [2, 2, 3, 1, 3, 2, 3, 2],
    [0, 0, 1, 1, 1, 5, 1, 1],
    [4, 1, 1, 1, 0, 0, 3, 2],
    [1, 0, 0, 1, 1, 1, 5, 0],
    [2, 0, 1, 2, 1, 0, 2, 2],
    [0, 2, 1, 1, 3, 0, 0, 3],
];

/// Dialogue audiences and topics, in `ORGS` order.
const AUDIENCES: [&[&str]; 6] = [
    &[
        "Nhân dân",
        "người có uy tín trong đồng bào dân tộc thiểu số",
        "chức sắc, chức việc các tôn giáo",
        "đại diện các khu dân cư",
    ],
    &[
        "công nhân, viên chức, người lao động",
        "đoàn viên công đoàn và người lao động trong các doanh nghiệp",
    ],
    &["hội viên nông dân", "nông dân sản xuất, kinh doanh giỏi"],
    &["cán bộ, hội viên phụ nữ", "phụ nữ dân tộc thiểu số"],
    &["đoàn viên, thanh niên", "thanh niên khởi nghiệp"],
    &["cựu chiến binh", "hội viên cựu chiến binh"],
];

const TOPICS: [&[&str]; 6] = [
    &[
        "về công tác giải phóng mặt bằng, tái định cư",
        "về thực hiện chính sách an sinh xã hội",
        "về xây dựng nông thôn mới",
    ],
    &[
        "về việc làm, tiền lương, bảo hiểm xã hội",
        "về an toàn, vệ sinh lao động",
        "về nhà ở cho công nhân",
    ],
    &[
        "về chính sách hỗ trợ phát triển sản xuất nông nghiệp",
        "về tiêu thụ nông sản",
        "về chính sách đất đai",
    ],
    &[
        "về bình đẳng giới, phòng, chống bạo lực gia đình",
        "về hỗ trợ phụ nữ khởi nghiệp",
        "về chăm sóc sức khỏe bà mẹ, trẻ em",
    ],
    &[
        "về khởi nghiệp, lập nghiệp",
        "về giáo dục nghề nghiệp và việc làm",
        "về chuyển đổi số",
    ],
    &[
        "về chế độ, chính sách đối với cựu chiến binh",
        "về phát triển kinh tế hộ gia đình cựu chiến binh",
    ],
];

const TRAINING_TITLES: [&str; 6] = [
    "Tập huấn kỹ năng giám sát, phản biện xã hội năm",
    "Tập huấn nghiệp vụ giám sát, phản biện xã hội cho cán bộ công đoàn các cấp năm",
    "Tập huấn kỹ năng giám sát, phản biện xã hội cho cán bộ Hội Nông dân các cấp năm",
    "Tập huấn kỹ năng giám sát, phản biện xã hội cho cán bộ Hội Phụ nữ các cấp năm",
    "Tập huấn kỹ năng giám sát, phản biện xã hội cho cán bộ Đoàn chủ chốt năm",
    "Tập huấn nghiệp vụ giám sát, phản biện xã hội cho cán bộ Hội Cựu chiến binh năm",
];

/// Criticism requests: (year, month, org, unit, status, title, note).
type Criticism = (
    i32,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const CRITICISMS: [Criticism; 31] = [
    (2021, 3, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ phát triển nông nghiệp hàng hóa giai đoạn 2021-2025", ""),
    (2021, 7, "MTTQ", "tinh", "done", "Phản biện dự thảo Kế hoạch đầu tư công trung hạn 5 năm 2021-2025 của tỉnh Lào Cai", ""),
    (2021, 9, "HLHPN", "tinh", "done", "Phản biện dự thảo Đề án hỗ trợ phụ nữ dân tộc thiểu số phát triển kinh tế, nâng cao vị thế trong gia đình và xã hội", ""),
    (2021, 10, "MTTQ", "bao-thang", "done", "Phản biện dự thảo Nghị quyết HĐND huyện Bảo Thắng về kế hoạch phát triển kinh tế - xã hội năm 2022", ""),
    (2021, 11, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh quy định mức thu học phí năm học 2021-2022", ""),
    (2022, 4, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ phát triển du lịch", ""),
    (2022, 6, "LDLD", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng", ""),
    (2022, 8, "MTTQ", "tinh", "done", "Phản biện dự thảo Quy hoạch tỉnh Lào Cai thời kỳ 2021-2030, tầm nhìn đến năm 2050", "Phối hợp với Hội đồng tư vấn của Ủy ban MTTQ tỉnh"),
    (2022, 9, "HND", "tinh", "postponed", "Phản biện dự thảo Đề án phát triển kinh tế hợp tác, hợp tác xã", "Hoãn theo đề nghị của cơ quan soạn thảo"),
    (2022, 11, "MTTQ", "sa-pa", "done", "Phản biện dự thảo Đề án phát triển du lịch cộng đồng thị xã Sa Pa", ""),
    (2022, 11, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh quy định mức hỗ trợ đối với người hoạt động không chuyên trách ở thôn, tổ dân phố", ""),
    (2022, 12, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về phân cấp nguồn thu, nhiệm vụ chi ngân sách giai đoạn 2023-2025", ""),
    (2023, 3, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách đặc thù hỗ trợ xây dựng nông thôn mới", ""),
    (2023, 5, "HLHPN", "tinh", "done", "Phản biện dự thảo Đề án thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ, trẻ em", ""),
    (2023, 7, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về bảng giá đất sửa đổi, bổ sung", ""),
    (2023, 8, "TD", "tinh", "done", "Phản biện dự thảo Đề án hỗ trợ thanh niên khởi nghiệp tỉnh Lào Cai", ""),
    (2023, 10, "MTTQ", "bat-xat", "done", "Phản biện dự thảo Đề án sắp xếp thôn, tổ dân phố huyện Bát Xát", ""),
    (2023, 11, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh quy định mức chi bảo đảm hoạt động của Ban Thanh tra nhân dân", ""),
    (2024, 3, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ xóa nhà tạm, nhà dột nát", ""),
    (2024, 5, "MTTQ", "tinh", "done", "Phản biện dự thảo Đề án sắp xếp đơn vị hành chính cấp xã giai đoạn 2023-2025 tỉnh Lào Cai", ""),
    (2024, 6, "HND", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về phát triển vùng cây ăn quả, dược liệu tập trung", ""),
    (2024, 9, "LDLD", "tinh", "cancelled", "Phản biện dự thảo Nghị quyết HĐND tỉnh về hỗ trợ nhà ở cho công nhân khu công nghiệp", "Cơ quan soạn thảo rút dự thảo"),
    (2024, 10, "MTTQ", "tinh", "done", "Phản biện dự thảo Kế hoạch khắc phục hậu quả cơn bão số 3 (Yagi), ổn định đời sống Nhân dân", ""),
    (2024, 11, "MTTQ", "van-ban", "done", "Phản biện dự thảo Đề án phát triển kinh tế rừng huyện Văn Bàn", ""),
    (2024, 12, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về bảng giá đất áp dụng từ năm 2025", ""),
    (2025, 3, "MTTQ", "tinh", "done", "Phản biện dự thảo Đề án sắp xếp, tổ chức lại đơn vị hành chính cấp xã tỉnh Lào Cai năm 2025", ""),
    (2025, 4, "MTTQ", "bao-yen", "done", "Phản biện dự thảo phương án sắp xếp đơn vị hành chính cấp xã trên địa bàn huyện Bảo Yên", ""),
    (2025, 5, "HLHPN", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ phụ nữ dân tộc thiểu số sinh con đúng chính sách dân số", ""),
    (2025, 9, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ học sinh, trường học vùng đặc biệt khó khăn", "Dự thảo của HĐND tỉnh Lào Cai (mới) sau hợp nhất"),
    (2025, 11, "MTTQ", "tinh", "done", "Phản biện dự thảo Nghị quyết HĐND tỉnh về kế hoạch phát triển kinh tế - xã hội năm 2026", ""),
    (2025, 12, "MTTQ", "tinh", "planned", "Phản biện dự thảo Nghị quyết HĐND tỉnh quy định mức hỗ trợ, bồi dưỡng người tham gia lực lượng bảo vệ an ninh, trật tự ở cơ sở", "Chờ cơ quan soạn thảo gửi hồ sơ"),
];

/// Done supervisions generated per year: (provincial, district).
const SUPERVISION_PLAN: [(i32, u32, u32); 5] = [
    (2021, 14, 32),
    (2022, 13, 26),
    (2023, 15, 29),
    (2024, 17, 37),
    (2025, 18, 34),
];

/// Supervisions that did not happen as planned: (date, org, unit, field, status, note).
type Missed = (
    (i32, u32, u32),
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const MISSED_SUPERVISIONS: [Missed; 14] = [
    ((2021, 5, 12), "MTTQ", "tinh", "F7", "postponed", "Hoãn do dịch COVID-19"),
    ((2021, 8, 17), "HND", "muong-khuong", "F1", "postponed", "Hoãn do dịch COVID-19"),
    ((2021, 9, 8), "HLHPN", "sa-pa", "F7", "cancelled", "Không thực hiện do dịch COVID-19"),
    ((2022, 3, 2), "MTTQ", "tinh", "F4", "postponed", "Hoãn do đề tài chưa nghiệm thu, chuyển sang năm sau"),
    ((2022, 3, 23), "LDLD", "bao-thang", "F6", "postponed", "Hoãn do dịch COVID-19"),
    ((2022, 4, 6), "TD", "lao-cai", "F8", "cancelled", "Đã lồng ghép vào cuộc giám sát của Ủy ban MTTQ thành phố"),
    ((2023, 6, 13), "TD", "tinh", "F4", "postponed", "Hoãn do đơn vị chủ trì đề tài xin gia hạn thời gian thực hiện"),
    ((2023, 10, 18), "HCCB", "van-ban", "F8", "cancelled", "Không thực hiện, đã lồng ghép vào cuộc giám sát khác"),
    ((2024, 9, 10), "MTTQ", "bao-yen", "F7", "postponed", "Hoãn do ảnh hưởng của cơn bão số 3 (Yagi)"),
    ((2024, 9, 11), "HND", "van-ban", "F1", "postponed", "Hoãn do ảnh hưởng của cơn bão số 3 (Yagi)"),
    ((2024, 9, 19), "MTTQ", "tinh", "F3", "postponed", "Hoãn do ảnh hưởng của cơn bão số 3 (Yagi)"),
    ((2025, 6, 11), "HLHPN", "si-ma-cai", "F7", "cancelled", "Không thực hiện do sắp xếp đơn vị hành chính"),
    ((2025, 12, 16), "MTTQ", "tinh", "F5", "planned", "Dự kiến, theo kế hoạch giám sát năm 2025"),
    ((2025, 12, 23), "HCCB", "tinh", "F8", "planned", "Dự kiến, theo kế hoạch giám sát năm 2025"),
];

/// District dialogues deliberately absent in 2023 (org, unit).
const DIALOGUE_GAPS_2023: [(&str, &str); 5] = [
    ("HCCB", "si-ma-cai"),
    ("TD", "muong-khuong"),
    ("HLHPN", "bac-ha"),
    ("LDLD", "sa-pa"),
    ("HND", "van-ban"),
];

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T
    where
        &'a T: Default,
    {
        let i = self.index(items.len());
        items.get(i).copied().unwrap_or_default()
    }

    /// Index chosen with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut left = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if left < *w {
                return i;
            }
            left -= w;
        }
        0
    }

    /// An amount of money in VND, a multiple of 500.000 between the bounds (in millions).
    fn money(&mut self, lo_million: u64, hi_million: u64) -> u64 {
        self.range(lo_million * 2, hi_million * 2) * 500_000
    }

    /// A working day in the given year and months (day 1–28, weekends moved).
    fn day(&mut self, year: i32, first_month: u32, last_month: u32) -> Result<NaiveDate> {
        let month = u32::try_from(self.range(u64::from(first_month), u64::from(last_month)))?;
        let day = u32::try_from(self.range(1, 28))?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or("invalid date")?;
        Ok(workday(date))
    }
}

/// Moves a Saturday back to Friday, a Sunday on to Monday, and a fixed public
/// holiday (30/4, 1/5, 1/9, 2/9) on to the next working day.
fn workday(date: NaiveDate) -> NaiveDate {
    let mut date = match date.weekday() {
        Weekday::Sat => date.pred_opt().unwrap_or(date),
        Weekday::Sun => date.succ_opt().unwrap_or(date),
        _ => date,
    };
    for _ in 0..4 {
        let holiday = matches!((date.month(), date.day()), (4, 30) | (5, 1) | (9, 1 | 2));
        if !holiday && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            break;
        }
        date = date.succ_opt().unwrap_or(date);
    }
    date
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    Ok(NaiveDate::from_ymd_opt(year, month, day).ok_or("invalid date")?)
}

#[derive(Default)]
struct Row {
    date: NaiveDate,
    org: &'static str,
    unit: &'static str,
    kind: &'static str,
    status: &'static str,
    title: String,
    field: &'static str,
    reference: String,
    participants: Option<u64>,
    cost: Option<u64>,
    recommendations: Option<u64>,
    resolved: Option<u64>,
    note: String,
}

impl Row {
    fn new(
        date: NaiveDate,
        org: &'static str,
        unit: &'static str,
        kind: &'static str,
        status: &'static str,
        title: String,
    ) -> Self {
        Row {
            date,
            org,
            unit,
            kind,
            status,
            title,
            ..Row::default()
        }
    }

    fn cells(&self) -> [String; 13] {
        let num = |n: Option<u64>| n.map(|v| v.to_string()).unwrap_or_default();
        [
            self.date.format("%Y-%m-%d").to_string(),
            self.org.to_owned(),
            self.unit.to_owned(),
            self.kind.to_owned(),
            self.status.to_owned(),
            self.title.clone(),
            self.field.to_owned(),
            self.reference.clone(),
            num(self.participants),
            num(self.cost),
            num(self.recommendations),
            num(self.resolved),
            self.note.clone(),
        ]
    }
}

fn org_index(org: &str) -> usize {
    ORGS.iter().position(|o| *o == org).unwrap_or(0)
}

fn district(code: &str) -> Option<&'static District> {
    DISTRICTS.iter().find(|d| d.code == code)
}

fn district_at(i: usize) -> Result<&'static District> {
    Ok(DISTRICTS.get(i).ok_or("no such district")?)
}

/// The fields a done supervision may take: F4 only from 2024.
fn supervision_field(rng: &mut Rng, org: &str, year: i32, done: bool) -> &'static str {
    let weights = FIELD_WEIGHTS.get(org_index(org)).copied().unwrap_or([1; 8]);
    for _ in 0..32 {
        let f = FIELDS.get(rng.weighted(&weights)).copied().unwrap_or("F7");
        if f != "F4" || year >= 2024 || !done {
            return f;
        }
    }
    "F7"
}

fn supervision_title(rng: &mut Rng, field: &str, unit: &str, date: NaiveDate) -> Result<String> {
    let fi = FIELDS.iter().position(|f| *f == field).unwrap_or(0);
    let titles = SUPERVISION_TITLES.get(fi).copied().unwrap_or_default();
    let base = rng.pick(titles);
    let place = if let Some(d) = district(unit) {
        if rng.chance(60) {
            format!("tại {}", rng.pick(d.communes))
        } else {
            format!("trên địa bàn {}", d.name)
        }
    } else if date > ymd(2025, 6, 30)? {
        "trên địa bàn tỉnh".to_owned()
    } else {
        let d = district_at(rng.index(DISTRICTS.len()))?;
        match rng.below(4) {
            0 => "trên địa bàn tỉnh".to_owned(),
            1 => format!("tại {}, {}", rng.pick(d.communes), d.name),
            _ => format!("tại {}", d.name),
        }
    };
    Ok(format!("{base} {place}"))
}

/// Recommendations made and resolved so far: older supervisions are further along.
fn recommendations(rng: &mut Rng, year: i32, provincial: bool) -> (u64, u64) {
    let made = if provincial { rng.range(3, 12) } else { rng.range(1, 8) };
    let (lo, hi) = match year {
        2021 => (85, 100),
        2022 => (80, 100),
        2023 => (65, 95),
        2024 => (45, 85),
        _ => (15, 60),
    };
    (made, made * rng.range(lo, hi) / 100)
}

fn add_done_supervision(
    rows: &mut Vec<Row>,
    rng: &mut Rng,
    date: NaiveDate,
    org: &'static str,
    unit: &'static str,
    field: &'static str,
) -> Result<()> {
    let provincial = unit == "tinh";
    let title = supervision_title(rng, field, unit, date)?;
    let mut row = Row::new(date, org, unit, "supervision", "done", title);
    row.field = field;
    let (made, resolved) = recommendations(rng, date.year(), provincial);
    if provincial {
        row.participants = Some(rng.range(10, 25));
        row.cost = Some(rng.money(25, 60));
    } else {
        row.participants = Some(rng.range(7, 15));
        row.cost = Some(rng.money(8, 25));
    }
    row.recommendations = Some(made);
    row.resolved = Some(resolved);
    if rng.chance(18) {
        let notes: &[&str] = if provincial {
            &[
                "Phối hợp với Ban Pháp chế HĐND tỉnh",
                "Phối hợp với Ban Kinh tế - Ngân sách HĐND tỉnh",
                "Đã có thông báo kết quả giám sát gửi cơ quan được giám sát",
                "Giám sát chuyên đề",
            ]
        } else {
            &[
                "Phối hợp với Ban Thanh tra nhân dân xã",
                "Đã có thông báo kết quả giám sát",
                "Phối hợp với Thường trực HĐND huyện",
            ]
        };
        rng.pick(notes).clone_into(&mut row.note);
    }
    rows.push(row);
    Ok(())
}

fn supervisions(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    for (year, provincial, districts) in SUPERVISION_PLAN {
        let last_month = if year == 2025 { 6 } else { 11 };
        // Provincial: two per organisation, the rest by the Fatherland Front.
        for i in 0..provincial {
            let org = ORGS.get(usize::try_from(i % 6)?).copied().unwrap_or("MTTQ");
            let org = if i >= 12 { "MTTQ" } else { org };
            let date = rng.day(year, 3, 12)?;
            let field = supervision_field(rng, org, year, true);
            add_done_supervision(rows, rng, date, org, "tinh", field)?;
        }
        for _ in 0..districts {
            let org = ORGS
                .get(rng.weighted(&[35, 13, 13, 13, 13, 13]))
                .copied()
                .unwrap_or("MTTQ");
            let unit = district_at(rng.index(DISTRICTS.len()))?.code;
            let date = rng.day(year, 3, last_month)?;
            let field = supervision_field(rng, org, year, true);
            add_done_supervision(rows, rng, date, org, unit, field)?;
        }
    }
    // F4 (science and technology) is first supervised in 2024.
    for (date, org, unit) in [
        (ymd(2024, 5, 14)?, "TD", "tinh"),
        (ymd(2024, 8, 20)?, "MTTQ", "tinh"),
        (ymd(2025, 4, 9)?, "HND", "bac-ha"),
    ] {
        add_done_supervision(rows, rng, date, org, unit, "F4")?;
    }
    Ok(())
}

/// Supervisions that did not take place as planned, with their fields.
fn missed_supervisions(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    for ((year, month, day), org, unit, field, status, note) in MISSED_SUPERVISIONS {
        let date = ymd(year, month, day)?;
        let title = supervision_title(rng, field, unit, date)?;
        let mut row = Row::new(date, org, unit, "supervision", status, title);
        row.field = field;
        note.clone_into(&mut row.note);
        rows.push(row);
    }
    Ok(())
}

/// Titles and notes that exercise quoting and escaping in the renderers.
fn special_supervisions(rows: &mut Vec<Row>) -> Result<()> {
    let mut row = Row::new(
        ymd(2021, 10, 19)?,
        "MTTQ",
        "tinh",
        "supervision",
        "done",
        "Giám sát việc thực hiện Cuộc vận động \"Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh\" tại huyện Bắc Hà".to_owned(),
    );
    row.field = "F7";
    row.participants = Some(16);
    row.cost = Some(42_500_000);
    row.recommendations = Some(7);
    row.resolved = Some(7);
    rows.push(row);
    let mut row = Row::new(
        ymd(2022, 6, 21)?,
        "MTTQ",
        "bat-xat",
        "supervision",
        "done",
        "Giám sát việc thực hiện Dự án #3 (hỗ trợ phát triển sản xuất) thuộc Chương trình MTQG giảm nghèo bền vững tại xã Y Tý".to_owned(),
    );
    row.field = "F7";
    row.participants = Some(11);
    row.cost = Some(14_000_000);
    row.recommendations = Some(5);
    row.resolved = Some(4);
    "Kiến nghị gửi UBND huyện [Văn bản số 112/MTTQ-BTT] | 01 kiến nghị *chưa* được trả lời".clone_into(&mut row.note);
    rows.push(row);
    Ok(())
}

fn dialogue_title(rng: &mut Rng, org: &str, unit: &str) -> String {
    let oi = org_index(org);
    let audience = rng.pick(AUDIENCES.get(oi).copied().unwrap_or_default());
    let topic = rng.pick(TOPICS.get(oi).copied().unwrap_or_default());
    match district(unit) {
        None => format!("Hội nghị đối thoại giữa Chủ tịch UBND tỉnh với {audience} {topic}"),
        Some(d) if rng.chance(50) => format!(
            "Hội nghị đối thoại giữa Chủ tịch UBND {} với {audience} tại {}",
            d.name,
            rng.pick(d.communes)
        ),
        Some(d) => format!(
            "Hội nghị đối thoại giữa Chủ tịch UBND {} với {audience} {topic}",
            d.name
        ),
    }
}

fn add_dialogue(
    rows: &mut Vec<Row>,
    rng: &mut Rng,
    date: NaiveDate,
    org: &'static str,
    unit: &'static str,
    status: &'static str,
) {
    let title = dialogue_title(rng, org, unit);
    let mut row = Row::new(date, org, unit, "dialogue", status, title);
    if status == "done" {
        if unit == "tinh" {
            row.participants = Some(rng.range(80, 250));
            row.cost = Some(rng.money(20, 45));
        } else {
            row.participants = Some(rng.range(40, 150));
            row.cost = Some(rng.money(5, 15));
        }
        if rng.chance(12) {
            row.note = format!("Có {} ý kiến được trả lời trực tiếp tại hội nghị", rng.range(6, 30));
        }
    } else if date.year() <= 2022 {
        "Hoãn do dịch COVID-19".clone_into(&mut row.note);
    } else {
        "Chưa bố trí được thời gian của lãnh đạo UBND".clone_into(&mut row.note);
    }
    rows.push(row);
}

fn dialogues(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    // Provincial: two a year per organisation, with a few misses.
    for year in YEARS {
        for org in ORGS {
            let short = (year == 2022 && org == "HCCB") || (year == 2023 && org == "LDLD");
            let first = rng.day(year, 4, 6)?;
            add_dialogue(rows, rng, first, org, "tinh", "done");
            let second = rng.day(year, 8, 11)?;
            let status = if short { "postponed" } else { "done" };
            add_dialogue(rows, rng, second, org, "tinh", status);
        }
    }
    let mut row = Row::new(
        ymd(2024, 3, 26)?,
        "TD",
        "tinh",
        "dialogue",
        "done",
        "Hội nghị đối thoại giữa Chủ tịch UBND tỉnh với đoàn viên, thanh niên về chuyển đổi số *(hình thức trực tuyến)*".to_owned(),
    );
    row.participants = Some(320);
    row.cost = Some(18_000_000);
    "Kết nối 09 điểm cầu cấp huyện; 24 ý kiến được trả lời".clone_into(&mut row.note);
    rows.push(row);
    // District: most organisations in most units each year, until 30/06/2025.
    for year in YEARS {
        let (first_month, last_month, rate) = if year == 2025 { (2, 6, 85) } else { (3, 11, 92) };
        for d in &DISTRICTS {
            for org in ORGS {
                let gap = year == 2023 && DIALOGUE_GAPS_2023.contains(&(org, d.code));
                let date = rng.day(year, first_month, last_month)?;
                if !gap && rng.chance(rate) {
                    add_dialogue(rows, rng, date, org, d.code, "done");
                    if rng.chance(10) {
                        let again = rng.day(year, first_month, last_month)?;
                        add_dialogue(rows, rng, again, org, d.code, "done");
                    }
                } else if rng.chance(50) {
                    let status = if rng.chance(70) { "postponed" } else { "cancelled" };
                    add_dialogue(rows, rng, date, org, d.code, status);
                }
            }
        }
    }
    Ok(())
}

fn criticisms(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    for (year, month, org, unit, status, title, note) in CRITICISMS {
        let date = rng.day(year, month, month)?;
        let unit = if unit == "tinh" {
            "tinh"
        } else {
            district(unit).ok_or("unknown district")?.code
        };
        let org = ORGS.get(org_index(org)).copied().unwrap_or("MTTQ");
        let mut row = Row::new(date, org, unit, "criticism", status, title.to_owned());
        if status == "done" {
            row.participants = Some(rng.range(25, 60));
            row.cost = Some(rng.money(10, 30));
        }
        note.clone_into(&mut row.note);
        rows.push(row);
    }
    Ok(())
}

fn trainings(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    for year in [2021, 2022, 2023, 2024] {
        for (org, base) in ORGS.iter().zip(TRAINING_TITLES) {
            let date = if year == 2021 {
                rng.day(year, 7, 10)?
            } else {
                rng.day(year, 3, 6)?
            };
            let missed = year == 2023 && *org == "HCCB";
            let status = if missed { "postponed" } else { "done" };
            let mut row = Row::new(date, org, "tinh", "training", status, format!("{base} {year}"));
            if missed {
                "Lùi thời gian do chưa bố trí được kinh phí; không tổ chức trong năm".clone_into(&mut row.note);
            } else {
                row.participants = Some(rng.range(60, 150));
                row.cost = Some(rng.money(60, 120));
            }
            rows.push(row);
        }
    }
    for (date, unit) in [
        (ymd(2022, 8, 16)?, "bao-yen"),
        (ymd(2023, 4, 11)?, "van-ban"),
        (ymd(2024, 4, 23)?, "bat-xat"),
    ] {
        let mut row = Row::new(
            date,
            "MTTQ",
            unit,
            "training",
            "done",
            "Tập huấn kỹ năng giám sát cho Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng các xã, thị trấn"
                .to_owned(),
        );
        row.participants = Some(rng.range(60, 110));
        row.cost = Some(rng.money(15, 30));
        rows.push(row);
    }
    Ok(())
}

fn other_activities(rows: &mut Vec<Row>) -> Result<()> {
    let mut row = Row::new(
        ymd(2021, 8, 24)?,
        "MTTQ",
        "tinh",
        "study-visit",
        "cancelled",
        "Học tập kinh nghiệm công tác giám sát, phản biện xã hội tại tỉnh Đắk Lắk".to_owned(),
    );
    "Hủy do dịch COVID-19".clone_into(&mut row.note);
    rows.push(row);
    let mut row = Row::new(
        ymd(2022, 10, 11)?,
        "MTTQ",
        "tinh",
        "study-visit",
        "done",
        "Học tập kinh nghiệm công tác giám sát, phản biện xã hội tại các tỉnh Quảng Ninh, Hải Dương".to_owned(),
    );
    row.participants = Some(22);
    row.cost = Some(118_500_000);
    "Đoàn gồm lãnh đạo Ủy ban MTTQ và các đoàn thể chính trị - xã hội tỉnh".clone_into(&mut row.note);
    rows.push(row);
    let mut row = Row::new(
        ymd(2024, 5, 21)?,
        "HLHPN",
        "tinh",
        "study-visit",
        "done",
        "Học tập kinh nghiệm công tác giám sát, phản biện xã hội của Hội LHPN tỉnh Ninh Bình".to_owned(),
    );
    row.participants = Some(15);
    row.cost = Some(76_000_000);
    rows.push(row);

    let mut row = Row::new(
        ymd(2023, 7, 25)?,
        "MTTQ",
        "tinh",
        "conference",
        "done",
        "Hội nghị sơ kết giữa nhiệm kỳ thực hiện Đề án số 15-ĐA/TU giai đoạn 2020-2025".to_owned(),
    );
    row.participants = Some(150);
    row.cost = Some(45_000_000);
    rows.push(row);
    let mut row = Row::new(
        ymd(2025, 12, 10)?,
        "MTTQ",
        "tinh",
        "conference",
        "done",
        "Hội nghị tổng kết thực hiện Đề án số 15-ĐA/TU giai đoạn 2020-2025".to_owned(),
    );
    row.participants = Some(210);
    row.cost = Some(85_000_000);
    "Khen thưởng 12 tập thể, 20 cá nhân có thành tích xuất sắc".clone_into(&mut row.note);
    rows.push(row);

    for (date, note) in [
        (ymd(2021, 11, 18)?, ""),
        (ymd(2022, 11, 22)?, ""),
        (ymd(2023, 11, 16)?, ""),
        (
            ymd(2024, 12, 5)?,
            "Lùi sang tháng 12 do trùng lịch kỳ họp HĐND tỉnh và khắc phục hậu quả bão số 3",
        ),
        (
            ymd(2025, 11, 20)?,
            "Hiệp thương với các tổ chức thành viên của tỉnh Lào Cai (mới)",
        ),
    ] {
        let next = date.year() + 1;
        let mut row = Row::new(
            date,
            "MTTQ",
            "tinh",
            "consultation",
            "done",
            format!("Hội nghị hiệp thương thống nhất chương trình, kế hoạch giám sát năm {next}"),
        );
        row.participants = Some(30 + u64::from(date.day() % 12));
        row.cost = Some(12_000_000);
        note.clone_into(&mut row.note);
        rows.push(row);
    }
    Ok(())
}

/// Participation in building the Party and the government (Phần thứ hai,
/// II.2): comments on draft documents of the Party and the State, meetings
/// with voters, supervision of cadres and Party members (Quy định
/// 124-QĐ/TW). Each row gets its document number here (`GY`, `TX`, `GC`:
/// prefixes no other row uses).
#[allow(clippy::too_many_lines)] // three kinds' data tables, read top to bottom
fn party_building(rows: &mut Vec<Row>, rng: &mut Rng) -> Result<()> {
    const DRAFTS: [&str; 6] = [
        "Góp ý dự thảo văn kiện Đại hội Đảng bộ tỉnh",
        "Góp ý dự thảo Nghị quyết của Tỉnh ủy về phát triển kinh tế - xã hội",
        "Góp ý dự thảo Luật Đất đai (sửa đổi)",
        "Góp ý dự thảo sửa đổi, bổ sung Hiến pháp năm 2013",
        "Góp ý dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ giảm nghèo",
        "Góp ý dự thảo Quy chế dân chủ ở cơ sở của tỉnh",
    ];
    let mut numbers: BTreeMap<(&str, &str, &str, i32), u64> = BTreeMap::new();
    let mut push = |rows: &mut Vec<Row>, mut row: Row, prefix: &'static str, rng: &mut Rng| {
        let year = row.date.year();
        let n = numbers.entry((prefix, row.org, row.unit, year)).or_insert(0);
        *n += rng.range(1, 3);
        row.reference = match district(row.unit) {
            Some(d) => format!("{prefix}-{:02}/{}-{}-{year}", *n, row.org, d.abbr),
            None => format!("{prefix}-{:02}/{}-{year}", *n, row.org),
        };
        rows.push(row);
    };
    for year in YEARS {
        // Comments on drafts: the Front and two organisations each year.
        for (i, org) in [
            "MTTQ",
            cyc(&ORGS, 1 + (year as usize) % 5),
            cyc(&ORGS, 1 + (year as usize + 2) % 5),
        ]
        .into_iter()
        .enumerate()
        {
            let month = 3 + 3 * i as u32;
            let draft = cyc(&DRAFTS, year as usize + i);
            let mut row = Row::new(
                ymd(year, month, 10 + i as u32)?,
                org,
                "tinh",
                "party-comment",
                "done",
                draft.to_owned(),
            );
            row.participants = Some(rng.range(20, 60));
            row.cost = Some(rng.range(3, 9) * 1_000_000);
            let made = rng.range(3, 15);
            row.recommendations = Some(made);
            row.resolved = Some(made - rng.range(0, made / 2));
            push(rows, row, "GY", rng);
        }
        // Meetings with voters before the People's Council sessions: the
        // Front of the province and of two districts (until mid-2025).
        for (half, month) in [(1, 6), (2, 11)] {
            let in_districts = year < 2025 || half == 1;
            let units: Vec<&'static str> = if in_districts {
                vec![
                    "tinh",
                    district_at((year as usize + half) % 9)?.code,
                    district_at((year as usize + half + 5) % 9)?.code,
                ]
            } else {
                vec!["tinh"]
            };
            for (j, unit) in units.into_iter().enumerate() {
                let place = district(unit).map_or("tỉnh".to_owned(), |d| d.name.to_owned());
                let session = if half == 1 { "giữa năm" } else { "cuối năm" };
                let mut row = Row::new(
                    ymd(year, month, 5 + 3 * j as u32)?,
                    "MTTQ",
                    unit,
                    "voter-meeting",
                    "done",
                    format!("Tiếp xúc cử tri trước kỳ họp {session} {year} của HĐND {place}"),
                );
                row.participants = Some(rng.range(80, 250));
                row.cost = Some(rng.range(5, 12) * 1_000_000);
                let made = rng.range(8, 30);
                row.recommendations = Some(made);
                row.resolved = Some(made - rng.range(2, made / 2 + 3).min(made));
                push(rows, row, "TX", rng);
            }
        }
        // Supervision of cadres and Party members under Quy định 124-QĐ/TW.
        for (k, org) in ["MTTQ", "HCCB", "HND"].into_iter().enumerate() {
            let unit = if k == 0 || (year == 2025) {
                "tinh"
            } else {
                district_at((year as usize + k) % 9)?.code
            };
            let month = if year == 2025 { 4 + k as u32 } else { 8 + k as u32 };
            let status = if year == 2023 && k == 2 { "postponed" } else { "done" };
            let mut row = Row::new(
                ymd(year, month, 12)?,
                org,
                unit,
                "cadre-supervision",
                status,
                "Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên ở nơi cư trú".to_owned(),
            );
            if status == "done" {
                row.participants = Some(rng.range(8, 20));
                row.cost = Some(rng.range(4, 10) * 1_000_000);
                let made = rng.range(2, 8);
                row.recommendations = Some(made);
                row.resolved = Some(made - rng.range(0, made / 2));
            } else {
                "Lùi sang năm sau do cấp ủy đang kiện toàn nhân sự".clone_into(&mut row.note);
            }
            push(rows, row, "GC", rng);
        }
    }
    Ok(())
}

/// The item at `i`, counting round the list.
fn cyc<'a>(list: &[&'a str], i: usize) -> &'a str {
    list.get(i % list.len().max(1)).copied().unwrap_or_default()
}

/// Document numbers, numbered in date order within each (type, org, unit, year).
fn assign_refs(rows: &mut [Row], rng: &mut Rng) {
    rows.sort_by(|a, b| (a.date, a.org, a.unit, a.kind, &a.title).cmp(&(b.date, b.org, b.unit, b.kind, &b.title)));
    let mut counters: BTreeMap<(&str, &str, &str, i32), u64> = BTreeMap::new();
    for row in rows.iter_mut() {
        if !rng.chance(85) {
            continue;
        }
        let prefix = match row.kind {
            "criticism" => "VB",
            "consultation" => "TB",
            _ => "KH",
        };
        let year = row.date.year();
        let key = (prefix, row.org, row.unit, year);
        let step = rng.range(1, 3);
        let start = rng.range(2, 9);
        let n = counters.entry(key).and_modify(|n| *n += step).or_insert(start);
        row.reference = match district(row.unit) {
            Some(d) => format!("{prefix}-{n:02}/{}-{}-{year}", row.org, d.abbr),
            None => format!("{prefix}-{n:02}/{}-{year}", row.org),
        };
    }
}

fn csv_line(cells: &[String]) -> Result<String> {
    let mut w = WriterBuilder::new()
        .terminator(Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells)?;
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(String::from_utf8(bytes)?)
}

fn write_examples(dir: &Path) -> Result<()> {
    let mut rng = Rng(SEED);
    let mut rows = Vec::new();
    supervisions(&mut rows, &mut rng)?;
    missed_supervisions(&mut rows, &mut rng)?;
    special_supervisions(&mut rows)?;
    dialogues(&mut rows, &mut rng)?;
    criticisms(&mut rows, &mut rng)?;
    trainings(&mut rows, &mut rng)?;
    other_activities(&mut rows)?;
    assign_refs(&mut rows, &mut rng);
    // Added later, with a generator of their own, so that the rows above keep
    // their figures and document numbers.
    party_building(&mut rows, &mut Rng(SEED ^ 0x0002))?;

    // Rows sorted by their cells (date first), the order `plan fmt` keeps.
    let mut files: BTreeMap<(i32, &str), Vec<Vec<String>>> = BTreeMap::new();
    for year in YEARS {
        for org in ORGS {
            files.insert((year, org), Vec::new());
        }
    }
    for row in &rows {
        files
            .get_mut(&(row.date.year(), row.org))
            .ok_or("row outside 2021-2025")?
            .push(row.cells().to_vec());
    }
    let header = csv_line(&HEADER.map(str::to_owned))?;
    for ((year, org), mut lines) in files {
        lines.sort_unstable();
        let lines = lines.iter().map(|cells| csv_line(cells)).collect::<Result<Vec<_>>>()?;
        let folder = dir.join(year.to_string());
        fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{}.csv", org.to_lowercase()));
        let mut out = BufWriter::new(File::create(&path)?);
        out.write_all(header.as_bytes())?;
        for line in &lines {
            out.write_all(line.as_bytes())?;
        }
        out.flush()?;
        println!("{} ({} rows)", path.display(), lines.len());
    }
    println!("{} rows in total", rows.len());
    Ok(())
}

/// Benchmark kinds: code, and the words that open a title.
const BENCH_KINDS: [(&str, &str); 7] = [
    ("supervision", ""),
    ("dialogue", "Hội nghị đối thoại"),
    ("criticism", "Hội nghị phản biện xã hội"),
    ("training", "Lớp tập huấn"),
    ("study-visit", "Chuyến học tập kinh nghiệm"),
    ("conference", "Hội nghị sơ kết"),
    ("consultation", "Hội nghị hiệp thương"),
];
const BENCH_KIND_WEIGHTS: [u64; 7] = [40, 35, 10, 6, 3, 3, 3];
const BENCH_STATUSES: [&str; 4] = ["done", "planned", "postponed", "cancelled"];
const BENCH_STATUS_WEIGHTS: [u64; 4] = [85, 6, 6, 3];

/// The cells of one benchmark row, reused from row to row to avoid allocation.
#[derive(Default)]
struct BenchRow {
    org: &'static str,
    unit: &'static str,
    kind: &'static str,
    status: &'static str,
    field: &'static str,
    title: String,
    reference: String,
    participants: String,
    cost: String,
    recommendations: String,
    resolved: String,
}

impl BenchRow {
    /// Fills the row numbered `i`, dated `date`, with valid random content.
    fn fill(&mut self, rng: &mut Rng, i: u64, date: NaiveDate, last_district: NaiveDate) -> Result<()> {
        self.org = ORGS.get(rng.index(ORGS.len())).copied().unwrap_or("MTTQ");
        let district = if date <= last_district && rng.chance(70) {
            DISTRICTS.get(rng.index(DISTRICTS.len()))
        } else {
            None
        };
        self.unit = district.map_or("tinh", |d| d.code);
        let (kind, kind_name) = BENCH_KINDS
            .get(rng.weighted(&BENCH_KIND_WEIGHTS))
            .copied()
            .unwrap_or(("dialogue", "Hội nghị đối thoại"));
        self.kind = kind;
        self.status = BENCH_STATUSES
            .get(rng.weighted(&BENCH_STATUS_WEIGHTS))
            .copied()
            .unwrap_or("done");
        let place = district.map_or("trên địa bàn tỉnh", |d| rng.pick(d.communes));
        let done = self.status == "done";
        self.field = "";
        for buf in [
            &mut self.title,
            &mut self.reference,
            &mut self.participants,
            &mut self.cost,
            &mut self.recommendations,
            &mut self.resolved,
        ] {
            buf.clear();
        }
        if self.kind == "supervision" {
            let fi = rng.index(FIELDS.len());
            self.field = FIELDS.get(fi).copied().unwrap_or("F1");
            let base = rng.pick(SUPERVISION_TITLES.get(fi).copied().unwrap_or_default());
            write!(self.title, "{base} ({place})")?;
            if done {
                let made = rng.range(0, 10);
                write!(self.recommendations, "{made}")?;
                write!(self.resolved, "{}", rng.range(0, made))?;
            }
        } else {
            let audiences = AUDIENCES.get(org_index(self.org)).copied().unwrap_or_default();
            let audience = rng.pick(audiences);
            write!(self.title, "{kind_name} với {audience} ({place})")?;
        }
        if done {
            write!(self.participants, "{}", rng.range(5, 250))?;
            write!(self.cost, "{}", rng.money(5, 120))?;
        }
        if i % 5 != 0 {
            write!(self.reference, "BM-{i}/{}", self.org)?;
        }
        Ok(())
    }
}

/// Writes `n` valid rows in date order, streaming.
fn write_bench(n: u64, out: &Path) -> Result<()> {
    let start = ymd(2021, 1, 1)?;
    let last_district = ymd(2025, 6, 30)?;
    let days = u64::try_from((ymd(2025, 12, 31)? - start).num_days() + 1)?;

    let mut rng = Rng(SEED ^ n);
    let file = File::create(out)?;
    let mut w = WriterBuilder::new()
        .terminator(Terminator::Any(b'\n'))
        .from_writer(BufWriter::with_capacity(1 << 20, file));
    w.write_record(HEADER)?;

    let mut date_offset = u64::MAX;
    let mut date = start;
    let mut date_text = String::new();
    let mut row = BenchRow::default();
    for i in 0..n {
        let offset = i * days / n;
        if offset != date_offset {
            date_offset = offset;
            date = start.checked_add_days(Days::new(offset)).ok_or("date overflow")?;
            date_text.clear();
            write!(date_text, "{}", date.format("%Y-%m-%d"))?;
        }
        row.fill(&mut rng, i, date, last_district)?;
        w.write_record([
            date_text.as_str(),
            row.org,
            row.unit,
            row.kind,
            row.status,
            row.title.as_str(),
            row.field,
            row.reference.as_str(),
            row.participants.as_str(),
            row.cost.as_str(),
            row.recommendations.as_str(),
            row.resolved.as_str(),
            "",
        ])?;
    }
    w.flush()?;
    Ok(())
}

const USAGE: &str = "usage: gen_logs DIR\n       gen_logs --rows N --out FILE.csv";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [dir] if !dir.starts_with('-') => write_examples(Path::new(dir)),
        [flag1, value1, flag2, value2] => {
            let (rows, out) = match (flag1.as_str(), flag2.as_str()) {
                ("--rows", "--out") => (value1, value2),
                ("--out", "--rows") => (value2, value1),
                _ => return Err(USAGE.into()),
            };
            let n: u64 = rows.parse().map_err(|_| format!("--rows: not a number: {rows}"))?;
            write_bench(n, Path::new(out))
        }
        _ => Err(USAGE.into()),
    }
}
