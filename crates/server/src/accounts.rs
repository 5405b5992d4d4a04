//! Users, devices and tokens (SYNC.md §4.1). Users and their roles live on the server; a
//! device is registered once with its user's password and then holds a rotating refresh
//! token (only its SHA-256 is stored); requests carry a short-lived access token.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use pdesk_normalize::clean_text;
use pdesk_sync_proto::devices::{DeviceRegistered, RegisterDevice, TokenIssued};
use pdesk_sync_proto::limits::ACCESS_TOKEN_SECS;
use pdesk_sync_proto::{Problem, ProblemCode};
use serde::Serialize;

use crate::clock::rfc3339;
use crate::config::{self, ROLES};
use crate::db::{DbError, Sql, Val};
use crate::error::{Result, ServerError};
use crate::ids::{new_id, new_token, sha256_hex};

/// Who a request runs for: the user behind the access token, and their device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: String,
    pub user_name: String,
    pub role: String,
    pub device_id: String,
}

impl Session {
    pub fn permissions(&self) -> Vec<&'static str> {
        config::permissions(&self.role)
    }

    pub fn can(&self, permission: &str) -> bool {
        self.permissions().contains(&permission)
    }
}

/// A refusal of an admin command, for the person at the terminal.
#[derive(Debug)]
pub struct Refused(pub String);

fn hash_password(password: &str) -> std::result::Result<String, Refused> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Refused(format!("could not hash the password: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn check_role(role: &str) -> std::result::Result<(), Refused> {
    if ROLES.contains(&role) {
        Ok(())
    } else {
        Err(Refused(format!(
            "there is no role \"{role}\": use one of {}",
            ROLES.join(", ")
        )))
    }
}

fn check_password(password: &str) -> std::result::Result<(), Refused> {
    if password.chars().count() < 8 {
        return Err(Refused("a password needs at least 8 characters".into()));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub id: String,
    pub name: String,
    pub role: String,
    pub active: bool,
}

/// `user add`: a new user with a role and a password.
pub fn add_user(
    sql: &mut dyn Sql,
    name: &str,
    role: &str,
    password: &str,
    now_ms: u64,
) -> std::result::Result<UserInfo, AdminError> {
    let name = clean_text(name);
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Refused("a user name must have 1 to 64 characters".into()).into());
    }
    check_role(role)?;
    check_password(password)?;
    if user_by_name(sql, &name)?.is_some() {
        return Err(Refused(format!("there is already a user \"{name}\"")).into());
    }
    let id = new_id("u_", now_ms);
    sql.execute(
        "INSERT INTO users (id, name, password_hash, role, active, created_at)
         VALUES ($1, $2, $3, $4, 1, $5)",
        &[
            id.clone().into(),
            name.clone().into(),
            hash_password(password)?.into(),
            role.into(),
            rfc3339(now_ms).into(),
        ],
    )?;
    Ok(UserInfo {
        id,
        name,
        role: role.into(),
        active: true,
    })
}

/// Why an admin command failed: a refusal to show, or a storage failure.
#[derive(Debug)]
pub enum AdminError {
    Refused(Refused),
    Db(DbError),
}

impl From<Refused> for AdminError {
    fn from(r: Refused) -> AdminError {
        AdminError::Refused(r)
    }
}
impl From<DbError> for AdminError {
    fn from(e: DbError) -> AdminError {
        AdminError::Db(e)
    }
}

struct UserRow {
    id: String,
    password_hash: String,
    active: bool,
}

fn user_by_name(sql: &mut dyn Sql, name: &str) -> std::result::Result<Option<UserRow>, DbError> {
    Ok(sql
        .query_opt(
            "SELECT id, password_hash, active FROM users WHERE name = $1",
            &[name.into()],
        )?
        .map(|r| UserRow {
            id: r.text(0),
            password_hash: r.text(1),
            active: r.flag(2),
        }))
}

fn existing_user(sql: &mut dyn Sql, name: &str) -> std::result::Result<UserRow, AdminError> {
    user_by_name(sql, name)?.ok_or_else(|| Refused(format!("there is no user \"{name}\"")).into())
}

pub fn set_password(
    sql: &mut dyn Sql,
    name: &str,
    password: &str,
) -> std::result::Result<(), AdminError> {
    let user = existing_user(sql, name)?;
    check_password(password)?;
    sql.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        &[hash_password(password)?.into(), user.id.into()],
    )?;
    Ok(())
}

pub fn set_role(sql: &mut dyn Sql, name: &str, role: &str) -> std::result::Result<(), AdminError> {
    let user = existing_user(sql, name)?;
    check_role(role)?;
    sql.execute(
        "UPDATE users SET role = $1 WHERE id = $2",
        &[role.into(), user.id.into()],
    )?;
    Ok(())
}

/// `user deactivate`: the user can no longer sign in, and their devices' tokens stop working.
pub fn deactivate(sql: &mut dyn Sql, name: &str) -> std::result::Result<(), AdminError> {
    let user = existing_user(sql, name)?;
    sql.execute(
        "UPDATE users SET active = 0 WHERE id = $1",
        &[user.id.clone().into()],
    )?;
    sql.execute(
        "DELETE FROM access_tokens WHERE device_id IN (SELECT id FROM devices WHERE user_id = $1)",
        &[user.id.into()],
    )?;
    Ok(())
}

pub fn list_users(sql: &mut dyn Sql) -> std::result::Result<Vec<UserInfo>, DbError> {
    Ok(sql
        .query(
            "SELECT id, name, role, active FROM users ORDER BY name",
            &[],
        )?
        .into_iter()
        .map(|r| UserInfo {
            id: r.text(0),
            name: r.text(1),
            role: r.text(2),
            active: r.flag(3),
        })
        .collect())
}

fn invalid_credentials() -> ServerError {
    ServerError::new(
        ProblemCode::InvalidCredentials,
        "the user name or password is wrong, or the user is deactivated",
    )
}

/// `POST /v1/devices`: a device registered with its user's password, and its first refresh
/// token.
pub fn register_device(
    sql: &mut dyn Sql,
    request: &RegisterDevice,
    now_ms: u64,
) -> Result<DeviceRegistered> {
    let user_id = check_credentials(sql, request)?;
    add_device(sql, &user_id, request, now_ms)
}

/// The user a device registration signs in as, after checking the request and the password
/// (Argon2id: tens of milliseconds and 19 MiB; the HTTP layer runs it in a read, outside the
/// writer, a few at a time).
pub fn check_credentials(sql: &mut dyn Sql, request: &RegisterDevice) -> Result<String> {
    request
        .validate()
        .map_err(|detail| ServerError::new(ProblemCode::Malformed, detail))?;
    let Some(password) = &request.password else {
        return Err(ServerError::new(
            ProblemCode::Malformed,
            "this server signs in with a password only: send password, not oidc_code",
        ));
    };
    match user_by_name(sql, &clean_text(&request.user))? {
        Some(u) if u.active && password_matches(password, &u.password_hash) => Ok(u.id),
        _ => Err(invalid_credentials()),
    }
}

/// Registers a device of `user_id` (whose password was checked) and issues its first refresh
/// token. The user is checked again here, cheaply: deactivated meanwhile, it is refused.
pub fn add_device(
    sql: &mut dyn Sql,
    user_id: &str,
    request: &RegisterDevice,
    now_ms: u64,
) -> Result<DeviceRegistered> {
    let active = sql
        .query_opt("SELECT active FROM users WHERE id = $1", &[user_id.into()])?
        .is_some_and(|r| r.flag(0));
    if !active {
        return Err(invalid_credentials());
    }
    let device_id = new_id("d_", now_ms);
    sql.execute(
        "INSERT INTO devices (id, user_id, name, platform, created_at) VALUES ($1, $2, $3, $4, $5)",
        &[
            device_id.clone().into(),
            user_id.into(),
            clean_text(&request.device_name).into(),
            clean_text(&request.platform).into(),
            rfc3339(now_ms).into(),
        ],
    )?;
    let refresh_token = issue_refresh(sql, &device_id, now_ms)?;
    Ok(DeviceRegistered {
        device_id,
        refresh_token,
    })
}

fn issue_refresh(sql: &mut dyn Sql, device_id: &str, now_ms: u64) -> Result<String, DbError> {
    let token = new_token();
    sql.execute(
        "INSERT INTO refresh_tokens (hash, device_id, state, created_ms) VALUES ($1, $2, 'live', $3)",
        &[sha256_hex(token.as_bytes()).into(), device_id.into(), Val::from(now_ms)],
    )?;
    Ok(token)
}

/// `POST /v1/token`: spends the refresh token and issues a new one with an access token. A
/// spent token presented again revokes the device (whoever copied it loses access too) —
/// unless it is the device's last one, presented again within a minute while its successor
/// is unused: the answer was lost, and the device gets a new pair. The
/// outer `Result` is storage; the inner one is the answer — a refusal that revoked a device
/// must still be committed.
pub fn refresh(
    sql: &mut dyn Sql,
    refresh_token: &str,
    now_ms: u64,
) -> Result<Result<TokenIssued>, DbError> {
    let hash = sha256_hex(refresh_token.as_bytes());
    let Some(row) = sql.query_opt(
        "SELECT t.device_id, t.state, d.revoked_at, u.active
           FROM refresh_tokens t JOIN devices d ON d.id = t.device_id JOIN users u ON u.id = d.user_id
          WHERE t.hash = $1",
        &[hash.clone().into()],
    )?
    else {
        return Ok(Err(invalid_credentials()));
    };
    let device_id = row.text(0);
    if row.opt_text(2).is_some() {
        return Ok(Err(revoked()));
    }
    if !row.flag(3) {
        return Ok(Err(invalid_credentials()));
    }
    let state = row.text(1);
    if state != "live" {
        match lost_answer_successor(sql, &state, now_ms)? {
            // The answer to this token's refresh never reached the device: its successor is
            // spent in its place and the device gets a new pair.
            Some(successor) => {
                sql.execute(
                    "UPDATE refresh_tokens SET state = 'spent' WHERE hash = $1",
                    &[successor.into()],
                )?;
            }
            None => {
                revoke(sql, &device_id, now_ms)?;
                return Ok(Err(ServerError::new(
                    ProblemCode::RefreshReused,
                    "this refresh token was used before: the device is signed out for safety; sign in again",
                )));
            }
        }
    }
    let refresh_token = issue_refresh(sql, &device_id, now_ms)?;
    // Spent, and linked to its successor: a retry of this refresh (its answer lost) is told
    // from reuse by that link.
    sql.execute(
        "UPDATE refresh_tokens SET state = $2 WHERE hash = $1",
        &[
            hash.into(),
            format!("{ROTATED}{}", sha256_hex(refresh_token.as_bytes())).into(),
        ],
    )?;
    let access_token = new_token();
    sql.execute(
        "INSERT INTO access_tokens (hash, device_id, expires_ms) VALUES ($1, $2, $3)",
        &[
            sha256_hex(access_token.as_bytes()).into(),
            device_id.clone().into(),
            Val::from(now_ms + u64::from(ACCESS_TOKEN_SECS) * 1000),
        ],
    )?;
    sql.execute(
        "UPDATE devices SET last_seen = $1 WHERE id = $2",
        &[rfc3339(now_ms).into(), device_id.into()],
    )?;
    Ok(Ok(TokenIssued {
        access_token,
        expires_in: ACCESS_TOKEN_SECS,
        refresh_token,
    }))
}

/// How long after a refresh its spent token may be presented again as a retry (the answer
/// was lost: the client crashed or the connection dropped after the server committed), like
/// the "reuse interval" of Auth0 and Okta. Later, or an older token, is reuse: the device is
/// revoked (docs/sync/decisions.md 42).
pub const REFRESH_RETRY_GRACE_MS: u64 = 60_000;

/// The state of a refresh token spent by a refresh, before its successor's hash.
const ROTATED: &str = "rotated:";

/// When a spent token's `state` links it to its successor, and that successor is still live and
/// was issued less than [`REFRESH_RETRY_GRACE_MS`] ago: the successor's hash (the answer
/// carrying it was lost). A token spent otherwise (by such a retry, or a revocation) has no
/// link.
fn lost_answer_successor(
    sql: &mut dyn Sql,
    state: &str,
    now_ms: u64,
) -> Result<Option<String>, DbError> {
    let Some(successor) = state.strip_prefix(ROTATED) else {
        return Ok(None);
    };
    let live = sql.query_opt(
        "SELECT created_ms FROM refresh_tokens WHERE hash = $1 AND state = 'live'",
        &[successor.into()],
    )?;
    Ok(live
        .filter(|row| row.u64(0) + REFRESH_RETRY_GRACE_MS > now_ms)
        .map(|_| successor.to_string()))
}

fn revoked() -> ServerError {
    ServerError::new(
        ProblemCode::DeviceRevoked,
        "this device was revoked: an administrator or its user signed it out; sign in again",
    )
}

/// The session behind an access token.
pub fn authenticate(sql: &mut dyn Sql, access_token: &str, now_ms: u64) -> Result<Session> {
    let row = sql.query_opt(
        "SELECT a.expires_ms, d.id, d.revoked_at, u.id, u.name, u.role, u.active
           FROM access_tokens a JOIN devices d ON d.id = a.device_id JOIN users u ON u.id = d.user_id
          WHERE a.hash = $1",
        &[sha256_hex(access_token.as_bytes()).into()],
    )?;
    let Some(row) = row else {
        return Err(ServerError::new(
            ProblemCode::InvalidCredentials,
            "the access token is not one this server issued: get a new one with the refresh token",
        ));
    };
    if row.opt_text(2).is_some() {
        return Err(revoked());
    }
    if !row.flag(6) {
        return Err(invalid_credentials());
    }
    if row.u64(0) <= now_ms {
        return Err(ServerError::new(
            ProblemCode::TokenExpired,
            "the access token expired: get a new one with the refresh token (POST /v1/token)",
        ));
    }
    Ok(Session {
        device_id: row.text(1),
        user_id: row.text(3),
        user_name: row.text(4),
        role: row.text(5),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub user: String,
    pub name: String,
    pub platform: String,
    pub created_at: String,
    pub last_seen: Option<String>,
    pub revoked: bool,
}

pub fn list_devices(sql: &mut dyn Sql) -> std::result::Result<Vec<DeviceInfo>, DbError> {
    Ok(sql
        .query(
            "SELECT d.id, u.name, d.name, d.platform, d.created_at, d.last_seen, d.revoked_at
               FROM devices d JOIN users u ON u.id = d.user_id ORDER BY d.created_at, d.id",
            &[],
        )?
        .into_iter()
        .map(|r| DeviceInfo {
            id: r.text(0),
            user: r.text(1),
            name: r.text(2),
            platform: r.text(3),
            created_at: r.text(4),
            last_seen: r.opt_text(5),
            revoked: r.opt_text(6).is_some(),
        })
        .collect())
}

/// Revokes a device: its tokens stop working at once. Answers whether it existed.
pub fn revoke(sql: &mut dyn Sql, device_id: &str, now_ms: u64) -> Result<bool, DbError> {
    let n = sql.execute(
        "UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        &[rfc3339(now_ms).into(), device_id.into()],
    )?;
    // Access tokens stay until they expire: `authenticate` answers them `device_revoked`, so
    // the device learns why, instead of an unknown-token 401.
    sql.execute(
        "UPDATE refresh_tokens SET state = 'spent' WHERE device_id = $1",
        &[device_id.into()],
    )?;
    let exists = sql
        .query_opt("SELECT 1 FROM devices WHERE id = $1", &[device_id.into()])?
        .is_some();
    Ok(n > 0 || exists)
}

/// `DELETE /v1/devices/{id}`: by an administrator or the device's own user.
pub fn revoke_by(sql: &mut dyn Sql, session: &Session, device_id: &str, now_ms: u64) -> Result<()> {
    let owner = sql
        .query_opt(
            "SELECT user_id FROM devices WHERE id = $1",
            &[device_id.into()],
        )?
        .map(|r| r.text(0));
    let Some(owner) = owner else {
        return Err(ServerError::new(
            ProblemCode::NotFound,
            format!("there is no device {device_id}"),
        ));
    };
    if owner != session.user_id && !session.can("settings.manage") {
        let mut problem = Problem::new(
            ProblemCode::Forbidden,
            "only an administrator or the device's own user can revoke a device",
        );
        problem.permission = Some("settings.manage".into());
        return Err(problem.into());
    }
    revoke(sql, device_id, now_ms)?;
    Ok(())
}
