//! The legend: a frame right of the chart holding each series' line sample, marker and
//! name, in as many columns as the chart's height needs, each as wide as its widest entry.

use super::{font, text_width, Series, PLOT_HEIGHT, TITLE_BAND, X_LABEL_AREA};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The entries' font size in pixels.
const FONT: f64 = 14.0;

/// A legend entry's height, the legend's padding and the width of an entry's line sample.
const ROW: i32 = 22;
const PAD: i32 = 8;
const SAMPLE: i32 = 32;

/// The legend's layout: its entries in columns of `rows` rows, each `column` pixels wide.
pub struct Legend<'a> {
    entries: &'a [Series],
    rows: usize,
    column: i32,
    pub width: u32,
}

impl<'a> Legend<'a> {
    /// As many columns as the entries need between the plotting area's top and the chart's
    /// bottom, as wide as the widest entry.
    pub fn new(entries: &'a [Series]) -> Legend<'a> {
        let room = (PLOT_HEIGHT + X_LABEL_AREA) as i32 - 2 * PAD;
        let most_rows = (room / ROW) as usize;
        let columns = entries.len().div_ceil(most_rows).max(1);
        let rows = entries.len().div_ceil(columns);
        let text = entries
            .iter()
            .map(|s| text_width(&s.name, FONT))
            .fold(0.0, f64::max);
        let column = 3 * PAD + SAMPLE + text.ceil() as i32;
        Legend {
            entries,
            rows,
            column,
            width: (columns as i32 * column) as u32,
        }
    }

    /// The legend in `area`, at the height of the plotting area's top.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let top = TITLE_BAND as i32;
        let bottom = top + 2 * PAD + self.rows as i32 * ROW;
        let frame = RGBColor(160, 160, 160).stroke_width(1);
        area.draw(&Rectangle::new(
            [(0, top), (self.width as i32, bottom)],
            frame,
        ))?;
        let text = TextStyle::from(font(FONT)).pos(Pos::new(HPos::Left, VPos::Center));
        for (k, s) in self.entries.iter().enumerate() {
            let x = (k / self.rows) as i32 * self.column + PAD;
            let y = top + PAD + (k % self.rows) as i32 * ROW + ROW / 2;
            s.style.draw_line(area, vec![(x, y), (x + SAMPLE, y)])?;
            s.style.draw_mark(area, (x + SAMPLE / 2, y))?;
            area.draw_text(&s.name, &text, (x + SAMPLE + PAD, y))?;
        }
        Ok(())
    }
}
