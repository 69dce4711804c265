//! `report.json` and `report.md`: what a build contains — the schedule's figures, the
//! pipeline's timing, every memory with its size, every multiplier, and the clocks an input
//! takes — derived from the same records the templates are rendered with.

use super::storage;
use crate::cells;
use crate::datapath::Style;
use crate::hw::parts::{Part, Primitive};
use crate::hw::pointers::PointerName;
use crate::hw::{Hardware, Junction};
use crate::schedule::Mode;
use crate::synth::estimate::{self, Estimate};
use crate::synth::resources::Use;
use crate::table::Table;
use crate::Compiled;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct Report {
    pub network: String,
    pub model: String,
    pub snnc_version: String,
    pub part: String,
    pub board: Option<String>,
    pub clock_mhz: f64,
    pub pipeline: &'static str,
    pub training: bool,
    /// Every tensor's number format.
    pub formats: Formats,
    /// Clocks per input in steady state: the cycle, or the input stream when it is slower.
    pub clocks_per_input: usize,
    /// Clocks per cycle of the datapath.
    pub cycle: usize,
    /// Beats (clocks) the input stream needs per input.
    pub input_beats: usize,
    pub inputs_per_second: f64,
    /// Clocks from an input's first beat to its output.
    pub latency: usize,
    pub inputs_in_flight: usize,
    /// The module the estimate covers: the board top, the AXI shell or the core.
    pub estimated: String,
    /// The analytical resource estimate against the part.
    pub estimate: EstimateReport,
    pub junctions: Vec<JunctionReport>,
    pub memories: Vec<Memory>,
    pub memory_bits: u64,
    pub multipliers: Multipliers,
}

/// The number formats of a build.
#[derive(Debug, Serialize)]
pub struct Formats {
    pub input: String,
    pub weights: String,
    pub activations: String,
    pub deltas: String,
}

impl Formats {
    pub fn of(f: &crate::network::Formats) -> Formats {
        Formats {
            input: f.input.to_string(),
            weights: f.weights.to_string(),
            activations: f.activations.to_string(),
            deltas: f.deltas.to_string(),
        }
    }
}

/// Estimated resources against the part, and whether they fit.
#[derive(Debug, Serialize)]
pub struct EstimateReport {
    pub utilization: Vec<Use>,
    pub fits: bool,
    pub verdict: String,
}

impl EstimateReport {
    pub fn of(estimate: &Estimate) -> EstimateReport {
        EstimateReport {
            utilization: estimate.resources.utilization.clone(),
            fits: estimate.resources.fits,
            verdict: estimate.resources.verdict(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JunctionReport {
    pub name: String,
    pub left: usize,
    pub right: usize,
    pub edges: usize,
    pub z: usize,
    pub cycles: usize,
    pub lower_bound: usize,
    pub utilization: f64,
    pub crossbar: &'static str,
    pub datapath: &'static str,
    pub phase: usize,
    pub forward_lag: usize,
    pub backward_lag: Option<usize>,
    pub multipliers: Multipliers,
}

/// Multipliers by the operation they serve.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Multipliers {
    pub forward: usize,
    pub backward: usize,
    pub update: usize,
    /// δ = a'·sum of hidden layers, and the quadratic cost's product.
    pub delta: usize,
    /// Of all of them, those built from LUTs (`--update-in-luts`).
    pub in_luts: usize,
}

impl Multipliers {
    pub fn total(&self) -> usize {
        self.forward + self.backward + self.update + self.delta
    }

    fn add(&mut self, other: &Multipliers) {
        self.forward += other.forward;
        self.backward += other.backward;
        self.update += other.update;
        self.delta += other.delta;
        self.in_luts += other.in_luts;
    }
}

/// How a memory is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Synchronous reads: block RAM or distributed RAM, as `storage` says.
    Ram,
    /// Asynchronous read for read-modify-write in one clock: distributed RAM.
    Lutram,
    /// Read-only table.
    Rom,
    /// Flip-flops.
    Registers,
}

#[derive(Debug, Serialize)]
pub struct Memory {
    /// The junction or layer it belongs to.
    pub owner: String,
    /// Its instance name in the Verilog.
    pub name: &'static str,
    pub kind: Kind,
    /// `block`, `distributed`, `logic` or `registers`.
    pub storage: &'static str,
    pub instances: usize,
    pub depth: usize,
    pub width: usize,
    pub bits: u64,
}

/// The memories among `parts`, and the output buffer of the last junction.
fn memories(owner: &str, parts: &[Part], output: Option<&Junction>) -> Vec<Memory> {
    let mut out = Vec::new();
    let mut add = |name, kind, storage, instances: usize, depth: usize, width: usize| {
        out.push(Memory {
            owner: owner.to_string(),
            name,
            kind,
            storage,
            instances,
            depth,
            width,
            bits: (instances * depth * width) as u64,
        })
    };
    for p in parts {
        match p.primitive {
            Primitive::Stored(m) => {
                let (kind, width) = match m.kind {
                    storage::Kind::Rom { declared, .. } => (Kind::Rom, declared),
                    storage::Kind::Lanes { lanes } => (Kind::Ram, lanes * m.width),
                    storage::Kind::Ram { .. } => (Kind::Ram, m.width),
                };
                add(p.name, kind, m.style(), p.count, m.depth, width);
            }
            Primitive::LutRam { width, depth, .. } => {
                add(p.name, Kind::Lutram, "distributed", p.count, depth, width)
            }
            _ => {}
        }
    }
    if let Some(j) = output {
        let copies = j.copies(PointerName::Out);
        add(
            "out_buffer",
            Kind::Registers,
            "registers",
            copies,
            j.right,
            j.act_w,
        );
    }
    out
}

/// The multipliers among a junction's parts, by the operation they serve.
pub fn multipliers(parts: &[Part]) -> Multipliers {
    let mut m = Multipliers::default();
    for p in parts {
        if let Primitive::Mul { luts, .. } = p.primitive {
            match p.name {
                "ff_mul" => m.forward += p.count,
                "bp_mul" => m.backward += p.count,
                "update_mul" => m.update += p.count,
                _ => m.delta += p.count,
            }
            if luts {
                m.in_luts += p.count;
            }
        }
    }
    m
}

/// The report of a build.
pub fn report(compiled: &Compiled, hw: &Hardware) -> Report {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let timing = compiled.datapath().timing();
    let options = &hw.options;
    let mut memories = Vec::new();
    for (j, mem) in hw.junctions.iter().zip(&hw.memories) {
        memories.extend(self::memories(&mem.layer, &mem.parts, None));
        memories.extend(self::memories(&j.name, &j.parts, j.last.then_some(j)));
    }
    let mut total = Multipliers::default();
    let junction_reports = hw
        .junctions
        .iter()
        .zip(schedule.junctions())
        .map(|(j, js)| {
            let mults = multipliers(&j.parts);
            total.add(&mults);
            JunctionReport {
                name: j.name.clone(),
                left: j.left,
                right: j.right,
                edges: j.edges,
                z: j.z,
                cycles: j.cycles,
                lower_bound: js.lower_bound,
                utilization: (js.utilization() * 1e4).round() / 1e4,
                crossbar: js.crossbar.describe(),
                datapath: match js.mode {
                    Mode::Tree { .. } => "tree",
                    Mode::Accumulate { .. } => "accumulate",
                },
                phase: j.phase,
                forward_lag: j.forward_lag,
                backward_lag: j.training.then_some(j.backward_lag),
                multipliers: mults,
            }
        })
        .collect();
    let stream = compiled.stream(options.beat);
    let estimate = estimate::of(compiled, hw);
    Report {
        network: network.name.clone(),
        // By its file name, so that a build is the same wherever it is run from.
        model: std::path::Path::new(&network.source_name)
            .file_name()
            .map_or(network.source_name.clone(), |n| {
                n.to_string_lossy().into_owned()
            }),
        snnc_version: env!("CARGO_PKG_VERSION").to_string(),
        part: network.target.part.name.clone(),
        board: hw.board.as_ref().map(|b| b.board.to_string()),
        clock_mhz: network.target.clock_mhz,
        pipeline: match timing.style() {
            Style::Streaming => "streaming",
            Style::Lockstep => "lockstep",
        },
        training: timing.training(),
        formats: Formats::of(&network.formats),
        clocks_per_input: stream.clocks_per_input,
        cycle: timing.period(),
        input_beats: network.input().size / options.beat,
        inputs_per_second: estimate.inputs_per_second,
        latency: stream.latency,
        inputs_in_flight: timing.inputs_in_flight(),
        estimated: format!(
            "{}_{}",
            network.name,
            match (&hw.board, &hw.shell) {
                (Some(_), _) => "board",
                (None, Some(_)) => "axi",
                (None, None) => "top",
            }
        ),
        estimate: EstimateReport::of(&estimate),
        junctions: junction_reports,
        memory_bits: memories.iter().map(|m| m.bits).sum(),
        memories,
        multipliers: total,
    }
}

impl Report {
    /// The report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(w, "# {}\n", self.network);
        let _ = writeln!(
            w,
            "Built by snnc {} from `{}` for {}{} at {} MHz.\n",
            self.snnc_version,
            self.model,
            self.part,
            self.board
                .as_ref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default(),
            self.clock_mhz
        );
        let _ = writeln!(w, "| | |\n| --- | ---: |");
        let _ = writeln!(w, "| clocks per input | {} |", self.clocks_per_input);
        let _ = writeln!(
            w,
            "| inputs per second at {} MHz | {} |",
            self.clock_mhz, self.inputs_per_second
        );
        let _ = writeln!(
            w,
            "| latency (clocks, first beat to output) | {} |",
            self.latency
        );
        let _ = writeln!(w, "| pipeline | {} |", self.pipeline);
        if self.training {
            let _ = writeln!(
                w,
                "| inputs in flight while training | {} |",
                self.inputs_in_flight
            );
        }
        let _ = writeln!(w, "| memory bits | {} |", self.memory_bits);
        let _ = writeln!(w, "| multipliers | {} |", self.multipliers.total());
        let f = &self.formats;
        let _ = writeln!(
            w,
            "| formats | input {}, weights {}, activations {}, deltas {} |",
            f.input, f.weights, f.activations, f.deltas
        );
        if self.input_beats > self.cycle {
            let _ = writeln!(
                w,
                "\nThe input stream needs {} beats per input, more than the {}-clock cycle: it \
                 sets the rate. A wider beat (`--beat`) removes the wait.",
                self.input_beats, self.cycle
            );
        }
        let _ = writeln!(w, "\n## Resources (estimate of `{}`)\n", self.estimated);
        let _ = writeln!(
            w,
            "| resource | used | available | use |\n| --- | ---: | ---: | ---: |"
        );
        for u in &self.estimate.utilization {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {:.1}% |",
                u.resource, u.used, u.available, u.percent
            );
        }
        let _ = writeln!(w, "\nThe design {}.", self.estimate.verdict);
        let _ = writeln!(w, "\n## Junctions\n");
        let mut junctions = Table::with_header("junction | >left | >right | >edges | >z | >clocks | >bound | >use | crossbar | datapath | >phase | >forward | >backward");
        for j in &self.junctions {
            junctions.row(cells![
                j.name,
                j.left,
                j.right,
                j.edges,
                j.z,
                j.cycles,
                j.lower_bound,
                format!("{:.1}%", 100.0 * j.utilization),
                j.crossbar,
                j.datapath,
                j.phase,
                format!("x+{}", j.forward_lag),
                j.backward_lag.map_or("-".to_string(), |b| format!("x+{b}")),
            ]);
        }
        w.push_str(&junctions.markdown());
        let _ = writeln!(
            w,
            "\nA junction's pass starts at clock `phase` of every cycle; its forward pass serves \
             the input that entered `forward` cycles before, its backward pass and update the \
             one `backward` cycles before."
        );
        let _ = writeln!(w, "\n## Multipliers\n");
        let mut multipliers =
            Table::with_header("junction | >forward | >backward | >update | >δ | >in LUTs");
        let counts = |m: &Multipliers| [m.forward, m.backward, m.update, m.delta, m.in_luts];
        for j in &self.junctions {
            let mut cells = vec![j.name.clone()];
            cells.extend(counts(&j.multipliers).map(|n| n.to_string()));
            multipliers.row(cells);
        }
        let mut total = vec!["total".to_string()];
        total.extend(counts(&self.multipliers).map(|n| n.to_string()));
        multipliers.row(total);
        w.push_str(&multipliers.markdown());
        let _ = writeln!(w, "\n## Memories\n");
        let mut memories = Table::with_header(
            "of | memory | kind | storage | >instances | >depth | >width | >bits",
        );
        for m in &self.memories {
            memories.row(vec![
                m.owner.clone(),
                m.name.to_string(),
                match m.kind {
                    Kind::Ram => "RAM",
                    Kind::Lutram => "LUT RAM",
                    Kind::Rom => "ROM",
                    Kind::Registers => "registers",
                }
                .to_string(),
                m.storage.to_string(),
                m.instances.to_string(),
                m.depth.to_string(),
                m.width.to_string(),
                m.bits.to_string(),
            ]);
        }
        w.push_str(&memories.markdown());
        out
    }
}
