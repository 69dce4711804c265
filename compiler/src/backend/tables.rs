//! The contents of every memory and table of the design, as `$readmemh` files: initial
//! weights and biases, row addresses, crossbar selects, lane tables, placements, finalise
//! orders, activation tables and the loader's map.

use crate::datapath::layout::{bits, busy_slots, JunctionLayout, Layout, RightSide};
use crate::network::Network;
use crate::schedule::{JunctionSchedule, Verified};
use snn_runtime::activation::{sigmoid_luts, Activation};
use snn_runtime::program::Parameters;

/// A memory word built field by field from its least significant bits.
#[derive(Default)]
struct Word {
    bits: Vec<bool>,
}

impl Word {
    /// Appends the low `width` bits of `value` (two's complement for negatives).
    fn push(&mut self, value: i64, width: usize) {
        for i in 0..width {
            self.bits.push(i < 64 && (value >> i) & 1 == 1);
        }
    }

    fn hex(&self) -> String {
        let digits = self.bits.len().div_ceil(4).max(1);
        (0..digits)
            .rev()
            .map(|d| {
                let nibble = (0..4).fold(0u8, |acc, b| {
                    acc | (u8::from(*self.bits.get(4 * d + b).unwrap_or(&false)) << b)
                });
                char::from_digit(nibble as u32, 16).expect("a nibble")
            })
            .collect()
    }
}

/// A `$readmemh` file: one word per line.
fn lines(words: impl IntoIterator<Item = Word>) -> String {
    let mut out = String::new();
    for w in words {
        out.push_str(&w.hex());
        out.push('\n');
    }
    out
}

/// The bit columns of a table that synthesis keeps: `varying` ones (not constant over the
/// table's `depth` words, those past the file's end being zero) take memory; `logic` ones
/// (varying, and not an address bit or its complement either) take LUTs in a ROM built from
/// logic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Columns {
    /// Every column, as the Verilog declares the word.
    pub width: usize,
    pub varying: usize,
    pub logic: usize,
}

/// The columns of the `$readmemh` table `text` of `width`-bit words.
pub fn columns(text: &str, width: usize, depth: usize) -> Columns {
    let words: Vec<Vec<bool>> = text
        .lines()
        .take(depth)
        .map(|line| {
            let digits: Vec<u32> = line
                .trim()
                .chars()
                .rev()
                .filter_map(|c| c.to_digit(16))
                .collect();
            (0..width)
                .map(|b| digits.get(b / 4).is_some_and(|d| (d >> (b % 4)) & 1 == 1))
                .collect()
        })
        .collect();
    let bit = |r: usize, c: usize| words.get(r).is_some_and(|w| w[c]);
    let address_bits = bits(depth);
    let mut out = Columns {
        width,
        ..Columns::default()
    };
    for c in 0..width {
        let first = bit(0, c);
        if (1..depth).all(|r| bit(r, c) == first) {
            continue;
        }
        out.varying += 1;
        let follows_address = (0..address_bits).any(|a| {
            let same = (0..depth).all(|r| bit(r, c) == ((r >> a) & 1 == 1));
            let inverse = (0..depth).all(|r| bit(r, c) != ((r >> a) & 1 == 1));
            same || inverse
        });
        if !follows_address {
            out.logic += 1;
        }
    }
    out
}

/// The row of left neuron `n`.
fn row(js: &JunctionSchedule, n: u32) -> i64 {
    js.row(n) as i64
}

/// Weights: one word per slot, lane 0 in the low bits.
pub fn weights(js: &JunctionSchedule, weights: &[i64], width: usize) -> String {
    let mut by_slot = vec![0i64; js.slots.len()];
    for (k, (clock, lane, _)) in busy_slots(js).enumerate() {
        by_slot[clock * js.z + lane] = weights[k];
    }
    lines(by_slot.chunks(js.z).map(|slot| {
        let mut w = Word::default();
        for &v in slot {
            w.push(v, width);
        }
        w
    }))
}

/// Biases: one word per step, tree or group 0 in the low bits.
pub fn biases(jl: &JunctionLayout, right: usize, biases: &[i64], width: usize) -> String {
    let steps = jl.right_side.steps(right);
    let groups = jl.right_side.groups();
    lines((0..steps).map(|m| {
        let mut w = Word::default();
        for g in 0..groups {
            w.push(neuron_at(jl, g, m).map_or(0, |r| biases[r as usize]), width);
        }
        w
    }))
}

/// The neuron tree or group `g` handles at step `m`.
pub fn neuron_at(jl: &JunctionLayout, g: usize, m: usize) -> Option<u32> {
    match &jl.right_side {
        RightSide::Tree { groups, .. } => Some((m * groups + g) as u32),
        RightSide::Accumulate { order, .. } => order[g][m],
    }
}

/// Seed vectors of a type 2/3 (or dense) pattern, recovered from its rows: one word per sweep.
pub fn seeds(js: &JunctionSchedule, rows: usize, row_w: usize) -> String {
    let sweeps = js.cycles / rows;
    lines((0..sweeps).map(|s| {
        let mut w = Word::default();
        // The first clock of sweep s holds each bank's start row.
        let clock = s * rows;
        let mut start = vec![0i64; js.z];
        for lane in 0..js.z {
            if let Some(e) = js.slot(clock, lane) {
                start[js.bank(e.left)] = row(js, e.left);
            }
        }
        for v in start {
            w.push(v, row_w);
        }
        w
    }))
}

/// Whether the rows of `js` follow (seed + k) mod D per sweep.
pub fn follows_seeds(js: &JunctionSchedule, rows: usize) -> bool {
    if !js.cycles.is_multiple_of(rows) {
        return false;
    }
    (0..js.cycles).all(|clock| {
        let start = (clock / rows) * rows;
        (0..js.z).all(|lane| match (js.slot(clock, lane), js.slot(start, lane)) {
            (Some(e), Some(s)) => {
                js.bank(e.left) == js.bank(s.left)
                    && row(js, e.left) as usize == (row(js, s.left) as usize + clock - start) % rows
            }
            _ => false,
        })
    })
}

/// Rows: one word per slot, bank 0 in the low bits (unused banks read row 0).
pub fn rows(js: &JunctionSchedule, row_w: usize) -> String {
    lines((0..js.cycles).map(|clock| {
        let mut per_bank = vec![0i64; js.z];
        for lane in 0..js.z {
            if let Some(e) = js.slot(clock, lane) {
                per_bank[js.bank(e.left)] = row(js, e.left);
            }
        }
        let mut w = Word::default();
        for v in per_bank {
            w.push(v, row_w);
        }
        w
    }))
}

/// The bank each lane reads in each slot.
pub fn lane_bank(js: &JunctionSchedule, bank_w: usize) -> String {
    lines((0..js.cycles).map(|clock| {
        let mut w = Word::default();
        for lane in 0..js.z {
            let bank = js.slot(clock, lane).map_or(lane, |e| js.bank(e.left));
            w.push(bank as i64, bank_w);
        }
        w
    }))
}

/// Per bank: {served, the lane it serves}, in each slot.
pub fn bank_lane(js: &JunctionSchedule, bank_w: usize) -> String {
    lines((0..js.cycles).map(|clock| {
        let mut served = vec![None; js.z];
        for lane in 0..js.z {
            if let Some(e) = js.slot(clock, lane) {
                served[js.bank(e.left)] = Some(lane);
            }
        }
        let mut w = Word::default();
        for s in served {
            w.push(s.unwrap_or(0) as i64, bank_w);
            w.push(i64::from(s.is_some()), 1);
        }
        w
    }))
}

/// Accumulate lanes: {busy per lane (high bits), step of the lane's neuron per lane}.
pub fn lanes(js: &JunctionSchedule, jl: &JunctionLayout, m_w: usize) -> String {
    let RightSide::Accumulate { order, group, .. } = &jl.right_side else {
        unreachable!("lane tables are for accumulate junctions")
    };
    let mut step_of = vec![0usize; js.right_size];
    for column in order {
        for (m, r) in column.iter().enumerate() {
            if let Some(r) = r {
                step_of[*r as usize] = m;
            }
        }
    }
    let _ = group;
    lines((0..js.cycles).map(|clock| {
        let mut w = Word::default();
        let slots: Vec<_> = (0..js.z).map(|lane| js.slot(clock, lane)).collect();
        for e in &slots {
            w.push(e.map_or(0, |e| step_of[e.right as usize]) as i64, m_w);
        }
        for e in &slots {
            w.push(i64::from(e.is_some()), 1);
        }
        w
    }))
}

/// Where the right layer's neurons live in the next junction's banks: per step, {banks, rows}.
pub fn placement(
    jl: &JunctionLayout,
    right: usize,
    next: &JunctionSchedule,
    bank_w: usize,
    row_w: usize,
) -> String {
    let steps = jl.right_side.steps(right);
    let groups = jl.right_side.groups();
    lines((0..steps).map(|m| {
        let mut w = Word::default();
        let neurons: Vec<Option<u32>> = (0..groups).map(|g| neuron_at(jl, g, m)).collect();
        for r in &neurons {
            w.push(r.map_or(0, |r| next.row(r) as i64), row_w);
        }
        for r in &neurons {
            w.push(r.map_or(0, |r| next.bank(r) as i64), bank_w);
        }
        w
    }))
}

/// Finalise steps: {valid per group, neuron per group[, bank per group, row per group]}.
pub fn finalize(
    jl: &JunctionLayout,
    neuron_w: usize,
    next: Option<(&JunctionSchedule, usize, usize)>,
) -> String {
    let RightSide::Accumulate { order, .. } = &jl.right_side else {
        unreachable!("finalise tables are for accumulate junctions")
    };
    lines((0..order[0].len()).map(|m| {
        let mut w = Word::default();
        let neurons: Vec<Option<u32>> = order.iter().map(|g| g[m]).collect();
        if let Some((next, bank_w, row_w)) = next {
            for r in &neurons {
                w.push(r.map_or(0, |r| next.row(r) as i64), row_w);
            }
            for r in &neurons {
                w.push(r.map_or(0, |r| next.bank(r) as i64), bank_w);
            }
        }
        for r in &neurons {
            w.push(r.unwrap_or(0) as i64, neuron_w);
        }
        for r in &neurons {
            w.push(i64::from(r.is_some()), 1);
        }
        w
    }))
}

/// The activation table: {value, derivative} per entry.
pub fn activation(activation: Activation, format: snn_runtime::fixed::Format) -> Option<String> {
    let Activation::Sigmoid(table) = activation else {
        return None;
    };
    let luts = sigmoid_luts(table, format);
    let width = format.width as usize;
    Some(lines(luts.value.iter().zip(&luts.derivative).map(
        |(v, d)| {
            let mut w = Word::default();
            w.push(*d, width);
            w.push(*v, width);
            w
        },
    )))
}

/// The loader's map: per beat, {bank, row} of each of its values (value 0 in the low bits).
pub fn loader(first: &JunctionSchedule, beat: usize, bank_w: usize, row_w: usize) -> String {
    lines((0..first.left_size / beat).map(|b| {
        let mut w = Word::default();
        for p in 0..beat {
            let n = (b * beat + p) as u32;
            w.push(first.row(n) as i64, row_w);
            w.push(first.bank(n) as i64, bank_w);
        }
        w
    }))
}

/// Which write ports of a layer memory each bank must listen to: port `p` writes neurons
/// `neurons(p)`, and the reader keeps neuron `n` in bank `bank(n)`. Returns the most ports any
/// bank listens to and the table as one hex number: entry `k` of bank `b` in bits
/// `[port_w·(K·b + k) +: port_w]`, unused entries holding `ports` (no port).
pub fn routes(
    ports: usize,
    banks: usize,
    port_w: usize,
    neurons: impl Fn(usize) -> Vec<u32>,
    bank: impl Fn(u32) -> usize,
) -> (usize, String) {
    let mut listens: Vec<Vec<usize>> = vec![Vec::new(); banks];
    for p in 0..ports {
        for n in neurons(p) {
            listens[bank(n)].push(p);
        }
    }
    for l in &mut listens {
        l.sort_unstable();
        l.dedup();
    }
    let k = listens.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut word = Word::default();
    for l in &listens {
        for i in 0..k {
            word.push(l.get(i).copied().unwrap_or(ports) as i64, port_w);
        }
    }
    (k, word.hex())
}

/// Every weight and bias as the 32-bit word the memory-mapped bus carries (sign-extended),
/// in the order of [`mm_addresses`].
pub fn mm_words(params: &Parameters) -> Vec<u32> {
    params
        .weights
        .iter()
        .zip(&params.biases)
        .flat_map(|(w, b)| w.iter().chain(b))
        .map(|&v| v as i32 as u32)
        .collect()
}

/// The memory-mapped address of every weight (in program order) and bias, junction by junction.
pub fn mm_addresses(schedule: &Verified, layout: &Layout, mm_local_w: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for (j, (js, jl)) in schedule
        .junctions()
        .iter()
        .zip(&layout.junctions)
        .enumerate()
    {
        let base = (j as u64) << mm_local_w;
        let slot_w = bits(js.cycles);
        for (clock, lane, _) in busy_slots(js) {
            out.push(base | ((lane as u64) << slot_w) | clock as u64);
        }
        let mm_w = mm_width(js, jl);
        let step_w = bits(jl.right_side.steps(js.right_size));
        for r in 0..js.right_size as u32 {
            let (g, m) = group_step(jl, r);
            out.push(base | (1 << (mm_w - 1)) | ((g as u64) << step_w) | m as u64);
        }
    }
    out
}

/// The tree or group of neuron `r`, and its step.
pub fn group_step(jl: &JunctionLayout, r: u32) -> (usize, usize) {
    match &jl.right_side {
        RightSide::Tree { groups, .. } => (r as usize % groups, r as usize / groups),
        RightSide::Accumulate { order, .. } => order
            .iter()
            .enumerate()
            .find_map(|(g, column)| column.iter().position(|x| *x == Some(r)).map(|m| (g, m)))
            .expect("every neuron has a finalise step"),
    }
}

/// Address bits of a junction's memory-mapped space: {bias?, lane or group, slot or step}.
pub fn mm_width(js: &JunctionSchedule, jl: &JunctionLayout) -> usize {
    let weights = bits(js.z) + bits(js.cycles);
    let biases = bits(jl.right_side.groups()) + bits(jl.right_side.steps(js.right_size));
    1 + weights.max(biases)
}

/// Initial parameters by junction, in each junction's schedule order.
pub fn parameter_files(
    network: &Network,
    schedule: &Verified,
    layout: &Layout,
    params: &Parameters,
) -> Vec<(String, String)> {
    let width = network.formats.weights.width as usize;
    schedule
        .junctions()
        .iter()
        .zip(&layout.junctions)
        .enumerate()
        .flat_map(|(j, (js, jl))| {
            [
                (
                    format!("{}_weights.mem", js.name),
                    weights(js, &params.weights[j], width),
                ),
                (
                    format!("{}_biases.mem", js.name),
                    biases(jl, js.right_size, &params.biases[j], width),
                ),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_what_synthesis_keeps() {
        // Four 4-bit words: bit 0 constant, bit 1 = address bit 0, bit 2 = its complement,
        // bit 3 is their AND.
        let text = "4\n2\n4\na\n";
        assert_eq!(
            columns(text, 4, 4),
            Columns {
                width: 4,
                varying: 3,
                logic: 1
            }
        );
        // Past the file's end the words are zero: a column of ones there varies.
        assert_eq!(columns("1\n", 1, 2).varying, 1);
    }

    #[test]
    fn words_pack_fields_from_the_low_bits() {
        let mut w = Word::default();
        w.push(-1, 4); // f
        w.push(2, 4); // 2
        w.push(1, 1);
        assert_eq!(w.hex(), "12f");
    }
}
