//! Where a memory's bits live on an Artix-7: in block RAM (RAMB18E1/RAMB36E1, tiled the way
//! Yosys and Vivado tile a simple dual-port memory) or in LUTs (distributed RAM, or logic for
//! a ROM). The compiler chooses, and writes the choice into the RTL as `ram_style` /
//! `rom_style`, so that every tool builds the same memories and the estimate counts them
//! exactly.

use super::tables::Columns;
use serde::Serialize;

/// What a memory is, as the primitives in `templates/rtl` build it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// `snn_ram` (one read port) or `snn_ram_2r` (two): a write port and registered reads.
    Ram { read_ports: usize },
    /// `snn_ram_lanes`: words of `lanes` values, each written on its own enable.
    Lanes { lanes: usize },
    /// `snn_rom`: initialised, read only; `logic_bits` of its columns need LUTs when it is
    /// built from logic (the others are constant or an address bit).
    Rom { logic_bits: usize, declared: usize },
}

/// One memory's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Memory {
    pub kind: Kind,
    /// Bits of a word (of one lane, for `Lanes`; the varying columns, for a ROM).
    pub width: usize,
    pub depth: usize,
}

/// Where a memory lives, and what it takes there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Storage {
    Block {
        ramb18: u64,
        ramb36: u64,
    },
    /// Distributed RAM: LUTs holding bits (`lut_memory`) and LUTs selecting among them.
    Distributed {
        lut_memory: u64,
        luts: u64,
    },
    /// A ROM as LUT logic (at most this many LUTs: constant bits cost none).
    Logic {
        luts: u64,
    },
    /// A one-word RAM as flip-flops, each bit behind its write enable's multiplexer (no
    /// distributed RAM is one word deep).
    Registers {
        flip_flops: u64,
        luts: u64,
    },
}

/// A block RAM's cost in LUTs when choosing: block RAM is taken when the memory would need
/// more LUTs than this for each RAMB18 (a RAMB36 counts two) it takes instead.
pub const LUTS_PER_RAMB18: u64 = 128;

/// Simple dual-port shapes (depth, width) of a RAMB18E1 and of a RAMB36E1, and Yosys's
/// cost of each (a RAMB36 costs a little more than two RAMB18s, so two are taken only when
/// they are needed anyway).
const RAMB18: [(usize, usize); 6] = [
    (16384, 1),
    (8192, 2),
    (4096, 4),
    (2048, 9),
    (1024, 18),
    (512, 36),
];
const RAMB36: [(usize, usize); 7] = [
    (32768, 1),
    (16384, 2),
    (8192, 4),
    (4096, 9),
    (2048, 18),
    (1024, 36),
    (512, 72),
];
const RAMB18_COST: u64 = 129;
const RAMB36_COST: u64 = 257;

impl Memory {
    pub fn ram(width: usize, depth: usize, read_ports: usize) -> Memory {
        Memory {
            kind: Kind::Ram { read_ports },
            width,
            depth,
        }
    }

    pub fn lanes(lanes: usize, width: usize, depth: usize) -> Memory {
        Memory {
            kind: Kind::Lanes { lanes },
            width,
            depth,
        }
    }

    /// A ROM holding a table with these columns.
    pub fn rom(columns: Columns, depth: usize) -> Memory {
        Memory {
            kind: Kind::Rom {
                logic_bits: columns.logic,
                declared: columns.width,
            },
            width: columns.varying,
            depth,
        }
    }

    /// The storage the compiler gives this memory.
    pub fn storage(&self) -> Storage {
        if self.depth == 1 && !matches!(self.kind, Kind::Rom { .. }) {
            let bits = self.words_bits() as u64 * self.copies();
            let lanes = match self.kind {
                Kind::Lanes { lanes } => lanes as u64,
                _ => 1,
            };
            return Storage::Registers {
                flip_flops: bits,
                luts: bits + lanes,
            };
        }
        let (ramb18, ramb36) = self.block();
        let in_luts = self.in_luts();
        let luts = match in_luts {
            Storage::Distributed { lut_memory, luts } => lut_memory + luts,
            Storage::Logic { luts } => luts,
            Storage::Block { .. } | Storage::Registers { .. } => unreachable!("LUT storage"),
        };
        if luts > LUTS_PER_RAMB18 * (ramb18 + 2 * ramb36) {
            Storage::Block { ramb18, ramb36 }
        } else {
            in_luts
        }
    }

    /// Bits the read ports register: a word per port.
    pub fn read_bits(&self) -> usize {
        self.words_bits() * self.copies() as usize
    }

    /// The synthesis attribute value of the storage.
    pub fn style(&self) -> &'static str {
        match self.storage() {
            Storage::Block { .. } => "block",
            Storage::Distributed { .. } => "distributed",
            Storage::Logic { .. } => "logic",
            Storage::Registers { .. } => "registers",
        }
    }

    /// Bits of a word: every lane's, for `Lanes`.
    fn words_bits(&self) -> usize {
        match self.kind {
            Kind::Lanes { lanes } => lanes * self.width,
            _ => self.width,
        }
    }

    /// Copies of the storage: block RAM and distributed RAM both give a second read port its
    /// own copy.
    fn copies(&self) -> u64 {
        match self.kind {
            Kind::Ram { read_ports } => read_ports.max(1) as u64,
            _ => 1,
        }
    }

    /// The cheapest tiling by one kind of block RAM: (RAMB18s, RAMB36s).
    fn block(&self) -> (u64, u64) {
        let tiles = |depth: usize, width: usize| -> u64 {
            let across = match self.kind {
                Kind::Lanes { lanes } if lanes > 1 => lanes_across(lanes, self.width, width),
                _ => self.width.div_ceil(width),
            };
            (self.depth.div_ceil(depth) * across) as u64
        };
        let best = |shapes: &[(usize, usize)]| {
            shapes
                .iter()
                .map(|&(d, w)| tiles(d, w))
                .min()
                .expect("shapes")
        };
        let (n18, n36) = (best(&RAMB18), best(&RAMB36));
        let copies = self.copies();
        if n18 * RAMB18_COST <= n36 * RAMB36_COST {
            (n18 * copies, 0)
        } else {
            (0, n36 * copies)
        }
    }

    /// The memory in LUTs: distributed RAM (RAM32M holds 6 bits of 32 words for a write and
    /// a read port, RAM64M 3 bits of 64), read through multiplexers beyond 64 words; a ROM as
    /// logic, a LUT6 per bit of every 64 words.
    pub fn in_luts(&self) -> Storage {
        let sections = self.depth.div_ceil(64) as u64;
        let bits = match self.kind {
            Kind::Lanes { lanes } => (lanes * self.width) as u64,
            Kind::Rom { logic_bits, .. } => logic_bits as u64,
            Kind::Ram { .. } => self.width as u64,
        };
        let select = if sections > 1 {
            bits * mux_luts(sections) + 2 * sections - 2
        } else {
            0
        };
        if matches!(self.kind, Kind::Rom { .. }) {
            return Storage::Logic {
                luts: bits * sections + select,
            };
        }
        // A RAM short of a power of two reads zero beyond its last word: a gate per bit
        // where no section multiplexer absorbs the test (a ROM's LUTs absorb it).
        let select = if sections == 1 && !self.depth.is_power_of_two() {
            bits
        } else {
            select
        };
        let lanes = match self.kind {
            Kind::Lanes { lanes } => lanes as u64,
            _ => 1,
        };
        let cells = if self.depth <= 32 {
            self.width.div_ceil(6) as u64
        } else {
            sections * self.width.div_ceil(3) as u64
        };
        Storage::Distributed {
            lut_memory: 4 * cells * lanes * self.copies(),
            luts: select * self.copies(),
        }
    }
}

/// Block RAM columns `lanes` lanes of `lane` bits need in a `width`-bit mode: each lane
/// keeps its own write enable, one per 9-bit byte, so a lane takes whole bytes.
fn lanes_across(lanes: usize, lane: usize, width: usize) -> usize {
    let bytes_per_lane = lane.div_ceil(9);
    if width >= 9 && bytes_per_lane * 9 <= width {
        lanes.div_ceil((width / 9) / bytes_per_lane)
    } else {
        lanes * lane.div_ceil(width)
    }
}

/// LUTs per bit selecting one of `sections` 64-word distributed RAMs (LUT6 4:1 multiplexers
/// with the slice's MUXF7/MUXF8 for free).
fn mux_luts(sections: u64) -> u64 {
    if sections <= 4 {
        1
    } else {
        let first = sections.div_ceil(4);
        first + mux_luts(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table whose every column varies and needs logic.
    fn all(width: usize) -> Columns {
        Columns {
            width,
            varying: width,
            logic: width,
        }
    }

    #[test]
    fn block_ram_tiles_as_yosys_tiles_it() {
        // Yosys 0.23 `synth_xilinx -family xc7` on the primitives with STYLE "block".
        assert_eq!(Memory::ram(10, 512, 1).block(), (1, 0));
        assert_eq!(Memory::ram(10, 32, 1).block(), (1, 0));
        assert_eq!(Memory::ram(20, 1024, 1).block(), (0, 1));
        assert_eq!(Memory::ram(16, 2048, 1).block(), (0, 1));
        assert_eq!(Memory::ram(72, 256, 1).block(), (0, 1));
        assert_eq!(Memory::ram(160, 2048, 1).block(), (0, 9));
        assert_eq!(Memory::ram(160, 2048, 2).block(), (0, 18));
        assert_eq!(Memory::ram(10, 512, 2).block(), (2, 0));
        assert_eq!(Memory::lanes(8, 10, 1024).block(), (0, 4));
        assert_eq!(Memory::lanes(32, 10, 32).block(), (0, 8));
        assert_eq!(Memory::lanes(4, 10, 512).block(), (0, 1));
        assert_eq!(Memory::rom(all(40), 32).block(), (0, 1));
        assert_eq!(Memory::rom(all(20), 1024).block(), (0, 1));
    }

    #[test]
    fn distributed_ram_counts_its_luts() {
        // Yosys: RAM32M / RAM64M cells (4 LUTs each) and the LUTs reading across them.
        let luts = |m: Memory| match m.in_luts() {
            Storage::Distributed { lut_memory, luts } => (lut_memory, luts),
            other => panic!("{other:?}"),
        };
        assert_eq!(luts(Memory::ram(10, 32, 1)), (8, 0));
        assert_eq!(luts(Memory::ram(10, 64, 1)), (16, 0));
        assert_eq!(luts(Memory::ram(10, 128, 1)), (32, 12));
        assert_eq!(luts(Memory::ram(64, 32, 1)), (44, 0));
        assert_eq!(luts(Memory::ram(10, 512, 1)), (128, 44));
        assert_eq!(luts(Memory::lanes(16, 8, 256)).0, 192 * 4);
    }

    #[test]
    fn the_choice_weighs_luts_against_block_ram() {
        assert_eq!(Memory::ram(10, 256, 1).style(), "distributed");
        assert_eq!(Memory::ram(10, 512, 1).style(), "block");
        assert_eq!(Memory::ram(72, 256, 1).style(), "block");
        assert_eq!(Memory::lanes(128, 10, 32).style(), "distributed");
        assert_eq!(Memory::lanes(8, 10, 512).style(), "block");
        assert_eq!(Memory::rom(all(20), 1024).style(), "block");
        assert_eq!(Memory::rom(all(40), 32).style(), "logic");
    }

    #[test]
    fn a_one_word_ram_is_registers() {
        // Yosys 0.23 maps no distributed RAM one word deep (logistic_lockstep's biases): a
        // bit is a flip-flop behind its write multiplexer, as Yosys builds it (4 lanes of 10
        // bits: 40 flip-flops and 44 LUTs, besides the 40 of the read register).
        let biases = Memory::lanes(4, 10, 1);
        assert_eq!(biases.style(), "registers");
        assert_eq!(
            biases.storage(),
            Storage::Registers {
                flip_flops: 40,
                luts: 44
            }
        );
        assert_eq!(
            Memory::ram(8, 1, 2).storage(),
            Storage::Registers {
                flip_flops: 16,
                luts: 17
            }
        );
        assert_eq!(Memory::rom(all(8), 1).style(), "logic");
    }
}
