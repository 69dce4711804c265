//! A design point's model: the parsed model with its parallelism, number formats and
//! sparsity changed, elaborated like any model file.

use crate::elaborate::weights::{self, Shape};
use crate::syntax::ast::{self, Item, Property, Value, ValueKind};
use npyz::WriterBuilder;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One point of the grid; `None` keeps the model's own setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Point {
    /// Clocks per junction pass: every junction's z = edges / cycles.
    pub cycles: Option<u64>,
    /// Bits of every signed number format, each keeping its integer bits (more where
    /// on-chip training needs them: `Explorer::compile`).
    pub bits: Option<u64>,
    /// Edges present as a fraction of the dense junction's: a sparse junction's fan-out
    /// (or fan-in), or a pruned junction's largest weights.
    pub density: Option<f64>,
    /// The dense counterpart: every junction dense.
    pub dense: bool,
}

impl Point {
    /// A short name for files and tables: `c32-b10-d0.25`, `dense-c32-b10`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if self.dense {
            parts.push("dense".to_string());
        }
        if let Some(c) = self.cycles {
            parts.push(format!("c{c}"));
        }
        if let Some(b) = self.bits {
            parts.push(format!("b{b}"));
        }
        if let Some(d) = self.density {
            parts.push(format!("d{d}"));
        }
        if parts.is_empty() {
            "model".into()
        } else {
            parts.join("-")
        }
    }
}

/// Why a point's model cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// A format keeps more integer bits than the point's bit width.
    #[error("{bits} bits leave no fraction bits for `{format}` ({integer} integer bits)")]
    NoFraction {
        bits: u64,
        /// The format's name in the `formats` block.
        format: String,
        integer: u64,
    },
    /// A pruned junction's weight file (its errors were the model's own, shown when it
    /// was opened).
    #[error("cannot read `{path}`")]
    Unreadable { path: String },
    #[error("`{path}` has {present} non-zero weights ({:.1}%): it cannot be thinned to {:.1}%", 100.0 * *.present as f64 / *.total as f64, 100.0 * .density)]
    TooFew {
        path: String,
        present: usize,
        total: usize,
        density: f64,
    },
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", .path.display())]
    Absolute {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The model `tree` at `point`. Pruned weights thinned to a density are written under
/// `scratch` (the model's own files are never changed).
pub fn apply(
    tree: &ast::Network,
    point: &Point,
    more_integer_bits: u64,
    model_dir: &Path,
    scratch: &Path,
) -> Result<ast::Network, VariantError> {
    let mut tree = tree.clone();
    let here = tree.name.span;
    if let Some(cycles) = point.cycles {
        tree.items
            .retain(|item| !matches!(item, Item::Property(p) if p.key.name == "cycles"));
        for item in &mut tree.items {
            if let Item::Layer(layer) = item {
                layer.properties.retain(|p| p.key.name != "z");
            }
        }
        tree.items.insert(
            0,
            Item::Property(property("cycles", ValueKind::Integer(cycles), here)),
        );
    }
    if let Some(bits) = point.bits {
        set_bits(&mut tree, bits, more_integer_bits)?;
    }
    let sizes = layer_sizes(&tree);
    for (index, item) in tree.items.iter_mut().enumerate() {
        let Item::Layer(layer) = item else { continue };
        let (left, right) = sizes[index];
        let Some(connect) = layer
            .properties
            .iter_mut()
            .find(|p| p.key.name == "connect")
        else {
            continue;
        };
        if point.dense {
            connect.value.kind = ValueKind::Name("dense".into());
            continue;
        }
        if let Some(density) = point.density {
            // The thinning depends on the density alone: points share the file.
            let label = format!("{}-d{density}", layer.name.name);
            thin(
                &mut connect.value,
                density,
                (left, right),
                model_dir,
                &scratch.join(format!("{label}.npy")),
            )?;
        }
    }
    Ok(tree)
}

fn property(key: &str, kind: ValueKind, span: ast::Span) -> Property {
    Property {
        key: ast::Ident {
            name: key.into(),
            span,
        },
        value: Value { kind, span },
        span,
    }
}

/// Every signed format of the `formats` block at `bits` bits with its integer bits kept,
/// plus `more_integer_bits`; a model without a default gets one (the built-in default's
/// integer bits).
fn set_bits(
    tree: &mut ast::Network,
    bits: u64,
    more_integer_bits: u64,
) -> Result<(), VariantError> {
    let here = tree.name.span;
    let default = crate::elaborate::settings::DEFAULT_FORMAT;
    let block = tree.items.iter_mut().find_map(|item| match item {
        Item::Block(b) if b.name.name == "formats" => Some(b),
        _ => None,
    });
    let block = match block {
        Some(b) => b,
        None => {
            tree.items.insert(
                0,
                Item::Block(ast::Block {
                    name: ast::Ident {
                        name: "formats".into(),
                        span: here,
                    },
                    properties: Vec::new(),
                    span: here,
                }),
            );
            let Item::Block(b) = &mut tree.items[0] else {
                unreachable!("just inserted")
            };
            b
        }
    };
    if !block.properties.iter().any(|p| p.key.name == "default") {
        block.properties.push(property(
            "default",
            ValueKind::Format {
                signed: true,
                total_bits: default.width as u64,
                fraction_bits: default.frac as u64,
            },
            here,
        ));
    }
    for p in &mut block.properties {
        if let ValueKind::Format {
            signed: true,
            total_bits,
            fraction_bits,
        } = &mut p.value.kind
        {
            let integer = *total_bits - (*fraction_bits).min(*total_bits) + more_integer_bits;
            if bits <= integer {
                return Err(VariantError::NoFraction {
                    bits,
                    format: p.key.name.clone(),
                    integer,
                });
            }
            *total_bits = bits;
            *fraction_bits = bits - integer;
        }
    }
    Ok(())
}

/// (left, right) sizes of the junction feeding each layer item, by item index.
fn layer_sizes(tree: &ast::Network) -> Vec<(usize, usize)> {
    let mut previous = 0;
    tree.items
        .iter()
        .map(|item| match item {
            Item::Input(l) | Item::Layer(l) => {
                let size = match l.size.kind {
                    ValueKind::Integer(n) => n as usize,
                    _ => 0,
                };
                let pair = (previous, size);
                previous = size;
                pair
            }
            _ => (0, 0),
        })
        .collect()
}

/// A `sparse(...)` junction at `density`: its fan-out (or fan-in) the nearest whole share of
/// the right (left) layer; a `pruned(...)` junction keeps its largest weights.
fn thin(
    connect: &mut Value,
    density: f64,
    (left, right): (usize, usize),
    model_dir: &Path,
    scratch_file: &Path,
) -> Result<(), VariantError> {
    let ValueKind::Call { name, arguments } = &mut connect.kind else {
        return Ok(()); // dense stays dense
    };
    match name.name.as_str() {
        "sparse" => {
            for a in arguments.iter_mut() {
                let of = match a.key.name.as_str() {
                    "fan_out" => right,
                    "fan_in" => left,
                    _ => continue,
                };
                let degree = ((density * of as f64).round() as u64).max(1);
                a.value.kind = ValueKind::Integer(degree);
            }
            Ok(())
        }
        "pruned" => {
            let Some(weights) = arguments.iter_mut().find(|a| a.key.name == "weights") else {
                return Ok(());
            };
            let ValueKind::Str(path) = &weights.value.kind else {
                return Ok(());
            };
            let mut errors = Vec::new();
            let file = weights::read(
                model_dir,
                path,
                Shape::Matrix {
                    rows: left,
                    cols: right,
                },
                weights.value.span,
                &mut errors,
            )
            .ok_or_else(|| VariantError::Unreadable { path: path.clone() })?;
            let present = file.values.iter().filter(|v| **v != 0.0).count();
            let keep = ((density * file.values.len() as f64).round() as usize).max(1);
            if keep > present {
                return Err(VariantError::TooFew {
                    path: path.clone(),
                    present,
                    total: file.values.len(),
                    density,
                });
            }
            let mut order: Vec<usize> = (0..file.values.len()).collect();
            order.sort_by(|&a, &b| {
                file.values[b]
                    .abs()
                    .total_cmp(&file.values[a].abs())
                    .then(a.cmp(&b))
            });
            let mut values = vec![0.0f64; file.values.len()];
            for &i in &order[..keep] {
                values[i] = file.values[i];
            }
            write_matrix(scratch_file, left, right, &values).map_err(|source| {
                VariantError::Write {
                    path: scratch_file.to_path_buf(),
                    source,
                }
            })?;
            let absolute =
                std::path::absolute(scratch_file).map_err(|source| VariantError::Absolute {
                    path: scratch_file.to_path_buf(),
                    source,
                })?;
            weights.value.kind = ValueKind::Str(absolute.display().to_string());
            Ok(())
        }
        _ => Ok(()),
    }
}

fn write_matrix(path: &Path, rows: usize, cols: usize, values: &[f64]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Points running in parallel may write the same file: each writes its own and renames
    // it into place, so no reader sees a partial file.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let partial = path.with_extension(format!(
        "{}.partial",
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::io::BufWriter::new(std::fs::File::create(&partial)?);
    let mut writer = npyz::WriteOptions::new()
        .default_dtype()
        .shape(&[rows as u64, cols as u64])
        .writer(file)
        .begin_nd()?;
    writer.extend(values.iter().copied())?;
    writer.finish()?;
    std::fs::rename(&partial, path)
}
