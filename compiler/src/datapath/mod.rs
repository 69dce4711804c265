//! The datapath the backend emits, planned before any Verilog is written: its physical
//! [`layout`] (trees or accumulating groups, finalise orders, sum widths) and its
//! [`timing`] (when every junction's passes start, which input each serves, how many copies
//! of each memory the pipeline needs). The executor's training pipeline comes from the same
//! timing, so software and hardware run the same schedule.

pub mod layout;
pub mod timing;
pub mod verify;

use crate::network::Network;
use crate::schedule::Verified;
pub use layout::{Layout, LayoutError};
pub use timing::{Memory, Stream, Style, Timing, TimingError};

/// A layout with its verified timing: what the backend is built from.
#[derive(Clone, Debug)]
pub struct Datapath {
    layout: Layout,
    timing: Timing,
}

impl Datapath {
    /// Trees or accumulating groups, finalise orders, sum widths.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// When every junction's passes start and how many copies each memory has, verified.
    pub fn timing(&self) -> &Timing {
        &self.timing
    }
}

/// Why a network has no datapath.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The layout breaks a rule elaboration guarantees (a compiler bug).
    Layout(LayoutError),
    /// The planner found no timing, or its timing failed verification (a compiler bug).
    Timing(TimingError),
}

/// Lays out and times the datapath of a scheduled network.
pub fn plan(network: &Network, schedule: &Verified) -> Result<Datapath, PlanError> {
    let layout = layout::layout(network, schedule).map_err(PlanError::Layout)?;
    let timing =
        timing::plan(network, schedule, &layout, network.pipeline).map_err(PlanError::Timing)?;
    verify::verify(network, schedule, &layout, &timing).map_err(PlanError::Timing)?;
    Ok(Datapath { layout, timing })
}
