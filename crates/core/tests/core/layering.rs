//! The house's dependency rules (ARCHITECTURE.md, "Layers"), checked on the source itself:
//! which of our crates may depend on which, and the floors of the core's modules — a module
//! never reaches a higher floor, neither by a `crate::` path nor by calling a `Store` method
//! that a higher floor defines, and no two modules depend on each other in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core's modules by floor, lowest first. A module may use its own floor and the ones
/// below it. Adding a module means giving it a floor here (and in ARCHITECTURE.md).
const FLOORS: &[(&str, &[&str])] = &[
    (
        "store",
        &["store", "clock", "error", "model", "files", "keychain"],
    ),
    ("auth", &["auth"]),
    ("audit", &["audit"]),
    ("access", &["catalogue", "users"]),
    ("outbox", &["outbox"]),
    ("profiles", &["profiles"]),
    ("query", &["filter", "list", "segments"]),
    ("admin", &["admin"]),
    (
        "jobs",
        &["mapping", "job_queue", "job_failure", "jobs", "export"],
    ),
    ("sync", &["sync"]),
    (
        "services",
        &["mail", "backup", "audit_log", "demo", "about"],
    ),
];

/// Our crates and the crates of ours each may depend on (normal dependencies).
const CRATES: &[(&str, &[&str])] = &[
    ("pdesk-normalize", &[]),
    ("pdesk-xlsx", &["pdesk-normalize"]),
    ("pdesk-rule", &["pdesk-normalize"]),
    // The sync wire types: none of ours, so the rule's internals never change the wire.
    ("pdesk-sync-proto", &[]),
    // The reference server: the rule and the wire, never the app's store (`pdesk-core`).
    (
        "pdesk-server",
        &["pdesk-normalize", "pdesk-rule", "pdesk-sync-proto"],
    ),
    (
        "pdesk-core",
        &[
            "pdesk-normalize",
            "pdesk-xlsx",
            "pdesk-rule",
            "pdesk-sync-proto",
        ],
    ),
    // The sync engine: the store's side of sync is in the core, the wire in sync-proto.
    ("pdesk-sync", &["pdesk-core", "pdesk-sync-proto"]),
    (
        "pdesk-cli",
        &[
            "pdesk-normalize",
            "pdesk-xlsx",
            "pdesk-rule",
            "pdesk-core",
            "pdesk-sync",
        ],
    ),
    (
        "pdesk-bench",
        &[
            "pdesk-normalize",
            "pdesk-xlsx",
            "pdesk-rule",
            "pdesk-core",
            "pdesk-sync-proto",
            "pdesk-sync",
            "pdesk-server",
            "pdesk-testkit",
        ],
    ),
    (
        "pdesk-testkit",
        &["pdesk-normalize", "pdesk-xlsx", "pdesk-rule", "pdesk-core"],
    ),
];

/// Crates that must stay pure: no database, no GUI.
const NO_DATABASE: &[&str] = &[
    "pdesk-normalize",
    "pdesk-xlsx",
    "pdesk-rule",
    "pdesk-sync-proto",
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (line comments and doc comments), so prose that names a
/// module is not taken for a dependency.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a source names through `crate::` paths, `crate::{a, b::c}` included.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// The names of the methods a source defines in `impl Store` blocks.
fn store_methods(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut depth_at_impl: Option<i32> = None;
    let mut depth = 0;
    for line in code.lines() {
        let trimmed = line.trim_start();
        if depth_at_impl.is_none() && trimmed.starts_with("impl Store {") {
            depth_at_impl = Some(depth);
        }
        if let Some(d) = depth_at_impl {
            if depth == d + 1 {
                let signature = trimmed
                    .trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub(super) ")
                    .trim_start_matches("pub ");
                if let Some(after) = signature.strip_prefix("fn ") {
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name);
                }
            }
        }
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        if depth_at_impl.is_some_and(|d| depth <= d) {
            depth_at_impl = None;
        }
    }
    out
}

/// `self.name(` or `store.name(` calls in a source.
fn calls(code: &str, name: &str) -> bool {
    ["self.", "store.", "self.store."]
        .iter()
        .any(|receiver| code.contains(&format!("{receiver}{name}(")))
}

struct Module {
    name: String,
    code: String,
}

fn core_modules() -> Vec<Module> {
    let src = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "lib.rs"))
        .map(|f| {
            let relative = f.strip_prefix(&src).expect("under src");
            let first = relative
                .components()
                .next()
                .expect("a path")
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&f).expect("read a source file");
            Module {
                name: first,
                code: code_of(&text),
            }
        })
        .collect()
}

/// Every dependency between the core's top-level modules, each with why (the path or call).
fn module_edges(modules: &[Module]) -> BTreeMap<(String, String), String> {
    let mut defined_in: BTreeMap<String, String> = BTreeMap::new();
    for m in modules {
        for method in store_methods(&m.code) {
            defined_in.insert(method, m.name.clone());
        }
    }
    let mut edges = BTreeMap::new();
    for m in modules {
        for used in crate_paths(&m.code) {
            if used != m.name {
                edges
                    .entry((m.name.clone(), used.clone()))
                    .or_insert(format!("crate::{used}"));
            }
        }
        for (method, owner) in &defined_in {
            if *owner != m.name && calls(&m.code, method) {
                edges
                    .entry((m.name.clone(), owner.clone()))
                    .or_insert(format!("Store::{method}"));
            }
        }
    }
    edges
}

#[test]
fn every_core_module_has_a_floor() {
    let missing: BTreeSet<String> = core_modules()
        .into_iter()
        .map(|m| m.name)
        .filter(|m| floor_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "give these modules a floor in FLOORS and ARCHITECTURE.md: {missing:?}"
    );
}

#[test]
fn no_core_module_reaches_a_higher_floor() {
    let modules = core_modules();
    let mut upward = Vec::new();
    for ((from, to), why) in module_edges(&modules) {
        let (Some(a), Some(b)) = (floor_of(&from), floor_of(&to)) else {
            continue;
        };
        if b > a {
            upward.push(format!(
                "{from} (floor {}) uses {to} (floor {}) through {why}",
                FLOORS[a].0, FLOORS[b].0
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "a lower floor must not import from a higher one:\n{}",
        upward.join("\n")
    );
}

#[test]
fn core_modules_have_no_import_cycle() {
    let modules = core_modules();
    let edges = module_edges(&modules);
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        if floor_of(to).is_some() {
            graph.entry(from).or_default().push(to);
        }
    }
    // Depth-first search; a node met again while on the stack closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = stack.iter().position(|n| *n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            let why: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    let reason = &edges[&(w[0].to_string(), w[1].to_string())];
                    format!("{} → {} ({reason})", w[0], w[1])
                })
                .collect();
            panic!("the core's modules form a cycle:\n{}", why.join("\n"));
        }
    }
}

/// The `[dependencies]` of a manifest (not dev- or build-dependencies): their names.
fn normal_dependencies(manifest: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            let name = line
                .split(['=', '.', ' '])
                .next()
                .unwrap_or_default()
                .trim();
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn our_crates_depend_only_downwards_and_never_on_tauri() {
    let crates = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("..");
    let mut problems = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&crates).expect("read crates/") {
        let manifest = entry.expect("an entry").path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_string())
            .expect("a package name");
        let Some((_, allowed)) = CRATES.iter().find(|(c, _)| *c == name) else {
            problems.push(format!(
                "{name} is not in the layering table (CRATES here, and ARCHITECTURE.md)"
            ));
            continue;
        };
        seen += 1;
        for dep in normal_dependencies(&text) {
            if dep.starts_with("pdesk-") && !allowed.contains(&dep.as_str()) {
                problems.push(format!("{name} must not depend on {dep}"));
            }
            if dep.starts_with("tauri") {
                problems.push(format!(
                    "{name} depends on {dep}: only src-tauri knows Tauri"
                ));
            }
            if NO_DATABASE.contains(&name.as_str()) && dep == "rusqlite" {
                problems.push(format!("{name} must stay pure and not depend on rusqlite"));
            }
        }
    }
    assert!(seen >= 3, "the crates folder was read ({seen} crates)");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_see_what_they_claim_to() {
    // The helpers above are what the rules stand on: show they find what they must.
    let code = code_of(
        "use crate::{audit, model::X};\n// crate::jobs in a comment\nlet a = crate::list::f();\n\
         impl Store {\n    pub fn limits_config(&self) {\n        if x { y }\n    }\n    fn other() {}\n}\n\
         fn free() {}\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["audit", "list", "model"].map(String::from).into(),
        "grouped and plain paths, not comments"
    );
    assert_eq!(
        store_methods(&code),
        ["limits_config", "other"].map(String::from).into(),
        "methods of impl Store only"
    );
    assert!(calls("let l = self.limits_config()?;", "limits_config"));
    assert!(!calls("let l = limits_config();", "limits_config"));
}
