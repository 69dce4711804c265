//! `snnc board load|read|run|train MODEL --port PORT`: talk to a board top over its serial
//! port — load weights, read them back as `.npz`, stream a data set for inference or training
//! and print accuracy and throughput.

use super::exec;
use super::{CommandResult, Output};
use crate::board::{Board, Design, Link, LinkError};
use crate::diagnostics::Error;
use serde::Serialize;
use snn_runtime::program::Sample;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Write every weight and bias into the board: trained ones (`--weights`) or the model's
    Load {
        #[command(flatten)]
        board: BoardArgs,
    },
    /// Read every weight and bias back from the board and save them as `.npz`
    Read {
        #[command(flatten)]
        board: BoardArgs,
        /// Where to save them
        #[arg(short, long, value_name = "W.npz")]
        output: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Infer a data set's test samples on the board: accuracy and inputs per second
    Run {
        #[command(flatten)]
        board: BoardArgs,
        #[command(flatten)]
        data: DataSetArgs,
    },
    /// Train on a data set's training samples on the board (one pass), then infer its test samples
    Train {
        #[command(flatten)]
        board: BoardArgs,
        #[command(flatten)]
        data: DataSetArgs,
    },
}

#[derive(Debug, clap::Args)]
struct BoardArgs {
    /// The model the board's bitstream was built from
    model: PathBuf,
    /// The board's serial port (its USB-UART), e.g. /dev/ttyUSB1
    #[arg(long, value_name = "PORT")]
    port: String,
    #[command(flatten)]
    design: super::build::DesignArgs,
    /// Seconds to wait for an answer before giving up
    #[arg(long, default_value_t = 10, value_name = "S")]
    timeout: u64,
}

#[derive(Debug, clap::Args)]
struct DataSetArgs {
    /// A data directory (train.csv and test.csv, or IDX files)
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    #[command(flatten)]
    reading: exec::DataArgs,
    /// Use only the first N samples of each set
    #[arg(long, value_name = "N", value_parser = exec::positive)]
    samples: Option<usize>,
}

/// What a run reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Ran {
    network: String,
    samples: usize,
    correct: usize,
    accuracy: f64,
    seconds: f64,
    inputs_per_second: f64,
    trained: Option<usize>,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    match &args.action {
        Action::Load { board } => {
            let (mut b, compiled) = open(board, out)?;
            let params = board.design.parameters(&compiled, out)?;
            let bar = out.progress(
                b.design.addresses.len() as u64,
                "{spinner} loading {human_pos}/{human_len} words ({elapsed})",
            );
            b.load(&params, &mut |n| bar.set_position(n as u64))
                .map_err(link_error)?;
            bar.finish_and_clear();
            let words = b.design.addresses.len();
            out.result(&words, || format!("loaded {words} weights and biases"));
            Ok(())
        }
        Action::Read {
            board,
            output,
            force,
        } => {
            crate::files::check_writable(output, *force)?;
            let (mut b, compiled) = open(board, out)?;
            let bar = out.progress(
                b.design.addresses.len() as u64,
                "{spinner} reading {human_pos}/{human_len} words ({elapsed})",
            );
            let params = b
                .read_parameters(&mut |n| bar.set_position(n as u64))
                .map_err(link_error)?;
            bar.finish_and_clear();
            let program = crate::lower::program(&compiled);
            let engine = snn_runtime::interp::Interpreter::new(&program, params);
            exec::save(output, &program, &engine, *force)?;
            let words = b.design.addresses.len();
            let saved = output.display().to_string();
            out.result(&saved, || {
                format!("read {words} weights and biases into {saved}")
            });
            Ok(())
        }
        Action::Run { board, data } => stream(board, data, false, out),
        Action::Train { board, data } => stream(board, data, true, out),
    }
}

/// The board, checked to hold the model's design.
fn open(
    args: &BoardArgs,
    out: &Output,
) -> Result<(Board<Box<dyn serialport::SerialPort>>, crate::Compiled), crate::Failure> {
    let compiled = super::compile(&args.model, out)?;
    let options = args.design.options(&compiled)?;
    if options.board.is_none() {
        return Err(Error::NoBoard {
            network: compiled.network().name.clone(),
        }
        .into());
    }
    let hardware = crate::hw::model(&compiled, &options).map_err(|e| Error::BadBoardTop {
        reason: e.to_string(),
    })?;
    let design = Design::of(&compiled, &hardware).expect("a board top");
    let port = serialport::new(&args.port, options.baud)
        .timeout(Duration::from_millis(20))
        .open()
        .map_err(|e| Error::NoPort {
            port: args.port.clone(),
            reason: e.to_string(),
        })?;
    let mut board = Board {
        link: Link::new(port, Duration::from_secs(args.timeout)),
        design,
    };
    board.check().map_err(link_error)?;
    Ok((board, compiled))
}

fn link_error(e: LinkError) -> crate::Failure {
    Error::BoardLink {
        reason: e.to_string(),
    }
    .into()
}

/// Streams the data set's samples (training first when `train`) and reports accuracy.
fn stream(args: &BoardArgs, data: &DataSetArgs, train: bool, out: &Output) -> CommandResult {
    let (mut b, compiled) = open(args, out)?;
    let program = crate::lower::program(&compiled);
    let (set, test) = snn_runtime::data::directory(&data.data, data.reading.reading())
        .map_err(exec::data_error)?;
    let train_samples: Vec<Sample> = exec::samples(&program, set, data.samples, out)?;
    let test_samples: Vec<Sample> = exec::samples(&program, test, data.samples, out)?;
    let mut trained = None;
    if train {
        let bar = out.progress(
            train_samples.len() as u64,
            "{spinner} training {human_pos}/{human_len} ({elapsed})",
        );
        b.run(&train_samples, true, &mut |n| bar.set_position(n as u64))
            .map_err(link_error)?;
        bar.finish_and_clear();
        trained = Some(train_samples.len());
    }
    let bar = out.progress(
        test_samples.len() as u64,
        "{spinner} inferring {human_pos}/{human_len} ({elapsed})",
    );
    let started = Instant::now();
    let outputs = b
        .run(&test_samples, false, &mut |n| bar.set_position(n as u64))
        .map_err(link_error)?;
    let seconds = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let correct = outputs
        .iter()
        .zip(&test_samples)
        .filter(|(o, s)| o.decision == s.label)
        .count();
    let ran = Ran {
        network: compiled.network().name.clone(),
        samples: test_samples.len(),
        correct,
        accuracy: correct as f64 / test_samples.len().max(1) as f64,
        seconds,
        inputs_per_second: test_samples.len() as f64 / seconds.max(1e-9),
        trained,
    };
    let text = format!(
        "{}accuracy {:.2}% ({correct}/{} test samples) on the board; {:.0} inputs/s over the UART",
        trained.map_or(String::new(), |n| format!("trained on {n} samples; ")),
        100.0 * ran.accuracy,
        ran.samples,
        ran.inputs_per_second
    );
    out.result(&ran, || text);
    Ok(())
}
