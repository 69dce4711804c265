//! Co-simulation through the AXI shell: the testbench `tb_<net>_axi` loads parameters and
//! reads them back over AXI4-Lite, streams over AXI4-Stream, waits at random on every channel
//! it drives, and reports each breach of the protocol it sees (which fails the run).

use super::{stimuli_error, Model, Session, SimError, SimResult, Simulator};
use snn_runtime::program::{Parameters, Sample};

impl Session {
    /// Builds `simulator`'s model of the AXI testbench (the design must have its AXI shell).
    pub fn compile_axi(&self, simulator: Simulator) -> Result<Model<'_>, SimError> {
        self.compile_bench(simulator, false, &format!("tb_{}_axi", self.net))
    }
}

impl Model<'_> {
    /// Streams `samples` through the AXI shell (training when `train`), first writing `load`
    /// over AXI4-Lite when given; with a `seed`, every channel the testbench drives waits at
    /// random (a different pattern per seed). Fails on any protocol breach the testbench saw.
    pub fn run_axi(
        &self,
        samples: &[Sample],
        train: bool,
        seed: Option<u32>,
        load: Option<&Parameters>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<SimResult, SimError> {
        let mut plusargs = self.stimuli(samples, train)?;
        if let Some(seed) = seed {
            // 0 means no waits to the testbench.
            plusargs.push(format!("+seed={}", seed.max(1)));
        }
        if let Some(params) = load {
            std::fs::write(self.session.dir.join("tb/load.mem"), words(params))
                .map_err(stimuli_error)?;
            plusargs.push("+load=tb/load.mem".into());
        }
        self.simulate(&plusargs, progress)
    }
}

/// Every weight and bias as a 32-bit word in hex, in the order the testbench reads them back
/// (that of `tb/mm_addresses.mem`).
fn words(params: &Parameters) -> String {
    crate::backend::tables::mm_words(params)
        .iter()
        .map(|w| format!("{w:08x}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::words;
    use snn_runtime::program::Parameters;

    #[test]
    fn parameters_are_words_junction_by_junction_weights_first() {
        let params = Parameters {
            weights: vec![vec![1, -1], vec![5]],
            biases: vec![vec![-2], vec![0, 3]],
        };
        assert_eq!(
            words(&params),
            "00000001\nffffffff\nfffffffe\n00000005\n00000000\n00000003\n"
        );
    }
}
