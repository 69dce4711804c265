//! Pipeline timing of the generated datapath: when every junction's passes start, which
//! input each pass serves, and how many copies of each memory the pipeline needs.
//!
//! Time is counted in clocks of the design's clock enable (a stall freezes every junction
//! together, so it changes no distance). A *cycle* is `P` clocks, and input `x` is loaded
//! during cycle `x`. Junction `j` starts a pass every `P` clocks, at phase `φ_j` of the
//! cycle; its forward pass of input `x` starts `s_j` clocks after cycle `x` began, its
//! backward pass and update of `x` (same pass slots, another input) `u_j` clocks after, with
//! `s_j ≡ u_j ≡ φ_j (mod P)`. In cycle units these are the lags of the executor's
//! [`Pipeline`]: `forward[j] = ⌊s_j / P⌋`, `backward[j] = ⌊u_j / P⌋`.
//!
//! *Streaming* timing (the default) keeps `P` at the longest pass and skews the junctions:
//! each forward pass starts as soon as the previous junction's last activation is written,
//! and each backward pass at the first of its junction's pass starts after the δ it needs is
//! complete. Every lane works every clock; the price is more inputs in flight.
//! *Lockstep* timing is the published design's: all junctions start together, forward on
//! `x` in cycle `x + j + 1`, backward in cycle `x + 2J − j`, and `P` is stretched until the
//! pipeline has drained by the end of each cycle.
//!
//! The planner sizes every memory from windows (for one input, when a memory is first and
//! last written and read); `datapath::verify` checks the result independently, element by
//! element, from the stage definitions and the schedule.

use super::layout::{argmax_latency, Layout, RightSide};
use crate::network::{Cost, JunctionId, LayerId, Network};
use crate::schedule::Verified;
use snn_runtime::program::Pipeline;
use std::fmt;

/// Clocks, counted from the clock in which a slot is issued, at which the stages of the
/// junction template act. They are the template's numbers: a change to one is a change to
/// the other, and co-simulation checks that they agree.
pub mod stage {
    /// Clocks from a multiplier's operands to its rounded, saturated product (`snn_mul`: the
    /// DSP48E1's A and B registers, its M register, its P register with the rounding
    /// constant, the saturation).
    pub const MULTIPLY: i64 = 4;
    /// Clocks from a saturated pre-activation to its activation and derivative (`snn_act`:
    /// the pre-activation, the table index, the table, the outputs).
    pub const ACTIVATION: i64 = 4;
    /// Left memories sample the row registered in the issue clock.
    pub const LEFT_READ: i64 = 1;
    /// The output junction stores the label of a pass's forward input the clock after the
    /// pass starts.
    pub const LABEL: i64 = 1;
    /// Tree datapath: a neuron's δ sum is taken (read and cleared) at its first slot.
    pub const TAKE: i64 = 1;
    /// Weights and the left values are registered as a multiplier's operands.
    pub const OPERANDS: i64 = 3;
    /// The δ a lane uses: the taken sum (registered the clock after the take) times the
    /// derivative.
    pub const DELTA: i64 = TAKE + 1 + MULTIPLY;
    /// Accumulate datapath: partial sums are read, added to and written (the forward
    /// products are ready; so is Δb, registered the clock after δ).
    pub const PARTIAL: i64 = OPERANDS + MULTIPLY;
    /// The backward products (w·δ) reach the left layer's δ sums, which are read...
    pub const BACKWARD: i64 = DELTA + MULTIPLY;
    /// ... and written with the products added the clock after.
    pub const SUM_WRITE: i64 = BACKWARD + 1;
    /// Updated weights are written back (Δw = Δb·a, then the saturating sum).
    pub const UPDATE: i64 = PARTIAL + MULTIPLY;
    /// Tree datapath: from the issue of a neuron's last slot to its activation being written
    /// (the products, then the tree, the bias sum and the activation).
    pub const TREE_WRITE: i64 = PARTIAL + 1 + ACTIVATION;
    /// Accumulate datapath: from a finalise step to its neuron's activation being written
    /// (partial sums registered, the tree, the bias sum, the activation).
    pub const FINALIZE_WRITE: i64 = 2 + ACTIVATION;
    /// Accumulate datapath: from a transfer step's take to its lane δ write (the taken sum
    /// registered, then δ's product).
    pub const TRANSFER: i64 = 1 + MULTIPLY;
    /// Accumulate datapath: the earliest clock of a pass at which the transfer may start.
    pub const FIRST_TRANSFER: i64 = 2;
    /// The quadratic cost's clocks from an output to its δ (δ = (a − y)·a' is a product).
    pub const QUADRATIC: i64 = MULTIPLY;
    /// The cross-entropy cost's: the error a − y registered, then rounded and saturated into
    /// δ's register.
    pub const CROSS_ENTROPY: i64 = 2;

    /// Clocks from an output to its δ under the network's cost.
    pub const fn cost(quadratic: bool) -> i64 {
        if quadratic {
            QUADRATIC
        } else {
            CROSS_ENTROPY
        }
    }

    // Δb (the clock after δ) meets the forward products: the bias update shares their stage.
    const _: () = assert!(DELTA + 1 == PARTIAL);
}

/// How the junctions' passes are placed in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Skewed junctions, one input every longest pass.
    Streaming,
    /// All junctions start together; the published design's schedule.
    Lockstep,
}

/// One junction's timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JunctionTiming {
    /// Clocks of its pass (slots issued).
    pub pass: usize,
    /// Where in each cycle its passes start.
    pub phase: usize,
    /// Clocks from an input's cycle start to its forward pass here (`s_j`).
    pub forward_start: i64,
    /// Clocks from an input's cycle start to its backward pass and update here (`u_j`).
    pub backward_start: Option<i64>,
    /// The right layer's writes (activations, or outputs), first and last, from the pass start.
    pub right_writes: (i64, i64),
    /// Output junction, training: the cost's δ writes.
    pub cost_writes: Option<(i64, i64)>,
    /// Output junction: the clock, from the pass start, from which its decision can be read
    /// (the argmax's tree and running best after the last write).
    pub decided: Option<i64>,
    /// Accumulate: the clock of the first finalise step, and the number of steps.
    pub finalize: Option<(i64, usize)>,
    /// Accumulate, training, not the output junction: the clock, in the pass before a
    /// backward pass, of the first step that moves that pass's δ into the lanes.
    pub transfer: Option<i64>,
    /// Copies of the memories the junction owns (0 when it has none).
    pub derivative_copies: usize,
    pub delta_copies: usize,
    pub output_copies: usize,
}

/// Copies of a layer's memories (the left layer of a junction, or the output layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerCopies {
    pub activations: usize,
    /// δ sums (hidden layers, training); 0 when there are none.
    pub delta_sums: usize,
}

/// The network's timing: made by [`plan`], checked by the datapath's verifier, read elsewhere
/// through its accessors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    pub(in crate::datapath) style: Style,
    /// Clocks per cycle: one input enters every `period` clocks.
    pub(in crate::datapath) period: usize,
    pub(in crate::datapath) junctions: Vec<JunctionTiming>,
    /// Copies of layer `i`'s memories, for the left layer of every junction.
    pub(in crate::datapath) layers: Vec<LayerCopies>,
    /// Entries of the label ring (labels wait there until the output junction needs them).
    pub(in crate::datapath) label_copies: usize,
    /// Cycles after its entry by which an input's last write has landed.
    pub(in crate::datapath) drain_cycles: usize,
    /// Clocks from an input's cycle start to its output being ready.
    pub(in crate::datapath) latency: usize,
    pub(in crate::datapath) training: bool,
}

impl Timing {
    /// Streaming (one input per cycle) or lockstep.
    pub fn style(&self) -> Style {
        self.style
    }

    /// Clocks per cycle: one input enters every `period` clocks.
    pub fn period(&self) -> usize {
        self.period
    }

    /// Each junction's pass starts and lags, in network order.
    pub fn junctions(&self) -> &[JunctionTiming] {
        &self.junctions
    }

    /// Copies of layer `i`'s memories, for the left layer of every junction.
    pub fn layers(&self) -> &[LayerCopies] {
        &self.layers
    }

    /// Junction `id`'s pass starts and lags.
    pub fn junction(&self, id: JunctionId) -> &JunctionTiming {
        &self.junctions[id.index()]
    }

    /// The copies of `layer`'s memories (a layer some junction reads).
    pub fn copies(&self, layer: LayerId) -> LayerCopies {
        self.layers[layer.index()]
    }

    /// Entries of the label ring (labels wait there until the output junction needs them).
    pub fn label_copies(&self) -> usize {
        self.label_copies
    }

    /// Cycles after its entry by which an input's last write has landed.
    pub fn drain_cycles(&self) -> usize {
        self.drain_cycles
    }

    /// Clocks from an input's cycle start to its output being ready.
    pub fn latency(&self) -> usize {
        self.latency
    }

    /// Whether the network trains (the backward pass and update are timed).
    pub fn training(&self) -> bool {
        self.training
    }
}

impl Timing {
    /// The executor's pipeline: the same steps, in cycles.
    pub fn pipeline(&self) -> Option<Pipeline> {
        let p = self.period as i64;
        let backward: Option<Vec<usize>> = self
            .junctions
            .iter()
            .map(|j| j.backward_start.map(|u| (u / p) as usize))
            .collect();
        Some(Pipeline {
            forward: self
                .junctions
                .iter()
                .map(|j| (j.forward_start / p) as usize)
                .collect(),
            backward: backward?,
            spacing: 1,
        })
    }

    /// Cycles of input history the sequencer keeps: enough to know every junction's inputs
    /// and whether anything is still in flight.
    pub fn history(&self) -> usize {
        let p = self.period as i64;
        let lags = self
            .junctions
            .iter()
            .flat_map(|j| std::iter::once(j.forward_start).chain(j.backward_start))
            .map(|start| (start / p) as usize)
            .max()
            .unwrap_or(1);
        (self.drain_cycles - 1).max(lags).max(2)
    }

    /// What the design does in steady state when every input arrives as `beats` beats of
    /// the input stream, one per clock: the figures every command prints.
    pub fn stream(&self, beats: usize) -> Stream {
        Stream {
            clocks_per_input: self.period.max(beats),
            latency: self.first_output_clocks(usize::MAX, beats),
            input_bound: beats > self.period,
        }
    }

    /// Clocks of a run of `n` inputs, from its first clock to its last, when the input stream
    /// delivers `beats` beats per input without a gap and the output stream is always ready:
    /// a cycle per input and per cycle of history, plus the input stream's waits.
    pub fn run_clocks(&self, n: usize, beats: usize) -> usize {
        (n + self.history()) * self.period + n * beats.saturating_sub(self.period) + 1
    }

    /// Clocks from a run's first clock to its first output under the same stream: the
    /// latency, plus the input stream's waits at the cycle boundaries before it.
    pub fn first_output_clocks(&self, n: usize, beats: usize) -> usize {
        let boundaries = (self.latency - 1) / self.period;
        self.latency + boundaries.min(n) * beats.saturating_sub(self.period)
    }

    /// Inputs in flight while training (from loading to the last update).
    pub fn inputs_in_flight(&self) -> usize {
        self.pipeline().map_or(
            (self.junctions.last().map_or(0, |j| j.forward_start) / self.period as i64) as usize
                + 1,
            |p| p.in_flight(),
        )
    }
}

/// Throughput and latency under an input stream ([`Timing::stream`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Stream {
    /// Clocks between inputs: the cycle, or the input's beats when they take longer (the
    /// datapath then waits at each cycle boundary for the rest of the input).
    pub clocks_per_input: usize,
    /// Clocks from an input's first beat to its output, waits at boundaries included.
    pub latency: usize,
    /// Whether the input stream, not the datapath, sets the pace.
    pub input_bound: bool,
}

/// What the timing needs to know about each junction's datapath.
struct Facts {
    pass: i64,
    tree: bool,
    /// Tree: clocks per neuron.
    clocks_per_neuron: i64,
    tree_latency: i64,
    /// Accumulate: finalise steps.
    steps: i64,
    /// Output junction: clocks from the last write to the decision ([`argmax_latency`]).
    decide: i64,
}

fn facts(schedule: &Verified, layout: &Layout) -> Vec<Facts> {
    schedule
        .junctions()
        .iter()
        .zip(&layout.junctions)
        .map(|(js, jl)| {
            let (tree, clocks_per_neuron, steps) = match &jl.right_side {
                RightSide::Tree {
                    clocks_per_neuron, ..
                } => (true, *clocks_per_neuron as i64, 0),
                RightSide::Accumulate { order, .. } => (false, 1, order[0].len() as i64),
            };
            Facts {
                pass: js.cycles as i64,
                tree,
                clocks_per_neuron,
                tree_latency: jl.tree_latency() as i64,
                steps,
                decide: argmax_latency(jl.right_side.groups()) as i64,
            }
        })
        .collect()
}

/// The timing of `network`'s datapath in `style`; an error only when the bounded search for a
/// lockstep cycle finds none (a compiler bug). The result is not checked here: that is
/// `datapath::verify`'s work.
pub fn plan(
    network: &Network,
    schedule: &Verified,
    layout: &Layout,
    style: Style,
) -> Result<Timing, TimingError> {
    let facts = facts(schedule, layout);
    let training = network.training.is_some();
    let quadratic = network.training.is_some_and(|t| t.cost == Cost::Quadratic);
    let longest = facts.iter().map(|f| f.pass).max().unwrap_or(1);
    // While training, weights are read again one period after their write-back; an
    // accumulate junction finalises once per period, and moves δ into its lanes within one,
    // starting no earlier than the third clock of a pass (once the pass's flags and pointers
    // are set).
    let mut period = if training {
        longest.max(stage::UPDATE)
    } else {
        longest
    };
    for (j, f) in facts.iter().enumerate() {
        if !f.tree {
            let transfer = training && j + 1 < facts.len();
            // The last transfer step's lane δ must land before the next pass reads it.
            let transfer_span = f.steps + stage::TRANSFER - stage::LEFT_READ;
            period = period.max(if transfer {
                stage::FIRST_TRANSFER + transfer_span
            } else {
                f.steps
            });
        }
    }
    match style {
        Style::Streaming => Ok(streaming(&facts, period, training, quadratic)),
        Style::Lockstep => {
            // A cycle as long as every junction's pass and write-back laid end to end
            // drains any pipeline; past that the search has a bug.
            let bound = period
                + facts
                    .iter()
                    .map(|f| f.pass + f.steps + stage::TREE_WRITE + f.tree_latency)
                    .sum::<i64>()
                + stage::UPDATE
                + stage::QUADRATIC;
            (period..=bound)
                .map(|p| lockstep(&facts, p, training, quadratic))
                .find(drained)
                .ok_or(TimingError::NoLockstepCycle {
                    from: period,
                    to: bound,
                })
        }
    }
}

/// The clocks of a junction's events at period `p`, with its starts still open.
fn junction(f: &Facts, p: i64, training: bool, last: bool, quadratic: bool) -> JunctionTiming {
    let (right_writes, finalize) = if f.tree {
        let write = stage::TREE_WRITE + f.tree_latency;
        ((f.clocks_per_neuron - 1 + write, f.pass - 1 + write), None)
    } else {
        let f0 = f.pass + stage::PARTIAL;
        let write = stage::FINALIZE_WRITE + f.tree_latency;
        (
            (f0 + write, f0 + f.steps - 1 + write),
            Some((f0, f.steps as usize)),
        )
    };
    let cost = stage::cost(quadratic);
    JunctionTiming {
        pass: f.pass as usize,
        phase: 0,
        forward_start: 0,
        backward_start: None,
        right_writes,
        cost_writes: (training && last).then_some((right_writes.0 + cost, right_writes.1 + cost)),
        decided: last.then_some(right_writes.1 + 1 + f.decide),
        finalize,
        // As late as the next pass allows: the most time for the sums it needs.
        transfer: (training && !last && !f.tree)
            .then_some(p - f.steps - (stage::TRANSFER - stage::LEFT_READ)),
        derivative_copies: 0,
        delta_copies: 0,
        output_copies: 0,
    }
}

/// The earliest backward start of junction `j` (≡ its forward start mod `p`) that the δ it
/// needs allows: after the cost (output junction) or after junction `j + 1`'s backward pass.
fn earliest_backward(ts: &[JunctionTiming], facts: &[Facts], j: usize, p: i64) -> i64 {
    let t = &ts[j];
    let f = &facts[j];
    let need = if j + 1 == ts.len() {
        let cost = t.cost_writes.expect("the output junction trains");
        if f.tree {
            // Forward and backward walk the neurons in the same order, so each neuron's δ
            // only has to be written before its own first read: compare the first neuron's.
            t.forward_start + cost.0
        } else {
            t.forward_start + cost.1
        }
    } else {
        let sums_done =
            ts[j + 1].backward_start.expect("planned") + facts[j + 1].pass - 1 + stage::SUM_WRITE;
        // The first read of the sums must come after their last write.
        let first_read = match t.transfer {
            Some(t0) => t0 - p,
            None => stage::TAKE,
        };
        sums_done + 1 - first_read
    };
    align_up(need, t.forward_start.rem_euclid(p), p)
}

/// The smallest `w ≥ v` with `w ≡ phase (mod p)`.
fn align_up(v: i64, phase: i64, p: i64) -> i64 {
    v + (phase - v).rem_euclid(p)
}

fn streaming(facts: &[Facts], p: i64, training: bool, quadratic: bool) -> Timing {
    let jn = facts.len();
    let mut ts: Vec<JunctionTiming> = facts
        .iter()
        .enumerate()
        .map(|(j, f)| junction(f, p, training, j + 1 == jn, quadratic))
        .collect();
    // Junction 0 starts the cycle after its input was loaded; each next junction as soon as
    // the last activation it reads has been written.
    let mut start = p;
    for t in ts.iter_mut() {
        t.forward_start = start;
        t.phase = start.rem_euclid(p) as usize;
        start += t.right_writes.1;
    }
    if training {
        for j in (0..jn).rev() {
            ts[j].backward_start = Some(earliest_backward(&ts, facts, j, p));
        }
    }
    finish(ts, Style::Streaming, p, training)
}

fn lockstep(facts: &[Facts], p: i64, training: bool, quadratic: bool) -> Timing {
    let jn = facts.len();
    let ts = facts
        .iter()
        .enumerate()
        .map(|(j, f)| JunctionTiming {
            forward_start: (j as i64 + 1) * p,
            backward_start: training.then_some((2 * jn - j) as i64 * p),
            ..junction(f, p, training, j + 1 == jn, quadratic)
        })
        .collect();
    finish(ts, Style::Lockstep, p, training)
}

/// Copies and drain of planned starts.
fn finish(mut ts: Vec<JunctionTiming>, style: Style, p: i64, training: bool) -> Timing {
    let uses = memory_uses(&ts, p, training);
    let copies = |memory: Memory| {
        uses.iter()
            .find(|u| u.memory == memory)
            .map_or(0, |u| u.copies)
    };
    // Memories addressed {copy, index} keep at least two copies, so that the copy is a
    // real address bit.
    let addressed = |n: usize| if n == 0 { 0 } else { n.max(2) };
    let last = ts.len() - 1;
    for (j, t) in ts.iter_mut().enumerate() {
        t.derivative_copies = addressed(copies(Memory::Derivatives { junction: j }));
        t.delta_copies = addressed(copies(Memory::Deltas { junction: j }));
        t.output_copies = if j == last {
            addressed(copies(Memory::Outputs))
        } else {
            0
        };
    }
    let layers = (0..ts.len())
        .map(|layer| LayerCopies {
            activations: copies(Memory::Activations { layer }),
            delta_sums: copies(Memory::DeltaSums { layer }),
        })
        .collect();
    // An input is done when its last memory access and its last weight and bias write-back
    // have landed.
    let write_backs = ts.iter().filter_map(|t| {
        let u = t.backward_start?;
        let weights = u + t.pass as i64 - 1 + stage::UPDATE;
        let biases = t.finalize.map_or(0, |(f0, m)| u + f0 + m as i64);
        Some(weights.max(biases))
    });
    let last_event = uses
        .iter()
        .flat_map(|u| u.reads.iter().map(|a| a.1).chain([u.writes.1]))
        .chain(write_backs)
        .max()
        .unwrap_or(0);
    let out = ts.last().expect("a junction");
    let latency = (out.forward_start + decided(out)) as usize;
    Timing {
        style,
        period: p as usize,
        label_copies: copies(Memory::Labels),
        drain_cycles: (last_event / p) as usize + 1,
        latency,
        junctions: ts,
        layers,
        training,
    }
}

/// The output junction's decision clock, from its pass start.
fn decided(out: &JunctionTiming) -> i64 {
    out.decided.expect("the output junction decides")
}

/// One of the datapath's memories. Each holds a copy per input in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// Layer `layer`'s activations (the input, or a hidden layer), as junction `layer` reads
    /// them.
    Activations { layer: usize },
    /// Hidden layer `layer`'s δ sums, accumulated by junction `layer`'s backward pass.
    DeltaSums { layer: usize },
    /// The activation derivatives of junction `junction`'s right layer.
    Derivatives { junction: usize },
    /// The δ of junction `junction`'s right layer: the cost's (output junction), or moved
    /// into the lanes (accumulating junctions).
    Deltas { junction: usize },
    /// The output junction's output buffer.
    Outputs,
    /// The ring in which labels wait for the output junction (training).
    Labels,
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Memory::Activations { layer } => write!(f, "the activations of layer {layer}"),
            Memory::DeltaSums { layer } => write!(f, "the δ sums of layer {layer}"),
            Memory::Derivatives { junction } => {
                write!(f, "the derivatives of junction {junction}")
            }
            Memory::Deltas { junction } => write!(f, "the δ of junction {junction}"),
            Memory::Outputs => write!(f, "the output buffer"),
            Memory::Labels => write!(f, "the label ring"),
        }
    }
}

/// One memory as the pipeline uses it: for one input, its write window and every access
/// window, in clocks from the input's cycle start; inputs `copies` apart share a copy.
#[derive(Clone, Debug)]
struct MemoryUse {
    memory: Memory,
    copies: usize,
    writes: (i64, i64),
    /// Every read window (a take that also clears counts as a read).
    reads: Vec<(i64, i64)>,
    /// Reads that walk the same order as the writes: each element is read after its own
    /// write, so only the first and last elements need comparing.
    aligned: bool,
}

fn memory_uses(ts: &[JunctionTiming], p: i64, training: bool) -> Vec<MemoryUse> {
    let jn = ts.len();
    let mut uses = Vec::new();
    let shift = |w: (i64, i64), by: i64| (w.0 + by, w.1 + by);
    let mut add = |memory: Memory, writes: (i64, i64), reads: Vec<(i64, i64)>, aligned: bool| {
        // An element lives from its write to its last read. Reads aligned with the writes
        // and as long keep every element equally long; otherwise the first write and the
        // last read bound them all.
        let lifetime = if aligned && reads.iter().all(|r| r.1 - r.0 == writes.1 - writes.0) {
            reads.iter().map(|r| r.1 - writes.1).fold(0, i64::max)
        } else {
            reads.iter().map(|a| a.1).fold(writes.1, i64::max) - writes.0
        };
        uses.push(MemoryUse {
            memory,
            copies: (lifetime / p + 1) as usize,
            writes,
            reads,
            aligned,
        });
    };
    for (i, t) in ts.iter().enumerate() {
        let s = t.forward_start;
        let c = t.pass as i64;
        // Left activations: loaded (layer 0) or written by the previous junction.
        let writes = if i == 0 {
            (1, p)
        } else {
            shift(ts[i - 1].right_writes, ts[i - 1].forward_start)
        };
        let mut reads = vec![(s + stage::LEFT_READ, s + c)];
        if let Some(u) = t.backward_start {
            reads.push((u + stage::LEFT_READ, u + c));
        }
        add(Memory::Activations { layer: i }, writes, reads, false);
        let Some(u) = t.backward_start.filter(|_| training) else {
            continue;
        };
        let last = i + 1 == jn;
        // δ sums of the left layer: read-modify-written here, taken by junction i − 1.
        if i > 0 {
            let prev = &ts[i - 1];
            let pu = prev.backward_start.expect("planned");
            let take = match (prev.transfer, prev.finalize) {
                (Some(t0), Some((_, m))) => (pu - p + t0, pu - p + t0 + m as i64 - 1),
                _ => (pu + stage::TAKE, pu + prev.pass as i64),
            };
            // From the first add's read to the last add's write; a take reads and clears.
            add(
                Memory::DeltaSums { layer: i },
                (u + stage::BACKWARD, u + c - 1 + stage::SUM_WRITE),
                vec![take],
                false,
            );
        }
        match (t.finalize, last) {
            // Tree: derivatives (hidden) or the cost's δ (output), read along the pass.
            (None, false) => add(
                Memory::Derivatives { junction: i },
                shift(t.right_writes, s),
                vec![(u + stage::LEFT_READ, u + c)],
                false,
            ),
            (None, true) => add(
                Memory::Deltas { junction: i },
                shift(t.cost_writes.expect("training"), s),
                vec![(u + stage::LEFT_READ, u + c)],
                true,
            ),
            // Accumulate: derivatives until the transfer; lane δ until the pass and the
            // finalise steps' bias update.
            (Some((f0, m)), _) => {
                let m = m as i64;
                let lane_reads = vec![(u + stage::LEFT_READ, u + c), (u + f0, u + f0 + m - 1)];
                if let Some(t0) = t.transfer {
                    // Finalise steps write them, transfer steps read them, both in step order.
                    let transfer = (u - p + t0, u - p + t0 + m - 1);
                    add(
                        Memory::Derivatives { junction: i },
                        shift(t.right_writes, s),
                        vec![transfer],
                        true,
                    );
                    add(
                        Memory::Deltas { junction: i },
                        shift(transfer, stage::TRANSFER),
                        lane_reads,
                        false,
                    );
                } else {
                    add(
                        Memory::Deltas { junction: i },
                        shift(t.cost_writes.expect("training"), s),
                        lane_reads,
                        false,
                    );
                }
            }
        }
    }
    // The output buffer: the label stored at the pass start, read by the cost; the outputs
    // written along the pass and kept until streamed out.
    let out = ts.last().expect("a junction");
    let s = out.forward_start;
    let streamed = s + decided(out);
    let cost_end = out.cost_writes.map_or(streamed, |c| s + c.1);
    add(
        Memory::Outputs,
        (s, s),
        vec![(s + out.right_writes.0, streamed.max(cost_end))],
        false,
    );
    // A label is in its ring entry from the clock after it is accepted with the input's last
    // beat (accepted at clock 0 of its cycle at the earliest, by the cycle boundary at the
    // latest); the window counts those clocks.
    let label_read = s + stage::LABEL;
    add(
        Memory::Labels,
        (1, p),
        vec![(label_read, label_read)],
        false,
    );
    // The output stream waits at a cycle boundary while every output copy is taken: enough
    // copies that an always-ready consumer never makes it wait.
    let at_boundary = ((out.phase as i64 + decided(out)) / p + 1) as usize;
    for u in uses.iter_mut().filter(|u| u.memory == Memory::Outputs) {
        u.copies = u.copies.max(at_boundary);
    }
    uses
}

/// Lockstep's rule: a cycle lasts until the pipeline has drained, so that each memory's
/// reads of an input come after all of its writes (reads in the writes' order: after the
/// first and the last). The lockstep search stretches the cycle until it holds; whether the
/// result is right is for `datapath::verify` to say.
fn drained(timing: &Timing) -> bool {
    let uses = memory_uses(&timing.junctions, timing.period as i64, timing.training);
    uses.iter().all(|u| {
        u.reads.iter().all(|&(first, last)| {
            if u.aligned {
                first > u.writes.0 && last > u.writes.1
            } else {
                first > u.writes.1
            }
        })
    })
}

/// A broken timing invariant: a compiler bug, never a user error. Clocks are counted from
/// an input's cycle start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimingError {
    #[error("no lockstep cycle of {from} to {to} clocks drains the pipeline")]
    NoLockstepCycle { from: i64, to: i64 },
    #[error("the timing has a different number of junctions")]
    JunctionCount,
    #[error("{}", if *.timing { "the timing trains, the network does not" } else { "the network trains, the timing does not" })]
    Training {
        /// Whether the timing trains.
        timing: bool,
    },
    #[error("junction {junction}: a {pass}-clock pass in a {period}-clock cycle (the schedule has {scheduled})")]
    Pass {
        junction: usize,
        pass: usize,
        period: usize,
        scheduled: usize,
    },
    #[error("junction {junction} starts a pass outside its phase")]
    Phase { junction: usize },
    #[error("the first junction must start the cycle after its input loads")]
    FirstStart,
    #[error("junction {junction} {}", if *.training { "trains without a backward pass" } else { "has a backward pass but the network does not train" })]
    BackwardPass { junction: usize, training: bool },
    #[error("junction {junction}: finalise steps on the wrong datapath")]
    FinaliseDatapath { junction: usize },
    #[error("junction {junction} cannot finalise within its cycle")]
    Finalise { junction: usize },
    #[error("junction {junction} {}", if *.expected { "moves δ into its lanes but has no transfer step" } else { "has a transfer step but moves no δ into its lanes" })]
    TransferDatapath {
        junction: usize,
        /// Whether the junction's datapath transfers.
        expected: bool,
    },
    #[error("junction {junction} cannot move δ into its lanes in time")]
    Transfer { junction: usize },
    #[error(
        "weights written back {} clocks after their read are read again after {period}",
        stage::UPDATE
    )]
    WeightsReread { period: usize },
    /// The executor's pipeline rejects the lags (its message is `snn_runtime`'s).
    #[error("{0}")]
    Lags(String),
    #[error(
        "{memory}: element {element} is read at clock {read} before its write at {write} lands"
    )]
    ReadBeforeWrite {
        memory: Memory,
        element: usize,
        read: i64,
        write: i64,
    },
    #[error("{memory}: {copies} copies, but element {element} is still used {used} clocks after it is first written")]
    CopyReused {
        memory: Memory,
        copies: usize,
        element: usize,
        used: i64,
    },
    #[error(
        "the output buffer has {copies} copies, but an output spans {spanned} cycle boundaries"
    )]
    OutputBoundaries { copies: usize, spanned: usize },
    #[error("an input is done {drain_cycles} cycles after it enters, but its last access is at clock {last}")]
    Drain { drain_cycles: usize, last: i64 },
    #[error("the latency is {latency} clocks, but the last output is decided by clock {ready}")]
    Latency { latency: usize, ready: i64 },
}
