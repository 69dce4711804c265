//! `snnc import` and `snnc export` on the ONNX files of `testsuite/import/`: each imported
//! model computes in float what onnxruntime computed when the file was made, its fixed-point
//! outputs are the RTL's bit for bit, every unsupported model gets its code, trained weights
//! go into the hardware, and a model taken out to ONNX and back computes the same.

mod common;

use common::{file_name, snapshots_in, snnc, testsuite};
use serde_json::Value;
use snn_runtime::weights::npy_bytes;
use std::path::{Path, PathBuf};
use std::process::Output;

/// An ONNX fixture, its inputs, and what it computes: onnxruntime's outputs (NumPy's
/// float64 forward pass for the QONNX model, whose quantisation snnc's float engine does not
/// apply to activations).
struct Fixture {
    model: &'static str,
    inputs: &'static str,
    expected: &'static str,
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        model: "pytorch_pruned/model.onnx",
        inputs: "pytorch_pruned/inputs.npy",
        expected: "pytorch_pruned/expected.npy",
    },
    Fixture {
        model: "pytorch_pruned/model_opset11.onnx",
        inputs: "pytorch_pruned/inputs.npy",
        expected: "pytorch_pruned/expected.npy",
    },
    Fixture {
        model: "pytorch_pruned/model_dynamo.onnx",
        inputs: "pytorch_pruned/inputs.npy",
        expected: "pytorch_pruned/expected.npy",
    },
    Fixture {
        model: "keras_dense/model.onnx",
        inputs: "keras_dense/inputs.npy",
        expected: "keras_dense/expected.npy",
    },
    Fixture {
        model: "keras_dense/gemm.onnx",
        inputs: "keras_dense/inputs.npy",
        expected: "keras_dense/expected_gemm.npy",
    },
    Fixture {
        model: "keras_dense/gemm_alpha.onnx",
        inputs: "keras_dense/inputs.npy",
        expected: "keras_dense/expected_gemm_alpha.npy",
    },
    Fixture {
        model: "qonnx_quant/model.onnx",
        inputs: "qonnx_quant/inputs.npy",
        expected: "qonnx_quant/expected_float.npy",
    },
];

fn fixture(relative: &str) -> String {
    testsuite()
        .join("import")
        .join(relative)
        .display()
        .to_string()
}

fn ok(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Imports `model` into `dir`; returns the `.snn` written.
fn import(model: &str, dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.display().to_string();
    let mut args = vec!["import", model, "-o", &out];
    args.extend_from_slice(extra);
    let stdout = ok(snnc(&args), model);
    assert!(stdout.contains("wrote "), "{stdout}");
    let snn: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the import's directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "snn"))
        .collect();
    assert_eq!(snn.len(), 1, "one model in {dir:?}");
    snn[0].clone()
}

/// The outputs `snnc run` prints as JSON, per sample.
fn run(model: &Path, inputs: &str, extra: &[&str]) -> Vec<Vec<f64>> {
    let model = model.display().to_string();
    let mut args = vec!["--format", "json", "run", &model, "--input", inputs];
    args.extend_from_slice(extra);
    let results: Value = serde_json::from_str(&ok(snnc(&args), &model)).expect("JSON");
    results
        .as_array()
        .expect("one result per sample")
        .iter()
        .map(|r| {
            r["outputs"]
                .as_array()
                .expect("outputs")
                .iter()
                .map(|v| v.as_f64().expect("a number"))
                .collect()
        })
        .collect()
}

/// An `.npy` file's values, per row.
fn npy_rows(path: &str) -> Vec<Vec<f64>> {
    let array =
        snn_runtime::npy::parse(&std::fs::read(path).expect("the fixture")).expect("an array");
    let row: usize = array.shape[1..].iter().product();
    array.values.chunks(row).map(<[f64]>::to_vec).collect()
}

/// The largest error relative to the expected value, or to `floor` where that is smaller.
fn relative_error(got: &[Vec<f64>], expected: &[Vec<f64>], floor: f64) -> f64 {
    assert_eq!(got.len(), expected.len());
    got.iter()
        .zip(expected)
        .flat_map(|(g, e)| {
            assert_eq!(g.len(), e.len());
            g.iter().zip(e)
        })
        .map(|(g, e)| (g - e).abs() / e.abs().max(floor))
        .fold(0.0, f64::max)
}

#[test]
fn imported_models_compute_in_float_what_onnxruntime_computed() {
    for f in FIXTURES {
        let dir = tempfile::tempdir().expect("a directory");
        let model = import(&fixture(f.model), &dir.path().join("model"), &[]);
        let got = run(&model, &fixture(f.inputs), &["--engine", "float"]);
        let err = relative_error(&got, &npy_rows(&fixture(f.expected)), f64::MIN_POSITIVE);
        eprintln!("{}: largest relative error {err:.2e}", f.model);
        assert!(err <= 1e-6, "{}: relative error {err:e}", f.model);
    }
}

/// The Python of the virtual environment `scripts/test` makes, with onnx and onnxruntime.
fn python() -> PathBuf {
    let python = std::env::var_os("SNNC_TEST_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/python/bin/python"),
        PathBuf::from,
    );
    assert!(
        python.exists(),
        "{} is missing: scripts/test makes it (a virtual environment with onnx and onnxruntime)",
        python.display()
    );
    python
}

/// How close onnxruntime's float32 outputs come to float64 ones: sums of hundreds of float32
/// products keep about five digits, and near 0, where its sigmoid (a rational approximation)
/// is exact to about 1e-8 absolute, the error is taken relative to 0.01.
const FLOAT32: (f64, f64) = (1e-5, 1e-2);
/// The same for float64 tensors, whose sums differ from snnc's only in their order.
const FLOAT64: (f64, f64) = (1e-9, 1e-6);

/// onnxruntime's outputs for `model` on `inputs`, after the ONNX checker has passed it.
fn onnxruntime(model: &Path, inputs: &Path, dir: &Path) -> Vec<Vec<f64>> {
    let outputs = dir.join("onnxruntime.npy");
    let status = std::process::Command::new(python())
        .arg(testsuite().join("import/run_onnxruntime.py"))
        .args([model, inputs, &outputs])
        .output()
        .expect("python runs");
    assert!(
        status.status.success(),
        "onnxruntime on {model:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    npy_rows(&outputs.display().to_string())
}

/// `samples` inputs of `size` values in [0, 1), from a fixed linear congruential sequence.
fn write_inputs(path: &Path, samples: usize, size: usize) {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let values: Vec<f64> = (0..samples * size)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 40) as f64 / (1u64 << 24) as f64
        })
        .collect();
    std::fs::write(path, npy_bytes(&[samples, size], &values)).expect("inputs written");
}

/// A data directory of `inputs` (an `.npy` array) as both its training and its test set.
fn data_directory(dir: &Path, inputs: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("a data directory");
    let samples = snn_runtime::npy::parse(&std::fs::read(inputs).expect("inputs"))
        .expect("an array")
        .shape[0];
    let labels: Vec<f64> = (0..samples).map(|i| (i % 2) as f64).collect();
    for set in ["train", "test"] {
        std::fs::copy(inputs, data.join(format!("x_{set}.npy"))).expect("inputs copied");
        std::fs::write(
            data.join(format!("y_{set}.npy")),
            npy_bytes(&[samples], &labels),
        )
        .expect("labels");
    }
    data
}

/// `snnc sim`'s verdict: bit-exact, and how many outputs it compared.
fn simulate(model: &Path, data: &Path, extra: &[&str]) -> (bool, u64) {
    let (model, data) = (model.display().to_string(), data.display().to_string());
    let mut args = vec![
        "--format",
        "json",
        "sim",
        &model,
        "--data",
        &data,
        "--samples",
        "8",
    ];
    args.extend_from_slice(extra);
    let report: Value = serde_json::from_str(&ok(snnc(&args), &model)).expect("JSON");
    (
        report["bit_exact"].as_bool().expect("a verdict"),
        report["outputs"].as_u64().expect("a count"),
    )
}

#[test]
fn imported_models_run_in_the_rtl_as_in_the_executor() {
    // Formats from calibration inputs, from the weights' worst case, and from QONNX; lanes
    // per layer and from `--cycles`.
    let calibration = fixture("pytorch_pruned/inputs.npy");
    for (model, extra) in [
        (
            "pytorch_pruned/model.onnx",
            vec!["--calibrate", calibration.as_str()],
        ),
        ("keras_dense/model.onnx", vec!["--cycles", "8"]),
        ("qonnx_quant/model.onnx", vec![]),
    ] {
        let dir = tempfile::tempdir().expect("a directory");
        let snn = import(&fixture(model), &dir.path().join("model"), &extra);
        let inputs = Path::new(&fixture(model)).with_file_name("inputs.npy");
        let data = data_directory(dir.path(), &inputs);
        assert_eq!(simulate(&snn, &data, &[]), (true, 8), "{model}");
    }
}

#[test]
fn unsupported_models_get_their_codes() {
    let cases = common::files("import/errors", "onnx");
    assert!(cases.len() >= 10, "{} error cases", cases.len());
    snapshots_in("import_errors", || {
        for case in cases {
            let name = file_name(&case);
            let code = name.split('_').next().expect("a code first");
            let dir = tempfile::tempdir().expect("a directory");
            let out = dir.path().join("model").display().to_string();
            let output = snnc(&["import", &case.display().to_string(), "-o", &out]);
            let stderr = String::from_utf8_lossy(&output.stderr)
                .replace(&*testsuite().display().to_string(), "testsuite");
            assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
            assert!(
                stderr.starts_with(&format!("error[{code}]")),
                "{name}: {stderr}"
            );
            assert!(
                !dir.path().join("model").exists(),
                "{name}: nothing is written"
            );
            insta::assert_snapshot!(name.trim_end_matches(".onnx").to_string(), stderr);
        }
    });
}

/// The PyTorch model imported with a `train` block and trained 100 steps: its directory,
/// model and weights.
fn trained(dir: &Path) -> (PathBuf, PathBuf) {
    let snn = import(
        &fixture("pytorch_pruned/model.onnx"),
        &dir.join("imported"),
        &["--train"],
    );
    let train = dir.join("train");
    std::fs::create_dir_all(&train).expect("a directory");
    write_inputs(&train.join("x.npy"), 100, 784);
    let data = data_directory(&train, &train.join("x.npy"));
    let weights = dir.join("trained.npz");
    let (snn_s, data_s, weights_s) = (
        snn.display().to_string(),
        data.display().to_string(),
        weights.display().to_string(),
    );
    let stdout = ok(
        snnc(&["train", &snn_s, "--data", &data_s, "-o", &weights_s]),
        "train",
    );
    assert!(stdout.contains("saved weights"), "{stdout}");
    (snn, weights)
}

#[test]
fn trained_weights_go_into_the_hardware_and_out_to_onnx() {
    let dir = tempfile::tempdir().expect("a directory");
    let (snn, weights) = trained(dir.path());
    let (snn_s, weights_s) = (snn.display().to_string(), weights.display().to_string());
    let inputs = fixture("pytorch_pruned/inputs.npy");
    let initial = run(&snn, &inputs, &[]);
    let trained_outputs = run(&snn, &inputs, &["--weights", &weights_s]);
    assert_ne!(initial, trained_outputs, "training changed the outputs");

    // The memory images hold the trained weights: the RTL computes what the executor does
    // with them, and the images differ from the initial ones.
    let data = data_directory(dir.path(), Path::new(&inputs));
    assert_eq!(simulate(&snn, &data, &["--weights", &weights_s]), (true, 8));
    let built = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name).display().to_string();
        let mut args = vec!["build", &snn_s, "-o", &out];
        args.extend_from_slice(extra);
        ok(snnc(&args), "build");
        std::fs::read(dir.path().join(name).join("mem/hidden1_weights.mem"))
            .expect("a memory image")
    };
    assert_ne!(
        built("initial", &[]),
        built("trained", &["--weights", &weights_s])
    );

    // Out to ONNX and back: the same network, computing the same, in onnxruntime too.
    let float = run(
        &snn,
        &inputs,
        &["--weights", &weights_s, "--engine", "float"],
    );
    for (tensors, (tolerance, floor)) in [("float32", FLOAT32), ("float64", FLOAT64)] {
        let onnx = dir.path().join(format!("trained_{tensors}.onnx"));
        let mut args = vec!["export", &snn_s, "--weights", &weights_s];
        let onnx_s = onnx.display().to_string();
        args.extend(["-o", &onnx_s]);
        if tensors == "float64" {
            args.push("--float64");
        }
        let stdout = ok(snnc(&args), "export");
        assert!(stdout.contains(&format!("{tensors} tensors")), "{stdout}");
        let back = import(&onnx_s, &dir.path().join(format!("back_{tensors}")), &[]);
        assert_eq!(run(&back, &inputs, &[]), trained_outputs, "{tensors}");
        assert_eq!(
            run(&back, &inputs, &["--weights", &weights_s]),
            trained_outputs,
            "{tensors}: the same edges"
        );
        let err = relative_error(
            &onnxruntime(&onnx, Path::new(&inputs), dir.path()),
            &float,
            floor,
        );
        eprintln!("{tensors}: onnxruntime's largest relative error {err:.2e}");
        assert!(
            err <= tolerance,
            "{tensors}: onnxruntime's relative error {err:e}"
        );
    }
}

#[test]
fn weights_of_another_structure_are_refused_naming_the_junction() {
    let dir = tempfile::tempdir().expect("a directory");
    let (snn, weights) = trained(dir.path());
    // One more edge in the first junction: the trained file's mask no longer matches.
    let matrix = snn.with_file_name("hidden1.npy");
    let mut array =
        snn_runtime::npy::parse(&std::fs::read(&matrix).expect("weights")).expect("an array");
    let zero = array
        .values
        .iter()
        .position(|v| *v == 0.0)
        .expect("a pruned weight");
    array.values[zero] = 0.25;
    std::fs::write(&matrix, npy_bytes(&array.shape, &array.values)).expect("weights written");
    let output = snnc(&[
        "run",
        &snn.display().to_string(),
        "--input",
        &fixture("pytorch_pruned/inputs.npy"),
        "--weights",
        &weights.display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("hidden1"), "{stderr}");
}

#[test]
fn every_model_comes_back_from_onnx_computing_the_same() {
    for model in common::files("models", "snn") {
        let name = file_name(&model);
        let dir = tempfile::tempdir().expect("a directory");
        let (onnx, onnx64) = (
            dir.path().join("model.onnx"),
            dir.path().join("model64.onnx"),
        );
        let model_s = model.display().to_string();
        ok(
            snnc(&["export", &model_s, "-o", &onnx.display().to_string()]),
            &name,
        );
        ok(
            snnc(&[
                "export",
                &model_s,
                "-o",
                &onnx64.display().to_string(),
                "--float64",
            ]),
            &name,
        );
        let compiled = common::plan(
            &name,
            &std::fs::read(&model).expect("the model"),
            model.parent().expect("a directory"),
        );
        let inputs = dir.path().join("inputs.npy");
        write_inputs(&inputs, 4, compiled.network().input().size);
        let inputs_s = inputs.display().to_string();
        let back = import(&onnx.display().to_string(), &dir.path().join("back"), &[]);
        assert_eq!(
            run(&back, &inputs_s, &[]),
            run(&model, &inputs_s, &[]),
            "{name}: the fixed-point outputs"
        );
        let float = run(&model, &inputs_s, &["--engine", "float"]);
        let (tolerance, floor) = FLOAT64;
        let err = relative_error(&onnxruntime(&onnx64, &inputs, dir.path()), &float, floor);
        eprintln!("{name}: onnxruntime's largest relative error {err:.2e}");
        assert!(
            err <= tolerance,
            "{name}: onnxruntime's relative error {err:e}"
        );
    }
}

/// `snnc import --format json` of `model` with `extra`.
fn summary(model: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("a directory");
    let out = dir.path().join("model").display().to_string();
    let mut args = vec!["--format", "json", "import", model, "-o", &out];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(snnc(&args), model)).expect("JSON")
}

#[test]
fn formats_follow_the_stated_rule() {
    let pytorch = fixture("pytorch_pruned/model.onnx");
    // Without data: 16 bits, the weights' integer bits from their largest (|w| < 2: 2 bits),
    // the activations' from the worst case of inputs within [-1, 1], the input fixed<16, 14>.
    let worst = summary(&pytorch, &[]);
    assert_eq!(worst["formats"]["weights"], "fixed<16, 14>");
    assert_eq!(worst["formats"]["input"], "fixed<16, 14>");
    // From calibration inputs within [0, 1): an unsigned input with no integer bits, and
    // activations with fewer integer bits than the worst case gives.
    let calibration = fixture("pytorch_pruned/inputs.npy");
    let seen = summary(&pytorch, &["--calibrate", &calibration]);
    assert_eq!(seen["formats"]["input"], "ufixed<16, 16>");
    let integer_bits = |s: &Value| {
        let f = s["formats"]["activations"]
            .as_str()
            .expect("a format")
            .to_string();
        let (w, frac) = f
            .trim_start_matches("fixed<")
            .trim_end_matches('>')
            .split_once(", ")
            .expect("W, F");
        w.parse::<i32>().expect("W") - frac.parse::<i32>().expect("F")
    };
    assert!(integer_bits(&seen) < integer_bits(&worst), "{seen} {worst}");
    // QONNX Quant nodes: 8-bit weights with scale 2^-6; activations fixed<8, 5> (signed, scale
    // 2^-5) and fixed<9, 8> (unsigned 8 bits of scale 2^-8, and a sign bit), of which snnc's one
    // activation format takes the most integer bits (3) and the most fraction bits (8).
    let qonnx = summary(&fixture("qonnx_quant/model.onnx"), &[]);
    assert_eq!(qonnx["formats"]["weights"], "fixed<8, 6>");
    assert_eq!(qonnx["formats"]["activations"], "fixed<11, 8>");
    // --number-format for every signed one; the exported model's metadata on the way back.
    let asked = summary(&pytorch, &["--number-format", "fixed<12,8>"]);
    assert_eq!(asked["formats"]["activations"], "fixed<12, 8>");
    assert_eq!(asked["formats"]["weights"], "fixed<12, 8>");
    // The summary says how the lanes came out and what the hardware takes.
    let cycles = summary(&fixture("keras_dense/model.onnx"), &["--cycles", "8"]);
    assert!(
        cycles["hardware"]["clocks_per_input"]
            .as_u64()
            .expect("clocks")
            >= 8,
        "{cycles}"
    );
    assert_eq!(cycles["layers"][0]["edges"], 512);
    assert_eq!(cycles["layers"][0]["connect"], "pruned");
    assert_eq!(cycles["layers"][1]["connect"], "dense");
}
