//! Reading what a simulation produced, and comparing it with the executor: every output and
//! decision, every trained weight and bias, and the clock counts the timing predicts.

use super::SimResult;
use crate::datapath::Timing;
use snn_runtime::engine::Output;
use snn_runtime::fixed::Format;
use snn_runtime::program::{Parameters, Program};
use std::path::Path;
use std::time::Duration;

/// Why the testbench's results could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("outputs.txt: {0}")]
    Outputs(#[source] std::io::Error),
    #[error("bad output line `{line}`")]
    OutputLine { line: String },
    #[error("bad decision in `{line}`")]
    Decision { line: String },
    #[error("not hex: `{text}`")]
    NotHex { text: String },
    #[error("bad clock in `{line}`")]
    Clock { line: String },
    #[error("bad weight `{text}`")]
    Weight { text: String },
    #[error("the testbench printed no summary:\n{log}")]
    NoSummary { log: String },
}

/// Reads the testbench's output and weight files.
pub fn read_results(dir: &Path, act: Format, run_log: &str) -> Result<SimResult, ResultsError> {
    let text = std::fs::read_to_string(dir.join("outputs.txt")).map_err(ResultsError::Outputs)?;
    let signed = |hex: &str, f: Format| -> Result<i64, ResultsError> {
        let raw = i64::from_str_radix(hex, 16).map_err(|_| ResultsError::NotHex {
            text: hex.to_string(),
        })?;
        let w = f.width;
        Ok(if raw >> (w - 1) & 1 == 1 {
            raw - (1i64 << w)
        } else {
            raw
        })
    };
    let mut outputs = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(first), Some(last)) = (fields.first(), fields.last()) else {
            continue;
        };
        let line = || line.to_string();
        // The input's index, its decision, the values and the clock.
        let index: Option<usize> = first.parse().ok().filter(|_| fields.len() >= 3);
        let index = index.ok_or_else(|| ResultsError::OutputLine { line: line() })?;
        let decision = usize::from_str_radix(fields[1], 16)
            .map_err(|_| ResultsError::Decision { line: line() })?;
        let values = fields[2..fields.len() - 1]
            .iter()
            .map(|h| signed(h, act))
            .collect::<Result<Vec<_>, _>>()?;
        let clock: u64 = last
            .trim_start_matches('@')
            .parse()
            .map_err(|_| ResultsError::Clock { line: line() })?;
        outputs.push((index, decision, values, clock));
    }
    let weights_text = std::fs::read_to_string(dir.join("weights_out.txt")).unwrap_or_default();
    let parameters = weights_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|h| {
            i64::from_str_radix(h.trim(), 16)
                .map(|v| (v as i32) as i64)
                .map_err(|_| ResultsError::Weight {
                    text: h.to_string(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The testbench's summary: `tb: outputs=N clocks=N run_start=N first_output=N ...`.
    let summary = run_log
        .lines()
        .find(|l| l.starts_with("tb: outputs="))
        .ok_or_else(|| ResultsError::NoSummary {
            log: run_log.to_string(),
        })?;
    let field = |name: &str| -> u64 {
        summary
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(SimResult {
        outputs,
        parameters,
        run_clocks: field("run"),
        total_clocks: field("clocks"),
        run_start: field("run_start"),
        first_output: field("first_output"),
        elapsed: Duration::ZERO,
    })
}

/// The first difference between the executor and the RTL, described for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(pub String);

/// Compares outputs: every decision and every raw activation, input by input.
pub fn compare_outputs(
    expected: &[Output],
    sim: &SimResult,
    program: &Program,
) -> Result<usize, Mismatch> {
    if sim.outputs.len() != expected.len() {
        return Err(Mismatch(format!(
            "the RTL produced {} outputs, the executor {}",
            sim.outputs.len(),
            expected.len()
        )));
    }
    let output_layer = &program.layers.last().expect("layers").name;
    for (x, (e, (index, decision, values, clock))) in expected.iter().zip(&sim.outputs).enumerate()
    {
        let raw = e.raw.as_ref().expect("fixed-point outputs");
        if *index != x {
            return Err(Mismatch(format!("output {x} came out as number {index}")));
        }
        if values.len() != raw.len() {
            return Err(Mismatch(format!(
                "input {x}: the RTL wrote {} output values, the layer has {}",
                values.len(),
                raw.len()
            )));
        }
        if let Some(r) = (0..raw.len()).find(|&r| raw[r] != values[r]) {
            return Err(Mismatch(format!(
                "input {x}: output neuron {r} of layer `{output_layer}` is {} in the RTL (clock {clock}), {} in the executor",
                values[r], raw[r]
            )));
        }
        if *decision != e.decision {
            return Err(Mismatch(format!(
                "input {x}: decision {decision} in the RTL, {} in the executor",
                e.decision
            )));
        }
    }
    Ok(expected.len())
}

/// Compares trained parameters; the RTL lists weights then biases per junction. A mismatch
/// names the first differing weight or bias and how many differ in all.
pub fn compare_parameters(
    expected: &Parameters,
    sim: &SimResult,
    program: &Program,
) -> Result<usize, Mismatch> {
    let total: usize = expected
        .weights
        .iter()
        .chain(&expected.biases)
        .map(Vec::len)
        .sum();
    if sim.parameters.len() != total {
        return Err(Mismatch(format!(
            "the RTL returned {} parameters, expected {total}",
            sim.parameters.len()
        )));
    }
    // Every parameter in the order the RTL reads them back: each junction's weights, then biases.
    enum Parameter {
        Weight(usize),
        Bias(usize),
    }
    let order = program
        .junctions
        .iter()
        .enumerate()
        .flat_map(|(j, junction)| {
            let weights = expected.weights[j].iter().enumerate();
            let biases = expected.biases[j].iter().enumerate();
            let weights = weights.map(move |(e, &w)| (junction, Parameter::Weight(e), w));
            weights.chain(biases.map(move |(r, &b)| (junction, Parameter::Bias(r), b)))
        });
    let mut first: Option<String> = None;
    let mut differ = 0;
    for ((junction, parameter, want), &got) in order.zip(&sim.parameters) {
        if got != want {
            differ += 1;
            first.get_or_insert_with(|| {
                let what = match parameter {
                    Parameter::Weight(e) => format!(
                        "weight of edge {e} ({} -> {})",
                        junction.left[e], junction.right[e]
                    ),
                    Parameter::Bias(r) => format!("bias of neuron {r}"),
                };
                format!(
                    "junction `{}`: {what} is {got} in the RTL, {want} in the executor",
                    junction.name
                )
            });
        }
    }
    match first {
        None => Ok(total),
        Some(m) => Err(Mismatch(format!(
            "{m} ({differ} of {total} parameters differ)"
        ))),
    }
}

/// Clocks per input in steady state, measured between consecutive outputs.
pub fn steady_clocks(sim: &SimResult) -> Option<u64> {
    let clocks: Vec<u64> = sim.outputs.iter().map(|o| o.3).collect();
    let gaps: Vec<u64> = clocks.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.iter().copied().max()
}

/// One clock figure: what the simulation took against what the timing predicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clocks {
    pub what: &'static str,
    pub measured: usize,
    pub predicted: usize,
}

/// The clock figures of a run of `n` samples at `beats` beats per input.
pub fn clocks(sim: &SimResult, timing: &Timing, n: usize, beats: usize) -> Vec<Clocks> {
    let mut figures = Vec::new();
    if let Some(steady) = steady_clocks(sim) {
        figures.push(Clocks {
            what: "per input",
            measured: steady as usize,
            predicted: timing.period().max(beats),
        });
    }
    if n > 0 {
        figures.push(Clocks {
            what: "to the first output",
            measured: sim.first_output.saturating_sub(sim.run_start) as usize,
            predicted: timing.first_output_clocks(n, beats),
        });
    }
    figures.push(Clocks {
        what: "for the run",
        measured: sim.run_clocks as usize,
        predicted: timing.run_clocks(n, beats),
    });
    figures
}

/// Everything a co-simulation compared.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// Outputs compared, or the first that differs.
    pub outputs: Result<usize, Mismatch>,
    /// Weights and biases compared after the run, or the first that differs.
    pub parameters: Result<usize, Mismatch>,
    pub clocks: Vec<Clocks>,
    /// Wall time of the simulation, and clocks simulated in all.
    pub elapsed: Duration,
    pub total_clocks: u64,
}

impl Verdict {
    /// Whether the RTL agrees with the executor in every value and every clock figure.
    pub fn agrees(&self) -> bool {
        self.outputs.is_ok()
            && self.parameters.is_ok()
            && self.clocks.iter().all(|c| c.measured == c.predicted)
    }

    /// The values' verdict, e.g. `bit-exact: 16/16 outputs, 60/60 weights and biases`.
    pub fn values_line(&self) -> String {
        match (&self.outputs, &self.parameters) {
            (Ok(o), Ok(w)) => format!("bit-exact: {o}/{o} outputs, {w}/{w} weights and biases"),
            _ => [&self.outputs, &self.parameters]
                .iter()
                .filter_map(|r| r.as_ref().err())
                .map(|m| format!("MISMATCH: {}", m.0))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The clocks' verdict, e.g. `clocks: 32 per input (predicted 32); ...`.
    pub fn clocks_line(&self) -> String {
        let parts: Vec<String> = self
            .clocks
            .iter()
            .map(|c| format!("{} {} (predicted {})", c.measured, c.what, c.predicted))
            .collect();
        format!("clocks: {}", parts.join("; "))
    }
}
