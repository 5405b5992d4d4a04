//! Embedded, numbered migrations. Each runs in one transaction together with the bump of
//! `user_version`, so a crash leaves the store at the previous version, never in between.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migrations in order; the index + 1 is the schema version they bring the store to.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema",
        include_str!("../../migrations/0001_schema.sql"),
    ),
    (
        "0002_defaults",
        include_str!("../../migrations/0002_defaults.sql"),
    ),
    (
        "0003_import_jobs",
        include_str!("../../migrations/0003_import_jobs.sql"),
    ),
    (
        "0004_sign_in",
        include_str!("../../migrations/0004_sign_in.sql"),
    ),
    (
        "0005_filters_segments",
        include_str!("../../migrations/0005_filters_segments.sql"),
    ),
    (
        "0006_search_index_writes",
        include_str!("../../migrations/0006_search_index_writes.sql"),
    ),
    (
        "0007_merge_review_resolution",
        include_str!("../../migrations/0007_merge_review_resolution.sql"),
    ),
    (
        "0008_export_mail",
        include_str!("../../migrations/0008_export_mail.sql"),
    ),
    (
        "0009_rule_guards",
        include_str!("../../migrations/0009_rule_guards.sql"),
    ),
    (
        "0010_job_runner_lease",
        include_str!("../../migrations/0010_job_runner_lease.sql"),
    ),
    (
        "0011_undo_marks",
        include_str!("../../migrations/0011_undo_marks.sql"),
    ),
    (
        "0012_import_file_fingerprint",
        include_str!("../../migrations/0012_import_file_fingerprint.sql"),
    ),
    (
        "0013_job_mail_reason",
        include_str!("../../migrations/0013_job_mail_reason.sql"),
    ),
    (
        "0014_refused_uploads",
        include_str!("../../migrations/0014_refused_uploads.sql"),
    ),
    ("0015_sync", include_str!("../../migrations/0015_sync.sql")),
    (
        "0016_sync_status",
        include_str!("../../migrations/0016_sync_status.sql"),
    ),
    (
        "0017_sync_hold",
        include_str!("../../migrations/0017_sync_hold.sql"),
    ),
    (
        "0018_sync_outbox_indexes",
        include_str!("../../migrations/0018_sync_outbox_indexes.sql"),
    ),
    (
        "0019_sync_conflict_review",
        include_str!("../../migrations/0019_sync_conflict_review.sql"),
    ),
    (
        "0020_sync_links",
        include_str!("../../migrations/0020_sync_links.sql"),
    ),
    (
        "0021_sync_trust",
        include_str!("../../migrations/0021_sync_trust.sql"),
    ),
    (
        "0022_city_gender_index",
        include_str!("../../migrations/0022_city_gender_index.sql"),
    ),
    (
        "0023_import_shared_keys_basis",
        include_str!("../../migrations/0023_import_shared_keys_basis.sql"),
    ),
    (
        "0024_refused_upload_details",
        include_str!("../../migrations/0024_refused_upload_details.sql"),
    ),
    (
        "0025_import_fixes",
        include_str!("../../migrations/0025_import_fixes.sql"),
    ),
    (
        "0026_job_error_details",
        include_str!("../../migrations/0026_job_error_details.sql"),
    ),
    (
        "0027_failed_row_problem",
        include_str!("../../migrations/0027_failed_row_problem.sql"),
    ),
    (
        "0028_sync_reviews",
        include_str!("../../migrations/0028_sync_reviews.sql"),
    ),
    (
        "0029_sync_unsent",
        include_str!("../../migrations/0029_sync_unsent.sql"),
    ),
];

/// The schema version of this build.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::Schema(format!(
            "This database was written by a newer version of Profile Desk (schema {current}; this \
             version knows up to {SCHEMA_VERSION}). Update Profile Desk to open it; the file was \
             not changed."
        )));
    }
    migrate_to(conn, SCHEMA_VERSION)
}

/// Applies the migrations after the connection's version up to `target` (at most
/// [`SCHEMA_VERSION`]). A restore builds the reference schema of a backup's version with it.
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    // Migrations may call the store's SQL functions (0015 gives profiles a `pdesk_uuid7()`),
    // also on the bare connections a restore builds its reference schemas on.
    super::functions::register(conn)?;
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let steps = target.min(SCHEMA_VERSION).saturating_sub(current) as usize;
    for (index, (name, sql)) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(current as usize)
        .take(steps)
    {
        let version = index as u32 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|e| Error::Schema(format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
