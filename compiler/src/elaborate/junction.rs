//! A layer's junction: its pattern, degrees, edge count, parallelism and initial weights,
//! checked against the sizes of the two layers it joins.

use super::layers::{self, ConnectSpec, PatternSpec, SparseDegree};
use super::props::{self, Props};
use super::weights::{self, Shape};
use super::LineIndex;
use crate::diagnostics::{did_you_mean, Error};
use crate::network::{
    Connectivity, Degree, InitSource, Junction, Layer, LayerId, Origin, WeightInit,
};
use crate::syntax::ast::{LayerDecl, Span};
use petgraph::graph::DiGraph;
use snn_runtime::activation::Activation;
use snn_runtime::fixed::Format;
use std::path::Path;
use std::sync::Arc;

/// What every junction's elaboration needs from the network around it.
pub struct Context<'a> {
    pub model_dir: &'a Path,
    /// The network's `cycles`, if given (its value is `None` when it was malformed).
    pub cycles: Option<(Option<u64>, Span)>,
    /// `Some(init)` when the network trains: `Some(seed)` for Glorot, `None` for zeros.
    pub training: Option<Option<u64>>,
    pub lines: &'a LineIndex,
}

/// The most lanes a junction may have.
pub const MAX_LANES: u64 = 4096;

/// The keys a layer declaration may hold.
const LAYER_KEYS: &[&str] = &["activation", "connect", "z", "from", "weights", "biases"];

/// Elaborates layer `index` (not the input) and the junction that feeds it.
#[allow(clippy::too_many_arguments)]
pub fn elaborate(
    ctx: &Context,
    decl: &LayerDecl,
    decls: &[(&LayerDecl, bool)],
    graph: &DiGraph<Layer, Junction, u32>,
    layer_ids: &[LayerId],
    index: usize,
    activation_format: Format,
    errors: &mut Vec<Error>,
) -> Option<(Activation, Junction, Span)> {
    let name = &decl.name.name;
    let mut p = Props::new(
        format!("layer `{name}`"),
        decl.name.span,
        &decl.properties,
        errors,
    );
    let activation = p
        .require(
            "activation",
            "give it one: `activation = sigmoid;` (or `relu`, `identity`)",
            errors,
        )
        .and_then(|v| layers::activation(v, activation_format, errors));
    let from_ok = match p.get("from") {
        None => true,
        Some(v) => check_from(v, decl, decls, index, errors),
    };
    let connect = p
        .require("connect", "say how it connects to the layer before: `connect = sparse(fan_out = 4);`, `dense` or `pruned(...)`", errors)
        .and_then(|v| layers::connect(v, errors));
    let z = p
        .get("z")
        .map(|v| (props::count("z", v, 1 << 20, errors), v.span));
    let weights_path = p
        .get("weights")
        .map(|v| (props::string("weights", v, errors), v.span));
    let biases_path = p
        .get("biases")
        .map(|v| (props::string("biases", v, errors), v.span));
    p.finish("layer setting", LAYER_KEYS, errors);

    let left_id = layer_ids[index - 1];
    let right_id = layer_ids[index];
    let (n_left, n_right) = (graph[left_id].size, graph[right_id].size);
    let left_name = &graph[left_id].name;
    let (connectivity, fan_in, fan_out, edges) = shape(ctx, connect?, n_left, n_right, errors)?;
    let (z, z_span) = parallelism(
        ctx,
        name,
        left_name,
        z,
        edges,
        n_left,
        &connectivity,
        fan_in,
        decl,
        errors,
    )?;

    let read = |path: Option<(Option<&str>, Span)>, shape: Shape, errors: &mut Vec<Error>| {
        path.and_then(|(p, span)| weights::read(ctx.model_dir, p?, shape, span, errors))
            .map(|w| InitSource::File(Arc::new(w)))
    };
    let weights = read(
        weights_path,
        Shape::Matrix {
            rows: n_left,
            cols: n_right,
        },
        errors,
    )
    .or_else(|| match &connectivity {
        Connectivity::Pruned { weights } => Some(InitSource::File(weights.clone())),
        _ => None,
    })
    .unwrap_or(match ctx.training {
        Some(Some(seed)) => InitSource::GlorotNormal { seed },
        _ => InitSource::Zeros,
    });
    let biases =
        read(biases_path, Shape::Vector { len: n_right }, errors).unwrap_or(InitSource::Zeros);
    if !from_ok {
        return None;
    }
    Some((
        activation?,
        Junction {
            name: name.clone(),
            left: left_id,
            right: right_id,
            connectivity,
            fan_in,
            fan_out,
            edges,
            z,
            init: WeightInit { weights, biases },
            origin: Origin {
                line: ctx.lines.line(decl.span.offset()),
            },
        },
        z_span,
    ))
}

/// `from = NAME` must name the layer declared just before.
fn check_from(
    value: &crate::syntax::ast::Value,
    decl: &LayerDecl,
    decls: &[(&LayerDecl, bool)],
    index: usize,
    errors: &mut Vec<Error>,
) -> bool {
    let Some((from, span, [])) =
        props::call("from", value, "name the layer this one reads from", errors)
    else {
        return false;
    };
    let previous = &decls[index - 1].0.name.name;
    if !decls.iter().any(|(d, _)| d.name.name == from) {
        errors.push(Error::UndefinedLayer {
            name: from.to_string(),
            help: did_you_mean(from, decls.iter().map(|(d, _)| d.name.name.as_str())),
            span,
        });
        false
    } else if from != previous {
        errors.push(Error::NotAChain {
            name: decl.name.name.clone(),
            previous: previous.clone(),
            from: from.to_string(),
            span,
        });
        false
    } else {
        true
    }
}

type Shaped = (Connectivity, Degree, Degree, usize);

/// Degrees and edge count of a junction between `n_left` and `n_right` neurons.
fn shape(
    ctx: &Context,
    spec: ConnectSpec,
    n_left: usize,
    n_right: usize,
    errors: &mut Vec<Error>,
) -> Option<Shaped> {
    let (l, r) = (n_left as u64, n_right as u64);
    match spec {
        ConnectSpec::Dense => Some((
            Connectivity::Dense,
            Degree::exact(n_left),
            Degree::exact(n_right),
            n_left * n_right,
        )),
        ConnectSpec::Sparse { degree, pattern } => {
            let (fan_out, fan_in) = fan_degrees(degree, l, r, errors)?;
            let connectivity = match pattern {
                PatternSpec::ClashFree {
                    kind,
                    dither,
                    seed,
                    span: pattern_span,
                } => {
                    if l % fan_in != 0 {
                        errors.push(Error::ClashFreeShape {
                            fan_in,
                            left: l,
                            help: "a right neuron's edges must lie within one sweep over the left layer; choose a fan-out that makes fan-in divide it, or use `random`".into(),
                            span: pattern_span,
                        });
                        return None;
                    }
                    Connectivity::ClashFree { kind, dither, seed }
                }
                PatternSpec::Random { seed } => Connectivity::Random { seed },
            };
            Some((
                connectivity,
                Degree::exact(fan_in as usize),
                Degree::exact(fan_out as usize),
                (l * fan_out) as usize,
            ))
        }
        ConnectSpec::Pruned { path, span } => {
            let file = weights::read(
                ctx.model_dir,
                &path,
                Shape::Matrix {
                    rows: n_left,
                    cols: n_right,
                },
                span,
                errors,
            )?;
            let mut fan_out = vec![0usize; n_left];
            let mut fan_in = vec![0usize; n_right];
            for (i, v) in file.values.iter().enumerate() {
                if *v != 0.0 {
                    fan_out[i / n_right] += 1;
                    fan_in[i % n_right] += 1;
                }
            }
            let edges: usize = fan_in.iter().sum();
            if edges == 0 {
                errors.push(Error::PrunedUnusable {
                    problem: format!(
                        "`{path}` has no non-zero weight, so the junction has no edge"
                    ),
                    help: "prune less, or check that the file holds the trained weights".into(),
                    span,
                });
                return None;
            }
            let degree = |d: &[usize]| Degree {
                min: *d.iter().min().expect("layers are non-empty"),
                max: *d.iter().max().expect("layers are non-empty"),
            };
            Some((
                Connectivity::Pruned {
                    weights: Arc::new(file),
                },
                degree(&fan_in),
                degree(&fan_out),
                edges,
            ))
        }
    }
}

/// A degree given on one side of a sparse junction, checked and completed to (fan-out, fan-in).
fn fan_degrees(
    degree: SparseDegree,
    l: u64,
    r: u64,
    errors: &mut Vec<Error>,
) -> Option<(u64, u64)> {
    // (name, the other degree, given, neurons it is given for, neurons it spreads over, their side)
    let (name, other, given, count, over, side, over_side, span) = match degree {
        SparseDegree::FanOut(fo, span) => ("fan-out", "fan-in", fo, l, r, "left", "right", span),
        SparseDegree::FanIn(fi, span) => ("fan-in", "fan-out", fi, r, l, "right", "left", span),
    };
    if given > over {
        return degree_error(
            format!("{name} {given} is more than the {over} {over_side} neurons"),
            &format!("each {side} neuron connects to at most every {over_side} neuron once"),
            span,
            errors,
        );
    }
    if (count * given) % over != 0 {
        errors.push(Error::FanNotIntegral {
            degree_name: name,
            degree: given,
            count,
            over,
            over_side,
            edges: count * given,
            help: format!(
                "{count} × {name} must be a multiple of the {over} {over_side} neurons; {}",
                suggest_multiples(name, over / gcd(l, r), over)
            ),
            span,
            other,
        });
        return None;
    }
    let completed = count * given / over;
    Some(match degree {
        SparseDegree::FanOut(..) => (given, completed),
        SparseDegree::FanIn(..) => (completed, given),
    })
}

fn degree_error<T>(problem: String, help: &str, span: Span, errors: &mut Vec<Error>) -> Option<T> {
    errors.push(Error::DegreeOutOfRange {
        problem,
        help: help.into(),
        span,
    });
    None
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// "use a multiple of 4 such as 4, 8, 12"
fn suggest_multiples(what: &str, step: u64, max: u64) -> String {
    let options: Vec<String> = (1..=3)
        .map(|k| k * step)
        .filter(|v| *v <= max)
        .map(|v| v.to_string())
        .collect();
    if options.is_empty() {
        format!("no {what} gives whole degrees for these layer sizes")
    } else {
        format!(
            "a {what} that is a multiple of {step} works, such as {}",
            options.join(", ")
        )
    }
}

/// The number of lanes z, from the layer's `z` or the network's `cycles`, checked, with the
/// span of the setting it came from.
#[allow(clippy::too_many_arguments)]
fn parallelism(
    ctx: &Context,
    name: &str,
    left_name: &str,
    z: Option<(Option<u64>, Span)>,
    edges: usize,
    n_left: usize,
    connectivity: &Connectivity,
    fan_in: Degree,
    decl: &LayerDecl,
    errors: &mut Vec<Error>,
) -> Option<(usize, Span)> {
    let edges = edges as u64;
    let z = match (z, ctx.cycles) {
        (Some((_, span)), Some(_)) => {
            errors.push(Error::ParallelismConflict {
                junction: name.to_string(),
                problem: "given twice: by the layer's `z` and by the network's `cycles`",
                span,
            });
            return None;
        }
        (None, None) => {
            errors.push(Error::ParallelismConflict {
                junction: name.to_string(),
                problem: "not given",
                span: decl.name.span,
            });
            return None;
        }
        (Some((z, span)), None) => {
            let z = z?;
            if z > MAX_LANES {
                errors.push(Error::OutOfRange {
                    key: "z".into(),
                    problem: format!("{z} lanes is more than the {MAX_LANES} a junction can have"),
                    help: format!(
                        "give z a divisor of the {n_left} neurons of `{left_name}` up to {MAX_LANES}, or the network a `cycles`"
                    ),
                    span,
                });
                return None;
            }
            (z, span)
        }
        (None, Some((cycles, span))) => {
            let cycles = cycles?;
            let unstructured = matches!(
                connectivity,
                Connectivity::Pruned { .. } | Connectivity::Random { .. }
            );
            if unstructured {
                let fan_outs = match connectivity {
                    Connectivity::Pruned { weights } => Some(left_fan_outs(weights)),
                    _ => None,
                };
                (
                    fewest_lanes(n_left, edges, fan_outs.as_deref(), cycles),
                    span,
                )
            } else {
                if !edges.is_multiple_of(cycles) {
                    let mut divisors: Vec<u64> = (1..=edges.min(1 << 20))
                        .filter(|c| {
                            edges.is_multiple_of(*c) && (n_left as u64).is_multiple_of(edges / c)
                        })
                        .collect();
                    divisors.sort_by_key(|c| (c.abs_diff(cycles), *c));
                    divisors.truncate(4);
                    divisors.sort_unstable();
                    let divisors: Vec<String> = divisors.iter().map(|c| c.to_string()).collect();
                    errors.push(Error::CyclesNotIntegral {
                        cycles,
                        junction: name.to_string(),
                        edges,
                        help: format!(
                            "cycle counts near {cycles} that give whole lanes: {}",
                            divisors.join(", ")
                        ),
                        span,
                    });
                    return None;
                }
                let z = edges / cycles;
                if z > MAX_LANES {
                    errors.push(Error::OutOfRange {
                        key: "cycles".into(),
                        problem: format!(
                            "junction `{name}` would need z = {z} lanes, more than {MAX_LANES}"
                        ),
                        help: format!(
                            "at most {MAX_LANES} lanes per junction: use at least {} cycles",
                            edges.div_ceil(MAX_LANES)
                        ),
                        span,
                    });
                    return None;
                }
                (z, span)
            }
        }
    };
    let (z, span) = z;
    let left = n_left as u64;
    if !left.is_multiple_of(z) {
        let nearby: Vec<String> = divisors_near(left, z)
            .iter()
            .map(|d| d.to_string())
            .collect();
        errors.push(Error::ZNotDividingLeft {
            z,
            left,
            layer: left_name.to_string(),
            help: format!(
                "z must divide {left}; nearby choices: {}",
                nearby.join(", ")
            ),
            span,
        });
        return None;
    }
    let structured = matches!(
        connectivity,
        Connectivity::ClashFree { .. } | Connectivity::Dense
    );
    if let (true, Some(fi)) = (structured, fan_in.uniform()) {
        let fi = fi as u64;
        if z % fi != 0 && !fi.is_multiple_of(z) {
            errors.push(Error::ZFanInMismatch {
                z,
                fan_in: fi,
                help: format!(
                    "in a structured pattern each clock completes whole right neurons (z a multiple of {fi}) or a neuron spans whole clocks (z divides {fi})"
                ),
                span,
            });
            return None;
        }
    }
    Some((z as usize, span))
}

/// The z of an unstructured junction under `cycles = C`: the fewest lanes whose pass can
/// take at most C clocks. No pass is shorter than its lower bound, max(⌈|W| / z⌉, the
/// busiest bank's edges under the scheduler's placement) — a left neuron's edges all come
/// from its one bank, one per clock. When no z reaches C, the fewest lanes that give the
/// shortest pass any z allows (planning then warns that C is not met). `fan_outs` are the
/// left neurons' degrees, `None` when they are all equal (every bank then serves |W| / z).
fn fewest_lanes(n_left: usize, edges: u64, fan_outs: Option<&[u32]>, cycles: u64) -> u64 {
    let left = n_left as u64;
    let bound = |z: u64| {
        let lanes = edges.div_ceil(z);
        match fan_outs {
            None => lanes,
            Some(d) => {
                let banks = crate::schedule::placement::place(d, z as usize);
                lanes.max(crate::schedule::placement::busiest(d, z as usize, &banks) as u64)
            }
        }
    };
    let divisors = (1..=left.min(MAX_LANES)).filter(|d| left.is_multiple_of(*d));
    let mut shortest: Option<(u64, u64)> = None;
    for z in divisors {
        let b = bound(z);
        if b <= cycles {
            return z;
        }
        if shortest.is_none_or(|(best, _)| b < best) {
            shortest = Some((b, z));
        }
    }
    shortest.map_or(1, |(_, z)| z)
}

/// Edges out of each left neuron of a pruned matrix.
fn left_fan_outs(weights: &crate::network::WeightFile) -> Vec<u32> {
    weights
        .values
        .chunks(weights.cols)
        .map(|row| row.iter().filter(|v| **v != 0.0).count() as u32)
        .collect()
}

/// Up to four divisors of `n` closest to `z`.
fn divisors_near(n: u64, z: u64) -> Vec<u64> {
    let mut divisors: Vec<u64> = (1..=n.min(1 << 20))
        .filter(|d| n.is_multiple_of(*d))
        .collect();
    divisors.sort_by_key(|d| (d.abs_diff(z), *d));
    divisors.truncate(4);
    divisors.sort_unstable();
    divisors
}
