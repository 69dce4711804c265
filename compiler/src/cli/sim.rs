//! `snnc sim MODEL.snn`: build the RTL, simulate it on samples, and compare it bit for bit with
//! the executor — outputs, trained weights and clock counts.

use super::exec::{self, EngineKind};
use super::CommandError;
use crate::backend::{self, Options, UpdateMultipliers};
use crate::cosim::{self, Session, SimError, Simulator};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// The simulator
    #[arg(long, value_enum, default_value_t = Simulator::Verilator)]
    simulator: Simulator,
    /// Take samples from this data directory (its training set; see `snnc train --help`)
    #[arg(long, value_name = "DIR", conflicts_with = "random")]
    data: Option<PathBuf>,
    /// Use seeded random inputs and labels (the default, seed 1)
    #[arg(long, value_name = "SEED")]
    random: Option<u64>,
    /// How many samples
    #[arg(long, default_value_t = 16, value_name = "N")]
    samples: usize,
    /// Infer, or train (the network needs a `train` block)
    #[arg(long, value_enum, default_value_t = Mode::Infer)]
    mode: Mode,
    /// The executor the RTL is compared with
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
    /// Build and simulate in this directory and keep it (default: a temporary directory)
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Dump waveforms (`dump.vcd` in the build directory; use with --keep)
    #[arg(long)]
    vcd: bool,
    /// Input values per beat of the input stream
    #[arg(long, value_name = "N")]
    beat: Option<usize>,
    /// Where the update's multipliers go (see `snnc build --help`)
    #[arg(long, value_enum, default_value_t = UpdateMultipliers::Auto, value_name = "WHERE")]
    update_multipliers: UpdateMultipliers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Infer,
    Train,
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    if args.engine == EngineKind::Float {
        return Err(CommandError::User {
            code: "E1007",
            message: "the float engine cannot be compared bit for bit".into(),
            help: "use --engine jit or --engine interp".into(),
        });
    }
    let compiled = super::compile(&args.model)?;
    let network = &compiled.network;
    let train = args.mode == Mode::Train;
    if train && network.training.is_none() {
        return Err(CommandError::User {
            code: "E1003",
            message: format!("network `{}` has no `train` block", network.name),
            help: "simulate it with --mode infer, or add a train block".into(),
        });
    }
    let options = Options {
        beat: args.beat.unwrap_or_else(|| backend::default_beat(network)),
        update_multipliers: args.update_multipliers,
    };
    if let Some(dir) = &args.keep {
        std::fs::create_dir_all(dir).map_err(|e| CommandError::User {
            code: "E1001",
            message: format!("cannot create `{}`: {e}", dir.display()),
            help: "check that the directory is writable".into(),
        })?;
    }
    let session = Session::new(&compiled, &options, args.samples, args.keep.as_deref()).map_err(
        |message| CommandError::User {
            code: "E1006",
            message,
            help: "change the model's parallelism or --beat".into(),
        },
    )?;
    let samples = match &args.data {
        Some(dir) => {
            let (set, _) = snn_runtime::data::directory(dir).map_err(exec::data_error)?;
            exec::samples(&session.program, set, Some(args.samples))?
        }
        None => cosim::random_samples(&session.program, args.samples, args.random.unwrap_or(1)),
    };

    let progress = ProgressBar::new(samples.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos}/{len} ({elapsed})")
            .expect("valid template"),
    );
    progress.enable_steady_tick(Duration::from_millis(120));
    progress.set_message(format!("building with {}", args.simulator.name()));
    let simulated = session.compile(args.simulator, args.vcd).and_then(|model| {
        progress.set_message(format!(
            "simulating {} samples",
            if train { "training" } else { "inference" }
        ));
        let result = model.run(&samples, train, 0, &mut |n| progress.set_position(n as u64))?;
        Ok((model.build_time, result))
    });
    progress.finish_and_clear();
    let (build_time, sim) = simulated.map_err(|e| match e {
        SimError::Missing(s) => CommandError::User {
            code: "E1008",
            message: format!("{} is not installed", s.package()),
            help: format!(
                "install it with `apt-get install {}`, or pass --simulator {}",
                s.package(),
                match s {
                    Simulator::Verilator => "icarus",
                    Simulator::Icarus => "verilator",
                }
            ),
        },
        SimError::Failed { step, log } => CommandError::User {
            code: "E1009",
            message: format!("{step} failed:\n{log}"),
            help: "this is the simulator's own log; keep the design with --keep DIR".into(),
        },
    })?;

    // The executor on the same samples, from the same initial parameters.
    let mut engine = exec::engine(args.engine, &session.program, &session.params)?;
    let verdict = session.verdict(&compiled, engine.as_mut(), &samples, train, &sim);
    println!(
        "{} under {}: built in {:.1} s, simulated {} clocks in {:.2} s ({:.0} clocks/s)",
        network.name,
        args.simulator.name(),
        build_time.as_secs_f64(),
        sim.total_clocks,
        sim.elapsed.as_secs_f64(),
        sim.total_clocks as f64 / sim.elapsed.as_secs_f64().max(1e-9)
    );
    let steps = if train && verdict.outputs.is_ok() && verdict.parameters.is_ok() {
        format!(" after {} training steps", samples.len())
    } else {
        String::new()
    };
    println!("{}{steps}", verdict.values_line());
    if verdict.outputs.is_err() || verdict.parameters.is_err() {
        return Err(CommandError::User {
            code: "E1010",
            message: "the RTL and the executor disagree".into(),
            help: "keep the build with --keep DIR and dump waveforms with --vcd to investigate"
                .into(),
        });
    }
    println!("{}", verdict.clocks_line());
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
        return Err(CommandError::User {
            code: "E1011",
            message: format!("the RTL takes {}", wrong.join(", ")),
            help: "the values agree; the compiler's timing model does not (a bug in snnc)".into(),
        });
    }
    Ok(())
}
