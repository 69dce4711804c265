//! Helpers shared by the integration tests: where the test suite lives, running `snnc`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's `testsuite/` directory.
pub fn testsuite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite")
}

/// The files in `testsuite/<dir>` with extension `ext`, sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(testsuite().join(dir))
        .expect("testsuite directory exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// Runs the `snnc` binary with `args`.
pub fn snnc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("snnc runs")
}

/// A model's text taken through every stage before the backend; panics with the rendered
/// diagnostics if the model has errors.
pub fn plan(name: &str, text: &[u8], dir: &Path) -> snn_compiler::Compiled {
    let network = snn_compiler::compile_bytes(name.into(), text.to_vec(), dir)
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    snn_compiler::plan(network).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// A file's name without its directory.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned()
}

/// Runs `body` with insta writing snapshots to `testsuite/snapshots/<dir>`.
pub fn snapshots_in(dir: &str, body: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(testsuite().join("snapshots").join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(body);
}

/// Parameters unlike `params` (each drawn anew over the weight format's range), to load into
/// the design over AXI4-Lite: if the load failed, the memory images' values would show.
pub fn other_parameters(
    program: &snn_runtime::program::Program,
    params: &snn_runtime::program::Parameters,
    seed: u64,
) -> snn_runtime::program::Parameters {
    let mut rng = snn_runtime::prng::Rng::new(seed);
    let f = program.formats.weights;
    let mut draw = |v: &Vec<i64>| -> Vec<i64> {
        v.iter()
            .map(|_| f.min_raw() + rng.below((f.max_raw() - f.min_raw() + 1) as u64) as i64)
            .collect()
    };
    let other = snn_runtime::program::Parameters {
        weights: params.weights.iter().map(&mut draw).collect(),
        biases: params.biases.iter().map(&mut draw).collect(),
    };
    assert_ne!(other.weights, params.weights);
    other
}
