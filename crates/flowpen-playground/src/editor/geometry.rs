//! Canvas geometry: points, rectangles, the viewport (pan and zoom) and grid snapping.
//!
//! World coordinates are Studio's `offset` coordinates; screen coordinates are CSS pixels inside
//! the canvas element. `screen = world × zoom + pan`.

/// A point (world or screen coordinates, as the name of the variable says).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners, in any order.
    pub(crate) fn from_corners(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            w: (a.x - b.x).abs(),
            h: (a.y - b.y).abs(),
        }
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// Smallest and largest zoom factors.
pub(crate) const MIN_ZOOM: f64 = 0.1;
pub(crate) const MAX_ZOOM: f64 = 2.5;
/// The grid pitch in world units; snapping rounds to it.
pub const GRID: f64 = 20.0;
/// Margin (screen pixels) kept around the flow by "fit to view".
const FIT_MARGIN: f64 = 40.0;

/// Pan and zoom: the canvas shows world point `w` at screen point `w × zoom + (x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport {
            x: 40.0,
            y: 40.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    pub fn to_world(&self, screen: Point) -> Point {
        Point::new(
            (screen.x - self.x) / self.zoom,
            (screen.y - self.y) / self.zoom,
        )
    }

    pub fn to_screen(&self, world: Point) -> Point {
        Point::new(world.x * self.zoom + self.x, world.y * self.zoom + self.y)
    }

    /// Moves the view by a screen distance.
    pub(crate) fn panned(&self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            zoom: self.zoom,
        }
    }

    /// Zooms by `factor` keeping the world point under screen point `at` in place.
    pub(crate) fn zoomed_at(&self, factor: f64, at: Point) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let world = self.to_world(at);
        Viewport {
            x: at.x - world.x * zoom,
            y: at.y - world.y * zoom,
            zoom,
        }
    }

    /// The world rectangle visible in a canvas of `size`.
    pub fn visible(&self, size: Point) -> Rect {
        let a = self.to_world(Point::new(0.0, 0.0));
        let b = self.to_world(size);
        Rect::from_corners(a, b)
    }

    /// The view that shows all of `bounds` in a canvas of `size` (never zoomed in beyond 100%).
    pub fn fit(bounds: Rect, size: Point) -> Viewport {
        if size.x <= 0.0 || size.y <= 0.0 {
            return Viewport {
                x: FIT_MARGIN - bounds.x,
                y: FIT_MARGIN - bounds.y,
                zoom: 1.0,
            };
        }
        let zx = (size.x - 2.0 * FIT_MARGIN).max(1.0) / bounds.w.max(1.0);
        let zy = (size.y - 2.0 * FIT_MARGIN).max(1.0) / bounds.h.max(1.0);
        let zoom = zx.min(zy).clamp(MIN_ZOOM, 1.0);
        let c = bounds.center();
        Viewport {
            x: size.x / 2.0 - c.x * zoom,
            y: size.y / 2.0 - c.y * zoom,
            zoom,
        }
    }

    /// The view with world point `world` at the centre of a canvas of `size`, same zoom.
    pub fn centered_on(&self, world: Point, size: Point) -> Viewport {
        Viewport {
            x: size.x / 2.0 - world.x * self.zoom,
            y: size.y / 2.0 - world.y * self.zoom,
            zoom: self.zoom,
        }
    }

    /// Whether the numbers are usable (a corrupt autosave could hold anything).
    pub(crate) fn is_sane(&self) -> bool {
        self.x.is_finite()
            && self.y.is_finite()
            && self.zoom.is_finite()
            && (MIN_ZOOM..=MAX_ZOOM).contains(&self.zoom)
    }
}

/// Rounds to the nearest grid line.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

#[cfg(test)]
mod tests {
    use super::{snap, Point, Rect, Viewport};

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = Viewport {
            x: 13.0,
            y: -7.0,
            zoom: 0.8,
        };
        let at = Point::new(300.0, 200.0);
        let before = v.to_world(at);
        let z = v.zoomed_at(1.25, at);
        let after = z.to_world(at);
        assert!((before.x - after.x).abs() < 1e-9 && (before.y - after.y).abs() < 1e-9);
        assert!((z.zoom - 1.0).abs() < 1e-9);
    }

    #[test]
    fn fit_shows_everything_and_centres_it() {
        let bounds = Rect {
            x: -500.0,
            y: 0.0,
            w: 2000.0,
            h: 1000.0,
        };
        let size = Point::new(1000.0, 600.0);
        let v = Viewport::fit(bounds, size);
        let seen = v.visible(size);
        assert!(seen.x <= bounds.x && seen.x + seen.w >= bounds.x + bounds.w);
        assert!(seen.y <= bounds.y && seen.y + seen.h >= bounds.y + bounds.h);
        let c = v.to_screen(bounds.center());
        assert!((c.x - 500.0).abs() < 1e-9 && (c.y - 300.0).abs() < 1e-9);
    }

    #[test]
    fn snapping_rounds_to_the_grid() {
        assert_eq!(snap(29.0), 20.0);
        assert_eq!(snap(31.0), 40.0);
        assert_eq!(snap(-11.0), -20.0);
    }
}
