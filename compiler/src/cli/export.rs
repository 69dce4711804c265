//! `snnc export MODEL.snn [--weights W.npz] -o model.onnx`: the network and its weights, in
//! float, as ONNX, to check it in onnxruntime or PyTorch (docs/import.md).

use super::exec;
use super::{CommandResult, Output};
use crate::onnx::export::Element;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Trained weights (`.npz` from `snnc train`) [default: the model's initial weights]
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// The ONNX file to write
    #[arg(short, long, value_name = "FILE.onnx")]
    output: PathBuf,
    /// Replace the ONNX file if it exists
    #[arg(long)]
    force: bool,
    /// Write float64 tensors, so that onnxruntime computes what `snnc run --engine float`
    /// does (formats wider than 24 bits always are)
    #[arg(long)]
    float64: bool,
}

/// What `export` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Exported {
    network: String,
    output: String,
    layers: usize,
    opset: i64,
    tensors: Element,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    crate::files::check_writable(&args.output, args.force)?;
    let compiled = super::compile(&args.model, out)?;
    let loaded = exec::load(
        &args.model,
        args.weights.as_deref(),
        &Output::new(out.format, true),
    )?;
    let (weights, biases) = &loaded.values;
    let element = Element::of(compiled.network(), args.float64);
    let bytes = crate::onnx::export::export(
        compiled.network(),
        &loaded.program,
        weights,
        biases,
        element,
    );
    crate::files::write_atomic(&args.output, &bytes, args.force)?;
    let exported = Exported {
        network: compiled.network().name.clone(),
        output: args.output.display().to_string(),
        layers: loaded.program.junctions.len(),
        opset: crate::onnx::export::OPSET,
        tensors: element,
    };
    out.result(&exported, || {
        format!(
            "{}: {} layers as ONNX (opset {}, {} tensors) in {}\n",
            exported.network,
            exported.layers,
            exported.opset,
            exported.tensors.name(),
            exported.output
        )
    });
    Ok(())
}
