//! A junction module's interface: the `localparam`s its body refers to and its ports, from
//! the junction's hardware record.

use super::junction::{Junction, Side};
use super::pointers::PointerName;
use super::stage;
use super::verilog::{Params, Ports};

/// The `localparam`s of junction `j`'s module.
pub fn params(j: &Junction) -> Params {
    let mut p = Params::default();
    p.size("PERIOD", j.period, "clocks per cycle");
    p.size("SLOT_W", j.slot_w, "bits of the slot");
    p.sized("SLOT_LAST", j.slot_w, j.period - 1, "the cycle's last slot");
    p.size("LABEL_W", j.label_w, "bits of a label (an output's index)");
    p.size("Z", j.z, "lanes");
    p.size("CYCLES", j.cycles, "clocks per pass (slots issued)");
    p.sized(
        "ISSUE_END",
        j.slot_w + 1,
        j.cycles,
        "the first slot not issued",
    );
    p.size("ROWS", j.rows, "rows of each left bank");
    p.size("ROW_W", j.row_w, "bits of a row");
    p.size("BANK_W", j.bank_w, "bits of a bank or lane number");
    p.sized("LANE_ONE", j.z, 1, "lane 0's bit of a lane mask");
    p.size(
        "SLOT_ADDR_W",
        j.slot_addr_w,
        "bits of a slot's table address",
    );
    p.size("LEFT_W", j.left_w, "bits of a left value");
    p.size(
        "LEFT_MUL_W",
        j.left_mul_w,
        "bits of a left value as a multiplier operand",
    );
    p.size("WEIGHT_W", j.weight_w, "bits of a weight or bias");
    p.size("ACT_W", j.act_w, "bits of an activation");
    p.size("DELTA_W", j.delta_w, "bits of a δ");
    p.size("LEFT_SUM_W", j.left_sum_w, "bits of a left δ sum");
    p.size("RIGHT_SUM_W", j.right_sum_w, "bits of a right δ sum");
    p.size("RIGHT_BANK_W", j.right_bank_w, "bits of a right bank");
    p.size("RIGHT_ROW_W", j.right_row_w, "bits of a right row");
    p.size("MM_W", j.mm_w, "bits of a memory-mapped address");
    p.size("RIGHT", j.right, "right neurons");
    p.size("GROUPS", j.groups, "trees or accumulating groups");
    p.size("GROUP", j.group, "lanes per group");
    p.size("GROUP_W", j.group_w, "bits of a group number");
    p.sized("GROUP_ONE", j.groups, 1, "group 0's bit of a group mask");
    p.size("STEPS", j.steps, "neuron steps per tree, or finalise steps");
    p.size("STEP_W", j.step_w, "bits of a step");
    p.sized("STEP_LAST", j.step_w, j.steps - 1, "the last step");
    p.size("STEP_PAD", j.step_pad, "steps rounded up to a power of two");
    p.size("NEURON_W", j.neuron_w, "bits of a right neuron's number");
    p.size("DELTA_LANES", j.delta_lanes, "lanes that form Δb");
    p.size("ACC_W", j.acc_w, "bits of a sum");
    p.size("TREE_LEVELS", j.tree_levels, "levels of an adder tree");
    if j.side == Side::Tree {
        p.size(
            "CLOCKS_PER_NEURON",
            j.clocks_per_neuron,
            "clocks a tree spends on a neuron",
        );
        p.size("SUB_W", j.sub_w, "bits of the clock within a neuron");
        p.sized(
            "SUB_LAST",
            j.sub_w,
            j.clocks_per_neuron - 1,
            "a neuron's last clock",
        );
        p.size("NEURONS_PER_GROUP", j.neurons_per_group, "neurons per tree");
    } else {
        p.sized(
            "FIN_SLOT",
            j.slot_w,
            j.fin_slot,
            "the slot before a pass's first finalise step",
        );
        let tag = stage::ADDRESS;
        p.sized(
            "TAG_SLOT",
            j.slot_w,
            tag,
            "the slot a pass's finalise tags are latched",
        );
        if j.transfer {
            let slot = (j.transfer_start - 1) as usize;
            p.sized(
                "XFER_SLOT",
                j.slot_w,
                slot,
                "the slot before the transfer's first step",
            );
        }
    }
    if j.rowgen {
        p.size("SWEEPS", j.sweeps, "sweeps of the rows per pass");
        p.size("SWEEP_W", j.sweep_w, "bits of a sweep");
    }
    shifts(j, &mut p);
    activation(j, &mut p);
    p.size(
        "UPDATE_LUT_LANES",
        j.update_luts,
        "lanes whose update multiplier is in LUTs",
    );
    stages(j, &mut p);
    for ptr in j.pointers.iter() {
        let name = ptr.name.verilog().to_uppercase();
        p.size(format!("{name}_COPIES"), ptr.count, ptr.doc);
        p.size(format!("{name}_PTR_W"), ptr.width, "bits of its pointer");
        p.sized(
            format!("{name}_PTR_INIT"),
            ptr.width,
            ptr.init,
            "its pointer at reset",
        );
        p.sized(
            format!("{name}_PTR_LAST"),
            ptr.width,
            ptr.count - 1,
            "its last copy",
        );
    }
    for (key, file) in &j.files {
        p.text(format!("{}_FILE", key.to_uppercase()), file, "memory image");
    }
    for (instance, style) in &j.styles {
        p.text(
            format!("{}_STYLE", instance.to_uppercase()),
            style,
            "storage",
        );
    }
    if !j.styles.contains_key("table_rom") {
        p.text("TABLE_ROM_STYLE", "logic", "storage (no table)");
    }
    p
}

fn shifts(j: &Junction, p: &mut Params) {
    let s = &j.shifts;
    for (name, shift) in [
        ("FF", s.forward),
        ("BIAS_STEP", s.bias_step),
        ("BIAS", s.bias),
        ("COST", s.cost),
        ("QUADRATIC", s.quadratic),
    ] {
        p.number(format!("{name}_SHIFT"), shift.right, "right shift");
        p.number(format!("{name}_LSHIFT"), shift.left, "left shift");
    }
    p.number(
        "UPDATE_SHIFT",
        s.update,
        "Δw = Δb·a: the left value's fraction",
    );
    p.number("BACKWARD_SHIFT", s.backward, "w·δ: the weights' fraction");
    p.number("DELTA_SHIFT", s.delta, "a'·sum: the activations' fraction");
}

fn activation(j: &Junction, p: &mut Params) {
    let a = &j.act;
    p.number("ACT_KIND", a.kind.code(), "0 sigmoid, 1 ReLU, 2 identity");
    p.number("ACT_ONE", a.one, "1.0 in the activations' format");
    p.number("ACT_OFFSET", a.offset, "the table's first input");
    p.number("ACT_IDX_SHIFT", a.shift, "input bits per table entry");
    p.size("ACT_ENTRIES", a.entries, "table entries");
    p.size("ACT_IDX_W", a.index_w, "bits of a table index");
    if j.last && j.training {
        let w = j.act_w + 2;
        p.literal(
            "COST_ONE",
            format!("{w}'sd{}", a.one),
            "the label's target, one",
        );
        p.literal("COST_ZERO", format!("{w}'sd0"), "the other outputs' target");
    }
}

fn stages(j: &Junction, p: &mut Params) {
    p.size(
        "S_ADDRESS",
        stage::ADDRESS,
        "stage: tables read, left memories addressed",
    );
    p.size("S_WEIGHT", stage::WEIGHT, "stage: the weights' word read");
    p.size("S_OPERANDS", stage::OPERANDS, "stage: operands registered");
    p.size("S_DELTA", stage::DELTA, "stage: the right δ of a lane");
    p.size("S_PRODUCT", stage::PRODUCT, "stage: products and Δb");
    p.size(
        "S_BACKWARD",
        stage::BACKWARD,
        "stage: backward products reach the δ sums",
    );
    p.size("S_UPDATE", stage::UPDATE, "stage: updated weights written");
    let s = &j.stages;
    p.size(
        "TREE_LATENCY",
        s.tree_latency,
        "registered stages of a tree",
    );
    p.size("S_TREE_SUM", s.tree_sum, "stage: the trees' sums");
    p.size(
        "S_TREE_WRITE",
        s.tree_write,
        "stage: the activations written",
    );
    p.size(
        "FINALIZE_WRITE",
        s.finalize_write,
        "clocks from a finalise step to its write",
    );
    p.size(
        "S_TRANSFER",
        stage::TRANSFER,
        "clocks from a transfer's take to its δ write",
    );
    p.size("COST_DELAY", s.cost, "clocks from an output to its δ");
    p.size("PIPE", s.pipe, "depth of the slot's delay lines");
}

/// The ports of junction `j`'s module.
pub fn ports(j: &Junction) -> Ports {
    use PointerName::*;
    let width = |name| j.pointers.get(name).map_or(1, |p| p.width);
    let mut p = Ports::default();
    p.control("clk", "");
    p.control(
        "rst",
        "synchronous reset of the pass flags and copy pointers",
    );
    p.control("en", "clock enable of the whole datapath");
    p.input_bits("slot", j.slot_w, "clock within this junction's pass");
    p.input("ff_next", "the pass starting at slot 0 has a forward input");
    if j.training {
        p.input("bp_next", "... an update input");
    }
    if j.transfer {
        p.input(
            "xfer_next",
            "the pass after it has an update input: its δ moves in now",
        );
    }
    p.section(format!(
        "Left layer `{}`: a row per bank, and the copies of the forward{} input.",
        j.left_name,
        if j.training { " and the update" } else { "" }
    ))
    .output_bits("left_row", j.z * j.row_w, "");
    p.output_bits("left_ff_copy", width(LeftFf), "");
    if j.training {
        p.output_bits("left_up_copy", width(LeftUp), "");
    }
    p.input_bits("left_ff_value", j.z * j.left_w, "");
    if j.training {
        p.input_bits("left_up_value", j.z * j.left_w, "");
    }
    if j.backward {
        p.section("The left layer's δ sums, one read-modify-write per bank.")
            .output_bits("sum_valid", j.z, "");
        p.output_bits("sum_row", j.z * j.row_w, "");
        p.output_bits("sum_add", j.z * j.left_sum_w, "");
        p.output_bits("sum_copy", width(Sum), "");
    }
    if j.last {
        p.section("The output layer: outputs of the copy `out_copy`, and a pulse when an input's are complete.");
        if j.training {
            p.input_bits("label", j.label_w, "the label of the pass's forward input");
        }
        p.input_bits("out_copy", width(Out), "the output copy to present");
        p.output_bits("outputs", j.right * j.act_w, "");
        p.output_bits("decision", j.label_w, "");
        p.output("out_done", "");
    } else {
        p.section(format!(
            "Right layer `{}` into junction `{}`'s banks, {} values per clock.",
            j.name, j.next, j.groups
        ))
        .output_bits("right_valid", j.groups, "");
        p.output_bits("right_bank", j.groups * j.right_bank_w, "");
        p.output_bits("right_row", j.groups * j.right_row_w, "");
        p.output_bits("right_value", j.groups * j.act_w, "");
        p.output_bits("right_copy", width(Right), "");
        if j.training {
            p.section(format!(
                "The right layer's δ sums, taken (read and cleared) from junction `{}`.",
                j.next
            ))
            .output_bits("take_valid", j.groups, "");
            p.output_bits("take_bank", j.groups * j.right_bank_w, "");
            p.output_bits("take_row", j.groups * j.right_row_w, "");
            p.output_bits("take_copy", width(Take), "");
            p.input_bits("take_value", j.groups * j.right_sum_w, "");
        }
    }
    p.section("Weights and biases, while idle: address {bias?, lane or group, slot or neuron}.")
        .input("mm_en", "");
    p.input("mm_we", "");
    p.input_bits("mm_addr", j.mm_w, "");
    p.input_bits("mm_wdata", 32, "");
    p.output_reg("mm_rdata", 32, "");
    p
}
