//! The top level's own hardware: the sequencer, the input loader and its placement table,
//! the label ring, the output buffer's counters and the memory-mapped decoder.

use super::junction::Junction;
use super::parts::{self, Part};
use super::pointers::counter_init;
use super::verilog::{Constant, Params, Ports};
use crate::backend::tables::{self, Columns};
use crate::datapath::layout::bits;
use crate::Compiled;
use serde::Serialize;

/// Levels of a junction's memory-mapped read select (`snn_mux_tree`, sixteen words to one a
/// clock) over its `words` (its lanes' weights, then its groups' biases).
pub fn mm_select_levels(words: usize) -> usize {
    let mut levels = 1;
    while 16usize.pow(levels as u32) < words {
        levels += 1;
    }
    levels
}

/// Clocks from the address of a memory-mapped read (`mm_addr`) to its data (`mm_rdata`):
/// the access registered at the top level, the junctions' parameter memories and a register
/// after them, their selects (every junction's as deep as the deepest, `levels`), then the
/// top level's junction select.
pub fn mm_read_latency(levels: usize) -> usize {
    levels + 4
}

/// One beat of the input stream as bytes, little-endian: value i of `values` (raw, `width`
/// bits each) in bits [width·i +: width] of `in_data`.
pub fn beat_bytes(values: &[i64], width: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; (values.len() * width).div_ceil(8)];
    for (i, &v) in values.iter().enumerate() {
        for b in (0..width).filter(|&b| (v >> b) & 1 == 1) {
            let bit = width * i + b;
            bytes[bit / 8] |= 1 << (bit % 8);
        }
    }
    bytes
}

/// The top level.
#[derive(Clone, Debug, Serialize)]
pub struct Top {
    /// `layer[size] -> …`, for the header.
    pub layers_summary: String,
    pub latency: usize,
    pub clock_mhz: f64,
    /// Input values per beat, of `input_w` bits; `beats` beats per input.
    pub beat: usize,
    pub beats: usize,
    pub beat_w: usize,
    pub input_w: usize,
    pub outputs: usize,
    pub act_w: usize,
    pub label_w: usize,
    /// Cycles of history: an input is done `history + 1` cycles after it entered.
    pub history: usize,
    /// Cycles-ago taps of the history the junctions read.
    pub entered_taps: Vec<usize>,
    /// The oldest tap is read (else it is only shifted out).
    pub history_read: bool,
    pub in_copies: usize,
    pub in_copy_w: usize,
    pub label_copies: usize,
    pub label_ptr_w: usize,
    /// The label ring's pointers at reset (training).
    pub label_in0: Option<Constant>,
    pub label_out0: Option<Constant>,
    pub label_last: Option<Constant>,
    pub period: usize,
    pub slot_w: usize,
    pub slot_last: Constant,
    pub beat_last: Constant,
    pub in_copy_last: Constant,
    pub out_copy_last: Constant,
    /// Output copies, as the counters compare them.
    pub out_room: Constant,
    pub out_copies: usize,
    pub out_copy_w: usize,
    pub out_count_w: usize,
    /// The first layer's bank and row bits (the loader's table holds them per value).
    pub layer0_bank_w: usize,
    pub layer0_row_w: usize,
    /// Address bits of a junction's memory-mapped space, and of the junction number.
    pub mm_local_w: usize,
    pub mm_junction_w: usize,
    pub mm_read_latency: usize,
    pub loader_file: &'static str,
    pub loader_style: &'static str,
    /// The testbench stops a run that makes no progress for this many clocks.
    pub timeout_clocks: u64,
    /// The module's `localparam`s and ports.
    pub params: Params,
    pub ports: Ports,
    #[serde(skip)]
    pub loader_image: String,
    #[serde(skip)]
    pub parts: Vec<Part>,
}

/// The top level of `compiled` over its junctions, streaming `beat` values per beat.
pub fn top(compiled: &Compiled, junctions: &[Junction], beat: usize) -> Top {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let timing = compiled.datapath().timing();
    let first = schedule.junctions().first().expect("a junction");
    let (bank_w, row_w) = (bits(first.z), bits(first.left_size.div_ceil(first.z)));
    let beats = first.left_size / beat;
    let loader_image = tables::loader(first, beat, bank_w, row_w);
    let loader: Columns = tables::columns(&loader_image, beat * (bank_w + row_w), beats);
    let parts = parts::top(loader, beats);
    let loader_style = parts::memories(&parts)
        .map(|(_, memory)| memory.style())
        .next()
        .expect("the loader");
    let last = junctions.last().expect("a junction");
    let mut entered_taps: Vec<usize> = junctions
        .iter()
        .flat_map(|j| {
            let mut taps = vec![j.forward_lag];
            if j.training {
                taps.push(j.backward_lag);
            }
            if j.transfer {
                taps.push(j.transfer_lag);
            }
            taps
        })
        .collect();
    entered_taps.sort_unstable();
    entered_taps.dedup();
    let history = timing.history();
    let in_copies = timing.copies(network.layers[0]).activations;
    let label_copies = timing.label_copies();
    let out_copies = timing.junctions().last().expect("a junction").output_copies;
    let training = timing.training();
    let mut top = Top {
        layers_summary: network
            .layers
            .iter()
            .map(|&l| format!("{}[{}]", network.layer(l).name, network.layer(l).size))
            .collect::<Vec<_>>()
            .join(" -> "),
        latency: timing.latency(),
        clock_mhz: network.target.clock_mhz,
        beat,
        beats,
        beat_w: bits(beats),
        input_w: network.formats.input.width as usize,
        outputs: network.output().size,
        act_w: network.formats.activations.width as usize,
        label_w: bits(network.output().size),
        // An input that entered `drain_cycles` cycles ago is done; the junctions' lags
        // must be in the history too.
        history_read: entered_taps.contains(&history),
        history,
        entered_taps,
        in_copies,
        in_copy_w: bits(in_copies),
        label_copies,
        label_ptr_w: bits(label_copies),
        label_in0: training
            .then(|| Constant::new(bits(label_copies), counter_init(0, label_copies))),
        label_out0: training.then(|| {
            Constant::new(
                bits(label_copies),
                counter_init(last.forward_lag, label_copies),
            )
        }),
        label_last: training.then(|| Constant::new(bits(label_copies), label_copies - 1)),
        period: timing.period(),
        slot_w: bits(timing.period()),
        slot_last: Constant::new(bits(timing.period()), timing.period() - 1),
        beat_last: Constant::new(bits(beats), beats - 1),
        in_copy_last: Constant::new(bits(in_copies), in_copies - 1),
        out_copy_last: Constant::new(bits(out_copies), out_copies - 1),
        out_room: Constant::new(bits(out_copies + 2), out_copies),
        out_copies,
        out_copy_w: bits(out_copies),
        out_count_w: bits(out_copies + 2),
        layer0_bank_w: bank_w,
        layer0_row_w: row_w,
        mm_local_w: junctions.iter().map(|j| j.mm_w).max().unwrap_or(1),
        mm_junction_w: bits(junctions.len()),
        // `hw::model` made every junction's select as deep as the deepest's.
        mm_read_latency: mm_read_latency(junctions.first().map_or(1, |j| j.mm_select_levels)),
        loader_file: "mem/loader.mem",
        loader_style,
        timeout_clocks: 8 * timing.period() as u64 * timing.drain_cycles() as u64 + 10_000,
        params: Params::default(),
        ports: Ports::default(),
        loader_image,
        parts,
    };
    top.params = params(&top, junctions);
    top.ports = ports(&top);
    top
}

/// The `localparam`s of the top level: its record's numbers, the loader's table and, per
/// junction, its slot at reset and its memory-mapped address.
fn params(t: &Top, junctions: &[Junction]) -> Params {
    let record = serde_json::to_value(t).expect("a hardware record serialises");
    let mut p = Params::of(&record);
    p.text("LOADER_FILE", t.loader_file, "the loader's table");
    p.text(
        "LOADER_STYLE",
        t.loader_style,
        "storage of the loader's table",
    );
    for (index, j) in junctions.iter().enumerate() {
        let name = j.name.to_uppercase();
        p.sized(
            format!("{name}_SLOT0"),
            t.slot_w,
            j.slot0,
            "the junction's slot at reset",
        );
        p.sized(
            format!("{name}_MM"),
            t.mm_junction_w,
            index,
            "the junction's address",
        );
        p.size(
            format!("{name}_MM_W"),
            j.mm_w,
            "the junction's address bits",
        );
    }
    p
}

/// The ports of the top level.
fn ports(t: &Top) -> Ports {
    let mut p = Ports::default();
    p.input("clk", "");
    p.input("rst", "");
    p.input("mode", "");
    p.input("in_valid", "");
    p.output("in_ready", "");
    p.input_bits("in_data", t.beat * t.input_w, "");
    p.input_bits("in_label", t.label_w, "");
    p.input("in_last", "");
    p.output("out_valid", "");
    p.input("out_ready", "");
    p.output_bits("out_decision", t.label_w, "");
    p.output_bits("out_values", t.outputs * t.act_w, "");
    p.input("mm_we", "");
    p.input_bits("mm_addr", 32, "");
    p.input_bits("mm_wdata", 32, "");
    p.output_reg("mm_rdata", 32, "");
    p.output("status_busy", "");
    p.output_reg_bit("status_done", "");
    p.output_reg("status_cycles", 32, "");
    p.output_reg("status_inputs", 32, "");
    p
}

#[cfg(test)]
mod tests {
    use super::beat_bytes;

    #[test]
    fn a_beat_packs_its_values_from_bit_zero_up() {
        assert_eq!(beat_bytes(&[1, -1], 4), [0xf1]);
        assert_eq!(beat_bytes(&[0x1ff, 0], 9), [0xff, 0x01, 0x00]);
        assert_eq!(beat_bytes(&[-2], 16), [0xfe, 0xff]);
    }
}
