//! Data sets: MNIST-style IDX files (gzipped or not), NumPy `.npy` arrays and CSV, turned
//! into samples of the input format, zero-padded to the input layer.

use crate::fixed::Format;
use crate::program::Sample;
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Features and labels as they come from a file.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// One row of feature values per sample.
    pub rows: Vec<Vec<f64>>,
    /// One label per sample, when the file has them.
    pub labels: Option<Vec<usize>>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The first `n` samples.
    pub fn truncate(&mut self, n: usize) {
        self.rows.truncate(n);
        if let Some(l) = &mut self.labels {
            l.truncate(n);
        }
    }

    /// Samples in `format`, zero-padded to `inputs` values; labels checked against `outputs`.
    pub fn samples(
        &self,
        format: Format,
        inputs: usize,
        outputs: usize,
    ) -> Result<Vec<Sample>, String> {
        let features = self.rows.first().map_or(0, Vec::len);
        if features > inputs {
            return Err(format!(
                "samples have {features} values but the input layer has {inputs}"
            ));
        }
        if let Some(max) = self.labels.as_ref().and_then(|l| l.iter().max()) {
            if *max >= outputs {
                return Err(format!(
                    "labels go up to {max} but the output layer has {outputs} neurons"
                ));
            }
        }
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                if row.len() != features {
                    return Err(format!(
                        "sample {i} has {} values, the first has {features}",
                        row.len()
                    ));
                }
                let mut input: Vec<i64> = row.iter().map(|&v| format.from_f64(v)).collect();
                input.resize(inputs, 0);
                Ok(Sample {
                    input,
                    label: self.labels.as_ref().map_or(0, |l| l[i]),
                })
            })
            .collect()
    }
}

/// Reads a file, un-gzipping it when it starts with the gzip magic.
fn read_maybe_gz(path: &Path) -> Result<Vec<u8>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("`{}` is not valid gzip: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// An IDX file: its dimensions and unsigned-byte data.
fn idx(path: &Path) -> Result<(Vec<usize>, Vec<u8>), String> {
    let bytes = read_maybe_gz(path)?;
    let bad = |why: &str| format!("`{}` is not an IDX file: {why}", path.display());
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 {
        return Err(bad("wrong magic number"));
    }
    if bytes[2] != 0x08 {
        return Err(bad("only unsigned-byte IDX data is supported"));
    }
    let dims = bytes[3] as usize;
    let header = 4 + 4 * dims;
    if bytes.len() < header {
        return Err(bad("truncated header"));
    }
    let shape: Vec<usize> = (0..dims)
        .map(|d| {
            u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let count: usize = shape.iter().product();
    if bytes.len() != header + count {
        return Err(bad(&format!(
            "{} data bytes, the header says {count}",
            bytes.len() - header
        )));
    }
    Ok((shape, bytes[header..].to_vec()))
}

/// Pixel bytes `p` stand for the values `p / 256`.
fn pixels(data: &[u8], per_sample: usize) -> Vec<Vec<f64>> {
    data.chunks(per_sample.max(1))
        .map(|c| c.iter().map(|&p| p as f64 / 256.0).collect())
        .collect()
}

/// An IDX image file (`*-idx3-ubyte`, any number of dimensions after the first).
pub fn idx_images(path: &Path) -> Result<Dataset, String> {
    let (shape, data) = idx(path)?;
    let per_sample: usize = shape.iter().skip(1).product();
    Ok(Dataset {
        rows: pixels(&data, per_sample),
        labels: None,
    })
}

/// An IDX label file (`*-idx1-ubyte`).
pub fn idx_labels(path: &Path) -> Result<Vec<usize>, String> {
    let (shape, data) = idx(path)?;
    if shape.len() != 1 {
        return Err(format!(
            "`{}` is not a label file: {} dimensions",
            path.display(),
            shape.len()
        ));
    }
    Ok(data.into_iter().map(usize::from).collect())
}

/// A `.npy` array of shape (N, F) or (F,): bytes are pixels (p / 256), other numbers values.
pub fn npy(path: &Path) -> Result<Dataset, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let npy = npyz::NpyFile::new(&bytes[..]).map_err(|e| format!("`{}`: {e}", path.display()))?;
    let shape: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
    let per_sample = match shape.as_slice() {
        [f] => *f,
        [_, f] => *f,
        _ => {
            return Err(format!(
                "`{}` has shape {shape:?}; expected (samples, features)",
                path.display()
            ))
        }
    };
    let bad = |e: std::io::Error| format!("`{}`: {e}", path.display());
    let rows = match element(&npy.dtype()) {
        Some(Element::U8) => pixels(&npy.into_vec::<u8>().map_err(bad)?, per_sample),
        Some(Element::F32) => chunk(
            npy.into_vec::<f32>()
                .map_err(bad)?
                .into_iter()
                .map(f64::from)
                .collect(),
            per_sample,
        ),
        Some(Element::F64) => chunk(npy.into_vec::<f64>().map_err(bad)?, per_sample),
        Some(Element::I32) => chunk(
            npy.into_vec::<i32>()
                .map_err(bad)?
                .into_iter()
                .map(f64::from)
                .collect(),
            per_sample,
        ),
        Some(Element::I64) => chunk(
            npy.into_vec::<i64>()
                .map_err(bad)?
                .into_iter()
                .map(|v| v as f64)
                .collect(),
            per_sample,
        ),
        None => {
            return Err(format!(
                "`{}` holds `{}`; use uint8 pixels or float32/float64 values",
                path.display(),
                npy.dtype().descr()
            ))
        }
    };
    Ok(Dataset { rows, labels: None })
}

/// The element types snnc reads from `.npy` files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    U8,
    I32,
    I64,
    F32,
    F64,
}

/// The element type of a plain little-endian (or byte-sized) dtype snnc reads.
pub fn element(dtype: &npyz::DType) -> Option<Element> {
    use npyz::{Endianness, TypeChar};
    let npyz::DType::Plain(ts) = dtype else {
        return None;
    };
    let little = ts.endianness() != Endianness::Big;
    match (ts.type_char(), ts.size_field(), little) {
        (TypeChar::Uint, 1, _) => Some(Element::U8),
        (TypeChar::Int, 4, true) => Some(Element::I32),
        (TypeChar::Int, 8, true) => Some(Element::I64),
        (TypeChar::Float, 4, true) => Some(Element::F32),
        (TypeChar::Float, 8, true) => Some(Element::F64),
        _ => None,
    }
}

fn chunk(values: Vec<f64>, per_sample: usize) -> Vec<Vec<f64>> {
    values
        .chunks(per_sample.max(1))
        .map(<[f64]>::to_vec)
        .collect()
}

/// A CSV file of numbers, one sample per line; with `labelled`, the first column is the label.
pub fn csv(path: &Path, labelled: bool) -> Result<Dataset, String> {
    let text = String::from_utf8(read_maybe_gz(path)?)
        .map_err(|_| format!("`{}` is not text", path.display()))?;
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed: Result<Vec<f64>, _> =
            line.split(',').map(|c| c.trim().parse::<f64>()).collect();
        let Ok(mut values) = parsed else {
            if n == 0 {
                continue; // a header line
            }
            return Err(format!(
                "`{}` line {}: not a list of numbers",
                path.display(),
                n + 1
            ));
        };
        if labelled {
            let label = values.remove(0);
            if label < 0.0 || label.fract() != 0.0 {
                return Err(format!(
                    "`{}` line {}: label {label} is not a class number",
                    path.display(),
                    n + 1
                ));
            }
            labels.push(label as usize);
        }
        rows.push(values);
    }
    Ok(Dataset {
        rows,
        labels: labelled.then_some(labels),
    })
}

/// An input file for `snnc run`, by extension: IDX images, `.npy` or `.csv` (features only).
pub fn inputs(path: &Path) -> Result<Dataset, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.contains("idx") {
        idx_images(path)
    } else if name.ends_with(".npy") {
        npy(path)
    } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
        csv(path, false)
    } else {
        Err(format!(
            "`{}`: expected IDX images (`*-idx3-ubyte[.gz]`), a `.npy` array or a `.csv` file",
            path.display()
        ))
    }
}

/// The train and test sets of a data directory: MNIST-style IDX files
/// (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-...`) or
/// `train.csv` and `test.csv` with the label in the first column.
pub fn directory(dir: &Path) -> Result<(Dataset, Dataset), String> {
    let find = |stem: &str| -> Option<PathBuf> {
        [stem.to_string(), format!("{stem}.gz")]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    let idx_pair = |images: &str, labels: &str| -> Option<Result<Dataset, String>> {
        let (images, labels) = (find(images)?, find(labels)?);
        Some((|| {
            let mut set = idx_images(&images)?;
            let labels = idx_labels(&labels)?;
            if labels.len() != set.len() {
                return Err(format!("{} images but {} labels", set.len(), labels.len()));
            }
            set.labels = Some(labels);
            Ok(set)
        })())
    };
    let train = idx_pair("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    let test = idx_pair("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    match (train, test) {
        (Some(train), Some(test)) => Ok((train?, test?)),
        _ => match (find("train.csv"), find("test.csv")) {
            (Some(train), Some(test)) => Ok((csv(&train, true)?, csv(&test, true)?)),
            _ => Err(format!(
                "`{}` holds neither MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz) nor train.csv and test.csv",
                dir.display()
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idx_round_trip_with_and_without_gzip() {
        let dir = std::env::temp_dir().join(format!("snnc-idx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
        bytes.extend([0, 128, 255, 64]);
        std::fs::write(dir.join("x-idx3-ubyte"), &bytes).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        std::fs::write(dir.join("y-idx3-ubyte.gz"), gz.finish().unwrap()).unwrap();
        for name in ["x-idx3-ubyte", "y-idx3-ubyte.gz"] {
            let set = idx_images(&dir.join(name)).unwrap();
            assert_eq!(set.rows, vec![vec![0.0, 0.5], vec![255.0 / 256.0, 0.25]]);
        }
        let samples = idx_images(&dir.join("x-idx3-ubyte"))
            .unwrap()
            .samples(Format::unsigned(8, 8), 4, 2)
            .unwrap();
        assert_eq!(samples[1].input, vec![255, 64, 0, 0], "padded with zeros");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn too_many_features_or_classes_are_errors() {
        let set = Dataset {
            rows: vec![vec![0.0; 5]],
            labels: Some(vec![3]),
        };
        assert!(set.samples(Format::signed(8, 4), 4, 8).is_err());
        assert!(set.samples(Format::signed(8, 4), 8, 3).is_err());
        assert!(set.samples(Format::signed(8, 4), 8, 4).is_ok());
    }
}
