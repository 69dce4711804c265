//! `snnc explore MODEL.snn`: sweep clocks per pass, bit widths and densities; estimate every
//! design point (and synthesise or train it when asked); write a CSV, a Markdown table and
//! SVG plots, with the sparse design against its dense counterpart.

use super::CommandError;
use crate::explore::{compare, plot, table, Explorer, Point, Training, Work};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Without --cycles, --bits or --density the model's own setting is kept. \
    With --dense, every bit width also gets the dense network (every edge present), and both \
    sparse and dense are searched over every power-of-two cycle count the network allows \
    unless --cycles is given, so that each side's fastest design that fits the part is found."
)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Clocks per junction pass to try (z = edges / cycles; random and pruned junctions
    /// take the fewest lanes within that many clocks), e.g. 16,32,64
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    cycles: Vec<u64>,
    /// Bits of every signed number format to try (integer bits kept, more where training
    /// needs them), e.g. 8,16,32
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    bits: Vec<u64>,
    /// Densities to try: edges as a share of the dense junction's, e.g. 0.05,0.1,0.25
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    density: Vec<f64>,
    /// Compare with the dense network of the same layers
    #[arg(long)]
    dense: bool,
    /// Also synthesise every design point with Yosys (minutes each)
    #[arg(long)]
    synth: bool,
    /// Train every design point in the executor on this data and report test accuracy
    #[arg(long, value_name = "DIR")]
    train_on: Option<PathBuf>,
    /// Epochs of training per design point
    #[arg(long, default_value_t = 1, requires = "train_on")]
    epochs: usize,
    /// Train on the first N training samples only
    #[arg(long, value_name = "N", requires = "train_on")]
    limit: Option<usize>,
    /// Test on the first N test samples only
    #[arg(long, value_name = "N", requires = "train_on")]
    test_limit: Option<usize>,
    /// Output directory [default: <network>-explore]
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Write into the output directory even if it exists
    #[arg(long)]
    force: bool,
}

/// Power-of-two cycle counts up to the largest junction's edges.
fn powers_of_two(max_edges: usize) -> Vec<u64> {
    (0..)
        .map(|k| 1u64 << k)
        .take_while(|&c| c <= max_edges as u64)
        .collect()
}

fn list<T: Copy>(values: &[T]) -> Vec<Option<T>> {
    if values.is_empty() {
        vec![None]
    } else {
        values.iter().map(|&v| Some(v)).collect()
    }
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    for &d in &args.density {
        if !(d > 0.0 && d <= 1.0) {
            return Err(CommandError::User {
                code: "E1014",
                message: format!("density {d} is not in (0, 1]"),
                help: "a density is the share of the dense junction's edges, e.g. 0.1".into(),
            });
        }
    }
    let compiled = super::compile(&args.model)?;
    let network = &compiled.network;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-explore", network.name)));
    if out.exists() && !args.force {
        return Err(CommandError::User {
            code: "E1002",
            message: format!("`{}` already exists", out.display()),
            help: "pass --force to write into it, or choose another directory with -o".into(),
        });
    }
    let write_error = |path: &Path, e: String| CommandError::User {
        code: "E1001",
        message: format!("cannot write `{}`: {e}", path.display()),
        help: "check that the directory is writable".into(),
    };
    std::fs::create_dir_all(&out).map_err(|e| write_error(&out, e.to_string()))?;
    let explorer = Explorer::open(&args.model, &out.join("work"))?;

    // The grid, and with --dense the search over cycles for both kinds.
    let max_edges = network.junctions().map(|(_, j)| j.edges).max().unwrap_or(1);
    let dense_edges = network
        .junctions()
        .map(|(_, j)| network.layer(j.left).size * network.layer(j.right).size)
        .max()
        .unwrap_or(1);
    let searching = args.dense && args.cycles.is_empty();
    let sparse_cycles = if searching {
        powers_of_two(max_edges).into_iter().map(Some).collect()
    } else {
        list(&args.cycles)
    };
    let mut points = Vec::new();
    for &bits in &list(&args.bits) {
        for &density in &list(&args.density) {
            for &cycles in &sparse_cycles {
                points.push(Point {
                    cycles,
                    bits,
                    density,
                    dense: false,
                });
            }
        }
        if args.dense {
            let dense_cycles = if args.cycles.is_empty() {
                powers_of_two(dense_edges).into_iter().map(Some).collect()
            } else {
                list(&args.cycles)
            };
            for &cycles in &dense_cycles {
                points.push(Point {
                    cycles,
                    bits,
                    density: None,
                    dense: true,
                });
            }
        }
    }

    let training = match &args.train_on {
        Some(dir) => {
            let (mut data, mut test) =
                snn_runtime::data::directory(dir).map_err(super::exec::data_error)?;
            if let Some(n) = args.limit {
                data.truncate(n);
            }
            if let Some(n) = args.test_limit {
                test.truncate(n);
            }
            Some(Training {
                data,
                test,
                epochs: args.epochs,
            })
        }
        None => None,
    };
    let work = Work {
        synth: args.synth,
        training,
    };
    if work.synth && !crate::cosim::installed("yosys") {
        return Err(CommandError::User {
            code: "E1012",
            message: "yosys is not installed".into(),
            help: "install it with `apt-get install yosys`, or leave out --synth".into(),
        });
    }
    let bar = ProgressBar::new(points.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("exploring [{bar:30}] {pos}/{len} design points ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let mut rows = explorer.run(&points, &work, &|| bar.inc(1));
    bar.finish_and_clear();
    // Points of the search that the network does not allow are not results.
    rows.retain(|r| r.error.is_none() || !(searching || (r.point.dense && args.cycles.is_empty())));
    let verdicts = compare::compare(&rows);
    let device = &network.target.part.device;
    let title = format!("Design space of {}", network.name);
    let files = [
        ("explore.csv", table::csv(&rows)),
        (
            "explore.md",
            table::markdown(&title, &network.target.part.name, &rows, &verdicts),
        ),
    ];
    for (name, text) in &files {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| write_error(&path, e.to_string()))?;
    }
    let plots = plot::all(&out, &rows, device).map_err(|e| write_error(&out, e))?;
    print!("{}", files[1].1);
    println!(
        "\nwrote {} (explore.csv, explore.md, {})",
        out.display(),
        plots.join(", ")
    );
    Ok(())
}
