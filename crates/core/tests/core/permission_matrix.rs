//! Every operation that needs a permission, run as every kind of role: the built-in
//! Administrator, Sales and Viewer (SPEC 7.2) and custom roles. A role without the permission
//! is refused with a `Permission` error naming exactly that permission; a role with it is
//! never refused for permissions (it may still fail for other reasons, e.g. a missing id).

use pdesk_core::admin::LimitValue;
use pdesk_core::export::{ExportFields, ExportRequest};
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource};
use pdesk_core::mail::{JobKind, MailPolicy, MailSettingsInput, MemorySecrets, SmtpSecurity};
use pdesk_core::mapping::SuggestionReason;
use pdesk_core::model::{ConsentInput, MatchKey, MergePolicy, ProfileInput};
use pdesk_core::profiles::review::{ReviewDecision, ReviewQuery, ReviewStatus};
use pdesk_core::users::{NewUser, UserUpdate};
use pdesk_core::{Actor, Error, IdentifierKind, Permission, Store};

use crate::{create, test_store};

type Op = fn(&mut Store, &Actor) -> pdesk_core::Result<()>;

const PASTE: &str = "Nguyễn Văn An\t0912345671\n";

/// The import settings of [`PASTE`], made once by the administrator (operations are plain
/// functions and cannot capture them).
static SETTINGS: std::sync::OnceLock<ImportSettings> = std::sync::OnceLock::new();

fn paste_settings(_: &Store) -> ImportSettings {
    SETTINGS
        .get()
        .expect("made before the operations run")
        .clone()
}

fn make_paste_settings(store: &Store, admin: &Actor) -> ImportSettings {
    let (columns, _) = pdesk_core::jobs::paste_columns(PASTE, 1_000, 5, false).unwrap();
    let mut mapping = store.suggest_mapping(admin, &columns).unwrap();
    for (m, target) in mapping.iter_mut().zip(["full_name", "phones"]) {
        m.target = Some(target.into());
        m.reason = SuggestionReason::NoMatch;
    }
    ImportSettings::new(columns, mapping)
}

fn name_input() -> ProfileInput {
    ProfileInput::default().with("full_name", "Đinh Thu Trang")
}

/// (what, permission, operation). The operations act on profile 1, job 1 and user `other`.
fn operations() -> Vec<(&'static str, Permission, Op)> {
    use Permission::*;
    vec![
        ("list_page", ProfileView, |s, a| {
            s.list_page(a, &ListQuery::default(), 0, 10, &[]).map(drop)
        }),
        ("count_profiles", ProfileView, |s, a| {
            s.count_profiles(a, &ListQuery::default()).map(drop)
        }),
        ("profile_detail", ProfileView, |s, a| {
            s.profile_detail(a, 1).map(drop)
        }),
        ("identifier_owner", ProfileView, |s, a| {
            s.identifier_owner(a, IdentifierKind::Phone, "0912345678", None)
                .map(drop)
        }),
        ("list_columns", ProfileView, |s, a| {
            s.list_columns(a).map(drop)
        }),
        ("set_list_columns", ProfileView, |s, a| {
            s.set_list_columns(a, &["full_name".into()]).map(drop)
        }),
        ("jobs", ProfileView, |s, a| s.jobs(a).map(drop)),
        ("filter_fields", ProfileView, |s, a| {
            s.filter_fields(a).map(drop)
        }),
        ("segments", ProfileView, |s, a| s.segments(a).map(drop)),
        ("delete_segment", ProfileView, |s, a| {
            s.delete_segment(a, 999_999)
        }),
        ("job", ProfileView, |s, a| s.job(a, 1).map(drop)),
        ("write_failed_rows", ProfileExport, |s, a| {
            s.write_failed_rows(
                a,
                1,
                &std::env::temp_dir().join("pdesk-matrix-failed.xlsx"),
                pdesk_core::model::Lang::En,
            )
            .map(drop)
        }),
        ("write_import_template", ProfileImport, |s, a| {
            let out = std::env::temp_dir()
                .join(format!("pdesk-matrix-template-{}.xlsx", std::process::id()));
            s.write_import_template(a, pdesk_core::model::Lang::Vi, &out)
                .map(drop)
        }),
        ("failed_rows", ProfileView, |s, a| {
            s.failed_rows(a, 1, pdesk_core::model::Lang::En).map(drop)
        }),
        ("open_review_count", ProfileView, |s, a| {
            s.open_review_count(a).map(drop)
        }),
        ("merge_reviews", ProfileView, |s, a| {
            s.merge_reviews(
                a,
                &ReviewQuery {
                    status: ReviewStatus::Open,
                    job_id: None,
                },
            )
            .map(drop)
        }),
        ("merge_review", ProfileView, |s, a| {
            s.merge_review(a, 1).map(drop)
        }),
        ("resolve_merge_review (attach)", ProfileEdit, |s, a| {
            s.resolve_merge_review(a, 1, &ReviewDecision::Attach { profile_id: 1 }, None)
                .map(drop)
        }),
        ("resolve_merge_review (merge all)", ProfileEdit, |s, a| {
            let merge = ReviewDecision::MergeAll {
                survivor: 1,
                picks: vec![],
            };
            s.resolve_merge_review(a, 1, &merge, None).map(drop)
        }),
        ("resolve_merge_review (dismiss)", ProfileEdit, |s, a| {
            s.resolve_merge_review(a, 1, &ReviewDecision::Dismiss, None)
                .map(drop)
        }),
        (
            "resolve_merge_review (create new)",
            ProfileCreate,
            |s, a| {
                s.resolve_merge_review(a, 1, &ReviewDecision::CreateNew, None)
                    .map(drop)
            },
        ),
        ("preview_review_decision", ProfileEdit, |s, a| {
            s.preview_review_decision(a, 1, &ReviewDecision::Dismiss)
                .map(drop)
        }),
        ("create_profile", ProfileCreate, |s, a| {
            s.create_profile(a, &name_input(), &ConsentInput::default())
                .map(drop)
        }),
        ("preview_create", ProfileCreate, |s, a| {
            s.preview_create(a, &name_input()).map(drop)
        }),
        (
            "create_profile_decided (separate)",
            ProfileCreate,
            |s, a| {
                s.create_profile_decided(
                    a,
                    &name_input(),
                    &ConsentInput::default(),
                    &pdesk_core::profiles::CreateDecision::Separate,
                )
                .map(drop)
            },
        ),
        ("validate_profile (create)", ProfileCreate, |s, a| {
            s.validate_profile(a, &name_input(), true).map(drop)
        }),
        ("seed_demo", ProfileCreate, |s, a| {
            s.seed_demo(a, 1, 7).map(drop)
        }),
        ("check_mapping", ProfileImport, |s, a| {
            s.check_mapping(a, &[], &[]).map(drop)
        }),
        ("preview_edit", ProfileEdit, |s, a| {
            s.preview_edit(a, 1, &name_input()).map(drop)
        }),
        ("update_profile", ProfileEdit, |s, a| {
            s.update_profile(
                a,
                1,
                &ProfileInput::default().with("city", "Huế"),
                &ConsentInput::default(),
            )
            .map(drop)
        }),
        ("update_profile_on", ProfileEdit, |s, a| {
            s.update_profile_on(
                a,
                1,
                &ProfileInput::default().with("city", "Huế"),
                &ConsentInput::default(),
                pdesk_core::profiles::EditDecision::Ask,
                Some(&pdesk_core::model::EditBase::default()),
            )
            .map(drop)
        }),
        ("validate_profile (edit)", ProfileEdit, |s, a| {
            s.validate_profile(a, &name_input(), false).map(drop)
        }),
        ("preview_paste", ProfileImport, |s, a| {
            s.preview_paste(a, PASTE).map(drop)
        }),
        ("preview_file", ProfileImport, |s, a| {
            s.preview_file(a, std::path::Path::new("/nonexistent.xlsx"))
                .map(drop)
        }),
        ("split_import_file", ProfileImport, |s, a| {
            s.split_import_file(a, std::path::Path::new("/nonexistent.xlsx"))
                .map(drop)
        }),
        ("suggest_mapping", ProfileImport, |s, a| {
            s.suggest_mapping(a, &[]).map(drop)
        }),
        ("dry_run", ProfileImport, |s, a| {
            let settings = paste_settings(s);
            s.dry_run(a, &ImportSource::Paste(PASTE.into()), &settings)
                .map(drop)
        }),
        ("queue_import", ProfileImport, |s, a| {
            let settings = paste_settings(s);
            s.queue_import(a, &ImportSource::Paste(PASTE.into()), &settings)
                .map(drop)
        }),
        ("cancel_job", ProfileImport, |s, a| {
            s.cancel_job(a, 1).map(drop)
        }),
        ("undo_job", ProfileImport, |s, a| s.undo_job(a, 1).map(drop)),
        ("delete_preview", ProfileDelete, |s, a| {
            s.delete_preview(a, &[1]).map(drop)
        }),
        ("delete_profiles", ProfileDelete, |s, a| {
            s.delete_profiles(a, &[1], "matrix test").map(drop)
        }),
        ("verify_audit", AuditView, |s, a| {
            s.verify_audit(a).map(drop)
        }),
        ("set_field_mandatory", SettingsManage, |s, a| {
            s.set_field_mandatory(a, "city", false)
        }),
        ("set_rule_guards", SettingsManage, |s, a| {
            s.set_rule_guards(a, &pdesk_rule::Guards::default())
                .map(drop)
        }),
        ("sync_connect", SettingsManage, |s, a| {
            s.sync_connect(
                a,
                &pdesk_core::sync::NewConnection {
                    server_url: "https://cdp.example.vn".into(),
                    user_name: "lan".into(),
                    device_id: "d_1".into(),
                    device_name: "Laptop".into(),
                    trust: Default::default(),
                },
            )
        }),
        ("sync_disconnect", SettingsManage, |s, a| {
            s.sync_disconnect(a, true).map(drop)
        }),
        ("sync_set_paused", ProfileView, |s, a| {
            s.sync_set_paused(a, true)
        }),
        ("sync_conflicts", ProfileView, |s, a| {
            s.sync_conflicts(a).map(drop)
        }),
        ("sync_rejections", ProfileView, |s, a| {
            s.sync_rejections(a).map(drop)
        }),
        ("sync_resolve_conflict", ProfileEdit, |s, a| {
            s.sync_resolve_conflict(a, "cf_1", &pdesk_core::sync::ConflictDecision::TakeOther)
        }),
        ("server_reviews", ProfileView, |s, a| {
            s.server_reviews(a).map(drop)
        }),
        ("open_server_review_count", ProfileView, |s, a| {
            s.open_server_review_count(a).map(drop)
        }),
        ("resolve_server_review attach", ProfileEdit, |s, a| {
            s.resolve_server_review(
                a,
                "rv_1",
                &pdesk_core::sync::ServerReviewDecision::Attach("g".into()),
            )
        }),
        ("resolve_server_review create new", ProfileCreate, |s, a| {
            s.resolve_server_review(
                a,
                "rv_1",
                &pdesk_core::sync::ServerReviewDecision::CreateNew,
            )
        }),
        ("sync_keep_server_values", ProfileEdit, |s, a| {
            s.sync_keep_server_values(a, 1).map(drop)
        }),
        ("sync_retry_rejected", ProfileEdit, |s, a| {
            s.sync_retry_rejected(a, "op_1")
        }),
        ("sync_set_import_hold", SettingsManage, |s, a| {
            s.sync_set_import_hold(a, 5)
        }),
        ("sync_release_held", ProfileView, |s, a| {
            s.sync_release_held(a).map(drop)
        }),
        ("sync_job_ops", ProfileView, |s, a| {
            s.sync_job_ops(a, 1).map(drop)
        }),
        ("sync_merge_notices", ProfileView, |s, a| {
            s.sync_merge_notices(a).map(drop)
        }),
        ("set_sync_settings", SettingsManage, |s, a| {
            s.set_sync_settings(a, &[MatchKey::Phone], "VN", MergePolicy::Overwrite)
        }),
        ("limit_settings", SettingsManage, |s, a| {
            s.limit_settings(a).map(drop)
        }),
        ("set_limits", SettingsManage, |s, a| {
            s.set_limits(
                a,
                &[LimitValue {
                    key: "paste_rows".into(),
                    value: 1000,
                }],
            )
            .map(drop)
        }),
        ("consent_channel_settings", SettingsManage, |s, a| {
            s.consent_channel_settings(a).map(drop)
        }),
        ("add_consent_channel", SettingsManage, |s, a| {
            s.add_consent_channel(a, "Zalo").map(drop)
        }),
        ("rename_consent_channel", SettingsManage, |s, a| {
            s.rename_consent_channel(a, "sms", "SMS").map(drop)
        }),
        ("reorder_consent_channels", SettingsManage, |s, a| {
            s.reorder_consent_channels(a, &["email".into()]).map(drop)
        }),
        ("remove_consent_channel", SettingsManage, |s, a| {
            s.remove_consent_channel(a, "zalo").map(drop)
        }),
        ("users", SettingsManage, |s, a| s.users(a).map(drop)),
        ("add_user", SettingsManage, |s, a| {
            s.add_user(a, "added-by-matrix", "Viewer").map(drop)
        }),
        ("create_user", SettingsManage, |s, a| {
            let user = NewUser {
                name: format!("new-{}", a.name),
                display_name: String::new(),
                role: "Viewer".into(),
                password: "a long password".into(),
            };
            s.create_user(a, &user).map(drop)
        }),
        ("update_user", SettingsManage, |s, a| {
            let update = UserUpdate {
                display_name: Some("Other".into()),
                ..Default::default()
            };
            s.update_user(a, "other", &update).map(drop)
        }),
        ("set_password (another user)", SettingsManage, |s, a| {
            s.set_password(a, "other", "a new password", None)
        }),
        ("roles", SettingsManage, |s, a| s.roles(a).map(drop)),
        ("create_role", SettingsManage, |s, a| {
            s.create_role(a, &format!("Role of {}", a.name), &["profile.view".into()])
                .map(drop)
        }),
        ("update_role", SettingsManage, |s, a| {
            s.update_role(
                a,
                "Exporter",
                "Exporter",
                &["profile.view".into(), "profile.export".into()],
            )
            .map(drop)
        }),
        ("delete_role", SettingsManage, |s, a| {
            s.delete_role(a, "Unused").map(drop)
        }),
        ("sync_rule_settings", SettingsManage, |s, a| {
            s.sync_rule_settings(a).map(drop)
        }),
        ("sync_rule_example", SettingsManage, |s, a| {
            let d = pdesk_core::admin::SyncRuleDraft {
                match_keys: vec![MatchKey::Phone],
                region: "VN".into(),
                merge_policy: MergePolicy::Overwrite,
            };
            s.sync_rule_example(a, &d).map(drop)
        }),
        ("set_sync_rule", SettingsManage, |s, a| {
            let d = pdesk_core::admin::SyncRuleDraft {
                match_keys: vec![MatchKey::Phone, MatchKey::Email, MatchKey::CustomerCode],
                region: "VN".into(),
                merge_policy: MergePolicy::Overwrite,
            };
            s.set_sync_rule(a, &d).map(drop)
        }),
        ("field_settings", SettingsManage, |s, a| {
            s.field_settings(a).map(drop)
        }),
        ("add_field", SettingsManage, |s, a| {
            let d = pdesk_core::admin::FieldDraft {
                label: format!("Field of {}", a.name),
                kind: pdesk_core::model::FieldKind::Text,
                options: vec![],
                synonyms: vec![],
                mandatory: false,
                displayed: false,
                hidden: false,
            };
            s.add_field(a, &d).map(drop)
        }),
        ("update_field", SettingsManage, |s, a| {
            let d = pdesk_core::admin::FieldDraft {
                label: "City".into(),
                kind: pdesk_core::model::FieldKind::Text,
                options: vec![],
                synonyms: vec![],
                mandatory: false,
                displayed: true,
                hidden: false,
            };
            s.update_field(a, "city", &d).map(drop)
        }),
        ("reorder_fields", SettingsManage, |s, a| {
            s.reorder_fields(a, &["city".into()]).map(drop)
        }),
        ("delete_field", SettingsManage, |s, a| {
            s.delete_field(a, "no_such_field", true).map(drop)
        }),
        ("set_idle_lock_minutes", SettingsManage, |s, a| {
            s.set_idle_lock_minutes(a, 15).map(drop)
        }),
        ("create_segment", ProfileView, |s, a| {
            s.create_segment(a, "Mine", &ListQuery::default(), &["full_name".into()])
                .map(drop)
        }),
        ("export_plan", ProfileExport, |s, a| {
            s.export_plan(a, &export_request()).map(drop)
        }),
        ("export_direct", ProfileExport, |s, a| {
            let out = std::env::temp_dir().join(format!(
                "pdesk-matrix-{}-{}.xlsx",
                std::process::id(),
                a.name
            ));
            let r = s.export_direct(a, &export_request(), &out).map(drop);
            let _ = std::fs::remove_file(&out);
            r
        }),
        ("queue_export", ProfileExport, |s, a| {
            s.queue_export(a, &export_request()).map(drop)
        }),
        ("export_jobs", ProfileExport, |s, a| {
            s.export_jobs(a).map(drop)
        }),
        ("mail_settings", SettingsManage, |s, a| {
            s.mail_settings(a, &MemorySecrets::default()).map(drop)
        }),
        ("set_mail_settings", SettingsManage, |s, a| {
            let input = MailSettingsInput {
                host: String::new(),
                port: 25,
                security: SmtpSecurity::None,
                username: String::new(),
                sender: String::new(),
                password: None,
            };
            s.set_mail_settings(a, &input, &MemorySecrets::default())
                .map(drop)
        }),
        ("send_test_mail", SettingsManage, |s, a| {
            match s.send_test_mail(a, "x@example.vn", &MemorySecrets::default()) {
                // Not set up: refused for another reason than a permission.
                Err(Error::Conflict(_)) => Ok(()),
                other => other,
            }
        }),
        ("mail_policy", SettingsManage, |s, a| {
            s.mail_policy(a).map(drop)
        }),
        ("set_mail_policy", SettingsManage, |s, a| {
            let policy = MailPolicy {
                allowed_domains: Vec::new(),
                attachment_rows: 10_000,
            };
            s.set_mail_policy(a, &policy).map(drop)
        }),
        ("set_my_mail_address", ProfileView, |s, a| {
            s.set_my_mail_address(a, "").map(drop)
        }),
        ("my_mail_address", ProfileView, |s, a| {
            s.my_mail_address(a).map(drop)
        }),
        ("job_mails", ProfileView, |s, a| {
            s.job_mails(a, JobKind::Export).map(drop)
        }),
    ]
}

fn export_request() -> ExportRequest {
    ExportRequest {
        query: ListQuery::default(),
        fields: ExportFields::Displayed,
        columns: vec!["full_name".into()],
        ids: None,
    }
}

#[test]
fn every_permission_is_refused_for_the_roles_that_lack_it_for_every_operation() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let _ = SETTINGS.set(make_paste_settings(&t.store, &admin));
    create(
        &mut t,
        &[("full_name", "Nguyễn Văn An"), ("phones", "0912345678")],
    );
    for (role, perms) in [
        ("Exporter", vec!["profile.view", "profile.export"]),
        ("Auditor", vec!["audit.view"]),
        ("Settings only", vec!["settings.manage"]),
        ("Unused", vec!["profile.view"]),
    ] {
        let perms: Vec<String> = perms.into_iter().map(String::from).collect();
        t.store.create_role(&admin, role, &perms).unwrap();
    }
    t.store.add_user(&admin, "other", "Viewer").unwrap();
    let roles = [
        "Administrator",
        "Sales",
        "Viewer",
        "Exporter",
        "Auditor",
        "Settings only",
    ];
    let mut refusals = 0;
    let mut checked = 0;
    for role in roles {
        let name = format!("user-{}", role.to_lowercase().replace(' ', "-"));
        t.store.add_user(&admin, &name, role).unwrap();
        for (what, permission, op) in operations() {
            let actor = t.store.actor(Some(&name)).unwrap();
            let result = op(&mut t.store, &actor);
            checked += 1;
            if actor.can(permission) {
                if let Err(Error::Permission { permission: p, .. }) = &result {
                    panic!(
                        "{role} has {} but {what} was refused for {p}",
                        permission.key()
                    );
                }
            } else {
                refusals += 1;
                match result {
                    Err(Error::Permission {
                        permission: p,
                        action,
                    }) => {
                        assert_eq!(
                            p,
                            permission.key(),
                            "{role}: {what} names the missing permission"
                        );
                        let message = Error::Permission {
                            permission: p,
                            action,
                        }
                        .to_string();
                        assert!(
                            message.starts_with("You do not have permission to "),
                            "{role}: {what}: a sentence for users: {message}"
                        );
                    }
                    other => panic!(
                        "{role} lacks {} but {what} answered {:?}",
                        permission.key(),
                        other.map(|_| "success")
                    ),
                }
            }
        }
    }
    assert_eq!(
        checked,
        roles.len() * operations().len(),
        "every operation for every role"
    );
    assert!(
        refusals > 150,
        "most pairs are refusals ({refusals}), so the test has teeth"
    );
}

#[test]
fn the_built_in_roles_hold_the_spec_permissions() {
    let t = test_store();
    let roles = t.store.roles(&t.admin).unwrap();
    let of = |name: &str| -> Vec<String> {
        roles
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.permissions.clone())
            .unwrap_or_default()
    };
    let all: Vec<String> = Permission::ALL
        .iter()
        .map(|p| p.key().to_string())
        .collect();
    assert_eq!(of("Administrator"), all, "Administrator: all");
    assert_eq!(
        of("Sales"),
        [
            "profile.view",
            "profile.create",
            "profile.edit",
            "profile.import",
            "profile.export"
        ],
        "Sales: all but delete, audit and settings"
    );
    assert_eq!(of("Viewer"), ["profile.view"], "Viewer: view only");
}
