//! Array filters. Their input is read like Ruby Liquid's `InputIterator`: an array (flattened), a
//! single value as a one-item list, nil as an empty list.

use std::cell::RefCell;
use std::cmp::Ordering;

use liquid_core::model::{Value, ValueView};
use liquid_core::Result;

use super::{string, Call};
use crate::error::render_error;
use crate::value::{compare, equals, kind, to_number, to_text, truthy, Kind, Num};

/// The items of a filter's input.
pub(crate) fn seq(v: &dyn ValueView) -> Vec<&dyn ValueView> {
    let mut out = Vec::new();
    flatten(v, &mut out, 0);
    out
}

fn flatten<'a>(v: &'a dyn ValueView, out: &mut Vec<&'a dyn ValueView>, depth: usize) {
    match kind(v) {
        Kind::Nil if depth == 0 => {}
        Kind::Array(a) if depth < 64 => {
            for item in a.values() {
                flatten(item, out, depth + 1);
            }
        }
        _ => out.push(v),
    }
}

fn list(items: &[&dyn ValueView]) -> Value {
    Value::Array(items.iter().map(|v| v.to_value()).collect())
}

/// `item[property]` for an object item (sorting, `uniq`, `compact`).
fn property<'a>(item: &'a dyn ValueView, key: &dyn ValueView) -> Result<Option<&'a dyn ValueView>> {
    match kind(item) {
        Kind::Object(o) => Ok(o.get(&to_text(key))),
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

fn lookup<'a>(item: &'a dyn ValueView, key: &dyn ValueView) -> Result<Got<'a>> {
    Ok(match (kind(item), kind(key)) {
        (Kind::Object(o), Kind::Str(k)) => o.get(&k).map_or(Got::Missing, Got::Ref),
        (Kind::Object(_), _) => Got::Missing,
        (Kind::Str(s), Kind::Str(k)) => {
            if s.contains(k.as_ref()) {
                Got::Own(string(k.into_owned()))
            } else {
                Got::Missing
            }
        }
        (Kind::Str(s), Kind::Int(i)) => {
            let chars: Vec<char> = s.chars().collect();
            crate::runtime::index(chars.len(), i)
                .map_or(Got::Missing, |i| Got::Own(string(chars[i].to_string())))
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

pub(super) fn join(call: &Call<'_>) -> Result<Value> {
    let sep = call.arg(0).map_or_else(|| " ".to_owned(), to_text);
    let items: Vec<String> = seq(call.input).into_iter().map(to_text).collect();
    Ok(string(items.join(&sep)))
}

pub(super) fn first(call: &Call<'_>) -> Result<Value> {
    Ok(match kind(call.input) {
        Kind::Array(a) => a.first().map_or(Value::Nil, |v| v.to_value()),
        // Ruby's `Hash#first` is the first `[key, value]` pair.
        Kind::Object(o) => o.entries().into_iter().next().map_or(Value::Nil, |(k, v)| {
            Value::Array(vec![string(k.as_str()), v.to_value()])
        }),
        Kind::Str(s) => s
            .chars()
            .next()
            .map_or(Value::Nil, |c| string(c.to_string())),
        _ => Value::Nil,
    })
}

pub(super) fn last(call: &Call<'_>) -> Result<Value> {
    Ok(match kind(call.input) {
        Kind::Array(a) => a.last().map_or(Value::Nil, |v| v.to_value()),
        Kind::Str(s) => s
            .chars()
            .last()
            .map_or(Value::Nil, |c| string(c.to_string())),
        _ => Value::Nil,
    })
}

pub(super) fn concat(call: &Call<'_>) -> Result<Value> {
    let Some(Kind::Array(other)) = call.arg(0).map(kind) else {
        return Err(render_error("concat expects an array argument"));
    };
    let mut items = seq(call.input);
    items.extend(other.values());
    Ok(list(&items))
}

pub(super) fn reverse(call: &Call<'_>) -> Result<Value> {
    let mut items = seq(call.input);
    items.reverse();
    Ok(list(&items))
}

pub(super) fn map(call: &Call<'_>) -> Result<Value> {
    let key = call.arg(0).map(to_text).unwrap_or_default();
    let mut out = Vec::new();
    for item in seq(call.input) {
        out.push(match kind(item) {
            Kind::Object(o) => o.get(&key).map_or(Value::Nil, |v| v.to_value()),
            Kind::Nil => Value::Nil,
            _ => return Err(render_error(format!("cannot select the property '{key}'"))),
        });
    }
    Ok(Value::Array(out))
}

/// Ruby's `<=>` for sorting: nil sorts last, incompatible types are an error.
fn nil_safe(a: &dyn ValueView, b: &dyn ValueView) -> Result<Ordering> {
    match compare(a, b, false) {
        Ok(Some(o)) => Ok(o),
        _ => match (kind(a), kind(b)) {
            (Kind::Nil, Kind::Nil) => Ok(Ordering::Equal),
            (Kind::Nil, _) => Ok(Ordering::Greater),
            (_, Kind::Nil) => Ok(Ordering::Less),
            _ => Err(render_error("cannot sort values of incompatible types")),
        },
    }
}

fn sort_items<'a>(
    items: &mut [&'a dyn ValueView],
    key: Option<&dyn ValueView>,
    cmp: fn(&dyn ValueView, &dyn ValueView) -> Result<Ordering>,
) -> Result<()> {
    let error = RefCell::new(None);
    let pick = |v: &'a dyn ValueView| -> Option<&'a dyn ValueView> {
        match key {
            None => Some(v),
            Some(k) => match property(v, k) {
                Ok(p) => p,
                Err(e) => {
                    error.borrow_mut().get_or_insert(e);
                    None
                }
            },
        }
    };
    items.sort_by(|a, b| {
        let (x, y) = (pick(*a), pick(*b));
        let nil = &Value::Nil;
        match cmp(x.unwrap_or(nil), y.unwrap_or(nil)) {
            Ok(o) => o,
            Err(e) => {
                error.borrow_mut().get_or_insert(e);
                Ordering::Equal
            }
        }
    });
    match error.into_inner() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub(super) fn sort(call: &Call<'_>) -> Result<Value> {
    let mut items = seq(call.input);
    sort_items(&mut items, call.arg(0).filter(|k| !k.is_nil()), nil_safe)?;
    Ok(list(&items))
}

fn casecmp(a: &dyn ValueView, b: &dyn ValueView) -> Result<Ordering> {
    Ok(match (kind(a), kind(b)) {
        (Kind::Nil, Kind::Nil) => Ordering::Equal,
        (Kind::Nil, _) => Ordering::Greater,
        (_, Kind::Nil) => Ordering::Less,
        _ => to_text(a).to_lowercase().cmp(&to_text(b).to_lowercase()),
    })
}

pub(super) fn sort_natural(call: &Call<'_>) -> Result<Value> {
    let mut items = seq(call.input);
    sort_items(&mut items, call.arg(0).filter(|k| !k.is_nil()), casecmp)?;
    Ok(list(&items))
}

pub(super) fn uniq(call: &Call<'_>) -> Result<Value> {
    let key = call.arg(0).filter(|k| !k.is_nil());
    let mut seen: Vec<&dyn ValueView> = Vec::new();
    let mut out = Vec::new();
    for item in seq(call.input) {
        let k = match key {
            Some(k) => property(item, k)?.unwrap_or(&Value::Nil),
            None => item,
        };
        if !seen.iter().any(|s| equals(*s, k)) {
            seen.push(k);
            out.push(item);
        }
    }
    Ok(list(&out))
}

pub(super) fn compact(call: &Call<'_>) -> Result<Value> {
    let key = call.arg(0).filter(|k| !k.is_nil());
    let mut out = Vec::new();
    for item in seq(call.input) {
        let v = match key {
            Some(k) => property(item, k)?,
            None => Some(item),
        };
        if v.is_some_and(|v| !v.is_nil()) {
            out.push(item);
        }
    }
    Ok(list(&out))
}

/// Whether `item` matches `property` (and `target`, when given and not nil); `None` when the
/// filter gives nil instead.
fn matches(item: &dyn ValueView, call: &Call<'_>) -> Result<Option<bool>> {
    let key = call.arg(0).unwrap_or(&Value::Nil);
    let got = lookup(item, key)?;
    let value: Option<&dyn ValueView> = match &got {
        Got::Ref(v) => Some(*v),
        Got::Own(v) => Some(v),
        Got::Missing => None,
        Got::Abort => return Ok(None),
    };
    Ok(Some(match call.arg(1).filter(|t| !t.is_nil()) {
        None => value.is_some_and(truthy),
        Some(target) => value.is_some_and(|v| equals(v, target)),
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
    for (i, item) in seq(call.input).into_iter().enumerate() {
        match matches(item, call)? {
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
    Ok(done.map_or(Value::Nil, |()| list(&out)))
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
    Ok(done.map_or(Value::Nil, |()| list(&out)))
}

pub(super) fn find(call: &Call<'_>) -> Result<Value> {
    let mut found = None;
    let done = scan(call, |_, item, hit| {
        if hit {
            found = Some(item.to_value());
        }
        !hit
    })?;
    Ok(done.and(found).unwrap_or(Value::Nil))
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
    let mut acc = Num::Int(0);
    for item in seq(call.input) {
        let n = match key {
            Some(k) => match lookup(item, k)? {
                Got::Ref(v) => to_number(v),
                Got::Own(v) => to_number(&v),
                Got::Missing | Got::Abort => Num::Int(0),
            },
            None => to_number(item),
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
