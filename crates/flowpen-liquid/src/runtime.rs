//! The rendering runtime: liquid-core's `Runtime` trait implemented with Ruby Liquid's (and
//! Studio's) lenient lookups.
//!
//! A missing variable, a missing key, an index into nil or out of range, all give nil instead of
//! liquid-core's "Unknown variable"/"Unknown index" errors. Lookups never go through liquid-core's
//! `find` (which panics when an `ObjectView`'s `contains_key` and `get` disagree); [`step`] walks
//! paths itself.
//!
//! Layout of a render: a [`Scope`] at the bottom holds the context (JSON, walked in place and
//! converted to [`Val`] only for containers that a template takes whole), the assigned variables
//! and the `increment` counters; [`Frame`]s on top hold loop variables and pass assignments down
//! (`Runtime::set_global`, `set_index`). The scope keeps assigned values in an append-only
//! [`Arena`], so lookups return borrows. Tags reach per-scope state (cycles, `ifchanged`, `offset:
//! continue`) through liquid-core's registers ([`State`]) and the render's [`Shared`] data.

use std::cell::{Cell, OnceCell, RefCell, RefMut};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io;
use std::rc::Rc;
use std::sync::Arc;

use liquid_core::error::Result;
use liquid_core::model::{
    DisplayCow, KString, KStringCow, KStringRef, ObjectView, ScalarCow, Value, ValueCow, ValueView,
};
use liquid_core::runtime::{PartialStore, Registers};
use liquid_core::{Renderable, Runtime};

use crate::budget::{key_cost, units, Budget, Meter, Site, ITEM, ITERATION, LOOKUP};
use crate::error::{render_error, ErrorKind};
use crate::value::{kind, Kind, Obj, Val, UNDEFINED};
use crate::Mode;

/// Total loop iterations allowed in one render when loops are capped (Studio): nested capped loops
/// multiply, and this keeps the worst case well under a frame's time budget.
pub(crate) const ITERATION_BUDGET: u64 = 10_000;

/// Deepest `include`/`render` nesting.
pub(crate) const MAX_PARTIAL_DEPTH: usize = 64;

/// Largest array a range may turn into outside a `for` loop.
pub(crate) const MAX_RANGE_ITEMS: i64 = 1_000_000;

/// Partial templates for `include` and `render` (standard mode).
pub(crate) trait Partials {
    /// The parsed partial, or a syntax error, or `None` when there is no such partial.
    fn load(
        &self,
        name: &str,
    ) -> Option<std::result::Result<Rc<crate::Compiled>, crate::TemplateError>>;
}

/// Data of one render, shared by every scope in it.
pub(crate) struct Shared {
    pub mode: Mode,
    pub loop_limit: Option<usize>,
    pub output_limit: Option<usize>,
    pub now_ms: i64,
    /// Loop iterations so far (counts against [`ITERATION_BUDGET`] when loops are capped).
    pub iterations: Cell<u64>,
    /// The render's work budget (see `budget`).
    pub budget: Budget,
    /// Offset of the last loop or partial that started rendering, for errors that have no better
    /// position (output that overflows in plain text).
    pub cursor: Cell<usize>,
    pub partial_depth: Cell<usize>,
    pub partials: Option<Rc<dyn Partials>>,
}

impl Shared {
    pub fn studio(&self) -> bool {
        self.mode == Mode::Studio
    }

    /// The largest string or array a filter or capture may build, if values are capped: big
    /// enough for any real input, small enough that doubling in a loop stops early.
    pub fn value_limit(&self) -> Option<usize> {
        self.output_limit.map(|n| n.saturating_mul(64))
    }

    /// Counts one loop iteration of `tag` against the iteration cap and the work budget.
    pub fn tick(&self, tag: &'static str) -> Result<()> {
        self.budget.charge(ITERATION, Site::Tag(tag))?;
        let n = self.iterations.get() + 1;
        self.iterations.set(n);
        if self.loop_limit.is_some() && n > ITERATION_BUDGET {
            return Err(render_error(format!(
                "too many loop iterations in one render (more than {ITERATION_BUDGET})"
            )));
        }
        Ok(())
    }
}

/// Per-scope state, kept in liquid-core's registers.
#[derive(Default)]
pub(crate) struct State {
    pub shared: Option<Rc<Shared>>,
    /// Keys are `KString`s as for assigned variables: one hash map's code for both in the app.
    pub cycles: HashMap<KString, usize>,
    pub ifchanged: Option<String>,
    /// `offset: continue` positions of `for` loops.
    pub offsets: HashMap<KString, usize>,
}

pub(crate) fn state(runtime: &dyn Runtime) -> RefMut<'_, State> {
    runtime.registers().get_mut::<State>()
}

/// The render's shared data.
pub(crate) fn shared(runtime: &dyn Runtime) -> Rc<Shared> {
    match &state(runtime).shared {
        Some(s) => Rc::clone(s),
        None => Rc::new(Shared {
            mode: Mode::Standard,
            loop_limit: None,
            output_limit: None,
            now_ms: 0,
            iterations: Cell::new(0),
            budget: Budget::new(crate::budget::STANDARD_WORK),
            cursor: Cell::new(0),
            partial_depth: Cell::new(0),
            partials: None,
        }),
    }
}

/// An append-only store that hands out `&T` for the life of `&self`. Segment `k` holds
/// `16 << k` items: 24 segments hold 268 million, and sizes fit a 32-bit `usize` (wasm32).
pub(crate) struct Arena<T> {
    segments: [OnceCell<Box<[OnceCell<T>]>>; 24],
    len: Cell<usize>,
}

const FIRST_SEGMENT: usize = 16;

impl<T> Arena<T> {
    pub fn new() -> Self {
        Arena {
            segments: std::array::from_fn(|_| OnceCell::new()),
            len: Cell::new(0),
        }
    }

    fn locate(i: usize) -> (usize, usize, usize) {
        let seg = (i / FIRST_SEGMENT + 1).ilog2() as usize;
        let start = FIRST_SEGMENT * ((1 << seg) - 1);
        (seg, i - start, FIRST_SEGMENT << seg)
    }

    pub fn push(&self, value: T) -> usize {
        let i = self.len.get();
        let (seg, off, size) = Self::locate(i);
        let Some(cell) = self.segments.get(seg) else {
            return usize::MAX;
        };
        let segment = cell.get_or_init(|| (0..size).map(|_| OnceCell::new()).collect());
        let _ = segment[off].set(value);
        self.len.set(i + 1);
        i
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len.get() {
            return None;
        }
        let (seg, off, _) = Self::locate(i);
        self.segments.get(seg)?.get()?.get(off)?.get()
    }
}

/// A partial store with nothing in it: partials are ours (see `tags::partial`).
#[derive(Debug)]
struct NoPartials;

static NO_PARTIALS: NoPartials = NoPartials;

impl PartialStore for NoPartials {
    fn contains(&self, _name: &str) -> bool {
        false
    }
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
    fn try_get(&self, _name: &str) -> Option<Arc<dyn Renderable>> {
        None
    }
    fn get(&self, name: &str) -> Result<Arc<dyn Renderable>> {
        Err(render_error(format!("no partial named '{name}'")))
    }
}

/// Where a scope's own (non-assigned) variables come from.
enum Source<'a> {
    Json(&'a serde_json::Map<String, serde_json::Value>),
    Vals(Vec<(KString, Val)>),
    /// A context read from JSON text straight into values ([`crate::Context`]).
    Object(&'a Obj),
}

/// The bottom of a render: context, assigned variables, counters.
pub(crate) struct Scope<'a> {
    source: Source<'a>,
    /// JSON containers converted so far, by address.
    converted: RefCell<HashMap<usize, usize>>,
    arena: Arena<Val>,
    assigned: RefCell<HashMap<KString, usize>>,
    /// `increment`/`decrement` counters (liquid-core's "index" variables).
    counters: RefCell<HashMap<KString, i64>>,
    registers: Registers,
    shared: Rc<Shared>,
}

impl<'a> Scope<'a> {
    /// A scope over a JSON context (anything but an object is an empty context).
    pub fn new(context: &'a serde_json::Value, shared: Rc<Shared>) -> Self {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, serde_json::Value>> =
            std::sync::OnceLock::new();
        let map = match context {
            serde_json::Value::Object(map) => map,
            _ => EMPTY.get_or_init(serde_json::Map::new),
        };
        Self::with_source(Source::Json(map), shared)
    }

    /// A scope over a context already read into values.
    pub fn over(context: &'a Obj, shared: Rc<Shared>) -> Self {
        Self::with_source(Source::Object(context), shared)
    }

    /// An isolated scope with only `vars` (the `render` tag).
    pub fn isolated(vars: Vec<(KString, Val)>, shared: Rc<Shared>) -> Scope<'static> {
        Scope::with_source(Source::Vals(vars), shared)
    }

    fn with_source(source: Source<'a>, shared: Rc<Shared>) -> Self {
        let scope = Scope {
            source,
            converted: RefCell::new(HashMap::new()),
            arena: Arena::new(),
            assigned: RefCell::new(HashMap::new()),
            counters: RefCell::new(HashMap::new()),
            registers: Registers::default(),
            shared: Rc::clone(&shared),
        };
        scope.registers.get_mut::<State>().shared = Some(shared);
        scope
    }

    fn lookup(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        let m = self.shared.budget.meter(Site::Lookup);
        m.take(units(path.len(), LOOKUP))?;
        let Some((root, rest)) = split_root(path) else {
            return Ok(ValueCow::Borrowed(&UNDEFINED));
        };
        let counter = {
            let counters = self.counters.borrow();
            if counters.is_empty() {
                None
            } else {
                counters.get(root.as_str()).copied()
            }
        };
        let assigned = {
            let assigned = self.assigned.borrow();
            if assigned.is_empty() {
                None
            } else {
                assigned.get(root.as_str()).copied()
            }
        };
        if let Some(v) = assigned.and_then(|i| self.arena.get(i)) {
            return walk(v, rest, &m);
        }
        if let Some(n) = counter {
            return walk_owned(Value::scalar(n), rest, &m);
        }
        match &self.source {
            Source::Json(map) => match map.get(root.as_str()) {
                Some(v) => self.walk_json(v, rest, &m),
                None => Ok(ValueCow::Borrowed(&UNDEFINED)),
            },
            Source::Vals(vars) => match vars.iter().find(|(k, _)| k.as_str() == root.as_str()) {
                Some((_, v)) => walk(v, rest, &m),
                None => Ok(ValueCow::Borrowed(&UNDEFINED)),
            },
            Source::Object(o) => match o.get(root.as_str()) {
                Some(v) => walk(v, rest, &m),
                None => Ok(ValueCow::Borrowed(&UNDEFINED)),
            },
        }
    }

    fn walk_json<'s>(
        &'s self,
        mut v: &'a serde_json::Value,
        rest: &[ScalarCow<'_>],
        m: &Meter<'_>,
    ) -> Result<ValueCow<'s>> {
        for (i, key) in rest.iter().enumerate() {
            match step_json(v, key, m)? {
                JsonStep::Json(next) => v = next,
                JsonStep::Owned(value) => return walk_owned(value, &rest[i + 1..], m),
                JsonStep::Missing => return Ok(ValueCow::Borrowed(&UNDEFINED)),
            }
        }
        Ok(match v {
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                let addr = std::ptr::from_ref(v) as usize;
                let known = self.converted.borrow().get(&addr).copied();
                let i = match known {
                    Some(i) => i,
                    None => {
                        let i = self.arena.push(convert(v, m)?);
                        self.converted.borrow_mut().insert(addr, i);
                        i
                    }
                };
                match self.arena.get(i) {
                    Some(val) => ValueCow::Borrowed(val),
                    None => ValueCow::Owned(Val::from_json(v).to_value()),
                }
            }
            serde_json::Value::String(s) => {
                m.take(s.len() as u64)?;
                ValueCow::Owned(Value::scalar(KString::from_ref(s)))
            }
            scalar => ValueCow::Owned(json_scalar(scalar)),
        })
    }
}

/// A JSON value of the context as a [`Val`] (as `Val::from_json`), charging [`ITEM`] for every
/// value and the bytes of its strings and keys before copying them.
fn convert(v: &serde_json::Value, m: &Meter<'_>) -> Result<Val> {
    m.take(ITEM)?;
    Ok(match v {
        serde_json::Value::String(s) => {
            m.take(s.len() as u64)?;
            Val::str(s)
        }
        serde_json::Value::Array(a) => Val::Array(Rc::new(
            a.iter().map(|x| convert(x, m)).collect::<Result<_>>()?,
        )),
        serde_json::Value::Object(o) => Val::Object(Rc::new(Obj::new(
            o.iter()
                .map(|(k, x)| {
                    m.take(k.len() as u64)?;
                    Ok((KString::from_ref(k), convert(x, m)?))
                })
                .collect::<Result<_>>()?,
        ))),
        scalar => Val::from_json(scalar),
    })
}

fn json_scalar(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Bool(b) => Value::scalar(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::scalar(i),
            None => Value::scalar(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::scalar(KString::from_ref(s)),
        _ => Value::Nil,
    }
}

enum JsonStep<'a> {
    Json(&'a serde_json::Value),
    Owned(Value),
    Missing,
}

fn step_json<'a>(
    v: &'a serde_json::Value,
    key: &ScalarCow<'_>,
    m: &Meter<'_>,
) -> Result<JsonStep<'a>> {
    let key_kind = kind(key);
    Ok(match v {
        serde_json::Value::Array(a) => match key_kind {
            Kind::Int(i) => index(a.len(), i)
                .and_then(|i| a.get(i))
                .map_or(JsonStep::Missing, JsonStep::Json),
            Kind::Str(s) => match s.as_ref() {
                "size" => JsonStep::Owned(Value::scalar(a.len() as i64)),
                "first" => a.first().map_or(JsonStep::Missing, JsonStep::Json),
                "last" => a.last().map_or(JsonStep::Missing, JsonStep::Json),
                _ => JsonStep::Missing,
            },
            _ => JsonStep::Missing,
        },
        serde_json::Value::Object(o) => match key_kind {
            Kind::Str(s) => match o.get(s.as_ref()) {
                Some(x) => JsonStep::Json(x),
                None => match s.as_ref() {
                    "size" => JsonStep::Owned(Value::scalar(o.len() as i64)),
                    "first" => match o.iter().next() {
                        Some((k, x)) => {
                            // Converted to a `Val`, then copied to a `Value`.
                            let val = convert(x, m)?;
                            m.value(&val)?;
                            JsonStep::Owned(Value::Array(vec![
                                Value::scalar(KString::from_ref(k)),
                                val.to_value(),
                            ]))
                        }
                        None => JsonStep::Missing,
                    },
                    _ => JsonStep::Missing,
                },
            },
            _ => JsonStep::Missing,
        },
        serde_json::Value::String(s) => match key_kind {
            Kind::Str(k) => string_property(s, &k, m)?.map_or(JsonStep::Missing, JsonStep::Owned),
            _ => JsonStep::Missing,
        },
        _ => JsonStep::Missing,
    })
}

/// `size`, `first` and `last` of a string (`size` counts its characters).
fn string_property(s: &str, key: &str, m: &Meter<'_>) -> Result<Option<Value>> {
    Ok(match key {
        "size" => {
            m.take(s.len() as u64)?;
            Some(Value::scalar(s.chars().count() as i64))
        }
        "first" => s.chars().next().map(|c| Value::scalar(c.to_string())),
        "last" => s.chars().next_back().map(|c| Value::scalar(c.to_string())),
        _ => None,
    })
}

/// A Ruby array index (negative counts from the end) as a position, if in range.
pub(crate) fn index(len: usize, i: i64) -> Option<usize> {
    let len = len as i64;
    let i = if i < 0 { len + i } else { i };
    (0..len).contains(&i).then_some(i as usize)
}

/// The root name of a path and the rest. The internal root `___` (a bracketed root like
/// `['x y']`) takes its name from the next index.
fn split_root<'p, 'q>(path: &'p [ScalarCow<'q>]) -> Option<(KStringCow<'p>, &'p [ScalarCow<'q>])> {
    let (first, rest) = path.split_first()?;
    let name = first.to_kstr();
    if name.as_str() == "___" {
        let (second, rest) = rest.split_first()?;
        return Some((second.to_kstr(), rest));
    }
    Some((name, rest))
}

enum Step<'s> {
    View(&'s dyn ValueView),
    Owned(Value),
    Missing,
}

/// One path step into any value, with Ruby Liquid's rules.
fn step<'s>(v: &'s dyn ValueView, key: &ScalarCow<'_>, m: &Meter<'_>) -> Result<Step<'s>> {
    Ok(match kind(v) {
        Kind::Array(a) => match kind(key) {
            Kind::Int(i) => index(a.size() as usize, i)
                .and_then(|i| a.get(i as i64))
                .map_or(Step::Missing, Step::View),
            Kind::Str(s) => match s.as_ref() {
                "size" => Step::Owned(Value::scalar(a.size())),
                "first" => a.first().map_or(Step::Missing, Step::View),
                "last" => a.last().map_or(Step::Missing, Step::View),
                _ => Step::Missing,
            },
            _ => Step::Missing,
        },
        Kind::Object(o) => match kind(key) {
            Kind::Str(s) => {
                m.take(key_cost(o))?;
                match o.get(s.as_ref()) {
                    Some(x) => Step::View(x),
                    None => match s.as_ref() {
                        "size" => Step::Owned(Value::scalar(o.size())),
                        "first" => {
                            m.take(units(o.size().max(0) as usize, ITEM))?;
                            match o.entries().into_iter().next() {
                                Some((k, x)) => {
                                    m.value(x)?;
                                    Step::Owned(Value::Array(vec![
                                        Value::scalar(k.into_owned()),
                                        x.to_value(),
                                    ]))
                                }
                                None => Step::Missing,
                            }
                        }
                        _ => Step::Missing,
                    },
                }
            }
            _ => Step::Missing,
        },
        Kind::Str(s) => match kind(key) {
            Kind::Str(k) => string_property(&s, &k, m)?.map_or(Step::Missing, Step::Owned),
            _ => Step::Missing,
        },
        _ => Step::Missing,
    })
}

/// Walks `rest` from a borrowed value.
pub(crate) fn walk<'s>(
    mut v: &'s dyn ValueView,
    rest: &[ScalarCow<'_>],
    m: &Meter<'_>,
) -> Result<ValueCow<'s>> {
    for (i, key) in rest.iter().enumerate() {
        match step(v, key, m)? {
            Step::View(next) => v = next,
            Step::Owned(value) => return walk_owned(value, &rest[i + 1..], m),
            Step::Missing => return Ok(ValueCow::Borrowed(&UNDEFINED)),
        }
    }
    Ok(ValueCow::Borrowed(v))
}

/// Walks `rest` from an owned value.
fn walk_owned<'s>(v: Value, rest: &[ScalarCow<'_>], m: &Meter<'_>) -> Result<ValueCow<'s>> {
    if rest.is_empty() {
        return Ok(ValueCow::Owned(v));
    }
    Ok(match walk(&v, rest, m)? {
        ValueCow::Borrowed(found) if found.is_nil() => ValueCow::Borrowed(&UNDEFINED),
        found => {
            m.value(found.as_view())?;
            ValueCow::Owned(found.into_owned())
        }
    })
}

impl Runtime for Scope<'_> {
    fn partials(&self) -> &dyn PartialStore {
        &NO_PARTIALS
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        None
    }
    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        BTreeSet::new()
    }
    /// A refused lookup is `None` here, and the budget's refusal still ends the render.
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.lookup(path).ok()
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        self.lookup(path)
    }
    /// `assign` and `capture` (an ordered object arrives encoded, see `value::encode_object`).
    /// The variable keeps a copy, charged to the budget before it is made; when the budget refuses
    /// it, nothing is stored and the answer is `Some` (liquid-core's own tags, which would ignore
    /// it, are not used).
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        let m = self.shared.budget.meter(Site::Variable);
        let Ok(copy) = Val::from_view_within(&val, &m) else {
            return Some(Value::Nil);
        };
        let i = self.arena.push(copy);
        self.assigned.borrow_mut().insert(name, i);
        None
    }
    /// `increment` and `decrement`.
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        let n = match kind(&val) {
            Kind::Int(n) => n,
            _ => 0,
        };
        self.counters
            .borrow_mut()
            .insert(name, n)
            .map(Value::scalar)
    }
    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        let n = self.counters.borrow().get(name).copied()?;
        Some(ValueCow::Owned(Value::scalar(n)))
    }
    fn registers(&self) -> &Registers {
        &self.registers
    }
}

/// A variable held by a [`Frame`]: borrowed from the collection being looped over, owned, or a
/// `forloop`/`tablerowloop` object.
// The loop object is large, but a frame lives on the stack for one iteration: boxing it would
// allocate on every iteration instead.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Slot<'p> {
    View(&'p dyn ValueView),
    Val(Val),
    Loop(LoopInfo<'p>),
}

impl Slot<'_> {
    fn view(&self) -> &dyn ValueView {
        match self {
            Slot::View(v) => *v,
            Slot::Val(v) => v,
            Slot::Loop(l) => l,
        }
    }
}

/// Loop (or `include`) variables over a parent runtime.
pub(crate) struct Frame<'p> {
    parent: &'p dyn Runtime,
    vars: Vec<(KString, Slot<'p>)>,
    /// The render's budget, which lookups of these variables charge.
    budget: &'p Budget,
    /// The scope's registers, reached directly (liquid-core reads them after every element).
    registers: &'p Registers,
}

impl<'p> Frame<'p> {
    pub fn new(
        parent: &'p dyn Runtime,
        vars: Vec<(KString, Slot<'p>)>,
        budget: &'p Budget,
    ) -> Self {
        Frame {
            parent,
            vars,
            budget,
            registers: parent.registers(),
        }
    }
}

/// `forloop` and `tablerowloop`: fields computed once per iteration, without allocating.
pub(crate) struct LoopInfo<'p> {
    names: &'static [&'static str],
    values: [Val; 12],
    parent: Option<&'p dyn ValueView>,
    /// The `forloop` of `render … for`: loops inside the partial do not see it as `parentloop`.
    detached: bool,
}

/// Hidden field of a detached `forloop`.
pub(crate) const DETACHED: &str = "___detached";

impl fmt::Debug for LoopInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopInfo")
            .field("names", &self.names)
            .finish()
    }
}

const FORLOOP: &[&str] = &[
    "name", "length", "index", "index0", "rindex", "rindex0", "first", "last",
];
const TABLEROWLOOP: &[&str] = &[
    "length",
    "index",
    "index0",
    "rindex",
    "rindex0",
    "first",
    "last",
    "col",
    "col0",
    "col_first",
    "col_last",
    "row",
];

impl<'p> LoopInfo<'p> {
    /// `forloop` for iteration `i` (0-based) of `n`.
    pub fn forloop(name: &Rc<str>, i: usize, n: usize, parent: Option<&'p dyn ValueView>) -> Self {
        let (i, n) = (i as i64, n as i64);
        let mut values: [Val; 12] = std::array::from_fn(|_| Val::Nil);
        values[0] = Val::Str(Rc::clone(name));
        values[1] = Val::Int(n);
        values[2] = Val::Int(i + 1);
        values[3] = Val::Int(i);
        values[4] = Val::Int(n - i);
        values[5] = Val::Int(n - i - 1);
        values[6] = Val::Bool(i == 0);
        values[7] = Val::Bool(i == n - 1);
        LoopInfo {
            names: FORLOOP,
            values,
            parent,
            detached: false,
        }
    }

    /// Marks a `render … for` loop (see [`DETACHED`]).
    pub fn detached(mut self) -> Self {
        self.detached = true;
        self
    }

    /// `tablerowloop` for iteration `i` of `n` in rows of `cols`.
    pub fn tablerowloop(i: usize, n: usize, cols: usize) -> Self {
        let cols = cols.max(1);
        let (col0, row) = ((i % cols) as i64, (i / cols) as i64 + 1);
        let (i, n) = (i as i64, n as i64);
        let values: [Val; 12] = [
            Val::Int(n),
            Val::Int(i + 1),
            Val::Int(i),
            Val::Int(n - i),
            Val::Int(n - i - 1),
            Val::Bool(i == 0),
            Val::Bool(i == n - 1),
            Val::Int(col0 + 1),
            Val::Int(col0),
            Val::Bool(col0 == 0),
            Val::Bool(col0 + 1 == cols as i64),
            Val::Int(row),
        ];
        LoopInfo {
            names: TABLEROWLOOP,
            values,
            parent: None,
            detached: false,
        }
    }

    fn field(&self, key: &str) -> Option<&dyn ValueView> {
        if key == "parentloop" && self.names.len() == FORLOOP.len() {
            return self.parent;
        }
        if key == DETACHED && self.detached {
            return Some(&self.values[0]);
        }
        let i = self.names.iter().position(|n| *n == key)?;
        Some(&self.values[i])
    }

    fn fields(&self) -> Vec<(KStringCow<'_>, &dyn ValueView)> {
        let mut all: Vec<(KStringCow<'_>, &dyn ValueView)> = self
            .names
            .iter()
            .zip(self.values.iter())
            .map(|(k, v)| (KStringCow::from_static(k), v as &dyn ValueView))
            .collect();
        if let Some(p) = self.parent {
            all.push((KStringCow::from_static("parentloop"), p));
        }
        all
    }
}

impl ValueView for LoopInfo<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(crate::value::to_text(self)))
    }
    fn source(&self) -> DisplayCow<'_> {
        self.render()
    }
    fn type_name(&self) -> &'static str {
        crate::value::ORDERED_OBJECT
    }
    fn query_state(&self, state: liquid_core::model::State) -> bool {
        matches!(state, liquid_core::model::State::Truthy)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(crate::value::to_text(self))
    }
    fn to_value(&self) -> Value {
        crate::value::encode_object(
            self.fields()
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.to_value())),
        )
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for LoopInfo<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.fields().len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.fields().into_iter().map(|(k, _)| k))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.fields().into_iter().map(|(_, v)| v))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(self.fields().into_iter())
    }
    fn contains_key(&self, index: &str) -> bool {
        self.field(index).is_some()
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.field(index)
    }
}

impl Runtime for Frame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.parent.roots()
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.get(path).ok()
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        if let Some((root, rest)) = split_root(path) {
            if let Some((_, v)) = self
                .vars
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == root.as_str())
            {
                let m = self.budget.meter(Site::Lookup);
                m.take(units(path.len(), LOOKUP))?;
                return walk(v.view(), rest, &m);
            }
        }
        self.budget.charge(LOOKUP, Site::Lookup)?;
        self.parent.get(path)
    }
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_global(name, val)
    }
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }
    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &Registers {
        self.registers
    }
}

/// A writer that refuses to grow past a limit, and charges the render's budget for every byte
/// before it takes it.
pub(crate) struct Limited<'w> {
    inner: &'w mut Vec<u8>,
    limit: usize,
    budget: &'w Budget,
    /// The limit refused a write (a refusal of the budget is the budget's to report).
    pub exceeded: bool,
}

impl<'w> Limited<'w> {
    pub fn new(inner: &'w mut Vec<u8>, limit: Option<usize>, budget: &'w Budget) -> Self {
        Limited {
            inner,
            limit: limit.unwrap_or(usize::MAX),
            budget,
            exceeded: false,
        }
    }
}

impl io::Write for Limited<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.inner.len().saturating_add(buf.len()) > self.limit {
            self.exceeded = true;
            return Err(io::Error::other("output limit"));
        }
        if self.budget.charge(buf.len() as u64, Site::Output).is_err() {
            return Err(io::Error::other("work budget"));
        }
        self.inner.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Renders `template` into a string capped at `limit` bytes (captures, partial bodies).
pub(crate) fn render_capped(
    template: &dyn Renderable,
    runtime: &dyn Runtime,
    limit: Option<usize>,
) -> Result<String> {
    let sh = shared(runtime);
    let mut buf = Vec::new();
    let mut w = Limited::new(&mut buf, limit, &sh.budget);
    let res = template.render_to(&mut w, runtime);
    if w.exceeded {
        let limit = limit.unwrap_or(0);
        return Err(crate::error::raise(
            ErrorKind::OutputTooLarge,
            format!("a captured value is larger than {limit} bytes"),
            None,
        ));
    }
    res?;
    Ok(String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arena_hands_out_stable_references() {
        let arena = Arena::new();
        let first = arena.push(String::from("a"));
        for i in 0..1000 {
            arena.push(i.to_string());
        }
        assert_eq!(arena.get(first).map(String::as_str), Some("a"));
        assert_eq!(arena.get(1000).map(String::as_str), Some("999"));
        assert_eq!(arena.get(1001), None);
    }

    #[test]
    fn negative_indexes_count_from_the_end() {
        assert_eq!(index(3, -1), Some(2));
        assert_eq!(index(3, -4), None);
        assert_eq!(index(3, 3), None);
    }
}
