//! Array filters. Their input is read like Ruby Liquid's `InputIterator`: an array (flattened), a
//! single value as a one-item list, nil as an empty list.
//!
//! Work is charged as it is about to be done: [`ITEM`] per item listed, the weight of every item
//! copied into a result, every key looked up, every comparison of a sort, every value hashed or
//! compared by `uniq`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use liquid_core::model::{Value, ValueView};
use liquid_core::Result;

use super::{string, Call};
use crate::budget::{key_cost, units, Meter, ITEM, SCAN};
use crate::error::render_error;
use crate::value::{
    equals, kind, kind_number, print, sort_stable_by, to_text, truthy, Kind, Num, ObjRef,
};

/// The items of a filter's input, charging [`ITEM`] for each.
pub(crate) fn seq<'v>(call: &Call<'_>, v: &'v dyn ValueView) -> Result<Vec<&'v dyn ValueView>> {
    let mut out = Vec::new();
    flatten(v, &mut out, 0, &call.meter())?;
    Ok(out)
}

fn flatten<'a>(
    v: &'a dyn ValueView,
    out: &mut Vec<&'a dyn ValueView>,
    depth: usize,
    m: &Meter<'_>,
) -> Result<()> {
    match kind(v) {
        Kind::Nil if depth == 0 => {}
        Kind::Array(a) if depth < 64 => {
            m.take(units(a.size().max(0) as usize, ITEM))?;
            for item in a.values() {
                flatten(item, out, depth + 1, m)?;
            }
        }
        _ => {
            if depth == 0 {
                m.take(ITEM)?;
            }
            out.push(v);
        }
    }
    Ok(())
}

/// A new array of copies of `items`, each charged before it is made.
fn list(call: &Call<'_>, items: &[&dyn ValueView]) -> Result<Value> {
    call.limit(items.len() as u64)?;
    let mut out = Vec::with_capacity(items.len());
    for v in items {
        out.push(call.copy(*v)?);
    }
    Ok(Value::Array(out))
}

/// The property argument of a filter as a key, printed once.
fn key_text<'k>(call: &Call<'_>, key: &'k dyn ValueView) -> Result<Cow<'k, str>> {
    call.text(key)
}

/// `item[property]` for an object item (sorting, `uniq`, `compact`), charging the search.
fn property<'a>(
    call: &Call<'_>,
    item: &'a dyn ValueView,
    key: &dyn ValueView,
    text: &str,
) -> Result<Option<&'a dyn ValueView>> {
    match kind(item) {
        Kind::Object(o) => {
            call.charge(key_cost(o))?;
            Ok(o.get(text))
        }
        Kind::Array(_) => Err(property_error(key)),
        _ => Ok(None),
    }
}

fn property_error(key: &dyn ValueView) -> liquid_core::Error {
    render_error(format!("cannot select the property '{}'", to_text(key)))
}

/// `item[property]` as Ruby evaluates it in `where`, `reject`, `find`, `find_index`, `has` and
/// `sum`: a key of an object, a substring of a string, a bit of an integer, an item of an array.
enum Got<'a> {
    Ref(&'a dyn ValueView),
    Own(Value),
    Missing,
    /// The item has no `[]` (nil, a boolean, a float): Ruby's filter gives nil.
    Abort,
}

/// [`Got`], charging the search (a string is searched or counted through).
fn lookup<'a>(item: &'a dyn ValueView, key: &dyn ValueView, m: &Meter<'_>) -> Result<Got<'a>> {
    Ok(match (kind(item), kind(key)) {
        (Kind::Object(o), Kind::Str(k)) => {
            m.take(key_cost(o))?;
            o.get(&k).map_or(Got::Missing, Got::Ref)
        }
        (Kind::Object(_), _) => Got::Missing,
        (Kind::Str(s), Kind::Str(k)) => {
            m.take(
                (s.len() as u64)
                    .saturating_mul(SCAN)
                    .saturating_add(2 * k.len() as u64),
            )?;
            if s.contains(k.as_ref()) {
                Got::Own(string(k.into_owned()))
            } else {
                Got::Missing
            }
        }
        (Kind::Str(s), Kind::Int(i)) => {
            m.take(2 * s.len() as u64)?;
            crate::runtime::index(s.chars().count(), i)
                .and_then(|i| s.chars().nth(i))
                .map_or(Got::Missing, |c| Got::Own(string(c.to_string())))
        }
        (Kind::Int(n), Kind::Int(bit)) => Got::Own(Value::scalar(if (0..64).contains(&bit) {
            (n >> bit) & 1
        } else {
            i64::from(n < 0)
        })),
        (Kind::Array(a), Kind::Int(i)) => crate::runtime::index(a.size() as usize, i)
            .and_then(|i| a.get(i as i64))
            .map_or(Got::Missing, Got::Ref),
        (Kind::Str(_) | Kind::Int(_) | Kind::Array(_), _) => return Err(property_error(key)),
        _ => Got::Abort,
    })
}

/// At most how long an item prints (`to_text`): a string's length, a number's digits, the work of
/// printing anything else (see `Meter::value`, which this charges).
fn printed_len(call: &Call<'_>, v: &dyn ValueView) -> Result<u64> {
    Ok(match kind(v) {
        Kind::Str(s) => s.len() as u64,
        Kind::Nil | Kind::Empty | Kind::Blank => 0,
        Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => 32,
        Kind::Array(_) | Kind::Object(_) => {
            let before = call.shared.budget.used();
            call.meter().value(v)?;
            // Printing escapes (`"` becomes `\"`): at most twice what was weighed.
            (call.shared.budget.used() - before).saturating_mul(2)
        }
    })
}

pub(super) fn join(call: &Call<'_>) -> Result<Value> {
    let sep = match call.arg(0) {
        Some(v) => call.text(v)?,
        None => Cow::Borrowed(" "),
    };
    let items = seq(call, call.input)?;
    // Printing each item.
    call.charge(units(items.len(), ITEM))?;
    // The result's length, at most, before building it.
    let mut len = units(items.len().saturating_sub(1), sep.len() as u64);
    for v in &items {
        len = len.saturating_add(printed_len(call, *v)?);
    }
    call.limit(len)?;
    call.charge(len)?;
    let mut out = String::with_capacity(len.min(1 << 20) as usize);
    for (i, v) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        print(&mut out, v, false);
    }
    Ok(string(out))
}

pub(super) fn first(call: &Call<'_>) -> Result<Value> {
    Ok(match kind(call.input) {
        Kind::Array(a) => match a.first() {
            Some(v) => call.copy(v)?,
            None => Value::Nil,
        },
        // Ruby's `Hash#first` is the first `[key, value]` pair.
        Kind::Object(o) => {
            call.charge(units(o.size().max(0) as usize, ITEM))?;
            match o.entries().into_iter().next() {
                Some((k, v)) => {
                    call.charge(k.as_str().len() as u64)?;
                    Value::Array(vec![string(k.as_str()), call.copy(v)?])
                }
                None => Value::Nil,
            }
        }
        Kind::Str(s) => s
            .chars()
            .next()
            .map_or(Value::Nil, |c| string(c.to_string())),
        _ => Value::Nil,
    })
}

pub(super) fn last(call: &Call<'_>) -> Result<Value> {
    Ok(match kind(call.input) {
        Kind::Array(a) => match a.last() {
            Some(v) => call.copy(v)?,
            None => Value::Nil,
        },
        Kind::Str(s) => s
            .chars()
            .next_back()
            .map_or(Value::Nil, |c| string(c.to_string())),
        _ => Value::Nil,
    })
}

pub(super) fn concat(call: &Call<'_>) -> Result<Value> {
    let Some(Kind::Array(other)) = call.arg(0).map(kind) else {
        return Err(render_error("concat expects an array argument"));
    };
    let mut items = seq(call, call.input)?;
    call.charge(units(other.size().max(0) as usize, ITEM))?;
    items.extend(other.values());
    list(call, &items)
}

pub(super) fn reverse(call: &Call<'_>) -> Result<Value> {
    let mut items = seq(call, call.input)?;
    items.reverse();
    list(call, &items)
}

pub(super) fn map(call: &Call<'_>) -> Result<Value> {
    let key = match call.arg(0) {
        Some(k) => key_text(call, k)?,
        None => Cow::Borrowed(""),
    };
    let items = seq(call, call.input)?;
    call.limit(items.len() as u64)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(match kind(item) {
            Kind::Object(o) => {
                call.charge(key_cost(o))?;
                match o.get(&key) {
                    Some(v) => call.copy(v)?,
                    None => Value::Nil,
                }
            }
            Kind::Nil => Value::Nil,
            _ => return Err(render_error(format!("cannot select the property '{key}'"))),
        });
    }
    Ok(Value::Array(out))
}

/// A sort key whose order is total, as Rust's sort requires (a comparison that is not may make it
/// panic).
enum SortKey<'a> {
    /// An integer (exact) or a float that is not NaN: ordered by value, ties between an integer
    /// and a float of the same `f64` broken by their exact values.
    Number(f64, i128),
    Text(Cow<'a, str>),
    Nil,
}

impl SortKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortKey::Number(a, x), SortKey::Number(b, y)) => {
                a.partial_cmp(b).unwrap_or(Ordering::Equal).then(x.cmp(y))
            }
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Nil, SortKey::Nil) => Ordering::Equal,
            // Nil sorts last (and numbers never meet strings: see `sort`).
            (SortKey::Nil, _) => Ordering::Greater,
            (_, SortKey::Nil) => Ordering::Less,
            (SortKey::Number(..), SortKey::Text(_)) => Ordering::Less,
            (SortKey::Text(_), SortKey::Number(..)) => Ordering::Greater,
        }
    }

    fn len(&self) -> usize {
        match self {
            SortKey::Text(t) => t.len(),
            _ => 0,
        }
    }
}

/// One comparison of two sort keys already read (a few nanoseconds).
const COMPARE: u64 = 32;

/// Sorts `items` by `keys` (one per item), after charging the whole sort: at most
/// `n (⌈log₂ n⌉ + 2)` comparisons, each [`COMPARE`] and, for texts, the bytes compared (in a
/// merge sort, a comparison costs at most the length of the key that it moves into place, so the
/// bytes are at most every key's length per level).
fn sorted<'a>(
    call: &Call<'_>,
    items: Vec<&'a dyn ValueView>,
    keys: Vec<SortKey<'_>>,
) -> Result<Vec<&'a dyn ValueView>> {
    let n = keys.len();
    let levels = u64::from(usize::BITS - n.leading_zeros()) + 2;
    let bytes = keys
        .iter()
        .map(|k| k.len() as u64)
        .fold(0u64, u64::saturating_add);
    call.charge(
        units(n, COMPARE)
            .saturating_add(bytes)
            .saturating_mul(levels),
    )?;
    let order: Vec<(&'a dyn ValueView, SortKey<'_>)> = items.into_iter().zip(keys).collect();
    let order = sort_stable_by(order, |(_, x), (_, y)| x.cmp(y));
    Ok(order.into_iter().map(|(item, _)| item).collect())
}

/// The value to sort every item by: the item, or its property.
fn sort_values<'a>(
    call: &Call<'_>,
    items: &[&'a dyn ValueView],
    key: Option<&dyn ValueView>,
) -> Result<Vec<Option<&'a dyn ValueView>>> {
    match key {
        None => Ok(items.iter().map(|v| Some(*v)).collect()),
        Some(k) => {
            let text = key_text(call, k)?;
            items.iter().map(|v| property(call, *v, k, &text)).collect()
        }
    }
}

pub(super) fn sort(call: &Call<'_>) -> Result<Value> {
    let items = seq(call, call.input)?;
    let values = sort_values(call, &items, call.arg(0).filter(|k| !k.is_nil()))?;
    // Ruby's `<=>`: numbers with numbers, strings with strings, nil last; any other pair cannot be
    // compared, and a sort of two values or more that are not nil compares some pair of them.
    let incompatible = || render_error("cannot sort values of incompatible types");
    let mut keys = Vec::with_capacity(values.len());
    let (mut numbers, mut texts, mut others) = (0, 0, 0);
    for v in &values {
        keys.push(match v.map_or(Kind::Nil, kind) {
            Kind::Nil => SortKey::Nil,
            Kind::Int(i) => {
                numbers += 1;
                SortKey::Number(i as f64, i128::from(i))
            }
            Kind::Float(f) if !f.is_nan() => {
                numbers += 1;
                SortKey::Number(f, f as i128)
            }
            Kind::Str(s) => {
                texts += 1;
                SortKey::Text(s)
            }
            _ => {
                others += 1;
                SortKey::Nil
            }
        });
    }
    let present = numbers + texts + others;
    if present > 1 && (others > 0 || (numbers > 0 && texts > 0)) {
        return Err(incompatible());
    }
    let sorted = sorted(call, items, keys)?;
    list(call, &sorted)
}

pub(super) fn sort_natural(call: &Call<'_>) -> Result<Value> {
    let items = seq(call, call.input)?;
    let values = sort_values(call, &items, call.arg(0).filter(|k| !k.is_nil()))?;
    // Ruby's `casecmp`: nil sorts last, everything else by its lowercased text, computed once per
    // item (lowercasing can grow a text, at most 3 times).
    let keys = values
        .into_iter()
        .map(|v| match v.map(kind) {
            None | Some(Kind::Nil) => Ok(SortKey::Nil),
            Some(_) => {
                let text = call.text(v.unwrap_or(&Value::Nil))?;
                call.charge(ITEM.saturating_add((text.len() as u64).saturating_mul(3)))?;
                Ok(SortKey::Text(Cow::Owned(text.to_lowercase())))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let sorted = sorted(call, items, keys)?;
    list(call, &sorted)
}

/// FxHash's mixing: fast, and the same on every run (only bucketing depends on it, never the
/// output).
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    /// Mixed once more (MurmurHash3's finaliser), so that values differing only in high bits
    /// (integers as floats) still spread over a table's buckets.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
}

/// A hash of a value that agrees with [`equals`]: equal values hash the same (an integer and the
/// float it equals, objects whatever their key order). `None` for a value holding `empty` or
/// `blank`, which equal values of other kinds and so cannot be hashed. Charges [`ITEM`] per value
/// and the bytes of strings.
///
/// Objects hash as the sum of their entries' hashes. That agrees with `equals` because no object
/// holds a key twice (context objects and liquid objects are maps, and every object this crate
/// builds is made from one).
fn equality_hash(v: &dyn ValueView, m: &Meter<'_>) -> Result<Option<u64>> {
    m.take(ITEM)?;
    let mut h = Fx::default();
    match kind(v) {
        Kind::Empty | Kind::Blank => return Ok(None),
        Kind::Nil => 0u8.hash(&mut h),
        Kind::Bool(b) => (1u8, b).hash(&mut h),
        // Integers hash as the float they equal; 0.0 and -0.0 are equal.
        Kind::Int(i) => (2u8, float_bits(i as f64)).hash(&mut h),
        Kind::Float(f) => (2u8, float_bits(f)).hash(&mut h),
        Kind::Str(s) => {
            m.take(s.len() as u64)?;
            (3u8, s.as_ref()).hash(&mut h);
        }
        Kind::Array(a) => {
            (4u8, a.size()).hash(&mut h);
            for item in a.values() {
                match equality_hash(item, m)? {
                    Some(x) => x.hash(&mut h),
                    None => return Ok(None),
                }
            }
        }
        Kind::Object(o) => {
            let mut sum = 0u64;
            let mut add = |k: &str, item: &dyn ValueView| -> Result<bool> {
                m.take(k.len() as u64)?;
                let Some(x) = equality_hash(item, m)? else {
                    return Ok(false);
                };
                let mut e = Fx::default();
                (k, x).hash(&mut e);
                sum = sum.wrapping_add(e.finish());
                Ok(true)
            };
            let hashable = match o {
                ObjRef::View(view) => {
                    let mut ok = true;
                    for (k, item) in view.iter() {
                        if !add(k.as_str(), item)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                }
                ObjRef::Pairs(_) => {
                    let mut ok = true;
                    for (k, item) in o.entries() {
                        if !add(k.as_str(), item)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                }
            };
            if !hashable {
                return Ok(None);
            }
            (5u8, o.size(), sum).hash(&mut h);
        }
    }
    Ok(Some(h.finish()))
}

fn float_bits(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// Ruby's `uniq` (first occurrences, in order; `==` decides, see [`equals`]), by hashing: an item
/// is compared only with the kept ones of the same hash, and with those that cannot be hashed.
pub(super) fn uniq(call: &Call<'_>) -> Result<Value> {
    let m = call.meter();
    let key = call.arg(0).filter(|k| !k.is_nil());
    let text = match key {
        Some(k) => Some(key_text(call, k)?),
        None => None,
    };
    let nil: &dyn ValueView = &Value::Nil;
    let mut kept: Vec<&dyn ValueView> = Vec::new();
    let mut kept_keys: Vec<&dyn ValueView> = Vec::new();
    // Kept keys by hash: the last one with each hash, and for each the one before it.
    let mut last: HashMap<u64, usize, BuildHasherDefault<Fx>> = HashMap::default();
    let mut before: Vec<Option<usize>> = Vec::new();
    let mut unhashable: Vec<usize> = Vec::new();
    for item in seq(call, call.input)? {
        let k = match (key, &text) {
            (Some(key), Some(text)) => property(call, item, key, text)?.unwrap_or(nil),
            _ => item,
        };
        let hash = equality_hash(k, &m)?;
        let mut seen = false;
        let mut check = |i: usize| -> Result<bool> {
            seen = seen || equals(kept_keys[i], k, &m)?;
            Ok(seen)
        };
        match hash {
            Some(h) => {
                let mut next = last.get(&h).copied();
                while let Some(i) = next {
                    if check(i)? {
                        break;
                    }
                    next = before[i];
                }
                for &i in &unhashable {
                    if check(i)? {
                        break;
                    }
                }
            }
            None => {
                for i in 0..kept_keys.len() {
                    if check(i)? {
                        break;
                    }
                }
            }
        }
        if !seen {
            let i = kept_keys.len();
            match hash {
                Some(h) => before.push(last.insert(h, i)),
                None => {
                    before.push(None);
                    unhashable.push(i);
                }
            }
            kept_keys.push(k);
            kept.push(item);
        }
    }
    list(call, &kept)
}

pub(super) fn compact(call: &Call<'_>) -> Result<Value> {
    let key = call.arg(0).filter(|k| !k.is_nil());
    let text = match key {
        Some(k) => Some(key_text(call, k)?),
        None => None,
    };
    let mut out = Vec::new();
    for item in seq(call, call.input)? {
        let v = match (key, &text) {
            (Some(key), Some(text)) => property(call, item, key, text)?,
            _ => Some(item),
        };
        if v.is_some_and(|v| !v.is_nil()) {
            out.push(item);
        }
    }
    list(call, &out)
}

/// Whether `item` matches `property` (and `target`, when given and not nil); `None` when the
/// filter gives nil instead.
fn matches(item: &dyn ValueView, call: &Call<'_>, m: &Meter<'_>) -> Result<Option<bool>> {
    let key = call.arg(0).unwrap_or(&Value::Nil);
    let got = lookup(item, key, m)?;
    let value: Option<&dyn ValueView> = match &got {
        Got::Ref(v) => Some(*v),
        Got::Own(v) => Some(v),
        Got::Missing => None,
        Got::Abort => return Ok(None),
    };
    Ok(Some(match call.arg(1).filter(|t| !t.is_nil()) {
        None => value.is_some_and(truthy),
        Some(target) => match value {
            Some(v) => equals(v, target, m)?,
            None => false,
        },
    }))
}

/// Runs `matches` over the input: `(index, item, matched)` until `stop` says so; `None` when the
/// filter gives nil.
fn scan<'a>(
    call: &'a Call<'_>,
    mut visit: impl FnMut(usize, &'a dyn ValueView, bool) -> bool,
) -> Result<Option<()>> {
    // Without a property nothing matches (and nothing is rejected).
    if call.arg(0).is_none_or(ValueView::is_nil) {
        return Ok(Some(()));
    }
    let m = call.meter();
    for (i, item) in seq(call, call.input)?.into_iter().enumerate() {
        match matches(item, call, &m)? {
            None => return Ok(None),
            Some(hit) => {
                if !visit(i, item, hit) {
                    break;
                }
            }
        }
    }
    Ok(Some(()))
}

pub(super) fn where_(call: &Call<'_>) -> Result<Value> {
    let mut out = Vec::new();
    let done = scan(call, |_, item, hit| {
        if hit {
            out.push(item);
        }
        true
    })?;
    match done {
        Some(()) => list(call, &out),
        None => Ok(Value::Nil),
    }
}

pub(super) fn reject(call: &Call<'_>) -> Result<Value> {
    if call.arg(0).is_none_or(ValueView::is_nil) {
        return Ok(Value::Array(Vec::new()));
    }
    let mut out = Vec::new();
    let done = scan(call, |_, item, hit| {
        if !hit {
            out.push(item);
        }
        true
    })?;
    match done {
        Some(()) => list(call, &out),
        None => Ok(Value::Nil),
    }
}

pub(super) fn find(call: &Call<'_>) -> Result<Value> {
    let mut found = None;
    let done = scan(call, |_, item, hit| {
        if hit {
            found = Some(item);
        }
        !hit
    })?;
    match done.and(found) {
        Some(item) => call.copy(item),
        None => Ok(Value::Nil),
    }
}

pub(super) fn find_index(call: &Call<'_>) -> Result<Value> {
    let mut found = None;
    let done = scan(call, |i, _, hit| {
        if hit {
            found = Some(Value::scalar(i as i64));
        }
        !hit
    })?;
    Ok(done.and(found).unwrap_or(Value::Nil))
}

pub(super) fn has(call: &Call<'_>) -> Result<Value> {
    let mut found = false;
    let done = scan(call, |_, _, hit| {
        found |= hit;
        !hit
    })?;
    Ok(done.map_or(Value::Nil, |()| Value::scalar(found)))
}

pub(super) fn sum(call: &Call<'_>) -> Result<Value> {
    let key = call.arg(0).filter(|k| !k.is_nil());
    let m = call.meter();
    // Reading a number from a string reads the string.
    let number = |v: &dyn ValueView| -> Result<Num> {
        let k = kind(v);
        if let Kind::Str(s) = &k {
            m.take(s.len() as u64)?;
        }
        Ok(kind_number(&k))
    };
    let mut acc = Num::Int(0);
    let items = seq(call, call.input)?;
    // Reading each item as a number.
    call.charge(units(items.len(), ITEM))?;
    for item in items {
        let n = match key {
            Some(k) => match lookup(item, k, &m)? {
                Got::Ref(v) => number(v)?,
                Got::Own(v) => number(&v)?,
                Got::Missing | Got::Abort => Num::Int(0),
            },
            None => number(item)?,
        };
        acc = match (acc, n) {
            (Num::Int(a), Num::Int(b)) => a
                .checked_add(b)
                .map_or(Num::Float(a as f64 + b as f64), Num::Int),
            (a, b) => Num::Float(a.to_f64() + b.to_f64()),
        };
    }
    Ok(match acc {
        Num::Float(f) => Value::scalar(format!("{f:.14e}").parse::<f64>().unwrap_or(f)),
        n => n.into_value(),
    })
}
