//! The timing of each Artix-7 cell type Yosys maps to, pin by pin: which inputs reach which
//! outputs through logic (arcs), which outputs a clock launches and which inputs a clock
//! captures, with the delays of [`super::delays`], by the cell's register configuration.

use super::delays as d;
use std::collections::HashMap;

/// A pin bit of a cell: its name and the bit's index.
pub type Pin = (&'static str, usize);

/// What a cell does to timing.
#[derive(Debug, Default)]
pub struct CellTiming {
    /// Input to output through logic, in ps. An input named `INTERNAL` is a point inside the
    /// cell (a DSP48E1's multiplier), shared by all the arcs that cross it.
    pub arcs: Vec<(Pin, Pin, u32)>,
    /// Outputs a clock edge launches, with their clock-to-out delay.
    pub launches: Vec<(Pin, u32)>,
    /// Inputs a clock edge captures, with their setup time.
    pub captures: Vec<(Pin, u32)>,
    /// Register-to-register paths inside the cell (a DSP48E1's pipeline), in ps.
    pub internal: Option<(&'static str, u32)>,
    /// Inputs that connect by dedicated wiring (no routing delay).
    pub dedicated: &'static [&'static str],
}

/// A point inside a cell that several arcs share.
pub const INTERNAL: &str = "(internal)";

/// The timing of a cell of type `kind` with `parameters` (Yosys's strings of binary digits),
/// whose pins have the widths `widths`; `None` for a cell type without a timing model.
pub fn timing(
    kind: &str,
    parameters: &HashMap<String, serde_json::Value>,
    widths: &dyn Fn(&str) -> usize,
) -> Option<CellTiming> {
    let mut t = CellTiming::default();
    match kind {
        "LUT1" | "LUT2" | "LUT3" | "LUT4" | "LUT5" | "LUT6" => {
            let k = usize::from(kind.as_bytes()[3] - b'0');
            for (i, pin) in ["I0", "I1", "I2", "I3", "I4", "I5"]
                .iter()
                .take(k)
                .enumerate()
            {
                t.arcs.push(((pin, 0), ("O", 0), d::lut(k, i)));
            }
        }
        "INV" => t.arcs.push((("I", 0), ("O", 0), d::lut(1, 0))),
        "MUXF7" | "MUXF8" => {
            let delays = if kind == "MUXF7" { d::MUXF7 } else { d::MUXF8 };
            for (pin, ps) in ["I0", "I1", "S"].into_iter().zip(delays) {
                t.arcs.push(((pin, 0), ("O", 0), ps));
            }
            t.dedicated = &["I0", "I1"];
        }
        "CARRY4" => {
            for (out, table) in [("O", &d::CARRY4_O), ("CO", &d::CARRY4_CO)] {
                for k in 0..4 {
                    t.arcs.push((("CI", 0), (out, k), table.ci[k]));
                    t.arcs.push((("CYINIT", 0), (out, k), table.cyinit[k]));
                    for i in 0..4 {
                        if table.di[i][k] > 0 {
                            t.arcs.push((("DI", i), (out, k), table.di[i][k]));
                        }
                        if table.s[i][k] > 0 {
                            t.arcs.push((("S", i), (out, k), table.s[i][k]));
                        }
                    }
                }
            }
            t.dedicated = &["CI", "S"];
        }
        "FDRE" | "FDSE" | "FDCE" | "FDPE" => {
            t.launches.push((("Q", 0), d::FF_CLOCK_TO_Q));
            t.captures.push((("D", 0), d::FF_SETUP_D));
            t.captures.push((("CE", 0), d::FF_SETUP_CE));
            for reset in ["R", "S", "CLR", "PRE"] {
                if widths(reset) > 0 {
                    t.captures.push(((reset, 0), d::FF_SETUP_RESET));
                }
            }
        }
        "SRL16E" | "SRLC32E" => {
            t.launches.push((("Q", 0), d::SRL_CLOCK_TO_Q));
            if widths("Q31") > 0 {
                t.launches.push((("Q31", 0), d::SRL_CLOCK_TO_Q31));
            }
            t.captures.push((("D", 0), d::SRL_SETUP_D));
            t.captures.push((("CE", 0), d::SRL_SETUP_CE));
            if kind == "SRL16E" {
                for (i, pin) in ["A0", "A1", "A2", "A3"].into_iter().enumerate() {
                    t.arcs.push(((pin, 0), ("Q", 0), d::lut(5, i)));
                }
            } else {
                for i in 0..5 {
                    t.arcs.push((("A", i), ("Q", 0), d::lut(6, i)));
                }
            }
        }
        "RAM32M" | "RAM64M" => {
            let address_bits = if kind == "RAM32M" { 5 } else { 6 };
            for (addr, data_in, data_out) in [
                ("ADDRA", "DIA", "DOA"),
                ("ADDRB", "DIB", "DOB"),
                ("ADDRC", "DIC", "DOC"),
                ("ADDRD", "DID", "DOD"),
            ] {
                for b in 0..widths(data_out) {
                    t.launches.push(((data_out, b), d::LUTRAM_CLOCK_TO_OUT));
                    for i in 0..address_bits {
                        t.arcs.push(((addr, i), (data_out, b), d::lut(6, i)));
                    }
                }
                for b in 0..widths(data_in) {
                    t.captures.push(((data_in, b), d::LUTRAM_SETUP_DATA));
                }
            }
            for i in 0..address_bits {
                t.captures.push((("ADDRD", i), d::LUTRAM_SETUP_ADDRESS));
            }
            t.captures.push((("WE", 0), d::LUTRAM_SETUP_WE));
        }
        "RAM32X1D" | "RAM64X1D" => {
            let bits = if kind == "RAM32X1D" { 5 } else { 6 };
            let write = ["A0", "A1", "A2", "A3", "A4", "A5"];
            let read = ["DPRA0", "DPRA1", "DPRA2", "DPRA3", "DPRA4", "DPRA5"];
            for i in 0..bits {
                t.arcs.push(((write[i], 0), ("SPO", 0), d::lut(6, i)));
                t.arcs.push(((read[i], 0), ("DPO", 0), d::lut(6, i)));
                t.captures.push(((write[i], 0), d::LUTRAM_SETUP_ADDRESS));
            }
            lutram_ports(&mut t);
        }
        "RAM128X1D" => {
            // Two RAM64X1D halves and the slice's wide multiplexer (cells_sim.v).
            for i in 0..7 {
                let through = if i < 6 { d::lut(6, i) } else { 0 } + d::MUXF7[2] + 175;
                t.arcs.push((("A", i), ("SPO", 0), through));
                t.arcs.push((("DPRA", i), ("DPO", 0), through));
                t.captures.push((("A", i), d::LUTRAM_SETUP_ADDRESS));
            }
            lutram_ports(&mut t);
        }
        "RAMB18E1" | "RAMB36E1" => {
            for (reg, outs) in [
                ("DOA_REG", ["DOADO", "DOPADOP"]),
                ("DOB_REG", ["DOBDO", "DOPBDOP"]),
            ] {
                let ps = if number(parameters, reg) > 0 {
                    d::BRAM_CLOCK_TO_OUT_REG
                } else {
                    d::BRAM_CLOCK_TO_OUT
                };
                for out in outs {
                    for b in 0..widths(out) {
                        t.launches.push(((out, b), ps));
                    }
                }
            }
            for (pins, ps) in [
                (&["ADDRARDADDR", "ADDRBWRADDR"][..], d::BRAM_SETUP_ADDRESS),
                (&["WEA", "WEBWE"][..], d::BRAM_SETUP_WE),
                (
                    &["DIADI", "DIBDI", "DIPADIP", "DIPBDIP"][..],
                    d::BRAM_SETUP_DATA,
                ),
                (&["ENARDEN", "ENBWREN"][..], d::BRAM_SETUP_ENABLE),
                (
                    &["REGCEAREGCE", "REGCEB", "RSTREGARSTREG", "RSTREGB"][..],
                    d::BRAM_SETUP_REGCE,
                ),
            ] {
                for pin in pins {
                    for b in 0..widths(pin) {
                        t.captures.push(((pin, b), ps));
                    }
                }
            }
        }
        "DSP48E1" => dsp(&mut t, parameters, widths),
        "IBUF" | "OBUF" | "BUFG" => t.arcs.push((("I", 0), ("O", 0), 0)),
        _ => return None,
    }
    Some(t)
}

/// The write side and outputs of a single-bit dual-port distributed RAM.
fn lutram_ports(t: &mut CellTiming) {
    t.launches.push((("SPO", 0), d::LUTRAM_CLOCK_TO_OUT));
    t.launches.push((("DPO", 0), d::LUTRAM_CLOCK_TO_OUT));
    t.captures.push((("D", 0), d::LUTRAM_SETUP_DATA));
    t.captures.push((("WE", 0), d::LUTRAM_SETUP_WE));
}

/// A DSP48E1 by its pipeline registers: A/B (AREG, BREG, or through DREG and the
/// pre-adder), M (MREG), P (PREG). The first register an operand meets captures it; the
/// last register before P launches P; the registers in between make an internal path.
fn dsp(
    t: &mut CellTiming,
    parameters: &HashMap<String, serde_json::Value>,
    widths: &dyn Fn(&str) -> usize,
) {
    let areg = number(parameters, "AREG") > 0 && number(parameters, "BREG") > 0;
    let mreg = number(parameters, "MREG") > 0;
    let preg = number(parameters, "PREG") > 0;
    let creg = number(parameters, "CREG") > 0;
    // Operands into the slice.
    let operand_setup = match (areg, mreg, preg) {
        (true, _, _) => Some(d::DSP_SETUP_AB_AREG),
        (false, true, _) => Some(d::DSP_SETUP_AB_MREG),
        (false, false, true) => Some(d::DSP_SETUP_AB_PREG),
        (false, false, false) => None,
    };
    for pin in ["A", "B", "D"] {
        for b in 0..widths(pin) {
            match operand_setup {
                Some(ps) => t.captures.push(((pin, b), ps)),
                None => t.arcs.push(((pin, b), (INTERNAL, 0), d::DSP_AB_TO_P)),
            }
        }
    }
    for b in 0..widths("C") {
        match (creg, preg) {
            (true, _) => t.captures.push((("C", b), d::DSP_SETUP_C_CREG)),
            (false, true) => t.captures.push((("C", b), d::DSP_SETUP_C_PREG)),
            (false, false) => t.arcs.push((("C", b), (INTERNAL, 0), d::DSP_SETUP_C_PREG)),
        }
    }
    // P out of the slice.
    let launch = match (preg, mreg, areg) {
        (true, _, _) => Some(d::DSP_CLOCK_TO_P_PREG),
        (false, true, _) => Some(d::DSP_CLOCK_TO_P_MREG),
        (false, false, true) => Some(d::DSP_CLOCK_TO_P_AREG),
        (false, false, false) => None,
    };
    for out in ["P", "PCOUT"] {
        for b in 0..widths(out) {
            match launch {
                Some(ps) => t.launches.push(((out, b), ps)),
                None => t.arcs.push(((INTERNAL, 0), (out, b), 0)),
            }
        }
    }
    t.internal = match (areg, mreg, preg) {
        (true, true, true) => Some(("M → P registers", d::DSP_MREG_TO_PREG)),
        (true, true, false) => Some(("A/B → M registers", d::DSP_AREG_TO_MREG)),
        (true, false, true) => Some(("A/B → P registers", d::DSP_AREG_TO_PREG)),
        (false, true, true) => Some(("M → P registers", d::DSP_MREG_TO_PREG)),
        _ => None,
    };
}

/// A parameter as a number: Yosys writes them as strings of binary digits (or numbers).
pub fn number(parameters: &HashMap<String, serde_json::Value>, name: &str) -> u64 {
    match parameters.get(name) {
        Some(serde_json::Value::String(s)) => u64::from_str_radix(s, 2).unwrap_or(0),
        Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}
