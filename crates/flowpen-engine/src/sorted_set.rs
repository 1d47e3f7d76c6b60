//! [`SortedSet`]: a small ordered set kept as a sorted `Vec`.
//!
//! For sets a person builds by hand, such as breakpoints (at most one per widget of a project):
//! lookups are a binary search and an insertion moves the items after it. Its code is a fraction
//! of a `BTreeSet`'s, which the app compiles once per element type (SIZE-NOTES.md).

use std::borrow::Borrow;
use std::fmt;

/// An ordered set of distinct items, iterated in order.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet(Vec::new())
    }
}

impl<T: Ord> SortedSet<T> {
    pub fn new() -> Self {
        SortedSet(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, item: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
    {
        self.0.binary_search_by(|x| x.borrow().cmp(item))
    }

    /// Adds `item`; `false` when it was there already (the set is unchanged).
    pub fn insert(&mut self, item: T) -> bool {
        match self.find(&item) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, item);
                true
            }
        }
    }

    /// Removes `item`; `false` when it was not there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        match self.find(item) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(item).is_ok()
    }
}

impl<T> SortedSet<T> {
    /// The items in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    /// By insertion, one item at a time (no sort: one copy less of it in the app).
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.insert(item);
        }
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(items);
        set
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(items: [T; N]) -> Self {
        items.into_iter().collect()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::SortedSet;

    #[test]
    fn keeps_distinct_items_in_order() {
        let mut s: SortedSet<String> = ["b", "a", "c", "a"].map(String::from).into();
        assert_eq!(s.len(), 3);
        assert_eq!(
            s.iter().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert!(!s.insert("b".into()));
        assert!(s.insert("ab".into()));
        assert_eq!(
            s.iter().map(String::as_str).collect::<Vec<_>>(),
            ["a", "ab", "b", "c"]
        );
        assert!(s.contains("ab"));
        assert!(s.remove("a"));
        assert!(!s.remove("a"));
        assert!(!s.contains("a"));
        assert_eq!(format!("{s:?}"), r#"{"ab", "b", "c"}"#);
        let same: SortedSet<String> = ["c", "b", "ab"].map(String::from).into();
        assert_eq!(s, same);
        s.extend(["z".to_owned()]);
        assert_eq!(s.iter().last().map(String::as_str), Some("z"));
        assert!(SortedSet::<u8>::default().is_empty());
    }
}
