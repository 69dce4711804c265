//! Features of each block's own logic (what the glue templates write between primitives:
//! pipeline registers, counters, multiplexers, write routing), priced by coefficients
//! calibrated against Yosys.

use crate::hw::board::BoardTop;
use crate::hw::pointers::PointerName;
use crate::hw::{Junction, LayerMemory, Shell, Side, Top};

/// A block's features, each with the name its coefficient has in `coefficients.rs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Features(pub Vec<(&'static str, f64)>);

impl Features {
    /// The values, in the features' order.
    pub fn values(&self) -> Vec<f64> {
        self.0.iter().map(|(_, v)| *v).collect()
    }

    /// The names, in the features' order.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(n, _)| *n).collect()
    }
}

/// A junction's features.
pub fn junction(j: &Junction) -> Features {
    let f = |x: usize| x as f64;
    let on = |b: bool| if b { 1.0 } else { 0.0 };
    let training = on(j.training);
    let accumulate = on(j.side == Side::Accumulate);
    let out_copies = j.copies(PointerName::Out);
    Features(vec![
        ("one", 1.0),
        ("lanes", f(j.z)),
        ("weight_bits", f(j.z * j.weight_w)),
        ("left_bits", f(j.z * j.left_w)),
        ("update_weight_bits", training * f(j.z * j.weight_w)),
        ("update_left_bits", training * f(j.z * j.left_w)),
        ("backward_delta_bits", on(j.backward) * f(j.z * j.delta_w)),
        ("group_act_bits", f(j.groups * j.act_w)),
        ("group_weight_bits", f(j.groups * j.weight_w)),
        ("partial_sum_bits", accumulate * f(j.z * j.acc_w)),
        (
            "output_buffer_group_bits",
            on(j.last) * f(out_copies * j.right * j.act_w * j.groups),
        ),
        ("group_delta_bits", training * f(j.groups * j.delta_w)),
        (
            "lane_delta_bits",
            training * accumulate * f(j.z * j.delta_w),
        ),
        ("argmax_bits", on(j.last) * f(j.groups * j.act_w)),
        (
            "output_buffer_bits",
            on(j.last) * f(out_copies * j.right * j.act_w),
        ),
    ])
}

/// A layer memory's features.
pub fn memory(m: &LayerMemory, training: bool) -> Features {
    let f = |x: usize| x as f64;
    let reads = if training { 2 } else { 1 };
    let deltas = if m.deltas { 1.0 } else { 0.0 };
    Features(vec![
        ("one", 1.0),
        (
            "route_value_bits",
            f(m.banks * m.writers_per_bank * m.width),
        ),
        (
            "route_address_bits",
            f(m.banks * m.writers_per_bank * (m.row_w + m.port_w)),
        ),
        ("read_bits", f(m.banks * m.width * reads)),
        (
            "delta_sum_bits",
            deltas * f(m.banks * m.delta_copies * m.delta_w),
        ),
        // Each bank's add: its sum and product registered, the forwarding multiplexer and
        // the adder.
        ("delta_add_bits", deltas * f(m.banks * m.delta_w)),
        ("take_bits", deltas * f(m.banks * m.delta_ports * m.delta_w)),
        (
            "take_route_bits",
            deltas * f(m.banks * m.writers_per_bank * m.row_w),
        ),
    ])
}

/// The top level's features.
pub fn top(top: &Top, junctions: usize) -> Features {
    let f = |x: usize| x as f64;
    Features(vec![
        ("one", 1.0),
        ("beat_bits", f(top.beat * top.input_w)),
        ("output_bits", f(top.outputs * top.act_w)),
        ("junctions", f(junctions)),
    ])
}

/// The AXI shell's features: its register decoder and read multiplexer (the registers are
/// the same in every design; the address decoding grows with the address bits).
pub fn shell(shell: &Shell) -> Features {
    Features(vec![
        ("one", 1.0),
        ("address_bits", shell.axil_addr_w as f64),
    ])
}

/// The board top's features: its reset synchroniser and LED blinker are the same in every
/// design.
pub fn board(_: &BoardTop) -> Features {
    Features(vec![("one", 1.0)])
}
