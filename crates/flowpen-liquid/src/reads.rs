//! What a template can read of its context: every variable path in it as keys and indexes
//! (`flow.data.first_name`; `widgets.menu.parsed.items[*].name` for
//! `widgets.menu.parsed.items[i].name`; `widgets.x` for `widgets.x.size`). A render sees the values
//! at the ends of these paths whole, the objects along them only through these keys and the
//! arrays along them only through their elements, so it gives the same output against a context
//! reduced to those values (arrays keep their length). A host that owns the context in another memory (the npm package: a
//! JavaScript object) copies only that part across instead of the whole context.
//!
//! The list is conservative: every name in an expression counts (a loop variable, a filter's
//! keyword, a literal such as `true` are roots that the context rarely has), and a root looked up
//! by a computed name (`[name]`) reads everything. Partials count whole
//! ([`crate::Liquid::reads`] adds every partial's reads).

/// One step of a read path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seg {
    /// A key of an object (an array there is read whole).
    Key(String),
    /// Any element of an array (`[0]`, `[i]`, `first`, `last`): every element is read through the
    /// rest of the path. An object there (a computed key) is read whole.
    Each,
}

/// The parts of a context a template can read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Paths from the context's root (the first step a key), none a prefix of another, none
    /// ending with [`Seg::Each`], sorted: the value at the end of each is read whole, the objects
    /// and arrays along it only through its steps.
    pub paths: Vec<Vec<Seg>>,
    /// The template may read anything (the whole context is needed).
    pub everything: bool,
}

impl Reads {
    /// Adds a path (an empty one is the whole context).
    pub(crate) fn add(&mut self, mut path: Vec<Seg>) {
        // Every element read whole is the array read whole.
        while path.last() == Some(&Seg::Each) {
            path.pop();
        }
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
        self.paths = crate::value::sort_stable_by(std::mem::take(&mut self.paths), Ord::cmp);
        self.paths.dedup();
        let mut kept: Vec<Vec<Seg>> = Vec::with_capacity(self.paths.len());
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
    use super::{Reads, Seg};

    fn p(s: &str) -> Vec<Seg> {
        s.split('.')
            .map(|k| match k {
                "*" => Seg::Each,
                k => Seg::Key(k.to_owned()),
            })
            .collect()
    }

    #[test]
    fn prefixes_cover_longer_paths() {
        let mut r = Reads::default();
        for path in [
            "a.b.c", "a.b", "x", "a.bc", "x.y", "a.b.d", "l.*.n", "l.*.m.*", "k.*",
        ] {
            r.add(p(path));
        }
        r.normalize();
        assert_eq!(
            r.paths,
            vec![p("a.b"), p("a.bc"), p("k"), p("l.*.m"), p("l.*.n"), p("x")]
        );
        r.add(Vec::new());
        r.normalize();
        assert!(r.everything && r.paths.is_empty());
    }
}
