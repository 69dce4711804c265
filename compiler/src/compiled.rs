//! A network taken through planning: the elaborated network, its verified schedule and its
//! verified datapath, read only through accessors.

use crate::datapath::{self, Datapath};
use crate::diagnostics::Warning;
use crate::network::Network;
use crate::schedule::Verified;

/// A network taken through every stage before the backend.
#[derive(Clone, Debug)]
pub struct Compiled {
    network: Network,
    schedule: Verified,
    datapath: Datapath,
    warnings: Vec<Warning>,
}

impl Compiled {
    /// The stages' outputs together; each is made only by its own stage, verified.
    pub(crate) fn new(
        network: Network,
        schedule: Verified,
        datapath: Datapath,
        warnings: Vec<Warning>,
    ) -> Compiled {
        Compiled {
            network,
            schedule,
            datapath,
            warnings,
        }
    }

    /// The elaborated network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Every junction's edges on clocks and lanes, verified conflict-free.
    pub fn schedule(&self) -> &Verified {
        &self.schedule
    }

    /// The hardware's layout and timing, verified hazard-free.
    pub fn datapath(&self) -> &Datapath {
        &self.datapath
    }

    /// What planning did that the model did not ask for (with the network's own warnings).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Throughput and latency when the input stream carries `beat` values per clock.
    pub fn stream(&self, beat: usize) -> datapath::Stream {
        self.datapath
            .timing()
            .stream(self.network.input().size.div_ceil(beat.max(1)))
    }

    /// Inputs per second at the model's clock, with `beat` values per beat.
    pub fn inputs_per_second(&self, beat: usize) -> f64 {
        let clocks = self.stream(beat).clocks_per_input as f64;
        (self.network.target.clock_mhz * 1e6 / clocks).round()
    }
}
