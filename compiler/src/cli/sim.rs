//! `snnc sim MODEL.snn`: build the RTL, simulate it on samples, and compare it bit for bit with
//! the executor — outputs, trained weights and clock counts.

use super::exec::{self, EngineKind};
use super::CommandError;
use crate::backend::{self, Bench, Options, UpdateMultipliers};
use crate::cosim::{self, SimError, Simulator};
use indicatif::{ProgressBar, ProgressStyle};
use snn_runtime::engine::Output;
use snn_runtime::prng::Rng;
use snn_runtime::program::{Program, Sample};
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

fn random_samples(program: &Program, n: usize, seed: u64) -> Vec<Sample> {
    let mut rng = Rng::derived(seed, "sim");
    let f = program.formats.input;
    (0..n)
        .map(|_| Sample {
            input: (0..program.input_size())
                .map(|_| f.min_raw() + rng.below((f.max_raw() - f.min_raw() + 1) as u64) as i64)
                .collect(),
            label: rng.below(program.output_size() as u64) as usize,
        })
        .collect()
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
    let program = crate::lower::program(&compiled);
    let params = crate::lower::initial_parameters(network, &program);
    let train = args.mode == Mode::Train;
    if train && program.training.is_none() {
        return Err(CommandError::User {
            code: "E1003",
            message: format!("network `{}` has no `train` block", program.name),
            help: "simulate it with --mode infer, or add a train block".into(),
        });
    }
    let samples = match &args.data {
        Some(dir) => {
            let (set, _) = snn_runtime::data::directory(dir).map_err(exec::data_error)?;
            exec::samples(&program, set, Some(args.samples))?
        }
        None => random_samples(&program, args.samples, args.random.unwrap_or(1)),
    };
    let beat = args.beat.unwrap_or_else(|| backend::default_beat(network));
    let design = backend::build(
        &compiled,
        &params,
        &Options {
            beat,
            update_multipliers: args.update_multipliers,
        },
        &Bench {
            max_samples: samples.len().max(1),
        },
    )
    .map_err(|message| CommandError::User {
        code: "E1006",
        message,
        help: "change the model's parallelism or --beat".into(),
    })?;
    let temp = tempfile::tempdir()
        .map_err(|e| CommandError::Internal(format!("temporary directory: {e}")))?;
    let dir = args
        .keep
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let io = |e: std::io::Error| CommandError::User {
        code: "E1001",
        message: format!("cannot write `{}`: {e}", dir.display()),
        help: "check that the directory is writable".into(),
    };
    design.write(&dir).map_err(io)?;
    cosim::write_stimuli(&dir, &samples, program.formats.input, beat).map_err(io)?;

    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner.set_message(format!(
        "building and simulating {} samples with {:?}",
        samples.len(),
        args.simulator
    ));
    let simulated = cosim::simulate(
        &dir,
        &design,
        &network.name,
        args.simulator,
        samples.len(),
        train,
        args.vcd,
    );
    spinner.finish_and_clear();
    let (log, elapsed, build_time) = simulated.map_err(|e| match e {
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
            help: "this is the simulator's own log; the generated design is in --keep DIR".into(),
        },
    })?;
    let mut sim = cosim::read_results(
        &dir,
        program.formats.activations,
        program.formats.weights,
        &log,
    )
    .map_err(CommandError::Internal)?;
    sim.elapsed = elapsed;
    sim.build_time = build_time;

    // The executor on the same samples.
    let mut engine = exec::engine(args.engine, &program, &params)?;
    let mut expected: Vec<Output> = Vec::with_capacity(samples.len());
    if train {
        let pipeline = program.pipeline.clone().expect("a training program");
        engine.train(&samples, &pipeline, &mut |_, o| expected.push(o.clone()));
    } else {
        expected.extend(samples.iter().map(|s| engine.infer(&s.input)));
    }
    let outputs = cosim::compare_outputs(&expected, &sim, &program);
    let weights =
        cosim::compare_parameters(&engine.parameters().expect("fixed point"), &sim, &program);
    let timing = &compiled.datapath.timing;
    let beats = network.input().size / beat;
    let speed = sim.total_clocks as f64 / sim.elapsed.as_secs_f64().max(1e-9);
    println!(
        "{} under {}: built in {:.1} s, simulated {} clocks in {:.2} s ({:.0} clocks/s)",
        network.name,
        match args.simulator {
            Simulator::Verilator => "Verilator",
            Simulator::Icarus => "Icarus",
        },
        sim.build_time.as_secs_f64(),
        sim.total_clocks,
        sim.elapsed.as_secs_f64(),
        speed
    );
    if let Err(m) = &outputs {
        println!("MISMATCH: {}", m.0);
    }
    if let Err(m) = &weights {
        println!("MISMATCH: {}", m.0);
    }
    let (Ok(o), Ok(w)) = (&outputs, &weights) else {
        return Err(CommandError::User {
            code: "E1010",
            message: "the RTL and the executor disagree".into(),
            help: "keep the build with --keep DIR and dump waveforms with --vcd to investigate"
                .into(),
        });
    };
    let steps = if train {
        format!(" after {} training steps", samples.len())
    } else {
        String::new()
    };
    println!("bit-exact: {o}/{o} outputs, {w}/{w} weights and biases{steps}");
    // Clocks: measured against the timing the compiler planned.
    let n = samples.len();
    let figures = [
        (
            "per input",
            cosim::steady_clocks(&sim).map(|c| c as usize),
            timing.period.max(beats),
        ),
        (
            "to the first output",
            (n > 0).then(|| (sim.first_output - sim.run_start) as usize),
            timing.first_output_clocks(n, beats),
        ),
        (
            "for the run",
            Some(sim.run_clocks as usize),
            timing.run_clocks(n, beats),
        ),
    ];
    let mut line = String::from("clocks:");
    let mut wrong = Vec::new();
    for (what, measured, predicted) in figures {
        let Some(measured) = measured else { continue };
        line.push_str(&format!(" {measured} {what} (predicted {predicted});"));
        if measured != predicted {
            wrong.push(format!("{measured} clocks {what}, predicted {predicted}"));
        }
    }
    println!("{}", line.trim_end_matches(';'));
    if !wrong.is_empty() {
        return Err(CommandError::User {
            code: "E1011",
            message: format!("the RTL takes {}", wrong.join(", ")),
            help: "the values agree; the compiler's timing model does not (a bug in snnc)".into(),
        });
    }
    Ok(())
}
