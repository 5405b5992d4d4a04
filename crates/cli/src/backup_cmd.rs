//! `pdesk backup`, `restore` and `check` (SPEC 10): the same backup, restore and health check
//! as Settings → Backup and the app's start, headless.

use std::path::{Path, PathBuf};

use pdesk_core::backup::{
    check_database, install_backup, quick_problem, RestoreOptions, RestoreReport,
};
use pdesk_core::store::Protection;
use pdesk_core::{Actor, Error, Store};

use crate::print_json;

/// Writes a verified backup of the store into `dir` (default: the configured backup folder),
/// keeping the configured number of generations there.
pub fn backup(store: &Store, actor: &Actor, dir: Option<&Path>, json: bool) -> Result<(), Error> {
    let mut plan = store.backup_plan(actor)?;
    if let Some(dir) = dir {
        plan = plan.into_folder(absolute(dir)?);
    }
    let report = plan.run()?;
    if json {
        print_json(&serde_json::to_value(&report).unwrap_or_default());
    } else {
        println!("{}", report.message);
        println!("  {}", report.entry.path);
        println!(
            "  verified: integrity_check ok, {} rows in {} tables match the database ({} ms)",
            report.rows, report.tables, report.millis
        );
        for old in &report.removed {
            println!("  removed the older backup {old}");
        }
    }
    Ok(())
}

/// True when the store at `db` exists and passes `quick_check` (read-only): it is restored in
/// place by an acting user; otherwise the backup replaces the file (see [`recover`]).
pub fn is_sound(db: &Path, protection: &Protection) -> Result<bool, Error> {
    Ok(db.exists() && quick_problem(db, protection.key())?.is_none())
}

/// Restores `file` into the sound store (verified, migrated and checked on a copy first; the
/// current data is backed up; the current e-mail settings are kept unless `options` say not).
pub fn restore(
    store: &mut Store,
    actor: &Actor,
    file: &Path,
    options: RestoreOptions,
    json: bool,
) -> Result<(), Error> {
    let report = store.restore_backup(actor, &absolute(file)?, options)?;
    print_restore(&report, json);
    Ok(())
}

/// Puts `file` in place of a damaged (kept aside for support) or missing store. No user can be
/// checked in a file that cannot be read: whoever may write the database file may do this.
pub fn recover(
    db: &Path,
    file: &Path,
    user: Option<&str>,
    protection: &Protection,
    json: bool,
) -> Result<(), Error> {
    let (_, report) = install_backup(db, &absolute(file)?, user, protection)?;
    print_restore(&report, json);
    Ok(())
}

fn print_restore(report: &RestoreReport, json: bool) {
    if json {
        print_json(&serde_json::to_value(report).unwrap_or_default());
    } else {
        println!("{}", report.message);
    }
}

/// The full read-only check; exit code 1 when the database is damaged.
pub fn check(db: &Path, protection: &Protection, json: bool) -> Result<(), Error> {
    let report = check_database(db, protection)?;
    if json {
        print_json(&serde_json::to_value(&report).unwrap_or_default());
    } else if report.ok {
        println!("{}", report.message);
        match &report.newest_backup {
            Some(b) => println!("  newest backup: {} ({})", b.path, b.created_at),
            None => println!("  no backup yet in {}", report.backup_folder),
        }
        println!("  {}", report.encryption.message);
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::Damaged(report.message))
    }
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    Ok(std::path::absolute(path)?)
}
