//! What the glue templates instantiate, block by block: every memory, multiplier, adder
//! tree, crossbar, rounding unit and activation with its parameters and count. The memories'
//! storage choices reach the templates from here, and the resource estimate prices the rest.

use super::memory::LayerMemory;
use crate::backend::storage::Memory;
use crate::backend::tables::Columns;
use serde::Serialize;

/// The shape of `snn_mul`'s LUT variant for an `a_w` × `b_w` product: the radix-4 Booth
/// digits of the narrower operand, and the groups of three rows (the digits' rows and one
/// constant row) summed in its first stage.
pub fn booth_rows(a_w: usize, b_w: usize) -> (usize, usize) {
    let digits = a_w.min(b_w).div_ceil(2);
    (digits, (digits + 1).div_ceil(3))
}

/// A primitive with the parameters that decide its cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Primitive {
    /// `snn_ram`, `snn_ram_2r`, `snn_ram_lanes` or `snn_rom`, stored as the compiler chose.
    Stored(Memory),
    /// `snn_lutram`: distributed RAM read without a register, through `reads` ports.
    LutRam {
        width: usize,
        depth: usize,
        reads: usize,
    },
    /// `snn_mul`: `a_w` × `b_w` bits, rounded to `out_w`, on DSP slices or LUTs.
    Mul {
        a_w: usize,
        b_w: usize,
        out_w: usize,
        luts: bool,
        /// `b` is an unsigned value widened by a zero sign bit (synthesis drops its row).
        b_unsigned: bool,
    },
    /// `snn_adder_tree` of `n` values of `in_w` bits.
    Tree {
        n: usize,
        in_w: usize,
    },
    /// `snn_crossbar`: `n` ports of `width` bits.
    Crossbar {
        n: usize,
        width: usize,
    },
    /// `snn_mux_tree`: one of `n` words of `width` bits, sixteen to one a registered level,
    /// `levels` of them.
    MuxTree {
        n: usize,
        width: usize,
        levels: usize,
    },
    /// `snn_round_sat` from `in_w` to `out_w` bits, rounding off `shift` bits.
    RoundSat {
        in_w: usize,
        out_w: usize,
        shift: i64,
    },
    /// `snn_act` of `w` bits; a sigmoid's table is a `Memory` of its own.
    Act {
        w: usize,
        sigmoid: bool,
    },
    /// `snn_rowgen`: the rows of `z` banks, each a counter modulo the rows from a seed.
    RowGen {
        z: usize,
        row_w: usize,
    },
    /// `snn_delay`: `depth` registers of `width` bits.
    Delay {
        width: usize,
        depth: usize,
    },
    /// `snn_axil`: an AXI4-Lite slave of `addr_w` address bits.
    AxiLite {
        addr_w: usize,
    },
    /// `snn_fifo` of 2^`addr` words of `width` bits (distributed RAM).
    Fifo {
        width: usize,
        addr: usize,
    },
    /// `snn_uart_rx` or `snn_uart_tx` at `clocks_per_bit`.
    UartRx {
        clocks_per_bit: usize,
    },
    UartTx {
        clocks_per_bit: usize,
    },
    /// `snn_uart_bridge` (its frame buffer is a nested `Stored` part).
    Bridge {
        addr_w: usize,
        in_bytes: usize,
        out_bytes: usize,
        label_bytes: usize,
    },
}

/// `count` instances of one primitive, named as in the generated Verilog.
#[derive(Clone, Debug, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub count: usize,
    pub primitive: Primitive,
    /// Inside another part (a sigmoid's table is in its `snn_act`), not instantiated by the glue.
    pub nested: bool,
}

pub(super) fn part(name: &'static str, count: usize, primitive: Primitive) -> Part {
    Part {
        name,
        count,
        primitive,
        nested: false,
    }
}

/// The memories of a list of parts: (instance name, shape), for the templates' `STYLE`s.
pub fn memories(parts: &[Part]) -> impl Iterator<Item = (&'static str, Memory)> + '_ {
    parts.iter().filter_map(|p| match p.primitive {
        Primitive::Stored(m) => Some((p.name, m)),
        _ => None,
    })
}

/// The parts of a layer memory.
pub fn memory(m: &LayerMemory, training: bool) -> Vec<Part> {
    let mut parts = vec![part(
        "activations",
        m.banks,
        Primitive::Stored(Memory::ram(
            m.width,
            m.copies * m.rows_pad,
            if training { 2 } else { 1 },
        )),
    )];
    if m.deltas {
        parts.push(part(
            "delta_sums",
            m.banks * m.delta_copies,
            // An add's read and a take's, each through its own port.
            Primitive::LutRam {
                width: m.delta_w,
                depth: m.rows,
                reads: 2,
            },
        ));
    }
    parts
}

/// A part inside another one (not instantiated by the glue).
pub(super) fn nested(name: &'static str, primitive: Primitive) -> Part {
    Part {
        nested: true,
        ..part(name, 1, primitive)
    }
}

/// The parts of the top level's own logic: the input loader's placement table (its columns
/// as [`crate::backend::tables::loader`] fills it).
pub fn top(loader: Columns, beats: usize) -> Vec<Part> {
    vec![part(
        "loader",
        1,
        Primitive::Stored(Memory::rom(loader, beats)),
    )]
}
