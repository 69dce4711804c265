//! The executable form of a scheduled network: what every engine (interpreter, JIT, float)
//! runs and what the generated hardware computes. The compiler lowers a verified schedule
//! into a [`Program`] and its initial [`Parameters`].

use crate::activation::{Activation, Activator};
use crate::fixed::Format;

/// The formats of the four tensors (biases use the weight format, derivatives and
/// pre-activations the activation format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formats {
    pub input: Format,
    pub weights: Format,
    pub activations: Format,
    pub deltas: Format,
}

/// The cost whose gradient starts back-propagation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// δ = a − y
    CrossEntropy,
    /// δ = (a − y) · a'
    Quadratic,
}

/// How training inputs move through the junctions, counted in junction cycles
/// (docs/semantics.md): input `x` enters at cycle `x · spacing`; in cycle `t`, junction `j`
/// (0-based) runs its forward pass for the input that entered at `t − forward[j]`, and its
/// backward pass and update for the one that entered at `t − backward[j]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub forward: Vec<usize>,
    pub backward: Vec<usize>,
    /// Cycles between two inputs entering: 1 when pipelined.
    pub spacing: usize,
}

impl Pipeline {
    /// The published schedule: junction `j` forward at `j + 1` and backward at `2J − j`, a
    /// new input every cycle, 2J + 1 inputs in flight.
    pub fn published(junctions: usize) -> Pipeline {
        Pipeline {
            forward: (1..=junctions).collect(),
            backward: (0..junctions).map(|j| 2 * junctions - j).collect(),
            spacing: 1,
        }
    }

    /// The same lags with inputs spaced so that each finishes its last update before the
    /// next one enters: plain stochastic gradient descent, batch size 1.
    pub fn sequential(&self) -> Pipeline {
        Pipeline {
            spacing: self.backward[0] + 1,
            ..self.clone()
        }
    }

    /// Inputs in flight at once (each from its entry to its last update).
    pub fn in_flight(&self) -> usize {
        (self.backward[0] + 1).div_ceil(self.spacing)
    }

    /// The cycle in which the last of `n` inputs makes its last update.
    pub fn last_cycle(&self, n: usize) -> usize {
        (n.max(1) - 1) * self.spacing + self.backward[0]
    }

    /// Checks that every step comes after the steps it needs: forward lags from 1 and not
    /// decreasing, backward lags not increasing, and the output layer's backward pass
    /// after its forward pass.
    pub fn check(&self, junctions: usize) -> Result<(), String> {
        let (f, b) = (&self.forward, &self.backward);
        if f.len() != junctions || b.len() != junctions || junctions == 0 {
            return Err(format!(
                "a pipeline for {junctions} junctions needs {junctions} lags each way"
            ));
        }
        if self.spacing == 0 || f[0] == 0 {
            return Err(
                "inputs enter one per cycle at most, and load before their first pass".into(),
            );
        }
        if f.windows(2).any(|w| w[1] < w[0]) {
            return Err(format!("forward lags {f:?} must not decrease"));
        }
        if b.windows(2).any(|w| w[1] > w[0]) {
            return Err(format!("backward lags {b:?} must not increase"));
        }
        if b[junctions - 1] <= f[junctions - 1] {
            return Err("the output junction's backward pass must follow its forward pass".into());
        }
        Ok(())
    }
}

/// On-chip training settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Training {
    pub cost: Cost,
    /// η = 2^-shift.
    pub shift: u32,
}

/// One layer of neurons.
#[derive(Clone, Debug)]
pub struct Layer {
    pub name: String,
    pub size: usize,
    /// `None` for the input layer.
    pub activation: Option<Activation>,
}

/// One junction's edges, in schedule order (clock by clock, lane by lane).
#[derive(Clone, Debug)]
pub struct Junction {
    pub name: String,
    pub left_size: usize,
    pub right_size: usize,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
}

impl Junction {
    pub fn edges(&self) -> usize {
        self.left.len()
    }
}

/// A network ready to execute.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    pub formats: Formats,
    /// Input layer first.
    pub layers: Vec<Layer>,
    /// Junction `j` joins layer `j` to layer `j + 1`.
    pub junctions: Vec<Junction>,
    pub training: Option<Training>,
    /// The training pipeline of the hardware this program describes (with `training`).
    pub pipeline: Option<Pipeline>,
}

/// Weights (per junction, in the junction's edge order) and biases (per right neuron), raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameters {
    pub weights: Vec<Vec<i64>>,
    pub biases: Vec<Vec<i64>>,
}

impl Program {
    /// The format of layer `i`'s values: the input format for layer 0, else activations.
    pub fn layer_format(&self, i: usize) -> Format {
        if i == 0 {
            self.formats.input
        } else {
            self.formats.activations
        }
    }

    /// The activation of every layer after the input, with its tables built.
    pub fn activators(&self) -> Vec<Activator> {
        self.layers[1..]
            .iter()
            .map(|l| {
                Activator::new(
                    l.activation
                        .expect("layers after the input have an activation"),
                    self.formats.activations,
                )
            })
            .collect()
    }

    pub fn input_size(&self) -> usize {
        self.layers[0].size
    }

    pub fn output_size(&self) -> usize {
        self.layers.last().expect("a program has layers").size
    }

    /// Total edges.
    pub fn edges(&self) -> usize {
        self.junctions.iter().map(Junction::edges).sum()
    }

    /// Parameters of the right shape, all zero.
    pub fn zero_parameters(&self) -> Parameters {
        Parameters {
            weights: self.junctions.iter().map(|j| vec![0; j.edges()]).collect(),
            biases: self
                .junctions
                .iter()
                .map(|j| vec![0; j.right_size])
                .collect(),
        }
    }

    /// Checks that `params` fits this program: shapes and value ranges.
    pub fn check_parameters(&self, params: &Parameters) -> Result<(), String> {
        let w = self.formats.weights;
        if params.weights.len() != self.junctions.len()
            || params.biases.len() != self.junctions.len()
        {
            return Err("parameters for a different number of junctions".into());
        }
        for (j, junction) in self.junctions.iter().enumerate() {
            if params.weights[j].len() != junction.edges()
                || params.biases[j].len() != junction.right_size
            {
                return Err(format!(
                    "parameters of junction `{}` have the wrong shape",
                    junction.name
                ));
            }
            let out_of_range = |v: &i64| *v < w.min_raw() || *v > w.max_raw();
            if params.weights[j]
                .iter()
                .chain(&params.biases[j])
                .any(out_of_range)
            {
                return Err(format!(
                    "a parameter of junction `{}` does not fit {w}",
                    junction.name
                ));
            }
        }
        Ok(())
    }
}

/// One input sample: raw input values (already in the input format) and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub input: Vec<i64>,
    pub label: usize,
}

/// The index of the largest value, the first one on ties.
pub fn argmax(values: &[i64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// The target output for `label`: one (saturated) at the label, zero elsewhere.
pub fn target(format: Format, outputs: usize, label: usize) -> Vec<i64> {
    (0..outputs)
        .map(|r| if r == label { format.one() } else { 0 })
        .collect()
}
