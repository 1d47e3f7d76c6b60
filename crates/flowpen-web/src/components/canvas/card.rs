//! Widget cards: a memoized [`CardView`] per widget (props compare by pointer, so a drag frame
//! re-renders only the dragged cards), the static layer and the dragged layer.

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::Severity;
use yew::prelude::*;

use super::HighlightContext;
use crate::components::icons;
use crate::components::Ptr;
use flowpen_playground::editor::cards::{type_class, type_label, CardModel};
use flowpen_playground::editor::Drag;

#[derive(Properties, PartialEq)]
pub struct CardViewProps {
    pub model: Ptr<CardModel>,
    pub selected: bool,
    /// Drag offset (world units).
    #[prop_or_default]
    pub dx: f64,
    #[prop_or_default]
    pub dy: f64,
    #[prop_or_default]
    pub dragging: bool,
    /// A port whose transition is selected.
    #[prop_or_default]
    pub selected_port: Option<usize>,
    /// The simulator's current widget.
    #[prop_or_default]
    pub current: bool,
    /// A widget the simulator went through.
    #[prop_or_default]
    pub visited: bool,
    /// The execution is paused before this widget.
    #[prop_or_default]
    pub paused: bool,
    /// The widget has a breakpoint.
    #[prop_or_default]
    pub breakpoint: bool,
    /// The simulator answers the widget's request with a stub.
    #[prop_or_default]
    pub stubbed: bool,
    /// The coverage view is on and no flow test case reached the widget.
    #[prop_or_default]
    pub uncovered: bool,
    /// A connection being drawn would be dropped here.
    #[prop_or_default]
    pub drop_target: bool,
}

/// One widget: coloured header with the type, the name, a one-line summary and its ports.
/// Every text from the flow is rendered as text.
#[function_component(CardView)]
pub fn card_view(props: &CardViewProps) -> Html {
    let m = &*props.model;
    let sev = match m.severity {
        Some(Severity::Error) => Some("sev-error"),
        Some(Severity::Warning) => Some("sev-warning"),
        None => None,
    };
    let style = format!(
        "transform:translate({}px,{}px);width:{}px;height:{}px",
        m.rect.x + props.dx,
        m.rect.y + props.dy,
        m.rect.w,
        m.rect.h
    );
    let label = type_label(&m.kind);
    let badge = m.severity.map(|s| {
        let title = if m.problems > 1 {
            format!("{} (+{} more)", m.first_problem, m.problems - 1)
        } else {
            m.first_problem.clone()
        };
        html! {
            <span class={classes!("card-badge", if s == Severity::Error { "error" } else { "warning" })}
                title={title} data-testid="card-badge">
                { m.problems }
            </span>
        }
    });
    html! {
        <div class={classes!(
                "card", type_class(&m.kind), props.selected.then_some("selected"),
                props.dragging.then_some("dragging"), sev,
                props.current.then_some("current"), props.visited.then_some("visited"),
                props.paused.then_some("paused"), props.breakpoint.then_some("has-breakpoint"),
                props.uncovered.then_some("uncovered"),
                props.drop_target.then_some("drop-target"))}
            data-testid="card" data-index={m.index.to_string()} data-name={m.name.clone()}
            data-selected={props.selected.to_string()}
            data-current={props.current.then_some("true")} data-visited={props.visited.then_some("true")}
            data-paused={props.paused.then_some("true")} data-breakpoint-set={props.breakpoint.then_some("true")}
            data-uncovered={props.uncovered.then_some("true")}
            tabindex="0" role="group" aria-label={format!("{label} {}", m.name)} style={style}>
            // The gutter: a click sets or clears the breakpoint (the canvas routes it; B on the
            // keyboard). Out of the tab order: the card's own keys reach it.
            <button type="button" class="card-gutter" data-breakpoint="" data-testid="card-breakpoint"
                tabindex="-1" aria-pressed={props.breakpoint.to_string()}
                title={if props.breakpoint { "Remove the breakpoint (B)" } else { "Pause here: add a breakpoint (B)" }}
                aria-label="Breakpoint">
                <span class="gutter-dot"></span>
            </button>
            if props.paused {
                <span class="card-paused" data-testid="card-paused">{ "paused" }</span>
            }
            <div class="card-head">
                { icons::type_icon(&m.kind) }
                <span class="card-type">{ label }</span>
                if props.stubbed {
                    <span class="card-stub" data-testid="card-stub" title="The simulator answers with a stubbed response">{ "stub" }</span>
                }
                { for badge }
            </div>
            <div class="card-body">
                <div class="card-name" title={m.name.clone()}>{ &m.name }</div>
                <div class="card-summary">{ &m.summary }</div>
            </div>
            { for m.ports.iter().enumerate().map(|(p, port)| {
                let title = match (&port.target, port.target_index) {
                    (Some(t), Some(_)) => format!("{} → {t}", port.label),
                    (Some(t), None) => format!("{} → {t} (no such widget)", port.label),
                    (None, _) => format!("{}: drag to a widget to connect (or press Enter)", port.label),
                };
                html! {
                    <button type="button"
                        class={classes!("port",
                            port.target_index.is_some().then_some("connected"),
                            port.is_dangling().then_some("dangling"),
                            (props.selected_port == Some(p)).then_some("selected"))}
                        data-testid="port" data-port={p.to_string()} data-event={port.event.clone()}
                        title={title}
                        style={format!("left:{}px;top:{}px;width:{}px;height:{}px",
                            port.rect.x, port.rect.y, port.rect.w, port.rect.h)}>
                        <span class="port-label">{ &port.label }</span>
                    </button>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StaticCardsProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub selection: Ptr<BTreeSet<usize>>,
    /// Cards being dragged (drawn by [`DraggedCards`]).
    pub exclude: Option<Ptr<BTreeSet<usize>>>,
    pub selected_edge: Option<(usize, usize)>,
    pub highlight: HighlightContext,
    /// The card under a connection being drawn.
    pub drop_target: Option<usize>,
}

/// Every card not being dragged. Its props do not change during a drag, so it does not re-render.
#[function_component(StaticCards)]
pub fn static_cards(props: &StaticCardsProps) -> Html {
    let hl = &props.highlight;
    html! {
        <div class="cards">
            { for props.cards.iter()
                .filter(|c| !props.exclude.as_ref().is_some_and(|x| x.contains(&c.index)))
                .map(|c| html! {
                    <CardView key={c.key.clone()} model={Ptr::new(c)}
                        selected={props.selection.contains(&c.index)}
                        selected_port={props.selected_edge.filter(|(i, _)| *i == c.index).map(|(_, p)| p)}
                        current={hl.current.as_deref() == Some(c.name.as_str())}
                        paused={hl.paused && hl.current.as_deref() == Some(c.name.as_str())}
                        breakpoint={hl.breakpoints.contains(&c.name)}
                        stubbed={hl.stubbed.contains(&c.name)}
                        uncovered={hl.uncovered.as_ref().is_some_and(|u| u.widgets.contains(&c.name))}
                        visited={hl.visited.iter().any(|v| *v == c.name)}
                        drop_target={props.drop_target == Some(c.index)} />
                }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DraggedCardsProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub drag: Ptr<Drag>,
    /// The same marks as the static cards (breakpoints, stubs, the paused widget, coverage), so a
    /// card keeps them while it moves.
    pub highlight: HighlightContext,
}

/// The cards being dragged, drawn at their offset.
#[function_component(DraggedCards)]
pub fn dragged_cards(props: &DraggedCardsProps) -> Html {
    let d = &*props.drag;
    let hl = &props.highlight;
    html! {
        <div class="cards dragged">
            { for d.ids.iter().filter_map(|&i| props.cards.get(i)).map(|c| html! {
                <CardView key={c.key.clone()} model={Ptr::new(c)} selected=true dragging=true
                    dx={d.dx} dy={d.dy}
                    current={hl.current.as_deref() == Some(c.name.as_str())}
                    paused={hl.paused && hl.current.as_deref() == Some(c.name.as_str())}
                    breakpoint={hl.breakpoints.contains(&c.name)}
                    stubbed={hl.stubbed.contains(&c.name)}
                    uncovered={hl.uncovered.as_ref().is_some_and(|u| u.widgets.contains(&c.name))}
                    visited={hl.visited.iter().any(|v| *v == c.name)} />
            }) }
        </div>
    }
}
