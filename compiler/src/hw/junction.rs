//! One junction's hardware: its shape, widths, shifts, copy pointers, pipeline stages,
//! tables and parts, derived once from the schedule and the planned datapath.

use super::junction_module;
use super::junction_parts;
use super::junction_tables::{self, Tables};
pub use super::junction_values::{Act, ActKind, Constants, Shift, Shifts};
use super::parts::{self, Part};
use super::pointers::{self, FinTag, PointerName, Pointers};
use super::stage::Stages;
use super::verilog::{Constant, Params, Ports};
use super::{Options, UpdateMultipliers};
use crate::backend::tables;
use crate::datapath::layout::{bits, tree_levels, tree_registers};
use crate::datapath::layout::{uses_rowgen, RightSide};
use crate::network::{Connectivity, Cost, JunctionId};
use crate::schedule::Crossbar;
use crate::Compiled;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the right side sums: a tree per group of lanes, or lanes accumulating partial sums
/// that finalise steps add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Tree,
    Accumulate,
}

/// One junction's hardware.
#[derive(Clone, Debug, Serialize)]
pub struct Junction {
    pub name: String,
    /// Clocks per cycle, bits of a slot, bits of a label.
    pub period: usize,
    pub slot_w: usize,
    pub label_w: usize,
    /// The sized constants its counters are compared with.
    pub constants: Constants,
    /// The junction in the network.
    #[serde(skip)]
    pub id: JunctionId,
    /// The line of the model that declares the junction's layer.
    pub line: usize,
    pub left_name: String,
    pub left: usize,
    pub right: usize,
    pub edges: usize,
    pub z: usize,
    pub cycles: usize,
    pub side: Side,
    pub crossbar: bool,
    pub training: bool,
    pub last: bool,
    /// Training, and a left layer with δ sums to add into.
    pub backward: bool,
    /// Training, accumulating and not the output junction: δ moves into the lanes a pass ahead.
    pub transfer: bool,
    pub quadratic: bool,
    /// The next junction's name (empty for the output junction).
    pub next: String,
    /// The learning rate's shift k (η = 2^-k).
    pub learning_shift: u32,
    pub phase: usize,
    /// The junction's slot at the first clock of a cycle.
    pub slot0: usize,
    pub forward_lag: usize,
    pub backward_lag: usize,
    /// Transfer: the lag of the input whose δ moves into the lanes (the next pass's update).
    pub transfer_lag: usize,
    pub pointers: Pointers,
    pub fin_tags: Vec<FinTag>,
    pub stages: Stages,
    pub rows: usize,
    pub row_w: usize,
    pub bank_w: usize,
    pub left_w: usize,
    pub left_signed: bool,
    /// The left value as a multiplier operand: widened by a zero sign bit when unsigned.
    pub left_mul_w: usize,
    pub weight_w: usize,
    /// Weights narrower than the 32-bit memory-mapped data (its high bits unused).
    pub narrow_weights: bool,
    pub act_w: usize,
    pub delta_w: usize,
    pub left_sum_w: usize,
    pub right_sum_w: usize,
    pub right_bank_w: usize,
    pub right_row_w: usize,
    pub slot_addr_w: usize,
    pub mm_w: usize,
    /// Levels of its memory-mapped read select: the design's deepest junction's, so that
    /// every junction's read takes as long ([`super::top::mm_select_levels`]).
    pub mm_select_levels: usize,
    /// The words it chooses among: the lanes' weights (padded to a power of two), then the
    /// groups' biases.
    pub mm_lane_words: usize,
    pub mm_words: usize,
    pub groups: usize,
    pub group: usize,
    pub group_w: usize,
    /// Neuron steps per tree, or finalise steps.
    pub steps: usize,
    pub step_w: usize,
    /// Steps rounded up to a power of two (a copy is the high address bits).
    pub step_pad: usize,
    pub neuron_w: usize,
    pub clocks_per_neuron: usize,
    pub sub_w: usize,
    pub neurons_per_group: usize,
    /// Lanes that form Δb: every lane (accumulate) or one per tree.
    pub delta_lanes: usize,
    pub acc_w: usize,
    pub tree_levels: usize,
    /// Which of its adder trees' levels end in a register (bit `l - 1`: level `l`).
    pub tree_registered: Constant,
    /// Output junction: the leaves of the argmax's comparison tree (groups, to a power of two).
    pub argmax_leaves: usize,
    /// Output junction: the argmax tree's registered levels.
    pub argmax_levels: usize,
    /// Rows from a seed-and-counter generator rather than a table.
    pub rowgen: bool,
    pub pattern_type: u8,
    pub sweeps: usize,
    pub sweep_w: usize,
    /// Accumulate: the first finalise step's clock, from the pass start.
    pub fin_start: i64,
    /// Finalise steps start in the pass after next: their tags wait a pass.
    pub fin_from_previous: bool,
    pub transfer_start: i64,
    pub shifts: Shifts,
    pub act: Act,
    /// The multipliers only training needs (the backward products, the right δ, the cost's
    /// and the update's) are built from LUTs, not DSP48E1 slices.
    pub training_in_luts: bool,
    pub files: BTreeMap<&'static str, String>,
    /// The layer memories it reads and writes (`right_mem` empty for the output junction).
    pub left_mem: String,
    pub right_mem: String,
    /// Each stored memory's storage (`block`, `distributed`, `logic`), by instance name.
    pub styles: BTreeMap<&'static str, &'static str>,
    /// The module's `localparam`s and ports.
    pub params: Params,
    pub ports: Ports,
    #[serde(skip)]
    pub parts: Vec<Part>,
    #[serde(skip)]
    pub tables: Tables,
    /// The memory images of its tables, by file name under `mem/`.
    #[serde(skip)]
    pub images: Vec<(String, String)>,
}

impl Junction {
    /// Builds the multipliers only training needs from LUTs.
    pub fn build_training_in_luts(&mut self) {
        self.training_in_luts = true;
        self.finish();
    }

    /// Makes its memory-mapped read select `levels` deep (the design's deepest junction's).
    pub fn read_select_levels(&mut self, levels: usize) {
        if self.mm_select_levels != levels {
            self.mm_select_levels = levels;
            self.finish();
        }
    }

    /// The parts, from the record and its tables, the memories' storage from them, and the
    /// module's constants, parameters and ports.
    fn finish(&mut self) {
        self.constants = Constants::of(self);
        self.parts = junction_parts::junction(self, &self.tables);
        self.styles = parts::memories(&self.parts)
            .map(|(name, memory)| (name, memory.style()))
            .collect();
        self.params = junction_module::params(self);
        self.ports = junction_module::ports(self);
    }

    /// Multipliers on DSP48E1 slices.
    pub fn dsp_multipliers(&self) -> usize {
        self.parts
            .iter()
            .filter(|p| matches!(p.primitive, parts::Primitive::Mul { luts: false, .. }))
            .map(|p| p.count)
            .sum()
    }

    /// Copies of the memory pointer `name` selects (0 when the junction has none).
    pub fn copies(&self, name: PointerName) -> usize {
        self.pointers.copies(name)
    }
}

/// The hardware of junction `id`.
pub fn junction(compiled: &Compiled, id: JunctionId, options: &Options) -> Junction {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let layout = compiled.datapath().layout();
    let timing = compiled.datapath().timing();
    let js = schedule.junction(id);
    let jl = layout.junction(id);
    let t = timing.junction(id);
    let p = timing.period() as i64;
    let junction = network.junction(js.junction);
    let f = network.formats;
    let training = timing.training();
    let next_id = network.next(id);
    let first = network.previous(id).is_none();
    let last = next_id.is_none();
    let side = match jl.right_side {
        RightSide::Tree { .. } => Side::Tree,
        RightSide::Accumulate { .. } => Side::Accumulate,
    };
    let accumulate = side == Side::Accumulate;
    let next = next_id.map(|n| schedule.junction(n));
    let left_format = if first { f.input } else { f.activations };
    let rows = js.left_size.div_ceil(js.z);
    let (groups, group) = (jl.right_side.groups(), jl.right_side.group());
    let steps = jl.right_side.steps(js.right_size);
    let step_w = bits(steps);
    let (clocks_per_neuron, neurons_per_group) = match jl.right_side {
        RightSide::Tree {
            clocks_per_neuron,
            groups,
            ..
        } => (clocks_per_neuron, js.right_size / groups),
        RightSide::Accumulate { .. } => (1, steps),
    };
    let pointers = pointers::pointers(network, timing, id);
    let activation = network.layer(junction.right).activation.expect("activated");
    let act = Act::of(activation, f.activations);
    let pattern_type = match &junction.connectivity {
        Connectivity::ClashFree { kind, .. } => *kind as u8,
        Connectivity::Dense => 3,
        _ => 0,
    };
    let rowgen = uses_rowgen(network, js) && tables::follows_seeds(js, rows);
    let quadratic = network.training.is_some_and(|t| t.cost == Cost::Quadratic);
    let k = network.training.map_or(0, |t| t.shift);
    let shifts = Shifts::of(&f, left_format, k);
    let name = &js.name;
    let mut files = BTreeMap::new();
    files.insert("weights", format!("mem/{name}_weights.mem"));
    files.insert("biases", format!("mem/{name}_biases.mem"));
    let fin_start = t.finalize.map_or(0, |(start, _)| start);
    let (right_bank_w, right_row_w) =
        next.map_or((1, 1), |n| (bits(n.z), bits(n.left_size.div_ceil(n.z))));
    // A host's read chooses among the lanes' weights (padded to a power of two), then the
    // groups' biases.
    let mm_lane_words = 1 << bits(js.z);
    let mm_words = mm_lane_words + groups;
    let mut j = Junction {
        name: name.clone(),
        period: timing.period(),
        slot_w: bits(timing.period()),
        label_w: bits(network.output().size),
        constants: Constants::default(),
        id,
        line: junction.origin.line,
        left_name: network.layer(junction.left).name.clone(),
        left: js.left_size,
        right: js.right_size,
        edges: js.edges,
        z: js.z,
        cycles: js.cycles,
        side,
        crossbar: js.crossbar == Crossbar::Full,
        training,
        last,
        backward: training && !first,
        transfer: training && accumulate && !last,
        quadratic,
        next: next.map(|n| n.name.clone()).unwrap_or_default(),
        learning_shift: k,
        phase: t.phase,
        slot0: (timing.period() - t.phase) % timing.period(),
        forward_lag: (t.forward_start / p) as usize,
        backward_lag: t.backward_start.map_or(0, |u| (u / p) as usize),
        transfer_lag: t
            .backward_start
            .map_or(0, |u| (u / p) as usize)
            .saturating_sub(1),
        fin_tags: pointers::fin_tags(&pointers, training, last),
        pointers,
        stages: Stages::new(
            jl.tree_latency(),
            network.training.map(|t| t.cost == Cost::Quadratic),
        ),
        rows,
        row_w: bits(rows),
        bank_w: bits(js.z),
        left_w: left_format.width as usize,
        left_signed: left_format.signed,
        left_mul_w: left_format.width as usize + usize::from(!left_format.signed),
        weight_w: f.weights.width as usize,
        narrow_weights: f.weights.width < 32,
        act_w: f.activations.width as usize,
        delta_w: f.deltas.width as usize,
        left_sum_w: jl.left_sum_w,
        right_sum_w: next_id.map_or(1, |n| layout.junction(n).left_sum_w),
        right_bank_w,
        right_row_w,
        slot_addr_w: bits(js.cycles),
        mm_w: tables::mm_width(js, jl),
        mm_select_levels: super::top::mm_select_levels(mm_words),
        mm_lane_words,
        mm_words,
        groups,
        group,
        group_w: bits(groups),
        steps,
        step_w,
        step_pad: 1 << step_w,
        neuron_w: bits(js.right_size),
        clocks_per_neuron,
        sub_w: bits(clocks_per_neuron),
        neurons_per_group,
        delta_lanes: if accumulate { js.z } else { groups },
        acc_w: jl.acc_w,
        tree_levels: tree_levels(group),
        tree_registered: Constant::new(
            tree_levels(group).max(1),
            tree_registers(group, jl.tree_in_w) as usize,
        ),
        argmax_leaves: groups.next_power_of_two(),
        argmax_levels: tree_levels(groups),
        rowgen,
        pattern_type,
        sweeps: (js.cycles / rows).max(1),
        sweep_w: bits((js.cycles / rows).max(1)),
        fin_start,
        fin_from_previous: fin_start > p + 2,
        transfer_start: t.transfer.unwrap_or(0),
        shifts,
        act,
        training_in_luts: training && options.update_multipliers == UpdateMultipliers::Luts,
        files,
        left_mem: format!("mem_{}", network.layer(junction.left).name),
        right_mem: next
            .map(|_| format!("mem_{}", network.layer(junction.right).name))
            .unwrap_or_default(),
        styles: BTreeMap::new(),
        params: Params::default(),
        ports: Ports::default(),
        parts: Vec::new(),
        tables: Tables::default(),
        images: Vec::new(),
    };
    junction_tables::add(compiled, &mut j);
    j.finish();
    j
}
