//! Co-simulation: run the generated RTL under Verilator or Icarus on the same samples as the
//! executor and compare every output, every trained weight and the clock counts.

use crate::backend::Design;
use snn_runtime::engine::Output;
use snn_runtime::fixed::Format;
use snn_runtime::program::{Parameters, Program, Sample};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The simulators snnc drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Simulator {
    Verilator,
    Icarus,
}

impl Simulator {
    /// The Debian package that provides it.
    pub fn package(self) -> &'static str {
        match self {
            Simulator::Verilator => "verilator",
            Simulator::Icarus => "iverilog",
        }
    }
}

/// What a simulation produced.
#[derive(Clone, Debug)]
pub struct SimResult {
    /// Per output beat: the input's index, decision and raw output activations, and the clock.
    pub outputs: Vec<(usize, usize, Vec<i64>, u64)>,
    /// Weights then biases, junction by junction, in program order (after the run).
    pub parameters: Vec<i64>,
    /// Clocks of the run (the design's status counter).
    pub run_clocks: u64,
    /// Clocks the testbench simulated in all (reset and read-back included).
    pub total_clocks: u64,
    /// The testbench clock at which the run started, and at which the first output was taken.
    pub run_start: u64,
    pub first_output: u64,
    /// Wall time of the simulation itself (not the build).
    pub elapsed: Duration,
    /// Wall time of building the simulation model.
    pub build_time: Duration,
}

/// Why a simulation could not run.
#[derive(Debug)]
pub enum SimError {
    /// The simulator is not installed.
    Missing(Simulator),
    /// It ran and failed: its log.
    Failed { step: String, log: String },
}

/// Writes the stimuli of `samples` for the testbench: one beat per line, and the labels.
pub fn write_stimuli(
    dir: &Path,
    samples: &[Sample],
    input: Format,
    beat: usize,
) -> std::io::Result<()> {
    let width = input.width as usize;
    let mask = if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    let mut beats = String::new();
    for s in samples {
        for chunk in s.input.chunks(beat) {
            let mut bits: Vec<bool> = Vec::with_capacity(beat * width);
            for &v in chunk {
                let raw = v as u64 & mask;
                bits.extend((0..width).map(|i| (raw >> i) & 1 == 1));
            }
            let digits = bits.len().div_ceil(4);
            let hex: String = (0..digits)
                .rev()
                .map(|d| {
                    let nibble = (0..4).fold(0u32, |acc, b| {
                        acc | (u32::from(*bits.get(4 * d + b).unwrap_or(&false)) << b)
                    });
                    char::from_digit(nibble, 16).expect("nibble")
                })
                .collect();
            beats.push_str(&hex);
            beats.push('\n');
        }
    }
    std::fs::write(dir.join("tb/inputs.mem"), beats)?;
    let labels: String = samples.iter().map(|s| format!("{:x}\n", s.label)).collect();
    std::fs::write(dir.join("tb/labels.mem"), labels)
}

/// The C++ main of the Verilator model: toggles the testbench's clock until it finishes.
fn harness(net: &str) -> String {
    let mut context = tera::Context::new();
    context.insert("net", net);
    context.insert("model", net);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    tera::Tera::one_off(HARNESS, &context, false).expect("the harness template renders")
}

const HARNESS: &str = include_str!("../../templates/sim/harness.cpp.tera");

/// Whether `program` is an executable file on the PATH.
pub fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Builds the simulation model of the design in `dir` (already written) and runs it.
pub fn simulate(
    dir: &Path,
    design: &Design,
    net: &str,
    simulator: Simulator,
    samples: usize,
    train: bool,
    vcd: bool,
) -> Result<(String, Duration, Duration), SimError> {
    let mut sources: Vec<String> = vec![format!("tb/tb_{net}.v")];
    sources.extend(design.sources());
    let top = format!("tb_{net}");
    let plusargs = [
        format!("+samples={samples}"),
        format!("+mode={}", u8::from(train)),
        "+inputs=tb/inputs.mem".into(),
        "+labels=tb/labels.mem".into(),
        "+addresses=tb/mm_addresses.mem".into(),
        "+outputs=outputs.txt".into(),
        "+weights=weights_out.txt".into(),
    ];
    let run = |mut command: Command, step: &str| -> Result<String, SimError> {
        let out = command
            .current_dir(dir)
            .output()
            .map_err(|e| SimError::Failed {
                step: step.into(),
                log: e.to_string(),
            })?;
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(log)
        } else {
            Err(SimError::Failed {
                step: step.into(),
                log,
            })
        }
    };
    let build_started = Instant::now();
    let executable: PathBuf = match simulator {
        Simulator::Icarus => {
            if !installed("iverilog") {
                return Err(SimError::Missing(simulator));
            }
            let mut c = Command::new("iverilog");
            c.args(["-g2005", "-o", "sim.vvp", "-s", &top]);
            if vcd {
                c.arg("-DSNNC_VCD");
            }
            c.args(&sources);
            run(c, "iverilog")?;
            PathBuf::from("sim.vvp")
        }
        Simulator::Verilator => {
            if !installed("verilator") {
                return Err(SimError::Missing(simulator));
            }
            // A C++ loop drives the clock (no timing engine), with fast X handling: the
            // design initialises every register it relies on.
            std::fs::write(dir.join("harness.cpp"), harness(net)).map_err(|e| {
                SimError::Failed {
                    step: "harness".into(),
                    log: e.to_string(),
                }
            })?;
            let mut c = Command::new("verilator");
            c.args([
                "--cc",
                "--exe",
                "--build",
                "-O3",
                "--x-assign",
                "fast",
                "--x-initial",
                "fast",
                "-Wno-fatal",
                "-Wno-lint",
                "-Wno-style",
                "-DSNNC_EXTERNAL_CLOCK",
                "--top-module",
                &top,
                "-Mdir",
                "obj",
                "-j",
                "0",
            ]);
            c.args(["-CFLAGS", "-O2"]);
            if vcd {
                c.args(["--trace", "-DSNNC_VCD", "-CFLAGS", "-DSNNC_VCD"]);
            }
            c.arg("harness.cpp");
            c.args(&sources);
            run(c, "verilator")?;
            PathBuf::from(format!("obj/V{top}"))
        }
    };
    let build_time = build_started.elapsed();
    let started = Instant::now();
    let log = match simulator {
        Simulator::Icarus => {
            let mut c = Command::new("vvp");
            c.arg("-n").arg(&executable).args(&plusargs);
            run(c, "vvp")?
        }
        Simulator::Verilator => {
            let mut c = Command::new(dir.join(&executable));
            c.args(&plusargs);
            run(c, "simulation")?
        }
    };
    if log.contains("tb: timeout") {
        return Err(SimError::Failed {
            step: "simulation".into(),
            log,
        });
    }
    Ok((log, started.elapsed(), build_time))
}

/// Reads the testbench's output and weight files.
pub fn read_results(
    dir: &Path,
    act: Format,
    weights: Format,
    run_log: &str,
) -> Result<SimResult, String> {
    let text = std::fs::read_to_string(dir.join("outputs.txt"))
        .map_err(|e| format!("outputs.txt: {e}"))?;
    let signed = |hex: &str, f: Format| -> Result<i64, String> {
        let raw = i64::from_str_radix(hex, 16).map_err(|_| format!("not hex: `{hex}`"))?;
        let w = f.width;
        Ok(if raw >> (w - 1) & 1 == 1 {
            raw - (1i64 << w)
        } else {
            raw
        })
    };
    let mut outputs = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(first), Some(last)) = (fields.first(), fields.last()) else {
            continue;
        };
        let index: usize = first
            .parse()
            .map_err(|_| format!("bad output line `{line}`"))?;
        let decision = usize::from_str_radix(fields[1], 16)
            .map_err(|_| format!("bad decision in `{line}`"))?;
        let values = fields[2..fields.len() - 1]
            .iter()
            .map(|h| signed(h, act))
            .collect::<Result<Vec<_>, _>>()?;
        let clock: u64 = last
            .trim_start_matches('@')
            .parse()
            .map_err(|_| format!("bad clock in `{line}`"))?;
        outputs.push((index, decision, values, clock));
    }
    let weights_text = std::fs::read_to_string(dir.join("weights_out.txt")).unwrap_or_default();
    let parameters = weights_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|h| {
            i64::from_str_radix(h.trim(), 16)
                .map(|v| (v as i32) as i64)
                .map_err(|_| format!("bad weight `{h}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let _ = weights;
    // The testbench's summary: `tb: outputs=N clocks=N run_start=N first_output=N ...`.
    let summary = run_log
        .lines()
        .find(|l| l.starts_with("tb: outputs="))
        .ok_or_else(|| format!("the testbench printed no summary:\n{run_log}"))?;
    let field = |name: &str| -> u64 {
        summary
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(SimResult {
        outputs,
        parameters,
        run_clocks: field("run"),
        total_clocks: field("clocks"),
        run_start: field("run_start"),
        first_output: field("first_output"),
        elapsed: Duration::ZERO,
        build_time: Duration::ZERO,
    })
}

/// The first difference between the executor and the RTL, described for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(pub String);

/// Compares outputs: every decision and every raw activation, input by input.
pub fn compare_outputs(
    expected: &[Output],
    sim: &SimResult,
    program: &Program,
) -> Result<usize, Mismatch> {
    if sim.outputs.len() != expected.len() {
        return Err(Mismatch(format!(
            "the RTL produced {} outputs, the executor {}",
            sim.outputs.len(),
            expected.len()
        )));
    }
    let output_layer = &program.layers.last().expect("layers").name;
    for (x, (e, (index, decision, values, clock))) in expected.iter().zip(&sim.outputs).enumerate()
    {
        let raw = e.raw.as_ref().expect("fixed-point outputs");
        if *index != x {
            return Err(Mismatch(format!("output {x} came out as number {index}")));
        }
        if let Some(r) = (0..raw.len()).find(|&r| raw[r] != values[r]) {
            return Err(Mismatch(format!(
                "input {x}: output neuron {r} of layer `{output_layer}` is {} in the RTL (clock {clock}), {} in the executor",
                values[r], raw[r]
            )));
        }
        if *decision != e.decision {
            return Err(Mismatch(format!(
                "input {x}: decision {decision} in the RTL, {} in the executor",
                e.decision
            )));
        }
    }
    Ok(expected.len())
}

/// Compares trained parameters; the RTL lists weights then biases per junction.
pub fn compare_parameters(
    expected: &Parameters,
    sim: &SimResult,
    program: &Program,
) -> Result<usize, Mismatch> {
    let mut k = 0;
    let total: usize = expected
        .weights
        .iter()
        .chain(&expected.biases)
        .map(Vec::len)
        .sum();
    if sim.parameters.len() != total {
        return Err(Mismatch(format!(
            "the RTL returned {} parameters, expected {total}",
            sim.parameters.len()
        )));
    }
    for (j, junction) in program.junctions.iter().enumerate() {
        for (e, &w) in expected.weights[j].iter().enumerate() {
            if sim.parameters[k] != w {
                return Err(Mismatch(format!(
                    "junction `{}`: weight of edge {e} ({} -> {}) is {} in the RTL, {w} in the executor",
                    junction.name, junction.left[e], junction.right[e], sim.parameters[k]
                )));
            }
            k += 1;
        }
        for (r, &b) in expected.biases[j].iter().enumerate() {
            if sim.parameters[k] != b {
                return Err(Mismatch(format!(
                    "junction `{}`: bias of neuron {r} is {} in the RTL, {b} in the executor",
                    junction.name, sim.parameters[k]
                )));
            }
            k += 1;
        }
    }
    Ok(total)
}

/// Clocks per input in steady state, measured between consecutive outputs.
pub fn steady_clocks(sim: &SimResult) -> Option<u64> {
    let clocks: Vec<u64> = sim.outputs.iter().map(|o| o.3).collect();
    let gaps: Vec<u64> = clocks.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.iter().copied().max()
}
