//! The verifiers fail on broken input. Every file in `testsuite/corrupt/` names a model, a
//! junction, a corruption of its schedule or of the network's timing, and the error the
//! verifier must give for it; the model itself must pass, so that a verifier that always says
//! `Ok` (or always fails) cannot pass this test. The schedule's cases run here; the timing's
//! run in the crate (`datapath/verify/tests.rs`), the only place a timing can be changed.

mod common;

use snn_compiler::schedule::{self, JunctionSchedule, Mode, Schedule, IDLE};
use snn_compiler::{patterns, Compiled};
use std::collections::BTreeMap;

/// One case file: `key: value` lines, `#` comments.
struct Case {
    name: String,
    fields: BTreeMap<String, String>,
}

impl Case {
    fn read(path: &std::path::Path) -> Case {
        let fields = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (k, v) = l.split_once(':').expect("`key: value`");
                (k.trim().to_string(), v.trim().to_string())
            })
            .collect();
        Case {
            name: common::file_name(path),
            fields,
        }
    }

    fn get(&self, key: &str) -> &str {
        self.fields
            .get(key)
            .unwrap_or_else(|| panic!("{}: no `{key}`", self.name))
    }
}

fn compiled(model: &str) -> Compiled {
    let path = common::testsuite().join("models").join(model);
    common::plan(
        model,
        &std::fs::read(&path).unwrap(),
        path.parent().unwrap(),
    )
}

/// The schedule of `compiled` as the scheduler makes it, before verification, with its
/// patterns.
fn raw_schedule(compiled: &Compiled) -> (Schedule, Vec<patterns::Pattern>) {
    let network = compiled.network();
    let (junctions, patterns) = network
        .junctions()
        .map(|(id, j)| {
            let pattern = patterns::generate(network, j);
            (
                schedule::schedule_junction(network, id, j, &pattern),
                pattern,
            )
        })
        .unzip();
    (Schedule { junctions }, patterns)
}

/// Applies a named corruption to one junction's schedule.
fn corrupt_schedule(js: &mut JunctionSchedule, corruption: &str) {
    let z = js.z;
    let used: Vec<usize> = (0..js.slots.len())
        .filter(|&i| js.slots[i] != IDLE)
        .collect();
    match corruption {
        "edge-twice" => {
            let (a, b) = (used[0], used[1]);
            js.slots[b] = js.slots[a];
        }
        "edge-missing" => js.slots[used[0]] = IDLE,
        "bank-twice" => {
            // Bring into clock 0 an edge of a later clock whose bank clock 0 already reads.
            let bank = |i: usize| js.bank(js.slots[i].left);
            let clock0: Vec<usize> = used.iter().copied().filter(|&i| i < z).collect();
            let (from, into) = used
                .iter()
                .filter(|&&i| i >= z)
                .find_map(|&later| {
                    let clash = clock0.iter().find(|&&i| bank(i) == bank(later))?;
                    let other = clock0.iter().find(|&&i| i != *clash)?;
                    Some((later, *other))
                })
                .expect("a clash to make");
            js.slots.swap(from, into);
        }
        "crossbar-claim" => js.crossbar = schedule::Crossbar::None,
        "tree-order" => {
            assert!(matches!(js.mode, Mode::Tree { .. }));
            let other = (z..js.slots.len())
                .step_by(z)
                .find(|&i| js.slots[i].right != js.slots[0].right)
                .expect("another neuron on lane 0");
            js.slots.swap(0, other);
        }
        "lane-over-count" => js.cycles -= 1,
        "rmw-claim" => js.min_rmw_distance = js.min_rmw_distance.wrapping_add(1),
        "lower-bound-claim" => js.lower_bound = js.cycles + 1,
        other => panic!("unknown schedule corruption `{other}`"),
    }
}

/// The schedule's corruption files; the timing's (`timing_*.txt`) break fields only the
/// datapath stage can reach and are applied by its unit tests (`datapath/verify/tests.rs`).
#[test]
fn every_schedule_corruption_gives_its_error() {
    let cases: Vec<_> = common::files("corrupt", "txt")
        .into_iter()
        .filter(|p| common::file_name(p).starts_with("schedule_"))
        .collect();
    assert!(cases.len() >= 8);
    for path in cases {
        let case = Case::read(&path);
        let compiled = compiled(case.get("model"));
        let network = compiled.network();
        let junction = case.get("junction");
        let j = network
            .junctions()
            .position(|(_, jn)| jn.name == junction)
            .unwrap_or_else(|| panic!("{}: no junction `{junction}`", case.name));
        let expected = case.get("expect");
        let result = match case.get("verifier") {
            "schedule" => {
                let (schedule, patterns) = raw_schedule(&compiled);
                assert!(
                    schedule::verify::verify(network, &patterns, schedule.clone()).is_ok(),
                    "{}: the model's own schedule must pass",
                    case.name
                );
                let mut broken = schedule;
                corrupt_schedule(&mut broken.junctions[j], case.get("corrupt"));
                schedule::verify::verify(network, &patterns, broken)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            other => panic!("{}: unknown verifier `{other}`", case.name),
        };
        match result {
            Ok(()) => panic!(
                "{}: the {} verifier accepted it",
                case.name,
                case.get("verifier")
            ),
            Err(message) => assert!(
                message.contains(expected),
                "{}: expected an error containing `{expected}`, got `{message}`",
                case.name
            ),
        }
    }
}
