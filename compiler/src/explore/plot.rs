//! SVG plots of an exploration: throughput against LUTs and against DSP slices with the
//! part's capacity marked, and accuracy against density and bit width.
//!
//! The plots are made to be read as figures. Tick positions are chosen here ([`ticks`]): on
//! log axes every integer, 1-2-5 or powers of ten per decade, the densest whose labels keep
//! apart at the axis's length and font size, labelled compactly (`60 k`, `1 M`) and never
//! twice. Series differ in colour and marker shape together ([`style`]), dense designs'
//! lines dashed and sparse ones solid. Markers are hollow and every line is drawn before any
//! marker, so neither a later series nor a line hides a marker; the shapes alternate large
//! and small along the series, so where neighbouring series (differing in one bit width or
//! density) coincide, the small marker sits inside the large one. The legend is a column (or
//! several) right of the chart, sized to its entries, never over the data.

mod legend;
mod style;
mod ticks;

use super::Row;
use crate::target::Device;
use legend::Legend;
use plotters::coord::combinators::{BindKeyPoints, LogCoord, WithKeyPoints};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use style::Style;

/// Why a plot was not written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// plotters could not draw it.
    #[error("{}: {source}", .path.display())]
    Draw { path: PathBuf, source: DrawError },
    /// The drawn file could not be written.
    #[error("{}", .0.render(false))]
    Write(crate::Failure),
}

/// What plotters reports while drawing an SVG into a string.
pub type DrawError = DrawingAreaErrorKind<std::io::Error>;

/// plotters' SVG backend writes a font's size divided by this as `font-size`; the sizes
/// below are the SVG's pixels.
const SVG_FONT_SCALE: f64 = 1.24;
const TITLE_FONT: f64 = 18.0;
const AXIS_FONT: f64 = 16.0;
const TICK_FONT: f64 = 14.0;

/// The chart (title, axes, plotting area) in pixels; the legend is added to its right.
const CHART: (u32, u32) = (660, 480);
/// The band above the plotting area that holds the title, and where the title starts.
const TITLE_BAND: u32 = 48;
const TITLE_TOP: i32 = 14;
const MARGIN: u32 = 10;
/// Room right of the plotting area for the last x label to reach into.
const RIGHT_MARGIN: u32 = 28;
const X_LABEL_AREA: u32 = 56;
const Y_LABEL_AREA: u32 = 100;
const PLOT_LEFT: u32 = MARGIN + Y_LABEL_AREA;
const PLOT_WIDTH: u32 = CHART.0 - PLOT_LEFT - RIGHT_MARGIN;
const PLOT_HEIGHT: u32 = CHART.1 - TITLE_BAND - X_LABEL_AREA - MARGIN;

fn font(px: f64) -> FontDesc<'static> {
    ("sans-serif", px * SVG_FONT_SCALE).into_font()
}

/// The most a text can be wide in pixels at font size `px`: 0.6 em per character.
fn text_width(text: &str, px: f64) -> f64 {
    0.6 * px * text.chars().count() as f64
}

/// Where the x axis's labels go: across the plotting area, the last one reaching at most
/// into the right margin.
fn across() -> ticks::Space {
    ticks::Space {
        pixels: PLOT_WIDTH as f64,
        font: TICK_FONT,
        horizontal: true,
        overhang: (RIGHT_MARGIN - 4) as f64,
    }
}

/// Where the y axis's labels go: up the plotting area.
fn up() -> ticks::Space {
    ticks::Space {
        pixels: PLOT_HEIGHT as f64,
        font: TICK_FONT,
        horizontal: false,
        overhang: TICK_FONT / 2.0,
    }
}

fn log_axis(lo: f64, hi: f64, space: ticks::Space) -> WithKeyPoints<LogCoord<f64>> {
    let t = ticks::log(lo, hi, space);
    (lo..hi)
        .log_scale()
        .with_key_points(t.major)
        .with_light_points(t.minor)
}

/// A linear axis with its ticks (plotters' `WithKeyPoints` over its linear coordinates
/// loses the default label formatting that the mesh requires).
struct Linear {
    coord: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Linear {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.coord.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.coord.range()
    }
}

fn linear_axis(lo: f64, hi: f64, space: ticks::Space) -> Linear {
    Linear {
        coord: (lo..hi).into(),
        ticks: ticks::linear(lo, hi, space),
    }
}

/// A series as drawn: its legend entry, its points and its style.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
    style: Style,
}

/// The figure at `path`: `title` over the chart of `series` on axes `x` and `y` (each with
/// its description), every line before any marker, and the legend to the right. The file is
/// written whole or not at all.
fn figure<X, Y>(
    path: &Path,
    title: &str,
    x: (X, &str),
    y: (Y, &str),
    series: &[Series],
) -> Result<(), PlotError>
where
    X: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
    Y: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
{
    let mut svg = String::new();
    draw_figure(&mut svg, title, x, y, series).map_err(|source| PlotError::Draw {
        path: path.to_path_buf(),
        source,
    })?;
    crate::files::write_atomic(path, svg.as_bytes(), true).map_err(PlotError::Write)
}

fn draw_figure<X, Y>(
    svg: &mut String,
    title: &str,
    (x, x_desc): (X, &str),
    (y, y_desc): (Y, &str),
    series: &[Series],
) -> Result<(), DrawError>
where
    X: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
    Y: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
{
    let legend = Legend::new(series);
    let width = CHART.0 + legend.width + MARGIN;
    let root = SVGBackend::with_string(svg, (width, CHART.1)).into_drawing_area();
    root.fill(&WHITE)?;
    let (chart_area, legend_area) = root.split_horizontally(CHART.0);
    let mut chart = ChartBuilder::on(&chart_area)
        .margin_top(TITLE_BAND)
        .margin_left(MARGIN)
        .margin_right(RIGHT_MARGIN)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(x, y)?;
    debug_assert_eq!(
        chart.plotting_area().get_pixel_range(),
        (
            PLOT_LEFT as i32..(PLOT_LEFT + PLOT_WIDTH) as i32,
            TITLE_BAND as i32..(TITLE_BAND + PLOT_HEIGHT) as i32
        ),
        "the ticks were chosen for this plotting area"
    );
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| ticks::label(*v))
        .y_label_formatter(&|v| ticks::label(*v))
        .label_style(font(TICK_FONT))
        .axis_desc_style(font(AXIS_FONT))
        .bold_line_style(BLACK.mix(0.15))
        .light_line_style(BLACK.mix(0.05))
        .draw()?;
    // Drawn on the root in its pixels, where the chart puts each point.
    let pixels = |points: &[(f64, f64)]| -> Vec<(i32, i32)> {
        points.iter().map(|p| chart.backend_coord(p)).collect()
    };
    for s in series.iter().filter(|s| !s.points.is_empty()) {
        s.style.draw_line(&root, pixels(&s.points))?;
    }
    for s in series {
        for p in pixels(&s.points) {
            s.style.draw_mark(&root, p)?;
        }
    }
    // Centred over the plotting area, as far as the canvas allows.
    let half = text_width(title, TITLE_FONT) / 2.0;
    let centre = ((PLOT_LEFT + PLOT_WIDTH / 2) as f64)
        .min(width as f64 - MARGIN as f64 - half)
        .max(MARGIN as f64 + half);
    let title_style = TextStyle::from(font(TITLE_FONT)).pos(Pos::new(HPos::Center, VPos::Top));
    root.draw_text(title, &title_style, (centre as i32, TITLE_TOP))?;
    legend.draw(&legend_area)?;
    root.present()
}

/// The order of series: sparse before dense, then by density and bit width.
type SeriesKey = (bool, Option<u64>, Option<u64>);

/// A row's throughput series (its kind, density and bit width): its key and name.
fn series(r: &Row) -> (SeriesKey, String) {
    let bits = bits_name(r.point.bits);
    let key = (
        r.point.dense,
        r.point.density.map(|d| (d * 1e6).round() as u64),
        r.point.bits,
    );
    let name = match (r.point.dense, r.point.density) {
        (true, _) => format!("dense, {bits}"),
        (false, Some(d)) => format!("sparse d{d}, {bits}"),
        (false, None) => format!("sparse, {bits}"),
    };
    (key, name)
}

fn bits_name(bits: Option<u64>) -> String {
    bits.map_or("model's bits".into(), |b| format!("{b} bits"))
}

/// The least and the greatest of `values` divided and multiplied by `pad`.
fn padded(values: impl Iterator<Item = f64> + Clone, pad: f64) -> (f64, f64) {
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    (lo / pad, hi * pad)
}

/// Throughput (inputs per second) against a resource, both on log scales, one series per
/// kind, density and bit width, with the part's capacity as a vertical line. A series whose
/// designs use none of the resource cannot be drawn on the log axis: its legend entry says so.
pub fn throughput(
    path: &Path,
    model: &str,
    rows: &[Row],
    resource: &str,
    capacity: u64,
    value: impl Fn(&Row) -> Option<u64>,
) -> Result<(), PlotError> {
    let mut groups: BTreeMap<SeriesKey, (String, Vec<(f64, f64)>)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.error.is_none()) {
        if let (Some(x), Some(y)) = (value(r), r.inputs_per_second()) {
            let (key, name) = series(r);
            groups
                .entry(key)
                .or_insert((name, Vec::new()))
                .1
                .push((x as f64, y));
        }
    }
    let points: Vec<(f64, f64)> = groups.values().flat_map(|g| g.1.iter().copied()).collect();
    if points.is_empty() {
        return Ok(());
    }
    let xs = points.iter().map(|p| p.0).filter(|&x| x > 0.0);
    let (x_lo, x_hi) = padded(xs.chain([capacity as f64]), 1.5);
    let (y_lo, y_hi) = padded(points.iter().map(|p| p.1), 2.0);
    let (x_lo, y_lo, y_hi) = (x_lo.max(1.0 / 1.5), y_lo.max(1.0), y_hi.max(2.0));
    let mut drawn = vec![Series {
        name: format!("capacity ({capacity})"),
        points: vec![(capacity as f64, y_lo), (capacity as f64, y_hi)],
        style: Style::reference(),
    }];
    for (i, ((dense, _, _), (name, mut pts))) in groups.into_iter().enumerate() {
        pts.retain(|p| p.0 > 0.0);
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        drawn.push(Series {
            name: if pts.is_empty() {
                format!("{name} (no {resource})")
            } else {
                name
            },
            points: pts,
            style: Style::series(i, dense),
        });
    }
    figure(
        path,
        &format!("{model}: throughput against {resource}"),
        (
            log_axis(x_lo, x_hi, across()),
            &format!("{resource} (log scale)"),
        ),
        (log_axis(y_lo, y_hi, up()), "inputs per second (log scale)"),
        &drawn,
    )
}

/// Test accuracy against density (the dense network at 1) on a log scale, one series per
/// bit width.
pub fn accuracy(path: &Path, model: &str, rows: &[Row]) -> Result<(), PlotError> {
    let mut groups: BTreeMap<Option<u64>, Vec<(f64, f64)>> = BTreeMap::new();
    for r in rows {
        // The dense network is density 1.
        let density = if r.point.dense {
            Some(1.0)
        } else {
            r.point.density
        };
        if let (Some(d), Some(a)) = (density, r.accuracy) {
            groups.entry(r.point.bits).or_default().push((d, 100.0 * a));
        }
    }
    if groups.is_empty() {
        return Ok(());
    }
    let (x_lo, x_hi) = padded(groups.values().flatten().map(|p| p.0), 1.5);
    let drawn: Vec<Series> = groups
        .into_iter()
        .enumerate()
        .map(|(i, (bits, mut pts))| {
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            Series {
                name: bits_name(bits),
                points: pts,
                style: Style::series(i, false),
            }
        })
        .collect();
    figure(
        path,
        &format!("{model}: test accuracy against density"),
        (
            log_axis(x_lo, x_hi, across()),
            "density (edges / dense edges, log scale)",
        ),
        (linear_axis(0.0, 100.0, up()), "test accuracy (%)"),
        &drawn,
    )
}

/// The plots of `rows` of `model` for `device`, written into `dir`: the files written.
pub fn all(
    dir: &Path,
    model: &str,
    rows: &[Row],
    device: &Device,
) -> Result<Vec<String>, PlotError> {
    let mut written = Vec::new();
    let luts = dir.join("throughput_vs_luts.svg");
    throughput(&luts, model, rows, "LUTs", device.luts, |r| {
        r.resources().map(|x| x.luts)
    })?;
    let dsps = dir.join("throughput_vs_dsps.svg");
    throughput(&dsps, model, rows, "DSP48E1 slices", device.dsp48e1, |r| {
        r.resources().map(|x| x.dsp48e1)
    })?;
    written.extend(["throughput_vs_luts.svg", "throughput_vs_dsps.svg"].map(String::from));
    if rows.iter().any(|r| r.accuracy.is_some()) {
        accuracy(&dir.join("accuracy_vs_density.svg"), model, rows)?;
        written.push("accuracy_vs_density.svg".into());
    }
    Ok(written)
}
