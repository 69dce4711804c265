//! A chain of ONNX layers written as a `.snn` model: a junction per layer — `pruned` when its
//! matrix has zeros, `dense` when it has none — with its weights and biases in `.npy` files,
//! number formats from QONNX `Quant` nodes or from the values' ranges, and its lanes (up to
//! 16 per junction, or `cycles = C`); and the summary of what was chosen.

use super::calibrate::Ranges;
use super::graph::{Activation, Chain, Quantised};
use super::Options;
use serde::Serialize;
use snn_runtime::fixed::Format;
use std::fmt::Write;

/// The most lanes an imported junction gets by default.
const LANES: usize = 16;
/// The width of formats chosen from ranges.
const WIDTH: u32 = 16;

/// The model, its files (name and bytes), and the summary.
pub struct Imported {
    pub name: String,
    pub text: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub summary: Summary,
}

/// What an import kept and chose, in the shape of `snnc import --format json`.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub network: String,
    pub inputs: usize,
    pub layers: Vec<LayerSummary>,
    pub formats: Formats,
    /// How the formats were chosen.
    pub rule: String,
    /// What was taken as something close to it.
    pub approximations: Vec<String>,
    /// The `train` block added, if one was.
    pub training: Option<TrainBlock>,
    /// `cycles = C`, when the model gives it.
    pub cycles: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct TrainBlock {
    pub cost: &'static str,
    pub learning_rate: String,
}

#[derive(Debug, Serialize)]
pub struct LayerSummary {
    pub name: String,
    pub node: String,
    pub inputs: usize,
    pub outputs: usize,
    /// Non-zero weights: the junction's edges.
    pub edges: usize,
    pub density: f64,
    pub connect: &'static str,
    pub activation: &'static str,
    /// Set when every input has the same fan-out and every output the same fan-in.
    pub regular: Option<(usize, usize)>,
}

#[derive(Debug, Serialize)]
pub struct Formats {
    pub input: String,
    pub weights: String,
    pub activations: String,
}

/// The model of `chain` under `options`, its formats from the `calibration` ranges when given.
pub fn model(
    chain: &Chain,
    options: &Options,
    file_stem: &str,
    calibration: Option<&Ranges>,
) -> Imported {
    let name = identifier(options.name.as_deref().unwrap_or(file_stem));
    let mut approximations = chain.notes.clone();
    let (formats, rule) = formats(chain, options, calibration, &mut approximations);
    let (input_name, names) = match &chain.names {
        Some(names) => (names[0].clone(), names[1..].to_vec()),
        None => (
            "x".to_string(),
            (1..=chain.layers.len())
                .map(|i| {
                    if i == chain.layers.len() {
                        "output".to_string()
                    } else {
                        format!("hidden{i}")
                    }
                })
                .collect(),
        ),
    };
    let mut files = Vec::new();
    let mut layers_text = String::new();
    let mut summaries = Vec::new();
    let mut left = chain.inputs;
    for (layer, layer_name) in chain.layers.iter().zip(&names) {
        let w = &layer.weights;
        let edges = layer.edges.iter().filter(|e| **e).count();
        let pruned = edges < w.values.len();
        // Edges that trained to 0 are not in the weights' non-zeros: a mask says them.
        let zero_edges = layer
            .edges
            .iter()
            .zip(&w.values)
            .any(|(e, v)| *e && *v == 0.0);
        let mask_file = format!("{layer_name}_edges.npy");
        // The most lanes up to LANES that divide the left layer.
        let z = (1..=LANES.min(left))
            .rev()
            .find(|z| left.is_multiple_of(*z))
            .unwrap_or(1);
        let weights_file = format!("{layer_name}.npy");
        let bias_file = format!("{layer_name}_bias.npy");
        files.push((
            weights_file.clone(),
            snn_runtime::weights::npy_bytes(&[w.rows, w.cols], &w.values),
        ));
        let has_biases = layer.biases.iter().any(|b| *b != 0.0);
        if has_biases {
            files.push((
                bias_file.clone(),
                snn_runtime::weights::npy_bytes(&[w.cols], &layer.biases),
            ));
        }
        let activation = match layer.activation {
            Activation::Sigmoid => "sigmoid",
            Activation::Relu => "relu",
            Activation::Identity => "identity",
        };
        let activation_text = match layer.sigmoid_table {
            Some((entries, range)) => format!(
                "sigmoid(table = {}, range = {})",
                1u64 << entries,
                power_of_two(range)
            ),
            None => activation.to_string(),
        };
        let _ = writeln!(
            layers_text,
            "\n    // {} (from `{}`): {edges} of {} weights",
            layer_name,
            layer.node,
            w.values.len()
        );
        let _ = writeln!(layers_text, "    layer {layer_name}[{}] {{", w.cols);
        let _ = writeln!(layers_text, "        activation = {activation_text};");
        if pruned && zero_edges {
            files.push((
                mask_file.clone(),
                snn_runtime::weights::npy_bool_bytes(&[w.rows, w.cols], &layer.edges),
            ));
            let _ = writeln!(
                layers_text,
                "        connect    = pruned(weights = \"{mask_file}\");"
            );
            let _ = writeln!(layers_text, "        weights    = \"{weights_file}\";");
        } else if pruned {
            let _ = writeln!(
                layers_text,
                "        connect    = pruned(weights = \"{weights_file}\");"
            );
        } else {
            let _ = writeln!(layers_text, "        connect    = dense;");
            let _ = writeln!(layers_text, "        weights    = \"{weights_file}\";");
        }
        if has_biases {
            let _ = writeln!(layers_text, "        biases     = \"{bias_file}\";");
        }
        if options.cycles.is_none() {
            let _ = writeln!(layers_text, "        z          = {z};");
        }
        let _ = writeln!(layers_text, "    }}");
        summaries.push(LayerSummary {
            name: layer_name.clone(),
            node: layer.node.clone(),
            inputs: w.rows,
            outputs: w.cols,
            edges,
            density: (edges as f64 / w.values.len() as f64 * 1e4).round() / 1e4,
            connect: if pruned { "pruned" } else { "dense" },
            activation,
            regular: regular(&layer.edges, w.rows, w.cols),
        });
        left = w.cols;
    }
    let sigmoid_out = chain
        .layers
        .last()
        .is_some_and(|l| l.activation == Activation::Sigmoid);
    let training = options.train.map(|shift| TrainBlock {
        cost: if sigmoid_out {
            "cross_entropy"
        } else {
            "quadratic"
        },
        learning_rate: format!("2^-{shift}"),
    });
    let train = match &training {
        Some(t) => format!(
            "\n    train {{\n        cost          = {};\n        learning_rate = {};\n    }}\n",
            t.cost, t.learning_rate
        ),
        None => String::new(),
    };
    let cycles = options
        .cycles
        .map(|c| format!("    cycles = {c};\n\n"))
        .unwrap_or_default();
    let text = format!(
        "// Imported by `snnc import` from an ONNX model: {} layers, weights from the files beside it.\n\
         // Formats: {rule}\n\
         network {name} {{\n{cycles}    formats {{\n        input       = {};\n        weights     = {};\n        activations = {};\n        deltas      = {};\n    }}\n\n    input {input_name}[{}];\n{layers_text}{train}}}\n",
        chain.layers.len(),
        formats.input,
        formats.weights,
        formats.activations,
        formats.activations,
        chain.inputs
    );
    let summary = Summary {
        network: name.clone(),
        inputs: chain.inputs,
        layers: summaries,
        formats: Formats {
            input: formats.input.to_string(),
            weights: formats.weights.to_string(),
            activations: formats.activations.to_string(),
        },
        rule,
        approximations,
        training,
        cycles: options.cycles,
    };
    Imported {
        name,
        text,
        files,
        summary,
    }
}

/// The three formats a model gets.
struct Chosen {
    input: Format,
    weights: Format,
    activations: Format,
}

/// The formats: `--number-format` for every signed one; else snnc's own from an earlier
/// export; else QONNX's where its `Quant` nodes give them; else 16 bits with the integer bits
/// the ranges need (see docs/import.md).
fn formats(
    chain: &Chain,
    options: &Options,
    calibration: Option<&Ranges>,
    notes: &mut Vec<String>,
) -> (Chosen, String) {
    let weight_quants: Vec<Quantised> = chain
        .layers
        .iter()
        .filter_map(|l| l.weight_format)
        .collect();
    let act_quants: Vec<Quantised> = chain
        .layers
        .iter()
        .filter_map(|l| l.activation_format)
        .collect();
    let ranged = Ranged::of(chain, calibration);
    let (weights, activations, mut rule) = match (options.format, chain.exported_formats) {
        (Some(f), _) => (
            f,
            f,
            format!("{f} for every tensor, as --number-format asks"),
        ),
        (None, Some((_, w, a))) => (
            w,
            a,
            "snnc's, from the model's metadata (written by snnc export)".to_string(),
        ),
        (None, None) if !weight_quants.is_empty() || !act_quants.is_empty() => {
            let w = widest(&weight_quants, notes, "weights").unwrap_or(ranged.weights);
            let a = widest(&act_quants, notes, "activations").unwrap_or(ranged.activations);
            (w, a, "from the model's QONNX Quant nodes".to_string())
        }
        (None, None) => (ranged.weights, ranged.activations, ranged.rule.clone()),
    };
    let input = match (
        options.input_format,
        chain.exported_formats,
        chain.input_format,
    ) {
        (Some(f), _, _) => f,
        (None, Some((i, _, _)), _) => i,
        (None, None, Some(q)) => format_of(q, notes, "input", true),
        (None, None, None) => {
            rule.push_str(&format!("; input {}", ranged.input_rule));
            ranged.input
        }
    };
    (
        Chosen {
            input,
            weights,
            activations,
        },
        rule,
    )
}

/// The widest of the formats `Quant` nodes give (integer and fraction bits each at their most).
fn widest(quants: &[Quantised], notes: &mut Vec<String>, what: &str) -> Option<Format> {
    let formats: Vec<Format> = quants
        .iter()
        .map(|&q| format_of(q, notes, what, false))
        .collect();
    let integer = formats.iter().map(|f| f.width - f.frac).max()?;
    let frac = formats.iter().map(|f| f.frac).max()?;
    if formats.windows(2).any(|w| w[0] != w[1]) {
        notes.push(format!(
            "the {what}' Quant nodes give different formats; snnc has one for all layers and takes the widest"
        ));
    }
    Some(Format::signed((integer + frac).min(32), frac.min(31)))
}

/// snnc's format for a QONNX quantiser; an unsigned one becomes signed (one more bit) unless
/// it is the input's.
fn format_of(q: Quantised, notes: &mut Vec<String>, what: &str, input: bool) -> Format {
    let frac = q.frac.max(0) as u32;
    if q.frac < 0 {
        notes.push(format!(
            "the {what}' Quant steps of 2^{} are taken as whole numbers",
            -q.frac
        ));
    }
    if !q.signed && input {
        return Format::unsigned(q.bits, frac.min(q.bits));
    }
    let width = (q.bits + u32::from(!q.signed)).max(frac + 1).min(32);
    if width != q.bits {
        notes.push(format!(
            "the {what}' {}{}-bit Quant becomes fixed<{width}, {frac}>: snnc's {what} are signed and keep a sign bit",
            if q.signed { "" } else { "unsigned " },
            q.bits
        ));
    }
    Format::signed(width, frac.min(width - 1))
}

/// Formats of [`WIDTH`] bits from ranges: weights with the integer bits the largest weight or
/// bias needs; activations with those of the largest pre-activation — seen over calibration
/// samples, or else the largest that inputs within [-1, 1] can give (sigmoid layers' outputs
/// within [0, 1], other layers passing their bound on); the input with those of the
/// calibration inputs' range, or else of [-1, 1].
struct Ranged {
    weights: Format,
    activations: Format,
    input: Format,
    rule: String,
    input_rule: String,
}

impl Ranged {
    fn of(chain: &Chain, calibration: Option<&Ranges>) -> Ranged {
        let largest = chain
            .layers
            .iter()
            .flat_map(|l| l.weights.values.iter().chain(&l.biases))
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let wi = signed_bits(largest).clamp(2, 12);
        let weights = Format::signed(WIDTH, WIDTH - wi);
        let weights_rule = format!(
            "{WIDTH} bits; weights with the integer bits their largest magnitude ({}) needs ({wi})",
            round(largest)
        );
        match calibration {
            Some(r) => {
                let ai = signed_bits(r.pre_activation).clamp(2, 12);
                let (input, input_rule) = if r.input_min >= 0.0 {
                    let ii = unsigned_bits(r.input_max).min(WIDTH);
                    (Format::unsigned(WIDTH, WIDTH - ii), format!("unsigned with the integer bits of the calibration inputs' largest ({}): {ii}", round(r.input_max)))
                } else {
                    let ii = signed_bits(r.input_min.abs().max(r.input_max)).clamp(1, WIDTH - 1);
                    (Format::signed(WIDTH, WIDTH - ii), format!("with the integer bits of the calibration inputs' range ({} to {}): {ii}", round(r.input_min), round(r.input_max)))
                };
                Ranged {
                    weights,
                    activations: Format::signed(WIDTH, WIDTH - ai),
                    input,
                    rule: format!(
                        "{weights_rule}; activations with those of the largest pre-activation over {} calibration samples ({}): {ai}",
                        r.samples,
                        round(r.pre_activation)
                    ),
                    input_rule,
                }
            }
            None => {
                let mut bound = 1.0f64;
                let mut pre = 0.0f64;
                for l in &chain.layers {
                    let w = &l.weights;
                    let column = (0..w.cols)
                        .map(|c| {
                            (0..w.rows)
                                .map(|r| w.values[r * w.cols + c].abs())
                                .sum::<f64>()
                                * bound
                                + l.biases[c].abs()
                        })
                        .fold(0.0, f64::max);
                    pre = pre.max(column);
                    bound = if l.activation == Activation::Sigmoid {
                        1.0
                    } else {
                        column
                    };
                }
                let ai = signed_bits(pre).clamp(2, 12);
                Ranged {
                    weights,
                    activations: Format::signed(WIDTH, WIDTH - ai),
                    input: Format::signed(WIDTH, WIDTH - 2),
                    rule: format!(
                        "{weights_rule}; activations with those of the largest pre-activation inputs within [-1, 1] can give ({}): {ai}, a worst case that --calibrate DATA replaces with what real inputs give",
                        round(pre)
                    ),
                    input_rule: "within [-1, 1]: 2 integer bits".into(),
                }
            }
        }
    }
}

/// Integer bits, sign included, of a signed format that holds `v` (at least 1).
fn signed_bits(v: f64) -> u32 {
    (v.max(f64::MIN_POSITIVE).log2().floor() as i64 + 2).max(1) as u32
}

/// Integer bits of an unsigned format that holds `v`.
fn unsigned_bits(v: f64) -> u32 {
    if v < 1.0 {
        0
    } else {
        (v.log2().floor() as i64 + 1) as u32
    }
}

/// `v` to at most three decimals, for the rule's text.
fn round(v: f64) -> String {
    format!("{:.3}", v)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// (fan-out, fan-in) when every input keeps the same number of edges and every output too.
fn regular(edges: &[bool], rows: usize, cols: usize) -> Option<(usize, usize)> {
    let out: Vec<usize> = (0..rows)
        .map(|r| (0..cols).filter(|&c| edges[r * cols + c]).count())
        .collect();
    let inn: Vec<usize> = (0..cols)
        .map(|c| (0..rows).filter(|&r| edges[r * cols + c]).count())
        .collect();
    let same = |d: &[usize]| d.windows(2).all(|p| p[0] == p[1]);
    (same(&out) && same(&inn)).then(|| (out[0], inn[0]))
}

/// 2^`k` as the language writes it: a whole number, or `2^-k` below 1.
fn power_of_two(k: i32) -> String {
    if k >= 0 {
        (1u64 << k).to_string()
    } else {
        format!("2^{k}")
    }
}

/// A name the language accepts: letters, digits and `_`, not starting with a digit.
pub fn identifier(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "net_");
    }
    s
}
