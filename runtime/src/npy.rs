//! NumPy `.npy` arrays as every reader of snnc takes them: any shape, C or Fortran order
//! (what `np.save(w.T)` writes) returned in C order, booleans, integers and floats of every
//! width NumPy saves little-endian, and exactly the payload the header announces.

use npyz::{DType, NpyFile, Order, TypeChar};

/// What an array's elements are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `uint8`: pixels, for data sets.
    Bytes,
    /// Other integers and booleans.
    Integers,
    Floats,
}

/// An array's shape and values, in C (row-major) order.
#[derive(Clone, Debug)]
pub struct Array {
    pub shape: Vec<usize>,
    pub values: Vec<f64>,
    pub kind: Kind,
}

/// Why bytes are not an array snnc reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NpyError {
    /// Not a `.npy` file, or one whose payload does not match its header.
    Malformed(String),
    /// A valid file of an element type snnc does not read.
    Dtype(String),
}

/// The element types snnc reads, as NumPy names them.
pub const DTYPES: &str =
    "float32, float64, int8, int16, int32, int64, uint8, uint16, uint32 or bool";

/// The array in `bytes`.
pub fn parse(bytes: &[u8]) -> Result<Array, NpyError> {
    let malformed = |e: &dyn std::fmt::Display| NpyError::Malformed(e.to_string());
    let npy = NpyFile::new(bytes).map_err(|e| malformed(&e))?;
    let shape: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
    let count = shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| NpyError::Malformed(format!("shape {shape:?} is too large")))?;
    let fortran = npy.order() == Order::Fortran;
    let DType::Plain(ts) = npy.dtype() else {
        return Err(NpyError::Dtype(format!(
            "structured elements `{}`",
            npy.dtype().descr()
        )));
    };
    let size = ts.size_field() as usize;
    if ts.endianness() == npyz::Endianness::Big && size > 1 {
        return Err(NpyError::Dtype(format!("big-endian elements `{ts}`")));
    }
    let payload = payload_len(bytes).ok_or_else(|| NpyError::Malformed("no header".into()))?;
    let expected = count.saturating_mul(size);
    if payload != expected {
        return Err(NpyError::Malformed(format!(
            "the header announces {count} elements ({expected} bytes), the file holds {payload} bytes"
        )));
    }
    fn widen<T: Into<f64>>(v: std::io::Result<Vec<T>>) -> std::io::Result<Vec<f64>> {
        v.map(|v| v.into_iter().map(Into::into).collect())
    }
    let (values, kind) = match (ts.type_char(), size) {
        (TypeChar::Float, 4) => (widen(npy.into_vec::<f32>()), Kind::Floats),
        (TypeChar::Float, 8) => (npy.into_vec::<f64>(), Kind::Floats),
        (TypeChar::Int, 1) => (widen(npy.into_vec::<i8>()), Kind::Integers),
        (TypeChar::Int, 2) => (widen(npy.into_vec::<i16>()), Kind::Integers),
        (TypeChar::Int, 4) => (widen(npy.into_vec::<i32>()), Kind::Integers),
        (TypeChar::Int, 8) => (
            npy.into_vec::<i64>()
                .map(|v| v.into_iter().map(|x| x as f64).collect()),
            Kind::Integers,
        ),
        (TypeChar::Uint, 1) => (widen(npy.into_vec::<u8>()), Kind::Bytes),
        (TypeChar::Uint, 2) => (widen(npy.into_vec::<u16>()), Kind::Integers),
        (TypeChar::Uint, 4) => (widen(npy.into_vec::<u32>()), Kind::Integers),
        (TypeChar::Bool, 1) => (
            npy.into_vec::<bool>()
                .map(|v| v.into_iter().map(|x| f64::from(u8::from(x))).collect()),
            Kind::Integers,
        ),
        _ => return Err(NpyError::Dtype(format!("elements of type `{ts}`"))),
    };
    let values = values.map_err(|e| malformed(&e))?;
    let values = if fortran && shape.len() > 1 {
        to_c_order(&values, &shape)
    } else {
        values
    };
    Ok(Array {
        shape,
        values,
        kind,
    })
}

/// The bytes of the array `key` (`key.npy`) of an `.npz` archive, at most `limit`; `None`
/// when the archive has no such array.
pub fn npz_entry<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    key: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, String> {
    use std::io::Read;
    let Ok(mut entry) = zip.by_name(&format!("{key}.npy")) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    entry
        .by_ref()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("`{key}`: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "`{key}` is larger than the {} MiB snnc reads",
            limit >> 20
        ));
    }
    Ok(Some(bytes))
}

/// Bytes after the header: version 1 has a 2-byte header length, versions 2 and 3 4 bytes.
fn payload_len(bytes: &[u8]) -> Option<usize> {
    let (len_bytes, start) = match bytes.get(6)? {
        1 => (2, 10),
        _ => (4, 12),
    };
    let mut header = [0u8; 4];
    header[..len_bytes].copy_from_slice(bytes.get(8..8 + len_bytes)?);
    let data = start + u32::from_le_bytes(header) as usize;
    bytes.len().checked_sub(data)
}

/// Fortran-order `values` of `shape` rearranged into C order.
fn to_c_order(values: &[f64], shape: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; values.len()];
    let mut index = vec![0usize; shape.len()];
    for v in out.iter_mut() {
        // The Fortran offset of the C-order multi-index: the first axis varies fastest.
        let mut offset = 0;
        let mut stride = 1;
        for (i, d) in index.iter().zip(shape) {
            offset += i * stride;
            stride *= d;
        }
        *v = values[offset];
        for (i, d) in index.iter_mut().zip(shape).rev() {
            *i += 1;
            if *i < *d {
                break;
            }
            *i = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `.npy` file of float64 `values` with `shape`, in `fortran` order or not.
    fn file(shape: &str, fortran: bool, values: &[f64]) -> Vec<u8> {
        let mut header = format!(
            "{{'descr': '<f8', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend((header.len() as u16).to_le_bytes());
        bytes.extend(header.as_bytes());
        for v in values {
            bytes.extend(v.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn fortran_order_comes_back_in_c_order() {
        // The 2×3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        let a = parse(&file("(2, 3)", true, &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0])).unwrap();
        assert_eq!(a.shape, vec![2, 3]);
        assert_eq!(a.values, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let c = parse(&file("(2, 3)", false, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])).unwrap();
        assert_eq!(c.values, a.values);
        // Three axes: element (i, j, k) of shape (2, 2, 2) at Fortran offset i + 2j + 4k.
        let fortran: Vec<f64> = (0..8)
            .map(|offset| {
                let (i, j, k) = (offset % 2, offset / 2 % 2, offset / 4);
                (100 * i + 10 * j + k) as f64
            })
            .collect();
        let a = parse(&file("(2, 2, 2)", true, &fortran)).unwrap();
        assert_eq!(
            a.values,
            vec![0.0, 1.0, 10.0, 11.0, 100.0, 101.0, 110.0, 111.0]
        );
    }

    #[test]
    fn the_payload_must_be_what_the_header_says() {
        let mut extra = file("(2,)", false, &[1.0, 2.0]);
        extra.extend([0u8; 8]);
        assert!(matches!(parse(&extra), Err(NpyError::Malformed(_))));
        let mut short = file("(2,)", false, &[1.0, 2.0]);
        short.truncate(short.len() - 3);
        assert!(matches!(parse(&short), Err(NpyError::Malformed(_))));
        assert!(matches!(parse(b"not npy"), Err(NpyError::Malformed(_))));
    }
}
