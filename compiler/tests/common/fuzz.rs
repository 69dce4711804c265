//! An in-process fuzzer of the compiler's front half: generated and mutated models go through
//! parse → elaborate → plan, and every input must end in a network or in coded errors that
//! render — never a panic, never longer than a time bound, never allocating more than a
//! ceiling. Both bounds grow with the network an input asks for (a model within snnc's limits
//! may be large), so that what they catch is work out of proportion to the input. Used by
//! `tests/fuzz.rs` (a short run) and `benches/fuzz.rs` (the long one).

use rayon::prelude::*;
use snn_runtime::prng::Rng;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::time::{Duration, Instant};

/// A global allocator that keeps, per thread, the bytes in use and their peak.
pub struct Counting;

thread_local! {
    static IN_USE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator; the counters are plain cells.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, size) };
        if !q.is_null() {
            count(size as isize - layout.size() as isize);
        }
        q
    }
}

fn count(delta: isize) {
    // A thread being torn down has no counters: its frees are not counted.
    let _ = IN_USE.try_with(|used| {
        let now = (used.get() as isize + delta).max(0) as usize;
        used.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

/// Bytes this thread allocated at its peak since `start` (the bytes in use then).
fn peak_since(start: usize) -> usize {
    PEAK.with(Cell::get).saturating_sub(start)
}

fn reset_peak() -> usize {
    let now = IN_USE.with(Cell::get);
    PEAK.with(|p| p.set(now));
    now
}

/// The limits every input must keep: `base + per_edge × edges` of the network it asks for.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub time_base: Duration,
    pub time_per_edge: Duration,
    pub bytes_base: usize,
    pub bytes_per_edge: usize,
}

impl Bounds {
    pub const DEFAULT: Bounds = Bounds {
        time_base: Duration::from_secs(2),
        time_per_edge: Duration::from_micros(2),
        bytes_base: 256 << 20,
        bytes_per_edge: 512,
    };
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub inputs: usize,
    /// Inputs that became a planned network, and that ended in errors.
    pub planned: usize,
    pub refused: usize,
    pub slowest: Duration,
    pub largest_peak: usize,
    /// Every input that panicked or broke a bound, with what happened.
    pub failures: Vec<String>,
    pub elapsed: Duration,
}

/// Seeds: every model and error model of the test suite.
pub fn seeds(testsuite: &Path) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for dir in ["models", "errors", "warnings"] {
        let mut files: Vec<_> = std::fs::read_dir(testsuite.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "snn"))
            .collect();
        files.sort();
        for f in files {
            seeds.push((dir.to_string(), std::fs::read(&f).unwrap()));
        }
    }
    seeds
}

/// Pieces of the language that mutations splice in.
const TOKENS: &[&str] = &[
    "network",
    "input",
    "layer",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "=",
    ";",
    ",",
    "fixed",
    "ufixed",
    "ap_fixed",
    "sigmoid",
    "relu",
    "identity",
    "sparse",
    "dense",
    "pruned",
    "random",
    "clash_free",
    "fan_out",
    "fan_in",
    "z",
    "cycles",
    "train",
    "formats",
    "target",
    "from",
    "pattern",
    "seed",
    "type",
    "dither",
    "true",
    "2^-3",
    "2^99",
    "2^-100",
    "0",
    "1",
    "3",
    "16",
    "1024",
    "65536",
    "1048576",
    "4294967296",
    "18446744073709551616",
    "1.5",
    "100 MHz",
    "0 ns",
    "\"w.npy\"",
    "\"/dev/zero\"",
    "lockstep",
    "streaming",
    "quadratic",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "é",
    "\u{0}",
];

/// Input `i` of a run with `seed`: a mutated seed model or a generated one.
pub fn input(seeds: &[(String, Vec<u8>)], seed: u64, i: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    if rng.below(4) == 0 {
        return generated(&mut rng);
    }
    let mut text = seeds[rng.below(seeds.len() as u64) as usize].1.clone();
    for _ in 0..1 + rng.below(4) {
        mutate(&mut text, &mut rng);
    }
    text
}

fn mutate(text: &mut Vec<u8>, rng: &mut Rng) {
    let at = |rng: &mut Rng, len: usize| rng.below(len as u64 + 1) as usize;
    let len = text.len();
    match rng.below(6) {
        0 if len > 0 => {
            let i = at(rng, len - 1);
            text[i] ^= 1 << rng.below(8);
        }
        1 => {
            let token = TOKENS[rng.below(TOKENS.len() as u64) as usize];
            let i = at(rng, len);
            text.splice(i..i, token.bytes());
        }
        2 if len > 0 => {
            let a = at(rng, len);
            let b = (a + 1 + rng.below(16) as usize).min(len);
            text.drain(a..b);
        }
        3 if len > 0 => {
            let a = at(rng, len);
            let b = (a + 1 + rng.below(200) as usize).min(len);
            let copy = text[a..b].to_vec();
            let i = at(rng, len);
            text.splice(i..i, copy);
        }
        4 => {
            // A number replaced by another, sometimes absurd.
            let digits: Vec<usize> = (0..len).filter(|&i| text[i].is_ascii_digit()).collect();
            if let Some(&i) = digits.get(rng.below(digits.len().max(1) as u64) as usize) {
                let n = match rng.below(4) {
                    0 => rng.below(4),
                    1 => rng.below(100),
                    2 => 1 << rng.below(40),
                    _ => rng.next_u64(),
                };
                let end = (i..len).find(|&j| !text[j].is_ascii_digit()).unwrap_or(len);
                text.splice(i..end, n.to_string().bytes());
            }
        }
        _ => {
            let i = at(rng, len);
            text.splice(
                i..i,
                std::iter::repeat_n(b' ', 1 + rng.below(70_000) as usize),
            );
        }
    }
}

/// A model from the grammar with random sizes, degrees, formats and settings.
fn generated(rng: &mut Rng) -> Vec<u8> {
    let mut pick = |n: u64| rng.below(n);
    let size = |p: &mut dyn FnMut(u64) -> u64| match p(10) {
        0 => 1 << p(30),
        1 => p(5),
        _ => (1 + p(8)) * (1 << p(5)),
    };
    let mut text = String::from("network g {\n");
    if pick(3) == 0 {
        text += &format!(
            "formats {{ default = {}fixed<{}, {}>; }}\n",
            ["", "u", "ap_"][pick(3) as usize],
            pick(40),
            pick(40)
        );
    }
    if pick(4) == 0 {
        text += &format!("cycles = {};\n", size(&mut pick));
    }
    text += &format!("input x[{}];\n", size(&mut pick));
    for l in 0..pick(4) + 1 {
        let connect = match pick(4) {
            0 => "dense".to_string(),
            1 => format!(
                "sparse(fan_out = {}, pattern = random(seed = {}))",
                pick(9),
                pick(99)
            ),
            2 => format!("sparse(fan_in = {})", pick(17)),
            _ => format!(
                "sparse(fan_out = {}, pattern = clash_free(type = {}, dither = {}))",
                pick(9),
                pick(4),
                pick(2) == 1
            ),
        };
        text += &format!(
            "layer l{l}[{}] {{ activation = {}; connect = {connect}; z = {}; }}\n",
            size(&mut pick),
            [
                "sigmoid",
                "relu",
                "identity",
                "sigmoid(table = 64, range = 2)"
            ][pick(4) as usize],
            size(&mut pick)
        );
    }
    if pick(2) == 0 {
        text += &format!(
            "train {{ learning_rate = 2^-{}; pipeline = {}; cost = {}; }}\n",
            pick(30),
            ["streaming", "lockstep"][pick(2) as usize],
            ["cross_entropy", "quadratic"][pick(2) as usize]
        );
    }
    text += "}\n";
    text.into_bytes()
}

/// The edges an input's network asks for, for its bounds: 0 when it does not elaborate.
fn edges(result: &Result<snn_compiler::network::Network, snn_compiler::Failure>) -> usize {
    result.as_ref().map_or(0, |n| n.total_edges())
}

/// Inputs being worked on, with when they started: a watchdog ends the run when one of them
/// hangs (runs past `hang`), naming it.
fn watchdog(
    in_flight: &'static std::sync::Mutex<std::collections::BTreeMap<usize, Instant>>,
    hang: Duration,
    seed: u64,
) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        let stuck = in_flight
            .lock()
            .unwrap()
            .iter()
            .find(|(_, t)| t.elapsed() > hang)
            .map(|(i, _)| *i);
        if let Some(i) = stuck {
            eprintln!("fuzz: input {i} (seed {seed}) hangs: no result after {hang:?}");
            std::process::exit(1);
        }
    });
}

/// Runs `n` inputs from `seed` through parse → elaborate → plan on every core; `model_dir`
/// is where weight files are looked up. An input that hangs ends the process.
pub fn run(
    seeds: &[(String, Vec<u8>)],
    seed: u64,
    n: usize,
    model_dir: &Path,
    bounds: Bounds,
    progress: &(dyn Fn(usize) + Sync),
) -> Summary {
    let started = Instant::now();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let in_flight: &'static std::sync::Mutex<std::collections::BTreeMap<usize, Instant>> =
        Box::leak(Box::default());
    watchdog(in_flight, bounds.time_base * 30, seed);
    let results: Vec<(bool, Duration, usize, Option<String>)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let text = input(seeds, seed, i);
            let before = reset_peak();
            let t0 = Instant::now();
            in_flight.lock().unwrap().insert(i, t0);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let loaded =
                    snn_compiler::compile_bytes(format!("fuzz{i}.snn"), text.clone(), model_dir);
                let edges = edges(&loaded);
                let planned = match loaded {
                    Ok(network) => {
                        let name = network.name.clone();
                        match snn_compiler::plan(network) {
                            Ok(_) => true,
                            Err(e) => panic!("planning failed: {}", e.into_error(&name)),
                        }
                    }
                    Err(failure) => {
                        assert!(!failure.errors.is_empty(), "a failure without errors");
                        let _ = failure.render(false);
                        let _ = failure.render_as(snn_compiler::diagnostics::Style::Json);
                        false
                    }
                };
                (planned, edges)
            }));
            in_flight.lock().unwrap().remove(&i);
            let took = t0.elapsed();
            let peak = peak_since(before);
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if k.is_multiple_of(1000) {
                progress(k);
            }
            let describe = |what: String| {
                let shown = String::from_utf8_lossy(&text[..text.len().min(400)]).into_owned();
                format!("input {i} (seed {seed}): {what}\n{shown}")
            };
            match outcome {
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    (
                        false,
                        took,
                        peak,
                        Some(describe(format!("panicked: {message}"))),
                    )
                }
                Ok((planned, edges)) => {
                    let time = bounds.time_base + bounds.time_per_edge * edges as u32;
                    let bytes = bounds.bytes_base + bounds.bytes_per_edge * edges;
                    let broke = if took > time {
                        Some(describe(format!(
                            "took {took:?}, bound {time:?} for {edges} edges"
                        )))
                    } else if peak > bytes {
                        Some(describe(format!(
                            "allocated {peak} bytes, ceiling {bytes} for {edges} edges"
                        )))
                    } else {
                        None
                    };
                    (planned, took, peak, broke)
                }
            }
        })
        .collect();
    let mut summary = Summary {
        inputs: n,
        elapsed: started.elapsed(),
        ..Summary::default()
    };
    for (planned, took, peak, failure) in results {
        if planned {
            summary.planned += 1;
        } else {
            summary.refused += 1;
        }
        summary.slowest = summary.slowest.max(took);
        summary.largest_peak = summary.largest_peak.max(peak);
        summary.failures.extend(failure);
    }
    summary
}
