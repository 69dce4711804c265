//! A junction's numbers: the activation unit's parameters, the shifts that keep products in
//! their formats, and the sized constants its counters are compared with.

use super::junction::{Junction, Side};
use super::stage;
use super::verilog::Constant;
use crate::datapath::layout::activation_parameters;
use serde::Serialize;

/// What `snn_act` computes (its `KIND`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActKind {
    Sigmoid,
    Relu,
    Identity,
}

impl ActKind {
    /// `snn_act`'s `KIND`.
    pub fn code(self) -> u8 {
        match self {
            ActKind::Sigmoid => 0,
            ActKind::Relu => 1,
            ActKind::Identity => 2,
        }
    }
}

impl Serialize for ActKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

/// The activation unit's parameters.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Act {
    #[serde(rename = "act_kind")]
    pub kind: ActKind,
    #[serde(rename = "act_one")]
    pub one: i64,
    #[serde(rename = "act_offset")]
    pub offset: i64,
    #[serde(rename = "act_idx_shift")]
    pub shift: u32,
    #[serde(rename = "act_entries")]
    pub entries: usize,
    #[serde(rename = "act_idx_w")]
    pub index_w: usize,
}

/// A shift by `2^-right` (or `2^left`): one of the two is zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub right: u32,
    pub left: u32,
}

impl Shift {
    /// A right shift by `s` when non-negative, else a left shift by `−s`.
    fn by(s: i64) -> Shift {
        Shift {
            right: s.max(0) as u32,
            left: (-s).max(0) as u32,
        }
    }

    /// The net right shift.
    pub fn net(&self) -> i64 {
        self.right as i64 - self.left as i64
    }
}

/// The shifts that keep each product and sum in its number format.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Shifts {
    /// Forward products: weight × left value to the activations' format.
    pub forward: Shift,
    /// Δb = −δ·2^-k in the weights' format.
    pub bias_step: Shift,
    /// A bias in the sums' format.
    pub bias: Shift,
    /// Cross-entropy cost: a − y in the δ format.
    pub cost: Shift,
    /// Quadratic cost: (a − y)·a' in the δ format.
    pub quadratic: Shift,
    /// Δw = Δb·a: the left value's fraction bits.
    pub update: u32,
    /// Backward products w·δ: the weights' fraction bits.
    pub backward: u32,
    /// δ = a'·sum: the activations' fraction bits.
    pub delta: u32,
}

impl Shifts {
    /// The shifts of a junction whose left values are in `left`, with learning rate 2^-k.
    pub(super) fn of(
        f: &crate::network::Formats,
        left: snn_runtime::fixed::Format,
        k: u32,
    ) -> Shifts {
        let frac = |format: snn_runtime::fixed::Format| format.frac as i64;
        Shifts {
            forward: Shift::by(frac(f.weights) + frac(left) - frac(f.activations)),
            bias_step: Shift::by(frac(f.deltas) + k as i64 - frac(f.weights)),
            bias: Shift::by(frac(f.weights) - frac(f.activations)),
            cost: Shift::by(frac(f.activations) - frac(f.deltas)),
            quadratic: Shift::by(2 * frac(f.activations) - frac(f.deltas)),
            update: left.frac,
            backward: f.weights.frac,
            delta: f.activations.frac,
        }
    }
}

impl Act {
    /// The unit computing `activation` in `format`.
    pub(super) fn of(
        activation: snn_runtime::activation::Activation,
        format: snn_runtime::fixed::Format,
    ) -> Act {
        let (kind, one, offset, shift, entries, index_w) =
            activation_parameters(activation, format);
        Act {
            kind: [ActKind::Sigmoid, ActKind::Relu, ActKind::Identity][kind],
            one,
            offset,
            shift,
            entries,
            index_w,
        }
    }
}

/// The sized constants a junction's module compares its counters with (`None`: a variant
/// without that counter).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Constants {
    /// The cycle's last slot, and the first slot not issued.
    pub slot_last: Option<Constant>,
    pub issue_end: Option<Constant>,
    /// Lane 0's and group 0's bit of a mask.
    pub lane_one: Option<Constant>,
    pub group_one: Option<Constant>,
    pub step_last: Option<Constant>,
    /// Tree: a neuron's last clock.
    pub sub_last: Option<Constant>,
    /// Accumulate: the slot before the first finalise step, the slot its tags are latched,
    /// and (transfer) the slot before the transfer's first step.
    pub fin_slot: Option<Constant>,
    pub tag_slot: Option<Constant>,
    pub xfer_slot: Option<Constant>,
    /// Output junction, training: the cost's targets.
    pub cost_one: Option<Constant>,
    pub cost_zero: Option<Constant>,
}

impl Constants {
    pub(super) fn of(j: &Junction) -> Constants {
        let slot = |value: usize| Some(Constant::new(j.slot_w, value));
        let accumulate = j.side == Side::Accumulate;
        let cost =
            |value: i64| (j.last && j.training).then(|| Constant::signed(j.act_w + 2, value));
        let p = j.period as i64;
        Constants {
            slot_last: slot(j.period - 1),
            issue_end: Some(Constant::new(j.slot_w + 1, j.cycles)),
            lane_one: Some(Constant::new(j.z, 1)),
            group_one: Some(Constant::new(j.groups, 1)),
            step_last: Some(Constant::new(j.step_w, j.steps - 1)),
            sub_last: (j.side == Side::Tree)
                .then(|| Constant::new(j.sub_w, j.clocks_per_neuron - 1)),
            fin_slot: accumulate
                .then(|| Constant::new(j.slot_w, (j.fin_start - 1).rem_euclid(p) as usize)),
            tag_slot: accumulate.then(|| Constant::new(j.slot_w, stage::ADDRESS)),
            xfer_slot: j
                .transfer
                .then(|| Constant::new(j.slot_w, (j.transfer_start - 1) as usize)),
            cost_one: cost(j.act.one),
            cost_zero: cost(0),
        }
    }
}
