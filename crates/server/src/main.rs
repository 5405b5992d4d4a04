//! `pdesk-server`: serve pdsync/1, and the administrator's commands. Exit codes as `pdesk`'s:
//! 0 done, 1 refused (the message says why), 2 usage, 3 internal (storage) error.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use pdesk_server::accounts::{self, AdminError, Refused};
use pdesk_server::clock::{Clock, SystemClock};
use pdesk_server::db::{Database, DbError};
use pdesk_server::{admin, http, startup};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "pdesk-server",
    version,
    about = "The reference CDP server of Profile Desk's sync (pdsync/1)"
)]
struct Cli {
    /// The database: a SQLite file (created when missing) or a postgres:// URL [default:
    /// pdesk-server.db next to --config, else in the current folder].
    #[arg(long, global = true)]
    db: Option<String>,
    /// A TOML file with `db`, `listen`, `tls_cert` and `tls_key` (paths relative to the file);
    /// flags given here win over it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Print data as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database and its first administrator (password from PDESK_SERVER_PASSWORD,
    /// else asked twice).
    Init {
        #[arg(long)]
        admin: String,
    },
    /// Serve pdsync/1. A new database is created; when it has no user yet, an `admin` is made
    /// with PDESK_SERVER_PASSWORD (or a random password printed once).
    Serve {
        /// [default: 127.0.0.1:8787]
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// The certificate chain (PEM) for HTTPS; needed to listen beyond loopback.
        #[arg(long)]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long)]
        tls_key: Option<PathBuf>,
    },
    /// Users and their roles (Administrator, Sales, Viewer).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Registered devices.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// CRM objects linked to profiles.
    Link {
        #[command(subcommand)]
        command: LinkCommand,
    },
    /// The config devices follow while connected (match keys, region, merge policy, guards,
    /// field catalogue, consent channels).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Check the database: integrity, bucket sums, the feed.
    Check,
    /// Write a consistent copy of the database into DIR.
    Backup { dir: PathBuf },
    /// Replace the database with a backup (stop the server first); rotates the server epoch.
    /// On PostgreSQL, after pg_restore, run it without FILE: it only rotates the epoch.
    Restore { file: Option<PathBuf> },
    /// Remove tombstones and receipts older than the horizon.
    Gc {
        #[arg(long, default_value_t = 180)]
        days: u64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user (password from PDESK_SERVER_PASSWORD, else asked twice).
    Add {
        name: String,
        #[arg(long, default_value = "Sales")]
        role: String,
    },
    /// Set a user's password.
    Passwd { name: String },
    /// Change a user's role.
    SetRole { name: String, role: String },
    /// Stop a user from signing in; their devices' tokens stop working.
    Deactivate { name: String },
    /// List users.
    List,
}

#[derive(Subcommand)]
enum LinkCommand {
    /// Link a new account, opportunity, ticket or task to the profile holding an identifier.
    Add {
        /// A phone, an e-mail or a customer code that one live profile holds.
        #[arg(long)]
        profile: String,
        #[arg(long, value_parser = ["account", "opportunity", "ticket", "task"])]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "open")]
        status: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the config as JSON (the form `config set` reads).
    Show,
    /// Replace the config with FILE (JSON, as `config show` prints it); checked first.
    Set { file: PathBuf },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// List registered devices.
    List,
    /// Revoke a device: its tokens stop working at once.
    Revoke { id: String },
}

enum Failure {
    /// The command line or its config file is wrong (exit code 2).
    Usage(String),
    Refused(String),
    Internal(String),
}

impl From<AdminError> for Failure {
    fn from(e: AdminError) -> Failure {
        match e {
            AdminError::Refused(Refused(m)) => Failure::Refused(m),
            AdminError::Db(e) => Failure::Internal(e.message),
        }
    }
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Failure {
        Failure::Internal(e.message)
    }
}

fn password(confirm: bool) -> Result<String, Failure> {
    if let Ok(p) = std::env::var("PDESK_SERVER_PASSWORD") {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    let ask = |prompt: &str| -> Result<String, Failure> {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Refused(format!("could not read the password: {e}")))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    let first = ask("Password: ")?;
    if confirm && ask("Again: ")? != first {
        return Err(Failure::Refused("the two passwords differ".into()));
    }
    Ok(first)
}

fn print<T: serde::Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).expect("output serialises")
        );
    } else {
        println!("{}", text(value));
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut flags = startup::Flags {
        config: cli.config.clone(),
        db: cli.db.clone(),
        ..startup::Flags::default()
    };
    if let Command::Serve {
        listen,
        tls_cert,
        tls_key,
    } = &cli.command
    {
        flags.listen = *listen;
        flags.tls_cert = tls_cert.clone();
        flags.tls_key = tls_key.clone();
    }
    let startup = startup::resolve(&flags).map_err(Failure::Usage)?;
    let location = startup.db.clone();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now_ms();
    let db = Database::open(&location)?;
    let json = cli.json;
    match cli.command {
        Command::Init { admin: name } => {
            let password = password(true)?;
            let user = admin::init(&db, &name, &password, now)?;
            print(json, &user, |u| {
                format!("Created {location} with administrator {}", u.name)
            });
        }
        Command::Serve { .. } => {
            let listen = startup.listen;
            let tls = match startup.tls {
                Some((cert, key)) => {
                    Some(pdesk_server::tls::load(&cert, &key).map_err(Failure::Refused)?)
                }
                _ if !pdesk_server::plain_http_allowed(listen) => {
                    return Err(Failure::Refused(format!(
                        "{listen} is reachable from other machines: give --tls-cert and --tls-key \
                         (plain HTTP is for loopback only, e.g. behind a proxy that does HTTPS)"
                    )));
                }
                _ => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let pin = tls.as_ref().and_then(|t| t.pin);
            let tls = tls.map(|t| t.config);
            if !admin::prepare(&db, now)? {
                let (password, shown) = match std::env::var("PDESK_SERVER_PASSWORD") {
                    Ok(p) => (p, false),
                    Err(_) => (pdesk_server::ids::new_token()[..16].to_string(), true),
                };
                db.write(|sql| accounts::add_user(sql, "admin", "Administrator", &password, now))?;
                if shown {
                    eprintln!("No users yet: created administrator \"admin\" with password {password} (shown once)");
                } else {
                    eprintln!(
                        "No users yet: created administrator \"admin\" with PDESK_SERVER_PASSWORD"
                    );
                }
            }
            let server = http::Server::new(db, clock);
            // Blocking threads run the database work; the HTTP layer bounds reads and checks
            // by semaphores, this bounds the rest (each idle thread keeps its allocator heap).
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .max_blocking_threads(16)
                .enable_all()
                .build()
                .map_err(|e| Failure::Internal(format!("could not start the runtime: {e}")))?;
            runtime
                .block_on(pdesk_server::serve(server, listen, tls, |addr| {
                    eprintln!(
                        "pdesk-server: serving pdsync/1 on {scheme}://{addr} (database {location})"
                    );
                    if let Some(pin) = pin {
                        // For a certificate no platform trusts (self-signed, a private CA):
                        // devices connect with `--pin` and trust this key alone.
                        eprintln!("pdesk-server: the pin of its key is {pin}");
                    }
                }))
                .map_err(|e| Failure::Refused(format!("could not serve on {listen}: {e}")))?;
        }
        Command::User { command } => match command {
            UserCommand::Add { name, role } => {
                let password = password(true)?;
                let user = db.write(|sql| accounts::add_user(sql, &name, &role, &password, now))?;
                print(json, &user, |u| format!("Added {} ({})", u.name, u.role));
            }
            UserCommand::Passwd { name } => {
                let password = password(true)?;
                db.write(|sql| accounts::set_password(sql, &name, &password))?;
                println!("Password of {name} changed");
            }
            UserCommand::SetRole { name, role } => {
                db.write(|sql| accounts::set_role(sql, &name, &role))?;
                println!("{name} is now {role}");
            }
            UserCommand::Deactivate { name } => {
                db.write(|sql| accounts::deactivate(sql, &name))?;
                println!("{name} is deactivated");
            }
            UserCommand::List => {
                let users = db.read(|sql| accounts::list_users(sql))?;
                print(json, &users, |users| {
                    users
                        .iter()
                        .map(|u| {
                            format!(
                                "{}\t{}\t{}",
                                u.name,
                                u.role,
                                if u.active { "active" } else { "deactivated" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
        },
        Command::Device { command } => match command {
            DeviceCommand::List => {
                let devices = db.read(|sql| accounts::list_devices(sql))?;
                print(json, &devices, |devices| {
                    devices
                        .iter()
                        .map(|d| {
                            format!(
                                "{}\t{}\t{}\t{}{}",
                                d.id,
                                d.user,
                                d.name,
                                d.platform,
                                if d.revoked { "\trevoked" } else { "" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            DeviceCommand::Revoke { id } => {
                if !db.write(|sql| accounts::revoke(sql, &id, now))? {
                    return Err(Failure::Refused(format!("there is no device {id}")));
                }
                println!("Device {id} is revoked");
            }
        },
        Command::Link {
            command:
                LinkCommand::Add {
                    profile,
                    kind,
                    title,
                    status,
                },
        } => {
            let kind =
                pdesk_sync_proto::links::LinkKind::parse(&kind).expect("clap checked the kind");
            let created = db.write(|sql| {
                let gid = pdesk_server::links::profile_by_identifier(sql, &profile)?;
                let request = pdesk_sync_proto::links::CreateLink {
                    profile: gid,
                    kind,
                    title: title.clone(),
                    status: Some(status.clone()),
                };
                pdesk_server::links::create(sql, &request, now)
                    .map(|(created, _)| created)
                    .map_err(|e| match e {
                        pdesk_server::error::ServerError::Db(e) => AdminError::Db(e),
                        other => AdminError::Refused(Refused(other.to_string())),
                    })
            })?;
            print(json, &created, |c| {
                format!(
                    "Linked {} \"{}\" ({}) to profile {} (rev {})",
                    c.link.kind.as_str(),
                    c.link.title,
                    c.link.id,
                    c.profile,
                    c.rev
                )
            });
        }
        Command::Config { command } => match command {
            ConfigCommand::Show => {
                let config = db.read(|sql| pdesk_server::config::ServerConfig::load(sql))?;
                print(true, &config.editable(), |_| String::new());
            }
            ConfigCommand::Set { file } => {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Failure::Refused(format!("could not read {}: {e}", file.display()))
                })?;
                let edit = serde_json::from_str(&text).map_err(|e| {
                    Failure::Refused(format!("{} is not a config: {e}", file.display()))
                })?;
                let config = admin::set_config(&db, edit)?;
                print(json, &config, |c| {
                    format!(
                        "Config version {} (catalogue {}, channels {}): devices take it on their next sync",
                        c.version, c.catalog_version, c.channels_version
                    )
                });
            }
        },
        Command::Check => {
            let report = admin::check(&db)?;
            print(json, &report, |r| {
                if r.ok {
                    format!("OK: {} profiles, {} tombstones", r.profiles, r.deleted)
                } else {
                    format!("PROBLEMS:\n{}", r.problems.join("\n"))
                }
            });
            if !report.ok {
                return Err(Failure::Refused("the check found problems".into()));
            }
        }
        Command::Backup { dir } => {
            let file = admin::backup(&db, &dir, now)?;
            println!("{}", file.display());
        }
        Command::Restore { file } => {
            let epoch = admin::restore(&db, file.as_deref(), now)?;
            match file {
                Some(file) => println!(
                    "Restored {location} from {}; new server epoch {epoch}",
                    file.display()
                ),
                None => {
                    println!("New server epoch {epoch}: clients resend what the database lacks")
                }
            }
        }
        Command::Gc { days } => {
            let report = admin::gc(&db, days, now)?;
            print(json, &report, |r| {
                format!(
                    "Removed {} tombstones and {} receipts",
                    r.tombstones, r.receipts
                )
            });
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("pdesk-server: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(m)) => {
            eprintln!("pdesk-server: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Internal(m)) => {
            eprintln!("pdesk-server: internal error: {m}");
            ExitCode::from(3)
        }
    }
}
