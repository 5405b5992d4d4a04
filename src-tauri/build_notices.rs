//! Licence notices of every third-party package that ships inside the app, generated at build
//! time (never by hand) into `$OUT_DIR/licence-notices.json` for the About dialog:
//!
//! - Rust crates: `cargo metadata --locked --offline --filter-platform $TARGET` (online when a
//!   fresh machine lacks other platforms' crates), walking the
//!   resolved graph from this package along normal dependencies only (build and dev
//!   dependencies do not ship), without our own workspace crates. Texts: the package's
//!   `LICENSE*`/`LICENCE*`/`COPYING*`/`NOTICE*` files from its source folder.
//! - npm packages: `package-lock.json` entries that are not `dev` — the `dependencies` of
//!   package.json, i.e. what Vite bundles into the UI. Texts from `node_modules` when present.
//!
//! Identical texts are stored once. The shape matches `pdesk_core::about::LicenceNotices`
//! (an IPC test parses the embedded file with it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const LICENCE_FILE_PREFIXES: &[&str] = &["LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE"];

struct Texts {
    by_content: HashMap<String, usize>,
    list: Vec<Value>,
}

impl Texts {
    fn add(&mut self, file_name: &str, text: String) -> usize {
        let key = text.trim().to_string();
        if let Some(&id) = self.by_content.get(&key) {
            return id;
        }
        let id = self.list.len();
        self.list
            .push(json!({ "id": id, "fileName": file_name, "text": key }));
        self.by_content.insert(key, id);
        id
    }

    /// Licence files in `dir` (not recursive), in name order.
    fn add_dir(&mut self, dir: &Path) -> Vec<usize> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_uppercase();
                p.is_file() && LICENCE_FILE_PREFIXES.iter().any(|x| name.starts_with(x))
            })
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                let name = p.file_name()?.to_string_lossy().into_owned();
                Some(self.add(&name, text))
            })
            .collect()
    }
}

pub fn generate(root: &Path, out: &Path) -> Result<(), String> {
    let mut texts = Texts {
        by_content: HashMap::new(),
        list: Vec::new(),
    };
    let mut packages = crates(root, &mut texts)?;
    packages.extend(npm(root, &mut texts)?);
    let doc = json!({ "packages": packages, "texts": texts.list });
    std::fs::write(out, doc.to_string()).map_err(|e| format!("{}: {e}", out.display()))
}

fn crates(root: &Path, texts: &mut Texts) -> Result<Vec<Value>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var("TARGET").map_err(|e| format!("TARGET: {e}"))?;
    let metadata = |offline: bool| {
        let mut c = Command::new(&cargo);
        c.args(["metadata", "--format-version", "1", "--locked"]);
        if offline {
            c.arg("--offline");
        }
        c.args(["--filter-platform", &target, "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .output()
            .map_err(|e| format!("cargo metadata: {e}"))
    };
    let mut output = metadata(true)?;
    if !output.status.success() {
        // Metadata reads every crate of Cargo.lock, also those only other platforms build
        // (the HTTP client's Android and Windows certificate code), which a build on a fresh
        // machine has not downloaded: fetch them from the registry this once.
        output = metadata(false)?;
    }
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let meta: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let by_id: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root_id = by_id
        .values()
        .find(|p| p["name"] == env!("CARGO_PKG_NAME") && p["source"].is_null())
        .and_then(|p| p["id"].as_str())
        .ok_or("this package is not in cargo metadata")?;
    // Walk normal (shipping) dependency edges only.
    let mut seen = BTreeSet::new();
    let mut todo = vec![root_id];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes
            .get(id)
            .and_then(|n| n["deps"].as_array())
            .into_iter()
            .flatten()
        {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if normal {
                if let Some(pkg) = dep["pkg"].as_str() {
                    todo.push(pkg);
                }
            }
        }
    }
    let mut out = Vec::new();
    for id in seen {
        let Some(p) = by_id.get(id) else { continue };
        if p["source"].is_null() {
            continue; // our own workspace crates
        }
        let dir = Path::new(p["manifest_path"].as_str().unwrap_or_default())
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut text_ids = texts.add_dir(&dir);
        if let Some(file) = p["license_file"].as_str() {
            if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
                let id = texts.add(file, text);
                if !text_ids.contains(&id) {
                    text_ids.push(id);
                }
            }
        }
        out.push(json!({
            "ecosystem": "crate",
            "name": p["name"],
            "version": p["version"],
            "license": p["license"].as_str().unwrap_or("see licence file"),
            "repository": p["repository"],
            "authors": p["authors"],
            "textIds": text_ids,
        }));
    }
    Ok(out)
}

fn npm(root: &Path, texts: &mut Texts) -> Result<Vec<Value>, String> {
    let lock = root.join("package-lock.json");
    let Ok(bytes) = std::fs::read(&lock) else {
        return Ok(Vec::new());
    };
    let lock: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("package-lock.json: {e}"))?;
    let mut out = Vec::new();
    for (key, p) in lock["packages"].as_object().into_iter().flatten() {
        let Some(name) = key
            .rsplit("node_modules/")
            .next()
            .filter(|_| !key.is_empty())
        else {
            continue;
        };
        if p["dev"].as_bool().unwrap_or(false) || p["link"].as_bool().unwrap_or(false) {
            continue;
        }
        let dir = root.join(key);
        let text_ids = texts.add_dir(&dir);
        let pkg: Value = std::fs::read(dir.join("package.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        let repository = match &pkg["repository"] {
            Value::String(s) => json!(s),
            Value::Object(o) => o.get("url").cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        };
        let authors = match &pkg["author"] {
            Value::String(s) => json!([s]),
            Value::Object(o) => json!([o.get("name").cloned().unwrap_or(Value::Null)]),
            _ => json!([]),
        };
        out.push(json!({
            "ecosystem": "npm",
            "name": name,
            "version": p["version"],
            "license": p["license"].as_str().unwrap_or("see licence file"),
            "repository": repository,
            "authors": authors,
            "textIds": text_ids,
        }));
    }
    Ok(out)
}
