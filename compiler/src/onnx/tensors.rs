//! The constants of an ONNX graph — initializers and `Constant` nodes — as numbers, and the
//! weight matrices they hold, quantised as a QONNX `Quant` node says when one reads them.

use crate::diagnostics::Error;
use onnx_protobuf::{GraphProto, NodeProto, TensorProto};
use std::collections::HashMap;

/// A matrix of `rows × cols` values, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f64>,
}

impl Matrix {
    pub fn transposed(&self) -> Matrix {
        let mut values = vec![0.0; self.values.len()];
        for r in 0..self.rows {
            for c in 0..self.cols {
                values[c * self.rows + r] = self.values[r * self.cols + c];
            }
        }
        Matrix {
            rows: self.cols,
            cols: self.rows,
            values,
        }
    }

    pub fn scaled(self, by: f64) -> Matrix {
        Matrix {
            values: self.values.iter().map(|v| v * by).collect(),
            ..self
        }
    }
}

/// Every constant tensor of a graph, by name, with the `Quant` nodes that read one.
pub struct Constants {
    tensors: HashMap<String, (Vec<usize>, Vec<f64>)>,
    quantisers: HashMap<String, NodeProto>,
}

impl Constants {
    pub fn new(graph: &GraphProto) -> Result<Constants, Error> {
        let mut tensors = HashMap::new();
        for t in &graph.initializer {
            tensors.insert(t.name.clone(), decode(t)?);
        }
        for n in graph.node.iter().filter(|n| n.op_type == "Constant") {
            if let (Some(out), Some(value)) = (
                n.output.first(),
                n.attribute.iter().find(|a| a.name == "value"),
            ) {
                tensors.insert(out.clone(), decode(&value.t)?);
            }
        }
        let quantisers = graph
            .node
            .iter()
            .filter(|n| {
                n.op_type == "Quant" && n.input.first().is_some_and(|i| tensors.contains_key(i))
            })
            .filter_map(|n| Some((n.output.first()?.clone(), n.clone())))
            .collect();
        Ok(Constants {
            tensors,
            quantisers,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tensors.contains_key(name) || self.quantisers.contains_key(name)
    }

    /// A constant's values, flattened.
    pub fn values(&self, name: &str) -> Option<Vec<f64>> {
        self.tensors.get(name).map(|(_, v)| v.clone())
    }

    /// The `Quant` node that produces `name` from a constant, if one does.
    pub fn quantiser(&self, name: &str) -> Option<NodeProto> {
        self.quantisers.get(name).cloned()
    }

    /// A two-dimensional constant as a matrix; `None` when `name` is not a constant.
    pub fn matrix(&self, name: &str) -> Option<Result<Matrix, Error>> {
        let (shape, values) = self.tensors.get(name)?;
        Some(match shape.as_slice() {
            [rows, cols] => Ok(Matrix {
                rows: *rows,
                cols: *cols,
                values: values.clone(),
            }),
            _ => Err(Error::UnsupportedForm {
                node: name.to_string(),
                op: "weights".into(),
                what: format!("shape {shape:?}"),
                help: "a fully connected layer's weights are a matrix".into(),
            }),
        })
    }

    /// The weights `quant` reads, quantised as it says (QONNX: round half to even, clip to
    /// the bit width, then back to values); `node` names the layer for messages.
    pub fn quantised_matrix(&self, quant: &NodeProto, node: &str) -> Result<Matrix, Error> {
        let name = &quant.input[0];
        let mut matrix = self
            .matrix(name)
            .ok_or_else(|| Error::WeightsNotConstant {
                node: node.to_string(),
                op: "Quant".into(),
                tensor: name.clone(),
            })??;
        let scalar = |i: usize| {
            quant
                .input
                .get(i)
                .and_then(|n| self.values(n))
                .and_then(|v| v.first().copied())
                .unwrap_or(0.0)
        };
        let (scale, zero, bits) = (scalar(1), scalar(2), scalar(3));
        let attr = |k: &str, d: i64| {
            quant
                .attribute
                .iter()
                .find(|a| a.name == k)
                .map_or(d, |a| a.i)
        };
        let (signed, narrow) = (attr("signed", 1) == 1, attr("narrow", 0) == 1);
        let levels = 2f64.powf(bits);
        let (min, max) = match (signed, narrow) {
            (true, false) => (-levels / 2.0, levels / 2.0 - 1.0),
            (true, true) => (-levels / 2.0 + 1.0, levels / 2.0 - 1.0),
            (false, false) => (0.0, levels - 1.0),
            (false, true) => (0.0, levels - 2.0),
        };
        for v in &mut matrix.values {
            let q = (round_half_even(*v / scale) + zero).clamp(min, max);
            *v = (q - zero) * scale;
        }
        Ok(matrix)
    }
}

/// Rounds to the nearest integer, ties to even (as NumPy and QONNX's ROUND do).
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// A tensor's shape and values as `f64`: float, double, and integer types, stored in their
/// typed fields or as raw little-endian bytes.
fn decode(t: &TensorProto) -> Result<(Vec<usize>, Vec<f64>), Error> {
    let shape: Vec<usize> = t.dims.iter().map(|&d| d.max(0) as usize).collect();
    let count: usize = shape.iter().product();
    let bad = |what: String| Error::UnsupportedForm {
        node: t.name.clone(),
        op: "tensor".into(),
        what,
        help: "weights are float32, float64 or integer tensors stored in the model".into(),
    };
    if !t.external_data.is_empty() {
        return Err(bad("its data is in an external file".into()));
    }
    let raw = &t.raw_data;
    let from_raw = |size: usize, read: &dyn Fn(&[u8]) -> f64| -> Vec<f64> {
        raw.chunks_exact(size).map(read).collect()
    };
    let values: Vec<f64> = match t.data_type {
        1 if !raw.is_empty() => from_raw(4, &|b| {
            f64::from(f32::from_le_bytes(b.try_into().expect("4 bytes")))
        }),
        1 => t.float_data.iter().map(|&v| f64::from(v)).collect(),
        11 if !raw.is_empty() => {
            from_raw(8, &|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        }
        11 => t.double_data.clone(),
        7 if !raw.is_empty() => from_raw(8, &|b| {
            i64::from_le_bytes(b.try_into().expect("8 bytes")) as f64
        }),
        7 => t.int64_data.iter().map(|&v| v as f64).collect(),
        6 if !raw.is_empty() => from_raw(4, &|b| {
            f64::from(i32::from_le_bytes(b.try_into().expect("4 bytes")))
        }),
        6 => t.int32_data.iter().map(|&v| f64::from(v)).collect(),
        other => return Err(bad(format!("element type {other}"))),
    };
    if values.len() != count {
        return Err(bad(format!("{} values for shape {shape:?}", values.len())));
    }
    Ok((shape, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_round_to_even() {
        assert_eq!(
            [0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(round_half_even),
            [0.0, 2.0, 2.0, -0.0, -2.0, 2.0, -3.0]
        );
    }

    #[test]
    fn transposing_twice_is_the_identity() {
        let m = Matrix {
            rows: 2,
            cols: 3,
            values: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        };
        assert_eq!(m.transposed().values, vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        assert_eq!(m.transposed().transposed(), m);
    }
}
