//! Training throughput of the three engines, and JIT compile time, for dey2018 (5,120 edges)
//! and a network of about a million edges; one thread.
//!
//! Run: `cargo bench -p snn-compiler --bench executor` (figures go to docs/performance.md).

use snn_compiler::lower;
use snn_runtime::engine::Engine;
use snn_runtime::float::FloatEngine;
use snn_runtime::interp::Interpreter;
use snn_runtime::jit::JitEngine;
use snn_runtime::prng::Rng;
use snn_runtime::program::{Program, Sample};
use std::path::Path;
use std::time::Instant;

const LARGE: &str = "network large {
    formats { default = fixed<16, 12>; input = ufixed<8, 8>; }
    input x[4096];
    layer h1[1024] { activation = sigmoid; connect = sparse(fan_out = 256, pattern = clash_free(type = 2, seed = 1)); z = 1024; }
    layer h2[256]  { activation = sigmoid; connect = sparse(fan_out = 32, pattern = clash_free(type = 2, seed = 2)); z = 256; }
    layer out[16]  { activation = sigmoid; connect = dense; z = 16; }
    train { learning_rate = 2^-4; }
}";

fn samples(program: &Program, n: usize) -> Vec<Sample> {
    let mut rng = Rng::new(1);
    (0..n)
        .map(|_| Sample {
            input: (0..program.input_size())
                .map(|_| rng.below(256) as i64)
                .collect(),
            label: rng.below(program.output_size() as u64) as usize,
        })
        .collect()
}

/// Edge operations per training input: forward on every junction, backward on every junction
/// after the first, update on every junction.
fn edge_ops(program: &Program) -> usize {
    let edges: Vec<usize> = program.junctions.iter().map(|j| j.edges()).collect();
    2 * edges.iter().sum::<usize>() + edges[1..].iter().sum::<usize>()
}

fn bench(name: &str, text: &str, inputs: [usize; 3]) {
    let network = snn_compiler::compile_bytes(
        format!("{name}.snn"),
        text.as_bytes().to_vec(),
        Path::new("."),
    )
    .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let compiled = snn_compiler::plan(network).expect("planned");
    let program = lower::program(&compiled);
    let params = lower::initial_parameters(compiled.network(), &program);
    let pipeline = program.pipeline.clone().expect("a training program");
    let compile = (0..5)
        .map(|_| {
            JitEngine::new(&program, &params)
                .expect("compiles")
                .compile_time()
                .as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    println!(
        "{name}: {} edges, {} edge-ops per training input, JIT compile {:.1} ms",
        program.edges(),
        edge_ops(&program),
        compile * 1e3
    );
    let mut rates = Vec::new();
    for (engine, n) in ["interp", "jit", "float"].into_iter().zip(inputs) {
        let data = samples(&program, n);
        let mut e: Box<dyn Engine> = match engine {
            "interp" => Box::new(Interpreter::new(&program, params.clone())),
            "jit" => Box::new(JitEngine::new(&program, &params).unwrap()),
            _ => Box::new(FloatEngine::new(&program, &params)),
        };
        let start = Instant::now();
        e.train(&data, &pipeline, &mut |_, _| {});
        let seconds = start.elapsed().as_secs_f64();
        let per_second = n as f64 / seconds;
        rates.push(per_second);
        println!(
            "  {engine:<6} {per_second:>10.0} inputs/s {:>8.1} M edge-ops/s",
            per_second * edge_ops(&program) as f64 / 1e6
        );
    }
    println!("  jit / interp: {:.1}x", rates[1] / rates[0]);
}

fn main() {
    let dey = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite/models/dey2018_mnist.snn"),
    )
    .expect("the model");
    bench("dey2018_mnist", &dey, [20_000, 60_000, 20_000]);
    bench("large", LARGE, [40, 200, 40]);
}
