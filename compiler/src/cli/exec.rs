//! What `run`, `train` and `eval` share: the engine choice, weights, and data sets.

use super::CommandError;
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

/// A model compiled to its executable program, with its parameters.
pub struct Loaded {
    pub program: Program,
    pub params: Parameters,
}

/// Compiles the model and takes its parameters from `weights` or from the model's init.
pub fn load(model: &Path, weights: Option<&Path>) -> Result<Loaded, CommandError> {
    let compiled = super::compile(model)?;
    let program = crate::lower::program(&compiled);
    let params = match weights {
        Some(path) => snn_runtime::weights::load(path, &program).map_err(|message| CommandError::User {
            code: "E1004",
            message,
            help: "weights come from `snnc train --save` or any .npz with a (left, right) `<layer>.weights` and a `<layer>.biases` per layer".into(),
        })?,
        None => crate::lower::initial_parameters(&compiled.network, &program),
    };
    Ok(Loaded { program, params })
}

/// An engine of `kind` running `program` from `params`.
pub fn engine<'p>(
    kind: EngineKind,
    program: &'p Program,
    params: &Parameters,
) -> Result<Box<dyn Engine + 'p>, CommandError> {
    Ok(match kind {
        EngineKind::Jit => Box::new(
            JitEngine::new(program, params)
                .map_err(|e| CommandError::Internal(format!("JIT compilation failed: {e}")))?,
        ),
        EngineKind::Interp => Box::new(Interpreter::new(program, params.clone())),
        EngineKind::Float => Box::new(FloatEngine::new(program, params)),
    })
}

/// A data-set error as a coded user error.
pub fn data_error(message: String) -> CommandError {
    CommandError::User {
        code: "E1005",
        message,
        help: "see `snnc train --help` for the data formats snnc reads".into(),
    }
}

/// Samples of `set` for `program`, at most `limit` of them.
pub fn samples(
    program: &Program,
    mut set: Dataset,
    limit: Option<usize>,
) -> Result<Vec<Sample>, CommandError> {
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
pub fn check_writable(path: &Path, force: bool) -> Result<(), CommandError> {
    if path.exists() && !force {
        return Err(CommandError::User {
            code: "E1002",
            message: format!("`{}` already exists", path.display()),
            help: "pass --force to replace it, or choose another path".into(),
        });
    }
    Ok(())
}

/// Saves the engine's parameters as `.npz`.
pub fn save(path: &Path, program: &Program, engine: &dyn Engine) -> Result<(), CommandError> {
    let (weights, biases) = engine.values();
    snn_runtime::weights::save(path, program, &weights, &biases).map_err(|message| {
        CommandError::User {
            code: "E1001",
            message,
            help: "check that the directory exists and is writable".into(),
        }
    })
}
