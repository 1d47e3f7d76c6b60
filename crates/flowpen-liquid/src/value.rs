//! Values: our ordered value type, a view of any liquid value by kind, and Ruby's semantics for
//! printing, truthiness, equality and comparison.
//!
//! Context data and assigned variables are [`Val`]s: cheap to clone (containers are shared) and
//! objects keep insertion order, so `{{flow.data}}` and `to_json` print keys in the order the JSON
//! had them. Filters must return liquid-core's `Value`, whose objects are hash maps; so an ordered
//! object becomes a liquid array of `[key, value]` pairs marked by a leading `State::Truthy` (a state
//! no template can produce), see [`encode_object`]. Only our code reads filter outputs, and it reads
//! every value through [`kind`], which decodes that form as an object ([`ObjRef`]). A genuine
//! liquid-core object (none is ever built by this crate) is walked with its keys sorted, so output
//! never depends on hash order.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::rc::Rc;

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, ObjectView, ScalarCow, State, Value, ValueView,
};
use liquid_core::Result;

use crate::budget::{key_cost, units, Budget, Meter, Site, ITEM};

mod json;

/// A value owned by the renderer. Its `Debug` is its printed form (`ValueView` requires `Debug`,
/// and a vtable keeps it in the app whether or not anything prints it; the derived one carried
/// every field's).
#[derive(Clone)]
pub(crate) enum Val {
    Nil,
    /// The `empty` literal.
    Empty,
    /// The `blank` literal.
    Blank,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Array(Rc<Vec<Val>>),
    Object(Rc<Obj>),
}

/// `type_name` of an object that keeps insertion order (see [`entries`]).
pub(crate) const ORDERED_OBJECT: &str = "hash";

/// An object that keeps insertion order (`Debug`: its printed form, as [`Val`]'s).
#[derive(Default)]
pub(crate) struct Obj {
    entries: Vec<(KString, Val)>,
    /// Key to position, for objects too large for a linear search.
    index: Option<HashMap<KString, usize>>,
}

const INDEX_FROM: usize = 12;

impl Obj {
    pub fn new(entries: Vec<(KString, Val)>) -> Obj {
        let index = (entries.len() >= INDEX_FROM).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (i, (k, _)) in entries.iter().enumerate() {
                index.insert(k.clone(), i);
            }
            index
        });
        Obj { entries, index }
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i].1),
            None => self
                .entries
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&KString, &Val)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A variable that does not exist: nil, but usable as a path index (it reads as `""`), so that
/// `a[undefined]` is nil instead of an error.
#[derive(Debug)]
pub(crate) struct Undefined;

pub(crate) static UNDEFINED: Undefined = Undefined;

impl ValueView for Undefined {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"")
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"nil")
    }
    fn type_name(&self) -> &'static str {
        "nil"
    }
    fn query_state(&self, state: State) -> bool {
        !matches!(state, State::Truthy)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_static("")
    }
    fn to_value(&self) -> Value {
        Value::Nil
    }
    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        Some(ScalarCow::new(""))
    }
    fn is_nil(&self) -> bool {
        true
    }
}

impl Val {
    pub fn str(s: &str) -> Val {
        Val::Str(Rc::from(s))
    }

    pub fn from_json(v: &serde_json::Value) -> Val {
        match v {
            serde_json::Value::Null => Val::Nil,
            serde_json::Value::Bool(b) => Val::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => Val::str(s),
            serde_json::Value::Array(a) => {
                Val::Array(Rc::new(a.iter().map(Val::from_json).collect()))
            }
            serde_json::Value::Object(o) => Val::Object(Rc::new(Obj::new(
                o.iter()
                    .map(|(k, v)| (KString::from_ref(k), Val::from_json(v)))
                    .collect(),
            ))),
        }
    }

    /// A deep copy of any liquid value (objects in [`entries`] order).
    pub fn from_view(v: &dyn ValueView) -> Val {
        let unlimited = Budget::new(u64::MAX);
        Val::from_view_within(v, &unlimited.meter(Site::Lookup)).unwrap_or(Val::Nil)
    }

    /// [`Val::from_view`], charging `m` as `Meter::value` would before copying each value.
    pub fn from_view_within(v: &dyn ValueView, m: &Meter<'_>) -> Result<Val> {
        m.take(ITEM)?;
        Ok(match kind(v) {
            Kind::Nil => Val::Nil,
            Kind::Empty => Val::Empty,
            Kind::Blank => Val::Blank,
            Kind::Bool(b) => Val::Bool(b),
            Kind::Int(i) => Val::Int(i),
            Kind::Float(f) => Val::Float(f),
            Kind::Str(s) => {
                m.take(s.len() as u64)?;
                Val::str(&s)
            }
            Kind::Array(a) => Val::Array(Rc::new(
                a.values()
                    .map(|x| Val::from_view_within(x, m))
                    .collect::<Result<_>>()?,
            )),
            Kind::Object(o) => Val::Object(Rc::new(Obj::new(
                o.entries()
                    .into_iter()
                    .map(|(k, x)| {
                        m.take(k.as_str().len() as u64)?;
                        Ok((k.into_owned(), Val::from_view_within(x, m)?))
                    })
                    .collect::<Result<_>>()?,
            ))),
        })
    }

    fn is_truthy(&self) -> bool {
        !matches!(self, Val::Nil | Val::Bool(false))
    }
}

impl ValueView for Val {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(Printed(self, false)))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(Printed(self, false)))
    }
    fn type_name(&self) -> &'static str {
        match self {
            Val::Nil => "nil",
            Val::Empty | Val::Blank => "state",
            Val::Bool(_) => "boolean",
            Val::Int(_) => "whole number",
            Val::Float(_) => "fractional number",
            Val::Str(_) => "string",
            Val::Array(_) => "array",
            Val::Object(_) => ORDERED_OBJECT,
        }
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => self.is_truthy(),
            State::DefaultValue | State::Empty | State::Blank => match self {
                Val::Nil | Val::Empty | Val::Blank => state != State::Empty,
                Val::Bool(b) => !b && state != State::Empty,
                Val::Int(_) | Val::Float(_) => false,
                Val::Str(s) => {
                    s.is_empty() || (state == State::Blank && s.chars().all(char::is_whitespace))
                }
                Val::Array(a) => a.is_empty(),
                Val::Object(o) => o.len() == 0,
            },
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        match self {
            Val::Str(s) => KStringCow::from_ref(s),
            other => KStringCow::from_string(to_text(other)),
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Val::Nil => Value::Nil,
            Val::Empty => Value::State(State::Empty),
            Val::Blank => Value::State(State::Blank),
            Val::Bool(b) => Value::scalar(*b),
            Val::Int(i) => Value::scalar(*i),
            Val::Float(f) => Value::scalar(*f),
            Val::Str(s) => Value::scalar(KString::from_ref(s)),
            Val::Array(a) => Value::Array(a.iter().map(Val::to_value).collect()),
            Val::Object(o) => encode_object(o.iter().map(|(k, v)| (k.clone(), v.to_value()))),
        }
    }
    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        match self {
            // Nil reads as "" so that `a[nil_variable]` is a lookup that finds nothing.
            Val::Nil => Some(ScalarCow::new("")),
            Val::Bool(b) => Some(ScalarCow::new(*b)),
            Val::Int(i) => Some(ScalarCow::new(*i)),
            Val::Float(f) => Some(ScalarCow::new(*f)),
            Val::Str(s) => Some(ScalarCow::new(&**s)),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        match self {
            Val::Array(a) => Some(&**a),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        match self {
            Val::Object(o) => Some(&**o),
            _ => None,
        }
    }
    fn as_state(&self) -> Option<State> {
        match self {
            Val::Empty => Some(State::Empty),
            Val::Blank => Some(State::Blank),
            _ => None,
        }
    }
    fn is_nil(&self) -> bool {
        matches!(self, Val::Nil)
    }
}

impl ValueView for Obj {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(PrintedView(self, false)))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(PrintedView(self, false)))
    }
    fn type_name(&self) -> &'static str {
        ORDERED_OBJECT
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            _ => self.entries.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(to_text(self))
    }
    fn to_value(&self) -> Value {
        encode_object(self.iter().map(|(k, v)| (k.clone(), v.to_value())))
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Obj {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.entries.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, _)| KStringCow::from_ref(k.as_str())),
        )
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.entries.iter().map(|(_, v)| v as &dyn ValueView))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, v)| (KStringCow::from_ref(k.as_str()), v as &dyn ValueView)),
        )
    }
    fn contains_key(&self, index: &str) -> bool {
        self.get(index).is_some()
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        Obj::get(self, index).map(|v| v as &dyn ValueView)
    }
}

/// Any liquid value, by kind.
pub(crate) enum Kind<'a> {
    Nil,
    Empty,
    Blank,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Array(&'a dyn ArrayView),
    Object(ObjRef<'a>),
}

/// An object: a view, or the encoded form of [`encode_object`].
#[derive(Clone, Copy)]
pub(crate) enum ObjRef<'a> {
    View(&'a dyn ObjectView),
    Pairs(&'a dyn ArrayView),
}

impl<'a> ObjRef<'a> {
    pub fn get(self, key: &str) -> Option<&'a dyn ValueView> {
        match self {
            ObjRef::View(o) => o.get(key),
            ObjRef::Pairs(a) => a.values().skip(1).find_map(|p| {
                let pair = p.as_array()?;
                (pair.get(0)?.to_kstr().as_str() == key)
                    .then(|| pair.get(1))
                    .flatten()
            }),
        }
    }

    pub fn size(self) -> i64 {
        match self {
            ObjRef::View(o) => o.size(),
            ObjRef::Pairs(a) => a.size() - 1,
        }
    }

    /// Calls `f` on each entry in the order of [`ObjRef::entries`], without collecting them
    /// first when the object keeps its own order (the common case: `to_json` of a context object).
    pub fn try_for_each<E>(
        self,
        mut f: impl FnMut(&str, &'a dyn ValueView) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        if let ObjRef::View(o) = self {
            if o.as_value().type_name() == ORDERED_OBJECT {
                for (k, v) in o.iter() {
                    f(k.as_str(), v)?;
                }
                return Ok(());
            }
        }
        for (k, v) in self.entries() {
            f(k.as_str(), v)?;
        }
        Ok(())
    }

    /// Entries in insertion order (sorted by key for a liquid-core object, whose order is a hash's).
    pub fn entries(self) -> Vec<(KStringCow<'a>, &'a dyn ValueView)> {
        match self {
            ObjRef::View(o) => {
                let all: Vec<_> = o.iter().collect();
                if o.as_value().type_name() == ORDERED_OBJECT {
                    return all;
                }
                sort_stable_by(all, |a, b| a.0.as_str().cmp(b.0.as_str()))
            }
            ObjRef::Pairs(a) => a
                .values()
                .skip(1)
                .filter_map(|p| {
                    let pair = p.as_array()?;
                    Some((pair.get(0)?.to_kstr(), pair.get(1)?))
                })
                .collect(),
        }
    }
}

/// An ordered object as a liquid value (see the module documentation).
pub(crate) fn encode_object(entries: impl Iterator<Item = (KString, Value)>) -> Value {
    Value::Array(
        std::iter::once(Value::State(State::Truthy))
            .chain(entries.map(|(k, v)| Value::Array(vec![Value::scalar(k), v])))
            .collect(),
    )
}

fn is_encoded_object(a: &dyn ArrayView) -> bool {
    a.first().and_then(ValueView::as_state) == Some(State::Truthy)
}

pub(crate) fn kind(v: &dyn ValueView) -> Kind<'_> {
    if v.is_nil() {
        return Kind::Nil;
    }
    // Scalars first: they are the most common. `type_name` tells them apart by its first letter
    // ("whole number", "fractional number", "boolean", "string", "date"/"date time").
    if let Some(s) = v.as_scalar() {
        return match s.type_name().as_bytes().first() {
            Some(b'w') => s.to_integer().map_or(Kind::Nil, Kind::Int),
            Some(b'f') => s.to_float().map_or(Kind::Nil, Kind::Float),
            Some(b'b') => s.to_bool().map_or(Kind::Nil, Kind::Bool),
            Some(b's') => Kind::Str(s.into_cow_str()),
            _ => Kind::Str(Cow::Owned(s.into_cow_str().into_owned())),
        };
    }
    if let Some(a) = v.as_array() {
        if is_encoded_object(a) {
            return Kind::Object(ObjRef::Pairs(a));
        }
        return Kind::Array(a);
    }
    if let Some(o) = v.as_object() {
        return Kind::Object(ObjRef::View(o));
    }
    match v.as_state() {
        Some(State::Empty) => Kind::Empty,
        Some(State::Blank) => Kind::Blank,
        _ => Kind::Nil,
    }
}

/// Ruby truthiness: everything but nil and false.
pub(crate) fn truthy(v: &dyn ValueView) -> bool {
    !matches!(kind(v), Kind::Nil | Kind::Bool(false))
}

/// Ruby's `Float#to_s`: `2.0`, `0.1`, `1.0e+20`, `1.0e-05`.
pub(crate) fn ruby_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Shortest round-trip digits and the decimal exponent.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let mut s = String::from(sign);
        if exp < 0 {
            s.push_str("0.");
            for _ in 0..(-exp - 1) {
                s.push('0');
            }
            s.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() > int_len {
                s.push_str(&digits[..int_len]);
                s.push('.');
                s.push_str(&digits[int_len..]);
            } else {
                s.push_str(&digits);
                for _ in digits.len()..int_len {
                    s.push('0');
                }
                s.push_str(".0");
            }
        }
        s
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}.{rest}e{esign}{:02}", exp.abs())
    }
}

/// How a value prints when output bare (`{{ x }}`). Studio prints objects the way Java's
/// `Map.toString()` does (`{k1=v1, k2=v2}`); standard Liquid prints them like Ruby's `Hash#inspect`.
pub(crate) fn print(out: &mut String, v: &dyn ValueView, studio: bool) {
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => {}
        Kind::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) => out.push_str(&ruby_float(f)),
        Kind::Str(s) => out.push_str(&s),
        Kind::Array(a) => {
            for item in a.values() {
                print(out, item, studio);
            }
        }
        Kind::Object(_) => {
            if studio {
                java_string(out, v);
            } else {
                ruby_inspect(out, v);
            }
        }
    }
}

/// Text form used by string filters (`append`, `size` of a string…): like printing.
pub(crate) fn to_text(v: &dyn ValueView) -> String {
    let mut s = String::new();
    print(&mut s, v, false);
    s
}

/// Java's `toString()` of the value Studio's (JVM) Liquid would hold.
fn java_string(out: &mut String, v: &dyn ValueView) {
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => out.push_str("null"),
        Kind::Float(f) => {
            let s = ruby_float(f);
            out.push_str(&s.replace("e+", "E").replace('e', "E"));
        }
        Kind::Array(a) => {
            out.push('[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_string(out, item);
            }
            out.push(']');
        }
        Kind::Object(o) => {
            out.push('{');
            for (i, (k, item)) in o.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k.as_str());
                out.push('=');
                java_string(out, item);
            }
            out.push('}');
        }
        _ => print(out, v, true),
    }
}

/// Ruby's `inspect`.
pub(crate) fn ruby_inspect(out: &mut String, v: &dyn ValueView) {
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => out.push_str("nil"),
        Kind::Str(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Kind::Array(a) => {
            out.push('[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                ruby_inspect(out, item);
            }
            out.push(']');
        }
        Kind::Object(o) => {
            out.push('{');
            for (i, (k, item)) in o.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                ruby_inspect(out, &k.as_str());
                out.push_str(" => ");
                ruby_inspect(out, item);
            }
            out.push('}');
        }
        _ => print(out, v, false),
    }
}

struct Printed<'a>(&'a Val, bool);

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Printed(self, false), f)
    }
}

impl fmt::Debug for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&PrintedView(self, false), f)
    }
}

impl fmt::Display for Printed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        print(&mut s, self.0, self.1);
        f.write_str(&s)
    }
}

struct PrintedView<'a>(&'a dyn ValueView, bool);

impl fmt::Display for PrintedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        print(&mut s, self.0, self.1);
        f.write_str(&s)
    }
}

/// A number, for arithmetic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Num::Int(i) => Value::scalar(i),
            Num::Float(f) => Value::scalar(f),
        }
    }
}

/// Ruby Liquid's `Utils.to_number`: numbers as they are, decimal strings parsed, anything else
/// read like `String#to_i` (leading integer, else 0).
pub(crate) fn to_number(v: &dyn ValueView) -> Num {
    kind_number(&kind(v))
}

/// [`to_number`] of a value already read by [`kind`].
pub(crate) fn kind_number(k: &Kind<'_>) -> Num {
    match k {
        Kind::Int(i) => Num::Int(*i),
        Kind::Float(f) => Num::Float(*f),
        Kind::Str(s) => parse_number(s),
        _ => Num::Int(0),
    }
}

pub(crate) fn parse_number(s: &str) -> Num {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    if let Some((a, b)) = body.split_once('.') {
        if !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
        {
            return Num::Float(t.parse().unwrap_or(0.0));
        }
    }
    // `String#to_i`: optional sign and leading digits.
    let start = s.trim_start();
    let (neg, digits) = match start.as_bytes().first() {
        Some(b'-') => (true, &start[1..]),
        Some(b'+') => (false, &start[1..]),
        _ => (false, start),
    };
    let end = digits
        .bytes()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let n = digits[..end]
        .parse::<i64>()
        .map(Num::Int)
        .unwrap_or_else(|_| {
            if end == 0 {
                Num::Int(0)
            } else {
                Num::Float(digits[..end].parse::<f64>().unwrap_or(0.0))
            }
        });
    match (neg, n) {
        (true, Num::Int(i)) => Num::Int(-i),
        (true, Num::Float(f)) => Num::Float(-f),
        (false, n) => n,
    }
}

/// Ruby `==` between two values (with Liquid's `empty` and `blank`), charging `m` as it goes:
/// [`ITEM`] per pair of values, the bytes of compared strings, the search of every key.
pub(crate) fn equals(a: &dyn ValueView, b: &dyn ValueView, m: &Meter<'_>) -> Result<bool> {
    m.take(ITEM)?;
    let text_len = |v: &dyn ValueView| match kind(v) {
        Kind::Str(s) => s.len() as u64,
        _ => 0,
    };
    Ok(match (kind(a), kind(b)) {
        (Kind::Empty, _) => is_empty(b),
        (_, Kind::Empty) => is_empty(a),
        (Kind::Blank, _) => {
            m.take(text_len(b))?;
            is_blank(b)
        }
        (_, Kind::Blank) => {
            m.take(text_len(a))?;
            is_blank(a)
        }
        (Kind::Nil, Kind::Nil) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Int(x), Kind::Int(y)) => x == y,
        (Kind::Int(x), Kind::Float(y)) | (Kind::Float(y), Kind::Int(x)) => (x as f64) == y,
        (Kind::Float(x), Kind::Float(y)) => x == y,
        (Kind::Str(x), Kind::Str(y)) => {
            m.take(x.len().min(y.len()) as u64)?;
            x == y
        }
        (Kind::Array(x), Kind::Array(y)) => {
            if x.size() != y.size() {
                return Ok(false);
            }
            for (p, q) in x.values().zip(y.values()) {
                if !equals(p, q, m)? {
                    return Ok(false);
                }
            }
            true
        }
        (Kind::Object(x), Kind::Object(y)) => {
            if x.size() != y.size() {
                return Ok(false);
            }
            m.take(units(x.size().max(0) as usize, ITEM))?;
            for (k, v) in x.entries() {
                m.take(key_cost(y).saturating_add(k.as_str().len() as u64))?;
                match y.get(k.as_str()) {
                    Some(w) if equals(v, w, m)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        _ => false,
    })
}

/// Liquid's `empty`: an empty string, array or object.
pub(crate) fn is_empty(v: &dyn ValueView) -> bool {
    match kind(v) {
        Kind::Str(s) => s.is_empty(),
        Kind::Array(a) => a.size() == 0,
        Kind::Object(o) => o.size() == 0,
        Kind::Empty => true,
        _ => false,
    }
}

/// Liquid's `blank`: nil, false, a whitespace-only string, an empty array or object.
pub(crate) fn is_blank(v: &dyn ValueView) -> bool {
    match kind(v) {
        Kind::Nil | Kind::Bool(false) | Kind::Empty | Kind::Blank => true,
        Kind::Str(s) => s.chars().all(char::is_whitespace),
        Kind::Array(a) => a.size() == 0,
        Kind::Object(o) => o.size() == 0,
        _ => false,
    }
}

/// Ruby `<=>` for `<`, `>`, `<=`, `>=`: `None` when Ruby would answer nil (no ordering, the
/// condition is false), `Err` when Ruby raises (a number against a string). With `numeric_strings`
/// (Studio, whose Set Variables widget stores strings) a string that is a number compares as one,
/// and other mixes are unordered instead of an error.
pub(crate) fn compare(
    a: &dyn ValueView,
    b: &dyn ValueView,
    numeric_strings: bool,
) -> Result<Option<Ordering>, String> {
    compare_kinds(&kind(a), &kind(b), numeric_strings)
}

/// [`compare`] of values already read by [`kind`].
fn compare_kinds(
    ka: &Kind<'_>,
    kb: &Kind<'_>,
    numeric_strings: bool,
) -> Result<Option<Ordering>, String> {
    let num = |k: &Kind<'_>| match k {
        Kind::Int(i) => Some(*i as f64),
        Kind::Float(f) => Some(*f),
        Kind::Str(s) if numeric_strings => {
            let t = s.trim();
            t.parse::<f64>().ok().filter(|_| {
                !t.is_empty()
                    && t.bytes()
                        .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-')
            })
        }
        _ => None,
    };
    match (ka, kb) {
        (Kind::Int(x), Kind::Int(y)) => Ok(Some(x.cmp(y))),
        (Kind::Str(x), Kind::Str(y)) => Ok(Some(x.as_ref().cmp(y.as_ref()))),
        _ => match (num(ka), num(kb)) {
            (Some(x), Some(y)) => Ok(x.partial_cmp(&y)),
            (Some(_), None) | (None, Some(_))
                if !numeric_strings
                    && (matches!(ka, Kind::Str(_)) || matches!(kb, Kind::Str(_))) =>
            {
                Err(format!(
                    "comparison of {} with {} failed",
                    ruby_class(ka),
                    ruby_class(kb)
                ))
            }
            _ => Ok(None),
        },
    }
}

/// The Ruby class name of a value, for messages.
fn ruby_class(k: &Kind<'_>) -> &'static str {
    match k {
        Kind::Nil | Kind::Empty | Kind::Blank => "nil",
        Kind::Bool(_) => "boolean",
        Kind::Int(_) => "integer",
        Kind::Float(_) => "float",
        Kind::Str(_) => "string",
        Kind::Array(_) => "array",
        Kind::Object(_) => "object",
    }
}

/// `items` sorted stably by `cmp`. Every sort of this crate goes through here: the standard
/// library's slice sort is compiled once per element type (about 3.5 kB of wasm each), and this
/// one sorts positions, so the app carries one copy for all of them (BENCHMARKS.md, Bundle size).
pub(crate) fn sort_stable_by<T>(items: Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let order = positions_in_order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

fn positions_in_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_ruby() {
        assert_eq!(ruby_float(5.0), "5.0");
        assert_eq!(ruby_float(2.5), "2.5");
        assert_eq!(ruby_float(-0.25), "-0.25");
        assert_eq!(ruby_float(1e20), "1.0e+20");
        assert_eq!(ruby_float(1e-5), "1.0e-05");
        assert_eq!(ruby_float(0.0001), "0.0001");
        assert_eq!(ruby_float(123456789.125), "123456789.125");
        assert_eq!(ruby_float(1e15), "1000000000000000.0");
        assert_eq!(ruby_float(1e16), "1.0e+16");
    }

    #[test]
    fn numbers_parse_like_ruby() {
        assert_eq!(parse_number("1"), Num::Int(1));
        assert_eq!(parse_number(" 2.5 "), Num::Float(2.5));
        assert_eq!(parse_number("12abc"), Num::Int(12));
        assert_eq!(parse_number("abc"), Num::Int(0));
        assert_eq!(parse_number("-3"), Num::Int(-3));
    }

    #[test]
    fn objects_print_in_insertion_order() {
        let v = Val::from_json(&serde_json::json!({"k2": "v2", "k1": [1, 2.0], "k3": {"a": null}}));
        let mut s = String::new();
        print(&mut s, &v, true);
        assert_eq!(s, "{k2=v2, k1=[1, 2.0], k3={a=null}}");
        let mut s = String::new();
        print(&mut s, &v, false);
        assert_eq!(
            s,
            r#"{"k2" => "v2", "k1" => [1, 2.0], "k3" => {"a" => nil}}"#
        );
    }
}
