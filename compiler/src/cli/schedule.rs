//! `snnc schedule MODEL.snn -o DIR`: schedule every junction and write `DIR/<junction>.csv`.

use super::CommandError;
use crate::schedule::JunctionSchedule;
use std::path::{Path, PathBuf};

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

pub fn run(args: &Args) -> Result<(), CommandError> {
    let schedule = super::compile(&args.model)?.schedule;
    let io = |e: std::io::Error, what: &Path| CommandError::User {
        code: "E1001",
        message: format!("cannot write `{}`: {e}", what.display()),
        help: "check that the output directory is writable".into(),
    };
    std::fs::create_dir_all(&args.output).map_err(|e| io(e, &args.output))?;
    for js in schedule.junctions() {
        let path = args.output.join(format!("{}.csv", js.name));
        if path.exists() && !args.force {
            return Err(CommandError::User {
                code: "E1002",
                message: format!("`{}` already exists", path.display()),
                help: "pass --force to replace it, or choose another directory".into(),
            });
        }
        write_csv(js, &path).map_err(|e| io(e, &path))?;
        println!(
            "{}: {} edges in {} clocks on {} lanes ({:.1}% busy) -> {}",
            js.name,
            js.edges,
            js.cycles,
            js.z,
            100.0 * js.utilization(),
            path.display()
        );
    }
    Ok(())
}

/// Writes a junction's schedule as CSV.
pub fn write_csv(js: &JunctionSchedule, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, js.csv())
}
