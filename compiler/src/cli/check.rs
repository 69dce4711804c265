//! `snnc check MODEL.snn [--format text|json]`: check a model and summarise its junctions.

use super::table::Table;
use super::CommandError;
use crate::network::{Cost, Network};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn run(args: &Args) -> Result<(), CommandError> {
    let network = crate::load(&args.model)?;
    let report = Report::new(&network);
    match args.format {
        OutputFormat::Text => print!("{}", report.text()),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialise")
        ),
    }
    Ok(())
}

/// What `check` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
pub struct Report {
    pub network: String,
    pub target: TargetReport,
    pub formats: FormatsReport,
    pub training: Option<TrainingReport>,
    /// Clocks per input in steady state: the longest junction pass.
    pub cycles_per_input: usize,
    pub edges: usize,
    pub junctions: Vec<JunctionReport>,
}

#[derive(Debug, Serialize)]
pub struct TargetReport {
    pub part: String,
    pub device: String,
    pub clock_mhz: f64,
    pub board: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FormatsReport {
    pub input: String,
    pub weights: String,
    pub activations: String,
    pub deltas: String,
}

#[derive(Debug, Serialize)]
pub struct TrainingReport {
    pub cost: &'static str,
    pub learning_rate: f64,
}

#[derive(Debug, Serialize)]
pub struct JunctionReport {
    pub name: String,
    pub left: usize,
    pub right: usize,
    pub pattern: String,
    /// Edges into each right neuron (the largest, for pruned junctions).
    pub fan_in: usize,
    pub fan_in_min: usize,
    /// Edges out of each left neuron (the largest, for pruned junctions).
    pub fan_out: usize,
    pub fan_out_min: usize,
    pub edges: usize,
    pub z: usize,
    /// Clocks per junction pass.
    pub cycles: usize,
}

impl Report {
    pub fn new(network: &Network) -> Report {
        let junctions: Vec<JunctionReport> = network
            .junctions()
            .map(|(_, j)| JunctionReport {
                name: j.name.clone(),
                left: network.layer(j.left).size,
                right: network.layer(j.right).size,
                pattern: j.connectivity.describe(),
                fan_in: j.fan_in.max,
                fan_in_min: j.fan_in.min,
                fan_out: j.fan_out.max,
                fan_out_min: j.fan_out.min,
                edges: j.edges,
                z: j.z,
                cycles: j.ideal_cycles(),
            })
            .collect();
        let f = &network.formats;
        Report {
            network: network.name.clone(),
            target: TargetReport {
                part: network.target.part.name.clone(),
                device: network.target.part.device.name.to_string(),
                clock_mhz: network.target.clock_mhz,
                board: network.target.board.map(|b| b.name().to_string()),
            },
            formats: FormatsReport {
                input: f.input.to_string(),
                weights: f.weights.to_string(),
                activations: f.activations.to_string(),
                deltas: f.deltas.to_string(),
            },
            training: network.training.map(|t| TrainingReport {
                cost: match t.cost {
                    Cost::CrossEntropy => "cross_entropy",
                    Cost::Quadratic => "quadratic",
                },
                learning_rate: 2f64.powi(-(t.learning_rate_shift as i32)),
            }),
            cycles_per_input: junctions.iter().map(|j| j.cycles).max().unwrap_or(0),
            edges: network.total_edges(),
            junctions,
        }
    }

    /// The human-readable summary.
    pub fn text(&self) -> String {
        let mut out = format!("network {}\n", self.network);
        out.push_str(&format!(
            "target  {} at {} MHz{}\n",
            self.target.part,
            self.target.clock_mhz,
            self.target
                .board
                .as_ref()
                .map(|b| format!(" on {b}"))
                .unwrap_or_default()
        ));
        let f = &self.formats;
        out.push_str(&format!(
            "formats input {}, weights {}, activations {}, deltas {}\n",
            f.input, f.weights, f.activations, f.deltas
        ));
        match &self.training {
            Some(t) => out.push_str(&format!(
                "train   {}, learning rate 2^{}\n",
                t.cost,
                t.learning_rate.log2()
            )),
            None => out.push_str("train   no (inference only)\n"),
        }
        out.push('\n');
        let mut table = Table::new(&[
            "junction", ">left", ">right", "pattern", ">fan-in", ">fan-out", ">edges", ">z",
            ">clocks",
        ]);
        let degree = |min: usize, max: usize| {
            if min == max {
                max.to_string()
            } else {
                format!("{min}..{max}")
            }
        };
        for j in &self.junctions {
            table.row(vec![
                j.name.clone(),
                j.left.to_string(),
                j.right.to_string(),
                j.pattern.clone(),
                degree(j.fan_in_min, j.fan_in),
                degree(j.fan_out_min, j.fan_out),
                j.edges.to_string(),
                j.z.to_string(),
                j.cycles.to_string(),
            ]);
        }
        table.row(vec![
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            self.edges.to_string(),
            String::new(),
            self.cycles_per_input.to_string(),
        ]);
        out.push_str(&table.render());
        out.push_str(&format!(
            "\n{} clocks per input in steady state ({} clocks per junction pass)\n",
            self.cycles_per_input, self.cycles_per_input
        ));
        out
    }
}
