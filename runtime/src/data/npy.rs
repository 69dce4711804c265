//! NumPy arrays as data: samples of shape (N, F), (N, H, W) or (N, H, W, C) — flattened in C
//! order, as Keras and PyTorch data sets are saved — or (F,) for one sample, and labels of
//! shape (N,). `uint8` arrays are pixels; other numbers are values.

use super::{dataset, read, Dataset, Features, Reading};
use crate::npy::{self, Array, Kind};
use std::path::Path;

/// The array in the `.npy` file at `path`.
fn array(path: &Path) -> Result<Array, String> {
    parse(&read(path)?, &format!("`{}`", path.display()))
}

/// The array in `bytes` (of `what`, for messages).
pub(super) fn parse(bytes: &[u8], what: &str) -> Result<Array, String> {
    npy::parse(bytes).map_err(|e| match e {
        npy::NpyError::Malformed(why) => format!("{what} is not a valid .npy array: {why}"),
        npy::NpyError::Dtype(found) => {
            format!("{what} holds {found}; snnc reads {}", npy::DTYPES)
        }
    })
}

/// Samples from an array: its first axis counts them, the rest is flattened.
pub(super) fn samples(array: Array, what: String, reading: Reading) -> Result<Dataset, String> {
    let features = match array.shape.as_slice() {
        [f] => *f,
        [_, rest @ ..] if rest.len() <= 3 => rest.iter().product(),
        _ => {
            return Err(format!(
                "{what} has shape {:?}; expected (samples, features), (samples, height, width) or (samples, height, width, channels)",
                array.shape
            ))
        }
    };
    if let Some(i) = array.values.iter().position(|v| !v.is_finite()) {
        return Err(format!("{what}: element {i} is not a finite number"));
    }
    let data = match array.kind {
        Kind::Bytes => Features::Pixels(array.values.iter().map(|&v| v as u8).collect()),
        _ if reading.pixels => Features::Values(array.values.iter().map(|v| v / 256.0).collect()),
        _ => Features::Values(array.values),
    };
    Ok(dataset(what, features, data, None))
}

/// Labels from an array of shape (N,): whole numbers from 0.
pub(super) fn labels(array: Array, what: &str) -> Result<Vec<usize>, String> {
    if array.shape.len() != 1 {
        return Err(format!(
            "{what} has shape {:?}; labels are one class number per sample, shape (samples,)",
            array.shape
        ));
    }
    array
        .values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
                Ok(v as usize)
            } else {
                Err(format!("{what}: label {i} is {v}, not a class number"))
            }
        })
        .collect()
}

/// The samples of the `.npy` file at `path`.
pub fn npy_samples(path: &Path, reading: Reading) -> Result<Dataset, String> {
    samples(array(path)?, format!("`{}`", path.display()), reading)
}

/// The labels of the `.npy` file at `path`.
pub fn npy_labels(path: &Path) -> Result<Vec<usize>, String> {
    labels(array(path)?, &format!("`{}`", path.display()))
}
