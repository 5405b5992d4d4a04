//! What the floors above the store keep per open store — the list's position indexes and
//! counts, the import's checked files — held here without the store knowing their types, so
//! the bottom floor never imports from the floors it serves.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};

/// One value of each type, created with `Default` on first use.
#[derive(Default)]
pub(crate) struct Memos(Mutex<HashMap<TypeId, Box<dyn Any + Send>>>);

impl Memos {
    /// Runs `f` on this store's value of type `T`. Keep `f` short: one lock serves every type.
    pub(crate) fn with<T: Default + Send + 'static, R>(
        &self,
        f: impl FnOnce(&mut T) -> R,
    ) -> Result<R> {
        let mut memos = self
            .0
            .lock()
            .map_err(|_| Error::Internal("a cache lock was poisoned".into()))?;
        let slot = memos
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        match slot.downcast_mut::<T>() {
            Some(value) => Ok(f(value)),
            None => Err(Error::Internal(
                "a cache held a value of another type".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_has_its_own_value_that_lasts() {
        let memos = Memos::default();
        memos.with(|n: &mut u32| *n += 2).unwrap();
        memos.with(|s: &mut String| s.push('x')).unwrap();
        assert_eq!(
            memos.with(|n: &mut u32| *n).unwrap(),
            2,
            "kept between calls"
        );
        assert_eq!(
            memos.with(|s: &mut String| s.clone()).unwrap(),
            "x",
            "one value per type"
        );
    }
}
