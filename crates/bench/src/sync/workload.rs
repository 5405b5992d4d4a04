//! The ops the sync figures push: realistic creates (Vietnamese names, phones written as people
//! write them, one in five with an e-mail, one in twenty repeating an earlier customer's phone,
//! which the rule merges), in separate *spaces* so the profiles seeded into a big server never
//! match the ones a figure then measures.

use pdesk_core::Error;
use pdesk_server::accounts::{self, Session};
use pdesk_server::db::Database;
use pdesk_sync_proto::push::{Op, PushRequest};
use pdesk_sync_proto::Hlc;
use serde_json::json;

/// The benchmark's clock: every figure runs at the same instant (2026-12-01T00:00Z).
pub const T0: u64 = 1_796_083_200_000;
/// The password of the benchmark's administrator.
pub const PASSWORD: &str = "benchmark password";

pub fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("sync benchmark: {e}"))
}

/// A family of ops that shares nothing with another: its own gids, op ids, replica and phone
/// numbers.
#[derive(Debug, Clone, Copy)]
pub struct Space {
    /// The 8 hex digits every gid, op id and the replica id start with.
    pub prefix: u32,
    /// Added to the op's number to make its phone (0900 000 000 + base + n).
    pub phone_base: u64,
}

/// The measured pushes.
pub const MEASURED: Space = Space {
    prefix: 0x019a_d9a4,
    phone_base: 0,
};
/// The profiles a big server is filled with first.
pub const SEED: Space = Space {
    prefix: 0x019a_d9a3,
    phone_base: 10_000_000,
};

impl Space {
    pub fn replica(&self) -> String {
        format!("{:08x}-0002-7000-8000-000000000001", self.prefix)
    }

    /// `count` create ops from sequence number `first_seq` on.
    pub fn creates(&self, first_seq: u64, count: u64) -> PushRequest {
        const FAMILY: [&str; 8] = [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng",
        ];
        const GIVEN: [&str; 8] = [
            "Văn An",
            "Thị Lan",
            "Minh",
            "Thu Hà",
            "Quốc Bảo",
            "Ngọc",
            "Hải",
            "Thị Mai",
        ];
        let ops = (first_seq..first_seq + count)
            .map(|seq| {
                let n = if seq % 20 == 0 { seq / 2 } else { seq };
                let name = format!("{} {}", FAMILY[(n % 8) as usize], GIVEN[(n / 8 % 8) as usize]);
                let p = self.phone_base + n;
                let phone = format!("09{:02} {:03} {:03}", p / 1_000_000 % 100, p / 1000 % 1000, p % 1000);
                let mut fields = json!({"full_name": name, "phones": [{"raw": phone, "tag": format!("p{seq}")}], "city": "Hà Nội"});
                if seq % 5 == 0 {
                    fields["emails"] = json!([{"raw": format!("khach{p}@example.vn"), "tag": format!("e{seq}")}]);
                }
                let body = json!({"kind": "profile.create", "gid": format!("{:08x}-0000-7000-8000-{seq:012x}", self.prefix), "fields": fields});
                Op {
                    seq,
                    op_id: format!("{:08x}-0001-7000-8000-{seq:012x}", self.prefix),
                    hlc: Hlc::new(T0 + seq, 0).expect("a valid HLC"),
                    body: serde_json::from_value(body).expect("a create op"),
                }
            })
            .collect();
        PushRequest {
            replica: self.replica(),
            config_version: 1,
            ops,
        }
    }
}

/// Registers a device of the administrator and answers its session, as `POST /v1/devices` and
/// the bearer check would.
pub fn admin_session(db: &Database, device_name: &str) -> Result<Session, Error> {
    let request = pdesk_sync_proto::devices::RegisterDevice {
        user: "admin".into(),
        password: Some(PASSWORD.into()),
        oidc_code: None,
        device_name: device_name.into(),
        platform: "linux".into(),
    };
    let device = db
        .write(|sql| accounts::register_device(sql, &request, T0))
        .map_err(internal)?;
    Ok(Session {
        user_id: String::new(),
        user_name: "admin".into(),
        role: "Administrator".into(),
        device_id: device.device_id,
    })
}
