//! `pdesk-bench`: the SPEC section 9 benchmark, outside the shipped binaries (`cargo xtask
//! bench` builds it optimised and runs it). It prints each figure as a median next to its target
//! and a peer measured in the same run; imports, hostile files and exports run in child
//! processes of this binary (`pdesk-bench child`, hidden) so that each figure's peak memory is
//! its own.

mod encryption;
mod export;
mod figures;
mod import;
mod run;
mod startup;
mod sync;

// As in the shipped binaries (see the workspace's Cargo.toml): the export's two threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "pdesk-bench",
    version,
    about = "The SPEC section 9 benchmark of Profile Desk, printed as a table",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Size of the generated store.
    #[arg(long, default_value_t = 1_000_000)]
    profiles: u64,
    /// Where to keep the generated stores and files (reused when the store already holds the
    /// profiles). Default: pdesk-bench in the temp folder.
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Only these parts (comma-separated): startup (process start to the list's first page),
    /// list, filters, import, hostile, export, sync (the
    /// sync server: push, pull and snapshot next to their floors, then the server process
    /// under load), sync-load (that last part alone), conflicts (conflict review opening with
    /// 10,000 open conflicts), encryption (the same work on a plain and an encrypted store, side
    /// by side).
    /// Default: all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// The figures as JSON on stdout instead of the table.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// One measurement in a process of its own, so that its peak memory is its own (run by the
    /// benchmark itself): import, dry-run or preview of FILE into --store, the refusal of a
    /// hostile FILE, or export-displayed / export-all of every profile of --store. Prints one
    /// JSON line. --store is a bench-*.db file name inside --work-dir, which must be a work dir
    /// the benchmark made.
    #[command(hide = true)]
    Child {
        what: String,
        #[arg(long)]
        work_dir: PathBuf,
        #[arg(long)]
        store: Option<String>,
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Child {
            what,
            work_dir,
            store,
            file,
        }) => run::child(what, work_dir, store.as_deref(), file.as_deref()),
        None => run::run(cli.profiles, cli.work_dir.clone(), &cli.only, cli.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pdesk-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
