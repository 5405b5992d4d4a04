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

/// id, name, display name, role id, role name, active.
type UserRow = (i64, String, String, i64, String, bool);

impl Store {
    /// The actor for user `name`, or — when `None` — the only administrator of the store
    /// (the app's user until sign-in arrives, and the CLI's default).
    pub fn actor(&self, name: Option<&str>) -> Result<Actor> {
        const USERS: &str = "SELECT u.id, u.name, u.display_name, u.role_id, r.name, u.active
                               FROM users u JOIN roles r ON r.id = u.role_id";
        let row = |r: &rusqlite::Row| -> rusqlite::Result<UserRow> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        };
        let user: Option<UserRow> = match name {
            Some(name) => self
                .conn
                .query_row(&format!("{USERS} WHERE u.name = ?1"), [name.trim()], row)
                .optional()?,
            None => {
                let mut stmt = self.conn.prepare(&format!(
                    "{USERS} WHERE r.name = 'Administrator' AND u.active ORDER BY u.id LIMIT 2"
                ))?;
                let admins: Vec<UserRow> =
                    stmt.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
                match admins.as_slice() {
                    [one] => Some(one.clone()),
                    [] => {
                        return Err(Error::NotFound(
                            "The store has no active administrator".into(),
                        ))
                    }
                    _ => return Err(Error::Conflict(
                        "The store has several administrators: name the acting user with --user"
                            .into(),
                    )),
                }
            }
        };
        let Some((user_id, name, display_name, role_id, role, active)) = user else {
            return Err(Error::NotFound(format!(
                "There is no user named “{}” in this store",
                name.unwrap_or_default()
            )));
        };
        if !active {
            return Err(Error::Conflict(format!("The user “{name}” is deactivated")));
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

    /// Adds a local user with one of the roles (administrators only).
    pub fn add_user(&mut self, actor: &Actor, name: &str, role: &str) -> Result<Actor> {
        actor.require(Permission::SettingsManage)?;
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(Error::Validation(vec![crate::model::FieldError {
                field: "name".into(),
                code: "invalidName".into(),
                message: "A user name must have 1 to 64 characters".into(),
            }]));
        }
        let role_id: i64 = self
            .conn
            .query_row("SELECT id FROM roles WHERE name = ?1", [role], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("There is no role named “{role}”")))?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let inserted = tx.execute(
            "INSERT INTO users(name, display_name, role_id, created_at) VALUES (?1, ?1, ?2, ?3)
             ON CONFLICT(name) DO NOTHING",
            (name, role_id, &at),
        )?;
        if inserted == 0 {
            return Err(Error::Conflict(format!(
                "A user named “{name}” already exists"
            )));
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
}
