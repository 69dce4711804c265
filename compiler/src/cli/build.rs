//! `snnc build MODEL.snn -o DIR`: the hardware — RTL, memory images, testbench, schedule.

use super::{CommandResult, Output};
use crate::backend::{self, Bench};
use crate::datapath::layout;
use crate::diagnostics::{Error, Warning};
use crate::hw::{Interface, Options, UpdateMultipliers};
use crate::synth::resources;
use crate::{Compiled, Failure};
use serde::Serialize;
use snn_runtime::program::Parameters;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// The output directory
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Replace an earlier build in the output directory (all of it)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    design: DesignArgs,
    /// The most inputs the testbench can stream
    #[arg(long, default_value_t = 1024, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_samples: u64,
}

/// How a design is made from the model, for `build`, `sim` and `synth`.
#[derive(Debug, clap::Args)]
pub struct DesignArgs {
    /// Input values per beat of the input stream [default: a divisor of the input layer and of z, at most 32]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    beat: Option<u64>,
    /// Where the multipliers only training needs (the update's, the δ's, the backward
    /// products') go: DSP48E1 slices, LUTs (as the published design built its update), or DSP
    /// slices unless the part has too few, then whole junctions' in LUTs from the input
    #[arg(long, value_enum, default_value_t = UpdateMultipliers::Auto, value_name = "WHERE")]
    update_multipliers: UpdateMultipliers,
    /// The core behind AXI4-Stream and AXI4-Lite (`<net>_axi`, with regs.md, regs.json and
    /// regs.h), or the core's own streams and memory bus only (`<net>_top`)
    #[arg(long, value_enum, default_value_t = Interface::Axi, value_name = "KIND")]
    interface: Interface,
    /// Add a board top for this board: the core behind its USB-UART (the board protocol),
    /// with its pins [default: the model's `board`]
    #[arg(long, value_enum, value_name = "BOARD")]
    board: Option<crate::target::Board>,
    /// The board top's UART speed
    #[arg(long, default_value_t = crate::hw::DEFAULT_BAUD, value_name = "BITS/S")]
    baud: u32,
    /// Trained weights and biases to start from, in the memory images and (for `sim`) the
    /// executor (`.npz` from `snnc train`) [default: the model's initial weights]
    #[arg(long, value_name = "W.npz")]
    pub weights: Option<PathBuf>,
}

/// Where `sim` and `synth` build: a directory kept, or a temporary one.
#[derive(Debug, clap::Args)]
pub struct WorkDir {
    /// Build in this directory and keep it (default: a temporary directory)
    #[arg(short, long, value_name = "DIR", visible_alias = "keep")]
    pub output: Option<PathBuf>,
    /// Replace an earlier build in the --output directory
    #[arg(long, requires = "output")]
    pub force: bool,
}

impl DesignArgs {
    /// The build options, the beat checked against the schedule.
    pub fn options(&self, compiled: &Compiled) -> Result<Options, Failure> {
        Ok(Options {
            beat: beat(compiled, self.beat)?,
            update_multipliers: self.update_multipliers,
            interface: self.interface,
            board: self.board.or(compiled.network().target.board),
            baud: self.baud,
        })
    }

    /// The parameters the design starts from (see [`parameters`]).
    pub fn parameters(&self, compiled: &Compiled, out: &Output) -> Result<Parameters, Failure> {
        parameters(compiled, self.weights.as_deref(), out)
    }
}

/// What `build` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Built {
    network: String,
    output: String,
    files: usize,
    milliseconds: f64,
    clocks_per_input: usize,
    latency: usize,
    fits: bool,
    verdict: String,
    /// The `.npz` the memory images' weights and biases come from, if not the model.
    weights: Option<String>,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let started = Instant::now();
    let compiled = super::compile(&args.model, out)?;
    let network = &compiled.network();
    let options = args.design.options(&compiled)?;
    let params = args.design.parameters(&compiled, out)?;
    let design = emit(&compiled, &params, &options, args.max_samples as usize)?;
    crate::files::write_tree(&args.output, &design.files, args.force)?;
    let report = design.report.as_ref().expect("a build has a report");
    if !report.estimate.fits {
        out.warn(&[does_not_fit(&compiled, report)], None);
    }
    let built = Built {
        network: network.name.clone(),
        output: args.output.display().to_string(),
        files: design.files.len(),
        milliseconds: (started.elapsed().as_secs_f64() * 1e4).round() / 10.0,
        clocks_per_input: report.clocks_per_input,
        latency: report.latency,
        fits: report.estimate.fits,
        verdict: report.estimate.verdict.clone(),
        weights: args
            .design
            .weights
            .as_ref()
            .map(|w| w.display().to_string()),
    };
    out.result(&built, || {
        format!(
            "{}: {} files in {} ({:.0} ms); one input every {} clocks, latency {} clocks{}\n",
            built.network,
            built.files,
            built.output,
            built.milliseconds,
            built.clocks_per_input,
            built.latency,
            built
                .weights
                .as_ref()
                .map(|w| format!("; weights from {w}"))
                .unwrap_or_default()
        )
    });
    Ok(())
}

/// The input beat: the one asked for, checked against the first junction's banks, or the
/// default.
pub fn beat(compiled: &Compiled, requested: Option<u64>) -> Result<usize, Failure> {
    let beat = requested.map_or_else(|| backend::default_beat(compiled.network()), |b| b as usize);
    layout::check_beat(compiled.schedule(), beat).map_err(|e| Error::BadBeat {
        reason: e.to_string(),
    })?;
    Ok(beat)
}

/// The parameters a design starts from: those of `weights` (warning of what they lose), or
/// the model's initial ones.
pub fn parameters(
    compiled: &Compiled,
    weights: Option<&std::path::Path>,
    out: &Output,
) -> Result<Parameters, Failure> {
    let program = crate::lower::program(compiled);
    match weights {
        None => Ok(crate::lower::initial_parameters(
            compiled.network(),
            &program,
        )),
        Some(path) => Ok(super::exec::read_weights(path, &program, out)?.params),
    }
}

/// The design of `compiled` starting from `params`; a failure here is a bug.
pub fn emit(
    compiled: &Compiled,
    params: &Parameters,
    options: &Options,
    max_samples: usize,
) -> Result<backend::Design, Failure> {
    crate::emit(compiled, Some(params), options, &Bench { max_samples })
        .map_err(|e| e.into_error(&compiled.network().name).into())
}

/// The warning that a built design is estimated not to fit its part.
fn does_not_fit(compiled: &Compiled, report: &backend::report::Report) -> Warning {
    let over = resources::over(&report.estimate.utilization)
        .iter()
        .map(|u| {
            format!(
                "{} {} of {} ({}%)",
                u.resource, u.used, u.available, u.percent
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Warning::DoesNotFit {
        part: compiled.network().target.part.name.clone(),
        over: format!("{over} by the estimate"),
        help: "lower the parallelism (z or cycles), the bit widths, or choose a larger part; `snnc explore` shows what fits".into(),
    }
}
