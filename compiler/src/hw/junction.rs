//! One junction's hardware: its shape, widths, shifts, copy pointers, pipeline stages,
//! tables and parts, derived once from the schedule and the planned datapath.

use super::junction_module;
use super::parts::{self, Part};
use super::pointers::{self, FinTag, PointerName, Pointers};
use super::stage::Stages;
use super::verilog::{Params, Ports};
use super::{Options, UpdateMultipliers};
use crate::backend::tables::{self, Columns};
use crate::datapath::layout::{activation_parameters, bits, tree_latency, tree_levels};
use crate::datapath::layout::{uses_rowgen, RightSide};
use crate::network::{Connectivity, Cost};
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

/// What `snn_act` computes (its `KIND`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActKind {
    Sigmoid,
    Relu,
    Identity,
}

impl ActKind {
    /// `snn_act`'s `KIND`.
    pub fn code(self) -> u8 {
        match self {
            ActKind::Sigmoid => 0,
            ActKind::Relu => 1,
            ActKind::Identity => 2,
        }
    }
}

impl Serialize for ActKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

/// The activation unit's parameters.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Act {
    pub kind: ActKind,
    pub one: i64,
    pub offset: i64,
    pub shift: u32,
    pub entries: usize,
    pub index_w: usize,
}

/// A shift by `2^-right` (or `2^left`): one of the two is zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub right: u32,
    pub left: u32,
}

impl Shift {
    /// A right shift by `s` when non-negative, else a left shift by `−s`.
    fn by(s: i64) -> Shift {
        Shift {
            right: s.max(0) as u32,
            left: (-s).max(0) as u32,
        }
    }

    /// The net right shift.
    pub fn net(&self) -> i64 {
        self.right as i64 - self.left as i64
    }
}

/// The shifts that keep each product and sum in its number format.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Shifts {
    /// Forward products: weight × left value to the activations' format.
    pub forward: Shift,
    /// Δb = −δ·2^-k in the weights' format.
    pub bias_step: Shift,
    /// A bias in the sums' format.
    pub bias: Shift,
    /// Cross-entropy cost: a − y in the δ format.
    pub cost: Shift,
    /// Quadratic cost: (a − y)·a' in the δ format.
    pub quadratic: Shift,
    /// Δw = Δb·a: the left value's fraction bits.
    pub update: u32,
    /// Backward products w·δ: the weights' fraction bits.
    pub backward: u32,
    /// δ = a'·sum: the activations' fraction bits.
    pub delta: u32,
}

/// A table a ROM is initialised from, with the columns synthesis keeps.
#[derive(Clone, Debug)]
pub struct Table {
    pub text: String,
    pub columns: Columns,
}

impl Table {
    fn new(text: String, width: usize, depth: usize) -> Table {
        let columns = tables::columns(&text, width, depth);
        Table { text, columns }
    }
}

/// The junction's tables: what its ROMs hold (`None`: it has no such ROM).
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub rows: Option<Columns>,
    pub lane_bank: Option<Columns>,
    pub bank_lane: Option<Columns>,
    pub lanes: Option<Columns>,
    pub finalize: Option<Columns>,
    pub placement: Option<Columns>,
    pub activation: Option<Columns>,
}

/// One junction's hardware.
#[derive(Clone, Debug, Serialize)]
pub struct Junction {
    pub name: String,
    /// Clocks per cycle, bits of a slot, bits of a label.
    pub period: usize,
    pub slot_w: usize,
    pub label_w: usize,
    pub index: usize,
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
    /// Rows from a seed-and-counter generator rather than a table.
    pub rowgen: bool,
    pub pattern_type: u8,
    pub sweeps: usize,
    pub sweep_w: usize,
    /// Accumulate: the first finalise step's clock, from the pass start.
    pub fin_start: i64,
    pub fin_slot: usize,
    /// Finalise steps start in the pass after next: their tags wait a pass.
    pub fin_from_previous: bool,
    pub transfer_start: i64,
    pub shifts: Shifts,
    pub act: Act,
    /// Lanes whose update multiplier is built from LUTs (the first ones).
    pub update_luts: usize,
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
    /// Builds the first `luts` lanes' update multipliers from LUTs, the rest on DSP slices.
    pub fn set_update_luts(&mut self, luts: usize) {
        self.update_luts = luts.min(self.z);
        self.finish();
    }

    /// The parts, from the record and its tables, and the memories' storage from them.
    fn finish(&mut self) {
        self.parts = parts::junction(self, &self.tables);
        self.styles = parts::memories(&self.parts)
            .map(|(name, memory)| (name, memory.style()))
            .collect();
        self.params = junction_module::params(self);
        self.ports = junction_module::ports(self);
    }

    /// Multipliers among its parts.
    pub fn multipliers(&self) -> usize {
        self.parts
            .iter()
            .filter(|p| matches!(p.primitive, parts::Primitive::Mul { .. }))
            .map(|p| p.count)
            .sum()
    }

    /// Copies of the memory pointer `name` selects (0 when the junction has none).
    pub fn copies(&self, name: PointerName) -> usize {
        self.pointers.copies(name)
    }
}

/// The hardware of junction `index`.
pub fn junction(compiled: &Compiled, index: usize, options: &Options) -> Junction {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let layout = &compiled.datapath.layout;
    let timing = &compiled.datapath.timing;
    let js = &schedule.junctions()[index];
    let jl = &layout.junctions[index];
    let t = &timing.junctions[index];
    let p = timing.period as i64;
    let junction = network.junction(js.junction);
    let f = network.formats;
    let training = timing.training;
    let first = index == 0;
    let last = index + 1 == schedule.junctions().len();
    let side = match jl.right_side {
        RightSide::Tree { .. } => Side::Tree,
        RightSide::Accumulate { .. } => Side::Accumulate,
    };
    let accumulate = side == Side::Accumulate;
    let next = schedule.junctions().get(index + 1);
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
    let pointers = pointers::pointers(timing, index);
    let activation = network.layer(junction.right).activation.expect("activated");
    let (kind, one, offset, shift, entries, index_w) =
        activation_parameters(activation, f.activations);
    let kind = [ActKind::Sigmoid, ActKind::Relu, ActKind::Identity][kind];
    let pattern_type = match &junction.connectivity {
        Connectivity::ClashFree { kind, .. } => *kind as u8,
        Connectivity::Dense => 3,
        _ => 0,
    };
    let rowgen = uses_rowgen(network, js) && tables::follows_seeds(js, rows);
    let quadratic = network.training.is_some_and(|t| t.cost == Cost::Quadratic);
    let k = network.training.map_or(0, |t| t.shift);
    let frac = |format: snn_runtime::fixed::Format| format.frac as i64;
    let shifts = Shifts {
        forward: Shift::by(frac(f.weights) + frac(left_format) - frac(f.activations)),
        bias_step: Shift::by(frac(f.deltas) + k as i64 - frac(f.weights)),
        bias: Shift::by(frac(f.weights) - frac(f.activations)),
        cost: Shift::by(frac(f.activations) - frac(f.deltas)),
        quadratic: Shift::by(2 * frac(f.activations) - frac(f.deltas)),
        update: left_format.frac,
        backward: f.weights.frac,
        delta: f.activations.frac,
    };
    let name = &js.name;
    let mut files = BTreeMap::new();
    files.insert("weights", format!("mem/{name}_weights.mem"));
    files.insert("biases", format!("mem/{name}_biases.mem"));
    let fin_start = t.finalize.map_or(0, |(start, _)| start);
    let (right_bank_w, right_row_w) =
        next.map_or((1, 1), |n| (bits(n.z), bits(n.left_size.div_ceil(n.z))));
    let mut j = Junction {
        name: name.clone(),
        period: timing.period,
        slot_w: bits(timing.period),
        label_w: bits(network.output().size),
        index,
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
        slot0: (timing.period - t.phase) % timing.period,
        forward_lag: (t.forward_start / p) as usize,
        backward_lag: t.backward_start.map_or(0, |u| (u / p) as usize),
        transfer_lag: t
            .backward_start
            .map_or(0, |u| (u / p) as usize)
            .saturating_sub(1),
        fin_tags: pointers::fin_tags(&pointers, training, last),
        pointers,
        stages: Stages::new(tree_latency(group), quadratic),
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
        right_sum_w: layout.junctions.get(index + 1).map_or(1, |n| n.left_sum_w),
        right_bank_w,
        right_row_w,
        slot_addr_w: bits(js.cycles),
        mm_w: tables::mm_width(js, jl),
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
        rowgen,
        pattern_type,
        sweeps: (js.cycles / rows).max(1),
        sweep_w: bits((js.cycles / rows).max(1)),
        fin_start,
        fin_slot: (fin_start - 1).rem_euclid(p) as usize,
        fin_from_previous: fin_start > p + 2,
        transfer_start: t.transfer.unwrap_or(0),
        shifts,
        act: Act {
            kind,
            one,
            offset,
            shift,
            entries,
            index_w,
        },
        update_luts: if training && options.update_multipliers == UpdateMultipliers::Luts {
            js.z
        } else {
            0
        },
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
    add_tables(compiled, &mut j);
    j.finish();
    j
}

/// The junction's tables: their memory images, file names and columns.
fn add_tables(compiled: &Compiled, j: &mut Junction) {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let js = &schedule.junctions()[j.index];
    let jl = &compiled.datapath.layout.junctions[j.index];
    let next = schedule.junctions().get(j.index + 1);
    let name = js.name.clone();
    let add = |j: &mut Junction, key: &'static str, file: &str, table: Table| {
        let file = format!("{name}_{file}.mem");
        j.files.insert(key, format!("mem/{file}"));
        j.images.push((file, table.text));
        table.columns
    };
    if j.rowgen {
        let file = format!("{name}_seeds.mem");
        j.files.insert("seeds", format!("mem/{file}"));
        j.images.push((file, tables::seeds(js, j.rows, j.row_w)));
    } else {
        let table = Table::new(tables::rows(js, j.row_w), j.z * j.row_w, j.cycles);
        j.tables.rows = Some(add(j, "rows", "rows", table));
    }
    if j.crossbar {
        let (z, bank_w, cycles) = (j.z, j.bank_w, j.cycles);
        let table = Table::new(tables::lane_bank(js, bank_w), z * bank_w, cycles);
        j.tables.lane_bank = Some(add(j, "lane_bank", "lane_bank", table));
        let table = Table::new(tables::bank_lane(js, bank_w), z * (bank_w + 1), cycles);
        j.tables.bank_lane = Some(add(j, "bank_lane", "bank_lane", table));
    }
    let place_w = j.right_bank_w + j.right_row_w;
    if j.side == Side::Accumulate {
        let text = tables::lanes(js, jl, j.step_w);
        let table = Table::new(text, j.z * (j.step_w + 1), j.cycles);
        j.tables.lanes = Some(add(j, "lanes", "lanes", table));
        let order = tables::finalize(
            jl,
            j.neuron_w,
            next.map(|n| (n, j.right_bank_w, j.right_row_w)),
        );
        let fin_w = j.groups * (1 + j.neuron_w + if j.last { 0 } else { place_w });
        let table = Table::new(order, fin_w, j.steps);
        j.tables.finalize = Some(add(j, "finalize", "finalize", table));
    } else if let Some(next) = next {
        let text = tables::placement(jl, j.right, next, j.right_bank_w, j.right_row_w);
        let table = Table::new(text, j.groups * place_w, j.neurons_per_group);
        j.tables.placement = Some(add(j, "placement", "placement", table));
    }
    let activation = network
        .layer(network.junction(js.junction).right)
        .activation
        .expect("activated");
    match tables::activation(activation, network.formats.activations) {
        Some(text) => {
            let table = Table::new(text, 2 * j.act_w, j.act.entries);
            j.tables.activation = Some(add(j, "activation", "activation", table));
        }
        None => {
            j.files.insert("activation", String::new());
        }
    }
}
