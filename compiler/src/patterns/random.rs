//! Random patterns with exact degrees: every left neuron `fan_out` edges, every right
//! neuron `fan_in`, no edge twice.
//!
//! The configuration model pairs the `fan_out` stubs of each left neuron with a shuffled
//! list of right stubs; duplicate edges are then removed by random switches (exchange the
//! right ends of two edges when that creates no new duplicate), which keeps every degree.
//! For dense-ish junctions (fan-out above half the right layer) the complement is generated
//! instead, so switches always find partners. The search is bounded: after
//! [`SHUFFLES`] shuffles that each leave a duplicate no switch removes within
//! [`SWITCH_ROUNDS`] rounds, the pattern is a circulant graph (left neuron `l` to right
//! neurons `l·fan_out + k mod right`) under random relabellings of both layers, which has
//! the same exact degrees and no duplicate by construction.

use super::Edge;
use snn_runtime::prng::Rng;

/// The edges, listed by right neuron and then left neuron.
pub fn generate(left: usize, right: usize, fan_out: usize, seed: u64) -> Vec<Edge> {
    let mut rng = Rng::derived(seed, "random");
    let mut edges = if 2 * fan_out > right {
        complement(
            left,
            right,
            &regular(left, right, right - fan_out, &mut rng),
        )
    } else {
        regular(left, right, fan_out, &mut rng)
    };
    edges.sort_unstable_by_key(|e| (e.right, e.left));
    edges
}

/// Shuffles of the configuration model tried before the circulant construction.
pub const SHUFFLES: usize = 64;
/// Rounds of switches per shuffle (each round removes the duplicates found so far).
pub const SWITCH_ROUNDS: usize = 64;

/// A simple bipartite graph with every left degree `fan_out` and every right degree equal.
fn regular(left: usize, right: usize, fan_out: usize, rng: &mut Rng) -> Vec<Edge> {
    regular_within(left, right, fan_out, rng, SHUFFLES)
}

/// [`regular`] with at most `shuffles` tries of the configuration model.
fn regular_within(
    left: usize,
    right: usize,
    fan_out: usize,
    rng: &mut Rng,
    shuffles: usize,
) -> Vec<Edge> {
    if fan_out == 0 {
        return Vec::new();
    }
    let total = left * fan_out;
    let fan_in = total / right;
    // Stub e belongs to left neuron e / fan_out.
    let mut rights: Vec<u32> = (0..right as u32)
        .flat_map(|r| std::iter::repeat_n(r, fan_in))
        .collect();
    let simple = (0..shuffles).any(|_| {
        rng.shuffle(&mut rights);
        remove_duplicates(&mut rights, fan_out, rng)
    });
    if !simple {
        return circulant(left, right, fan_out, rng);
    }
    rights
        .iter()
        .enumerate()
        .map(|(stub, &r)| Edge {
            left: (stub / fan_out) as u32,
            right: r,
        })
        .collect()
}

/// Switches duplicate stubs away; `false` when some switch found no partner (reshuffle then).
/// Who owns which right neuron is counted in a map, so that a switch is checked in constant
/// time however large the fan-out.
fn remove_duplicates(rights: &mut [u32], fan_out: usize, rng: &mut Rng) -> bool {
    let total = rights.len();
    let key = |neuron: usize, r: u32| ((neuron as u64) << 32) | u64::from(r);
    let mut owned: Option<std::collections::HashMap<u64, u32>> = None;
    for _ in 0..SWITCH_ROUNDS {
        let duplicates = duplicate_stubs(rights, fan_out);
        if duplicates.is_empty() {
            return true;
        }
        let owned = owned.get_or_insert_with(|| {
            let mut map = std::collections::HashMap::with_capacity(total);
            for (stub, &r) in rights.iter().enumerate() {
                *map.entry(key(stub / fan_out, r)).or_insert(0) += 1;
            }
            map
        });
        let owns = |map: &std::collections::HashMap<u64, u32>, neuron: usize, r: u32| {
            map.get(&key(neuron, r)).is_some_and(|&n| n > 0)
        };
        for stub in duplicates {
            let a = stub / fan_out;
            let switched = (0..10_000).any(|_| {
                let other = rng.below(total as u64) as usize;
                let b = other / fan_out;
                let (ra, rb) = (rights[stub], rights[other]);
                let ok = a != b && ra != rb && !owns(owned, a, rb) && !owns(owned, b, ra);
                if ok {
                    rights.swap(stub, other);
                    for (neuron, gone, came) in [(a, ra, rb), (b, rb, ra)] {
                        *owned.entry(key(neuron, gone)).or_insert(1) -= 1;
                        *owned.entry(key(neuron, came)).or_insert(0) += 1;
                    }
                }
                ok
            });
            if !switched {
                return false;
            }
        }
    }
    duplicate_stubs(rights, fan_out).is_empty()
}

/// Left neuron `π(l)` to right neurons `σ(l·fan_out + k mod right)`, `k < fan_out`, with
/// random permutations π and σ: `fan_out ≤ right` consecutive residues are distinct, and
/// the stubs `0..left·fan_out` cover every residue `fan_in` times.
fn circulant(left: usize, right: usize, fan_out: usize, rng: &mut Rng) -> Vec<Edge> {
    let mut lefts: Vec<u32> = (0..left as u32).collect();
    let mut rights: Vec<u32> = (0..right as u32).collect();
    rng.shuffle(&mut lefts);
    rng.shuffle(&mut rights);
    (0..left * fan_out)
        .map(|stub| Edge {
            left: lefts[stub / fan_out],
            right: rights[stub % right],
        })
        .collect()
}

/// Stubs whose right neuron already appears earlier among the same left neuron's stubs.
fn duplicate_stubs(rights: &[u32], fan_out: usize) -> Vec<usize> {
    let mut found = Vec::new();
    let mut sorted: Vec<(u32, usize)> = Vec::with_capacity(fan_out);
    for (neuron, stubs) in rights.chunks(fan_out).enumerate() {
        sorted.clear();
        sorted.extend(
            stubs
                .iter()
                .enumerate()
                .map(|(i, &r)| (r, neuron * fan_out + i)),
        );
        sorted.sort_unstable();
        found.extend(
            sorted
                .windows(2)
                .filter(|w| w[0].0 == w[1].0)
                .map(|w| w[1].1),
        );
    }
    found
}

/// The edges of the complete bipartite graph that are not in `edges`.
fn complement(left: usize, right: usize, edges: &[Edge]) -> Vec<Edge> {
    let mut present = vec![false; left * right];
    for e in edges {
        present[e.left as usize * right + e.right as usize] = true;
    }
    (0..left * right)
        .filter(|&i| !present[i])
        .map(|i| Edge {
            left: (i / right) as u32,
            right: (i % right) as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn check(left: usize, right: usize, fan_out: usize, seed: u64) {
        exact_and_simple(&generate(left, right, fan_out, seed), left, right, fan_out);
    }

    /// `edges` give every left neuron `fan_out` edges and every right neuron its share, and
    /// no edge twice.
    fn exact_and_simple(edges: &[Edge], left: usize, right: usize, fan_out: usize) {
        assert_eq!(edges.len(), left * fan_out);
        let unique: BTreeSet<_> = edges.iter().collect();
        assert_eq!(unique.len(), edges.len(), "no duplicates");
        let mut out = vec![0; left];
        let mut inn = vec![0; right];
        for e in edges {
            out[e.left as usize] += 1;
            inn[e.right as usize] += 1;
        }
        assert!(out.iter().all(|&d| d == fan_out));
        assert!(inn.iter().all(|&d| d == left * fan_out / right));
    }

    #[test]
    fn exact_degrees_without_duplicates() {
        check(1024, 64, 4, 1);
        check(64, 32, 16, 2);
        check(16, 8, 7, 3); // dense-ish: built as a complement
        check(10, 10, 10, 4); // complete
        check(12, 3, 1, 5);
    }

    #[test]
    fn the_bounded_search_falls_back_to_a_simple_graph() {
        // No shuffle allowed: the circulant construction must give the exact degrees alone.
        for (left, right, fan_out) in [(12, 4, 3), (16, 8, 4), (9, 3, 2)] {
            let mut rng = Rng::new(3);
            let edges = regular_within(left, right, fan_out, &mut rng, 0);
            exact_and_simple(&edges, left, right, fan_out);
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        assert_eq!(generate(256, 64, 8, 7), generate(256, 64, 8, 7));
        assert_ne!(generate(256, 64, 8, 7), generate(256, 64, 8, 8));
    }
}
