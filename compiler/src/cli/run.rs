//! `snnc run MODEL.snn --input FILE`: infer every input and print its outputs and decision.

use super::exec::{self, EngineKind};
use super::{CommandResult, Output};
use crate::diagnostics::Error;
use serde::Serialize;
use snn_runtime::float::FloatEngine;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Inputs: IDX images (`*-idx3-ubyte[.gz]`), a `.npy` array (samples, features …) or a `.csv` of features
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// The CSV's first column is a label (as in a data directory's train.csv and test.csv):
    /// it is not read as a feature
    #[arg(long)]
    labelled: bool,
    #[command(flatten)]
    reading: exec::DataArgs,
    /// Trained weights (`.npz` from `snnc train --save`); default: the model's initial weights
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// The executor
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
    /// Run only the first N inputs
    #[arg(long, value_name = "N", value_parser = exec::positive)]
    limit: Option<usize>,
}

/// One input's result, as `--format json` lists it.
#[derive(Debug, Serialize)]
struct Inferred {
    index: usize,
    decision: usize,
    outputs: Vec<f64>,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let loaded = exec::load(&args.model, args.weights.as_deref(), out)?;
    let set = snn_runtime::data::inputs(&args.input, args.labelled, args.reading.reading())
        .map_err(exec::data_error)?;
    let inputs = loaded.program.input_size();
    let csv = args.input.to_string_lossy().contains(".csv");
    if csv && !args.labelled && set.features == inputs + 1 {
        return Err(Error::BadData {
            reason: format!(
                "`{}` has {} columns for an input layer of {inputs}: if the first is a label, pass --labelled",
                args.input.display(),
                set.features
            ),
        }
        .into());
    }
    let mut values = set.values();
    if let Some(n) = args.limit {
        values.truncate(n);
    }
    let samples = exec::samples(&loaded.program, set, args.limit, out)?;
    let outputs: Vec<snn_runtime::engine::Output> = if args.engine == EngineKind::Float {
        // float64 from the unrounded weights and inputs.
        let (w, b) = loaded.values.clone();
        let mut engine = FloatEngine::from_values(&loaded.program, w, b);
        values.iter().map(|v| engine.infer_values(v)).collect()
    } else {
        let mut engine = loaded.engine(args.engine)?;
        samples.iter().map(|s| engine.infer(&s.input)).collect()
    };
    let results: Vec<Inferred> = outputs
        .into_iter()
        .enumerate()
        .map(|(index, output)| Inferred {
            index,
            decision: output.decision,
            outputs: output.values,
        })
        .collect();
    out.result(&results, || {
        let mut text = String::new();
        for r in &results {
            let values: Vec<String> = r.outputs.iter().map(|v| format!("{v:.4}")).collect();
            let _ = writeln!(
                text,
                "{}: decision {} outputs [{}]",
                r.index,
                r.decision,
                values.join(", ")
            );
        }
        text
    });
    Ok(())
}
