//! The schedule verifier: re-derives every invariant from the pattern and the slots alone,
//! without the scheduler's helpers, and wraps a schedule that passes in [`Verified`] — the
//! only form the backend accepts. A failure is a compiler bug, never a user error.

use super::placement::Placement;
use super::{Crossbar, JunctionSchedule, Mode, Schedule, IDLE, RMW_LATENCY};
use crate::network::Network;
use crate::patterns::Pattern;
use std::fmt;

/// A schedule that passed every check.
#[derive(Clone, Debug)]
pub struct Verified {
    schedule: Schedule,
}

impl Verified {
    /// Junction `id`'s schedule.
    pub fn junction(&self, id: crate::network::JunctionId) -> &JunctionSchedule {
        let js = &self.schedule.junctions[id.index()];
        debug_assert_eq!(js.junction, id, "schedules are in network order");
        js
    }

    pub fn junctions(&self) -> &[JunctionSchedule] {
        &self.schedule.junctions
    }
}

/// An invariant a schedule broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    pub junction: String,
    pub problem: Problem,
}

/// What is wrong with one junction's schedule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("not every junction is scheduled")]
    Unscheduled,
    #[error("{slots} slots for {clocks} clocks of {lanes} lanes (junction has z = {z})")]
    SlotCount {
        slots: usize,
        clocks: usize,
        lanes: usize,
        z: usize,
    },
    #[error("right neuron {right} has {slots} edges in the slots, {pattern} in the pattern")]
    EdgeCount {
        right: usize,
        slots: usize,
        pattern: usize,
    },
    #[error("left neuron {left} does not exist")]
    NoLeftNeuron { left: u32 },
    #[error("right neuron {right} does not exist")]
    NoRightNeuron { right: u32 },
    #[error("the pattern repeats edge {left} -> {right}")]
    PatternRepeats { left: u32, right: usize },
    #[error("the slots hold edge {left} -> {right} twice or where the pattern has none")]
    SlotEdge { left: u32, right: usize },
    #[error("{edges} edges, elaboration expected {expected}")]
    PatternEdges { edges: usize, expected: usize },
    #[error("a neuron's degree differs from the junction's")]
    Degree,
    #[error("a tree datapath needs banks n mod z")]
    TreePlacement,
    #[error("{rows} placement rows for {neurons} neurons")]
    PlacementRows { rows: usize, neurons: usize },
    #[error("placement row {row} is not a permutation of the banks")]
    PlacementRow { row: usize },
    #[error("clock {clock} reads bank {bank} twice")]
    BankTwice { clock: usize, bank: usize },
    #[error("clock {clock}: lane {lane} reads bank {bank} but the schedule claims no crossbar")]
    CrossbarClaim {
        clock: usize,
        lane: usize,
        bank: usize,
    },
    #[error("tree groups of {group} lanes do not tile {z} lanes")]
    TreeGroups { group: usize, z: usize },
    #[error("clock {clock}, lane {lane}: the adder tree sums right neuron {expected}, the slot holds {}", .holds.map_or("nothing".to_string(), |r| r.to_string()))]
    TreeSum {
        clock: usize,
        lane: usize,
        expected: usize,
        /// The slot's right neuron (`None`: an idle slot).
        holds: Option<u32>,
    },
    #[error("{groups} groups of {group} lanes do not tile {z} lanes")]
    AccumulateGroups {
        groups: usize,
        group: usize,
        z: usize,
    },
    #[error("group {group} owns neuron {right}, which does not exist")]
    NoOwnedNeuron { group: usize, right: u32 },
    #[error("right neuron {right} belongs to two groups")]
    TwoGroups { right: u32 },
    #[error("a right neuron belongs to no group")]
    NoGroup,
    #[error("clock {clock}, lane {lane}: right neuron {right} belongs to another group")]
    OtherGroup {
        clock: usize,
        lane: usize,
        right: u32,
    },
    #[error("the closest δ accesses to one neuron are {actual} clocks apart, the schedule says {claimed}")]
    RmwDistance { actual: usize, claimed: usize },
    #[error("δ accesses {distance} clock(s) apart, under the {}-clock read-modify-write, without forwarding", RMW_LATENCY)]
    NoForwarding { distance: usize },
    #[error("δ accesses {distance} clock(s) apart across two passes")]
    Wrap { distance: usize },
    #[error("lower bound {bound} (schedule says {claimed}), {clocks} clocks")]
    LowerBound {
        bound: usize,
        claimed: usize,
        clocks: usize,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "junction `{}`: {}", self.junction, self.problem)
    }
}

/// Checks every junction of `schedule` against its pattern.
pub fn verify(
    network: &Network,
    patterns: &[Pattern],
    schedule: Schedule,
) -> Result<Verified, VerifyError> {
    if schedule.junctions.len() != network.junctions.len()
        || patterns.len() != network.junctions.len()
    {
        return Err(VerifyError {
            junction: network.name.clone(),
            problem: Problem::Unscheduled,
        });
    }
    for (js, pattern) in schedule.junctions.iter().zip(patterns) {
        check_junction(network, js, pattern).map_err(|problem| VerifyError {
            junction: js.name.clone(),
            problem,
        })?;
    }
    Ok(Verified { schedule })
}

fn check_junction(
    network: &Network,
    js: &JunctionSchedule,
    pattern: &Pattern,
) -> Result<(), Problem> {
    let junction = network.junction(js.junction);
    let z = js.z;
    if z != junction.z || js.cycles == 0 || js.slots.len() != js.cycles * z {
        return Err(Problem::SlotCount {
            slots: js.slots.len(),
            clocks: js.cycles,
            lanes: z,
            z: junction.z,
        });
    }

    // Each pattern edge exactly once: both edge lists bucketed by right neuron, then each
    // bucket's left neurons stamped by the pattern and consumed by the slots.
    let pattern_lefts = by_right(pattern.edges.iter(), js.right_size)?;
    let slot_lefts = by_right(js.slots.iter().filter(|e| **e != IDLE), js.right_size)?;
    let mut stamp = vec![u32::MAX; js.left_size];
    for r in 0..js.right_size {
        let (p, s) = (pattern_lefts.bucket(r), slot_lefts.bucket(r));
        if p.len() != s.len() {
            return Err(Problem::EdgeCount {
                right: r,
                slots: s.len(),
                pattern: p.len(),
            });
        }
        let mark = 2 * r as u32;
        for &l in p {
            let seen = stamp
                .get_mut(l as usize)
                .ok_or(Problem::NoLeftNeuron { left: l })?;
            if *seen == mark {
                return Err(Problem::PatternRepeats { left: l, right: r });
            }
            *seen = mark;
        }
        for &l in s {
            let seen = stamp
                .get_mut(l as usize)
                .ok_or(Problem::NoLeftNeuron { left: l })?;
            if *seen != mark {
                return Err(Problem::SlotEdge { left: l, right: r });
            }
            *seen = mark + 1;
        }
    }
    if pattern.edges.len() != junction.edges {
        return Err(Problem::PatternEdges {
            edges: pattern.edges.len(),
            expected: junction.edges,
        });
    }

    // Degrees within what elaboration derived.
    let mut fan_out = vec![0usize; js.left_size];
    let mut fan_in = vec![0usize; js.right_size];
    for e in &pattern.edges {
        fan_out[e.left as usize] += 1;
        fan_in[e.right as usize] += 1;
    }
    let within = |d: &[usize], min: usize, max: usize| d.iter().all(|&x| x >= min && x <= max);
    if !within(&fan_out, junction.fan_out.min, junction.fan_out.max)
        || !within(&fan_in, junction.fan_in.min, junction.fan_in.max)
    {
        return Err(Problem::Degree);
    }

    // The placement: each row's neurons on distinct banks.
    let bank_of = |n: u32| -> usize {
        match &js.placement {
            Placement::Modulo => n as usize % z,
            Placement::Permuted { rows } => rows[n as usize / z][n as usize % z] as usize,
        }
    };
    if let Placement::Permuted { rows } = &js.placement {
        if matches!(js.mode, Mode::Tree { .. }) {
            return Err(Problem::TreePlacement);
        }
        if rows.len() != js.left_size.div_ceil(z) {
            return Err(Problem::PlacementRows {
                rows: rows.len(),
                neurons: js.left_size,
            });
        }
        for (r, row) in rows.iter().enumerate() {
            let mut seen = vec![false; z];
            for &b in row {
                if b as usize >= z || std::mem::replace(&mut seen[b as usize], true) {
                    return Err(Problem::PlacementRow { row: r });
                }
            }
        }
    }

    // At most one access per left bank per clock; the crossbar claim.
    let mut stamp = vec![usize::MAX; z];
    for (clock, row) in js.slots.chunks(z).enumerate() {
        for (lane, e) in row.iter().enumerate() {
            if *e == IDLE {
                continue;
            }
            let bank = bank_of(e.left);
            if stamp[bank] == clock {
                return Err(Problem::BankTwice { clock, bank });
            }
            stamp[bank] = clock;
            if js.crossbar == Crossbar::None && bank != lane {
                return Err(Problem::CrossbarClaim { clock, lane, bank });
            }
        }
    }

    // The datapath can sum what each slot holds.
    match &js.mode {
        Mode::Tree {
            group,
            clocks_per_neuron,
        } => {
            if *group == 0 || !z.is_multiple_of(*group) {
                return Err(Problem::TreeGroups { group: *group, z });
            }
            let trees = z / group;
            for (i, e) in js.slots.iter().enumerate() {
                let (clock, lane) = (i / z, i % z);
                let expected = (clock / clocks_per_neuron) * trees + lane / group;
                if *e == IDLE || e.right as usize != expected {
                    return Err(Problem::TreeSum {
                        clock,
                        lane,
                        expected,
                        holds: (*e != IDLE).then_some(e.right),
                    });
                }
            }
        }
        Mode::Accumulate { group, neurons } => {
            if *group == 0 || !z.is_multiple_of(*group) || neurons.len() != z / group {
                return Err(Problem::AccumulateGroups {
                    groups: neurons.len(),
                    group: *group,
                    z,
                });
            }
            let mut owner = vec![usize::MAX; js.right_size];
            for (g, members) in neurons.iter().enumerate() {
                for &r in members {
                    let slot = owner
                        .get_mut(r as usize)
                        .ok_or(Problem::NoOwnedNeuron { group: g, right: r })?;
                    if *slot != usize::MAX {
                        return Err(Problem::TwoGroups { right: r });
                    }
                    *slot = g;
                }
            }
            if owner.contains(&usize::MAX) {
                return Err(Problem::NoGroup);
            }
            for (i, e) in js.slots.iter().enumerate() {
                if *e != IDLE && owner[e.right as usize] != (i % z) / group {
                    return Err(Problem::OtherGroup {
                        clock: i / z,
                        lane: i % z,
                        right: e.right,
                    });
                }
            }
        }
    }

    // δ read-modify-write distance, wrapping into the next pass.
    let mut first = vec![usize::MAX; js.left_size];
    let mut last = vec![usize::MAX; js.left_size];
    let mut min_distance = usize::MAX;
    for (i, e) in js.slots.iter().enumerate() {
        if *e == IDLE {
            continue;
        }
        let (n, clock) = (e.left as usize, i / z);
        if last[n] != usize::MAX {
            min_distance = min_distance.min(clock - last[n]);
        } else {
            first[n] = clock;
        }
        last[n] = clock;
    }
    if min_distance != js.min_rmw_distance {
        return Err(Problem::RmwDistance {
            actual: min_distance,
            claimed: js.min_rmw_distance,
        });
    }
    if min_distance < RMW_LATENCY && !js.forwarding {
        return Err(Problem::NoForwarding {
            distance: min_distance,
        });
    }
    let wrap = (0..js.left_size)
        .filter(|&n| first[n] != usize::MAX)
        .map(|n| js.cycles - last[n] + first[n])
        .min()
        .unwrap_or(usize::MAX);
    if wrap < RMW_LATENCY {
        return Err(Problem::Wrap { distance: wrap });
    }

    // The lower bound, and that the schedule respects it.
    let widest = fan_out.iter().copied().max().unwrap_or(0);
    let bound = junction.edges.div_ceil(z).max(widest);
    if bound != js.lower_bound || js.cycles < bound {
        return Err(Problem::LowerBound {
            bound,
            claimed: js.lower_bound,
            clocks: js.cycles,
        });
    }
    Ok(())
}

/// Left neurons grouped by right neuron (a counting sort).
struct Buckets {
    start: Vec<usize>,
    lefts: Vec<u32>,
}

impl Buckets {
    fn bucket(&self, r: usize) -> &[u32] {
        &self.lefts[self.start[r]..self.start[r + 1]]
    }
}

fn by_right<'a>(
    edges: impl Iterator<Item = &'a crate::patterns::Edge> + Clone,
    right_size: usize,
) -> Result<Buckets, Problem> {
    let mut start = vec![0usize; right_size + 1];
    for e in edges.clone() {
        *start
            .get_mut(e.right as usize + 1)
            .ok_or(Problem::NoRightNeuron { right: e.right })? += 1;
    }
    for r in 0..right_size {
        start[r + 1] += start[r];
    }
    let mut fill = start.clone();
    let mut lefts = vec![0u32; start[right_size]];
    for e in edges {
        let slot = &mut fill[e.right as usize];
        lefts[*slot] = e.left;
        *slot += 1;
    }
    Ok(Buckets { start, lefts })
}
