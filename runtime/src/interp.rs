//! The interpreter: docs/semantics.md transcribed step by step, edge by edge in schedule
//! order, with no shortcut. It is the reference the JIT is checked against.

use crate::activation::Activator;
use crate::engine::{Engine, Output};
use crate::fixed::{multiply, rescale};
use crate::program::{target, Cost, Parameters, Pipeline, Program, Sample};

/// Executes a [`Program`] with its [`Parameters`].
pub struct Interpreter<'p> {
    program: &'p Program,
    params: Parameters,
    activators: Vec<Activator>,
}

/// Everything the forward pass of one input leaves behind for its backward pass.
#[derive(Clone, Debug)]
struct Trace {
    label: usize,
    /// Values of every layer (layer 0: the input).
    values: Vec<Vec<i64>>,
    /// Derivatives of every layer after the input (index 0: layer 1).
    derivatives: Vec<Vec<i64>>,
    /// δ of every layer after the input, filled from the output backwards.
    deltas: Vec<Vec<i64>>,
}

impl<'p> Interpreter<'p> {
    pub fn new(program: &'p Program, params: Parameters) -> Interpreter<'p> {
        Interpreter {
            activators: program.activators(),
            program,
            params,
        }
    }

    fn output(&self, trace: &Trace) -> Output {
        let raw = trace.values.last().expect("layers").clone();
        Output::from_raw(raw, self.program.formats.activations)
    }

    fn start(&self, input: &[i64], label: usize) -> Trace {
        let layers = &self.program.layers;
        let mut values: Vec<Vec<i64>> = layers.iter().map(|l| vec![0; l.size]).collect();
        values[0] = input.to_vec();
        Trace {
            label,
            values,
            derivatives: layers[1..].iter().map(|l| vec![0; l.size]).collect(),
            deltas: layers[1..].iter().map(|l| vec![0; l.size]).collect(),
        }
    }

    /// Junction j (0-based) forward: products rounded and saturated to the activation
    /// format, summed exactly with the bias, saturated, activated.
    fn forward(&self, j: usize, trace: &mut Trace) {
        let junction = &self.program.junctions[j];
        let f = self.program.formats;
        let left_format = self.program.layer_format(j);
        let weights = &self.params.weights[j];
        let mut sums: Vec<i64> = self.params.biases[j]
            .iter()
            .map(|&b| rescale(b, f.weights.frac, f.activations.frac))
            .collect();
        for e in 0..junction.edges() {
            let a = trace.values[j][junction.left[e] as usize];
            let p = multiply(
                weights[e],
                f.weights.frac,
                a,
                left_format.frac,
                f.activations,
            );
            sums[junction.right[e] as usize] += p;
        }
        let act = &self.activators[j];
        for (r, s) in sums.into_iter().enumerate() {
            let pre = f.activations.saturate(s);
            trace.values[j + 1][r] = act.value(pre);
            trace.derivatives[j][r] = act.derivative(pre);
        }
    }

    /// δ of the output layer from the cost.
    fn cost(&self, trace: &mut Trace) {
        let jn = self.program.junctions.len();
        let f = self.program.formats;
        let training = self
            .program
            .training
            .expect("training programs have a cost");
        let y = target(f.activations, self.program.output_size(), trace.label);
        for (r, target) in y.iter().enumerate() {
            let error = trace.values[jn][r] - target;
            trace.deltas[jn - 1][r] = match training.cost {
                Cost::CrossEntropy => {
                    f.deltas
                        .saturate(rescale(error, f.activations.frac, f.deltas.frac))
                }
                Cost::Quadratic => multiply(
                    error,
                    f.activations.frac,
                    trace.derivatives[jn - 1][r],
                    f.activations.frac,
                    f.deltas,
                ),
            };
        }
    }

    /// Junction j (0-based, j ≥ 1) backward: δ of its left layer.
    fn backward(&self, j: usize, trace: &mut Trace) {
        let junction = &self.program.junctions[j];
        let f = self.program.formats;
        let weights = &self.params.weights[j];
        let mut sums = vec![0i64; junction.left_size];
        for e in 0..junction.edges() {
            let d = trace.deltas[j][junction.right[e] as usize];
            sums[junction.left[e] as usize] +=
                multiply(weights[e], f.weights.frac, d, f.deltas.frac, f.deltas);
        }
        for (l, s) in sums.into_iter().enumerate() {
            let e = f.deltas.saturate(s);
            trace.deltas[j - 1][l] = multiply(
                trace.derivatives[j - 1][l],
                f.activations.frac,
                e,
                f.deltas.frac,
                f.deltas,
            );
        }
    }

    /// Junction j (0-based) update: Δb = round(−δ · 2^−k), Δw = round(Δb · a_left).
    fn update(&mut self, j: usize, trace: &Trace) {
        let junction = &self.program.junctions[j];
        let f = self.program.formats;
        let shift = self.program.training.expect("training").shift;
        let left_format = self.program.layer_format(j);
        let bias_steps: Vec<i64> = trace.deltas[j]
            .iter()
            .map(|&d| {
                f.weights
                    .saturate(rescale(-d, f.deltas.frac + shift, f.weights.frac))
            })
            .collect();
        for (b, step) in self.params.biases[j].iter_mut().zip(&bias_steps) {
            *b = f.weights.saturate(*b + step);
        }
        let weights = &mut self.params.weights[j];
        for e in 0..junction.edges() {
            let step = multiply(
                bias_steps[junction.right[e] as usize],
                f.weights.frac,
                trace.values[j][junction.left[e] as usize],
                left_format.frac,
                f.weights,
            );
            weights[e] = f.weights.saturate(weights[e] + step);
        }
    }
}

impl Engine for Interpreter<'_> {
    fn infer(&mut self, input: &[i64]) -> Output {
        let mut trace = self.start(input, 0);
        for j in 0..self.program.junctions.len() {
            self.forward(j, &mut trace);
        }
        self.output(&trace)
    }

    /// Trains on `samples` in order, in junction cycles: input x enters at cycle
    /// `x · spacing`; in cycle t every junction j runs forward on the input that entered at
    /// `t − forward[j]`, then, from the output junction back, backward and update on the one
    /// that entered at `t − backward[j]`, with the weights of the start of cycle t.
    fn train(
        &mut self,
        samples: &[Sample],
        pipeline: &Pipeline,
        on_output: &mut dyn FnMut(usize, &Output),
    ) {
        let n = samples.len();
        let jn = self.program.junctions.len();
        pipeline.check(jn).expect("a valid pipeline");
        let spacing = pipeline.spacing;
        let mut traces: Vec<Option<Trace>> = vec![None; n];
        for t in 0..=pipeline.last_cycle(n) {
            let entered_at = |offset: usize| -> Option<usize> {
                let x = t.checked_sub(offset)?;
                (x % spacing == 0 && x / spacing < n).then_some(x / spacing)
            };
            if let Some(x) = entered_at(0) {
                traces[x] = Some(self.start(&samples[x].input, samples[x].label));
            }
            for j in 0..jn {
                if let Some(x) = entered_at(pipeline.forward[j]) {
                    let mut trace = traces[x].take().expect("entered");
                    self.forward(j, &mut trace);
                    if j + 1 == jn {
                        on_output(x, &self.output(&trace));
                        self.cost(&mut trace);
                    }
                    traces[x] = Some(trace);
                }
            }
            for j in (0..jn).rev() {
                if let Some(x) = entered_at(pipeline.backward[j]) {
                    let mut trace = traces[x].take().expect("entered");
                    if j > 0 {
                        self.backward(j, &mut trace);
                    }
                    self.update(j, &trace);
                    if j > 0 {
                        traces[x] = Some(trace);
                    }
                }
            }
        }
    }

    fn parameters(&self) -> Option<Parameters> {
        Some(self.params.clone())
    }

    fn values(&self) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let w = self.program.formats.weights;
        let convert = |v: &Vec<Vec<i64>>| {
            v.iter()
                .map(|x| x.iter().map(|&r| w.to_f64(r)).collect())
                .collect()
        };
        (convert(&self.params.weights), convert(&self.params.biases))
    }
}
