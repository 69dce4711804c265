//! Data directories: a training and a test set with labels, as MNIST-style IDX files
//! (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-…`, gzipped or not), as
//! `train.csv` and `test.csv` with the label first, or as NumPy arrays `x_train.npy`,
//! `y_train.npy`, `x_test.npy`, `y_test.npy` — in the directory, or as the keys of an `.npz`
//! archive given instead of it (Keras's `mnist.npz`).

use super::{csv, idx_images, idx_labels, npy, read, Dataset, Reading};
use std::path::{Path, PathBuf};

/// What `--data` accepts, for messages.
pub const LAYOUTS: &str = "MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz), train.csv and test.csv, or x_train.npy, y_train.npy, x_test.npy and y_test.npy (or an .npz file with those keys)";

/// The train and test sets at `path`: a directory, or an `.npz` archive.
pub fn directory(path: &Path, reading: Reading) -> Result<(Dataset, Dataset), String> {
    if path.is_file() {
        return npz(path, reading);
    }
    let find = |stem: &str| -> Option<PathBuf> {
        [stem.to_string(), format!("{stem}.gz")]
            .iter()
            .map(|n| path.join(n))
            .find(|p| p.is_file())
    };
    let pair = |images: &str, labels: &str| -> Option<Result<Dataset, String>> {
        let (images, labels) = (find(images)?, find(labels)?);
        Some(labelled(idx_images(&images), idx_labels(&labels)))
    };
    let arrays = |x: &str, y: &str| -> Option<Result<Dataset, String>> {
        let (x, y) = (find(x)?, find(y)?);
        Some(labelled(npy::npy_samples(&x, reading), npy::npy_labels(&y)))
    };
    let sets = [
        (
            pair("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            pair("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        ),
        (
            find("train.csv").map(|p| csv(&p, true, reading)),
            find("test.csv").map(|p| csv(&p, true, reading)),
        ),
        (
            arrays("x_train.npy", "y_train.npy"),
            arrays("x_test.npy", "y_test.npy"),
        ),
    ];
    for (train, test) in sets {
        if let (Some(train), Some(test)) = (train, test) {
            return Ok((train?, test?));
        }
    }
    Err(format!("`{}` holds none of: {LAYOUTS}", path.display()))
}

/// Samples with their labels, which must be as many.
fn labelled(
    set: Result<Dataset, String>,
    labels: Result<Vec<usize>, String>,
) -> Result<Dataset, String> {
    let mut set = set?;
    let labels = labels?;
    if labels.len() != set.len() {
        return Err(format!(
            "{} has {} samples but {} labels",
            set.origin,
            set.len(),
            labels.len()
        ));
    }
    set.labels = Some(labels);
    Ok(set)
}

/// The train and test sets of an `.npz` archive with `x_train`, `y_train`, `x_test`, `y_test`.
fn npz(path: &Path, reading: Reading) -> Result<(Dataset, Dataset), String> {
    let bytes = read(path)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        format!(
            "`{}` is not a directory or an .npz archive: {e}",
            path.display()
        )
    })?;
    let mut array = |key: &str| -> Result<crate::npy::Array, String> {
        let what = format!("`{}`: `{key}`", path.display());
        let bytes = crate::npy::npz_entry(&mut zip, key, crate::files::MAX_DATA_BYTES)
            .map_err(|e| format!("`{}`: {e}", path.display()))?
            .ok_or_else(|| format!("`{}` has no array `{key}`; {LAYOUTS}", path.display()))?;
        npy::parse(&bytes, &what)
    };
    let mut set = |x: &str, y: &str| -> Result<Dataset, String> {
        let what = format!("`{}`: `{x}`", path.display());
        let samples = npy::samples(array(x)?, what.clone(), reading);
        let labels = npy::labels(array(y)?, &format!("`{}`: `{y}`", path.display()));
        labelled(samples, labels)
    };
    Ok((set("x_train", "y_train")?, set("x_test", "y_test")?))
}
