//! Coefficients of the estimate's linear models, fitted by least squares (non-negative) to
//! Yosys 0.23 `synth_xilinx -family xc7`: the primitives over their parameter ranges, the
//! glue over the testsuite's models and their explored variants. `cargo bench --bench
//! calibrate` measures again, refits and prints this file.

/// A linear model: resources = round(Σ coefficient × feature), never negative.
#[derive(Debug)]
pub struct Linear(pub &'static [f64]);

impl Linear {
    pub fn apply(&self, features: &[f64]) -> u64 {
        let sum: f64 = self.0.iter().zip(features).map(|(c, x)| c * x).sum();
        sum.max(0.0).round() as u64
    }
}

/// A linear model over named features: resources = round(Σ coefficient × feature), never
/// negative, each coefficient found by its feature's name.
#[derive(Debug)]
pub struct Named(pub &'static [(&'static str, f64)]);

impl Named {
    pub fn apply(&self, features: &super::glue::Features) -> u64 {
        let sum: f64 = features
            .0
            .iter()
            .map(|(name, x)| self.coefficient(name) * x)
            .sum();
        sum.max(0.0).round() as u64
    }

    /// The coefficient of `feature` (a feature the fit has not seen is a bug).
    fn coefficient(&self, feature: &str) -> f64 {
        self.0
            .iter()
            .find(|(name, _)| *name == feature)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("no coefficient for the glue feature `{feature}`"))
    }

    /// The names of the features it prices, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(n, _)| *n).collect()
    }
}

/// LUTs and flip-flops of a block's own logic.
#[derive(Debug)]
pub struct GlueModel {
    pub luts: Named,
    pub flip_flops: Named,
}

/// LUTs and flip-flops of one kind of block.
#[derive(Debug)]
pub struct Model {
    pub luts: Linear,
    pub flip_flops: Linear,
}

// @generated-coefficients
pub const MUL_DSP: Model = Model {
    luts: Linear(&[0.869, 0.0, 0.2189, 0.0]),
    flip_flops: Linear(&[1.0404, 0.0046, 0.0, 37.7143]),
};
pub const MUL_LUTS: Model = Model {
    luts: Linear(&[1.7515, 0.0, 1.1659, 0.0, 1.0203]),
    flip_flops: Linear(&[0.6262, 0.0, 1.0111, 5.2895, 1.6524]),
};
pub const ROUND_SAT: Model = Model {
    luts: Linear(&[0.3135, 0.0, 8.1303, 0.0]),
    flip_flops: Linear(&[0.0, 0.0, 0.0, 0.0]),
};
pub const TREE: Model = Model {
    luts: Linear(&[1.2444, 0.0, 0.0]),
    flip_flops: Linear(&[0.0225, 0.9329, 0.2068]),
};
pub const CROSSBAR: Model = Model {
    luts: Linear(&[0.4096, 0.0, 0.0]),
    flip_flops: Linear(&[0.0, 0.0, 0.0]),
};
pub const MUX_TREE: Model = Model {
    luts: Linear(&[0.3422, 0.073, 0.0]),
    flip_flops: Linear(&[0.0216, 0.6761, 0.0]),
};
pub const ACT: Model = Model {
    luts: Linear(&[0.1846, 6.0689, 0.0, 24.1812]),
    flip_flops: Linear(&[0.0666, 8.3278, 2.7643, 10.326]),
};
pub const JUNCTION: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("lanes", 0.0),
        ("weight_bits", 0.2575),
        ("left_bits", 0.0),
        ("update_weight_bits", 2.4576),
        ("update_left_bits", 0.0),
        ("backward_delta_bits", 0.0),
        ("group_act_bits", 2.7191),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 6.1818),
        ("output_buffer_group_bits", 0.8855),
        ("group_delta_bits", 1.2648),
        ("lane_delta_bits", 0.0),
        ("argmax_bits", 0.0251),
        ("output_buffer_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 13.0316),
        ("lanes", 7.1565),
        ("weight_bits", 0.9945),
        ("left_bits", 0.1707),
        ("update_weight_bits", 0.0),
        ("update_left_bits", 0.9717),
        ("backward_delta_bits", 0.497),
        ("group_act_bits", 0.0),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 1.5485),
        ("output_buffer_group_bits", 0.2519),
        ("group_delta_bits", 5.3509),
        ("lane_delta_bits", 0.0),
        ("argmax_bits", 0.0),
        ("output_buffer_bits", 0.5849),
    ]),
};
pub const LAYER_MEMORY: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("route_value_bits", 0.1697),
        ("route_address_bits", 0.6031),
        ("read_bits", 0.7332),
        ("delta_sum_bits", 4.1762),
        ("delta_add_bits", 0.0),
        ("take_bits", 0.001),
        ("take_route_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 0.2438),
        ("route_value_bits", 0.0),
        ("route_address_bits", 0.0),
        ("read_bits", 0.0),
        ("delta_sum_bits", 0.1851),
        ("delta_add_bits", 3.764),
        ("take_bits", 0.0037),
        ("take_route_bits", 0.4924),
    ]),
};
pub const TOP: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 21.1306),
        ("beat_bits", 0.0),
        ("output_bits", 0.0),
        ("junctions", 57.5316),
    ]),
    flip_flops: Named(&[
        ("one", 93.4442),
        ("beat_bits", 0.562),
        ("output_bits", 0.0),
        ("junctions", 32.2047),
    ]),
};
pub const AXIL: Model = Model {
    luts: Linear(&[1.0, 54.0]),
    flip_flops: Linear(&[3.0, 113.0]),
};
pub const FIFO: Model = Model {
    luts: Linear(&[0.9499, 1.1441, 3.8037]),
    flip_flops: Linear(&[0.0, 2.0, 2.0]),
};
pub const UART_RX: Model = Model {
    luts: Linear(&[1.8, 14.4545]),
    flip_flops: Linear(&[1.0, 26.0]),
};
pub const UART_TX: Model = Model {
    luts: Linear(&[1.0732, 18.439]),
    flip_flops: Linear(&[1.0, 13.0]),
};
pub const BRIDGE: Model = Model {
    luts: Linear(&[3.0451, 0.0034, 1.0676, 5.6282, 606.1821]),
    flip_flops: Linear(&[3.0, 1.0, 1.0, 16.0, 257.0]),
};
pub const SHELL: GlueModel = GlueModel {
    luts: Named(&[("one", 52.3333), ("address_bits", 5.0)]),
    flip_flops: Named(&[("one", 2.0), ("address_bits", 0.0)]),
};
pub const BOARD: GlueModel = GlueModel {
    luts: Named(&[("one", 1.0)]),
    flip_flops: Named(&[("one", 29.0)]),
};
