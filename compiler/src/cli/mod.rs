//! The `snnc` command line: one file per subcommand, all sharing model loading and error output.

mod build;
mod check;
mod eval;
mod exec;
mod explore;
mod run;
mod schedule;
mod sim;
mod synth;
mod table;
mod train;

use crate::Failure;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::process::ExitCode;

/// snnc — compile sparse neural networks to Verilog for Artix-7 FPGAs.
#[derive(Debug, Parser)]
#[command(
    name = "snnc",
    version,
    about = "Compile sparse neural networks (.snn) to Verilog for Xilinx Artix-7 FPGAs",
    long_about = "Compile sparse neural networks (.snn) to Verilog for Xilinx Artix-7 FPGAs.\n\n\
        A .snn file describes a network: its layers, their sizes and activations, number \
        formats, and for each junction a sparsity pattern and its parallelism. snnc checks it, \
        schedules every junction onto conflict-free memory banks, and emits the hardware.",
    after_help = "Start with `snnc check MODEL.snn`. The language is described in docs/language.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a model and print its junctions: sizes, degrees, edges, lanes, clocks
    Check(check::Args),
    /// Schedule every junction and write one CSV per junction: cycle, lane, edge, bank, row
    Schedule(schedule::Args),
    /// Generate the hardware: Verilog, memory images, testbench, schedule, Vivado flow
    Build(build::Args),
    /// Infer inputs with the bit-exact executor and print outputs and decisions
    Run(run::Args),
    /// Train with the hardware's exact arithmetic and pipeline, and save the weights
    Train(train::Args),
    /// Report test accuracy and the confusion matrix of trained weights
    Eval(eval::Args),
    /// Simulate the generated RTL and compare it bit for bit with the executor
    Sim(sim::Args),
    /// Synthesise the generated RTL with Yosys and report its resources against the part
    Synth(synth::Args),
    /// Sweep parallelism, bit widths and sparsity: resources, speed, accuracy, sparse or dense
    Explore(explore::Args),
}

/// A failure of a command, printed to stderr; the command exits with status 1.
#[derive(Debug)]
pub enum CommandError {
    /// Mistakes in the model file.
    Model(Failure),
    /// Anything else the user can fix, with its code (e.g. `E1001`) and a help line.
    User {
        code: &'static str,
        message: String,
        help: String,
    },
    /// A bug in snnc: an internal check failed.
    Internal(String),
}

impl From<Failure> for CommandError {
    fn from(f: Failure) -> Self {
        CommandError::Model(f)
    }
}

/// Runs `snnc` with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Schedule(args) => schedule::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Sim(args) => sim::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Explore(args) => explore::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{}", render_error(&error, use_color()));
            ExitCode::from(1)
        }
    }
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// The text snnc prints for a failed command.
pub fn render_error(error: &CommandError, color: bool) -> String {
    match error {
        CommandError::Model(failure) => failure.render(color),
        CommandError::User {
            code,
            message,
            help,
        } => format!("error[{code}]: {message}\n  help: {help}\n"),
        CommandError::Internal(message) => format!(
            "error[E9000]: internal compiler error: {message}\n  help: this is a bug in snnc; please report it with the model file\n"
        ),
    }
}

/// Loads a model and plans it: patterns, schedule, datapath. What every command that runs
/// or builds a network starts with.
pub fn compile(path: &std::path::Path) -> Result<crate::Compiled, CommandError> {
    let network = crate::load(path)?;
    crate::plan(network).map_err(|failure| match failure {
        crate::PlanFailure::Schedule(e) => {
            CommandError::Internal(format!("schedule verification failed: {e}"))
        }
        crate::PlanFailure::Datapath(crate::datapath::PlanError::Timing(e)) => {
            CommandError::Internal(format!("timing verification failed: {}", e.0))
        }
        crate::PlanFailure::Datapath(crate::datapath::PlanError::Unsupported(message)) => {
            CommandError::User {
                code: "E1006",
                message,
                help: "change the parallelism (z or cycles) of the junctions named".into(),
            }
        }
    })
}
