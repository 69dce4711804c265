//! snnc compiles neural networks with sparse connectivity, described in `.snn` files, into
//! Verilog for Xilinx Artix-7, with a bit-exact reference executor to check it against.
//!
//! The pipeline, stage by stage (see docs/ARCHITECTURE.md):
//! [`syntax`] parses a model into a tree with spans, [`elaborate`] checks it into a
//! [`network::Network`] ([`load`]); [`patterns`] generates every junction's edges,
//! [`schedule`] places them on clocks and lanes, verified conflict-free, and [`datapath`]
//! lays out and times the hardware, verified hazard-free ([`plan`]); [`backend`] emits its
//! Verilog, and [`lower`] turns the same plan into the executable program of `snn_runtime`.

// Diagnostics are large values on a cold path; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod backend;
pub mod cli;
pub mod cosim;
pub mod datapath;
pub mod diagnostics;
pub mod elaborate;
pub mod explore;
pub mod lower;
pub mod network;
pub mod patterns;
pub mod schedule;
pub mod syntax;
pub mod synth;
pub mod target;

use datapath::{Datapath, PlanError};
use diagnostics::{Error, Source};
use network::Network;
use schedule::{Verified, VerifyError};
use std::path::Path;

/// Why a model could not be compiled: the errors and the text they point into.
#[derive(Debug)]
pub struct Failure {
    pub source: Source,
    pub errors: Vec<Error>,
}

impl Failure {
    /// The errors as `snnc` prints them.
    pub fn render(&self, color: bool) -> String {
        diagnostics::render(&self.errors, &self.source, color)
    }
}

/// Reads, parses and elaborates the model at `path`.
pub fn load(path: &Path) -> Result<Network, Failure> {
    let name = path.display().to_string();
    let bytes = syntax::read(path).map_err(|error| Failure {
        source: Source {
            name: name.clone(),
            text: String::new(),
        },
        errors: vec![error],
    })?;
    compile_bytes(name, bytes, path.parent().unwrap_or(Path::new(".")))
}

/// Parses and elaborates a model's bytes, shown as `name` in diagnostics; weight files
/// are looked up in `model_dir`.
pub fn compile_bytes(name: String, bytes: Vec<u8>, model_dir: &Path) -> Result<Network, Failure> {
    let source = syntax::text(name, bytes).map_err(|(source, error)| Failure {
        source,
        errors: vec![error],
    })?;
    let tree = match syntax::parse(&source) {
        Ok(tree) => tree,
        Err(errors) => return Err(Failure { source, errors }),
    };
    elaborate::elaborate(&tree, &source, model_dir).map_err(|errors| Failure { source, errors })
}

/// A network taken through every stage before the backend.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub network: Network,
    /// Every junction's edges on clocks and lanes, verified conflict-free.
    pub schedule: Verified,
    /// The hardware's layout and timing, verified hazard-free.
    pub datapath: Datapath,
}

/// Why an elaborated network could not be planned.
#[derive(Clone, Debug)]
pub enum PlanFailure {
    /// The schedule failed verification: a compiler bug.
    Schedule(VerifyError),
    /// The datapath cannot be built, or its timing failed verification.
    Datapath(PlanError),
}

/// Patterns, schedule and datapath of an elaborated network.
pub fn plan(network: Network) -> Result<Compiled, PlanFailure> {
    let schedule = schedule::schedule(&network).map_err(PlanFailure::Schedule)?;
    let datapath = datapath::plan(&network, &schedule).map_err(PlanFailure::Datapath)?;
    Ok(Compiled {
        network,
        schedule,
        datapath,
    })
}
