//! The published instance learns: dey2018 trained for one epoch on Fashion-MNIST reaches at
//! least 80% test accuracy in float64 and at least 70% with the hardware's fixed<10, 7>
//! arithmetic and pipeline. Needs the Debian package `dataset-fashion-mnist` (scripts/test
//! installs it).

mod common;

use snn_compiler::lower;
use snn_runtime::engine::Engine;
use snn_runtime::float::FloatEngine;
use snn_runtime::jit::JitEngine;
use snn_runtime::program::{Pipeline, Program, Sample};
use std::path::Path;

const FASHION_MNIST: &str = "/usr/share/datasets/fashion-mnist";

fn accuracy(engine: &mut dyn Engine, test: &[Sample]) -> f64 {
    test.iter()
        .filter(|s| engine.infer(&s.input).decision == s.label)
        .count() as f64
        / test.len() as f64
}

#[test]
fn dey2018_learns_fashion_mnist_in_one_epoch() {
    let network =
        snn_compiler::load(&common::testsuite().join("models/dey2018_mnist.snn")).unwrap();
    let compiled = snn_compiler::plan(network).unwrap();
    let program: Program = lower::program(&compiled);
    let params = lower::initial_parameters(compiled.network(), &program);
    let pipeline: Pipeline = program.pipeline.clone().unwrap();
    let (train, test) = snn_runtime::data::directory(Path::new(FASHION_MNIST), Default::default())
        .expect("Fashion-MNIST is installed (apt-get install dataset-fashion-mnist)");
    let samples = |set: snn_runtime::data::Dataset| {
        set.samples(
            program.formats.input,
            program.input_size(),
            program.output_size(),
        )
        .unwrap()
        .0
    };
    let (train, test) = (samples(train), samples(test));
    assert_eq!((train.len(), test.len()), (60_000, 10_000));

    let mut fixed = JitEngine::new(&program, &params).unwrap();
    fixed.train(&train, &pipeline, &mut |_, _| {});
    let fixed_accuracy = accuracy(&mut fixed, &test);

    let mut float = FloatEngine::new(&program, &params);
    float.train(&train, &pipeline, &mut |_, _| {});
    let float_accuracy = accuracy(&mut float, &test);

    eprintln!(
        "fixed<10, 7>: {:.2}%, float64: {:.2}%",
        100.0 * fixed_accuracy,
        100.0 * float_accuracy
    );
    assert!(
        fixed_accuracy >= 0.70,
        "fixed point reached {fixed_accuracy}"
    );
    assert!(float_accuracy >= 0.80, "float reached {float_accuracy}");
}
