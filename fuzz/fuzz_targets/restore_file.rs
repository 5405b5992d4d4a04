//! Any bytes as a backup file picked for restore (mutated SQLite files, seeded with a real
//! backup): the vetting (`verify_backup_file`: defensive mode, untrusted schema, the exact
//! schema our migrations make, integrity and counts) must refuse or accept it — never panic,
//! never hang — and a file it accepts must still open as a store.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("picked.db");
    let Ok(mut file) = std::fs::File::create(&path) else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    drop(file);
    // A plain file (no key): the vetting runs the same checks on an encrypted one once it is
    // decrypted, and mutated bytes of an encrypted file only ever fail its page check.
    if pdesk_core::backup::verify_backup_file(&path, None).is_ok() {
        let reopened = pdesk_core::backup::verify_backup_file(&path, None);
        assert!(reopened.is_ok(), "an accepted file is accepted again: {reopened:?}");
    }
});
