//! A context's JSON text read straight into [`Val`]s (`crate::Context`), without a
//! `serde_json::Value` in between.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use liquid_core::model::KString;

use super::{Obj, Val, INDEX_FROM};

/// JSON text read straight into values ([`crate::Context`]), as [`Val::from_json`] reads a
/// `serde_json::Value`: numbers that fit an `i64` are integers, others floats; an object keeps its
/// keys in order, and a key written twice keeps its first place and its last value (as
/// `serde_json`'s ordered map does).
impl<'de> serde::Deserialize<'de> for Val {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Val, D::Error> {
        d.deserialize_any(ValVisitor)
    }
}

struct ValVisitor;

impl<'de> serde::de::Visitor<'de> for ValVisitor {
    type Value = Val;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Val, E> {
        Ok(Val::Nil)
    }
    fn visit_none<E>(self) -> Result<Val, E> {
        Ok(Val::Nil)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Val, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Val, E> {
        Ok(Val::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Val, E> {
        Ok(Val::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Val, E> {
        Ok(i64::try_from(u).map_or(Val::Float(u as f64), Val::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Val, E> {
        Ok(Val::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Val, E> {
        Ok(Val::str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Val, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = a.next_element::<Val>()? {
            items.push(item);
        }
        Ok(Val::Array(Rc::new(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Val, A::Error> {
        let mut entries: Vec<(KString, Val)> = Vec::new();
        // Positions by key, once the object is too large for looking back at every key.
        let mut seen: Option<HashMap<KString, usize>> = None;
        while let Some(Key(key)) = a.next_key::<Key>()? {
            let value = a.next_value::<Val>()?;
            if seen.is_none() && entries.len() == INDEX_FROM {
                seen = Some(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect(),
                );
            }
            let known = match &seen {
                Some(index) => index.get(key.as_str()).copied(),
                None => entries.iter().position(|(k, _)| *k == key),
            };
            match known {
                Some(i) => entries[i].1 = value,
                None => {
                    if let Some(index) = &mut seen {
                        index.insert(key.clone(), entries.len());
                    }
                    entries.push((key, value));
                }
            }
        }
        // The positions found here are the object's index (`Obj::new` would hash every key again).
        let object = match seen {
            Some(index) => Obj {
                entries,
                index: Some(index),
            },
            None => Obj::new(entries),
        };
        Ok(Val::Object(Rc::new(object)))
    }
}

/// An object's key, read without an intermediate `String` when the text has no escapes.
struct Key(KString);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, s: &str) -> Result<Key, E> {
                Ok(Key(KString::from_ref(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
