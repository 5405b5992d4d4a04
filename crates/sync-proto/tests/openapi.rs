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

/// The keys of a path item that are operations (the others: `parameters`, `summary`, …).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn docs() -> PathBuf {
    PathBuf::from(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
        .join("../../docs/sync")
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
    let first_difference = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(committed.lines().count().min(generated.lines().count()));
    assert!(
        committed == generated,
        "docs/sync/pdsync-v1.json drifted from the types of crates/sync-proto (first difference \
         at line {}): run `cargo xtask gen` and commit it",
        first_difference + 1
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

/// What is structurally wrong with an OpenAPI document: dangling `$ref`s, operations without
/// a success response or with an error that is not a problem, undeclared path parameters.
fn structural_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let no_schemas = serde_json::Map::new();
    let schemas = doc["components"]["schemas"]
        .as_object()
        .unwrap_or(&no_schemas);
    let mut all_refs = BTreeSet::new();
    refs(doc, &mut all_refs);
    for target in &all_refs {
        match target.strip_prefix("#/components/schemas/") {
            Some(name) if schemas.contains_key(name) => {}
            _ => problems.push(format!("{target} is referenced but not defined")),
        }
    }
    let no_paths = serde_json::Map::new();
    for (path, item) in doc["paths"].as_object().unwrap_or(&no_paths) {
        let protocol_header = item["parameters"].as_array().is_some_and(|ps| {
            ps.iter()
                .any(|p| p["name"] == "Pdsync-Protocol" && p["in"] == "header")
        });
        if !protocol_header {
            problems.push(format!(
                "{path} does not declare the Pdsync-Protocol header"
            ));
        }
        let operations = item.as_object().into_iter().flatten();
        for (method, operation) in operations.filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let Some(responses) = operation["responses"].as_object() else {
                problems.push(format!("{method} {path} has no responses"));
                continue;
            };
            if responses.keys().filter(|s| s.starts_with('2')).count() != 1 {
                problems.push(format!(
                    "{method} {path} has not exactly one success response"
                ));
            }
            for (status, response) in responses {
                if !response["description"].is_string() {
                    problems.push(format!("{method} {path} {status} has no description"));
                }
                let problem = &response["content"]["application/problem+json"]["schema"]["$ref"];
                if !status.starts_with('2') && problem != "#/components/schemas/Problem" {
                    problems.push(format!(
                        "{method} {path} {status} does not answer a Problem"
                    ));
                }
            }
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(['{', '}']);
                let declared = operation["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
                if !declared {
                    problems.push(format!("{method} {path} does not declare {{{name}}}"));
                }
            }
        }
    }
    problems
}

#[test]
fn the_document_is_structurally_sound() {
    let doc: Value = serde_json::from_str(&document_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut all_refs = BTreeSet::new();
    refs(&doc, &mut all_refs);
    assert!(
        all_refs.len() > 40,
        "the document references its schemas ({})",
        all_refs.len()
    );
    assert_eq!(structural_problems(&doc), Vec::<String>::new());

    let found: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().unwrap().keys();
            methods
                .filter(|m| METHODS.contains(&m.as_str()))
                .map(move |m| (path.clone(), m.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("/v1/devices", "post"),
        ("/v1/devices/{id}", "delete"),
        ("/v1/token", "post"),
        ("/v1/replicas/{id}", "get"),
        ("/v1/hello", "get"),
        ("/v1/push", "post"),
        ("/v1/pull", "get"),
        ("/v1/snapshot", "get"),
        ("/v1/buckets/{b}", "get"),
        // Issue 12: linked CRM objects (docs/sync/decisions.md 32).
        ("/v1/links", "post"),
        // Issue 13: one profile as the server has it, for *Discard* (decision 49).
        ("/v1/profiles/{gid}", "get"),
    ]
    .into_iter()
    .map(|(p, m)| (p.to_string(), m.to_string()))
    .collect();
    assert_eq!(
        found, expected,
        "the endpoints of SYNC.md §4, the links route and the one-profile read"
    );
    assert_eq!(
        doc["paths"]["/v1/devices"]["post"]["security"],
        serde_json::json!([{}]),
        "registering a device needs no access token"
    );
}

#[test]
fn the_structural_check_sees_what_it_claims_to() {
    let broken = serde_json::json!({
        "openapi": "3.1.0",
        "paths": {
            "/v1/a/{id}": {"get": {"responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}},
                "409": {"description": "conflict", "content": {"application/json": {"schema": {"type": "object"}}}}
            }}},
            "/v1/b": {"post": {}, "parameters": [{"name": "Pdsync-Protocol", "in": "header"}]}
        },
        "components": {"schemas": {}}
    });
    assert_eq!(
        structural_problems(&broken),
        [
            "#/components/schemas/Gone is referenced but not defined",
            "/v1/a/{id} does not declare the Pdsync-Protocol header",
            "get /v1/a/{id} 409 does not answer a Problem",
            "get /v1/a/{id} does not declare {id}",
            "post /v1/b has no responses",
        ]
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
