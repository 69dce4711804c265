//! The Verilog backend: a verified schedule becomes synthesizable Verilog-2001 for Artix-7 —
//! hand-written primitives from `templates/rtl`, glue rendered from `templates/glue` —
//! with the tables its memories start from, a testbench, and the schedule as CSV.

mod regs;
mod render;
pub mod report;
pub mod storage;
pub mod tables;
mod vivado;

use crate::network::Network;
use std::collections::BTreeMap;
use std::path::Path;

pub use render::{render, RenderError};

/// Hand-written primitives, copied as they are.
pub const PRIMITIVES: &[(&str, &str)] = &[
    (
        "snn_act.v",
        include_str!("../../../templates/rtl/snn_act.v"),
    ),
    (
        "snn_adder_tree.v",
        include_str!("../../../templates/rtl/snn_adder_tree.v"),
    ),
    (
        "snn_axil.v",
        include_str!("../../../templates/rtl/snn_axil.v"),
    ),
    (
        "snn_crossbar.v",
        include_str!("../../../templates/rtl/snn_crossbar.v"),
    ),
    (
        "snn_delay.v",
        include_str!("../../../templates/rtl/snn_delay.v"),
    ),
    (
        "snn_fifo.v",
        include_str!("../../../templates/rtl/snn_fifo.v"),
    ),
    (
        "snn_lutram.v",
        include_str!("../../../templates/rtl/snn_lutram.v"),
    ),
    (
        "snn_mul.v",
        include_str!("../../../templates/rtl/snn_mul.v"),
    ),
    (
        "snn_mux_tree.v",
        include_str!("../../../templates/rtl/snn_mux_tree.v"),
    ),
    (
        "snn_ram.v",
        include_str!("../../../templates/rtl/snn_ram.v"),
    ),
    (
        "snn_ram_2r.v",
        include_str!("../../../templates/rtl/snn_ram_2r.v"),
    ),
    (
        "snn_ram_lanes.v",
        include_str!("../../../templates/rtl/snn_ram_lanes.v"),
    ),
    (
        "snn_rom.v",
        include_str!("../../../templates/rtl/snn_rom.v"),
    ),
    (
        "snn_round_sat.v",
        include_str!("../../../templates/rtl/snn_round_sat.v"),
    ),
    (
        "snn_rowgen.v",
        include_str!("../../../templates/rtl/snn_rowgen.v"),
    ),
    (
        "snn_uart_bridge.v",
        include_str!("../../../templates/rtl/snn_uart_bridge.v"),
    ),
    (
        "snn_uart_rx.v",
        include_str!("../../../templates/rtl/snn_uart_rx.v"),
    ),
    (
        "snn_uart_tx.v",
        include_str!("../../../templates/rtl/snn_uart_tx.v"),
    ),
];

/// The glue templates, sub-templates first (`junction` includes them).
const GLUE: &[(&str, &str)] = &[
    (
        "ports",
        include_str!("../../../templates/glue/ports.v.tera"),
    ),
    (
        "params",
        include_str!("../../../templates/glue/params.v.tera"),
    ),
    (
        "junction_tree",
        include_str!("../../../templates/glue/junction_tree.v.tera"),
    ),
    (
        "junction_acc",
        include_str!("../../../templates/glue/junction_acc.v.tera"),
    ),
    (
        "junction_output",
        include_str!("../../../templates/glue/junction_output.v.tera"),
    ),
    (
        "junction",
        include_str!("../../../templates/glue/junction.v.tera"),
    ),
    (
        "layer_mem",
        include_str!("../../../templates/glue/layer_mem.v.tera"),
    ),
    ("top", include_str!("../../../templates/glue/top.v.tera")),
    ("axi", include_str!("../../../templates/glue/axi.v.tera")),
    (
        "board",
        include_str!("../../../templates/glue/board.v.tera"),
    ),
    ("tb", include_str!("../../../templates/glue/tb.v.tera")),
    (
        "tb_axi",
        include_str!("../../../templates/glue/tb_axi.v.tera"),
    ),
];

/// Every file of a build, by path relative to the output directory.
#[derive(Debug, Default)]
pub struct Design {
    pub files: BTreeMap<String, Vec<u8>>,
    /// What `report.json` holds.
    pub report: Option<report::Report>,
}

impl Design {
    fn add(&mut self, path: impl Into<String>, content: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), content.into());
    }

    /// The Verilog sources, primitives first, in the order a simulator should read them.
    pub fn sources(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|p| p.starts_with("rtl/") && p.ends_with(".v"))
            .cloned()
            .collect()
    }

    /// Writes every file under `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (path, content) in &self.files {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(full, content)?;
        }
        Ok(())
    }
}

/// Testbench settings.
#[derive(Clone, Copy, Debug)]
pub struct Bench {
    /// The most inputs the testbench can stream.
    pub max_samples: usize,
}

/// The primitives `sources` instantiate (`snn_mul #(` or `snn_mul name (`), with the
/// primitives those instantiate, so that `rtl/` holds exactly the design's modules.
fn used_primitives(sources: &[&[u8]]) -> Vec<(&'static str, &'static str)> {
    let instantiates = |text: &str, module: &str| {
        text.match_indices(module).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + module.len()..].trim_start();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && (after.starts_with("#(")
                    || after.split_once('(').is_some_and(|(name, _)| {
                        let name = name.trim();
                        !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    }))
        })
    };
    fn module(file: &str) -> &str {
        file.trim_end_matches(".v")
    }
    let mut used: Vec<(&'static str, &'static str)> = Vec::new();
    let mut pending: Vec<String> = sources
        .iter()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    while let Some(text) = pending.pop() {
        for &(file, primitive) in PRIMITIVES {
            if !used.iter().any(|(f, _)| *f == file) && instantiates(&text, module(file)) {
                used.push((file, primitive));
                pending.push(primitive.to_string());
            }
        }
    }
    used.sort_unstable();
    used
}

/// The default number of input values per beat: a divisor of the input layer and of the
/// first junction's z, at most 32.
pub fn default_beat(network: &Network) -> usize {
    let first = network.junction(network.junctions[0]);
    let inputs = network.input().size;
    (1..=32.min(first.z))
        .rev()
        .find(|b| inputs.is_multiple_of(*b) && first.z.is_multiple_of(*b))
        .unwrap_or(1)
}
