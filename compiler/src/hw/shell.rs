//! The AXI shell around the core: AXI4-Stream in (inputs, labels in `tuser`) and out
//! (decision and activations), and an AXI4-Lite slave over the register map — the widths,
//! the stream layouts and the register decoder's constants, for `<net>_axi.v`.

use super::junction::Junction;
use super::parts::{self, Part, Primitive};
use super::regs::{self, RegisterMap};
use super::top::Top;
use super::verilog::{Params, Ports};
use serde::Serialize;

/// How the generated core presents itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Interface {
    /// The core behind AXI4-Stream and AXI4-Lite (`<net>_axi`), with its register map.
    Axi,
    /// The core's own valid/ready streams and memory-mapped bus only (`<net>_top`).
    Native,
}

/// The AXI shell of a design.
#[derive(Clone, Debug, Serialize)]
pub struct Shell {
    /// Bits of an input beat, and of `s_axis_tdata` (rounded up to whole bytes).
    pub in_data_w: usize,
    pub in_tdata_w: usize,
    /// `s_axis_tdata` has bits above the beat (unused).
    pub in_padded: bool,
    /// Bits of the decision, and of its field in `m_axis_tdata` (whole bytes).
    pub decision_w: usize,
    pub decision_field_w: usize,
    pub decision_padded: bool,
    /// Output values, and their bits after the decision's field.
    pub outputs: usize,
    pub values_w: usize,
    pub out_tdata_w: usize,
    /// `m_axis_tdata` has bits above the values (zero).
    pub out_padded: bool,
    pub label_w: usize,
    /// Bits of an input value and of an output value; beats per input.
    pub input_w: usize,
    pub act_w: usize,
    pub beats: usize,
    pub axil_addr_w: usize,
    pub parameter_w: usize,
    /// Clocks from a read's address to its data, for the registers as for the parameters.
    pub read_latency: usize,
    pub regs: RegisterMap,
    pub params: Params,
    pub ports: Ports,
    #[serde(skip)]
    pub parts: Vec<Part>,
}

/// Whole bytes holding `bits` bits, in bits.
fn bytes(bits: usize) -> usize {
    bits.div_ceil(8) * 8
}

/// The shell of a design with top level `top` over `junctions`.
pub fn shell(top: &Top, junctions: &[Junction], clocks_per_input: usize) -> Shell {
    let regs = regs::map(top, junctions, clocks_per_input);
    let in_data_w = top.beat * top.input_w;
    let decision_field_w = bytes(top.label_w);
    let values_w = top.outputs * top.act_w;
    let out_tdata_w = bytes(decision_field_w + values_w);
    let mut shell = Shell {
        in_data_w,
        in_tdata_w: bytes(in_data_w),
        in_padded: bytes(in_data_w) > in_data_w,
        decision_w: top.label_w,
        decision_field_w,
        decision_padded: decision_field_w > top.label_w,
        outputs: top.outputs,
        values_w,
        out_tdata_w,
        out_padded: out_tdata_w > decision_field_w + values_w,
        label_w: top.label_w,
        input_w: top.input_w,
        act_w: top.act_w,
        beats: top.beats,
        axil_addr_w: regs.addr_w,
        parameter_w: regs.parameter_w,
        read_latency: top.mm_read_latency,
        parts: vec![
            parts::part(
                "axil",
                1,
                Primitive::AxiLite {
                    addr_w: regs.addr_w,
                },
            ),
            // The register value, the read's kind and the busy flag, to meet the parameters.
            parts::part(
                "read_delay",
                1,
                Primitive::Delay {
                    width: 34,
                    depth: top.mm_read_latency,
                },
            ),
        ],
        regs,
        params: Params::default(),
        ports: Ports::default(),
    };
    shell.params = params(&shell);
    shell.ports = ports(&shell);
    shell
}

/// The shell's `localparam`s: its record's numbers and every register's offset (and value,
/// for a constant).
fn params(s: &Shell) -> Params {
    let record = serde_json::to_value(s).expect("a hardware record serialises");
    let mut p = Params::of(&record);
    p.sized(
        "PARAMETERS",
        s.axil_addr_w,
        s.regs.parameters_offset as usize,
        "byte offset of the parameter space",
    );
    for r in &s.regs.registers {
        p.sized(
            format!("REG_{}", r.name),
            s.axil_addr_w,
            r.offset as usize,
            "a register's byte offset",
        );
        if let Some(value) = r.value {
            p.sized(
                format!("{}_VALUE", r.name),
                32,
                value as usize,
                "the register's value",
            );
        }
    }
    p
}

/// The shell's ports: the clock and reset, the two streams and the AXI4-Lite slave.
fn ports(s: &Shell) -> Ports {
    let mut p = Ports::default();
    p.input("aclk", "");
    p.input("aresetn", "");
    p.section("Inputs: one beat per transfer, `tlast` on the last beat of a run's last input.")
        .input_bits("s_axis_tdata", s.in_tdata_w, "");
    p.input_bits("s_axis_tuser", s.label_w, "");
    p.input("s_axis_tlast", "");
    p.input("s_axis_tvalid", "");
    p.output("s_axis_tready", "");
    p.section("Outputs: one transfer per input, in input order; each is a packet (`tlast`).")
        .output_bits("m_axis_tdata", s.out_tdata_w, "");
    p.output("m_axis_tlast", "");
    p.output("m_axis_tvalid", "");
    p.input("m_axis_tready", "");
    p.section("Control, status and parameters (see regs.md).")
        .input_bits("s_axi_awaddr", s.axil_addr_w, "");
    p.input("s_axi_awvalid", "");
    p.output("s_axi_awready", "");
    p.input_bits("s_axi_wdata", 32, "");
    p.input_bits("s_axi_wstrb", 4, "");
    p.input("s_axi_wvalid", "");
    p.output("s_axi_wready", "");
    p.output_bits("s_axi_bresp", 2, "");
    p.output("s_axi_bvalid", "");
    p.input("s_axi_bready", "");
    p.input_bits("s_axi_araddr", s.axil_addr_w, "");
    p.input("s_axi_arvalid", "");
    p.output("s_axi_arready", "");
    p.output_bits("s_axi_rdata", 32, "");
    p.output_bits("s_axi_rresp", 2, "");
    p.output("s_axi_rvalid", "");
    p.input("s_axi_rready", "");
    p.section("Status (STATUS.BUSY and STATUS.DONE), for LEDs or as an interrupt.")
        .output("busy", "");
    p.output("done", "");
    p
}
