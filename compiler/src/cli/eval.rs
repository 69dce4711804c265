//! `snnc eval MODEL.snn --weights W.npz --data DIR`: accuracy and confusion matrix on the test set.

use super::exec::{self, EngineKind};
use super::table::Table;
use super::CommandError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Trained weights (`.npz` from `snnc train --save`)
    #[arg(long, value_name = "W.npz")]
    weights: PathBuf,
    /// The data directory (its test set is used; see `snnc train --help`)
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Evaluate the first N test samples only
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// The executor
    #[arg(long, value_enum, default_value_t = EngineKind::Jit)]
    engine: EngineKind,
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    let loaded = exec::load(&args.model, Some(&args.weights))?;
    let (_, test) = snn_runtime::data::directory(&args.data).map_err(exec::data_error)?;
    let samples = exec::samples(&loaded.program, test, args.limit)?;
    let mut engine = exec::engine(args.engine, &loaded.program, &loaded.params)?;
    let classes = samples.iter().map(|s| s.label + 1).max().unwrap_or(0);
    let outputs = loaded.program.output_size();
    // confusion[label][decision]; decisions beyond the classes count as their own column.
    let mut confusion = vec![vec![0usize; outputs]; classes];
    for s in &samples {
        confusion[s.label][engine.infer(&s.input).decision] += 1;
    }
    let correct: usize = (0..classes).map(|c| confusion[c][c]).sum();
    println!(
        "accuracy {:.2}% ({correct}/{} test samples)\n",
        100.0 * correct as f64 / samples.len().max(1) as f64,
        samples.len()
    );
    let padded: usize = confusion
        .iter()
        .map(|row| row[classes.min(outputs)..].iter().sum::<usize>())
        .sum();
    let mut headers: Vec<String> = vec!["label \\ decision".into()];
    headers.extend((0..classes).map(|c| format!(">{c}")));
    if padded > 0 {
        headers.push(">padded".into());
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut table = Table::new(&header_refs);
    for (label, row) in confusion.iter().enumerate() {
        let mut cells = vec![label.to_string()];
        cells.extend(row[..classes].iter().map(usize::to_string));
        if padded > 0 {
            cells.push(row[classes..].iter().sum::<usize>().to_string());
        }
        table.row(cells);
    }
    print!("{}", table.render());
    Ok(())
}
