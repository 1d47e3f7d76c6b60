//! The compact transform of format 2: the project file's JSON value with each flow's `states`
//! rearranged so that deflate finds more to share, and with what Flowpen can recompute exactly
//! left out. It is lossless for any JSON value: [`unpack`] of [`pack`] gives back the same value,
//! member order, duplicate keys and number text included.
//!
//! A flow's `states` array becomes an object of columns, one entry per state:
//!
//! - `n`: names, `t`: types;
//! - `x`: transitions. Each transition is one item: a reference to its `next` (`0`: no `next`;
//!   `k`: the name of state `k - 1`; a string: a `next` that names no state), alone when its event
//!   is the one the widget type has at that position ([`EVENTS`]), `[ref]` or `[ref, conditions]`
//!   for the type's repeatable event (a split's `match`), `[ref, event]` or
//!   `[ref, event, conditions]` otherwise. A condition with Studio's members in Studio's order,
//!   testing the split's `input`, is `[type, value]` (when its friendly name is the automatic
//!   `If value TYPE VALUE`) or `[type, value, friendly_name]`; any other condition is kept as it is;
//! - `o`: offsets, flat: `null` when the state's offset is not taken out of its properties, else
//!   `dx, dy` from the previous offset taken out (the first from `0, 0`). Only `{"x": X, "y": Y}`
//!   (either order) with integers written plainly is taken out;
//! - `k`: where the offset was among the properties (left out when every one was first);
//! - `p`: the properties without the offset; a state that is not a regular widget (other members,
//!   duplicate keys, transitions of another shape) is `[state]` here, whole, and has no entry in
//!   the other columns;
//! - `l`: member orders other than Studio's (left out when all are Studio's): `STATE/T1,T2,…/yx`,
//!   where `STATE` is the order of `name` `type` `transitions` `properties` as `ntTp`, `Tn` … the
//!   order of a transition's `next` `event` `conditions` (`nec`), and `yx` an offset written
//!   `y` first; empty parts are Studio's order.
//!
//! **This is a link format:** the event table and every rule here are frozen for format 2. A new
//! rule is a new format number; old links must keep opening.

use std::collections::BTreeMap;

use flowpen_flow::json::{Json, Number, Object};

/// The events of each widget type, for format 2: the events a new widget has, in order, and the
/// event that may repeat (a split's `match`). Frozen: it deliberately does not read
/// `flowpen_flow::spec`, which may change.
pub(crate) const EVENTS: &[(&str, &[&str], Option<&str>)] = &[
    (
        "trigger",
        &[
            "incomingMessage",
            "incomingCall",
            "incomingConversationMessage",
            "incomingRequest",
            "incomingParent",
        ],
        None,
    ),
    (
        "send-and-wait-for-reply",
        &["incomingMessage", "timeout", "deliveryFailure"],
        None,
    ),
    ("run-function", &["success", "fail"], None),
    ("set-variables", &["next"], None),
    ("split-based-on", &["noMatch"], Some("match")),
    ("send-message", &["sent", "failed"], None),
    ("make-http-request", &["success", "failed"], None),
    ("say-play", &["audioComplete"], None),
    (
        "gather-input-on-call",
        &["keypress", "speech", "timeout"],
        None,
    ),
    ("connect-call-to", &["callCompleted", "hangup"], None),
    (
        "make-outgoing-call-v2",
        &["answered", "busy", "noAnswer", "failed"],
        None,
    ),
    (
        "record-voicemail",
        &["recordingComplete", "noAudio", "hangup"],
        None,
    ),
    ("record-call", &["success", "failed"], None),
    (
        "enqueue-call",
        &["callComplete", "failedToEnqueue", "callFailure"],
        None,
    ),
    (
        "capture-payments",
        &[
            "success",
            "maxFailedAttempts",
            "providerError",
            "payInterrupted",
            "hangup",
            "validationError",
        ],
        None,
    ),
    ("fork-stream", &["next"], None),
    (
        "connect-virtual-agent",
        &[
            "completed",
            "live-agent-handoff",
            "paused",
            "hangup",
            "timeout",
            "failed",
            "return",
        ],
        None,
    ),
    ("add-twiml-redirect", &["return", "timeout", "fail"], None),
    (
        "send-to-flex",
        &["callComplete", "failedToEnqueue", "callFailure"],
        None,
    ),
    (
        "send-to-auto-pilot",
        &["sessionEnded", "failure", "timeout"],
        None,
    ),
    ("run-subflow", &["completed", "failed"], None),
];

/// The events of a widget type: those in order, and the repeatable one.
fn events_of(kind: &str) -> (&'static [&'static str], Option<&'static str>) {
    EVENTS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or((&[], None), |(_, events, rep)| (*events, *rep))
}

/// Studio's automatic friendly name of a condition (frozen for format 2).
fn auto_friendly_name(kind: &str, value: &str) -> String {
    format!("If value {kind} {value}")
}

/// The largest offset coordinate taken out of the properties (larger ones stay as written).
const MAX_COORD: i64 = 999_999_999_999_999;

/// An integer written plainly (`-20`, `460`; not `4.6e2`, `-0` or `0460`), within [`MAX_COORD`].
fn plain_int(v: &Json) -> Option<i64> {
    let Json::Number(n) = v else { return None };
    let text = n.as_str();
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    plain.then(|| text.parse().ok()).flatten()
}

/// Calls `f` on every flow object of a document: a project file's `flow` and its subflows'
/// `flow`s, or the document itself when it is a plain flow.
fn each_flow<E>(
    doc: &mut Json,
    mut f: impl FnMut(&mut Object, &str) -> Result<(), E>,
) -> Result<(), E> {
    let Json::Object(top) = doc else {
        return Ok(());
    };
    if top.get("flowpen").is_none() {
        return f(top, "$");
    }
    if let Some(Json::Object(flow)) = top.get_mut("flow") {
        f(flow, "$.flow")?;
    }
    if let Some(Json::Array(subflows)) = top.get_mut("subflows") {
        for (i, s) in subflows.iter_mut().enumerate() {
            if let Some(Json::Object(flow)) = s.as_object_mut().and_then(|s| s.get_mut("flow")) {
                f(flow, &format!("$.subflows[{i}].flow"))?;
            }
        }
    }
    Ok(())
}

/// The packed form of a project file (or of a plain flow).
pub(crate) fn pack(doc: &Json) -> Json {
    let mut doc = doc.clone();
    let _ = each_flow(&mut doc, |flow, _| {
        pack_flow(flow);
        Ok::<(), ()>(())
    });
    doc
}

/// The columns being filled.
#[derive(Default)]
struct Columns {
    names: Vec<Json>,
    types: Vec<Json>,
    transitions: Vec<Json>,
    offsets: Vec<Json>,
    positions: Vec<Json>,
    properties: Vec<Json>,
    layouts: Vec<Json>,
}

fn pack_flow(flow: &mut Object) {
    let Some(Json::Array(states)) = flow.get("states") else {
        return;
    };
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in states.iter().enumerate() {
        if let Some(name) = s.as_object().and_then(|o| o.str("name")) {
            index.entry(name).or_insert(i);
        }
    }
    let mut c = Columns::default();
    let mut prev = (0, 0);
    for state in states {
        if !pack_state(state, &index, &mut prev, &mut c) {
            c.properties.push(Json::Array(vec![state.clone()]));
        }
    }
    let mut cols = Object::new();
    cols.set("n", Json::Array(c.names));
    cols.set("t", Json::Array(c.types));
    cols.set("x", Json::Array(c.transitions));
    cols.set("o", Json::Array(c.offsets));
    if c.positions.iter().any(|p| plain_int(p) != Some(0)) {
        cols.set("k", Json::Array(c.positions));
    }
    cols.set("p", Json::Array(c.properties));
    if c.layouts.iter().any(|l| l.as_str() != Some("")) {
        cols.set("l", Json::Array(c.layouts));
    }
    flow.set("states", Json::Object(cols));
}

/// A state's members, when it is a regular widget.
struct Parts<'a> {
    order: String,
    name: &'a str,
    kind: &'a str,
    transitions: &'a [Json],
    properties: &'a Object,
}

fn parts(state: &Json) -> Option<Parts<'_>> {
    let o = state.as_object()?;
    if o.len() != 4 {
        return None;
    }
    let (mut name, mut kind, mut transitions, mut properties) = (None, None, None, None);
    let mut order = String::new();
    for (k, v) in o.iter() {
        let (slot_taken, letter) = match k {
            "name" => (name.replace(v.as_str()?).is_some(), 'n'),
            "type" => (kind.replace(v.as_str()?).is_some(), 't'),
            "transitions" => (transitions.replace(v.as_array()?).is_some(), 'T'),
            "properties" => (properties.replace(v.as_object()?).is_some(), 'p'),
            _ => return None,
        };
        if slot_taken {
            return None;
        }
        order.push(letter);
    }
    Some(Parts {
        order,
        name: name?,
        kind: kind?,
        transitions: transitions?,
        properties: properties?,
    })
}

/// Fills the columns with a regular state; `false` (and nothing added) for any other.
fn pack_state(
    state: &Json,
    index: &BTreeMap<&str, usize>,
    prev: &mut (i64, i64),
    c: &mut Columns,
) -> bool {
    let Some(p) = parts(state) else { return false };
    let input = p.properties.str("input");
    let (events, repeatable) = events_of(p.kind);
    let mut items = Vec::with_capacity(p.transitions.len());
    let mut orders = Vec::with_capacity(p.transitions.len());
    for (pos, t) in p.transitions.iter().enumerate() {
        let Some((item, order)) = pack_transition(t, pos, events, repeatable, index, input) else {
            return false;
        };
        items.push(item);
        orders.push(order);
    }
    let mut props = p.properties.clone();
    let mut offset = None;
    if p.properties.keys().filter(|k| *k == "offset").count() == 1 {
        if let Some((at, x, y, yx)) = p
            .properties
            .position("offset")
            .and_then(|at| offset_of(p.properties.get("offset")?).map(|(x, y, yx)| (at, x, y, yx)))
        {
            props.remove("offset");
            offset = Some((at, x, y, yx));
        }
    }
    c.names.push(Json::str(p.name));
    c.types.push(Json::str(p.kind));
    c.transitions.push(Json::Array(items));
    let yx = match offset {
        Some((at, x, y, yx)) => {
            c.offsets.push(Json::int(x - prev.0));
            c.offsets.push(Json::int(y - prev.1));
            *prev = (x, y);
            c.positions.push(Json::int(at as i64));
            yx
        }
        None => {
            c.offsets.push(Json::Null);
            c.positions.push(Json::int(0));
            false
        }
    };
    c.properties.push(Json::Object(props));
    c.layouts.push(Json::str(layout(&p.order, &orders, yx)));
    true
}

/// `x`, `y` and whether `y` comes first, for an offset Flowpen can write back exactly.
fn offset_of(v: &Json) -> Option<(i64, i64, bool)> {
    let o = v.as_object()?;
    let mut members = o.iter();
    let (k1, v1) = members.next()?;
    let (k2, v2) = members.next()?;
    if members.next().is_some() {
        return None;
    }
    let (a, b) = (plain_int(v1)?, plain_int(v2)?);
    match (k1, k2) {
        ("x", "y") => Some((a, b, false)),
        ("y", "x") => Some((b, a, true)),
        _ => None,
    }
}

/// The layout code (see the module documentation); empty for Studio's orders.
fn layout(state: &str, transitions: &[String], yx: bool) -> String {
    let state = if state == "ntTp" { "" } else { state };
    let trans = if transitions.iter().all(String::is_empty) {
        String::new()
    } else {
        transitions.join(",")
    };
    let off = if yx { "yx" } else { "" };
    let mut parts = vec![state, trans.as_str(), off];
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts.join("/")
}

/// One transition as an item, with its member order (empty: Studio's).
fn pack_transition(
    t: &Json,
    pos: usize,
    events: &[&str],
    repeatable: Option<&str>,
    index: &BTreeMap<&str, usize>,
    input: Option<&str>,
) -> Option<(Json, String)> {
    let o = t.as_object()?;
    let (mut next, mut event, mut conditions) = (None, None, None);
    let mut order = String::new();
    for (k, v) in o.iter() {
        let (taken, letter) = match k {
            "next" => (next.replace(v.as_str()?).is_some(), 'n'),
            "event" => (event.replace(v.as_str()?).is_some(), 'e'),
            "conditions" => (conditions.replace(v.as_array()?).is_some(), 'c'),
            _ => return None,
        };
        if taken {
            return None;
        }
        order.push(letter);
    }
    let event = event?;
    let canonical: String = "nec".chars().filter(|c| order.contains(*c)).collect();
    let order = if order == canonical {
        String::new()
    } else {
        order
    };
    let reference = match next {
        None => Json::int(0),
        Some(name) => match index.get(name) {
            Some(&i) => Json::int(i as i64 + 1),
            None => Json::str(name),
        },
    };
    let conditions = match conditions {
        None => None,
        Some(list) => {
            let mut packed = Vec::with_capacity(list.len());
            for c in list {
                if matches!(c, Json::Array(_)) {
                    return None;
                }
                packed.push(pack_condition(c, input));
            }
            Some(Json::Array(packed))
        }
    };
    let item = match conditions {
        None if events.get(pos) == Some(&event) => reference,
        None if repeatable == Some(event) => Json::Array(vec![reference]),
        Some(c) if repeatable == Some(event) => Json::Array(vec![reference, c]),
        None => Json::Array(vec![reference, Json::str(event)]),
        Some(c) => Json::Array(vec![reference, Json::str(event), c]),
    };
    Some((item, order))
}

/// A condition as `[type, value]`, `[type, value, friendly_name]`, or as it is.
fn pack_condition(c: &Json, input: Option<&str>) -> Json {
    let packed = (|| {
        let o = c.as_object()?;
        let keys: Vec<&str> = o.keys().collect();
        if keys != ["friendly_name", "arguments", "type", "value"] {
            return None;
        }
        let args = o.get("arguments")?.as_array()?;
        if args.len() != 1 || args[0].as_str() != Some(input?) {
            return None;
        }
        let (friendly, kind, value) = (o.str("friendly_name")?, o.str("type")?, o.str("value")?);
        let mut out = vec![Json::str(kind), Json::str(value)];
        if friendly != auto_friendly_name(kind, value) {
            out.push(Json::str(friendly));
        }
        Some(Json::Array(out))
    })();
    packed.unwrap_or_else(|| c.clone())
}

/// Why packed states could not be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// Where (`$.flow.states.x[3][1]`).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}", self.message, self.path)
    }
}

/// The document [`pack`] was given, from its packed form. Flows whose `states` is an array are
/// left alone (a link may hold a project that is not packed).
pub(crate) fn unpack(mut doc: Json) -> Result<Json, PackError> {
    each_flow(&mut doc, |flow, at| {
        if let Some(Json::Object(cols)) = flow.get_mut("states") {
            let cols = std::mem::take(cols);
            let states = unpack_states(cols, &format!("{at}.states"))?;
            flow.set("states", Json::Array(states));
        }
        Ok(())
    })?;
    Ok(doc)
}

/// Reads columns in order, checking that each is used up.
struct Reader {
    at: String,
    items: std::vec::IntoIter<Json>,
    taken: usize,
}

impl Reader {
    fn new(at: &str, key: &str, v: Option<Json>) -> Result<Option<Reader>, PackError> {
        match v {
            None => Ok(None),
            Some(Json::Array(a)) => Ok(Some(Reader {
                at: format!("{at}.{key}"),
                items: a.into_iter(),
                taken: 0,
            })),
            Some(other) => Err(PackError {
                path: format!("{at}.{key}"),
                message: format!("a column is an array, found {}", other.kind()),
            }),
        }
    }

    fn next(&mut self) -> Result<(Json, String), PackError> {
        let at = format!("{}[{}]", self.at, self.taken);
        self.taken += 1;
        match self.items.next() {
            Some(v) => Ok((v, at)),
            None => Err(PackError {
                path: at,
                message: "the column ends too soon".into(),
            }),
        }
    }

    fn finish(mut self) -> Result<(), PackError> {
        match self.items.next() {
            None => Ok(()),
            Some(_) => Err(PackError {
                path: format!("{}[{}]", self.at, self.taken),
                message: "the column is longer than the states".into(),
            }),
        }
    }
}

fn err<T>(path: &str, message: impl Into<String>) -> Result<T, PackError> {
    Err(PackError {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// A state being rebuilt: the raw one, or the parts of a regular one.
enum Pending {
    Raw(Json),
    Regular {
        name: String,
        kind: String,
        items: Vec<(Json, String)>,
        properties: Object,
        layout: (String, Vec<String>, bool),
    },
}

fn unpack_states(mut cols: Object, at: &str) -> Result<Vec<Json>, PackError> {
    let keys: Vec<&str> = cols.keys().collect();
    let expected: Vec<&str> = ["n", "t", "x", "o", "k", "p", "l"]
        .into_iter()
        .filter(|k| !matches!(*k, "k" | "l") || keys.contains(k))
        .collect();
    if keys != expected {
        return err(
            at,
            format!(
                "packed states have the columns n, t, x, o, (k), p, (l) in this order, found {}",
                keys.join(", ")
            ),
        );
    }
    let mut take = |k: &str| cols.remove(k).map(|(_, v)| v);
    let column = |r: Option<Reader>, k: &str| {
        r.ok_or_else(|| PackError {
            path: format!("{at}.{k}"),
            message: "a column is missing".into(),
        })
    };
    let mut names = column(Reader::new(at, "n", take("n"))?, "n")?;
    let mut types = column(Reader::new(at, "t", take("t"))?, "t")?;
    let mut trans = column(Reader::new(at, "x", take("x"))?, "x")?;
    let mut offsets = column(Reader::new(at, "o", take("o"))?, "o")?;
    let mut positions = Reader::new(at, "k", take("k"))?;
    let props = column(Reader::new(at, "p", take("p"))?, "p")?;
    let mut layouts = Reader::new(at, "l", take("l"))?;

    let mut pending = Vec::new();
    let mut prev = (0i64, 0i64);
    for (i, p) in props.items.enumerate() {
        let p_at = format!("{at}.p[{i}]");
        match p {
            Json::Array(mut raw) if raw.len() == 1 => pending.push(Pending::Raw(raw.remove(0))),
            Json::Object(mut properties) => {
                let (name, n_at) = names.next()?;
                let Json::String(name) = name else {
                    return err(&n_at, "a name is a string");
                };
                let (kind, t_at) = types.next()?;
                let Json::String(kind) = kind else {
                    return err(&t_at, "a type is a string");
                };
                let (items, x_at) = trans.next()?;
                let Json::Array(items) = items else {
                    return err(&x_at, "transitions are an array");
                };
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(j, v)| (v, format!("{x_at}[{j}]")))
                    .collect();
                let position = match positions.as_mut() {
                    Some(r) => {
                        let (v, k_at) = r.next()?;
                        match plain_int(&v).and_then(|k| usize::try_from(k).ok()) {
                            Some(k) => k,
                            None => return err(&k_at, "a position is a whole number"),
                        }
                    }
                    None => 0,
                };
                let layout = match layouts.as_mut() {
                    Some(r) => {
                        let (v, l_at) = r.next()?;
                        match v {
                            Json::String(s) => parse_layout(&s, &l_at)?,
                            _ => return err(&l_at, "a layout is a string"),
                        }
                    }
                    None => (String::new(), Vec::new(), false),
                };
                let (dx, o_at) = offsets.next()?;
                if !matches!(dx, Json::Null) {
                    let (dy, dy_at) = offsets.next()?;
                    let (Some(dx), Some(dy)) = (plain_int(&dx), plain_int(&dy)) else {
                        return err(&o_at, "an offset is two whole numbers or null");
                    };
                    let (Some(x), Some(y)) = (prev.0.checked_add(dx), prev.1.checked_add(dy))
                    else {
                        return err(&dy_at, "the offset is too large");
                    };
                    if x.abs() > MAX_COORD || y.abs() > MAX_COORD {
                        return err(&dy_at, "the offset is too large");
                    }
                    prev = (x, y);
                    if position > properties.len() {
                        return err(&p_at, "the offset's position is past the properties");
                    }
                    let mut off = Object::new();
                    let (first, second) = if layout.2 {
                        (("y", y), ("x", x))
                    } else {
                        (("x", x), ("y", y))
                    };
                    off.set(first.0, Json::Number(Number::from_i64(first.1)));
                    off.set(second.0, Json::Number(Number::from_i64(second.1)));
                    properties.insert(position, "offset", Json::Object(off));
                } else if position != 0 || layout.2 {
                    return err(
                        &o_at,
                        "a state without an offset taken out has no offset position or order",
                    );
                }
                pending.push(Pending::Regular {
                    name,
                    kind,
                    items,
                    properties,
                    layout,
                });
            }
            _ => {
                return err(
                    &p_at,
                    "properties are an object, or [state] for a state kept whole",
                )
            }
        }
    }
    names.finish()?;
    types.finish()?;
    trans.finish()?;
    offsets.finish()?;
    if let Some(r) = positions {
        r.finish()?;
    }
    if let Some(r) = layouts {
        r.finish()?;
    }

    // References may point forward: resolve them once every name is known.
    let all_names: Vec<Option<String>> = pending
        .iter()
        .map(|p| match p {
            Pending::Raw(state) => state
                .as_object()
                .and_then(|o| o.str("name"))
                .map(str::to_owned),
            Pending::Regular { name, .. } => Some(name.clone()),
        })
        .collect();
    let mut states = Vec::with_capacity(pending.len());
    for p in pending {
        states.push(match p {
            Pending::Raw(state) => state,
            Pending::Regular {
                name,
                kind,
                items,
                properties,
                layout,
            } => {
                let (state_order, transition_orders, _) = layout;
                if !transition_orders.is_empty() && transition_orders.len() != items.len() {
                    return err(
                        at,
                        format!(
                            "a layout lists {} transitions for {} transitions",
                            transition_orders.len(),
                            items.len()
                        ),
                    );
                }
                let input = properties.str("input").map(str::to_owned);
                let (events, repeatable) = events_of(&kind);
                let mut transitions = Vec::with_capacity(items.len());
                for (pos, (item, i_at)) in items.into_iter().enumerate() {
                    let order = transition_orders.get(pos).map_or("", String::as_str);
                    transitions.push(unpack_transition(
                        item,
                        &i_at,
                        pos,
                        events,
                        repeatable,
                        &all_names,
                        input.as_deref(),
                        order,
                    )?);
                }
                let order = if state_order.is_empty() {
                    "ntTp"
                } else {
                    &state_order
                };
                let mut members = [
                    Some(("name", Json::String(name))),
                    Some(("type", Json::String(kind))),
                    Some(("transitions", Json::Array(transitions))),
                    Some(("properties", Json::Object(properties))),
                ];
                let mut o = Object::new();
                for letter in order.chars() {
                    let slot = match letter {
                        'n' => 0,
                        't' => 1,
                        'T' => 2,
                        _ => 3,
                    };
                    if let Some((k, v)) = members[slot].take() {
                        o.set(k, v);
                    }
                }
                Json::Object(o)
            }
        });
    }
    Ok(states)
}

/// The parts of a layout code: the state's member order, each transition's, and `yx`.
fn parse_layout(code: &str, at: &str) -> Result<(String, Vec<String>, bool), PackError> {
    let mut parts = code.split('/');
    let state = parts.next().unwrap_or_default();
    let trans = parts.next().unwrap_or_default();
    let off = parts.next().unwrap_or_default();
    if parts.next().is_some() {
        return err(at, "a layout has at most three parts");
    }
    if !state.is_empty() && !is_permutation(state, "ntTp") {
        return err(at, format!("\"{state}\" is not an order of n, t, T and p"));
    }
    let transitions = if trans.is_empty() {
        Vec::new()
    } else {
        trans.split(',').map(str::to_owned).collect()
    };
    let yx = match off {
        "" => false,
        "yx" => true,
        other => return err(at, format!("\"{other}\" is not an offset order")),
    };
    Ok((state.to_owned(), transitions, yx))
}

/// Whether `s` has each letter of `of` exactly once.
fn is_permutation(s: &str, of: &str) -> bool {
    s.len() == of.len() && of.chars().all(|c| s.matches(c).count() == 1)
}

#[allow(clippy::too_many_arguments)]
fn unpack_transition(
    item: Json,
    at: &str,
    pos: usize,
    events: &[&str],
    repeatable: Option<&str>,
    names: &[Option<String>],
    input: Option<&str>,
    order: &str,
) -> Result<Json, PackError> {
    let (reference, event, conditions) = match item {
        scalar @ (Json::Number(_) | Json::String(_)) => match events.get(pos) {
            Some(e) => (scalar, (*e).to_owned(), None),
            None => {
                return err(
                    at,
                    format!("no event is implied at position {pos} of this widget type"),
                )
            }
        },
        Json::Array(parts) => {
            let mut parts = parts.into_iter();
            let reference = parts.next();
            let second = parts.next();
            let third = parts.next();
            if parts.next().is_some() {
                return err(at, "a transition is [ref, event, conditions] at most");
            }
            let Some(reference) = reference else {
                return err(at, "a transition names its next widget");
            };
            let rep = || match repeatable {
                Some(e) => Ok(e.to_owned()),
                None => err(at, "this widget type has no repeatable event"),
            };
            match (second, third) {
                (None, _) => (reference, rep()?, None),
                (Some(Json::Array(c)), None) => (reference, rep()?, Some(c)),
                (Some(Json::String(e)), None) => (reference, e, None),
                (Some(Json::String(e)), Some(Json::Array(c))) => (reference, e, Some(c)),
                _ => return err(at, "a transition is [ref], [ref, conditions], [ref, event] or [ref, event, conditions]"),
            }
        }
        other => {
            return err(
                at,
                format!(
                    "a transition is a reference or an array, found {}",
                    other.kind()
                ),
            )
        }
    };
    let next = match reference {
        Json::String(name) => Some(name),
        n @ Json::Number(_) => match plain_int(&n).and_then(|k| usize::try_from(k).ok()) {
            Some(0) => None,
            Some(k) => match names.get(k - 1) {
                Some(Some(name)) => Some(name.clone()),
                _ => return err(at, format!("no widget {k} to lead to")),
            },
            None => return err(at, "a reference is a whole number or a name"),
        },
        _ => return err(at, "a reference is a whole number or a name"),
    };
    let conditions = match conditions {
        None => None,
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, c) in list.into_iter().enumerate() {
                out.push(unpack_condition(c, &format!("{at}[c{i}]"), input)?);
            }
            Some(Json::Array(out))
        }
    };
    let present: String = [
        next.is_some().then_some('n'),
        Some('e'),
        conditions.is_some().then_some('c'),
    ]
    .into_iter()
    .flatten()
    .collect();
    let order = if order.is_empty() {
        present.as_str()
    } else {
        order
    };
    if !is_permutation(order, &present) {
        return err(
            at,
            format!("\"{order}\" is not an order of this transition's members"),
        );
    }
    let mut members = [
        next.map(|n| ("next", Json::String(n))),
        Some(("event", Json::String(event))),
        conditions.map(|c| ("conditions", c)),
    ];
    let mut o = Object::new();
    for letter in order.chars() {
        let slot = match letter {
            'n' => 0,
            'e' => 1,
            _ => 2,
        };
        if let Some((k, v)) = members[slot].take() {
            o.set(k, v);
        }
    }
    Ok(Json::Object(o))
}

fn unpack_condition(c: Json, at: &str, input: Option<&str>) -> Result<Json, PackError> {
    let Json::Array(parts) = c else {
        return Ok(c);
    };
    let texts: Option<Vec<String>> = parts
        .into_iter()
        .map(|p| match p {
            Json::String(s) => Some(s),
            _ => None,
        })
        .collect();
    let Some(mut texts) = texts.filter(|t| (2..=3).contains(&t.len())) else {
        return err(
            at,
            "a condition is [type, value] or [type, value, friendly name]",
        );
    };
    let Some(input) = input else {
        return err(at, "a packed condition needs the split's input");
    };
    let friendly = if texts.len() == 3 {
        texts.pop().unwrap_or_default()
    } else {
        auto_friendly_name(&texts[0], &texts[1])
    };
    let value = texts.pop().unwrap_or_default();
    let kind = texts.pop().unwrap_or_default();
    let mut o = Object::new();
    o.set("friendly_name", Json::String(friendly));
    o.set("arguments", Json::Array(vec![Json::str(input)]));
    o.set("type", Json::String(kind));
    o.set("value", Json::String(value));
    Ok(Json::Object(o))
}
