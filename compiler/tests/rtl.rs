//! The generated hardware as files and as tools see it: snapshots of the glue Verilog and the
//! report for the small models, byte-identical rebuilds, `verilator --lint-only -Wall` and
//! Icarus on every model, Yosys `synth_xilinx` on the small ones, and the hand-written
//! primitives' own testbenches under Icarus. The tools come from Debian (scripts/test
//! installs them).

mod common;

use snn_compiler::backend::{self, Bench, Design};
use snn_compiler::hw::Options;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The models whose generated Verilog is snapshotted and synthesised (the others are large).
const SMALL: &[&str] = &["dense", "pruned", "relu", "tiny", "tiny_lockstep"];

fn build(path: &Path) -> Design {
    let text = std::fs::read(path).unwrap();
    let name = common::file_name(path);
    let compiled = common::plan(&name, &text, path.parent().unwrap());
    let options = Options {
        beat: backend::default_beat(compiled.network()),
        update_multipliers: snn_compiler::hw::UpdateMultipliers::Auto,
        interface: snn_compiler::hw::Interface::Axi,
        board: None,
        baud: snn_compiler::hw::DEFAULT_BAUD,
    };
    snn_compiler::emit(&compiled, None, &options, &Bench { max_samples: 16 })
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(design: &Design, path: &str) -> String {
    String::from_utf8(design.files[path].clone()).unwrap()
}

/// Runs `program` in `dir`; panics with its output (or how to install it) when it fails.
fn run(dir: &Path, program: &str, args: &[String]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} cannot run ({e}); scripts/test installs it from Debian")
        });
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?} failed:\n{log}");
    log
}

fn written(design: &Design) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    design.write(dir.path()).unwrap();
    dir
}

fn models() -> Vec<PathBuf> {
    common::files("models", "snn")
}

fn top(design: &Design) -> String {
    let top = design
        .files
        .keys()
        .find(|p| p.ends_with("_top.v"))
        .expect("a top level");
    top.trim_start_matches("rtl/")
        .trim_end_matches(".v")
        .to_string()
}

#[test]
fn generated_verilog_and_report_of_the_small_models() {
    common::snapshots_in("build", || {
        for name in SMALL {
            let design = build(&common::testsuite().join(format!("models/{name}.snn")));
            for path in design.files.keys() {
                let glue = path.starts_with("rtl/") && !path.starts_with("rtl/snn_");
                if glue || path == "report.md" {
                    let file = path.rsplit('/').next().unwrap();
                    insta::assert_snapshot!(format!("{name}__{file}"), text(&design, path));
                }
            }
        }
    });
}

#[test]
fn builds_are_byte_identical() {
    for path in models() {
        let (a, b) = (build(&path), build(&path));
        assert_eq!(a.files, b.files, "{}", path.display());
    }
}

#[test]
fn every_model_lints_clean_in_verilator() {
    for path in models() {
        let design = build(&path);
        let dir = written(&design);
        // `verilator --lint-only -Wall rtl/*.v`, as a user would run it: no `--top-module`,
        // so a module the design does not instantiate would be a second top (MULTITOP).
        let mut files: Vec<String> = std::fs::read_dir(dir.path().join("rtl"))
            .unwrap()
            .map(|e| format!("rtl/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        files.sort();
        let mut args: Vec<String> = vec!["--lint-only".into(), "-Wall".into()];
        args.extend(files);
        let log = run(dir.path(), "verilator", &args);
        assert!(log.trim().is_empty(), "{}:\n{log}", path.display());
    }
}

#[test]
fn every_model_compiles_in_icarus() {
    for path in models() {
        let design = build(&path);
        let dir = written(&design);
        // The core's testbench and the AXI shell's.
        let benches: Vec<&String> = design
            .files
            .keys()
            .filter(|p| p.starts_with("tb/") && p.ends_with(".v"))
            .collect();
        assert_eq!(benches.len(), 2, "{}: {benches:?}", path.display());
        for bench in benches {
            let mut args: Vec<String> = vec![
                "-g2005".into(),
                "-Wall".into(),
                "-o".into(),
                "sim.vvp".into(),
            ];
            args.push(bench.clone());
            args.extend(design.sources());
            let log = run(dir.path(), "iverilog", &args);
            let warnings: Vec<&str> = log
                .lines()
                .filter(|l| !l.contains("timescale") && !l.contains("inherit"))
                .collect();
            assert!(
                warnings.is_empty(),
                "{} {bench}:\n{}",
                path.display(),
                warnings.join("\n")
            );
        }
    }
}

#[test]
fn small_models_synthesise_for_xc7_in_yosys() {
    // logistic_lockstep keeps a one-word bias memory (in registers).
    for name in ["tiny", "pruned", "logistic_lockstep"] {
        let design = build(&common::testsuite().join(format!("models/{name}.snn")));
        let dir = written(&design);
        let script = format!(
            "read_verilog {}; synth_xilinx -family xc7 -top {}; stat",
            design.sources().join(" "),
            top(&design)
        );
        let log = run(dir.path(), "yosys", &["-p".into(), script]);
        assert!(
            log.contains("Number of cells"),
            "{name}: no statistics\n{log}"
        );
    }
}

#[test]
fn primitives_pass_their_testbenches_in_icarus() {
    let dir = common::testsuite().join("rtl");
    let primitives: Vec<String> = backend::PRIMITIVES
        .iter()
        .map(|(name, _)| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../templates/rtl")
                .join(name)
                .display()
                .to_string()
        })
        .collect();
    let benches = common::files("rtl", "v");
    assert!(benches.len() >= 7, "a testbench per primitive");
    let out = tempfile::tempdir().unwrap();
    for bench in benches {
        let name = bench.file_stem().unwrap().to_string_lossy().into_owned();
        let vvp = out.path().join(format!("{name}.vvp")).display().to_string();
        let mut args: Vec<String> = vec![
            "-g2005".into(),
            "-o".into(),
            vvp.clone(),
            "-s".into(),
            name.clone(),
        ];
        args.push(bench.display().to_string());
        args.extend(primitives.iter().cloned());
        run(&dir, "iverilog", &args);
        let log = run(&dir, "vvp", &["-n".into(), vvp]);
        assert!(
            log.contains("PASS") && !log.contains("FAIL"),
            "{name}:\n{log}"
        );
    }
}
