//! How fast a generated design can be clocked: the worst path between registers, estimated
//! from the synthesised netlist ([`netlist`], after Yosys) or from the hardware model alone
//! ([`model`], for `snnc check`), both with the cell delays of [`delays`] and the same
//! routing allowance; docs/timing.md states the method, its sources and what it does not see.

pub mod cells;
pub mod delays;
pub mod model;
pub mod netlist;

use serde::Serialize;

/// One step of a path: the cell (and pins) it crosses, the signal it reaches, and the
/// arrival there, from the launching clock edge.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub at_ps: u64,
    pub cell: String,
    /// Where in the generated RTL the cell comes from (`tiny_output.v:212`), when known.
    pub source: String,
    pub signal: String,
}

/// A path between registers and its delay, split into the cells' and the routing's.
#[derive(Clone, Debug, Serialize)]
pub struct Path {
    pub steps: Vec<Step>,
    pub total_ps: u64,
    pub cell_ps: u64,
    pub routing_ps: u64,
    /// LUTs and carry chains (CARRY4) the path crosses.
    pub luts: usize,
    pub carry4: usize,
}

impl Path {
    pub fn new(steps: Vec<Step>, total_ps: u64, routing_ps: u64) -> Path {
        let count = |prefix: &str| steps.iter().filter(|s| s.cell.starts_with(prefix)).count();
        Path {
            luts: count("LUT"),
            carry4: count("CARRY4"),
            cell_ps: total_ps - routing_ps,
            total_ps,
            routing_ps,
            steps,
        }
    }
}

/// The highest clock a path of `total_ps` allows, in MHz.
pub fn mhz(total_ps: u64) -> f64 {
    if total_ps == 0 {
        f64::INFINITY
    } else {
        1e6 / total_ps as f64
    }
}

/// A design's clock against the estimate: meets it, or misses it by how much.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub clock_mhz: f64,
    pub fmax_mhz: f64,
    /// Slack at the model's clock, in ps (negative: missed).
    pub slack_ps: i64,
}

impl Verdict {
    /// A worst path (or stage) of `total_ps` against a clock of `clock_mhz`.
    pub fn new(total_ps: u64, clock_mhz: f64) -> Verdict {
        let period_ps = (1e6 / clock_mhz).round() as i64;
        Verdict {
            clock_mhz,
            fmax_mhz: mhz(total_ps),
            slack_ps: period_ps - total_ps as i64,
        }
    }

    pub fn meets(&self) -> bool {
        self.slack_ps >= 0
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.meets() {
            write!(
                f,
                "meets {} MHz ({:.2} ns of slack)",
                self.clock_mhz,
                self.slack_ps as f64 / 1000.0
            )
        } else {
            write!(
                f,
                "misses {} MHz by {:.2} ns",
                self.clock_mhz,
                -self.slack_ps as f64 / 1000.0
            )
        }
    }
}

impl Path {
    /// The path in a line, in the design's names: each block it crosses (`hidden`,
    /// `mem_hidden`, `top`), and in it the instances and signals it passes
    /// (`hidden: a_up_product → update_lane[0].update_mul`).
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let mut block = "";
        let mut last = String::new();
        for step in &self.steps {
            let Some((b, place)) = place(&step.signal) else {
                continue;
            };
            if b != block {
                if !out.is_empty() {
                    out.push_str("; ");
                }
                out.push_str(b);
                out.push_str(": ");
                block = b;
                last.clear();
            } else if place == last {
                continue;
            } else {
                out.push_str(" → ");
            }
            out.push_str(&place);
            last = place;
        }
        out
    }
}

/// A public signal's block (`u_hidden` → `hidden`; the top level's own signals → `top`) and
/// its place there: the first two levels of its name, without the bit index
/// (`u_hidden.update_lane[0].update_mul.luts.partial[3].sum[6]` →
/// `update_lane[0].update_mul`).
fn place(signal: &str) -> Option<(&str, String)> {
    if signal.is_empty() {
        return None;
    }
    let base = match signal.rfind('[') {
        Some(i) if signal.ends_with(']') => &signal[..i],
        _ => signal,
    };
    let base = base.strip_prefix('\\').unwrap_or(base);
    let (block, rest) = match base.strip_prefix("u_").and_then(|b| b.split_once('.')) {
        Some((block, rest)) => (block, rest),
        None => ("top", base),
    };
    let place: Vec<&str> = rest.split('.').take(2).collect();
    Some((block, place.join(".")))
}
