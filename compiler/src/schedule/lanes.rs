//! Accumulate-mode scheduling: right neurons to groups of lanes, edges to lanes, and the
//! clocks from an optimal colouring of the lanes × banks multigraph.
//!
//! A group of `k` lanes owns a set of right neurons; every lane of the group holds a partial
//! sum for each of them, so the group's edges can be dealt evenly over its lanes (loads
//! within a group differ by at most one). Neurons go to groups by longest-processing-time
//! first (most edges first, to the least-loaded group). Among the group sizes `k` that
//! divide z, the scheduler takes the one with the fewest clocks per pass, then the shortest
//! finalise step (one clock per neuron of the largest group), then the smallest `k`. One
//! group of all z lanes always balances lanes exactly, so the pass reaches its lower bound.

use super::colour;
use super::placement::{self, Placement};
use super::{Mode, IDLE};
use crate::patterns::{Edge, Pattern};

/// Groups, lane assignment and clocks for `pattern` on `z` lanes: the mode and the slots.
pub fn accumulate(pattern: &Pattern, z: usize, placement: &Placement) -> (Mode, Vec<Edge>) {
    let fan_in = pattern.fan_in();
    let bank_max = placement::busiest(&pattern.fan_out(), z, placement);
    let (group, neurons) = (1..=z)
        .filter(|k| z.is_multiple_of(*k) && z / k <= pattern.right_size.max(1))
        .map(|k| {
            let neurons = deal(&fan_in, z / k);
            let lane_max = neurons
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|&r| fan_in[r as usize] as usize)
                        .sum::<usize>()
                        .div_ceil(k)
                })
                .max()
                .unwrap_or(0);
            let finalise = neurons.iter().map(Vec::len).max().unwrap_or(0);
            ((lane_max.max(bank_max), finalise, k), neurons)
        })
        .min_by_key(|(cost, _)| *cost)
        .map(|((_, _, k), neurons)| (k, neurons))
        .expect("k = z is always a candidate");
    let slots = colour_slots(pattern, z, group, &neurons, placement);
    (Mode::Accumulate { group, neurons }, slots)
}

/// Longest processing time first: neurons with most edges to the least-loaded of `groups`.
/// Each group's neurons come back in ascending order.
fn deal(fan_in: &[u32], groups: usize) -> Vec<Vec<u32>> {
    let mut order: Vec<u32> = (0..fan_in.len() as u32).collect();
    order.sort_by_key(|&r| (std::cmp::Reverse(fan_in[r as usize]), r));
    let mut load: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> =
        (0..groups).map(|g| std::cmp::Reverse((0, g))).collect();
    let mut neurons = vec![Vec::new(); groups];
    for r in order {
        let std::cmp::Reverse((l, g)) = load.pop().expect("at least one group");
        neurons[g].push(r);
        load.push(std::cmp::Reverse((l + fan_in[r as usize] as usize, g)));
    }
    for g in &mut neurons {
        g.sort_unstable();
    }
    neurons
}

/// Deals each group's edges over its lanes and colours lanes × banks into clocks.
fn colour_slots(
    pattern: &Pattern,
    z: usize,
    group: usize,
    neurons: &[Vec<u32>],
    placement: &Placement,
) -> Vec<Edge> {
    let mut group_of = vec![0u32; pattern.right_size];
    for (g, members) in neurons.iter().enumerate() {
        for &r in members {
            group_of[r as usize] = g as u32;
        }
    }
    // Pattern edges are sorted by right neuron; deal each group's edges round-robin.
    let mut next_lane = vec![0usize; neurons.len()];
    let mut order: Vec<u32> = (0..pattern.edges.len() as u32).collect();
    order.sort_by_key(|&i| {
        let e = pattern.edges[i as usize];
        (e.right, e.left)
    });
    let mut lane_of = vec![0u32; pattern.edges.len()];
    for &i in &order {
        let e = pattern.edges[i as usize];
        let g = group_of[e.right as usize] as usize;
        let lane = g * group + next_lane[g];
        next_lane[g] = (next_lane[g] + 1) % group;
        lane_of[i as usize] = lane as u32;
    }
    // Bucket the edges by (lane, bank) cell: counting sort.
    let cell = |i: usize| lane_of[i] as usize * z + placement.bank(pattern.edges[i].left, z);
    let mut cell_start = vec![0usize; z * z + 1];
    for i in 0..pattern.edges.len() {
        cell_start[cell(i) + 1] += 1;
    }
    for c in 0..z * z {
        cell_start[c + 1] += cell_start[c];
    }
    let mut fill = cell_start.clone();
    let mut bucketed = vec![IDLE; pattern.edges.len()];
    for i in order.iter().map(|&i| i as usize) {
        let c = cell(i);
        bucketed[fill[c]] = pattern.edges[i];
        fill[c] += 1;
    }
    drop(order);
    drop(lane_of);
    let entries: Vec<(u32, u32, u32)> = (0..z * z)
        .filter(|&c| cell_start[c + 1] > cell_start[c])
        .map(|c| {
            (
                (c / z) as u32,
                (c % z) as u32,
                (cell_start[c + 1] - cell_start[c]) as u32,
            )
        })
        .collect();
    let (clocks, classes) = colour::colour(z, &entries);
    let mut slots = Vec::with_capacity(clocks as usize * z);
    let mut taken = cell_start[..z * z].to_vec();
    for class in &classes {
        for _ in 0..class.times {
            for (lane, &bank) in class.columns.iter().enumerate() {
                let c = lane * z + bank as usize;
                if taken[c] < cell_start[c + 1] {
                    slots.push(bucketed[taken[c]]);
                    taken[c] += 1;
                } else {
                    slots.push(IDLE);
                }
            }
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dealing_balances_groups() {
        let fan_in = [5, 1, 4, 2, 3, 3];
        let groups = deal(&fan_in, 2);
        let loads: Vec<u32> = groups
            .iter()
            .map(|g| g.iter().map(|&r| fan_in[r as usize]).sum())
            .collect();
        assert_eq!(loads, vec![9, 9]);
    }
}
