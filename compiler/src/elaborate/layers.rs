//! A layer's own properties: its activation and the junction (`connect`) that feeds it.

use super::props::{self, Props};
use crate::diagnostics::{did_you_mean, Error};
use crate::network::ClashFreeKind;
use crate::syntax::ast::{Span, Value, ValueKind};
use snn_runtime::activation::{Activation, SigmoidTable};
use snn_runtime::fixed::Format;

/// The widest default sigmoid table: [-8, 8).
const MAX_DEFAULT_LOG2_RANGE: i32 = 3;

/// `sigmoid`, `sigmoid(table = 1024, range = 4)`, `relu`, `identity`.
pub fn activation(value: &Value, format: Format, errors: &mut Vec<Error>) -> Option<Activation> {
    let (name, span, args) = props::call(
        "activation",
        value,
        "name an activation: `sigmoid`, `relu` or `identity`",
        errors,
    )?;
    match name {
        "sigmoid" => {
            // The table holds values in [1 LSB, one − 1 LSB] (docs/semantics.md): at least
            // one raw value must lie strictly between 0 and one.
            if format.one() < 2 {
                // Two integer bits, as the published fixed<10, 7>, and at least one fraction bit.
                let width = format.width.max(3);
                let frac = (width - 3).max(1);
                errors.push(Error::SigmoidFormat {
                    format: format.to_string(),
                    help: format!(
                        "give `activations` a fraction bit and an integer bit besides the sign, e.g. `fixed<{width}, {frac}>`"
                    ),
                    span,
                });
            }
            let mut p = Props::new("`sigmoid`", span, args, errors);
            let entries = p
                .get("table")
                .map(|v| (power_of_two("table", v, 1, 16, errors), v.span));
            let range = p
                .get("range")
                .map(|v| (power_of_two("range", v, -4, 8, errors), v.span));
            p.finish("argument", &["table", "range"], errors);
            let format_range = format.width as i32 - format.frac as i32 - 1;
            let table = SigmoidTable {
                log2_entries: match entries {
                    Some((e, _)) => e? as u32,
                    None => SigmoidTable::PUBLISHED.log2_entries,
                },
                log2_range: match range {
                    Some((r, _)) => r?,
                    // The format's own range, at least [-1, 1) and at most [-8, 8): a table
                    // narrower than the format keeps σ away from 0 and 1, and wide formats
                    // need σ's ends within one update's rounding of the targets.
                    None => format_range.clamp(0, MAX_DEFAULT_LOG2_RANGE),
                },
            };
            let table = match (entries, table.index_shift(format)) {
                (_, Some(_)) => table,
                // The default size may be finer than a narrow format: one entry per value then.
                (None, None) => SigmoidTable {
                    log2_entries: (format.frac as i32 + table.log2_range + 1) as u32,
                    ..table
                },
                (Some((_, span)), None) => {
                    errors.push(Error::OutOfRange {
                        key: "table".into(),
                        problem: format!(
                            "{} entries over [-{r}, {r}) is finer than the activation format {format}",
                            table.entries(),
                            r = 2f64.powi(table.log2_range)
                        ),
                        help: "use at most one entry per representable value: fewer entries or a wider range".into(),
                        span,
                    });
                    return None;
                }
            };
            Some(Activation::Sigmoid(table))
        }
        "relu" | "identity" => {
            Props::new(format!("`{name}`"), span, args, errors).finish("argument", &[], errors);
            Some(if name == "relu" {
                Activation::Relu
            } else {
                Activation::Identity
            })
        }
        other => {
            errors.push(Error::UnknownActivation {
                name: other.to_string(),
                help: did_you_mean(other, ["sigmoid", "relu", "identity"]),
                span,
            });
            None
        }
    }
}

/// A power of two `2^k` with `k` in `lo..=hi`, given as `2^k` or as its value; returns `k`.
fn power_of_two(
    key: &str,
    value: &Value,
    lo: i32,
    hi: i32,
    errors: &mut Vec<Error>,
) -> Option<i32> {
    let k = match value.kind {
        ValueKind::Power { base: 2, exponent } => i32::try_from(exponent).ok(),
        ValueKind::Integer(n) if n.is_power_of_two() => Some(n.trailing_zeros() as i32),
        ValueKind::Decimal(x) if x > 0.0 && x.log2().fract() == 0.0 => Some(x.log2() as i32),
        ValueKind::Invalid => return None,
        _ => None,
    };
    match k {
        Some(k) if (lo..=hi).contains(&k) => Some(k),
        _ => {
            errors.push(Error::OutOfRange {
                key: key.into(),
                problem: format!("it must be a power of two from 2^{lo} to 2^{hi}"),
                help: "table geometry is a power of two so that indexing is a bit select".into(),
                span: value.span,
            });
            None
        }
    }
}

/// What `connect = ...` asks for, before the sizes of the layers are known to fit.
#[derive(Debug, Clone)]
pub enum ConnectSpec {
    Sparse {
        degree: SparseDegree,
        pattern: PatternSpec,
    },
    Dense,
    Pruned {
        path: String,
        span: Span,
    },
}

/// `fan_out = N` or `fan_in = N`, with the value's span.
#[derive(Debug, Clone, Copy)]
pub enum SparseDegree {
    FanOut(u64, Span),
    FanIn(u64, Span),
}

/// The pattern of a sparse junction.
#[derive(Debug, Clone, Copy)]
pub enum PatternSpec {
    ClashFree {
        kind: ClashFreeKind,
        dither: bool,
        seed: u64,
        span: Span,
    },
    Random {
        seed: u64,
    },
}

/// `sparse(fan_out = 4, pattern = clash_free(type = 2))`, `dense`, `pruned(weights = "w.npy")`.
pub fn connect(value: &Value, errors: &mut Vec<Error>) -> Option<ConnectSpec> {
    let (name, span, args) = props::call(
        "connect",
        value,
        "write `sparse(fan_out = N, pattern = ...)`, `dense` or `pruned(weights = \"w.npy\")`",
        errors,
    )?;
    match name {
        "sparse" => {
            let mut p = Props::new("`sparse`", span, args, errors);
            let fan_out = p
                .get("fan_out")
                .map(|v| (props::count("fan_out", v, 1 << 24, errors), v.span));
            let fan_in = p
                .get("fan_in")
                .map(|v| (props::count("fan_in", v, 1 << 24, errors), v.span));
            let pattern = match p.get("pattern") {
                Some(v) => pattern(v, errors),
                None => Some(PatternSpec::ClashFree {
                    kind: ClashFreeKind::Type2,
                    dither: false,
                    seed: 0,
                    span,
                }),
            };
            let degree = match (fan_out, fan_in) {
                (Some((n, s)), None) => n.map(|n| SparseDegree::FanOut(n, s)),
                (None, Some((n, s))) => n.map(|n| SparseDegree::FanIn(n, s)),
                (Some(_), Some((_, s))) => {
                    errors.push(Error::BadStructure {
                        problem: "`sparse` is given both `fan_out` and `fan_in`".into(),
                        help: "give one; the other follows from the layer sizes".into(),
                        span: s,
                    });
                    None
                }
                (None, None) => {
                    errors.push(Error::MissingProperty {
                        what: "`sparse`".into(),
                        key: "fan_out",
                        help: "give `fan_out = N` (edges per left neuron) or `fan_in = N` (edges per right neuron)".into(),
                        span,
                    });
                    None
                }
            };
            p.finish("argument", &["fan_out", "fan_in", "pattern"], errors);
            Some(ConnectSpec::Sparse {
                degree: degree?,
                pattern: pattern?,
            })
        }
        "dense" => {
            Props::new("`dense`", span, args, errors).finish("argument", &[], errors);
            Some(ConnectSpec::Dense)
        }
        "pruned" => {
            let mut p = Props::new("`pruned`", span, args, errors);
            let path = p
                .require(
                    "weights",
                    "name the weight matrix: `pruned(weights = \"hidden.npy\")`",
                    errors,
                )
                .map(|v| (props::string("weights", v, errors), v.span));
            p.finish("argument", &["weights"], errors);
            let (path, span) = path?;
            Some(ConnectSpec::Pruned {
                path: path?.to_string(),
                span,
            })
        }
        other => props::unknown_choice(
            "junction kind",
            other,
            ["sparse", "dense", "pruned"],
            span,
            errors,
        ),
    }
}

fn pattern(value: &Value, errors: &mut Vec<Error>) -> Option<PatternSpec> {
    let (name, span, args) = props::call(
        "pattern",
        value,
        "write `clash_free(type = 2, seed = 1)` or `random(seed = 1)`",
        errors,
    )?;
    let mut p = Props::new(format!("`{name}`"), span, args, errors);
    let seed = match p.get("seed") {
        Some(v) => props::integer("seed", v, errors),
        None => Some(0),
    };
    match name {
        "clash_free" => {
            let kind = match p.get("type") {
                None => Some(ClashFreeKind::Type2),
                Some(v) => match props::integer("type", v, errors) {
                    Some(1) => Some(ClashFreeKind::Type1),
                    Some(2) => Some(ClashFreeKind::Type2),
                    Some(3) => Some(ClashFreeKind::Type3),
                    Some(n) => {
                        errors.push(Error::OutOfRange {
                            key: "type".into(),
                            problem: format!("there is no clash-free type {n}"),
                            help: "type 1 permutes each bank's rows freely, type 2 draws a seed vector per sweep, type 3 shares one".into(),
                            span: v.span,
                        });
                        None
                    }
                    None => None,
                },
            };
            let dither = match p.get("dither") {
                Some(v) => props::boolean("dither", v, errors),
                None => Some(false),
            };
            p.finish("argument", &["type", "dither", "seed"], errors);
            Some(PatternSpec::ClashFree {
                kind: kind?,
                dither: dither?,
                seed: seed?,
                span,
            })
        }
        "random" => {
            p.finish("argument", &["seed"], errors);
            Some(PatternSpec::Random { seed: seed? })
        }
        other => props::unknown_choice("pattern", other, ["clash_free", "random"], span, errors),
    }
}
