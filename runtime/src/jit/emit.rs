//! Helpers for writing kernels in Cranelift IR: counted loops, indexed loads and stores,
//! and the two fixed-point primitives (round-half-up rescaling and saturation).

use cranelift_codegen::ir::{condcodes::IntCC, types, BlockArg, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;

/// A function being built, with the helpers kernels need.
pub struct Emitter<'a> {
    pub b: FunctionBuilder<'a>,
}

impl Emitter<'_> {
    /// An `i64` constant.
    pub fn int(&mut self, v: i64) -> Value {
        self.b.ins().iconst(types::I64, v)
    }

    /// A pointer baked into the code (arrays the engine owns for its lifetime).
    pub fn address<T>(&mut self, data: &[T]) -> Value {
        self.int(data.as_ptr() as i64)
    }

    /// `for i in start..end { body(i) }`; `start` and `end` are `i64` values.
    pub fn counted_loop(
        &mut self,
        start: Value,
        end: Value,
        mut body: impl FnMut(&mut Self, Value),
    ) {
        let header = self.b.create_block();
        let inner = self.b.create_block();
        let exit = self.b.create_block();
        let i = self.b.append_block_param(header, types::I64);
        self.b.ins().jump(header, &[BlockArg::Value(start)]);
        self.b.switch_to_block(header);
        let more = self.b.ins().icmp(IntCC::SignedLessThan, i, end);
        self.b.ins().brif(more, inner, &[], exit, &[]);
        self.b.switch_to_block(inner);
        body(self, i);
        let next = self.b.ins().iadd_imm_s(i, 1);
        self.b.ins().jump(header, &[BlockArg::Value(next)]);
        self.b.switch_to_block(exit);
    }

    fn element(&mut self, base: Value, index: Value, size: i64) -> Value {
        let offset = self.b.ins().imul_imm_s(index, size);
        self.b.ins().iadd(base, offset)
    }

    /// `base[index]` of an `i64` array.
    pub fn load_i64(&mut self, base: Value, index: Value) -> Value {
        let p = self.element(base, index, 8);
        self.b.ins().load(types::I64, MemFlagsData::trusted(), p, 0)
    }

    /// `base[index] = v` in an `i64` array.
    pub fn store_i64(&mut self, base: Value, index: Value, v: Value) {
        let p = self.element(base, index, 8);
        self.b.ins().store(MemFlagsData::trusted(), v, p, 0);
    }

    /// `base[index]` of an `i32` array, sign-extended.
    pub fn load_i32(&mut self, base: Value, index: Value) -> Value {
        let p = self.element(base, index, 4);
        self.b.ins().sload32(MemFlagsData::trusted(), p, 0)
    }

    /// `base[index] = v` in an `i32` array (the low 32 bits of `v`).
    pub fn store_i32(&mut self, base: Value, index: Value, v: Value) {
        let p = self.element(base, index, 4);
        self.b.ins().istore32(MemFlagsData::trusted(), v, p, 0);
    }

    /// `base[index]` of a `u32` array, zero-extended.
    pub fn load_u32(&mut self, base: Value, index: Value) -> Value {
        let p = self.element(base, index, 4);
        self.b.ins().uload32(MemFlagsData::trusted(), p, 0)
    }

    /// `x` with `from` fraction bits re-expressed with `to`, rounding half up, as
    /// [`crate::fixed::rescale`]; `x` is known to fit in a signed integer of `bits` bits.
    /// Where `x + 2^(s−1)` or `x · 2^g` cannot leave 64 bits the short forms are used; else
    /// the rounding bit is added after the shift, and a gain saturates to the `i64` range.
    pub fn rescale(&mut self, x: Value, from: u32, to: u32, bits: u32) -> Value {
        if from > to {
            let s = from - to;
            if s >= 64 {
                return self.int(0);
            }
            let s = s as i64;
            if bits <= 62 {
                let rounded = self.b.ins().iadd_imm_s(x, 1i64 << (s - 1));
                self.b.ins().sshr_imm_u(rounded, s)
            } else {
                let floor = self.b.ins().sshr_imm_u(x, s);
                let half = self.b.ins().sshr_imm_u(x, s - 1);
                let half = self.b.ins().band_imm_s(half, 1);
                self.b.ins().iadd(floor, half)
            }
        } else if to > from {
            let g = to - from;
            if bits + g <= 64 {
                self.b.ins().ishl_imm_u(x, g as i64)
            } else if g >= 63 {
                // Only −1 · 2^63 fits; every other non-zero value saturates.
                let zero = self.int(0);
                let max = self.int(i64::MAX);
                let min = self.int(i64::MIN);
                let positive = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, x, 0);
                let negative = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                let low = self.b.ins().select(negative, min, zero);
                self.b.ins().select(positive, max, low)
            } else {
                let x = self.clamp(x, i64::MIN >> g, i64::MAX >> g);
                self.b.ins().ishl_imm_u(x, g as i64)
            }
        } else {
            x
        }
    }

    /// `x` clamped to `[min, max]`.
    pub fn clamp(&mut self, x: Value, min: i64, max: i64) -> Value {
        let lo = self.int(min);
        let hi = self.int(max);
        let x = self.b.ins().smax(x, lo);
        self.b.ins().smin(x, hi)
    }
}
