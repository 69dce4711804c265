//! `snnc import`: an ONNX model ([`graph`]: a chain of fully connected layers) becomes a
//! `.snn` model and the `.npy` weight and bias files it names ([`model`]), with a summary of
//! what was kept and chosen. docs/import.md states the rules.

pub mod calibrate;
pub mod export;
pub mod graph;
pub mod model;
pub mod tensors;

use crate::diagnostics::Error;
use onnx_protobuf::Message;
use snn_runtime::fixed::Format;

/// What the user chose on the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The network's name (default: the file's).
    pub name: Option<String>,
    /// Every signed format (default: chosen from the weights' ranges).
    pub format: Option<Format>,
    /// The input's format (default: the activations').
    pub input_format: Option<Format>,
    /// Add a `train` block with learning rate 2^-k.
    pub train: Option<u32>,
    /// Clocks per junction pass (`cycles = C`) instead of a `z` per layer.
    pub cycles: Option<usize>,
}

/// Why a `--learning-rate` is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LearningRateError {
    /// `2^` followed by something other than an integer.
    #[error("write 2^-k")]
    Exponent,
    #[error("{text}: the learning rate is a power of two from 2^-24 to 1, e.g. 2^-3")]
    Range { text: String },
}

/// A learning rate as `2^-k` (k from 0 to 24) or a decimal power of two; returns k.
pub fn parse_learning_rate(text: &str) -> Result<u32, LearningRateError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let k = match compact.strip_prefix("2^") {
        Some(exponent) => exponent
            .parse::<i32>()
            .map_err(|_| LearningRateError::Exponent)?
            .checked_neg(),
        None => compact
            .parse::<f64>()
            .ok()
            .filter(|v| *v > 0.0 && v.log2().fract() == 0.0)
            .map(|v| -(v.log2() as i32)),
    };
    match k {
        Some(k @ 0..=24) => Ok(k as u32),
        _ => Err(LearningRateError::Range {
            text: text.to_string(),
        }),
    }
}

/// Why a `--format` is not a number format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("write fixed<W,F> or ufixed<W,F>")]
    Syntax,
    #[error("W is a number")]
    Width,
    #[error("F is a number")]
    Fraction,
    #[error("{text}: W from 2 to 32, F < W (F ≤ W unsigned)")]
    Range { text: String },
}

/// `fixed<W, F>` or `ufixed<W, F>`, as the language writes them.
pub fn parse_format(text: &str) -> Result<Format, FormatError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (signed, rest) = match compact.strip_prefix("ufixed<") {
        Some(r) => (false, r),
        None => (
            true,
            compact.strip_prefix("fixed<").ok_or(FormatError::Syntax)?,
        ),
    };
    let (w, f) = rest
        .strip_suffix('>')
        .and_then(|r| r.split_once(','))
        .ok_or(FormatError::Syntax)?;
    let (w, f): (u32, u32) = (
        w.parse().map_err(|_| FormatError::Width)?,
        f.parse().map_err(|_| FormatError::Fraction)?,
    );
    if !(2..=32).contains(&w) || f > w || (signed && f == w) {
        return Err(FormatError::Range {
            text: text.to_string(),
        });
    }
    Ok(if signed {
        Format::signed(w, f)
    } else {
        Format::unsigned(w, f)
    })
}

/// Decodes an ONNX model and reads its chain of layers, with the formats an earlier
/// `snnc export` left in its metadata.
pub fn read(bytes: &[u8], path: &str) -> Result<graph::Chain, Error> {
    let not_onnx = |reason: String| Error::NotOnnx {
        path: path.to_string(),
        reason,
    };
    let model =
        onnx_protobuf::ModelProto::parse_from_bytes(bytes).map_err(|e| not_onnx(e.to_string()))?;
    let Some(graph) = model.graph.as_ref() else {
        return Err(not_onnx("it has no graph".into()));
    };
    if graph.node.is_empty() {
        return Err(not_onnx("its graph has no nodes".into()));
    }
    let mut chain = graph::chain(graph)?;
    let meta = |key: &str| {
        model
            .metadata_props
            .iter()
            .find(|p| p.key == key)
            .and_then(|p| parse_format(&p.value).ok())
    };
    if let (Some(i), Some(w), Some(a)) = (
        meta(export::INPUT_FORMAT),
        meta(export::WEIGHTS_FORMAT),
        meta(export::ACTIVATIONS_FORMAT),
    ) {
        chain.exported_formats = Some((i, w, a));
    }
    let entry = |key: &str| {
        model
            .metadata_props
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.value.as_str())
    };
    if let Some(names) = entry(export::LAYERS) {
        let names: Vec<String> = names.split_whitespace().map(str::to_string).collect();
        if names.len() == chain.layers.len() + 1 && names.iter().all(|n| model::identifier(n) == *n)
        {
            chain.names = Some(names);
        }
    }
    for layer in &mut chain.layers {
        let Some(junction) = layer.node.strip_suffix("/Gemm") else {
            continue;
        };
        if let Some(table) = entry(&format!("{}{junction}", export::SIGMOID)) {
            let numbers: Vec<i32> = table
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            match numbers.as_slice() {
                [entries @ 0..=16, range @ -4..=8] if layer.activation == graph::Activation::Sigmoid => {
                    layer.sigmoid_table = Some((*entries as u32, *range));
                }
                _ => {
                    return Err(Error::UnsupportedForm {
                        node: layer.node.clone(),
                        op: "metadata".into(),
                        what: format!("`{}{junction}` is `{table}`, not a sigmoid table of the layer", export::SIGMOID),
                        help: "the entry holds log2 of the table's entries and of its range; remake the file with snnc export".into(),
                    })
                }
            }
        }
        let Some(listed) = entry(&format!("{}{junction}", export::ZERO_EDGES)) else {
            continue;
        };
        for index in listed.split_whitespace() {
            match index.parse::<usize>() {
                Ok(i) if i < layer.edges.len() => layer.edges[i] = true,
                _ => {
                    return Err(Error::UnsupportedForm {
                        node: layer.node.clone(),
                        op: "metadata".into(),
                        what: format!("`{}{junction}` lists `{index}`, not a weight of the layer", export::ZERO_EDGES),
                        help: "the entry lists the flat (row-major) indices of edges whose weight is 0; remake the file with snnc export".into(),
                    })
                }
            }
        }
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_as_the_language_writes_them() {
        assert_eq!(parse_format("fixed<16,10>"), Ok(Format::signed(16, 10)));
        assert_eq!(parse_format("ufixed< 8, 8 >"), Ok(Format::unsigned(8, 8)));
        assert!(
            parse_format("fixed<8,8>").is_err(),
            "a signed format keeps a sign bit"
        );
        assert!(parse_format("fixed<33,1>").is_err());
        assert!(parse_format("ap_fixed<16,6>").is_err());
    }

    #[test]
    fn learning_rates_are_powers_of_two() {
        assert_eq!(parse_learning_rate("2^-3"), Ok(3));
        assert_eq!(parse_learning_rate("0.125"), Ok(3));
        assert_eq!(parse_learning_rate("1"), Ok(0));
        assert_eq!(parse_learning_rate("2^-24"), Ok(24));
        for bad in ["0.3", "2^3", "2^-25", "0", "-0.5", "x"] {
            assert!(parse_learning_rate(bad).is_err(), "{bad}");
        }
    }
}
