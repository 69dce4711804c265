//! The analytical model: a design's resources and speed from its schedule and datapath, in
//! milliseconds and without Yosys. Every block is its inventory of primitives
//! ([`primitives`]: exact rules for DSP slices, block RAM, distributed RAM and shift
//! registers, calibrated linear models for the rest) plus its own logic ([`glue`]).

pub mod coefficients;
pub mod glue;
pub mod primitives;

use super::resources::Resources;
use super::{Block, Synthesis};
use crate::hw::parts::{Part, Primitive};
use crate::hw::{self, Hardware, Options};
use crate::Compiled;
use serde::Serialize;
use std::collections::BTreeMap;

/// The estimate of a design.
#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    pub resources: Synthesis,
    /// Clocks per input in steady state (the cycle, or the input stream when slower).
    pub clocks_per_input: usize,
    /// Clocks from an input's first beat to its output.
    pub latency: usize,
    pub inputs_per_second: f64,
}

/// What kind of block a [`BlockModel`] is: which glue coefficients price it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Junction,
    LayerMemory,
    Top,
    /// The AXI shell's own logic (its register decoder and read multiplexer).
    Shell,
    /// The board top's own logic (reset synchroniser, blinker).
    Board,
}

/// A block as the model sees it: its primitives' cost, by category, and its glue features.
#[derive(Clone, Debug)]
pub struct BlockModel {
    /// As Yosys names the block: the junction, `mem_<layer>`, or `top level`.
    pub name: String,
    pub kind: BlockKind,
    pub primitives: BTreeMap<&'static str, Resources>,
    pub glue: glue::Features,
}

impl BlockModel {
    /// The block's resources with its glue priced.
    pub fn block(&self) -> Block {
        let model = match self.kind {
            BlockKind::Junction => &coefficients::JUNCTION,
            BlockKind::LayerMemory => &coefficients::LAYER_MEMORY,
            BlockKind::Top => &coefficients::TOP,
            BlockKind::Shell => &coefficients::SHELL,
            BlockKind::Board => &coefficients::BOARD,
        };
        let mut parts = self.primitives.clone();
        parts.insert(
            "logic",
            Resources {
                luts: model.luts.apply(&self.glue),
                flip_flops: model.flip_flops.apply(&self.glue),
                ..Resources::default()
            },
        );
        Block {
            name: self.name.clone(),
            resources: parts.values().fold(Resources::default(), |a, b| a + *b),
            parts,
        }
    }
}

/// The category a part's resources are reported under (as [`super::category`] does for
/// Yosys's modules).
fn category(part: &Part) -> &'static str {
    match part.primitive {
        Primitive::Stored(_) if part.name == "table_rom" => "activation tables",
        Primitive::Stored(m) if matches!(m.kind, crate::backend::storage::Kind::Rom { .. }) => {
            "tables"
        }
        Primitive::Stored(_) | Primitive::LutRam { .. } => "memories",
        Primitive::Mul { .. } => "multipliers",
        Primitive::Tree { .. } => "adder trees",
        Primitive::Crossbar { .. } => "crossbars",
        Primitive::MuxTree { .. } => "memory-mapped reads",
        Primitive::RoundSat { .. } => "rounding",
        Primitive::Act { .. } => "activation tables",
        Primitive::Delay { .. } => "delay lines",
        Primitive::RowGen { .. } => "address generators",
        Primitive::AxiLite { .. }
        | Primitive::Fifo { .. }
        | Primitive::UartRx { .. }
        | Primitive::UartTx { .. }
        | Primitive::Bridge { .. } => "interfaces",
    }
}

fn priced(parts: &[Part]) -> BTreeMap<&'static str, Resources> {
    let mut out: BTreeMap<&'static str, Resources> = BTreeMap::new();
    for p in parts {
        *out.entry(category(p)).or_default() += primitives::cost(&p.primitive) * p.count as u64;
    }
    out
}

/// Every block of the hardware `hw`.
pub fn blocks(hw: &Hardware) -> Vec<BlockModel> {
    let training = hw.junctions.iter().any(|j| j.training);
    let mut out = Vec::new();
    for j in &hw.junctions {
        out.push(BlockModel {
            name: j.name.clone(),
            kind: BlockKind::Junction,
            primitives: priced(&j.parts),
            glue: glue::junction(j),
        });
    }
    for m in &hw.memories {
        out.push(BlockModel {
            name: m.name.clone(),
            kind: BlockKind::LayerMemory,
            primitives: priced(&m.parts),
            glue: glue::memory(m, training),
        });
    }
    out.push(BlockModel {
        name: "top level".into(),
        kind: BlockKind::Top,
        primitives: priced(&hw.top.parts),
        glue: glue::top(&hw.top, hw.junctions.len()),
    });
    if let Some(shell) = &hw.shell {
        out.push(BlockModel {
            name: "axi".into(),
            kind: BlockKind::Shell,
            primitives: priced(&shell.parts),
            glue: glue::shell(shell),
        });
    }
    if let Some(board) = &hw.board {
        out.push(BlockModel {
            name: "board".into(),
            kind: BlockKind::Board,
            primitives: priced(&board.parts),
            glue: glue::board(board),
        });
    }
    out
}

/// The estimate of the core `options` builds from `compiled` (`<net>_top`, without the AXI
/// shell or a board top: what `snnc synth` synthesises, and what check and explore weigh).
pub fn estimate(compiled: &Compiled, options: &Options) -> Estimate {
    of(compiled, &hw::core(compiled, options))
}

/// The estimate of `hw`, the hardware of `compiled`.
pub fn of(compiled: &Compiled, hw: &Hardware) -> Estimate {
    let options = &hw.options;
    let blocks: Vec<Block> = blocks(hw).iter().map(BlockModel::block).collect();
    let total = blocks
        .iter()
        .fold(Resources::default(), |a, b| a + b.resources);
    let stream = compiled.stream(options.beat);
    Estimate {
        resources: Synthesis::new(compiled, total, blocks),
        clocks_per_input: stream.clocks_per_input,
        latency: stream.latency,
        inputs_per_second: compiled.inputs_per_second(options.beat),
    }
}
