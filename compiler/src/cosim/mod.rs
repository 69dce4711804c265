//! Co-simulation: the generated RTL runs under Verilator or Icarus on the same samples as the
//! executor, and every output, every trained weight and the clock counts are compared.
//!
//! A [`Session`] holds a built design in a directory; [`Session::compile`] builds the
//! simulator's model once, and [`Model::run`] runs it on samples (inference or training) as
//! often as needed; [`compare::Verdict`] says whether the RTL agreed.

mod axi;
mod board;
pub mod compare;

pub use board::SimulatedBoard;

use crate::backend::{Bench, Design};
use crate::diagnostics::Error;
use crate::hw::Options;
use crate::{Compiled, Failure};
use compare::Verdict;
use snn_runtime::engine::{Engine, Output};
use snn_runtime::fixed::Format;
use snn_runtime::program::{Parameters, Program, Sample};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

    pub fn name(self) -> &'static str {
        match self {
            Simulator::Verilator => "Verilator",
            Simulator::Icarus => "Icarus",
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
}

/// Why a simulation could not run.
#[derive(Debug)]
pub enum SimError {
    /// The simulator is not installed.
    Missing(Simulator),
    /// It ran and failed: its log.
    Failed { step: String, log: String },
}

/// A design written to a directory with everything the executor needs to check it.
pub struct Session {
    pub dir: PathBuf,
    pub design: Design,
    pub program: Program,
    pub params: Parameters,
    pub net: String,
    pub input: Format,
    pub activations: Format,
    pub beat: usize,
    /// Beats of the input stream per input.
    pub beats: usize,
    _temp: Option<tempfile::TempDir>,
}

/// A simulator's compiled model of a session's design.
pub struct Model<'s> {
    session: &'s Session,
    simulator: Simulator,
    command: Vec<String>,
    pub build_time: Duration,
}

impl Session {
    /// Builds the design of `compiled`, its memories holding `params`, into `dir` (a temporary
    /// directory when `None`), for up to `max_samples` samples. A directory of the user's is written as a build is
    /// ([`crate::files::write_tree`]): empty, new, or with `force` an earlier build.
    pub fn new(
        compiled: &Compiled,
        params: &Parameters,
        options: &Options,
        max_samples: usize,
        dir: Option<(&Path, bool)>,
    ) -> Result<Session, Failure> {
        let internal = |message: String| Error::Internal {
            message: format!("network `{}`: {message}", compiled.network().name),
        };
        let program = crate::lower::program(compiled);
        let params = params.clone();
        let bench = Bench {
            max_samples: max_samples.max(1),
        };
        let design = crate::emit(compiled, Some(&params), options, &bench)
            .map_err(|e| e.into_error(&compiled.network().name))?;
        let (dir, temp) = match dir {
            Some((d, force)) => {
                crate::files::write_tree(d, &design.files, force)?;
                (d.to_path_buf(), None)
            }
            None => {
                let t = tempfile::tempdir()
                    .map_err(|e| internal(format!("temporary directory: {e}")))?;
                design
                    .write(t.path())
                    .map_err(|e| internal(format!("cannot write `{}`: {e}", t.path().display())))?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        // Absolute, since the simulators run inside it.
        let dir = dir
            .canonicalize()
            .map_err(|e| internal(format!("`{}`: {e}", dir.display())))?;
        let network = &compiled.network();
        Ok(Session {
            dir,
            design,
            net: network.name.clone(),
            input: network.formats.input,
            activations: network.formats.activations,
            beat: options.beat,
            beats: network.input().size / options.beat,
            program,
            params,
            _temp: temp,
        })
    }

    /// Builds `simulator`'s model of the design (with waveform dumps when `vcd`).
    pub fn compile(&self, simulator: Simulator, vcd: bool) -> Result<Model<'_>, SimError> {
        self.compile_bench(simulator, vcd, &format!("tb_{}", self.net))
    }

    /// Builds `simulator`'s model of testbench `top` (`tb/<top>.v`) over the design.
    fn compile_bench(
        &self,
        simulator: Simulator,
        vcd: bool,
        top: &str,
    ) -> Result<Model<'_>, SimError> {
        let mut sources: Vec<String> = vec![format!("tb/{top}.v")];
        sources.extend(self.design.sources());
        let top = top.to_string();
        // The packages are named after their commands.
        if !installed(simulator.package()) {
            return Err(SimError::Missing(simulator));
        }
        let started = Instant::now();
        let command = match simulator {
            Simulator::Icarus => {
                let mut args = vec!["-g2005", "-o", "sim.vvp", "-s", &top];
                if vcd {
                    args.push("-DSNNC_VCD");
                }
                let mut c = Command::new("iverilog");
                c.args(args).args(&sources);
                self.run_tool(c, "iverilog")?;
                vec!["vvp".into(), "-n".into(), "sim.vvp".into()]
            }
            Simulator::Verilator => {
                // The testbench's clock comes from the harness (SNNC_EXTERNAL_CLOCK).
                std::fs::write(self.dir.join("harness.cpp"), harness(&top)).map_err(|e| {
                    SimError::Failed {
                        step: "harness".into(),
                        log: e.to_string(),
                    }
                })?;
                let mut c = verilator(&top, "obj");
                c.arg("-DSNNC_EXTERNAL_CLOCK");
                if vcd {
                    c.args(["--trace", "-DSNNC_VCD", "-CFLAGS", "-DSNNC_VCD"]);
                }
                c.arg("harness.cpp").args(&sources);
                self.run_tool(c, "verilator")?;
                vec![self.dir.join(format!("obj/V{top}")).display().to_string()]
            }
        };
        Ok(Model {
            session: self,
            simulator,
            command,
            build_time: started.elapsed(),
        })
    }

    fn run_tool(&self, mut command: Command, step: &str) -> Result<String, SimError> {
        let out = command
            .current_dir(&self.dir)
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
    }

    /// Runs `engine` on `samples` as the hardware would and compares `sim` with it: every
    /// output, every parameter after the run, and the clock counts.
    pub fn verdict(
        &self,
        compiled: &Compiled,
        engine: &mut dyn Engine,
        samples: &[Sample],
        train: bool,
        sim: &SimResult,
    ) -> Verdict {
        let mut expected: Vec<Output> = Vec::with_capacity(samples.len());
        if train {
            let pipeline = self.program.pipeline.clone().expect("a training program");
            engine.train(samples, &pipeline, &mut |_, o| expected.push(o.clone()));
        } else {
            expected.extend(samples.iter().map(|s| engine.infer(&s.input)));
        }
        let parameters = engine.parameters().expect("fixed-point parameters");
        Verdict {
            outputs: compare::compare_outputs(&expected, sim, &self.program),
            parameters: compare::compare_parameters(&parameters, sim, &self.program),
            clocks: compare::clocks(sim, compiled.datapath().timing(), samples.len(), self.beats),
            elapsed: sim.elapsed,
            total_clocks: sim.total_clocks,
        }
    }
}

impl Model<'_> {
    pub fn simulator(&self) -> Simulator {
        self.simulator
    }

    /// Streams `samples` through the design (training when `train`), reading back every
    /// parameter afterwards; the output stream takes an output every `out_stall + 1` clocks.
    /// `progress` sees the number of outputs as they come.
    pub fn run(
        &self,
        samples: &[Sample],
        train: bool,
        out_stall: usize,
        progress: &mut dyn FnMut(usize),
    ) -> Result<SimResult, SimError> {
        let mut plusargs = self.stimuli(samples, train)?;
        plusargs.push(format!("+out_stall={out_stall}"));
        self.simulate(&plusargs, progress)
    }

    /// Runs the model with `plusargs` and reads what the testbench wrote.
    fn simulate(
        &self,
        plusargs: &[String],
        progress: &mut dyn FnMut(usize),
    ) -> Result<SimResult, SimError> {
        let s = self.session;
        let started = Instant::now();
        let failed = |log: String| SimError::Failed {
            step: "simulation".into(),
            log,
        };
        let mut child = Command::new(&self.command[0])
            .args(&self.command[1..])
            .args(plusargs)
            .current_dir(&s.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| failed(e.to_string()))?;
        let mut log = String::new();
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                let line = line.map_err(|e| failed(e.to_string()))?;
                if let Some(n) = line.strip_prefix("tb: done ") {
                    progress(n.trim().parse().unwrap_or(0));
                } else {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        }
        let out = child
            .wait_with_output()
            .map_err(|e| failed(e.to_string()))?;
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        if !out.status.success() || log.contains("tb: timeout") || log.contains("tb: protocol:") {
            return Err(failed(log));
        }
        let mut result = compare::read_results(&s.dir, s.activations, &log)
            .map_err(|e| failed(e.to_string()))?;
        result.elapsed = started.elapsed();
        Ok(result)
    }
}

/// Verilator building the C++ model of `top` (with its harness, given after) into `dir`:
/// a C++ loop drives the clock (no timing engine), with fast X handling, since the design
/// initialises every register it relies on. The code run every clock is compiled at `-O1`
/// and the code run once (the initial settling, which is one function for the whole
/// design) at `-O0`: a large design's settling function otherwise takes g++ minutes.
fn verilator(top: &str, dir: &str) -> Command {
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
        "--top-module",
        top,
        "-Mdir",
        dir,
        "-j",
        "0",
        "-MAKEFLAGS",
        "OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1",
    ]);
    c
}

impl Model<'_> {
    /// Writes the stimuli of `samples` and returns the testbenches' common arguments: the
    /// samples, the mode and the files.
    fn stimuli(&self, samples: &[Sample], train: bool) -> Result<Vec<String>, SimError> {
        let s = self.session;
        write_stimuli(&s.dir, samples, s.input, s.beat).map_err(stimuli_error)?;
        Ok(vec![
            format!("+samples={}", samples.len()),
            format!("+mode={}", u8::from(train)),
            "+inputs=tb/inputs.mem".into(),
            "+labels=tb/labels.mem".into(),
            "+addresses=tb/mm_addresses.mem".into(),
            "+outputs=outputs.txt".into(),
            "+weights=weights_out.txt".into(),
        ])
    }
}

/// A stimulus file could not be written.
fn stimuli_error(e: std::io::Error) -> SimError {
    SimError::Failed {
        step: "stimuli".into(),
        log: e.to_string(),
    }
}

/// Seeded random samples over the whole input range, with random labels: what `snnc sim
/// --seed SEED` simulates.
pub fn random_samples(program: &Program, n: usize, seed: u64) -> Vec<Sample> {
    let mut rng = snn_runtime::prng::Rng::derived(seed, "sim");
    let f = program.formats.input;
    (0..n)
        .map(|_| Sample {
            input: (0..program.input_size())
                .map(|_| f.min_raw() + rng.below((f.max_raw() - f.min_raw() + 1) as u64) as i64)
                .collect(),
            label: rng.below(program.output_size() as u64) as usize,
        })
        .collect()
}

/// Writes the stimuli of `samples` for the testbench: one beat per line, and the labels.
pub fn write_stimuli(
    dir: &Path,
    samples: &[Sample],
    input: Format,
    beat: usize,
) -> std::io::Result<()> {
    let width = input.width as usize;
    let mut beats = String::new();
    for s in samples {
        for chunk in s.input.chunks(beat) {
            let bytes = crate::hw::top::beat_bytes(chunk, width);
            let digits = (chunk.len() * width).div_ceil(4);
            let hex: String = (0..digits)
                .rev()
                .map(|d| {
                    let nibble = (bytes[d / 2] >> (4 * (d % 2))) & 0xf;
                    char::from_digit(u32::from(nibble), 16).expect("nibble")
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

/// The C++ main of the Verilator model of testbench `top`: toggles its clock until it finishes.
fn harness(top: &str) -> String {
    let mut context = tera::Context::new();
    context.insert("top", top);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    tera::Tera::one_off(HARNESS, &context, false).expect("the harness template renders")
}

const HARNESS: &str = include_str!("../../../templates/sim/harness.cpp.tera");

/// Whether `program` is an executable file on the PATH.
pub fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
