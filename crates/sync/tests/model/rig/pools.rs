//! The small pools every generated action draws from, on purpose: the same phones and e-mails
//! come back in creates, edits and imports on every laptop, so the rule meets zero, one and
//! several matches, and the blocked values (a phone of zeros, test@test.com) turn up too.

/// (as typed, the server's match key). The last is blocked: it never identifies anyone.
pub const PHONES: [(&str, &str); 6] = [
    ("0912 000 001", "+84912000001"),
    ("0912000002", "+84912000002"),
    ("+84 912 000 003", "+84912000003"),
    ("0912000004", "+84912000004"),
    ("0912-000-005", "+84912000005"),
    ("0000000000", "+840000000000"),
];

pub const EMAILS: [(&str, &str); 5] = [
    ("an@example.vn", "an@example.vn"),
    ("Binh@Example.vn", "binh@example.vn"),
    ("cuong@example.vn", "cuong@example.vn"),
    ("dung@example.vn", "dung@example.vn"),
    ("test@test.com", "test@test.com"),
];

pub const NAMES: [&str; 4] = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
];

pub const CITIES: [&str; 3] = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng"];
pub const COMPANIES: [&str; 3] = ["Vinamilk", "FPT", "Viettel"];
pub const REASONS: [&str; 3] = [
    "Customer request (erasure)",
    "Duplicate entered by mistake",
    "Test record",
];
pub const CHANNELS: [&str; 3] = ["email", "sms", "phone_call"];

pub fn phone(i: u8) -> (&'static str, &'static str) {
    PHONES[usize::from(i) % PHONES.len()]
}

pub fn email(i: u8) -> (&'static str, &'static str) {
    EMAILS[usize::from(i) % EMAILS.len()]
}

pub fn name(i: u8) -> &'static str {
    NAMES[usize::from(i) % NAMES.len()]
}

pub fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[usize::from(i) % pool.len()]
}
