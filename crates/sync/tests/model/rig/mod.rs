//! The model test's rig: the real server behind a fault-injecting proxy (`server`, `proxy`),
//! real laptops (`laptop`), the generated steps (`actions`, drawing from `pools`), a case's
//! world and its reference model (`world`), and the end checks (`checks`).

pub mod actions;
pub mod checks;
pub mod laptop;
pub mod pools;
pub mod proxy;
pub mod server;
pub mod world;
