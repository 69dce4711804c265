//! The ranges an imported network's values take on real inputs: the chain run in float64 over
//! calibration samples, for the number-format rule of [`super::model`].

use super::graph::{Activation, Chain};

/// The extremes seen over the samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranges {
    pub samples: usize,
    /// The smallest and largest input value.
    pub input_min: f64,
    pub input_max: f64,
    /// The largest magnitude of a pre-activation (a weighted sum plus bias) in any layer.
    pub pre_activation: f64,
}

/// The ranges of `chain` over `samples` (each of the chain's input size).
pub fn ranges(chain: &Chain, samples: &[Vec<f64>]) -> Ranges {
    let mut ranges = Ranges {
        samples: samples.len(),
        input_min: f64::INFINITY,
        input_max: f64::NEG_INFINITY,
        pre_activation: 0.0,
    };
    for sample in samples {
        for &x in sample {
            ranges.input_min = ranges.input_min.min(x);
            ranges.input_max = ranges.input_max.max(x);
        }
        let mut values = sample.clone();
        for layer in &chain.layers {
            let w = &layer.weights;
            let mut sums = layer.biases.clone();
            for (r, &x) in values.iter().enumerate() {
                if x != 0.0 {
                    let row = &w.values[r * w.cols..(r + 1) * w.cols];
                    for (sum, &weight) in sums.iter_mut().zip(row) {
                        *sum += x * weight;
                    }
                }
            }
            ranges.pre_activation = sums
                .iter()
                .fold(ranges.pre_activation, |m, s| m.max(s.abs()));
            values = sums
                .into_iter()
                .map(|s| match layer.activation {
                    Activation::Sigmoid => 1.0 / (1.0 + (-s).exp()),
                    Activation::Relu => s.max(0.0),
                    Activation::Identity => s,
                })
                .collect();
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onnx::graph::Layer;
    use crate::onnx::tensors::Matrix;

    fn layer(
        rows: usize,
        cols: usize,
        values: Vec<f64>,
        biases: Vec<f64>,
        activation: Activation,
    ) -> Layer {
        Layer {
            node: "fc".into(),
            edges: values.iter().map(|v| *v != 0.0).collect(),
            weights: Matrix { rows, cols, values },
            biases,
            activation,
            sigmoid_table: None,
            weight_format: None,
            activation_format: None,
        }
    }

    #[test]
    fn the_largest_pre_activation_of_any_layer_is_found() {
        let chain = Chain {
            name: "n".into(),
            inputs: 2,
            names: None,
            input_format: None,
            layers: vec![
                // h = relu(x · [[1, -2], [3, 0]] + [0, 1])
                layer(
                    2,
                    2,
                    vec![1.0, -2.0, 3.0, 0.0],
                    vec![0.0, 1.0],
                    Activation::Relu,
                ),
                // y = h · [[2], [1]] - 1
                layer(2, 1, vec![2.0, 1.0], vec![-1.0], Activation::Identity),
            ],
            notes: vec![],
            exported_formats: None,
        };
        // x = (1, 1): h = relu(4, -1) = (4, 0), y = 7. x = (0.5, -1): h = relu(-2.5, 0) = 0, y = -1.
        let r = ranges(&chain, &[vec![1.0, 1.0], vec![0.5, -1.0]]);
        assert_eq!(r.pre_activation, 7.0);
        assert_eq!((r.input_min, r.input_max, r.samples), (-1.0, 1.0, 2));
        let r = ranges(&chain, &[vec![0.5, -1.0]]);
        assert_eq!(r.pre_activation, 2.5);
    }
}
