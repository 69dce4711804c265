//! Trained weights and biases as a NumPy `.npz` archive: for every junction, a dense
//! `<junction>.weights` matrix of shape (left, right) — zero where there is no edge — a
//! `<junction>.biases` vector, both float64, and a boolean `<junction>.edges` mask of the same
//! shape, so that an edge whose weight trained to exactly 0 is still an edge. They load into
//! NumPy and back into snnc, which checks the mask against the network's edges.

use crate::program::{Parameters, Program};
use std::io::Write;
use std::path::Path;

/// One float64 array as the bytes of a `.npy` file.
pub fn npy_bytes(shape: &[usize], values: &[f64]) -> Vec<u8> {
    let mut bytes = npy_header(shape, "<f8");
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes
}

/// One boolean array as the bytes of a `.npy` file.
pub fn npy_bool_bytes(shape: &[usize], values: &[bool]) -> Vec<u8> {
    let mut bytes = npy_header(shape, "|b1");
    bytes.extend(values.iter().map(|&b| u8::from(b)));
    bytes
}

/// The magic, version and header of a C-order `.npy` file of `shape` and `descr`.
fn npy_header(shape: &[usize], descr: &str) -> Vec<u8> {
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
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
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
        let mut edges = vec![false; dense.len()];
        for (e, w) in weights[j].iter().enumerate() {
            let at = junction.left[e] as usize * junction.right_size + junction.right[e] as usize;
            dense[at] = *w;
            edges[at] = true;
        }
        zip.start_file(format!("{}.edges.npy", junction.name), options)
            .map_err(|e| io(&e))?;
        zip.write_all(&npy_bool_bytes(
            &[junction.left_size, junction.right_size],
            &edges,
        ))
        .map_err(|e| io(&e))?;
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

/// Trained parameters as loaded: rounded to the weight format, and as the file holds them.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub params: Parameters,
    /// The values per junction, in program order, before rounding.
    pub weights: Vec<Vec<f64>>,
    pub biases: Vec<Vec<f64>>,
    pub fidelity: Fidelity,
}

/// What a file's `<junction>.edges` masks must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Masks {
    /// The network's edges: the file is this network's weights.
    Checked,
    /// Anything: the values on the network's edges are taken (design-space exploration
    /// starts variants with other edges from one trained file).
    Ignored,
}

/// Loads parameters for `program` from `path`, rounding each value to the weight format; a
/// file's edge masks must be the network's edges.
pub fn load(path: &Path, program: &Program) -> Result<Loaded, String> {
    load_with(path, program, Masks::Checked)
}

/// Loads parameters for `program` from `path`, its masks treated as `masks` says.
pub fn load_with(path: &Path, program: &Program, masks: Masks) -> Result<Loaded, String> {
    let bytes = crate::files::read_regular(path, crate::files::MAX_WEIGHTS_BYTES)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("`{}` is not a .npz archive: {e}", path.display()))?;
    type Zip = zip::ZipArchive<std::io::Cursor<Vec<u8>>>;
    let array = |zip: &mut Zip, name: &str, shape: &[usize]| -> Result<Vec<f64>, String> {
        let bytes = crate::npy::npz_entry(zip, name, crate::files::MAX_WEIGHTS_BYTES)?
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
    let mut exact_weights = Vec::new();
    let mut exact_biases = Vec::new();
    let mut off_edges = 0;
    for (j, junction) in program.junctions.iter().enumerate() {
        let dense = array(
            &mut zip,
            &format!("{}.weights", junction.name),
            &[junction.left_size, junction.right_size],
        )?;
        let mut on_edge = vec![false; dense.len()];
        for e in 0..junction.edges() {
            on_edge[junction.left[e] as usize * junction.right_size + junction.right[e] as usize] =
                true;
        }
        let mask = match masks {
            Masks::Checked => edge_mask(&mut zip, junction, path)?,
            Masks::Ignored => None,
        };
        if let Some(mask) = mask {
            if let Some(at) = (0..mask.len()).find(|&i| mask[i] != on_edge[i]) {
                let (l, r) = (at / junction.right_size, at % junction.right_size);
                return Err(format!(
                    "junction `{}`: the file's edges are not the network's: {l} -> {r} is an edge of {} only (saved from another model, or another pattern?)",
                    junction.name,
                    if mask[at] { "the file" } else { "the network" }
                ));
            }
        }
        let mut exact = Vec::with_capacity(junction.edges());
        for e in 0..junction.edges() {
            let at = junction.left[e] as usize * junction.right_size + junction.right[e] as usize;
            on_edge[at] = true;
            params.weights[j][e] = round(dense[at]);
            exact.push(dense[at]);
        }
        exact_weights.push(exact);
        off_edges += dense
            .iter()
            .zip(&on_edge)
            .filter(|(v, on)| !**on && **v != 0.0)
            .count();
        let biases = array(
            &mut zip,
            &format!("{}.biases", junction.name),
            &[junction.right_size],
        )?;
        params.biases[j] = biases.iter().map(|&b| round(b)).collect();
        exact_biases.push(biases);
    }
    fidelity.off_edges = off_edges;
    Ok(Loaded {
        params,
        weights: exact_weights,
        biases: exact_biases,
        fidelity,
    })
}

/// The `<junction>.edges` mask of an archive, when it has one.
fn edge_mask<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    junction: &crate::program::Junction,
    path: &Path,
) -> Result<Option<Vec<bool>>, String> {
    let name = format!("{}.edges", junction.name);
    let Some(bytes) = crate::npy::npz_entry(zip, &name, crate::files::MAX_WEIGHTS_BYTES)? else {
        return Ok(None);
    };
    let array =
        crate::npy::parse(&bytes).map_err(|e| format!("`{}`: `{name}`: {e:?}", path.display()))?;
    if array.shape != [junction.left_size, junction.right_size] {
        return Err(format!(
            "`{name}` has shape {:?}, the network needs ({}, {})",
            array.shape, junction.left_size, junction.right_size
        ));
    }
    Ok(Some(array.values.iter().map(|&v| v != 0.0).collect()))
}
