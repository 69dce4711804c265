//! Clash-free patterns: the interleaver of the edge-processing architecture.
//!
//! With `p` left neurons in `z` banks of `D = p / z` rows, edge `i` (right-neuron order)
//! is processed in clock `i / z` by lane `i mod z`. Its sweep is `s = i / p` (there are
//! `fan_out` sweeps of `D` clocks), its clock within the sweep `k = (i mod p) / z`. The lane
//! reads bank `v_s[lane]` (`v_s` the identity, or a random permutation per sweep with memory
//! dither), and within that bank the row
//!
//! * Type 1: `perm[s][bank][k]`, an independent random permutation of `0..D` per sweep and bank;
//! * Type 2: `(seed[s][bank] + k) mod D`, a random start row per sweep and bank;
//! * Type 3: `(seed[bank] + k) mod D`, one start row per bank shared by all sweeps.
//!
//! The left neuron is `row · z + bank`. Every clock reads each bank once (`v_s` is a
//! permutation), every sweep visits each row of each bank once (so each left neuron gets
//! exactly `fan_out` edges), and as long as `fan_in` divides `p` a right neuron's edges lie in
//! one sweep and cannot repeat a left neuron.

use super::Edge;
use crate::network::ClashFreeKind;
use snn_runtime::prng::Rng;

/// The sizes a clash-free pattern is built for.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub left: usize,
    pub z: usize,
    pub fan_out: usize,
    pub fan_in: usize,
}

impl Shape {
    /// Rows per bank.
    pub fn depth(&self) -> usize {
        self.left / self.z
    }
}

/// How rows are chosen: the parameters a seed expands into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rows {
    /// `perms[sweep][bank]` is a permutation of `0..D`.
    Type1 { perms: Vec<Vec<Vec<u32>>> },
    /// `seeds[sweep][bank]` is the start row (Type 3 has one sweep entry, shared).
    Shifted { seeds: Vec<Vec<u32>> },
}

/// The full parameters of one clash-free pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameters {
    pub rows: Rows,
    /// `dither[sweep][lane]` is the bank lane reads; `None` wires lane j to bank j.
    pub dither: Option<Vec<Vec<u32>>>,
}

/// Expands a seed into the parameters of a pattern of `kind`.
pub fn parameters(shape: Shape, kind: ClashFreeKind, dither: bool, seed: u64) -> Parameters {
    let mut rng = Rng::derived(seed, "clash_free");
    let d = shape.depth() as u64;
    let rows = match kind {
        ClashFreeKind::Type1 => Rows::Type1 {
            perms: (0..shape.fan_out)
                .map(|_| (0..shape.z).map(|_| rng.permutation(d as usize)).collect())
                .collect(),
        },
        ClashFreeKind::Type2 | ClashFreeKind::Type3 => {
            let vectors = if kind == ClashFreeKind::Type2 {
                shape.fan_out
            } else {
                1
            };
            Rows::Shifted {
                seeds: (0..vectors)
                    .map(|_| (0..shape.z).map(|_| rng.below(d) as u32).collect())
                    .collect(),
            }
        }
    };
    let dither = dither.then(|| {
        (0..shape.fan_out)
            .map(|_| rng.permutation(shape.z))
            .collect()
    });
    Parameters { rows, dither }
}

/// The edges of the pattern, in right-neuron order (edge `i` in clock `i / z`, lane `i mod z`).
pub fn edges(shape: Shape, params: &Parameters) -> Vec<Edge> {
    let (p, z, d) = (shape.left, shape.z, shape.depth());
    let total = p * shape.fan_out;
    let mut edges = Vec::with_capacity(total);
    for sweep in 0..shape.fan_out {
        let banks = params.dither.as_ref().map(|v| &v[sweep]);
        for k in 0..d {
            for lane in 0..z {
                let bank = banks.map_or(lane, |v| v[lane] as usize);
                let row = match &params.rows {
                    Rows::Type1 { perms } => perms[sweep][bank][k] as usize,
                    Rows::Shifted { seeds } => {
                        let seed = seeds[sweep.min(seeds.len() - 1)][bank] as usize;
                        (seed + k) % d
                    }
                };
                let i = edges.len();
                edges.push(Edge {
                    left: (row * z + bank) as u32,
                    right: (i / shape.fan_in) as u32,
                });
            }
        }
    }
    edges
}

/// The pattern of `kind` for `seed`.
pub fn generate(shape: Shape, kind: ClashFreeKind, dither: bool, seed: u64) -> Vec<Edge> {
    edges(shape, &parameters(shape, kind, dither, seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const TINY: Shape = Shape {
        left: 9,
        z: 3,
        fan_out: 2,
        fan_in: 3,
    };

    /// Every vector in `0..d` of length `n`.
    fn all_vectors(n: usize, d: u32) -> Vec<Vec<u32>> {
        (0..n).fold(vec![vec![]], |acc, _| {
            acc.into_iter()
                .flat_map(|v| {
                    (0..d).map(move |x| {
                        let mut w = v.clone();
                        w.push(x);
                        w
                    })
                })
                .collect()
        })
    }

    fn adjacency(edges: &[Edge]) -> BTreeSet<(u32, u32)> {
        edges.iter().map(|e| (e.left, e.right)).collect()
    }

    #[test]
    fn type_2_on_the_reference_example_has_729_distinct_patterns() {
        let vectors = all_vectors(3, 3);
        let mut patterns = BTreeSet::new();
        for s0 in &vectors {
            for s1 in &vectors {
                let params = Parameters {
                    rows: Rows::Shifted {
                        seeds: vec![s0.clone(), s1.clone()],
                    },
                    dither: None,
                };
                let a = adjacency(&edges(TINY, &params));
                assert_eq!(a.len(), 18, "no duplicate edge");
                patterns.insert(a);
            }
        }
        assert_eq!(patterns.len(), 729);
    }

    #[test]
    fn type_3_on_the_reference_example_has_27_distinct_patterns() {
        let patterns: BTreeSet<_> = all_vectors(3, 3)
            .into_iter()
            .map(|s| {
                adjacency(&edges(
                    TINY,
                    &Parameters {
                        rows: Rows::Shifted { seeds: vec![s] },
                        dither: None,
                    },
                ))
            })
            .collect();
        assert_eq!(patterns.len(), 27);
    }

    #[test]
    fn every_clock_reads_each_bank_once_and_degrees_are_exact() {
        let shape = Shape {
            left: 64,
            z: 8,
            fan_out: 4,
            fan_in: 16,
        };
        for kind in [
            ClashFreeKind::Type1,
            ClashFreeKind::Type2,
            ClashFreeKind::Type3,
        ] {
            for dither in [false, true] {
                let e = generate(shape, kind, dither, 9);
                assert_eq!(e.len(), 256);
                for clock in e.chunks(8) {
                    let banks: BTreeSet<u32> = clock.iter().map(|e| e.left % 8).collect();
                    assert_eq!(banks.len(), 8);
                }
                let mut fan_out = [0; 64];
                e.iter().for_each(|e| fan_out[e.left as usize] += 1);
                assert!(fan_out.iter().all(|&d| d == 4));
                assert_eq!(adjacency(&e).len(), 256, "{kind:?} dither {dither}");
            }
        }
    }

    #[test]
    fn same_seed_same_pattern_other_seed_other_pattern() {
        let shape = Shape {
            left: 1024,
            z: 128,
            fan_out: 4,
            fan_in: 64,
        };
        let a = generate(shape, ClashFreeKind::Type2, false, 1);
        assert_eq!(a, generate(shape, ClashFreeKind::Type2, false, 1));
        assert_ne!(a, generate(shape, ClashFreeKind::Type2, false, 2));
    }
}
