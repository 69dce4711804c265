//! `snnc import MODEL.onnx -o DIR`: an ONNX model as a `.snn` model and its weight files, with
//! a summary of what was kept and chosen (docs/import.md).

use super::{CommandResult, Output};
use crate::cells;
use crate::diagnostics::Error;
use crate::onnx::{self, Options};
use crate::table::Table;
use serde::Serialize;
use snn_runtime::fixed::Format;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ONNX model (as torch.onnx.export or tf2onnx write it)
    model: PathBuf,
    /// The directory for the .snn model and its .npy files (created if missing)
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// The network's name [default: the ONNX file's]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Every signed number format, e.g. fixed<16,10> [default: QONNX's, or from the weights' ranges]
    #[arg(long, value_name = "FORMAT", value_parser = onnx::parse_format)]
    number_format: Option<Format>,
    /// The input's number format, e.g. ufixed<8,8> [default: QONNX's, or from the
    /// calibration inputs' range, or fixed<16,14> for inputs within [-1, 1]]
    #[arg(long, value_name = "FORMAT", value_parser = onnx::parse_format)]
    input_number_format: Option<Format>,
    /// Choose the formats from the values the network takes on these inputs: a data
    /// directory or `.npz` (its training set), or a file as `snnc run --input` reads it
    #[arg(long, value_name = "DATA")]
    calibrate: Option<PathBuf>,
    #[command(flatten)]
    reading: super::exec::DataArgs,
    /// Calibrate on the first N samples
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = super::exec::positive)]
    calibration_samples: usize,
    /// Clocks per junction pass: every junction gets the lanes that take it in C clocks
    /// (`cycles = C`) [default: up to 16 lanes per junction]
    #[arg(long, value_name = "C", value_parser = super::exec::positive)]
    cycles: Option<usize>,
    /// Add a train block: cross-entropy after a sigmoid output (else quadratic), starting
    /// from the imported weights
    #[arg(long)]
    train: bool,
    /// The train block's learning rate, a power of two (smaller to fine-tune trained weights)
    #[arg(long, value_name = "RATE", default_value = "2^-3", value_parser = onnx::parse_learning_rate, requires = "train")]
    learning_rate: u32,
    /// Replace the files of an earlier import
    #[arg(long)]
    force: bool,
}

/// What `import` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Report<'a> {
    model: String,
    files: Vec<String>,
    #[serde(flatten)]
    summary: &'a onnx::model::Summary,
    hardware: Hardware,
}

/// The imported model's hardware, as the compiler planned it.
#[derive(Debug, Serialize)]
struct Hardware {
    /// Lanes per junction, in layer order.
    z: Vec<usize>,
    clocks_per_input: usize,
    latency: usize,
    /// Whether the estimate fits the part, and what is over if not.
    fits: bool,
    verdict: String,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let bytes =
        snn_runtime::files::read_regular(&args.model, snn_runtime::files::MAX_WEIGHTS_BYTES)
            .map_err(|e| Error::NotOnnx {
                path: args.model.display().to_string(),
                reason: e.to_string(),
            })?;
    let chain = onnx::read(&bytes, &args.model.display().to_string())?;
    let stem = args
        .model
        .file_stem()
        .map_or("model".into(), |s| s.to_string_lossy().into_owned());
    let options = Options {
        name: args.name.clone(),
        format: args.number_format,
        input_format: args.input_number_format,
        train: args.train.then_some(args.learning_rate),
        cycles: args.cycles,
    };
    let ranges = match &args.calibrate {
        Some(path) => Some(calibration(path, args, &chain)?),
        None => None,
    };
    let imported = onnx::model::model(&chain, &options, &stem, ranges.as_ref());
    let model_path = args.output.join(format!("{}.snn", imported.name));
    let mut files: Vec<(PathBuf, &[u8])> = vec![(model_path.clone(), imported.text.as_bytes())];
    files.extend(
        imported
            .files
            .iter()
            .map(|(n, b)| (args.output.join(n), b.as_slice())),
    );
    // Refuse before writing anything.
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists() && !args.force) {
        return Err(Error::OutputExists {
            path: existing.display().to_string(),
            detail: "",
        }
        .into());
    }
    std::fs::create_dir_all(&args.output).map_err(|e| super::write_error(&args.output, e))?;
    for (path, bytes) in &files {
        crate::files::write_atomic(path, bytes, args.force)?;
    }
    // The model must compile as it is; its warnings (weights that saturate) are the user's.
    let compiled = super::compile(&model_path, out)?;
    let beat = crate::backend::default_beat(compiled.network());
    let stream = compiled.stream(beat);
    let estimated = crate::synth::estimate::estimate(
        &compiled,
        &crate::hw::Options {
            beat,
            update_multipliers: crate::hw::UpdateMultipliers::Auto,
            interface: crate::hw::Interface::Native,
            board: None,
            baud: crate::hw::DEFAULT_BAUD,
        },
    );
    let report = Report {
        model: model_path.display().to_string(),
        files: files.iter().map(|(p, _)| p.display().to_string()).collect(),
        summary: &imported.summary,
        hardware: Hardware {
            z: compiled.network().junctions().map(|(_, j)| j.z).collect(),
            clocks_per_input: stream.clocks_per_input,
            latency: stream.latency,
            fits: estimated.resources.fits,
            verdict: estimated.resources.verdict(),
        },
    };
    out.result(&report, || text(&report, files.len()));
    Ok(())
}

/// The ranges of `chain` over the first samples of the data at `path`.
fn calibration(
    path: &std::path::Path,
    args: &Args,
    chain: &onnx::graph::Chain,
) -> Result<onnx::calibrate::Ranges, crate::Failure> {
    let reading = args.reading.reading();
    let mut set = if path.is_dir() || path.extension().is_some_and(|e| e == "npz") {
        snn_runtime::data::directory(path, reading).map(|(train, _)| train)
    } else {
        snn_runtime::data::inputs(path, false, reading)
    }
    .map_err(super::exec::data_error)?;
    if set.features != chain.inputs {
        return Err(super::exec::data_error(format!(
            "`{}` has {} values per sample; the model's input has {}",
            path.display(),
            set.features,
            chain.inputs
        )));
    }
    set.truncate(args.calibration_samples);
    Ok(onnx::calibrate::ranges(chain, &set.values()))
}

/// The summary as a person reads it.
fn text(report: &Report, files: usize) -> String {
    let s = report.summary;
    let mut table = Table::with_header(
        "layer | from | >inputs | >outputs | >edges | >density | connect | >z | activation",
    );
    for (l, z) in s.layers.iter().zip(&report.hardware.z) {
        table.row(cells![
            l.name,
            l.node,
            l.inputs,
            l.outputs,
            l.edges,
            format!("{:.1}%", 100.0 * l.density),
            l.connect,
            z,
            l.activation,
        ]);
    }
    let mut out = format!(
        "{}: {} inputs, {} layers\n\n{}",
        s.network,
        s.inputs,
        s.layers.len(),
        table.render()
    );
    for l in s.layers.iter().filter(|l| l.connect == "pruned") {
        if let Some((fan_out, fan_in)) = l.regular {
            let _ = writeln!(
                out,
                "{}: every input keeps {fan_out} edges and every output {fan_in}: the degrees of sparse(fan_out = {fan_out})",
                l.name
            );
        }
    }
    let f = &s.formats;
    let _ = writeln!(
        out,
        "\nformats: input {}, weights {}, activations {} ({})",
        f.input, f.weights, f.activations, s.rule
    );
    for a in &s.approximations {
        let _ = writeln!(out, "approximated: {a}");
    }
    if let Some(t) = &s.training {
        let _ = writeln!(
            out,
            "train block added: {} cost, learning rate {}, starting from the imported weights",
            t.cost, t.learning_rate
        );
    }
    let _ = writeln!(
        out,
        "hardware: one input every {} clocks, latency {} clocks; {} by the estimate{}",
        report.hardware.clocks_per_input,
        report.hardware.latency,
        report.hardware.verdict,
        if s.cycles.is_none() {
            " (--cycles C asks for C clocks per junction)"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "wrote {} and {} weight files", report.model, files - 1);
    out
}
