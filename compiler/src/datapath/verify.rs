//! The timing verifier. It takes the parameters the hardware is built from — the cycle, each
//! junction's starts and phase, the finalise and transfer clocks, every memory's copies, the
//! drain and the latency — and re-derives, element by element, when every memory is written
//! and read: from the stage definitions ([`stage`]), the schedule's slots and the layout's
//! finalise orders, not from the windows the planner sizes the memories with. Each read of a
//! neuron must come after that neuron's write has landed, and no copy may be written for a
//! later input while an earlier one still reads it.

use super::layout::{argmax_latency, Layout, RightSide};
use super::timing::{stage, Memory, Timing, TimingError};
use crate::network::{Cost, Network};
use crate::schedule::{Verified, IDLE};

/// When one element of a memory is accessed for one input, in clocks from the input's cycle
/// start: its writes (a loaded value, a result, or read-modify-writes) and its reads.
#[derive(Clone, Copy, Debug)]
struct Element {
    first_write: i64,
    last_write: i64,
    first_read: i64,
    last_read: i64,
}

/// A memory's elements (`None`: never accessed) and the copies the design gives it.
struct Accesses {
    memory: Memory,
    copies: usize,
    elements: Vec<Option<Element>>,
}

/// Per-neuron facts of one junction, derived from its schedule and layout.
struct Junction {
    pass: i64,
    /// First and last slot clock of each left neuron's edges (`None`: no edges).
    left: Vec<Option<(i64, i64)>>,
    /// First and last slot clock of each right neuron's edges.
    right: Vec<Option<(i64, i64)>>,
    /// The clock, from the pass start, at which each right neuron's activation is written.
    write: Vec<i64>,
    /// Accumulate: each right neuron's finalise step.
    step: Option<Vec<i64>>,
    /// Clocks from the last write to the decision, if this is the output junction.
    decide: i64,
}

/// Checks `timing` against the schedule and layout of `network`; see the module docs.
pub fn verify(
    network: &Network,
    schedule: &Verified,
    layout: &Layout,
    timing: &Timing,
) -> Result<(), TimingError> {
    let p = timing.period as i64;
    let js = junctions(schedule, layout, timing);
    let jn = js.len();
    if jn != timing.junctions.len() || timing.layers.len() != jn {
        return Err(TimingError::JunctionCount);
    }
    let training = network.training.is_some();
    if timing.training != training {
        return Err(TimingError::Training {
            timing: timing.training,
        });
    }
    for (j, (t, f)) in timing.junctions.iter().zip(&js).enumerate() {
        if t.pass as i64 != f.pass || f.pass > p {
            return Err(TimingError::Pass {
                junction: j,
                pass: t.pass,
                period: timing.period,
                scheduled: f.pass as usize,
            });
        }
        let phase = t.phase as i64;
        if t.forward_start.rem_euclid(p) != phase
            || t.backward_start.is_some_and(|u| u.rem_euclid(p) != phase)
        {
            return Err(TimingError::Phase { junction: j });
        }
        if t.backward_start.is_some() != training {
            return Err(TimingError::BackwardPass {
                junction: j,
                training,
            });
        }
        // A hidden accumulating junction moves the δ of each backward pass into its lanes
        // in the pass before; the hardware has the transfer exactly there.
        let transfers = training && f.step.is_some() && j + 1 < jn;
        if t.transfer.is_some() != transfers {
            return Err(TimingError::TransferDatapath {
                junction: j,
                expected: transfers,
            });
        }
        if let (Some((f0, m)), Some(steps)) = (t.finalize, &f.step) {
            let m = m as i64;
            let steps_needed = steps.iter().max().map_or(0, |s| s + 1);
            // The last partial sum lands before the first finalise step reads it, and the
            // steps clear one buffer before the pass after next accumulates into it.
            if m < steps_needed
                || f0 <= f.pass - 1 + stage::PARTIAL
                || m > p
                || f0 + m > 2 * p + stage::PARTIAL
            {
                return Err(TimingError::Finalise { junction: j });
            }
            if let Some(t0) = t.transfer {
                if t0 < stage::FIRST_TRANSFER
                    || t0 + m - 1 + stage::TRANSFER >= p + stage::LEFT_READ
                {
                    return Err(TimingError::Transfer { junction: j });
                }
            }
        } else if t.finalize.is_some() != f.step.is_some() {
            return Err(TimingError::FinaliseDatapath { junction: j });
        }
    }
    if timing.junctions[0].forward_start != p {
        return Err(TimingError::FirstStart);
    }
    if training && p <= stage::UPDATE - stage::LEFT_READ {
        return Err(TimingError::WeightsReread {
            period: timing.period,
        });
    }
    // Every junction has its backward pass while training (checked above).
    if let Some(pipeline) = timing.pipeline().filter(|_| training) {
        pipeline.check(jn).map_err(TimingError::Lags)?;
    }
    let memories = memories(network, &js, timing)?;
    for m in &memories {
        check(m, p)?;
    }
    output_boundaries(timing, &js)?;
    drain_and_latency(timing, &js, &memories)
}

/// An always-ready consumer never waits: the output buffer has a copy per cycle boundary an
/// output spans, from its pass start to its decision.
fn output_boundaries(timing: &Timing, js: &[Junction]) -> Result<(), TimingError> {
    let (t, f) = (
        timing.junctions.last().expect("a junction"),
        js.last().expect("a junction"),
    );
    let last = f.write.iter().max().copied().unwrap_or(0);
    let spanned = ((t.phase as i64 + last + 1 + f.decide) / timing.period as i64 + 1) as usize;
    if t.output_copies < spanned {
        return Err(TimingError::OutputBoundaries {
            copies: t.output_copies,
            spanned,
        });
    }
    Ok(())
}

/// The junctions' per-neuron facts; an accumulating junction finalises from the clock its
/// timing declares (the hardware's parameter), or from the earliest it could.
fn junctions(schedule: &Verified, layout: &Layout, timing: &Timing) -> Vec<Junction> {
    schedule
        .junctions()
        .iter()
        .zip(&layout.junctions)
        .zip(&timing.junctions)
        .map(|((s, l), t)| {
            let mut left = vec![None; s.left_size];
            let mut right = vec![None; s.right_size];
            for (i, e) in s.slots.iter().enumerate() {
                if *e == IDLE {
                    continue;
                }
                let clock = (i / s.z) as i64;
                for (at, n) in [(&mut left, e.left), (&mut right, e.right)] {
                    let span: &mut Option<(i64, i64)> = &mut at[n as usize];
                    *span =
                        Some(span.map_or((clock, clock), |(a, b)| (a.min(clock), b.max(clock))));
                }
            }
            let pass = s.cycles as i64;
            let latency = l.tree_latency() as i64;
            let (write, step) = match &l.right_side {
                RightSide::Tree {
                    groups,
                    clocks_per_neuron,
                    ..
                } => {
                    // A neuron's sum leaves the tree after its last clock's products.
                    let cpn = *clocks_per_neuron as i64;
                    let write = (0..s.right_size)
                        .map(|r| ((r / groups) as i64 + 1) * cpn - 1 + stage::TREE_WRITE + latency)
                        .collect();
                    (write, None)
                }
                RightSide::Accumulate { order, .. } => {
                    let mut step = vec![0i64; s.right_size];
                    for group in order {
                        for (m, r) in group.iter().enumerate() {
                            if let Some(r) = r {
                                step[*r as usize] = m as i64;
                            }
                        }
                    }
                    let f0 = t.finalize.map_or(pass + stage::PARTIAL, |(f0, _)| f0);
                    let write = step
                        .iter()
                        .map(|m| f0 + m + stage::FINALIZE_WRITE + latency)
                        .collect();
                    (write, Some(step))
                }
            };
            Junction {
                pass,
                left,
                right,
                write,
                step,
                decide: argmax_latency(l.right_side.groups()) as i64,
            }
        })
        .collect()
}

/// Every memory with its elements' accesses for one input.
fn memories(
    network: &Network,
    js: &[Junction],
    timing: &Timing,
) -> Result<Vec<Accesses>, TimingError> {
    let p = timing.period as i64;
    let jn = js.len();
    let quadratic = network.training.is_some_and(|t| t.cost == Cost::Quadratic);
    let cost = stage::cost(quadratic);
    let mut out = Vec::new();
    let element = |writes: (i64, i64), reads: &[(i64, i64)]| Element {
        first_write: writes.0,
        last_write: writes.1,
        first_read: reads.iter().map(|r| r.0).min().unwrap_or(i64::MAX),
        last_read: reads.iter().map(|r| r.1).max().unwrap_or(i64::MIN),
    };
    // Each junction with the one before it (whose pass writes its left layer).
    let before = std::iter::once(None).chain(timing.junctions.iter().zip(js).map(Some));
    for (i, ((t, f), before)) in timing.junctions.iter().zip(js).zip(before).enumerate() {
        let s = t.forward_start;
        let shift = |span: (i64, i64), by: i64| (span.0 + by, span.1 + by);
        // The left layer's activations: loaded (layer 0: any clock of the input's cycle) or
        // written by the junction before; read by this one's forward pass and update.
        let activations = f
            .left
            .iter()
            .enumerate()
            .map(|(n, slots)| {
                let slots = (*slots)?;
                let writes = match before {
                    None => (1, p),
                    Some((bt, bf)) => {
                        let w = bt.forward_start + bf.write[n];
                        (w, w)
                    }
                };
                let mut reads = vec![shift(slots, s + stage::LEFT_READ)];
                if let Some(u) = t.backward_start {
                    reads.push(shift(slots, u + stage::LEFT_READ));
                }
                Some(element(writes, &reads))
            })
            .collect();
        out.push(Accesses {
            memory: Memory::Activations { layer: i },
            copies: timing.layers[i].activations,
            elements: activations,
        });
        let Some(u) = t.backward_start else { continue };
        let last = i + 1 == jn;
        // δ sums of the left layer (hidden): read-modify-written by this backward pass, taken
        // by the junction before (at a neuron's first slot, or by its transfer step).
        if let Some((prev, prev_facts)) = before {
            let pu = prev.backward_start.ok_or(TimingError::BackwardPass {
                junction: i - 1,
                training: true,
            })?;
            let sums = f
                .left
                .iter()
                .enumerate()
                .map(|(n, slots)| {
                    let slots = (*slots)?;
                    let take = match (prev.transfer, &prev_facts.step) {
                        (Some(t0), Some(step)) => pu - p + t0 + step[n],
                        _ => pu + stage::TAKE + prev_facts.right[n]?.0,
                    };
                    // From the first add's read to the last add's write; the take reads
                    // and clears.
                    let adds = (
                        slots.0 + u + stage::BACKWARD,
                        slots.1 + u + stage::SUM_WRITE,
                    );
                    Some(element(adds, &[(take, take)]))
                })
                .collect();
            out.push(Accesses {
                memory: Memory::DeltaSums { layer: i },
                copies: timing.layers[i].delta_sums,
                elements: sums,
            });
        }
        // The right layer's derivatives (hidden) and δ (the cost's, or moved into the lanes).
        let per_right = |write: &dyn Fn(usize) -> i64,
                         reads: &dyn Fn(usize, (i64, i64)) -> Vec<(i64, i64)>|
         -> Vec<Option<Element>> {
            f.right
                .iter()
                .enumerate()
                .map(|(r, slots)| {
                    let slots = (*slots)?;
                    let w = write(r);
                    Some(element((w, w), &reads(r, slots)))
                })
                .collect()
        };
        let written = |r: usize| s + f.write[r];
        let along_pass = |_: usize, slots: (i64, i64)| vec![shift(slots, u + stage::LEFT_READ)];
        match (&f.step, t.finalize, t.transfer) {
            (None, _, _) if !last => out.push(Accesses {
                memory: Memory::Derivatives { junction: i },
                copies: t.derivative_copies,
                elements: per_right(&written, &along_pass),
            }),
            (None, _, _) => out.push(Accesses {
                memory: Memory::Deltas { junction: i },
                copies: t.delta_copies,
                elements: per_right(&|r| written(r) + cost, &along_pass),
            }),
            (Some(step), Some((f0, _)), transfer) => {
                let lanes = |r: usize, slots: (i64, i64)| {
                    vec![
                        shift(slots, u + stage::LEFT_READ),
                        (u + f0 + step[r], u + f0 + step[r]),
                    ]
                };
                match transfer {
                    Some(t0) => {
                        let moved = |r: usize| u - p + t0 + step[r];
                        out.push(Accesses {
                            memory: Memory::Derivatives { junction: i },
                            copies: t.derivative_copies,
                            elements: per_right(&written, &|r, _| vec![(moved(r), moved(r))]),
                        });
                        out.push(Accesses {
                            memory: Memory::Deltas { junction: i },
                            copies: t.delta_copies,
                            elements: per_right(&|r| moved(r) + stage::TRANSFER, &lanes),
                        });
                    }
                    None => out.push(Accesses {
                        memory: Memory::Deltas { junction: i },
                        copies: t.delta_copies,
                        elements: per_right(&|r| written(r) + cost, &lanes),
                    }),
                }
            }
            (Some(_), None, _) => return Err(TimingError::FinaliseDatapath { junction: i }),
        }
    }
    // The output buffer: taken at the output pass's start with its label, written along the
    // pass, kept until the output is streamed (the clock after its last write) and, while
    // training, until the cost has read it.
    let (t, f) = (
        timing.junctions.last().expect("a junction"),
        js.last().expect("a junction"),
    );
    let s = t.forward_start;
    let (first, last) = (
        f.write.iter().min().copied().unwrap_or(0),
        f.write.iter().max().copied().unwrap_or(0),
    );
    // The argmax's running best holds one pass at a time, as a pass's writes span at most a
    // period (a tree's span its pass, an accumulator's its finalise steps: both checked above).
    let streamed = s + last + 1 + f.decide;
    let cost_end = if timing.training {
        s + last + cost
    } else {
        streamed
    };
    out.push(Accesses {
        memory: Memory::Outputs,
        copies: t.output_copies,
        elements: vec![Some(element(
            (s, s),
            &[(s + first, streamed.max(cost_end))],
        ))],
    });
    if timing.training {
        // A label is in the ring from the clock after its input's last beat; the output
        // junction stores it the clock after its pass starts.
        let read = s + stage::LABEL;
        out.push(Accesses {
            memory: Memory::Labels,
            copies: timing.label_copies,
            elements: vec![Some(element((1, p), &[(read, read)]))],
        });
    }
    Ok(out)
}

/// Every element's reads follow its last write, and its copy is not written for the input
/// `copies` later (`copies · P` clocks on) before its last access.
fn check(m: &Accesses, p: i64) -> Result<(), TimingError> {
    for (n, e) in m.elements.iter().enumerate() {
        let Some(e) = e else { continue };
        if e.first_read <= e.last_write {
            return Err(TimingError::ReadBeforeWrite {
                memory: m.memory,
                element: n,
                read: e.first_read,
                write: e.last_write,
            });
        }
        let last = e.last_read.max(e.last_write);
        if m.copies == 0 || e.first_write + m.copies as i64 * p <= last {
            return Err(TimingError::CopyReused {
                memory: m.memory,
                copies: m.copies,
                element: n,
                used: last - e.first_write,
            });
        }
    }
    Ok(())
}

/// The sequencer's history covers every input's last access and weight write-back, and the
/// latency is when the last output is written.
fn drain_and_latency(
    timing: &Timing,
    js: &[Junction],
    memories: &[Accesses],
) -> Result<(), TimingError> {
    let p = timing.period as i64;
    let accesses = memories
        .iter()
        .flat_map(|m| m.elements.iter().flatten())
        .map(|e| e.last_read.max(e.last_write));
    let write_backs = timing.junctions.iter().zip(js).filter_map(|(t, f)| {
        let u = t.backward_start?;
        let weights = u + f.pass - 1 + stage::UPDATE;
        let biases = t.finalize.map_or(0, |(f0, m)| u + f0 + m as i64);
        Some(weights.max(biases))
    });
    let last = accesses.chain(write_backs).max().unwrap_or(0);
    if (timing.drain_cycles as i64) * p <= last {
        return Err(TimingError::Drain {
            drain_cycles: timing.drain_cycles,
            last,
        });
    }
    let (t, f) = (
        timing.junctions.last().expect("a junction"),
        js.last().expect("a junction"),
    );
    let ready = t.forward_start + f.write.iter().max().copied().unwrap_or(0) + 1 + f.decide;
    if timing.latency as i64 != ready {
        return Err(TimingError::Latency {
            latency: timing.latency,
            ready,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
