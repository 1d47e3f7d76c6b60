//! Transitions drawn as SVG curves from a port to the top of the target card: a static layer
//! (unchanged during a drag) and a live layer for the edges touching dragged cards.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use super::HighlightContext;
use crate::components::Ptr;
use flowpen_playground::editor::cards::{CardModel, Edge};
use flowpen_playground::editor::geometry::{Point, Rect};
use flowpen_playground::editor::Drag;

/// The curve from `from` (a port's bottom, on card `a`) to `to` (the top centre of card `b`).
/// Downward transitions are an S-curve; a transition that must go up (or to its own widget) leaves
/// downwards, passes beside both cards and comes down into the target.
pub fn curve(from: Point, to: Point, a: Rect, b: Rect) -> String {
    let dy = to.y - from.y;
    if dy >= 50.0 {
        let k = (dy / 2.0).max(30.0);
        return format!(
            "M{:.1} {:.1}C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            from.x,
            from.y,
            from.x,
            from.y + k,
            to.x,
            to.y - k,
            to.x,
            to.y
        );
    }
    let right = b.center().x >= a.center().x;
    let side = if right {
        (a.x + a.w).max(b.x + b.w) + 36.0
    } else {
        a.x.min(b.x) - 36.0
    };
    let mid = (from.y + to.y) / 2.0;
    format!(
        "M{:.1} {:.1}C{:.1} {:.1} {side:.1} {:.1} {side:.1} {mid:.1}C{side:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
        from.x,
        from.y,
        from.x,
        from.y + 44.0,
        from.y + 44.0,
        to.y - 44.0,
        to.x,
        to.y - 44.0,
        to.x,
        to.y
    )
}

/// The end points of an edge, with cards in `moved` shifted by `(dx, dy)`.
pub fn ends(cards: &[Rc<CardModel>], e: &Edge, moved: Option<&Drag>) -> Option<(Point, Point)> {
    let from = cards.get(e.from)?;
    let to = cards.get(e.to)?;
    let shift = |i: usize| match moved {
        Some(d) if d.ids.contains(&i) => (d.dx, d.dy),
        _ => (0.0, 0.0),
    };
    let (fx, fy) = shift(e.from);
    let (tx, ty) = shift(e.to);
    let a = from.ports.get(e.port)?.anchor();
    let inlet = to.inlet();
    Some((
        Point::new(from.rect.x + a.x + fx, from.rect.y + a.y + fy),
        Point::new(inlet.x + tx, inlet.y + ty),
    ))
}

/// One edge's SVG.
pub fn edge_html(
    cards: &[Rc<CardModel>],
    e: &Edge,
    moved: Option<&Drag>,
    selected: bool,
    visited: bool,
    uncovered: bool,
) -> Html {
    let Some((a, b)) = ends(cards, e, moved) else {
        return Html::default();
    };
    let rect = |i: usize| {
        let c = &cards[i];
        let (dx, dy) = match moved {
            Some(d) if d.ids.contains(&i) => (d.dx, d.dy),
            _ => (0.0, 0.0),
        };
        Rect {
            x: c.rect.x + dx,
            y: c.rect.y + dy,
            ..c.rect
        }
    };
    let d = curve(a, b, rect(e.from), rect(e.to));
    let from = &cards[e.from];
    let event = from
        .ports
        .get(e.port)
        .map(|p| p.event.clone())
        .unwrap_or_default();
    let marker = if selected {
        "url(#fp-arrow-selected)"
    } else if visited {
        "url(#fp-arrow-visited)"
    } else {
        "url(#fp-arrow)"
    };
    html! {
        <g class={classes!("edge", selected.then_some("selected"), visited.then_some("visited"),
                uncovered.then_some("uncovered"))}
            data-testid="edge" data-edge={format!("{}:{}", e.from, e.port)}
            data-taken={visited.then_some("true")}
            data-from={from.name.clone()} data-event={event} data-to={cards[e.to].name.clone()}>
            <path class="edge-hit" d={d.clone()} />
            <path class="edge-line" d={d} marker-end={marker} />
        </g>
    }
}

/// Whether the coverage view is on and no flow test case took this transition.
fn is_uncovered(hl: &HighlightContext, cards: &[Rc<CardModel>], e: &Edge) -> bool {
    let Some(u) = &hl.uncovered else {
        return false;
    };
    let Some(from) = cards.get(e.from) else {
        return false;
    };
    from.ports
        .get(e.port)
        .and_then(|p| p.transition)
        .is_some_and(|t| u.transitions.contains(&(from.name.clone(), t)))
}

/// Whether the execution followed this transition.
fn is_visited(hl: &HighlightContext, cards: &[Rc<CardModel>], e: &Edge) -> bool {
    let (Some(from), Some(to)) = (cards.get(e.from), cards.get(e.to)) else {
        return false;
    };
    let Some(port) = from.ports.get(e.port) else {
        return false;
    };
    hl.taken
        .iter()
        .any(|(w, ev, next)| *w == from.name && *ev == port.event && *next == to.name)
}

#[derive(Properties, PartialEq)]
pub struct StaticEdgesProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub edges: Ptr<Vec<Edge>>,
    pub exclude: Option<Ptr<BTreeSet<usize>>>,
    pub selected_edge: Option<(usize, usize)>,
    pub highlight: HighlightContext,
}

/// Edges not touching a dragged card.
#[function_component(StaticEdges)]
pub fn static_edges(props: &StaticEdgesProps) -> Html {
    let touches = |e: &Edge| {
        props
            .exclude
            .as_ref()
            .is_some_and(|x| x.contains(&e.from) || x.contains(&e.to))
    };
    html! {
        <g class="edges">
            { for props.edges.iter().filter(|e| !touches(e)).map(|e| edge_html(
                &props.cards, e, None,
                props.selected_edge == Some((e.from, e.port)),
                !props.highlight.taken.is_empty() && is_visited(&props.highlight, &props.cards, e),
                is_uncovered(&props.highlight, &props.cards, e))) }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct LiveEdgesProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub edges: Ptr<Vec<Edge>>,
    pub drag: Ptr<Drag>,
}

/// Edges touching a dragged card, following it.
#[function_component(LiveEdges)]
pub fn live_edges(props: &LiveEdgesProps) -> Html {
    let d = &*props.drag;
    html! {
        <g class="edges live">
            { for props.edges.iter()
                .filter(|e| d.ids.contains(&e.from) || d.ids.contains(&e.to))
                .map(|e| edge_html(&props.cards, e, Some(d), false, false, false)) }
        </g>
    }
}
