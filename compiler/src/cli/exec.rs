//! What `run`, `train` and `eval` share: the engine choice, weights, and data sets.

use super::Output;
use crate::diagnostics::Error;
use crate::Failure;
use snn_runtime::data::Dataset;
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

/// A model compiled to its executable program, with its parameters.
pub struct Loaded {
    pub program: Program,
    pub params: Parameters,
}

/// Compiles the model and takes its parameters from `weights` or from the model's init.
pub fn load(model: &Path, weights: Option<&Path>, out: &Output) -> Result<Loaded, Failure> {
    let compiled = super::compile(model, out)?;
    let program = crate::lower::program(&compiled);
    let params = match weights {
        Some(path) => {
            snn_runtime::weights::load(path, &program).map_err(|reason| Error::BadWeights {
                path: path.display().to_string(),
                reason,
            })?
        }
        None => crate::lower::initial_parameters(&compiled.network, &program),
    };
    Ok(Loaded { program, params })
}

/// An engine of `kind` running `program` from `params`.
pub fn engine<'p>(
    kind: EngineKind,
    program: &'p Program,
    params: &Parameters,
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
        EngineKind::Float => Box::new(FloatEngine::new(program, params)),
    })
}

/// A data-set error as a coded user error.
pub fn data_error(reason: String) -> Failure {
    Error::BadData { reason }.into()
}

/// Samples of `set` for `program`, at most `limit` of them.
pub fn samples(
    program: &Program,
    mut set: Dataset,
    limit: Option<usize>,
) -> Result<Vec<Sample>, Failure> {
    if let Some(n) = limit {
        set.truncate(n);
    }
    set.samples(
        program.formats.input,
        program.input_size(),
        program.output_size(),
    )
    .map_err(data_error)
}

/// Refuses to overwrite `path` unless `force`.
pub fn check_writable(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !force {
        return Err(Error::OutputExists {
            path: path.display().to_string(),
            detail: "",
        }
        .into());
    }
    Ok(())
}

/// Saves the engine's parameters as `.npz`.
pub fn save(path: &Path, program: &Program, engine: &dyn Engine) -> Result<(), Failure> {
    let (weights, biases) = engine.values();
    snn_runtime::weights::save(path, program, &weights, &biases)
        .map_err(|reason| super::write_error(path, reason))
}
