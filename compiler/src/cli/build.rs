//! `snnc build MODEL.snn -o DIR`: the hardware — RTL, memory images, testbench, schedule.

use super::CommandError;
use crate::backend::{self, Bench, Options, UpdateMultipliers};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// The output directory
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Replace files in an existing output directory
    #[arg(long)]
    force: bool,
    /// Input values per beat of the input stream [default: a divisor of the input layer and of z, at most 32]
    #[arg(long, value_name = "N")]
    beat: Option<usize>,
    /// Where the update's multipliers go: DSP48E1 slices, LUTs (as the published design), or
    /// DSP slices unless the part has too few
    #[arg(long, value_enum, default_value_t = UpdateMultipliers::Auto, value_name = "WHERE")]
    update_multipliers: UpdateMultipliers,
    /// The most inputs the testbench can stream
    #[arg(long, default_value_t = 1024, value_name = "N")]
    max_samples: usize,
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    let started = Instant::now();
    let compiled = super::compile(&args.model)?;
    let network = &compiled.network;
    let program = crate::lower::program(&compiled);
    let params = crate::lower::initial_parameters(network, &program);
    if args.output.exists()
        && !args.force
        && std::fs::read_dir(&args.output)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(CommandError::User {
            code: "E1002",
            message: format!(
                "`{}` already exists and is not empty",
                args.output.display()
            ),
            help: "pass --force to write over it, or choose another directory".into(),
        });
    }
    let beat = args.beat.unwrap_or_else(|| backend::default_beat(network));
    let options = Options {
        beat,
        update_multipliers: args.update_multipliers,
    };
    let design = backend::build(
        &compiled,
        &params,
        &options,
        &Bench {
            max_samples: args.max_samples,
        },
    )
    .map_err(|message| CommandError::User {
        code: "E1006",
        message,
        help: "change the model's parallelism or the --beat option".into(),
    })?;
    let io = |e: std::io::Error| CommandError::User {
        code: "E1001",
        message: format!("cannot write `{}`: {e}", args.output.display()),
        help: "check that the output directory is writable".into(),
    };
    design.write(&args.output).map_err(io)?;
    let timing = &compiled.datapath.timing;
    println!(
        "{}: {} files in {} ({:.0} ms); one input every {} clocks",
        network.name,
        design.files.len(),
        args.output.display(),
        started.elapsed().as_secs_f64() * 1e3,
        timing.period,
    );
    Ok(())
}
