//! Copy pointers: which copy of a memory each operation of a junction's pass uses. A memory
//! shared by several inputs in flight has copies; input x uses copy x mod copies.

use crate::datapath::layout::bits;
use crate::datapath::timing::Timing;
use crate::network::{JunctionId, Network};
use serde::Serialize;

/// What a copy pointer selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointerName {
    /// Left activations of the forward input.
    LeftFf,
    /// Left activations of the update input.
    LeftUp,
    /// Left δ sums of the backward input.
    Sum,
    /// Right δ sums taken in this pass.
    Take,
    /// Derivatives of the forward input.
    DerWr,
    /// Derivatives of the input whose δ is formed.
    DerRd,
    /// δ written by the cost (output junction) or by the transfer (accumulate).
    DeltaWr,
    /// δ of the update input.
    DeltaRd,
    /// Right activations of the forward input.
    Right,
    /// Outputs of the forward input.
    Out,
    /// Accumulate: the partial-sum buffer of this pass.
    Parity,
}

impl PointerName {
    /// Its name in the Verilog (`<name>_ptr`).
    pub fn verilog(self) -> &'static str {
        use PointerName::*;
        match self {
            LeftFf => "left_ff",
            LeftUp => "left_up",
            Sum => "sum",
            Take => "take",
            DerWr => "der_wr",
            DerRd => "der_rd",
            DeltaWr => "delta_wr",
            DeltaRd => "delta_rd",
            Right => "right",
            Out => "out",
            Parity => "parity",
        }
    }
}

/// One copy pointer register.
#[derive(Clone, Debug, Serialize)]
pub struct Pointer {
    pub name: PointerName,
    pub doc: &'static str,
    /// Bits of the register.
    pub width: usize,
    /// Copies it counts through.
    pub count: usize,
    /// `(−lag − 1) mod count`: the first pass start moves it to the copy of input `−lag`.
    pub init: usize,
}

impl Pointer {
    fn new(name: PointerName, doc: &'static str, lag: usize, count: usize) -> Pointer {
        Pointer {
            name,
            doc,
            width: bits(count),
            count,
            init: counter_init(lag, count),
        }
    }
}

/// Initial value of a counter holding `(t − lag) mod count` once pass `t` has started (the
/// first pass start moves it to `t = 0`).
pub fn counter_init(lag: usize, count: usize) -> usize {
    (-(lag as i64) - 1).rem_euclid(count as i64) as usize
}

/// A junction's copy pointers (the templates see them by name).
#[derive(Clone, Debug)]
pub struct Pointers(Vec<Pointer>);

impl Pointers {
    /// The pointer `name`, if the junction keeps it.
    pub fn get(&self, name: PointerName) -> Option<&Pointer> {
        self.0.iter().find(|p| p.name == name)
    }

    /// Every pointer, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = &Pointer> {
        self.0.iter()
    }

    /// Bits of the pointer `name` (1, a port of one unused bit, when the junction has none).
    pub fn width(&self, name: PointerName) -> usize {
        self.get(name).map_or(1, |p| p.width)
    }

    /// Copies the pointer `name` counts through (0 when the junction has none).
    pub fn copies(&self, name: PointerName) -> usize {
        self.get(name).map_or(0, |p| p.count)
    }
}

/// The templates see each pointer by name, and all of them in order as `all`.
impl Serialize for Pointers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len() + 1))?;
        for p in &self.0 {
            map.serialize_entry(&p.name, p)?;
        }
        map.serialize_entry("all", &self.0)?;
        map.end()
    }
}

/// The copy pointers junction `id` keeps.
pub fn pointers(network: &Network, timing: &Timing, id: JunctionId) -> Pointers {
    use PointerName::*;
    let t = timing.junction(id);
    let p = timing.period() as i64;
    let (left_layer, right_layer) = (network.junction(id).left, network.junction(id).right);
    let last = network.next(id).is_none();
    let accumulate = t.finalize.is_some();
    let forward = (t.forward_start / p) as usize;
    let backward = t.backward_start.map(|u| (u / p) as usize);
    let left = timing.copies(left_layer);
    let mut out = vec![
        Pointer::new(
            LeftFf,
            "left activations of the forward input",
            forward,
            left.activations,
        ),
        Pointer::new(
            LeftUp,
            "left activations of the update input",
            backward.unwrap_or(forward),
            left.activations,
        ),
    ];
    if let Some(b) = backward {
        if network.previous(id).is_some() {
            out.push(Pointer::new(
                Sum,
                "left δ sums of the backward input",
                b,
                left.delta_sums,
            ));
        }
        // The input whose δ this junction gathers in a pass: its own backward input (tree),
        // or the next pass's (accumulate: moved into the lanes ahead of time).
        let gather = if accumulate { b - 1 } else { b };
        if !last {
            let right = timing.copies(right_layer);
            out.push(Pointer::new(
                Take,
                "right δ sums taken in this pass",
                gather,
                right.delta_sums,
            ));
            out.push(Pointer::new(
                DerWr,
                "derivatives of the forward input",
                forward,
                t.derivative_copies,
            ));
            out.push(Pointer::new(
                DerRd,
                "derivatives of the input whose δ is formed",
                gather,
                t.derivative_copies,
            ));
        }
        if last || accumulate {
            out.push(Pointer::new(
                DeltaWr,
                if last {
                    "δ written by the cost, of the forward input"
                } else {
                    "lane δ written by the transfer"
                },
                if last { forward } else { b - 1 },
                t.delta_copies,
            ));
            out.push(Pointer::new(
                DeltaRd,
                "δ of the update input",
                b,
                t.delta_copies,
            ));
        }
    }
    if last {
        out.push(Pointer::new(
            Out,
            "outputs of the forward input",
            forward,
            t.output_copies,
        ));
    } else {
        out.push(Pointer::new(
            Right,
            "right activations of the forward input",
            forward,
            timing.copies(right_layer).activations,
        ));
    }
    if accumulate {
        out.push(Pointer::new(
            Parity,
            "partial-sum buffer of this pass",
            0,
            2,
        ));
    }
    Pointers(out)
}

/// A value a finalise step carries from the pass whose sums it finalises.
#[derive(Clone, Debug, Serialize)]
pub struct FinTag {
    /// `fin_<name>` in the Verilog.
    pub name: &'static str,
    pub width: usize,
    pub msb: usize,
    /// The copy pointer it is latched from; `None`: the pass flag `<name>_pass`.
    pub pointer: Option<PointerName>,
}

/// The values a finalise step takes from its pass.
pub fn fin_tags(pointers: &Pointers, training: bool, last: bool) -> Vec<FinTag> {
    use PointerName::*;
    let flag = |name| FinTag {
        name,
        width: 1,
        msb: 0,
        pointer: None,
    };
    let mut tags = vec![flag("ff")];
    if training {
        tags.push(flag("bp"));
    }
    let mut pointer = |name: &'static str, source: PointerName| {
        if let Some(p) = pointers.get(source) {
            tags.push(FinTag {
                name,
                width: p.width,
                msb: p.width - 1,
                pointer: Some(source),
            });
        }
    };
    pointer("parity", Parity);
    if last {
        pointer("out", Out);
        pointer("cost", DeltaWr);
    } else {
        pointer("right", Right);
        pointer("der", DerWr);
    }
    pointer("bias", DeltaRd);
    tags
}
