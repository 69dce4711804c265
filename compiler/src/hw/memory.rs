//! A layer's banked memories: the activations (and δ sums, when training) of the left layer
//! of a junction, as that junction reads them and its producer writes them.

use super::parts::{self, Part};
use super::verilog::{Direction::Input, Params, Ports};
use crate::backend::tables;
use crate::datapath::layout::bits;
use crate::network::LayerId;
use crate::Compiled;
use serde::Serialize;

/// The memory of one layer.
#[derive(Clone, Debug, Serialize)]
pub struct LayerMemory {
    /// The module's instance name, `mem_<layer>`.
    pub name: String,
    /// The line that declares the layer.
    pub line: usize,
    pub layer: String,
    pub neurons: usize,
    /// The junction that reads it.
    pub reader: String,
    /// Who writes it, in words (`the input loader`, or junction `x`).
    pub writer: String,
    /// The junction that computes the layer (empty for the input layer).
    pub layer_junction: String,
    pub banks: usize,
    pub rows: usize,
    pub row_w: usize,
    pub bank_w: usize,
    pub copies: usize,
    pub copy_w: usize,
    /// More than one copy: an address is {copy, row}.
    pub copied: bool,
    /// Bits of a value.
    #[serde(rename = "value_w")]
    pub width: usize,
    pub write_ports: usize,
    /// It holds δ sums (a hidden layer of a training network).
    pub deltas: bool,
    pub delta_w: usize,
    pub delta_ports: usize,
    pub delta_copies: usize,
    pub delta_copy_w: usize,
    /// More than one copy of the δ sums: a take selects one.
    pub delta_copied: bool,
    /// Rows per copy, a power of two (the copy is the high address bits).
    pub rows_pad: usize,
    /// Address bits of the activations: the row, and the copy above it when there are copies.
    pub addr_w: usize,
    /// Bits of a write port's number (one more value: no port).
    pub port_w: usize,
    /// The write ports each bank listens to, at most `writers_per_bank` (see `tables::routes`).
    pub writers_per_bank: usize,
    /// The routing table, hexadecimal.
    pub writers: String,
    /// The activations' storage (`block` or `distributed`).
    pub style: &'static str,
    /// The module's `localparam`s and ports.
    pub params: Params,
    pub ports: Ports,
    #[serde(skip)]
    pub parts: Vec<Part>,
}

/// The memory of layer `layer_id`, the left layer of the junction that reads it.
pub fn memory(compiled: &Compiled, layer_id: LayerId, beat: usize) -> LayerMemory {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let layout = compiled.datapath().layout();
    let timing = compiled.datapath().timing();
    let reader = network
        .reader(layer_id)
        .expect("a layer memory feeds a junction");
    let js = schedule.junction(reader);
    let layer = network.layer(layer_id);
    let rows = js.left_size.div_ceil(js.z);
    let copies = timing.copies(layer_id);
    let producer = network.producer(layer_id);
    let (writer, write_ports, layer_junction, delta_ports) = match producer {
        None => ("the input loader".to_string(), beat, String::new(), 1),
        Some(producer) => {
            let groups = layout.junction(producer).right_side.groups();
            let name = &schedule.junction(producer).name;
            (format!("junction `{name}`"), groups, name.clone(), groups)
        }
    };
    // The neurons each write port can carry: the loader's beats, or the groups of the
    // junction that computes this layer.
    let neurons = |p: usize| -> Vec<u32> {
        match producer {
            None => (p..js.left_size).step_by(beat).map(|n| n as u32).collect(),
            Some(producer) => {
                let jl = layout.junction(producer);
                let right = schedule.junction(producer).right_size;
                (0..jl.right_side.steps(right))
                    .filter_map(|m| tables::neuron_at(jl, p, m))
                    .collect()
            }
        }
    };
    let port_w = bits(write_ports + 1);
    let (writers_per_bank, writers) =
        tables::routes(write_ports, js.z, port_w, neurons, |n| js.bank(n));
    let copy_w = bits(copies.activations);
    let mut m = LayerMemory {
        name: format!("mem_{}", layer.name),
        line: layer.origin.line,
        layer: layer.name.clone(),
        neurons: layer.size,
        reader: js.name.clone(),
        writer,
        layer_junction,
        banks: js.z,
        rows,
        row_w: bits(rows),
        bank_w: bits(js.z),
        copies: copies.activations,
        copy_w,
        copied: copies.activations > 1,
        width: match producer {
            None => network.formats.input.width,
            Some(_) => network.formats.activations.width,
        } as usize,
        write_ports,
        deltas: timing.training() && producer.is_some(),
        delta_w: layout.junction(reader).left_sum_w,
        delta_ports,
        delta_copies: copies.delta_sums.max(1),
        delta_copy_w: bits(copies.delta_sums.max(1)),
        delta_copied: copies.delta_sums > 1,
        rows_pad: 1 << bits(rows),
        addr_w: bits(rows) + if copies.activations > 1 { copy_w } else { 0 },
        port_w,
        writers_per_bank,
        writers,
        style: "",
        params: Params::default(),
        ports: Ports::default(),
        parts: Vec::new(),
    };
    m.parts = parts::memory(&m, timing.training());
    m.style = parts::memories(&m.parts)
        .map(|(_, memory)| memory.style())
        .next()
        .expect("the activations");
    m.params = params(&m);
    m.ports = ports(&m, timing.training());
    m
}

/// The `localparam`s of the memory's module: its record's numbers, the routing table and
/// the activations' storage.
fn params(m: &LayerMemory) -> Params {
    let record = serde_json::to_value(m).expect("a hardware record serialises");
    let mut p = Params::of(&record);
    let bits = m.banks * m.writers_per_bank * m.port_w;
    p.literal(
        "WRITERS",
        format!("{bits}'h{}", m.writers),
        "per bank, the WRITERS_PER_BANK ports it listens to",
    );
    p.text("ACTIVATIONS_STYLE", m.style, "storage of the activations");
    p
}

/// The ports of the memory's module.
fn ports(m: &LayerMemory, training: bool) -> Ports {
    let mut p = Ports::default();
    p.control("clk", "");
    p.control("en", "the readers and the δ sums move");
    p.control("wr_en", "the writer moves");
    p.section(format!(
        "Writes from {}: one (bank, row, value) per port, all into copy wr_copy.",
        m.writer
    ))
    .address("wr", Input, m.write_ports, Some(m.bank_w), m.row_w);
    p.input_bits("wr_value", m.write_ports * m.width, "");
    p.input_bits("wr_copy", m.copy_w, "");
    p.section(if training {
        "Reads of the forward pass and the update: a row per bank, a copy each."
    } else {
        "Reads of the forward pass: a row per bank."
    })
    .input_bits("rd_row", m.banks * m.row_w, "");
    p.input_bits("ff_copy", m.copy_w, "");
    p.output_bits("ff_value", m.banks * m.width, "");
    if training {
        p.input_bits("up_copy", m.copy_w, "");
        p.output_bits("up_value", m.banks * m.width, "");
    }
    if m.deltas {
        p.section(
            "δ read-modify-write of the backward pass: per bank, add `sum_add` to row `sum_row`.",
        )
        .address("sum", Input, m.banks, None, m.row_w);
        p.input_bits("sum_add", m.banks * m.delta_w, "");
        p.input_bits("sum_copy", m.delta_copy_w, "");
        p.section(format!(
            "Reads (that clear what they read) by `{}`, through the same routes as the writes.",
            m.layer_junction
        ))
        .address("take", Input, m.delta_ports, Some(m.bank_w), m.row_w);
        p.input_bits("take_copy", m.delta_copy_w, "");
        p.output_bits(
            "take_value",
            m.delta_ports * m.delta_w,
            "the sums, the clock after",
        );
    }
    p
}
