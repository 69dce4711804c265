//! What the glue templates instantiate, block by block: every memory, multiplier, adder
//! tree, crossbar, rounding unit and activation with its parameters and count. The memories'
//! storage choices reach the templates from here, and the resource estimate prices the rest.

use super::junction::{ActKind, Junction, Side, Tables};
use super::memory::LayerMemory;
use super::pointers::PointerName;
use super::stage;
use crate::backend::storage::Memory;
use crate::backend::tables::Columns;
use serde::Serialize;

/// A primitive with the parameters that decide its cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Primitive {
    /// `snn_ram`, `snn_ram_2r`, `snn_ram_lanes` or `snn_rom`, stored as the compiler chose.
    Stored(Memory),
    /// `snn_lutram`: distributed RAM read without a register.
    LutRam { width: usize, depth: usize },
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
    Tree { n: usize, in_w: usize },
    /// `snn_crossbar`: `n` ports of `width` bits.
    Crossbar { n: usize, width: usize },
    /// `snn_round_sat` from `in_w` to `out_w` bits, rounding off `shift` bits.
    RoundSat {
        in_w: usize,
        out_w: usize,
        shift: i64,
    },
    /// `snn_act` of `w` bits; a sigmoid's table is a `Memory` of its own.
    Act { w: usize, sigmoid: bool },
    /// `snn_rowgen`: the rows of `z` banks, each a counter modulo the rows from a seed.
    RowGen { z: usize, row_w: usize },
    /// `snn_delay`: `depth` registers of `width` bits.
    Delay { width: usize, depth: usize },
}

/// `count` instances of one primitive, named as in the generated Verilog.
#[derive(Clone, Debug, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub count: usize,
    pub primitive: Primitive,
}

fn part(name: &'static str, count: usize, primitive: Primitive) -> Part {
    Part {
        name,
        count,
        primitive,
    }
}

/// The memories of a list of parts: (instance name, shape), for the templates' `STYLE`s.
pub fn memories(parts: &[Part]) -> impl Iterator<Item = (&'static str, Memory)> + '_ {
    parts.iter().filter_map(|p| match p.primitive {
        Primitive::Stored(m) => Some((p.name, m)),
        _ => None,
    })
}

/// The parts of junction `j` (its module, the layer memories aside), with its ROMs' tables.
pub fn junction(j: &Junction, tables: &Tables) -> Vec<Part> {
    use Primitive::*;
    let accumulate = j.side == Side::Accumulate;
    let mut parts = Vec::new();
    let mut add = |name, count, primitive| {
        if count > 0 {
            parts.push(part(name, count, primitive));
        }
    };
    let training = j.training;
    let delta_depth = j.pointers.copies(PointerName::DeltaRd) * j.step_pad;
    let der_depth = j.pointers.copies(PointerName::DerRd) * j.step_pad;
    let rom = |table: Option<Columns>, depth| Stored(Memory::rom(table.expect("a table"), depth));
    // Addresses and slots.
    if j.rowgen {
        add(
            "row_gen",
            1,
            RowGen {
                z: j.z,
                row_w: j.row_w,
            },
        );
    } else {
        add("row_rom", 1, rom(tables.rows, j.cycles));
    }
    if j.crossbar {
        add("lane_bank_rom", 1, rom(tables.lane_bank, j.cycles));
        add(
            "lane_bank_delay",
            1,
            Delay {
                width: j.z * j.bank_w,
                depth: stage::OPERANDS - 1 - stage::ADDRESS,
            },
        );
        if j.backward {
            add("bank_lane_rom", 1, rom(tables.bank_lane, j.cycles));
            add(
                "bank_lane_delay",
                1,
                Delay {
                    width: j.z * (j.bank_w + 1),
                    depth: stage::BACKWARD - stage::ADDRESS,
                },
            );
        }
        add(
            "ff_crossbar",
            1,
            Crossbar {
                n: j.z,
                width: j.left_w,
            },
        );
        add(
            "up_crossbar",
            usize::from(training),
            Crossbar {
                n: j.z,
                width: j.left_w,
            },
        );
        add(
            "sum_crossbar",
            usize::from(j.backward),
            Crossbar {
                n: j.z,
                width: j.delta_w,
            },
        );
    }
    if accumulate {
        add("lanes_rom", 1, rom(tables.lanes, j.cycles));
    }
    // Weights and the forward products.
    add(
        "weights",
        1,
        Stored(Memory::lanes(j.z, j.weight_w, j.cycles)),
    );
    add(
        "ff_mul",
        j.z,
        Mul {
            a_w: j.weight_w,
            b_w: j.left_mul_w,
            out_w: j.act_w,
            luts: false,
            b_unsigned: j.left_mul_w > j.left_w,
        },
    );
    // δ of the right layer.
    if training {
        if accumulate {
            add(
                "lane_deltas",
                j.z,
                LutRam {
                    width: j.delta_w,
                    depth: delta_depth,
                },
            );
            add(
                "group_deltas",
                j.groups,
                LutRam {
                    width: j.delta_w,
                    depth: delta_depth,
                },
            );
            add(
                "delta_delay",
                1,
                Delay {
                    width: j.z * j.delta_w,
                    depth: stage::DELTA - stage::ADDRESS,
                },
            );
        } else if j.last {
            add(
                "out_deltas",
                1,
                Stored(Memory::ram(j.groups * j.delta_w, delta_depth, 1)),
            );
            add(
                "delta_delay",
                1,
                Delay {
                    width: j.groups * j.delta_w,
                    depth: stage::DELTA - stage::WEIGHT,
                },
            );
        } else {
            add("take_place", 1, rom(tables.placement, j.neurons_per_group));
            add(
                "derivatives",
                1,
                Stored(Memory::ram(j.groups * j.act_w, der_depth, 1)),
            );
            for (name, count, primitive) in right_delta(j) {
                add(name, count, primitive);
            }
        }
        add(
            "bias_step",
            j.delta_lanes,
            RoundSat {
                in_w: j.delta_w + 1,
                out_w: j.weight_w,
                shift: j.shifts.bias_step.net(),
            },
        );
        // The update.
        add(
            "update_mul",
            j.z - j.update_luts,
            Mul {
                a_w: j.weight_w,
                b_w: j.left_mul_w,
                out_w: j.weight_w,
                luts: false,
                b_unsigned: j.left_mul_w > j.left_w,
            },
        );
        add(
            "update_mul",
            j.update_luts,
            Mul {
                a_w: j.weight_w,
                b_w: j.left_mul_w,
                out_w: j.weight_w,
                luts: true,
                b_unsigned: j.left_mul_w > j.left_w,
            },
        );
        add(
            "update_sat",
            j.z,
            RoundSat {
                in_w: j.weight_w + 1,
                out_w: j.weight_w,
                shift: 0,
            },
        );
        if accumulate {
            add(
                "busy_delay_7",
                1,
                Delay {
                    width: j.z,
                    depth: stage::UPDATE - stage::ADDRESS,
                },
            );
        }
    }
    if j.backward {
        if accumulate && !j.crossbar {
            add(
                "busy_delay_6",
                1,
                Delay {
                    width: j.z,
                    depth: stage::BACKWARD - stage::ADDRESS,
                },
            );
        }
        add(
            "row_delay_6",
            1,
            Delay {
                width: j.z * j.row_w,
                depth: stage::BACKWARD - stage::ADDRESS,
            },
        );
        add(
            "bp_mul",
            j.z,
            Mul {
                a_w: j.weight_w,
                b_w: j.delta_w,
                out_w: j.delta_w,
                luts: false,
                b_unsigned: false,
            },
        );
    }
    // The right side: trees, or accumulating lanes and a finalise step.
    let tree_in = if accumulate { j.acc_w } else { j.act_w };
    if accumulate {
        add("finalize_rom", 1, rom(tables.finalize, j.steps));
        add(
            "partial_sums",
            2 * j.z,
            LutRam {
                width: j.acc_w,
                depth: j.steps,
            },
        );
        add(
            "lane_delay_5",
            1,
            Delay {
                width: j.z * (j.step_w + 1),
                depth: stage::PRODUCT - stage::ADDRESS,
            },
        );
        add(
            "biases",
            1,
            Stored(Memory::lanes(j.groups, j.weight_w, j.steps)),
        );
        add(
            "bias_delay_sum",
            1,
            Delay {
                width: j.groups * j.weight_w,
                depth: j.stages.tree_latency,
            },
        );
        if training && !j.last {
            add(
                "derivatives",
                1,
                Stored(Memory::ram(j.groups * j.act_w, der_depth, 1)),
            );
        }
        if j.transfer {
            add("transfer_rom", 1, rom(tables.finalize, j.steps));
            for (name, count, primitive) in right_delta(j) {
                add(name, count, primitive);
            }
            add(
                "transfer_delay",
                1,
                Delay {
                    width: j.groups + 1 + j.step_w,
                    depth: stage::TRANSFER,
                },
            );
        }
    } else {
        add(
            "biases",
            1,
            Stored(Memory::lanes(j.groups, j.weight_w, j.neurons_per_group)),
        );
        add(
            "bias_delay_5",
            1,
            Delay {
                width: j.groups * j.weight_w,
                depth: stage::PRODUCT - stage::WEIGHT,
            },
        );
        add(
            "bias_delay_sum",
            1,
            Delay {
                width: j.groups * j.weight_w,
                depth: j.stages.tree_latency,
            },
        );
        if !j.last {
            add("write_place", 1, rom(tables.placement, j.neurons_per_group));
        }
    }
    if training {
        if accumulate {
            add(
                "fin_bias_step",
                j.groups,
                RoundSat {
                    in_w: j.delta_w + 1,
                    out_w: j.weight_w,
                    shift: j.shifts.bias_step.net(),
                },
            );
        }
        add(
            "bias_sat",
            j.groups,
            RoundSat {
                in_w: j.weight_w + 1,
                out_w: j.weight_w,
                shift: 0,
            },
        );
    }
    add(
        "adder",
        j.groups,
        Tree {
            n: j.group,
            in_w: tree_in,
        },
    );
    // A tree's sums accumulate over its neuron's clocks in `acc_w` bits; finalised sums are
    // the tree's own width.
    let acc_w = if accumulate {
        j.acc_w + j.tree_levels
    } else {
        j.acc_w
    };
    add(
        "bias_scale",
        j.groups,
        RoundSat {
            in_w: j.weight_w,
            out_w: acc_w,
            shift: j.shifts.bias.net(),
        },
    );
    add(
        "act_sat",
        j.groups,
        RoundSat {
            in_w: acc_w,
            out_w: j.act_w,
            shift: 0,
        },
    );
    let sigmoid = j.act.kind == ActKind::Sigmoid;
    add(
        "act",
        j.groups,
        Act {
            w: j.act_w,
            sigmoid,
        },
    );
    if sigmoid {
        add("table_rom", j.groups, rom(tables.activation, j.act.entries));
    }
    if j.last && training {
        if j.quadratic {
            add(
                "cost_mul",
                j.groups,
                Mul {
                    a_w: j.act_w + 2,
                    b_w: j.act_w,
                    out_w: j.delta_w,
                    luts: false,
                    b_unsigned: false,
                },
            );
        } else {
            add(
                "cost_round",
                j.groups,
                RoundSat {
                    in_w: j.act_w + 2,
                    out_w: j.delta_w,
                    shift: j.shifts.cost.net(),
                },
            );
        }
    }
    parts
}

/// The δ of the right layer, one per group: the δ sum saturated, times the derivative.
fn right_delta(j: &Junction) -> [(&'static str, usize, Primitive); 2] {
    [
        (
            "delta_sat",
            j.groups,
            Primitive::RoundSat {
                in_w: j.right_sum_w,
                out_w: j.delta_w,
                shift: 0,
            },
        ),
        (
            "delta_mul",
            j.groups,
            Primitive::Mul {
                a_w: j.act_w,
                b_w: j.delta_w,
                out_w: j.delta_w,
                luts: false,
                b_unsigned: false,
            },
        ),
    ]
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
            Primitive::LutRam {
                width: m.delta_w,
                depth: m.rows,
            },
        ));
    }
    parts
}

/// The parts of the top level's own logic: the input loader's placement table (its columns
/// as [`super::tables::loader`] fills it).
pub fn top(loader: Columns, beats: usize) -> Vec<Part> {
    vec![part(
        "loader",
        1,
        Primitive::Stored(Memory::rom(loader, beats)),
    )]
}
