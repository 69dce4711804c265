//! Tick positions and labels of the plots' axes: the densest of a fixed series of steps whose
//! labels, at the axis's length in pixels and font size, keep apart; labels compact (`60 k`,
//! `1 M`, `0.05`), one per distinct value.

use super::text_width;

/// Where an axis's labels go: its length in pixels, its label font's size, whether it runs
/// across (labels side by side) or up (labels stacked), and how far a label may reach past
/// either end of the axis.
#[derive(Clone, Copy, Debug)]
pub struct Space {
    pub pixels: f64,
    pub font: f64,
    pub horizontal: bool,
    pub overhang: f64,
}

/// An axis's labelled values and the values of its lighter grid lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub major: Vec<f64>,
    pub minor: Vec<f64>,
}

/// A tick value's label: a k, M or G suffix from a thousand up, at most six decimals, no
/// trailing zeros.
pub fn label(value: f64) -> String {
    let (scaled, suffix) = [(1e9, " G"), (1e6, " M"), (1e3, " k")]
        .iter()
        .find(|(unit, _)| value.abs() >= *unit)
        .map_or((value, ""), |(unit, suffix)| (value / unit, *suffix));
    format!("{}{suffix}", (scaled * 1e6).round() / 1e6)
}

/// The extent of `value`'s label along the axis: its width across, its height up.
fn extent(value: f64, space: Space) -> f64 {
    if space.horizontal {
        text_width(&label(value), space.font)
    } else {
        space.font
    }
}

/// Whether the label of the tick at `pixel` stays within the axis's reach.
fn within_reach(value: f64, pixel: f64, space: Space) -> bool {
    let half = extent(value, space) / 2.0;
    pixel - half >= -space.overhang && pixel + half <= space.pixels + space.overhang
}

/// Whether the labels of `values` (in order, at `position` pixels along the axis) are at
/// least half an em apart.
fn apart(values: &[f64], position: impl Fn(f64) -> f64, space: Space) -> bool {
    values.windows(2).all(|w| {
        let needed = (extent(w[0], space) + extent(w[1], space)) / 2.0 + space.font / 2.0;
        position(w[1]) - position(w[0]) >= needed
    })
}

/// Ticks on a linear axis from `lo` to `hi` (no lighter grid lines).
pub fn linear(lo: f64, hi: f64, space: Space) -> Vec<f64> {
    steps(lo, hi, |v| space.pixels * (v - lo) / (hi - lo), space)
}

/// The multiples from `lo` to `hi` (at `position` pixels) of the smallest step of 1, 2 or 5
/// times a power of ten whose labels keep apart.
fn steps(lo: f64, hi: f64, position: impl Fn(f64) -> f64, space: Space) -> Vec<f64> {
    let smallest = (hi - lo).log10().floor() as i32 - 3;
    (smallest..)
        .flat_map(|exponent| [1, 2, 5].map(|mantissa| (mantissa, exponent)))
        .map(|(mantissa, exponent)| {
            let step = decimal(mantissa, exponent);
            let first = (lo / step).floor() as i64;
            let last = (hi / step).ceil() as i64;
            (first..=last)
                .map(|k| decimal(k * mantissa, exponent))
                .filter(|&v| (lo..=hi).contains(&v) && within_reach(v, position(v), space))
                .collect::<Vec<f64>>()
        })
        .find(|values| values.len() <= 1 || apart(values, &position, space))
        .expect("a step as long as the axis leaves at most one tick")
}

/// `digits` × 10^`exponent`, the double nearest the decimal.
fn decimal(digits: i64, exponent: i32) -> f64 {
    if exponent >= 0 {
        digits as f64 * 10f64.powi(exponent)
    } else {
        digits as f64 / 10f64.powi(-exponent)
    }
}

/// Ticks on a logarithmic axis from `lo` to `hi` (both positive): the densest of every
/// integer times a power of ten, then 1, 2 and 5 times, then powers of ten, then every
/// second, third, … power of ten, whose labels fit; linear ticks when fewer than two of
/// these lie on the axis. The light grid marks every integer times a power of ten where a
/// decade is long enough to hold them, else the powers of ten.
pub fn log(lo: f64, hi: f64, space: Space) -> Ticks {
    let position = |v: f64| space.pixels * (v / lo).ln() / (hi / lo).ln();
    let decades = lo.log10().floor() as i32..=hi.log10().ceil() as i32;
    let multiples = |mantissas: &[i64], every: i32| -> Vec<f64> {
        decades
            .clone()
            .filter(|e| e.rem_euclid(every) == 0)
            .flat_map(|e| mantissas.iter().map(move |&m| decimal(m, e)))
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    };
    let labelled = |mantissas: &[i64], every: i32| -> Vec<f64> {
        multiples(mantissas, every)
            .into_iter()
            .filter(|&v| within_reach(v, position(v), space))
            .collect()
    };
    let all: Vec<i64> = (1..=9).collect();
    let decade_pixels = space.pixels / (hi / lo).log10();
    let light = if decade_pixels >= 60.0 {
        &all[..]
    } else {
        &[1]
    };
    let with_grid = |major: Vec<f64>| Ticks {
        minor: multiples(light, 1)
            .into_iter()
            .filter(|v| !major.contains(v))
            .collect(),
        major,
    };
    for mantissas in [&all[..], &[1, 2, 5], &[1]] {
        let major = labelled(mantissas, 1);
        if major.len() < 2 {
            return with_grid(steps(lo, hi, position, space));
        }
        if apart(&major, position, space) {
            return with_grid(major);
        }
    }
    let mut every = 2;
    loop {
        let major = labelled(&[1], every);
        if major.len() < 2 || apart(&major, position, space) {
            return with_grid(major);
        }
        every += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn across(pixels: f64) -> Space {
        Space {
            pixels,
            font: 14.0,
            horizontal: true,
            overhang: 20.0,
        }
    }

    #[test]
    fn labels_are_compact_and_exact() {
        let labels: Vec<String> = [60e3, 1e6, 1.5e6, 0.05, 200.0, 2e9, 0.0]
            .map(label)
            .to_vec();
        assert_eq!(labels, ["60 k", "1 M", "1.5 M", "0.05", "200", "2 G", "0"]);
    }

    #[test]
    fn a_wide_log_axis_gets_one_two_five() {
        let ticks = log(700.0, 9e4, across(520.0));
        assert_eq!(ticks.major, [1e3, 2e3, 5e3, 1e4, 2e4, 5e4]);
        assert!(ticks.minor.contains(&3e3) && !ticks.minor.contains(&2e3));
    }

    #[test]
    fn a_crowded_log_axis_keeps_only_some_decades() {
        let ticks = log(1.0, 1e12, across(300.0));
        assert!(ticks.major.len() >= 2);
        let labels: Vec<String> = ticks.major.iter().map(|&v| label(v)).collect();
        assert!(labels.len() < 13, "{labels:?}");
    }

    #[test]
    fn a_short_log_axis_falls_back_to_linear_ticks() {
        let ticks = log(1.1, 1.9, across(500.0));
        assert!(ticks.major.len() >= 2, "{ticks:?}");
        assert!(ticks.major.iter().all(|v| (1.1..=1.9).contains(v)));
    }

    #[test]
    fn linear_ticks_are_round_and_apart() {
        let up = Space {
            horizontal: false,
            ..across(366.0)
        };
        let ticks = linear(0.0, 100.0, up);
        assert_eq!(ticks, (0..=10).map(|k| k as f64 * 10.0).collect::<Vec<_>>());
    }
}
