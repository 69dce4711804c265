//! The four kernels of a junction — forward, cost, backward, update — as Cranelift IR, with
//! the network's formats, edge lists and activation tables baked in.

use super::emit::Emitter;
use crate::activation::{Activation, Activator};
use crate::fixed::Format;
use crate::program::{Cost, Formats};
use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder, Value};

/// A junction's edges by right neuron: `left[row_start[r]..row_start[r + 1]]` feed `r`.
pub struct Rows {
    pub row_start: Vec<u32>,
    pub left: Vec<u32>,
}

/// What a junction's kernels need to know.
pub struct JunctionCode<'a> {
    pub rows: &'a Rows,
    pub left_size: usize,
    pub right_size: usize,
    pub formats: Formats,
    /// The format of the left layer's values (the input format for the first junction).
    pub left_format: Format,
    pub activator: &'a Activator,
    /// The activator's tables as `i64` arrays (`[]` when it has none).
    pub lut_value: &'a [i64],
    pub lut_derivative: &'a [i64],
    pub shift: u32,
}

/// The edges of right neuron `r`: `(first, end)` into the row's edge arrays.
fn edge_range(e: &mut Emitter, row_start: Value, r: Value) -> (Value, Value) {
    let first = e.load_u32(row_start, r);
    let next = e.b.ins().iadd_imm_s(r, 1);
    (first, e.load_u32(row_start, next))
}

/// `for r in 0..right_size { per_neuron(r) }`.
fn for_each_right(e: &mut Emitter, right_size: usize, per_neuron: impl FnMut(&mut Emitter, Value)) {
    let zero = e.int(0);
    let count = e.int(right_size as i64);
    e.counted_loop(zero, count, per_neuron);
}

/// Bits of a signed integer that holds any product of raw values of `a` and `b` (an
/// unsigned format counts a bit more, as its values are non-negative signed ones).
fn product_bits(a: Format, b: Format) -> u32 {
    let signed_bits = |f: Format| f.width + u32::from(!f.signed);
    signed_bits(a) + signed_bits(b)
}

fn saturate(e: &mut Emitter, x: Value, f: Format) -> Value {
    e.clamp(x, f.min_raw(), f.max_raw())
}

/// `forward(left_values, out_values, out_derivatives, weights, biases)`.
pub fn forward(e: &mut Emitter, params: &[Value], code: &JunctionCode) {
    let [left_values, out_values, out_derivatives, weights, biases] = params else {
        unreachable!("forward takes five pointers")
    };
    let f = code.formats;
    let left_ptr = e.address(&code.rows.left);
    let row_start = e.address(&code.rows.row_start);
    let acc = e.b.declare_var(types::I64);
    for_each_right(e, code.right_size, |e, r| {
        let b = e.load_i64(*biases, r);
        let b = e.rescale(b, f.weights.frac, f.activations.frac, f.weights.width);
        e.b.def_var(acc, b);
        let (first, end) = edge_range(e, row_start, r);
        e.counted_loop(first, end, |e, edge| {
            let l = e.load_u32(left_ptr, edge);
            let a = e.load_i64(*left_values, l);
            let w = e.load_i32(*weights, edge);
            let p = e.b.ins().imul(w, a);
            let p = e.rescale(
                p,
                f.weights.frac + code.left_format.frac,
                f.activations.frac,
                product_bits(f.weights, code.left_format),
            );
            let p = saturate(e, p, f.activations);
            let sum = e.b.use_var(acc);
            let sum = e.b.ins().iadd(sum, p);
            e.b.def_var(acc, sum);
        });
        let sum = e.b.use_var(acc);
        let pre = saturate(e, sum, f.activations);
        let (value, derivative) = activate(e, pre, code);
        e.store_i64(*out_values, r, value);
        e.store_i64(*out_derivatives, r, derivative);
    });
}

/// The activation and its derivative at a saturated pre-activation.
fn activate(e: &mut Emitter, pre: Value, code: &JunctionCode) -> (Value, Value) {
    let one = code.formats.activations.one();
    match code.activator.activation {
        Activation::Sigmoid(table) => {
            let shift = table
                .index_shift(code.formats.activations)
                .expect("checked geometry");
            let offset = table.offset_raw(code.formats.activations);
            let i = e.b.ins().iadd_imm_s(pre, offset);
            let i = e.b.ins().sshr_imm_u(i, shift as i64);
            let i = e.clamp(i, 0, table.entries() as i64 - 1);
            let values = e.address(code.lut_value);
            let derivatives = e.address(code.lut_derivative);
            (e.load_i64(values, i), e.load_i64(derivatives, i))
        }
        Activation::Relu => {
            let zero = e.int(0);
            let one = e.int(one);
            let positive = e.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, pre, 0);
            (
                e.b.ins().smax(pre, zero),
                e.b.ins().select(positive, one, zero),
            )
        }
        Activation::Identity => (pre, e.int(one)),
    }
}

/// `cost(out_values, out_derivatives, label, out_deltas)` for the output junction.
pub fn cost(e: &mut Emitter, params: &[Value], code: &JunctionCode, cost: Cost) {
    let [values, derivatives, label, deltas] = params else {
        unreachable!("cost takes four arguments")
    };
    let f = code.formats;
    for_each_right(e, code.right_size, |e, r| {
        let a = e.load_i64(*values, r);
        let is_label = e.b.ins().icmp(IntCC::Equal, r, *label);
        let one = e.int(f.activations.one());
        let zero = e.int(0);
        let y = e.b.ins().select(is_label, one, zero);
        let error = e.b.ins().isub(a, y);
        let delta = match cost {
            Cost::CrossEntropy => e.rescale(
                error,
                f.activations.frac,
                f.deltas.frac,
                f.activations.width + 1,
            ),
            Cost::Quadratic => {
                let d = e.load_i64(*derivatives, r);
                let p = e.b.ins().imul(error, d);
                e.rescale(
                    p,
                    2 * f.activations.frac,
                    f.deltas.frac,
                    2 * f.activations.width + 1,
                )
            }
        };
        let delta = saturate(e, delta, f.deltas);
        e.store_i64(*deltas, r, delta);
    });
}

/// `backward(right_deltas, left_derivatives, out_left_deltas, scratch, weights)`.
pub fn backward(e: &mut Emitter, params: &[Value], code: &JunctionCode) {
    let [right_deltas, left_derivatives, out_deltas, scratch, weights] = params else {
        unreachable!("backward takes five pointers")
    };
    let f = code.formats;
    let left_ptr = e.address(&code.rows.left);
    let zero = e.int(0);
    let left_count = e.int(code.left_size as i64);
    e.counted_loop(zero, left_count, |e, l| {
        let zero = e.int(0);
        e.store_i64(*scratch, l, zero);
    });
    let row_start = e.address(&code.rows.row_start);
    for_each_right(e, code.right_size, |e, r| {
        let d = e.load_i64(*right_deltas, r);
        let (first, end) = edge_range(e, row_start, r);
        e.counted_loop(first, end, |e, edge| {
            let l = e.load_u32(left_ptr, edge);
            let w = e.load_i32(*weights, edge);
            let q = e.b.ins().imul(w, d);
            let q = e.rescale(
                q,
                f.weights.frac + f.deltas.frac,
                f.deltas.frac,
                product_bits(f.weights, f.deltas),
            );
            let q = saturate(e, q, f.deltas);
            let sum = e.load_i64(*scratch, l);
            let sum = e.b.ins().iadd(sum, q);
            e.store_i64(*scratch, l, sum);
        });
    });
    let zero = e.int(0);
    e.counted_loop(zero, left_count, |e, l| {
        let sum = e.load_i64(*scratch, l);
        let error = saturate(e, sum, f.deltas);
        let derivative = e.load_i64(*left_derivatives, l);
        let d = e.b.ins().imul(derivative, error);
        let d = e.rescale(
            d,
            f.activations.frac + f.deltas.frac,
            f.deltas.frac,
            product_bits(f.activations, f.deltas),
        );
        let d = saturate(e, d, f.deltas);
        e.store_i64(*out_deltas, l, d);
    });
}

/// `update(right_deltas, left_values, weights, biases)`.
pub fn update(e: &mut Emitter, params: &[Value], code: &JunctionCode) {
    let [right_deltas, left_values, weights, biases] = params else {
        unreachable!("update takes four pointers")
    };
    let f = code.formats;
    let left_ptr = e.address(&code.rows.left);
    let row_start = e.address(&code.rows.row_start);
    for_each_right(e, code.right_size, |e, r| {
        let d = e.load_i64(*right_deltas, r);
        let minus = e.b.ins().ineg(d);
        let step = e.rescale(
            minus,
            f.deltas.frac + code.shift,
            f.weights.frac,
            f.deltas.width + 1,
        );
        let step = saturate(e, step, f.weights);
        let b = e.load_i64(*biases, r);
        let b = e.b.ins().iadd(b, step);
        let b = saturate(e, b, f.weights);
        e.store_i64(*biases, r, b);
        let (first, end) = edge_range(e, row_start, r);
        e.counted_loop(first, end, |e, edge| {
            let l = e.load_u32(left_ptr, edge);
            let a = e.load_i64(*left_values, l);
            let dw = e.b.ins().imul(step, a);
            let dw = e.rescale(
                dw,
                f.weights.frac + code.left_format.frac,
                f.weights.frac,
                product_bits(f.weights, code.left_format),
            );
            let dw = saturate(e, dw, f.weights);
            let w = e.load_i32(*weights, edge);
            let w = e.b.ins().iadd(w, dw);
            let w = saturate(e, w, f.weights);
            e.store_i32(*weights, edge, w);
        });
    });
}
