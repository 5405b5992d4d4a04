//! The import's data path on two threads: one reads the source and prepares each row
//! (inflate, XML, cells, validation, normalisation — no database), the calling thread applies
//! the prepared rows to the store in order. On a 50,000-row file each half takes about as long
//! as the other, so together they take little more than reading alone. Where applying is light
//! (the dry run's passes) the calling thread prepares the rows instead ([`PrepareOn`]).
//!
//! Memory stays bounded: the reader is at most [`BATCHES_IN_FLIGHT`] batches of [`BATCH_ROWS`]
//! rows ahead. Applied batches go back to the reader to be freed there: memory freed by
//! another thread than the one that allocated it is slow in glibc's allocator (measured: a
//! tenth of the writer's time went to freeing the reader's rows). When the writer stops (cancel, error), the reader's next hand-over fails and it
//! stops too; a refusal found by the reader (a row over the limit, a damaged part) reaches the
//! caller after every row before it was applied, so the caller can roll back what is open.

use std::ops::ControlFlow;
use std::sync::mpsc::{channel, sync_channel};

use super::rows::{PreparedRow, RowPreparer};
use super::{for_each_row, ImportSource};
use crate::error::{Error, Result};
use pdesk_xlsx::FileLimits;

/// Rows handed over at once: large enough that the hand-over costs nothing per row.
const BATCH_ROWS: usize = 256;
/// How far the reader may run ahead of the writer, in batches.
const BATCHES_IN_FLIGHT: usize = 8;

/// Where a job's rows come from and how they are read.
pub(crate) struct RowSource<'a> {
    pub source: &'a ImportSource,
    pub limits: &'a FileLimits,
    pub paste_limit: usize,
    /// A paste's first row is column names ([`super::ImportSettings::header_row`]).
    pub header_row: bool,
}

/// Which thread prepares the rows: the one that reads them, when applying is the heavy half (a
/// job's writes); the calling thread, when reading is (the dry run's passes, which write
/// little) — so that each of the two threads has about half of the work.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrepareOn {
    Reader,
    Caller,
}

/// A row as it crosses from the reader: prepared there, or still its cells.
enum Handed {
    Prepared(PreparedRow),
    Read(u32, Vec<String>),
}

/// Reads `rows` (skipping its first `skip` data rows, already applied by an interrupted run)
/// on a second thread, prepares every row (on the thread `prepare_on` names), and calls
/// `apply` with each prepared row, in order, on this thread. `apply` returning `Break` stops
/// both. Returns `Ok` when the source was read to the end or `apply` stopped it; the reader's
/// refusal or `apply`'s error otherwise.
pub(crate) fn process_rows(
    rows: &RowSource,
    preparer: &RowPreparer,
    skip: u32,
    prepare_on: PrepareOn,
    mut apply: impl FnMut(&PreparedRow) -> Result<ControlFlow<()>>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Vec<Handed>>(BATCHES_IN_FLIGHT);
        let (recycle, applied_batches) = channel::<Vec<Handed>>();
        let reader = scope.spawn(move || -> Result<()> {
            let mut index = 0u32;
            let mut batch = Vec::with_capacity(BATCH_ROWS);
            for_each_row(
                rows.source,
                rows.limits,
                rows.paste_limit,
                rows.header_row,
                |row, cells| {
                    index += 1;
                    if index <= skip {
                        return Ok(ControlFlow::Continue(()));
                    }
                    // Free what the writer has finished with, here where it was allocated.
                    while let Ok(done) = applied_batches.try_recv() {
                        drop(done);
                    }
                    batch.push(match prepare_on {
                        PrepareOn::Reader => Handed::Prepared(preparer.prepare(row, cells)),
                        PrepareOn::Caller => Handed::Read(row, cells),
                    });
                    if batch.len() == BATCH_ROWS {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                        if sender.send(full).is_err() {
                            // The writer stopped: nothing more is wanted.
                            return Ok(ControlFlow::Break(()));
                        }
                    }
                    Ok(ControlFlow::Continue(()))
                },
            )?;
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
            Ok(())
        });
        let mut applied: Result<ControlFlow<()>> = Ok(ControlFlow::Continue(()));
        'batches: for mut batch in receiver.iter() {
            for handed in &mut batch {
                if let Handed::Read(row, cells) = handed {
                    *handed = Handed::Prepared(preparer.prepare(*row, std::mem::take(cells)));
                }
                let Handed::Prepared(row) = &*handed else {
                    unreachable!("prepared just above")
                };
                applied = apply(row);
                if !matches!(applied, Ok(ControlFlow::Continue(()))) {
                    break 'batches;
                }
            }
            // Once the reader is done, nothing takes them back: they are freed here.
            let _ = recycle.send(batch);
        }
        // Dropping the receiver makes the reader's next hand-over fail, so it stops early.
        drop(receiver);
        let read = reader
            .join()
            .map_err(|_| Error::Internal("the import reader stopped unexpectedly".into()))?;
        match applied? {
            // Stopped on purpose: what the reader would have found further on does not matter.
            ControlFlow::Break(()) => Ok(()),
            ControlFlow::Continue(()) => read,
        }
    })
}
