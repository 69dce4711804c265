//! Features of each block's own logic (what the glue templates write between primitives:
//! pipeline registers, counters, multiplexers, write routing), priced by coefficients
//! calibrated against Yosys.

use crate::hw::pointers::PointerName;
use crate::hw::{Junction, LayerMemory, Side, Top};

/// A junction's features, in the order of `coefficients::JUNCTION`.
pub fn junction(j: &Junction) -> Vec<f64> {
    let f = |x: usize| x as f64;
    let on = |b: bool| if b { 1.0 } else { 0.0 };
    let training = on(j.training);
    let accumulate = on(j.side == Side::Accumulate);
    let out_copies = j.copies(PointerName::Out);
    vec![
        1.0,
        f(j.z),
        f(j.z * j.weight_w),
        f(j.z * j.left_w),
        training * f(j.z * j.weight_w),
        training * f(j.z * j.left_w),
        on(j.backward) * f(j.z * j.delta_w),
        f(j.groups * j.act_w),
        f(j.groups * j.weight_w),
        accumulate * f(j.z * j.acc_w),
        on(j.last) * f(out_copies * j.right * j.act_w * j.groups),
        training * f(j.groups * j.delta_w),
        training * accumulate * f(j.z * j.delta_w),
        on(j.last) * f(j.groups * j.act_w),
        on(j.last) * f(out_copies * j.right * j.act_w),
    ]
}

/// A layer memory's features, in the order of `coefficients::LAYER_MEMORY`.
pub fn memory(m: &LayerMemory, training: bool) -> Vec<f64> {
    let f = |x: usize| x as f64;
    let reads = if training { 2 } else { 1 };
    let deltas = if m.deltas { 1.0 } else { 0.0 };
    vec![
        1.0,
        f(m.banks * m.writers_per_bank * m.width),
        f(m.banks * m.writers_per_bank * (m.row_w + m.port_w)),
        f(m.banks * m.width * reads),
        deltas * f(m.banks * m.delta_copies * m.delta_w),
        deltas * f(m.banks * m.delta_ports * m.delta_w),
        deltas * f(m.banks * m.writers_per_bank * m.row_w),
    ]
}

/// The top level's features, in the order of `coefficients::TOP`.
pub fn top(top: &Top, junctions: usize) -> Vec<f64> {
    let f = |x: usize| x as f64;
    vec![
        1.0,
        f(top.beat * top.input_w),
        f(top.outputs * top.act_w),
        f(junctions),
    ]
}
