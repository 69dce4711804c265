//! The network-wide blocks: `target { ... }`, `formats { ... }` and `train { ... }`.

use super::props::{self, Props};
use crate::diagnostics::Error;
use crate::network::{Cost, Formats, Style, Training};
use crate::syntax::ast::{Block, Unit, Value, ValueKind};
use crate::target::{Board, Part, PartError, Target};
use snn_runtime::fixed::{Format, MAX_WIDTH};

/// The part used when a model names none: the one on the Arty A7-100T and Nexys4 DDR boards.
pub const DEFAULT_PART: &str = "xc7a100tcsg324-1";
/// The clock used when a model names none.
pub const DEFAULT_CLOCK_MHZ: f64 = 100.0;
/// The format used when a model names none (16 bits, 10 after the point).
pub const DEFAULT_FORMAT: Format = Format::signed(16, 10);

/// `target { part = "..."; clock = 100 MHz; board = nexys4_ddr; }`
pub fn target(block: Option<&Block>, errors: &mut Vec<Error>) -> Option<Target> {
    let Some(block) = block else {
        let part = Part::parse(DEFAULT_PART).expect("the default part is valid");
        return Some(Target {
            part,
            clock_mhz: DEFAULT_CLOCK_MHZ,
            board: None,
            clock_span: None,
        });
    };
    let mut p = Props::new("`target`", block.span, &block.properties, errors);
    let board = p.get("board").and_then(|v| board(v, errors));
    let part_value = p.get("part");
    let part = match part_value {
        Some(v) => {
            let name = props::string("part", v, errors)?;
            match Part::parse(name) {
                Ok(part) => Some(part),
                Err(e) => {
                    let help = match e {
                        PartError::Malformed => "write the full part name: device, package and speed grade, e.g. \"xc7a100tcsg324-1\"".to_string(),
                        PartError::UnknownDevice(_) => format!(
                            "known devices: {}",
                            crate::target::DEVICES.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
                        ),
                        PartError::OtherFamily(family) => format!(
                            "`{name}` is {family} part; snnc targets Artix-7 only (xc7a…, e.g. \"xc7a100tcsg324-1\")"
                        ),
                    };
                    errors.push(Error::UnknownPart {
                        part: name.to_string(),
                        help,
                        span: v.span,
                    });
                    None
                }
            }
        }
        None => Some(
            Part::parse(board.map(Board::part).unwrap_or(DEFAULT_PART))
                .expect("board parts are valid"),
        ),
    };
    if let (Some(b), Some(part), Some(v)) = (board, &part, part_value) {
        if !part.name.eq_ignore_ascii_case(b.part()) {
            errors.push(Error::PartNotOnBoard {
                part: part.name.clone(),
                board: b.name(),
                board_part: b.part(),
                span: v.span,
            });
        }
    }
    let clock_value = p.get("clock");
    let clock_span = clock_value.map(|v| v.span);
    let clock_mhz = match clock_value {
        Some(v) => clock(v, errors)?,
        None => DEFAULT_CLOCK_MHZ,
    };
    p.finish("target setting", &["part", "clock", "board"], errors);
    Some(Target {
        part: part?,
        clock_mhz,
        board,
        clock_span,
    })
}

fn board(value: &Value, errors: &mut Vec<Error>) -> Option<Board> {
    let names: Vec<&str> = Board::ALL.iter().map(|(n, _)| *n).collect();
    match &value.kind {
        ValueKind::Name(n) => match Board::ALL.iter().find(|(name, _)| name == n) {
            Some((_, b)) => Some(*b),
            None => props::unknown_choice("board", n, names, value.span, errors),
        },
        _ => {
            props::call(
                "board",
                value,
                "name a board such as `arty_a7_100t`",
                errors,
            );
            None
        }
    }
}

fn clock(value: &Value, errors: &mut Vec<Error>) -> Option<f64> {
    let (mhz, period) = match value.kind {
        ValueKind::Quantity {
            value: v,
            unit: Unit::MHz,
        } => (v, None),
        ValueKind::Quantity {
            value: v,
            unit: Unit::Ns,
        } => (if v > 0.0 { 1000.0 / v } else { 0.0 }, Some(v)),
        ValueKind::Invalid => return None,
        _ => {
            errors.push(Error::WrongType {
                key: "clock".into(),
                expected: "a frequency or a period",
                found: value.kind.describe(),
                help: "write `clock = 100 MHz;` or `clock = 10 ns;`".into(),
                span: value.span,
            });
            return None;
        }
    };
    if !(1.0..=800.0).contains(&mhz) {
        errors.push(Error::OutOfRange {
            key: "clock".into(),
            problem: match period {
                Some(ns) => format!("a period of {ns} ns is not between 1.25 and 1000 ns"),
                None => format!("{mhz} MHz is not between 1 and 800 MHz"),
            },
            help: "Artix-7 fabric clocks run between a few MHz and a few hundred MHz".into(),
            span: value.span,
        });
        return None;
    }
    Some(mhz)
}

/// `formats { default = fixed<10, 7>; input = ufixed<8, 8>; ... }`
pub fn formats(block: Option<&Block>, errors: &mut Vec<Error>) -> Formats {
    let Some(block) = block else {
        return Formats {
            input: DEFAULT_FORMAT,
            weights: DEFAULT_FORMAT,
            activations: DEFAULT_FORMAT,
            deltas: DEFAULT_FORMAT,
        };
    };
    let mut p = Props::new("`formats`", block.span, &block.properties, errors);
    let read = |key: &str, p: &mut Props, errors: &mut Vec<Error>| {
        p.get(key).and_then(|v| format(key, v, errors))
    };
    let default = read("default", &mut p, errors).unwrap_or(DEFAULT_FORMAT);
    let formats = Formats {
        input: read("input", &mut p, errors).unwrap_or(default),
        weights: read("weights", &mut p, errors).unwrap_or(default),
        activations: read("activations", &mut p, errors).unwrap_or(default),
        deltas: read("deltas", &mut p, errors).unwrap_or(default),
    };
    for (key, f) in [
        ("weights", formats.weights),
        ("activations", formats.activations),
        ("deltas", formats.deltas),
    ] {
        if !f.signed {
            if let Some(v) = p.get(key).or_else(|| p.get("default")) {
                errors.push(Error::BadFormat {
                    problem: format!("{key} must be signed, not {f}"),
                    help: "only the input may be unsigned: weights, activations and deltas take both signs".into(),
                    span: v.span,
                });
            }
        }
    }
    p.finish(
        "format",
        &["default", "input", "weights", "activations", "deltas"],
        errors,
    );
    formats
}

fn format(key: &str, value: &Value, errors: &mut Vec<Error>) -> Option<Format> {
    if let ValueKind::HlsFormat {
        signed,
        total_bits,
        integer_bits,
    } = value.kind
    {
        let (ours, theirs) = if signed {
            ("fixed", "ap_fixed")
        } else {
            ("ufixed", "ap_ufixed")
        };
        errors.push(Error::BadFormat {
            problem: format!(
                "`{theirs}<{total_bits}, {integer_bits}>` is hls4ml's notation: W total bits, of them I integer bits"
            ),
            help: match total_bits.checked_sub(integer_bits) {
                Some(frac) => format!(
                    "snnc writes `{ours}<W, F>` with F fraction bits: the same format is `{ours}<{total_bits}, {frac}>`"
                ),
                None => format!(
                    "snnc writes `{ours}<W, F>` with F fraction bits, 0 ≤ F: more integer bits than bits has no equivalent"
                ),
            },
            span: value.span,
        });
        return None;
    }
    let ValueKind::Format {
        signed,
        total_bits,
        fraction_bits,
    } = value.kind
    else {
        if !matches!(value.kind, ValueKind::Invalid) {
            errors.push(Error::WrongType {
                key: key.into(),
                expected: "a number format",
                found: value.kind.describe(),
                help: "write `fixed<W, F>` (W bits, F after the point) or `ufixed<W, F>`".into(),
                span: value.span,
            });
        }
        return None;
    };
    let bad = |problem: String, help: &str| Error::BadFormat {
        problem,
        help: help.into(),
        span: value.span,
    };
    if !(2..=MAX_WIDTH as u64).contains(&total_bits) {
        errors.push(bad(
            format!("{total_bits} bits is not between 2 and {MAX_WIDTH}"),
            "the datapath supports widths from 2 to 32 bits",
        ));
        return None;
    }
    if signed && fraction_bits >= total_bits {
        errors.push(bad(
            format!("fixed<{total_bits}, {fraction_bits}> has F ≥ W"),
            "a two's complement format needs its sign bit: F ≤ W − 1, e.g. fixed<10, 7>",
        ));
        return None;
    }
    if !signed && fraction_bits > total_bits {
        errors.push(bad(
            format!("ufixed<{total_bits}, {fraction_bits}> has F > W"),
            "an unsigned format has at most W fraction bits, e.g. ufixed<8, 8> for pixels in [0, 1)",
        ));
        return None;
    }
    Some(Format {
        signed,
        width: total_bits as u32,
        frac: fraction_bits as u32,
    })
}

/// `train { cost = cross_entropy; learning_rate = 2^-3; init = glorot_normal(seed = 1);
/// pipeline = streaming; }`
///
/// Returns the settings, the weight initialisation (`None`: zeros) and the pipeline style.
pub fn training(block: &Block, errors: &mut Vec<Error>) -> Option<(Training, Option<u64>, Style)> {
    let mut p = Props::new("`train`", block.span, &block.properties, errors);
    let costs = [
        ("cross_entropy", Cost::CrossEntropy),
        ("quadratic", Cost::Quadratic),
    ];
    let cost = p.get("cost").map_or(Some(Cost::CrossEntropy), |v| {
        keyword("cost", v, &costs, errors)
    });
    let shift = match p.get("learning_rate") {
        None => Some(3),
        Some(v) => learning_rate(v, errors),
    };
    let init = match p.get("init") {
        None => Some(Some(1)),
        Some(v) => init(v, errors),
    };
    let styles = [
        ("streaming", Style::Streaming),
        ("lockstep", Style::Lockstep),
    ];
    let style = p.get("pipeline").map_or(Some(Style::Streaming), |v| {
        keyword("pipeline", v, &styles, errors)
    });
    p.finish(
        "training setting",
        &["cost", "learning_rate", "init", "pipeline"],
        errors,
    );
    Some((
        Training {
            cost: cost?,
            shift: shift?,
        },
        init?,
        style?,
    ))
}

/// A value that must be one of `choices`' names (a bare name, no arguments).
fn keyword<T: Copy>(
    what: &'static str,
    value: &Value,
    choices: &[(&'static str, T)],
    errors: &mut Vec<Error>,
) -> Option<T> {
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    let help = format!(
        "name a {what}: {}",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    let (name, span, args) = props::call(what, value, &help, errors)?;
    match choices.iter().find(|(n, _)| *n == name) {
        Some((_, choice)) if args.is_empty() => Some(*choice),
        _ => props::unknown_choice(what, name, names.iter().copied(), span, errors),
    }
}

/// The shifts a learning rate 2^-k may have: k from 0 to [`MAX_SHIFT`].
pub const MAX_SHIFT: i64 = 24;

fn learning_rate(value: &Value, errors: &mut Vec<Error>) -> Option<u32> {
    // The exponent k of 2^k, when the value is a power of two.
    let exponent = match value.kind {
        ValueKind::Power { base: 2, exponent } => Some(exponent),
        ValueKind::Decimal(x) if x > 0.0 && x.log2().fract() == 0.0 => Some(x.log2() as i64),
        ValueKind::Integer(n) if n.is_power_of_two() => Some(i64::from(n.trailing_zeros())),
        ValueKind::Invalid => return None,
        _ => None,
    };
    match exponent {
        Some(k) if (-MAX_SHIFT..=0).contains(&k) => Some((-k) as u32),
        Some(k) => {
            errors.push(Error::OutOfRange {
                key: "learning_rate".into(),
                problem: format!("2^{k} is not between 2^-{MAX_SHIFT} and 2^0"),
                help: format!(
                    "the update shifts δ right by k bits for a rate of 2^-k, k from 0 to {MAX_SHIFT}; 2^-3 is the published rate"
                ),
                span: value.span,
            });
            None
        }
        None => {
            errors.push(Error::NotPowerOfTwo { span: value.span });
            None
        }
    }
}

/// `glorot_normal(seed = N)` → `Some(seed)`, `zeros` → `None`.
fn init(value: &Value, errors: &mut Vec<Error>) -> Option<Option<u64>> {
    let (name, span, args) = props::call(
        "init",
        value,
        "write `glorot_normal(seed = 1)` or `zeros`",
        errors,
    )?;
    match name {
        "glorot_normal" => {
            let mut p = Props::new("`glorot_normal`", span, args, errors);
            let seed = match p.get("seed") {
                Some(v) => props::integer("seed", v, errors),
                None => Some(1),
            };
            p.finish("argument", &["seed"], errors);
            seed.map(Some)
        }
        "zeros" => {
            Props::new("`zeros`", span, args, errors).finish("argument", &[], errors);
            Some(None)
        }
        other => props::unknown_choice(
            "initialisation",
            other,
            ["glorot_normal", "zeros"],
            span,
            errors,
        ),
    }
}
