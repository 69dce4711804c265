//! The board without a board: the Verilator model of a session's board top behind a
//! pseudo-terminal that stands for the USB-UART, so that the host driver (`snnc board`) talks
//! to it as it would to a serial port.

use super::{installed, Session, SimError, Simulator};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running simulated board; it stops when dropped.
pub struct SimulatedBoard {
    child: Child,
    /// The pseudo-terminal to open as the board's serial port.
    pub port: String,
    pub build_time: Duration,
}

impl Drop for SimulatedBoard {
    fn drop(&mut self) {
        // Closing its standard input ends the simulation; kill it if it does not stop.
        drop(self.child.stdin.take());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(2) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Session {
    /// Builds the Verilator model of the board top (the design must have one, its UART at
    /// `clocks_per_bit`) and starts it.
    pub fn start_board(&self, clocks_per_bit: usize) -> Result<SimulatedBoard, SimError> {
        if !installed("verilator") {
            return Err(SimError::Missing(Simulator::Verilator));
        }
        let failed = |step: &str, log: String| SimError::Failed {
            step: step.into(),
            log,
        };
        let mut context = tera::Context::new();
        context.insert("net", &self.net);
        context.insert("version", env!("CARGO_PKG_VERSION"));
        context.insert("clocks_per_bit", &clocks_per_bit);
        let harness = tera::Tera::one_off(HARNESS, &context, false)
            .map_err(|e| failed("harness", format!("{e:?}")))?;
        std::fs::write(self.dir.join("board_harness.cpp"), harness)
            .map_err(|e| failed("harness", e.to_string()))?;
        let top = format!("{}_board", self.net);
        let started = Instant::now();
        let mut c = super::verilator(&top, "board_obj");
        c.arg("board_harness.cpp").args(self.design.sources());
        self.run_tool(c, "verilator")?;
        let build_time = started.elapsed();
        let mut child = Command::new(self.dir.join(format!("board_obj/V{top}")))
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| failed("simulated board", e.to_string()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| failed("simulated board", e.to_string()))?;
        let port = line.trim().to_string();
        if !port.starts_with("/dev/") {
            let _ = child.kill();
            return Err(failed("simulated board", format!("no terminal: `{line}`")));
        }
        Ok(SimulatedBoard {
            child,
            port,
            build_time,
        })
    }
}

const HARNESS: &str = include_str!("../../../templates/sim/board_harness.cpp.tera");
