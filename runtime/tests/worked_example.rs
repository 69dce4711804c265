//! The worked example of docs/semantics.md: a 2-2-2 network in fixed<6, 3> whose every
//! intermediate value is computed by hand there, with product and sum saturation, rounding
//! ties of both signs and the end of the sigmoid table. Both fixed-point engines must
//! reproduce it exactly.

use snn_runtime::activation::{Activation, SigmoidTable};
use snn_runtime::engine::Engine;
use snn_runtime::fixed::Format;
use snn_runtime::interp::Interpreter;
use snn_runtime::jit::JitEngine;
use snn_runtime::program::{
    Cost, Formats, Junction, Layer, Parameters, Pipeline, Program, Sample, Training,
};

fn program() -> Program {
    let f = Format::signed(6, 3);
    let sigmoid = Some(Activation::Sigmoid(SigmoidTable {
        log2_entries: 6,
        log2_range: 2,
    }));
    let dense = |name: &str| Junction {
        name: name.into(),
        left_size: 2,
        right_size: 2,
        left: vec![0, 1, 0, 1],
        right: vec![0, 0, 1, 1],
    };
    Program {
        name: "worked".into(),
        formats: Formats {
            input: f,
            weights: f,
            activations: f,
            deltas: f,
        },
        layers: vec![
            Layer {
                name: "x".into(),
                size: 2,
                activation: None,
            },
            Layer {
                name: "h".into(),
                size: 2,
                activation: sigmoid,
            },
            Layer {
                name: "o".into(),
                size: 2,
                activation: sigmoid,
            },
        ],
        junctions: vec![dense("h"), dense("o")],
        training: Some(Training {
            cost: Cost::CrossEntropy,
            shift: 1,
        }),
        pipeline: Some(Pipeline::published(2)),
    }
}

/// Raw values (LSB = 1/8): w1 = 3.0, 0.625, 0.375, 0.375; b1 = 1.0, −0.25;
/// w2 = −2.0, 1.5, 0.5, 0.25; b2 = 0, 0.
fn parameters() -> Parameters {
    Parameters {
        weights: vec![vec![24, 5, 3, 3], vec![-16, 12, 4, 2]],
        biases: vec![vec![8, -2], vec![0, 0]],
    }
}

/// x = (3.5, −1.5), label 0.
fn sample() -> Sample {
    Sample {
        input: vec![28, -12],
        label: 0,
    }
}

fn check(engine: &mut dyn Engine) {
    let output = engine.infer(&sample().input);
    assert_eq!(output.raw, Some(vec![3, 5]), "outputs 0.375, 0.625");
    assert_eq!(output.decision, 1);
    let mut seen = Vec::new();
    engine.train(&[sample()], &Pipeline::published(2), &mut |x, o| {
        seen.push((x, o.raw.clone()))
    });
    assert_eq!(seen, vec![(0, Some(vec![3, 5]))]);
    let trained = engine.parameters().expect("fixed point");
    assert_eq!(
        trained,
        Parameters {
            weights: vec![vec![24, 5, 7, 2], vec![-13, 14, 2, 1]],
            biases: vec![vec![8, -1], vec![3, -2]],
        }
    );
}

#[test]
fn the_interpreter_reproduces_the_worked_example() {
    let program = program();
    check(&mut Interpreter::new(&program, parameters()));
}

#[test]
fn the_jit_reproduces_the_worked_example() {
    let program = program();
    check(&mut JitEngine::new(&program, &parameters()).unwrap());
}

#[test]
fn sigmoid_entries_of_the_example() {
    let l = snn_runtime::activation::sigmoid_luts(
        SigmoidTable {
            log2_entries: 6,
            log2_range: 2,
        },
        Format::signed(6, 3),
    );
    // Index = raw + 32: 3.875 → 63 (the last entry, σ clamped to 1 − LSB), 0.625 → 37, −0.75 → 26.
    assert_eq!((l.value[63], l.derivative[63]), (7, 0));
    assert_eq!((l.value[37], l.derivative[37]), (5, 2));
    assert_eq!((l.value[26], l.derivative[26]), (3, 2));
}
