//! Data sets: MNIST-style IDX files, NumPy arrays and CSV, gzipped or not, turned into samples
//! of the input format, zero-padded to the input layer. Bytes (IDX, `uint8` arrays) are pixels
//! `p / 256`; every other number is a value, or with [`Reading::pixels`] a pixel too. Files
//! are read only when regular and within [`files::MAX_DATA_BYTES`]; a file that cannot be
//! read as documented is an error with its line or shape, never silently taken another way.

mod csv;
mod directory;
mod idx;
mod npy;

use crate::files::{self, MAX_DATA_BYTES};
use crate::fixed::Format;
use crate::program::Sample;
pub use csv::csv;
pub use directory::directory;
pub use idx::{idx_images, idx_labels};
pub use npy::{npy_labels, npy_samples};
use std::path::Path;

/// How numbers that are not bytes are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// Numbers are pixels 0..255, read as `p / 256` (as bytes always are).
    pub pixels: bool,
}

/// The samples' feature values, in the width they were stored in.
#[derive(Clone, Debug, PartialEq)]
pub enum Features {
    /// Pixels `p`, standing for `p / 256`.
    Pixels(Vec<u8>),
    /// Values, as read.
    Values(Vec<f64>),
}

/// A data set: `features` values per sample, and a label per sample when the file has them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Where it came from, for messages: a file or a directory.
    pub origin: String,
    pub features: usize,
    pub data: Features,
    pub labels: Option<Vec<usize>>,
}

/// How the values of a data set became the input format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conversion {
    pub values: usize,
    /// Values outside the input format's range, saturated to its ends.
    pub saturated: usize,
    /// Every value is a whole number from 0 to 255 and some exceeds 1: pixels read as values.
    pub looks_like_pixels: bool,
}

impl Dataset {
    pub fn len(&self) -> usize {
        let stored = match &self.data {
            Features::Pixels(p) => p.len(),
            Features::Values(v) => v.len(),
        };
        stored.checked_div(self.features).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first `n` samples.
    pub fn truncate(&mut self, n: usize) {
        let keep = n.min(self.len()) * self.features;
        match &mut self.data {
            Features::Pixels(p) => p.truncate(keep),
            Features::Values(v) => v.truncate(keep),
        }
        if let Some(l) = &mut self.labels {
            l.truncate(n);
        }
    }

    /// Samples in `format`, zero-padded to `inputs` values; labels checked against
    /// `outputs`. An empty set is an error: nothing can be trained or measured on it.
    pub fn samples(
        &self,
        format: Format,
        inputs: usize,
        outputs: usize,
    ) -> Result<(Vec<Sample>, Conversion), String> {
        if self.is_empty() {
            return Err(format!("{} holds no samples", self.origin));
        }
        if self.features > inputs {
            return Err(format!(
                "{}: samples have {} values but the input layer has {inputs}",
                self.origin, self.features
            ));
        }
        if let Some(max) = self.labels.as_ref().and_then(|l| l.iter().max()) {
            if *max >= outputs {
                return Err(format!(
                    "{}: labels go up to {max} but the output layer has {outputs} neurons",
                    self.origin
                ));
            }
        }
        let mut conversion = Conversion {
            values: self.len() * self.features,
            ..Conversion::default()
        };
        let mut convert = |v: f64| {
            let raw = format.from_f64(v);
            let exact = (v * (1u64 << format.frac) as f64 + 0.5).floor();
            if exact < format.min_raw() as f64 || exact > format.max_raw() as f64 {
                conversion.saturated += 1;
            }
            raw
        };
        let rows: Vec<Vec<i64>> = match &self.data {
            Features::Pixels(p) => p
                .chunks(self.features)
                .map(|row| row.iter().map(|&b| convert(f64::from(b) / 256.0)).collect())
                .collect(),
            Features::Values(v) => {
                conversion.looks_like_pixels = v
                    .iter()
                    .all(|x| x.fract() == 0.0 && (0.0..=255.0).contains(x))
                    && v.iter().any(|&x| x > 1.0);
                v.chunks(self.features)
                    .map(|row| row.iter().map(|&x| convert(x)).collect())
                    .collect()
            }
        };
        let samples = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut input)| {
                input.resize(inputs, 0);
                Sample {
                    input,
                    label: self.labels.as_ref().map_or(0, |l| l[i]),
                }
            })
            .collect();
        Ok((samples, conversion))
    }
}

impl Dataset {
    /// The samples' values as they are (pixels as p / 256), unrounded: what the float64 engine
    /// infers from.
    pub fn values(&self) -> Vec<Vec<f64>> {
        match &self.data {
            Features::Pixels(p) => p
                .chunks(self.features.max(1))
                .map(|row| row.iter().map(|&b| f64::from(b) / 256.0).collect())
                .collect(),
            Features::Values(v) => v
                .chunks(self.features.max(1))
                .map(<[f64]>::to_vec)
                .collect(),
        }
    }
}

/// The bytes of a data file, un-gzipped.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = files::read_regular(path, MAX_DATA_BYTES)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    files::gunzip(bytes, MAX_DATA_BYTES).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// An input file for `snnc run`, by extension: IDX images, a `.npy` array, or a `.csv` of
/// features — or of a label and features with `labelled`.
pub fn inputs(path: &Path, labelled: bool, reading: Reading) -> Result<Dataset, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.contains("idx") {
        idx_images(path)
    } else if name.ends_with(".npy") || name.ends_with(".npy.gz") {
        npy_samples(path, reading)
    } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
        csv(path, labelled, reading)
    } else {
        Err(format!(
            "`{}`: expected IDX images (`*-idx3-ubyte[.gz]`), a `.npy` array or a `.csv` file",
            path.display()
        ))
    }
}

/// Rows of `features` values as one data set.
fn dataset(origin: String, features: usize, data: Features, labels: Option<Vec<usize>>) -> Dataset {
    Dataset {
        origin,
        features,
        data,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(rows: &[&[f64]], labels: Option<Vec<usize>>) -> Dataset {
        dataset(
            "test data".into(),
            rows[0].len(),
            Features::Values(rows.iter().flat_map(|r| r.iter().copied()).collect()),
            labels,
        )
    }

    #[test]
    fn too_many_features_or_classes_and_empty_sets_are_errors() {
        let set = values(&[&[0.0; 5]], Some(vec![3]));
        assert!(set.samples(Format::signed(8, 4), 4, 8).is_err());
        assert!(set.samples(Format::signed(8, 4), 8, 3).is_err());
        assert!(set.samples(Format::signed(8, 4), 8, 4).is_ok());
        let mut empty = set.clone();
        empty.truncate(0);
        let error = empty.samples(Format::signed(8, 4), 8, 4).unwrap_err();
        assert!(error.contains("no samples"), "{error}");
    }

    #[test]
    fn saturated_values_are_counted_and_pixels_read_as_values_are_noticed() {
        let set = values(&[&[0.0, 255.0, 3.0], &[1.0, 2.0, 200.0]], None);
        let (samples, conversion) = set.samples(Format::unsigned(8, 8), 4, 2).unwrap();
        assert_eq!(
            samples[0].input,
            vec![0, 255, 255, 0],
            "saturated, then padded"
        );
        assert_eq!(
            conversion.saturated, 5,
            "255, 3, 1, 2 and 200 are at least 1"
        );
        assert!(conversion.looks_like_pixels);
        let fine = values(&[&[0.5, 0.25]], None);
        let (_, conversion) = fine.samples(Format::unsigned(8, 8), 2, 2).unwrap();
        assert_eq!(
            conversion,
            Conversion {
                values: 2,
                saturated: 0,
                looks_like_pixels: false
            }
        );
    }
}
