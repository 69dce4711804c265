//! How a series is drawn: a colour from seven of the Okabe–Ito colour-blind-safe palette and
//! one of eight hollow marker shapes, both cycling with the series (7 and 8 are coprime, so
//! 56 series differ in colour or shape); the shapes alternate large and small, so that where
//! neighbouring series coincide one marker sits inside the other; lines solid or dashed.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Okabe and Ito's palette without its yellow (too pale on white), the paler colours last.
const COLORS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(0, 0, 0),       // black
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
];

/// The grey of reference lines (the part's capacity).
const REFERENCE: RGBColor = RGBColor(128, 128, 128);

/// The radii of large and small markers, in pixels.
const LARGE: f64 = 7.0;
const SMALL: f64 = 5.0;

/// The dash and gap of a dashed line, in pixels.
const DASH: (i32, i32) = (8, 4);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Marker {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Cross,
    Star,
    Plus,
}

/// The shapes in series order: large and small in turn.
const MARKERS: [Marker; 8] = [
    Marker::Circle,
    Marker::Square,
    Marker::TriangleUp,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
    Marker::Star,
    Marker::Plus,
];

/// The corners of a polygon around the origin: `radii` in turn, starting at `start` degrees
/// (clockwise from the right, y pointing down) and `360 / count` degrees apart.
fn polygon(count: usize, radii: &[f64], start: f64) -> Vec<(i32, i32)> {
    (0..count)
        .map(|k| {
            let angle = (start + 360.0 * k as f64 / count as f64).to_radians();
            let r = radii[k % radii.len()];
            (
                (r * angle.cos()).round() as i32,
                (r * angle.sin()).round() as i32,
            )
        })
        .collect()
}

/// A closed outline through `corners`, starting and ending halfway along its last side so
/// that no corner is a line's end.
fn closed(corners: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    let (first, last) = (corners[0], corners[corners.len() - 1]);
    let middle = ((first.0 + last.0) / 2, (first.1 + last.1) / 2);
    std::iter::once(middle)
        .chain(corners)
        .chain(std::iter::once(middle))
        .collect()
}

impl Marker {
    /// The radius of the shape's circumscribed circle, in pixels.
    fn radius(self) -> f64 {
        match self {
            Marker::Circle | Marker::TriangleUp | Marker::TriangleDown | Marker::Star => LARGE,
            Marker::Square | Marker::Diamond | Marker::Cross | Marker::Plus => SMALL,
        }
    }

    /// The marker's outline in `color`, centred at pixel `at` of `area`.
    fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        color: RGBColor,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let stroke = color.stroke_width(2);
        let path = |offsets: Vec<(i32, i32)>| {
            let points = offsets.into_iter().map(|(dx, dy)| (x + dx, y + dy));
            area.draw(&PathElement::new(points.collect::<Vec<_>>(), stroke))
        };
        let r = self.radius();
        // The cross and the plus: the diagonals of a square.
        let diagonals = |start| {
            let c = polygon(4, &[r], start);
            path(vec![c[0], c[2]])?;
            path(vec![c[1], c[3]])
        };
        match self {
            Marker::Circle => area.draw(&Circle::new((x, y), r.round() as u32, stroke)),
            Marker::Square => path(closed(polygon(4, &[r], 45.0))),
            Marker::TriangleUp => path(closed(polygon(3, &[r], -90.0))),
            Marker::Diamond => path(closed(polygon(4, &[r], -90.0))),
            Marker::TriangleDown => path(closed(polygon(3, &[r], 90.0))),
            Marker::Cross => diagonals(45.0),
            Marker::Plus => diagonals(0.0),
            Marker::Star => path(closed(polygon(10, &[r, 0.45 * r], -90.0))),
        }
    }
}

/// How one series, or a reference line, is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    color: RGBColor,
    marker: Option<Marker>,
    width: u32,
    dashed: bool,
}

impl Style {
    /// Series `index` of a plot: its colour and its marker cycle independently.
    pub fn series(index: usize, dashed: bool) -> Style {
        Style {
            color: COLORS[index % COLORS.len()],
            marker: Some(MARKERS[index % MARKERS.len()]),
            width: 2,
            dashed,
        }
    }

    /// A reference line: thick, grey, unmarked.
    pub fn reference() -> Style {
        Style {
            color: REFERENCE,
            marker: None,
            width: 3,
            dashed: false,
        }
    }

    /// The line through pixels `points` of `area`, solid or dashed.
    pub fn draw_line<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        points: Vec<(i32, i32)>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let stroke = self.color.stroke_width(self.width);
        if self.dashed {
            area.draw(&DashedPathElement::new(points, DASH.0, DASH.1, stroke))
        } else {
            area.draw(&PathElement::new(points, stroke))
        }
    }

    /// The series' marker, if it has one, at pixel `at` of `area`.
    pub fn draw_mark<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        at: (i32, i32),
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        match self.marker {
            Some(shape) => shape.draw(area, at, self.color),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_six_series_differ_in_colour_or_marker() {
        let styles: Vec<Style> = (0..56).map(|i| Style::series(i, false)).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert!(a.color != b.color || a.marker != b.marker);
            }
        }
    }

    #[test]
    fn neighbouring_series_have_large_and_small_markers() {
        let radius = |i| Style::series(i, false).marker.unwrap().radius();
        assert!((1..16).all(|i| radius(i) != radius(i - 1)));
    }
}
