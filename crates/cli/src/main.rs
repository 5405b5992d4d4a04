//! `pdesk`: the headless command line of Profile Desk (SPEC 10). Same core, same rules, limits,
//! permissions and audit as the app. Exit codes: 0 success; 1 refused by a rule; 2 usage
//! error; 3 internal error.

mod bench;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pdesk_core::model::ListQuery;
use pdesk_core::{Error, Store};

#[derive(Parser)]
#[command(name = "pdesk", version, about = "Profile Desk on the command line")]
struct Cli {
    /// The store (default: the app's own database in the OS data folder).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Acting user (default: the only administrator of the store).
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
    /// Create or migrate the store.
    Init,
    /// Add N generated realistic profiles.
    SeedDemo {
        #[arg(long)]
        profiles: u64,
        /// Random seed (same seed, same profiles).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// List profiles, newest first.
    List {
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// The SPEC section 9 benchmark, printed as a table.
    Bench {
        /// Size of the generated store.
        #[arg(long, default_value_t = 1_000_000)]
        profiles: u64,
        /// Where to keep the generated store (reused when it already holds the profiles).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
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
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pdesk: {e}");
            ExitCode::from(if e.is_refusal() { 1 } else { 3 })
        }
    }
}

fn open(cli: &Cli) -> Result<Store, Error> {
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => pdesk_core::default_db_path(false)?,
    };
    Store::open(path)
}

fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

fn run(cli: Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Init => {
            let store = open(&cli)?;
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
            let actor = store.actor(cli.user.as_deref())?;
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
        Command::List { search, limit } => {
            let store = open(&cli)?;
            let actor = store.actor(cli.user.as_deref())?;
            let query = ListQuery {
                search: search.clone(),
            };
            let columns: Vec<String> = [
                "full_name",
                "phones",
                "emails",
                "city",
                "customer_code",
                "created_at",
            ]
            .map(String::from)
            .to_vec();
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
        Command::Bench { profiles, work_dir } => {
            bench::run(*profiles, work_dir.clone(), cli.json)?;
        }
    }
    Ok(())
}
