//! `snnc train`, `eval` and `run` end to end on the tiny model and its shipped data set.

mod common;

use common::{snnc, testsuite};

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn train_eval_and_run_the_tiny_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = testsuite().join("models/tiny.snn");
    let data = testsuite().join("data/tiny");
    let jit = dir.path().join("jit.npz");
    let out = snnc(&[
        "train",
        path(&model),
        "--data",
        path(&data),
        "--epochs",
        "2",
        "--save",
        path(&jit),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("epoch 2: train accuracy"), "{stdout}");
    assert!(jit.exists());

    // The interpreter trains to the same bits.
    let interp = dir.path().join("interp.npz");
    let out = snnc(&[
        "train",
        path(&model),
        "--data",
        path(&data),
        "--epochs",
        "2",
        "--save",
        path(&interp),
        "--engine",
        "interp",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&jit).unwrap(),
        std::fs::read(&interp).unwrap()
    );

    // Saved weights are not overwritten without --force.
    let again = snnc(&[
        "train",
        path(&model),
        "--data",
        path(&data),
        "--save",
        path(&jit),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("E1002"));

    let out = snnc(&[
        "eval",
        path(&model),
        "--weights",
        path(&jit),
        "--data",
        path(&data),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let accuracy: f64 = stdout
        .strip_prefix("accuracy ")
        .and_then(|s| s.split('%').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(accuracy >= 95.0, "{stdout}");
    assert!(stdout.contains("label \\ decision"), "{stdout}");

    // Run on a CSV of features: one line per input, with its decision.
    let inputs = dir.path().join("inputs.csv");
    std::fs::write(
        &inputs,
        "0.9,0.9,0.9,0.9,0,0,0,0,0,0,0,0,0,0,0,0\n0,0,0,0,0,0,0,0,0,0,0,0,0.9,0.9,0.9,0.9\n",
    )
    .unwrap();
    let out = snnc(&[
        "run",
        path(&model),
        "--input",
        path(&inputs),
        "--weights",
        path(&jit),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("0: decision 0 "), "{stdout}");
    assert!(lines[1].starts_with("1: decision 3 "), "{stdout}");
}
