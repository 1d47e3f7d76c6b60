//! What a template can read of its context: the static prefix of every variable path in it
//! (`flow.data.first_name`; `widgets.menu.parsed.items` for `widgets.menu.parsed.items[i].name`;
//! `widgets.x` for `widgets.x.size`). A render sees the values at the ends of these paths whole and
//! the objects along them only through these keys, so it gives the same output against a context
//! reduced to those values. A host that owns the context in another memory (the npm package: a
//! JavaScript object) copies only that part across instead of the whole context.
//!
//! The list is conservative: every name in an expression counts (a loop variable, a filter's
//! keyword, a literal such as `true` are roots that the context rarely has), and a root looked up
//! by a computed name (`[name]`) reads everything. Partials count whole
//! ([`crate::Liquid::reads`] adds every partial's reads).

/// The parts of a context a template can read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Key paths from the context's root, none a prefix of another, sorted: the value at the end
    /// of each is read whole, the objects along it only by these keys.
    pub paths: Vec<Vec<String>>,
    /// The template may read anything (the whole context is needed).
    pub everything: bool,
}

impl Reads {
    /// Adds a path (an empty one is the whole context).
    pub(crate) fn add(&mut self, path: Vec<String>) {
        if path.is_empty() {
            self.everything = true;
        } else {
            self.paths.push(path);
        }
    }

    /// Adds another template's reads.
    pub(crate) fn extend(&mut self, other: &Reads) {
        self.everything |= other.everything;
        self.paths.extend(other.paths.iter().cloned());
    }

    /// Sorts, and drops every path that another one is a prefix of (its value is read whole).
    pub(crate) fn normalize(&mut self) {
        if self.everything {
            self.paths.clear();
            return;
        }
        self.paths.sort();
        self.paths.dedup();
        let mut kept: Vec<Vec<String>> = Vec::with_capacity(self.paths.len());
        for p in std::mem::take(&mut self.paths) {
            // Sorted: a prefix of `p` sorts right before the paths it covers.
            if kept.last().is_some_and(|k| p.starts_with(k)) {
                continue;
            }
            kept.push(p);
        }
        self.paths = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::Reads;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn prefixes_cover_longer_paths() {
        let mut r = Reads::default();
        for path in ["a.b.c", "a.b", "x", "a.bc", "x.y", "a.b.d"] {
            r.add(p(path));
        }
        r.normalize();
        assert_eq!(r.paths, vec![p("a.b"), p("a.bc"), p("x")]);
        r.add(Vec::new());
        r.normalize();
        assert!(r.everything && r.paths.is_empty());
    }
}
