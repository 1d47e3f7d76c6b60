//! The inspector's user-level operations, with the rules Studio's own editor follows: a
//! `{key, value}` list field, a split's variable to test (copied into every condition's
//! `arguments`), and split conditions with Studio's placeholder values and automatic friendly
//! names. Each returns an [`Edit`] against the current flow, like the rest of [`super`], so undo
//! and the every-operation inverse test cover them.

use crate::json::{Json, Object};
use crate::spec::{widget_spec, CONDITION_TYPES};
use crate::{Condition, Flow, State, Transition, WidgetType};

use super::{add_condition, list, set_condition, set_property, split_ref, state_ref};
use super::{Edit, EditError};

/// A field of a `{key, value}` list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvField {
    Key,
    Value,
}

impl KvField {
    /// The member of the item (`key` or `value`).
    pub fn member(self) -> &'static str {
        match self {
            KvField::Key => "key",
            KvField::Value => "value",
        }
    }
}

/// A field of a split condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CondField {
    Kind,
    Value,
    FriendlyName,
}

impl CondField {
    /// The member of the condition object (`type`, `value` or `friendly_name`).
    pub fn member(self) -> &'static str {
        match self {
            CondField::Kind => "type",
            CondField::Value => "value",
            CondField::FriendlyName => "friendly_name",
        }
    }
}

/// An empty flow as Studio creates it: a Trigger listing all its events, connected to nothing.
pub fn new_flow() -> Flow {
    let mut flow = Flow::new();
    if let (Some(trigger), Some(spec)) =
        (flow.states.first_mut(), widget_spec(&WidgetType::Trigger))
    {
        trigger.transitions = spec
            .events
            .iter()
            .map(|e| Transition::new(e.name, None))
            .collect();
    }
    flow
}

/// The friendly name Studio generates for a condition (`If value equal_to 1`).
pub fn auto_friendly_name(kind: &str, value: &str) -> String {
    format!("If value {kind} {value}")
}

/// The condition Studio's editor starts a new condition with: `equal_to` an empty value, testing
/// the split's input.
pub fn default_condition(input: &str) -> Condition {
    Condition {
        friendly_name: auto_friendly_name("equal_to", ""),
        arguments: vec![input.to_owned()],
        kind: "equal_to".into(),
        value: String::new(),
    }
}

/// The condition of each of a split's `match` transitions, in order. A `match` transition without
/// a condition reads as Studio's editor shows it: `equal_to` an empty value, testing the input,
/// with no friendly name yet.
pub fn conditions(state: &State) -> Vec<Condition> {
    let input = state.prop_str("input").unwrap_or_default();
    state
        .transitions
        .iter()
        .filter(|t| t.event == "match")
        .map(|t| {
            t.condition_list()
                .into_iter()
                .next()
                .unwrap_or_else(|| Condition {
                    friendly_name: String::new(),
                    ..default_condition(input)
                })
        })
        .collect()
}

/// Sets the key or the value of item `item` of the list property `key` (an item that is not an
/// object becomes one).
pub fn set_key_value(
    flow: &Flow,
    state: usize,
    key: &str,
    item: usize,
    field: KvField,
    text: &str,
) -> Result<Edit, EditError> {
    let mut items = list(state_ref(flow, state)?, key);
    let slot = items
        .get_mut(item)
        .ok_or_else(|| EditError::NotAllowed(format!("\"{key}\" has no item #{item}")))?;
    match slot {
        Json::Object(o) => {
            o.set(field.member(), Json::str(text));
        }
        other => {
            let mut o = Object::new();
            o.set(field.member(), Json::str(text));
            *other = Json::Object(o);
        }
    }
    set_property(flow, state, key, Some(Json::Array(items)))
}

/// Sets a widget's `input` ("Variable to test"). On a split, every condition's `arguments`
/// follow it, as Studio's editor writes them.
pub fn set_split_input(flow: &Flow, state: usize, text: &str) -> Result<Edit, EditError> {
    let s = state_ref(flow, state)?;
    let mut props = s.properties.clone();
    props.set("input", Json::str(text));
    let mut edits = vec![Edit::SetProperties {
        state,
        properties: props,
    }];
    if s.kind == WidgetType::SplitBasedOn {
        let mut ts = s.transitions.clone();
        let mut changed = false;
        for t in ts.iter_mut().filter(|t| t.event == "match") {
            if let Some(Json::Array(conds)) = &mut t.conditions {
                for c in conds.iter_mut().filter_map(Json::as_object_mut) {
                    c.set("arguments", Json::Array(vec![Json::str(text)]));
                    changed = true;
                }
            }
        }
        if changed {
            edits.push(Edit::SetTransitions {
                state,
                transitions: ts,
            });
        }
    }
    Ok(Edit::Batch(edits))
}

/// Adds Studio's new condition ([`default_condition`]) after the split's conditions.
pub fn add_default_condition(flow: &Flow, state: usize) -> Result<Edit, EditError> {
    let input = split_ref(flow, state)?
        .prop_str("input")
        .unwrap_or_default();
    add_condition(flow, state, &default_condition(input), None)
}

/// Edits one field of the split's `nth` condition as Studio's editor does: choosing *Is Blank* or
/// *Is Not Blank* stores Studio's placeholder text as the value (and leaving them clears it), and
/// a friendly name that was generated (or empty) follows the type and the value.
pub fn edit_condition(
    flow: &Flow,
    state: usize,
    nth: usize,
    field: CondField,
    text: &str,
) -> Result<Edit, EditError> {
    let s = split_ref(flow, state)?;
    let old = conditions(s).into_iter().nth(nth).ok_or_else(|| {
        EditError::NotAllowed(format!("\"{}\" has no condition #{}", s.name, nth + 1))
    })?;
    let mut new = old.clone();
    let auto = old.friendly_name.is_empty()
        || old.friendly_name == auto_friendly_name(&old.kind, &old.value);
    match field {
        CondField::Kind => {
            if let Some((_, label)) = CONDITION_TYPES
                .iter()
                .find(|(k, _)| *k == text && is_blank_test(k))
            {
                new.value = (*label).to_owned();
            } else if is_blank_test(&old.kind) {
                new.value = String::new();
            }
            new.kind = text.to_owned();
        }
        CondField::Value => new.value = text.to_owned(),
        CondField::FriendlyName => new.friendly_name = text.to_owned(),
    }
    if field != CondField::FriendlyName && auto {
        new.friendly_name = auto_friendly_name(&new.kind, &new.value);
    }
    set_condition(flow, state, nth, &new)
}

/// The two tests whose value Studio fills with placeholder text.
fn is_blank_test(kind: &str) -> bool {
    matches!(kind, "is_blank" | "is_not_blank")
}
