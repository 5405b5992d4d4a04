//! Users, roles and sign-in (SPEC 7.2): the first run, Argon2id hashes, sign-in with a pause
//! after wrong passwords, users and custom roles, the last-manager rule, the command line's
//! password story, the idle lock setting — each change audited.

use pdesk_core::model::Lang;
use pdesk_core::users::{FirstRunSetup, NewUser, SignInPurpose, UserUpdate};
use pdesk_core::{Error, Permission, Store};

use crate::{test_store, TestStore};

const PASSWORD: &str = "correct horse battery";

fn audit_rows(store: &Store) -> Vec<(String, String, String, String)> {
    let conn = rusqlite::Connection::open(store.path()).expect("open the file");
    let mut stmt = conn
        .prepare("SELECT actor, action, target, details FROM audit_log ORDER BY id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    rows
}

fn actions(store: &Store) -> Vec<String> {
    audit_rows(store).into_iter().map(|r| r.1).collect()
}

fn set_up(t: &mut TestStore) {
    t.store
        .complete_first_run(&FirstRunSetup {
            name: "lan".into(),
            display_name: "Trần Thị Lan".into(),
            password: PASSWORD.into(),
            region: "VN".into(),
        })
        .expect("first run");
    t.admin = t.store.actor(Some("lan")).expect("the administrator");
}

fn add(t: &mut TestStore, name: &str, role: &str) {
    let admin = t.admin.clone();
    t.store
        .create_user(
            &admin,
            &NewUser {
                name: name.into(),
                display_name: String::new(),
                role: role.into(),
                password: format!("{name}-password-1"),
            },
        )
        .expect("user added");
}

#[test]
fn the_first_run_names_the_administrator_sets_a_password_and_the_region() {
    let mut t = test_store();
    assert!(
        t.store.needs_first_run().unwrap(),
        "a new store asks for its administrator"
    );
    assert_eq!(
        t.store.sole_user().unwrap(),
        None,
        "nobody can sign in yet: no password"
    );
    let weak = FirstRunSetup {
        name: "lan".into(),
        display_name: String::new(),
        password: "short".into(),
        region: "VN".into(),
    };
    let err = t
        .store
        .complete_first_run(&weak)
        .expect_err("weak password");
    assert_eq!(
        err.to_string(),
        "A password needs at least 8 characters",
        "the password rule is named"
    );
    let err = t
        .store
        .complete_first_run(&FirstRunSetup {
            password: PASSWORD.into(),
            region: "XX".into(),
            ..weak.clone()
        })
        .expect_err("unknown region");
    assert!(err.to_string().contains("XX"), "names the region: {err}");
    t.store
        .complete_first_run(&FirstRunSetup {
            name: "  lan ".into(),
            display_name: "Trần Thị Lan".into(),
            password: PASSWORD.into(),
            region: "TH".into(),
        })
        .expect("set up");
    assert!(!t.store.needs_first_run().unwrap(), "done once");
    assert_eq!(
        t.store.sync_settings().unwrap().region.iso,
        "TH",
        "the default phone region chosen on the first run"
    );
    assert_eq!(
        t.store.sole_user().unwrap().as_deref(),
        Some("lan"),
        "the only user opens the app without a sign-in screen"
    );
    let err = t
        .store
        .complete_first_run(&FirstRunSetup {
            password: PASSWORD.into(),
            ..weak
        })
        .expect_err("twice");
    assert!(err.to_string().contains("already set up"), "{err}");
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let (name, display, hash): (String, String, String) = conn
        .query_row(
            "SELECT name, display_name, password_hash FROM users",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (name.as_str(), display.as_str()),
        ("lan", "Trần Thị Lan"),
        "trimmed names"
    );
    assert!(
        hash.starts_with("$argon2id$"),
        "an Argon2id PHC string: {hash}"
    );
    assert!(!hash.contains(PASSWORD), "never the password itself");
    assert_eq!(
        actions(&t.store),
        ["auth.first_run"],
        "the first run is audited"
    );
}

#[test]
fn sign_in_checks_the_password_and_pauses_after_five_wrong_ones() {
    let mut t = test_store();
    set_up(&mut t);
    let actor = t
        .store
        .sign_in("lan", PASSWORD, SignInPurpose::SignIn)
        .expect("the right password");
    assert_eq!(
        actor.role, "Administrator",
        "signed in as the administrator"
    );
    for attempt in 1..=4 {
        let err = t
            .store
            .sign_in("lan", "wrong password", SignInPurpose::SignIn)
            .expect_err("wrong");
        assert_eq!(err.code(), "auth", "attempt {attempt}: an auth error");
        assert_eq!(
            err.to_string(),
            "Wrong password for “lan”",
            "attempt {attempt}"
        );
        assert_eq!(
            err.details(),
            serde_json::json!({ "reason": "wrongPassword", "name": "lan" }),
            "attempt {attempt}: the UI words it from the reason and the name"
        );
    }
    let err = t
        .store
        .sign_in("lan", "wrong password", SignInPurpose::SignIn)
        .expect_err("fifth");
    assert!(
        err.to_string().contains("pauses for 30 seconds"),
        "the pause is announced: {err}"
    );
    assert_eq!(
        err.details(),
        serde_json::json!({
            "reason": "wrongPasswordPaused",
            "name": "lan",
            "attempts": 5,
            "seconds": 30,
        })
    );
    let err = t
        .store
        .sign_in("lan", PASSWORD, SignInPurpose::SignIn)
        .expect_err("paused");
    assert!(
        err.to_string().contains("try again in"),
        "even the right password waits out the pause: {err}"
    );
    assert_eq!(err.details()["reason"], "signInPaused", "{err}");
    assert!(
        err.details()["seconds"].as_i64().is_some_and(|s| s > 0),
        "the seconds left, as a number: {:?}",
        err.details()
    );
    let err = t
        .store
        .sign_in("nobody", PASSWORD, SignInPurpose::SignIn)
        .expect_err("unknown");
    assert!(
        err.to_string().contains("nobody"),
        "names the unknown user: {err}"
    );
    assert_eq!(
        (err.code(), err.details()),
        (
            "auth",
            serde_json::json!({ "reason": "noSuchUser", "name": "nobody" })
        )
    );
    let acts = actions(&t.store);
    assert_eq!(
        acts.iter().filter(|a| *a == "auth.sign_in_failed").count(),
        5,
        "every wrong password is audited"
    );
    assert!(
        acts.contains(&"auth.sign_in".to_string()),
        "the sign-in is audited"
    );
    assert!(
        audit_rows(&t.store)
            .iter()
            .all(|r| !r.3.contains("wrong password")),
        "no typed password ever reaches the audit log"
    );
}

#[test]
fn each_wrong_password_after_the_fifth_doubles_the_pause_and_a_restart_does_not_reset_it() {
    use std::sync::Arc;
    use time::Duration;
    let clock = Arc::new(pdesk_core::clock::FakeClock::default());
    let mut t = pdesk_testkit::temp_store_on(clock.clone());
    t.store
        .complete_first_run(&FirstRunSetup {
            name: "lan".into(),
            display_name: String::new(),
            password: PASSWORD.into(),
            region: "VN".into(),
        })
        .expect("first run");
    let wrong = |store: &mut Store| {
        store
            .sign_in("lan", "wrong password", SignInPurpose::SignIn)
            .expect_err("wrong")
            .to_string()
    };
    for _ in 1..5 {
        wrong(&mut t.store);
    }
    assert!(wrong(&mut t.store).contains("pauses for 30 seconds"));
    clock.advance(Duration::seconds(31));
    assert!(
        wrong(&mut t.store).contains("pauses for 60 seconds"),
        "the sixth doubles it"
    );

    // Quitting and starting again (the app or pdesk) does not reset the count or the pause.
    let (dir, db) = t.close();
    let mut store = Store::open_with_clock(&db, clock.clone()).expect("reopen");
    let err = store
        .sign_in("lan", PASSWORD, SignInPurpose::SignIn)
        .expect_err("still paused");
    assert!(err.to_string().contains("try again in 60 seconds"), "{err}");
    clock.advance(Duration::seconds(61));
    assert!(
        wrong(&mut store).contains("pauses for 120 seconds"),
        "the seventh doubles it again"
    );
    for _ in 0..20 {
        clock.advance(Duration::hours(2));
        wrong(&mut store);
    }
    clock.advance(Duration::hours(2));
    assert!(
        wrong(&mut store).contains("pauses for 3600 seconds"),
        "never more than an hour"
    );
    clock.advance(Duration::hours(2));
    store
        .sign_in("lan", PASSWORD, SignInPurpose::SignIn)
        .expect("the right password after the pause");
    assert!(
        wrong(&mut store).ends_with("Wrong password for “lan”"),
        "a right password starts the count again"
    );
    drop(dir);
}

#[test]
fn a_second_user_brings_the_sign_in_screen_and_unlock_is_audited() {
    let mut t = test_store();
    set_up(&mut t);
    add(&mut t, "sam", "Sales");
    assert_eq!(
        t.store.sole_user().unwrap(),
        None,
        "two users: the sign-in screen"
    );
    let names: Vec<String> = t
        .store
        .sign_in_users()
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["lan", "sam"], "both are offered");
    let sam = t
        .store
        .sign_in("sam", "sam-password-1", SignInPurpose::Unlock)
        .expect("sam's password");
    assert_eq!(sam.role, "Sales", "with sam's role");
    assert!(!sam.can(Permission::ProfileDelete), "Sales cannot delete");
    t.store.record_session_end(&sam, true).unwrap();
    t.store.record_session_end(&sam, false).unwrap();
    let tail: Vec<String> = actions(&t.store).into_iter().rev().take(3).collect();
    assert_eq!(
        tail,
        ["auth.sign_out", "auth.lock", "auth.unlock"],
        "lock, unlock and sign-out are audited"
    );
}

#[test]
fn users_are_added_changed_and_the_last_manager_is_kept() {
    let mut t = test_store();
    set_up(&mut t);
    let admin = t.admin.clone();
    add(&mut t, "sam", "Sales");
    let err = t
        .store
        .create_user(
            &admin,
            &NewUser {
                name: "SAM".into(),
                display_name: String::new(),
                role: "Viewer".into(),
                password: "another-password".into(),
            },
        )
        .expect_err("same name, other case");
    assert!(err.to_string().contains("already exists"), "{err}");
    let err = t
        .store
        .create_user(
            &admin,
            &NewUser {
                name: "vera".into(),
                display_name: String::new(),
                role: "Auditor".into(),
                password: "vera-password".into(),
            },
        )
        .expect_err("unknown role");
    assert!(err.to_string().contains("Auditor"), "names the role: {err}");
    let sam = t
        .store
        .update_user(
            &admin,
            "sam",
            &UserUpdate {
                display_name: Some("Sam Nguyễn".into()),
                role: Some("Viewer".into()),
                active: None,
            },
        )
        .expect("changed");
    assert_eq!(
        (sam.display_name.as_str(), sam.role.as_str()),
        ("Sam Nguyễn", "Viewer"),
        "{sam:?}"
    );
    let now = t.store.actor(Some("sam")).unwrap();
    assert!(
        !now.can(Permission::ProfileCreate),
        "the new role applies at once to the next operation"
    );
    let err = t
        .store
        .update_user(
            &admin,
            "lan",
            &UserUpdate {
                role: Some("Sales".into()),
                ..Default::default()
            },
        )
        .expect_err("last manager");
    assert!(
        err.to_string()
            .contains("last active user who can manage settings"),
        "{err}"
    );
    let err = t
        .store
        .update_user(
            &admin,
            "lan",
            &UserUpdate {
                active: Some(false),
                ..Default::default()
            },
        )
        .expect_err("deactivating the last manager");
    assert!(err.to_string().contains("last active user"), "{err}");
    assert_eq!(
        t.store.actor(Some("lan")).unwrap().role,
        "Administrator",
        "nothing changed"
    );
    t.store
        .update_user(
            &admin,
            "sam",
            &UserUpdate {
                active: Some(false),
                ..Default::default()
            },
        )
        .expect("deactivated");
    let err = t
        .store
        .sign_in("sam", "sam-password-1", SignInPurpose::SignIn)
        .expect_err("deactivated");
    assert!(err.to_string().contains("deactivated"), "{err}");
    let acts = actions(&t.store);
    assert_eq!(
        acts.iter().filter(|a| *a == "user.update").count(),
        2,
        "each change audited"
    );
}

#[test]
fn passwords_are_changed_by_their_owner_or_an_administrator() {
    let mut t = test_store();
    set_up(&mut t);
    add(&mut t, "sam", "Sales");
    add(&mut t, "vera", "Viewer");
    let sam = t.store.actor(Some("sam")).unwrap();
    let err = t
        .store
        .set_password(&sam, "sam", "new-password-2", Some("not it"))
        .expect_err("wrong current password");
    assert_eq!(err.code(), "validation", "{err}");
    t.store
        .set_password(&sam, "sam", "new-password-2", Some("sam-password-1"))
        .expect("own password");
    t.store
        .sign_in("sam", "new-password-2", SignInPurpose::SignIn)
        .expect("the new password works");
    let err = t
        .store
        .set_password(&sam, "vera", "hijacked-password", None)
        .expect_err("someone else's");
    assert!(
        matches!(
            err,
            Error::Permission {
                permission: "settings.manage",
                ..
            }
        ),
        "{err}"
    );
    let admin = t.admin.clone();
    t.store
        .set_password(&admin, "vera", "reset-by-admin", None)
        .expect("an administrator resets it");
    t.store
        .sign_in("vera", "reset-by-admin", SignInPurpose::SignIn)
        .expect("the reset password works");
    assert!(
        audit_rows(&t.store)
            .iter()
            .all(|r| !r.3.contains("reset-by-admin") && !r.3.contains("new-password-2")),
        "passwords never reach the audit log"
    );
}

#[test]
fn custom_roles_grant_exactly_their_permissions_and_built_in_ones_are_fixed() {
    let mut t = test_store();
    set_up(&mut t);
    let admin = t.admin.clone();
    let role = t
        .store
        .create_role(
            &admin,
            "Auditor",
            &[
                "profile.view".into(),
                "audit.view".into(),
                "audit.view".into(),
            ],
        )
        .expect("custom role");
    assert_eq!(
        role.permissions,
        ["profile.view", "audit.view"],
        "duplicates dropped, SPEC order"
    );
    add(&mut t, "an", "Auditor");
    let an = t.store.actor(Some("an")).unwrap();
    assert!(an.can(Permission::AuditView), "the role's permission");
    assert!(!an.can(Permission::ProfileCreate), "and nothing else");
    t.store
        .update_role(
            &admin,
            "Auditor",
            "Compliance",
            &["profile.view".into(), "profile.export".into()],
        )
        .expect("renamed and changed");
    let an = t.store.actor(Some("an")).unwrap();
    assert_eq!(an.role, "Compliance", "renamed for its users");
    assert!(
        !an.can(Permission::AuditView),
        "the removed permission is gone at once"
    );
    let err = t
        .store
        .update_role(&admin, "Sales", "Sales", &["profile.delete".into()])
        .expect_err("built in");
    assert!(err.to_string().contains("built-in role"), "{err}");
    let err = t
        .store
        .delete_role(&admin, "Compliance")
        .expect_err("in use");
    assert!(err.to_string().contains("the role of 1 user"), "{err}");
    let err = t
        .store
        .create_role(&admin, "Empty", &[])
        .expect_err("no permission");
    assert!(err.to_string().contains("at least one permission"), "{err}");
    let err = t
        .store
        .create_role(&admin, "Root", &["everything".into()])
        .expect_err("unknown permission");
    assert!(err.to_string().contains("everything"), "{err}");
    t.store
        .create_role(&admin, "Temp", &["profile.view".into()])
        .unwrap();
    t.store
        .delete_role(&admin, "Temp")
        .expect("an unused custom role goes");
    let acts = actions(&t.store);
    for a in ["role.add", "role.update", "role.delete"] {
        assert!(acts.contains(&a.to_string()), "{a} is audited");
    }
    let sales = t.store.actor(Some("an")).unwrap();
    assert!(
        matches!(
            t.store
                .create_role(&sales, "Mine", &["settings.manage".into()]),
            Err(Error::Permission {
                permission: "settings.manage",
                ..
            })
        ),
        "only managers create roles"
    );
}

#[test]
fn scripts_act_without_a_password_until_the_user_has_one() {
    let mut t = test_store();
    let fresh = t
        .store
        .script_actor(None, None)
        .expect("a fresh store needs no password");
    assert_eq!(fresh.role, "Administrator", "the only administrator");
    set_up(&mut t);
    let err = t
        .store
        .script_actor(None, None)
        .expect_err("a password is set now");
    assert!(
        err.to_string().contains("PDESK_PASSWORD"),
        "says how to give it: {err}"
    );
    let err = t
        .store
        .script_actor(Some("lan"), Some("wrong one"))
        .expect_err("wrong password");
    assert_eq!(err.code(), "auth", "{err}");
    let ok = t
        .store
        .script_actor(Some("lan"), Some(PASSWORD))
        .expect("the right password");
    assert_eq!(ok.name, "lan", "acts as lan");
}

#[test]
fn the_idle_lock_defaults_to_15_minutes_within_bounds() {
    let mut t = test_store();
    assert_eq!(t.store.idle_lock_minutes().unwrap(), 15, "the default");
    let admin = t.admin.clone();
    let err = t.store.set_idle_lock_minutes(&admin, 0).expect_err("zero");
    assert!(
        err.to_string().contains("between 1 and 240 minutes"),
        "{err}"
    );
    t.store
        .set_idle_lock_minutes(&admin, 5)
        .expect("five minutes");
    assert_eq!(t.store.idle_lock_minutes().unwrap(), 5, "read back");
    assert_eq!(actions(&t.store), ["settings.idle_lock"], "audited");
}

#[test]
fn each_user_keeps_their_own_language_and_sets_only_their_own() {
    let mut t = test_store();
    set_up(&mut t);
    add(&mut t, "minh", "Viewer");
    let lan = t.admin.clone();
    let minh = t.store.actor(Some("minh")).expect("minh");
    assert_eq!(
        t.store.lang_of("lan").unwrap(),
        Lang::En,
        "English until the app says otherwise"
    );
    t.store
        .set_my_lang(&lan, Lang::Vi)
        .expect("Lan reads Vietnamese");
    assert_eq!(t.store.lang_of("lan").unwrap(), Lang::Vi, "kept for Lan");
    assert_eq!(
        t.store.lang_of("LAN").unwrap(),
        Lang::Vi,
        "found by the name however it is cased, as sign-in finds it"
    );
    assert_eq!(
        t.store.lang_of("minh").unwrap(),
        Lang::En,
        "Minh's is his own"
    );
    t.store
        .set_my_lang(&minh, Lang::En)
        .expect("a viewer sets his own: it needs no permission");
    t.store
        .set_my_lang(&minh, Lang::Vi)
        .expect("and changes it");
    t.store
        .set_my_lang(&lan, Lang::En)
        .expect("Lan changes back");
    assert_eq!(
        (
            t.store.lang_of("lan").unwrap(),
            t.store.lang_of("minh").unwrap()
        ),
        (Lang::En, Lang::Vi),
        "each one's last choice, neither touching the other's"
    );
    assert_eq!(
        t.store.lang_of("nobody").unwrap(),
        Lang::En,
        "an unknown name reads English"
    );
    let path = t.store.path().to_path_buf();
    drop(t.store);
    let reopened = Store::open(&path).expect("reopen");
    assert_eq!(
        reopened.lang_of("minh").unwrap(),
        Lang::Vi,
        "kept in the store"
    );
    assert!(
        !actions(&reopened).iter().any(|a| a.contains("lang")),
        "a language touches no data: not audited"
    );
}
