//! `docs/sync/pdsync-v1.json` is what the Rust types generate (drift test), and it is a
//! sound OpenAPI 3.1 document: every operation has responses, every `$ref` resolves, every
//! error code of the protocol appears in it and in `docs/sync/protocol.md`.
//!
//! `PDSYNC_WRITE_OPENAPI=1` makes the drift test write the file instead (`cargo xtask gen`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use pdesk_sync_proto::openapi::document_json;
use pdesk_sync_proto::problem::ProblemCode;
use serde_json::Value;

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/sync")
}

#[test]
fn the_committed_document_is_what_the_types_generate() {
    let path = docs().join("pdsync-v1.json");
    let generated = document_json();
    if std::env::var_os("PDSYNC_WRITE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/sync/pdsync-v1.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/sync/pdsync-v1.json drifted from the types of crates/sync-proto: run `cargo xtask \
         gen` and commit it (the first differing line: {:?})",
        committed
            .lines()
            .zip(generated.lines())
            .find(|(a, b)| a != b)
            .or(Some(("<end of one file>", "")))
    );
}

fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(target)) = object.get("$ref") {
                out.insert(target.clone());
            }
            object.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_document_is_structurally_sound() {
    let doc: Value = serde_json::from_str(&document_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");

    let mut all_refs = BTreeSet::new();
    refs(&doc, &mut all_refs);
    assert!(
        all_refs.len() > 40,
        "the document references its schemas ({})",
        all_refs.len()
    );
    for target in &all_refs {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target} points outside the schemas"));
        assert!(
            schemas.contains_key(name),
            "{target} is referenced but not defined"
        );
    }

    let paths = doc["paths"].as_object().expect("paths");
    let expected = [
        ("/v1/devices", "post"),
        ("/v1/devices/{id}", "delete"),
        ("/v1/token", "post"),
        ("/v1/replicas/{id}", "get"),
        ("/v1/hello", "get"),
        ("/v1/push", "post"),
        ("/v1/pull", "get"),
        ("/v1/snapshot", "get"),
        ("/v1/buckets/{b}", "get"),
    ];
    let found: BTreeSet<_> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (path.as_str(), m.as_str()))
        })
        .collect();
    assert_eq!(
        found,
        expected.into_iter().collect(),
        "the endpoints of SYNC.md §4"
    );

    for (path, method) in expected {
        let operation = &paths[path][method];
        let responses = operation["responses"].as_object().expect("responses");
        let success = responses.keys().filter(|s| s.starts_with('2')).count();
        assert_eq!(success, 1, "{method} {path} has one success response");
        for (status, response) in responses {
            assert!(
                response["description"].is_string(),
                "{method} {path} {status}"
            );
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {path} {status} answers a problem"
                );
            }
        }
        // Path parameters are declared.
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(['{', '}']);
            let declared = operation["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
            assert!(
                declared,
                "{method} {path} declares its path parameter {name}"
            );
        }
    }
    assert_eq!(
        paths["/v1/devices"]["post"]["security"],
        serde_json::json!([{}]),
        "registering a device needs no access token"
    );
}

#[test]
fn every_problem_code_is_documented_with_its_status_and_duty() {
    let doc: Value = serde_json::from_str(&document_json()).unwrap();
    let codes: BTreeSet<&str> = doc["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .expect("ProblemCode is an enum")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let ours: BTreeSet<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, ours, "ProblemCode::ALL lists every code");

    let page = std::fs::read_to_string(docs().join("protocol.md")).expect("docs/sync/protocol.md");
    for code in ProblemCode::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.status());
        assert!(
            page.contains(&row),
            "protocol.md's table of errors has the row {row}"
        );
        let retry = if code.retryable() { "yes" } else { "no" };
        let full = format!("{row} {retry} | {} |", code.client_duty());
        assert!(
            page.contains(&full),
            "protocol.md states for {} exactly: {full}",
            code.as_str()
        );
    }
}
