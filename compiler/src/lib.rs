//! snnc compiles neural networks with sparse connectivity, described in `.snn` files, into
//! Verilog for Xilinx Artix-7, with a bit-exact reference executor to check it against.
//!
//! The pipeline, stage by stage (see docs/ARCHITECTURE.md):
//! [`syntax`] parses a model into a tree with spans, [`elaborate`] checks it into a
//! [`network::Network`] ([`load`]); [`patterns`] generates every junction's edges,
//! [`schedule`] places them on clocks and lanes, verified conflict-free, and [`datapath`]
//! lays out and times the hardware, verified hazard-free ([`plan`]); [`hw`] describes every
//! part of that hardware once and [`backend`] renders it as Verilog ([`emit`]), and [`lower`]
//! turns the same plan into the executable program of `snn_runtime`.

// Diagnostics are large values on a cold path; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod backend;
pub mod board;
pub mod cli;
mod compiled;
pub mod cosim;
pub mod datapath;
pub mod diagnostics;
pub mod elaborate;
pub mod explore;
pub mod files;
pub mod fmax;
pub mod hw;
pub mod lower;
pub mod network;
pub mod onnx;
pub mod patterns;
pub mod schedule;
pub mod syntax;
pub mod synth;
pub mod table;
pub mod target;

pub use compiled::Compiled;
use datapath::PlanError;
use diagnostics::{Error, Source, Style};
use network::Network;
use schedule::VerifyError;
use std::path::Path;

/// Why a command failed: its errors, and the model text they point into (`None` for errors
/// of a command rather than of a model).
#[derive(Debug)]
pub struct Failure {
    pub source: Option<Source>,
    pub errors: Vec<Error>,
}

impl Failure {
    /// The errors as `snnc` prints them, as text.
    pub fn render(&self, color: bool) -> String {
        self.render_as(Style::Text { color })
    }

    /// The errors in `style`.
    pub fn render_as(&self, style: Style) -> String {
        diagnostics::render(&self.errors, self.source.as_ref(), style)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            source: None,
            errors: vec![error],
        }
    }
}

/// Reads, parses and elaborates the model at `path`.
pub fn load(path: &Path) -> Result<Network, Failure> {
    let name = path.display().to_string();
    let bytes = syntax::read(path).map_err(|error| Failure {
        source: Some(Source {
            name: name.clone(),
            text: String::new(),
        }),
        errors: vec![error],
    })?;
    compile_bytes(name, bytes, path.parent().unwrap_or(Path::new(".")))
}

/// Parses and elaborates a model's bytes, shown as `name` in diagnostics; weight files
/// are looked up in `model_dir`.
pub fn compile_bytes(name: String, bytes: Vec<u8>, model_dir: &Path) -> Result<Network, Failure> {
    let source = syntax::text(name, bytes).map_err(|(source, error)| Failure {
        source: Some(source),
        errors: vec![error],
    })?;
    let tree = match syntax::parse(&source) {
        Ok(tree) => tree,
        Err(errors) => {
            return Err(Failure {
                source: Some(source),
                errors,
            })
        }
    };
    elaborate::elaborate(&tree, &source, model_dir).map_err(|errors| Failure {
        source: Some(source),
        errors,
    })
}

/// Why an elaborated network could not be planned: always a compiler bug, since
/// elaboration accepts only networks that can be planned.
#[derive(Clone, Debug)]
pub enum PlanFailure {
    /// The schedule failed verification.
    Schedule(VerifyError),
    /// The datapath's layout or timing failed verification.
    Datapath(PlanError),
}

impl PlanFailure {
    /// The internal error that reports it for network `name`.
    pub fn into_error(self, name: &str) -> Error {
        let what = match self {
            PlanFailure::Schedule(e) => format!("schedule verification failed: {e}"),
            PlanFailure::Datapath(PlanError::Timing(e)) => {
                format!("timing verification failed: {e}")
            }
            PlanFailure::Datapath(PlanError::Layout(m)) => format!("layout failed: {m}"),
        };
        Error::Internal {
            message: format!("network `{name}`: {what}"),
        }
    }
}

/// Patterns, schedule and datapath of an elaborated network.
pub fn plan(network: Network) -> Result<Compiled, PlanFailure> {
    let schedule = schedule::schedule(&network).map_err(PlanFailure::Schedule)?;
    let datapath = datapath::plan(&network, &schedule).map_err(PlanFailure::Datapath)?;
    let mut warnings = network.warnings.clone();
    warnings.extend(schedule::cycles_warnings(&network, &schedule));
    warnings.extend(lower::init_warnings(&network, &schedule));
    Ok(Compiled::new(network, schedule, datapath, warnings))
}

/// Why a planned network has no design.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// The input beat does not suit the first junction (a mistake of the command).
    #[error(transparent)]
    Beat(#[from] datapath::layout::BeatError),
    /// A template or a record failed (a bug in snnc).
    #[error(transparent)]
    Render(#[from] backend::RenderError),
    /// The board top cannot be made at the model's clock or the UART's speed.
    #[error(transparent)]
    Board(#[from] hw::board::BoardError),
}

impl EmitError {
    /// The diagnostic that reports it for network `name`: the beat as the user's mistake,
    /// anything else as a bug.
    pub fn into_error(self, name: &str) -> Error {
        match self {
            EmitError::Beat(e) => Error::BadBeat {
                reason: e.to_string(),
            },
            EmitError::Render(e) => Error::Internal {
                message: format!("network `{name}`: {e}"),
            },
            EmitError::Board(e) => Error::BadBoardTop {
                reason: e.to_string(),
            },
        }
    }
}

/// The design of a planned network: its program's parameters (`params`, or the model's
/// initial ones), the hardware model `options` shape, and its Verilog.
pub fn emit(
    compiled: &Compiled,
    params: Option<&snn_runtime::program::Parameters>,
    options: &hw::Options,
    bench: &backend::Bench,
) -> Result<backend::Design, EmitError> {
    datapath::layout::check_beat(compiled.schedule(), options.beat)?;
    let initial;
    let params = match params {
        Some(p) => p,
        None => {
            let program = lower::program(compiled);
            initial = lower::initial_parameters(compiled.network(), &program);
            &initial
        }
    };
    let hardware = hw::model(compiled, options)?;
    Ok(backend::render(compiled, &hardware, params, bench)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_template_is_a_bug_and_a_bad_beat_the_users_mistake() {
        let bug = EmitError::Render(backend::RenderError::Template {
            template: "junction".into(),
            message: "Variable `j.z` not found".into(),
        });
        let Error::Internal { message } = bug.into_error("tiny") else {
            panic!("a template failure must be an internal error");
        };
        assert!(
            message.contains("network `tiny`") && message.contains("junction"),
            "{message}"
        );
        let beat = EmitError::Beat(datapath::layout::BeatError::NotDivisor {
            beat: 3,
            inputs: 16,
        });
        assert!(matches!(beat.into_error("tiny"), Error::BadBeat { .. }));
    }

    #[test]
    fn junctions_know_their_neighbours_and_layers_their_producer_and_reader() {
        let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../testsuite/models/dey2018_mnist.snn");
        let network = load(&model).expect("the model loads");
        let ids: Vec<_> = network.junctions().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(network.next(ids[0]), Some(ids[1]));
        assert_eq!(network.next(ids[1]), None);
        assert_eq!(network.previous(ids[1]), Some(ids[0]));
        assert_eq!(network.previous(ids[0]), None);
        let [input, hidden, output] = network.layers[..] else {
            panic!("three layers");
        };
        assert_eq!(network.producer(input), None);
        assert_eq!(network.producer(hidden), Some(ids[0]));
        assert_eq!(network.reader(hidden), Some(ids[1]));
        assert_eq!(network.reader(output), None);
        let compiled = plan(network).expect("it plans");
        for (id, j) in compiled.network().junctions() {
            assert_eq!(compiled.schedule().junction(id).junction, id);
            assert_eq!(compiled.schedule().junction(id).name, j.name);
        }
    }
}
