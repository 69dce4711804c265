//! The board without a board: the Verilator model of tiny's board top (Arty A7-100T) runs
//! behind a pseudo-terminal standing for its USB-UART, and the host driver talks to it over
//! a serial port as it would to the real board. It loads parameters unlike the memory images,
//! trains on 64 samples, infers 64 more and reads every parameter back; everything must equal
//! what the executor computes from the same parameters.

mod common;

use snn_compiler::board::{Board, Design, Link};
use snn_compiler::cosim::Session;
use snn_compiler::hw::{self, Interface, Options, UpdateMultipliers};
use snn_compiler::target::Board as BoardKind;
use snn_runtime::engine::Engine;
use snn_runtime::jit::JitEngine;
use std::time::Duration;

/// 8 clocks per bit of the board's 100 MHz: the fastest UART the board top allows.
const BAUD: u32 = 12_500_000;

#[test]
fn the_host_driver_trains_and_infers_through_the_simulated_board_bit_exact() {
    let path = common::testsuite().join("models/tiny.snn");
    let compiled = common::plan(
        "tiny",
        &std::fs::read(&path).unwrap(),
        path.parent().unwrap(),
    );
    let options = Options {
        beat: snn_compiler::backend::default_beat(compiled.network()),
        update_multipliers: UpdateMultipliers::Auto,
        interface: Interface::Axi,
        board: Some(BoardKind::ArtyA7_100T),
        baud: BAUD,
    };
    let hardware = hw::model(&compiled, &options).unwrap();
    let clocks_per_bit = hardware.board.as_ref().unwrap().clocks_per_bit;
    assert_eq!(clocks_per_bit, 8);
    let design = Design::of(&compiled, &hardware).unwrap();
    let program = snn_compiler::lower::program(&compiled);
    let initial = snn_compiler::lower::initial_parameters(compiled.network(), &program);
    let session = Session::new(&compiled, &initial, &options, 1, None).unwrap();
    let simulated = session.start_board(clocks_per_bit).unwrap();
    let port = serialport::new(&simulated.port, BAUD)
        .timeout(Duration::from_millis(20))
        .open()
        .unwrap_or_else(|e| panic!("{}: {e}", simulated.port));
    let mut board = Board {
        link: Link::new(port, Duration::from_secs(60)),
        design,
    };
    board.check().expect("the board holds tiny");

    // Parameters unlike the memory images: if loading failed, the images' values would show.
    let loaded = common::other_parameters(&program, &initial, 5);
    board.load(&loaded, &mut |_| {}).unwrap();
    assert_eq!(
        board.read_parameters(&mut |_| {}).unwrap(),
        loaded,
        "read back as loaded"
    );

    let samples = snn_compiler::cosim::random_samples(&program, 128, 9);
    let (train, test) = samples.split_at(64);
    let mut engine = JitEngine::new(&program, &loaded).unwrap();
    let mut expected = Vec::new();
    let pipeline = program.pipeline.clone().expect("tiny trains");
    engine.train(train, &pipeline, &mut |_, o| expected.push(o.clone()));
    let trained = board.run(train, true, &mut |_| {}).unwrap();
    let inferred = board.run(test, false, &mut |_| {}).unwrap();
    expected.extend(test.iter().map(|s| engine.infer(&s.input)));
    for (x, (got, want)) in trained.iter().chain(&inferred).zip(&expected).enumerate() {
        let raw = want.raw.as_ref().expect("fixed point");
        assert_eq!(
            (got.decision, &got.values),
            (want.decision, raw),
            "output {x} ({})",
            if x < 64 { "training" } else { "inference" }
        );
    }
    assert_eq!(trained.len() + inferred.len(), 128);
    let after = board.read_parameters(&mut |_| {}).unwrap();
    assert_eq!(
        after,
        engine.parameters().unwrap(),
        "the trained parameters"
    );
    assert_ne!(after, loaded, "training changed them");
    let status = board.status().unwrap();
    assert!(status.done && !status.busy && !status.ignored, "{status:?}");
    assert_eq!(status.outputs, 64);
    drop(board);

    // The same board through `snnc board`: load the model's weights, infer tiny's test set (the
    // executor's accuracy, 25.00%), read the weights back, and train.
    let snnc = |args: &[&str]| {
        let mut all = vec!["board"];
        all.extend(args);
        all.extend([
            path.to_str().unwrap(),
            "--port",
            &simulated.port,
            "--board",
            "arty_a7_100t",
            "--baud",
            "12500000",
        ]);
        let out = common::snnc(&all);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let errors = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "snnc {all:?}:\n{text}{errors}");
        text
    };
    let data = common::testsuite().join("data/tiny");
    let data = data.to_str().unwrap();
    assert!(snnc(&["load"]).contains("loaded 60 weights and biases"));
    let ran = snnc(&["run", "--data", data]);
    assert!(
        ran.contains("accuracy 25.00% (25/100 test samples) on the board"),
        "{ran}"
    );
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("read.npz");
    snnc(&["read", "-o", saved.to_str().unwrap()]);
    let evaluated = common::snnc(&[
        "eval",
        path.to_str().unwrap(),
        "--weights",
        saved.to_str().unwrap(),
        "--data",
        data,
    ]);
    let evaluated = String::from_utf8_lossy(&evaluated.stdout).into_owned();
    assert!(
        evaluated.contains("accuracy 25.00% (25/100"),
        "the weights read back are the model's: {evaluated}"
    );
    let trained = snnc(&["train", "--data", data, "--samples", "64"]);
    assert!(
        trained.contains("trained on 64 samples; accuracy"),
        "{trained}"
    );
    eprint!("snnc board run: {ran}snnc board train: {trained}");
}
