//! The physical layout of the generated datapath: how each junction's lanes form adder
//! trees or accumulating groups, in which order groups finalise their neurons, and the
//! widths of its sums — everything about the hardware that does not depend on time.

use crate::network::{Connectivity, JunctionId, Network};
use crate::schedule::colour;
use crate::schedule::{JunctionSchedule, Mode, Verified, IDLE};
use snn_runtime::activation::Activation;
use snn_runtime::fixed::Format;

/// Bits to number `n` things (at least 1).
pub fn bits(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1) as usize
}

/// The widest sums, in bits, of which two levels of an adder tree share a register stage:
/// two such additions (three CARRY4s each) and their LUTs take at most 3.3 ns of cells.
/// Wider levels are registered one by one.
pub const TREE_PAIRED_SUM_BITS: usize = 12;

/// Which levels of an adder tree over `inputs` values of `in_w` bits end in a register: bit
/// `l - 1` for level `l`, whose sums are `in_w + l` bits. From the leaves, a level shares its
/// stage with the next while the next's sums are at most [`TREE_PAIRED_SUM_BITS`]; the last
/// level is registered.
pub fn tree_registers(inputs: usize, in_w: usize) -> u32 {
    let levels = tree_levels(inputs);
    let mut registered = 0;
    let mut in_stage = 0;
    for level in 1..=levels {
        in_stage += 1;
        let pairs = in_stage == 1 && level < levels && in_w + level < TREE_PAIRED_SUM_BITS;
        if !pairs {
            registered |= 1 << (level - 1);
            in_stage = 0;
        }
    }
    registered
}

/// Registered stages of an adder tree over `inputs` values of `in_w` bits.
pub fn tree_latency(inputs: usize, in_w: usize) -> usize {
    tree_registers(inputs, in_w).count_ones() as usize
}

/// Levels of an adder tree over `inputs` values.
pub fn tree_levels(inputs: usize) -> usize {
    inputs.next_power_of_two().trailing_zeros() as usize
}

/// Clocks the output junction's decision takes after the clock of its pass's last write: the
/// argmax's comparison tree over the `groups` values of a clock (a registered level a clock),
/// then the merge into the pass's running best, stored as the decision the clock after.
pub fn argmax_latency(groups: usize) -> usize {
    tree_levels(groups) + 1
}

/// How a junction's right side is organised in hardware.
#[derive(Clone, Debug)]
pub enum RightSide {
    /// Trees of `group` lanes; neuron `r` is tree `r mod groups`, step `r / groups`.
    Tree {
        groups: usize,
        group: usize,
        clocks_per_neuron: usize,
    },
    /// Groups of `group` lanes; `order[g][m]` is the neuron group `g` finalises at step `m`.
    Accumulate {
        groups: usize,
        group: usize,
        order: Vec<Vec<Option<u32>>>,
    },
}

impl RightSide {
    pub fn groups(&self) -> usize {
        match self {
            RightSide::Tree { groups, .. } | RightSide::Accumulate { groups, .. } => *groups,
        }
    }

    /// Lanes per tree or group.
    pub fn group(&self) -> usize {
        match self {
            RightSide::Tree { group, .. } | RightSide::Accumulate { group, .. } => *group,
        }
    }

    /// Finalise steps (accumulate) or neuron steps per tree.
    pub fn steps(&self, right: usize) -> usize {
        match self {
            RightSide::Tree { groups, .. } => right / groups,
            RightSide::Accumulate { order, .. } => order[0].len(),
        }
    }
}

/// One junction, as built.
#[derive(Clone, Debug)]
pub struct JunctionLayout {
    pub index: usize,
    pub right_side: RightSide,
    /// Bits of the partial and final sums of the forward pass.
    pub acc_w: usize,
    /// Bits of the left layer's δ sums.
    pub left_sum_w: usize,
    /// Bits of the values its adder trees sum: the products (trees), the partial sums
    /// (accumulating groups).
    pub tree_in_w: usize,
}

impl JunctionLayout {
    /// Registered stages of its adder trees.
    pub fn tree_latency(&self) -> usize {
        tree_latency(self.right_side.group(), self.tree_in_w)
    }
}

/// A layout rule broken: elaboration guarantees every rule, so this is a compiler bug.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// A tree junction completes `groups` neurons per clock, and the next junction keeps
    /// some of one clock's in one bank.
    #[error("junction `{junction}` completes {groups} neurons per clock but junction `{next}` keeps some of them in one bank (z = {z}); give `{next}` a z that is a multiple of {groups}")]
    SharedBank {
        junction: String,
        groups: usize,
        next: String,
        z: usize,
    },
}

/// Why the input stream cannot carry `beat` values per clock (the user's `--beat`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BeatError {
    #[error("an input beat of {beat} values does not divide the {inputs} inputs")]
    NotDivisor { beat: usize, inputs: usize },
    #[error("the input stream writes {beat} values per beat, but inputs {start}..{end} share a bank of junction `{junction}`; use an input beat that divides z = {z}")]
    SharedBank {
        beat: usize,
        start: usize,
        end: usize,
        junction: String,
        z: usize,
    },
}

/// The whole design's layout, junction by junction.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Each junction's layout, in network order.
    pub junctions: Vec<JunctionLayout>,
}

impl Layout {
    /// Junction `id`'s layout.
    pub fn junction(&self, id: JunctionId) -> &JunctionLayout {
        &self.junctions[id.index()]
    }
}

/// The layout of a scheduled network. Fails when a tree junction completes several
/// neurons per clock that the next junction keeps in one bank (they could not all be
/// written in that clock).
pub fn layout(network: &Network, schedule: &Verified) -> Result<Layout, LayoutError> {
    let formats = network.formats;
    let mut junctions = Vec::with_capacity(schedule.junctions().len());
    for (index, js) in schedule.junctions().iter().enumerate() {
        let junction = network.junction(js.junction);
        let fan_in = junction.fan_in.max;
        let right_side = match &js.mode {
            Mode::Tree {
                group,
                clocks_per_neuron,
            } => RightSide::Tree {
                groups: js.z / group,
                group: *group,
                clocks_per_neuron: *clocks_per_neuron,
            },
            Mode::Accumulate { group, neurons } => {
                let next = schedule.junctions().get(index + 1);
                RightSide::Accumulate {
                    groups: neurons.len(),
                    group: *group,
                    order: finalize_order(neurons, next),
                }
            }
        };
        let act = formats.activations;
        let bias_ext_w = formats.weights.width as usize
            + (act.frac as usize).saturating_sub(formats.weights.frac as usize)
            + 1;
        let acc_w = (act.width as usize + bits(fan_in + 2)).max(bias_ext_w) + 1;
        let fan_out = junction.fan_out.max;
        let left_sum_w = formats.deltas.width as usize + bits(fan_out + 2) + 1;
        let tree_in_w = match right_side {
            RightSide::Tree { .. } => act.width as usize,
            RightSide::Accumulate { .. } => acc_w,
        };
        junctions.push(JunctionLayout {
            index,
            right_side,
            acc_w,
            left_sum_w,
            tree_in_w,
        });
    }
    check_writes(schedule, &junctions)?;
    Ok(Layout { junctions })
}

/// The order in which each group finalises its neurons: step `m` of every group writes a
/// neuron of the next layer's banks, and no two of them may share a bank. That is an edge
/// colouring of groups × next-layer banks (each neuron an edge); its colours are the steps.
fn finalize_order(neurons: &[Vec<u32>], next: Option<&JunctionSchedule>) -> Vec<Vec<Option<u32>>> {
    let groups = neurons.len();
    let Some(next) = next else {
        // The output layer: no banks to share, any order.
        let steps = neurons.iter().map(Vec::len).max().unwrap_or(0);
        return neurons
            .iter()
            .map(|g| (0..steps).map(|m| g.get(m).copied()).collect())
            .collect();
    };
    let n = groups.max(next.z);
    let mut cells: std::collections::BTreeMap<(u32, u32), Vec<u32>> = Default::default();
    for (g, members) in neurons.iter().enumerate() {
        for &r in members {
            cells
                .entry((g as u32, next.bank(r) as u32))
                .or_default()
                .push(r);
        }
    }
    let entries: Vec<(u32, u32, u32)> = cells
        .iter()
        .map(|(&(g, b), v)| (g, b, v.len() as u32))
        .collect();
    let (_, classes) = colour::colour(n, &entries);
    let mut order: Vec<Vec<Option<u32>>> = vec![Vec::new(); groups];
    for class in &classes {
        for _ in 0..class.times {
            for (g, column) in order.iter_mut().enumerate() {
                let bank = class.columns[g];
                column.push(cells.get_mut(&(g as u32, bank)).and_then(Vec::pop));
            }
        }
    }
    // Drop steps where no group has a neuron (padding of the colouring).
    let steps = order[0].len();
    let keep: Vec<usize> = (0..steps)
        .filter(|&m| order.iter().any(|g| g[m].is_some()))
        .collect();
    order
        .into_iter()
        .map(|g| keep.iter().map(|&m| g[m]).collect())
        .collect()
}

/// Every clock's writes into a layer's banks must hit distinct banks.
fn check_writes(schedule: &Verified, junctions: &[JunctionLayout]) -> Result<(), LayoutError> {
    for (j, layout) in junctions.iter().enumerate() {
        let Some(next) = schedule.junctions().get(j + 1) else {
            continue;
        };
        if let RightSide::Tree { groups, .. } = layout.right_side {
            for step in 0..schedule.junctions()[j].right_size / groups {
                let mut banks: Vec<usize> = (0..groups)
                    .map(|g| next.bank((step * groups + g) as u32))
                    .collect();
                banks.sort_unstable();
                if banks.windows(2).any(|w| w[0] == w[1]) {
                    return Err(LayoutError::SharedBank {
                        junction: schedule.junctions()[j].name.clone(),
                        groups,
                        next: next.name.clone(),
                        z: next.z,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Whether the input stream's beats of `beat` values each land in distinct banks of the
/// first junction.
pub fn check_beat(schedule: &Verified, beat: usize) -> Result<(), BeatError> {
    let first = &schedule.junctions()[0];
    if beat == 0 || !first.left_size.is_multiple_of(beat) {
        return Err(BeatError::NotDivisor {
            beat,
            inputs: first.left_size,
        });
    }
    for start in (0..first.left_size).step_by(beat) {
        let mut banks: Vec<usize> = (start..start + beat)
            .map(|n| first.bank(n as u32))
            .collect();
        banks.sort_unstable();
        if banks.windows(2).any(|w| w[0] == w[1]) {
            return Err(BeatError::SharedBank {
                beat,
                start,
                end: start + beat,
                junction: first.name.clone(),
                z: first.z,
            });
        }
    }
    Ok(())
}

/// What a sigmoid, ReLU or identity unit needs: (kind, one, offset, index shift, entries, index bits).
pub fn activation_parameters(
    activation: Activation,
    format: Format,
) -> (usize, i64, i64, u32, usize, usize) {
    match activation {
        Activation::Sigmoid(table) => (
            0,
            format.one(),
            table.offset_raw(format),
            table.index_shift(format).expect("checked at elaboration"),
            table.entries(),
            table.log2_entries.max(1) as usize,
        ),
        Activation::Relu => (1, format.one(), 0, 0, 1, 1),
        Activation::Identity => (2, format.one(), 0, 0, 1, 1),
    }
}

/// Whether `js` can use the seed-and-counter row generator (clash-free types 2 and 3, dense).
pub fn uses_rowgen(network: &Network, js: &JunctionSchedule) -> bool {
    match &network.junction(js.junction).connectivity {
        Connectivity::ClashFree { kind, .. } => *kind != crate::network::ClashFreeKind::Type1,
        Connectivity::Dense => true,
        _ => false,
    }
}

/// Slots in clock-major order that hold an edge, with their (clock, lane).
pub fn busy_slots(
    js: &JunctionSchedule,
) -> impl Iterator<Item = (usize, usize, crate::patterns::Edge)> + '_ {
    js.slots
        .iter()
        .enumerate()
        .filter(|(_, e)| **e != IDLE)
        .map(move |(i, e)| (i / js.z, i % js.z, *e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_pairs_its_levels_while_their_sums_are_narrow() {
        // 8 values of 8 bits: sums of 9 and 10 bits share a stage, the last level its own.
        assert_eq!(tree_registers(8, 8), 0b110);
        assert_eq!(tree_latency(8, 8), 2);
        // 64 values of 10 bits: 11 and 12 bits paired, then 13 to 16 bits a level a stage.
        assert_eq!(tree_registers(64, 10), 0b11_1110);
        assert_eq!(tree_latency(64, 10), 5);
        // Wide sums: every level registered.
        assert_eq!(tree_registers(4, 16), 0b11);
        // One value: no level, no register.
        assert_eq!(tree_registers(1, 8), 0);
        assert_eq!(tree_latency(1, 8), 0);
    }
}
