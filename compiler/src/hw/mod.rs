//! The hardware model: every part of the generated design — per junction and layer memory,
//! each memory with its depth, width, copies and storage, each multiplier, adder tree,
//! crossbar, rounding unit and delay line, the widths and shifts, the pipeline stages and
//! the copy pointers — built once from a [`Compiled`] network and the build options. The
//! templates render it, and the resource estimate and the build report read it.

pub mod board;
pub mod junction;
mod junction_module;
mod junction_parts;
mod junction_tables;
mod junction_values;
pub mod memory;
mod names;
pub mod parts;
pub mod pointers;
pub mod regs;
pub mod shell;
pub mod stage;
pub mod top;
pub mod verilog;

use crate::Compiled;
pub use junction::{Junction, Side};
pub use memory::LayerMemory;
pub use shell::{Interface, Shell};
pub use top::Top;

/// Options that shape the generated hardware.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Input values per beat of the input stream.
    pub beat: usize,
    /// Where the update's multipliers go.
    pub update_multipliers: UpdateMultipliers,
    /// The core alone, or behind AXI.
    pub interface: Interface,
    /// A board top for this board, its UART at `baud` (it needs the AXI shell).
    pub board: Option<crate::target::Board>,
    pub baud: u32,
}

/// The board top's UART speed unless asked otherwise: 100 clocks per bit at 100 MHz.
pub const DEFAULT_BAUD: u32 = 1_000_000;

/// Where the update's multipliers are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum UpdateMultipliers {
    /// DSP48E1 slices, unless the design needs more than the part has: then the training
    /// multipliers (backward, δ, cost and update) of whole junctions, from the input, in LUTs
    /// until the rest fit (every lane of a junction alike, and the part's remaining slices
    /// left to the user's logic).
    Auto,
    /// DSP48E1 slices.
    Dsp,
    /// LUTs (every training multiplier), as the published design built its update.
    Luts,
}

/// The hardware of a compiled network.
#[derive(Clone, Debug)]
pub struct Hardware {
    /// One per junction, in order.
    pub junctions: Vec<Junction>,
    /// The left layer of each junction, in order.
    pub memories: Vec<LayerMemory>,
    pub top: Top,
    /// The AXI shell and its register map (with `--interface axi`).
    pub shell: Option<Shell>,
    /// The board top around the shell (with `--board`).
    pub board: Option<board::BoardTop>,
    pub options: Options,
}

/// The hardware `options` build from `compiled`. With `auto` update multipliers, the training
/// multipliers of whole junctions move into LUTs, from the input, while the design has
/// multipliers beyond the part's DSP slices. Fails only for a board top the model's clock or
/// the UART's speed does not allow.
pub fn model(compiled: &Compiled, options: &Options) -> Result<Hardware, board::BoardError> {
    let network = compiled.network();
    let mut junctions: Vec<Junction> = network
        .junctions()
        .map(|(id, _)| junction::junction(compiled, id, options))
        .collect();
    // Every junction's memory-mapped read as deep as the deepest's.
    let mm_select_levels = junctions.iter().map(|j| j.mm_select_levels).max();
    for j in &mut junctions {
        j.read_select_levels(mm_select_levels.unwrap_or(1));
    }
    if options.update_multipliers == UpdateMultipliers::Auto {
        let dsp = network.target.part.device.dsp48e1 as usize;
        for id in 0..junctions.len() {
            let used: usize = junctions.iter().map(Junction::dsp_multipliers).sum();
            if used <= dsp {
                break;
            }
            if junctions[id].training {
                junctions[id].build_training_in_luts();
            }
        }
    }
    let memories = network
        .junctions()
        .map(|(_, j)| memory::memory(compiled, j.left, options.beat))
        .collect();
    let top = top::top(compiled, &junctions, options.beat);
    let clocks_per_input = compiled.stream(options.beat).clocks_per_input;
    // A board top needs the shell.
    let axi = options.interface == Interface::Axi || options.board.is_some();
    let shell = axi.then(|| shell::shell(&top, &junctions, clocks_per_input));
    let board = match (options.board, &shell) {
        (Some(b), Some(s)) => Some(board::board_top(
            s,
            b,
            options.baud,
            network.target.clock_mhz,
        )?),
        _ => None,
    };
    Ok(Hardware {
        junctions,
        memories,
        top,
        shell,
        board,
        options: *options,
    })
}

/// The core alone (`<net>_top`, without the AXI shell or a board top) that `options` build
/// from `compiled`: what `snnc synth` synthesises, and what the estimates weigh.
pub fn core(compiled: &Compiled, options: &Options) -> Hardware {
    let core = Options {
        interface: Interface::Native,
        board: None,
        ..*options
    };
    model(compiled, &core).expect("only a board top can fail")
}
