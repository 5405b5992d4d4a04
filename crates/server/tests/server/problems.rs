//! Every refusal of a bad request: its documented problem+json answer, and nothing changed.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::support::{create, gid, TestServer};

async fn profiles(s: &TestServer) -> u64 {
    s.db(pdesk_server::admin::check).unwrap().profiles
}

fn raw_push(
    token: &str,
    body: Vec<u8>,
    content_type: &str,
    encoding: Option<&str>,
) -> Request<Body> {
    let mut request = Request::post("/v1/push")
        .header("Pdsync-Protocol", "1")
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", content_type);
    if let Some(e) = encoding {
        request = request.header("Content-Encoding", e);
    }
    request.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_request_without_the_protocol_header_or_of_another_version_is_refused() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    let none = s
        .send(
            Request::get("/v1/hello")
                .header("Authorization", format!("Bearer {}", lan.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::BAD_REQUEST, "unsupported_protocol".into())
    );
    let v2 = s
        .send(
            Request::get("/v1/hello")
                .header("Pdsync-Protocol", "2")
                .header("Authorization", format!("Bearer {}", lan.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(v2.code(), "unsupported_protocol");
    assert!(v2.json()["detail"]
        .as_str()
        .unwrap()
        .contains("update the app"));
}

#[tokio::test]
async fn malformed_json_unknown_kinds_and_broken_batches_change_nothing() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let bad = s
        .send(raw_push(
            &lan.token,
            b"{\"replica\": ".to_vec(),
            "application/json",
            None,
        ))
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let mut request =
        serde_json::to_value(lan.batch(vec![create(&gid(1), json!({"full_name": "An"}))])).unwrap();
    request["ops"][0]["kind"] = json!("profile.teleport");
    let unknown = s.post("/v1/push", Some(&lan.token), &request).await;
    assert_eq!(unknown.code(), "malformed");
    let mut request = lan.batch(vec![
        create(&gid(2), json!({"full_name": "An"})),
        create(&gid(3), json!({"full_name": "Bình"})),
    ]);
    request.ops[1].seq = 9;
    let (gap, _) = s.push_request(&lan, &request).await;
    assert_eq!(gap.code(), "malformed");
    let mut empty = lan.batch(vec![]);
    empty.ops.clear();
    assert_eq!(s.push_request(&lan, &empty).await.0.code(), "malformed");
    let wrong_type = s
        .send(raw_push(&lan.token, b"{}".to_vec(), "text/plain", None))
        .await;
    assert_eq!(
        (wrong_type.status, wrong_type.code()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".into()
        )
    );
    assert_eq!(profiles(&s).await, 0);
}

#[tokio::test]
async fn too_many_ops_too_large_a_body_and_a_gzip_bomb_are_413() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let many = lan.batch(
        (0..1001)
            .map(|n| create(&gid(n), json!({"full_name": "A"})))
            .collect(),
    );
    let (answer, _) = s.push_request(&lan, &many).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_many_ops".into())
    );
    assert_eq!(answer.json()["limit"], 1000);
    let big = vec![b' '; 1024 * 1024 + 10];
    let answer = s
        .send(raw_push(&lan.token, big, "application/json", None))
        .await;
    assert_eq!(answer.code(), "payload_too_large");
    // 9 MiB of spaces gzip to a few KiB: refused after inflating 8 MiB, not read whole.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 9 * 1024 * 1024]).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 64 * 1024);
    let answer = s
        .send(raw_push(&lan.token, bomb, "application/json", Some("gzip")))
        .await;
    assert_eq!(answer.code(), "payload_too_large");
    assert_eq!(answer.json()["limit"], 8 * 1024 * 1024);
    // A gzipped push within the limits is read (the refused batches used no seqs).
    lan.next_seq = 1;
    let request = lan.batch(vec![create(&gid(5000), json!({"full_name": "Gzip"}))]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&serde_json::to_vec(&request).unwrap())
        .unwrap();
    let answer = s
        .send(raw_push(
            &lan.token,
            gz.finish().unwrap(),
            "application/json",
            Some("gzip"),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(profiles(&s).await, 1);
}

#[tokio::test]
async fn an_op_over_32_kib_is_rejected_alone_and_the_queue_moves_on() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let (_, done) = s
        .push(
            &mut lan,
            vec![
                create(
                    &gid(1),
                    json!({"full_name": "An", "note": "x".repeat(40 * 1024)}),
                ),
                create(&gid(2), json!({"full_name": "Bình"})),
            ],
        )
        .await;
    let done = done.unwrap();
    let first = serde_json::to_value(&done.results[0]).unwrap();
    assert_eq!(
        (first["status"].clone(), first["code"].clone()),
        (json!("rejected"), json!("op_too_large"))
    );
    assert_eq!(done.results[1].outcome.status(), "applied");
    assert_eq!(done.acked_through, 2);
}

#[tokio::test]
async fn a_cursor_the_server_did_not_issue_is_malformed_and_unknown_routes_are_404() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    let answer = s.get("/v1/pull?cursor=not-a-cursor", &lan.token).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let answer = s.get("/v1/pull?cursor=x&limit=lots", &lan.token).await;
    assert_eq!(answer.code(), "malformed");
    let answer = s.get("/v2/hello", &lan.token).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

#[tokio::test]
async fn a_token_that_sends_too_fast_is_told_to_wait() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    // The clock stands still: the burst of 40 is all there is.
    let mut statuses = Vec::new();
    for _ in 0..41 {
        statuses.push(s.get("/v1/hello", &lan.token).await);
    }
    let last = statuses.last().unwrap();
    assert_eq!(
        (last.status, last.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    assert_eq!(last.headers["retry-after"], "1");
    assert!(statuses[..40].iter().all(|a| a.status == StatusCode::OK));
    s.clock.advance(1000);
    assert_eq!(s.get("/v1/hello", &lan.token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_second_push_of_one_replica_while_the_first_runs_is_409_in_progress() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let request = lan.batch(
        (0..300)
            .map(|n| create(&gid(n), json!({"full_name": format!("K {n}")})))
            .collect(),
    );
    let (a, b) = tokio::join!(s.push_request(&lan, &request), async {
        tokio::task::yield_now().await;
        s.push_request(&lan, &request).await
    });
    let codes = [a.0.status, b.0.status];
    // Either the second waited its turn and got the stored results, or it was told to retry.
    if codes.contains(&StatusCode::CONFLICT) {
        let refused = if a.0.status == StatusCode::CONFLICT {
            &a.0
        } else {
            &b.0
        };
        assert_eq!(refused.code(), "in_progress");
        assert_eq!(refused.headers["retry-after"], "1");
    } else {
        assert_eq!(codes, [StatusCode::OK, StatusCode::OK]);
    }
    assert_eq!(profiles(&s).await, 300);
}
