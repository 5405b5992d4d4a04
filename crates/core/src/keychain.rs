//! Where secrets are kept: the OS keychain ([`OsKeychain`]), or memory in the tests
//! ([`MemorySecrets`]); never the database nor any file. Two kinds live there: the SMTP
//! password (`mail`) and each store's encryption key (`store::cipher`).

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct KeychainStatus {
    pub available: bool,
    /// What the OS said when it is not available.
    pub message: Option<String>,
}

/// Why a secret could not be read or kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// This computer has no keychain Profile Desk can reach (e.g. no Secret Service on Linux).
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Failed(String),
}

/// Where secrets are kept: the OS keychain in the app and the CLI ([`OsKeychain`]).
pub trait Secrets: Send + Sync {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError>;
    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError>;
    fn delete(&self, key: &str) -> std::result::Result<(), SecretError>;
    /// Whether a keychain is there at all (checked without storing anything).
    fn status(&self) -> KeychainStatus;
}

/// The OS keychain through the `keyring` crate, under one service name per app identifier.
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// `service`: the app identifier (`com.profiledesk.app`, or `.dev` for development).
    pub fn new(service: &str) -> OsKeychain {
        OsKeychain {
            service: service.to_string(),
        }
    }

    fn entry(&self, key: &str) -> std::result::Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, key).map_err(keychain_error)
    }
}

fn no_keychain(detail: &str) -> SecretError {
    let detail: String = detail.chars().take(160).collect();
    SecretError::Unavailable(format!(
        "No keychain is available on this computer, so the password cannot be stored safely \
         and was not stored: Profile Desk never keeps passwords in its database. Start your \
         desktop's keychain (on Linux, a Secret Service such as GNOME Keyring or KWallet) and \
         enter the password again, or use a relay that needs no password. (The system said: \
         {detail})"
    ))
}

/// What the system itself said in a message of [`no_keychain`] (its sentence is about the SMTP
/// password; other users of the keychain — the store's key — word their own around this).
pub(crate) fn system_words(message: &str) -> &str {
    const SAID: &str = "(The system said: ";
    match message.rfind(SAID) {
        Some(at) => message[at + SAID.len()..].trim_end_matches(')'),
        None => message,
    }
}

fn keychain_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoDefaultStore | keyring::Error::NoStorageAccess(_) => {
            no_keychain(&e.to_string())
        }
        keyring::Error::PlatformFailure(_) => no_keychain(&e.to_string()),
        other => SecretError::Failed(format!("The keychain refused the password: {other}")),
    }
}

impl Secrets for OsKeychain {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError> {
        self.entry(key)?
            .set_password(secret)
            .map_err(keychain_error)
    }

    fn delete(&self, key: &str) -> std::result::Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn status(&self) -> KeychainStatus {
        match keyring::Entry::store_status() {
            Ok(()) => KeychainStatus {
                available: true,
                message: None,
            },
            Err(e) => KeychainStatus {
                available: false,
                message: Some(no_keychain(&e.to_string()).to_string()),
            },
        }
    }
}

/// Secrets kept in memory only: the tests' stand-in for a keychain that works.
#[derive(Default)]
pub struct MemorySecrets {
    map: Mutex<std::collections::BTreeMap<String, String>>,
}

impl Secrets for MemorySecrets {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError> {
        Ok(self.map.lock().ok().and_then(|m| m.get(key).cloned()))
    }

    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError> {
        if let Ok(mut m) = self.map.lock() {
            m.insert(key.to_string(), secret.to_string());
        }
        Ok(())
    }

    fn delete(&self, key: &str) -> std::result::Result<(), SecretError> {
        if let Ok(mut m) = self.map.lock() {
            m.remove(key);
        }
        Ok(())
    }

    fn status(&self) -> KeychainStatus {
        KeychainStatus {
            available: true,
            message: None,
        }
    }
}

/// No keychain: a computer without one (Linux with no Secret Service) in the tests, or the
/// keychain switched off (`PROFILE_DESK_KEYCHAIN=off`, see `store::cipher`).
pub struct NoKeychain {
    why: &'static str,
}

impl Default for NoKeychain {
    fn default() -> Self {
        NoKeychain {
            why: "no Secret Service is running",
        }
    }
}

impl NoKeychain {
    pub fn switched_off() -> NoKeychain {
        NoKeychain {
            why: "the keychain is switched off by PROFILE_DESK_KEYCHAIN=off",
        }
    }
}

impl Secrets for NoKeychain {
    fn get(&self, _key: &str) -> std::result::Result<Option<String>, SecretError> {
        Err(SecretError::Unavailable(self.why.into()))
    }

    fn set(&self, _key: &str, _secret: &str) -> std::result::Result<(), SecretError> {
        Err(SecretError::Unavailable(self.why.into()))
    }

    fn delete(&self, _key: &str) -> std::result::Result<(), SecretError> {
        Err(SecretError::Unavailable(self.why.into()))
    }

    fn status(&self) -> KeychainStatus {
        KeychainStatus {
            available: false,
            message: Some(self.why.into()),
        }
    }
}

#[cfg(test)]
mod system_words_tests {
    #[test]
    fn the_systems_own_words_are_taken_out_of_the_password_sentence() {
        let sentence = super::no_keychain("no secret service running").to_string();
        assert_eq!(super::system_words(&sentence), "no secret service running");
        assert_eq!(super::system_words("plain words"), "plain words");
    }
}
