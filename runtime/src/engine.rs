//! What every engine offers (inference, training, its parameters), and the pipelined
//! training driver the JIT and float engines share.

use crate::program::{Parameters, Pipeline, Sample};

/// One input's forward result.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    /// argmax of the outputs (the first on ties).
    pub decision: usize,
    /// The output activations as numbers.
    pub values: Vec<f64>,
    /// The output activations as raw fixed-point values (`None` for the float engine).
    pub raw: Option<Vec<i64>>,
}

impl Output {
    /// The output of raw activations in `format`.
    pub fn from_raw(raw: Vec<i64>, format: crate::fixed::Format) -> Output {
        Output {
            decision: crate::program::argmax(&raw),
            values: raw.iter().map(|&v| format.to_f64(v)).collect(),
            raw: Some(raw),
        }
    }
}

/// An executor of a program.
pub trait Engine {
    /// The forward pass of one input (raw input-format values).
    fn infer(&mut self, input: &[i64]) -> Output;

    /// Trains on `samples` in order; `on_output` sees each input's forward result.
    fn train(
        &mut self,
        samples: &[Sample],
        pipeline: &Pipeline,
        on_output: &mut dyn FnMut(usize, &Output),
    );

    /// The raw parameters, in schedule order (`None` for the float engine).
    fn parameters(&self) -> Option<Parameters>;

    /// Weights (schedule order) and biases per junction, as numbers.
    fn values(&self) -> (Vec<Vec<f64>>, Vec<Vec<f64>>);
}

/// The steps of one input's journey through the network, as an engine implements them.
pub trait Stages {
    /// Everything one input carries between its steps.
    type Trace;

    fn junctions(&self) -> usize;

    /// A trace for a new input, reusing `recycled` buffers when given.
    fn start(&mut self, sample: &Sample, recycled: Option<Self::Trace>) -> Self::Trace;

    /// Junction `j` (0-based) forward.
    fn forward(&mut self, j: usize, trace: &mut Self::Trace);

    /// After the last forward step: the output, and δ of the output layer from the cost.
    fn finish(&mut self, trace: &mut Self::Trace, train: bool) -> Output;

    /// Junction `j` (≥ 1) backward: δ of its left layer.
    fn backward(&mut self, j: usize, trace: &mut Self::Trace);

    /// Junction `j` update from the trace's δ and left values.
    fn update(&mut self, j: usize, trace: &Self::Trace);
}

/// Runs the training schedule of docs/semantics.md over `stages`.
///
/// In cycle `t`, first every junction in order runs its forward pass (input
/// `t − forward[j]`), then every junction from the output back runs its backward pass and
/// update (input `t − backward[j]`), so each step sees its junction's weights as they were
/// at the start of the cycle and every value it reads is already computed.
pub fn train<S: Stages>(
    stages: &mut S,
    samples: &[Sample],
    pipeline: &Pipeline,
    on_output: &mut dyn FnMut(usize, &Output),
) {
    let n = samples.len();
    if n == 0 {
        return;
    }
    let jn = stages.junctions();
    pipeline.check(jn).expect("a valid pipeline");
    // In-flight traces by input index modulo the window.
    let window = pipeline.backward[0] + 1;
    let mut traces: Vec<Option<S::Trace>> = (0..window).map(|_| None).collect();
    let mut spare: Option<S::Trace> = None;
    let spacing = pipeline.spacing;
    for t in 0..=pipeline.last_cycle(n) {
        let at = |offset: usize| -> Option<usize> {
            let x = t.checked_sub(offset)?;
            (x % spacing == 0 && x / spacing < n).then_some(x / spacing)
        };
        if let Some(x) = at(0) {
            traces[x % window] = Some(stages.start(&samples[x], spare.take()));
        }
        for j in 0..jn {
            if let Some(x) = at(pipeline.forward[j]) {
                let trace = traces[x % window].as_mut().expect("input entered");
                stages.forward(j, trace);
                if j + 1 == jn {
                    let output = stages.finish(trace, true);
                    on_output(x, &output);
                }
            }
        }
        for j in (0..jn).rev() {
            if let Some(x) = at(pipeline.backward[j]) {
                let trace = traces[x % window].as_mut().expect("input entered");
                if j > 0 {
                    stages.backward(j, trace);
                }
                stages.update(j, trace);
                if j == 0 {
                    spare = traces[x % window].take();
                }
            }
        }
    }
}

/// Inference through `stages`: every forward step, then the output.
pub fn infer<S: Stages>(stages: &mut S, input: &[i64]) -> Output {
    let sample = Sample {
        input: input.to_vec(),
        label: 0,
    };
    let mut trace = stages.start(&sample, None);
    for j in 0..stages.junctions() {
        stages.forward(j, &mut trace);
    }
    stages.finish(&mut trace, false)
}

/// argmax of `values`, the first on ties.
pub fn argmax_f64(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
