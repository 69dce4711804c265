//! Static timing of a synthesised netlist: Yosys's flattened top module as JSON (`json -o`),
//! every cell timed by [`super::cells`], every net crossed charged the routing allowance of
//! [`super::delays::routing`]; the worst register-to-register path, with and without routing.

use super::cells::{self, CellTiming, INTERNAL};
use super::delays;
use super::{Path, Step};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Deserialize)]
struct Json {
    modules: HashMap<String, Module>,
}

#[derive(Deserialize)]
struct Module {
    #[serde(default)]
    ports: HashMap<String, Port>,
    #[serde(default)]
    cells: BTreeMap<String, Cell>,
    #[serde(default)]
    netnames: HashMap<String, NetName>,
}

#[derive(Deserialize)]
struct Port {
    direction: String,
    bits: Vec<Bit>,
}

#[derive(Deserialize)]
struct Cell {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    attributes: HashMap<String, serde_json::Value>,
    #[serde(default)]
    parameters: HashMap<String, serde_json::Value>,
    #[serde(default)]
    connections: HashMap<String, Vec<Bit>>,
}

#[derive(Deserialize)]
struct NetName {
    hide_name: u8,
    bits: Vec<Bit>,
}

/// A connection: a net's number, or a constant (`"0"`, `"1"`, `"x"`), which no path crosses.
#[derive(Deserialize)]
#[serde(untagged)]
enum Bit {
    Net(u32),
    Const(serde::de::IgnoredAny),
}

/// Why a netlist could not be timed.
#[derive(Debug, thiserror::Error)]
pub enum NetlistError {
    #[error("the netlist is not Yosys JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the netlist has no module `{0}`")]
    NoTop(String),
}

/// One arc of the timing graph: from a node to a node, through a cell.
struct Arc {
    from: usize,
    to: usize,
    ps: u32,
    /// Whether the input crosses general routing (not a dedicated connection).
    routed: bool,
    cell: usize,
    pins: (&'static str, &'static str),
}

/// A timed netlist: every worst path is read from it.
pub struct Analysis {
    /// The worst path with the routing allowance.
    pub worst: Path,
    /// The worst path by cell delay alone (what Yosys's `sta` measures).
    pub worst_cells: Path,
    /// Cells whose type has no timing model (they cut the paths through them), by type.
    pub untimed: BTreeMap<String, usize>,
}

/// Times the module `top` of a Yosys JSON netlist.
pub fn analyse(json: &str, top: &str) -> Result<Analysis, NetlistError> {
    let netlist: Json = serde_json::from_str(json)?;
    let module = netlist
        .modules
        .get(top)
        .ok_or_else(|| NetlistError::NoTop(top.to_string()))?;
    let graph = Graph::build(module);
    let worst = graph.worst(true);
    let worst_cells = graph.worst(false);
    Ok(Analysis {
        worst: graph.path(module, &worst, true),
        worst_cells: graph.path(module, &worst_cells, false),
        untimed: graph.untimed,
    })
}

/// An endpoint: a node captured by a clock, with its setup time.
struct Capture {
    node: usize,
    setup: u32,
    routed: bool,
    /// The capturing cell (`None`: an output port) and pin.
    cell: Option<usize>,
    pin: &'static str,
}

struct Graph {
    nodes: Nodes,
    arcs: Vec<Arc>,
    /// Clock-to-out of the nodes a clock launches, and what launches them.
    launches: HashMap<usize, (u32, Launch)>,
    captures: Vec<Capture>,
    /// Paths inside a cell, register to register: the cell, what they are, their delay.
    internal: Vec<(String, &'static str, u32)>,
    /// Sinks of every node (cell input bits and output ports).
    fanout: Vec<usize>,
    /// The arcs in topological order: each after every arc into its source.
    order: Vec<usize>,
    untimed: BTreeMap<String, usize>,
    /// Every timed cell: its type, and where in the generated RTL it comes from.
    cells: Vec<(String, String)>,
    /// The first node each cell's clock launches (a register's Q): names what it captures.
    registers: HashMap<usize, usize>,
}

/// What launches a node: a cell's output pin, or an input port.
#[derive(Clone, Copy)]
enum Launch {
    Cell(usize, &'static str),
    Port,
}

/// The graph's nodes: one per net, and one per point inside a cell that arcs share.
#[derive(Default)]
struct Nodes {
    of_net: HashMap<u32, usize>,
    count: usize,
}

impl Nodes {
    fn net(&mut self, bit: &Bit) -> Option<usize> {
        match bit {
            Bit::Net(n) => Some(*self.of_net.entry(*n).or_insert_with(|| {
                self.count += 1;
                self.count - 1
            })),
            Bit::Const(_) => None,
        }
    }

    fn fresh(&mut self) -> usize {
        self.count += 1;
        self.count - 1
    }
}

/// The end of a worst path: its total, and where it ends.
struct Worst {
    total: u64,
    end: End,
}

enum End {
    Capture {
        capture: usize,
        arrival: Vec<u64>,
        pred: Vec<Option<usize>>,
    },
    Internal(usize),
    Nothing,
}

impl Graph {
    fn build(module: &Module) -> Graph {
        let mut g = Graph {
            nodes: Nodes::default(),
            arcs: Vec::new(),
            launches: HashMap::new(),
            captures: Vec::new(),
            internal: Vec::new(),
            fanout: Vec::new(),
            order: Vec::new(),
            untimed: BTreeMap::new(),
            cells: Vec::new(),
            registers: HashMap::new(),
        };
        let mut sinks: Vec<usize> = Vec::new();
        for (name, cell) in &module.cells {
            let widths = |pin: &str| cell.connections.get(pin).map_or(0, Vec::len);
            let Some(timing) = cells::timing(&cell.kind, &cell.parameters, &widths) else {
                *g.untimed.entry(cell.kind.clone()).or_default() += 1;
                continue;
            };
            g.add_cell(cell, name, timing, &mut sinks);
        }
        // The module's ports: inputs as if registered outside, outputs as if captured there.
        for (name, port) in &module.ports {
            for bit in &port.bits {
                let Some(n) = g.nodes.net(bit) else { continue };
                if port.direction == "input" && name != "clk" {
                    g.launches
                        .entry(n)
                        .or_insert((delays::FF_CLOCK_TO_Q, Launch::Port));
                } else if port.direction == "output" {
                    sinks.push(n);
                    g.captures.push(Capture {
                        node: n,
                        setup: delays::FF_SETUP_D,
                        routed: true,
                        cell: None,
                        pin: "",
                    });
                }
            }
        }
        g.fanout = vec![0; g.nodes.count];
        for n in sinks {
            g.fanout[n] += 1;
        }
        g.order = g.topological_arcs();
        g
    }

    /// The arcs, each after every arc into its source (Kahn's order over the nodes; arcs of
    /// a combinational loop, which no generated design has, are left out).
    fn topological_arcs(&self) -> Vec<usize> {
        let count = self.nodes.count;
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut indegree = vec![0usize; count];
        for (i, a) in self.arcs.iter().enumerate() {
            outgoing[a.from].push(i);
            indegree[a.to] += 1;
        }
        let mut order = Vec::with_capacity(self.arcs.len());
        let mut ready: Vec<usize> = (0..count).filter(|&n| indegree[n] == 0).collect();
        while let Some(n) = ready.pop() {
            for &i in &outgoing[n] {
                order.push(i);
                let to = self.arcs[i].to;
                indegree[to] -= 1;
                if indegree[to] == 0 {
                    ready.push(to);
                }
            }
        }
        order
    }

    fn add_cell(&mut self, cell: &Cell, name: &str, timing: CellTiming, sinks: &mut Vec<usize>) {
        let CellTiming {
            arcs,
            launches,
            captures,
            internal,
            dedicated,
        } = timing;
        let index = self.cells.len();
        let source = cell
            .attributes
            .get("src")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        self.cells.push((cell.kind.clone(), rtl_source(source)));
        let mut inside: Option<usize> = None;
        let nodes = &mut self.nodes;
        let mut node = |pin: &str, bit: usize| -> Option<usize> {
            if pin == INTERNAL {
                return Some(*inside.get_or_insert_with(|| nodes.fresh()));
            }
            let b = cell.connections.get(pin)?.get(bit)?;
            nodes.net(b)
        };
        let mut counted: Vec<(&str, usize)> = Vec::new();
        let mut sink = |pin: &'static str, bit: usize, n: usize, sinks: &mut Vec<usize>| {
            if pin != INTERNAL && !counted.contains(&(pin, bit)) {
                counted.push((pin, bit));
                sinks.push(n);
            }
        };
        for ((pin, bit), (out, out_bit), ps) in arcs {
            let (Some(from), Some(to)) = (node(pin, bit), node(out, out_bit)) else {
                continue;
            };
            sink(pin, bit, from, sinks);
            self.arcs.push(Arc {
                from,
                to,
                ps,
                routed: pin != INTERNAL && !dedicated.contains(&pin),
                cell: index,
                pins: (pin, out),
            });
        }
        for ((pin, bit), ps) in launches {
            if let Some(n) = node(pin, bit) {
                self.registers.entry(index).or_insert(n);
                let entry = self.launches.entry(n).or_insert((0, Launch::Port));
                if ps >= entry.0 {
                    *entry = (ps, Launch::Cell(index, pin));
                }
            }
        }
        for ((pin, bit), setup) in captures {
            if let Some(n) = node(pin, bit) {
                sink(pin, bit, n, sinks);
                self.captures.push(Capture {
                    node: n,
                    setup,
                    routed: !dedicated.contains(&pin),
                    cell: Some(index),
                    pin,
                });
            }
        }
        if let Some((what, ps)) = internal {
            self.internal.push((name.to_string(), what, ps));
        }
    }

    fn route(&self, node: usize, routed: bool, with_routing: bool) -> u64 {
        if with_routing && routed {
            u64::from(delays::routing(self.fanout[node]))
        } else {
            0
        }
    }

    /// Longest arrival at every node (in topological order over the arcs), then the worst
    /// endpoint.
    fn worst(&self, with_routing: bool) -> Worst {
        let count = self.nodes.count;
        let mut arrival: Vec<Option<u64>> = vec![None; count];
        for (&n, &(ps, _)) in &self.launches {
            arrival[n] = Some(u64::from(ps));
        }
        let mut pred: Vec<Option<usize>> = vec![None; count];
        for &i in &self.order {
            let a = &self.arcs[i];
            if let Some(t) = arrival[a.from] {
                let t = t + self.route(a.from, a.routed, with_routing) + u64::from(a.ps);
                if arrival[a.to].is_none_or(|old| t > old) {
                    arrival[a.to] = Some(t);
                    pred[a.to] = Some(i);
                }
            }
        }
        let mut best = Worst {
            total: 0,
            end: End::Nothing,
        };
        let mut best_capture = None;
        for (c, cap) in self.captures.iter().enumerate() {
            if let Some(t) = arrival[cap.node] {
                let t = t + self.route(cap.node, cap.routed, with_routing) + u64::from(cap.setup);
                if t > best.total {
                    best.total = t;
                    best_capture = Some(c);
                }
            }
        }
        if let Some(capture) = best_capture {
            best.end = End::Capture {
                capture,
                arrival: arrival.into_iter().map(|a| a.unwrap_or(0)).collect(),
                pred,
            };
        }
        for (i, &(_, _, ps)) in self.internal.iter().enumerate() {
            if u64::from(ps) > best.total {
                best = Worst {
                    total: u64::from(ps),
                    end: End::Internal(i),
                };
            }
        }
        best
    }

    /// The worst path as steps, named by the netlist's public signal names.
    fn path(&self, module: &Module, worst: &Worst, with_routing: bool) -> Path {
        let mut steps = Vec::new();
        let mut routing = 0u64;
        match &worst.end {
            End::Nothing => {}
            End::Internal(i) => {
                let (cell, what, ps) = &self.internal[*i];
                steps.push(Step {
                    at_ps: u64::from(*ps),
                    cell: format!("DSP48E1 {what}"),
                    source: String::new(),
                    signal: cell.clone(),
                });
            }
            End::Capture {
                capture,
                arrival,
                pred,
            } => {
                let cap = &self.captures[*capture];
                // From the endpoint back to the launch: each row a cell crossed (its type,
                // pins and RTL source), the node it drives and the arrival there; each
                // crossing charges its input net.
                let end = match cap.cell {
                    Some(c) => (
                        format!("{}.{}", self.cells[c].0, cap.pin),
                        self.cells[c].1.clone(),
                    ),
                    None => ("output".to_string(), String::new()),
                };
                // The endpoint is named by the register it enters (its Q), else by its net.
                let end_node = cap.cell.and_then(|c| self.registers.get(&c)).copied();
                let mut rows = vec![(end_node.unwrap_or(cap.node), end, worst.total)];
                routing += self.route(cap.node, cap.routed, with_routing);
                let mut node = cap.node;
                while let Some(i) = pred[node] {
                    let a = &self.arcs[i];
                    let (kind, source) = &self.cells[a.cell];
                    let cell = format!("{kind}.{}->{}", a.pins.0, a.pins.1);
                    rows.push((a.to, (cell, source.clone()), arrival[a.to]));
                    routing += self.route(a.from, a.routed, with_routing);
                    node = a.from;
                }
                let launch = match self.launches.get(&node).map(|l| l.1) {
                    Some(Launch::Cell(c, pin)) => (
                        format!("{}.{pin}", self.cells[c].0),
                        self.cells[c].1.clone(),
                    ),
                    _ => ("input".to_string(), String::new()),
                };
                rows.push((node, launch, arrival[node]));
                let wanted: HashSet<usize> = rows.iter().map(|r| r.0).collect();
                let names = self.node_names(module, &wanted);
                for (n, (cell, source), at_ps) in rows.into_iter().rev() {
                    steps.push(Step {
                        at_ps,
                        cell,
                        source,
                        signal: names.get(&n).cloned().unwrap_or_default(),
                    });
                }
            }
        }
        Path::new(steps, worst.total, routing)
    }

    /// The shortest public name of each wanted node (`name[bit]` for a bus).
    fn node_names(&self, module: &Module, wanted: &HashSet<usize>) -> HashMap<usize, String> {
        let mut names: HashMap<usize, String> = HashMap::new();
        for (name, net) in &module.netnames {
            if net.hide_name != 0 {
                continue;
            }
            for (i, bit) in net.bits.iter().enumerate() {
                let Bit::Net(id) = bit else { continue };
                let Some(&n) = self.nodes.of_net.get(id) else {
                    continue;
                };
                if !wanted.contains(&n) {
                    continue;
                }
                let full = if net.bits.len() == 1 {
                    name.clone()
                } else {
                    format!("{name}[{i}]")
                };
                let better = names
                    .get(&n)
                    .is_none_or(|old| (full.len(), &full) < (old.len(), old));
                if better {
                    names.insert(n, full);
                }
            }
        }
        names
    }
}

/// The generated RTL's file and line a cell comes from (`rtl/tiny_output.v:212.5-212.40` →
/// `tiny_output.v:212`); empty for cells of Yosys's own libraries.
fn rtl_source(src: &str) -> String {
    src.split('|')
        .find_map(|s| {
            let rest = s.strip_prefix("rtl/")?;
            let (file, at) = rest.split_once(':')?;
            Some(format!("{file}:{}", at.split('.').next().unwrap_or(at)))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmax::delays as d;

    /// A flip-flop → LUT2 → flip-flop path, a DSP48E1 (M register only) into a flip-flop,
    /// and a cell of a type without a timing model; nets are numbered as Yosys does.
    fn netlist(dsp: bool) -> String {
        let dsp = if dsp {
            r#""mul": {"type": "DSP48E1", "attributes": {"src": "rtl/t_out.v:7.1-7.9"},
                   "parameters": {"AREG": "0", "BREG": "0", "MREG": "1", "PREG": "0"},
                   "connections": {"A": [3], "B": [3], "P": [20]}},
               "ff_p": {"type": "FDRE", "connections": {"C": [2], "CE": ["1"], "D": [20], "R": ["0"], "Q": [21]}},"#
        } else {
            ""
        };
        format!(
            r#"{{"modules": {{"t": {{
              "ports": {{"clk": {{"direction": "input", "bits": [2]}}}},
              "cells": {{
                {dsp}
                "ff_a": {{"type": "FDRE", "connections": {{"C": [2], "CE": ["1"], "D": [9], "R": ["0"], "Q": [3]}}}},
                "ff_b": {{"type": "FDRE", "connections": {{"C": [2], "CE": ["1"], "D": [9], "R": ["0"], "Q": [4]}}}},
                "lut": {{"type": "LUT2", "attributes": {{"src": "rtl/t_hidden.v:42.5-42.20"}},
                        "connections": {{"I0": [3], "I1": [4], "O": [5]}}}},
                "ff_c": {{"type": "FDRE", "connections": {{"C": [2], "CE": ["1"], "D": [5], "R": ["0"], "Q": [9]}}}},
                "odd": {{"type": "XORCY", "connections": {{"LI": [9], "O": [4]}}}}
              }},
              "netnames": {{
                "u_hidden.sum": {{"hide_name": 0, "bits": [5]}},
                "u_hidden.a": {{"hide_name": 0, "bits": [3, 4]}},
                "$auto$1": {{"hide_name": 1, "bits": [5]}}
              }}
            }}}}}}"#
        )
    }

    #[test]
    fn the_worst_path_adds_cells_and_routing() {
        let a = analyse(&netlist(false), "t").unwrap();
        // ff_a.Q has fan-out 2 (the LUT and, in the DSP netlist, the DSP): here 1.
        let expected = d::FF_CLOCK_TO_Q + d::routing(1) + d::lut(2, 0) + d::routing(1);
        assert_eq!(a.worst.total_ps, u64::from(expected));
        assert_eq!(a.worst.routing_ps, u64::from(2 * d::routing(1)));
        assert_eq!(a.worst.luts, 1);
        assert_eq!(
            a.worst_cells.total_ps,
            u64::from(d::FF_CLOCK_TO_Q + d::lut(2, 0))
        );
        let cells: Vec<&str> = a.worst.steps.iter().map(|s| s.cell.as_str()).collect();
        assert_eq!(cells, ["FDRE.Q", "LUT2.I0->O", "FDRE.D"]);
        // Named by the public signals and the RTL line they come from.
        assert_eq!(a.worst.steps[0].signal, "u_hidden.a[0]");
        assert_eq!(a.worst.steps[1].signal, "u_hidden.sum");
        assert_eq!(a.worst.steps[1].source, "t_hidden.v:42");
        assert_eq!(a.worst.summary(), "hidden: a → sum");
        assert_eq!(a.untimed.get("XORCY"), Some(&1));
    }

    #[test]
    fn a_dsp_slice_times_by_its_registers() {
        let a = analyse(&netlist(true), "t").unwrap();
        // The operands into the M register (setup through the multiplier) are the worst: their
        // net has three sinks (the LUT, the DSP's A and B pins).
        let into_m = d::FF_CLOCK_TO_Q + d::routing(3) + d::DSP_SETUP_AB_MREG;
        assert_eq!(a.worst.total_ps, u64::from(into_m));
        let cells: Vec<&str> = a.worst.steps.iter().map(|s| s.cell.as_str()).collect();
        assert_eq!(cells, ["FDRE.Q", "DSP48E1.A"]);
        assert_eq!(a.worst.steps[1].source, "t_out.v:7");
        // P, launched by the M register through the ALU, is shorter; without routing it wins.
        let from_m = d::DSP_CLOCK_TO_P_MREG + d::FF_SETUP_D;
        assert!(u64::from(from_m + d::routing(1)) < a.worst.total_ps);
        assert_eq!(a.worst_cells.total_ps, u64::from(from_m));
        assert_eq!(a.worst_cells.steps[0].cell, "DSP48E1.P");
    }

    #[test]
    fn a_missing_top_or_bad_json_is_an_error() {
        assert!(matches!(
            analyse(&netlist(false), "other"),
            Err(NetlistError::NoTop(_))
        ));
        assert!(matches!(analyse("{", "t"), Err(NetlistError::Json(_))));
        assert_eq!(
            rtl_source("/usr/share/yosys/xilinx/lut_map.v:47.26-48.41"),
            ""
        );
        assert_eq!(rtl_source("a.v:1|rtl/x_top.v:12.3-12.9"), "x_top.v:12");
    }
}
