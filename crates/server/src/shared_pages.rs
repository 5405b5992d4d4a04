//! Long-polls woken by the same commits mostly ask for the same page: every device that was
//! caught up holds the same cursor. A page is read once per cursor and shared by the requests
//! that ask for it, including requests that arrive a few commits later.
//!
//! Why sharing is always right: a pull page covers exactly what it holds — its cursor moves
//! past the changes it returns and no further — so a page read a moment ago is still a correct
//! answer for its cursor; later commits are simply in the next page. The one page that must
//! not be shared across commits is an *empty* one: a long-poll woken by a commit would be
//! handed the emptiness it waited on. So a page is reused within its commit generation, and
//! for up to [`FRESH_FOR`] after it when it holds changes. Without the second rule, 200
//! devices woken by a stream of commits each read at a slightly different generation — 200
//! reads where one does (measured: a four-second stall of pushes after 200 devices connect).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;

/// How long a page with changes is shared after newer commits.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Distinct cursors kept: devices catching up from old cursors each have their own, and their
/// big pages are not worth keeping.
const KEPT: usize = 64;

struct Entry<T> {
    generation: u64,
    /// When it was read, on the server's clock (passed in: tests move it, never sleep).
    read_at_ms: u64,
    cell: Arc<OnceCell<Arc<T>>>,
}

/// Pages by `(cursor, limit)`.
pub struct SharedPages<T> {
    pages: Mutex<HashMap<(String, u32), Entry<T>>>,
}

impl<T> Default for SharedPages<T> {
    fn default() -> Self {
        SharedPages {
            pages: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> SharedPages<T> {
    /// The page of `cursor` for a request made at commit `generation` and time `now_ms` (the
    /// server's clock): a shared one when it may be (see the module), else read by `read`.
    /// `has_changes` says whether a page holds any change.
    pub async fn get<E, F, Fut>(
        &self,
        generation: u64,
        now_ms: u64,
        cursor: &str,
        limit: u32,
        has_changes: impl Fn(&T) -> bool,
        read: F,
    ) -> Result<Arc<T>, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.get_with(generation, now_ms, cursor, limit, true, has_changes, read)
            .await
    }

    /// [`SharedPages::get`], where `share_empty` false never takes an empty page someone else
    /// read: a request that does not wait ("Sync now") reads anew rather than trust an empty
    /// answer of its generation, which a commit made beside the server does not move (a page
    /// it reads itself is not read twice, and one with changes is still shared).
    pub async fn get_with<E, F, Fut>(
        &self,
        generation: u64,
        now_ms: u64,
        cursor: &str,
        limit: u32,
        share_empty: bool,
        has_changes: impl Fn(&T) -> bool,
        read: F,
    ) -> Result<Arc<T>, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = (cursor.to_string(), limit);
        let (cell, current) = self.cell(&key, generation, now_ms, &has_changes);
        let ours = AtomicBool::new(false);
        let page = cell
            .get_or_try_init(|| {
                ours.store(true, Ordering::Relaxed);
                async { read().await.map(Arc::new) }
            })
            .await?
            .clone();
        if has_changes(&page) || ours.load(Ordering::Relaxed) || (current && share_empty) {
            return Ok(page);
        }
        // An empty page read by another request (an older one still in flight when we joined
        // it, or one this request may not trust): read anew.
        let (cell, _) = self.fresh(key, generation, now_ms);
        cell.get_or_try_init(|| async { read().await.map(Arc::new) })
            .await
            .cloned()
    }

    /// The cell to use, and whether it belongs to `generation`.
    fn cell(
        &self,
        key: &(String, u32),
        generation: u64,
        now_ms: u64,
        has_changes: &impl Fn(&T) -> bool,
    ) -> (Arc<OnceCell<Arc<T>>>, bool) {
        {
            let pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(entry) = pages.get(key) {
                if entry.generation == generation {
                    return (entry.cell.clone(), true);
                }
                let recent = entry.generation < generation && fresh(entry, now_ms);
                match entry.cell.get() {
                    Some(page) if recent && has_changes(page) => {
                        return (entry.cell.clone(), false)
                    }
                    None if recent => return (entry.cell.clone(), false),
                    _ => {}
                }
            }
        }
        self.fresh(key.clone(), generation, now_ms)
    }

    /// A new cell for `key` at `generation`, replacing the one there.
    fn fresh(
        &self,
        key: (String, u32),
        generation: u64,
        now_ms: u64,
    ) -> (Arc<OnceCell<Arc<T>>>, bool) {
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        if pages.len() >= KEPT && !pages.contains_key(&key) {
            pages.retain(|_, e| fresh(e, now_ms));
            if pages.len() >= KEPT {
                pages.clear();
            }
        }
        let cell = Arc::new(OnceCell::new());
        pages.insert(
            key,
            Entry {
                generation,
                read_at_ms: now_ms,
                cell: cell.clone(),
            },
        );
        (cell, true)
    }
}

/// Whether `entry` was read less than [`FRESH_FOR`] before `now_ms`.
fn fresh<T>(entry: &Entry<T>, now_ms: u64) -> bool {
    now_ms.saturating_sub(entry.read_at_ms) < FRESH_FOR.as_millis() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[allow(clippy::ptr_arg)] // it is the `Fn(&T)` of `SharedPages<String>`
    fn non_empty(page: &String) -> bool {
        !page.is_empty()
    }

    #[tokio::test]
    async fn one_read_per_cursor_however_many_ask() {
        let shared = SharedPages::<String>::default();
        let reads = AtomicU32::new(0);
        let read = |v: &'static str| {
            let reads = &reads;
            move || async move {
                reads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(v.to_string())
            }
        };
        let (a, b) = tokio::join!(
            shared.get(1, 0, "c", 10, non_empty, read("x")),
            shared.get(1, 0, "c", 10, non_empty, read("y"))
        );
        assert_eq!((a.unwrap().as_str(), b.unwrap().as_str()), ("x", "x"));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // A page with changes is shared with a request a few commits later…
        assert_eq!(
            *shared
                .get(3, 0, "c", 10, non_empty, read("z"))
                .await
                .unwrap(),
            "x"
        );
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // …but another cursor or limit is another page.
        assert_eq!(
            *shared
                .get(3, 0, "d", 10, non_empty, read("d"))
                .await
                .unwrap(),
            "d"
        );
        assert_eq!(
            *shared
                .get(3, 0, "c", 20, non_empty, read("l"))
                .await
                .unwrap(),
            "l"
        );
        assert_eq!(reads.load(Ordering::SeqCst), 3);
        // Once FRESH_FOR has passed on the server's clock, a later generation reads anew (the
        // model test moves that clock, and a stale page hid a colleague's change from a
        // laptop that then believed itself caught up: issue 14).
        let later = FRESH_FOR.as_millis() as u64;
        assert_eq!(
            *shared
                .get(4, later, "c", 10, non_empty, read("w"))
                .await
                .unwrap(),
            "w"
        );
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn an_empty_page_is_never_shared_past_its_generation() {
        let shared = SharedPages::<String>::default();
        let empty = shared
            .get(1, 0, "c", 10, non_empty, || async {
                Ok::<_, ()>(String::new())
            })
            .await
            .unwrap();
        assert!(empty.is_empty());
        // Same generation: the same (empty) answer, no read.
        let again = shared
            .get(1, 0, "c", 10, non_empty, || async {
                Ok::<_, ()>("unread".to_string())
            })
            .await
            .unwrap();
        assert!(again.is_empty());
        // A woken long-poll (a later generation) reads anew and sees the commit.
        let woken = shared
            .get(2, 0, "c", 10, non_empty, || async {
                Ok::<_, ()>("new".to_string())
            })
            .await
            .unwrap();
        assert_eq!(*woken, "new");
    }

    #[tokio::test]
    async fn a_request_that_does_not_wait_reads_an_empty_page_anew_but_only_once() {
        let shared = SharedPages::<String>::default();
        let reads = AtomicU32::new(0);
        let read = |v: &'static str| {
            let reads = &reads;
            move || async move {
                reads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(v.to_string())
            }
        };
        // Its own read of an empty page: not read a second time.
        let own = shared
            .get_with(1, 0, "c", 10, false, non_empty, read(""))
            .await;
        assert!(own.unwrap().is_empty());
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Someone else's empty page of the same generation: a long-poll shares it…
        let shared_empty = shared.get(1, 0, "c", 10, non_empty, read("unread")).await;
        assert!(shared_empty.unwrap().is_empty());
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // …a request that does not wait reads anew, and sees what was written beside it.
        let anew = shared
            .get_with(1, 0, "c", 10, false, non_empty, read("new"))
            .await;
        assert_eq!(*anew.unwrap(), "new");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        // A page with changes is shared with it as with anyone.
        let with_changes = shared
            .get_with(1, 0, "c", 10, false, non_empty, read("other"))
            .await;
        assert_eq!(*with_changes.unwrap(), "new");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let shared = SharedPages::<String>::default();
        let failed = shared
            .get(1, 0, "c", 10, non_empty, || async {
                Err::<String, _>("busy")
            })
            .await;
        assert_eq!(failed.unwrap_err(), "busy");
        let ok = shared
            .get(1, 0, "c", 10, non_empty, || async {
                Ok::<_, &str>("page".to_string())
            })
            .await;
        assert_eq!(*ok.unwrap(), "page");
    }
}
