//! What one instance of each primitive costs: exact where the rule is known (DSP slices,
//! block RAM, distributed RAM cells, shift registers), a linear model of its parameters
//! calibrated against Yosys elsewhere.

use super::coefficients as k;
use crate::backend::storage::{Memory, Storage};
use crate::datapath::layout::{bits, tree_registers};
use crate::hw::parts::Primitive;
use crate::synth::resources::Resources;

/// Features of a primitive's LUTs and flip-flops, in the order of its coefficients.
pub fn features(p: &Primitive) -> Vec<f64> {
    let f = |x: usize| x as f64;
    match *p {
        Primitive::Mul {
            a_w,
            b_w,
            out_w,
            luts,
            b_unsigned,
        } => {
            if luts {
                // Radix-4 Booth rows of the narrower operand (its value bits: an unsigned
                // operand's zero sign bit folds its last row away), summed three to a group.
                let recoded_w = if b_w <= a_w && b_unsigned {
                    b_w - 1
                } else {
                    a_w.min(b_w)
                };
                let rows_bits = recoded_w as f64 / 2.0 * f(a_w.max(b_w) + 1);
                let product_w = a_w + b_w + 1;
                let (_, groups) = crate::hw::parts::booth_rows(a_w, b_w);
                vec![
                    rows_bits,
                    f(groups * product_w),
                    f(out_w),
                    1.0,
                    f(product_w),
                ]
            } else {
                let extra = f(dsp_slices(a_w, b_w) - 1);
                vec![f(out_w), f(a_w + b_w), extra * f(a_w + b_w), extra]
            }
        }
        Primitive::RoundSat { in_w, out_w, shift } => {
            let kept = (in_w as i64 - shift.max(0)).max(1) as usize;
            vec![
                f(kept),
                f(out_w.min(kept + 1)),
                f(usize::from(kept >= out_w)),
                1.0,
            ]
        }
        Primitive::Tree { n, in_w } => {
            let (adders, registers) = tree_bits(n, in_w);
            vec![f(adders), f(registers), 1.0]
        }
        Primitive::Crossbar { n, width } => {
            vec![f(n * width * (n - 1)), f(n * width), 1.0]
        }
        Primitive::MuxTree { n, width, levels } => {
            // Per level, its sixteen-to-one groups' bits (a LUT6 per four words of a bit)
            // and the words it registers.
            let (mut inputs, mut registered) = (0, 0);
            let mut words = n;
            for _ in 0..levels {
                inputs += words * width;
                words = words.div_ceil(16);
                registered += words * width;
            }
            vec![f(inputs), f(registered + 4 * levels), 1.0]
        }
        Primitive::Act { w, sigmoid } => {
            if sigmoid {
                vec![0.0, 0.0, f(w), 1.0]
            } else {
                vec![f(w), 1.0, 0.0, 0.0]
            }
        }
        Primitive::AxiLite { addr_w } => vec![f(addr_w), 1.0],
        Primitive::Fifo { width, addr } => {
            let storage = fifo_storage(width, addr).luts;
            vec![storage as f64, f(addr), 1.0]
        }
        Primitive::UartRx { clocks_per_bit } | Primitive::UartTx { clocks_per_bit } => {
            vec![f(bits(clocks_per_bit)), 1.0]
        }
        Primitive::Bridge {
            addr_w,
            in_bytes,
            out_bytes,
            label_bytes,
        } => vec![
            f(addr_w),
            f(8 * in_bytes),
            f(8 * out_bytes),
            f(label_bytes),
            1.0,
        ],
        _ => Vec::new(),
    }
}

/// A queue's words in distributed RAM (read without a register).
fn fifo_storage(width: usize, addr: usize) -> Resources {
    match Memory::ram(width, 1 << addr, 1).in_luts() {
        Storage::Distributed { lut_memory, luts } => Resources {
            luts: lut_memory + luts,
            lut_memory,
            ..Resources::default()
        },
        other => unreachable!("distributed: {other:?}"),
    }
}

/// The model of a primitive kind: which coefficients price its features.
pub fn model(p: &Primitive) -> Option<&'static k::Model> {
    Some(match *p {
        Primitive::Mul { luts: true, .. } => &k::MUL_LUTS,
        Primitive::Mul { .. } => &k::MUL_DSP,
        Primitive::RoundSat { .. } => &k::ROUND_SAT,
        Primitive::Tree { .. } => &k::TREE,
        Primitive::Crossbar { .. } => &k::CROSSBAR,
        Primitive::MuxTree { .. } => &k::MUX_TREE,
        Primitive::Act { .. } => &k::ACT,
        Primitive::AxiLite { .. } => &k::AXIL,
        Primitive::Fifo { .. } => &k::FIFO,
        Primitive::UartRx { .. } => &k::UART_RX,
        Primitive::UartTx { .. } => &k::UART_TX,
        Primitive::Bridge { .. } => &k::BRIDGE,
        _ => return None,
    })
}

/// The resources of one instance.
pub fn cost(p: &Primitive) -> Resources {
    let fitted = || {
        let model = model(p).expect("a fitted primitive");
        let x = features(p);
        Resources {
            luts: model.luts.apply(&x),
            flip_flops: model.flip_flops.apply(&x),
            ..Resources::default()
        }
    };
    match *p {
        Primitive::Stored(m) => stored(&m),
        Primitive::LutRam {
            width,
            depth,
            reads,
        } => match Memory::ram(width, depth, reads).in_luts() {
            Storage::Distributed { lut_memory, luts } => Resources {
                luts: lut_memory + luts,
                lut_memory,
                ..Resources::default()
            },
            other => unreachable!("distributed: {other:?}"),
        },
        Primitive::Delay { width, depth } => delay(width, depth),
        // A counter per bank: an increment and wrap per bit, and its register.
        Primitive::RowGen { z, row_w } => Resources {
            luts: (z * row_w) as u64,
            flip_flops: (z * row_w) as u64,
            ..Resources::default()
        },
        Primitive::Mul {
            a_w,
            b_w,
            luts: false,
            ..
        } => Resources {
            dsp48e1: dsp_slices(a_w, b_w) as u64,
            ..fitted()
        },
        Primitive::Fifo { width, addr } => Resources {
            lut_memory: fifo_storage(width, addr).lut_memory,
            ..fitted()
        },
        _ => fitted(),
    }
}

/// A memory where the compiler put it, with its read registers (block RAM keeps them inside).
fn stored(m: &Memory) -> Resources {
    let read_bits = m.read_bits() as u64;
    match m.storage() {
        Storage::Block { ramb18, ramb36 } => Resources {
            ramb18,
            ramb36,
            ..Resources::default()
        },
        Storage::Distributed { lut_memory, luts } => Resources {
            luts: lut_memory + luts,
            lut_memory,
            flip_flops: read_bits,
            ..Resources::default()
        },
        Storage::Logic { luts } => Resources {
            luts,
            flip_flops: read_bits,
            ..Resources::default()
        },
        Storage::Registers { flip_flops, luts } => Resources {
            luts,
            flip_flops: flip_flops + read_bits,
            ..Resources::default()
        },
    }
}

/// `snn_delay`: its last stage a flip-flop per bit; before it, flip-flops up to two stages, a
/// shift register LUT per bit (per 32 stages) from three.
fn delay(width: usize, depth: usize) -> Resources {
    // The last register stays a flip-flop; the stages before it become shift registers
    // from three on (Yosys's shortest SRL chain).
    let chain = depth.saturating_sub(1);
    let last = if depth > 0 { width } else { 0 };
    if chain < 3 {
        Resources {
            flip_flops: (width * depth) as u64,
            ..Resources::default()
        }
    } else {
        let srl = (width * chain.div_ceil(32)) as u64;
        Resources {
            luts: srl,
            lut_memory: srl,
            flip_flops: last as u64,
            ..Resources::default()
        }
    }
}

/// DSP48E1 slices of an `a` × `b` signed product: a slice multiplies 25 × 18 bits; wider
/// operands split into more, each further part taking 24 (17) bits.
pub fn dsp_slices(a: usize, b: usize) -> usize {
    let parts = |w: usize, max: usize| 1 + w.saturating_sub(max).div_ceil(max - 1);
    let (wide, narrow) = (a.max(b), a.min(b));
    parts(wide, 25) * parts(narrow, 18)
}

/// Adder bits and register bits of `snn_adder_tree` over `n` values: a balanced tree whose
/// level l adds in `in_w + l` bits (adders of padding alone vanish), registered at the levels
/// [`tree_registers`] says.
pub fn tree_bits(n: usize, in_w: usize) -> (usize, usize) {
    let levels = bits(n).max(1);
    if n <= 1 {
        return (0, 0);
    }
    let registered = tree_registers(n, in_w);
    let (mut adders, mut registers) = (0, 0);
    let mut live = n;
    for l in 1..=levels {
        // Level l adds pairs into in_w + l bits; an odd value out passes through.
        let width = in_w + l;
        let pairs = live / 2;
        let nodes = live.div_ceil(2);
        adders += pairs * width;
        if registered & (1 << (l - 1)) != 0 {
            registers += nodes * width;
        }
        live = nodes;
    }
    (adders, registers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsp_slices_follow_the_operand_widths() {
        // Yosys 0.23 on snn_mul.
        assert_eq!(dsp_slices(10, 10), 1);
        assert_eq!(dsp_slices(24, 18), 1);
        assert_eq!(dsp_slices(20, 20), 2);
        assert_eq!(dsp_slices(26, 18), 2);
        assert_eq!(dsp_slices(26, 20), 4);
        assert_eq!(dsp_slices(33, 33), 4);
    }

    #[test]
    fn shift_registers_start_at_three_stages_before_the_last() {
        assert_eq!(delay(16, 2).flip_flops, 32);
        assert_eq!(delay(16, 3).flip_flops, 48);
        // Three stages and the last register.
        let four = delay(16, 4);
        assert_eq!((four.lut_memory, four.flip_flops), (16, 16));
        let long = delay(16, 40);
        assert_eq!((long.lut_memory, long.flip_flops), (32, 16));
    }

    #[test]
    fn a_tree_adds_every_value_once() {
        // 4 values: two 11-bit adders then a 12-bit one, registered after level 2.
        assert_eq!(tree_bits(4, 10), (2 * 11 + 12, 12));
        // 3 values: one adder at level 1 (the third passes), one at level 2.
        assert_eq!(tree_bits(3, 10), (11 + 12, 12));
        assert_eq!(tree_bits(2, 8), (9, 9));
        // Sums wider than a paired stage allows: every level registered.
        assert_eq!(tree_bits(4, 16), (2 * 17 + 18, 2 * 17 + 18));
    }
}
