//! Co-simulation: the generated RTL agrees bit for bit with the executor. Every model of the
//! test suite runs under Verilator (inference and, where it trains, training, from one build);
//! random small networks run under Icarus; a slow consumer makes the design wait on its
//! output stream. Verilator and Icarus come from Debian (scripts/test installs them).

mod common;

use snn_compiler::backend;
use snn_compiler::cosim::compare::Verdict;
use snn_compiler::cosim::{Session, Simulator};
use snn_compiler::hw::{Options, UpdateMultipliers};
use snn_compiler::Compiled;
use snn_runtime::interp::Interpreter;
use snn_runtime::jit::JitEngine;
use snn_runtime::prng::Rng;
use std::path::Path;

fn options(compiled: &Compiled) -> Options {
    Options {
        beat: backend::default_beat(compiled.network()),
        update_multipliers: UpdateMultipliers::Auto,
        interface: snn_compiler::hw::Interface::Axi,
        board: None,
        baud: snn_compiler::hw::DEFAULT_BAUD,
    }
}

/// Simulates `compiled` on `n` samples in every mode it has, with `simulator`; the executor
/// is the JIT, or the interpreter when `interp`. Returns the verdicts, inference first.
fn cosimulate(
    compiled: &Compiled,
    simulator: Simulator,
    n: usize,
    out_stall: usize,
    interp: bool,
) -> Vec<(&'static str, Verdict)> {
    let program = snn_compiler::lower::program(compiled);
    let params = snn_compiler::lower::initial_parameters(compiled.network(), &program);
    let session = Session::new(compiled, &params, &options(compiled), n, None).unwrap();
    let model = session
        .compile(simulator, false)
        .unwrap_or_else(|e| panic!("{}: {e:?}", compiled.network().name));
    // The samples `snnc sim --seed 7` simulates.
    let data = snn_compiler::cosim::random_samples(&session.program, n, 7);
    let mut modes = vec![("inference", false)];
    if session.program.training.is_some() {
        modes.push(("training", true));
    }
    modes
        .into_iter()
        .map(|(name, train)| {
            let sim = model
                .run(&data, train, out_stall, &mut |_| {})
                .unwrap_or_else(|e| panic!("{} {name}: {e:?}", compiled.network().name));
            let verdict = if interp {
                let mut engine = Interpreter::new(&session.program, session.params.clone());
                session.verdict(compiled, &mut engine, &data, train, &sim)
            } else {
                let mut engine = JitEngine::new(&session.program, &session.params).unwrap();
                session.verdict(compiled, &mut engine, &data, train, &sim)
            };
            (name, verdict)
        })
        .collect()
}

fn assert_agrees(what: &str, verdicts: &[(&str, Verdict)], clocks: bool) {
    for (mode, v) in verdicts {
        assert!(
            v.outputs.is_ok() && v.parameters.is_ok(),
            "{what}, {mode}:\n{}",
            v.values_line()
        );
        if clocks {
            assert!(v.agrees(), "{what}, {mode}: {}", v.clocks_line());
        }
    }
}

#[test]
fn every_model_agrees_with_the_executor_under_verilator() {
    for path in common::files("models", "snn") {
        let name = common::file_name(&path);
        let text = std::fs::read(&path).unwrap();
        let compiled = common::plan(&name, &text, path.parent().unwrap());
        // The published instance and its random twin are large: 16 samples of each mode.
        let n = if compiled.network().total_edges() > 2000 {
            16
        } else {
            120
        };
        let verdicts = cosimulate(&compiled, Simulator::Verilator, n, 0, false);
        assert_agrees(&name, &verdicts, true);
        eprintln!(
            "{name}: {}",
            verdicts
                .iter()
                .map(|(m, v)| format!("{m} {}", v.values_line()))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
}

#[test]
fn a_slow_consumer_makes_the_design_wait_without_changing_a_value() {
    for name in ["tiny", "relu"] {
        let path = common::testsuite().join(format!("models/{name}.snn"));
        let compiled = common::plan(name, &std::fs::read(&path).unwrap(), path.parent().unwrap());
        let verdicts = cosimulate(&compiled, Simulator::Icarus, 24, 37, true);
        assert_agrees(name, &verdicts, false);
    }
}

/// A random small network: none to three hidden layers (none: one junction from input to output), sizes, degrees, z, a format of 6 to
/// 16 bits, activations, pattern kinds (clash-free, random, dense, pruned from a random
/// matrix) and seeds, streaming or lockstep training, or inference only. Some are not valid
/// models (a degree that does not divide, ...); the caller skips those.
fn random_network(seed: u64, dir: &Path) -> String {
    let mut rng = Rng::new(seed);
    let mut pick = |n: u64| rng.below(n) as usize;
    let width = 6 + pick(11);
    let frac = (width / 2).max(2);
    let mut sizes = vec![(1 << pick(3)) * (1 + pick(4)) * 2];
    for _ in 0..pick(4) {
        sizes.push([2, 4, 6, 8, 12, 16][pick(6)]);
    }
    sizes.push(1 + pick(6));
    let activations = ["sigmoid", "relu", "identity"];
    let mut layers = String::new();
    for (i, pair) in sizes.windows(2).enumerate() {
        let (left, right) = (pair[0], pair[1]);
        let name = if i + 2 == sizes.len() {
            "output".to_string()
        } else {
            format!("h{i}")
        };
        let connect = match pick(5) {
            0 => format!(
                "sparse(fan_out = {}, pattern = clash_free(type = {}, dither = {}, seed = {}))",
                1 + pick(2),
                1 + pick(3),
                pick(2) == 1,
                pick(1000)
            ),
            1 => format!(
                "sparse(fan_out = {}, pattern = random(seed = {}))",
                1 + pick(3),
                pick(1000)
            ),
            2 => {
                // A pruned matrix: about half the weights non-zero.
                let mut values = vec![0f64; left * right];
                for (k, v) in values.iter_mut().enumerate() {
                    if k % (right + 1) == 0 || pick(2) == 0 {
                        *v = (pick(200) as f64 - 99.5) / 64.0;
                    }
                }
                let bytes = snn_runtime::weights::npy_bytes(&[left, right], &values);
                std::fs::write(dir.join(format!("{seed}_{name}.npy")), bytes).unwrap();
                format!("pruned(weights = \"{seed}_{name}.npy\")")
            }
            _ => "dense".into(),
        };
        // z: a divisor of the left layer, at most 8.
        let divisors: Vec<usize> = (1..=8).filter(|d| left % d == 0).collect();
        let z = divisors[pick(divisors.len() as u64)];
        layers.push_str(&format!(
            "layer {name}[{right}] {{ activation = {}; connect = {connect}; z = {z}; }}\n",
            activations[pick(3)]
        ));
    }
    let train = match pick(4) {
        0 => String::new(),
        k => format!(
            "train {{ cost = {}; learning_rate = 2^-{}; init = glorot_normal(seed = {seed}); \
             pipeline = {}; }}",
            ["cross_entropy", "quadratic"][pick(2)],
            1 + pick(3),
            if k == 1 { "lockstep" } else { "streaming" }
        ),
    };
    format!(
        "network random_{seed} {{\n\
         formats {{ default = fixed<{width}, {frac}>; input = ufixed<8, 8>; }}\n\
         input x[{}];\n{layers}{train}\n}}\n",
        sizes[0]
    )
}

#[test]
fn random_networks_agree_in_cosimulation() {
    // The seed of the run: set SNNC_COSIM_SEED to replay one.
    let base: u64 = std::env::var("SNNC_COSIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    // SNNC_COSIM_KEEP=DIR keeps the models (and their weight files) there.
    let temp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("SNNC_COSIM_KEEP").map(std::path::PathBuf::from);
    let dir = keep.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).unwrap();
    let mut simulated = 0;
    let mut seed = base;
    while simulated < 20 {
        seed += 1;
        let text = random_network(seed, dir);
        std::fs::write(dir.join(format!("random_{seed}.snn")), &text).unwrap();
        // Models the language refuses (degrees that do not divide, ...) are skipped; any
        // other failure is a bug.
        let Ok(network) = snn_compiler::compile_bytes(
            format!("random_{seed}.snn"),
            text.clone().into_bytes(),
            dir,
        ) else {
            continue;
        };
        // Every network elaboration accepts can be planned.
        let compiled =
            snn_compiler::plan(network).unwrap_or_else(|e| panic!("seed {seed}: {e:?}\n{text}"));
        let verdicts = cosimulate(&compiled, Simulator::Icarus, 12, 0, false);
        for (mode, v) in &verdicts {
            assert!(
                v.agrees(),
                "seed {seed} ({mode}; replay with SNNC_COSIM_SEED={}, or `snnc sim` the model with --seed 7 --samples 12 --simulator icarus):\n{}\n{}\n{text}",
                seed - 1,
                v.values_line(),
                v.clocks_line()
            );
        }
        simulated += 1;
    }
}

#[test]
fn an_input_bound_design_has_one_set_of_figures() {
    // `check`, `build` (its line and report.json), `explore` and `sim` (what the RTL measured) agree on
    // clocks per input and latency when the input stream, not the datapath, sets the pace.
    let model = common::testsuite().join("models/input_bound.snn");
    let model = model.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("build");
    let json = |args: &[&str]| -> serde_json::Value {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let run = common::snnc(&args);
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        serde_json::from_slice(&run.stdout).unwrap()
    };
    let check = json(&["check", model]);
    let built = json(&["build", model, "-o", out.to_str().unwrap()]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let sim = json(&["sim", model, "--mode", "train", "--samples", "24"]);
    let explored = json(&[
        "explore",
        model,
        "-o",
        dir.path().join("e").to_str().unwrap(),
    ]);
    let estimate = &explored["rows"][0]["estimate"];
    let measured = |what: &str| {
        sim["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["what"] == what)
            .map(|c| c["measured"].as_u64().unwrap())
            .unwrap()
    };
    let per_input = measured("per input");
    let latency = measured("to the first output");
    assert!(
        per_input > check["cycles_per_input"]["cycle"].as_u64().unwrap(),
        "input-bound"
    );
    for (what, value) in [
        ("check", &check["cycles_per_input"]["training"]),
        ("build", &built["clocks_per_input"]),
        ("report.json", &report["clocks_per_input"]),
        ("explore", &estimate["clocks_per_input"]),
    ] {
        assert_eq!(value.as_u64(), Some(per_input), "{what}: clocks per input");
    }
    for (what, value) in [
        ("check", &check["latency"]),
        ("build", &built["latency"]),
        ("report.json", &report["latency"]),
        ("explore", &estimate["latency"]),
    ] {
        assert_eq!(value.as_u64(), Some(latency), "{what}: latency");
    }
}

/// The AXI shell, its testbench waiting at random on every channel it drives and checking the
/// protocol every clock, computes what the executor computes from parameters loaded over
/// AXI4-Lite (not those of the memory images), and reads the trained ones back.
#[test]
fn the_axi_shell_agrees_under_random_waits_with_parameters_loaded_over_axi_lite() {
    for (name, simulator, n) in [
        ("tiny", Simulator::Icarus, 24),
        ("relu", Simulator::Icarus, 24),
        ("dense", Simulator::Icarus, 12),
        ("logistic_lockstep", Simulator::Icarus, 24),
        ("corner_one_row", Simulator::Icarus, 24),
        ("dey2018_mnist", Simulator::Verilator, 8),
    ] {
        let path = common::testsuite().join(format!("models/{name}.snn"));
        let compiled = common::plan(name, &std::fs::read(&path).unwrap(), path.parent().unwrap());
        let program = snn_compiler::lower::program(&compiled);
        let params = snn_compiler::lower::initial_parameters(compiled.network(), &program);
        let session = Session::new(&compiled, &params, &options(&compiled), n, None).unwrap();
        let model = session
            .compile_axi(simulator)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let loaded = common::other_parameters(&session.program, &params, 11);
        let data = snn_compiler::cosim::random_samples(&session.program, n, 7);
        let mut modes = vec![false];
        if session.program.training.is_some() {
            modes.push(true);
        }
        for (seed, train) in modes.into_iter().enumerate() {
            let sim = model
                .run_axi(
                    &data,
                    train,
                    Some(seed as u32 + 3),
                    Some(&loaded),
                    &mut |_| {},
                )
                .unwrap_or_else(|e| panic!("{name} (train {train}): {e:?}"));
            let mut engine = JitEngine::new(&session.program, &loaded).unwrap();
            let verdict = session.verdict(&compiled, &mut engine, &data, train, &sim);
            assert_agrees(&format!("{name} through AXI"), &[("run", verdict)], false);
        }
    }
}

/// The AXI testbench's protocol check on broken input: a shell whose write response drops
/// before it is taken, or whose output changes while it waits, fails the run.
#[test]
fn the_axi_testbench_sees_a_response_dropped_and_an_output_changed() {
    let path = common::testsuite().join("models/tiny.snn");
    let compiled = common::plan(
        "tiny",
        &std::fs::read(&path).unwrap(),
        path.parent().unwrap(),
    );
    let program = snn_compiler::lower::program(&compiled);
    let params = snn_compiler::lower::initial_parameters(compiled.network(), &program);
    let breaks = [
        (
            "rtl/snn_axil.v",
            "if (s_axil_bvalid && s_axil_bready) s_axil_bvalid <= 1'b0;",
            "s_axil_bvalid <= 1'b0;",
            "B dropped before it was taken",
        ),
        (
            "rtl/tiny_axi.v",
            "assign m_axis_tlast = 1'b1;",
            "reg flip = 1'b0;\n    always @(posedge aclk) flip <= !flip;\n    assign m_axis_tlast = flip;",
            "m_axis changed before it was taken",
        ),
    ];
    for (file, correct, broken, breach) in breaks {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::new(
            &compiled,
            &params,
            &options(&compiled),
            8,
            Some((dir.path(), false)),
        )
        .unwrap();
        let text = std::fs::read_to_string(session.dir.join(file)).unwrap();
        assert!(text.contains(correct), "{file} has `{correct}`");
        std::fs::write(session.dir.join(file), text.replace(correct, broken)).unwrap();
        let model = session.compile_axi(Simulator::Icarus).unwrap();
        let data = snn_compiler::cosim::random_samples(&session.program, 8, 7);
        match model.run_axi(&data, true, Some(5), None, &mut |_| {}) {
            Err(snn_compiler::cosim::SimError::Failed { log, .. }) => {
                assert!(
                    log.contains(breach),
                    "{file}: expected `{breach}` in\n{log}"
                )
            }
            other => panic!("{file}: the breach went unseen: {:?}", other.map(|_| ())),
        }
    }
}
