//! CSV data: one sample per line, numbers separated by commas; with a label, the label first.
//! Every line must be a sample: a header, a blank line, a number that does not parse, NaN
//! and infinities are errors with their line number.

use super::{dataset, read, Dataset, Features, Reading};
use std::path::Path;

/// A CSV file of numbers, one sample per line; with `labelled`, the first column is the label.
/// Values are read as they are, or as pixels `p / 256` with [`Reading::pixels`].
pub fn csv(path: &Path, labelled: bool, reading: Reading) -> Result<Dataset, String> {
    let text = String::from_utf8(read(path)?)
        .map_err(|_| format!("`{}` is not UTF-8 text", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let at = |n: usize, why: String| format!("`{}` line {}: {why}", path.display(), n + 1);
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut width: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            return Err(at(n, "a blank line; every line is one sample".into()));
        }
        let mut row = Vec::new();
        for cell in line.split(',') {
            let cell = cell.trim();
            let v: f64 = cell.parse().map_err(|_| {
                at(
                    n,
                    if n == 0 {
                        format!("`{cell}` is not a number (snnc reads CSV without a header line)")
                    } else {
                        format!("`{cell}` is not a number")
                    },
                )
            })?;
            if !v.is_finite() {
                return Err(at(n, format!("`{cell}` is not a finite number")));
            }
            row.push(v);
        }
        if labelled {
            let label = row.remove(0);
            if label < 0.0 || label.fract() != 0.0 || label > u32::MAX as f64 {
                return Err(at(n, format!("the label {label} is not a class number")));
            }
            labels.push(label as usize);
        }
        match width {
            None => width = Some(row.len()),
            Some(w) if w != row.len() => {
                return Err(at(
                    n,
                    format!("{} values, the first line has {w}", row.len()),
                ))
            }
            Some(_) => {}
        }
        values.extend(row);
    }
    if reading.pixels {
        values.iter_mut().for_each(|v| *v /= 256.0);
    }
    Ok(dataset(
        format!("`{}`", path.display()),
        width.unwrap_or(0),
        Features::Values(values),
        labelled.then_some(labels),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> std::path::PathBuf {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("snnc-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!(
            "{}.csv",
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn every_line_is_a_sample_or_an_error_with_its_number() {
        for (text, line) in [
            ("a,b\n1,2\n", 1),
            ("1,2\n\n3,4\n", 2),
            ("1,2\n3,NaN\n", 2),
            ("1,inf\n", 1),
            ("1,2\n3\n", 2),
        ] {
            let error = csv(&file(text), false, Reading::default()).unwrap_err();
            assert!(
                error.contains(&format!("line {line}:")),
                "{text:?}: {error}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_row() {
        let set = csv(
            &file("\u{feff}1,0.5,0.25\n0,0.125,1\n"),
            true,
            Reading::default(),
        )
        .unwrap();
        assert_eq!(set.labels, Some(vec![1, 0]));
        assert_eq!(set.data, Features::Values(vec![0.5, 0.25, 0.125, 1.0]));
    }

    #[test]
    fn pixels_are_read_as_p_over_256_when_asked() {
        let set = csv(&file("128,64\n"), false, Reading { pixels: true }).unwrap();
        assert_eq!(set.data, Features::Values(vec![0.5, 0.25]));
    }
}
