//! What a writer of profile rows leaves for the end of its transaction: name-index changes
//! ([`SearchIndex`]) and sync ops ([`OpBatch`]). Every write path in `storage.rs` takes one,
//! so no path can change a profile without saying how the index and the outbox follow. Single
//! changes (a form's save, a review's decision) write both at once; a bulk writer (an import,
//! a sync page, an undo) collects and calls [`Writes::flush`] inside its transaction, just
//! before it commits.

use rusqlite::Connection;

use super::search_index::SearchIndex;
use crate::error::Result;
use crate::outbox::OpBatch;

pub(crate) struct Writes {
    pub search: SearchIndex,
    pub ops: OpBatch,
}

impl Writes {
    pub fn immediate() -> Writes {
        Writes {
            search: SearchIndex::Immediate,
            ops: OpBatch::immediate(),
        }
    }

    pub fn deferred() -> Writes {
        Writes {
            search: SearchIndex::deferred(),
            ops: OpBatch::deferred(),
        }
    }

    /// A dry run's: the index changes are collected (and rolled back with the rest), no op
    /// is captured ([`OpBatch::discarded`]).
    pub fn discarded() -> Writes {
        Writes {
            search: SearchIndex::deferred(),
            ops: OpBatch::discarded(),
        }
    }

    /// Writes what was collected (nothing when immediate): the ops first, then the index.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        self.ops.flush(conn)?;
        self.search.flush(conn)
    }
}
