//! The CRM objects a profile links to (SPEC 1 "Links": Accounts, Opportunities, Tickets,
//! Tasks). They live on the server, which creates them (`POST /v1/links`, or the admin command
//! `pdesk-server link add`); clients receive them inside the profile's state, so a link change
//! is a profile change (new `rev`), and a profile's delete removes its links.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Account,
    Opportunity,
    Ticket,
    Task,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [
        LinkKind::Account,
        LinkKind::Opportunity,
        LinkKind::Ticket,
        LinkKind::Task,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Account => "account",
            LinkKind::Opportunity => "opportunity",
            LinkKind::Ticket => "ticket",
            LinkKind::Task => "task",
        }
    }

    pub fn parse(text: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One linked object as a profile's state carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LinkedObject {
    /// The server's id (`ln_…`).
    pub id: String,
    pub kind: LinkKind,
    /// The account's name, or the opportunity's, ticket's or task's title.
    pub title: String,
    /// As the CRM says it (`open`, `won`, `closed`, …).
    pub status: String,
    /// RFC 3339, the server's clock.
    pub created_at: String,
}

/// `POST /v1/links`: link a new object to a live profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreateLink {
    /// The profile's gid.
    pub profile: String,
    pub kind: LinkKind,
    pub title: String,
    /// Default `open`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// The answer to `POST /v1/links` (201): the object and the profile's new revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LinkCreated {
    pub link: LinkedObject,
    /// The profile's gid (a gid merged away is followed to its survivor).
    pub profile: String,
    pub rev: u64,
}
