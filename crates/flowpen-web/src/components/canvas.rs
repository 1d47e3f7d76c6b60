//! The flow canvas: cards at their Studio offsets, transitions as curves, pan and zoom (one CSS
//! transform), a dotted grid, the minimap, and every pointer gesture (drag cards, draw a
//! connection from a port, rubber-band selection, pan).
//!
//! Pointer events are handled once, on the canvas element, and routed by what is under the
//! pointer (`data-port`, `data-index`, `data-edge`), so cards carry no listeners of their own.

pub mod card;
pub mod edges;
pub mod minimap;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::WidgetType;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, WheelEvent};
use yew::prelude::*;

use super::debug::CardMenu;
use super::icons;
use super::palette::DRAG_TYPE;
use super::{send, use_dispatch, Dispatch, Ptr};
use crate::hooks::listener::Listener;
use card::{DraggedCards, StaticCards};
use edges::{LiveEdges, StaticEdges};
use flowpen_playground::editor::cards::{type_class, CardModel, Edge};
use flowpen_playground::editor::geometry::{Point, Rect, Viewport, GRID};
use flowpen_playground::editor::{Action, Drag, Link, Marquee, Overlay, SelectMode};
use minimap::Minimap;

/// What the simulator shows on the canvas: the widget the selected execution is at, the widgets
/// it went through and the transitions it took. The app provides it by context (empty when
/// nothing ran).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HighlightContext {
    pub current: Option<String>,
    /// The current widget is where the execution paused (before it runs).
    pub paused: bool,
    pub visited: Rc<Vec<String>>,
    /// Transitions followed: (widget, event, next widget).
    pub taken: Rc<Vec<(String, String, String)>>,
    /// The widgets of the flow on the canvas that have a breakpoint (from the editor).
    pub breakpoints: Rc<BTreeSet<String>>,
    /// The widgets of the flow on the canvas the simulator answers with a stub.
    pub stubbed: Rc<BTreeSet<String>>,
    /// The coverage view (Tests panel): what no flow test case reached.
    pub uncovered: Option<Rc<Uncovered>>,
}

/// What no flow test case reached in the flow on the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Uncovered {
    pub widgets: BTreeSet<String>,
    /// (widget, position in its `transitions`)
    pub transitions: BTreeSet<(String, usize)>,
}

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub edges: Ptr<Vec<Edge>>,
    pub selection: Ptr<BTreeSet<usize>>,
    pub selected_edge: Option<(usize, usize)>,
    pub viewport: Viewport,
    pub size: Point,
    pub drag: Option<Ptr<Drag>>,
    pub marquee: Option<Marquee>,
    pub link: Option<Link>,
    /// The "add a widget here" menu: where, and which port it connects.
    pub add_menu: Option<(Point, Option<(usize, usize)>)>,
    /// A widget's menu: which, and where the pointer was (canvas pixels; `None`: beside it).
    pub card_menu: Option<(usize, Option<Point>)>,
    pub space: bool,
}

/// A pointer gesture in progress (screen coordinates are relative to the canvas).
#[derive(Clone, Copy, Debug)]
enum Gesture {
    /// Pressed on a card; becomes a drag after a few pixels.
    Card {
        index: usize,
        start: Point,
        dragging: bool,
        /// A click (no drag) then selects only this card.
        narrow_on_click: bool,
    },
    /// Pressed on a port; becomes a connection after a few pixels, a click opens the menu.
    Port {
        from: usize,
        port: usize,
        start: Point,
        linking: bool,
    },
    Pan {
        last: Point,
        moved: bool,
        clear_on_click: bool,
    },
    Marquee,
}

/// How far (screen pixels) the pointer moves before a press becomes a drag.
const THRESHOLD: f64 = 4.0;

fn local_point(node: &NodeRef, e: &MouseEvent) -> Point {
    let (left, top) = node
        .cast::<Element>()
        .map(|el| {
            let r = el.get_bounding_client_rect();
            (r.left(), r.top())
        })
        .unwrap_or_default();
    Point::new(
        f64::from(e.client_x()) - left,
        f64::from(e.client_y()) - top,
    )
}

fn attr_index(el: &Element, attr: &str) -> Option<usize> {
    el.get_attribute(attr).and_then(|v| v.parse().ok())
}

fn far(a: Point, b: Point) -> bool {
    (a.x - b.x).abs() > THRESHOLD || (a.y - b.y).abs() > THRESHOLD
}

/// Reports the canvas size to the reducer whenever it changes.
#[hook]
fn use_canvas_size(node: NodeRef, dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let measure = {
            let node = node.clone();
            move || {
                if let Some(el) = node.cast::<Element>() {
                    let r = el.get_bounding_client_rect();
                    dispatch.dispatch(Action::SetCanvasSize(Point::new(r.width(), r.height())));
                }
            }
        };
        measure();
        let callback = Closure::<dyn FnMut()>::new(measure);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let (Some(o), Some(el)) = (&observer, node.cast::<Element>()) {
            o.observe(&el);
        }
        move || {
            if let Some(o) = observer {
                o.disconnect();
            }
            drop(callback);
        }
    });
}

/// Zooms with the wheel (and trackpad pinch, which arrives as a wheel with Ctrl) around the
/// pointer. Registered by hand: the listener must not be passive.
#[hook]
fn use_wheel_zoom(node: NodeRef, dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let listener = node.cast::<Element>().map(|el| {
            let target = el.clone();
            Listener::new(&el, "wheel", false, move |e| {
                let Some(w) = e.dyn_ref::<WheelEvent>() else {
                    return;
                };
                let in_ui = w
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|t| t.closest(".canvas-ui").ok().flatten())
                    .is_some();
                if in_ui {
                    return;
                }
                e.prevent_default();
                let lines = w.delta_mode() == WheelEvent::DOM_DELTA_LINE;
                let dy = w.delta_y() * if lines { 16.0 } else { 1.0 };
                let rate = if w.ctrl_key() { 0.01 } else { 0.0015 };
                let r = target.get_bounding_client_rect();
                let at = Point::new(
                    f64::from(w.client_x()) - r.left(),
                    f64::from(w.client_y()) - r.top(),
                );
                dispatch.dispatch(Action::ZoomAt {
                    factor: (-dy * rate).exp(),
                    at,
                });
            })
        });
        move || drop(listener)
    });
}

/// The drawing area.
#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let dispatch = use_dispatch();
    let highlight = use_context::<HighlightContext>().unwrap_or_default();
    let node = use_node_ref();
    let gesture: Rc<RefCell<Option<Gesture>>> = use_mut_ref(|| None);
    use_canvas_size(node.clone(), dispatch.clone());
    use_wheel_zoom(node.clone(), dispatch.clone());

    let vp = props.viewport;
    let onpointerdown = {
        let (node, dispatch, gesture) = (node.clone(), dispatch.clone(), gesture.clone());
        let selection = props.selection.clone();
        let space = props.space;
        Callback::from(move |e: PointerEvent| {
            let Some(target) = e.target_dyn_into::<Element>() else {
                return;
            };
            if target.closest(".canvas-ui").ok().flatten().is_some() {
                return;
            }
            let button = e.button();
            if button != 0 && button != 1 {
                return;
            }
            let at = local_point(&node, &e);
            let world = vp.to_world(at);
            let closest = |sel: &str| target.closest(sel).ok().flatten();
            // A card's gutter: its breakpoint (a click, not a drag).
            if button == 0 && closest("[data-breakpoint]").is_some() {
                if let Some(index) = closest(".card").and_then(|c| attr_index(&c, "data-index")) {
                    e.prevent_default();
                    dispatch.dispatch(Action::ToggleBreakpoint(index));
                }
                return;
            }
            let next = if space || button == 1 {
                Gesture::Pan {
                    last: at,
                    moved: false,
                    clear_on_click: false,
                }
            } else if let (Some(port), Some(card)) = (closest("[data-port]"), closest(".card")) {
                let (Some(from), Some(p)) = (
                    attr_index(&card, "data-index"),
                    attr_index(&port, "data-port"),
                ) else {
                    return;
                };
                dispatch.dispatch(Action::Select {
                    index: from,
                    mode: SelectMode::Keep,
                });
                Gesture::Port {
                    from,
                    port: p,
                    start: at,
                    linking: false,
                }
            } else if let Some(index) = closest(".card").and_then(|c| attr_index(&c, "data-index"))
            {
                let was = selection.contains(&index);
                if e.shift_key() {
                    dispatch.dispatch(Action::Select {
                        index,
                        mode: SelectMode::Toggle,
                    });
                    if was {
                        // Shift-click removed it from the selection: nothing to drag.
                        return;
                    }
                } else {
                    dispatch.dispatch(Action::Select {
                        index,
                        mode: SelectMode::Keep,
                    });
                }
                Gesture::Card {
                    index,
                    start: world,
                    dragging: false,
                    narrow_on_click: was && selection.len() > 1 && !e.shift_key(),
                }
            } else if let Some(edge) = closest("[data-edge]") {
                let spec = edge.get_attribute("data-edge").unwrap_or_default();
                if let Some((from, port)) = spec.split_once(':') {
                    if let (Ok(from), Ok(port)) = (from.parse(), port.parse()) {
                        dispatch.dispatch(Action::SelectEdge { from, port });
                    }
                }
                return;
            } else if e.shift_key() {
                dispatch.dispatch(Action::BeginMarquee {
                    at: world,
                    additive: true,
                });
                Gesture::Marquee
            } else {
                Gesture::Pan {
                    last: at,
                    moved: false,
                    clear_on_click: true,
                }
            };
            if let Some(el) = node.cast::<Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            if matches!(next, Gesture::Pan { .. } | Gesture::Marquee) {
                // No text selection or native drag; the keyboard goes to the canvas (Space pans).
                e.prevent_default();
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
            *gesture.borrow_mut() = Some(next);
        })
    };
    let onpointermove = {
        let (node, dispatch, gesture) = (node.clone(), dispatch.clone(), gesture.clone());
        Callback::from(move |e: PointerEvent| {
            let mut g = gesture.borrow_mut();
            let Some(current) = g.as_mut() else {
                return;
            };
            let at = local_point(&node, &e);
            let world = vp.to_world(at);
            match current {
                Gesture::Card {
                    index,
                    start,
                    dragging,
                    ..
                } => {
                    if !*dragging {
                        if !far(vp.to_screen(*start), at) {
                            return;
                        }
                        *dragging = true;
                        dispatch.dispatch(Action::BeginDrag { index: *index });
                    }
                    dispatch.dispatch(Action::DragTo {
                        dx: world.x - start.x,
                        dy: world.y - start.y,
                    });
                }
                Gesture::Port {
                    from,
                    port,
                    start,
                    linking,
                } => {
                    if !*linking {
                        if !far(*start, at) {
                            return;
                        }
                        *linking = true;
                        dispatch.dispatch(Action::BeginLink {
                            from: *from,
                            port: *port,
                            at: world,
                        });
                    }
                    dispatch.dispatch(Action::LinkTo(world));
                }
                Gesture::Pan { last, moved, .. } => {
                    if !*moved && !far(*last, at) {
                        return;
                    }
                    *moved = true;
                    let (dx, dy) = (at.x - last.x, at.y - last.y);
                    *last = at;
                    dispatch.dispatch(Action::Pan { dx, dy });
                }
                Gesture::Marquee => dispatch.dispatch(Action::MarqueeTo(world)),
            }
        })
    };
    let onpointerup = {
        let (node, dispatch, gesture) = (node.clone(), dispatch.clone(), gesture.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(done) = gesture.borrow_mut().take() else {
                return;
            };
            if let Some(el) = node.cast::<Element>() {
                let _ = el.release_pointer_capture(e.pointer_id());
            }
            let world = vp.to_world(local_point(&node, &e));
            match done {
                Gesture::Card {
                    index,
                    dragging,
                    narrow_on_click,
                    ..
                } => {
                    if dragging {
                        dispatch.dispatch(Action::EndDrag);
                    } else if narrow_on_click {
                        dispatch.dispatch(Action::Select {
                            index,
                            mode: SelectMode::Only,
                        });
                    }
                }
                Gesture::Port {
                    from,
                    port,
                    linking,
                    ..
                } => {
                    if linking {
                        dispatch.dispatch(Action::EndLink(world));
                    } else {
                        dispatch.dispatch(Action::StartConnect { from, port });
                    }
                }
                Gesture::Pan {
                    moved,
                    clear_on_click,
                    ..
                } => {
                    if !moved && clear_on_click {
                        dispatch.dispatch(Action::ClearSelection);
                    }
                }
                Gesture::Marquee => dispatch.dispatch(Action::EndMarquee),
            }
        })
    };
    let onpointercancel = {
        let (dispatch, gesture) = (dispatch.clone(), gesture.clone());
        Callback::from(move |_: PointerEvent| {
            if gesture.borrow_mut().take().is_some() {
                dispatch.dispatch(Action::CancelGesture);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| {
        let ours = e.data_transfer().is_some_and(|d| {
            d.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some(DRAG_TYPE))
        });
        if ours {
            e.prevent_default();
            if let Some(d) = e.data_transfer() {
                d.set_drop_effect("copy");
            }
        }
    });
    let ondrop = {
        let (node, dispatch) = (node.clone(), dispatch.clone());
        Callback::from(move |e: DragEvent| {
            let Some(kind) = e
                .data_transfer()
                .and_then(|d| d.get_data(DRAG_TYPE).ok())
                .filter(|k| !k.is_empty())
            else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            let world = vp.to_world(local_point(&node, &e));
            dispatch.dispatch(Action::AddWidget {
                kind: WidgetType::from_type(&kind),
                at: Some(Point::new(world.x, world.y - 14.0)),
                link: None,
            });
        })
    };
    // A widget's menu. The context-menu key opens it too (the keyboard hook, beside the card):
    // the event the browser sends after that key leaves the open menu where it is.
    let oncontextmenu = {
        let (node, dispatch) = (node.clone(), dispatch.clone());
        let open = props.card_menu.map(|(i, _)| i);
        Callback::from(move |e: MouseEvent| {
            let Some(target) = e.target_dyn_into::<Element>() else {
                return;
            };
            if target.closest(".canvas-ui").ok().flatten().is_some() {
                return;
            }
            let Some(index) = target
                .closest(".card")
                .ok()
                .flatten()
                .and_then(|c| attr_index(&c, "data-index"))
            else {
                return;
            };
            e.prevent_default();
            if open == Some(index) {
                return;
            }
            dispatch.dispatch(Action::Select {
                index,
                mode: SelectMode::Only,
            });
            dispatch.dispatch(Action::ShowOverlay(Overlay::CardMenu {
                index,
                at: Some(local_point(&node, &e)),
            }));
        })
    };
    let onfocusin = {
        let dispatch = dispatch.clone();
        let selection = props.selection.clone();
        Callback::from(move |e: FocusEvent| {
            let Some(t) = e.target_dyn_into::<Element>() else {
                return;
            };
            // Only keyboard focus selects (a click already did).
            if !t.matches(":focus-visible").unwrap_or(false) {
                return;
            }
            if let Some(i) = t
                .closest(".card")
                .ok()
                .flatten()
                .and_then(|c| attr_index(&c, "data-index"))
            {
                if !selection.contains(&i) || selection.len() > 1 {
                    dispatch.dispatch(Action::Select {
                        index: i,
                        mode: SelectMode::Only,
                    });
                }
                dispatch.dispatch(Action::EnsureVisible(i));
            }
        })
    };

    let exclude = props.drag.as_ref().map(|d| Ptr(Rc::clone(&d.ids)));
    // The dots keep a readable spacing when zoomed out (every 5th, 25th… grid line).
    let mut grid = GRID * vp.zoom;
    while grid < 12.0 {
        grid *= 5.0;
    }
    let canvas_style = format!(
        "background-size:{grid}px {grid}px;background-position:{}px {}px",
        vp.x, vp.y
    );
    let transform = format!(
        "transform:translate({}px,{}px) scale({})",
        vp.x, vp.y, vp.zoom
    );
    let link_preview = props.link.and_then(|l| {
        let c = props.cards.get(l.from)?;
        let a = c.ports.get(l.port)?.anchor();
        let from = Point::new(c.rect.x + a.x, c.rect.y + a.y);
        let pointer = Rect {
            x: l.to.x,
            y: l.to.y,
            w: 0.0,
            h: 0.0,
        };
        Some(html! {
            <path class="link-preview" d={edges::curve(from, l.to, c.rect, pointer)} />
        })
    });
    let edge_remove = props.selected_edge.and_then(|(from, port)| {
        let e = props
            .edges
            .iter()
            .find(|e| e.from == from && e.port == port)?;
        let (a, b) = edges::ends(&props.cards, e, None)?;
        let mid = Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        Some(html! {
            <button type="button" class="edge-remove canvas-ui" data-testid="edge-remove"
                title="Remove this transition (Delete)" aria-label="Remove this transition"
                style={format!("transform:translate({}px,{}px)", mid.x - 12.0, mid.y - 12.0)}
                onclick={send(&dispatch, Action::Delete)}>
                { icons::glyph(icons::CLOSE) }
            </button>
        })
    });
    let add_menu = props.add_menu.map(|(at, link)| {
        let s = vp.to_screen(at);
        let left = s.x.clamp(8.0, (props.size.x - 230.0).max(8.0));
        let top = s.y.clamp(8.0, (props.size.y - 300.0).max(8.0));
        html! {
            <>
                <div class="add-menu-backdrop canvas-ui" onclick={send(&dispatch, Action::CloseOverlay)}></div>
                <div class="add-menu canvas-ui" data-testid="add-menu" role="menu"
                    aria-label="Add a widget here" style={format!("left:{left}px;top:{top}px")}>
                    <div class="add-menu-title">{ if link.is_some() { "Connect to a new widget" } else { "Add a widget" } }</div>
                    { for WidgetType::addable().map(|k| {
                        let dispatch = dispatch.clone();
                        let kind = k.clone();
                        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::AddWidget {
                            kind: kind.clone(), at: Some(at), link,
                        }));
                        html! {
                            <button type="button" role="menuitem" class={classes!("add-menu-item", type_class(&k))}
                                data-testid="add-menu-item" data-widget-type={k.as_str().to_owned()} {onclick}>
                                { icons::type_icon(&k) }{ k.label() }
                            </button>
                        }
                    }) }
                </div>
            </>
        }
    });
    let card_menu = props.card_menu.and_then(|(index, at)| {
        let card = props.cards.get(index)?;
        let at = at.unwrap_or_else(|| {
            vp.to_screen(Point::new(card.rect.x + card.rect.w + 8.0, card.rect.y))
        });
        let left = at.x.clamp(8.0, (props.size.x - 240.0).max(8.0));
        let top = at.y.clamp(8.0, (props.size.y - 140.0).max(8.0));
        Some(html! {
            <CardMenu index={index} left={left} top={top}
                breakpoint={highlight.breakpoints.contains(&card.name)} />
        })
    });
    let empty_hint = (props.cards.len() <= 1).then(|| html! {
        <div class="canvas-hint canvas-ui" aria-hidden="true">
            <strong>{ "Build a flow" }</strong>
            { "Drag widgets from the palette, then drag from a port (like Incoming Message) to a widget to connect them." }
        </div>
    });
    let zoom_pct = (vp.zoom * 100.0).round();
    html! {
        <section ref={node} class={classes!("canvas", props.space.then_some("panning"),
                props.drag.is_some().then_some("dragging"), props.link.is_some().then_some("linking"))}
            data-testid="canvas" aria-label="Flow canvas" style={canvas_style} tabindex="-1"
            {onpointerdown} {onpointermove} {onpointerup} {onpointercancel}
            {ondragover} {ondrop} {onfocusin} {oncontextmenu}>
            <div class="viewport" data-testid="viewport" style={transform}>
                <svg class="edges-layer" width="1" height="1" aria-hidden="true">
                    <defs>
                        <marker id="fp-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0L10 5L0 10z" class="arrow" />
                        </marker>
                        <marker id="fp-arrow-selected" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0L10 5L0 10z" class="arrow selected" />
                        </marker>
                        <marker id="fp-arrow-visited" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0L10 5L0 10z" class="arrow visited" />
                        </marker>
                    </defs>
                    <StaticEdges cards={props.cards.clone()} edges={props.edges.clone()}
                        exclude={exclude.clone()} selected_edge={props.selected_edge}
                        highlight={highlight.clone()} />
                    if let Some(d) = &props.drag {
                        <LiveEdges cards={props.cards.clone()} edges={props.edges.clone()} drag={d.clone()} />
                    }
                    { for link_preview }
                </svg>
                <StaticCards cards={props.cards.clone()} selection={props.selection.clone()}
                    exclude={exclude} selected_edge={props.selected_edge} highlight={highlight.clone()}
                    drop_target={props.link.and_then(|l| l.over)} />
                if let Some(d) = &props.drag {
                    <DraggedCards cards={props.cards.clone()} drag={d.clone()} highlight={highlight} />
                }
                if let Some(m) = props.marquee {
                    <div class="marquee" data-testid="marquee" style={{
                        let r = m.rect();
                        format!("transform:translate({}px,{}px);width:{}px;height:{}px", r.x, r.y, r.w, r.h)
                    }}></div>
                }
                { for edge_remove }
            </div>
            { for empty_hint }
            <div class="zoom-controls canvas-ui" role="group" aria-label="Zoom">
                <button type="button" data-testid="zoom-out" title="Zoom out (−)" aria-label="Zoom out"
                    onclick={send(&dispatch, Action::ZoomBy(0.8))}>{ icons::glyph(icons::MINUS) }</button>
                <button type="button" class="zoom-level" data-testid="zoom-level" title="Reset to 100%"
                    onclick={send(&dispatch, Action::SetZoom(1.0))}>{ format!("{zoom_pct}%") }</button>
                <button type="button" data-testid="zoom-in" title="Zoom in (+)" aria-label="Zoom in"
                    onclick={send(&dispatch, Action::ZoomBy(1.25))}>{ icons::glyph(icons::PLUS) }</button>
                <button type="button" data-testid="zoom-fit" title="Fit to view (0)" aria-label="Fit to view"
                    onclick={send(&dispatch, Action::FitView)}>{ icons::glyph(icons::FIT) }</button>
            </div>
            <Minimap cards={props.cards.clone()} viewport={vp} size={props.size} />
            { for add_menu }
            { for card_menu }
        </section>
    }
}
