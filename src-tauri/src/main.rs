// Release builds on Windows get no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The same allocator as `pdesk` (see the workspace's Cargo.toml: exports run on two threads).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    profile_desk_lib::run()
}
