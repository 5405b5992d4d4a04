//! What the About dialog shows: the app's identity and the licence notices of the third-party
//! packages inside it (generated at build time by the app's build script from Cargo.lock and
//! package-lock.json; these are the types that file is read into).

use serde::{Deserialize, Serialize};

/// Every third-party package shipped in the app, and their licence texts (each text once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LicenceNotices {
    pub packages: Vec<PackageNotice>,
    pub texts: Vec<LicenceText>,
}

/// One package: a Rust crate linked into the app or an npm package bundled into its UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PackageNotice {
    /// `crate` or `npm`.
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// The SPDX licence expression the package declares.
    pub license: String,
    pub repository: Option<String>,
    pub authors: Vec<String>,
    /// Its licence and notice files (ids into `texts`).
    pub text_ids: Vec<u32>,
}

/// One licence or notice file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LicenceText {
    pub id: u32,
    pub file_name: String,
    pub text: String,
}
