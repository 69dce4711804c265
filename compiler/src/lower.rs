//! Lowering a planned network to the executable [`Program`] every engine runs — its edges
//! in schedule order and its hardware's training pipeline — and the network's initial
//! parameters.

use crate::network::{InitSource, Network};
use crate::schedule::IDLE;
use crate::Compiled;
use snn_runtime::fixed::Format;
use snn_runtime::prng::Rng;
use snn_runtime::program::{Junction, Layer, Parameters, Program};

/// The program of a planned network: its junctions' edges in schedule order, and the
/// training pipeline its datapath runs.
pub fn program(compiled: &Compiled) -> Program {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
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
        pipeline: compiled.datapath.timing.pipeline(),
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
    let mut params = program.zero_parameters();
    for ((_, junction), (j, code)) in network
        .junctions()
        .zip(program.junctions.iter().enumerate())
    {
        params.weights[j] = match &junction.init.weights {
            InitSource::Zeros => vec![0; code.edges()],
            InitSource::File(file) => (0..code.edges())
                .map(|e| format.from_f64(file.get(code.left[e] as usize, code.right[e] as usize)))
                .collect(),
            InitSource::GlorotNormal { seed } => glorot(code, format, *seed),
        };
        params.biases[j] = match &junction.init.biases {
            InitSource::File(file) => file.values.iter().map(|&b| format.from_f64(b)).collect(),
            InitSource::Zeros | InitSource::GlorotNormal { .. } => vec![0; code.right_size],
        };
    }
    params
}

fn glorot(code: &Junction, format: Format, seed: u64) -> Vec<i64> {
    let edges = code.edges();
    let fan_in = edges as f64 / code.right_size as f64;
    let fan_out = edges as f64 / code.left_size as f64;
    let sigma = (2.0 / (fan_in + fan_out)).sqrt();
    let mut by_position: Vec<usize> = (0..edges).collect();
    by_position.sort_by_key(|&e| (code.right[e], code.left[e]));
    let mut rng = Rng::derived(seed, &code.name);
    let mut weights = vec![0; edges];
    for e in by_position {
        let w = (sigma * rng.normal()).clamp(-2.0 * sigma, 2.0 * sigma);
        weights[e] = format.from_f64(w);
    }
    weights
}
