//! A few values by id: by engine id (an execution's messages, requests, outside waits), or by a
//! flow test's stub URL (its calls).

/// Values by id (an engine id unless said otherwise), in the order first inserted. A list, not a
/// `BTreeMap`: an execution has at most a few hundred of each (its steps are bounded), a test case
/// a few stubs, and a map's code would be in the wasm once more for every key and value type
/// (about 1 kB gzip each; BENCHMARKS.md, Bundle size).
#[derive(Clone, Debug, PartialEq)]
pub struct ById<V, K = u32>(Vec<(K, V)>);

impl<V, K> Default for ById<V, K> {
    fn default() -> Self {
        ById(Vec::new())
    }
}

impl<V, K: PartialEq> ById<V, K> {
    pub fn get(&self, id: &K) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// Sets the value of `id` (replacing the one it had).
    pub fn insert(&mut self, id: K, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == id) {
            Some((_, v)) => *v = value,
            None => self.0.push((id, value)),
        }
    }

    /// The value of `id`, added as the default first if it has none.
    pub fn get_or_default(&mut self, id: K) -> &mut V
    where
        V: Default,
    {
        let at = match self.0.iter().position(|(k, _)| *k == id) {
            Some(at) => at,
            None => {
                self.0.push((id, V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }
}

#[cfg(test)]
mod tests {
    use super::ById;

    #[test]
    fn insert_replaces_and_get_or_default_adds_once() {
        let mut m: ById<String> = ById::default();
        assert_eq!(m.get(&7), None);
        m.insert(7, "a".into());
        m.insert(3, "b".into());
        m.insert(7, "c".into());
        assert_eq!(m.get(&7).map(String::as_str), Some("c"));
        assert_eq!(m.get(&3).map(String::as_str), Some("b"));
        m.get_or_default(9).push('x');
        m.get_or_default(9).push('y');
        assert_eq!(m.get(&9).map(String::as_str), Some("xy"));
        assert_eq!(m.0.len(), 3);
    }
}
