//! `snnc explore`'s SVG plots read as figures. Each plot's `<text>` elements (plotters writes
//! x, y, font-size, text-anchor, dy and any rotation) are given boxes estimated
//! conservatively (0.6 em per character); tick labels are the texts at the axes' tick marks.
//! On every axis there are at least two tick labels, none repeats and none overlaps another;
//! no two texts overlap, none leaves the canvas, and the legend lies outside the plotting
//! area (the box of the mesh lines).

mod common;

use std::collections::HashSet;

/// One SVG element: its name, attributes and, for `<text>`, its text.
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn number(&self, key: &str) -> f64 {
        let value = self
            .get(key)
            .unwrap_or_else(|| panic!("<{}> without {key}", self.name));
        value
            .parse()
            .unwrap_or_else(|_| panic!("<{}> {key}={value:?} is not a number", self.name))
    }

    /// The points of a `<polyline>`.
    fn points(&self) -> Vec<(f64, f64)> {
        self.get("points")
            .unwrap_or_default()
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',').expect("a point x,y");
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The `key="value"` pairs of a tag.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].trim().to_string();
        let value = &rest[eq + 2..];
        let close = value.find('"').expect("a closed attribute value");
        pairs.push((key, unescape(&value[..close])));
        rest = &value[close + 1..];
    }
    pairs
}

/// The elements of `svg` in order (no nesting but `<text>`'s content).
fn elements(svg: &str) -> Vec<Element> {
    let mut found = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("a closed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with(['/', '?', '!']) {
            continue;
        }
        let tag = tag.strip_suffix('/').unwrap_or(tag);
        let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        let mut text = String::new();
        if name == "text" {
            let close = rest.find("</text>").expect("a closed <text>");
            text = unescape(rest[..close].trim());
            rest = &rest[close..];
        }
        found.push(Element {
            name: name.to_string(),
            attributes: attributes(attrs),
            text,
        });
    }
    found
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Rect {
        let empty = Rect {
            left: f64::INFINITY,
            top: f64::INFINITY,
            right: f64::NEG_INFINITY,
            bottom: f64::NEG_INFINITY,
        };
        points.into_iter().fold(empty, |r, (x, y)| Rect {
            left: r.left.min(x),
            top: r.top.min(y),
            right: r.right.max(x),
            bottom: r.bottom.max(y),
        })
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn within(&self, other: &Rect) -> bool {
        self.left >= other.left
            && self.right <= other.right
            && self.top >= other.top
            && self.bottom <= other.bottom
    }
}

/// A text as drawn: where it is anchored and the box it covers at most.
#[derive(Clone, Debug)]
struct Label {
    text: String,
    x: f64,
    y: f64,
    rotated: bool,
    bounds: Rect,
}

/// The angle of a `rotate(angle, x, y)` transform, in degrees.
fn rotation(transform: &str) -> f64 {
    let inner = transform
        .strip_prefix("rotate(")
        .and_then(|t| t.split(',').next())
        .unwrap_or_else(|| panic!("unexpected transform {transform:?}"));
    inner.trim().parse().expect("a rotation angle")
}

fn label(e: &Element) -> Label {
    let size = e.number("font-size");
    let width = 0.6 * size * e.text.chars().count() as f64;
    let (x, y) = (e.number("x"), e.number("y"));
    let left = match e.get("text-anchor") {
        Some("middle") => -width / 2.0,
        Some("end") => -width,
        _ => 0.0,
    };
    // `dy` moves the text from its anchor: top (0.76em), centre (0.5ex) or bottom (-0.5ex).
    let top = match e.get("dy") {
        Some("0.76em") => 0.0,
        Some("0.5ex") => -size / 2.0,
        Some("-0.5ex") => -size,
        _ => -0.8 * size,
    };
    let angle = e.get("transform").map_or(0.0, rotation).to_radians();
    let corners = [
        (left, top),
        (left + width, top),
        (left, top + size),
        (left + width, top + size),
    ];
    let bounds = Rect::around(corners.map(|(dx, dy)| {
        (
            x + dx * angle.cos() - dy * angle.sin(),
            y + dx * angle.sin() + dy * angle.cos(),
        )
    }));
    Label {
        text: e.text.clone(),
        x,
        y,
        rotated: e.get("transform").is_some(),
        bounds,
    }
}

/// A plot's texts sorted by role.
struct Figure {
    canvas: Rect,
    plotting_area: Rect,
    x_ticks: Vec<Label>,
    y_ticks: Vec<Label>,
    legend: Vec<Label>,
    texts: Vec<Label>,
}

/// Whether a text is a legend entry: a series name (each names a bit width) or the capacity.
fn is_legend_entry(text: &str) -> bool {
    text.contains(" bits") || text.starts_with("capacity")
}

fn figure(svg: &str) -> Figure {
    let elements = elements(svg);
    let root = elements.iter().find(|e| e.name == "svg").expect("<svg>");
    let canvas = Rect {
        left: 0.0,
        top: 0.0,
        right: root.number("width"),
        bottom: root.number("height"),
    };
    // plotters draws the mesh, and only the mesh, as <line> elements across the plotting area.
    let plotting_area = Rect::around(elements.iter().filter(|e| e.name == "line").flat_map(|e| {
        [
            (e.number("x1"), e.number("y1")),
            (e.number("x2"), e.number("y2")),
        ]
    }));
    assert!(
        plotting_area.right > plotting_area.left && plotting_area.bottom > plotting_area.top,
        "no mesh lines"
    );
    // Tick marks: short two-point polylines pointing out of the plotting area.
    let marks: Vec<Vec<(f64, f64)>> = elements
        .iter()
        .filter(|e| e.name == "polyline")
        .map(Element::points)
        .filter(|p| p.len() == 2)
        .filter(|p| (p[0].0 - p[1].0).abs() + (p[0].1 - p[1].1).abs() <= 12.0)
        .collect();
    let x_marks: Vec<f64> = marks
        .iter()
        .filter(|p| p[0].0 == p[1].0 && p[0].1.min(p[1].1) >= plotting_area.bottom - 1.0)
        .filter(|p| p[0].1.max(p[1].1) > plotting_area.bottom + 1.0)
        .map(|p| p[0].0)
        .collect();
    let y_marks: Vec<f64> = marks
        .iter()
        .filter(|p| p[0].1 == p[1].1 && p[0].0.max(p[1].0) <= plotting_area.left + 1.0)
        .filter(|p| p[0].0.min(p[1].0) < plotting_area.left - 1.0)
        .map(|p| p[0].1)
        .collect();
    let texts: Vec<Label> = elements
        .iter()
        .filter(|e| e.name == "text")
        .map(label)
        .collect();
    let at_mark = |marks: &[f64], along: fn(&Label) -> f64, across: &dyn Fn(&Label) -> bool| {
        texts
            .iter()
            .filter(|t| !t.rotated && across(t))
            .filter(|t| marks.iter().any(|m| (along(t) - m).abs() < 0.5))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (bottom, left) = (plotting_area.bottom, plotting_area.left);
    let x_ticks = at_mark(&x_marks, |t| t.x, &|t| t.y > bottom && t.y < bottom + 30.0);
    let y_ticks = at_mark(&y_marks, |t| t.y, &|t| t.x < left && t.x > left - 30.0);
    let legend = texts
        .iter()
        .filter(|t| is_legend_entry(&t.text))
        .cloned()
        .collect();
    Figure {
        canvas,
        plotting_area,
        x_ticks,
        y_ticks,
        legend,
        texts,
    }
}

/// The readability rules, for the plot `name` with `legend_entries` entries in its legend.
fn check(name: &str, svg: &str, legend_entries: usize) {
    let f = figure(svg);
    for (axis, ticks) in [("x", &f.x_ticks), ("y", &f.y_ticks)] {
        let texts: Vec<&str> = ticks.iter().map(|t| t.text.as_str()).collect();
        assert!(ticks.len() >= 2, "{name}: {axis} axis labels {texts:?}");
        let distinct: HashSet<&str> = texts.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{name}: {axis} axis repeats a label: {texts:?}"
        );
        for (i, a) in ticks.iter().enumerate() {
            for b in &ticks[i + 1..] {
                assert!(
                    !a.bounds.overlaps(&b.bounds),
                    "{name}: {axis} axis labels {:?} and {:?} overlap",
                    a.text,
                    b.text
                );
            }
        }
    }
    let legend: Vec<&str> = f.legend.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(legend.len(), legend_entries, "{name}: legend {legend:?}");
    for entry in &f.legend {
        assert!(
            !entry.bounds.overlaps(&f.plotting_area),
            "{name}: legend entry {:?} at {:?} is inside the plotting area {:?}",
            entry.text,
            entry.bounds,
            f.plotting_area
        );
    }
    for (i, a) in f.texts.iter().enumerate() {
        assert!(
            a.bounds.within(&f.canvas),
            "{name}: {:?} at {:?} leaves the canvas {:?}",
            a.text,
            a.bounds,
            f.canvas
        );
        for b in &f.texts[i + 1..] {
            assert!(
                !a.bounds.overlaps(&b.bounds),
                "{name}: {:?} and {:?} overlap",
                a.text,
                b.text
            );
        }
    }
}

/// Runs `snnc explore` on the tiny model with `args` into a temporary directory and checks
/// each plot of `plots` (file name and its number of legend entries).
fn explore_and_check(args: &[&str], plots: &[(&str, usize)]) {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("explore");
    let model = common::testsuite().join("models/tiny.snn");
    let mut all = vec!["explore", model.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend(["-o", out_dir.to_str().unwrap()]);
    let out = common::snnc(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (file, legend_entries) in plots {
        let svg =
            std::fs::read_to_string(out_dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        check(file, &svg, *legend_entries);
    }
}

fn data(dir: &str) -> String {
    common::testsuite().join(dir).display().to_string()
}

#[test]
fn one_design_point_labels_both_log_axes() {
    // One series and the capacity line; each axis spans a short range around one point.
    explore_and_check(
        &[],
        &[("throughput_vs_luts.svg", 2), ("throughput_vs_dsps.svg", 2)],
    );
}

#[test]
fn many_series_keep_labels_apart_and_the_legend_outside() {
    // Seven bit widths at two densities and dense: 21 series and the capacity line.
    explore_and_check(
        &[
            "--bits",
            "6,8,10,12,16,24,32",
            "--density",
            "0.25,0.5",
            "--dense",
        ],
        &[
            ("throughput_vs_luts.svg", 22),
            ("throughput_vs_dsps.svg", 22),
        ],
    );
}

#[test]
fn accuracy_plot_keeps_labels_apart_and_the_legend_outside() {
    explore_and_check(
        &[
            "--bits",
            "8,16",
            "--density",
            "0.25,0.5",
            "--dense",
            "--train-on",
            &data("data/tiny"),
        ],
        &[
            ("accuracy_vs_density.svg", 2),
            ("throughput_vs_luts.svg", 7),
            ("throughput_vs_dsps.svg", 7),
        ],
    );
}
