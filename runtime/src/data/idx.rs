//! MNIST-style IDX files: unsigned-byte images (`*-idx3-ubyte`) and labels (`*-idx1-ubyte`).

use super::{dataset, read, Dataset, Features};
use std::path::Path;

/// An IDX file's dimensions and data, checked against each other.
fn idx(path: &Path) -> Result<(Vec<usize>, Vec<u8>), String> {
    let bytes = read(path)?;
    let bad = |why: &str| format!("`{}` is not an IDX file: {why}", path.display());
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 {
        return Err(bad("wrong magic number"));
    }
    if bytes[2] != 0x08 {
        return Err(bad("only unsigned-byte IDX data is supported"));
    }
    let dims = bytes[3] as usize;
    let header = 4 + 4 * dims;
    if dims == 0 || bytes.len() < header {
        return Err(bad("truncated header"));
    }
    let shape: Vec<usize> = (0..dims)
        .map(|d| {
            u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let count = shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| bad(&format!("the dimensions {shape:?} overflow")))?;
    if bytes.len() - header != count {
        return Err(bad(&format!(
            "{} data bytes, the header's dimensions {shape:?} say {count}",
            bytes.len() - header
        )));
    }
    Ok((shape, bytes[header..].to_vec()))
}

/// An IDX image file (`*-idx3-ubyte`, any number of dimensions after the first).
pub fn idx_images(path: &Path) -> Result<Dataset, String> {
    let (shape, data) = idx(path)?;
    let features: usize = shape.iter().skip(1).product();
    if features == 0 {
        return Err(format!("`{}` has images of no pixels", path.display()));
    }
    Ok(dataset(
        format!("`{}`", path.display()),
        features,
        Features::Pixels(data),
        None,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::Format;

    fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("snnc-idx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn idx_round_trip_with_and_without_gzip() {
        let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
        bytes.extend([0, 128, 255, 64]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        for path in [
            temp("x-idx3-ubyte", &bytes),
            temp("y-idx3-ubyte.gz", &gz.finish().unwrap()),
        ] {
            let set = idx_images(&path).unwrap();
            assert_eq!(set.data, Features::Pixels(vec![0, 128, 255, 64]));
            let (samples, _) = set.samples(Format::unsigned(8, 8), 4, 2).unwrap();
            assert_eq!(samples[1].input, vec![255, 64, 0, 0], "padded with zeros");
        }
    }

    #[test]
    fn dimensions_that_overflow_or_disagree_are_errors() {
        let huge = [
            0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let error = idx_images(&temp("huge-idx3-ubyte", &huge)).unwrap_err();
        assert!(
            error.contains("overflow") || error.contains("data bytes"),
            "{error}"
        );
        let empty = [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28];
        let set = idx_images(&temp("empty-idx3-ubyte", &empty)).unwrap();
        assert!(set
            .samples(Format::unsigned(8, 8), 784, 10)
            .unwrap_err()
            .contains("no samples"));
    }
}
