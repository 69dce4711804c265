//! Pipeline timing of the emitted datapath: stage latencies, the junction cycle, inputs in
//! flight, and how many copies of each memory the pipelined schedule needs.
//!
//! Training follows the published pipeline: every junction starts its pass at the same
//! clock, and a junction cycle lasts until the slowest junction's last write has landed
//! (`C + drain`), because forward passes need the previous layer finished and backward
//! passes the next one. Inference has only forward passes, so junction `j` starts its pass
//! `drain_j` clocks after junction `j − 1` instead and every lane is busy every clock: one
//! input per `C` clocks.

use super::{JunctionSchedule, Mode};

/// Clocks between a δ read and its write becoming readable: the δ memories read
/// asynchronously and write at the clock edge, so an access sees the previous clock's write.
pub const RMW_LATENCY: usize = 1;

/// Latencies, in clocks, of the datapath stages the backend emits.
pub mod stage {
    /// Slot counter to registered memory addresses.
    pub const ADDRESS: usize = 1;
    /// Synchronous memory read.
    pub const READ: usize = 1;
    /// Registered crossbar between banks and lanes (only when the schedule needs one).
    pub const CROSSBAR: usize = 1;
    /// Product register, then rounding and saturation register.
    pub const MULTIPLY: usize = 2;
    /// Adder-tree levels between two registers.
    pub const TREE_LEVELS_PER_STAGE: usize = 2;
    /// Accumulation across clocks and bias addition.
    pub const ACCUMULATE: usize = 1;
    /// Activation table read.
    pub const ACTIVATION: usize = 1;
    /// Registered write into the next layer's memory.
    pub const WRITE: usize = 1;
}

/// Registered stages of an adder tree over `inputs` values.
pub fn tree_stages(inputs: usize) -> usize {
    let levels = inputs.next_power_of_two().trailing_zeros() as usize;
    levels.div_ceil(stage::TREE_LEVELS_PER_STAGE)
}

/// Clocks from a junction's first slot to its operands reaching the multipliers.
fn operand_latency(js: &JunctionSchedule) -> usize {
    let crossbar = match js.crossbar {
        super::Crossbar::None => 0,
        super::Crossbar::Full => stage::CROSSBAR,
    };
    stage::ADDRESS + stage::READ + crossbar
}

/// Clocks after the last slot of a forward pass until its last activation is written.
pub fn forward_drain(js: &JunctionSchedule) -> usize {
    let finish = stage::ACCUMULATE + stage::ACTIVATION + stage::WRITE;
    operand_latency(js)
        + stage::MULTIPLY
        + match &js.mode {
            Mode::Tree { group, .. } => tree_stages(*group) + finish,
            // Partial sums land, then one finalise clock per neuron of the largest group,
            // through the tree over the group's lanes.
            Mode::Accumulate { group, neurons } => {
                stage::ACCUMULATE
                    + neurons.iter().map(Vec::len).max().unwrap_or(0)
                    + tree_stages(*group)
                    + finish
            }
        }
}

/// Clocks after the last slot of a backward pass until its last δ accumulation lands.
pub fn backward_drain(js: &JunctionSchedule) -> usize {
    // δ_R · a'_R is formed on the way in (one multiply), then w · δ, then read-modify-write.
    operand_latency(js) + 2 * stage::MULTIPLY + RMW_LATENCY
}

/// Clocks after the last slot until its weight update is written back.
pub fn update_drain(js: &JunctionSchedule) -> usize {
    operand_latency(js) + 2 * stage::MULTIPLY + stage::WRITE
}

/// Network-wide timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Clocks per pass of the slowest junction.
    pub pass: usize,
    /// The training junction cycle: every junction's pass plus its drain.
    pub training_cycle: usize,
    /// Clocks per input when inferring: the slowest pass (junctions are skewed, not drained).
    pub inference_cycle: usize,
    /// Inputs in flight while training: 2J + 1.
    pub inputs_in_flight: usize,
    /// Clocks from an input's first clock to its decision when inferring.
    pub inference_latency: usize,
    /// Copies of each layer's memories, input layer first.
    pub copies: Vec<Copies>,
}

/// How many copies of a layer's memories rotate through the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Copies {
    pub activations_training: usize,
    pub derivatives_training: usize,
    pub deltas_training: usize,
    pub activations_inference: usize,
}

/// Timing of a network whose junctions are scheduled as `junctions`.
pub fn timing(junctions: &[JunctionSchedule]) -> Timing {
    let j = junctions.len();
    let pass = junctions.iter().map(|s| s.cycles).max().unwrap_or(0);
    let drain = junctions
        .iter()
        .map(|s| forward_drain(s).max(backward_drain(s)).max(update_drain(s)))
        .max()
        .unwrap_or(0);
    let copies = (0..=j)
        .map(|layer| Copies {
            // Layer i's activations are written at cycle t + i and last read by the update of
            // junction i + 1 at cycle t + 2J − i.
            activations_training: if layer < j { 2 * (j - layer) + 1 } else { 1 },
            // a' of a hidden layer lives until junction i forms δ_i at cycle t + 2J + 1 − i.
            derivatives_training: if layer > 0 && layer < j {
                2 * (j - layer) + 2
            } else {
                0
            },
            // δ of a layer is written during one cycle and read during the next.
            deltas_training: if layer > 0 { 2 } else { 0 },
            activations_inference: 2,
        })
        .collect();
    Timing {
        pass,
        training_cycle: pass + drain,
        inference_cycle: pass,
        inputs_in_flight: 2 * j + 1,
        inference_latency: junctions.iter().map(|s| s.cycles + forward_drain(s)).sum(),
        copies,
    }
}
