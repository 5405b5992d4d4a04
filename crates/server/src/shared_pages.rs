//! Long-polls woken by the same commit mostly ask for the same page: every device that was
//! caught up holds the same cursor. Each distinct `(commit generation, cursor, limit)` is read
//! once, by the first request to ask; the others wait for it and answer the same page.
//!
//! A page read at generation g is a correct answer for its cursor at any later time too (it
//! covers exactly what it holds; a later commit is simply in the next page), so sharing never
//! serves a wrong page. Entries live for one generation only: after the next commit a woken
//! long-poll reads afresh, or it would be handed the empty page it waited on.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    generation: u64,
    cursor: String,
    limit: u32,
}

/// Pages in flight or read during the current generation.
pub struct SharedPages<T> {
    pages: Mutex<HashMap<Key, Arc<OnceCell<Arc<T>>>>>,
}

/// Distinct cursors kept in one generation: devices catching up from old cursors each have
/// their own, and their big pages are not worth keeping.
const KEPT: usize = 64;

impl<T> Default for SharedPages<T> {
    fn default() -> Self {
        SharedPages {
            pages: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> SharedPages<T> {
    /// The page of `cursor` at `generation`: read by `read` unless another request of the same
    /// generation and cursor read it or is reading it.
    pub async fn get<E, F, Fut>(
        &self,
        generation: u64,
        cursor: &str,
        limit: u32,
        read: F,
    ) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = Key {
            generation,
            cursor: cursor.to_string(),
            limit,
        };
        let cell = {
            let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
            pages.retain(|k, _| k.generation >= generation);
            if pages.len() >= KEPT && !pages.contains_key(&key) {
                pages.clear();
            }
            pages.entry(key).or_default().clone()
        };
        cell.get_or_try_init(|| async { read().await.map(Arc::new) })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn one_read_per_generation_and_cursor_however_many_ask() {
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
            shared.get(1, "c", 10, read("x")),
            shared.get(1, "c", 10, read("y"))
        );
        assert_eq!((a.unwrap().as_str(), b.unwrap().as_str()), ("x", "x"));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Another cursor, another limit, or the next commit: read again.
        assert_eq!(*shared.get(1, "d", 10, read("d")).await.unwrap(), "d");
        assert_eq!(*shared.get(1, "c", 20, read("l")).await.unwrap(), "l");
        assert_eq!(*shared.get(2, "c", 10, read("z")).await.unwrap(), "z");
        assert_eq!(reads.load(Ordering::SeqCst), 4);
        // The older generation is gone.
        assert_eq!(
            *shared.get(1, "c", 10, read("again")).await.unwrap(),
            "again"
        );
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let shared = SharedPages::<String>::default();
        let failed = shared
            .get(1, "c", 10, || async { Err::<String, _>("busy") })
            .await;
        assert_eq!(failed.unwrap_err(), "busy");
        let ok = shared
            .get(1, "c", 10, || async { Ok::<_, &str>("page".to_string()) })
            .await;
        assert_eq!(*ok.unwrap(), "page");
    }
}
