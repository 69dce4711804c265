//! `snnc schedule MODEL.snn -o DIR`: schedule every junction and write `DIR/<junction>.csv`.

use super::{CommandResult, Output};
use crate::diagnostics::Error;
use serde::Serialize;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Directory for the CSV files (created if missing)
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Replace CSV files that already exist
    #[arg(long)]
    force: bool,
}

/// One junction's schedule file, as `--format json` lists it.
#[derive(Debug, Serialize)]
struct Written {
    junction: String,
    edges: usize,
    clocks: usize,
    lanes: usize,
    utilization: f64,
    path: String,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let compiled = super::compile(&args.model, out)?;
    let schedule = compiled.schedule();
    let paths: Vec<PathBuf> = schedule
        .junctions()
        .iter()
        .map(|js| args.output.join(format!("{}.csv", js.name)))
        .collect();
    // Refuse before writing anything, so that a refusal leaves the directory as it was.
    if let Some(existing) = paths.iter().find(|p| p.exists() && !args.force) {
        return Err(Error::OutputExists {
            path: existing.display().to_string(),
            detail: "",
        }
        .into());
    }
    std::fs::create_dir_all(&args.output).map_err(|e| super::write_error(&args.output, e))?;
    let mut written = Vec::new();
    for (js, path) in schedule.junctions().iter().zip(&paths) {
        crate::files::write_atomic(path, js.csv().as_bytes(), args.force)?;
        written.push(Written {
            junction: js.name.clone(),
            edges: js.edges,
            clocks: js.cycles,
            lanes: js.z,
            utilization: (js.utilization() * 1e4).round() / 1e4,
            path: path.display().to_string(),
        });
    }
    out.result(&written, || {
        let mut text = String::new();
        for w in &written {
            let _ = writeln!(
                text,
                "{}: {} edges in {} clocks on {} lanes ({:.1}% busy) -> {}",
                w.junction,
                w.edges,
                w.clocks,
                w.lanes,
                100.0 * w.utilization,
                w.path
            );
        }
        text
    });
    Ok(())
}
