//! Every warning snnc gives: something it did that the user may not expect, said with a
//! stable code and a count or a figure, never silently. W04xx: the network's arithmetic;
//! W05xx: weight files named by the model; W10xx: commands.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A warning: the command goes on (exit status 0).
#[derive(Debug, Clone, Error, Diagnostic)]
#[diagnostic(severity(Warning))]
pub enum Warning {
    #[error("junction `{junction}` takes {clocks} clocks per pass, more than cycles = {cycles}")]
    #[diagnostic(code(W0401), help("{reason}"))]
    CyclesNotMet {
        junction: String,
        cycles: u64,
        clocks: usize,
        reason: String,
        #[label("asks for {cycles} clocks")]
        span: SourceSpan,
    },

    #[error(
        "the clock of {clock_mhz} MHz is above the estimated Fmax of {fmax_mhz:.0} MHz ({worst})"
    )]
    #[diagnostic(
        code(W0402),
        help("lower `clock` in the model's `target`, or synthesise with `snnc synth` for the estimate from the netlist (docs/timing.md)")
    )]
    ClockAboveFmax {
        clock_mhz: f64,
        fmax_mhz: f64,
        worst: String,
        #[label("the design is estimated to reach {fmax_mhz:.0} MHz")]
        span: Option<SourceSpan>,
    },

    #[error("{saturated} of the {values} values in `{path}` lie outside the weight format {format} and are saturated to its ends")]
    #[diagnostic(
        code(W0501),
        help("scale the weights into the format's range, or give `weights` more integer bits")
    )]
    InitialWeightsSaturated {
        path: String,
        saturated: usize,
        values: usize,
        format: String,
        #[label("these weights")]
        span: SourceSpan,
    },

    #[error("{count} non-zero entries of `{path}` lie where junction `{junction}` has no edge, and are not used")]
    #[diagnostic(code(W0502), help("a sparse junction's edges come from its pattern; to make an edge of every non-zero weight, write `connect = pruned(weights = \"{path}\")`"))]
    InitialWeightsOffEdges {
        path: String,
        junction: String,
        count: usize,
        #[label("a dense matrix for a sparse junction")]
        span: SourceSpan,
    },

    #[error("the design does not fit {part}: {over}")]
    #[diagnostic(code(W1001), help("{help}"))]
    DoesNotFit {
        part: String,
        over: String,
        help: String,
    },

    #[error("{saturated} of the {values} input values of {origin} lie outside the input format {format} and are saturated to its ends")]
    #[diagnostic(code(W1002), help("{help}"))]
    InputsSaturated {
        origin: String,
        saturated: usize,
        values: usize,
        format: String,
        help: String,
    },

    #[error("{saturated} of the {values} values in `{path}` lie outside the weight format {format} and are saturated to its ends")]
    #[diagnostic(
        code(W1003),
        help("weights trained elsewhere may need a format with more integer bits")
    )]
    WeightsSaturated {
        path: String,
        saturated: usize,
        values: usize,
        format: String,
    },

    #[error("{count} non-zero weights in `{path}` lie where the network has no edge, and are not loaded")]
    #[diagnostic(code(W1004), help("the network's edges come from its patterns; a matrix pruned elsewhere belongs in `connect = pruned(weights = ...)`"))]
    WeightsOffEdges { path: String, count: usize },
}

impl Warning {
    /// The warnings of reading a data set into the input format: saturated values.
    pub fn inputs(origin: &str, c: snn_runtime::data::Conversion, format: &str) -> Vec<Warning> {
        (c.saturated > 0)
            .then(|| Warning::InputsSaturated {
                origin: origin.to_string(),
                saturated: c.saturated,
                values: c.values,
                format: format.to_string(),
                help: if c.looks_like_pixels {
                    "every value is a whole number from 0 to 255: if they are pixels, pass --pixels to read them as p / 256".into()
                } else {
                    "scale the data into the input format's range, or give `input` more integer bits".into()
                },
            })
            .into_iter()
            .collect()
    }

    /// The warnings of loading trained weights: saturated values and unused entries.
    pub fn weights(path: &str, f: snn_runtime::weights::Fidelity, format: &str) -> Vec<Warning> {
        let mut out = Vec::new();
        if f.saturated > 0 {
            out.push(Warning::WeightsSaturated {
                path: path.to_string(),
                saturated: f.saturated,
                values: f.values,
                format: format.to_string(),
            });
        }
        if f.off_edges > 0 {
            out.push(Warning::WeightsOffEdges {
                path: path.to_string(),
                count: f.off_edges,
            });
        }
        out
    }
}
