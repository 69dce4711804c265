//! The long fuzzing run: `cargo bench --bench fuzz [-- INPUTS [SEED]]`, 10^6 inputs by
//! default, through parse → elaborate → plan on every core; prints what happened and fails
//! on any panic, hang or input over its time or allocation bound (see tests/common/fuzz.rs).
//! `cargo bench --bench fuzz -- show INPUT SEED` prints one input, to replay it.

#[path = "../tests/common/fuzz.rs"]
mod fuzz;

#[global_allocator]
static ALLOCATOR: fuzz::Counting = fuzz::Counting;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let testsuite = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
    // `show INPUT SEED` writes one input to stdout, to replay it with `snnc check`.
    if args.first().map(String::as_str) == Some("show") {
        let (i, seed) = (
            args[1].parse().expect("an input"),
            args[2].parse().expect("a seed"),
        );
        let seeds = fuzz::seeds(&testsuite);
        std::io::Write::write_all(&mut std::io::stdout(), &fuzz::input(&seeds, seed, i)).unwrap();
        return;
    }
    let inputs: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let seeds = fuzz::seeds(&testsuite);
    let summary = fuzz::run(
        &seeds,
        seed,
        inputs,
        &testsuite.join("models"),
        fuzz::Bounds::DEFAULT,
        &|done| {
            if done % 100_000 == 0 {
                eprintln!("fuzz: {done} inputs");
            }
        },
    );
    println!(
        "fuzz: {} inputs (seed {seed}) in {:.1} s ({:.0} inputs/s): {} planned, {} refused with coded errors; slowest {:.1} ms, largest peak {:.1} MiB; {} failures",
        summary.inputs,
        summary.elapsed.as_secs_f64(),
        summary.inputs as f64 / summary.elapsed.as_secs_f64(),
        summary.planned,
        summary.refused,
        summary.slowest.as_secs_f64() * 1e3,
        summary.largest_peak as f64 / (1 << 20) as f64,
        summary.failures.len()
    );
    for f in summary.failures.iter().take(20) {
        println!("\n{f}");
    }
    if !summary.failures.is_empty() {
        std::process::exit(1);
    }
}
