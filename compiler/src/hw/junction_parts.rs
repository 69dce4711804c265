//! The parts of a junction's module, block by block as the junction templates instantiate
//! them: addresses, weights and forward products, the right layer's δ, the update, the
//! backward pass, the right side (trees or accumulating lanes) and the output layer.

use super::junction::{ActKind, Junction, Side};
use super::junction_tables::Tables;
use super::parts::{part, Part, Primitive};
use super::pointers::PointerName;
use super::stage;
use crate::backend::storage::Memory;
use crate::backend::tables::Columns;
use Primitive::*;

/// `snn_mul` builds any product of fewer bits than this from LUTs: a DSP48E1 slice would be
/// spent on a few LUTs' worth of logic.
const SMALLEST_DSP_PRODUCT: usize = 9;

/// The parts of junction `j` (its module, the layer memories aside), with its ROMs' tables.
pub fn junction(j: &Junction, tables: &Tables) -> Vec<Part> {
    let mut parts = Parts(Vec::new());
    addresses(j, tables, &mut parts);
    parts.add(
        "weights",
        1,
        Stored(Memory::lanes(j.z, j.weight_w, j.cycles)),
    );
    parts.add(
        "ff_mul",
        j.z,
        mul(j.weight_w, j.left_mul_w, j.act_w, j.left_w),
    );
    if j.training {
        right_delta(j, tables, &mut parts);
        update(j, &mut parts);
    }
    if j.backward {
        backward(j, &mut parts);
    }
    match j.side {
        Side::Tree => tree_side(j, tables, &mut parts),
        Side::Accumulate => accumulate_side(j, tables, &mut parts),
    }
    activation(j, tables, &mut parts);
    if j.last {
        output(j, &mut parts);
    }
    // A host's read of a weight or a bias: the lanes' words (padded to a power of two),
    // then the groups'.
    let select = MuxTree {
        n: j.mm_words,
        width: j.weight_w,
        levels: j.mm_select_levels,
    };
    parts.add("mm_select", 1, select);
    parts.0
}

/// A junction's parts as they are added (none of a part counted zero times).
struct Parts(Vec<Part>);

impl Parts {
    fn add(&mut self, name: &'static str, count: usize, primitive: Primitive) {
        if count > 0 {
            self.0.push(part(name, count, primitive));
        }
    }

    fn delay(&mut self, name: &'static str, width: usize, depth: usize) {
        self.add(name, 1, Delay { width, depth });
    }
}

/// A ROM holding `table`, `depth` words deep.
fn rom(table: Option<Columns>, depth: usize) -> Primitive {
    Stored(Memory::rom(
        table.expect("the junction has this table"),
        depth,
    ))
}

/// A multiplier of `a_w` × `b_w` bits to `out_w`, on DSP slices unless its product is too
/// small for one; `b` holds `b_value_w` bits of value (fewer when it is an unsigned value
/// widened by a zero sign bit).
fn mul(a_w: usize, b_w: usize, out_w: usize, b_value_w: usize) -> Primitive {
    Mul {
        a_w,
        b_w,
        out_w,
        luts: a_w + b_w < SMALLEST_DSP_PRODUCT,
        b_unsigned: b_w > b_value_w,
    }
}

/// A multiplier only training needs: built from LUTs when the junction's training
/// multipliers are.
fn training_mul(j: &Junction, a_w: usize, b_w: usize, out_w: usize, b_value_w: usize) -> Primitive {
    Mul {
        a_w,
        b_w,
        out_w,
        luts: j.training_in_luts || a_w + b_w < SMALLEST_DSP_PRODUCT,
        b_unsigned: b_w > b_value_w,
    }
}

/// Saturating rounding from `in_w` to `out_w` bits, shifted right by `shift`.
fn round(in_w: usize, out_w: usize, shift: i64) -> Primitive {
    RoundSat { in_w, out_w, shift }
}

/// The rows each bank reads, the crossbar's selects, the accumulating lanes' neurons.
fn addresses(j: &Junction, tables: &Tables, parts: &mut Parts) {
    // The slot's table address where the weights are read and written back.
    parts.delay("slot_address_delay", j.slot_addr_w, stage::ADDRESS);
    if j.training {
        let depth = stage::UPDATE - stage::ADDRESS;
        parts.delay("slot_update_delay", j.slot_addr_w, depth);
    }
    if j.rowgen {
        parts.add(
            "row_gen",
            1,
            RowGen {
                z: j.z,
                row_w: j.row_w,
            },
        );
    } else {
        parts.add("row_rom", 1, rom(tables.rows, j.cycles));
    }
    if j.crossbar {
        parts.add("lane_bank_rom", 1, rom(tables.lane_bank, j.cycles));
        let depth = stage::OPERANDS - 1 - stage::ADDRESS;
        parts.delay("lane_bank_delay", j.z * j.bank_w, depth);
        if j.backward {
            parts.add("bank_lane_rom", 1, rom(tables.bank_lane, j.cycles));
            let depth = stage::BACKWARD - stage::ADDRESS;
            parts.delay("bank_lane_delay", j.z * (j.bank_w + 1), depth);
        }
        let crossbar = |width| Crossbar { n: j.z, width };
        parts.add("ff_crossbar", 1, crossbar(j.left_w));
        parts.add("up_crossbar", usize::from(j.training), crossbar(j.left_w));
        parts.add("sum_crossbar", usize::from(j.backward), crossbar(j.delta_w));
    }
    if j.side == Side::Accumulate {
        parts.add("lanes_rom", 1, rom(tables.lanes, j.cycles));
    }
}

/// The right layer's δ of the update input, and Δb from it.
fn right_delta(j: &Junction, tables: &Tables, parts: &mut Parts) {
    let delta_depth = j.copies(PointerName::DeltaRd) * j.step_pad;
    if j.side == Side::Accumulate {
        let lutram = LutRam {
            width: j.delta_w,
            depth: delta_depth,
            reads: 1,
        };
        parts.add("lane_deltas", j.z, lutram);
        parts.add("group_deltas", j.groups, lutram);
        let depth = stage::DELTA - stage::ADDRESS;
        parts.delay("delta_delay", j.z * j.delta_w, depth);
    } else if j.last {
        let ram = Memory::ram(j.groups * j.delta_w, delta_depth, 1);
        parts.add("out_deltas", 1, Stored(ram));
        let depth = stage::DELTA - stage::WEIGHT;
        parts.delay("delta_delay", j.groups * j.delta_w, depth);
    } else {
        parts.add("take_place", 1, rom(tables.placement, j.neurons_per_group));
        derivatives(j, parts);
        delta_of_sums(j, parts);
    }
    let shift = j.shifts.bias_step.net();
    let step = round(j.delta_w, j.weight_w, shift);
    parts.add("bias_step", j.delta_lanes, step);
}

/// The derivatives kept until the right layer's δ is formed.
fn derivatives(j: &Junction, parts: &mut Parts) {
    let depth = j.copies(PointerName::DerRd) * j.step_pad;
    let ram = Memory::ram(j.groups * j.act_w, depth, 1);
    parts.add("derivatives", 1, Stored(ram));
}

/// δ = a'·sat(δ sum), one per group.
fn delta_of_sums(j: &Junction, parts: &mut Parts) {
    parts.add("delta_sat", j.groups, round(j.right_sum_w, j.delta_w, 0));
    let product = training_mul(j, j.act_w, j.delta_w, j.delta_w, j.delta_w);
    parts.add("delta_mul", j.groups, product);
}

/// Δw = Δb·a and the saturating write-back.
fn update(j: &Junction, parts: &mut Parts) {
    let product = training_mul(j, j.weight_w, j.left_mul_w, j.weight_w, j.left_w);
    parts.add("update_mul", j.z, product);
    parts.add("update_sat", j.z, round(j.weight_w + 1, j.weight_w, 0));
    let (left, weight) = (j.z * j.left_w, j.z * j.weight_w);
    parts.delay("a_up_delay", left, stage::PRODUCT - stage::OPERANDS);
    if j.backward {
        parts.delay("weight_delta_delay", weight, stage::DELTA - stage::OPERANDS);
        parts.delay("weight_update_delay", weight, stage::UPDATE - stage::DELTA);
    } else {
        parts.delay(
            "weight_update_delay",
            weight,
            stage::UPDATE - stage::OPERANDS,
        );
    }
    if j.side == Side::Accumulate {
        let depth = stage::UPDATE - stage::ADDRESS;
        parts.delay("busy_update_delay", j.z, depth);
    }
}

/// The left layer's δ sums += w·δ.
fn backward(j: &Junction, parts: &mut Parts) {
    let depth = stage::BACKWARD - stage::ADDRESS;
    if j.side == Side::Accumulate && !j.crossbar {
        parts.delay("busy_backward_delay", j.z, depth);
    }
    parts.delay("row_backward_delay", j.z * j.row_w, depth);
    parts.delay("sum_copy_delay", j.pointers.width(PointerName::Sum), depth);
    let product = training_mul(j, j.weight_w, j.delta_w, j.delta_w, j.delta_w);
    parts.add("bp_mul", j.z, product);
}

/// Trees: the biases, their delays to the trees' sums, and where results go.
fn tree_side(j: &Junction, tables: &Tables, parts: &mut Parts) {
    // The slot's step, and whether it is its neuron's first or last clock, at the stages
    // that read them.
    let st = &j.stages;
    parts.delay("step_address_delay", j.step_w, stage::ADDRESS);
    parts.delay(
        "step_product_delay",
        j.step_w,
        stage::PRODUCT - stage::ADDRESS,
    );
    parts.delay(
        "step_write_delay",
        j.step_w,
        st.tree_write - 1 - stage::PRODUCT,
    );
    if j.last || j.training {
        parts.delay("step_written_delay", j.step_w, 1);
    }
    if j.training {
        parts.delay("first_delta_delay", 1, stage::DELTA);
        parts.delay("first_product_delay", 1, stage::PRODUCT - stage::DELTA);
        parts.delay("first_sum_delay", 1, st.tree_sum - stage::PRODUCT);
    } else {
        parts.delay("first_sum_delay", 1, st.tree_sum);
    }
    parts.delay("last_delay", 1, st.tree_write);
    let biases = Memory::lanes(j.groups, j.weight_w, j.neurons_per_group);
    parts.add("biases", 1, Stored(biases));
    let bias_w = j.groups * j.weight_w;
    parts.delay("bias_product_delay", bias_w, stage::PRODUCT - stage::WEIGHT);
    parts.delay("bias_delay_sum", bias_w, j.stages.tree_latency);
    if j.training {
        parts.add("bias_sat", j.groups, round(j.weight_w + 1, j.weight_w, 0));
    }
    // The copy pointers of the written layer, delayed to the write stage (the output copy
    // a clock before it too: the cost reads its label then).
    let to_write = j.stages.tree_write - 1;
    let width = |pointer| j.pointers.width(pointer);
    if j.last {
        parts.delay("out_copy_delay", width(PointerName::Out), to_write - 1);
        parts.delay("out_copy_written", width(PointerName::Out), 1);
        if j.training {
            parts.delay("cost_copy_delay", width(PointerName::DeltaWr), to_write);
        }
    } else {
        parts.add("write_place", 1, rom(tables.placement, j.neurons_per_group));
        parts.delay("right_copy_delay", width(PointerName::Right), to_write);
        if j.training {
            parts.delay("derivative_copy_delay", width(PointerName::DerWr), to_write);
        }
    }
}

/// Accumulating lanes: partial sums, finalise steps, biases and the δ transfer.
fn accumulate_side(j: &Junction, tables: &Tables, parts: &mut Parts) {
    let to_product = stage::PRODUCT - stage::ADDRESS;
    // The neuron reaches the partial sums' address register a clock before the product.
    parts.delay("lane_product_delay", j.z * (j.step_w + 1), to_product - 1);
    parts.delay("busy_product_delay", j.z, 1);
    let address = Delay {
        width: 2 * j.step_w,
        depth: 1,
    };
    parts.add("partial_address", j.z, address);
    parts.delay("parity_product_delay", 1, to_product);
    parts.add("finalize_rom", 1, rom(tables.finalize, j.steps));
    let sums = LutRam {
        width: j.acc_w,
        depth: j.steps,
        reads: 1,
    };
    parts.add("sums_even", j.z, sums);
    parts.add("sums_odd", j.z, sums);
    let fin_w = if j.training { j.step_w + 2 } else { j.step_w };
    parts.delay("fin_delay_1", fin_w, 1);
    parts.add(
        "biases",
        1,
        Stored(Memory::lanes(j.groups, j.weight_w, j.steps)),
    );
    if j.training {
        let shift = j.shifts.bias_step.net();
        parts.add(
            "fin_bias_step",
            j.groups,
            round(j.delta_w, j.weight_w, shift),
        );
        parts.add("bias_sat", j.groups, round(j.weight_w + 1, j.weight_w, 0));
    }
    parts.delay(
        "bias_delay_sum",
        j.groups * j.weight_w,
        j.stages.tree_latency,
    );
    let (place, copies) = if j.last {
        let cost = if j.training {
            j.pointers.width(PointerName::DeltaWr)
        } else {
            0
        };
        // The output copy travels on its own: a clock before the write, then at it.
        let out = j.pointers.width(PointerName::Out);
        parts.delay("out_copy_delay", out, j.stages.finalize_write - 1);
        parts.delay("out_copy_written", out, 1);
        (0, cost)
    } else {
        let derivative = if j.training {
            j.pointers.width(PointerName::DerWr)
        } else {
            0
        };
        let place = j.right_bank_w + j.right_row_w;
        (place, j.pointers.width(PointerName::Right) + derivative)
    };
    let write_w = 2 + j.step_w + j.groups * (1 + j.neuron_w + place) + copies;
    parts.delay("write_delay", write_w, j.stages.finalize_write);
    if j.training && !j.last {
        derivatives(j, parts);
    }
    if j.transfer {
        parts.add("transfer_rom", 1, rom(tables.finalize, j.steps));
        delta_of_sums(j, parts);
        parts.delay("transfer_delay", j.groups + 1 + j.step_w, stage::TRANSFER);
    }
}

/// Each group's sum with its bias, saturated and activated.
fn activation(j: &Junction, tables: &Tables, parts: &mut Parts) {
    let accumulate = j.side == Side::Accumulate;
    let tree_in = if accumulate { j.acc_w } else { j.act_w };
    parts.add(
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
    let bias = round(j.weight_w, acc_w, j.shifts.bias.net());
    parts.add("bias_scale", j.groups, bias);
    parts.add("act_sat", j.groups, round(acc_w, j.act_w, 0));
    let sigmoid = j.act.kind == ActKind::Sigmoid;
    parts.add(
        "act",
        j.groups,
        Act {
            w: j.act_w,
            sigmoid,
        },
    );
    if sigmoid {
        let mut table = part("table_rom", j.groups, rom(tables.activation, j.act.entries));
        table.nested = true;
        parts.0.push(table);
    }
}

/// The output layer's decision (the write's step and copy wait for the argmax's tree) and
/// cost: δ = a − y, or (a − y)·a'.
fn output(j: &Junction, parts: &mut Parts) {
    let width = 1 + j.step_w + j.pointers.width(PointerName::Out);
    parts.delay("argmax_delay", width, j.argmax_levels);
    if !j.training {
        return;
    }
    let width = 1 + j.step_w + j.groups + j.pointers.width(PointerName::DeltaWr);
    parts.delay("cost_delay", width, j.stages.cost);
    if j.quadratic {
        let product = training_mul(j, j.act_w + 2, j.act_w, j.delta_w, j.act_w);
        parts.add("cost_mul", j.groups, product);
    } else {
        let error = round(j.act_w + 2, j.delta_w, j.shifts.cost.net());
        parts.add("cost_round", j.groups, error);
    }
}
