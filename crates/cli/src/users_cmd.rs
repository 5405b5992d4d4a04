//! Who the command line acts as, and the `init --admin` / `user` / `role` commands.
//!
//! The password story (SPEC 10 `--user`): `pdesk` acts as `--user NAME`, or as the store's only
//! administrator. A user who has a password needs it: from `PDESK_PASSWORD`, or typed when
//! `pdesk` runs in a terminal (never echoed, never an argument, so it stays out of shell
//! history and process lists). A user without a password — a fresh store, a generated
//! benchmark store — needs none, so scripts on such stores keep working as they are. New
//! passwords (`init --admin`, `user add`, `user passwd`) come from `PDESK_NEW_PASSWORD` or are
//! typed twice.

use std::io::IsTerminal;

use clap::Subcommand;
use pdesk_core::users::{FirstRunSetup, NewUser, UserUpdate};
use pdesk_core::{Actor, Error, Store};

/// The password of the acting user, when `pdesk` runs in a script.
pub const PASSWORD_ENV: &str = "PDESK_PASSWORD";
/// A new password (first run, new user, changed password), when `pdesk` runs in a script.
pub const NEW_PASSWORD_ENV: &str = "PDESK_NEW_PASSWORD";

#[derive(Subcommand)]
pub enum UserCommand {
    /// Every user with role, state and whether they have a password.
    List,
    /// Add a user (new password from PDESK_NEW_PASSWORD or typed twice).
    Add {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// Set a user's password (from PDESK_NEW_PASSWORD or typed twice).
    Passwd { name: String },
    /// Give a user another role.
    SetRole { name: String, role: String },
    /// Stop a user from signing in (their history stays).
    Deactivate { name: String },
    /// Let a deactivated user sign in again.
    Activate { name: String },
}

#[derive(Subcommand)]
pub enum RoleCommand {
    /// Every role with its permissions.
    List,
    /// Add a custom role, e.g. `role add Auditor --permissions profile.view,audit.view`.
    Add {
        name: String,
        #[arg(long, value_delimiter = ',', required = true)]
        permissions: Vec<String>,
    },
}

fn io_error(e: std::io::Error) -> Error {
    Error::Io(e)
}

/// The acting user of this run: `--user` (or the only administrator), with their password
/// when they have one.
pub fn acting(store: &mut Store, user: Option<&str>) -> Result<Actor, Error> {
    if !store.needs_password(user)? {
        return store.script_actor(user, None);
    }
    let password = match std::env::var(PASSWORD_ENV) {
        Ok(p) => Some(p),
        Err(_) if std::io::stdin().is_terminal() => {
            let who = store.actor(user)?.name;
            Some(rpassword::prompt_password(format!("Password for {who}: ")).map_err(io_error)?)
        }
        Err(_) => None,
    };
    store.script_actor(user, password.as_deref())
}

/// A new password: `PDESK_NEW_PASSWORD`, or typed twice in a terminal.
pub fn new_password(whose: &str) -> Result<String, Error> {
    if let Ok(p) = std::env::var(NEW_PASSWORD_ENV) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::auth(
            "newPasswordNeeded",
            serde_json::Value::Null,
            format!(
                "Set {NEW_PASSWORD_ENV} to the new password for {whose} (no terminal to type it \
                 in)"
            ),
        ));
    }
    let first =
        rpassword::prompt_password(format!("New password for {whose}: ")).map_err(io_error)?;
    let again = rpassword::prompt_password("Type it again: ").map_err(io_error)?;
    if first != again {
        return Err(Error::auth(
            "passwordsDiffer",
            serde_json::Value::Null,
            "The two passwords differ; nothing was changed",
        ));
    }
    Ok(first)
}

/// `init --admin NAME`: the first run from the command line.
pub fn first_run(
    store: &mut Store,
    name: &str,
    display_name: &str,
    region: &str,
) -> Result<Actor, Error> {
    let password = new_password(name)?;
    store.complete_first_run(&FirstRunSetup {
        name: name.into(),
        display_name: display_name.into(),
        password,
        region: region.into(),
    })
}

fn print_json(value: serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
}

pub fn user(
    store: &mut Store,
    actor: &Actor,
    command: &UserCommand,
    json: bool,
) -> Result<(), Error> {
    let update = |role: Option<&str>, active: Option<bool>| UserUpdate {
        display_name: None,
        role: role.map(String::from),
        active,
    };
    let changed = match command {
        UserCommand::List => {
            let users = store.users(actor)?;
            if json {
                print_json(serde_json::to_value(&users).unwrap_or_default());
            } else {
                for u in &users {
                    println!(
                        "{:<20} {:<24} {:<16} {}{}",
                        u.name,
                        u.display_name,
                        u.role,
                        if u.active { "active" } else { "deactivated" },
                        if u.has_password { "" } else { ", no password" }
                    );
                }
            }
            return Ok(());
        }
        UserCommand::Add {
            name,
            role,
            display_name,
        } => {
            let password = new_password(name)?;
            store.create_user(
                actor,
                &NewUser {
                    name: name.clone(),
                    display_name: display_name.clone(),
                    role: role.clone(),
                    password,
                },
            )?
        }
        UserCommand::Passwd { name } => {
            let password = new_password(name)?;
            store.set_password(actor, name, &password, None)?;
            if !json {
                println!("Password of {name} changed");
            }
            return Ok(());
        }
        UserCommand::SetRole { name, role } => {
            store.update_user(actor, name, &update(Some(role), None))?
        }
        UserCommand::Deactivate { name } => {
            store.update_user(actor, name, &update(None, Some(false)))?
        }
        UserCommand::Activate { name } => {
            store.update_user(actor, name, &update(None, Some(true)))?
        }
    };
    if json {
        print_json(serde_json::to_value(&changed).unwrap_or_default());
    } else {
        println!(
            "{} ({}): {}, {}",
            changed.name,
            changed.display_name,
            changed.role,
            if changed.active {
                "active"
            } else {
                "deactivated"
            }
        );
    }
    Ok(())
}

pub fn role(
    store: &mut Store,
    actor: &Actor,
    command: &RoleCommand,
    json: bool,
) -> Result<(), Error> {
    let roles = match command {
        RoleCommand::List => store.roles(actor)?,
        RoleCommand::Add { name, permissions } => {
            vec![store.create_role(actor, name, permissions)?]
        }
    };
    if json {
        print_json(serde_json::to_value(&roles).unwrap_or_default());
    } else {
        for r in &roles {
            println!("{:<20} {}", r.name, r.permissions.join(", "));
        }
    }
    Ok(())
}
