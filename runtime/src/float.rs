//! The float64 engine: the same network and the same pipelined schedule, with no
//! quantisation (exact sigmoid, real-valued sums and updates), to measure what the
//! fixed-point hardware loses.

use crate::activation::Activation;
use crate::engine::{self, argmax_f64, Engine, Output, Stages};
use crate::program::{Cost, Parameters, Pipeline, Program, Sample};

/// Executes a program in `f64`.
pub struct FloatEngine<'p> {
    program: &'p Program,
    weights: Vec<Vec<f64>>,
    biases: Vec<Vec<f64>>,
    eta: f64,
}

/// One input's values, derivatives and deltas.
pub struct Trace {
    label: usize,
    values: Vec<Vec<f64>>,
    derivatives: Vec<Vec<f64>>,
    deltas: Vec<Vec<f64>>,
}

impl<'p> FloatEngine<'p> {
    /// Starts from exact `weights` and `biases` (per junction, in program order): the values
    /// before they are rounded to the weight format.
    pub fn from_values(
        program: &'p Program,
        weights: Vec<Vec<f64>>,
        biases: Vec<Vec<f64>>,
    ) -> FloatEngine<'p> {
        FloatEngine {
            program,
            weights,
            biases,
            eta: program
                .training
                .map_or(0.0, |t| 2f64.powi(-(t.shift as i32))),
        }
    }

    /// Infers an input given as values, not rounded to the input format (zero-padded).
    pub fn infer_values(&mut self, input: &[f64]) -> Output {
        let layers = &self.program.layers;
        let mut values: Vec<f64> = input.to_vec();
        values.resize(layers[0].size, 0.0);
        let mut trace = Trace {
            label: 0,
            values: std::iter::once(values)
                .chain(layers[1..].iter().map(|l| vec![0.0; l.size]))
                .collect(),
            derivatives: layers[1..].iter().map(|l| vec![0.0; l.size]).collect(),
            deltas: layers[1..].iter().map(|l| vec![0.0; l.size]).collect(),
        };
        for j in 0..self.program.junctions.len() {
            self.forward(j, &mut trace);
        }
        self.finish(&mut trace, false)
    }

    /// Starts from the values of the fixed-point `params`.
    pub fn new(program: &'p Program, params: &Parameters) -> FloatEngine<'p> {
        let w = program.formats.weights;
        let convert = |v: &Vec<Vec<i64>>| {
            v.iter()
                .map(|x| x.iter().map(|&r| w.to_f64(r)).collect())
                .collect()
        };
        FloatEngine {
            program,
            weights: convert(&params.weights),
            biases: convert(&params.biases),
            eta: program
                .training
                .map_or(0.0, |t| 2f64.powi(-(t.shift as i32))),
        }
    }
}

fn activate(activation: Activation, x: f64) -> (f64, f64) {
    match activation {
        Activation::Sigmoid(_) => {
            let s = 1.0 / (1.0 + (-x).exp());
            (s, s * (1.0 - s))
        }
        Activation::Relu => (x.max(0.0), if x > 0.0 { 1.0 } else { 0.0 }),
        Activation::Identity => (x, 1.0),
    }
}

impl Stages for FloatEngine<'_> {
    type Trace = Trace;

    fn junctions(&self) -> usize {
        self.program.junctions.len()
    }

    fn start(&mut self, sample: &Sample, recycled: Option<Trace>) -> Trace {
        let layers = &self.program.layers;
        let mut trace = recycled.unwrap_or_else(|| Trace {
            label: 0,
            values: layers.iter().map(|l| vec![0.0; l.size]).collect(),
            derivatives: layers[1..].iter().map(|l| vec![0.0; l.size]).collect(),
            deltas: layers[1..].iter().map(|l| vec![0.0; l.size]).collect(),
        });
        trace.label = sample.label;
        let input = self.program.formats.input;
        for (v, &raw) in trace.values[0].iter_mut().zip(&sample.input) {
            *v = input.to_f64(raw);
        }
        trace
    }

    fn forward(&mut self, j: usize, trace: &mut Trace) {
        let junction = &self.program.junctions[j];
        let mut sums = self.biases[j].clone();
        for (e, &w) in self.weights[j].iter().enumerate() {
            sums[junction.right[e] as usize] += w * trace.values[j][junction.left[e] as usize];
        }
        let activation = self.program.layers[j + 1].activation.expect("activation");
        for (r, s) in sums.into_iter().enumerate() {
            let (a, d) = activate(activation, s);
            trace.values[j + 1][r] = a;
            trace.derivatives[j][r] = d;
        }
    }

    fn finish(&mut self, trace: &mut Trace, train: bool) -> Output {
        let last = self.program.junctions.len();
        let values = trace.values[last].clone();
        if let (true, Some(training)) = (train, self.program.training) {
            for (r, a) in values.iter().enumerate() {
                let error = a - if r == trace.label { 1.0 } else { 0.0 };
                trace.deltas[last - 1][r] = match training.cost {
                    Cost::CrossEntropy => error,
                    Cost::Quadratic => error * trace.derivatives[last - 1][r],
                };
            }
        }
        Output {
            decision: argmax_f64(&values),
            values,
            raw: None,
        }
    }

    fn backward(&mut self, j: usize, trace: &mut Trace) {
        let junction = &self.program.junctions[j];
        let mut sums = vec![0.0; junction.left_size];
        for (e, &w) in self.weights[j].iter().enumerate() {
            sums[junction.left[e] as usize] += w * trace.deltas[j][junction.right[e] as usize];
        }
        for (l, s) in sums.into_iter().enumerate() {
            trace.deltas[j - 1][l] = trace.derivatives[j - 1][l] * s;
        }
    }

    fn update(&mut self, j: usize, trace: &Trace) {
        let junction = &self.program.junctions[j];
        for (b, d) in self.biases[j].iter_mut().zip(&trace.deltas[j]) {
            *b -= self.eta * d;
        }
        for (e, w) in self.weights[j].iter_mut().enumerate() {
            *w -= self.eta
                * trace.deltas[j][junction.right[e] as usize]
                * trace.values[j][junction.left[e] as usize];
        }
    }
}

impl Engine for FloatEngine<'_> {
    fn infer(&mut self, input: &[i64]) -> Output {
        engine::infer(self, input)
    }

    fn train(
        &mut self,
        samples: &[Sample],
        pipeline: &Pipeline,
        on_output: &mut dyn FnMut(usize, &Output),
    ) {
        engine::train(self, samples, pipeline, on_output)
    }

    fn parameters(&self) -> Option<Parameters> {
        None
    }

    fn values(&self) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        (self.weights.clone(), self.biases.clone())
    }
}
