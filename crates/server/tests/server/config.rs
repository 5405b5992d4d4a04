//! The config devices follow (SYNC.md §4.2: rule settings, the field catalogue and consent
//! channels are server-authoritative): `config set` checks an edit with the rule crate's
//! bounds, changes nothing when it is wrong, and otherwise reaches devices through `hello`
//! and the feed.

use pdesk_server::accounts::AdminError;
use pdesk_server::admin;
use pdesk_server::config::ServerConfig;
use serde_json::json;

use crate::support::{create, gid, TestServer};

#[tokio::test]
async fn a_config_edit_is_checked_then_reaches_devices_through_hello_and_pull() {
    let s = TestServer::new();
    let mut lan = s.sign_in("lan").await;
    let minh = s.sign_in("admin").await;
    let start = s.watermark(&minh).await;
    let current = s.db(|db| db.read(|sql| ServerConfig::load(sql))).unwrap();

    // Wrong edits are refused by name and change nothing.
    let mut hidden_name = current.editable();
    hidden_name
        .fields
        .iter_mut()
        .find(|f| f.key == "full_name")
        .unwrap()
        .hidden = true;
    let mut no_keys = current.editable();
    no_keys.keys.clear();
    let mut zero_phones = current.editable();
    zero_phones.guards.max_phones = 0;
    for (edit, says) in [
        (hidden_name, "full_name"),
        (no_keys, "keys"),
        (zero_phones, "maxPhones"),
    ] {
        match s.db(|db| admin::set_config(db, edit)) {
            Err(AdminError::Refused(r)) => assert!(r.0.contains(says), "{}", r.0),
            other => panic!("expected a refusal naming {says}, got {other:?}"),
        }
    }
    assert_eq!(
        s.db(|db| db.read(|sql| ServerConfig::load(sql))).unwrap(),
        current
    );

    // A shop's switchboard number becomes a blocked value and Zalo a consent channel.
    let mut edit = current.editable();
    edit.guards.blocked.push("0283 456 7890".into());
    edit.channels.push(pdesk_server::config::Channel {
        key: "zalo".into(),
        label: "Zalo".into(),
    });
    let next = s.db(|db| admin::set_config(db, edit)).unwrap();
    assert_eq!(next.version, current.version + 1);
    assert_eq!(next.channels_version, current.channels_version + 1);
    assert_eq!(
        next.catalog_version, current.catalog_version,
        "fields unchanged"
    );
    let hello = s.get("/v1/hello", &lan.token).await.json();
    assert_eq!(hello["config"]["version"], json!(next.version));
    let (changes, _, _) = s.pull_all(&minh, &start).await;
    let config = changes.iter().find(|c| c["type"] == "config").unwrap();
    assert_eq!(config["version"], json!(next.version));
    assert!(config["channels"].to_string().contains("zalo"));

    // The rule follows at once: two customers who only share the switchboard stay apart.
    let (_, first) = s
        .push(&mut lan, vec![create(&gid(1), json!({"full_name": "Lê Hoa", "phones": [{"raw": "028 3456 7890"}], "emails": [{"raw": "hoa@shop.vn"}]}))])
        .await;
    let (_, second) = s
        .push(&mut lan, vec![create(&gid(2), json!({"full_name": "Phạm Tú", "phones": [{"raw": "(028) 3456-7890"}], "emails": [{"raw": "tu@shop.vn"}]}))])
        .await;
    let status = |done: &Option<pdesk_sync_proto::push::PushResponse>| {
        done.as_ref().unwrap().results[0].outcome.status()
    };
    assert_eq!((status(&first), status(&second)), ("applied", "applied"));
}
