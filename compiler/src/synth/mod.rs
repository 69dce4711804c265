//! Resources of a generated design: measured by Yosys ([`yosys`]) or predicted without it
//! ([`estimate`]), in Artix-7 units ([`resources`]), against the target part's capacity.

pub mod estimate;
pub mod resources;
pub mod yosys;

use crate::Compiled;
use resources::{Resources, Use};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a block's resources are spent on, by the primitive they sit in.
pub fn category(primitive: &str) -> Option<&'static str> {
    Some(match primitive {
        "snn_mul" => "multipliers",
        "snn_adder_tree" => "adder trees",
        "snn_ram" | "snn_ram_2r" | "snn_ram_lanes" | "snn_lutram" => "memories",
        "snn_rom" => "tables",
        "snn_rowgen" => "address generators",
        "snn_crossbar" => "crossbars",
        "snn_mux_tree" => "memory-mapped reads",
        "snn_act" => "activation tables",
        "snn_delay" => "delay lines",
        "snn_round_sat" => "rounding",
        "snn_axil" | "snn_fifo" | "snn_uart_rx" | "snn_uart_tx" | "snn_uart_bridge" => "interfaces",
        _ => return None,
    })
}

/// One block of the design: a junction, a layer's memories, or the top level's own logic.
#[derive(Clone, Debug, Serialize)]
pub struct Block {
    pub name: String,
    pub resources: Resources,
    /// By category (`multipliers`, `memories`, ...; `logic` for the block's own cells).
    pub parts: BTreeMap<&'static str, Resources>,
}

/// A design's resources against its part.
#[derive(Clone, Debug, Serialize)]
pub struct Synthesis {
    pub network: String,
    pub part: String,
    pub total: Resources,
    pub utilization: Vec<Use>,
    pub fits: bool,
    pub blocks: Vec<Block>,
}

impl Synthesis {
    /// The resources of a Yosys report on `compiled`'s design, block by block.
    pub fn from_yosys(compiled: &Compiled, report: &yosys::Report) -> Synthesis {
        let net = &compiled.network().name;
        let modules = &report.modules;
        let total = yosys::total(modules, &report.top);
        let mut blocks: Vec<Block> = Vec::new();
        let mut top_own = BTreeMap::new();
        if let Some(cells) = modules.get(&report.top) {
            for (cell, &n) in cells {
                let name = cell.strip_prefix(&format!("{net}_")).unwrap_or(cell);
                if modules.contains_key(cell) && cell.starts_with(&format!("{net}_")) {
                    let parts = yosys::breakdown(modules, cell, "logic", &category);
                    let mut resources = yosys::total(modules, cell);
                    if n > 1 {
                        resources = resources * n;
                    }
                    blocks.push(Block {
                        name: name.to_string(),
                        resources,
                        parts,
                    });
                } else {
                    top_own.insert(cell.clone(), n);
                }
            }
        }
        let mut own_modules = modules.clone();
        own_modules.insert("(top)".into(), top_own);
        blocks.push(Block {
            name: "top level".into(),
            resources: yosys::total(&own_modules, "(top)"),
            parts: yosys::breakdown(&own_modules, "(top)", "logic", &category),
        });
        Synthesis::new(compiled, total, blocks)
    }

    /// A synthesis record of `total` resources for `compiled`'s part.
    pub fn new(compiled: &Compiled, total: Resources, blocks: Vec<Block>) -> Synthesis {
        let device = &compiled.network().target.part.device;
        let utilization = resources::utilization(&total, device);
        Synthesis {
            network: compiled.network().name.clone(),
            part: compiled.network().target.part.name.clone(),
            fits: resources::over(&utilization).is_empty(),
            total,
            utilization,
            blocks,
        }
    }

    /// The verdict: `fits` or what is over.
    pub fn verdict(&self) -> String {
        let over = resources::over(&self.utilization);
        if over.is_empty() {
            let worst = self
                .utilization
                .iter()
                .max_by(|a, b| a.percent.total_cmp(&b.percent))
                .expect("resources");
            format!(
                "fits {} ({}% of its {} is the most used)",
                self.part, worst.percent, worst.resource
            )
        } else {
            format!(
                "does not fit {}: {}",
                self.part,
                over.iter()
                    .map(|u| format!(
                        "{} {}% ({} of {})",
                        u.resource, u.percent, u.used, u.available
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}
