//! Co-simulation speed: for dey2018 in training mode under Verilator, the simulator's clocks
//! per second (one core) and the time `snnc sim` takes end to end for 1,000 training samples
//! (building the model included), against the same for the tiny model.
//!
//! Run: `cargo bench -p snn-compiler --bench cosim` (figures go to docs/performance.md).

use snn_compiler::backend;
use snn_compiler::cosim::{self, Session, Simulator};
use snn_compiler::hw::{Interface, Options, UpdateMultipliers};
use std::path::Path;
use std::time::Instant;

fn bench(model: &str, samples: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testsuite/models")
        .join(model);
    let started = Instant::now();
    let network = snn_compiler::load(&path).unwrap_or_else(|f| panic!("{}", f.render(false)));
    let compiled = snn_compiler::plan(network).expect("planned");
    let options = Options {
        beat: backend::default_beat(compiled.network()),
        update_multipliers: UpdateMultipliers::Auto,
        interface: Interface::Axi,
        board: None,
        baud: snn_compiler::hw::DEFAULT_BAUD,
    };
    let program = snn_compiler::lower::program(&compiled);
    let params = snn_compiler::lower::initial_parameters(compiled.network(), &program);
    let session = Session::new(&compiled, &params, &options, samples, None).expect("built");
    let model_built = session
        .compile(Simulator::Verilator, false)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let data = cosim::random_samples(&session.program, samples, 1);
    let sim = model_built
        .run(&data, true, 0, &mut |_| {})
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut engine =
        snn_runtime::jit::JitEngine::new(&session.program, &session.params).expect("compiles");
    let verdict = session.verdict(&compiled, &mut engine, &data, true, &sim);
    assert!(
        verdict.agrees(),
        "{}\n{}",
        verdict.values_line(),
        verdict.clocks_line()
    );
    let total = started.elapsed().as_secs_f64();
    println!(
        "{model}: {samples} training samples, {} clocks ({} of the run) in {:.2} s: {:.0} clocks/s; \
         model built in {:.1} s; end to end {:.1} s",
        sim.total_clocks,
        sim.run_clocks,
        sim.elapsed.as_secs_f64(),
        sim.total_clocks as f64 / sim.elapsed.as_secs_f64(),
        model_built.build_time.as_secs_f64(),
        total
    );
}

fn main() {
    bench("tiny.snn", 1000);
    bench("dey2018_mnist.snn", 1000);
    bench("dey2018_mnist.snn", 10_000);
}
