//! pdesk-server's integration tests: the real router on a temp-dir SQLite database, called
//! in-process (`support`), and the real binary (`process`). No mocks of our own storage.

mod support;

mod accounts;
mod config;
mod links;
mod problems;
mod process;
mod pull;
mod push;
