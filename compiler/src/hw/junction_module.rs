//! A junction module's interface: the `localparam`s its body refers to and its ports, from
//! the junction's hardware record.

use super::junction::Junction;
use super::pointers::PointerName;
use super::verilog::{Direction::Output, Params, Ports};

/// The `localparam`s of junction `j`'s module: its record's numbers, the shifts, the copy
/// pointers, the memory images and the storage styles.
pub fn params(j: &Junction) -> Params {
    let record = serde_json::to_value(j).expect("a hardware record serialises");
    let mut p = Params::of(&record);
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
    p.text(
        "TRAINING_USE_DSP",
        if j.training_in_luts { "no" } else { "yes" },
        "training's multipliers in DSP48E1 slices",
    );
    p.number("DELTA_SHIFT", s.delta, "a'·sum: the activations' fraction");
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

/// The ports of junction `j`'s module.
pub fn ports(j: &Junction) -> Ports {
    use PointerName::*;
    let width = |name| j.pointers.width(name);
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
            .address("sum", Output, j.z, None, j.row_w);
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
        .address(
            "right",
            Output,
            j.groups,
            Some(j.right_bank_w),
            j.right_row_w,
        );
        p.output_bits("right_value", j.groups * j.act_w, "");
        p.output_bits("right_copy", width(Right), "");
        if j.training {
            p.section(format!(
                "The right layer's δ sums, taken (read and cleared) from junction `{}`.",
                j.next
            ))
            .address(
                "take",
                Output,
                j.groups,
                Some(j.right_bank_w),
                j.right_row_w,
            );
            p.output_bits("take_copy", width(Take), "");
            p.input_bits(
                "take_value",
                j.groups * j.right_sum_w,
                "the sums, the clock after",
            );
        }
    }
    p.section("Weights and biases, while idle: address {bias?, lane or group, slot or neuron}.")
        .input("mm_en", "");
    p.input("mm_we", "");
    p.input_bits("mm_addr", j.mm_w, "");
    p.input_bits("mm_wdata", 32, "");
    p.output_bits("mm_rdata", 32, "");
    p
}
