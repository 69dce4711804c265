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
pub const JUNCTION: Model = Model {
    luts: Linear(&[
        0.0, 0.0, 0.9275, 0.0, 3.2733, 0.0, 0.0, 1.7098, 0.0, 7.0282, 0.9481, 0.0, 0.0, 0.0, 0.0,
    ]),
    flip_flops: Linear(&[
        31.9468, 6.9411, 1.0036, 0.0869, 0.0, 0.0099, 0.9447, 0.0, 0.0, 1.6644, 0.189, 3.6343,
        0.0205, 0.0, 0.5917,
    ]),
};
pub const LAYER_MEMORY: Model = Model {
    luts: Linear(&[0.0, 0.1303, 0.6318, 0.7464, 3.6722, 0.0, 0.0]),
    flip_flops: Linear(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
};
pub const TOP: Model = Model {
    luts: Linear(&[92.9012, 0.0, 0.0207, 19.5974]),
    flip_flops: Linear(&[85.2439, 0.5481, 0.0, 33.8655]),
};
