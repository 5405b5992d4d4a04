//! Where the server runs: the database, the listen address and the TLS files, from the command
//! line and an optional `--config FILE` (TOML). A flag given on the command line wins over the
//! file; paths in the file are relative to the file's folder, so a config and its database and
//! certificates can move together; with a config and no database, the database is
//! `pdesk-server.db` next to the config ("zero setup" beside the file an administrator keeps).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::DEFAULT_FILE;

/// The default listen address: loopback, so a first `serve` is never open to the network.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// The keys a config file may hold (any other key is refused by name: a misspelt `tls_crt`
/// must not silently serve plain HTTP).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    db: Option<String>,
    listen: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
}

/// What the command line said (each `None` when not given).
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub db: Option<String>,
    pub listen: Option<SocketAddr>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

/// Where the server runs, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Startup {
    /// A SQLite file path or a `postgres://` URL.
    pub db: String,
    pub listen: SocketAddr,
    /// The certificate chain and its key, both or neither.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Resolves the flags and the config file they name. Errors are sentences naming the file and
/// the key.
pub fn resolve(flags: &Flags) -> Result<Startup, String> {
    let (file, base) = match &flags.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("could not read the config file {}: {e}", path.display()))?;
            let file: ConfigFile = toml::from_str(&text)
                .map_err(|e| format!("the config file {} is not valid: {e}", path.display()))?;
            let base = path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            (file, Some(base))
        }
        None => (ConfigFile::default(), None),
    };
    let beside = |p: PathBuf| match &base {
        Some(base) if p.is_relative() => base.join(p),
        _ => p,
    };
    let db = match (&flags.db, file.db) {
        (Some(db), _) => db.clone(),
        (None, Some(db)) if is_url(&db) => db,
        (None, Some(db)) => path_text(beside(PathBuf::from(db)))?,
        (None, None) => match &base {
            Some(base) => path_text(base.join(DEFAULT_FILE))?,
            None => DEFAULT_FILE.to_string(),
        },
    };
    let listen = match (flags.listen, file.listen) {
        (Some(listen), _) => listen,
        (None, Some(text)) => text.parse().map_err(|_| {
            format!(
                "the config file's listen = \"{text}\" is not an address and port like {DEFAULT_LISTEN}"
            )
        })?,
        (None, None) => DEFAULT_LISTEN.parse().expect("the default address parses"),
    };
    let cert = flags.tls_cert.clone().or(file.tls_cert.map(&beside));
    let key = flags.tls_key.clone().or(file.tls_key.map(&beside));
    let tls = match (cert, key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        _ => {
            return Err(
                "a TLS certificate needs its key, and a key its certificate: give both \
                 tls_cert and tls_key (or --tls-cert and --tls-key)"
                    .into(),
            )
        }
    };
    Ok(Startup { db, listen, tls })
}

fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

fn path_text(path: PathBuf) -> Result<String, String> {
    path.into_os_string()
        .into_string()
        .map_err(|p| format!("the database path {p:?} is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_config(text: &str) -> (tempfile::TempDir, Flags) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(&path, text).unwrap();
        (
            dir,
            Flags {
                config: Some(path),
                ..Flags::default()
            },
        )
    }

    #[test]
    fn without_flags_or_file_it_is_the_file_in_this_folder_on_loopback() {
        let startup = resolve(&Flags::default()).unwrap();
        assert_eq!(startup.db, "pdesk-server.db");
        assert_eq!(startup.listen.to_string(), "127.0.0.1:8787");
        assert_eq!(startup.tls, None);
    }

    #[test]
    fn a_config_places_its_database_and_certificates_beside_itself() {
        let (dir, flags) = with_config(
            "listen = \"0.0.0.0:8443\"\ntls_cert = \"tls/cert.pem\"\ntls_key = \"/etc/key.pem\"\n",
        );
        let startup = resolve(&flags).unwrap();
        assert_eq!(
            startup.db,
            dir.path().join("pdesk-server.db").to_str().unwrap()
        );
        assert_eq!(startup.listen.to_string(), "0.0.0.0:8443");
        assert_eq!(
            startup.tls,
            Some((
                dir.path().join("tls/cert.pem"),
                PathBuf::from("/etc/key.pem")
            ))
        );
    }

    #[test]
    fn a_postgres_url_is_kept_and_flags_win_over_the_file() {
        let (_dir, mut flags) =
            with_config("db = \"postgres://pdesk@127.0.0.1/pdesk\"\nlisten = \"127.0.0.1:9000\"\n");
        assert_eq!(
            resolve(&flags).unwrap().db,
            "postgres://pdesk@127.0.0.1/pdesk"
        );
        flags.db = Some("other.db".into());
        flags.listen = Some("127.0.0.1:1".parse().unwrap());
        let startup = resolve(&flags).unwrap();
        assert_eq!(
            startup.db, "other.db",
            "a flag's relative path is the shell's"
        );
        assert_eq!(startup.listen.to_string(), "127.0.0.1:1");
    }

    #[test]
    fn mistakes_in_the_file_are_refused_by_name() {
        let (_dir, flags) = with_config("tls_crt = \"cert.pem\"\n");
        let e = resolve(&flags).unwrap_err();
        assert!(e.contains("server.toml") && e.contains("tls_crt"), "{e}");
        let (_dir, flags) = with_config("listen = \"everywhere\"\n");
        let e = resolve(&flags).unwrap_err();
        assert!(e.contains("everywhere"), "{e}");
        let (_dir, flags) = with_config("tls_cert = \"cert.pem\"\n");
        assert!(resolve(&flags).unwrap_err().contains("both"));
        let missing = Flags {
            config: Some("/nonexistent/server.toml".into()),
            ..Flags::default()
        };
        assert!(resolve(&missing)
            .unwrap_err()
            .contains("/nonexistent/server.toml"));
    }
}
