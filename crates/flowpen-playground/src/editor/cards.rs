//! View models of the canvas: one [`CardModel`] per widget (name, type, summary, ports, size,
//! worst diagnostic) and the [`Edge`]s between them, derived from the flow once per change.
//!
//! Derivation reuses the previous `Rc<CardModel>` of a widget whose model did not change, so the
//! memoized card components compare props with a pointer check and only changed cards re-render.

use std::collections::HashMap;
use std::rc::Rc;

use flowpen_flow::spec::{event_label, widget_spec};
use flowpen_flow::{Diagnostic, Flow, Json, Severity, State, WidgetType};

use super::geometry::{Point, Rect};

/// Height of the coloured header band.
pub(crate) const HEADER_H: f64 = 28.0;
/// Height of the name and summary block.
pub(crate) const BODY_H: f64 = 50.0;
/// Height of one row of ports.
pub(crate) const PORT_ROW_H: f64 = 30.0;
/// Height of a port pill inside its row.
pub(crate) const PORT_H: f64 = 22.0;
/// Horizontal padding inside a card.
pub(crate) const PAD: f64 = 8.0;
/// Narrowest card.
pub(crate) const MIN_W: f64 = 240.0;

/// One outgoing port of a card: a transition event (listed or not yet listed).
#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    /// The event in Flow JSON (`incomingMessage`, `match`, …).
    pub event: String,
    /// What the card shows: Studio's label, or a condition's friendly name.
    pub label: String,
    /// Index in the widget's `transitions`, when the event is listed.
    pub transition: Option<usize>,
    /// The `next` widget's name.
    pub target: Option<String>,
    /// The `next` widget's index, when it exists.
    pub target_index: Option<usize>,
    /// The pill's box, relative to the card's top-left corner.
    pub rect: Rect,
}

impl Port {
    /// Where transitions leave the port (bottom centre), relative to the card.
    pub fn anchor(&self) -> Point {
        Point::new(self.rect.x + self.rect.w / 2.0, self.rect.y + self.rect.h)
    }

    /// A `next` that names no widget.
    pub fn is_dangling(&self) -> bool {
        self.target.is_some() && self.target_index.is_none()
    }
}

/// Everything a card needs to draw one widget.
#[derive(Clone, Debug, PartialEq)]
pub struct CardModel {
    pub index: usize,
    /// A unique key for the list (the name, made unique when names repeat).
    pub key: String,
    pub name: String,
    pub kind: WidgetType,
    /// One line describing what the widget does (message body, URL, variable to test…).
    pub summary: String,
    /// Position (Studio's offset, the card's top-left corner) and size.
    pub rect: Rect,
    pub ports: Vec<Port>,
    /// The worst diagnostic's severity, how many there are and the first message.
    pub severity: Option<Severity>,
    pub problems: usize,
    pub first_problem: String,
}

impl CardModel {
    /// The card's position.
    pub fn at(&self) -> Point {
        Point::new(self.rect.x, self.rect.y)
    }

    /// Where incoming transitions arrive (top centre), in world coordinates.
    pub fn inlet(&self) -> Point {
        Point::new(self.rect.x + self.rect.w / 2.0, self.rect.y)
    }
}

/// A drawn transition: port `port` of card `from` leads to card `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: usize,
    pub port: usize,
    pub to: usize,
}

/// The CSS class naming a widget type's colour and icon.
pub fn type_class(kind: &WidgetType) -> String {
    match kind {
        WidgetType::Other(_) => "w-other".to_owned(),
        known => format!("w-{}", known.as_str()),
    }
}

/// Studio's label of a widget type; generic types get a readable form of their type string.
pub fn type_label(kind: &WidgetType) -> String {
    match kind {
        WidgetType::Other(t) => {
            let mut out = String::with_capacity(t.len());
            for (i, word) in t.split('-').filter(|w| !w.is_empty()).enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let mut chars = word.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            }
            out
        }
        known => known.label().to_owned(),
    }
}

/// The ports of a widget, in Studio's order: the type's events (listed or not), then repeatable
/// transitions (split conditions), then listed events the type does not know.
fn ports_of(state: &State) -> Vec<(String, String, Option<usize>)> {
    let mut out = Vec::new();
    let mut used = vec![false; state.transitions.len()];
    if let Some(spec) = widget_spec(&state.kind) {
        for ev in spec.events.iter().filter(|e| !e.repeatable) {
            let t = state.transitions.iter().position(|t| t.event == ev.name);
            if let Some(t) = t {
                used[t] = true;
            }
            out.push((ev.name.to_owned(), ev.label.to_owned(), t));
        }
        for ev in spec.events.iter().filter(|e| e.repeatable) {
            for (t, tr) in state.transitions.iter().enumerate() {
                if tr.event == ev.name && !used[t] {
                    used[t] = true;
                    out.push((tr.event.clone(), condition_label(tr), Some(t)));
                }
            }
        }
    }
    for (t, tr) in state.transitions.iter().enumerate() {
        if !used[t] {
            let label = event_label(&state.kind, &tr.event).to_owned();
            out.push((tr.event.clone(), label, Some(t)));
        }
    }
    out
}

/// A split condition's port label: its friendly name, or "type value" when it has none.
fn condition_label(t: &flowpen_flow::Transition) -> String {
    match t.condition_list().first() {
        Some(c) if !c.friendly_name.trim().is_empty() => c.friendly_name.clone(),
        Some(c) => format!("{} {}", c.kind.replace('_', " "), c.value),
        None => "Condition".to_owned(),
    }
}

/// The one-line summary shown under the name.
fn summary_of(state: &State) -> String {
    let text = |k: &str| state.prop_str(k).unwrap_or_default().to_owned();
    let s = match &state.kind {
        WidgetType::Trigger => "The flow starts here".to_owned(),
        WidgetType::SendAndWaitForReply | WidgetType::SendMessage => text("body"),
        WidgetType::RunFunction => text("url"),
        WidgetType::MakeHttpRequest => format!("{} {}", text("method"), text("url")),
        WidgetType::SplitBasedOn => text("input"),
        WidgetType::SetVariables => {
            let keys: Vec<String> = state
                .key_values("variables")
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            keys.join(", ")
        }
        _ => ["say", "body", "to", "url"]
            .iter()
            .find_map(|k| state.properties.get(k).and_then(Json::as_str))
            .unwrap_or_default()
            .to_owned(),
    };
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        let mut cut: String = one_line.chars().take(79).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

/// Widest card (ports wrap to more rows beyond it).
pub(crate) const MAX_W: f64 = 380.0;
/// Gap between port pills.
const PORT_GAP: f64 = 6.0;

/// The width of a port pill showing `label`.
fn pill_width(label: &str) -> f64 {
    (label.chars().count() as f64 * 6.6 + 24.0).clamp(58.0, 170.0)
}

/// Lays out port pills in rows (left to right, wrapping at [`MAX_W`]); returns each pill's box
/// (relative to the card) and the card's size.
pub(crate) fn layout(labels: &[&str]) -> (Vec<Rect>, f64, f64) {
    let inner = MAX_W - 2.0 * PAD;
    let mut rects = Vec::with_capacity(labels.len());
    let (mut x, mut row, mut widest) = (0.0_f64, 0.0_f64, 0.0_f64);
    for label in labels {
        let w = pill_width(label);
        if x > 0.0 && x + w > inner {
            row += 1.0;
            x = 0.0;
        }
        rects.push(Rect {
            x: PAD + x,
            y: HEADER_H + BODY_H + row * PORT_ROW_H + 2.0,
            w,
            h: PORT_H,
        });
        x += w + PORT_GAP;
        widest = widest.max(x - PORT_GAP);
    }
    let rows = if labels.is_empty() { 1.0 } else { row + 1.0 };
    let w = (widest + 2.0 * PAD).max(MIN_W);
    let h = HEADER_H + BODY_H + rows * PORT_ROW_H + 6.0;
    (rects, w, h)
}

/// The size of a card whose ports show `labels`.
pub fn card_size(labels: &[&str]) -> (f64, f64) {
    let (_, w, h) = layout(labels);
    (w, h)
}

/// Builds the card of widget `i`.
fn card(
    flow: &Flow,
    i: usize,
    names: &HashMap<&str, usize>,
    key: String,
    diagnostics: &[&Diagnostic],
) -> CardModel {
    let state = &flow.states[i];
    let raw = ports_of(state);
    let labels: Vec<&str> = raw.iter().map(|(_, label, _)| label.as_str()).collect();
    let (rects, w, h) = layout(&labels);
    let ports = raw
        .into_iter()
        .zip(rects)
        .map(|((event, label, transition), rect)| {
            let target = transition.and_then(|t| state.transitions[t].next.clone());
            let target_index = target.as_deref().and_then(|t| names.get(t).copied());
            Port {
                event,
                label,
                transition,
                target,
                target_index,
                rect,
            }
        })
        .collect();
    let at = state.offset();
    let severity = diagnostics.iter().map(|d| d.severity).min();
    CardModel {
        index: i,
        key,
        name: state.name.clone(),
        kind: state.kind.clone(),
        summary: summary_of(state),
        rect: Rect {
            x: at.x,
            y: at.y,
            w,
            h,
        },
        ports,
        severity,
        problems: diagnostics.len(),
        first_problem: diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default(),
    }
}

/// The cards of `flow`, reusing the `Rc` of every card of `prev` whose model is unchanged.
pub(crate) fn derive_cards(
    flow: &Flow,
    diagnostics: &[Diagnostic],
    prev: &[Rc<CardModel>],
) -> Vec<Rc<CardModel>> {
    let names = flow.name_index();
    let mut per_state: Vec<Vec<&Diagnostic>> = vec![Vec::new(); flow.states.len()];
    for d in diagnostics {
        if let Some(slot) = d.state.and_then(|i| per_state.get_mut(i)) {
            slot.push(d);
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(flow.states.len());
    (0..flow.states.len())
        .map(|i| {
            let name = flow.states[i].name.as_str();
            let n = seen.entry(name).or_insert(0);
            let key = if *n == 0 {
                name.to_owned()
            } else {
                format!("{name}\u{1f}{i}")
            };
            *n += 1;
            let model = card(flow, i, &names, key, &per_state[i]);
            match prev.get(i) {
                Some(old) if **old == model => Rc::clone(old),
                _ => Rc::new(model),
            }
        })
        .collect()
}

/// Every drawn transition (those whose target exists).
pub fn edges(cards: &[Rc<CardModel>]) -> Vec<Edge> {
    cards
        .iter()
        .flat_map(|c| {
            c.ports.iter().enumerate().filter_map(|(p, port)| {
                port.target_index.map(|to| Edge {
                    from: c.index,
                    port: p,
                    to,
                })
            })
        })
        .collect()
}

/// The topmost card under world point `p` (later cards are drawn on top).
pub(crate) fn card_at(cards: &[Rc<CardModel>], p: Point) -> Option<usize> {
    cards
        .iter()
        .rev()
        .find(|c| c.rect.contains(p))
        .map(|c| c.index)
}

/// The cards touching a rectangle.
pub(crate) fn cards_in(cards: &[Rc<CardModel>], r: &Rect) -> Vec<usize> {
    cards
        .iter()
        .filter(|c| c.rect.intersects(r))
        .map(|c| c.index)
        .collect()
}

/// The rectangle holding every card.
pub fn bounds(cards: &[Rc<CardModel>]) -> Option<Rect> {
    cards.iter().map(|c| c.rect).reduce(|a, b| a.union(&b))
}
