//! Linked CRM objects: created on the server, delivered inside the profile's state, moved by a
//! merge, removed by a delete.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{create, gid, op, TestServer};

#[tokio::test]
async fn a_linked_ticket_reaches_other_devices_with_its_profile_and_follows_a_merge() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let minh = s.sign_in("admin").await;
    let vy = s.sign_in("vy").await;
    let (a, b) = (gid(1), gid(2));
    s.push(
        &mut lan,
        vec![
            create(
                &a,
                json!({"full_name": "Hải", "phones": [{"raw": "0911111111"}]}),
            ),
            create(
                &b,
                json!({"full_name": "Hải", "emails": [{"raw": "hai@x.vn"}]}),
            ),
        ],
    )
    .await;
    let start = s.watermark(&minh).await;
    let ticket = json!({"profile": b, "kind": "ticket", "title": "Bảo hành máy lọc nước"});
    let created = s.post("/v1/links", Some(&lan.token), &ticket).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let created = created.json();
    assert_eq!(created["rev"], 2);
    assert_eq!(created["link"]["status"], "open");
    let (changes, cursor, _) = s.pull_all(&minh, &start).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0]["state"]["links"][0]["title"],
        "Bảo hành máy lọc nước"
    );
    assert_eq!(changes[0]["state"]["links"][0]["kind"], "ticket");
    // A Viewer may not link; an unknown profile is 404.
    let refused = s.post("/v1/links", Some(&vy.token), &ticket).await;
    assert_eq!(
        (refused.status, refused.json()["permission"].clone()),
        (StatusCode::FORBIDDEN, json!("profile.edit"))
    );
    let unknown = s
        .post(
            "/v1/links",
            Some(&lan.token),
            &json!({"profile": gid(99), "kind": "task", "title": "Gọi lại"}),
        )
        .await;
    assert_eq!(unknown.code(), "not_found");
    // Merged into a: the ticket moves to the survivor.
    let mut minh = minh;
    s.push(
        &mut minh,
        vec![op(json!({"kind": "profile.merge", "survivor": a, "absorbed": [b], "base_revs": {a.clone(): 1, b.clone(): 2}}))],
    )
    .await;
    let (changes, _, _) = s.pull_all(&minh, &cursor).await;
    let survivor = changes.iter().find(|c| c["gid"] == json!(a)).unwrap();
    assert_eq!(
        survivor["state"]["links"][0]["title"],
        "Bảo hành máy lọc nước"
    );
    // Deleted: the links go with it.
    s.push(&mut minh, vec![op(json!({"kind": "profile.delete", "gid": a, "base_rev": 2, "reason": "Customer request"}))])
        .await;
    let left = s
        .db(|db| db.read(|sql| sql.query_opt("SELECT COUNT(*) FROM links", &[])))
        .unwrap()
        .unwrap()
        .u64(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_link_needs_a_title() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    s.push(&mut lan, vec![create(&gid(1), json!({"full_name": "An"}))])
        .await;
    let answer = s
        .post(
            "/v1/links",
            Some(&lan.token),
            &json!({"profile": gid(1), "kind": "account", "title": "  "}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let answer = s
        .post(
            "/v1/links",
            Some(&lan.token),
            &json!({"profile": gid(1), "kind": "invoice", "title": "X"}),
        )
        .await;
    assert_eq!(answer.code(), "malformed");
}
