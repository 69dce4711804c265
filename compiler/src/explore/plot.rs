//! SVG plots of an exploration: throughput against LUTs and against DSP slices with the
//! part's capacity marked, and accuracy against density and bit width.

use super::table::si;
use super::Row;
use crate::target::Device;
use plotters::coord::CoordTranslate;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

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

/// The colour of series `i`: six distinct ones, then the 99-colour palette.
fn color(i: usize) -> RGBColor {
    COLORS.get(i).copied().unwrap_or_else(|| {
        let (r, g, b) = Palette99::pick(i).rgb();
        RGBColor(r, g, b)
    })
}

/// Throughput (inputs per second) against a resource, both on log scales, one series per
/// kind, density and bit width, with the part's capacity as a vertical line.
pub fn throughput(
    path: &Path,
    model: &str,
    rows: &[Row],
    resource: &str,
    capacity: u64,
    value: impl Fn(&Row) -> Option<u64>,
) -> Result<(), String> {
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
    let x_max = points.iter().map(|p| p.0).fold(capacity as f64, f64::max) * 1.5;
    let x_min = points
        .iter()
        .map(|p| p.0)
        .fold(capacity as f64, f64::min)
        .max(1.0)
        / 1.5;
    let y_max = points.iter().map(|p| p.1).fold(1.0, f64::max) * 2.0;
    let y_min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) / 2.0;
    let root = SVGBackend::new(path, (800, 520)).into_drawing_area();
    let draw = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| draw(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{model}: throughput against {resource}"),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(
            (x_min..x_max).log_scale(),
            (y_min.max(1.0)..y_max).log_scale(),
        )
        .map_err(|e| draw(&e))?;
    chart
        .configure_mesh()
        .x_desc(format!("{resource} (log scale)"))
        .y_desc("inputs per second")
        .x_label_formatter(&|x| si(*x))
        .y_label_formatter(&|y| si(*y))
        .draw()
        .map_err(|e| draw(&e))?;
    chart
        .draw_series(LineSeries::new(
            [(capacity as f64, y_min.max(1.0)), (capacity as f64, y_max)],
            BLACK.stroke_width(2),
        ))
        .map_err(|e| draw(&e))?
        .label(format!("capacity ({capacity})"))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    for (i, (name, mut pts)) in groups.into_values().enumerate() {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let color = color(i);
        let dense = name.starts_with("dense");
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(1)))
            .map_err(|e| draw(&e))?;
        let marks = chart
            .draw_series(pts.iter().map(|&p| {
                if dense {
                    Cross::new(p, 5, color.stroke_width(2)).into_dyn()
                } else {
                    Circle::new(p, 4, color.filled()).into_dyn()
                }
            }))
            .map_err(|e| draw(&e))?;
        marks.label(name).legend(move |(x, y)| {
            if dense {
                Cross::new((x + 10, y), 5, color.stroke_width(2)).into_dyn()
            } else {
                Circle::new((x + 10, y), 4, color.filled()).into_dyn()
            }
        });
    }
    legend(&mut chart).map_err(|e| draw(&e))?;
    root.present().map_err(|e| draw(&e))
}

/// The series' legend, in the lower right corner (where throughput and accuracy plots
/// have the fewest points).
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
}

/// Test accuracy against density (the dense network at 1), one series per bit width.
pub fn accuracy(path: &Path, model: &str, rows: &[Row]) -> Result<(), String> {
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
    let x_max = groups.values().flatten().map(|p| p.0).fold(0.0, f64::max) * 1.1;
    let root = SVGBackend::new(path, (800, 520)).into_drawing_area();
    let draw = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| draw(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{model}: test accuracy against density"),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..x_max, 0f64..100f64)
        .map_err(|e| draw(&e))?;
    chart
        .configure_mesh()
        .x_desc("density (edges / dense edges)")
        .y_desc("test accuracy (%)")
        .draw()
        .map_err(|e| draw(&e))?;
    for (i, (bits, mut pts)) in groups.into_iter().enumerate() {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let color = color(i);
        let name = bits_name(bits);
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(|e| draw(&e))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
            .map_err(|e| draw(&e))?;
    }
    legend(&mut chart).map_err(|e| draw(&e))?;
    root.present().map_err(|e| draw(&e))
}

/// The plots of `rows` of `model` for `device`, written into `dir`: the files written.
pub fn all(dir: &Path, model: &str, rows: &[Row], device: &Device) -> Result<Vec<String>, String> {
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
