//! The junction pipeline's stages, in clocks after a slot is issued: one definition that the
//! templates (as `localparam`s), the parts list (delay-line depths) and the timing planner
//! ([`crate::datapath::timing::stage`]) all read.

use crate::datapath::timing::stage as timing;
use serde::Serialize;

/// The slot's tables (rows, lanes, crossbar selects) are read; left memories sample the row.
pub const ADDRESS: usize = timing::LEFT_READ as usize;
/// The weights' word of the slot is read.
pub const WEIGHT: usize = 2;
/// Weights and the left values, through the crossbar, are registered as operands.
pub const OPERANDS: usize = timing::OPERANDS as usize;
/// The right layer's δ a lane uses (training).
pub const DELTA: usize = timing::DELTA as usize;
/// Forward products and Δb are ready; partial sums are read, added to and written.
pub const PRODUCT: usize = timing::PARTIAL as usize;
/// Backward products reach the left layer's δ sums.
pub const BACKWARD: usize = timing::BACKWARD as usize;
/// Updated weights are written back.
pub const UPDATE: usize = timing::UPDATE as usize;
/// Accumulate datapath: from a transfer step's take to its lane δ write.
pub const TRANSFER: usize = timing::TRANSFER as usize;

// The stages follow the slot in order.
const _: () = assert!(ADDRESS < WEIGHT && WEIGHT < OPERANDS && OPERANDS < DELTA);
// A multiplier's operands are registered after the weights' read.
const _: () = assert!(WEIGHT + 1 == OPERANDS);
const _: () = assert!(DELTA < PRODUCT && PRODUCT < BACKWARD && BACKWARD < UPDATE);

/// The stages of one junction that depend on its adder trees.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Stages {
    /// The fixed stages, as the module header lists them.
    pub s_address: usize,
    pub s_weight: usize,
    pub s_operands: usize,
    pub s_delta: usize,
    pub s_product: usize,
    pub s_backward: usize,
    pub s_update: usize,
    pub s_transfer: usize,
    /// Registered stages of the adder trees.
    pub tree_latency: usize,
    /// Tree datapath: the trees' sums come out (products, then the tree).
    #[serde(rename = "s_tree_sum")]
    pub tree_sum: usize,
    /// Tree datapath: the activations are written (the bias sum and the table after the sum).
    #[serde(rename = "s_tree_write")]
    pub tree_write: usize,
    /// Accumulate datapath: clocks from a finalise step to its activations being written.
    pub finalize_write: usize,
    /// Depth of the slot's delay lines (index n is the slot issued n clocks ago).
    pub pipe: usize,
    /// Output junction, training: clocks from an output to its δ (the cost's rounding or
    /// product).
    #[serde(rename = "cost_delay")]
    pub cost: usize,
}

impl Stages {
    /// The stages of a junction whose trees have `tree_latency` registered stages, in a
    /// network trained with the quadratic cost (`Some(true)`), the cross-entropy one
    /// (`Some(false)`), or not trained (`None`).
    pub fn new(tree_latency: usize, quadratic: Option<bool>) -> Stages {
        let tree_write = timing::TREE_WRITE as usize + tree_latency;
        Stages {
            s_address: ADDRESS,
            s_weight: WEIGHT,
            s_operands: OPERANDS,
            s_delta: DELTA,
            s_product: PRODUCT,
            s_backward: BACKWARD,
            s_update: UPDATE,
            s_transfer: TRANSFER,
            tree_latency,
            tree_sum: PRODUCT + tree_latency,
            tree_write,
            finalize_write: timing::FINALIZE_WRITE as usize + tree_latency,
            pipe: (tree_write + 1).max(UPDATE + 1),
            cost: quadratic.map_or(0, |q| timing::cost(q) as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_stages_follow_the_tree_latency() {
        let s = Stages::new(3, Some(true));
        // Products at 7, three tree stages, the bias sum and four clocks of activation.
        assert_eq!((s.tree_sum, s.tree_write, s.finalize_write), (10, 15, 9));
        // The delay lines reach the update and the activations' write.
        assert_eq!(s.pipe, 16);
        assert_eq!(Stages::new(0, None).pipe, timing::TREE_WRITE as usize + 1);
        assert_eq!(Stages::new(0, None).cost, 0);
        assert_eq!(Stages::new(0, Some(false)).cost, 2);
    }
}
