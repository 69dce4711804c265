//! Reading weight and bias arrays from NumPy `.npy` files named in a model.

use crate::diagnostics::Error;
use crate::network::WeightFile;
use crate::syntax::ast::Span;
use npyz::{DType, NpyFile, Order, TypeChar};
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
    let bytes = match std::fs::read(&full) {
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
    let npy = match NpyFile::new(&bytes[..]) {
        Ok(n) => n,
        Err(e) => {
            errors.push(malformed(e.to_string()));
            return None;
        }
    };
    let shape: Vec<u64> = npy.shape().to_vec();
    let fortran = npy.order() == Order::Fortran;
    let (rows, cols) = match (expected, shape.as_slice()) {
        (Shape::Matrix { rows, cols }, [r, c]) if *r as usize == rows && *c as usize == cols => {
            (rows, cols)
        }
        (Shape::Vector { len }, [n]) if *n as usize == len => (1, len),
        _ => {
            let found = match shape.as_slice() {
                [n] => format!("({n},)"),
                dims => format!(
                    "({})",
                    dims.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let help = match (expected, shape.as_slice()) {
                (Shape::Matrix { rows, cols }, [r, c])
                    if *r as usize == cols && *c as usize == rows =>
                {
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
    let dtype = npy.dtype();
    fn widen<T: Into<f64>>(v: std::io::Result<Vec<T>>) -> std::io::Result<Vec<f64>> {
        v.map(|v| v.into_iter().map(Into::into).collect())
    }
    let values = match &dtype {
        DType::Plain(ts) => match (ts.type_char(), ts.size_field()) {
            (TypeChar::Float, 4) => widen(npy.into_vec::<f32>()),
            (TypeChar::Float, 8) => npy.into_vec::<f64>(),
            (TypeChar::Int, 1) => widen(npy.into_vec::<i8>()),
            (TypeChar::Int, 2) => widen(npy.into_vec::<i16>()),
            (TypeChar::Int, 4) => widen(npy.into_vec::<i32>()),
            (TypeChar::Int, 8) => npy
                .into_vec::<i64>()
                .map(|v| v.into_iter().map(|x| x as f64).collect()),
            (TypeChar::Uint, 1) => widen(npy.into_vec::<u8>()),
            (TypeChar::Uint, 2) => widen(npy.into_vec::<u16>()),
            (TypeChar::Uint, 4) => widen(npy.into_vec::<u32>()),
            (TypeChar::Bool, 1) => npy
                .into_vec::<bool>()
                .map(|v| v.into_iter().map(|x| if x { 1.0 } else { 0.0 }).collect()),
            _ => {
                errors.push(Error::NpyDtype {
                    path: path.to_string(),
                    found: format!("elements of type `{ts}`"),
                    span,
                });
                return None;
            }
        },
        other => {
            errors.push(Error::NpyDtype {
                path: path.to_string(),
                found: format!("structured elements `{}`", other.descr()),
                span,
            });
            return None;
        }
    };
    let mut values = match values {
        Ok(v) => v,
        Err(e) => {
            errors.push(malformed(e.to_string()));
            return None;
        }
    };
    if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
        errors.push(malformed(format!("element {bad} is not a finite number")));
        return None;
    }
    if fortran && rows > 1 {
        let mut row_major = vec![0.0; values.len()];
        for r in 0..rows {
            for c in 0..cols {
                row_major[r * cols + c] = values[c * rows + r];
            }
        }
        values = row_major;
    }
    Some(WeightFile {
        path: full,
        rows,
        cols,
        values,
    })
}
