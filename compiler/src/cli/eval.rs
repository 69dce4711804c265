//! `snnc eval MODEL.snn [--weights W.npz] --data DIR`: accuracy and confusion matrix on the
//! test set, of trained weights or of the model's own (an imported model's).

use super::exec::{self, EngineKind};
use super::{CommandResult, Output};
use crate::table::Table;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Trained weights (`.npz` from `snnc train --save`) [default: the model's initial
    /// weights, as `snnc import` writes them]
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// The data directory (its test set is used; see `snnc train --help`)
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    #[command(flatten)]
    reading: exec::DataArgs,
    /// Evaluate the first N test samples only
    #[arg(long, value_name = "N", value_parser = exec::positive)]
    limit: Option<usize>,
    /// The executor
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
}

/// What `eval` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
struct Evaluated {
    accuracy: f64,
    correct: usize,
    samples: usize,
    /// `confusion[label][decision]`, over every output (padded outputs included).
    confusion: Vec<Vec<usize>>,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let loaded = exec::load(&args.model, args.weights.as_deref(), out)?;
    let (_, test) = snn_runtime::data::directory(&args.data, args.reading.reading())
        .map_err(exec::data_error)?;
    let samples = exec::samples(&loaded.program, test, args.limit, out)?;
    let mut engine = loaded.engine(args.engine)?;
    let classes = samples.iter().map(|s| s.label + 1).max().unwrap_or(0);
    let outputs = loaded.program.output_size();
    // confusion[label][decision]; decisions beyond the classes count as their own column.
    let mut confusion = vec![vec![0usize; outputs]; classes];
    let bar = out.progress(
        samples.len() as u64,
        "evaluating [{bar:30}] {human_pos}/{human_len} samples (eta {eta})",
    );
    for s in &samples {
        confusion[s.label][engine.infer(&s.input).decision] += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let correct: usize = (0..classes).map(|c| confusion[c][c]).sum();
    let evaluated = Evaluated {
        accuracy: correct as f64 / samples.len().max(1) as f64,
        correct,
        samples: samples.len(),
        confusion,
    };
    out.result(&evaluated, || text(&evaluated, classes.min(outputs)));
    Ok(())
}

/// The accuracy and the confusion matrix as a table.
fn text(e: &Evaluated, classes: usize) -> String {
    let mut out = format!(
        "accuracy {:.2}% ({}/{} test samples)\n\n",
        100.0 * e.accuracy,
        e.correct,
        e.samples
    );
    let padded: usize = e
        .confusion
        .iter()
        .map(|row| row[classes..].iter().sum::<usize>())
        .sum();
    let mut headers: Vec<String> = vec!["label \\ decision".into()];
    headers.extend((0..classes).map(|c| format!(">{c}")));
    if padded > 0 {
        headers.push(">padded".into());
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut table = Table::new(&header_refs);
    for (label, row) in e.confusion.iter().enumerate() {
        let mut cells = vec![label.to_string()];
        cells.extend(row[..classes].iter().map(usize::to_string));
        if padded > 0 {
            cells.push(row[classes..].iter().sum::<usize>().to_string());
        }
        table.row(cells);
    }
    out.push_str(&table.render());
    out
}
