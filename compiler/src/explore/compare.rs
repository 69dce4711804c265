//! Sparse against dense: for every bit width and density, the fastest sparse design that
//! fits the part against the fastest dense design (the same layers, every edge present) that
//! fits it.

use super::Row;
use serde::Serialize;

/// The fastest design of one kind that fits.
#[derive(Clone, Debug, Serialize)]
pub struct Best {
    pub label: String,
    pub clocks_per_input: usize,
    pub inputs_per_second: f64,
    pub luts: u64,
    pub dsp48e1: u64,
    pub block_ram: f64,
}

/// One bit width and density's answer.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub bits: Option<u64>,
    pub density: Option<f64>,
    pub sparse: Option<Best>,
    pub dense: Option<Best>,
    /// `sparse`, `dense`, `equal` or `neither fits`.
    pub faster: &'static str,
    /// How many times faster the winner is.
    pub speedup: f64,
}

fn best<'a>(rows: impl Iterator<Item = &'a Row>) -> Option<Best> {
    rows.filter(|r| r.error.is_none() && r.fits() == Some(true))
        .filter_map(|r| {
            let e = r.estimate.as_ref()?;
            let res = r.resources()?;
            Some(Best {
                label: r.label.clone(),
                clocks_per_input: e.clocks_per_input,
                inputs_per_second: e.inputs_per_second,
                luts: res.luts,
                dsp48e1: res.dsp48e1,
                block_ram: res.block_ram(),
            })
        })
        .max_by(|a, b| {
            a.inputs_per_second
                .total_cmp(&b.inputs_per_second)
                .then(b.luts.cmp(&a.luts))
        })
}

/// The verdicts of every (bits, density) among the sparse rows, against the dense rows of
/// the same bits.
pub fn compare(rows: &[Row]) -> Vec<Verdict> {
    let mut keys: Vec<(Option<u64>, Option<f64>)> = Vec::new();
    for r in rows.iter().filter(|r| !r.point.dense) {
        let key = (r.point.bits, r.point.density);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|(bits, density)| {
            let sparse =
                best(rows.iter().filter(|r| {
                    !r.point.dense && r.point.bits == bits && r.point.density == density
                }));
            let dense = best(
                rows.iter()
                    .filter(|r| r.point.dense && r.point.bits == bits),
            );
            let (faster, speedup) = match (&sparse, &dense) {
                (Some(s), Some(d)) => {
                    let ratio = s.inputs_per_second / d.inputs_per_second;
                    if (ratio - 1.0).abs() < 1e-9 {
                        ("equal", 1.0)
                    } else if ratio > 1.0 {
                        ("sparse", ratio)
                    } else {
                        ("dense", 1.0 / ratio)
                    }
                }
                (Some(_), None) => ("sparse", f64::INFINITY),
                (None, Some(_)) => ("dense", f64::INFINITY),
                (None, None) => ("neither fits", 1.0),
            };
            Verdict {
                bits,
                density,
                sparse,
                dense,
                faster,
                speedup,
            }
        })
        .collect()
}
