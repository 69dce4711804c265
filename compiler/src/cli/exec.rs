//! What `run`, `train` and `eval` share: the engine choice, weights, and data sets.

use super::Output;
use crate::diagnostics::{Error, Warning};
use crate::Failure;
use snn_runtime::data::{Dataset, Reading};
use snn_runtime::engine::Engine;
use snn_runtime::float::FloatEngine;
use snn_runtime::interp::Interpreter;
use snn_runtime::jit::JitEngine;
use snn_runtime::program::{Parameters, Program, Sample};
use std::path::Path;

/// Which executor runs the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineKind {
    /// Cranelift-compiled native code (bit-exact with the hardware)
    Jit,
    /// The reference interpreter (bit-exact, slow)
    Interp,
    /// float64 arithmetic without quantisation
    Float,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Jit => "JIT",
            EngineKind::Interp => "interpreter",
            EngineKind::Float => "float64",
        }
    }
}

/// The executors that compute what the hardware computes, bit for bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExactEngine {
    /// Cranelift-compiled native code
    Jit,
    /// The reference interpreter (slow)
    Interp,
}

impl From<ExactEngine> for EngineKind {
    fn from(e: ExactEngine) -> EngineKind {
        match e {
            ExactEngine::Jit => EngineKind::Jit,
            ExactEngine::Interp => EngineKind::Interp,
        }
    }
}

/// A model compiled to its executable program, with its parameters: rounded to the weight
/// format, and as values (what the float64 engine starts from).
pub struct Loaded {
    pub program: Program,
    pub params: Parameters,
    pub values: Values,
}

impl Loaded {
    /// An engine of `kind` running the program from its parameters (the float64 engine from
    /// the exact values).
    pub fn engine(&self, kind: EngineKind) -> Result<Box<dyn Engine + '_>, Failure> {
        engine(kind, &self.program, &self.params, Some(&self.values))
    }
}

/// Weights and biases per junction as values, before rounding.
pub type Values = (Vec<Vec<f64>>, Vec<Vec<f64>>);

/// Compiles the model and takes its parameters from `weights` or from the model's init.
pub fn load(model: &Path, weights: Option<&Path>, out: &Output) -> Result<Loaded, Failure> {
    let compiled = super::compile(model, out)?;
    let program = crate::lower::program(&compiled);
    let (params, values) = match weights {
        Some(path) => {
            let loaded = read_weights(path, &program, out)?;
            (loaded.params, (loaded.weights, loaded.biases))
        }
        None => (
            crate::lower::initial_parameters(compiled.network(), &program),
            crate::lower::initial_values(compiled.network(), &program),
        ),
    };
    Ok(Loaded {
        program,
        params,
        values,
    })
}

/// The trained weights of the `.npz` at `path` for `program`, warning of what loading them
/// saturated or left off the edges.
pub fn read_weights(
    path: &Path,
    program: &Program,
    out: &Output,
) -> Result<snn_runtime::weights::Loaded, Failure> {
    let loaded = snn_runtime::weights::load(path, program).map_err(|reason| Error::BadWeights {
        path: path.display().to_string(),
        reason,
    })?;
    let format = program.formats.weights.to_string();
    out.warn(
        &Warning::weights(&path.display().to_string(), loaded.fidelity, &format),
        None,
    );
    Ok(loaded)
}

/// An engine of `kind` running `program` from `params`; the float64 engine from the exact
/// `values` when given.
pub fn engine<'p>(
    kind: EngineKind,
    program: &'p Program,
    params: &Parameters,
    values: Option<&Values>,
) -> Result<Box<dyn Engine + 'p>, Failure> {
    Ok(match kind {
        EngineKind::Jit => {
            Box::new(
                JitEngine::new(program, params).map_err(|e| Error::Internal {
                    message: format!("JIT compilation of `{}` failed: {e}", program.name),
                })?,
            )
        }
        EngineKind::Interp => Box::new(Interpreter::new(program, params.clone())),
        EngineKind::Float => Box::new(match values {
            Some((w, b)) => FloatEngine::from_values(program, w.clone(), b.clone()),
            None => FloatEngine::new(program, params),
        }),
    })
}

/// A data-set error as a coded user error.
pub fn data_error(reason: String) -> Failure {
    Error::BadData { reason }.into()
}

/// Samples of `set` for `program`, at most `limit` of them; values the input format cannot
/// hold are warned about.
pub fn samples(
    program: &Program,
    mut set: Dataset,
    limit: Option<usize>,
    out: &Output,
) -> Result<Vec<Sample>, Failure> {
    if let Some(n) = limit {
        set.truncate(n);
    }
    let format = program.formats.input;
    let (samples, conversion) = set
        .samples(format, program.input_size(), program.output_size())
        .map_err(data_error)?;
    out.warn(
        &Warning::inputs(&set.origin, conversion, &format.to_string()),
        None,
    );
    Ok(samples)
}

/// Why an option's value is not a count of at least one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("must be at least 1")]
    Zero,
    #[error(transparent)]
    NotANumber(#[from] std::num::ParseIntError),
}

/// A count of at least one, for options such as `--limit`.
pub fn positive(text: &str) -> Result<usize, CountError> {
    match text.parse::<usize>()? {
        0 => Err(CountError::Zero),
        n => Ok(n),
    }
}

/// `--pixels`: how data files' numbers are read.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct DataArgs {
    /// Read the data's numbers as pixels 0..255 standing for p / 256 (bytes of IDX files and
    /// uint8 arrays always are); without it, CSV and non-byte arrays hold values
    #[arg(long)]
    pub pixels: bool,
}

impl DataArgs {
    pub fn reading(self) -> Reading {
        Reading {
            pixels: self.pixels,
        }
    }
}

/// Saves the engine's parameters as `.npz`, atomically: `path` is either the complete new
/// file or what it was before.
pub fn save(
    path: &Path,
    program: &Program,
    engine: &dyn Engine,
    force: bool,
) -> Result<(), Failure> {
    let (weights, biases) = engine.values();
    let bytes = snn_runtime::weights::npz_bytes(program, &weights, &biases)
        .map_err(|reason| super::write_error(path, reason))?;
    crate::files::write_atomic(path, &bytes, force)
}
