//! Users, roles and permissions (SPEC 7.2). Every core operation takes the acting [`Actor`] and
//! calls [`Actor::require`]; the UI may hide buttons, but only this check decides.

use std::collections::BTreeSet;

use rusqlite::OptionalExtension;

use crate::error::{Error, Result};
use crate::model::Session;
use crate::store::Store;

/// The permissions of SPEC 7.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Permission {
    ProfileView,
    ProfileCreate,
    ProfileEdit,
    ProfileImport,
    ProfileExport,
    ProfileDelete,
    AuditView,
    SettingsManage,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::ProfileView,
        Permission::ProfileCreate,
        Permission::ProfileEdit,
        Permission::ProfileImport,
        Permission::ProfileExport,
        Permission::ProfileDelete,
        Permission::AuditView,
        Permission::SettingsManage,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Permission::ProfileView => "profile.view",
            Permission::ProfileCreate => "profile.create",
            Permission::ProfileEdit => "profile.edit",
            Permission::ProfileImport => "profile.import",
            Permission::ProfileExport => "profile.export",
            Permission::ProfileDelete => "profile.delete",
            Permission::AuditView => "audit.view",
            Permission::SettingsManage => "settings.manage",
        }
    }

    /// Completes "You do not have permission to …".
    pub fn action(self) -> &'static str {
        match self {
            Permission::ProfileView => "view profiles",
            Permission::ProfileCreate => "create profiles",
            Permission::ProfileEdit => "edit profiles",
            Permission::ProfileImport => "import profiles",
            Permission::ProfileExport => "export profiles",
            Permission::ProfileDelete => "delete profiles",
            Permission::AuditView => "view the audit log",
            Permission::SettingsManage => "manage settings",
        }
    }
}

/// The signed-in user on whose behalf an operation runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub display_name: String,
    pub role: String,
    permissions: BTreeSet<String>,
}

impl Actor {
    /// Refuses with a message naming the missing permission.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.permissions.contains(permission.key()) {
            Ok(())
        } else {
            Err(Error::Permission {
                permission: permission.key(),
                action: permission.action(),
            })
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission.key())
    }

    pub fn session(&self) -> Session {
        Session {
            user_name: self.name.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            permissions: self.permissions.iter().cloned().collect(),
        }
    }
}

/// One user with their role's name: the row every reader of `users` maps (the actor here,
/// sign-in and the Users section in `users`).
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub role_id: i64,
    pub role: String,
    pub active: bool,
    pub password_hash: Option<String>,
    /// Wrong passwords in a row.
    pub failed_sign_ins: u32,
    /// Sign-in is paused until then (RFC 3339), after too many wrong passwords.
    pub locked_until: Option<String>,
    pub created_at: String,
}

impl UserRow {
    /// The select list and the join [`UserRow::from_row`] reads, in its order; callers add
    /// `WHERE` and `ORDER BY`.
    pub const SELECT: &'static str =
        "SELECT u.id, u.name, u.display_name, u.role_id, r.name, u.active, u.password_hash,
                u.failed_sign_ins, u.locked_until, u.created_at
           FROM users u JOIN roles r ON r.id = u.role_id";

    pub fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            name: r.get(1)?,
            display_name: r.get(2)?,
            role_id: r.get(3)?,
            role: r.get(4)?,
            active: r.get(5)?,
            password_hash: r.get(6)?,
            failed_sign_ins: r.get(7)?,
            locked_until: r.get(8)?,
            created_at: r.get(9)?,
        })
    }
}

impl Store {
    /// The actor for user `name`, or — when `None` — the only administrator of the store
    /// (the app's user until sign-in arrives, and the CLI's default).
    pub fn actor(&self, name: Option<&str>) -> Result<Actor> {
        const USERS: &str = UserRow::SELECT;
        let user: Option<UserRow> = match name {
            Some(name) => self
                .conn
                .query_row(
                    &format!("{USERS} WHERE u.name = ?1"),
                    [name.trim()],
                    UserRow::from_row,
                )
                .optional()?,
            None => {
                let mut stmt = self.conn.prepare(&format!(
                    "{USERS} WHERE r.name = 'Administrator' AND u.active ORDER BY u.id LIMIT 2"
                ))?;
                let admins: Vec<UserRow> = stmt
                    .query_map([], UserRow::from_row)?
                    .collect::<rusqlite::Result<_>>()?;
                match admins.as_slice() {
                    [one] => Some(one.clone()),
                    [] => {
                        return Err(Error::not_found(
                            "noActiveAdministrator",
                            serde_json::Value::Null,
                            "The store has no active administrator",
                        ))
                    }
                    _ => {
                        return Err(Error::conflict(
                            "severalAdministrators",
                            serde_json::Value::Null,
                            "The store has several administrators: name the acting user with \
                             --user",
                        ))
                    }
                }
            }
        };
        let Some(UserRow {
            id: user_id,
            name,
            display_name,
            role_id,
            role,
            active,
            ..
        }) = user
        else {
            let name = name.unwrap_or_default();
            return Err(Error::not_found(
                "noSuchUser",
                serde_json::json!({ "name": name }),
                format!("There is no user named “{name}” in this store"),
            ));
        };
        if !active {
            return Err(Error::conflict(
                "userDeactivated",
                serde_json::json!({ "name": name }),
                format!("The user “{name}” is deactivated"),
            ));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT permission FROM role_permissions WHERE role_id = ?1")?;
        let permissions = stmt
            .query_map([role_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Actor {
            user_id,
            name,
            display_name,
            role,
            permissions,
        })
    }
}
