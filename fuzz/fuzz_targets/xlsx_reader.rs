//! Any bytes as an uploaded `.xlsx`: the guard and the streaming reader must refuse or read
//! them — never panic, never abort, never use unbounded memory (libFuzzer's `-rss_limit_mb`
//! turns an allocation past the limit into a failure). Seeded with the real fixtures.
#![no_main]

use std::io::Write;
use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use pdesk_xlsx::{read_sheet, FileLimits};

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".xlsx").tempfile() else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    let limits = FileLimits::default();
    let mut rows = 0u32;
    let _ = read_sheet(file.path(), &limits, |_, cells| {
        rows += 1;
        // Every row is as wide as the header and within the column cap.
        assert!(cells.len() <= pdesk_xlsx::MAX_COLUMNS as usize);
        ControlFlow::Continue(())
    });
    assert!(rows <= limits.max_rows + 1, "the row limit holds while reading");
});
