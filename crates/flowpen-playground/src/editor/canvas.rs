//! The canvas: the view (viewport, canvas size, snapping) and the gestures in progress (a drag,
//! a rubber band, a connection being drawn), with the actions that change them. A gesture that
//! ends edits the document (one undo step); until then only this part changes.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::cards;
use super::document::selection_of;
use super::geometry::{snap, Point, Rect, Viewport};
use super::{Action, EditorState, Overlay};

/// Widgets being dragged, and how far (world units, already snapped).
#[derive(Clone, Debug, PartialEq)]
pub struct Drag {
    pub ids: Rc<BTreeSet<usize>>,
    /// The widget under the pointer; snapping aligns it to the grid.
    pub primary: usize,
    pub dx: f64,
    pub dy: f64,
}

/// A rubber-band selection in progress (world coordinates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marquee {
    pub from: Point,
    pub to: Point,
    /// Shift was held: add to the selection instead of replacing it.
    pub additive: bool,
}

impl Marquee {
    pub fn rect(&self) -> Rect {
        Rect::from_corners(self.from, self.to)
    }
}

/// A transition being drawn from a port (world coordinates of the pointer).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub from: usize,
    pub port: usize,
    pub to: Point,
    /// The card under the pointer (where a drop connects).
    pub over: Option<usize>,
}

/// The view and the gestures in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct CanvasState {
    pub viewport: Viewport,
    pub canvas_size: Point,
    /// Fit the view once the canvas size is known.
    pub(super) fit_pending: bool,
    pub drag: Option<Rc<Drag>>,
    pub marquee: Option<Marquee>,
    pub link: Option<Link>,
    pub snap: bool,
    /// The space bar is held (a drag pans).
    pub space: bool,
}

impl Default for CanvasState {
    fn default() -> CanvasState {
        CanvasState {
            viewport: Viewport::default(),
            canvas_size: Point::default(),
            fit_pending: true,
            drag: None,
            marquee: None,
            link: None,
            snap: true,
            space: false,
        }
    }
}

impl CanvasState {
    /// The canvas size, or a typical one before the shell measured it.
    pub(crate) fn size_or_default(&self) -> Point {
        if self.canvas_size.x > 0.0 {
            self.canvas_size
        } else {
            Point::new(800.0, 600.0)
        }
    }

    /// The world point at the centre of the canvas.
    pub(crate) fn view_centre(&self) -> Point {
        let size = self.size_or_default();
        self.viewport
            .to_world(Point::new(size.x / 2.0, size.y / 2.0))
    }

    fn screen_centre(&self) -> Point {
        Point::new(self.canvas_size.x / 2.0, self.canvas_size.y / 2.0)
    }

    /// Abandons any gesture (drag, rubber band, link).
    pub(super) fn cancel_gestures(&mut self) {
        self.drag = None;
        self.marquee = None;
        self.link = None;
    }
}

/// Applies an action of the canvas.
pub(super) fn update(s: &mut EditorState, action: Action) {
    match action {
        Action::BeginDrag { index } if index < s.doc.cards.len() => {
            let ids = if s.doc.selection.contains(&index) {
                Rc::clone(&s.doc.selection)
            } else {
                Rc::new(selection_of([index]))
            };
            s.canvas.drag = Some(Rc::new(Drag {
                ids,
                primary: index,
                dx: 0.0,
                dy: 0.0,
            }));
        }
        Action::DragTo { dx, dy } => s.drag_to(dx, dy),
        Action::EndDrag => s.end_drag(),
        Action::CancelGesture => s.canvas.cancel_gestures(),
        Action::MoveSelection { focused, dx, dy } => {
            if let Some(i) = focused.filter(|i| !s.doc.selection.contains(i)) {
                if i < s.doc.flow.states.len() {
                    s.set_selection(selection_of([i]));
                }
            }
            let ids: Vec<usize> = s.doc.selection.iter().copied().collect();
            s.move_widgets(&ids, dx, dy);
            if let Some(&i) = ids.first() {
                s.ensure_visible(i, false);
            }
        }
        Action::BeginMarquee { at, additive } => {
            s.canvas.marquee = Some(Marquee {
                from: at,
                to: at,
                additive,
            });
        }
        Action::MarqueeTo(p) => {
            if let Some(m) = &mut s.canvas.marquee {
                m.to = p;
            }
        }
        Action::EndMarquee => {
            if let Some(m) = s.canvas.marquee.take() {
                let hit = cards::cards_in(&s.doc.cards, &m.rect());
                let mut sel = if m.additive {
                    (*s.doc.selection).clone()
                } else {
                    BTreeSet::new()
                };
                sel.extend(hit);
                s.set_selection(sel);
            }
        }
        Action::BeginLink { from, port, at }
            if s.doc.cards.get(from).is_some_and(|c| port < c.ports.len()) =>
        {
            s.canvas.link = Some(Link {
                from,
                port,
                to: at,
                over: None,
            });
        }
        Action::LinkTo(p) => {
            let over = cards::card_at(&s.doc.cards, p);
            if let Some(l) = &mut s.canvas.link {
                l.to = p;
                l.over = over;
            }
        }
        Action::EndLink(p) => {
            if let Some(l) = s.canvas.link.take() {
                match cards::card_at(&s.doc.cards, p) {
                    Some(target) => s.connect(l.from, l.port, Some(target)),
                    None => {
                        s.chrome.overlay = Some(Overlay::AddMenu {
                            at: p,
                            link: Some((l.from, l.port)),
                        });
                    }
                }
            }
        }
        Action::Pan { dx, dy } => s.canvas.viewport = s.canvas.viewport.panned(dx, dy),
        Action::ZoomAt { factor, at } => {
            s.canvas.viewport = s.canvas.viewport.zoomed_at(factor, at);
        }
        Action::ZoomBy(factor) => {
            let c = s.canvas.screen_centre();
            s.canvas.viewport = s.canvas.viewport.zoomed_at(factor, c);
        }
        Action::SetZoom(zoom) => {
            let c = s.canvas.screen_centre();
            let factor = zoom / s.canvas.viewport.zoom;
            s.canvas.viewport = s.canvas.viewport.zoomed_at(factor, c);
        }
        Action::FitView => s.fit(),
        Action::SetViewport(v) if v.is_sane() => {
            s.canvas.viewport = v;
        }
        Action::SetCanvasSize(size) => {
            s.canvas.canvas_size = size;
            if s.canvas.fit_pending && size.x > 0.0 && size.y > 0.0 {
                s.fit();
            }
        }
        Action::EnsureVisible(i) => s.ensure_visible(i, false),
        Action::ToggleSnap => s.canvas.snap = !s.canvas.snap,
        Action::SetSpace(on) => s.canvas.space = on,
        _ => {}
    }
}

impl EditorState {
    fn drag_to(&mut self, dx: f64, dy: f64) {
        let Some(d) = &self.canvas.drag else { return };
        let (mut dx, mut dy) = (dx, dy);
        if self.canvas.snap {
            if let Some(c) = self.doc.cards.get(d.primary) {
                dx = snap(c.rect.x + dx) - c.rect.x;
                dy = snap(c.rect.y + dy) - c.rect.y;
            }
        }
        if d.dx != dx || d.dy != dy {
            let mut d = (**d).clone();
            d.dx = dx;
            d.dy = dy;
            self.canvas.drag = Some(Rc::new(d));
        }
    }

    fn end_drag(&mut self) {
        let Some(d) = self.canvas.drag.take() else {
            return;
        };
        if d.dx == 0.0 && d.dy == 0.0 {
            return;
        }
        let ids: Vec<usize> = d.ids.iter().copied().collect();
        self.move_widgets(&ids, d.dx, d.dy);
    }

    /// Fits the view to the cards (as soon as the canvas size is known).
    pub(super) fn fit(&mut self) {
        self.canvas.fit_pending = self.canvas.canvas_size.x <= 0.0;
        if let Some(b) = cards::bounds(&self.doc.cards) {
            self.canvas.viewport = Viewport::fit(b, self.canvas.canvas_size);
        }
    }

    /// Pans so that widget `index` is visible (centred when `centre` or when it is off-screen).
    pub(super) fn ensure_visible(&mut self, index: usize, centre: bool) {
        let Some(card) = self.doc.cards.get(index) else {
            return;
        };
        let size = self.canvas.canvas_size;
        if size.x <= 0.0 {
            return;
        }
        let seen = self.canvas.viewport.visible(size);
        let inside = seen.contains(card.at())
            && seen.contains(Point::new(
                card.rect.x + card.rect.w,
                card.rect.y + card.rect.h,
            ));
        if centre || !inside {
            self.canvas.viewport = self.canvas.viewport.centered_on(card.rect.center(), size);
        }
    }
}
