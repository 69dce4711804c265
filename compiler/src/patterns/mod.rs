//! Pattern generation: the edges of every junction, deterministic from the model and its seeds.
//!
//! A [`Pattern`] lists a junction's edges in *pattern order*. For structured patterns
//! (clash-free, dense) that order is the right-neuron-major order the hardware walks:
//! edge `e` belongs to right neuron `e / fan_in`, and the interleaver decides its left
//! neuron. Random and pruned patterns list edges by right neuron, then left neuron.

pub mod clash_free;
pub mod random;

use crate::network::{Connectivity, Junction, Network};

/// One edge: a left neuron feeding a right neuron.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    pub left: u32,
    pub right: u32,
}

/// A junction's edges in pattern order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub left_size: usize,
    pub right_size: usize,
    pub edges: Vec<Edge>,
}

impl Pattern {
    /// Edges per left neuron.
    pub fn fan_out(&self) -> Vec<u32> {
        let mut d = vec![0u32; self.left_size];
        for e in &self.edges {
            d[e.left as usize] += 1;
        }
        d
    }

    /// Edges per right neuron.
    pub fn fan_in(&self) -> Vec<u32> {
        let mut d = vec![0u32; self.right_size];
        for e in &self.edges {
            d[e.right as usize] += 1;
        }
        d
    }
}

/// Generates the pattern of `junction`.
pub fn generate(network: &Network, junction: &Junction) -> Pattern {
    let left_size = network.layer(junction.left).size;
    let right_size = network.layer(junction.right).size;
    let edges = match &junction.connectivity {
        Connectivity::ClashFree { kind, dither, seed } => {
            let fan_in = junction
                .fan_in
                .uniform()
                .expect("clash-free fan-in is uniform");
            let fan_out = junction
                .fan_out
                .uniform()
                .expect("clash-free fan-out is uniform");
            let shape = clash_free::Shape {
                left: left_size,
                z: junction.z,
                fan_out,
                fan_in,
            };
            clash_free::generate(shape, *kind, *dither, *seed)
        }
        Connectivity::Random { seed } => {
            let fan_out = junction
                .fan_out
                .uniform()
                .expect("random fan-out is uniform");
            random::generate(left_size, right_size, fan_out, *seed)
        }
        Connectivity::Dense => dense(left_size, right_size),
        Connectivity::Pruned { weights } => {
            let mut edges = Vec::with_capacity(junction.edges);
            for right in 0..right_size {
                for left in 0..left_size {
                    if weights.get(left, right) != 0.0 {
                        edges.push(Edge {
                            left: left as u32,
                            right: right as u32,
                        });
                    }
                }
            }
            edges
        }
    };
    debug_assert_eq!(edges.len(), junction.edges);
    Pattern {
        left_size,
        right_size,
        edges,
    }
}

/// Every left neuron to every right neuron, right-major: edge `e` joins `e mod left` to `e / left`.
fn dense(left: usize, right: usize) -> Vec<Edge> {
    (0..right as u32)
        .flat_map(|r| (0..left as u32).map(move |l| Edge { left: l, right: r }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_is_right_major() {
        let e = dense(3, 2);
        assert_eq!(e.len(), 6);
        assert_eq!(e[4], Edge { left: 1, right: 1 });
    }
}
