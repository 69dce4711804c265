//! `snnc train MODEL.snn --data DIR`: train with the hardware's arithmetic and pipeline,
//! report test accuracy per epoch, save the weights.

use super::exec::{self, positive, EngineKind};
use super::{CommandResult, Output};
use crate::diagnostics::Error;
use serde::Serialize;
use snn_runtime::engine::Engine;
use snn_runtime::program::{Pipeline, Sample};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "DATA: a directory with MNIST-style IDX files (train-images-idx3-ubyte, \
    train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, gzipped or not), \
    with train.csv and test.csv (the label first, then the values; no header line), or with \
    x_train.npy, y_train.npy, x_test.npy and y_test.npy (samples of shape (N, F), (N, H, W) or \
    (N, H, W, C), flattened; labels (N,)); or an .npz archive with those four arrays. Bytes (IDX \
    files, uint8 arrays) are pixels p standing for p / 256; every other number is a value, or a \
    pixel with --pixels. Values the input format cannot hold saturate, with a warning that \
    counts them."
)]
pub struct Args {
    /// The model file (it needs a `train` block)
    model: PathBuf,
    /// The data directory (or an .npz archive)
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    #[command(flatten)]
    reading: exec::DataArgs,
    /// Passes over the training set
    #[arg(long, default_value_t = 1, value_parser = positive)]
    epochs: usize,
    /// Train on the first N training samples only
    #[arg(long, value_name = "N", value_parser = positive)]
    limit: Option<usize>,
    /// Test on the first N test samples only
    #[arg(long, value_name = "N", value_parser = positive)]
    test_limit: Option<usize>,
    /// The executor
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
    /// The hardware's pipelined schedule, or plain sequential SGD
    #[arg(long, value_enum, default_value_t = PipelineKind::Pipelined)]
    pipeline: PipelineKind,
    /// Start from these weights instead of the model's initialisation
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// Where to save the trained weights [default: <network>.npz]
    #[arg(short, long, value_name = "W.npz", visible_alias = "save")]
    output: Option<PathBuf>,
    /// Replace the file named by --output if it exists
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PipelineKind {
    /// as the hardware trains: a new input every cycle, several in flight
    Pipelined,
    /// one input at a time (plain SGD)
    Sequential,
}

/// What `train` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Trained {
    network: String,
    epochs: Vec<Epoch>,
    saved: String,
}

#[derive(Debug, Serialize)]
struct Epoch {
    epoch: usize,
    train_accuracy: f64,
    test_accuracy: f64,
    seconds: f64,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let loaded = exec::load(&args.model, args.weights.as_deref(), out)?;
    if loaded.program.training.is_none() {
        return Err(Error::NoTraining {
            network: loaded.program.name.clone(),
            help: "add `train { cost = cross_entropy; learning_rate = 2^-3; }` to train it",
        }
        .into());
    }
    let save = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.npz", loaded.program.name)));
    crate::files::check_writable(&save, args.force)?;
    let (train, test) = snn_runtime::data::directory(&args.data, args.reading.reading())
        .map_err(exec::data_error)?;
    let train = exec::samples(&loaded.program, train, args.limit, out)?;
    let test = exec::samples(&loaded.program, test, args.test_limit, out)?;
    let mut engine = loaded.engine(args.engine)?;
    let hardware = loaded.program.pipeline.clone().expect("a training program");
    let pipeline = match args.pipeline {
        PipelineKind::Pipelined => hardware,
        PipelineKind::Sequential => hardware.sequential(),
    };
    out.note(&format!(
        "training {} ({} edges) on {} samples, testing on {}: {} engine, {}",
        loaded.program.name,
        loaded.program.edges(),
        train.len(),
        test.len(),
        args.engine.name(),
        match args.pipeline {
            PipelineKind::Pipelined => format!(
                "the hardware's pipeline ({} inputs in flight)",
                pipeline.in_flight()
            ),
            PipelineKind::Sequential => "sequential SGD".to_string(),
        }
    ));
    let mut epochs = Vec::new();
    for epoch in 1..=args.epochs {
        let started = Instant::now();
        let train_accuracy = train_epoch(
            engine.as_mut(),
            &train,
            &pipeline,
            (epoch, args.epochs),
            out,
        );
        let test_accuracy = accuracy(engine.as_mut(), &test);
        let done = Epoch {
            epoch,
            train_accuracy,
            test_accuracy,
            seconds: started.elapsed().as_secs_f64(),
        };
        if !out.json() {
            println!(
                "epoch {epoch}: train accuracy {:.2}%, test accuracy {:.2}% ({:.1} s)",
                100.0 * done.train_accuracy,
                100.0 * done.test_accuracy,
                done.seconds
            );
        }
        epochs.push(done);
    }
    exec::save(&save, &loaded.program, engine.as_ref(), args.force)?;
    let trained = Trained {
        network: loaded.program.name.clone(),
        epochs,
        saved: save.display().to_string(),
    };
    out.result(&trained, || format!("saved weights to {}\n", trained.saved));
    Ok(())
}

/// One pass over `samples` with a progress bar; returns the training accuracy.
fn train_epoch(
    engine: &mut dyn Engine,
    samples: &[Sample],
    pipeline: &Pipeline,
    (epoch, epochs): (usize, usize),
    out: &Output,
) -> f64 {
    let bar = out.progress(
        samples.len() as u64,
        "epoch {prefix} [{bar:30}] {human_pos}/{human_len} samples, {msg} (eta {eta})",
    );
    bar.set_prefix(format!("{epoch}/{epochs}"));
    let started = Instant::now();
    let mut correct = 0usize;
    let mut seen = 0usize;
    engine.train(samples, pipeline, &mut |x, output| {
        seen += 1;
        if output.decision == samples[x].label {
            correct += 1;
        }
        if seen.is_multiple_of(256) || seen == samples.len() {
            bar.set_position(seen as u64);
            bar.set_message(format!(
                "{}/s, running accuracy {:.1}%",
                crate::explore::table::si(seen as f64 / started.elapsed().as_secs_f64().max(1e-9)),
                100.0 * correct as f64 / seen as f64
            ));
        }
    });
    bar.finish_and_clear();
    correct as f64 / samples.len().max(1) as f64
}

/// The share of `samples` whose decision is their label.
pub fn accuracy(engine: &mut dyn Engine, samples: &[Sample]) -> f64 {
    let correct = samples
        .iter()
        .filter(|s| engine.infer(&s.input).decision == s.label)
        .count();
    correct as f64 / samples.len().max(1) as f64
}
