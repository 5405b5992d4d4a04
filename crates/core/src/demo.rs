//! Realistic generated profiles for demos, the list's smoothness check and the benchmarks:
//! Vietnamese names with diacritics and their real frequency, phones in the mixed formats
//! people type, e-mails, birthdays, cities, companies and a few linked objects. Values are
//! valid by construction (phones are checked by the normaliser in the tests), and inserted in
//! bulk in one transaction for speed.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rusqlite::params;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;
use pdesk_normalize::fold_for_search;

/// Family names with their approximate share of the population (per mille).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 51),
    ("Huỳnh", 40),
    ("Phan", 45),
    ("Vũ", 39),
    ("Võ", 30),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Trương", 8),
    ("Đinh", 7),
    ("Mai", 5),
    ("Cao", 4),
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Gia", "Hoàng", "Tuấn",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Khánh", "Phương", "Mỹ", "Hồng",
];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đông", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
    "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Thắng", "Thành",
    "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Hoàng", "Lâm",
];
const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Châu", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "My", "Nga",
    "Ngân", "Nhung", "Phương", "Quỳnh", "Tâm", "Thảo", "Trang", "Uyên", "Vy", "Yến", "Điệp",
    "Hằng", "Thủy", "Loan", "Diệp",
];
const CITIES: &[&str] = &[
    "Hà Nội",
    "TP Hồ Chí Minh",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Huế",
    "Nha Trang",
    "Biên Hòa",
    "Vũng Tàu",
    "Quy Nhơn",
    "Đà Lạt",
    "Hạ Long",
    "Buôn Ma Thuột",
    "Vinh",
    "Thủ Đức",
];
const STREETS: &[&str] = &[
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Điện Biên Phủ",
    "Lý Thường Kiệt",
    "Phan Chu Trinh",
    "Nguyễn Trãi",
    "Cách Mạng Tháng Tám",
    "Võ Văn Tần",
];
const COMPANIES: &[&str] = &[
    "Công ty TNHH Minh Phát",
    "Tập đoàn Hòa Bình",
    "Ngân hàng Á Châu",
    "Công ty CP Sao Việt",
    "Thế Giới Số",
    "Công ty TNHH Đại Dương Xanh",
    "Vận tải Phương Nam",
    "Bất động sản Thiên Long",
    "Dược phẩm An Khang",
    "Công ty CP Nông sản Việt",
    "Saigon Retail",
    "Hanoi Tech Solutions",
];
const JOBS: &[&str] = &[
    "Giám đốc",
    "Trưởng phòng kinh doanh",
    "Kế toán",
    "Nhân viên bán hàng",
    "Kỹ sư phần mềm",
    "Chuyên viên marketing",
    "Giáo viên",
    "Bác sĩ",
    "Chủ cửa hàng",
    "Sales Manager",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "fpt.vn",
    "vnpt.vn",
];
/// Vietnamese mobile prefixes (after the trunk 0), as two digits.
const MOBILE_PREFIXES: &[&str] = &[
    "90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "70", "76", "77", "78", "79", "81",
    "82", "83", "84", "85", "32", "33", "34", "35", "36", "37", "38", "39", "56", "58",
];

fn pick<'a>(rng: &mut SmallRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn family(rng: &mut SmallRng) -> &'static str {
    let total: u32 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (name, w) in FAMILY {
        if x < *w {
            return name;
        }
        x -= w;
    }
    FAMILY[0].0
}

/// The `n`-th unique Vietnamese mobile number as its 9-digit national significant number.
/// Multiplying by a number coprime to the size of the number space is a bijection, so numbers
/// never repeat, and neighbouring `n` get unrelated numbers.
pub fn unique_mobile_nsn(n: u64) -> String {
    let space = MOBILE_PREFIXES.len() as u64 * 10_000_000;
    let x = (n % space * 3_779_111 + 1_234_567) % space;
    format!(
        "{}{:07}",
        MOBILE_PREFIXES[(x / 10_000_000) as usize],
        x % 10_000_000
    )
}

/// Writes a national number the way people do: `0912 345 678`, `+84 912 345 678`, ...
fn spell_phone(rng: &mut SmallRng, nsn: &str) -> String {
    let (a, b, c) = (&nsn[..3], &nsn[3..6], &nsn[6..]);
    match rng.random_range(0..6) {
        0 => format!("0{a} {b} {c}"),
        1 => format!("0{nsn}"),
        2 => format!("+84 {a} {b} {c}"),
        3 => format!("84{nsn}"),
        4 => format!("0{a}.{b}.{c}"),
        _ => format!("0{a}-{b}-{c}"),
    }
}

impl Store {
    /// Adds `count` generated profiles (and a few linked objects); returns how many were added.
    /// Deterministic for a given `seed` and starting state.
    pub fn seed_demo(&mut self, actor: &Actor, count: u64, seed: u64) -> Result<u64> {
        actor.require(Permission::ProfileCreate)?;
        // Demo rows are written in bulk, past the profiles' writer, so no op would send them.
        if crate::outbox::is_capturing(&self.conn)? {
            return Err(Error::conflict(
                "demoWhileConnected",
                serde_json::Value::Null,
                "Demo profiles are not added to a store connected to a server",
            ));
        }
        let mut rng = SmallRng::seed_from_u64(seed);
        let start: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(id), 0) FROM profiles", [], |r| {
                    r.get(0)
                })?;
        let now = self.now_utc();
        let span_secs: i64 = 3 * 365 * 24 * 3600;
        let tx = self.conn.transaction()?;
        {
            let mut ins_profile = tx.prepare(
                "INSERT INTO profiles(full_name, name_key, gender, birthday, address, city, company,
                    job_title, customer_code, code_key, note, source_kind, source_detail,
                    created_at, updated_at, created_by, updated_by, gid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, NULL, ?10, ?11, ?12, ?12, ?13, ?13,
                         pdesk_uuid7())",
            )?;
            let mut ins_phone = tx.prepare(
                "INSERT INTO profile_phones(profile_id, position, raw, e164) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut ins_email = tx.prepare(
                "INSERT INTO profile_emails(profile_id, position, raw, email_key) VALUES (?1, 0, ?2, ?3)",
            )?;
            let mut ins_tag = tx.prepare(
                "INSERT INTO profile_tags(profile_id, position, tag) VALUES (?1, 0, ?2)",
            )?;
            for i in 0..count {
                let n = start as u64 + i;
                let female = rng.random_bool(0.5);
                let (middle, given) = if female {
                    (pick(&mut rng, MIDDLE_FEMALE), pick(&mut rng, GIVEN_FEMALE))
                } else {
                    (pick(&mut rng, MIDDLE_MALE), pick(&mut rng, GIVEN_MALE))
                };
                let name = format!("{} {middle} {given}", family(&mut rng));
                let gender = if rng.random_bool(0.9) {
                    Some(if female { "female" } else { "male" })
                } else {
                    None
                };
                let birthday = rng.random_bool(0.6).then(|| {
                    format!(
                        "{}-{:02}-{:02}",
                        rng.random_range(1960..2006),
                        rng.random_range(1..13),
                        rng.random_range(1..29)
                    )
                });
                let city = rng.random_bool(0.85).then(|| pick(&mut rng, CITIES));
                let address = rng
                    .random_bool(0.5)
                    .then(|| format!("{} {}", rng.random_range(1..400), pick(&mut rng, STREETS)));
                let company = rng.random_bool(0.4).then(|| pick(&mut rng, COMPANIES));
                let job = rng.random_bool(0.4).then(|| pick(&mut rng, JOBS));
                let code = rng.random_bool(0.5).then(|| format!("KH{:08}", n + 1));
                let created = now
                    - time::Duration::seconds(span_secs * (count - i) as i64 / count.max(1) as i64);
                let created = crate::clock::format(created);
                let (source, detail) = if rng.random_bool(0.7) {
                    ("file", Some("khach-hang-2025.xlsx"))
                } else {
                    ("manual", None)
                };
                ins_profile.execute(params![
                    name,
                    fold_for_search(&name),
                    gender,
                    birthday,
                    address,
                    city,
                    company,
                    job,
                    code,
                    source,
                    detail,
                    created,
                    actor.name,
                ])?;
                let id = tx.last_insert_rowid();
                let nsn = unique_mobile_nsn(n * 2);
                ins_phone.execute(params![
                    id,
                    0,
                    spell_phone(&mut rng, &nsn),
                    format!("+84{nsn}")
                ])?;
                if rng.random_bool(0.1) {
                    let nsn2 = unique_mobile_nsn(n * 2 + 1);
                    ins_phone.execute(params![
                        id,
                        1,
                        spell_phone(&mut rng, &nsn2),
                        format!("+84{nsn2}")
                    ])?;
                }
                if rng.random_bool(0.7) {
                    let local = fold_for_search(&name).replace(' ', ".");
                    let raw = format!("{local}{}@{}", n % 1000, pick(&mut rng, DOMAINS));
                    ins_email.execute(params![id, raw, raw.to_lowercase()])?;
                }
                if rng.random_bool(0.2) {
                    ins_tag.execute(params![
                        id,
                        pick(&mut rng, &["VIP", "Khách mới", "Tiềm năng", "Đại lý"])
                    ])?;
                }
                if i < 2_000 && rng.random_bool(0.5) {
                    link_objects(&tx, id, &mut rng, &created)?;
                }
            }
        }
        // The generated rows bypass `profiles/storage.rs` for speed, so they are indexed for
        // name search here, in one statement; then the index is merged into few segments so
        // that type-ahead on the generated store is as fast as on a store built over time.
        tx.execute(
            "INSERT INTO profile_search(rowid, name_key)
             SELECT id, name_key FROM profiles WHERE id > ?1 AND name_key IS NOT NULL ORDER BY id",
            [start],
        )?;
        tx.execute(
            "INSERT INTO profile_search(profile_search) VALUES ('optimize')",
            [],
        )?;
        tx.commit()?;
        self.touched();
        Ok(count)
    }
}

fn link_objects(conn: &rusqlite::Connection, id: i64, rng: &mut SmallRng, at: &str) -> Result<()> {
    let objects: [(&str, &str, &str, &[&str]); 4] = [
        (
            "accounts",
            "name",
            "profile_accounts(profile_id, account_id)",
            &["Tài khoản doanh nghiệp", "Tài khoản cá nhân"],
        ),
        (
            "opportunities",
            "title",
            "profile_opportunities(profile_id, opportunity_id)",
            &["Gói bảo hiểm", "Vay mua nhà", "Thẻ tín dụng"],
        ),
        (
            "tickets",
            "title",
            "profile_tickets(profile_id, ticket_id)",
            &["Hỏi về phí", "Khiếu nại giao hàng"],
        ),
        (
            "tasks",
            "title",
            "profile_tasks(profile_id, task_id)",
            &["Gọi lại khách", "Gửi báo giá"],
        ),
    ];
    for (table, title_col, link, titles) in objects {
        if rng.random_bool(0.6) {
            let title = pick(rng, titles);
            let status = pick(rng, &["open", "in progress", "won", "closed"]);
            conn.execute(
                &format!("INSERT INTO {table}({title_col}, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"),
                params![title, status, at],
            )?;
            let object = conn.last_insert_rowid();
            conn.execute(
                &format!("INSERT INTO {link} VALUES (?1, ?2)"),
                params![id, object],
            )?;
        }
    }
    Ok(())
}

/// Profiles generated into a new demo database.
pub const DEMO_PROFILES: u64 = 2_500;
/// The setting that marks a database as demo data (set only by [`Store::open_demo`]).
const DEMO_FLAG: &str = "app.demo";

/// Where demo mode keeps its database: a `demo` folder inside the app's data folder, next to —
/// never in place of — the user's own database.
pub fn demo_db_path(dev: bool) -> Result<std::path::PathBuf> {
    let real = crate::store::default_db_path(dev)?;
    let folder = real
        .parent()
        .map(|p| p.join("demo"))
        .ok_or_else(|| crate::Error::Internal("the app's data folder has no parent".into()))?;
    Ok(folder.join("profiles.db"))
}

impl Store {
    /// Opens demo mode's database at `path`: on first use it is marked as demo data and filled
    /// with generated profiles. A database that holds profiles but is not marked as demo data
    /// is refused, so demo mode can never write generated profiles into real data.
    pub fn open_demo(path: &std::path::Path) -> Result<Store> {
        let mut store = Store::open(path)?;
        if store.is_demo()? {
            return Ok(store);
        }
        let profiles: i64 = store
            .conn
            .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
        if profiles > 0 {
            return Err(crate::Error::conflict(
                "notDemoDatabase",
                serde_json::json!({ "path": path.display().to_string() }),
                format!(
                    "{} holds profiles and is not a demo database; demo mode only opens its \
                     own database of generated profiles",
                    path.display()
                ),
            ));
        }
        let admin = store.actor(None)?;
        store.seed_demo(&admin, DEMO_PROFILES, 2024)?;
        store.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, 'true')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [DEMO_FLAG],
        )?;
        Ok(store)
    }

    /// True for demo mode's database of generated profiles.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.setting(DEMO_FLAG)?.as_deref() == Some("true"))
    }
}
