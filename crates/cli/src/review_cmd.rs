//! `pdesk reviews` and `pdesk review ID` (SPEC 6): the merge reviews the synchronization rule
//! left for a person — listed, shown side by side, and resolved with the app's rules
//! (`pdesk_core::profiles::review`).

use pdesk_core::profiles::review::{
    FieldPick, ReviewDecision, ReviewDetail, ReviewQuery, ReviewResolution, ReviewStatus,
    ReviewSummary,
};
use pdesk_core::{Actor, Error, Store};

/// What to do with one review (none: show it).
#[derive(clap::Args)]
#[group(id = "decision", multiple = false)]
pub struct DecisionArgs {
    /// Attach the incoming data to this candidate (the import's merge policy).
    #[arg(long, value_name = "PROFILE")]
    attach: Option<i64>,
    /// Merge the incoming data and every other candidate into this one; the others are removed.
    #[arg(long, value_name = "PROFILE")]
    merge_into: Option<i64>,
    /// Create a new profile from the incoming data, ignoring the matches.
    #[arg(long)]
    create_new: bool,
    /// Discard the incoming data; the candidates stay as they are.
    #[arg(long)]
    dismiss: bool,
}

/// Options of `pdesk review` that refine a decision.
#[derive(clap::Args)]
pub struct DecisionOptions {
    /// With --merge-into: keep FIELD's value from SOURCE (`incoming` or a candidate's id)
    /// instead of the survivor's, e.g. --keep city=incoming --keep full_name=13.
    #[arg(long = "keep", value_name = "FIELD=SOURCE", requires = "merge_into", value_parser = parse_pick)]
    keep: Vec<FieldPick>,
    /// Say what the decision would do, without doing it.
    #[arg(long, requires = "decision")]
    dry_run: bool,
}

impl DecisionArgs {
    fn decision(&self, opts: &DecisionOptions) -> Option<ReviewDecision> {
        if let Some(profile_id) = self.attach {
            Some(ReviewDecision::Attach { profile_id })
        } else if let Some(survivor) = self.merge_into {
            Some(ReviewDecision::MergeAll {
                survivor,
                picks: opts.keep.clone(),
            })
        } else if self.create_new {
            Some(ReviewDecision::CreateNew)
        } else if self.dismiss {
            Some(ReviewDecision::Dismiss)
        } else {
            None
        }
    }
}

/// `FIELD=incoming` or `FIELD=PROFILE_ID`.
fn parse_pick(text: &str) -> Result<FieldPick, String> {
    let usage = || format!("expected FIELD=incoming or FIELD=PROFILE_ID, not “{text}”");
    let (field, source) = text.split_once('=').ok_or_else(usage)?;
    let from = match source.trim() {
        "incoming" => None,
        id => Some(id.parse::<i64>().map_err(|_| usage())?),
    };
    Ok(FieldPick {
        field: field.trim().to_string(),
        from,
    })
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

fn candidates_line(r: &ReviewSummary) -> String {
    r.candidates
        .iter()
        .map(|c| {
            format!(
                "#{} {} (by {}{})",
                c.profile_id,
                c.label,
                c.matched_by.label(),
                if c.gone { ", gone" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `pdesk reviews [--job N] [--resolved]`.
pub fn list(
    store: &Store,
    actor: &Actor,
    job: Option<i64>,
    resolved: bool,
    json: bool,
) -> Result<(), Error> {
    let query = ReviewQuery {
        status: if resolved {
            ReviewStatus::Resolved
        } else {
            ReviewStatus::Open
        },
        job_id: job,
    };
    let list = store.merge_reviews(actor, &query)?;
    if json {
        print_json(&list);
        return Ok(());
    }
    let what = if resolved {
        "resolved in the last 30 days"
    } else {
        "open"
    };
    let of_job = job
        .map(|j| format!(" of import job {j}"))
        .unwrap_or_default();
    println!(
        "{} merge reviews {what}{of_job} ({} open, {} resolved recently in all)",
        list.matching, list.open, list.recently_resolved
    );
    for r in &list.items {
        println!(
            "{:>6}  {}  {}: {}",
            r.id,
            r.origin,
            r.incoming_label,
            candidates_line(r)
        );
        if let Some(o) = &r.outcome {
            println!(
                "        {} — {} on {}",
                o.message,
                o.resolved_by,
                o.resolved_at.get(..10).unwrap_or(&o.resolved_at)
            );
        }
    }
    if list.items.len() < list.matching as usize {
        println!(
            "(showing the first {} of {})",
            list.items.len(),
            list.matching
        );
    }
    Ok(())
}

/// `pdesk review ID [--attach P | --merge-into P [--keep F=S]... | --create-new | --dismiss]
/// [--dry-run]`.
pub fn review(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    args: &DecisionArgs,
    opts: &DecisionOptions,
    json: bool,
) -> Result<(), Error> {
    let Some(decision) = args.decision(opts) else {
        let detail = store.merge_review(actor, id)?;
        if json {
            print_json(&detail);
        } else {
            print_detail(&detail);
        }
        return Ok(());
    };
    let result = if opts.dry_run {
        store.preview_review_decision(actor, id, &decision)?
    } else {
        store.resolve_merge_review(actor, id, &decision, None)?
    };
    if json {
        print_json(&result);
    } else {
        print_resolution(&result);
    }
    Ok(())
}

fn print_resolution(r: &ReviewResolution) {
    println!("{}", r.message);
    if !r.values.is_empty() {
        let width = r
            .values
            .iter()
            .map(|v| v.label.chars().count())
            .max()
            .unwrap_or(0);
        for v in &r.values {
            println!("  {:<width$}  {}", v.label, v.value);
        }
    }
    if !r.applied {
        println!("(dry run: nothing was changed)");
    }
}

/// The side-by-side table, one line per field; `*` marks fields whose values differ.
fn print_detail(d: &ReviewDetail) {
    let s = &d.summary;
    println!(
        "Merge review {} · {} · created {} by {}",
        s.id,
        s.origin,
        s.created_at.get(..16).unwrap_or(&s.created_at),
        s.created_by
    );
    if let Some(o) = &s.outcome {
        println!("{} — {} on {}", o.message, o.resolved_by, o.resolved_at);
        return;
    }
    let headers: Vec<String> = d
        .columns
        .iter()
        .map(|c| match c.profile_id {
            None => "Incoming".to_string(),
            Some(id) => format!("#{id} {}", c.label),
        })
        .collect();
    let keys: Vec<String> = d
        .columns
        .iter()
        .map(|c| match (c.profile_id, c.gone, c.matched_by) {
            (None, _, _) => String::new(),
            (Some(_), true, _) => "gone".into(),
            (Some(_), false, Some(k)) if c.new_match => format!("by {} (new)", k.label()),
            (Some(_), false, Some(k)) => format!("by {}", k.label()),
            _ => String::new(),
        })
        .collect();
    let label_width = d
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0)
        .max("matched".len());
    let widths: Vec<usize> = (0..d.columns.len())
        .map(|i| {
            d.rows
                .iter()
                .map(|r| r.values[i].chars().count())
                .chain([headers[i].chars().count(), keys[i].chars().count()])
                .max()
                .unwrap_or(0)
                .min(40)
        })
        .collect();
    let line = |mark: &str, label: &str, cells: &[String]| {
        let mut out = format!("{mark} {label:<label_width$}");
        for (cell, w) in cells.iter().zip(&widths) {
            let cell: String = cell.chars().take(*w).collect();
            out.push_str(&format!("  {cell:<w$}"));
        }
        println!("{}", out.trim_end());
    };
    line(" ", "", &headers);
    line(" ", "matched", &keys);
    for r in &d.rows {
        line(if r.differs { "*" } else { " " }, &r.label, &r.values);
    }
    for note in &d.notes {
        println!("Note: {note}");
    }
    println!(
        "Decide with: pdesk review {} --attach ID | --merge-into ID | --create-new | --dismiss",
        s.id
    );
}

/// `pdesk server-reviews`: the merge reviews the server opened, open ones first.
pub fn server_list(store: &Store, actor: &Actor, json: bool) -> Result<(), Error> {
    let reviews = store.server_reviews(actor)?;
    if json {
        print_json(&reviews);
        return Ok(());
    }
    if reviews.is_empty() {
        println!("No merge reviews from the server");
    }
    for r in &reviews {
        let state = match (r.resolved, r.decided_at.is_some()) {
            (true, _) => "resolved",
            (false, true) => "decided here, waiting for the server",
            (false, false) => "open",
        };
        println!(
            "{}  {state}  {}  ({:?})",
            r.id,
            server_profile(&r.held),
            r.reason
        );
        for c in &r.candidates {
            println!("    matched {}", server_profile(c));
        }
        if let Some(decision) = r.decision {
            let by = r.decided_by.as_deref().unwrap_or("someone");
            println!("    decision: {decision:?} by {by}");
        }
    }
    Ok(())
}

/// `gid  #12 Nguyễn Văn An`, or `gid  (not on this computer)`.
fn server_profile(p: &pdesk_core::sync::ServerReviewProfile) -> String {
    match (&p.profile_id, &p.label) {
        (Some(id), Some(label)) => format!("{}  #{id} {label}", p.gid),
        _ => format!("{}  (not on this computer)", p.gid),
    }
}

/// What to do with a merge review the server opened.
#[derive(clap::Args)]
#[group(id = "server_decision", required = true, multiple = false)]
pub struct ServerDecisionArgs {
    /// Add the held customer to this candidate (its gid).
    #[arg(long, value_name = "GID")]
    attach: Option<String>,
    /// Merge the held customer and every candidate into this candidate (its gid).
    #[arg(long, value_name = "GID")]
    merge_into: Option<String>,
    /// Keep the held customer as a separate customer.
    #[arg(long)]
    keep_separate: bool,
}

/// `pdesk server-review ID --attach GID | --merge-into GID | --keep-separate`.
pub fn server_review(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    args: &ServerDecisionArgs,
) -> Result<(), Error> {
    use pdesk_core::sync::ServerReviewDecision;
    let decision = match (&args.attach, &args.merge_into) {
        (Some(gid), _) => ServerReviewDecision::Attach(gid.clone()),
        (None, Some(gid)) => ServerReviewDecision::MergeAll(gid.clone()),
        (None, None) => ServerReviewDecision::CreateNew,
    };
    store.resolve_server_review(actor, id, &decision)?;
    println!("Review {id} decided; the server makes the change when this computer next syncs");
    Ok(())
}
