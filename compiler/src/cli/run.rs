//! `snnc run MODEL.snn --input FILE`: infer every input and print its outputs and decision.

use super::exec::{self, EngineKind};
use super::CommandError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Inputs: IDX images (`*-idx3-ubyte[.gz]`), a `.npy` array (samples, features) or a `.csv` of features
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Trained weights (`.npz` from `snnc train --save`); default: the model's initial weights
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// The executor
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
    /// Run only the first N inputs
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    let loaded = exec::load(&args.model, args.weights.as_deref())?;
    let set = snn_runtime::data::inputs(&args.input).map_err(exec::data_error)?;
    let samples = exec::samples(&loaded.program, set, args.limit)?;
    let mut engine = exec::engine(args.engine, &loaded.program, &loaded.params)?;
    for (i, sample) in samples.iter().enumerate() {
        let output = engine.infer(&sample.input);
        let values: Vec<String> = output.values.iter().map(|v| format!("{v:.4}")).collect();
        println!(
            "{i}: decision {} outputs [{}]",
            output.decision,
            values.join(", ")
        );
    }
    Ok(())
}
