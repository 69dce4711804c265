//! An ONNX graph read as what snnc compiles: one input, a chain of fully connected layers —
//! `Gemm`, or `MatMul` and an `Add` of a bias — each with its activation (`Relu`, `Sigmoid`,
//! `Identity`, or none), `Flatten`/`Reshape` that only flatten the input, and QONNX `Quant`
//! nodes on weights and activations. The graph is walked from its input; the first node that
//! is none of these ends the import with its error.

use super::tensors::{Constants, Matrix};
use crate::diagnostics::Error;
use onnx_protobuf::{GraphProto, NodeProto};
use snn_runtime::fixed::Format;
use std::collections::HashMap;

/// What the operators snnc imports are, for help lines.
pub const SUPPORTED: &str = "Gemm, MatMul with Add, Relu, Sigmoid, Identity, Flatten and Reshape of the input, and QONNX Quant";

/// A fixed-point format a QONNX `Quant` node gives: `bits` wide, `frac` of them fractional.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantised {
    pub signed: bool,
    pub bits: u32,
    pub frac: i32,
    /// `narrow = 1` (the most negative value unused) or a rounding other than half up.
    pub approximate: bool,
}

/// An activation an ONNX layer ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Sigmoid,
    Relu,
    Identity,
}

/// One fully connected layer: weights (in, out) — snnc's layout — and biases, with alpha and
/// beta folded in.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The node it came from.
    pub node: String,
    pub weights: Matrix,
    /// Which weights are edges, in the weights' layout: the non-zero ones, and those a model
    /// `snnc export` wrote lists as edges that trained to zero.
    pub edges: Vec<bool>,
    pub biases: Vec<f64>,
    pub activation: Activation,
    /// A sigmoid's table as (log2 entries, log2 range), when the model says it (`snnc
    /// export` does).
    pub sigmoid_table: Option<(u32, i32)>,
    pub weight_format: Option<Quantised>,
    pub activation_format: Option<Quantised>,
}

/// The chain: the input's size and format, then the layers.
#[derive(Clone, Debug)]
pub struct Chain {
    pub name: String,
    pub inputs: usize,
    /// The layers' names, input first, when the model says them (`snnc export` does).
    pub names: Option<Vec<String>>,
    pub input_format: Option<Quantised>,
    pub layers: Vec<Layer>,
    /// What was taken as something close to it, for the summary.
    pub notes: Vec<String>,
    /// The (input, weights, activations) formats of a model `snnc export` wrote.
    pub exported_formats: Option<(Format, Format, Format)>,
}

/// Reads the chain of `graph`.
pub fn chain(graph: &GraphProto) -> Result<Chain, Error> {
    let constants = Constants::new(graph)?;
    let inputs: Vec<_> = graph
        .input
        .iter()
        .filter(|i| !constants.has(&i.name))
        .collect();
    let [input] = inputs.as_slice() else {
        return Err(
            weights_as_input(graph, &constants).unwrap_or_else(|| Error::NotAChainGraph {
                what: format!("it has {} inputs; snnc needs one", inputs.len()),
            }),
        );
    };
    let [output] = graph.output.as_slice() else {
        return Err(Error::NotAChainGraph {
            what: format!("it has {} outputs; snnc needs one", graph.output.len()),
        });
    };
    let mut consumers: HashMap<&str, Vec<&NodeProto>> = HashMap::new();
    for node in &graph.node {
        for i in &node.input {
            consumers.entry(i.as_str()).or_default().push(node);
        }
    }
    let mut walk = Walk {
        input: (*input).clone(),
        chain: Chain {
            name: graph.name.clone(),
            inputs: 0,
            names: None,
            input_format: None,
            layers: Vec::new(),
            notes: Vec::new(),
            exported_formats: None,
        },
        constants,
        activated: false,
    };
    let mut current = input.name.clone();
    while current != output.name {
        let next: Vec<&&NodeProto> = consumers
            .get(current.as_str())
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        let node = match next.as_slice() {
            [] => {
                return Err(Error::NotAChainGraph {
                    what: format!(
                        "`{current}` leads nowhere: the output `{}` is not reached",
                        output.name
                    ),
                })
            }
            [one] => **one,
            several => {
                return Err(Error::NotAChainGraph {
                    what: format!(
                        "`{current}` feeds {} nodes ({}): a branch or a skip connection",
                        several.len(),
                        several
                            .iter()
                            .map(|n| format!("`{}`", n.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            }
        };
        current = walk.step(node, &current, &consumers)?;
    }
    if walk.chain.layers.is_empty() {
        return Err(Error::NotAChainGraph {
            what: "it has no fully connected layer".into(),
        });
    }
    walk.chain.inputs = input_size(input)?;
    Ok(walk.chain)
}

/// The error for a graph whose extra inputs are the weights of a node.
fn weights_as_input(graph: &GraphProto, constants: &Constants) -> Option<Error> {
    let extra: Vec<&str> = graph
        .input
        .iter()
        .filter(|i| !constants.has(&i.name))
        .map(|i| i.name.as_str())
        .skip(1)
        .collect();
    graph.node.iter().find_map(|n| {
        let tensor = n
            .input
            .iter()
            .skip(1)
            .find(|i| extra.contains(&i.as_str()))?;
        Some(Error::WeightsNotConstant {
            node: n.name.clone(),
            op: n.op_type.clone(),
            tensor: tensor.clone(),
        })
    })
}

/// Values per sample of the graph input: every dimension after the first (the batch).
fn input_size(input: &onnx_protobuf::ValueInfoProto) -> Result<usize, Error> {
    let dims: Vec<Option<i64>> = input
        .type_
        .tensor_type()
        .shape
        .dim
        .iter()
        .map(|d| d.has_dim_value().then(|| d.dim_value()))
        .collect();
    let bad = |what: String| {
        Error::UnsupportedForm {
        node: input.name.clone(),
        op: "input".into(),
        what,
        help: "give the input a shape (batch, features) or (batch, height, width[, channels]) with known sizes".into(),
    }
    };
    match dims.as_slice() {
        [_, rest @ ..] if !rest.is_empty() => rest.iter().try_fold(1usize, |n, d| match d {
            Some(d) if *d > 0 => Ok(n * *d as usize),
            _ => Err(bad(format!("a dimension of {dims:?} has no size"))),
        }),
        _ => Err(bad(format!(
            "shape {dims:?} has no batch and feature dimensions"
        ))),
    }
}

/// The walk's state: the graph input, the chain so far, and whether its last layer has its
/// activation.
struct Walk {
    input: onnx_protobuf::ValueInfoProto,
    chain: Chain,
    constants: Constants,
    activated: bool,
}

impl Walk {
    /// Takes `node`, which consumes `current`; returns the tensor it produces.
    fn step(
        &mut self,
        node: &NodeProto,
        current: &str,
        consumers: &HashMap<&str, Vec<&NodeProto>>,
    ) -> Result<String, Error> {
        let out = node.output.first().cloned().unwrap_or_default();
        let form = |what: String, help: &str| Error::UnsupportedForm {
            node: node.name.clone(),
            op: node.op_type.clone(),
            what,
            help: help.into(),
        };
        match (node.domain.as_str(), node.op_type.as_str()) {
            ("", "Flatten") => {
                if attr_i(node, "axis", 1) != 1 {
                    return Err(form(
                        "it flattens from an axis other than 1".into(),
                        "flatten every dimension after the batch",
                    ));
                }
                if !self.chain.layers.is_empty() {
                    return Err(form(
                        "a Flatten between layers".into(),
                        "flatten only the network's input",
                    ));
                }
                Ok(out)
            }
            ("", "Reshape") => {
                let shape = node
                    .input
                    .get(1)
                    .and_then(|s| self.constants.values(s))
                    .ok_or_else(|| {
                        form(
                            "its shape is not a constant".into(),
                            "reshape only to (batch, features)",
                        )
                    })?;
                let features = input_size(&self.input)?;
                let flattens = self.chain.layers.is_empty()
                    && shape.len() == 2
                    && (shape[1] == -1.0 || shape[1] == features as f64);
                if !flattens {
                    let dims: Vec<String> = shape.iter().map(|d| shortest(*d)).collect();
                    return Err(form(
                        format!(
                            "it reshapes to ({}), not to (batch, {features})",
                            dims.join(", ")
                        ),
                        "snnc takes a network whose only reshape flattens its input",
                    ));
                }
                Ok(out)
            }
            ("", "Gemm") => {
                if attr_i(node, "transA", 0) != 0 {
                    return Err(form(
                        "it transposes its input (transA = 1)".into(),
                        "export the layer as x · W or x · Wᵀ (transA = 0; transB may be 1)",
                    ));
                }
                let (alpha, beta) = (attr_f(node, "alpha", 1.0), attr_f(node, "beta", 1.0));
                let (weights, format) = self.weights(node, 1)?;
                let weights = if attr_i(node, "transB", 0) == 1 {
                    weights.transposed()
                } else {
                    weights
                };
                let biases = match node.input.get(2).filter(|b| !b.is_empty()) {
                    Some(b) => self.bias(node, b, weights.cols)?,
                    None => vec![0.0; weights.cols],
                };
                self.layer(
                    node,
                    weights.scaled(alpha),
                    biases.iter().map(|b| b * beta).collect(),
                    format,
                )?;
                Ok(out)
            }
            ("", "MatMul") => {
                let (weights, format) = self.weights(node, 1)?;
                let cols = weights.cols;
                // A bias follows as an Add of a constant.
                let add = consumers
                    .get(out.as_str())
                    .and_then(|c| c.first().filter(|_| c.len() == 1))
                    .filter(|n| n.op_type == "Add" && n.domain.is_empty());
                let bias =
                    add.and_then(|a| a.input.iter().find(|i| **i != out && self.constants.has(i)));
                match (add, bias) {
                    (Some(add), Some(b)) => {
                        let biases = self.bias(add, b, cols)?;
                        self.layer(node, weights, biases, format)?;
                        Ok(add.output.first().cloned().unwrap_or_default())
                    }
                    _ => {
                        self.layer(node, weights, vec![0.0; cols], format)?;
                        Ok(out)
                    }
                }
            }
            ("", "Add") => Err(
                match node
                    .input
                    .iter()
                    .find(|i| *i != current && !self.constants.has(i))
                {
                    Some(other) => Error::NotAChainGraph {
                        what: format!(
                            "node `{}` adds `{other}` to `{current}`: a skip connection",
                            node.name
                        ),
                    },
                    None => form(
                        "an Add that is not the bias of a MatMul".into(),
                        "add biases right after their MatMul, or use Gemm",
                    ),
                },
            ),
            ("", op @ ("Relu" | "Sigmoid" | "Identity")) => {
                let activation = match op {
                    "Relu" => Activation::Relu,
                    "Sigmoid" => Activation::Sigmoid,
                    _ => Activation::Identity,
                };
                match self.chain.layers.last_mut() {
                    Some(layer) if !self.activated => {
                        layer.activation = activation;
                        self.activated = true;
                    }
                    _ if activation == Activation::Identity => {}
                    _ => {
                        return Err(form(
                            "an activation that does not follow a layer".into(),
                            "each activation follows its Gemm or MatMul",
                        ))
                    }
                }
                Ok(out)
            }
            (domain, "Quant") if domain.starts_with("qonnx") || domain.starts_with("finn") => {
                let format = self.quant(node)?;
                match self.chain.layers.last_mut() {
                    None => self.chain.input_format = Some(format),
                    Some(layer) => layer.activation_format = Some(format),
                }
                Ok(out)
            }
            (_, op) => Err(Error::UnsupportedOp {
                node: node.name.clone(),
                op: op.to_string(),
                help: unsupported_help(op),
            }),
        }
    }

    /// Appends a layer of `node`; an earlier layer without an activation node gets Identity.
    fn layer(
        &mut self,
        node: &NodeProto,
        weights: Matrix,
        biases: Vec<f64>,
        weight_format: Option<Quantised>,
    ) -> Result<(), Error> {
        let fan_in = match self.chain.layers.last() {
            Some(previous) => previous.weights.cols,
            None => input_size(&self.input)?,
        };
        if weights.rows != fan_in || biases.len() != weights.cols {
            return Err(Error::UnsupportedForm {
                node: node.name.clone(),
                op: node.op_type.clone(),
                what: format!(
                    "weights of shape ({}, {}) and {} biases after a layer of {fan_in}",
                    weights.rows,
                    weights.cols,
                    biases.len()
                ),
                help: "each layer's weights are (its inputs, its outputs)".into(),
            });
        }
        self.chain.layers.push(Layer {
            node: node.name.clone(),
            edges: weights.values.iter().map(|w| *w != 0.0).collect(),
            weights,
            biases,
            activation: Activation::Identity,
            sigmoid_table: None,
            weight_format,
            activation_format: None,
        });
        self.activated = false;
        Ok(())
    }

    /// The constant matrix input `index` of `node`, through a weight `Quant` when there is one.
    fn weights(
        &mut self,
        node: &NodeProto,
        index: usize,
    ) -> Result<(Matrix, Option<Quantised>), Error> {
        let name = node.input.get(index).cloned().unwrap_or_default();
        if let Some(quant) = self.constants.quantiser(&name) {
            let format = self.quant(&quant)?;
            let matrix = self.constants.quantised_matrix(&quant, &node.name)?;
            return Ok((matrix, Some(format)));
        }
        let matrix = self
            .constants
            .matrix(&name)
            .ok_or_else(|| Error::WeightsNotConstant {
                node: node.name.clone(),
                op: node.op_type.clone(),
                tensor: name.clone(),
            })??;
        Ok((matrix, None))
    }

    fn bias(&self, node: &NodeProto, name: &str, len: usize) -> Result<Vec<f64>, Error> {
        let values = self
            .constants
            .values(name)
            .ok_or_else(|| Error::WeightsNotConstant {
                node: node.name.clone(),
                op: node.op_type.clone(),
                tensor: name.to_string(),
            })?;
        match values.len() {
            1 => Ok(vec![values[0]; len]),
            n if n == len => Ok(values),
            n => Err(Error::UnsupportedForm {
                node: node.name.clone(),
                op: node.op_type.clone(),
                what: format!("{n} biases for {len} outputs"),
                help: "a bias is one value per output".into(),
            }),
        }
    }

    /// The fixed-point format of a QONNX `Quant` node.
    fn quant(&mut self, node: &NodeProto) -> Result<Quantised, Error> {
        let scalar = |i: usize| {
            node.input
                .get(i)
                .and_then(|n| self.constants.values(n))
                .and_then(|v| (v.len() == 1).then(|| v[0]))
        };
        let form = |what: String| Error::UnsupportedForm {
            node: node.name.clone(),
            op: node.op_type.clone(),
            what,
            help: "a Quant with constant scalar scale, zero point 0 and a bit width".into(),
        };
        let (Some(scale), Some(zero), Some(bits)) = (scalar(1), scalar(2), scalar(3)) else {
            return Err(form(
                "its scale, zero point or bit width is not a constant scalar".into(),
            ));
        };
        if zero != 0.0 {
            return Err(form(format!("zero point {zero}")));
        }
        let frac = -scale.log2();
        if !(scale > 0.0 && frac.fract() == 0.0) {
            let below = scale.log2().floor() as i32;
            return Err(Error::QuantScale {
                node: node.name.clone(),
                scale: shortest(scale),
                nearest: if scale > 0.0 && scale.is_finite() {
                    format!(
                        "2^{below} = {} and 2^{} = {}",
                        2f64.powi(below),
                        below + 1,
                        2f64.powi(below + 1)
                    )
                } else {
                    "only positive powers of two".into()
                },
            });
        }
        if !(2.0..=32.0).contains(&bits) || bits.fract() != 0.0 {
            return Err(form(format!(
                "a bit width of {bits}; snnc formats have 2 to 32 bits"
            )));
        }
        let narrow = attr_i(node, "narrow", 0) == 1;
        let rounding = attr_s(node, "rounding_mode").unwrap_or_else(|| "ROUND".into());
        let approximate = narrow || rounding != "ROUND";
        if approximate {
            self.chain.notes.push(format!(
                "`{}` quantises with narrow = {} and rounding {rounding}; snnc uses the full range and rounds half up",
                node.name,
                u8::from(narrow)
            ));
        }
        Ok(Quantised {
            signed: attr_i(node, "signed", 1) == 1,
            bits: bits as u32,
            frac: frac as i32,
            approximate,
        })
    }
}

/// A number as it was most likely written: float32's shortest digits when it is a float32.
fn shortest(value: f64) -> String {
    let single = value as f32;
    if f64::from(single) == value {
        single.to_string()
    } else {
        value.to_string()
    }
}

fn unsupported_help(op: &str) -> String {
    let why = match op {
        "Conv" | "ConvTranspose" | "MaxPool" | "AveragePool" | "GlobalAveragePool" => {
            "snnc compiles fully connected networks; convolutions and pooling are not edges of a sparse junction"
        }
        "BatchNormalization" => "fold the batch normalisation into the preceding layer's weights and biases before exporting",
        "Softmax" | "LogSoftmax" => {
            "the decision is the largest output either way: export the network without its softmax, with a sigmoid output to train on chip"
        }
        "Tanh" | "LeakyRelu" | "Elu" | "Selu" | "HardSigmoid" | "Softplus" | "Gelu" => {
            "snnc's activations are sigmoid, relu and identity"
        }
        "Dropout" => "export the model in evaluation mode (model.eval()): dropout is then removed",
        _ => "",
    };
    if why.is_empty() {
        format!("snnc imports {SUPPORTED}")
    } else {
        format!("{why}; snnc imports {SUPPORTED}")
    }
}

fn attr<'a>(node: &'a NodeProto, name: &str) -> Option<&'a onnx_protobuf::AttributeProto> {
    node.attribute.iter().find(|a| a.name == name)
}

fn attr_i(node: &NodeProto, name: &str, default: i64) -> i64 {
    attr(node, name).map_or(default, |a| a.i)
}

fn attr_f(node: &NodeProto, name: &str, default: f64) -> f64 {
    attr(node, name).map_or(default, |a| f64::from(a.f))
}

fn attr_s(node: &NodeProto, name: &str) -> Option<String> {
    attr(node, name).map(|a| String::from_utf8_lossy(&a.s).into_owned())
}
