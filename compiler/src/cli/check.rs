//! `snnc check MODEL.snn [--beat N]`: check a model and summarise its junctions, its timing
//! under the input stream, and its estimated resources.

use super::{CommandResult, Output};
use crate::cells;
use crate::datapath::Style;
use crate::diagnostics::Warning;
use crate::fmax;
use crate::hw::{Options, UpdateMultipliers};
use crate::network::Cost;
use crate::schedule::{JunctionSchedule, Mode};
use crate::synth::estimate;
use crate::synth::resources::Use;

/// The slowest stages of the timing model a JSON report lists.
const SLOWEST_STAGES: usize = 5;
use crate::table::Table;
use crate::Compiled;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    /// Input values per beat of the input stream, as `snnc build --beat` [default: a divisor of
    /// the input layer and of z, at most 32]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    beat: Option<u64>,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let compiled = super::compile(&args.model, out)?;
    let beat = super::build::beat(&compiled, args.beat)?;
    let report = Report::new(&compiled, beat);
    let timing = &report.timing;
    if !timing.verdict.meets() {
        let warning = Warning::ClockAboveFmax {
            clock_mhz: report.target.clock_mhz,
            fmax_mhz: timing.verdict.fmax_mhz,
            worst: format!("{}: {}", timing.worst.block, timing.worst.what),
            span: compiled.network().target.clock_span,
        };
        out.warn(&[warning], Some(&compiled.network().source));
    }
    out.result(&report, || report.text());
    Ok(())
}

/// What `check` reports, in the shape of its JSON output.
#[derive(Debug, Serialize)]
pub struct Report {
    pub network: String,
    pub target: TargetReport,
    pub formats: FormatsReport,
    pub training: Option<TrainingReport>,
    /// Clocks per input in steady state.
    pub cycles_per_input: CyclesPerInput,
    /// `streaming` (skewed junctions) or `lockstep` (the published schedule).
    pub pipeline: &'static str,
    /// Inputs in the training pipeline at once, from loading to their last update.
    pub inputs_in_flight: usize,
    /// Input values per beat of the input stream, and beats per input.
    pub beat: usize,
    pub input_beats: usize,
    /// Clocks from an input's first beat to its output.
    pub latency: usize,
    pub edges: usize,
    pub junctions: Vec<JunctionReport>,
    /// The analytical resource estimate of the design `snnc build` emits by default.
    pub estimate: EstimateReport,
    /// The analytical timing estimate of the same design.
    pub timing: TimingReport,
}

/// The worst register-to-register stage by the hardware model, against the model's clock.
#[derive(Debug, Serialize)]
pub struct TimingReport {
    pub worst: fmax::model::Stage,
    /// The stage with the most cell delay.
    pub worst_cells: fmax::model::Stage,
    /// The slowest stages, the worst first (the next ones say how far a fix of the worst
    /// would get).
    pub slowest: Vec<fmax::model::Stage>,
    pub verdict: fmax::Verdict,
}

/// Estimated resources against the part.
#[derive(Debug, Serialize)]
pub struct EstimateReport {
    pub utilization: Vec<Use>,
    pub fits: bool,
    pub verdict: String,
    pub inputs_per_second: f64,
}

#[derive(Debug, Serialize)]
pub struct CyclesPerInput {
    /// While training; `null` for an inference-only network.
    pub training: Option<usize>,
    /// While inferring (the same datapath, forward only).
    pub inference: usize,
    /// The datapath's cycle: fewer clocks than per input when the input stream sets the pace.
    pub cycle: usize,
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
    /// max(⌈edges / z⌉, the most edges one bank serves).
    pub lower_bound: usize,
    /// Clocks per junction pass, as scheduled.
    pub cycles: usize,
    /// edges / (z · cycles)
    pub utilization: f64,
    /// Clocks in which some bank is needed twice (0 for every verified schedule).
    pub conflicts: usize,
    /// `none` or `z-way`.
    pub crossbar: &'static str,
    /// `tree` (adder trees over whole neurons) or `accumulate` (per-lane partial sums).
    pub datapath: &'static str,
    /// The clock of each cycle at which the junction's passes start.
    pub phase: usize,
    /// The junction's forward pass of input x runs in cycle x + forward_lag.
    pub forward_lag: usize,
    /// Its backward pass and update of input x in cycle x + backward_lag (training).
    pub backward_lag: Option<usize>,
}

impl Report {
    pub fn new(compiled: &Compiled, beat: usize) -> Report {
        let (network, schedule) = (&compiled.network(), &compiled.schedule());
        let timing = compiled.datapath().timing();
        let period = timing.period() as i64;
        let junctions: Vec<JunctionReport> = network
            .junctions()
            .zip(schedule.junctions())
            .zip(timing.junctions())
            .map(|(((_, j), js), t)| JunctionReport {
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
                lower_bound: js.lower_bound,
                cycles: js.cycles,
                utilization: (js.utilization() * 1e4).round() / 1e4,
                conflicts: conflicts(js),
                crossbar: js.crossbar.describe(),
                datapath: match js.mode {
                    Mode::Tree { .. } => "tree",
                    Mode::Accumulate { .. } => "accumulate",
                },
                phase: t.phase,
                forward_lag: (t.forward_start / period) as usize,
                backward_lag: t.backward_start.map(|u| (u / period) as usize),
            })
            .collect();
        let f = &network.formats;
        let options = Options {
            beat,
            update_multipliers: UpdateMultipliers::Auto,
            interface: crate::hw::Interface::Native,
            board: None,
            baud: crate::hw::DEFAULT_BAUD,
        };
        let core = crate::hw::core(compiled, &options);
        let estimated = estimate::of(compiled, &core);
        let timed = fmax::model::estimate(&core);
        let stream = compiled.stream(beat);
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
                learning_rate: 2f64.powi(-(t.shift as i32)),
            }),
            cycles_per_input: CyclesPerInput {
                training: network.training.map(|_| stream.clocks_per_input),
                inference: stream.clocks_per_input,
                cycle: timing.period(),
            },
            pipeline: match timing.style() {
                Style::Streaming => "streaming",
                Style::Lockstep => "lockstep",
            },
            inputs_in_flight: timing.inputs_in_flight(),
            beat,
            input_beats: network.input().size / beat,
            latency: stream.latency,
            edges: network.total_edges(),
            junctions,
            estimate: EstimateReport {
                verdict: estimated.resources.verdict(),
                utilization: estimated.resources.utilization,
                fits: estimated.resources.fits,
                inputs_per_second: estimated.inputs_per_second,
            },
            timing: TimingReport {
                verdict: fmax::Verdict::new(timed.worst.total_ps, network.target.clock_mhz),
                slowest: timed.slowest(SLOWEST_STAGES),
                worst: timed.worst,
                worst_cells: timed.worst_cells,
            },
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
        let mut table = Table::with_header("junction | >left | >right | pattern | >fan-in | >fan-out | >edges | >z | >bound | >clocks | >use | crossbar | datapath");
        let degree = |min: usize, max: usize| {
            if min == max {
                max.to_string()
            } else {
                format!("{min}..{max}")
            }
        };
        for j in &self.junctions {
            table.row(cells![
                j.name,
                j.left,
                j.right,
                j.pattern,
                degree(j.fan_in_min, j.fan_in),
                degree(j.fan_out_min, j.fan_out),
                j.edges,
                j.z,
                j.lower_bound,
                j.cycles,
                format!("{:.1}%", 100.0 * j.utilization),
                j.crossbar,
                j.datapath,
            ]);
        }
        let mut total = vec![String::new(); 13];
        total[0] = "total".into();
        total[6] = self.edges.to_string();
        out.push_str(&{
            table.row(total);
            table.render()
        });
        out.push_str(&format!(
            "\nclocks per input: {}, {} pipeline; latency {} clocks",
            self.cycles_per_input.inference, self.pipeline, self.latency
        ));
        if self.cycles_per_input.inference > self.cycles_per_input.cycle {
            out.push_str(&format!(
                " (the input stream's {} beats of {} values set the pace: the datapath's cycle is {} clocks)",
                self.input_beats, self.beat, self.cycles_per_input.cycle
            ));
        }
        if self.training.is_some() {
            out.push_str(&format!(
                "; {} inputs in flight while training",
                self.inputs_in_flight
            ));
        }
        out.push('\n');
        let mut starts = Table::with_header("starts | >phase | >forward | >backward");
        for j in &self.junctions {
            starts.row(cells![
                j.name,
                j.phase,
                format!("x+{}", j.forward_lag),
                j.backward_lag.map_or("-".to_string(), |b| format!("x+{b}")),
            ]);
        }
        out.push('\n');
        out.push_str(&starts.render());
        out.push_str(&format!(
            "\nestimated resources ({} inputs/s at {} MHz):",
            crate::explore::table::si(self.estimate.inputs_per_second),
            self.target.clock_mhz
        ));
        for u in &self.estimate.utilization {
            out.push_str(&format!(" {} {} ({:.1}%)", u.resource, u.used, u.percent));
        }
        out.push_str(&format!("\n{}\n", self.estimate.verdict));
        let w = &self.timing.worst;
        out.push_str(&format!(
            "estimated timing (-1 speed grade, from the hardware model): worst stage {:.2} ns \
             ({:.2} ns in cells + {:.2} ns routing; {} LUT levels, {} carry bits), {}: {}; \
             Fmax {:.0} MHz: {} {} MHz\n",
            w.total_ps as f64 / 1000.0,
            w.cell_ps as f64 / 1000.0,
            w.routing_ps as f64 / 1000.0,
            w.luts,
            w.carry_bits,
            w.block,
            w.what,
            self.timing.verdict.fmax_mhz,
            if self.timing.verdict.meets() {
                "meets"
            } else {
                "misses"
            },
            self.target.clock_mhz,
        ));
        let c = &self.timing.worst_cells;
        out.push_str(&format!(
            "  by cell delay alone the worst stage is {:.2} ns, {}: {}\n",
            c.cell_ps as f64 / 1000.0,
            c.block,
            c.what,
        ));
        out
    }
}

/// Clocks of `js` in which some bank is read twice.
fn conflicts(js: &JunctionSchedule) -> usize {
    js.slots
        .chunks(js.z)
        .filter(|clock| {
            let mut banks: Vec<usize> = clock
                .iter()
                .filter(|e| **e != crate::schedule::IDLE)
                .map(|e| js.bank(e.left))
                .collect();
            banks.sort_unstable();
            banks.windows(2).any(|w| w[0] == w[1])
        })
        .count()
}
