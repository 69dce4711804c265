//! What the host must know of the design on the board, taken from the same hardware model the
//! bitstream was built from: the registers' constants, the address of every parameter, the
//! frame sizes and the window of outstanding outputs, and how inputs and outputs are laid out.

use crate::hw::Hardware;
use crate::Compiled;
use snn_runtime::fixed::Format;
use snn_runtime::program::Parameters;

/// The design of a board top, as the host speaks to it.
#[derive(Clone, Debug)]
pub struct Design {
    /// Registers that hold constants: (name, byte offset, value).
    pub constants: Vec<(&'static str, u64, u64)>,
    /// The byte address of every parameter, each junction's weights then biases.
    pub addresses: Vec<u32>,
    /// Weights and biases per junction, to cut a list of words back into parameters.
    pub shape: Vec<(usize, usize)>,
    pub write_words: usize,
    pub window: usize,
    pub label_bytes: usize,
    pub beat: usize,
    pub in_bytes: usize,
    pub input: Format,
    pub decision_bytes: usize,
    pub label_w: usize,
    pub outputs: usize,
    pub activations: Format,
}

impl Design {
    /// The design of `hw`, the hardware of `compiled`; `None` without a board top.
    pub fn of(compiled: &Compiled, hw: &Hardware) -> Option<Design> {
        let (shell, board) = (hw.shell.as_ref()?, hw.board.as_ref()?);
        let schedule = compiled.schedule();
        let layout = compiled.datapath().layout();
        let words = crate::backend::tables::mm_addresses(schedule, layout, hw.top.mm_local_w);
        let base = shell.regs.parameters_offset;
        let addresses = words
            .iter()
            .map(|w| u32::try_from(base + 4 * w).expect("a 32-bit address"))
            .collect();
        let shape = schedule
            .junctions()
            .iter()
            .map(|js| (js.edges, js.right_size))
            .collect();
        let network = compiled.network();
        Some(Design {
            constants: shell
                .regs
                .registers
                .iter()
                .filter_map(|r| Some((r.name, r.offset, r.value?)))
                .collect(),
            addresses,
            shape,
            write_words: board.write_words,
            window: board.window,
            label_bytes: board.label_bytes,
            beat: hw.top.beat,
            in_bytes: board.in_bytes,
            input: network.formats.input,
            decision_bytes: shell.decision_field_w / 8,
            label_w: shell.label_w,
            outputs: shell.outputs,
            activations: network.formats.activations,
        })
    }

    /// Words read back, in the order of `addresses`, as parameters (sign-extended).
    pub fn parameters(&self, words: &[u32]) -> Parameters {
        let mut at = 0;
        let mut take = |n: usize| {
            let part: Vec<i64> = words[at..at + n]
                .iter()
                .map(|&w| i64::from(w as i32))
                .collect();
            at += n;
            part
        };
        let mut params = Parameters {
            weights: Vec::new(),
            biases: Vec::new(),
        };
        for &(weights, biases) in &self.shape {
            params.weights.push(take(weights));
            params.biases.push(take(biases));
        }
        params
    }

    /// The parameters' addresses as runs of consecutive words, each at most `most` long:
    /// (the run's first byte address, its length), in order.
    pub fn runs(&self, most: usize) -> Vec<(u32, usize)> {
        let mut runs: Vec<(u32, usize)> = Vec::new();
        for &a in &self.addresses {
            match runs.last_mut() {
                Some((start, n)) if *n < most && *start + 4 * *n as u32 == a => *n += 1,
                _ => runs.push((a, 1)),
            }
        }
        runs
    }

    /// An input's values as the bytes of its beats (value i of a beat in bits
    /// [width·i +: width], each beat in `in_bytes` bytes, little-endian).
    pub fn beats(&self, input: &[i64]) -> Vec<u8> {
        let width = self.input.width as usize;
        let mut out = Vec::with_capacity(input.len().div_ceil(self.beat) * self.in_bytes);
        for beat in input.chunks(self.beat) {
            let mut bytes = crate::hw::top::beat_bytes(beat, width);
            bytes.resize(self.in_bytes, 0);
            out.extend(bytes);
        }
        out
    }

    /// An OUTPUT frame's payload as its decision and raw activations.
    pub fn output(&self, payload: &[u8]) -> super::driver::BoardOutput {
        let bit = |k: usize| (payload[k / 8] >> (k % 8)) & 1 == 1;
        let field = |from: usize, width: usize| -> u64 {
            (0..width).fold(0, |acc, b| acc | (u64::from(bit(from + b)) << b))
        };
        let decision = field(0, self.label_w) as usize;
        let w = self.activations.width as usize;
        let values = (0..self.outputs)
            .map(|r| {
                let raw = field(8 * self.decision_bytes + w * r, w) as i64;
                if self.activations.signed && raw >> (w - 1) & 1 == 1 {
                    raw - (1i64 << w)
                } else {
                    raw
                }
            })
            .collect();
        super::driver::BoardOutput { decision, values }
    }
}
