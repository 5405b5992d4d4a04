//! Any text as pasted data: the parser must refuse or split it — never panic — and never
//! return more rows than the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pdesk_xlsx::parse_paste;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(rows) = parse_paste(&text, 50) {
        assert!(rows.len() <= 50, "the row limit holds");
    }
});
