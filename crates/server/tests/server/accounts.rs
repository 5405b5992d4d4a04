//! Devices and tokens: registration, rotation, reuse detection, expiry, revocation, roles.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestServer, PASSWORD};

#[tokio::test]
async fn a_wrong_password_registers_nothing() {
    let s = TestServer::new();
    let answer = s
        .post("/v1/devices", None, &json!({"user": "lan", "password": "wrong password", "device_name": "x", "platform": "linux"}))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "invalid_credentials");
    assert_eq!(answer.headers["content-type"], "application/problem+json");
    let devices = s
        .db(|db| db.read(|sql| pdesk_server::accounts::list_devices(sql)))
        .unwrap();
    assert!(devices.is_empty());
}

#[tokio::test]
async fn the_refresh_token_rotates_and_a_reused_one_signs_the_device_out() {
    let s = TestServer::new();
    let device = s.sign_in("lan").await;
    // `sign_in` spent the registration's token; the new one works once.
    let next = s
        .post("/v1/token", None, &json!({"refresh_token": device.refresh}))
        .await;
    assert_eq!(next.status, StatusCode::OK);
    // Presented again after the minute in which a lost answer is forgiven: reuse.
    s.clock
        .advance(pdesk_server::accounts::REFRESH_RETRY_GRACE_MS);
    let again = s
        .post("/v1/token", None, &json!({"refresh_token": device.refresh}))
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.code(), "refresh_reused");
    // The device is revoked: its newest refresh token and its access token stop working too.
    let newest = next.json()["refresh_token"].as_str().unwrap().to_string();
    let after = s
        .post("/v1/token", None, &json!({"refresh_token": newest}))
        .await;
    assert_eq!(after.code(), "device_revoked");
    let hello = s.get("/v1/hello", &device.token).await;
    assert_eq!(hello.status, StatusCode::FORBIDDEN);
    assert_eq!(hello.code(), "device_revoked");
}

/// A device that crashed (or lost the connection) after the server rotated its refresh token
/// never learnt the new one: within a minute, its last token is taken again — once, not an
/// older one — and the device is not signed out.
#[tokio::test]
async fn a_refresh_whose_answer_was_lost_is_answered_again_within_a_minute() {
    let s = TestServer::new();
    let device = s.sign_in("lan").await;
    let lost = s
        .post("/v1/token", None, &json!({"refresh_token": device.refresh}))
        .await;
    assert_eq!(lost.status, StatusCode::OK);
    s.clock.advance(5_000);
    let retried = s
        .post("/v1/token", None, &json!({"refresh_token": device.refresh}))
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.json());
    let newest = retried.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    // The answer that was lost holds a token that no longer works; the device goes on.
    let stale = lost.json()["refresh_token"].as_str().unwrap().to_string();
    let token = s
        .post("/v1/token", None, &json!({"refresh_token": newest}))
        .await;
    assert_eq!(token.status, StatusCode::OK);
    let hello = s
        .get("/v1/hello", token.json()["access_token"].as_str().unwrap())
        .await;
    assert_eq!(hello.status, StatusCode::OK);
    // A token two refreshes old is reuse, within the minute too: the device is signed out.
    let old = s
        .post("/v1/token", None, &json!({"refresh_token": stale}))
        .await;
    assert_eq!(old.code(), "refresh_reused");
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let s = TestServer::new();
    let device = s.sign_in("lan").await;
    assert_eq!(
        s.get("/v1/hello", &device.token).await.status,
        StatusCode::OK
    );
    s.clock.advance(15 * 60 * 1000);
    let expired = s.get("/v1/hello", &device.token).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.code(), "token_expired");
    assert_eq!(expired.json()["retryable"], true);
}

#[tokio::test]
async fn hello_says_who_the_user_is_and_what_they_may_do() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    let hello = s.get("/v1/hello", &lan.token).await.json();
    assert_eq!(hello["protocol"], json!({"min": 1, "max": 1}));
    assert_eq!(hello["user"]["roles"], json!(["Sales"]));
    let permissions = hello["user"]["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("profile.create")));
    assert!(!permissions.contains(&json!("profile.delete")));
    assert_eq!(hello["limits"]["max_ops"], 1000);
    assert_eq!(
        hello["config"]["rule"]["keys"],
        json!(["phone", "email", "customer_code"])
    );
    assert_eq!(hello["server_time"], "2026-12-02T10:00:00Z");
    assert_eq!(hello["device"]["id"], json!(lan.id));
    assert_eq!(hello["device"]["last_seq"], 0);
}

#[tokio::test]
async fn a_user_revokes_their_own_device_but_not_a_colleagues() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    let vy = s.sign_in("vy").await;
    let path = format!("/v1/devices/{}", lan.id);
    let refused = s
        .send(
            axum::http::Request::delete(&path)
                .header("Pdsync-Protocol", "1")
                .header("Authorization", format!("Bearer {}", vy.token))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "forbidden");
    let done = s
        .send(
            axum::http::Request::delete(&path)
                .header("Pdsync-Protocol", "1")
                .header("Authorization", format!("Bearer {}", lan.token))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert_eq!(
        s.get("/v1/hello", &lan.token).await.code(),
        "device_revoked"
    );
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out() {
    let s = TestServer::new();
    let lan = s.sign_in("lan").await;
    s.db(|db| db.write(|sql| pdesk_server::accounts::deactivate(sql, "lan")))
        .unwrap();
    assert_eq!(
        s.get("/v1/hello", &lan.token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = s
        .post(
            "/v1/devices",
            None,
            &json!({"user": "lan", "password": PASSWORD, "device_name": "x", "platform": "linux"}),
        )
        .await;
    assert_eq!(again.code(), "invalid_credentials");
}
