//! Reading weight and bias arrays from NumPy `.npy` files named in a model.

use crate::diagnostics::Error;
use crate::network::WeightFile;
use crate::syntax::ast::Span;
use snn_runtime::npy::{self, NpyError};
use std::path::Path;

/// The shape a file must have: a (left, right) matrix or a (right,) vector.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Matrix { rows: usize, cols: usize },
    Vector { len: usize },
}

impl Shape {
    fn describe(self) -> String {
        match self {
            Shape::Matrix { rows, cols } => format!("({rows}, {cols})"),
            Shape::Vector { len } => format!("({len},)"),
        }
    }
}

/// Reads `path` (relative to `model_dir`) and checks its shape and element type.
pub fn read(
    model_dir: &Path,
    path: &str,
    expected: Shape,
    span: Span,
    errors: &mut Vec<Error>,
) -> Option<WeightFile> {
    let full = model_dir.join(path);
    let bytes = match snn_runtime::files::read_regular(&full, snn_runtime::files::MAX_WEIGHTS_BYTES)
    {
        Ok(b) => b,
        Err(e) => {
            errors.push(Error::NpyMissing {
                path: path.to_string(),
                reason: e.to_string(),
                span,
            });
            return None;
        }
    };
    let malformed = |reason: String| Error::NpyMalformed {
        path: path.to_string(),
        reason,
        span,
    };
    let array = match npy::parse(&bytes) {
        Ok(a) => a,
        Err(NpyError::Malformed(reason)) => {
            errors.push(malformed(reason));
            return None;
        }
        Err(NpyError::Dtype(found)) => {
            errors.push(Error::NpyDtype {
                path: path.to_string(),
                found,
                span,
            });
            return None;
        }
    };
    let (rows, cols) = match (expected, array.shape.as_slice()) {
        (Shape::Matrix { rows, cols }, [r, c]) if *r == rows && *c == cols => (rows, cols),
        (Shape::Vector { len }, [n]) if *n == len => (1, len),
        _ => {
            let found = match array.shape.as_slice() {
                [n] => format!("({n},)"),
                dims => format!(
                    "({})",
                    dims.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let help = match (expected, array.shape.as_slice()) {
                (Shape::Matrix { rows, cols }, [r, c]) if *r == cols && *c == rows => {
                    "this looks transposed: snnc wants (left, right) like a Keras kernel; save `w.T` for a PyTorch weight".to_string()
                }
                (Shape::Matrix { .. }, _) => {
                    "a junction's weights are a (left neurons, right neurons) matrix".to_string()
                }
                _ => "biases are one value per right neuron".to_string(),
            };
            errors.push(Error::NpyShape {
                path: path.to_string(),
                found,
                expected: expected.describe(),
                help,
                span,
            });
            return None;
        }
    };
    let values = array.values;
    if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
        errors.push(malformed(format!("element {bad} is not a finite number")));
        return None;
    }
    Some(WeightFile {
        path: full,
        named: path.to_string(),
        span,
        rows,
        cols,
        values,
    })
}
