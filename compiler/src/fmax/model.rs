//! The timing estimate without Yosys: every register-to-register stage of the generated
//! hardware described from the hardware model — its parts (multipliers by where they are
//! built, adder trees by width and depth, crossbars, memories by storage) and the glue's
//! stages around them — as LUT levels, carry chains, memory reads and register edges, each
//! timed with [`super::delays`] and the same routing allowance as the netlist's estimate.

use super::delays as d;
use crate::backend::storage::Storage;
use crate::datapath::layout::{tree_levels, tree_registers};
use crate::hw::parts::Primitive;
use crate::hw::{Hardware, Junction, LayerMemory, Side};
use serde::Serialize;

/// One element of a stage, in the order a signal crosses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    /// A register's clock to out: a flip-flop, a DSP48E1's P register, a block RAM (without
    /// its output register).
    FlipFlop,
    DspFromP,
    BlockRam,
    /// A net between two cells, of this fan-out.
    Net(usize),
    /// A LUT level (its slowest input).
    Lut,
    /// A slice's wide multiplexer (MUXF7, MUXF8) on a dedicated connection.
    WideMux,
    /// A carry chain of this many bits, to its last sum bit; or to its carry out (a
    /// comparison).
    Carry(usize),
    Compare(usize),
    /// A distributed RAM's read from its address.
    LutRamRead,
    /// The capturing edge: a flip-flop's D, its clock enable, a distributed RAM's data and
    /// write enable, a block RAM's address, a DSP48E1's operands at its A and B registers.
    SetupD,
    SetupCe,
    SetupLutRam,
    SetupLutRamWe,
    SetupBlockRam,
    SetupDspA,
    /// Inside a DSP48E1: its A and B registers through the multiplier into its M register,
    /// and its M register through the post-adder into its P register.
    DspAToM,
    DspMToP,
}

impl Element {
    fn ps(self) -> u32 {
        match self {
            Element::FlipFlop => d::FF_CLOCK_TO_Q,
            Element::DspFromP => d::DSP_CLOCK_TO_P_PREG,
            Element::BlockRam => d::BRAM_CLOCK_TO_OUT,
            Element::Net(fanout) => d::routing(fanout),
            // A LUT level through a middle input (synthesis puts late signals on fast
            // inputs); a distributed RAM's read through its slowest address bit.
            Element::Lut => d::lut(6, 2),
            Element::LutRamRead => d::lut(6, 0),
            Element::WideMux => d::MUXF7[2],
            Element::Carry(bits) => carry(bits, false),
            Element::Compare(bits) => carry(bits, true),
            Element::SetupD => d::FF_SETUP_D,
            Element::SetupCe => d::FF_SETUP_CE,
            Element::SetupLutRam => d::LUTRAM_SETUP_DATA,
            Element::SetupLutRamWe => d::LUTRAM_SETUP_WE,
            Element::SetupBlockRam => d::BRAM_SETUP_ADDRESS,
            Element::SetupDspA => d::DSP_SETUP_AB_AREG,
            Element::DspAToM => d::DSP_AREG_TO_MREG,
            Element::DspMToP => d::DSP_MREG_TO_PREG,
        }
    }
}

/// A carry chain of `bits` entered at the first CARRY4's S input: to the last sum bit, or
/// to the carry out (the last CARRY4's CO3).
fn carry(bits: usize, carry_out: bool) -> u32 {
    let chains = bits.max(1).div_ceil(4) as u32;
    let end = if carry_out {
        d::CARRY4_CO.ci[3]
    } else {
        d::CARRY4_O.ci[3]
    };
    if chains == 1 {
        return if carry_out {
            d::CARRY4_CO.s[0][3]
        } else {
            d::CARRY4_O.s[0][3]
        };
    }
    d::CARRY4_CO.s[0][3] + d::CARRY4_CO.ci[3] * (chains - 2) + end
}

/// One stage between registers: where it is, what it does, what it crosses.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub block: String,
    pub what: &'static str,
    #[serde(skip)]
    pub elements: Vec<Element>,
    pub cell_ps: u64,
    pub routing_ps: u64,
    pub total_ps: u64,
    /// LUT levels and carry-chain bits it crosses.
    pub luts: usize,
    pub carry_bits: usize,
}

impl Stage {
    fn new(block: &str, what: &'static str, elements: Vec<Element>) -> Stage {
        let routing: u64 = elements
            .iter()
            .filter(|e| matches!(e, Element::Net(_)))
            .map(|e| u64::from(e.ps()))
            .sum();
        let total: u64 = elements.iter().map(|e| u64::from(e.ps())).sum();
        let carry_bits = elements
            .iter()
            .map(|e| match e {
                Element::Carry(b) | Element::Compare(b) => *b,
                _ => 0,
            })
            .sum();
        Stage {
            block: block.to_string(),
            what,
            luts: elements.iter().filter(|e| **e == Element::Lut).count(),
            carry_bits,
            cell_ps: total - routing,
            routing_ps: routing,
            total_ps: total,
            elements,
        }
    }
}

/// Every stage of `hw`, and the worst.
#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    pub worst: Stage,
    /// The stage with the most cell delay (routing aside).
    pub worst_cells: Stage,
    pub stages: Vec<Stage>,
}

impl Estimate {
    /// The highest clock the worst stage allows, in MHz.
    pub fn fmax_mhz(&self) -> f64 {
        super::mhz(self.worst.total_ps)
    }

    /// The `n` slowest stages, the worst first (of equal ones, the later listed first, as
    /// `worst` is chosen).
    pub fn slowest(&self, n: usize) -> Vec<Stage> {
        let mut by_delay: Vec<(usize, &Stage)> = self.stages.iter().enumerate().collect();
        by_delay.sort_by_key(|&(i, s)| std::cmp::Reverse((s.total_ps, i)));
        by_delay
            .into_iter()
            .take(n)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

/// The stages of the hardware, timed.
pub fn estimate(hw: &Hardware) -> Estimate {
    let mut stages = Vec::new();
    let registers = registers(hw);
    for j in &hw.junctions {
        // The memory whose δ sums this junction takes.
        let taken = hw
            .memories
            .iter()
            .find(|m| m.deltas && m.layer_junction == j.name);
        junction(j, taken, &mut stages);
    }
    for m in &hw.memories {
        memory(m, &mut stages);
    }
    // The clock enable is a register: the sequencer's next state decided on (the input's or
    // the output's handshake, the beat counted, the input loaded, the cycle begun); then its
    // net to every register, gated into a memory's write enable.
    use Element::*;
    let mut e = vec![FlipFlop];
    for _ in 0..4 {
        e.extend([Net(2), Lut]);
    }
    e.extend([Net(1), SetupD]);
    stages.push(Stage::new("top", "clock enable: the next state decided", e));
    stages.push(Stage::new(
        "top",
        "clock enable: its fan-out",
        vec![
            FlipFlop,
            Net(registers),
            Lut,
            Net(1),
            Lut,
            Net(1),
            SetupLutRamWe,
        ],
    ));
    let worst = stages
        .iter()
        .max_by_key(|s| s.total_ps)
        .cloned()
        .expect("the clock enable is a stage");
    let worst_cells = stages
        .iter()
        .max_by_key(|s| s.cell_ps)
        .cloned()
        .expect("the clock enable is a stage");
    Estimate {
        worst,
        worst_cells,
        stages,
    }
}

/// A rough count of the registers the clock enable reaches: the design's pipeline and
/// memory read registers, by its lanes and widths.
fn registers(hw: &Hardware) -> usize {
    let lanes: usize = hw
        .junctions
        .iter()
        .map(|j| j.z * (j.weight_w + j.left_w) * if j.training { 3 } else { 2 })
        .sum();
    let memories: usize = hw.memories.iter().map(|m| m.banks * m.width).sum();
    lanes + memories
}

/// A round-and-saturate unit from `in_w` to `out_w` bits, after a net: the rounding add,
/// then the range test and the choice. The value is in range iff its bits from the output's
/// sign up are all equal: a LUT reduction of them, whose result picks each output bit.
fn round_sat(in_w: usize, out_w: usize, shift: i64, out: &mut Vec<Element>) {
    use Element::*;
    if shift > 0 {
        out.extend([Lut, Carry(in_w)]);
    }
    if in_w > out_w {
        out.push(Net(out_w));
        out.extend(std::iter::repeat_n(Lut, clamp_levels(in_w - out_w + 1)));
    }
}

/// LUT levels from the `top` bits a clamp tests to its output bits. An output bit's LUT
/// reads the tested bits, its own bit and the sign: one level while they fit in a LUT6;
/// beyond, a level reduces each six tested bits to "all ones" and "all zeros", a level
/// combines three such pairs, and the output bits' choice is a level of its own.
fn clamp_levels(top: usize) -> usize {
    if top < 6 {
        return 1;
    }
    let mut pairs = top.div_ceil(6);
    let mut levels = 1;
    while pairs > 1 {
        pairs = pairs.div_ceil(3);
        levels += 1;
    }
    levels + 1
}

fn junction(j: &Junction, taken: Option<&LayerMemory>, stages: &mut Vec<Stage>) {
    use Element::*;
    let name = j.name.as_str();
    for part in &j.parts {
        if part.count == 0 {
            continue;
        }
        match part.primitive {
            Primitive::Mul {
                a_w,
                b_w,
                out_w,
                luts,
                ..
            } => {
                // `snn_mul`'s four stages: the operands registered, then the product's three
                // (the rounding constant in the second of them).
                let product_w = a_w + b_w + 1;
                if luts {
                    // Radix-4 Booth rows of the narrower operand and one constant row,
                    // summed three to a group (the row's LUT, a 3:2 compressor, the adder's
                    // LUT and its carry chain), then the groups' sums added.
                    let (digits, groups) = crate::hw::parts::booth_rows(a_w, b_w);
                    let mut e = vec![FlipFlop, Net(2 * digits), Lut];
                    e.extend([Net(2), Lut, Net(1), Lut, Carry(product_w), Net(1), SetupD]);
                    stages.push(Stage::new(name, "LUT multiplier: Booth rows", e));
                    let mut e = vec![FlipFlop];
                    for _ in 0..groups.next_power_of_two().trailing_zeros() {
                        e.extend([Net(1), Lut, Carry(product_w)]);
                    }
                    e.extend([Net(1), SetupD]);
                    stages.push(Stage::new(name, "LUT multiplier: groups' sum", e));
                    let mut e = vec![FlipFlop];
                    round_sat(product_w, out_w, 0, &mut e);
                    e.extend([Net(1), SetupD]);
                    stages.push(Stage::new(name, "LUT multiplier: saturation", e));
                } else {
                    stages.push(Stage::new(
                        name,
                        "DSP48E1 operands into the A and B registers",
                        vec![FlipFlop, Net(3), SetupDspA],
                    ));
                    stages.push(Stage::new(
                        name,
                        "DSP48E1 A and B registers into M",
                        vec![DspAToM],
                    ));
                    stages.push(Stage::new(
                        name,
                        "DSP48E1 M register and rounding constant into P",
                        vec![DspMToP],
                    ));
                    let mut e = vec![DspFromP];
                    round_sat(product_w, out_w, 0, &mut e);
                    e.extend([Net(1), SetupD]);
                    stages.push(Stage::new(name, "DSP48E1 product saturated", e));
                }
            }
            Primitive::Tree { n, in_w } if n > 1 => {
                // Each registered stage of the tree: its levels' additions, level l's of
                // `in_w + l` bits (a LUT and a carry chain each).
                let registered = tree_registers(n, in_w);
                let mut e = vec![FlipFlop];
                for level in 1..=tree_levels(n) {
                    e.extend([Net(1), Lut, Carry(in_w + level)]);
                    if registered & (1 << (level - 1)) != 0 {
                        e.extend([Net(1), SetupD]);
                        stages.push(Stage::new(name, "adder tree: a registered stage", e));
                        e = vec![FlipFlop];
                    }
                }
            }
            Primitive::Crossbar { n, .. } if n > 1 => {
                let levels = n.next_power_of_two().trailing_zeros().div_ceil(2) as usize;
                let mut e = vec![FlipFlop, Net(part.count * n)];
                for _ in 0..levels {
                    e.extend([Lut, Net(1)]);
                }
                e.push(SetupD);
                stages.push(Stage::new(name, "crossbar", e));
            }
            _ => {}
        }
    }
    weights_read(j, stages);
    let table_in_block_ram = in_block_ram(j, "table_rom");
    // The neuron's sum, then its activation's table index.
    let acc_w = if j.side == Side::Accumulate {
        j.acc_w + j.tree_levels
    } else {
        j.acc_w
    };
    stages.push(Stage::new(
        name,
        "accumulator",
        vec![FlipFlop, Net(2), Lut, Carry(acc_w), Net(2), SetupD],
    ));
    if j.side == Side::Accumulate {
        // A lane's partial sums' address, chosen the clock before: the finalise control's
        // next state (the slot compared, the step's end) reaching every lane's address bits,
        // the choice between its step and the product's neuron.
        let e = vec![
            FlipFlop,
            Net(2),
            Lut,
            Net(2),
            Lut,
            Net(2 * j.z * j.step_w),
            Lut,
            Net(1),
            SetupD,
        ];
        stages.push(Stage::new(name, "partial sums: address chosen", e));
        // A partial sum read, added to and written in one clock: the registered address
        // reaching the sum's distributed RAM cells, the sum read, the product added (a clear
        // gated in the adder's LUTs), written.
        let e = vec![
            FlipFlop,
            Net(j.acc_w.div_ceil(2)),
            LutRamRead,
            Net(1),
            Lut,
            Carry(j.acc_w),
            Net(1),
            SetupLutRam,
        ];
        stages.push(Stage::new(name, "partial sums: read, added, written", e));
    }
    // `snn_act`'s stages: the saturated pre-activation registered, the table index (or the
    // piecewise value), the table read, the outputs registered.
    let mut e = vec![FlipFlop];
    round_sat(acc_w, j.act_w, 0, &mut e);
    e.extend([Net(1), SetupD]);
    stages.push(Stage::new(name, "activation: pre-activation saturated", e));
    if j.act.kind == crate::hw::junction::ActKind::Sigmoid {
        // z + offset, then its clamp to the table: the bits above the index decide.
        let above = (j.act_w + 2).saturating_sub(j.act.index_w).max(1);
        let e = vec![
            FlipFlop,
            Net(1),
            Lut,
            Carry(j.act_w + 2),
            Net(2),
            Compare(above),
            Net(j.act.index_w),
            Lut,
            Net(1),
            SetupD,
        ];
        stages.push(Stage::new(name, "activation: table index", e));
        if table_in_block_ram {
            let e = vec![FlipFlop, Net(2), SetupBlockRam];
            stages.push(Stage::new(name, "activation: table address", e));
            let e = vec![BlockRam, Net(1), SetupD];
            stages.push(Stage::new(name, "activation: table read", e));
        } else {
            // A table in LUTs: a LUT6 per 64 entries, then its sections chosen.
            let mut e = vec![FlipFlop, Net(2 * j.act_w), Lut];
            sections_chosen(j.act.entries, &mut e);
            e.extend([Net(1), SetupD]);
            stages.push(Stage::new(name, "activation: table read", e));
        }
    } else {
        let e = vec![FlipFlop, Net(1), Lut, Net(1), SetupD];
        stages.push(Stage::new(name, "activation: piecewise", e));
    }
    if j.training {
        // The update's write-back: w + Δw, saturated, into the weights.
        let mut e = vec![FlipFlop, Net(1), Lut, Carry(j.weight_w + 1)];
        round_sat(j.weight_w + 1, j.weight_w, 0, &mut e);
        e.extend([Net(1), SetupLutRam]);
        stages.push(Stage::new(name, "weight write-back", e));
        // The bias step −δ·2^−k: the δ chosen (a tree's neuron holds it over its clocks),
        // inverted into the rounding add (its 1 with the rounding constant), saturated. The
        // bias's own write-back has the weight's shape.
        let mut e = vec![FlipFlop, Net(1), Lut, Carry(j.delta_w + 1)];
        round_sat(j.delta_w + 1, j.weight_w, 0, &mut e);
        e.extend([Net(1), SetupD]);
        stages.push(Stage::new(name, "bias step", e));
        if let Some(m) = taken.filter(|_| !j.last) {
            take(j, m, stages);
            // The clock after, the sum routed back to its take port (the banks' multiplexer)
            // and saturated into the δ product's operand register.
            let banks = j.right_bank_w.div_ceil(2).max(1);
            let mut e = vec![FlipFlop];
            for _ in 0..banks {
                e.extend([Net(2), Lut]);
            }
            round_sat(j.right_sum_w, j.delta_w, 0, &mut e);
            e.extend([
                Net(1),
                if j.training_in_luts {
                    SetupD
                } else {
                    SetupDspA
                },
            ]);
            stages.push(Stage::new(name, "δ sums taken: routed and saturated", e));
        }
    }
    // A host's read of a parameter: a sixteen-to-one level of the select (a LUT6 choosing
    // four words, the slice's MUXF7 and MUXF8), its select bits reaching every word bit's LUT.
    let words = j.mm_words;
    let e = vec![
        FlipFlop,
        Net(j.weight_w * words.div_ceil(4)),
        Lut,
        WideMux,
        WideMux,
        Net(1),
        SetupD,
    ];
    stages.push(Stage::new(name, "memory-mapped read: a select level", e));
    if j.last && j.training {
        // The cost's error: the neuron compared with its pass's label (read into a register
        // the clock before), the target chosen into the subtraction, into a register
        // (cross-entropy: rounded and saturated into δ's register the clock after) or into
        // the product's operand register (quadratic).
        let mut e = vec![FlipFlop, Net(j.groups)];
        e.extend(std::iter::repeat_n(Lut, lut_levels(2 * j.label_w)));
        e.extend([Net(j.act_w + 2), Lut, Carry(j.act_w + 2), Net(1)]);
        e.push(if j.quadratic && !j.training_in_luts {
            SetupDspA
        } else {
            SetupD
        });
        stages.push(Stage::new(name, "cost: error", e));
        if !j.quadratic {
            let mut e = vec![FlipFlop];
            round_sat(j.act_w + 2, j.delta_w, j.shifts.cost.net(), &mut e);
            e.extend([Net(1), SetupD]);
            stages.push(Stage::new(name, "cost: error rounded", e));
        }
    }
    if j.last {
        // The argmax: a level of its comparison tree a clock (the two values compared, the
        // tie broken by the index, the winner chosen), then the pass's running best (the
        // same comparison, enabling its registers).
        let compared = [FlipFlop, Net(3), Lut, Compare(j.act_w), Net(1), Lut];
        let chosen = j.act_w + j.label_w;
        if j.argmax_levels > 0 {
            let mut e = compared.to_vec();
            e.extend([Net(chosen + 1), Lut, Net(1), SetupD]);
            stages.push(Stage::new(name, "argmax tree level", e));
        }
        let mut e = compared.to_vec();
        e.extend([Net(chosen), SetupCe]);
        stages.push(Stage::new(name, "argmax running best", e));
    }
}

/// The δ sums junction `j` takes from memory `m`: the request (a tree's registered, an
/// accumulator's gated by its transfer) reaches each bank, whose take read port has the
/// row of its one writer as it is, or of the writer whose request hits it (decoded against
/// the bank); the copy's word is chosen into the bank's register. In the same clock the hit
/// clears the sum: the copy's write enable.
fn take(j: &Junction, m: &LayerMemory, stages: &mut Vec<Stage>) {
    use Element::*;
    let name = j.name.as_str();
    let gate = j.side == Side::Accumulate;
    // The request is a table's registered read.
    let table = if gate { "transfer_rom" } else { "take_place" };
    let request = if in_block_ram(j, table) {
        BlockRam
    } else {
        FlipFlop
    };
    let writers = m.writers_per_bank;
    // A request's bits reach the banks that listen to its port.
    let listeners = (m.banks * writers).div_ceil(m.delta_ports.max(1));
    let mut hit = vec![request, Net(listeners)];
    if gate {
        hit.extend([Lut, Net(listeners)]);
    }
    // A hit compares the bank with its number: a LUT6 for five bits and the valid.
    hit.extend(std::iter::repeat_n(Lut, lut_levels(m.bank_w + 1)));
    let mut read = if writers > 1 {
        // The row of the writer that hits: the hits and the writers' rows into each row bit.
        let mut e = hit.clone();
        let inputs = (writers - 1) + writers;
        if writers > 2 || m.bank_w + 3 > 6 {
            e.push(Net(m.row_w));
            e.extend(std::iter::repeat_n(Lut, lut_levels(inputs)));
        }
        e
    } else {
        vec![request]
    };
    delta_sum_read(m, &mut read);
    stages.push(Stage::new(name, "δ sums taken: read", read));
    // The clear: the hit and the copy taken into each copy's write enable (with an add's).
    let mut clear = hit;
    clear.extend([
        Net(m.delta_copies),
        Lut,
        Net(m.delta_w.div_ceil(2)),
        SetupLutRamWe,
    ]);
    stages.push(Stage::new(name, "δ sums taken: cleared", clear));
}

/// The weights' read into their read register: the address chosen between the slot's and a
/// host's (the choice's register, `mm_en`, reaching every lane's memory ports), then a block
/// RAM's address, or a distributed RAM's read (a LUT6 per 64 words, then its sections
/// chosen).
fn weights_read(j: &Junction, stages: &mut Vec<Stage>) {
    use Element::*;
    let Some(memory) = j.parts.iter().find_map(|p| match p.primitive {
        Primitive::Stored(m) if p.name == "weights" => Some(m),
        _ => None,
    }) else {
        return;
    };
    let mut e = vec![FlipFlop, Net(j.z + 3 * j.slot_addr_w), Lut];
    let cells = (j.z * j.weight_w).div_ceil(2) * memory.depth.div_ceil(64);
    match memory.storage() {
        Storage::Block { .. } => e.extend([Net(cells), SetupBlockRam]),
        _ => {
            e.extend([Net(cells), LutRamRead]);
            sections_chosen(memory.depth, &mut e);
            e.extend([Net(1), SetupD]);
        }
    }
    stages.push(Stage::new(&j.name, "weights: read", e));
}

/// Whether junction `j`'s memory `part` is stored in block RAM.
fn in_block_ram(j: &Junction, part: &str) -> bool {
    j.parts.iter().any(|p| {
        p.name == part
            && matches!(p.primitive, Primitive::Stored(m) if matches!(m.storage(), Storage::Block { .. }))
    })
}

/// A read of memory `m`'s δ sums from its registered row into a register: the row reaching
/// every copy's read port (a distributed RAM cell reads two bits), the read (a 64-row
/// section's, then the sections chosen), the copy's word chosen.
fn delta_sum_read(m: &LayerMemory, out: &mut Vec<Element>) {
    use Element::*;
    out.extend([Net(m.delta_copies * m.delta_w.div_ceil(2)), LutRamRead]);
    sections_chosen(m.rows, out);
    if m.delta_copied {
        out.push(Net(1));
        let choice = lut_levels(m.delta_copies + m.delta_copy_w);
        out.extend(std::iter::repeat_n(Lut, choice));
    }
    out.extend([Net(1), SetupD]);
}

/// A memory of `words` held in LUTs, 64 words a LUT6: its sections' outputs chosen by the
/// slice's wide multiplexers up to 256 words, then a LUT level per further four.
fn sections_chosen(words: usize, out: &mut Vec<Element>) {
    let mut reach = 64;
    while reach < words {
        out.push(if reach < 256 {
            Element::WideMux
        } else {
            Element::Lut
        });
        reach *= if reach < 256 { 2 } else { 4 };
    }
}

/// LUT6 levels of a tree that reduces `inputs` signals to one (none for one).
fn lut_levels(inputs: usize) -> usize {
    let mut levels = 0;
    let mut reach = 1;
    while reach < inputs {
        reach *= 6;
        levels += 1;
    }
    levels
}

fn memory(m: &LayerMemory, stages: &mut Vec<Stage>) {
    use Element::*;
    if m.deltas {
        // An add's sum read (through its own read port, the copy's word chosen) into a
        // register; the clock after, the sum (or the sum just written) plus the product
        // written, or a taken sum cleared.
        let mut read = vec![FlipFlop];
        delta_sum_read(m, &mut read);
        stages.push(Stage::new(&m.name, "δ sums read", read));
        stages.push(Stage::new(
            &m.name,
            "δ sums added and written",
            vec![
                FlipFlop,
                Net(1),
                Lut,
                Carry(m.delta_w),
                Net(1),
                Lut,
                Net(m.delta_copies),
                SetupLutRam,
            ],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carry_chains_grow_by_their_carry4s() {
        assert_eq!(carry(4, false), d::CARRY4_O.s[0][3]);
        assert_eq!(carry(8, false), d::CARRY4_CO.s[0][3] + d::CARRY4_O.ci[3]);
        assert_eq!(
            carry(16, true),
            d::CARRY4_CO.s[0][3] + 2 * d::CARRY4_CO.ci[3] + d::CARRY4_CO.ci[3]
        );
    }

    #[test]
    fn a_clamp_tests_its_top_bits_in_a_lut_tree() {
        // Up to five tested bits (the sign among them) and the output bit: one LUT6.
        assert_eq!(clamp_levels(2), 1);
        assert_eq!(clamp_levels(5), 1);
        // Six: all-equal in one LUT, the choice in another.
        assert_eq!(clamp_levels(6), 2);
        // Up to eighteen: "all ones"/"all zeros" per six, three pairs combined, the choice.
        assert_eq!(clamp_levels(7), 3);
        assert_eq!(clamp_levels(18), 3);
        assert_eq!(clamp_levels(19), 4);
    }

    #[test]
    fn a_stage_splits_cells_and_routing() {
        use Element::*;
        let s = Stage::new("b", "x", vec![FlipFlop, Net(1), Lut, Net(1), SetupD]);
        assert_eq!(s.routing_ps, 2 * u64::from(d::routing(1)));
        assert_eq!(s.cell_ps, u64::from(d::FF_CLOCK_TO_Q + Lut.ps()));
        assert_eq!(s.luts, 1);
    }
}
