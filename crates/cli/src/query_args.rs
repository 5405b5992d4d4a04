//! The query flags shared by `pdesk list` and `pdesk export`: the search text, a filter (the
//! same typed conditions the app's filter builder sends, as JSON) or a saved segment.

use clap::Args;
use pdesk_core::filter::Condition;
use pdesk_core::filter::ListQuery;
use pdesk_core::{Actor, Error, Store};

#[derive(Args, Debug, Clone, Default)]
pub struct QueryArgs {
    /// Search text: name (accent-insensitive), phone in any format, e-mail, customer code.
    #[arg(long, default_value = "")]
    pub search: String,
    /// Conditions as JSON, combined with AND, e.g.
    /// '[{"kind":"field","field":"city","op":"is","value":"Hà Nội"}]'.
    #[arg(long)]
    pub filter: Option<String>,
    /// A saved segment of the acting user (its search, conditions and sort).
    #[arg(long, conflicts_with_all = ["filter"])]
    pub segment: Option<String>,
}

impl QueryArgs {
    /// The query these flags describe (a segment's, narrowed further by `--search`).
    pub fn query(
        &self,
        store: &Store,
        actor: &Actor,
    ) -> Result<(ListQuery, Option<Vec<String>>), Error> {
        let offset = pdesk_core::clock::local_offset_minutes();
        if let Some(name) = &self.segment {
            let segment = store.segment_by_name(actor, name)?;
            let mut query = segment.query;
            if !self.search.trim().is_empty() {
                query.search = self.search.clone();
            }
            query.utc_offset_minutes = offset;
            return Ok((query, Some(segment.columns)));
        }
        let filter: Vec<Condition> = match &self.filter {
            Some(json) => serde_json::from_str(json).map_err(|e| {
                Error::conflict(
                    "badFilterArgument",
                    serde_json::Value::Null,
                    format!("--filter is not a list of conditions: {e}"),
                )
            })?,
            None => Vec::new(),
        };
        Ok((
            ListQuery {
                search: self.search.clone(),
                filter,
                sort: None,
                utc_offset_minutes: offset,
            },
            None,
        ))
    }
}
