//! `snnc explore MODEL.snn`: sweep clocks per pass, bit widths and densities; estimate every
//! design point (and synthesise or train it when asked); write a CSV, a Markdown table and
//! SVG plots, with the sparse design against its dense counterpart.

use super::{CommandResult, Output};
use crate::diagnostics::Error;
use crate::explore::{compare, plot, table, Explorer, Point, Training, Work};
use std::path::PathBuf;

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
    #[arg(long, default_value_t = 1, requires = "train_on", value_parser = super::exec::positive)]
    epochs: usize,
    /// Train on the first N training samples only
    #[arg(long, value_name = "N", requires = "train_on", value_parser = super::exec::positive)]
    limit: Option<usize>,
    /// Test on the first N test samples only
    #[arg(long, value_name = "N", requires = "train_on", value_parser = super::exec::positive)]
    test_limit: Option<usize>,
    #[command(flatten)]
    reading: super::exec::DataArgs,
    /// Output directory [default: <network>-explore]
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Write into the output directory even if it exists
    #[arg(long)]
    force: bool,
    /// Input values per beat of the input stream at every point (see `snnc build --help`)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    beat: Option<u64>,
    /// Trained weights every design point starts from: their values on each point's edges
    #[arg(long, value_name = "W.npz")]
    weights: Option<PathBuf>,
    /// Design points worked on at once [default: the number of cores]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
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

pub fn run(args: &Args, out: &Output) -> CommandResult {
    if let Some(&density) = args.density.iter().find(|d| !(**d > 0.0 && **d <= 1.0)) {
        return Err(Error::BadDensity { density }.into());
    }
    let compiled = super::compile(&args.model, out)?;
    let network = &compiled.network();
    let dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-explore", network.name)));
    if dir.exists() && !args.force {
        return Err(Error::OutputExists {
            path: dir.display().to_string(),
            detail: "",
        }
        .into());
    }
    let created = Created::dir(&dir)?;
    let explorer = Explorer::open(&args.model, &dir.join("work"))?;

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
        Some(data_dir) => {
            let (mut data, mut test) =
                snn_runtime::data::directory(data_dir, args.reading.reading())
                    .map_err(super::exec::data_error)?;
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
        beat: args.beat.map(|b| b as usize),
        weights: args.weights.clone(),
    };
    if work.synth && !crate::cosim::installed("yosys") {
        return Err(Error::YosysMissing {
            alternative: ", or leave out --synth",
        }
        .into());
    }
    let jobs = args
        .jobs
        .map_or_else(rayon::current_num_threads, |j| j as usize);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Internal {
            message: format!("thread pool: {e}"),
        })?;
    let bar = out.progress(
        points.len() as u64,
        "exploring [{bar:30}] {pos}/{len} design points, {msg} ({elapsed})",
    );
    bar.set_message(format!("{jobs} at a time"));
    let mut rows = pool.install(|| explorer.run(&points, &work, &|| bar.inc(1)));
    bar.finish_and_clear();
    // Points of the search that the network does not allow are not results.
    let searched = |r: &crate::explore::Row| searching || (r.point.dense && args.cycles.is_empty());
    let unreachable: Vec<String> = rows
        .iter()
        .filter(|r| searched(r))
        .filter_map(|r| r.error.clone())
        .collect();
    rows.retain(|r| r.error.is_none() || !searched(r));
    if rows.is_empty() {
        let mut reasons = unreachable;
        reasons.sort();
        reasons.dedup();
        return Err(Error::NothingToExplore {
            reasons: reasons.join("; "),
            help: "give --cycles, --bits and --density values the network allows".into(),
        }
        .into());
    }
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
        crate::files::write_atomic(&dir.join(name), text.as_bytes(), true)?;
    }
    let plots = plot::all(&dir, &network.name, &rows, device).map_err(|e| match e {
        plot::PlotError::Draw { path, source } => super::write_error(&path, source),
        plot::PlotError::Write(failure) => failure,
    })?;
    created.keep();
    let json = serde_json::json!({
        "directory": dir.display().to_string(),
        "rows": rows,
        "verdicts": verdicts,
        "plots": plots,
    });
    out.result(&json, || {
        format!(
            "{}\nwrote {} (explore.csv, explore.md, {})\n",
            files[1].1,
            dir.display(),
            plots.join(", ")
        )
    });
    Ok(())
}

/// An output directory this command created: removed again unless the command got as far as
/// writing its results into it.
struct Created {
    dir: Option<PathBuf>,
}

impl Created {
    fn dir(dir: &std::path::Path) -> Result<Created, crate::Failure> {
        let fresh = !dir.exists();
        std::fs::create_dir_all(dir).map_err(|e| super::write_error(dir, e))?;
        Ok(Created {
            dir: fresh.then(|| dir.to_path_buf()),
        })
    }

    fn keep(mut self) {
        self.dir = None;
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
