//! Lowering a planned network to the executable [`Program`] every engine runs — its edges
//! in schedule order and its hardware's training pipeline — and the network's initial
//! parameters.

use crate::diagnostics::Warning;
use crate::network::{InitSource, Network, WeightFile};
use crate::schedule::{Verified, IDLE};
use crate::Compiled;
use snn_runtime::prng::Rng;
use snn_runtime::program::{Junction, Layer, Parameters, Program};

/// The program of a planned network: its junctions' edges in schedule order, and the
/// training pipeline its datapath runs.
pub fn program(compiled: &Compiled) -> Program {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    Program {
        name: network.name.clone(),
        formats: network.formats,
        layers: network
            .layers
            .iter()
            .map(|&id| {
                let l = network.layer(id);
                Layer {
                    name: l.name.clone(),
                    size: l.size,
                    activation: l.activation,
                }
            })
            .collect(),
        junctions: schedule
            .junctions()
            .iter()
            .map(|js| {
                let edges = js.slots.iter().filter(|e| **e != IDLE);
                Junction {
                    name: js.name.clone(),
                    left_size: js.left_size,
                    right_size: js.right_size,
                    left: edges.clone().map(|e| e.left).collect(),
                    right: edges.map(|e| e.right).collect(),
                }
            })
            .collect(),
        training: network.training,
        pipeline: compiled.datapath().timing().pipeline(),
    }
}

/// The initial weights and biases of `network`, in `program`'s edge order.
///
/// Glorot-normal weights are drawn per junction from `Rng::derived(seed, junction name)`,
/// one draw per edge in (right, left) order, so they do not depend on the schedule:
/// `clamp(σ · n, −2σ, 2σ)` with `n` standard normal and σ = sqrt(2 / (fan-in + fan-out)),
/// the mean degrees; then rounded to the weight format.
pub fn initial_parameters(network: &Network, program: &Program) -> Parameters {
    let format = network.formats.weights;
    let (weights, biases) = initial_values(network, program);
    let round = |v: Vec<Vec<f64>>| -> Vec<Vec<i64>> {
        v.into_iter()
            .map(|j| j.into_iter().map(|x| format.from_f64(x)).collect())
            .collect()
    };
    Parameters {
        weights: round(weights),
        biases: round(biases),
    }
}

/// The initial weights and biases as values, before they are rounded to the weight format:
/// what the float64 engine starts from.
pub fn initial_values(network: &Network, program: &Program) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    network
        .junctions()
        .zip(&program.junctions)
        .map(|((_, junction), code)| {
            let weights = match &junction.init.weights {
                InitSource::Zeros => vec![0.0; code.edges()],
                InitSource::File(file) => (0..code.edges())
                    .map(|e| file.get(code.left[e] as usize, code.right[e] as usize))
                    .collect(),
                InitSource::GlorotNormal { seed } => glorot(code, *seed),
            };
            let biases = match &junction.init.biases {
                InitSource::File(file) => file.values.clone(),
                InitSource::Zeros | InitSource::GlorotNormal { .. } => vec![0.0; code.right_size],
            };
            (weights, biases)
        })
        .unzip()
}

/// What loading the model's weight files will do that the model did not say: values outside
/// the weight format saturate (W0501), and non-zero entries where a sparse junction has no
/// edge are not used (W0502).
pub fn init_warnings(network: &Network, schedule: &Verified) -> Vec<Warning> {
    let format = network.formats.weights;
    let outside = |v: f64| {
        let scaled = (v * (1u64 << format.frac) as f64 + 0.5).floor();
        scaled < format.min_raw() as f64 || scaled > format.max_raw() as f64
    };
    let mut warnings = Vec::new();
    let mut saturated = |file: &WeightFile, values: &mut dyn Iterator<Item = f64>| {
        let (mut count, mut total) = (0, 0);
        for v in values {
            total += 1;
            count += usize::from(outside(v));
        }
        if count > 0 {
            warnings.push(Warning::InitialWeightsSaturated {
                path: file.named.clone(),
                saturated: count,
                values: total,
                format: format.to_string(),
                span: file.span,
            });
        }
    };
    let mut off_edges = Vec::new();
    for ((_, junction), js) in network.junctions().zip(schedule.junctions()) {
        if let InitSource::File(file) = &junction.init.weights {
            let mut on_edge = vec![false; file.values.len()];
            for e in js.slots.iter().filter(|e| **e != IDLE) {
                on_edge[e.left as usize * file.cols + e.right as usize] = true;
            }
            saturated(
                file,
                &mut file
                    .values
                    .iter()
                    .zip(&on_edge)
                    .filter(|(_, on)| **on)
                    .map(|(v, _)| *v),
            );
            let count = file
                .values
                .iter()
                .zip(&on_edge)
                .filter(|(v, on)| !**on && **v != 0.0)
                .count();
            if count > 0 {
                off_edges.push(Warning::InitialWeightsOffEdges {
                    path: file.named.clone(),
                    junction: junction.name.clone(),
                    count,
                    span: file.span,
                });
            }
        }
        if let InitSource::File(file) = &junction.init.biases {
            saturated(file, &mut file.values.iter().copied());
        }
    }
    warnings.extend(off_edges);
    warnings
}

fn glorot(code: &Junction, seed: u64) -> Vec<f64> {
    let edges = code.edges();
    let fan_in = edges as f64 / code.right_size as f64;
    let fan_out = edges as f64 / code.left_size as f64;
    let sigma = (2.0 / (fan_in + fan_out)).sqrt();
    let mut by_position: Vec<usize> = (0..edges).collect();
    by_position.sort_by_key(|&e| (code.right[e], code.left[e]));
    let mut rng = Rng::derived(seed, &code.name);
    let mut weights = vec![0.0; edges];
    for e in by_position {
        weights[e] = (sigma * rng.normal()).clamp(-2.0 * sigma, 2.0 * sigma);
    }
    weights
}
