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

use std::collections::HashMap;

use flowpen_flow::json::{self, write_string, Json, Object};

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
    let mut index: HashMap<&str, usize> = HashMap::new();
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
    index: &HashMap<&str, usize>,
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
    index: &HashMap<&str, usize>,
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

/// The document [`pack`] was given, from its packed form; `None` when the packed states do not
/// fit together (only a link made by hand can do that: the link's check covers the text). Flows
/// whose `states` is an array are left alone (a link may hold a project that is not packed).
pub(crate) fn unpack(mut doc: Json) -> Option<Json> {
    each_flow(&mut doc, |flow, _| {
        if let Some(Json::Object(cols)) = flow.get_mut("states") {
            let text = unpack_states(std::mem::take(cols)).ok_or(())?;
            flow.set("states", json::parse(&text).map_err(|_| ())?);
        }
        Ok::<(), ()>(())
    })
    .ok()?;
    Some(doc)
}

/// A state being rebuilt: kept whole, or the parts of a regular one.
enum Pending {
    Raw(Json),
    Regular {
        name: String,
        kind: String,
        items: Vec<Json>,
        properties: Object,
        state_order: String,
        orders: Vec<String>,
    },
}

/// The entries of an optional column (`Some(None)`: absent; `None`: not an array).
fn column(cols: &mut Object, key: &str) -> Option<Option<std::vec::IntoIter<Json>>> {
    match cols.remove(key) {
        None => Some(None),
        Some((_, Json::Array(items))) => Some(Some(items.into_iter())),
        Some(_) => None,
    }
}

/// The states, as compact JSON text, from packed columns.
fn unpack_states(mut cols: Object) -> Option<String> {
    let keys: Vec<&str> = cols.keys().collect();
    let expected: Vec<&str> = ["n", "t", "x", "o", "k", "p", "l"]
        .into_iter()
        .filter(|k| !matches!(*k, "k" | "l") || keys.contains(k))
        .collect();
    if keys != expected {
        return None;
    }
    let mut names = column(&mut cols, "n")??;
    let mut types = column(&mut cols, "t")??;
    let mut trans = column(&mut cols, "x")??;
    let mut offsets = column(&mut cols, "o")??;
    let mut positions = column(&mut cols, "k")?;
    let props = column(&mut cols, "p")??;
    let mut layouts = column(&mut cols, "l")?;

    let mut pending = Vec::new();
    let mut prev = (0i64, 0i64);
    for p in props {
        let mut properties = match p {
            Json::Array(mut raw) if raw.len() == 1 => {
                pending.push(Pending::Raw(raw.remove(0)));
                continue;
            }
            Json::Object(o) => o,
            _ => return None,
        };
        let (Json::String(name), Json::String(kind), Json::Array(items)) =
            (names.next()?, types.next()?, trans.next()?)
        else {
            return None;
        };
        let position = match positions.as_mut() {
            None => 0,
            Some(c) => usize::try_from(plain_int(&c.next()?)?).ok()?,
        };
        let (state_order, orders, yx) = match layouts.as_mut() {
            None => (String::new(), Vec::new(), false),
            Some(c) => parse_layout(c.next()?.as_str()?)?,
        };
        let dx = offsets.next()?;
        if dx == Json::Null {
            if position != 0 || yx {
                return None;
            }
        } else {
            let (dx, dy) = (plain_int(&dx)?, plain_int(&offsets.next()?)?);
            let (x, y) = (prev.0.checked_add(dx)?, prev.1.checked_add(dy)?);
            if x.abs() > MAX_COORD || y.abs() > MAX_COORD || position > properties.len() {
                return None;
            }
            prev = (x, y);
            let mut off = Object::new();
            for (k, v) in if yx {
                [("y", y), ("x", x)]
            } else {
                [("x", x), ("y", y)]
            } {
                off.set(k, Json::int(v));
            }
            properties.insert(position, "offset", Json::Object(off));
        }
        pending.push(Pending::Regular {
            name,
            kind,
            items,
            properties,
            state_order,
            orders,
        });
    }
    for mut c in [
        Some(names),
        Some(types),
        Some(trans),
        Some(offsets),
        positions,
        layouts,
    ]
    .into_iter()
    .flatten()
    {
        if c.next().is_some() {
            return None;
        }
    }

    // References may point forward: write the states once every name is known.
    let names: Vec<Option<String>> = pending
        .iter()
        .map(|p| match p {
            Pending::Raw(state) => state.as_object()?.str("name").map(str::to_owned),
            Pending::Regular { name, .. } => Some(name.clone()),
        })
        .collect();
    let mut out = String::from("[");
    for (i, p) in pending.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (name, kind, items, mut properties, state_order, orders) = match p {
            Pending::Raw(state) => {
                out.push_str(&state.to_compact());
                continue;
            }
            Pending::Regular {
                name,
                kind,
                items,
                properties,
                state_order,
                orders,
            } => (name, kind, items, properties, state_order, orders),
        };
        if !orders.is_empty() && orders.len() != items.len() {
            return None;
        }
        let input = properties.str("input").map(str::to_owned);
        let (events, repeatable) = events_of(&kind);
        let order = if state_order.is_empty() {
            "ntTp"
        } else {
            &state_order
        };
        out.push('{');
        for (j, letter) in order.chars().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match letter {
                'n' => {
                    out.push_str("\"name\":");
                    write_string(&mut out, &name);
                }
                't' => {
                    out.push_str("\"type\":");
                    write_string(&mut out, &kind);
                }
                'T' => {
                    out.push_str("\"transitions\":[");
                    for (pos, item) in items.iter().enumerate() {
                        if pos > 0 {
                            out.push(',');
                        }
                        let spot = Spot {
                            pos,
                            events,
                            repeatable,
                            names: &names,
                            input: input.as_deref(),
                            order: orders.get(pos).map_or("", String::as_str),
                        };
                        write_transition(&mut out, item, &spot)?;
                    }
                    out.push(']');
                }
                _ => {
                    out.push_str("\"properties\":");
                    out.push_str(&Json::Object(std::mem::take(&mut properties)).to_compact());
                }
            }
        }
        out.push('}');
    }
    out.push(']');
    Some(out)
}

/// The layout code's parts: the state's member order, each transition's, and whether the offset
/// is written `y` first. `None` when it is not a layout code.
fn parse_layout(code: &str) -> Option<(String, Vec<String>, bool)> {
    let mut parts = code.split('/');
    let state = parts.next().unwrap_or_default();
    let trans = parts.next().unwrap_or_default();
    let yx = match parts.next().unwrap_or_default() {
        "" => false,
        "yx" => true,
        _ => return None,
    };
    if parts.next().is_some() || !(state.is_empty() || is_permutation(state, "ntTp")) {
        return None;
    }
    let transitions = if trans.is_empty() {
        Vec::new()
    } else {
        trans.split(',').map(str::to_owned).collect()
    };
    Some((state.to_owned(), transitions, yx))
}

/// Whether `s` has each letter of `of` exactly once.
fn is_permutation(s: &str, of: &str) -> bool {
    s.len() == of.len() && of.chars().all(|c| s.matches(c).count() == 1)
}

/// Where a transition item is: its position, its widget type's events, the state names, the
/// split's input and the layout's member order.
struct Spot<'a> {
    pos: usize,
    events: &'a [&'a str],
    repeatable: Option<&'a str>,
    names: &'a [Option<String>],
    input: Option<&'a str>,
    order: &'a str,
}

/// Writes a transition item as Studio's transition object.
fn write_transition(out: &mut String, item: &Json, spot: &Spot<'_>) -> Option<()> {
    let (reference, event, conditions) = match item {
        Json::Number(_) | Json::String(_) => (item, *spot.events.get(spot.pos)?, None),
        Json::Array(parts) => match parts.as_slice() {
            [r] => (r, spot.repeatable?, None),
            [r, Json::Array(c)] => (r, spot.repeatable?, Some(c)),
            [r, Json::String(e)] => (r, e.as_str(), None),
            [r, Json::String(e), Json::Array(c)] => (r, e.as_str(), Some(c)),
            _ => return None,
        },
        _ => return None,
    };
    let next = match reference {
        Json::String(name) => Some(name.as_str()),
        n => match usize::try_from(plain_int(n)?).ok()? {
            0 => None,
            k => Some(spot.names.get(k - 1)?.as_deref()?),
        },
    };
    let present: String = [
        next.is_some().then_some('n'),
        Some('e'),
        conditions.is_some().then_some('c'),
    ]
    .into_iter()
    .flatten()
    .collect();
    let order = if spot.order.is_empty() {
        present.as_str()
    } else {
        spot.order
    };
    if !is_permutation(order, &present) {
        return None;
    }
    out.push('{');
    for (j, letter) in order.chars().enumerate() {
        if j > 0 {
            out.push(',');
        }
        match letter {
            'n' => {
                out.push_str("\"next\":");
                write_string(out, next.unwrap_or_default());
            }
            'e' => {
                out.push_str("\"event\":");
                write_string(out, event);
            }
            _ => {
                out.push_str("\"conditions\":[");
                for (i, c) in conditions.into_iter().flatten().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_condition(out, c, spot.input)?;
                }
                out.push(']');
            }
        }
    }
    out.push('}');
    Some(())
}

/// Writes a condition: `[type, value]` or `[type, value, friendly_name]` as Studio's object,
/// anything else as it is.
fn write_condition(out: &mut String, c: &Json, input: Option<&str>) -> Option<()> {
    let Json::Array(parts) = c else {
        out.push_str(&c.to_compact());
        return Some(());
    };
    let (kind, value, friendly) = match parts.as_slice() {
        [Json::String(k), Json::String(v)] => (k, v, auto_friendly_name(k, v)),
        [Json::String(k), Json::String(v), Json::String(f)] => (k, v, f.clone()),
        _ => return None,
    };
    out.push_str("{\"friendly_name\":");
    write_string(out, &friendly);
    out.push_str(",\"arguments\":[");
    write_string(out, input?);
    out.push_str("],\"type\":");
    write_string(out, kind);
    out.push_str(",\"value\":");
    write_string(out, value);
    out.push('}');
    Some(())
}
