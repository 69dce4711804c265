//! The values the glue templates are rendered with: one record per junction and per layer
//! memory, all derived from the schedule and the planned datapath.

use super::inventory::{self, Primitive};
use super::tables;
use crate::datapath::layout::{
    activation_parameters, bits, tree_latency, tree_levels, uses_rowgen, RightSide,
};
use crate::datapath::timing::JunctionTiming;
use crate::network::{Connectivity, Cost};
use crate::schedule::Crossbar;
use crate::Compiled;
use serde::Serialize;
use std::collections::BTreeMap;

/// A copy pointer: which copy of a memory the input of one operation uses in this pass.
#[derive(Clone, Serialize)]
pub struct Pointer {
    pub name: &'static str,
    pub doc: &'static str,
    pub width: usize,
    pub count: usize,
    /// `(−lag − 1) mod count`: the first pass start moves it to the copy of input `−lag`.
    pub init: usize,
}

impl Pointer {
    fn new(name: &'static str, doc: &'static str, lag: usize, count: usize) -> Pointer {
        Pointer {
            name,
            doc,
            width: bits(count),
            count,
            init: counter_init(lag, count),
        }
    }
}

/// Initial value of a counter holding `(t − lag) mod count` once pass `t` has started (the
/// first pass start moves it to `t = 0`).
pub fn counter_init(lag: usize, count: usize) -> usize {
    (-(lag as i64) - 1).rem_euclid(count as i64) as usize
}

/// A value a finalise step carries from the pass whose sums it finalises.
#[derive(Serialize)]
pub struct FinTag {
    pub name: &'static str,
    pub width: usize,
    /// The register it is latched from.
    pub source: String,
}

#[derive(Serialize)]
pub struct Act {
    pub kind: usize,
    pub one: i64,
    pub offset: i64,
    pub shift: u32,
    pub entries: usize,
    pub index_w: usize,
}

/// A right shift when non-negative, else a left shift: (shift, lshift).
fn shifts(s: i64) -> (i64, i64) {
    if s >= 0 {
        (s, 0)
    } else {
        (0, -s)
    }
}

#[derive(Serialize)]
pub struct JunctionContext {
    pub name: String,
    pub index: usize,
    pub left_name: String,
    pub left: usize,
    pub right: usize,
    pub edges: usize,
    pub line: usize,
    pub z: usize,
    pub cycles: usize,
    pub datapath: &'static str,
    pub tree: bool,
    pub acc: bool,
    pub crossbar: bool,
    pub training: bool,
    pub last: bool,
    pub backward: bool,
    pub transfer: bool,
    pub quadratic: bool,
    pub next: String,
    pub shift: u32,
    pub phase: usize,
    pub slot0: usize,
    pub forward_lag: usize,
    pub backward_lag: usize,
    pub pointers: Vec<Pointer>,
    pub ptr: BTreeMap<&'static str, Pointer>,
    pub rows: usize,
    pub row_w: usize,
    pub bank_w: usize,
    pub lane_w: usize,
    pub left_w: usize,
    pub left_mul_w: usize,
    pub left_extend: &'static str,
    pub left_extend_close: &'static str,
    pub weight_w: usize,
    pub act_w: usize,
    pub delta_w: usize,
    pub left_sum_w: usize,
    pub right_sum_w: usize,
    pub right_bank_w: usize,
    pub right_row_w: usize,
    pub slot_addr_w: usize,
    pub step_pad: usize,
    pub mm_w: usize,
    pub groups: usize,
    pub group: usize,
    pub group_w: usize,
    pub bias_addr_w: usize,
    pub rowgen: bool,
    pub pattern_type: u8,
    pub sweeps: usize,
    pub sweep_w: usize,
    pub clocks_per_neuron: usize,
    pub neurons_per_group: usize,
    pub sub_w: usize,
    pub step_w: usize,
    pub m: usize,
    pub m_w: usize,
    pub neuron_w: usize,
    pub fin_start: i64,
    pub fin_slot: usize,
    pub fin_from_previous: bool,
    pub fin_tags: Vec<FinTag>,
    pub fin_write: usize,
    pub transfer_start: i64,
    pub tree_levels: usize,
    pub tree_latency: usize,
    pub delta_lanes: usize,
    pub delta_lane_of: String,
    pub acc_w: usize,
    pub ff_shift: i64,
    pub ff_lshift: i64,
    pub weight_frac: u32,
    pub db_shift: i64,
    pub db_lshift: i64,
    pub dw_shift: u32,
    pub act_frac: u32,
    pub bias_shift: i64,
    pub bias_lshift: i64,
    pub ce_shift: i64,
    pub ce_lshift: i64,
    pub q_shift: i64,
    pub q_lshift: i64,
    pub cost_delay: usize,
    pub act: Act,
    /// Lanes whose update multiplier is built from LUTs (the first ones).
    pub update_luts: usize,
    pub pipe: usize,
    pub files: BTreeMap<&'static str, String>,
    /// For the top level: the layer memories this junction reads and writes.
    pub left_mem: String,
    pub right_mem: String,
    /// Each memory's storage (`block`, `distributed`, `logic`), by instance name.
    pub styles: BTreeMap<&'static str, &'static str>,
    /// The columns synthesis keeps of each ROM's table, by instance name.
    #[serde(skip)]
    pub roms: BTreeMap<&'static str, tables::Columns>,
}

/// Options that shape the generated hardware.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Input values per beat of the input stream.
    pub beat: usize,
    /// Where the update's multipliers go.
    pub update_multipliers: UpdateMultipliers,
}

/// Where the update's multipliers are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum UpdateMultipliers {
    /// DSP48E1 slices, unless the design needs more than the part has: then as many in LUTs
    /// as it takes.
    Auto,
    /// DSP48E1 slices.
    Dsp,
    /// LUTs, as the published design did.
    Luts,
}

/// The copy pointers junction `index` keeps.
fn pointers(compiled: &Compiled, index: usize) -> Vec<Pointer> {
    let timing = &compiled.datapath.timing;
    let t = &timing.junctions[index];
    let p = timing.period as i64;
    let jn = timing.junctions.len();
    let last = index + 1 == jn;
    let acc = t.finalize.is_some();
    let forward = (t.forward_start / p) as usize;
    let backward = t.backward_start.map(|u| (u / p) as usize);
    let left = timing.layers[index];
    let mut out = vec![Pointer::new(
        "left_ff",
        "left activations of the forward input",
        forward,
        left.activations,
    )];
    out.push(Pointer::new(
        "left_up",
        "left activations of the update input",
        backward.unwrap_or(forward),
        left.activations,
    ));
    if let Some(b) = backward {
        if index > 0 {
            out.push(Pointer::new(
                "sum",
                "left δ sums of the backward input",
                b,
                left.delta_sums,
            ));
        }
        // The input whose δ this junction gathers in a pass: its own backward input (tree),
        // or the next pass's (accumulate: moved into the lanes ahead of time).
        let gather = if acc { b - 1 } else { b };
        if !last {
            let right = timing.layers[index + 1];
            out.push(Pointer::new(
                "take",
                "right δ sums taken in this pass",
                gather,
                right.delta_sums,
            ));
            out.push(Pointer::new(
                "der_wr",
                "derivatives of the forward input",
                forward,
                t.derivative_copies,
            ));
            out.push(Pointer::new(
                "der_rd",
                "derivatives of the input whose δ is formed",
                gather,
                t.derivative_copies,
            ));
        }
        if last || acc {
            out.push(Pointer::new(
                "delta_wr",
                if last {
                    "δ written by the cost, of the forward input"
                } else {
                    "lane δ written by the transfer"
                },
                if last { forward } else { b - 1 },
                t.delta_copies,
            ));
            out.push(Pointer::new(
                "delta_rd",
                "δ of the update input",
                b,
                t.delta_copies,
            ));
        }
    }
    if !last {
        out.push(Pointer::new(
            "right",
            "right activations of the forward input",
            forward,
            timing.layers[index + 1].activations,
        ));
    } else {
        out.push(Pointer::new(
            "out",
            "outputs of the forward input",
            forward,
            t.output_copies,
        ));
    }
    if acc {
        out.push(Pointer::new(
            "parity",
            "partial-sum buffer of this pass",
            0,
            2,
        ));
    }
    out
}

/// The values a finalise step takes from its pass.
fn fin_tags(ptrs: &BTreeMap<&'static str, Pointer>, training: bool, last: bool) -> Vec<FinTag> {
    let mut tags = vec![FinTag {
        name: "ff",
        width: 1,
        source: "ff_pass".into(),
    }];
    if training {
        tags.push(FinTag {
            name: "bp",
            width: 1,
            source: "bp_pass".into(),
        });
    }
    let mut pointer = |name: &'static str, source: &'static str| {
        if let Some(p) = ptrs.get(source) {
            tags.push(FinTag {
                name,
                width: p.width,
                source: format!("{source}_ptr"),
            });
        }
    };
    pointer("parity", "parity");
    if last {
        pointer("out", "out");
        pointer("cost", "delta_wr");
    } else {
        pointer("right", "right");
        pointer("der", "der_wr");
    }
    pointer("bias", "delta_rd");
    tags
}

/// The record of junction `index`.
pub fn junction(compiled: &Compiled, index: usize, options: &Options) -> JunctionContext {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let layout = &compiled.datapath.layout;
    let timing = &compiled.datapath.timing;
    let js = &schedule.junctions()[index];
    let jl = &layout.junctions[index];
    let t: &JunctionTiming = &timing.junctions[index];
    let p = timing.period as i64;
    let jn = schedule.junctions().len();
    let junction = network.junction(js.junction);
    let f = network.formats;
    let training = timing.training;
    let first = index == 0;
    let last = index + 1 == jn;
    let acc = matches!(jl.right_side, RightSide::Accumulate { .. });
    let next = schedule.junctions().get(index + 1);
    let left_format = if first { f.input } else { f.activations };
    let rows = js.left_size.div_ceil(js.z);
    let groups = jl.right_side.groups();
    let group = jl.right_side.group();
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
    let pointers = pointers(compiled, index);
    let ptr: BTreeMap<&'static str, Pointer> =
        pointers.iter().map(|p| (p.name, p.clone())).collect();
    let (kind, one, offset, shift, entries, index_w) = activation_parameters(
        network.layer(junction.right).activation.expect("activated"),
        f.activations,
    );
    let pattern_type = match &junction.connectivity {
        Connectivity::ClashFree { kind, .. } => *kind as u8,
        Connectivity::Dense => 3,
        _ => 0,
    };
    let rowgen = uses_rowgen(network, js) && tables::follows_seeds(js, rows);
    let tl = tree_latency(group);
    let quadratic = network.training.is_some_and(|t| t.cost == Cost::Quadratic);
    let fin_write = 2 + tl;
    let cost_delay = if quadratic { 2 } else { 0 };
    let (ff_shift, ff_lshift) =
        shifts(f.weights.frac as i64 + left_format.frac as i64 - f.activations.frac as i64);
    let k = network.training.map_or(0, |t| t.shift);
    let (db_shift, db_lshift) = shifts(f.deltas.frac as i64 + k as i64 - f.weights.frac as i64);
    let (bias_shift, bias_lshift) = shifts(f.weights.frac as i64 - f.activations.frac as i64);
    let (ce_shift, ce_lshift) = shifts(f.activations.frac as i64 - f.deltas.frac as i64);
    let (q_shift, q_lshift) = shifts(2 * f.activations.frac as i64 - f.deltas.frac as i64);
    let name = &js.name;
    let mut files = BTreeMap::new();
    files.insert("weights", format!("mem/{name}_weights.mem"));
    files.insert("biases", format!("mem/{name}_biases.mem"));
    if rowgen {
        files.insert("seeds", format!("mem/{name}_seeds.mem"));
    } else {
        files.insert("rows", format!("mem/{name}_rows.mem"));
    }
    if js.crossbar == Crossbar::Full {
        files.insert("lane_bank", format!("mem/{name}_lane_bank.mem"));
        files.insert("bank_lane", format!("mem/{name}_bank_lane.mem"));
    }
    if acc {
        files.insert("lanes", format!("mem/{name}_lanes.mem"));
        files.insert("finalize", format!("mem/{name}_finalize.mem"));
    } else if !last {
        files.insert("placement", format!("mem/{name}_placement.mem"));
    }
    files.insert(
        "activation",
        if kind == 0 {
            format!("mem/{name}_activation.mem")
        } else {
            String::new()
        },
    );
    let (fin_start, _) = t.finalize.unwrap_or((0, 0));
    let tree_write = 7 + tl;
    let mut record = JunctionContext {
        name: name.clone(),
        index,
        left_name: network.layer(junction.left).name.clone(),
        left: js.left_size,
        right: js.right_size,
        edges: js.edges,
        line: junction.origin.line,
        z: js.z,
        cycles: js.cycles,
        datapath: if acc { "accumulate" } else { "tree" },
        tree: !acc,
        acc,
        crossbar: js.crossbar == Crossbar::Full,
        training,
        last,
        backward: training && !first,
        transfer: training && acc && !last,
        quadratic,
        next: next.map(|n| n.name.clone()).unwrap_or_default(),
        shift: k,
        phase: t.phase,
        slot0: (timing.period - t.phase) % timing.period,
        forward_lag: (t.forward_start / p) as usize,
        backward_lag: t.backward_start.map_or(0, |u| (u / p) as usize),
        fin_tags: fin_tags(&ptr, training, last),
        pointers,
        ptr,
        rows,
        row_w: bits(rows),
        bank_w: bits(js.z),
        lane_w: bits(js.z),
        left_w: left_format.width as usize,
        left_mul_w: left_format.width as usize + usize::from(!left_format.signed),
        left_extend: if left_format.signed { "" } else { "{1'b0, " },
        left_extend_close: if left_format.signed { "" } else { "}" },
        weight_w: f.weights.width as usize,
        act_w: f.activations.width as usize,
        delta_w: f.deltas.width as usize,
        left_sum_w: jl.left_sum_w,
        right_sum_w: layout.junctions.get(index + 1).map_or(1, |n| n.left_sum_w),
        right_bank_w: next.map_or(1, |n| bits(n.z)),
        right_row_w: next.map_or(1, |n| bits(n.left_size.div_ceil(n.z))),
        slot_addr_w: bits(js.cycles),
        step_pad: 1 << step_w,
        mm_w: tables::mm_width(js, jl),
        groups,
        group,
        group_w: bits(groups),
        bias_addr_w: step_w,
        rowgen,
        pattern_type,
        sweeps: (js.cycles / rows).max(1),
        sweep_w: bits((js.cycles / rows).max(1)),
        clocks_per_neuron,
        neurons_per_group,
        sub_w: bits(clocks_per_neuron),
        step_w,
        m: steps,
        m_w: step_w,
        neuron_w: bits(js.right_size),
        fin_start,
        fin_slot: (fin_start - 1).rem_euclid(p) as usize,
        fin_from_previous: fin_start > p + 2,
        fin_write,
        transfer_start: t.transfer.unwrap_or(0),
        tree_levels: tree_levels(group),
        tree_latency: tl,
        delta_lanes: if acc { js.z } else { groups },
        delta_lane_of: if acc {
            "l".into()
        } else {
            format!("l / {group}")
        },
        acc_w: jl.acc_w,
        ff_shift,
        ff_lshift,
        weight_frac: f.weights.frac,
        db_shift,
        db_lshift,
        dw_shift: left_format.frac,
        act_frac: f.activations.frac,
        bias_shift,
        bias_lshift,
        ce_shift,
        ce_lshift,
        q_shift,
        q_lshift,
        cost_delay,
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
        pipe: (tree_write + 1).max(8),
        files,
        left_mem: format!("mem_{}", network.layer(junction.left).name),
        right_mem: next
            .map(|_| format!("mem_{}", network.layer(junction.right).name))
            .unwrap_or_default(),
        styles: BTreeMap::new(),
        roms: BTreeMap::new(),
    };
    record.roms = rom_columns(compiled, index, &record);
    record.styles = inventory::memories(&inventory::junction(&record))
        .map(|(name, memory)| (name, memory.style()))
        .collect();
    record
}

/// The columns of junction `index`'s ROM tables, filled as `backend::build` fills them.
fn rom_columns(
    compiled: &Compiled,
    index: usize,
    j: &JunctionContext,
) -> BTreeMap<&'static str, tables::Columns> {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let js = &schedule.junctions()[index];
    let jl = &compiled.datapath.layout.junctions[index];
    let next = schedule.junctions().get(index + 1);
    let mut roms = BTreeMap::new();
    let mut rom = |name, text: String, width, depth| {
        roms.insert(name, tables::columns(&text, width, depth));
    };
    if !j.rowgen {
        rom(
            "row_rom",
            tables::rows(js, j.row_w),
            j.z * j.row_w,
            j.cycles,
        );
    }
    if j.crossbar {
        rom(
            "lane_bank_rom",
            tables::lane_bank(js, j.bank_w),
            j.z * j.bank_w,
            j.cycles,
        );
        rom(
            "bank_lane_rom",
            tables::bank_lane(js, j.bank_w),
            j.z * (j.bank_w + 1),
            j.cycles,
        );
    }
    let place_w = j.right_bank_w + j.right_row_w;
    if j.acc {
        rom(
            "lanes_rom",
            tables::lanes(js, jl, j.m_w),
            j.z * (j.m_w + 1),
            j.cycles,
        );
        let order = tables::finalize(
            jl,
            j.neuron_w,
            next.map(|n| (n, j.right_bank_w, j.right_row_w)),
        );
        let fin_w = j.groups * (1 + j.neuron_w + if j.last { 0 } else { place_w });
        rom("finalize_rom", order.clone(), fin_w, j.m);
        rom("transfer_rom", order, fin_w, j.m);
    } else if let Some(next) = next {
        let text = tables::placement(jl, j.right, next, j.right_bank_w, j.right_row_w);
        rom(
            "write_place",
            text.clone(),
            j.groups * place_w,
            j.neurons_per_group,
        );
        rom("take_place", text, j.groups * place_w, j.neurons_per_group);
    }
    let activation = network
        .layer(network.junction(js.junction).right)
        .activation
        .expect("activated");
    if let Some(table) = tables::activation(activation, network.formats.activations) {
        rom("table_rom", table, 2 * j.act_w, j.act.entries);
    }
    roms
}

/// The columns of the input loader's table.
pub fn loader_columns(compiled: &Compiled, beat: usize) -> tables::Columns {
    let first = &compiled.schedule.junctions()[0];
    let (bank_w, row_w) = (bits(first.z), bits(first.left_size.div_ceil(first.z)));
    tables::columns(
        &tables::loader(first, beat, bank_w, row_w),
        beat * (bank_w + row_w),
        first.left_size / beat,
    )
}

/// The records of every junction, with the update multipliers placed: `auto` moves as many
/// of them into LUTs, junction by junction from the input, as the design has multipliers
/// beyond the part's DSP slices.
pub fn junctions(compiled: &Compiled, options: &Options) -> Vec<JunctionContext> {
    let jn = compiled.schedule.junctions().len();
    let mut junctions: Vec<JunctionContext> =
        (0..jn).map(|i| junction(compiled, i, options)).collect();
    if options.update_multipliers == UpdateMultipliers::Auto {
        let multipliers: usize = junctions
            .iter()
            .flat_map(inventory::junction)
            .filter(|p| matches!(p.primitive, Primitive::Mul { .. }))
            .map(|p| p.count)
            .sum();
        let dsp = compiled.network.target.part.device.dsp48e1 as usize;
        let mut excess = multipliers.saturating_sub(dsp);
        for j in junctions.iter_mut().filter(|j| j.training) {
            j.update_luts = excess.min(j.z);
            excess -= j.update_luts;
        }
    }
    junctions
}

/// A layer memory's record.
#[derive(Serialize)]
pub struct MemContext {
    pub name: String,
    /// The line that declares the layer.
    pub line: usize,
    pub layer: String,
    pub neurons: usize,
    pub reader: String,
    pub writer: String,
    pub layer_junction: String,
    pub banks: usize,
    pub rows: usize,
    pub row_w: usize,
    pub bank_w: usize,
    pub copies: usize,
    pub copy_w: usize,
    pub width: usize,
    pub write_ports: usize,
    pub deltas: bool,
    pub delta_w: usize,
    pub delta_ports: usize,
    pub delta_copies: usize,
    pub delta_copy_w: usize,
    /// Rows per copy, a power of two (the copy is the high address bits).
    pub rows_pad: usize,
    /// Address bits of the activations, and how an address is written around a row
    /// (`{copy, ` … `}`, or nothing with one copy).
    pub addr_w: usize,
    pub at_wr: &'static str,
    pub at_ff: &'static str,
    pub at_up: &'static str,
    pub at_end: &'static str,
    /// Bits of a write port's number (one more value: no port).
    pub port_w: usize,
    /// The write ports each bank listens to, at most `writers_per_bank` (see `tables::routes`).
    pub writers_per_bank: usize,
    pub writers: String,
    /// The activations' storage (`block` or `distributed`).
    pub style: &'static str,
}

/// The memory of layer `index` (the left layer of junction `index`).
pub fn memory(compiled: &Compiled, index: usize, beat: usize) -> MemContext {
    let training = compiled.datapath.timing.training;
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let layout = &compiled.datapath.layout;
    let timing = &compiled.datapath.timing;
    let js = &schedule.junctions()[index];
    let junction = network.junction(js.junction);
    let layer = network.layer(junction.left);
    let rows = js.left_size.div_ceil(js.z);
    let copies = timing.layers[index];
    let (writer, write_ports, layer_junction, delta_ports) = if index == 0 {
        ("the input loader".to_string(), beat, String::new(), 1)
    } else {
        let producer = &schedule.junctions()[index - 1];
        let groups = layout.junctions[index - 1].right_side.groups();
        (
            format!("junction `{}`", producer.name),
            groups,
            producer.name.clone(),
            groups,
        )
    };
    // The neurons each write port can carry: the loader's beats, or the groups of the
    // junction that computes this layer.
    let neurons = |p: usize| -> Vec<u32> {
        if index == 0 {
            (p..js.left_size).step_by(beat).map(|n| n as u32).collect()
        } else {
            let jl = &layout.junctions[index - 1];
            let right = schedule.junctions()[index - 1].right_size;
            (0..jl.right_side.steps(right))
                .filter_map(|m| tables::neuron_at(jl, p, m))
                .collect()
        }
    };
    let port_w = bits(write_ports + 1);
    let (writers_per_bank, writers) =
        tables::routes(write_ports, js.z, port_w, neurons, |n| js.bank(n));
    let mut record = MemContext {
        name: format!("mem_{}", layer.name),
        line: layer.origin.line,
        layer: layer.name.clone(),
        neurons: layer.size,
        reader: js.name.clone(),
        writer,
        layer_junction,
        banks: js.z,
        rows,
        row_w: bits(rows),
        bank_w: bits(js.z),
        copies: copies.activations,
        copy_w: bits(copies.activations),
        width: if index == 0 {
            network.formats.input.width
        } else {
            network.formats.activations.width
        } as usize,
        write_ports,
        deltas: timing.training && index > 0,
        delta_w: layout.junctions[index].left_sum_w,
        delta_ports,
        delta_copies: copies.delta_sums.max(1),
        delta_copy_w: bits(copies.delta_sums.max(1)),
        rows_pad: 1 << bits(rows),
        addr_w: bits(rows)
            + if copies.activations > 1 {
                bits(copies.activations)
            } else {
                0
            },
        at_wr: if copies.activations > 1 {
            "{wr_copy, "
        } else {
            ""
        },
        at_ff: if copies.activations > 1 {
            "{ff_copy, "
        } else {
            ""
        },
        at_up: if copies.activations > 1 {
            "{up_copy, "
        } else {
            ""
        },
        at_end: if copies.activations > 1 { "}" } else { "" },
        port_w,
        writers_per_bank,
        writers,
        style: "",
    };
    record.style = inventory::memories(&inventory::memory(&record, training))
        .map(|(_, memory)| memory.style())
        .next()
        .expect("the activations");
    record
}
