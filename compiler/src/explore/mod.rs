//! Design-space exploration: a model at every point of a grid of parallelism, number
//! formats and sparsity ([`variant`]), each estimated in milliseconds, optionally
//! synthesised with Yosys and trained in the executor, and the dense counterpart beside the
//! sparse design ([`compare`]); results as CSV, Markdown ([`table`]) and SVG ([`plot`]).

pub mod compare;
pub mod plot;
pub mod table;
pub mod variant;

use crate::backend::{self, Bench};
use crate::diagnostics::{Error, Source, Warning};
use crate::hw::{Options, UpdateMultipliers};
use crate::syntax::ast;
use crate::synth::estimate::{self, Estimate};
use crate::synth::resources::Resources;
use crate::synth::{yosys, Synthesis};
use crate::Compiled;
use rayon::prelude::*;
use serde::Serialize;
use snn_runtime::activation::{sigmoid_luts, Activation};
use snn_runtime::data::Dataset;
use snn_runtime::program::Parameters;
use std::path::{Path, PathBuf};
pub use variant::Point;

/// Why a design point has no design: its text is the row's `error`.
#[derive(Debug, thiserror::Error)]
pub enum PointError {
    #[error(transparent)]
    Variant(#[from] variant::VariantError),
    /// The point's model has errors (the model itself has none).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Elaborate(Vec<Error>),
    /// Planning failed: an internal error.
    #[error(transparent)]
    Plan(Error),
    /// The junctions cannot keep the point's clocks per pass.
    #[error(transparent)]
    CyclesNotMet(Warning),
}

/// Why Yosys could not count a point's resources.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The design could not be emitted.
    #[error(transparent)]
    Emit(#[from] crate::EmitError),
    #[error("cannot write `{}`: {source}", .dir.display())]
    Write {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Yosys(#[from] yosys::YosysError),
}

/// Why a point could not be trained. The executor's messages are `snn_runtime`'s own.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("network `{network}` has no `train` block")]
    NoTrainBlock { network: String },
    /// The data set does not fit the network.
    #[error("{0}")]
    Data(String),
    #[error("JIT compilation failed: {0}")]
    Jit(String),
}

/// A model ready to be varied.
pub struct Explorer {
    source: Source,
    tree: ast::Network,
    model_dir: PathBuf,
    /// Where variants' files go (thinned weights, builds for Yosys).
    scratch: PathBuf,
}

/// What happened at one design point.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub point: Point,
    pub label: String,
    /// Why the point has no design (`None`: it has one).
    pub error: Option<String>,
    pub edges: usize,
    pub lanes: usize,
    /// The number format at this point: one, or each tensor's when they differ.
    pub format: String,
    /// What the user should know about the point (its formats may not train).
    pub note: Option<String>,
    /// The resource estimate; its throughput at the lower of the model's clock and the
    /// estimated Fmax.
    pub estimate: Option<Estimate>,
    /// The analytical timing estimate's Fmax (docs/timing.md).
    pub fmax_mhz: Option<f64>,
    /// Yosys's count, with `--synth`.
    pub yosys: Option<Synthesis>,
    /// Test accuracy after training, with `--train-on`.
    pub accuracy: Option<f64>,
}

impl Row {
    /// Whether the design fits its part (by Yosys when synthesised).
    pub fn fits(&self) -> Option<bool> {
        match (&self.yosys, &self.estimate) {
            (Some(y), _) => Some(y.fits),
            (None, Some(e)) => Some(e.resources.fits),
            _ => None,
        }
    }

    /// The resources that decide: Yosys's when synthesised, else the estimate's.
    pub fn resources(&self) -> Option<Resources> {
        self.yosys
            .as_ref()
            .map(|y| y.total)
            .or_else(|| self.estimate.as_ref().map(|e| e.resources.total))
    }

    pub fn inputs_per_second(&self) -> Option<f64> {
        self.estimate.as_ref().map(|e| e.inputs_per_second)
    }
}

/// Training settings of `--train-on`.
#[derive(Clone, Debug)]
pub struct Training {
    pub data: Dataset,
    pub test: Dataset,
    pub epochs: usize,
}

/// What to do at every point besides estimating.
#[derive(Clone, Debug, Default)]
pub struct Work {
    pub synth: bool,
    pub training: Option<Training>,
    /// Input values per beat at every point (default: each point's own default beat).
    pub beat: Option<usize>,
    /// Trained weights every point starts from (their values on each point's edges).
    pub weights: Option<PathBuf>,
}

impl Explorer {
    /// Reads and parses `model`; variants' files go under `scratch`.
    pub fn open(model: &Path, scratch: &Path) -> Result<Explorer, crate::Failure> {
        let name = model.display().to_string();
        let failure = |source: Source, errors| crate::Failure {
            source: Some(source),
            errors,
        };
        let bytes = crate::syntax::read(model).map_err(|e| {
            failure(
                Source {
                    name: name.clone(),
                    text: String::new(),
                },
                vec![e],
            )
        })?;
        let source = crate::syntax::text(name, bytes).map_err(|(s, e)| failure(s, vec![e]))?;
        let tree = match crate::syntax::parse(&source) {
            Ok(tree) => tree,
            Err(errors) => return Err(failure(source, errors)),
        };
        let model_dir = model.parent().unwrap_or(Path::new(".")).to_path_buf();
        // The model itself must compile: its errors are the user's to see in full.
        crate::elaborate::elaborate(&tree, &source, &model_dir)
            .map_err(|errors| failure(source.clone(), errors))?;
        Ok(Explorer {
            source,
            tree,
            model_dir,
            scratch: scratch.to_path_buf(),
        })
    }

    /// The model at `point`, through every stage before the backend, and a note when
    /// its formats may not train. At a bit width of its own, a trained model keeps its
    /// integer bits unless training could not settle with them ([`settles`]): then each
    /// signed format takes integer bits from its fraction until it can. When no split of the
    /// bits settles (a learning rate of 2^0 never does), the integer bits are kept and the
    /// note says so.
    pub fn compile(&self, point: &Point) -> Result<(Compiled, Option<String>), PointError> {
        let elaborate = |more_integer_bits: u64| -> Result<crate::network::Network, PointError> {
            let tree = variant::apply(
                &self.tree,
                point,
                more_integer_bits,
                &self.model_dir,
                &self.scratch,
            )?;
            crate::elaborate::elaborate(&tree, &self.source, &self.model_dir)
                .map_err(PointError::Elaborate)
        };
        let own = elaborate(0)?;
        let (network, note) = match point.bits {
            Some(bits) if !settles(&own) => {
                // Each extra integer bit is tried while some fraction is left.
                let settled = (1..bits)
                    .map_while(|extra| elaborate(extra).ok())
                    .find(settles);
                match settled {
                    Some(network) => (network, None),
                    None => (
                        own,
                        Some(format!(
                            "no split of {bits} bits lets σ's lowest output round to no update at this learning rate: training may not settle"
                        )),
                    ),
                }
            }
            _ => (own, None),
        };
        let name = network.name.clone();
        let compiled =
            crate::plan(network).map_err(|failure| PointError::Plan(failure.into_error(&name)))?;
        // A point is its clocks per pass: one whose junctions cannot keep them is not that
        // point (the design it would get belongs to another).
        if let Some(slow) = compiled
            .warnings()
            .iter()
            .find(|w| matches!(w, Warning::CyclesNotMet { .. }))
        {
            return Err(PointError::CyclesNotMet(slow.clone()));
        }
        Ok((compiled, note))
    }

    /// Every point of `points`, in parallel, in order; `progress` is told of each one done.
    pub fn run(&self, points: &[Point], work: &Work, progress: &(dyn Fn() + Sync)) -> Vec<Row> {
        points
            .par_iter()
            .map(|point| {
                let row = self.row(point, work);
                progress();
                row
            })
            .collect()
    }

    fn row(&self, point: &Point, work: &Work) -> Row {
        let mut row = Row {
            point: *point,
            label: point.label(),
            error: None,
            edges: 0,
            lanes: 0,
            format: String::new(),
            note: None,
            estimate: None,
            fmax_mhz: None,
            yosys: None,
            accuracy: None,
        };
        let compiled = match self.compile(point) {
            Ok((c, note)) => {
                row.note = note;
                c
            }
            Err(e) => {
                row.error = Some(e.to_string());
                return row;
            }
        };
        let beat = work
            .beat
            .unwrap_or_else(|| backend::default_beat(compiled.network()));
        if let Err(reason) = crate::datapath::layout::check_beat(compiled.schedule(), beat) {
            row.error = Some(reason.to_string());
            return row;
        }
        let options = Options {
            beat,
            update_multipliers: UpdateMultipliers::Auto,
            interface: crate::hw::Interface::Native,
            board: None,
            baud: crate::hw::DEFAULT_BAUD,
        };
        row.edges = compiled
            .schedule()
            .junctions()
            .iter()
            .map(|j| j.edges)
            .sum();
        row.lanes = compiled.schedule().junctions().iter().map(|j| j.z).sum();
        row.format = format_of(&compiled.network().formats);
        // Throughput at the clock the design reaches: the model's, or the estimated Fmax
        // when that is lower.
        let core = crate::hw::core(&compiled, &options);
        let fmax = crate::fmax::model::estimate(&core).fmax_mhz();
        let mut estimated = estimate::of(&compiled, &core);
        let clock = compiled.network().target.clock_mhz.min(fmax);
        estimated.inputs_per_second = (clock * 1e6 / estimated.clocks_per_input as f64).round();
        row.estimate = Some(estimated);
        row.fmax_mhz = Some(fmax);
        let program = crate::lower::program(&compiled);
        let params = match &work.weights {
            None => crate::lower::initial_parameters(compiled.network(), &program),
            Some(path) => match snn_runtime::weights::load_with(
                path,
                &program,
                snn_runtime::weights::Masks::Ignored,
            ) {
                Ok(loaded) => loaded.params,
                Err(e) => {
                    row.error = Some(e);
                    return row;
                }
            },
        };
        if work.synth {
            match synthesise(&compiled, &params, &options, &self.scratch.join(&row.label)) {
                Ok(s) => row.yosys = Some(s),
                Err(e) => row.error = Some(e.to_string()),
            }
        }
        if let Some(training) = &work.training {
            match train(&compiled, &params, training) {
                Ok(a) => row.accuracy = Some(a),
                Err(e) => row.error = Some(e.to_string()),
            }
        }
        row
    }
}

/// The signed formats of a point: one when they agree, else each by tensor.
fn format_of(f: &crate::network::Formats) -> String {
    if f.weights == f.activations && f.activations == f.deltas {
        f.weights.to_string()
    } else {
        format!(
            "weights {}, activations {}, deltas {}",
            f.weights, f.activations, f.deltas
        )
    }
}

/// Whether on-chip training can settle at `network`'s formats. An output whose target is 0
/// has δ = a, never below σ's lowest table entry, and the update moves a bias by
/// round(−δ · 2^−k): unless that rounds to zero (δ at most 2^(k−1) LSB, ties rounding up
/// to zero), the wrong classes' weights are pushed down on every input until they saturate
/// (docs/performance.md, accuracy by number format).
pub fn settles(network: &crate::network::Network) -> bool {
    let Some(training) = &network.training else {
        return true;
    };
    let output = network.layer(*network.layers.last().expect("an output layer"));
    let Some(Activation::Sigmoid(table)) = output.activation else {
        return true;
    };
    let f = &network.formats;
    let lowest = sigmoid_luts(table, f.activations).value[0] as f64;
    let in_weight_lsbs = lowest * 2f64.powi(f.weights.frac as i32 - f.activations.frac as i32);
    // −δ · 2^−k rounds half up: exactly half an LSB rounds to no update.
    in_weight_lsbs <= 2f64.powi(training.shift as i32 - 1)
}

/// Yosys's resources of the design, built in `dir`.
pub fn synthesise(
    compiled: &Compiled,
    params: &Parameters,
    options: &Options,
    dir: &Path,
) -> Result<Synthesis, SynthError> {
    let design = crate::emit(compiled, Some(params), options, &Bench { max_samples: 1 })?;
    design.write(dir).map_err(|source| SynthError::Write {
        dir: dir.to_path_buf(),
        source,
    })?;
    let top = format!("{}_top", compiled.network().name);
    let report = yosys::synthesise(dir, &design.sources(), &top)?;
    Ok(Synthesis::from_yosys(compiled, &report))
}

/// Test accuracy after `training.epochs` epochs in the executor, as the hardware trains.
fn train(compiled: &Compiled, params: &Parameters, training: &Training) -> Result<f64, TrainError> {
    let program = crate::lower::program(compiled);
    let Some(pipeline) = program.pipeline.clone() else {
        return Err(TrainError::NoTrainBlock {
            network: program.name.clone(),
        });
    };
    let samples = |set: &Dataset| {
        set.samples(
            program.formats.input,
            program.input_size(),
            program.output_size(),
        )
        .map(|(samples, _)| samples)
        .map_err(TrainError::Data)
    };
    let train = samples(&training.data)?;
    let test = samples(&training.test)?;
    let mut engine = snn_runtime::jit::JitEngine::new(&program, params).map_err(TrainError::Jit)?;
    use snn_runtime::engine::Engine;
    for _ in 0..training.epochs {
        engine.train(&train, &pipeline, &mut |_, _| {});
    }
    let correct = test
        .iter()
        .filter(|s| engine.infer(&s.input).decision == s.label)
        .count();
    Ok(correct as f64 / test.len().max(1) as f64)
}
