//! Elaboration: syntax tree → checked [`Network`]. Every mistake in the file is collected
//! before elaboration gives up, so the user sees them all at once.

mod junction;
mod layers;
mod props;
pub(crate) mod settings;
pub(crate) mod weights;

use crate::diagnostics::{Error, Source};
use crate::network::{Connectivity, Cycles, Junction, JunctionId, Layer, Network, Origin, Style};
use crate::syntax::ast::{self, Item};
use petgraph::graph::DiGraph;
use props::Props;
use std::path::Path;

/// The largest layer snnc accepts.
pub const MAX_NEURONS: u64 = 1 << 24;
/// The most edges a network may have: checked before any pattern is generated, so that no
/// model makes snnc allocate more than a few gigabytes.
pub const MAX_EDGES: u64 = 1 << 24;

/// Elaborates a parsed model. `model_dir` is where relative weight paths start.
pub fn elaborate(
    tree: &ast::Network,
    source: &Source,
    model_dir: &Path,
) -> Result<Network, Vec<Error>> {
    let mut errors = Vec::new();
    let lines = LineIndex::new(&source.text);

    // Sort the declarations: network properties, blocks, and layers in order.
    let mut properties = Vec::new();
    let mut blocks: Vec<&ast::Block> = Vec::new();
    let mut decls: Vec<(&ast::LayerDecl, bool)> = Vec::new();
    for item in &tree.items {
        match item {
            Item::Property(p) => properties.push(p.clone()),
            Item::Block(b) => {
                if let Some(first) = blocks.iter().find(|f| f.name.name == b.name.name) {
                    errors.push(Error::DuplicateProperty {
                        key: b.name.name.clone(),
                        span: b.name.span,
                        first: first.name.span,
                    });
                } else if ["target", "formats", "train"].contains(&b.name.name.as_str()) {
                    blocks.push(b);
                } else {
                    errors.push(Error::UnknownKey {
                        what: "block",
                        name: b.name.name.clone(),
                        help: crate::diagnostics::did_you_mean(
                            &b.name.name,
                            ["target", "formats", "train"],
                        ),
                        span: b.name.span,
                    });
                }
            }
            Item::Input(d) => decls.push((d, true)),
            Item::Layer(d) => decls.push((d, false)),
        }
    }
    let block = |name: &str| blocks.iter().copied().find(|b| b.name.name == name);

    let target = settings::target(block("target"), &mut errors);
    let formats = settings::formats(block("formats"), &mut errors);
    let training = block("train").and_then(|b| settings::training(b, &mut errors));

    let mut network_props = Props::new(
        format!("network `{}`", tree.name.name),
        tree.name.span,
        &properties,
        &mut errors,
    );
    let cycles = network_props
        .get("cycles")
        .map(|v| (props::count("cycles", v, 1 << 30, &mut errors), v.span));
    network_props.finish("network setting", &["cycles"], &mut errors);

    // Layers: one input first, unique names, then the layers in the order data flows.
    check_structure(tree, &decls, &mut errors);
    let mut graph = DiGraph::new();
    let mut layer_ids = Vec::new();
    let mut seen = props::FirstSeen::default();
    for (decl, _) in &decls {
        if let Some(first) = seen.earlier(&decl.name.name, decl.name.span) {
            errors.push(Error::DuplicateLayer {
                name: decl.name.name.clone(),
                span: decl.name.span,
                first,
            });
        }
        let size = props::count("size", &decl.size, MAX_NEURONS, &mut errors).unwrap_or(1);
        layer_ids.push(graph.add_node(Layer {
            name: decl.name.name.clone(),
            size: size as usize,
            activation: None,
            origin: Origin {
                line: lines.line(decl.span.offset()),
            },
        }));
    }

    let ctx = junction::Context {
        model_dir,
        cycles,
        training: training.as_ref().map(|(_, init, _)| *init),
        lines: &lines,
    };
    let mut junction_ids = Vec::new();
    let mut z_spans = Vec::new();
    let mut total_edges = 0u64;
    for (i, (decl, is_input)) in decls.iter().enumerate() {
        if *is_input || i == 0 {
            continue;
        }
        let elaborated = junction::elaborate(
            &ctx,
            decl,
            &decls,
            &graph,
            &layer_ids,
            i,
            formats.activations,
            &mut errors,
        );
        if let Some((activation, j, z_span)) = elaborated {
            total_edges += j.edges as u64;
            if total_edges > MAX_EDGES
                && errors
                    .iter()
                    .all(|e| !matches!(e, Error::TooManyEdges { .. }))
            {
                errors.push(Error::TooManyEdges {
                    edges: total_edges,
                    limit: MAX_EDGES,
                    span: decl.name.span,
                });
            }
            graph[layer_ids[i]].activation = Some(activation);
            junction_ids.push(graph.add_edge(layer_ids[i - 1], layer_ids[i], j));
            z_spans.push(z_span);
        }
    }
    if errors.is_empty() {
        check_tree_writes(&graph, &junction_ids, &z_spans, &mut errors);
    }

    if errors.is_empty() {
        Ok(Network {
            name: tree.name.name.clone(),
            source_name: source.name.clone(),
            source: std::sync::Arc::new(source.clone()),
            target: target.expect("no errors means a target"),
            formats,
            graph,
            layers: layer_ids,
            junctions: junction_ids,
            cycles: cycles.and_then(|(c, span)| Some(Cycles { clocks: c?, span })),
            pipeline: training
                .as_ref()
                .map_or(Style::Streaming, |(_, _, style)| *style),
            training: training.map(|(t, _, _)| t),
            warnings: Vec::new(),
        })
    } else {
        Err(errors)
    }
}

/// A tree junction completes `z / fan-in` right neurons per clock and writes them together
/// into the banks of the next junction: consecutive neurons, so a structured next junction
/// (bank `n mod z`) needs at least that many banks, and a random or pruned one (banks
/// permuted within each row of z) a multiple of it, so that they never span two rows.
fn check_tree_writes(
    graph: &DiGraph<Layer, Junction, u32>,
    junctions: &[JunctionId],
    z_spans: &[ast::Span],
    errors: &mut Vec<Error>,
) {
    for (pair, spans) in junctions.windows(2).zip(z_spans.windows(2)) {
        let (j, next) = (&graph[pair[0]], &graph[pair[1]]);
        let structured = |j: &Junction| {
            matches!(
                j.connectivity,
                Connectivity::ClashFree { .. } | Connectivity::Dense
            )
        };
        let Some(fan_in) = j.fan_in.uniform().filter(|_| structured(j)) else {
            continue;
        };
        let groups = (j.z / fan_in.min(j.z)) as u64;
        let z = next.z as u64;
        let help = if structured(next) {
            (z < groups).then(|| format!("give `{}` a z of at least {groups}", next.name))
        } else {
            (!z.is_multiple_of(groups)).then(|| {
                format!(
                    "give `{}` a z that is a multiple of {groups} (its banks are permuted within rows of z)",
                    next.name
                )
            })
        };
        if let Some(help) = help {
            errors.push(Error::TreeWrites {
                junction: j.name.clone(),
                groups,
                next: next.name.clone(),
                z,
                help,
                span: spans[1],
            });
        }
    }
}

/// One input, declared first; at least one layer after it.
fn check_structure(
    tree: &ast::Network,
    decls: &[(&ast::LayerDecl, bool)],
    errors: &mut Vec<Error>,
) {
    let inputs: Vec<_> = decls.iter().filter(|(_, is_input)| *is_input).collect();
    match (inputs.as_slice(), decls.first()) {
        ([], _) => errors.push(Error::BadStructure {
            problem: format!("network `{}` has no input layer", tree.name.name),
            help: "declare its input first, e.g. `input pixels[784];`".into(),
            span: tree.name.span,
        }),
        ([_], Some((first, false))) => errors.push(Error::BadStructure {
            problem: format!("layer `{}` is declared before the input", first.name.name),
            help: "declare the input first: layers follow in the order data flows".into(),
            span: first.name.span,
        }),
        ([_], _) => {}
        ([_, second, ..], _) => errors.push(Error::BadStructure {
            problem: "a network has exactly one input".into(),
            help: "remove the second `input` or make it a `layer`".into(),
            span: second.0.name.span,
        }),
    }
    if decls.len() < 2 && !inputs.is_empty() {
        errors.push(Error::BadStructure {
            problem: format!("network `{}` has no layer after its input", tree.name.name),
            help: "add a layer, e.g. `layer output[10] { activation = sigmoid; connect = dense; z = 10; }`".into(),
            span: tree.name.span,
        });
    }
}

/// Byte offset → 1-based line number.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}
