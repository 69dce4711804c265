//! The interpreter and the JIT agree bit for bit: on every model of the test suite and on
//! random models, for inference and for 60 training steps (every weight and bias compared)
//! under the hardware's pipeline, the published one, and both run sequentially.

mod common;

use proptest::prelude::*;
use snn_compiler::lower;
use snn_runtime::engine::Engine;
use snn_runtime::interp::Interpreter;
use snn_runtime::jit::JitEngine;
use snn_runtime::program::Pipeline;

/// Runs both engines on `text` and compares everything they produce; returns whether
/// training changed the parameters (`false` for inference-only models).
fn agree(name: &str, text: &[u8], dir: &std::path::Path, seed: u64) -> bool {
    let compiled = common::plan(name, text, dir);
    let program = lower::program(&compiled);
    let params = lower::initial_parameters(compiled.network(), &program);
    let data = snn_compiler::cosim::random_samples(&program, 60, seed);
    let mut interp = Interpreter::new(&program, params.clone());
    let mut jit = JitEngine::new(&program, &params).unwrap();
    for s in &data[..10] {
        assert_eq!(
            interp.infer(&s.input),
            jit.infer(&s.input),
            "{name}: inference"
        );
    }
    if let Some(hardware) = &program.pipeline {
        let jn = program.junctions.len();
        let published = Pipeline::published(jn);
        for pipeline in [
            hardware.clone(),
            hardware.sequential(),
            published.clone(),
            published.sequential(),
        ] {
            let mut a = Vec::new();
            let mut b = Vec::new();
            interp.train(&data, &pipeline, &mut |x, o| a.push((x, o.clone())));
            jit.train(&data, &pipeline, &mut |x, o| b.push((x, o.clone())));
            assert_eq!(a, b, "{name}: outputs while training ({pipeline:?})");
            assert_eq!(
                interp.parameters(),
                jit.parameters(),
                "{name}: weights after training ({pipeline:?})"
            );
        }
    }
    program.training.is_some() && Some(params) != jit.parameters()
}

#[test]
fn interpreter_and_jit_agree_on_every_model() {
    let dir = common::testsuite().join("models");
    for path in common::files("models", "snn") {
        let name = common::file_name(&path);
        let text = std::fs::read(&path).unwrap();
        let trains = String::from_utf8_lossy(&text).contains("train {");
        assert_eq!(
            agree(&name, &text, &dir, 7),
            trains,
            "{name}: training changes the weights"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn interpreter_and_jit_agree_on_random_models(
        log_z in 0u32..4,
        depth in 1usize..5,
        hidden in 1usize..12,
        outputs in 1usize..6,
        width in 4u32..17,
        activation in 0usize..3,
        pattern in 0usize..3,
        quadratic in any::<bool>(),
        seed in 0u64..10_000,
    ) {
        let z = 1usize << log_z;
        let left = z * depth;
        let frac = width / 2;
        let act = ["sigmoid", "relu", "identity"][activation];
        // Dense junctions always fit; random ones need whole degrees.
        let connect = |l: usize, r: usize| match pattern {
            1 if l.is_multiple_of(r) => format!("sparse(fan_out = 1, pattern = random(seed = {seed}))"),
            2 if (l * 2).is_multiple_of(r) && r >= 2 => format!("sparse(fan_out = 2, pattern = random(seed = {seed}))"),
            _ => "dense".to_string(),
        };
        let hz = if hidden % z == 0 { z } else { 1 };
        let text = format!(
            "network p {{ formats {{ default = fixed<{width}, {frac}>; input = ufixed<8, 8>; }} \
             input x[{left}]; \
             layer h[{hidden}] {{ activation = {act}; connect = {}; z = {z}; }} \
             layer o[{outputs}] {{ activation = sigmoid; connect = {}; z = {hz}; }} \
             train {{ cost = {}; learning_rate = 2^-2; init = glorot_normal(seed = {seed}); }} }}",
            connect(left, hidden),
            connect(hidden, outputs),
            if quadratic { "quadratic" } else { "cross_entropy" },
        );
        agree("random.snn", text.as_bytes(), std::path::Path::new("."), seed);
    }
}
