//! Scheduling: every edge of every junction onto a clock and a lane, so that no clock ever
//! needs a memory bank twice.
//!
//! Left neuron `n` lives in row `n / z` of every left-side memory, in bank `n mod z` unless
//! the schedule permutes the banks of each row to balance their load ([`placement`]). Two
//! datapaths exist, and the schedule says which one a junction uses:
//!
//! * [`Mode::Tree`] — the published dataflow, for clash-free and dense patterns: the
//!   pattern's own order is the schedule (edge `e` in clock `e / z`, lane `e mod z`); groups
//!   of lanes feed adder trees that complete whole right neurons.
//! * [`Mode::Accumulate`] — for any other pattern: right neurons are dealt to groups of
//!   lanes, each lane accumulates its share, and the clocks are an optimal edge colouring of
//!   the lanes × banks multigraph ([`colour`]), reaching the lower bound.
//!
//! [`verify`] re-checks every invariant independently; only a [`Verified`] schedule reaches
//! the backend.

pub mod colour;
mod lanes;
pub mod placement;
pub mod verify;

use crate::diagnostics::Warning;
use crate::network::{Connectivity, Junction, JunctionId, Network};
use crate::patterns::{self, Edge, Pattern};
use placement::Placement;
use rayon::prelude::*;
pub use verify::{Verified, VerifyError};

/// Clocks between a δ read and its write becoming readable: the δ memories read
/// asynchronously and write at the clock edge, so an access sees the previous clock's write.
pub const RMW_LATENCY: usize = 1;

/// A slot no edge uses.
pub const IDLE: Edge = Edge {
    left: u32::MAX,
    right: u32::MAX,
};

/// How a junction's lanes turn products into right-neuron sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Groups of `group` lanes feed one adder tree each. Right neuron `r` is summed by group
    /// `r mod (z / group)` over the `clocks_per_neuron` consecutive clocks starting at
    /// `(r / (z / group)) · clocks_per_neuron`.
    Tree {
        group: usize,
        clocks_per_neuron: usize,
    },
    /// Groups of `group` lanes; `neurons[g]` are the right neurons of group `g`, in the order
    /// of its lanes' partial-sum memories. Each lane of a group accumulates its own edges of
    /// those neurons; after the pass a tree over the group's lanes adds the parts.
    Accumulate {
        group: usize,
        neurons: Vec<Vec<u32>>,
    },
}

/// The read network between lanes and left banks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crossbar {
    /// Lane j always reads bank j.
    None,
    /// Any lane may read any bank: a z-way permutation network.
    Full,
}

impl Crossbar {
    pub fn describe(self) -> &'static str {
        match self {
            Crossbar::None => "none",
            Crossbar::Full => "z-way",
        }
    }
}

/// One junction's schedule.
#[derive(Clone, Debug)]
pub struct JunctionSchedule {
    pub junction: JunctionId,
    pub name: String,
    pub left_size: usize,
    pub right_size: usize,
    pub z: usize,
    /// Clocks per pass.
    pub cycles: usize,
    pub mode: Mode,
    /// The bank of each left neuron.
    pub placement: Placement,
    /// `cycles × z` slots, clock-major: slot `c · z + lane`. Unused slots are [`IDLE`].
    pub slots: Vec<Edge>,
    pub crossbar: Crossbar,
    /// max(⌈edges / z⌉, the largest fan-out): no placement or schedule does better.
    pub lower_bound: usize,
    /// The fewest clocks between two accesses to one left neuron's δ, within a pass.
    pub min_rmw_distance: usize,
    /// Whether the δ read-modify-write needs a forwarding path (`min_rmw_distance` below
    /// [`RMW_LATENCY`]).
    pub forwarding: bool,
    pub edges: usize,
}

impl JunctionSchedule {
    /// The bank of left neuron `n`.
    pub fn bank(&self, n: u32) -> usize {
        self.placement.bank(n, self.z)
    }

    /// The row of left neuron `n` within its bank.
    pub fn row(&self, n: u32) -> usize {
        n as usize / self.z
    }

    /// The edge in clock `cycle`, lane `lane`, if any.
    pub fn slot(&self, cycle: usize, lane: usize) -> Option<Edge> {
        let e = self.slots[cycle * self.z + lane];
        (e != IDLE).then_some(e)
    }

    /// One row per edge, clock-major: `cycle,lane,left,right,bank,row`.
    pub fn csv(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("cycle,lane,left,right,bank,row\n");
        for cycle in 0..self.cycles {
            for lane in 0..self.z {
                if let Some(e) = self.slot(cycle, lane) {
                    let _ = writeln!(
                        out,
                        "{cycle},{lane},{},{},{},{}",
                        e.left,
                        e.right,
                        self.bank(e.left),
                        self.row(e.left)
                    );
                }
            }
        }
        out
    }

    /// The most edges of one left neuron.
    pub fn widest_fan_out(&self) -> usize {
        let mut fan_out = vec![0usize; self.left_size];
        for e in self.slots.iter().filter(|e| **e != IDLE) {
            fan_out[e.left as usize] += 1;
        }
        fan_out.into_iter().max().unwrap_or(0)
    }

    /// The most edges one bank serves in a pass.
    pub fn busiest_bank(&self) -> usize {
        let mut load = vec![0usize; self.z];
        for e in self.slots.iter().filter(|e| **e != IDLE) {
            load[self.bank(e.left)] += 1;
        }
        load.into_iter().max().unwrap_or(0)
    }

    /// Edges / (z · cycles): the share of lane-clocks doing work.
    pub fn utilization(&self) -> f64 {
        self.edges as f64 / (self.z * self.cycles) as f64
    }
}

/// Every junction scheduled, in network order.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub junctions: Vec<JunctionSchedule>,
}

/// Generates, schedules and verifies every junction of `network`.
pub fn schedule(network: &Network) -> Result<Verified, VerifyError> {
    let scheduled: Vec<(JunctionSchedule, Pattern)> = network
        .junctions
        .par_iter()
        .map(|&id| {
            let junction = network.junction(id);
            let pattern = patterns::generate(network, junction);
            (schedule_junction(network, id, junction, &pattern), pattern)
        })
        .collect();
    let (junctions, patterns): (Vec<_>, Vec<_>) = scheduled.into_iter().unzip();
    verify::verify(network, &patterns, Schedule { junctions })
}

/// A warning for every junction whose scheduled pass is longer than the network's
/// `cycles`, saying why: its busiest bank serves more edges than that, one per clock (the
/// elaborated z is then the fewest lanes that give the shortest pass any z allows).
pub fn cycles_warnings(network: &Network, schedule: &Verified) -> Vec<Warning> {
    let Some(cycles) = network.cycles else {
        return Vec::new();
    };
    schedule
        .junctions()
        .iter()
        .filter(|js| js.cycles as u64 > cycles.clocks)
        .map(|js| {
            let left = network.layer(network.junction(js.junction).left);
            let busiest = js.busiest_bank();
            let reason = if busiest as u64 > cycles.clocks {
                format!(
                    "its busiest bank holds neurons of `{}` with {busiest} edges in all (one neuron alone has {}), and a bank serves one edge per clock; z = {} is the fewest lanes that give the shortest pass",
                    left.name,
                    js.widest_fan_out(),
                    js.z
                )
            } else {
                format!(
                    "its banks collide: the schedule needs {} clocks where its busiest bank needs {busiest}",
                    js.cycles
                )
            };
            Warning::CyclesNotMet {
                junction: js.name.clone(),
                cycles: cycles.clocks,
                clocks: js.cycles,
                reason,
                span: cycles.span,
            }
        })
        .collect()
}

/// Schedules one junction's pattern.
pub fn schedule_junction(
    network: &Network,
    id: JunctionId,
    junction: &Junction,
    pattern: &Pattern,
) -> JunctionSchedule {
    let z = junction.z;
    let fan_out = pattern.fan_out();
    let (mode, placement, slots) = match junction.connectivity {
        Connectivity::ClashFree { .. } | Connectivity::Dense => {
            let fan_in = junction
                .fan_in
                .uniform()
                .expect("structured patterns have uniform fan-in");
            let group = fan_in.min(z);
            let mode = Mode::Tree {
                group,
                clocks_per_neuron: fan_in / group,
            };
            (mode, Placement::Modulo, pattern.edges.clone())
        }
        Connectivity::Random { .. } | Connectivity::Pruned { .. } => {
            let placement = placement::place(&fan_out, z);
            let (mode, slots) = lanes::accumulate(pattern, z, &placement);
            (mode, placement, slots)
        }
    };
    let cycles = slots.len() / z;
    let crossbar = if slots
        .iter()
        .enumerate()
        .all(|(i, e)| *e == IDLE || placement.bank(e.left, z) == i % z)
    {
        Crossbar::None
    } else {
        Crossbar::Full
    };
    let min_rmw_distance = min_rmw_distance(&slots, z, pattern.left_size);
    let widest = fan_out.iter().copied().max().unwrap_or(0) as usize;
    JunctionSchedule {
        junction: id,
        name: junction.name.clone(),
        left_size: network.layer(junction.left).size,
        right_size: network.layer(junction.right).size,
        z,
        cycles,
        mode,
        placement,
        slots,
        crossbar,
        lower_bound: junction.edges.div_ceil(z).max(widest),
        min_rmw_distance,
        forwarding: min_rmw_distance < RMW_LATENCY,
        edges: junction.edges,
    }
}

/// The fewest clocks between consecutive accesses to one left neuron within a pass
/// (`usize::MAX` when no neuron is accessed twice).
fn min_rmw_distance(slots: &[Edge], z: usize, left_size: usize) -> usize {
    let mut last = vec![usize::MAX; left_size];
    let mut min = usize::MAX;
    for (i, e) in slots.iter().enumerate() {
        if *e == IDLE {
            continue;
        }
        let clock = i / z;
        let previous = &mut last[e.left as usize];
        if *previous != usize::MAX {
            min = min.min(clock - *previous);
        }
        *previous = clock;
    }
    min
}
