//! The verifier on broken input: a testsuite model's own timing passes, and each corruption
//! of it, one at a time, fails with the error that names what broke. A verifier that always
//! said `Ok` fails every test but the first.

use super::*;
use crate::datapath::timing::{self, Style};
use crate::Compiled;
use std::path::{Path, PathBuf};

fn models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite/models")
}

/// Every model of the test suite.
fn every_model() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(models())
        .expect("testsuite/models")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "snn"))
        .map(|p| {
            p.file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    names
}

fn planned(model: &str) -> Compiled {
    let network = crate::load(&models().join(model)).unwrap_or_else(|f| panic!("{model}: {f:?}"));
    crate::plan(network).unwrap_or_else(|e| panic!("{model}: {e:?}"))
}

fn check_timing(c: &Compiled, t: &Timing) -> Result<(), TimingError> {
    verify(c.network(), c.schedule(), &c.datapath().layout, t)
}

/// The error for `c`'s own timing broken by `corrupt`; panics if the timing was not
/// correct before or is accepted after.
fn broken(c: &Compiled, what: &str, corrupt: impl FnOnce(&mut Timing)) -> TimingError {
    let mut t = c.datapath().timing.clone();
    check_timing(c, &t)
        .unwrap_or_else(|e| panic!("{}: its own timing fails: {e}", c.network().name));
    corrupt(&mut t);
    match check_timing(c, &t) {
        Ok(()) => panic!("{}: {what}: accepted", c.network().name),
        Err(e) => e,
    }
}

/// Junction `j`'s passes, forward and backward, `by` clocks earlier, phase and all.
fn start_earlier(t: &mut Timing, j: usize, by: i64) {
    let p = t.period as i64;
    let jt = &mut t.junctions[j];
    jt.forward_start -= by;
    if let Some(u) = jt.backward_start.as_mut() {
        *u -= by;
    }
    jt.phase = (jt.phase as i64 - by).rem_euclid(p) as usize;
}

fn copy_reused(e: &TimingError) -> Option<Memory> {
    match e {
        TimingError::CopyReused { memory, .. } => Some(*memory),
        _ => None,
    }
}

fn read_early(e: &TimingError) -> Option<Memory> {
    match e {
        TimingError::ReadBeforeWrite { memory, .. } => Some(*memory),
        _ => None,
    }
}

#[test]
fn every_model_passes_in_both_styles() {
    for model in every_model() {
        let c = planned(&model);
        for style in [Style::Streaming, Style::Lockstep] {
            let t = timing::plan(c.network(), c.schedule(), &c.datapath().layout, style)
                .unwrap_or_else(|e| panic!("{model}, {style:?}: {e}"));
            check_timing(&c, &t).unwrap_or_else(|e| panic!("{model}, {style:?}: {e}"));
        }
    }
}

#[test]
fn every_model_rejects_a_latency_or_drain_off_by_one() {
    for model in every_model() {
        let c = planned(&model);
        let latency = c.datapath().timing.latency;
        for off in [latency - 1, latency + 1] {
            let e = broken(&c, "latency", |t| t.latency = off);
            assert!(
                matches!(e, TimingError::Latency { latency, .. } if latency == off),
                "{model}: {e}"
            );
        }
        let e = broken(&c, "drain one short", |t| t.drain_cycles -= 1);
        assert!(matches!(e, TimingError::Drain { .. }), "{model}: {e}");
    }
}

#[test]
fn every_model_rejects_one_input_copy_or_label_fewer() {
    for model in every_model() {
        let c = planned(&model);
        let e = broken(&c, "one input copy fewer", |t| t.layers[0].activations -= 1);
        assert_eq!(
            copy_reused(&e),
            Some(Memory::Activations { layer: 0 }),
            "{model}: {e}"
        );
        if c.datapath().timing.training {
            let e = broken(&c, "one label fewer", |t| t.label_copies -= 1);
            assert_eq!(copy_reused(&e), Some(Memory::Labels), "{model}: {e}");
        }
    }
}

/// Where `t` keeps the copies of `memory`.
fn copies_of(t: &mut Timing, memory: Memory) -> &mut usize {
    let last = t.junctions.len() - 1;
    match memory {
        Memory::Activations { layer } => &mut t.layers[layer].activations,
        Memory::DeltaSums { layer } => &mut t.layers[layer].delta_sums,
        Memory::Derivatives { junction } => &mut t.junctions[junction].derivative_copies,
        Memory::Deltas { junction } => &mut t.junctions[junction].delta_copies,
        Memory::Outputs => &mut t.junctions[last].output_copies,
        Memory::Labels => &mut t.label_copies,
    }
}

#[test]
fn one_copy_fewer_of_each_memory_is_caught() {
    // relu.snn: two accumulating junctions and a tree output junction, trained. Every
    // memory has as few copies as its accesses allow, but for the output junction's δ,
    // which keeps two so that its copy is an address bit.
    let c = planned("relu.snn");
    let memories = [
        Memory::Activations { layer: 0 },
        Memory::Activations { layer: 1 },
        Memory::Activations { layer: 2 },
        Memory::DeltaSums { layer: 1 },
        Memory::DeltaSums { layer: 2 },
        Memory::Derivatives { junction: 0 },
        Memory::Derivatives { junction: 1 },
        Memory::Deltas { junction: 0 },
        Memory::Deltas { junction: 1 },
        Memory::Labels,
    ];
    for memory in memories {
        let e = broken(&c, &format!("{memory} one copy short"), |t| {
            *copies_of(t, memory) -= 1
        });
        assert_eq!(copy_reused(&e), Some(memory), "{e}");
        assert!(e.to_string().starts_with(&memory.to_string()), "{e}");
    }
    // The output buffer a copy short: an output's copy reused before it is streamed, or (the
    // window held) an output that spans more cycle boundaries than there are copies.
    let (mut reused, mut spanning) = (0, 0);
    for model in every_model() {
        let e = broken(&planned(&model), "one output copy fewer", |t| {
            *copies_of(t, Memory::Outputs) -= 1
        });
        match e {
            TimingError::OutputBoundaries { .. } => spanning += 1,
            _ if copy_reused(&e) == Some(Memory::Outputs) => reused += 1,
            _ => panic!("{model}: {e}"),
        }
    }
    assert!(
        reused > 0 && spanning > 0,
        "{reused} reused, {spanning} spanning"
    );
    // The output δ of a tree output junction (tiny.snn) lives less than a cycle: it keeps
    // two copies only for its copy to be an address bit, and none at all is caught.
    let c = planned("tiny.snn");
    let memory = Memory::Deltas { junction: 1 };
    let mut t = c.datapath().timing.clone();
    assert_eq!(*copies_of(&mut t, memory), 2);
    *copies_of(&mut t, memory) = 1;
    assert_eq!(check_timing(&c, &t), Ok(()));
    let e = broken(&c, "no output δ copy", |t| *copies_of(t, memory) = 0);
    assert_eq!(copy_reused(&e), Some(memory), "{e}");
}

#[test]
fn a_pass_started_a_clock_early_is_caught() {
    // The second junction a clock early reads a hidden activation in the clock it is
    // written (accumulating, trained; tree, trained; accumulating, inference).
    for model in ["relu.snn", "dey2018_mnist.snn", "pruned.snn"] {
        let c = planned(model);
        let e = broken(&c, "junction 1 early", |t| start_earlier(t, 1, 1));
        assert_eq!(
            read_early(&e),
            Some(Memory::Activations { layer: 1 }),
            "{model}: {e}"
        );
        // The first junction must start when its input has loaded.
        let e = broken(&c, "junction 0 early", |t| start_earlier(t, 0, 1));
        assert_eq!(e, TimingError::FirstStart, "{model}");
        // A start moved off its junction's phase.
        let e = broken(&c, "forward start alone", |t| {
            t.junctions[1].forward_start -= 1
        });
        assert_eq!(e, TimingError::Phase { junction: 1 }, "{model}");
    }
    // The output junction a clock early: its outputs are ready a clock before the
    // latency says.
    let c = planned("tiny.snn");
    let e = broken(&c, "output junction early", |t| start_earlier(t, 1, 1));
    assert!(matches!(e, TimingError::Latency { .. }), "{e}");
}

#[test]
fn a_backward_pass_a_cycle_early_is_caught() {
    // The first junction's backward pass takes its δ sums before the next junction's
    // backward pass has finished writing them.
    for model in ["relu.snn", "tiny.snn", "dey2018_mnist.snn"] {
        let c = planned(model);
        let p = c.datapath().timing.period as i64;
        let e = broken(&c, "backward early", |t| {
            *t.junctions[0].backward_start.as_mut().expect("training") -= p
        });
        assert_eq!(
            read_early(&e),
            Some(Memory::DeltaSums { layer: 1 }),
            "{model}: {e}"
        );
    }
}

#[test]
fn finalise_steps_moved_are_caught() {
    for model in ["relu.snn", "pruned.snn", "dey2018_random.snn"] {
        let c = planned(model);
        let jn = c.datapath().timing.junctions.len();
        for j in 0..jn {
            if c.datapath().timing.junctions[j].finalize.is_none() {
                continue;
            }
            let e = broken(&c, "a clock early", |t| {
                t.junctions[j].finalize.as_mut().expect("steps").0 -= 1
            });
            assert_eq!(e, TimingError::Finalise { junction: j }, "{model}");
            let e = broken(&c, "a step short", |t| {
                t.junctions[j].finalize.as_mut().expect("steps").1 -= 1
            });
            assert_eq!(e, TimingError::Finalise { junction: j }, "{model}");
            let e = broken(&c, "no steps", |t| t.junctions[j].finalize = None);
            assert_eq!(e, TimingError::FinaliseDatapath { junction: j }, "{model}");
        }
        // A clock late: the next junction reads an activation as it is written, or (an
        // accumulating output junction) the output is later than the latency says.
        let e = broken(&c, "a clock late", |t| {
            t.junctions[0].finalize.as_mut().expect("steps").0 += 1
        });
        assert_eq!(
            read_early(&e),
            Some(Memory::Activations { layer: 1 }),
            "{model}: {e}"
        );
        if c.datapath().timing.junctions[jn - 1].finalize.is_some() {
            let e = broken(&c, "output a clock late", |t| {
                t.junctions[jn - 1].finalize.as_mut().expect("steps").0 += 1
            });
            assert!(matches!(e, TimingError::Latency { .. }), "{model}: {e}");
        }
    }
}

#[test]
fn transfer_steps_moved_are_caught() {
    // relu.snn: both hidden junctions transfer, as late as the next pass allows.
    let c = planned("relu.snn");
    for j in [0, 1] {
        let e = broken(&c, "a clock late", |t| {
            *t.junctions[j].transfer.as_mut().expect("a transfer") += 1
        });
        assert_eq!(e, TimingError::Transfer { junction: j });
        let e = broken(&c, "no transfer", |t| t.junctions[j].transfer = None);
        assert_eq!(
            e,
            TimingError::TransferDatapath {
                junction: j,
                expected: true
            }
        );
    }
    let e = broken(&c, "a transfer on the output junction", |t| {
        t.junctions[2].transfer = Some(3)
    });
    assert_eq!(
        e,
        TimingError::TransferDatapath {
            junction: 2,
            expected: false
        }
    );
    // Moved earlier clock by clock, the transfer is rejected before the first clock it
    // may start at: it takes δ sums not yet complete (dey2018_random.snn), or its lanes' δ
    // would outlive their copies (relu.snn).
    for (model, memory) in [
        ("dey2018_random.snn", Memory::DeltaSums { layer: 1 }),
        ("relu.snn", Memory::Deltas { junction: 0 }),
    ] {
        let c = planned(model);
        let t0 = c.datapath().timing.junctions[0]
            .transfer
            .expect("a transfer");
        let rejected = (1..=t0 - stage::FIRST_TRANSFER).find_map(|by| {
            let mut t = c.datapath().timing.clone();
            *t.junctions[0].transfer.as_mut().expect("a transfer") -= by;
            check_timing(&c, &t).err()
        });
        let e = rejected.unwrap_or_else(|| panic!("{model}: every earlier transfer accepted"));
        let named = read_early(&e).or_else(|| copy_reused(&e));
        assert_eq!(named, Some(memory), "{model}: {e}");
    }
}

#[test]
fn a_timing_of_another_shape_is_caught() {
    let c = planned("relu.snn");
    let e = broken(&c, "a cycle shorter than a pass", |t| {
        t.period = t.junctions[0].pass - 1
    });
    assert!(matches!(e, TimingError::Pass { junction: 0, .. }), "{e}");
    let e = broken(&c, "inference", |t| t.training = false);
    assert_eq!(e, TimingError::Training { timing: false });
    let e = broken(&c, "no backward pass", |t| {
        t.junctions[1].backward_start = None
    });
    assert_eq!(
        e,
        TimingError::BackwardPass {
            junction: 1,
            training: true
        }
    );
    let e = broken(&c, "a layer missing", |t| {
        t.layers.pop();
    });
    assert_eq!(e, TimingError::JunctionCount);
    let c = planned("pruned.snn");
    let e = broken(&c, "a backward pass without training", |t| {
        t.junctions[0].backward_start = Some(t.junctions[0].forward_start + 3 * t.period as i64)
    });
    assert_eq!(
        e,
        TimingError::BackwardPass {
            junction: 0,
            training: false
        }
    );
}

/// Applies a named corruption to the timing, at junction `j`.
fn corrupt_timing(t: &mut Timing, j: usize, corruption: &str) {
    let p = t.period as i64;
    match corruption {
        "backward-early" => {
            *t.junctions[j].backward_start.as_mut().expect("training") -= p;
        }
        "forward-early" => {
            let by = t.junctions[j].pass as i64;
            start_earlier(t, j, by);
        }
        "one-copy-activations" => t.layers[j].activations = 1,
        "one-label" => t.label_copies = 1,
        "finalize-early" => t.junctions[j].finalize.as_mut().expect("accumulate").0 -= 1,
        "drain-short" => t.drain_cycles -= 1,
        "latency-off" => t.latency += 1,
        "period-short" => t.period = t.junctions[j].pass - 1,
        other => panic!("unknown timing corruption `{other}`"),
    }
}

/// The `key: value` lines of a case file in `testsuite/corrupt/`, comments left out.
fn case_fields(path: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .expect("a case file")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').expect("`key: value`");
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
}

#[test]
fn every_timing_corruption_file_gives_its_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite/corrupt");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testsuite/corrupt")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("timing_"))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    for path in cases {
        let case = case_fields(&path);
        let c = planned(&case["model"]);
        let j = c
            .network()
            .junctions()
            .position(|(_, jn)| jn.name == case["junction"])
            .unwrap_or_else(|| panic!("{path:?}: no junction `{}`", case["junction"]));
        let e = broken(&c, &case["corrupt"], |t| {
            corrupt_timing(t, j, &case["corrupt"])
        });
        assert!(
            e.to_string().contains(&case["expect"]),
            "{path:?}: expected an error containing `{}`, got `{e}`",
            case["expect"]
        );
    }
}
