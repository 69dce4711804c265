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
    luts: Linear(&[1.4178, 0.0, 0.2168, 0.0]),
    flip_flops: Linear(&[1.0041, 0.0013, 0.2648, 3.7739]),
};
pub const MUL_LUTS: Model = Model {
    luts: Linear(&[0.6563, 0.0, 0.0, 0.0, 0.8845]),
    flip_flops: Linear(&[0.0, 1.0, 1.0, 0.0, 0.0]),
};
pub const ROUND_SAT: Model = Model {
    luts: Linear(&[0.4308, 0.0, 7.2029, 0.0]),
    flip_flops: Linear(&[0.0, 0.0, 0.0, 0.0]),
};
pub const TREE: Model = Model {
    luts: Linear(&[1.2431, 0.0, 0.0]),
    flip_flops: Linear(&[0.0225, 0.9329, 0.2068]),
};
pub const CROSSBAR: Model = Model {
    luts: Linear(&[0.4116, 0.0, 0.0]),
    flip_flops: Linear(&[0.0, 0.0, 0.0]),
};
pub const ACT: Model = Model {
    luts: Linear(&[0.0042, 2.6803, 0.0, 18.0229]),
    flip_flops: Linear(&[1.0009, 0.4655, 0.0, 0.0]),
};
pub const JUNCTION: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("lanes", 0.0),
        ("weight_bits", 0.9275),
        ("left_bits", 0.0),
        ("update_weight_bits", 3.2733),
        ("update_left_bits", 0.0),
        ("backward_delta_bits", 0.0),
        ("group_act_bits", 1.7098),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 7.0282),
        ("output_buffer_group_bits", 0.9481),
        ("group_delta_bits", 0.0),
        ("lane_delta_bits", 0.0),
        ("argmax_bits", 0.0),
        ("output_buffer_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 31.9468),
        ("lanes", 6.9411),
        ("weight_bits", 1.0036),
        ("left_bits", 0.0869),
        ("update_weight_bits", 0.0),
        ("update_left_bits", 0.0099),
        ("backward_delta_bits", 0.9447),
        ("group_act_bits", 0.0),
        ("group_weight_bits", 0.0),
        ("partial_sum_bits", 1.6644),
        ("output_buffer_group_bits", 0.189),
        ("group_delta_bits", 3.6343),
        ("lane_delta_bits", 0.0205),
        ("argmax_bits", 0.0),
        ("output_buffer_bits", 0.5917),
    ]),
};
pub const LAYER_MEMORY: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 0.0),
        ("route_value_bits", 0.1303),
        ("route_address_bits", 0.6318),
        ("read_bits", 0.7464),
        ("delta_sum_bits", 3.6722),
        ("take_bits", 0.0),
        ("take_route_bits", 0.0),
    ]),
    flip_flops: Named(&[
        ("one", 0.0),
        ("route_value_bits", 0.0),
        ("route_address_bits", 0.0),
        ("read_bits", 0.0),
        ("delta_sum_bits", 0.0),
        ("take_bits", 0.0),
        ("take_route_bits", 0.0),
    ]),
};
pub const TOP: GlueModel = GlueModel {
    luts: Named(&[
        ("one", 92.9012),
        ("beat_bits", 0.0),
        ("output_bits", 0.0207),
        ("junctions", 19.5974),
    ]),
    flip_flops: Named(&[
        ("one", 85.2439),
        ("beat_bits", 0.5481),
        ("output_bits", 0.0),
        ("junctions", 33.8655),
    ]),
};
pub const AXIL: Model = Model {
    luts: Linear(&[1.0, 54.0]),
    flip_flops: Linear(&[3.0, 113.0]),
};
pub const FIFO: Model = Model {
    luts: Linear(&[0.9696, 0.5311, 5.8763]),
    flip_flops: Linear(&[0.0, 2.0, 2.0]),
};
pub const UART_RX: Model = Model {
    luts: Linear(&[1.8049, 15.4297]),
    flip_flops: Linear(&[1.0, 26.0]),
};
pub const UART_TX: Model = Model {
    luts: Linear(&[1.0732, 18.439]),
    flip_flops: Linear(&[1.0, 13.0]),
};
pub const BRIDGE: Model = Model {
    luts: Linear(&[1.1942, 0.0, 1.0075, 8.3639, 628.7183]),
    flip_flops: Linear(&[3.0, 1.0, 1.0, 16.0, 257.0]),
};
pub const SHELL: GlueModel = GlueModel {
    luts: Named(&[("one", 3.5969), ("address_bits", 8.3256)]),
    flip_flops: Named(&[("one", 2.0), ("address_bits", 0.0)]),
};
pub const BOARD: GlueModel = GlueModel {
    luts: Named(&[("one", 1.0)]),
    flip_flops: Named(&[("one", 29.0)]),
};
