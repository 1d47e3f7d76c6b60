//! The work budget of one render: every render is bounded by construction.
//!
//! Studio's own caps (15 iterations per loop, 16 KB of output) do not bound the work a template can
//! ask for: one filter can build a value far larger than its input (`replace`, a `strftime` width),
//! a value that doubles in a loop grows exponentially, and some operations are more than linear in
//! their input (sorting). So every place that does work in proportion to data first charges the
//! render's [`Budget`] with that work, computed with saturating arithmetic from sizes it already
//! knows, and only then allocates or loops:
//!
//! - a block charges [`STEP`] for every element of the body it is about to render, a loop
//!   [`ITERATION`] for every iteration, a filter [`STEP`] per call, a condition [`STEP`] per
//!   comparison, a variable lookup [`LOOKUP`] per path segment;
//! - text work is charged in bytes (one unit per byte read or written), value work in values
//!   ([`ITEM`] per value visited, copied, hashed or compared), both before the work happens;
//! - writes of output (and of captures) are charged by the writer before it grows.
//!
//! A render that would go past its budget ends with an [`ErrorKind::TooMuchWork`] error that names
//! the filter or tag and carries its position, the way Studio ends a template that fails. Once
//! refused, a budget refuses everything, so a refusal that a path cannot report at once (a lookup)
//! still ends the render.
//!
//! **Units and numbers.** A unit is about a byte copied. The other weights were measured (release
//! build, this project's 2-core machine, other builds running): for each kind of work, a template
//! that does nothing else until its budget runs out, and the weight raised until that kind costs
//! at most about 0.3 ns per unit; most cost 0.2 to 0.3 (`examples/bench.rs` prints such templates'
//! time and work; BENCHMARKS.md records them). So [`STUDIO_WORK`] is a few milliseconds of work
//! at most. Legitimate templates are far below it: a corpus template or a Studio test case uses at
//! most 50,000 units, except two tests built to reach Studio's other limits first (a string doubled
//! to the 1 MiB value limit, 2.7 million units; nested loops reaching the 10,000-iteration cap,
//! 6.8 million), which [`STUDIO_WORK`] must leave to those limits.

use std::cell::Cell;

use liquid_core::model::ValueView;
use liquid_core::Result;

use crate::error::{raise, ErrorKind};
use crate::value::{kind, Kind, ObjRef};

/// The work budget of a Studio-mode render, in units (16 Mi, about 5 ms at most): more than twice
/// what reaching Studio's iteration cap takes (6.8 million units), so that the cap keeps its error.
pub(crate) const STUDIO_WORK: u64 = 16 << 20;

/// The work budget of a standard-mode render (no output cap, no loop cap), four times Studio's: a
/// few tens of milliseconds at most. The largest case of the golden-liquid suite uses 55,000
/// units, its benchmark fixtures 150,000.
pub(crate) const STANDARD_WORK: u64 = 64 << 20;

/// One value visited, copied, hashed or compared: an array item, an object entry, a number (a
/// `kind` dispatch and a clone, about 40 ns).
pub(crate) const ITEM: u64 = 160;

/// One element of a template rendered (a tag, an output, a run of text), one filter applied, one
/// condition or `when` value compared, before the data it touches (about 120 ns: liquid-core
/// evaluates arguments into new vectors and checks for `break` after every element).
pub(crate) const STEP: u64 = 512;

/// One loop iteration: a frame with its loop variable and `forloop` object (about 150 ns).
pub(crate) const ITERATION: u64 = 640;

/// One segment of a variable path looked up (`a`, `.b`, `[0]`), or one loop frame a lookup passes
/// through on its way to the variable.
pub(crate) const LOOKUP: u64 = 128;

/// One match found in a text and replaced, one character escaped: a piece of the result written
/// on its own, besides its bytes.
pub(crate) const MATCH: u64 = 32;

/// One byte searched for a pattern of several bytes (`str::find`'s two-way search, about 1 ns;
/// copying a byte costs one unit).
pub(crate) const SCAN: u64 = 4;

/// Where work was refused, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    Filter(&'static str),
    Tag(&'static str),
    /// Writing output or a capture.
    Output,
    /// A variable lookup.
    Lookup,
    /// A variable's copy of its value (`assign`, `capture`).
    Variable,
}

impl Site {
    fn describe(self) -> String {
        match self {
            Site::Filter(name) | Site::Tag(name) => {
                format!("'{}'", name.trim_start_matches("___"))
            }
            Site::Output => "writing the output".to_owned(),
            Site::Lookup => "a variable lookup".to_owned(),
            Site::Variable => "storing a variable".to_owned(),
        }
    }
}

/// The work budget of one render.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    /// Units still available; 0 once a charge has been refused.
    left: Cell<u64>,
    /// Units charged and granted.
    used: Cell<u64>,
    /// The first refusal.
    refused: Cell<Option<Site>>,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit,
            left: Cell::new(limit),
            used: Cell::new(0),
            refused: Cell::new(None),
        }
    }

    /// Takes `units` of work for `site`, or refuses (an error) when they are not left.
    #[inline]
    pub fn charge(&self, units: u64, site: Site) -> Result<()> {
        let left = self.left.get();
        if units <= left {
            self.left.set(left - units);
            self.used.set(self.used.get() + units);
            Ok(())
        } else {
            Err(self.refuse(site))
        }
    }

    #[cold]
    fn refuse(&self, site: Site) -> liquid_core::Error {
        self.left.set(0);
        if self.refused.get().is_none() {
            self.refused.set(Some(site));
        }
        raise(ErrorKind::TooMuchWork, self.message(site), None)
    }

    fn message(&self, site: Site) -> String {
        format!(
            "{} would go past the work budget of one render ({} units)",
            site.describe(),
            self.limit
        )
    }

    /// The message of the first refusal, if there was one.
    pub fn refusal(&self) -> Option<String> {
        self.refused.get().map(|site| self.message(site))
    }

    pub fn used(&self) -> u64 {
        self.used.get()
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// A meter that charges this budget for `site`.
    pub fn meter(&self, site: Site) -> Meter<'_> {
        Meter { budget: self, site }
    }
}

/// A budget and the site charging it, for work done deep inside a value.
#[derive(Clone, Copy)]
pub(crate) struct Meter<'b> {
    budget: &'b Budget,
    site: Site,
}

impl Meter<'_> {
    #[inline]
    pub fn take(&self, units: u64) -> Result<()> {
        self.budget.charge(units, self.site)
    }

    /// Charges the work of reading or copying `v` whole, as it walks it: [`ITEM`] per value and
    /// one unit per byte of its strings and keys. The walk stops at the first refusal, so it never
    /// costs more than the budget that is left.
    pub fn value(&self, v: &dyn ValueView) -> Result<()> {
        self.take(ITEM)?;
        match kind(v) {
            Kind::Str(s) => self.take(s.len() as u64),
            Kind::Array(a) => a.values().try_for_each(|item| self.value(item)),
            Kind::Object(ObjRef::View(o)) => o.iter().try_for_each(|(k, item)| {
                self.take(k.as_str().len() as u64)?;
                self.value(item)
            }),
            // `[marker, [k, v], …]`: the pairs are arrays of a key and a value.
            Kind::Object(ObjRef::Pairs(a)) => a.values().skip(1).try_for_each(|p| self.value(p)),
            _ => Ok(()),
        }
    }
}

/// The work of finding a key in an object: an encoded object (a filter's result) is searched
/// pair by pair, an object of the context has an index.
pub(crate) fn key_cost(o: ObjRef<'_>) -> u64 {
    match o {
        ObjRef::View(_) => 0,
        ObjRef::Pairs(a) => units(a.size().max(0) as usize, ITEM),
    }
}

/// `count` things of `each` units, saturating.
pub(crate) fn units(count: usize, each: u64) -> u64 {
    (count as u64).saturating_mul(each)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::payload;
    use crate::value::Val;

    #[test]
    fn a_refused_charge_refuses_everything_after_it() {
        let b = Budget::new(100);
        assert!(b.charge(60, Site::Output).is_ok());
        let e = b.charge(41, Site::Filter("replace")).expect_err("over");
        let p = payload(&e).expect("ours");
        assert_eq!(p.kind, ErrorKind::TooMuchWork);
        assert_eq!(
            p.message,
            "'replace' would go past the work budget of one render (100 units)"
        );
        assert!(b.charge(1, Site::Lookup).is_err());
        assert_eq!(b.used(), 60);
        assert_eq!(
            b.refusal().as_deref(),
            Some("'replace' would go past the work budget of one render (100 units)")
        );
    }

    #[test]
    fn weighing_a_value_counts_items_and_bytes_and_stops_early() {
        let v = Val::from_json(&serde_json::json!(["abc", {"k": [1, 2]}]));
        let b = Budget::new(u64::MAX);
        b.meter(Site::Output).value(&v).expect("fits");
        // array, "abc", object, key "k", [1, 2], 1, 2.
        assert_eq!(b.used(), 6 * ITEM + 3 + 1);
        let small = Budget::new(2 * ITEM);
        assert!(small.meter(Site::Output).value(&v).is_err());
        assert!(small.used() <= 2 * ITEM);
    }
}
