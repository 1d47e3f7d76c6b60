//! Edit operations for the editor. Every operation is an [`Edit`]; applying one returns its exact
//! inverse, so undo is "apply the inverse" and redo is "apply the inverse's inverse".
//!
//! The primitives replace whole parts of one widget (its name, its properties, its transitions) or
//! insert/remove a widget; user-level operations (`rename`, `delete`, `connect`, …) build batches
//! of primitives against the current flow. A batch is applied in order; its inverse is the reversed
//! batch of inverses. The inspector's operations, which follow the rules of Studio's own editor
//! (placeholder values, automatic friendly names, a split's input copied into its conditions),
//! are in `form`.

use std::fmt;

mod form;

pub use form::{
    add_default_condition, auto_friendly_name, conditions, default_condition, edit_condition,
    new_flow, set_key_value, set_split_input, CondField, KvField,
};

use crate::json::{Json, Object};
use crate::spec::{default_properties, widget_spec};
use crate::templates::{field_mut, rename_refs, rewrite_refs, template_fields};
use crate::validate::name_problem;
use crate::{Condition, Flow, Offset, State, Transition, WidgetType};

/// One change to a flow. Widgets are addressed by their index in `states`.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Inserts a widget at `index` (shifting later ones).
    InsertState { index: usize, state: Box<State> },
    /// Removes the widget at `index`.
    RemoveState { index: usize },
    /// Replaces a whole widget.
    ReplaceState { index: usize, state: Box<State> },
    /// Sets a widget's name (nothing else: see [`rename`] for the full operation).
    SetName { state: usize, name: String },
    /// Replaces a widget's `properties`.
    SetProperties { state: usize, properties: Object },
    /// Replaces a widget's transitions.
    SetTransitions {
        state: usize,
        transitions: Vec<Transition>,
    },
    /// Sets (or with `None` removes) a top-level member other than `states`.
    SetTop { key: String, value: Option<Json> },
    /// Several edits applied in order.
    Batch(Vec<Edit>),
}

/// Why an edit cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// No widget at this index.
    NoSuchWidget(usize),
    /// A name Studio would reject, or one already taken.
    BadName(String),
    /// The operation does not apply to this widget.
    NotAllowed(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchWidget(i) => write!(f, "there is no widget #{i}"),
            EditError::BadName(m) | EditError::NotAllowed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for EditError {}

fn state_mut(flow: &mut Flow, i: usize) -> Result<&mut State, EditError> {
    flow.states.get_mut(i).ok_or(EditError::NoSuchWidget(i))
}

fn state_ref(flow: &Flow, i: usize) -> Result<&State, EditError> {
    flow.states.get(i).ok_or(EditError::NoSuchWidget(i))
}

/// Applies `edit` and returns its inverse. On error nothing has changed (a failing batch is rolled
/// back).
pub fn apply(flow: &mut Flow, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::InsertState { index, state } => {
            if index > flow.states.len() {
                return Err(EditError::NoSuchWidget(index));
            }
            flow.states.insert(index, *state);
            Ok(Edit::RemoveState { index })
        }
        Edit::RemoveState { index } => {
            if index >= flow.states.len() {
                return Err(EditError::NoSuchWidget(index));
            }
            let state = flow.states.remove(index);
            Ok(Edit::InsertState {
                index,
                state: Box::new(state),
            })
        }
        Edit::ReplaceState { index, state } => {
            let slot = flow
                .states
                .get_mut(index)
                .ok_or(EditError::NoSuchWidget(index))?;
            let old = std::mem::replace(slot, *state);
            Ok(Edit::ReplaceState {
                index,
                state: Box::new(old),
            })
        }
        Edit::SetName { state, name } => {
            let s = state_mut(flow, state)?;
            let old = std::mem::replace(&mut s.name, name);
            Ok(Edit::SetName { state, name: old })
        }
        Edit::SetProperties { state, properties } => {
            let s = state_mut(flow, state)?;
            if !s.has_properties_member() {
                return replace_whole(flow, state, |s| s.properties = properties);
            }
            let old = std::mem::replace(&mut s.properties, properties);
            Ok(Edit::SetProperties {
                state,
                properties: old,
            })
        }
        Edit::SetTransitions { state, transitions } => {
            let s = state_mut(flow, state)?;
            if !s.has_transitions_member() {
                return replace_whole(flow, state, |s| s.transitions = transitions);
            }
            let old = std::mem::replace(&mut s.transitions, transitions);
            Ok(Edit::SetTransitions {
                state,
                transitions: old,
            })
        }
        Edit::SetTop { key, value } => {
            if key == "states" {
                return Err(EditError::NotAllowed(
                    "\"states\" is edited widget by widget".into(),
                ));
            }
            let old = flow.set_top(&key, value);
            Ok(Edit::SetTop { key, value: old })
        }
        Edit::Batch(edits) => {
            let mut inverses = Vec::with_capacity(edits.len());
            for e in edits {
                match apply(flow, e) {
                    Ok(inv) => inverses.push(inv),
                    Err(err) => {
                        for inv in inverses.into_iter().rev() {
                            // Inverses of edits that just succeeded always apply.
                            let _ = apply(flow, inv);
                        }
                        return Err(err);
                    }
                }
            }
            inverses.reverse();
            Ok(Edit::Batch(inverses))
        }
    }
}

/// Changes a widget that lacks its `properties` or `transitions` member: the edit adds the
/// member, so the exact inverse is the whole old widget.
fn replace_whole(
    flow: &mut Flow,
    index: usize,
    change: impl FnOnce(&mut State),
) -> Result<Edit, EditError> {
    let mut new = state_ref(flow, index)?.clone();
    new.ensure_members();
    change(&mut new);
    apply(
        flow,
        Edit::ReplaceState {
            index,
            state: Box::new(new),
        },
    )
}

/// A name not used by any widget: `prefix_1`, `prefix_2`, … (Studio's default names).
pub fn unique_name(flow: &Flow, prefix: &str) -> String {
    let taken = flow.name_index();
    (1..)
        .map(|n| format!("{prefix}_{n}"))
        .find(|name| !taken.contains_key(name.as_str()))
        .unwrap_or_else(|| prefix.to_owned())
}

/// A new widget of `kind` at `at`: Studio's default name, properties and (unconnected) events.
pub fn new_widget(flow: &Flow, kind: WidgetType, at: Offset) -> State {
    let prefix = widget_spec(&kind).map_or("widget", |s| s.name_prefix);
    let mut state = State::new(&unique_name(flow, prefix), kind.clone());
    state.properties = default_properties(&kind);
    state.set_offset(at);
    if let Some(spec) = widget_spec(&kind) {
        state.transitions = spec
            .events
            .iter()
            .filter(|e| !e.repeatable)
            .map(|e| Transition::new(e.name, None))
            .collect();
    }
    state
}

/// Adds a new widget of `kind` at the end of `states`.
pub fn add_widget(flow: &Flow, kind: WidgetType, at: Offset) -> Edit {
    Edit::InsertState {
        index: flow.states.len(),
        state: Box::new(new_widget(flow, kind, at)),
    }
}

/// Moves a widget on the canvas.
pub fn move_widget(flow: &Flow, state: usize, to: Offset) -> Result<Edit, EditError> {
    let mut s = state_ref(flow, state)?.clone();
    s.set_offset(to);
    Ok(Edit::SetProperties {
        state,
        properties: s.properties,
    })
}

/// Sets one property (`None` removes it).
pub fn set_property(
    flow: &Flow,
    state: usize,
    key: &str,
    value: Option<Json>,
) -> Result<Edit, EditError> {
    let mut props = state_ref(flow, state)?.properties.clone();
    match value {
        Some(v) => {
            props.set(key, v);
        }
        None => {
            props.remove(key);
        }
    }
    Ok(Edit::SetProperties {
        state,
        properties: props,
    })
}

/// Checks a new name for widget `state`: Studio's rules, and unique.
pub fn check_name(flow: &Flow, state: usize, name: &str) -> Result<(), EditError> {
    if let Some(problem) = name_problem(name) {
        return Err(EditError::BadName(problem.to_owned()));
    }
    if flow
        .states
        .iter()
        .enumerate()
        .any(|(i, s)| i != state && s.name == name)
    {
        return Err(EditError::BadName(format!(
            "another widget is already named \"{name}\""
        )));
    }
    Ok(())
}

/// Renames a widget and updates everything that refers to it: every transition's `next`,
/// `initial_state`, and every `widgets.OLD` reference in the templates of all widgets.
pub fn rename(flow: &Flow, state: usize, new: &str) -> Result<Edit, EditError> {
    let old = state_ref(flow, state)?.name.clone();
    if old == new {
        return Ok(Edit::Batch(Vec::new()));
    }
    check_name(flow, state, new)?;
    let mut edits = vec![Edit::SetName {
        state,
        name: new.to_owned(),
    }];
    for (i, s) in flow.states.iter().enumerate() {
        let mut changed = s.clone();
        let mut transitions_changed = false;
        for t in &mut changed.transitions {
            if t.next.as_deref() == Some(old.as_str()) {
                t.set_next(Some(new.to_owned()));
                transitions_changed = true;
            }
        }
        let rewrites: Vec<_> = template_fields(s)
            .into_iter()
            .filter_map(|f| rename_refs(f.text, &old, new).map(|text| (f.path, text)))
            .collect();
        let mut props_changed = false;
        for (path, text) in rewrites {
            if let Some(slot) = field_mut(&mut changed, &path) {
                *slot = text;
                match path.0.first() {
                    Some(crate::json::Seg::Key(k)) if k == "transitions" => {
                        transitions_changed = true
                    }
                    _ => props_changed = true,
                }
            }
        }
        if props_changed {
            edits.push(Edit::SetProperties {
                state: i,
                properties: changed.properties,
            });
        }
        if transitions_changed {
            edits.push(Edit::SetTransitions {
                state: i,
                transitions: changed.transitions,
            });
        }
    }
    if flow.initial_state() == Some(old.as_str()) {
        edits.push(Edit::SetTop {
            key: "initial_state".into(),
            value: Some(Json::str(new)),
        });
    }
    Ok(Edit::Batch(edits))
}

/// Deletes widgets and clears every transition that led to them. The Trigger cannot be deleted.
pub fn delete(flow: &Flow, states: &[usize]) -> Result<Edit, EditError> {
    // Sorted and without repeats, by marking (no comparison sort: its code would be one more
    // copy in the wasm); of the positions past the last widget only the first is kept, as it is
    // the error `state_ref` reports after every check of the widgets before it.
    let mut marked = vec![false; flow.states.len()];
    let mut beyond: Option<usize> = None;
    for &i in states {
        match marked.get_mut(i) {
            Some(m) => *m = true,
            None => beyond = Some(beyond.map_or(i, |b| b.min(i))),
        }
    }
    let mut doomed: Vec<usize> = (0..marked.len()).filter(|&i| marked[i]).collect();
    doomed.extend(beyond);
    let mut names = Vec::new();
    for &i in &doomed {
        let s = state_ref(flow, i)?;
        if s.kind == WidgetType::Trigger {
            return Err(EditError::NotAllowed(
                "the Trigger cannot be deleted".into(),
            ));
        }
        names.push(s.name.as_str());
    }
    // Another widget with the same name keeps transitions to that name meaningful.
    let survivors: Vec<&str> = flow
        .states
        .iter()
        .enumerate()
        .filter(|(i, _)| doomed.binary_search(i).is_err())
        .map(|(_, s)| s.name.as_str())
        .collect();
    names.retain(|n| !survivors.contains(n));
    let mut edits = Vec::new();
    for (i, s) in flow.states.iter().enumerate() {
        if doomed.binary_search(&i).is_ok() {
            continue;
        }
        if s.transitions
            .iter()
            .any(|t| t.next.as_deref().is_some_and(|n| names.contains(&n)))
        {
            let mut ts = s.transitions.clone();
            for t in &mut ts {
                if t.next.as_deref().is_some_and(|n| names.contains(&n)) {
                    t.set_next(None);
                }
            }
            edits.push(Edit::SetTransitions {
                state: i,
                transitions: ts,
            });
        }
    }
    // Highest index first, so the lower indices stay valid.
    edits.extend(
        doomed
            .iter()
            .rev()
            .map(|&index| Edit::RemoveState { index }),
    );
    Ok(Edit::Batch(edits))
}

/// Connects transition number `transition` of widget `state` to `target` (`None` disconnects).
pub fn set_next(
    flow: &Flow,
    state: usize,
    transition: usize,
    target: Option<&str>,
) -> Result<Edit, EditError> {
    let s = state_ref(flow, state)?;
    let mut ts = s.transitions.clone();
    let t = ts.get_mut(transition).ok_or_else(|| {
        EditError::NotAllowed(format!("\"{}\" has no transition #{transition}", s.name))
    })?;
    t.set_next(target.map(str::to_owned));
    Ok(Edit::SetTransitions {
        state,
        transitions: ts,
    })
}

/// Connects `event` of widget `state` to `target`, adding the transition when the widget does not
/// list that event yet.
pub fn connect(
    flow: &Flow,
    state: usize,
    event: &str,
    target: Option<&str>,
) -> Result<Edit, EditError> {
    let s = state_ref(flow, state)?;
    match s.transitions.iter().position(|t| t.event == event) {
        Some(t) => set_next(flow, state, t, target),
        None => {
            let mut ts = s.transitions.clone();
            ts.push(Transition::new(event, target));
            Ok(Edit::SetTransitions {
                state,
                transitions: ts,
            })
        }
    }
}

/// The list property `key` (`parameters`, `variables`, …) as a vector (empty when absent).
fn list(state: &State, key: &str) -> Vec<Json> {
    state
        .properties
        .get(key)
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Inserts `item` into the list property `key` at `index` (clamped).
pub fn list_insert(
    flow: &Flow,
    state: usize,
    key: &str,
    index: usize,
    item: Json,
) -> Result<Edit, EditError> {
    let mut items = list(state_ref(flow, state)?, key);
    items.insert(index.min(items.len()), item);
    set_property(flow, state, key, Some(Json::Array(items)))
}

/// Removes item `index` from the list property `key`.
pub fn list_remove(flow: &Flow, state: usize, key: &str, index: usize) -> Result<Edit, EditError> {
    let mut items = list(state_ref(flow, state)?, key);
    if index >= items.len() {
        return Err(EditError::NotAllowed(format!(
            "\"{key}\" has no item #{index}"
        )));
    }
    items.remove(index);
    set_property(flow, state, key, Some(Json::Array(items)))
}

/// Moves item `from` of the list property `key` to position `to`.
pub fn list_move(
    flow: &Flow,
    state: usize,
    key: &str,
    from: usize,
    to: usize,
) -> Result<Edit, EditError> {
    let mut items = list(state_ref(flow, state)?, key);
    if from >= items.len() || to >= items.len() {
        return Err(EditError::NotAllowed(format!(
            "\"{key}\" has no item #{}",
            from.max(to)
        )));
    }
    let item = items.remove(from);
    items.insert(to, item);
    set_property(flow, state, key, Some(Json::Array(items)))
}

/// A `{key, value}` list item as Studio writes it.
pub fn key_value(key: &str, value: &str) -> Json {
    let mut o = Object::new();
    o.set("key", Json::str(key));
    o.set("value", Json::str(value));
    Json::Object(o)
}

/// Indices (into `transitions`) of a split's `match` transitions, in order.
fn match_positions(state: &State) -> Vec<usize> {
    (0..state.transitions.len())
        .filter(|&i| state.transitions[i].event == "match")
        .collect()
}

/// Adds a condition to a split, as a new `match` transition after the existing ones (before
/// `noMatch` is irrelevant: Studio evaluates `match` transitions in order).
pub fn add_condition(
    flow: &Flow,
    state: usize,
    condition: &Condition,
    next: Option<&str>,
) -> Result<Edit, EditError> {
    let s = split_ref(flow, state)?;
    let mut ts = s.transitions.clone();
    let at = match_positions(s).last().map_or(ts.len(), |&i| i + 1);
    ts.insert(
        at,
        Transition::with_conditions("match", next, Json::Array(vec![condition.to_json()])),
    );
    Ok(Edit::SetTransitions {
        state,
        transitions: ts,
    })
}

/// Replaces the condition of the split's `nth` match transition.
pub fn set_condition(
    flow: &Flow,
    state: usize,
    nth: usize,
    condition: &Condition,
) -> Result<Edit, EditError> {
    let s = split_ref(flow, state)?;
    let at = *match_positions(s)
        .get(nth)
        .ok_or_else(|| no_condition(s, nth))?;
    let mut ts = s.transitions.clone();
    ts[at].set_conditions(Some(Json::Array(vec![condition.to_json()])));
    Ok(Edit::SetTransitions {
        state,
        transitions: ts,
    })
}

/// Removes the split's `nth` condition (its `match` transition).
pub fn remove_condition(flow: &Flow, state: usize, nth: usize) -> Result<Edit, EditError> {
    let s = split_ref(flow, state)?;
    let at = *match_positions(s)
        .get(nth)
        .ok_or_else(|| no_condition(s, nth))?;
    let mut ts = s.transitions.clone();
    ts.remove(at);
    Ok(Edit::SetTransitions {
        state,
        transitions: ts,
    })
}

/// Moves the split's condition `from` to position `to` among its conditions (with its transition).
pub fn move_condition(
    flow: &Flow,
    state: usize,
    from: usize,
    to: usize,
) -> Result<Edit, EditError> {
    let s = split_ref(flow, state)?;
    let slots = match_positions(s);
    if from >= slots.len() || to >= slots.len() {
        return Err(no_condition(s, from.max(to)));
    }
    let mut matches: Vec<Transition> = slots.iter().map(|&i| s.transitions[i].clone()).collect();
    let moved = matches.remove(from);
    matches.insert(to, moved);
    let mut ts = s.transitions.clone();
    for (slot, t) in slots.into_iter().zip(matches) {
        ts[slot] = t;
    }
    Ok(Edit::SetTransitions {
        state,
        transitions: ts,
    })
}

fn split_ref(flow: &Flow, state: usize) -> Result<&State, EditError> {
    let s = state_ref(flow, state)?;
    if s.kind != WidgetType::SplitBasedOn {
        return Err(EditError::NotAllowed(format!(
            "\"{}\" is not a Split Based On… widget",
            s.name
        )));
    }
    Ok(s)
}

fn no_condition(s: &State, nth: usize) -> EditError {
    EditError::NotAllowed(format!("\"{}\" has no condition #{}", s.name, nth + 1))
}

/// Sets the flow's description.
pub fn set_description(description: &str) -> Edit {
    Edit::SetTop {
        key: "description".into(),
        value: Some(Json::str(description)),
    }
}

/// Widgets to paste: copies of `states` with names made unique (`Copy_of_NAME`, as Studio names
/// duplicates), moved by `delta`. Transitions between pasted widgets follow the new names;
/// transitions to widgets outside the copy keep their target when it exists and are cleared
/// otherwise. Returns the batch and the indices the new widgets will have.
pub fn paste(flow: &Flow, states: &[State], delta: Offset) -> (Edit, Vec<usize>) {
    let mut taken: std::collections::HashSet<String> =
        flow.states.iter().map(|s| s.name.clone()).collect();
    let mut renames = std::collections::HashMap::new();
    for s in states {
        let mut name = s.name.clone();
        if name_problem(&name).is_some() {
            name = "widget".into();
        }
        let base = name.clone();
        let mut n = 1;
        while taken.contains(&name) {
            name = if n == 1 {
                format!("Copy_of_{base}")
            } else {
                format!("Copy_of_{base}_{n}")
            };
            n += 1;
        }
        taken.insert(name.clone());
        renames.insert(s.name.clone(), name);
    }
    let start = flow.states.len();
    let mut edits = Vec::new();
    for (k, s) in states.iter().enumerate() {
        let mut copy = s.clone();
        let old_name = copy.name.clone();
        copy.name = renames[&old_name].clone();
        for t in &mut copy.transitions {
            let target = t.next.clone();
            match target {
                Some(n) if renames.contains_key(&n) => {
                    t.set_next(Some(renames[&n].clone()));
                }
                Some(n) if flow.index_of(&n).is_none() => {
                    t.set_next(None);
                }
                _ => {}
            }
        }
        let rewrites: Vec<_> = template_fields(&copy)
            .into_iter()
            .filter_map(|f| {
                let text = rewrite_refs(f.text, |n| {
                    renames.get(n).map(String::as_str).filter(|new| *new != n)
                })?;
                Some((f.path, text))
            })
            .collect();
        for (path, text) in rewrites {
            if let Some(slot) = field_mut(&mut copy, &path) {
                *slot = text;
            }
        }
        let at = copy.offset();
        copy.set_offset(Offset {
            x: at.x + delta.x,
            y: at.y + delta.y,
        });
        edits.push(Edit::InsertState {
            index: start + k,
            state: Box::new(copy),
        });
    }
    (Edit::Batch(edits), (start..start + states.len()).collect())
}
