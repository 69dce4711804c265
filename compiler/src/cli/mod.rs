//! The `snnc` command line: one file per subcommand, all sharing model loading and error output.

mod board;
mod build;
mod check;
mod eval;
mod exec;
mod explore;
mod export;
mod import;
pub mod output;
mod run;
mod schedule;
mod sim;
mod synth;
mod train;

use crate::diagnostics::Error;
use crate::Failure;
use clap::{Parser, Subcommand};
pub use output::Output;
use std::process::ExitCode;

/// What every command returns: the errors it stopped at.
pub type CommandResult = Result<(), Failure>;

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
    after_help = "Start with `snnc check MODEL.snn`. The language is described in docs/language.md, \
        every error code in docs/errors.md.\n\n\
        Exit status: 0 on success, 1 for a mistake in the model, its files or data, 2 for a \
        mistake on the command line."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How results and diagnostics are printed: text, or JSON (one document on stdout,
    /// diagnostics as JSON lines on stderr)
    #[arg(long, global = true, value_enum, default_value_t = output::Format::Text)]
    format: output::Format,
    /// Print only results, warnings and errors: no progress and no notes
    #[arg(short, long, global = true)]
    quiet: bool,
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
    /// Report test accuracy and the confusion matrix of trained weights, or of the model's own
    Eval(eval::Args),
    /// Simulate the generated RTL and compare it bit for bit with the executor
    Sim(sim::Args),
    /// Synthesise the generated RTL with Yosys and report its resources against the part
    Synth(synth::Args),
    /// Sweep parallelism, bit widths and sparsity: resources, speed, accuracy, sparse or dense
    Explore(explore::Args),
    /// Import an ONNX model (PyTorch, Keras): a .snn model and its weight files
    Import(import::Args),
    /// Export a network and its weights as ONNX, to check it in onnxruntime or PyTorch
    Export(export::Args),
    /// Talk to a board top over its serial port: load, read back, run or train a data set
    Board(board::Args),
}

/// Runs `snnc` with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    let out = Output::new(cli.format, cli.quiet);
    let result = match cli.command {
        Command::Check(args) => check::run(&args, &out),
        Command::Schedule(args) => schedule::run(&args, &out),
        Command::Build(args) => build::run(&args, &out),
        Command::Run(args) => run::run(&args, &out),
        Command::Train(args) => train::run(&args, &out),
        Command::Eval(args) => eval::run(&args, &out),
        Command::Sim(args) => sim::run(&args, &out),
        Command::Synth(args) => synth::run(&args, &out),
        Command::Explore(args) => explore::run(&args, &out),
        Command::Import(args) => import::run(&args, &out),
        Command::Export(args) => export::run(&args, &out),
        Command::Board(args) => board::run(&args, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.fail(&failure);
            ExitCode::from(1)
        }
    }
}

/// A closed stdout (`snnc check m.snn | head -1`) ends the process quietly, as it does any
/// Unix tool, instead of a failed write.
fn quiet_on_closed_stdout() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Loads a model and plans it — patterns, schedule, datapath — and prints the warnings of
/// both. What every command that runs or builds a network starts with.
pub fn compile(path: &std::path::Path, out: &Output) -> Result<crate::Compiled, Failure> {
    let network = crate::load(path)?;
    let name = network.name.clone();
    let source = network.source.clone();
    let compiled = crate::plan(network).map_err(|failure| failure.into_error(&name))?;
    out.warn(compiled.warnings(), Some(&source));
    Ok(compiled)
}

/// A file could not be written.
pub fn write_error(path: &std::path::Path, e: impl std::fmt::Display) -> Failure {
    Error::CannotWrite {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Clap's own consistency checks (unique argument names, valid defaults, ...) over every
    /// command and subcommand; release builds skip them at run time.
    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
