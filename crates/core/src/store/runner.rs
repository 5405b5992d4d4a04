//! Who runs a job: every open [`Store`](super::Store) has a runner name of its own, written on
//! the jobs it claims (`runner` columns, see `job_queue`). It says which program on which
//! computer holds the job, for the message another process shows, and ends in a random token,
//! so two handles of one process (the app's import worker and its window's store) and a
//! process that reuses an old pid never pass for each other.

use rand::Rng;

/// A store handle's runner name: `pdesk on host build-7, pid 4242 #9f3a61c07be2d415`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Runner(String);

impl Runner {
    /// A new name for this process (the program, the computer, the pid) and a fresh token.
    pub(crate) fn new() -> Runner {
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Profile Desk".into());
        let host = hostname::get()
            .ok()
            .map(|h| h.to_string_lossy().into_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "this computer".into());
        let token: u64 = rand::rng().random();
        Runner(format!(
            "{program} on host {host}, pid {} #{token:016x}",
            std::process::id()
        ))
    }

    /// The random part alone (names this handle's temporary files).
    pub(crate) fn token(&self) -> &str {
        self.0.rsplit_once('#').map_or("", |(_, token)| token)
    }

    /// The name as the database holds it.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a stored runner name reads in a message: without its token.
pub(crate) fn runner_label(stored: &str) -> &str {
    stored.rsplit_once(" #").map_or(stored, |(label, _)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_handle_gets_its_own_token_and_messages_leave_it_out() {
        let (a, b) = (Runner::new(), Runner::new());
        assert_ne!(a, b, "two handles of one process are two runners");
        let label = runner_label(a.as_str());
        assert!(
            label.contains(&format!("pid {}", std::process::id())),
            "{label}"
        );
        assert!(label.contains(" on host "), "{label}");
        assert!(!label.contains('#'), "{label}");
    }
}
