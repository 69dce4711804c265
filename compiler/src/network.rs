//! The elaborated network: layers and junctions in a petgraph dataflow graph, every size,
//! degree, format and degree of parallelism derived and checked against the others.
//!
//! A [`Network`] is only ever built by `elaborate`, so holding one means: layer names are
//! unique, layers form a chain from one input, every junction's edge count equals
//! `left × fan_out = right × fan_in` (or the pruned matrix's non-zeros), `z` divides the
//! left layer, formats are valid, and every weight file has been read and checked.

pub use crate::datapath::Style;
use crate::diagnostics::{Source, Warning};
use crate::target::Target;
use miette::SourceSpan;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use snn_runtime::activation::Activation;
pub use snn_runtime::program::{Cost, Formats, Training};
use std::path::PathBuf;
use std::sync::Arc;

/// A layer: a node of the dataflow graph.
pub type LayerId = NodeIndex<u32>;
/// A junction: an edge of the dataflow graph, from its left layer to its right layer.
pub type JunctionId = EdgeIndex<u32>;

/// Where something was written, for `(* src = "model.snn:line" *)` attributes and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub line: usize,
}

/// A checked network.
#[derive(Clone, Debug)]
pub struct Network {
    pub name: String,
    /// The model file as the user named it.
    pub source_name: String,
    /// The model's text, for diagnostics that point into it after elaboration.
    pub source: Arc<Source>,
    pub target: Target,
    pub formats: Formats,
    pub graph: DiGraph<Layer, Junction, u32>,
    /// Layers from input to output.
    pub layers: Vec<LayerId>,
    /// Junctions from the input side to the output side (junction i feeds layer i).
    pub junctions: Vec<JunctionId>,
    /// Clocks per junction pass when the model gives one `cycles` for all junctions.
    pub cycles: Option<Cycles>,
    pub training: Option<Training>,
    /// How the junctions' passes are placed in time (the `train` block's `pipeline`).
    pub pipeline: Style,
    /// What elaboration did that the model did not say.
    pub warnings: Vec<Warning>,
}

/// The network's `cycles = C;` and where it was written.
#[derive(Clone, Copy, Debug)]
pub struct Cycles {
    pub clocks: u64,
    pub span: SourceSpan,
}

/// A layer of neurons.
#[derive(Clone, Debug)]
pub struct Layer {
    pub name: String,
    pub size: usize,
    /// `None` for the input layer.
    pub activation: Option<Activation>,
    pub origin: Origin,
}

/// The connections between two consecutive layers and how they are processed.
#[derive(Clone, Debug)]
pub struct Junction {
    /// The name of the layer it feeds.
    pub name: String,
    pub left: LayerId,
    pub right: LayerId,
    pub connectivity: Connectivity,
    /// Edges into each right neuron (min and max; equal except for pruned junctions).
    pub fan_in: Degree,
    /// Edges out of each left neuron.
    pub fan_out: Degree,
    /// |W|: the number of edges (weights).
    pub edges: usize,
    /// Lanes: edges processed per clock.
    pub z: usize,
    /// Initial weights and biases.
    pub init: WeightInit,
    pub origin: Origin,
}

impl Junction {
    /// Clocks for one pass over every edge at full lane use: ⌈|W| / z⌉.
    pub fn ideal_cycles(&self) -> usize {
        self.edges.div_ceil(self.z)
    }
}

/// A per-neuron edge count: fixed for structured patterns, a range for pruned ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Degree {
    pub min: usize,
    pub max: usize,
}

impl Degree {
    pub fn exact(n: usize) -> Degree {
        Degree { min: n, max: n }
    }

    /// The degree when every neuron has the same one.
    pub fn uniform(self) -> Option<usize> {
        (self.min == self.max).then_some(self.min)
    }
}

impl std::fmt::Display for Degree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.uniform() {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "{}..{}", self.min, self.max),
        }
    }
}

/// Which edges a junction has.
#[derive(Clone, Debug)]
pub enum Connectivity {
    /// A structured pre-defined pattern whose every clock touches each bank once.
    ClashFree {
        kind: ClashFreeKind,
        dither: bool,
        seed: u64,
    },
    /// A uniformly random pattern with exact degrees.
    Random { seed: u64 },
    /// Every left neuron to every right neuron.
    Dense,
    /// The non-zero entries of a weight matrix.
    Pruned { weights: Arc<WeightFile> },
}

impl Connectivity {
    /// How the pattern reads in tables: `clash_free(type 2)`, `random`, ...
    pub fn describe(&self) -> String {
        match self {
            Connectivity::ClashFree { kind, dither, .. } => format!(
                "clash_free(type {}{})",
                *kind as u8,
                if *dither { ", dither" } else { "" }
            ),
            Connectivity::Random { .. } => "random".into(),
            Connectivity::Dense => "dense".into(),
            Connectivity::Pruned { .. } => "pruned".into(),
        }
    }
}

/// The three clash-free pattern types of the interleaver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClashFreeKind {
    /// Rows of each bank in each sweep: an independent random permutation.
    Type1 = 1,
    /// Rows `(seed[bank] + k) mod D` with a seed vector per sweep.
    Type2 = 2,
    /// Type 2 with one seed vector shared by all sweeps.
    Type3 = 3,
}

/// A matrix read from a `.npy` file, shape (left, right), row-major.
#[derive(Clone, Debug)]
pub struct WeightFile {
    pub path: PathBuf,
    /// The path as the model gives it, and where.
    pub named: String,
    pub span: SourceSpan,
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f64>,
}

impl WeightFile {
    pub fn get(&self, row: usize, col: usize) -> f64 {
        self.values[row * self.cols + col]
    }
}

/// Where a junction's initial weights and biases come from.
#[derive(Clone, Debug)]
pub struct WeightInit {
    pub weights: InitSource,
    pub biases: InitSource,
}

/// One source of initial values.
#[derive(Clone, Debug)]
pub enum InitSource {
    Zeros,
    /// Glorot normal, σ = sqrt(2 / (fan_in + fan_out)), clipped at ±2σ.
    GlorotNormal {
        seed: u64,
    },
    /// A (left, right) matrix for weights or a (right,) vector for biases.
    File(Arc<WeightFile>),
}

impl Network {
    pub fn layer(&self, id: LayerId) -> &Layer {
        &self.graph[id]
    }

    pub fn junction(&self, id: JunctionId) -> &Junction {
        &self.graph[id]
    }

    /// The junctions in order, with their ids.
    pub fn junctions(&self) -> impl Iterator<Item = (JunctionId, &Junction)> {
        self.junctions.iter().map(|&id| (id, &self.graph[id]))
    }

    /// The junction that computes `layer`; `None` for the input layer.
    pub fn producer(&self, layer: LayerId) -> Option<JunctionId> {
        let mut into = self.graph.edges_directed(layer, Direction::Incoming);
        into.next().map(|e| e.id())
    }

    /// The junction that reads `layer`; `None` for the output layer.
    pub fn reader(&self, layer: LayerId) -> Option<JunctionId> {
        let mut out = self.graph.edges_directed(layer, Direction::Outgoing);
        out.next().map(|e| e.id())
    }

    /// The junction after `j`, reading the layer `j` computes; `None` after the last.
    pub fn next(&self, j: JunctionId) -> Option<JunctionId> {
        self.reader(self.junction(j).right)
    }

    /// The junction before `j`, computing the layer `j` reads; `None` before the first.
    pub fn previous(&self, j: JunctionId) -> Option<JunctionId> {
        self.producer(self.junction(j).left)
    }

    pub fn input(&self) -> &Layer {
        &self.graph[self.layers[0]]
    }

    pub fn output(&self) -> &Layer {
        &self.graph[*self.layers.last().expect("a network has layers")]
    }

    pub fn total_edges(&self) -> usize {
        self.junctions().map(|(_, j)| j.edges).sum()
    }
}
