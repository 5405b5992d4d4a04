//! What an export will write: its columns, its rows and how it is described, checked before
//! anything is written (the export dialog's plan).

use std::sync::Arc;

use super::write::{default_file_name, offset_of};
use super::{ExportFields, ExportJob, ExportPlan, ExportRequest, MAX_SELECTED};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::filter::{Condition, ListQuery};
use crate::list::PositionIds;
use crate::model::{count_in, FieldDef, Lang, ProfileId};
use crate::store::Store;

impl Store {
    /// The columns of an export, checked.
    pub fn export_fields(&self, request: &ExportRequest) -> Result<Vec<FieldDef>> {
        let fields = self.fields()?;
        let chosen: Vec<FieldDef> = match request.fields {
            ExportFields::All => fields.into_iter().filter(|f| !f.hidden).collect(),
            ExportFields::Displayed => {
                let mut out: Vec<FieldDef> = Vec::new();
                for key in &request.columns {
                    let f = fields
                        .iter()
                        .find(|f| &f.key == key && !f.hidden)
                        .ok_or_else(|| {
                            Error::conflict(
                                "noFieldToExport",
                                serde_json::json!({ "key": key }),
                                format!("There is no field “{key}” to export"),
                            )
                        })?;
                    if !out.iter().any(|o| o.key == f.key) {
                        out.push(f.clone());
                    }
                }
                out
            }
        };
        if chosen.is_empty() {
            return Err(Error::conflict(
                "noExportColumns",
                serde_json::Value::Null,
                "Choose at least one column to export",
            ));
        }
        Ok(chosen)
    }

    /// The ids an export writes, in order.
    pub(super) fn export_ids(
        &self,
        actor: &Actor,
        request: &ExportRequest,
    ) -> Result<Arc<PositionIds>> {
        match &request.ids {
            Some(ids) => {
                if ids.len() > MAX_SELECTED {
                    return Err(Error::limit(
                        "tooManySelectedToExport",
                        serde_json::json!({ "limit": MAX_SELECTED, "selected": ids.len() }),
                        format!(
                            "An export of selected rows names at most {MAX_SELECTED} profiles \
                             ({} were selected); export the filter instead",
                            ids.len()
                        ),
                    ));
                }
                let values: std::rc::Rc<Vec<rusqlite::types::Value>> =
                    std::rc::Rc::new(ids.iter().map(|&i| i.into()).collect());
                let mut stmt = self.conn.prepare_cached(
                    "SELECT id FROM profiles WHERE id IN rarray(?1) ORDER BY id DESC",
                )?;
                let found = stmt
                    .query_map([values], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<ProfileId>>>()?;
                Ok(Arc::new(PositionIds::from(found)))
            }
            None => self.query_ids(actor, &request.query),
        }
    }

    /// What the export dialog shows: the rows, the path (direct or background), the columns.
    pub fn export_plan(&self, actor: &Actor, request: &ExportRequest) -> Result<ExportPlan> {
        actor.require(Permission::ProfileExport)?;
        let fields = self.export_fields(request)?;
        let rows = self.export_ids(actor, request)?.len() as u32;
        let direct_limit = self.limits_config()?.export_direct_rows;
        Ok(ExportPlan {
            rows,
            direct_limit,
            background: rows > direct_limit,
            columns: fields.iter().map(|f| f.label.clone()).collect(),
            description: self.export_description(request, Lang::En)?,
            file_name: default_file_name(self.now_utc(), offset_of(&request.query), None),
        })
    }

    /// The export's filter in words, in `lang` (the English one is kept on the export).
    pub(super) fn export_description(&self, request: &ExportRequest, lang: Lang) -> Result<String> {
        let base = crate::filter::describe(
            &request.query,
            &self.fields()?,
            &self.consent_channels()?,
            lang,
        );
        Ok(match (&request.ids, lang) {
            (Some(ids), Lang::En) => format!("{} selected profiles (of: {base})", ids.len()),
            (Some(ids), Lang::Vi) => format!(
                "{} hồ sơ đã chọn (trong số: {base})",
                count_in(lang, ids.len() as u64)
            ),
            (None, _) => base,
        })
    }

    /// An export's filter in words for a reader of `lang` (its result e-mail): the English
    /// kept on the export, or its request as queued described again in `lang`.
    pub fn export_description_in(&self, job: &ExportJob, lang: Lang) -> Result<String> {
        if lang == Lang::En {
            return Ok(job.description.clone());
        }
        let request: String = self.conn.query_row(
            "SELECT request FROM export_jobs WHERE id = ?1",
            [job.id],
            |r| r.get(0),
        )?;
        let request: ExportRequest = serde_json::from_str(&request)
            .map_err(|e| Error::Internal(format!("export {}: {e}", job.id)))?;
        self.export_description(&request, lang)
    }

    /// The names the export's conditions use, as they are now (a field renamed or deleted
    /// later still reads as it was): `{fields: {key: {label, kind}}, channels: {key: label}}`.
    /// The audit entry keeps them with the query, so the log words the filter in the reader's
    /// language rather than in the English of [`Self::export_description`] (issue 16).
    pub(super) fn export_names(&self, query: &ListQuery) -> Result<serde_json::Value> {
        let (fields, channels) = (self.fields()?, self.consent_channels()?);
        let mut field_names = serde_json::Map::new();
        let mut channel_names = serde_json::Map::new();
        for condition in &query.filter {
            match condition {
                Condition::Field { field, .. } => {
                    if let Some(def) = fields.iter().find(|f| &f.key == field) {
                        field_names.insert(
                            field.clone(),
                            serde_json::json!({ "label": def.label, "kind": def.kind }),
                        );
                    }
                }
                Condition::Consent { channel, .. } => {
                    if let Some(c) = channels.iter().find(|c| &c.key == channel) {
                        channel_names.insert(channel.clone(), c.label.clone().into());
                    }
                }
                Condition::Source { .. } => {}
            }
        }
        Ok(serde_json::json!({ "fields": field_names, "channels": channel_names }))
    }
}
