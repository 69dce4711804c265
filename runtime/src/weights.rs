//! Trained weights and biases as a NumPy `.npz` archive: for every junction, a dense
//! `<junction>.weights` matrix of shape (left, right) — zero where there is no edge — and a
//! `<junction>.biases` vector, both float64, so they load into NumPy and back into snnc.

use crate::program::{Parameters, Program};
use std::io::Write;
use std::path::Path;

/// One float64 array as the bytes of a `.npy` file.
pub fn npy_bytes(shape: &[usize], values: &[f64]) -> Vec<u8> {
    let dims = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {dims}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes
}

/// The `.npz` archive of `weights` (per junction, schedule order) and `biases`, in memory:
/// the caller writes it (atomically) where it belongs.
pub fn npz_bytes(
    program: &Program,
    weights: &[Vec<f64>],
    biases: &[Vec<f64>],
) -> Result<Vec<u8>, String> {
    let io = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (j, junction) in program.junctions.iter().enumerate() {
        let mut dense = vec![0.0; junction.left_size * junction.right_size];
        for (e, w) in weights[j].iter().enumerate() {
            dense[junction.left[e] as usize * junction.right_size + junction.right[e] as usize] =
                *w;
        }
        for (name, shape, values) in [
            (
                "weights",
                vec![junction.left_size, junction.right_size],
                dense,
            ),
            ("biases", vec![junction.right_size], biases[j].clone()),
        ] {
            zip.start_file(format!("{}.{name}.npy", junction.name), options)
                .map_err(|e| io(&e))?;
            zip.write_all(&npy_bytes(&shape, &values))
                .map_err(|e| io(&e))?;
        }
    }
    Ok(zip.finish().map_err(|e| io(&e))?.into_inner())
}

/// What loading weights changed: values outside the weight format (saturated to its ends),
/// and non-zero entries of a dense matrix where the junction has no edge (not loaded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fidelity {
    pub values: usize,
    pub saturated: usize,
    pub off_edges: usize,
}

/// Loads parameters for `program` from `path`, rounding each value to the weight format.
pub fn load(path: &Path, program: &Program) -> Result<(Parameters, Fidelity), String> {
    let bytes = crate::files::read_regular(path, crate::files::MAX_WEIGHTS_BYTES)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("`{}` is not a .npz archive: {e}", path.display()))?;
    let mut array = |name: &str, shape: &[usize]| -> Result<Vec<f64>, String> {
        let bytes = crate::npy::npz_entry(&mut zip, name, crate::files::MAX_WEIGHTS_BYTES)?
            .ok_or_else(|| format!("`{}` has no array `{name}`", path.display()))?;
        let array = crate::npy::parse(&bytes).map_err(|e| match e {
            crate::npy::NpyError::Malformed(why) => format!("`{name}` is not a valid array: {why}"),
            crate::npy::NpyError::Dtype(found) => {
                format!("`{name}` holds {found}; snnc reads {}", crate::npy::DTYPES)
            }
        })?;
        if array.shape != shape {
            return Err(format!(
                "`{name}` has shape {:?}, the model needs {shape:?}",
                array.shape
            ));
        }
        if let Some(i) = array.values.iter().position(|v| !v.is_finite()) {
            return Err(format!("`{name}`: element {i} is not a finite number"));
        }
        Ok(array.values)
    };
    let format = program.formats.weights;
    let mut fidelity = Fidelity::default();
    let mut round = |v: f64| {
        fidelity.values += 1;
        let scaled = (v * (1u64 << format.frac) as f64 + 0.5).floor();
        if scaled < format.min_raw() as f64 || scaled > format.max_raw() as f64 {
            fidelity.saturated += 1;
        }
        format.from_f64(v)
    };
    let mut params = program.zero_parameters();
    let mut off_edges = 0;
    for (j, junction) in program.junctions.iter().enumerate() {
        let dense = array(
            &format!("{}.weights", junction.name),
            &[junction.left_size, junction.right_size],
        )?;
        let mut on_edge = vec![false; dense.len()];
        for e in 0..junction.edges() {
            let at = junction.left[e] as usize * junction.right_size + junction.right[e] as usize;
            on_edge[at] = true;
            params.weights[j][e] = round(dense[at]);
        }
        off_edges += dense
            .iter()
            .zip(&on_edge)
            .filter(|(v, on)| !**on && **v != 0.0)
            .count();
        let biases = array(&format!("{}.biases", junction.name), &[junction.right_size])?;
        params.biases[j] = biases.iter().map(|&b| round(b)).collect();
    }
    fidelity.off_edges = off_edges;
    Ok((params, fidelity))
}
