//! Delays of the Artix-7 cells, in picoseconds, for the -1 speed grade's slow corner: the one
//! table that both timing estimates read (the netlist's in [`super::netlist`], the hardware
//! model's in [`super::model`]). docs/timing.md gives every number's source.
//!
//! Every figure is the slow corner's maximum in Project X-Ray's timing database for the
//! Artix-7 (`f4pga/prjxray-db`, `artix7/timings/*.sdf`, dumped from Vivado's speed models of
//! the xc7a100t-1): the LUT, carry, wide-multiplexer and distributed-RAM ones as Yosys's
//! `xilinx/cells_sim.v` transcribes them (a LUT input's delay includes its site pin), the
//! DSP48E1, block RAM, shift-register enable and flip-flop ones read from the database itself
//! (Yosys's DSP48E1 figures are 25–35 % faster and cite no source).

/// A LUT's input-to-output delay: input `i` of a `k`-input LUT (I0 is the slowest).
pub fn lut(k: usize, i: usize) -> u32 {
    const LUT6: [u32; 6] = [642, 631, 472, 407, 238, 127];
    LUT6[6 - k.clamp(1, 6) + i.min(k.clamp(1, 6) - 1)]
}

/// MUXF7 (I0, I1, S → O) and MUXF8.
pub const MUXF7: [u32; 3] = [217, 223, 296];
pub const MUXF8: [u32; 3] = [104, 94, 273];

/// A CARRY4's arcs to `O[k]` and `CO[k]`: from `CI`, `CYINIT`, `DI[i]` and `S[i]` (0 where
/// the input does not reach the output).
pub struct Carry4 {
    pub ci: [u32; 4],
    pub cyinit: [u32; 4],
    pub di: [[u32; 4]; 4],
    pub s: [[u32; 4]; 4],
}

/// Arcs to `O[k]` (the sum bits).
pub const CARRY4_O: Carry4 = Carry4 {
    ci: [222, 334, 239, 313],
    cyinit: [482, 598, 584, 642],
    // di[i][k]: DI[i] reaches O[k] for k > i.
    di: [
        [0, 407, 556, 615],
        [0, 0, 537, 596],
        [0, 0, 0, 438],
        [0, 0, 0, 0],
    ],
    s: [
        [223, 400, 523, 582],
        [0, 205, 558, 618],
        [0, 0, 226, 330],
        [0, 0, 0, 227],
    ],
};

/// Arcs to `CO[k]` (the carries; `CO[3]` feeds the next CARRY4's `CI`).
pub const CARRY4_CO: Carry4 = Carry4 {
    ci: [271, 157, 228, 114],
    cyinit: [536, 494, 592, 580],
    di: [
        [379, 465, 540, 526],
        [0, 445, 520, 507],
        [0, 0, 356, 398],
        [0, 0, 0, 385],
    ],
    s: [
        [340, 433, 512, 508],
        [0, 469, 548, 528],
        [0, 0, 292, 378],
        [0, 0, 0, 380],
    ],
};

/// Flip-flops (FDRE, FDSE, FDCE, FDPE): clock to Q (the slice's main flip-flops; its
/// second ones take 303), and setup of D (negative, so 0), CE and the reset.
pub const FF_CLOCK_TO_Q: u32 = 340;
pub const FF_SETUP_D: u32 = 0;
pub const FF_SETUP_CE: u32 = 109;
pub const FF_SETUP_RESET: u32 = 404;

/// Shift registers (SRL16E, SRLC32E): clock to Q, to Q31 of an SRLC32E, setup of D and of CE
/// (the slice's write enable). The address reaches Q as a LUT's inputs do.
pub const SRL_CLOCK_TO_Q: u32 = 1472;
pub const SRL_CLOCK_TO_Q31: u32 = 1114;
pub const SRL_SETUP_D: u32 = 173;
pub const SRL_SETUP_CE: u32 = 638;

/// Distributed RAM (RAM32M, RAM64M, RAM32X1D, RAM64X1D): a read is a LUT's input-to-output
/// delay from its address; a write's clock to the outputs, and setup of the data, the write
/// enable and the write address (the slowest bit, the larger of the database's two figures).
pub const LUTRAM_CLOCK_TO_OUT: u32 = 1190;
pub const LUTRAM_SETUP_DATA: u32 = 461;
pub const LUTRAM_SETUP_WE: u32 = 654;
pub const LUTRAM_SETUP_ADDRESS: u32 = 362;

/// Block RAM (RAMB18E1, RAMB36E1 alike): clock to the data outputs without and with the
/// output register (DOA_REG/DOB_REG), setup of the address, the write enable, the data (write
/// first or no change), the port enables and the output register's enable and reset.
pub const BRAM_CLOCK_TO_OUT: u32 = 2454;
pub const BRAM_CLOCK_TO_OUT_REG: u32 = 882;
pub const BRAM_SETUP_ADDRESS: u32 = 566;
pub const BRAM_SETUP_WE: u32 = 532;
pub const BRAM_SETUP_DATA: u32 = 737;
pub const BRAM_SETUP_ENABLE: u32 = 443;
pub const BRAM_SETUP_REGCE: u32 = 360;

/// DSP48E1 (multiplier used, no pre-adder, no pattern detector), by the registers it uses:
/// setup of A/B at the A/B registers, at the M register (through the multiplier) and at the
/// P register (through the multiplier and the ALU); setup of C at the C and at the P
/// register; clock to P from the P register, from the M register (through the ALU) and from
/// the A/B registers (through both); A/B to P with no register at all. The slower of A and B
/// in each case.
pub const DSP_SETUP_AB_AREG: u32 = 450;
pub const DSP_SETUP_AB_MREG: u32 = 1_928;
pub const DSP_SETUP_AB_PREG: u32 = 3_722;
pub const DSP_SETUP_C_CREG: u32 = 233;
pub const DSP_SETUP_C_PREG: u32 = 1_701;
pub const DSP_CLOCK_TO_P_PREG: u32 = 434;
pub const DSP_CLOCK_TO_P_MREG: u32 = 2_305;
pub const DSP_CLOCK_TO_P_AREG: u32 = 4_009;
pub const DSP_AB_TO_P: u32 = 3_841;
/// Inside the slice, register to register, derived from the figures above (the database has
/// no internal arcs): the ALU to the P pin is C→P less C's setup at PREG (1,820 − 1,701 =
/// 119 ps), the A/B registers' clock to the multiplier's input is their clock to P less A→P
/// (4,009 − 3,841 = 168 ps). So A/B registers → M register = 168 + 1,928; M register → P
/// register = 2,305 − 119; A/B registers → P register (no M register) = 4,009 − 119.
pub const DSP_AREG_TO_MREG: u32 = 2_096;
pub const DSP_MREG_TO_PREG: u32 = 2_186;
pub const DSP_AREG_TO_PREG: u32 = 3_890;

/// Routing: every net a path crosses between two cells, by its fan-out (docs/timing.md).
/// Dedicated connections (a carry chain's `CI`, a LUT into its own slice's carry logic, the
/// wide multiplexers' data inputs) cost nothing.
pub fn routing(fanout: usize) -> u32 {
    let doublings = usize::BITS - fanout.max(1).leading_zeros() - 1;
    ROUTING_NET + ROUTING_PER_FANOUT_DOUBLING * doublings
}

/// A fan-out-1 net: nextpnr-xilinx's estimate of a connection between neighbouring sites
/// on the 7 series (Vivado measured 842 ps from a flip-flop to a LUT's slowest input, of
/// which about 516 ps is the site-pin entry the LUT delays above already hold).
pub const ROUTING_NET: u32 = 450;
/// Added per doubling of the fan-out (an allowance of this project: docs/timing.md).
pub const ROUTING_PER_FANOUT_DOUBLING: u32 = 110;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lut_inputs_follow_cells_sim() {
        // LUT6 I0 is the slowest input, I5 the fastest; a LUT3's are a LUT6's last three.
        assert_eq!((lut(6, 0), lut(6, 5)), (642, 127));
        assert_eq!((lut(3, 0), lut(3, 1), lut(3, 2)), (407, 238, 127));
        assert_eq!(lut(1, 0), 127);
    }

    #[test]
    fn routing_grows_with_fanout() {
        assert_eq!(routing(1), ROUTING_NET);
        assert_eq!(routing(2), ROUTING_NET + ROUTING_PER_FANOUT_DOUBLING);
        assert!(routing(4096) > routing(16));
    }
}
