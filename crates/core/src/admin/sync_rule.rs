//! The synchronization rule screen (SPEC 6, 7.1): which match keys count and in which order,
//! the default phone region and the default merge policy — with a live example: the proposed
//! settings are applied to a small sample (two existing profiles and one incoming row) by the
//! real rule (`create_profile` → `apply_incoming`) in a throw-away in-memory store, so the
//! example can never disagree with what imports and the create form will do.

use serde::{Deserialize, Serialize};

use super::invalid;
use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::model::{
    ConsentInput, FieldChange, FieldError, MatchKey, MergePolicy, ProfileInput, SaveOutcome,
};
use crate::store::Store;
use crate::users::{phone_regions, region_label, RegionChoice};
use pdesk_normalize::{normalize_phone, PhoneRegion};

/// The rule as the screen edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SyncRuleDraft {
    /// The keys that count, in order (at least one).
    pub match_keys: Vec<MatchKey>,
    /// ISO code of the default phone region.
    pub region: String,
    pub merge_policy: MergePolicy,
}

/// The screen's data: the rule as saved and the regions to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SyncRuleSetting {
    pub rule: SyncRuleDraft,
    pub regions: Vec<RegionChoice>,
    /// What stops the rule from merging strangers (saved with `set_rule_guards`).
    pub guards: pdesk_rule::Guards,
}

/// One field of a sample profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExampleValue {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExampleProfile {
    pub title: String,
    pub values: Vec<ExampleValue>,
}

/// What the proposed rule does with the sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SyncExample {
    pub existing: Vec<ExampleProfile>,
    pub incoming: ExampleProfile,
    /// `created`, `updated` or `review`.
    pub outcome: String,
    /// The sentence users would read after Save.
    pub message: String,
    /// Updated: the fields that changed, before and after.
    pub changes: Vec<FieldChange>,
    /// How a number without country code reads in the chosen region.
    pub region_note: String,
}

/// The sample: (title, values) of the two existing profiles, then the incoming row.
const EXISTING: [(&str, &[(&str, &str)]); 2] = [
    (
        "Profile #1",
        &[
            ("full_name", "Nguyễn Văn An"),
            ("phones", "+84 912 345 678"),
            ("emails", "an.nguyen@gmail.com"),
            ("city", "Hà Nội"),
        ],
    ),
    (
        "Profile #2",
        &[
            ("full_name", "Nguyễn V. An"),
            ("emails", "an.nguyen@congty.vn"),
            ("customer_code", "KH-0042"),
        ],
    ),
];
const INCOMING: &[(&str, &str)] = &[
    ("full_name", "Nguyen Van An"),
    ("phones", "+84 912 345 678"),
    ("emails", "an.nguyen@congty.vn"),
    ("city", "Đà Nẵng"),
    ("company", "Công ty ABC"),
];
/// A number written without a country code, read in the chosen region.
const LOCAL_NUMBER: &str = "0912 345 678";

fn sample(title: &str, values: &[(&str, &str)], labels: &dyn Fn(&str) -> String) -> ExampleProfile {
    ExampleProfile {
        title: title.into(),
        values: values
            .iter()
            .map(|(k, v)| ExampleValue {
                label: labels(k),
                value: (*v).into(),
            })
            .collect(),
    }
}

fn input(values: &[(&str, &str)]) -> ProfileInput {
    values
        .iter()
        .fold(ProfileInput::default(), |p, (k, v)| p.with(k, v))
}

fn check(draft: &SyncRuleDraft) -> Result<&'static PhoneRegion> {
    if draft.match_keys.is_empty() {
        return Err(invalid(
            "matchKeys",
            "required",
            "Choose at least one match key".into(),
        ));
    }
    let mut seen = Vec::new();
    for k in &draft.match_keys {
        if seen.contains(k) {
            return Err(FieldError::new(
                "matchKeys",
                "duplicate",
                format!("The match key {} is listed twice", k.label()),
            )
            .with("value", k.as_str())
            .into());
        }
        seen.push(*k);
    }
    PhoneRegion::by_iso(&draft.region).ok_or_else(|| {
        FieldError::new(
            "region",
            "unknownRegion",
            format!("Unknown phone region “{}”", draft.region),
        )
        .with("value", &draft.region)
        .into()
    })
}

impl Store {
    pub fn sync_rule_settings(&self, actor: &Actor) -> Result<SyncRuleSetting> {
        actor.require(Permission::SettingsManage)?;
        let s = self.sync_settings()?;
        Ok(SyncRuleSetting {
            rule: SyncRuleDraft {
                match_keys: s.match_keys,
                region: s.region.iso.to_string(),
                merge_policy: s.merge_policy,
            },
            regions: phone_regions(),
            guards: s.guards,
        })
    }

    /// What `draft` would do with the sample, computed by the real rule in a throw-away store.
    pub fn sync_rule_example(&self, actor: &Actor, draft: &SyncRuleDraft) -> Result<SyncExample> {
        actor.require(Permission::SettingsManage)?;
        let region = check(draft)?;
        let fields = self.fields()?;
        let labels = |k: &str| {
            fields
                .iter()
                .find(|f| f.key == k)
                .map_or_else(|| k.to_string(), |f| f.label.clone())
        };
        let mut sandbox = Store::open_in_memory_with_clock(std::sync::Arc::clone(self.clock()))?;
        let admin = sandbox.actor(None)?;
        sandbox.set_sync_settings(&admin, &draft.match_keys, region.iso, draft.merge_policy)?;
        for (_, values) in EXISTING {
            sandbox.create_profile(&admin, &input(values), &ConsentInput::default())?;
        }
        let outcome = sandbox.create_profile(&admin, &input(INCOMING), &ConsentInput::default())?;
        let (kind, changes) = match &outcome {
            SaveOutcome::Created { .. } => ("created", Vec::new()),
            SaveOutcome::Updated { profile_id, .. } => {
                let history = sandbox.profile_detail(&admin, *profile_id)?.history;
                let changes = history
                    .first()
                    .map(|h| h.changes.clone())
                    .unwrap_or_default();
                ("updated", changes)
            }
            SaveOutcome::Review { .. } => ("review", Vec::new()),
        };
        let changes = changes
            .into_iter()
            .map(|c| FieldChange {
                field: labels(&c.field),
                ..c
            })
            .collect();
        let region_note = match normalize_phone(LOCAL_NUMBER, region) {
            Ok(e164) => format!(
                "With {}, a number written without a country code such as {LOCAL_NUMBER} is read as {e164}.",
                region_label(region)
            ),
            Err(e) => format!(
                "With {}, {LOCAL_NUMBER} is not a valid number ({}); numbers of other countries need their + code.",
                region_label(region),
                e.reason
            ),
        };
        Ok(SyncExample {
            existing: EXISTING
                .iter()
                .map(|(title, values)| sample(title, values, &labels))
                .collect(),
            incoming: sample("Incoming row", INCOMING, &labels),
            outcome: kind.into(),
            message: outcome.message(),
            changes,
            region_note,
        })
    }

    /// Saves the rule (audited); in force at once for the create form and every new import.
    pub fn set_sync_rule(
        &mut self,
        actor: &Actor,
        draft: &SyncRuleDraft,
    ) -> Result<SyncRuleSetting> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The synchronization rule")?;
        let region = check(draft)?;
        let current = self.sync_rule_settings(actor)?.rule;
        if current.match_keys != draft.match_keys
            || current.region != region.iso
            || current.merge_policy != draft.merge_policy
        {
            self.set_sync_settings(actor, &draft.match_keys, region.iso, draft.merge_policy)?;
        }
        self.sync_rule_settings(actor)
    }
}
