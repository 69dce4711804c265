//! Pattern generation + scheduling + verification, end to end, on one core, for networks of
//! 10^4 to 10^7 edges, clash-free and random; with the peak heap per edge.
//!
//! Run: `cargo bench -p snn-compiler --bench scheduling` (figures go to docs/performance.md).

use snn_compiler::schedule;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// (left, right, fan_out, z): fan-in = left · fan_out / right.
const SHAPES: &[(usize, usize, usize, usize)] = &[
    (1024, 128, 8, 64),       // 8 Ki edges
    (16384, 1024, 8, 128),    // 128 Ki edges
    (65536, 1024, 16, 256),   // 1 Mi edges
    (524288, 1024, 16, 1024), // 8 Mi edges
];

fn main() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("one thread");
    speed();
    quality();
}

/// Generation + scheduling + verification time and peak heap, per pattern and size.
fn speed() {
    println!(
        "{:<12} {:>10} {:>6} {:>8} {:>10} {:>12} {:>10}",
        "pattern", "edges", "z", "clocks", "seconds", "Medges/s", "bytes/edge"
    );
    for pattern in ["clash_free(type = 2, seed = 1)", "random(seed = 1)"] {
        for &(left, right, fan_out, z) in SHAPES {
            let text = format!(
                "network bench {{ input x[{left}]; layer y[{right}] {{ activation = sigmoid; \
                 connect = sparse(fan_out = {fan_out}, pattern = {pattern}); z = {z}; }} }}"
            );
            let network = snn_compiler::compile_bytes(
                "bench.snn".into(),
                text.into_bytes(),
                std::path::Path::new("."),
            )
            .unwrap_or_else(|f| panic!("{}", f.render(false)));
            let edges = network.total_edges();
            let mut best = f64::INFINITY;
            let mut peak = 0;
            let mut clocks = 0;
            let runs = if edges > 1_000_000 { 2 } else { 5 };
            for _ in 0..runs {
                let before = LIVE.load(Ordering::Relaxed);
                PEAK.store(before, Ordering::Relaxed);
                let start = Instant::now();
                let verified = schedule::schedule(&network).expect("verified");
                best = best.min(start.elapsed().as_secs_f64());
                peak = PEAK.load(Ordering::Relaxed) - before;
                clocks = verified.junctions()[0].cycles;
                drop(verified);
            }
            println!(
                "{:<12} {:>10} {:>6} {:>8} {:>10.4} {:>12.1} {:>10.1}",
                pattern.split('(').next().unwrap(),
                edges,
                z,
                clocks,
                best,
                edges as f64 / best / 1e6,
                peak as f64 / edges as f64
            );
        }
    }
}

/// Clocks against the lower bound over sizes, densities and lane counts, for random
/// patterns and for magnitude-pruned matrices.
fn quality() {
    let dir = std::env::temp_dir().join(format!("snnc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    println!();
    println!(
        "{:<8} {:>6} {:>6} {:>8} {:>5} {:>8} {:>6} {:>7} {:>12} {:>14}",
        "pattern",
        "left",
        "right",
        "density",
        "z",
        "edges",
        "bound",
        "clocks",
        "clocks/bound",
        "clocks/(|W|/z)"
    );
    let mut rng = snn_runtime::prng::Rng::new(2024);
    for &(left, right) in &[(256usize, 64usize), (1024, 256), (4096, 512)] {
        for &density in &[0.05f64, 0.2, 0.5] {
            for &z in &[8usize, 32, 128] {
                // Random regular: fan-out from the density, rounded to whole degrees.
                let fan_out = ((density * right as f64).round() as usize).max(1);
                let fan_out = (fan_out..=right)
                    .find(|f| (left * f) % right == 0)
                    .unwrap_or(right);
                let random = format!(
                    "network q {{ input x[{left}]; layer y[{right}] {{ activation = sigmoid; \
                     connect = sparse(fan_out = {fan_out}, pattern = random(seed = 3)); z = {z}; }} }}"
                );
                row("random", &random, &dir, left, right, density, z);
                // Magnitude-pruned Gaussian matrix at the same density.
                let weights: Vec<f64> = (0..left * right).map(|_| rng.normal()).collect();
                let mut magnitudes: Vec<f64> = weights.iter().map(|w| w.abs()).collect();
                magnitudes.sort_by(|a, b| b.total_cmp(a));
                let threshold = magnitudes[((density * weights.len() as f64) as usize).max(1) - 1];
                let pruned: Vec<f64> = weights
                    .iter()
                    .map(|&w| if w.abs() >= threshold { w } else { 0.0 })
                    .collect();
                write_npy(&dir.join("w.npy"), left, right, &pruned);
                let model = format!(
                    "network q {{ input x[{left}]; layer y[{right}] {{ activation = sigmoid; \
                     connect = pruned(weights = \"w.npy\"); z = {z}; }} }}"
                );
                row("pruned", &model, &dir, left, right, density, z);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn row(
    kind: &str,
    model: &str,
    dir: &std::path::Path,
    left: usize,
    right: usize,
    density: f64,
    z: usize,
) {
    let network = snn_compiler::compile_bytes("q.snn".into(), model.as_bytes().to_vec(), dir)
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let verified = schedule::schedule(&network).expect("verified");
    let js = &verified.junctions()[0];
    println!(
        "{:<8} {:>6} {:>6} {:>8.2} {:>5} {:>8} {:>6} {:>7} {:>12.3} {:>14.3}",
        kind,
        left,
        right,
        density,
        z,
        js.edges,
        js.lower_bound,
        js.cycles,
        js.cycles as f64 / js.lower_bound as f64,
        js.cycles as f64 / js.edges.div_ceil(z) as f64
    );
}

/// A (rows, cols) `.npy` file.
fn write_npy(path: &std::path::Path, rows: usize, cols: usize, values: &[f64]) {
    std::fs::write(path, snn_runtime::weights::npy_bytes(&[rows, cols], values))
        .expect("write .npy");
}
