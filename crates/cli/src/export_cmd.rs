//! `pdesk export` (SPEC 10): the list's export, headless. Up to the direct-export limit the
//! file is written at once; above it the export is a background job of the store (listed and
//! audited like the app's), run here to the end with progress on stderr, then copied to
//! `--out`.

use std::ops::ControlFlow;
use std::path::Path;

use pdesk_core::export::{ExportFields, ExportRequest};
use pdesk_core::mail::{JobMail, MailStatus, OsKeychain};
use pdesk_core::{Actor, Error, Store};

use crate::query_args::QueryArgs;

pub struct ExportArgs<'a> {
    pub out: &'a Path,
    pub query: &'a QueryArgs,
    pub fields: &'a str,
    pub columns: &'a [String],
}

pub fn export(
    store: &mut Store,
    actor: &Actor,
    args: &ExportArgs,
    json: bool,
) -> Result<(), Error> {
    let fields = ExportFields::parse(args.fields).ok_or_else(|| {
        Error::conflict(
            "badFieldsArgument",
            serde_json::json!({ "given": args.fields }),
            format!("--fields is displayed or all, not “{}”", args.fields),
        )
    })?;
    let (query, segment_columns) = args.query.query(store, actor)?;
    let columns = if !args.columns.is_empty() {
        args.columns.to_vec()
    } else if let Some(cols) = segment_columns {
        cols
    } else {
        store.list_columns(actor)?
    };
    let request = ExportRequest {
        query,
        fields,
        columns,
        ids: None,
    };
    let plan = store.export_plan(actor, &request)?;
    let mut mail = None;
    let job = if plan.background {
        let queued = store.queue_export(actor, &request)?;
        let mut last = 0;
        let done = store.run_export(actor, queued.id, |p| {
            if !json
                && p.total_rows > 0
                && (p.rows_done == p.total_rows || p.rows_done >= last + 100_000)
            {
                last = p.rows_done;
                eprintln!("  {} / {} rows", p.rows_done, p.total_rows);
            }
            ControlFlow::Continue(())
        })?;
        store.save_export_copy(actor, done.id, args.out)?;
        // Like the app: the result e-mail (attached or its location) when e-mail is set up;
        // its failure is recorded on the export, never fails the command.
        let keychain = OsKeychain::new(pdesk_core::store::app_identifier(false));
        mail = Some(store.send_export_mail(&done, &keychain));
        done
    } else {
        store.export_direct(actor, &request, args.out)?
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "id": job.id,
                "status": job.status,
                "rows": job.rows_done,
                "background": job.background,
                "out": args.out,
                "columns": plan.columns,
                "filter": plan.description,
                "mail": mail,
            }))
            .unwrap_or_default()
        );
    } else {
        println!(
            "Exported {} rows ({} fields) to {}",
            job.rows_done,
            fields_word(fields),
            args.out.display()
        );
        if let Some(m) = &mail {
            println!("{}", mail_line(m));
        }
    }
    Ok(())
}

/// How a job's result e-mail reads in the output: sent, or not sent and why (the reason code
/// is in `--json`).
pub(crate) fn mail_line(m: &JobMail) -> String {
    let detail = m.detail.as_deref().unwrap_or_default();
    match m.status {
        MailStatus::Sent | MailStatus::Pending => format!("E-mail: {detail}"),
        MailStatus::Skipped => format!("E-mail not sent: {detail}"),
        MailStatus::Failed => format!("E-mail failed: {detail} (Retry is in the app's report)"),
    }
}

fn fields_word(f: ExportFields) -> &'static str {
    match f {
        ExportFields::Displayed => "displayed",
        ExportFields::All => "all",
    }
}
