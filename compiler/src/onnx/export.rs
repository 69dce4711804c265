//! `snnc export`: a network and its weights (in float) as an ONNX model that onnxruntime and
//! PyTorch run — per junction a `Gemm` of its dense (in, out) matrix, zero where it has no
//! edge, and its activation — with snnc's number formats, the layers' names and the edges
//! whose weight is 0 in the model's metadata, so that `snnc import` takes the same network
//! back.

use crate::network::Network;
use onnx_protobuf::{
    tensor_proto::DataType, tensor_shape_proto, type_proto, GraphProto, Message, ModelProto,
    NodeProto, OperatorSetIdProto, StringStringEntryProto, TensorProto, TensorShapeProto,
    TypeProto, ValueInfoProto,
};
use snn_runtime::activation::Activation;
use snn_runtime::program::Program;

/// The opset the exported model declares.
pub const OPSET: i64 = 13;
/// The metadata keys of snnc's formats.
pub const INPUT_FORMAT: &str = "snnc.format.input";
pub const WEIGHTS_FORMAT: &str = "snnc.format.weights";
pub const ACTIVATIONS_FORMAT: &str = "snnc.format.activations";
pub const DELTAS_FORMAT: &str = "snnc.format.deltas";
/// The metadata key of the layers' names, input first, space-separated.
pub const LAYERS: &str = "snnc.layers";
/// The prefix of the metadata key, per junction, of its edges whose weight is 0 (flat
/// row-major indices into its (in, out) matrix), which the matrix alone would drop.
pub const ZERO_EDGES: &str = "snnc.zero_edges.";
/// The prefix of the metadata key, per sigmoid layer, of its table: log2 of its entries and
/// of its range, space-separated — ONNX's Sigmoid is exact, snnc's a table.
pub const SIGMOID: &str = "snnc.sigmoid.";

/// The ONNX model of `network` with `weights` and `biases` (per junction, in `program`'s
/// edge order), its tensors of `element`.
pub fn export(
    network: &Network,
    program: &Program,
    weights: &[Vec<f64>],
    biases: &[Vec<f64>],
    element: Element,
) -> Vec<u8> {
    let f = &network.formats;
    let mut graph = GraphProto {
        name: network.name.clone(),
        ..GraphProto::default()
    };
    let names: Vec<&str> = program.layers.iter().map(|l| l.name.as_str()).collect();
    graph
        .input
        .push(value_info(names[0], program.input_size(), element));
    let mut metadata = vec![(LAYERS.to_string(), names.join(" "))];
    for (j, junction) in program.junctions.iter().enumerate() {
        let name = &junction.name;
        let mut dense = vec![0.0; junction.left_size * junction.right_size];
        let mut zero_edges = Vec::new();
        for (e, w) in weights[j].iter().enumerate() {
            let at = junction.left[e] as usize * junction.right_size + junction.right[e] as usize;
            dense[at] = *w;
            if *w == 0.0 {
                zero_edges.push(at);
            }
        }
        if !zero_edges.is_empty() {
            zero_edges.sort_unstable();
            let listed: Vec<String> = zero_edges.iter().map(usize::to_string).collect();
            metadata.push((format!("{ZERO_EDGES}{name}"), listed.join(" ")));
        }
        graph.initializer.push(tensor(
            &format!("{name}.weight"),
            &[junction.left_size, junction.right_size],
            &dense,
            element,
        ));
        graph.initializer.push(tensor(
            &format!("{name}.bias"),
            &[junction.right_size],
            &biases[j],
            element,
        ));
        let sum = format!("{name}.sum");
        graph.node.push(node(
            &format!("{name}/Gemm"),
            "Gemm",
            vec![
                names[j].to_string(),
                format!("{name}.weight"),
                format!("{name}.bias"),
            ],
            &sum,
        ));
        let op = match program.layers[j + 1].activation {
            Some(Activation::Sigmoid(table)) => {
                metadata.push((
                    format!("{SIGMOID}{name}"),
                    format!("{} {}", table.log2_entries, table.log2_range),
                ));
                "Sigmoid"
            }
            Some(Activation::Relu) => "Relu",
            _ => "Identity",
        };
        graph
            .node
            .push(node(&format!("{name}/{op}"), op, vec![sum], names[j + 1]));
    }
    graph.output.push(value_info(
        names[names.len() - 1],
        program.output_size(),
        element,
    ));
    metadata.extend(
        [
            (INPUT_FORMAT, f.input),
            (WEIGHTS_FORMAT, f.weights),
            (ACTIVATIONS_FORMAT, f.activations),
            (DELTAS_FORMAT, f.deltas),
        ]
        .iter()
        .map(|(key, format)| (key.to_string(), format.to_string())),
    );
    let model = ModelProto {
        ir_version: 7,
        producer_name: "snnc".into(),
        producer_version: env!("CARGO_PKG_VERSION").into(),
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: OPSET,
            ..OperatorSetIdProto::default()
        }],
        metadata_props: metadata
            .into_iter()
            .map(|(key, value)| StringStringEntryProto {
                key,
                value,
                ..StringStringEntryProto::default()
            })
            .collect(),
        graph: Some(graph).into(),
        ..ModelProto::default()
    };
    model.write_to_bytes().expect("an ONNX model serialises")
}

/// The element type of every tensor of an exported model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Element {
    Float32,
    Float64,
}

impl Element {
    /// float32, or float64 when `float64` asks or a format of `network` is wider than
    /// float32's 24-bit significand holds exactly.
    pub fn of(network: &Network, float64: bool) -> Element {
        let f = &network.formats;
        if float64
            || [f.input, f.weights, f.activations]
                .iter()
                .any(|f| f.width > 24)
        {
            Element::Float64
        } else {
            Element::Float32
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Element::Float32 => "float32",
            Element::Float64 => "float64",
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Element::Float32 => DataType::FLOAT,
            Element::Float64 => DataType::DOUBLE,
        }
    }
}

fn node(name: &str, op: &str, inputs: Vec<String>, output: &str) -> NodeProto {
    NodeProto {
        name: name.into(),
        op_type: op.into(),
        input: inputs,
        output: vec![output.into()],
        ..NodeProto::default()
    }
}

fn tensor(name: &str, shape: &[usize], values: &[f64], element: Element) -> TensorProto {
    let raw_data = match element {
        Element::Float32 => values
            .iter()
            .flat_map(|&v| (v as f32).to_le_bytes())
            .collect(),
        Element::Float64 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
    };
    TensorProto {
        name: name.into(),
        dims: shape.iter().map(|&d| d as i64).collect(),
        data_type: element.data_type() as i32,
        raw_data,
        ..TensorProto::default()
    }
}

/// A tensor of shape (N, `size`), N the batch.
fn value_info(name: &str, size: usize, element: Element) -> ValueInfoProto {
    let dim = |d: tensor_shape_proto::dimension::Value| tensor_shape_proto::Dimension {
        value: Some(d),
        ..tensor_shape_proto::Dimension::default()
    };
    let tensor = type_proto::Tensor {
        elem_type: element.data_type() as i32,
        shape: Some(TensorShapeProto {
            dim: vec![
                dim(tensor_shape_proto::dimension::Value::DimParam("N".into())),
                dim(tensor_shape_proto::dimension::Value::DimValue(size as i64)),
            ],
            ..TensorShapeProto::default()
        })
        .into(),
        ..type_proto::Tensor::default()
    };
    ValueInfoProto {
        name: name.into(),
        type_: Some(TypeProto {
            value: Some(type_proto::Value::TensorType(tensor)),
            ..TypeProto::default()
        })
        .into(),
        ..ValueInfoProto::default()
    }
}
