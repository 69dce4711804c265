//! The values the glue templates are rendered with: one record per junction, per layer
//! memory, and for the top level and testbench.

use super::layout::{
    activation_parameters, bits, tree_latency, tree_levels, uses_rowgen, Layout, RightSide,
};
use super::tables;
use crate::network::{ClashFreeKind, Connectivity, Cost, Network};
use crate::schedule::{Crossbar, JunctionSchedule, Verified};
use serde::Serialize;
use std::collections::BTreeMap;

/// A copy counter that rotates every junction cycle.
#[derive(Serialize)]
pub struct Copy {
    pub name: &'static str,
    pub width: usize,
    pub count: usize,
    pub init: usize,
}

/// Initial value of a counter holding `(t − offset) mod count` once cycle t starts (the first
/// cycle start moves it to t = 0).
fn counter_init(offset: usize, count: usize) -> usize {
    (-(offset as i64) - 1).rem_euclid(count as i64) as usize
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
    pub first: bool,
    pub last: bool,
    pub backward: bool,
    pub transfer: bool,
    pub quadratic: bool,
    pub next: String,
    pub shift: u32,
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
    pub left_copies: usize,
    pub left_copy_w: usize,
    pub left_ff_copy0: usize,
    pub left_up_copy0: usize,
    pub sum_copy0: usize,
    pub right_copies: usize,
    pub right_copy_w: usize,
    pub right_copy0: usize,
    pub take_copy0: usize,
    pub copies: Vec<Copy>,
    pub derivative_copies: usize,
    pub derivative_addr_w: usize,
    pub step_pad: usize,
    pub mm_w: usize,
    pub groups: usize,
    pub group: usize,
    pub group_w: usize,
    pub group_w_or_1: usize,
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
    pub step_w_or_m_w: usize,
    pub finalize_start: usize,
    pub fin_write: usize,
    pub fin_pipe: usize,
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
    pub update_dsp: &'static str,
    pub pipe: usize,
    pub files: BTreeMap<&'static str, String>,
    /// For the top level: the layer memories this junction reads and writes.
    pub left_mem: String,
    pub right_mem: String,
}

/// Options that shape the generated hardware.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Input values per beat of the input stream.
    pub beat: usize,
    /// Build the update's multipliers from LUTs instead of DSP48E1 slices (as published).
    pub update_in_luts: bool,
}

/// The record of junction `index`.
pub fn junction(
    network: &Network,
    schedule: &Verified,
    layout: &Layout,
    index: usize,
    options: &Options,
) -> JunctionContext {
    let js = &schedule.junctions()[index];
    let jl = &layout.junctions[index];
    let jn = schedule.junctions().len();
    let junction = network.junction(js.junction);
    let f = network.formats;
    let training = layout.training;
    let first = index == 0;
    let last = index + 1 == jn;
    let acc = matches!(jl.right_side, RightSide::Accumulate { .. });
    let next: Option<&JunctionSchedule> = schedule.junctions().get(index + 1);
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
    let jj = index + 1;
    let left_copies = layout.activation_copies(index);
    let right_copies = if last {
        2
    } else {
        layout.activation_copies(index + 1)
    };
    let derivative_copies = layout.derivative_copies(index + 1);
    let mut copies = Vec::new();
    if training && !last {
        let read_offset = if acc { 2 * jn - jj } else { 2 * jn + 1 - jj };
        for (name, offset) in [("derivative_wr", jj), ("derivative_rd", read_offset)] {
            copies.push(Copy {
                name,
                width: bits(derivative_copies),
                count: derivative_copies,
                init: counter_init(offset, derivative_copies),
            });
        }
    }
    if training && last && !acc {
        for (name, offset) in [("delta_wr", jn), ("delta_rd", jn + 1)] {
            copies.push(Copy {
                name,
                width: 1,
                count: 2,
                init: counter_init(offset, 2),
            });
        }
    }
    if last {
        copies.push(Copy {
            name: "out_wr",
            width: 1,
            count: 2,
            init: counter_init(jn, 2),
        });
    }
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
    let m_w = step_w;
    let mut files = BTreeMap::new();
    let name = &js.name;
    files.insert("weights", format!("mem/{name}_weights.mem"));
    files.insert("biases", format!("mem/{name}_biases.mem"));
    files.insert(
        if rowgen { "seeds" } else { "rows" },
        format!("mem/{name}_{}.mem", if rowgen { "seeds" } else { "rows" }),
    );
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
            format!("mem/{}_activation.mem", name)
        } else {
            String::new()
        },
    );
    let tree_pipe = 5 + tl + 2 + cost_delay + 2;
    JunctionContext {
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
        first,
        last,
        backward: training && !first,
        transfer: training && acc && !last,
        quadratic,
        next: next.map(|n| n.name.clone()).unwrap_or_default(),
        shift: k,
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
        left_copies,
        left_copy_w: bits(left_copies),
        left_ff_copy0: counter_init(jj, left_copies),
        left_up_copy0: counter_init(2 * jn + 1 - jj, left_copies),
        sum_copy0: counter_init(2 * jn + 1 - jj, 2),
        right_copies,
        right_copy_w: bits(right_copies),
        right_copy0: counter_init(jj, right_copies),
        take_copy0: counter_init(if acc { 2 * jn - jj } else { 2 * jn + 1 - jj }, 2),
        copies,
        derivative_copies,
        derivative_addr_w: bits(derivative_copies) + step_w,
        step_pad: 1 << step_w,
        mm_w: tables::mm_width(js, jl),
        groups,
        group,
        group_w: bits(groups),
        group_w_or_1: bits(groups),
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
        m_w,
        neuron_w: bits(js.right_size),
        step_w_or_m_w: step_w,
        finalize_start: layout.finalize_start,
        fin_write,
        fin_pipe: fin_write + 1,
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
        update_dsp: if options.update_in_luts { "no" } else { "yes" },
        pipe: tree_pipe.max(8),
        files,
        left_mem: format!("mem_{}", network.layer(junction.left).name),
        right_mem: next
            .map(|_| format!("mem_{}", network.layer(junction.right).name))
            .unwrap_or_default(),
    }
}

/// A layer memory's record.
#[derive(Serialize)]
pub struct MemContext {
    pub name: String,
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
}

/// The memory of layer `index` (the left layer of junction `index`).
pub fn memory(network: &Network, schedule: &Verified, layout: &Layout, index: usize) -> MemContext {
    let js = &schedule.junctions()[index];
    let junction = network.junction(js.junction);
    let layer = network.layer(junction.left);
    let rows = js.left_size.div_ceil(js.z);
    let copies = layout.activation_copies(index);
    let (writer, write_ports, layer_junction, delta_ports) = if index == 0 {
        (
            "the input loader".to_string(),
            layout.beat,
            String::new(),
            1,
        )
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
    MemContext {
        name: format!("mem_{}", layer.name),
        layer: layer.name.clone(),
        neurons: layer.size,
        reader: js.name.clone(),
        writer,
        layer_junction,
        banks: js.z,
        rows,
        row_w: bits(rows),
        bank_w: bits(js.z),
        copies,
        copy_w: bits(copies),
        width: if index == 0 {
            network.formats.input.width
        } else {
            network.formats.activations.width
        } as usize,
        write_ports,
        deltas: layout.training && index > 0,
        delta_w: layout.junctions[index].left_sum_w,
        delta_ports,
    }
}

/// Whether a junction's pattern is a shifted clash-free one (for the report).
pub fn pattern_kind(network: &Network, js: &JunctionSchedule) -> Option<ClashFreeKind> {
    match &network.junction(js.junction).connectivity {
        Connectivity::ClashFree { kind, .. } => Some(*kind),
        _ => None,
    }
}
