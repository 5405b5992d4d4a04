//! Local users, roles and sign-in (SPEC 7.2). Passwords are hashed with Argon2id (a
//! memory-hard KDF; the PHC string keeps its own salt and parameters). The first start sets up
//! the administrator; administrators add users and custom roles; built-in roles keep the
//! permissions SPEC 7.2 gives them; the store always keeps an active user who can manage
//! settings. Every change is audited in its own transaction, and so are sign-in, failed
//! sign-in, unlock, lock and sign-out.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission, UserRow};
use crate::error::{invalid, Error, Result};
use crate::model::{FieldError, Lang, Session};
use crate::store::{put_setting, Store};
use pdesk_normalize::{clean_text, PhoneRegion, REGIONS};

/// Shortest and longest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Wrong passwords in a row before sign-in pauses for [`PAUSE_SECONDS`].
pub const MAX_FAILED_SIGN_INS: u32 = 5;
pub const PAUSE_SECONDS: i64 = 30;
/// The longest pause: each wrong password after [`MAX_FAILED_SIGN_INS`] doubles it up to this.
pub const MAX_PAUSE_SECONDS: i64 = 3600;

/// The pause after `failures` wrong passwords in a row: none below [`MAX_FAILED_SIGN_INS`],
/// then 30 s, 60 s, 120 s … up to an hour. The count is kept in the store, so restarting the
/// app or `pdesk` does not reset it; a right password does.
pub fn sign_in_pause(failures: u32) -> Option<i64> {
    let over = failures.checked_sub(MAX_FAILED_SIGN_INS)?;
    Some(
        PAUSE_SECONDS
            .saturating_mul(1i64 << over.min(20))
            .min(MAX_PAUSE_SECONDS),
    )
}
/// Bounds of the idle lock, in minutes.
pub const IDLE_LOCK_MINUTES: (u32, u32) = (1, 240);

/// A user as the Users section lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub name: String,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    /// A user without a password cannot sign in to the app until an administrator sets one.
    pub has_password: bool,
    pub created_at: String,
}

/// A user to add (Users section, `pdesk user add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub name: String,
    /// Empty: the name is shown.
    pub display_name: String,
    pub role: String,
    pub password: String,
}

/// Changes to a user; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
}

/// A role with its permissions, as the Roles section lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RoleSummary {
    pub name: String,
    /// Administrator, Sales, Viewer: their permissions are SPEC 7.2's and cannot change.
    pub builtin: bool,
    pub permissions: Vec<String>,
    /// Users with this role (a role in use cannot be deleted).
    pub users: u32,
}

/// A permission and what it allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PermissionInfo {
    pub key: String,
    /// In English (the store's); the app words it by `key` in its language.
    pub description: String,
}

/// A default phone region to choose from (first run, synchronization rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RegionChoice {
    pub iso: String,
    pub name: String,
    pub calling_code: String,
}

/// Someone who can sign in, as the sign-in screen offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SignInUser {
    pub name: String,
    pub display_name: String,
}

/// The first start: who the administrator is and the default phone region (SPEC 7.2, 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FirstRunSetup {
    pub name: String,
    pub display_name: String,
    pub password: String,
    pub region: String,
}

/// What the app shows when it starts or after sign-out or lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "screen")]
pub enum StartScreen {
    /// A new store: set up the administrator.
    FirstRun {
        #[serde(rename = "suggestedName")]
        suggested_name: String,
        regions: Vec<RegionChoice>,
        #[serde(rename = "defaultRegion")]
        default_region: String,
    },
    /// Choose a user and enter the password.
    SignIn {
        users: Vec<SignInUser>,
        /// The user to preselect (the app's `--user`, or the one who signed out).
        preselect: Option<String>,
    },
    /// The signed-in user's session is locked (idle): their password unlocks it.
    Locked { user: SignInUser },
    /// Signed in.
    Ready {
        session: Session,
        #[serde(rename = "idleLockMinutes")]
        idle_lock_minutes: u32,
    },
}

/// Why a sign-in is checked: the audit entry says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInPurpose {
    SignIn,
    Unlock,
}

/// English names of the regions a store may default to.
fn region_name(iso: &str) -> &'static str {
    match iso {
        "VN" => "Vietnam",
        "US" => "United States",
        "CA" => "Canada",
        "GB" => "United Kingdom",
        "FR" => "France",
        "DE" => "Germany",
        "SG" => "Singapore",
        "TH" => "Thailand",
        "MY" => "Malaysia",
        "ID" => "Indonesia",
        "PH" => "Philippines",
        "KH" => "Cambodia",
        "LA" => "Laos",
        "CN" => "China",
        "JP" => "Japan",
        "KR" => "South Korea",
        "AU" => "Australia",
        "IN" => "India",
        _ => "Other",
    }
}

/// Every region a store may default to, in the table's order (Vietnam first).
pub fn phone_regions() -> Vec<RegionChoice> {
    REGIONS
        .iter()
        .map(|r| RegionChoice {
            iso: r.iso.into(),
            name: region_name(r.iso).into(),
            calling_code: format!("+{}", r.calling_code),
        })
        .collect()
}

/// "Vietnam (+84)".
pub fn region_label(region: &PhoneRegion) -> String {
    format!("{} (+{})", region_name(region.iso), region.calling_code)
}

fn check_password(password: &str, user_name: &str) -> Result<()> {
    let n = password.chars().count();
    let problem = if n < MIN_PASSWORD_CHARS {
        Some(
            FieldError::new(
                "password",
                "tooShort",
                format!("A password needs at least {MIN_PASSWORD_CHARS} characters"),
            )
            .with("min", MIN_PASSWORD_CHARS),
        )
    } else if n > MAX_PASSWORD_CHARS {
        Some(
            FieldError::new(
                "password",
                "tooLong",
                format!("A password can have at most {MAX_PASSWORD_CHARS} characters"),
            )
            .with("max", MAX_PASSWORD_CHARS),
        )
    } else if password.trim().to_lowercase() == user_name.trim().to_lowercase() {
        Some(FieldError::new(
            "password",
            "sameAsName",
            "The password cannot be the user name".to_string(),
        ))
    } else {
        None
    };
    match problem {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// The Argon2id PHC string of `password` (random salt, the crate's recommended parameters).
fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("could not hash the password: {e}")))
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

/// Longest user name (characters).
const MAX_USER_NAME_CHARS: usize = 64;

fn user_name_length() -> Error {
    FieldError::new(
        "name",
        "invalidName",
        format!("A user name must have 1 to {MAX_USER_NAME_CHARS} characters"),
    )
    .with("min", 1)
    .with("max", MAX_USER_NAME_CHARS)
    .into()
}

fn check_user_name(name: &str) -> Result<String> {
    let name = clean_text(name);
    let n = name.chars().count();
    if n == 0 || n > MAX_USER_NAME_CHARS {
        return Err(user_name_length());
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "controlCharacters",
            "A user name cannot hold control characters".into(),
        ));
    }
    Ok(name)
}

/// Longest role name (characters).
const MAX_ROLE_NAME_CHARS: usize = 40;

/// Longest display name (characters).
const MAX_DISPLAY_NAME_CHARS: usize = 80;

fn check_display_name(display: &str, name: &str) -> Result<String> {
    let display = clean_text(display);
    if display.is_empty() {
        return Ok(name.to_string());
    }
    if display.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(FieldError::new(
            "displayName",
            "tooLong",
            format!("A display name can have at most {MAX_DISPLAY_NAME_CHARS} characters"),
        )
        .with("max", MAX_DISPLAY_NAME_CHARS)
        .into());
    }
    Ok(display)
}

/// How many active users may manage settings (the store must always keep one).
fn active_managers(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM users u
           JOIN role_permissions p ON p.role_id = u.role_id AND p.permission = 'settings.manage'
          WHERE u.active",
        [],
        |r| r.get(0),
    )?)
}

impl From<UserRow> for UserSummary {
    fn from(u: UserRow) -> Self {
        UserSummary {
            name: u.name,
            display_name: u.display_name,
            role: u.role,
            active: u.active,
            has_password: u.password_hash.is_some(),
            created_at: u.created_at,
        }
    }
}

/// One role as the Users section lists it, with how many users hold it.
struct RoleRow {
    id: i64,
    name: String,
    builtin: bool,
    users: u32,
}

impl RoleRow {
    /// The select list [`RoleRow::from_row`] reads, in its order.
    const COLUMNS: &'static str =
        "r.id, r.name, r.builtin, (SELECT COUNT(*) FROM users u WHERE u.role_id = r.id)";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            name: r.get(1)?,
            builtin: r.get(2)?,
            users: r.get(3)?,
        })
    }
}

impl Store {
    /// Adds a local user with one of the roles (administrators only).
    pub fn add_user(&mut self, actor: &Actor, name: &str, role: &str) -> Result<Actor> {
        actor.require(Permission::SettingsManage)?;
        let name = name.trim();
        if name.is_empty() || name.len() > MAX_USER_NAME_CHARS {
            return Err(user_name_length());
        }
        let role_id: i64 = self
            .conn
            .query_row("SELECT id FROM roles WHERE name = ?1", [role], |r| r.get(0))
            .optional()?
            .ok_or_else(|| no_role(role))?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let inserted = tx.execute(
            "INSERT INTO users(name, display_name, role_id, created_at) VALUES (?1, ?1, ?2, ?3)
             ON CONFLICT(name) DO NOTHING",
            (name, role_id, &at),
        )?;
        if inserted == 0 {
            return Err(Error::conflict(
                "userExists",
                serde_json::json!({ "name": name }),
                format!("A user named “{name}” already exists"),
            ));
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "user.add",
            &format!("user:{name}"),
            serde_json::json!({ "role": role }),
        )?;
        tx.commit()?;
        self.actor(Some(name))
    }

    fn user_row(&self, name: &str) -> Result<Option<UserRow>> {
        const USERS: &str = UserRow::SELECT;
        Ok(self
            .conn
            .query_row(
                &format!("{USERS} WHERE u.name = ?1"),
                [name.trim()],
                UserRow::from_row,
            )
            .optional()?)
    }

    fn role_id(&self, role: &str) -> Result<i64> {
        self.conn
            .query_row("SELECT id FROM roles WHERE name = ?1", [role.trim()], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| no_role(role.trim()))
    }

    /// Active users who may manage settings (the store must always keep one).
    fn managers(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT u.name FROM users u
               JOIN role_permissions p ON p.role_id = u.role_id AND p.permission = 'settings.manage'
              WHERE u.active ORDER BY u.id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- start, first run, sign-in --------------------------------------------------

    /// The first start: the store's only user is an administrator with no password yet.
    pub fn needs_first_run(&self) -> Result<bool> {
        let (users, without_password): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE password_hash IS NULL) FROM users",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(users == 1 && without_password == 1 && self.managers()?.len() == 1)
    }

    /// Who may sign in: active users with a password, in the order they were added.
    pub fn sign_in_users(&self) -> Result<Vec<SignInUser>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, display_name FROM users
              WHERE active AND password_hash IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SignInUser {
                name: r.get(0)?,
                display_name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The user the app opens as without asking, when the store has exactly one user who can
    /// sign in (SPEC 7.2: the sign-in screen appears when more than one user exists).
    pub fn sole_user(&self) -> Result<Option<String>> {
        let active: i64 =
            self.conn
                .query_row("SELECT COUNT(*) FROM users WHERE active", [], |r| r.get(0))?;
        let users = self.sign_in_users()?;
        Ok(match (active, users.as_slice()) {
            (1, [one]) => Some(one.name.clone()),
            _ => None,
        })
    }

    /// The first-run screen's data, when the store needs it.
    pub fn first_run_screen(&self) -> Result<StartScreen> {
        let suggested_name =
            self.conn
                .query_row("SELECT name FROM users ORDER BY id LIMIT 1", [], |r| {
                    r.get(0)
                })?;
        Ok(StartScreen::FirstRun {
            suggested_name,
            regions: phone_regions(),
            default_region: self.sync_settings()?.region.iso.to_string(),
        })
    }

    /// Sets up a new store: names the administrator, sets their password and the default
    /// phone region. Only while the store still needs it (see [`Store::needs_first_run`]).
    pub fn complete_first_run(&mut self, setup: &FirstRunSetup) -> Result<Actor> {
        if !self.needs_first_run()? {
            return Err(Error::conflict(
                "alreadySetUp",
                serde_json::Value::Null,
                "Profile Desk is already set up; sign in instead",
            ));
        }
        let name = check_user_name(&setup.name)?;
        let display = check_display_name(&setup.display_name, &name)?;
        check_password(&setup.password, &name)?;
        let region = PhoneRegion::by_iso(&setup.region).ok_or_else(|| {
            Error::from(
                FieldError::new(
                    "region",
                    "unknownRegion",
                    format!("Unknown phone region “{}”", setup.region),
                )
                .with("value", &setup.region),
            )
        })?;
        let hash = hash_password(&setup.password)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET name = ?1, display_name = ?2, password_hash = ?3,
                              failed_sign_ins = 0, locked_until = NULL",
            params![name, display, hash],
        )?;
        put_setting(&tx, "sync.default_region", region.iso)?;
        crate::audit::append_as(
            &tx,
            &at,
            &name,
            "auth.first_run",
            &format!("user:{name}"),
            serde_json::json!({ "region": region.iso }),
        )?;
        tx.commit()?;
        self.actor(Some(&name))
    }

    /// Checks `name`'s password (sign-in, unlock, or the command line acting as them). Five
    /// wrong passwords in a row pause sign-in for that user for 30 seconds. Failures and
    /// successes are audited (`auth.sign_in`, `auth.unlock`, `auth.sign_in_failed`).
    pub fn sign_in(&mut self, name: &str, password: &str, purpose: SignInPurpose) -> Result<Actor> {
        let Some(UserRow {
            id,
            name,
            active,
            password_hash: hash,
            failed_sign_ins: failures,
            locked_until: paused_until,
            ..
        }) = self.user_row(name)?
        else {
            let name = name.trim();
            return Err(Error::auth(
                "noSuchUser",
                serde_json::json!({ "name": name }),
                format!("There is no user named “{name}” in this store"),
            ));
        };
        if !active {
            return Err(Error::auth(
                "userDeactivated",
                serde_json::json!({ "name": name }),
                format!("The user “{name}” is deactivated"),
            ));
        }
        let Some(hash) = hash else {
            return Err(Error::auth(
                "noPasswordYet",
                serde_json::json!({ "name": name }),
                format!("“{name}” has no password yet; an administrator must set one first"),
            ));
        };
        let now = self.now_utc();
        if let Some(until) = paused_until.as_deref().and_then(|u| {
            time::OffsetDateTime::parse(u, &time::format_description::well_known::Rfc3339).ok()
        }) {
            let wait = (until - now).whole_seconds();
            if wait > 0 {
                return Err(Error::auth(
                    "signInPaused",
                    serde_json::json!({ "name": name, "seconds": wait }),
                    format!("Too many wrong passwords for “{name}”; try again in {wait} seconds"),
                ));
            }
        }
        if !password_matches(password, &hash) {
            let failures = failures + 1;
            let seconds = sign_in_pause(failures);
            let pause =
                seconds.map(|secs| crate::clock::format(now + time::Duration::seconds(secs)));
            let at = self.now();
            let tx = self.conn.transaction()?;
            tx.execute(
                "UPDATE users SET failed_sign_ins = ?2, locked_until = ?3 WHERE id = ?1",
                params![id, failures, pause],
            )?;
            crate::audit::append_as(
                &tx,
                &at,
                &name,
                "auth.sign_in_failed",
                &format!("user:{name}"),
                serde_json::json!({ "attempt": failures, "paused": pause.is_some() }),
            )?;
            tx.commit()?;
            return Err(match seconds {
                Some(secs) => Error::auth(
                    "wrongPasswordPaused",
                    serde_json::json!({
                        "name": name,
                        "attempts": MAX_FAILED_SIGN_INS,
                        "seconds": secs,
                    }),
                    format!(
                        "Wrong password for “{name}”. After {MAX_FAILED_SIGN_INS} wrong \
                         passwords, sign-in pauses for {secs} seconds, twice as long after each \
                         further one"
                    ),
                ),
                None => Error::auth(
                    "wrongPassword",
                    serde_json::json!({ "name": name }),
                    format!("Wrong password for “{name}”"),
                ),
            });
        }
        let action = match purpose {
            SignInPurpose::SignIn => "auth.sign_in",
            SignInPurpose::Unlock => "auth.unlock",
        };
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?1",
            [id],
        )?;
        crate::audit::append_as(
            &tx,
            &at,
            &name,
            action,
            &format!("user:{name}"),
            serde_json::json!({}),
        )?;
        tx.commit()?;
        self.actor(Some(&name))
    }

    /// Sign-out and idle lock are audited too (`auth.sign_out`, `auth.lock`).
    pub fn record_session_end(&self, actor: &Actor, lock: bool) -> Result<()> {
        let action = if lock { "auth.lock" } else { "auth.sign_out" };
        crate::audit::append(
            &self.conn,
            &self.now(),
            actor,
            action,
            &format!("user:{}", actor.name),
            serde_json::json!({}),
        )?;
        Ok(())
    }

    /// The acting user of a command-line run (SPEC 10 `--user`): `name` or, when `None`, the
    /// store's only administrator. A user with a password needs it (`password`); a user
    /// without one (a fresh store, scripts and benchmarks on generated stores) does not.
    pub fn script_actor(&mut self, name: Option<&str>, password: Option<&str>) -> Result<Actor> {
        let actor = self.actor(name)?;
        let has_password = self
            .user_row(&actor.name)?
            .is_some_and(|u| u.password_hash.is_some());
        if !has_password {
            return Ok(actor);
        }
        match password {
            Some(p) => {
                let tx_actor = self.sign_in_quietly(&actor.name, p)?;
                Ok(tx_actor)
            }
            None => Err(Error::auth(
                "passwordNeeded",
                serde_json::json!({ "name": actor.name }),
                format!(
                    "“{}” has a password: set PDESK_PASSWORD (or type it when asked)",
                    actor.name
                ),
            )),
        }
    }

    /// Whether acting as `name` (`None`: the only administrator) needs a password.
    pub fn needs_password(&self, name: Option<&str>) -> Result<bool> {
        let actor = self.actor(name)?;
        Ok(self
            .user_row(&actor.name)?
            .is_some_and(|u| u.password_hash.is_some()))
    }

    /// Like [`Store::sign_in`] for scripts: failures are counted and audited, success is not
    /// (a script run is not a session).
    fn sign_in_quietly(&mut self, name: &str, password: &str) -> Result<Actor> {
        let hash = self.user_row(name)?.and_then(|u| u.password_hash);
        match hash {
            Some(h) if password_matches(password, &h) => self.actor(Some(name)),
            _ => self.sign_in(name, password, SignInPurpose::SignIn),
        }
    }

    // ---- session settings -------------------------------------------------------------

    /// Minutes without input after which the app locks the session.
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self
            .setting("session.idle_lock_minutes")?
            .and_then(|v| v.trim().parse().ok())
            .map(|m: u32| m.clamp(IDLE_LOCK_MINUTES.0, IDLE_LOCK_MINUTES.1))
            .unwrap_or(15))
    }

    pub fn set_idle_lock_minutes(&mut self, actor: &Actor, minutes: u32) -> Result<u32> {
        actor.require(Permission::SettingsManage)?;
        let (min, max) = IDLE_LOCK_MINUTES;
        if !(min..=max).contains(&minutes) {
            return Err(FieldError::new(
                "idleLockMinutes",
                "outOfRange",
                format!("The idle lock must be between {min} and {max} minutes"),
            )
            .with("min", min)
            .with("max", max)
            .with("value", minutes)
            .into());
        }
        let before = self.idle_lock_minutes()?;
        if before != minutes {
            let at = self.now();
            let tx = self.conn.transaction()?;
            put_setting(&tx, "session.idle_lock_minutes", &minutes.to_string())?;
            crate::audit::append(
                &tx,
                &at,
                actor,
                "settings.idle_lock",
                "settings:session",
                serde_json::json!({ "before": before, "after": minutes }),
            )?;
            tx.commit()?;
        }
        Ok(minutes)
    }

    // ---- each user's language ------------------------------------------------------

    /// The language `user` reads Profile Desk in: the one the app last said they chose (at
    /// sign-in and in the user menu), so what the core writes for them when they are not
    /// looking — result e-mails, notifications, a failed-rows file — is in it. English for a
    /// user the app never told (one who only used `pdesk`) and for an unknown name.
    pub fn lang_of(&self, user: &str) -> Result<Lang> {
        let chosen: Option<String> = self
            .conn
            .query_row(
                "SELECT p.value FROM user_prefs p JOIN users u ON u.id = p.user_id
                  WHERE u.name = ?1 AND p.key = 'lang'",
                [user.trim()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(chosen.and_then(|l| Lang::parse(&l)).unwrap_or_default())
    }

    /// The acting user reads Profile Desk in `lang` (the app says so at sign-in and when they
    /// choose in the user menu). Anyone signed in sets their own, and only their own: it is
    /// kept with their preferences (`user_prefs`, key `lang`), not audited (it words messages
    /// for them, it touches no data).
    pub fn set_my_lang(&mut self, actor: &Actor, lang: Lang) -> Result<()> {
        self.conn.execute(
            "INSERT INTO user_prefs(user_id, key, value) VALUES (?1, 'lang', ?2)
             ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
            params![actor.user_id, lang.as_str()],
        )?;
        Ok(())
    }

    // ---- users ---------------------------------------------------------------------

    pub fn users(&self, actor: &Actor) -> Result<Vec<UserSummary>> {
        actor.require(Permission::SettingsManage)?;
        const USERS: &str = UserRow::SELECT;
        let mut stmt = self.conn.prepare(&format!("{USERS} ORDER BY u.id"))?;
        let rows = stmt.query_map([], |r| UserRow::from_row(r).map(UserSummary::from))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a user with a role and an initial password (administrators only; audited).
    pub fn create_user(&mut self, actor: &Actor, user: &NewUser) -> Result<UserSummary> {
        actor.require(Permission::SettingsManage)?;
        let name = check_user_name(&user.name)?;
        let display = check_display_name(&user.display_name, &name)?;
        check_password(&user.password, &name)?;
        let role_id = self.role_id(&user.role)?;
        if self.user_row(&name)?.is_some() {
            return Err(FieldError::new(
                "name",
                "duplicate",
                format!("A user named “{name}” already exists"),
            )
            .with("value", &name)
            .into());
        }
        let hash = hash_password(&user.password)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO users(name, display_name, role_id, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, display, role_id, hash, at],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "user.add",
            &format!("user:{name}"),
            serde_json::json!({ "role": user.role.trim(), "displayName": display }),
        )?;
        tx.commit()?;
        self.user_summary(&name)
    }

    fn user_summary(&self, name: &str) -> Result<UserSummary> {
        self.user_row(name)?.map(UserSummary::from).ok_or_else(|| {
            let name = name.trim();
            Error::not_found(
                "noSuchUser",
                serde_json::json!({ "name": name }),
                format!("There is no user named “{name}”"),
            )
        })
    }

    /// Changes a user's display name, role or active flag (administrators only; audited).
    /// Refused when it would leave no active user who can manage settings.
    pub fn update_user(
        &mut self,
        actor: &Actor,
        name: &str,
        update: &UserUpdate,
    ) -> Result<UserSummary> {
        actor.require(Permission::SettingsManage)?;
        let before = self.user_summary(name)?;
        let display = match &update.display_name {
            Some(d) => check_display_name(d, &before.name)?,
            None => before.display_name.clone(),
        };
        let role = match &update.role {
            Some(r) => {
                self.role_id(r)?;
                self.role_name(r)?
            }
            None => before.role.clone(),
        };
        let active = update.active.unwrap_or(before.active);
        let mut changes = serde_json::Map::new();
        if display != before.display_name {
            changes.insert(
                "displayName".into(),
                serde_json::json!([before.display_name, display]),
            );
        }
        if role != before.role {
            changes.insert("role".into(), serde_json::json!([before.role, role]));
        }
        if active != before.active {
            changes.insert("active".into(), serde_json::json!([before.active, active]));
        }
        if changes.is_empty() {
            return Ok(before);
        }
        let role_id = self.role_id(&role)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET display_name = ?2, role_id = ?3, active = ?4 WHERE name = ?1",
            params![before.name, display, role_id, active],
        )?;
        if active_managers(&tx)? == 0 {
            return Err(Error::conflict(
                "lastManager",
                serde_json::json!({ "name": before.name }),
                format!(
                    "“{}” is the last active user who can manage settings; give another user \
                     that permission first",
                    before.name
                ),
            ));
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "user.update",
            &format!("user:{}", before.name),
            serde_json::Value::Object(changes),
        )?;
        tx.commit()?;
        self.user_summary(&before.name)
    }

    /// Sets a user's password: administrators for anyone; every user for themselves, with
    /// their current password. Audited without the password, of course.
    pub fn set_password(
        &mut self,
        actor: &Actor,
        name: &str,
        new_password: &str,
        current_password: Option<&str>,
    ) -> Result<()> {
        let user = self.user_summary(name)?;
        let own = user.name.eq_ignore_ascii_case(&actor.name);
        if !own {
            actor.require(Permission::SettingsManage)?;
        } else if !actor.can(Permission::SettingsManage) || current_password.is_some() {
            let hash = self.user_row(&user.name)?.and_then(|u| u.password_hash);
            let ok = match (hash, current_password) {
                (None, _) => true,
                (Some(h), Some(p)) => password_matches(p, &h),
                (Some(_), None) => false,
            };
            if !ok {
                return Err(invalid(
                    "currentPassword",
                    "wrongPassword",
                    "The current password is wrong".into(),
                ));
            }
        }
        check_password(new_password, &user.name)?;
        let hash = hash_password(new_password)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2, failed_sign_ins = 0, locked_until = NULL
              WHERE name = ?1",
            params![user.name, hash],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "user.password",
            &format!("user:{}", user.name),
            serde_json::json!({ "own": own }),
        )?;
        tx.commit()?;
        Ok(())
    }

    // ---- roles ---------------------------------------------------------------------

    fn role_name(&self, role: &str) -> Result<String> {
        Ok(self.conn.query_row(
            "SELECT name FROM roles WHERE name = ?1",
            [role.trim()],
            |r| r.get(0),
        )?)
    }

    pub fn permission_catalogue(&self) -> Result<Vec<PermissionInfo>> {
        let order: Vec<&str> = Permission::ALL.iter().map(|p| p.key()).collect();
        let mut stmt = self
            .conn
            .prepare("SELECT key, description FROM permissions")?;
        let mut rows: Vec<PermissionInfo> = stmt
            .query_map([], |r| {
                Ok(PermissionInfo {
                    key: r.get(0)?,
                    description: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_by_key(|p| order.iter().position(|k| *k == p.key).unwrap_or(usize::MAX));
        Ok(rows)
    }

    pub fn roles(&self, actor: &Actor) -> Result<Vec<RoleSummary>> {
        actor.require(Permission::SettingsManage)?;
        self.list_roles()
    }

    fn list_roles(&self) -> Result<Vec<RoleSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM roles r ORDER BY r.builtin DESC, r.id",
            RoleRow::COLUMNS
        ))?;
        let rows: Vec<RoleRow> = stmt
            .query_map([], RoleRow::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let order: Vec<&str> = Permission::ALL.iter().map(|p| p.key()).collect();
        rows.into_iter()
            .map(
                |RoleRow {
                     id,
                     name,
                     builtin,
                     users,
                 }| {
                    let mut permissions: Vec<String> = self
                        .conn
                        .prepare_cached(
                            "SELECT permission FROM role_permissions WHERE role_id = ?1",
                        )?
                        .query_map([id], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    permissions
                        .sort_by_key(|p| order.iter().position(|k| k == p).unwrap_or(usize::MAX));
                    Ok(RoleSummary {
                        name,
                        builtin,
                        permissions,
                        users,
                    })
                },
            )
            .collect()
    }

    fn check_role(
        &self,
        name: &str,
        permissions: &[String],
        except: Option<&str>,
    ) -> Result<(String, Vec<String>)> {
        let name = clean_text(name);
        let n = name.chars().count();
        if n == 0 || n > MAX_ROLE_NAME_CHARS {
            return Err(FieldError::new(
                "name",
                "invalidName",
                format!("A role name must have 1 to {MAX_ROLE_NAME_CHARS} characters"),
            )
            .with("min", 1)
            .with("max", MAX_ROLE_NAME_CHARS)
            .into());
        }
        let clash: Option<String> = self
            .conn
            .query_row("SELECT name FROM roles WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?;
        if clash.is_some_and(|c| except.is_none_or(|e| !c.eq_ignore_ascii_case(e))) {
            return Err(FieldError::new(
                "name",
                "duplicate",
                format!("A role named “{name}” already exists"),
            )
            .with("value", &name)
            .into());
        }
        let known: Vec<&str> = Permission::ALL.iter().map(|p| p.key()).collect();
        let mut perms = Vec::new();
        for p in permissions {
            if !known.contains(&p.as_str()) {
                return Err(FieldError::new(
                    "permissions",
                    "unknownPermission",
                    format!("There is no permission “{p}”"),
                )
                .with("value", p)
                .into());
            }
            if !perms.contains(p) {
                perms.push(p.clone());
            }
        }
        if perms.is_empty() {
            return Err(invalid(
                "permissions",
                "required",
                "Give the role at least one permission".into(),
            ));
        }
        Ok((name, perms))
    }

    fn write_permissions(
        tx: &rusqlite::Transaction<'_>,
        role_id: i64,
        permissions: &[String],
    ) -> Result<()> {
        tx.execute("DELETE FROM role_permissions WHERE role_id = ?1", [role_id])?;
        for p in permissions {
            tx.execute(
                "INSERT INTO role_permissions(role_id, permission) VALUES (?1, ?2)",
                params![role_id, p],
            )?;
        }
        Ok(())
    }

    /// Adds a custom role (administrators only; audited).
    pub fn create_role(
        &mut self,
        actor: &Actor,
        name: &str,
        permissions: &[String],
    ) -> Result<RoleSummary> {
        actor.require(Permission::SettingsManage)?;
        let (name, perms) = self.check_role(name, permissions, None)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute("INSERT INTO roles(name, builtin) VALUES (?1, 0)", [&name])?;
        let id = tx.last_insert_rowid();
        Self::write_permissions(&tx, id, &perms)?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "role.add",
            &format!("role:{name}"),
            serde_json::json!({ "permissions": perms }),
        )?;
        tx.commit()?;
        self.role_summary(&name)
    }

    fn role_summary(&self, name: &str) -> Result<RoleSummary> {
        self.list_roles()?
            .into_iter()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| no_role(name.trim()))
    }

    /// Renames a custom role or changes its permissions (administrators only; audited). The
    /// built-in roles keep SPEC 7.2's permissions. Refused when it would leave no active user
    /// who can manage settings.
    pub fn update_role(
        &mut self,
        actor: &Actor,
        role: &str,
        new_name: &str,
        permissions: &[String],
    ) -> Result<RoleSummary> {
        actor.require(Permission::SettingsManage)?;
        let before = self.role_summary(role)?;
        if before.builtin {
            return Err(Error::conflict(
                "builtinRoleFixed",
                serde_json::json!({ "role": before.name }),
                format!(
                    "{} is a built-in role; its permissions are fixed (create a custom role \
                     instead)",
                    before.name
                ),
            ));
        }
        let (name, perms) = self.check_role(new_name, permissions, Some(&before.name))?;
        if name == before.name && perms == before.permissions {
            return Ok(before);
        }
        let id = self.role_id(&before.name)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE roles SET name = ?2 WHERE id = ?1",
            params![id, name],
        )?;
        Self::write_permissions(&tx, id, &perms)?;
        if active_managers(&tx)? == 0 {
            return Err(Error::conflict(
                "noManagerLeft",
                serde_json::Value::Null,
                "No active user could manage settings after this change; keep settings.manage \
                 for at least one active user",
            ));
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "role.update",
            &format!("role:{name}"),
            serde_json::json!({
                "name": [before.name, name],
                "permissions": { "before": before.permissions, "after": perms },
            }),
        )?;
        tx.commit()?;
        self.role_summary(&name)
    }

    /// Deletes a custom role nobody has (administrators only; audited).
    pub fn delete_role(&mut self, actor: &Actor, role: &str) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        let before = self.role_summary(role)?;
        if before.builtin {
            return Err(Error::conflict(
                "builtinRoleKept",
                serde_json::json!({ "role": before.name }),
                format!("{} is a built-in role and cannot be deleted", before.name),
            ));
        }
        if before.users > 0 {
            return Err(Error::conflict(
                "roleInUse",
                serde_json::json!({ "role": before.name, "users": before.users }),
                format!(
                    "{} is the role of {} {}; give them another role first",
                    before.name,
                    before.users,
                    if before.users == 1 { "user" } else { "users" }
                ),
            ));
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM roles WHERE name = ?1", [&before.name])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "role.delete",
            &format!("role:{}", before.name),
            serde_json::json!({ "permissions": before.permissions }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The refusal for a role name the store does not have.
fn no_role(name: &str) -> Error {
    Error::not_found(
        "noRole",
        serde_json::json!({ "name": name }),
        format!("There is no role named “{name}”"),
    )
}
