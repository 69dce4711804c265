//! The AXI4-Lite register map of the core: control and status registers, the design's
//! constants, and the window onto every weight and bias, junction by junction. The AXI
//! top's decoder, `regs.md`, `regs.json` and `regs.h` are all rendered from this one map.

use super::junction::Junction;
use super::top::Top;
use crate::datapath::layout::bits;
use serde::Serialize;

/// How software may use a register field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Access {
    /// Read only.
    #[serde(rename = "RO")]
    ReadOnly,
    /// Read and write.
    #[serde(rename = "RW")]
    ReadWrite,
    /// Read; writing 1 clears it.
    #[serde(rename = "W1C")]
    WriteOneToClear,
}

/// Bits of a register with one meaning.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub lsb: usize,
    pub width: usize,
    pub access: Access,
    pub doc: &'static str,
}

/// One 32-bit register.
#[derive(Clone, Debug, Serialize)]
pub struct Register {
    pub name: &'static str,
    /// Byte offset from the core's base address.
    pub offset: u64,
    /// The value of a register that holds a constant of the design.
    pub value: Option<u64>,
    pub fields: Vec<Field>,
    pub doc: String,
}

/// A range of words: a junction's weights or biases.
#[derive(Clone, Debug, Serialize)]
pub struct Window {
    pub name: String,
    /// Byte offset of the window's first word from the core's base address.
    pub offset: u64,
    /// The window's size in bytes (a power of two; not every word in it is used).
    pub bytes: u64,
    /// How a word's index within the window is formed: `(outer << inner_bits) | inner`.
    pub outer: &'static str,
    pub outer_count: usize,
    pub inner: &'static str,
    pub inner_count: usize,
    pub inner_bits: usize,
    pub doc: String,
}

/// The register map of one design.
#[derive(Clone, Debug, Serialize)]
pub struct RegisterMap {
    /// Bits of the AXI4-Lite byte address.
    pub addr_w: usize,
    /// Byte offset of the parameter space (every junction's weights and biases).
    pub parameters_offset: u64,
    /// Word address bits of the parameter space: {junction, bias?, lane or group, slot or step}.
    pub parameter_w: usize,
    pub registers: Vec<Register>,
    pub windows: Vec<Window>,
}

/// `"SNNC"` in ASCII: the value of the `ID` register.
pub const ID: u64 = 0x534E_4E43;

/// The register map of a design with top level `top` over `junctions`, whose stream needs
/// `clocks_per_input` clocks per input.
pub fn map(top: &Top, junctions: &[Junction], clocks_per_input: usize) -> RegisterMap {
    let parameter_w = top.mm_local_w + top.mm_junction_w;
    // The parameter space is aligned on its size, above the registers' first 256 bytes.
    let parameters_offset = (4u64 << parameter_w).max(0x100);
    let addr_w = bits(parameters_offset as usize) + 1;
    let constant = |name, offset, value: usize, doc: &str| Register {
        name,
        offset,
        value: Some(value as u64),
        fields: vec![whole(name, Access::ReadOnly, "")],
        doc: doc.to_string(),
    };
    let registers = vec![
        constant(
            "ID",
            0x00,
            ID as usize,
            "`SNNC` in ASCII: the core is an snnc design",
        ),
        Register {
            name: "CONTROL",
            offset: 0x04,
            value: None,
            fields: vec![Field {
                name: "TRAIN",
                lsb: 0,
                width: 1,
                access: Access::ReadWrite,
                doc: "1: the next run trains (forward, backward, update); 0: it infers",
            }],
            doc: "What the next run does; read when its first beat arrives.".into(),
        },
        Register {
            name: "STATUS",
            offset: 0x08,
            value: None,
            fields: vec![
                Field {
                    name: "BUSY",
                    lsb: 0,
                    width: 1,
                    access: Access::ReadOnly,
                    doc: "a run is in progress (the parameter window is closed)",
                },
                Field {
                    name: "DONE",
                    lsb: 1,
                    width: 1,
                    access: Access::ReadOnly,
                    doc: "a run has finished, until the next one starts",
                },
                Field {
                    name: "IGNORED",
                    lsb: 2,
                    width: 1,
                    access: Access::WriteOneToClear,
                    doc: "a parameter access was refused: a write during a run or of part \
                          of a word, or a read during a run",
                },
            ],
            doc: "The state of the core.".into(),
        },
        Register {
            name: "CYCLES",
            offset: 0x0C,
            value: None,
            fields: vec![whole("CYCLES", Access::ReadOnly, "")],
            doc: "Clocks of the current or last run, from its first beat to its last output."
                .into(),
        },
        Register {
            name: "OUTPUTS",
            offset: 0x10,
            value: None,
            fields: vec![whole("OUTPUTS", Access::ReadOnly, "")],
            doc: "Outputs delivered in the current or last run (inputs processed).".into(),
        },
        constant(
            "CLOCKS_PER_INPUT",
            0x14,
            clocks_per_input,
            "clocks between inputs in steady state",
        ),
        constant(
            "LATENCY",
            0x18,
            top.latency,
            "clocks from an input's cycle start to its output",
        ),
        constant("INPUT_SIZE", 0x1C, top.beat * top.beats, "values per input"),
        constant("OUTPUT_SIZE", 0x20, top.outputs, "values per output"),
    ];
    let windows = junctions
        .iter()
        .enumerate()
        .flat_map(|(index, j)| {
            windows(
                j,
                parameters_offset + ((index as u64) << (top.mm_local_w + 2)),
            )
        })
        .collect();
    RegisterMap {
        addr_w,
        parameters_offset,
        parameter_w,
        registers,
        windows,
    }
}

/// A field of all 32 bits.
fn whole(name: &'static str, access: Access, doc: &'static str) -> Field {
    Field {
        name,
        lsb: 0,
        width: 32,
        access,
        doc,
    }
}

/// Junction `j`'s weights and biases windows, its space starting at byte `base`.
fn windows(j: &Junction, base: u64) -> [Window; 2] {
    let half = 4u64 << (j.mm_w - 1);
    [
        Window {
            name: format!("{}_WEIGHTS", j.name.to_uppercase()),
            offset: base,
            bytes: half,
            outer: "lane",
            outer_count: j.z,
            inner: "clock",
            inner_count: j.cycles,
            inner_bits: j.slot_addr_w,
            doc: format!(
                "The weights of junction `{}`: the edge scheduled at (clock, lane) of \
                 `schedule/{}.csv`.",
                j.name, j.name
            ),
        },
        Window {
            name: format!("{}_BIASES", j.name.to_uppercase()),
            offset: base + half,
            bytes: half,
            outer: "group",
            outer_count: j.groups,
            inner: "step",
            inner_count: j.steps,
            inner_bits: j.step_w,
            doc: format!(
                "The biases of layer `{}`: neuron r at (group, step) where the junction \
                 finalises it ({}).",
                j.name,
                match j.side {
                    super::Side::Tree => "group r mod groups, step r div groups",
                    super::Side::Accumulate => {
                        "its finalise order; every bias's address is in `tb/mm_addresses.mem`"
                    }
                }
            ),
        },
    ]
}
