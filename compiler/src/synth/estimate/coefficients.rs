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
    luts: Linear(&[0.8714, 0.0857, 0.0]),
    flip_flops: Linear(&[0.0022, 0.9959, 0.0]),
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
    luts: Linear(&[0.1702, 5.6982, 0.0, 24.1812]),
    flip_flops: Linear(&[1.6084, 3.5279, 2.7643, 10.326]),
};
pub const JUNCTION: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("lanes", 0.0),
        ("weight_bits", 0.2834),
        ("left_bits", 0.0),
        ("update_weight_bits", 1.9537),
        ("update_left_bits", 0.0),
        ("backward_delta_bits", 0.0),
        ("group_act_bits", 1.3676),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 6.0343),
        ("output_buffer_group_bits", 0.8753),
        ("group_delta_bits", 1.2895),
        ("lane_delta_bits", 0.0),
        ("argmax_bits", 0.7846),
        ("output_buffer_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 13.979),
        ("lanes", 6.9128),
        ("weight_bits", 1.0441),
        ("left_bits", 0.1384),
        ("update_weight_bits", 0.0),
        ("update_left_bits", 0.9387),
        ("backward_delta_bits", 0.6229),
        ("group_act_bits", 0.6612),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 1.6082),
        ("output_buffer_group_bits", 0.261),
        ("group_delta_bits", 4.983),
        ("lane_delta_bits", 0.0),
        ("argmax_bits", 0.0),
        ("output_buffer_bits", 0.5826),
    ]),
};
pub const LAYER_MEMORY: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("route_value_bits", 0.1826),
        ("route_address_bits", 0.5887),
        ("read_bits", 0.75),
        ("delta_sum_bits", 4.2184),
        ("delta_add_bits", 0.0),
        ("take_bits", 0.0306),
        ("take_route_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 1.1423),
        ("route_value_bits", 0.0),
        ("route_address_bits", 0.0),
        ("read_bits", 0.0),
        ("delta_sum_bits", 0.0),
        ("delta_add_bits", 4.2557),
        ("take_bits", 0.0002),
        ("take_route_bits", 0.7396),
    ]),
};
pub const TOP: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 28.1579),
        ("beat_bits", 0.0),
        ("output_bits", 0.0),
        ("junctions", 52.9472),
    ]),
    flip_flops: Named(&[
        ("one", 128.6287),
        ("beat_bits", 0.6041),
        ("output_bits", 0.0),
        ("junctions", 33.6805),
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
