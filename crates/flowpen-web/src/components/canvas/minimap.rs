//! The minimap: every card as a small box and the visible area as a frame; click or drag on it
//! to move the view there.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::components::{use_dispatch, Ptr};
use flowpen_playground::editor::cards::{bounds, type_class, CardModel};
use flowpen_playground::editor::geometry::{Point, Rect, Viewport};
use flowpen_playground::editor::Action;

const W: f64 = 176.0;
const H: f64 = 112.0;

#[derive(Properties, PartialEq)]
struct BoxesProps {
    cards: Ptr<Vec<Rc<CardModel>>>,
}

/// The cards' boxes (re-rendered only when the cards change, not when the view moves).
#[function_component(Boxes)]
fn boxes(props: &BoxesProps) -> Html {
    html! {
        <g>
            { for props.cards.iter().map(|c| html! {
                <rect class={classes!("mm-card", type_class(&c.kind))}
                    x={c.rect.x.to_string()} y={c.rect.y.to_string()}
                    width={c.rect.w.to_string()} height={c.rect.h.to_string()} rx="12" />
            }) }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct MinimapProps {
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub viewport: Viewport,
    pub size: Point,
}

/// The world rectangle the minimap shows.
fn frame(cards: &[Rc<CardModel>], seen: Rect) -> Rect {
    let b = bounds(cards).map_or(seen, |b| b.union(&seen));
    let pad = 40.0;
    Rect {
        x: b.x - pad,
        y: b.y - pad,
        w: b.w + 2.0 * pad,
        h: b.h + 2.0 * pad,
    }
}

#[function_component(Minimap)]
pub fn minimap(props: &MinimapProps) -> Html {
    let dispatch = use_dispatch();
    let node = use_node_ref();
    let pressed = use_mut_ref(|| false);
    let seen = props.viewport.visible(props.size);
    let f = frame(&props.cards, seen);
    let go = {
        let node = node.clone();
        let dispatch = dispatch.clone();
        let (viewport, size) = (props.viewport, props.size);
        move |e: &PointerEvent| {
            let Some(el) = node.cast::<Element>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let scale = (W / f.w).min(H / f.h);
            let ox = (W - f.w * scale) / 2.0;
            let oy = (H - f.h * scale) / 2.0;
            let world = Point::new(
                f.x + (f64::from(e.client_x()) - r.left() - ox) / scale,
                f.y + (f64::from(e.client_y()) - r.top() - oy) / scale,
            );
            dispatch.dispatch(Action::SetViewport(viewport.centered_on(world, size)));
        }
    };
    let onpointerdown = {
        let go = go.clone();
        let pressed = pressed.clone();
        Callback::from(move |e: PointerEvent| {
            e.stop_propagation();
            *pressed.borrow_mut() = true;
            if let Some(el) = e.target_dyn_into::<Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            go(&e);
        })
    };
    let onpointermove = {
        let pressed = pressed.clone();
        Callback::from(move |e: PointerEvent| {
            if *pressed.borrow() {
                go(&e);
            }
        })
    };
    let onpointerup = Callback::from(move |_: PointerEvent| *pressed.borrow_mut() = false);
    html! {
        <div class="minimap canvas-ui" data-testid="minimap" aria-label="Minimap" ref={node}
            {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
            <svg width={W.to_string()} height={H.to_string()}
                viewBox={format!("{} {} {} {}", f.x, f.y, f.w, f.h)}
                preserveAspectRatio="xMidYMid meet">
                <Boxes cards={props.cards.clone()} />
                <rect class="mm-view" x={seen.x.to_string()} y={seen.y.to_string()}
                    width={seen.w.to_string()} height={seen.h.to_string()} />
            </svg>
        </div>
    }
}
