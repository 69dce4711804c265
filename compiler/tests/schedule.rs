//! Patterns and schedules: exact degrees, every schedule verified, clash-free patterns at
//! |W| / z clocks, random and pruned ones at their lower bound; a CSV snapshot.

mod common;

use proptest::prelude::*;
use snn_compiler::network::Network;
use snn_compiler::patterns;
use snn_compiler::schedule::{self, Crossbar, Verified};
use std::collections::BTreeSet;

fn compile(text: &str) -> (Network, Verified) {
    let network = snn_compiler::compile_bytes(
        "prop.snn".into(),
        text.as_bytes().to_vec(),
        &common::testsuite().join("models"),
    )
    .unwrap_or_else(|f| panic!("{}\n{text}", f.render(false)));
    let verified = schedule::schedule(&network).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (network, verified)
}

fn model(left: usize, right: usize, fan_out: usize, z: usize, pattern: &str) -> String {
    format!(
        "network prop {{ input x[{left}]; layer y[{right}] {{ activation = sigmoid; \
         connect = sparse(fan_out = {fan_out}, pattern = {pattern}); z = {z}; }} }}"
    )
}

/// Checks the patterns directly: exact degrees, no duplicate edge.
fn check_patterns(network: &Network) {
    for (_, j) in network.junctions() {
        let p = patterns::generate(network, j);
        let unique: BTreeSet<_> = p.edges.iter().collect();
        assert_eq!(unique.len(), p.edges.len(), "no duplicate edges");
        assert!(p
            .fan_in()
            .iter()
            .all(|&d| (j.fan_in.min..=j.fan_in.max).contains(&(d as usize))));
        assert!(p
            .fan_out()
            .iter()
            .all(|&d| (j.fan_out.min..=j.fan_out.max).contains(&(d as usize))));
    }
}

/// A clash-free shape: z lanes, D rows per bank, fan-in dividing the left layer and
/// dividing or divided by z.
fn clash_free_shape() -> impl Strategy<Value = (usize, usize, usize, usize)> {
    (0u32..5, 1usize..9, 1usize..6).prop_flat_map(|(log_z, depth, fan_out)| {
        let z = 1usize << log_z;
        let left = z * depth;
        let fan_ins: Vec<usize> = (1..=left)
            .filter(|fi| {
                left.is_multiple_of(*fi)
                    && (z.is_multiple_of(*fi) || fi % z == 0)
                    && (left * fan_out).is_multiple_of(*fi)
            })
            .filter(|fi| left * fan_out / fi >= fan_out)
            .collect();
        proptest::sample::select(fan_ins)
            .prop_map(move |fi| (left, left * fan_out / fi, fan_out, z))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn clash_free_patterns_take_exactly_edges_over_z_clocks(
        (left, right, fan_out, z) in clash_free_shape(),
        kind in 1u32..4,
        dither in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let pattern = format!("clash_free(type = {kind}, dither = {dither}, seed = {seed})");
        let (network, verified) = compile(&model(left, right, fan_out, z, &pattern));
        check_patterns(&network);
        let js = &verified.junctions()[0];
        prop_assert_eq!(js.cycles, left * fan_out / z);
        prop_assert_eq!(js.utilization(), 1.0);
        if !dither {
            prop_assert_eq!(js.crossbar, Crossbar::None);
        }
    }

    #[test]
    fn random_patterns_schedule_at_their_lower_bound(
        log_z in 0u32..6,
        depth in 1usize..12,
        right in 1usize..40,
        fan_out in 1usize..8,
        seed in 0u64..1000,
    ) {
        let z = 1usize << log_z;
        let left = z * depth;
        let fan_out = fan_out.min(right);
        prop_assume!((left * fan_out).is_multiple_of(right));
        let (network, verified) = compile(&model(left, right, fan_out, z, &format!("random(seed = {seed})")));
        check_patterns(&network);
        let js = &verified.junctions()[0];
        prop_assert_eq!(js.cycles, js.lower_bound);
        prop_assert_eq!(js.lower_bound, (left * fan_out).div_ceil(z));
    }
}

#[test]
fn dey2018_schedules_in_32_clocks_at_full_use_without_crossbar() {
    let (_, verified) = compile(
        &std::fs::read_to_string(common::testsuite().join("models/dey2018_mnist.snn")).unwrap(),
    );
    for js in verified.junctions() {
        assert_eq!(js.cycles, 32, "{}", js.name);
        assert_eq!(js.utilization(), 1.0);
        assert_eq!(js.crossbar, Crossbar::None);
    }
}

#[test]
fn dey2018_random_schedules_at_its_lower_bound() {
    let (_, verified) = compile(
        &std::fs::read_to_string(common::testsuite().join("models/dey2018_random.snn")).unwrap(),
    );
    for js in verified.junctions() {
        assert_eq!((js.lower_bound, js.cycles), (32, 32), "{}", js.name);
        assert_eq!(js.crossbar, Crossbar::Full);
    }
}

#[test]
fn the_pruned_model_schedules_conflict_free_at_its_bound() {
    let (_, verified) =
        compile(&std::fs::read_to_string(common::testsuite().join("models/pruned.snn")).unwrap());
    for js in verified.junctions() {
        assert_eq!(js.cycles, js.lower_bound, "{}", js.name);
    }
}

#[test]
fn schedule_csv_of_the_tiny_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = common::testsuite().join("models/tiny.snn");
    let out = common::snnc(&[
        "schedule",
        model.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("hidden.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 32);
    common::snapshots_in("schedule", || {
        insta::assert_snapshot!("tiny_hidden_csv", csv)
    });
    // Not overwritten without --force.
    let again = common::snnc(&[
        "schedule",
        model.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    let forced = common::snnc(&[
        "schedule",
        model.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(forced.status.code(), Some(0));
}
