//! A short fuzzing run (10^4 inputs) in the test suite; `cargo bench --bench fuzz` runs the
//! long one (10^6). See `common/fuzz.rs`.

mod common;
#[path = "common/fuzz.rs"]
mod fuzz;

#[global_allocator]
static ALLOCATOR: fuzz::Counting = fuzz::Counting;

#[test]
fn ten_thousand_inputs_end_in_a_network_or_coded_errors_within_bounds() {
    let testsuite = common::testsuite();
    let seeds = fuzz::seeds(&testsuite);
    let seed: u64 = std::env::var("SNNC_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let summary = fuzz::run(
        &seeds,
        seed,
        10_000,
        &testsuite.join("models"),
        fuzz::Bounds::DEFAULT,
        &|_| {},
    );
    eprintln!(
        "fuzz: {} inputs, {} planned, {} refused, slowest {:?}, largest peak {} MiB, {:?}",
        summary.inputs,
        summary.planned,
        summary.refused,
        summary.slowest,
        summary.largest_peak >> 20,
        summary.elapsed
    );
    assert!(
        summary.planned > 100,
        "the mutations keep some models valid"
    );
    assert!(
        summary.failures.is_empty(),
        "{} failures (replay with SNNC_FUZZ_SEED={seed}):\n{}",
        summary.failures.len(),
        summary.failures.join("\n\n")
    );
}
