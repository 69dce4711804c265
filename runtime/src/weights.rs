//! Trained weights and biases as a NumPy `.npz` archive: for every junction, a dense
//! `<junction>.weights` matrix of shape (left, right) — zero where there is no edge — and a
//! `<junction>.biases` vector, both float64, so they load into NumPy and back into snnc.

use crate::data::Element;
use crate::program::{Parameters, Program};
use std::io::{Read, Write};
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

/// Saves `weights` (per junction, schedule order) and `biases` to `path`.
pub fn save(
    path: &Path,
    program: &Program,
    weights: &[Vec<f64>],
    biases: &[Vec<f64>],
) -> Result<(), String> {
    let io = |e: &dyn std::fmt::Display| e.to_string();
    let file = std::fs::File::create(path).map_err(|e| io(&e))?;
    let mut zip = zip::ZipWriter::new(file);
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
    zip.finish().map_err(|e| io(&e))?;
    Ok(())
}

/// Loads parameters for `program` from `path`, rounding each value to the weight format.
pub fn load(path: &Path, program: &Program) -> Result<Parameters, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("`{}` is not a .npz archive: {e}", path.display()))?;
    let mut array = |name: &str, shape: &[usize]| -> Result<Vec<f64>, String> {
        let mut entry = zip
            .by_name(&format!("{name}.npy"))
            .map_err(|_| format!("`{}` has no array `{name}`", path.display()))?;
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("`{name}`: {e}"))?;
        let npy = npyz::NpyFile::new(&bytes[..]).map_err(|e| format!("`{name}`: {e}"))?;
        let found: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
        if found != shape {
            return Err(format!(
                "`{name}` has shape {found:?}, the model needs {shape:?}"
            ));
        }
        match crate::data::element(&npy.dtype()) {
            Some(Element::F64) => npy.into_vec::<f64>(),
            Some(Element::F32) => npy
                .into_vec::<f32>()
                .map(|v| v.into_iter().map(f64::from).collect()),
            _ => {
                return Err(format!(
                    "`{name}` holds `{}`, expected float64 or float32",
                    npy.dtype().descr()
                ))
            }
        }
        .map_err(|e| format!("`{name}`: {e}"))
    };
    let format = program.formats.weights;
    let mut params = program.zero_parameters();
    for (j, junction) in program.junctions.iter().enumerate() {
        let dense = array(
            &format!("{}.weights", junction.name),
            &[junction.left_size, junction.right_size],
        )?;
        for e in 0..junction.edges() {
            let v =
                dense[junction.left[e] as usize * junction.right_size + junction.right[e] as usize];
            params.weights[j][e] = format.from_f64(v);
        }
        let biases = array(&format!("{}.biases", junction.name), &[junction.right_size])?;
        params.biases[j] = biases.iter().map(|&b| format.from_f64(b)).collect();
    }
    Ok(params)
}
