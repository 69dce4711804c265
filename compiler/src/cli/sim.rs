//! `snnc sim MODEL.snn`: build the RTL, simulate it on samples, and compare it bit for bit with
//! the executor — outputs, trained weights and clock counts.

use super::exec::{self, ExactEngine};
use super::{CommandResult, Output};
use crate::cosim::{self, compare::Clocks, Session, SimError, Simulator};
use crate::diagnostics::Error;
use crate::Failure;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// The simulator
    #[arg(long, value_enum, default_value_t = Simulator::Verilator)]
    simulator: Simulator,
    /// Take samples from this data directory (its training set; see `snnc train --help`)
    #[arg(long, value_name = "DIR", conflicts_with = "seed")]
    data: Option<PathBuf>,
    #[command(flatten)]
    reading: exec::DataArgs,
    /// Simulate seeded random inputs and labels, from this seed (the default: seed 1)
    #[arg(long, value_name = "SEED", visible_alias = "random")]
    seed: Option<u64>,
    /// How many samples
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// Infer, or train (the network needs a `train` block)
    #[arg(long, value_enum, default_value_t = Mode::Infer)]
    mode: Mode,
    /// The executor the RTL is compared with
    #[arg(long, value_enum, default_value_t = ExactEngine::Jit)]
    engine: ExactEngine,
    #[command(flatten)]
    dir: super::build::WorkDir,
    /// Dump waveforms (`dump.vcd` in the build directory; use with --output)
    #[arg(long)]
    vcd: bool,
    #[command(flatten)]
    design: super::build::DesignArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Infer,
    Train,
}

/// What `sim` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Simulated {
    network: String,
    simulator: &'static str,
    build_seconds: f64,
    simulated_clocks: u64,
    simulation_seconds: f64,
    /// Outputs and parameters that agree with the executor (all of them when `bit_exact`).
    outputs: usize,
    parameters: usize,
    bit_exact: bool,
    mismatches: Vec<String>,
    clocks: Vec<ClockFigure>,
}

#[derive(Debug, Serialize)]
struct ClockFigure {
    what: &'static str,
    measured: usize,
    predicted: usize,
}

impl From<&Clocks> for ClockFigure {
    fn from(c: &Clocks) -> ClockFigure {
        ClockFigure {
            what: c.what,
            measured: c.measured,
            predicted: c.predicted,
        }
    }
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let compiled = super::compile(&args.model, out)?;
    let network = &compiled.network();
    let train = args.mode == Mode::Train;
    if train && network.training.is_none() {
        return Err(Error::NoTraining {
            network: network.name.clone(),
            help: "simulate it with --mode infer, or add a train block",
        }
        .into());
    }
    let options = args.design.options(&compiled)?;
    let samples_wanted = args.samples as usize;
    let dir = args.dir.output.as_deref().map(|d| (d, args.dir.force));
    let params = args.design.parameters(&compiled, out)?;
    let session = Session::new(&compiled, &params, &options, samples_wanted, dir)?;
    let samples = match &args.data {
        Some(dir) => {
            let (set, _) = snn_runtime::data::directory(dir, args.reading.reading())
                .map_err(exec::data_error)?;
            exec::samples(&session.program, set, Some(samples_wanted), out)?
        }
        None => cosim::random_samples(&session.program, samples_wanted, args.seed.unwrap_or(1)),
    };

    let bar = out.progress(
        samples.len() as u64,
        "{spinner} {msg} {human_pos}/{human_len} samples ({elapsed})",
    );
    bar.set_message(format!("building with {}", args.simulator.name()));
    let simulated = session.compile(args.simulator, args.vcd).and_then(|model| {
        bar.set_message(format!(
            "simulating {}",
            if train { "training" } else { "inference" }
        ));
        let result = model.run(&samples, train, 0, &mut |n| bar.set_position(n as u64))?;
        Ok((model.build_time, result))
    });
    bar.finish_and_clear();
    let (build_time, sim) = simulated.map_err(sim_error)?;

    // The executor on the same samples, from the same initial parameters.
    let mut engine = exec::engine(args.engine.into(), &session.program, &session.params, None)?;
    let verdict = session.verdict(&compiled, engine.as_mut(), &samples, train, &sim);
    let bit_exact = verdict.outputs.is_ok() && verdict.parameters.is_ok();
    let report = Simulated {
        network: network.name.clone(),
        simulator: args.simulator.name(),
        build_seconds: build_time.as_secs_f64(),
        simulated_clocks: sim.total_clocks,
        simulation_seconds: sim.elapsed.as_secs_f64(),
        outputs: *verdict.outputs.as_ref().unwrap_or(&0),
        parameters: *verdict.parameters.as_ref().unwrap_or(&0),
        bit_exact,
        mismatches: [&verdict.outputs, &verdict.parameters]
            .iter()
            .filter_map(|r| r.as_ref().err().map(|m| m.0.clone()))
            .collect(),
        clocks: verdict.clocks.iter().map(ClockFigure::from).collect(),
    };
    out.result(&report, || {
        let steps = if train && bit_exact {
            format!(" after {} training steps", samples.len())
        } else {
            String::new()
        };
        let mut text = format!(
            "{} under {}: built in {:.1} s, simulated {} clocks in {:.2} s ({:.0} clocks/s)\n{}{steps}\n",
            report.network,
            report.simulator,
            report.build_seconds,
            report.simulated_clocks,
            report.simulation_seconds,
            report.simulated_clocks as f64 / report.simulation_seconds.max(1e-9),
            verdict.values_line(),
        );
        if bit_exact {
            text.push_str(&verdict.clocks_line());
            text.push('\n');
        }
        text
    });
    if !bit_exact {
        return Err(Error::RtlDisagrees.into());
    }
    let wrong: Vec<String> = verdict
        .clocks
        .iter()
        .filter(|c| c.measured != c.predicted)
        .map(|c| {
            format!(
                "{} clocks {}, predicted {}",
                c.measured, c.what, c.predicted
            )
        })
        .collect();
    if !wrong.is_empty() {
        return Err(Error::TimingModel {
            measured: wrong.join(", "),
        }
        .into());
    }
    Ok(())
}

fn sim_error(e: SimError) -> Failure {
    match e {
        SimError::Missing(s) => Error::SimulatorMissing {
            simulator: s.package(),
            package: s.package(),
            other: match s {
                Simulator::Verilator => "icarus",
                Simulator::Icarus => "verilator",
            },
        },
        SimError::Failed { step, log } => Error::SimulatorFailed { step, log },
    }
    .into()
}
