//! `pdesk`: the headless command line of Profile Desk (SPEC 10). Same core, same rules, limits,
//! permissions and audit as the app. Exit codes: 0 success; 1 refused by a rule; 2 usage
//! error; 3 internal error.

mod backup_cmd;
mod export_cmd;
mod import_cmd;
mod query_args;
mod review_cmd;
mod sync_cmd;
mod users_cmd;

// See the workspace's Cargo.toml: exports read and write on two threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pdesk_core::backup::RestoreOptions;
use pdesk_core::{Error, Store};

#[derive(Parser)]
#[command(name = "pdesk", version, about = "Profile Desk on the command line")]
struct Cli {
    /// The store (default: the app's own database in the OS data folder).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Acting user (default: the only administrator of the store). A user with a password
    /// needs it: PDESK_PASSWORD, or typed when asked in a terminal.
    #[arg(long, global = true)]
    user: Option<String>,
    /// Machine-readable output on stdout (one JSON document).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or migrate the store; with --admin, also set up its administrator (the first
    /// run: new password from PDESK_NEW_PASSWORD or typed twice).
    Init {
        /// The administrator's user name.
        #[arg(long)]
        admin: Option<String>,
        /// The administrator's name as shown (default: the user name).
        #[arg(long, default_value = "", requires = "admin")]
        display_name: String,
        /// The default phone region (ISO code).
        #[arg(long, default_value = "VN", requires = "admin")]
        region: String,
    },
    /// Users: list, add, passwd, set-role, deactivate, activate.
    User {
        #[command(subcommand)]
        command: users_cmd::UserCommand,
    },
    /// Roles: list, add.
    Role {
        #[command(subcommand)]
        command: users_cmd::RoleCommand,
    },
    /// Add N generated realistic profiles.
    SeedDemo {
        #[arg(long)]
        profiles: u64,
        /// Random seed (same seed, same profiles).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// List profiles, newest first (or a segment's order).
    List {
        #[command(flatten)]
        query: query_args::QueryArgs,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// One profile: its fields, consent and linked accounts, opportunities, tickets and tasks.
    Show { id: i64 },
    /// Export the list (its search, filter or a segment) to .xlsx: over the direct-export
    /// limit it runs as a background export of the store, then is copied to --out.
    Export {
        /// The .xlsx file to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        query: query_args::QueryArgs,
        /// `displayed` (the list's columns, or --columns, or the segment's) or `all`.
        #[arg(long, default_value = "displayed")]
        fields: String,
        /// The displayed columns, e.g. full_name,phones,city (default: the user's list columns).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
    },
    /// Write the import template: one column per field that can be imported (the catalogue's
    /// order), headers in --lang that the import maps back by itself, mandatory ones marked
    /// with *, a note per column with its format and an example.
    Template {
        /// The .xlsx file to write.
        #[arg(long)]
        out: PathBuf,
        /// The headers' and notes' language: `en` or `vi`.
        #[arg(long, default_value = "en", value_parser = ["en", "vi"])]
        lang: String,
    },
    /// Delete profiles (at most 100 at once) for a reason kept in the audit log. Irreversible.
    Delete {
        /// Ids of the profiles to delete.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
        /// Why they are deleted (required; at most 500 characters).
        #[arg(long)]
        reason: String,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import .xlsx files: guard, map automatically, (dry-)run as jobs, print counts.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        opts: import_cmd::ImportOptions,
    },
    /// Import pasted rows (tab-separated), mapped by position. A first row that looks like
    /// column names is refused unless --header-row or --first-row-is-data says what it is.
    Paste {
        /// A file holding the rows; `-` or nothing reads standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Read the rows from the OS clipboard, as the app's "Read clipboard" does (cells copied
        /// in Excel or Google Sheets).
        #[arg(long, conflicts_with = "file")]
        clipboard: bool,
        /// The field of each column, in order (`-` skips a column), e.g. full_name,phones,emails.
        #[arg(long, value_delimiter = ',', required = true)]
        columns: Vec<String>,
        /// The first row is column names: it is not imported.
        #[arg(long, conflicts_with = "first_row_is_data")]
        header_row: bool,
        /// The first row is a customer, even if it looks like column names.
        #[arg(long)]
        first_row_is_data: bool,
        #[command(flatten)]
        opts: import_cmd::ImportOptions,
    },
    /// The File Upload Connector Report: every import job.
    Jobs {
        /// First run the queued jobs to the end, each as the user who confirmed it — among them
        /// jobs an interrupted run left behind, which resume after their last committed rows.
        #[arg(long)]
        run: bool,
        /// The files refused at upload instead (too big, not .xlsx, several sheets, …), with
        /// why, who and when.
        #[arg(long, conflicts_with = "run")]
        refused: bool,
    },
    /// One job's result; --failed-rows writes its failed rows (with a Reason column) as .xlsx.
    Report {
        job: i64,
        #[arg(long)]
        failed_rows: Option<PathBuf>,
    },
    /// Undo a finished import: created profiles removed, updated ones restored.
    Undo { job: i64 },
    /// Write a verified backup (integrity_check and row counts) into DIR, keeping the configured
    /// number of generations there (default DIR: the folder set in Settings → Backup).
    Backup {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Restore a backup FILE: verified first; the current data is backed up before it is
    /// replaced (a damaged database is kept aside for support instead).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Take the backup's e-mail settings and result addresses too (by default the current
        /// ones are kept, so that a backup cannot redirect mail).
        #[arg(long)]
        keep_mail_settings: bool,
    },
    /// Check the store (integrity_check, foreign keys, schema) without changing it; exit code 1
    /// when it is damaged.
    Check,
    /// Merge reviews (SPEC 6): the open ones, oldest first, or --resolved (last 30 days).
    Reviews {
        /// Only the reviews of this import job.
        #[arg(long)]
        job: Option<i64>,
        #[arg(long)]
        resolved: bool,
    },
    /// Sync with a CDP server: `sync connect URL --user NAME`, `sync status`, `sync
    /// disconnect`, `sync hold MINUTES`; `sync` alone syncs until Ctrl-C, `sync --once` once
    /// (sending imports held for their undo window too).
    Sync {
        #[command(subcommand)]
        command: Option<sync_cmd::SyncCommand>,
        /// One round ("Sync now"): send what waits — imports held for their undo window too —,
        /// receive until caught up, exit.
        #[arg(long)]
        once: bool,
    },
    /// Field conflicts the server decided and kept for review: both values, who set them, when
    /// and on which device.
    Conflicts {
        /// Decide every open conflict of import JOB for the value set elsewhere (what the
        /// server had before the import).
        #[arg(long, value_name = "JOB")]
        keep_server_values_of: Option<i64>,
    },
    /// Decide a field conflict: keep the server's value, take the other one, or --set a new
    /// value (checked like the edit form; empty clears the field).
    #[command(group(
        clap::ArgGroup::new("decision")
            .required(true)
            .args(["keep", "take_other", "set"])
    ))]
    Conflict {
        id: String,
        #[arg(long)]
        keep: bool,
        #[arg(long)]
        take_other: bool,
        #[arg(long, value_name = "VALUE")]
        set: Option<String>,
    },
    /// Merge reviews the server opened: a customer it holds because it matched several
    /// customers there (or one deleted recently), with the customers it matched.
    ServerReviews,
    /// Decide a merge review the server opened; the server makes the merge.
    ServerReview {
        id: String,
        #[command(flatten)]
        decision: review_cmd::ServerDecisionArgs,
    },
    /// One merge review side by side; with a decision, resolve it.
    Review {
        id: i64,
        #[command(flatten)]
        decision: review_cmd::DecisionArgs,
        #[command(flatten)]
        options: review_cmd::DecisionOptions,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exit code 1 when it is broken.
    Verify,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // The audit log's end is witnessed in the keychain that keeps the store's key.
    pdesk_core::backup::keep_audit_tails_in(std::sync::Arc::from(store_keychain()));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pdesk: {e}");
            ExitCode::from(if e.is_refusal() { 1 } else { 3 })
        }
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, Error> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => {
            // The app's own store, moved out of Windows' roaming folder if an older version
            // left it there (the app does the same at its start).
            if let Some(moved) = pdesk_core::backup::relocate::adopt_roaming_store(false)? {
                eprintln!("pdesk: {}", moved.message);
            }
            pdesk_core::default_db_path(false)
        }
    }
}

/// A store opened by a command: when the command is done with it, the keychain's record of the
/// audit log's end moves forward to what the command audited (`backup::audit_tail`).
struct OpenStore(Store);

impl std::ops::Deref for OpenStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.0
    }
}

impl std::ops::DerefMut for OpenStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.0
    }
}

impl Drop for OpenStore {
    fn drop(&mut self) {
        // Never fails the command: a missing keychain only means one witness less, which
        // `pdesk audit verify` reports.
        let _ = self.0.refresh_audit_tail();
    }
}

/// The environment variable that sets this run's clock off by so many minutes (a laptop whose
/// clock is wrong: the sync soak's nemesis; `-300` is five hours slow).
const CLOCK_SKEW_ENV: &str = "PDESK_CLOCK_SKEW_MINUTES";

/// The computer's clock, or off by `PDESK_CLOCK_SKEW_MINUTES` when it is set.
fn store_clock() -> Result<std::sync::Arc<dyn pdesk_core::clock::Clock>, Error> {
    Ok(match std::env::var(CLOCK_SKEW_ENV) {
        Err(_) => std::sync::Arc::new(pdesk_core::clock::SystemClock),
        Ok(minutes) => {
            let minutes: i64 = minutes.trim().parse().map_err(|_| {
                Error::Internal(format!(
                    "{CLOCK_SKEW_ENV} is “{minutes}”: give a whole number of minutes"
                ))
            })?;
            std::sync::Arc::new(pdesk_core::clock::OffsetClock::minutes(minutes))
        }
    })
}

/// Opens the store with its key from the keychain (a plain store is encrypted first when a
/// keychain is there), says on stderr what users must know (that it was encrypted, or that it
/// is not), and sweeps what a crashed run left behind (temporary files of jobs and operations
/// no longer running: `Store::sweep_crash_leftovers`).
fn open(cli: &Cli) -> Result<OpenStore, Error> {
    let clock = store_clock()?;
    let (store, notice) =
        pdesk_core::backup::open_store(&db_path(cli)?, &*store_keychain(), clock)?;
    if let Some(notice) = notice {
        eprintln!("pdesk: {notice}");
    } else if !store.encryption().encrypted {
        eprintln!("pdesk: {}", store.encryption().message);
    }
    if let Err(e) = store.sweep_crash_leftovers() {
        eprintln!("pdesk: the leftovers of an earlier crash were not swept: {e}");
    }
    Ok(OpenStore(store))
}

/// Where the store's key is kept: the OS keychain (see `pdesk_core::store::cipher`).
fn store_keychain() -> Box<dyn pdesk_core::keychain::Secrets> {
    pdesk_core::store::cipher::store_keychain()
}

fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

fn run(cli: Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Init {
            admin,
            display_name,
            region,
        } => {
            let mut store = open(&cli)?;
            if let Some(admin) = admin {
                let actor = users_cmd::first_run(&mut store, admin, display_name, region)?;
                if !cli.json {
                    println!("Administrator {} is set up", actor.name);
                }
            }
            let version = store.schema_version()?;
            if cli.json {
                print_json(&serde_json::json!({
                    "path": store.path(), "schemaVersion": version
                }));
            } else {
                println!(
                    "Store ready at {} (schema {version})",
                    store.path().display()
                );
            }
        }
        Command::SeedDemo { profiles, seed } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let started = std::time::Instant::now();
            let added = store.seed_demo(&actor, *profiles, *seed)?;
            if cli.json {
                print_json(&serde_json::json!({ "added": added }));
            } else {
                println!(
                    "Added {added} generated profiles in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Show { id } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let detail = store.profile_detail(&actor, *id)?;
            if cli.json {
                print_json(&serde_json::to_value(&detail).unwrap_or_default());
            } else {
                print_profile(&detail);
            }
        }
        Command::List { query, limit } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let (query, segment_columns) = query.query(&store, &actor)?;
            let columns: Vec<String> = segment_columns.unwrap_or_else(|| {
                [
                    "full_name",
                    "phones",
                    "emails",
                    "city",
                    "customer_code",
                    "created_at",
                ]
                .map(String::from)
                .to_vec()
            });
            let counts = store.count_profiles(&actor, &query)?;
            let page = store.list_page(&actor, &query, 0, *limit, &columns)?;
            if cli.json {
                print_json(&serde_json::json!({ "counts": counts, "rows": page.rows }));
            } else {
                println!("{} of {} profiles", counts.filtered, counts.total);
                for row in &page.rows {
                    let cells: Vec<&str> = columns
                        .iter()
                        .map(|c| row.cells.get(c).map(String::as_str).unwrap_or(""))
                        .collect();
                    println!("{:>8}  {}", row.id, cells.join(" | "));
                }
            }
        }
        Command::Export {
            out,
            query,
            fields,
            columns,
        } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let args = export_cmd::ExportArgs {
                out,
                query,
                fields,
                columns,
            };
            export_cmd::export(&mut store, &actor, &args, cli.json)?;
        }
        Command::Template { out, lang } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let lang = pdesk_core::model::Lang::parse(lang).unwrap_or_default();
            let columns = store.write_import_template(&actor, lang, out)?;
            if cli.json {
                print_json(&serde_json::json!({
                    "path": out, "columns": columns, "lang": lang.as_str()
                }));
            } else {
                println!(
                    "Wrote the import template ({columns} columns) to {}",
                    out.display()
                );
            }
        }
        Command::Delete { ids, reason } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let result = store.delete_profiles(&actor, ids, reason)?;
            if cli.json {
                print_json(&serde_json::to_value(&result).unwrap_or_default());
            } else {
                let noun = if result.deleted == 1 {
                    "profile"
                } else {
                    "profiles"
                };
                println!("Deleted {} {noun}", result.deleted);
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let verification = store.verify_audit(&actor)?;
            if cli.json {
                print_json(&serde_json::to_value(&verification).unwrap_or_default());
            }
            if verification.first_broken.is_some() {
                return Err(Error::conflict(
                    "auditBroken",
                    serde_json::json!({ "firstBroken": verification.first_broken }),
                    verification.message,
                ));
            }
            if !cli.json {
                println!("{}", verification.message);
                for line in &verification.tail {
                    println!("  {line}");
                }
            }
        }
        Command::Import { files, opts } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            if !import_cmd::import_files(&mut store, &actor, files, opts, cli.json)? {
                return Err(Error::limit(
                    "filesRefused",
                    serde_json::Value::Null,
                    "Some files were refused (see above)",
                ));
            }
        }
        Command::Paste {
            file,
            clipboard,
            columns,
            header_row,
            first_row_is_data,
            opts,
        } => {
            let text = match file.as_deref() {
                _ if *clipboard => None,
                Some(p) if p != std::path::Path::new("-") => Some(std::fs::read_to_string(p)?),
                _ => Some(std::io::read_to_string(std::io::stdin())?),
            };
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let text = match text {
                Some(text) => text,
                None => import_cmd::read_clipboard(&actor)?,
            };
            let first_row = match (header_row, first_row_is_data) {
                (true, _) => Some(import_cmd::FirstRow::Header),
                (_, true) => Some(import_cmd::FirstRow::Data),
                _ => None,
            };
            import_cmd::paste(&mut store, &actor, text, columns, first_row, opts, cli.json)?;
        }
        Command::Jobs { run, refused } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            if *refused {
                import_cmd::refused_uploads(&store, &actor, cli.json)?;
            } else {
                if *run {
                    import_cmd::run_queued(&mut store, cli.json)?;
                }
                import_cmd::jobs(&store, &actor, cli.json)?;
            }
        }
        Command::Report { job, failed_rows } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            import_cmd::report(&store, &actor, *job, failed_rows.as_deref(), cli.json)?;
        }
        Command::Undo { job } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            import_cmd::undo(&mut store, &actor, *job, cli.json)?;
        }
        Command::Sync { command, once } => {
            let mut store = open(&cli)?;
            match command {
                None => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    sync_cmd::run(&mut store, &actor, *once, cli.json)?
                }
                Some(sync_cmd::SyncCommand::Retry { op }) => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    store.sync_retry_rejected(&actor, op)?;
                    println!("The change goes to the server again with the next sync");
                }
                Some(sync_cmd::SyncCommand::Discard { op }) => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    sync_cmd::discard(&mut store, &actor, op)?;
                }
                Some(sync_cmd::SyncCommand::Hold { minutes }) => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    store.sync_set_import_hold(&actor, *minutes)?;
                    println!(
                        "An import's changes now wait {minutes} min before they are sent (Undo \
                         import works until then)"
                    );
                }
                Some(sync_cmd::SyncCommand::Status) => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    sync_cmd::status(&store, &actor, cli.json)?
                }
                Some(sync_cmd::SyncCommand::Connect {
                    url,
                    device,
                    ca_file,
                    pin,
                }) => {
                    let trust = sync_cmd::trust_of(ca_file.as_deref(), pin.as_deref())?;
                    let server_user = cli.user.as_deref().ok_or_else(|| {
                        Error::conflict(
                            "serverUserNeeded",
                            serde_json::Value::Null,
                            "Name the account on the server: pdesk sync connect URL --user NAME",
                        )
                    })?;
                    // The server account acts here too when this store has a user of that
                    // name; otherwise the store's only administrator does.
                    let local = store.actor(Some(server_user)).ok().map(|a| a.name);
                    let actor = users_cmd::acting(&mut store, local.as_deref())?;
                    sync_cmd::connect(
                        &mut store,
                        &actor,
                        url,
                        server_user,
                        device,
                        &trust,
                        cli.json,
                    )?;
                }
                Some(sync_cmd::SyncCommand::Disconnect { discard_pending }) => {
                    let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                    sync_cmd::disconnect(&mut store, &actor, *discard_pending)?;
                }
            }
        }
        Command::Conflicts {
            keep_server_values_of,
        } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            if let Some(job) = keep_server_values_of {
                let decided = store.sync_keep_server_values(&actor, *job)?;
                println!(
                    "{decided} conflict{} of import #{job} decided for the server's values",
                    if decided == 1 { "" } else { "s" }
                );
                return Ok(());
            }
            let conflicts = store.sync_conflicts(&actor)?;
            if cli.json {
                print_json(&serde_json::to_value(&conflicts).unwrap_or_default());
            } else if conflicts.is_empty() {
                println!("No conflicts");
            } else {
                for c in conflicts {
                    print_conflict(&c);
                }
            }
        }
        Command::Conflict {
            id,
            take_other,
            set,
            ..
        } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            let decision = match (set, take_other) {
                (Some(value), _) => pdesk_core::sync::ConflictDecision::Edit(value.clone()),
                (None, true) => pdesk_core::sync::ConflictDecision::TakeOther,
                (None, false) => pdesk_core::sync::ConflictDecision::Keep,
            };
            store.sync_resolve_conflict(&actor, id, &decision)?;
            println!(
                "Conflict {id} decided: {}",
                match decision {
                    pdesk_core::sync::ConflictDecision::Keep => "the server's value is kept",
                    pdesk_core::sync::ConflictDecision::TakeOther => "the other value is taken",
                    pdesk_core::sync::ConflictDecision::Edit(_) => "the new value is set",
                }
            );
        }
        Command::Reviews { job, resolved } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            review_cmd::list(&store, &actor, *job, *resolved, cli.json)?;
        }
        Command::ServerReviews => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            review_cmd::server_list(&store, &actor, cli.json)?;
        }
        Command::ServerReview { id, decision } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            review_cmd::server_review(&mut store, &actor, id, decision)?;
        }
        Command::Review {
            id,
            decision,
            options,
        } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            review_cmd::review(&mut store, &actor, *id, decision, options, cli.json)?;
        }
        Command::User { command } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            users_cmd::user(&mut store, &actor, command, cli.json)?;
        }
        Command::Role { command } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            users_cmd::role(&mut store, &actor, command, cli.json)?;
        }
        Command::Backup { dir } => {
            let mut store = open(&cli)?;
            let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
            backup_cmd::backup(&store, &actor, dir.as_deref(), cli.json)?;
        }
        Command::Restore {
            file,
            keep_mail_settings,
        } => {
            let db = db_path(&cli)?;
            let protection = pdesk_core::store::cipher::protection_for(&db, &*store_keychain())?;
            if backup_cmd::is_sound(&db, &protection)? {
                let mut store = open(&cli)?;
                let actor = users_cmd::acting(&mut store, cli.user.as_deref())?;
                let options = RestoreOptions {
                    keep_backup_mail_settings: *keep_mail_settings,
                };
                backup_cmd::restore(&mut store, &actor, file, options, cli.json)?;
            } else {
                backup_cmd::recover(&db, file, cli.user.as_deref(), &protection, cli.json)?;
            }
        }
        Command::Check => {
            let db = db_path(&cli)?;
            let protection = pdesk_core::store::cipher::protection_for(&db, &*store_keychain())?;
            backup_cmd::check(&db, &protection, cli.json)?
        }
    }
    Ok(())
}

/// One conflict as `pdesk conflicts` lists it: a line, then a line per side.
fn print_conflict(c: &pdesk_core::sync::SyncConflict) {
    use pdesk_core::sync::{ConflictSide, Side};
    let state = if c.open { "open" } else { "decided" };
    let profile = c.label.as_deref().unwrap_or(&c.gid);
    println!("{}  {state}  {profile}  {}", c.id, c.field);
    let side = |name: &str, s: &ConflictSide, mine: bool| {
        let mut from = Vec::new();
        if let Some(by) = &s.by {
            from.push(format!("by {by}"));
        }
        if let Some(device) = &s.device {
            from.push(format!("on {device}"));
        }
        if let Some(at) = &s.at {
            from.push(format!("at {at}"));
        }
        if mine {
            from.push(match (c.job, &c.job_file) {
                (Some(job), Some(file)) => format!("(this computer, import #{job} {file})"),
                (Some(job), None) => format!("(this computer, import #{job})"),
                _ => "(this computer)".into(),
            });
        }
        println!("    {name} {}  {}", s.value, from.join(" "));
    };
    side("kept", &c.kept, c.ours == Some(Side::Kept));
    side("lost", &c.lost, c.ours == Some(Side::Lost));
}

/// A profile as `pdesk show` prints it: its label, its values, consent, linked objects.
fn print_profile(d: &pdesk_core::model::ProfileDetail) {
    let p = &d.profile;
    println!("#{}  {}", p.id, p.label);
    for (key, value) in &p.values {
        if !value.is_empty() {
            println!("  {key}: {value}");
        }
    }
    for (channel, status) in &d.consent {
        println!("  consent {channel}: {}", status.as_str());
    }
    let links = &d.links;
    for (kind, objects) in [
        ("account", &links.accounts),
        ("opportunity", &links.opportunities),
        ("ticket", &links.tickets),
        ("task", &links.tasks),
    ] {
        for o in objects {
            println!("  {kind}: {} ({})", o.title, o.status);
        }
    }
}
