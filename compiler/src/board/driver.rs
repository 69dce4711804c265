//! The host's side of a board top: over any byte stream (a serial port, or the simulated
//! board's pseudo-terminal), check that the board holds the design, load and read back every
//! parameter, and stream inputs with no more outputs outstanding than the board can queue.

use super::design::Design;
use super::protocol::{self, kind, Frame, FrameError, Reader};
use snn_runtime::program::{Parameters, Sample};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Why talking to the board failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("the port: {0}")]
    Io(#[from] std::io::Error),
    #[error("no answer from the board in {0:?}")]
    Timeout(Duration),
    #[error("the board's bytes: {0}")]
    Frame(#[from] FrameError),
    #[error("the board refused a frame: {0}")]
    Refused(&'static str),
    #[error("the board answered {what}")]
    Unexpected { what: String },
    #[error("the board holds another design: {what}")]
    OtherDesign { what: String },
}

/// What the board's STATUS and counters say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub busy: bool,
    pub done: bool,
    /// A parameter access was refused since this was last cleared.
    pub ignored: bool,
    /// Clocks and outputs of the current or last run.
    pub cycles: u32,
    pub outputs: u32,
}

/// One output as the board sent it: the decision and the raw output activations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardOutput {
    pub decision: usize,
    pub values: Vec<i64>,
}

/// Frames over a byte stream, the outputs that arrive among the answers kept aside.
pub struct Link<P: Read + Write> {
    port: P,
    reader: Reader,
    frames: VecDeque<Frame>,
    outputs: VecDeque<Frame>,
    timeout: Duration,
}

impl<P: Read + Write> Link<P> {
    /// A link over `port`, which returns from a read within a short time when it has no bytes;
    /// an answer that takes longer than `timeout` is an error.
    pub fn new(port: P, timeout: Duration) -> Link<P> {
        Link {
            port,
            reader: Reader::default(),
            frames: VecDeque::new(),
            outputs: VecDeque::new(),
            timeout,
        }
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.port.write_all(bytes)?;
        self.port.flush()?;
        Ok(())
    }

    /// The next frame from the board.
    fn next_frame(&mut self) -> Result<Frame, LinkError> {
        let started = Instant::now();
        let mut buffer = [0u8; 4096];
        while self.frames.is_empty() {
            if started.elapsed() > self.timeout {
                return Err(LinkError::Timeout(self.timeout));
            }
            match self.port.read(&mut buffer) {
                Ok(n) => self.frames.extend(self.reader.push(&buffer[..n])?),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                    ) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(self.frames.pop_front().expect("a frame"))
    }

    /// The answer of `kind` (outputs that come first are kept for `output`).
    fn answer(&mut self, want: u8) -> Result<Vec<u8>, LinkError> {
        loop {
            let f = self.next_frame()?;
            match f.kind {
                k if k == want => return Ok(f.payload),
                kind::OUTPUT => self.outputs.push_back(f),
                kind::ERROR => {
                    let code = f.payload.first().copied().unwrap_or(0);
                    return Err(LinkError::Refused(protocol::refusal(code)));
                }
                other => {
                    return Err(LinkError::Unexpected {
                        what: format!("a frame of type {other:#04x} where {want:#04x} was due"),
                    })
                }
            }
        }
    }

    /// The next output.
    fn output(&mut self) -> Result<Frame, LinkError> {
        if let Some(f) = self.outputs.pop_front() {
            return Ok(f);
        }
        self.answer(kind::OUTPUT).map(|payload| Frame {
            kind: kind::OUTPUT,
            payload,
        })
    }

    /// Writes `words` at consecutive word addresses from `address`.
    pub fn write(&mut self, address: u32, words: &[u32]) -> Result<(), LinkError> {
        self.send(&protocol::write(address, words))?;
        let ack = self.answer(kind::ACK)?;
        let count = u16::from_le_bytes([ack[0], ack[1]]) as usize;
        if count != words.len() {
            return Err(LinkError::Unexpected {
                what: format!("{count} words written of {}", words.len()),
            });
        }
        Ok(())
    }

    /// Reads `count` words from `address` on.
    pub fn read(&mut self, address: u32, count: usize) -> Result<Vec<u32>, LinkError> {
        let count16 = u16::try_from(count).expect("a READ of at most 16383 words");
        self.send(&protocol::read(address, count16))?;
        let payload = self.answer(kind::WORDS)?;
        if payload.len() != 4 * count {
            return Err(LinkError::Unexpected {
                what: format!("{} bytes for {count} words", payload.len()),
            });
        }
        Ok(payload
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect())
    }
}

/// Register offsets of the AXI shell (the same for every design: `hw::regs`).
mod reg {
    pub const ID: u32 = 0x00;
    pub const CONTROL: u32 = 0x04;
    pub const STATUS: u32 = 0x08;
}

/// A board top holding `design`, over a link.
pub struct Board<P: Read + Write> {
    pub link: Link<P>,
    pub design: Design,
}

impl<P: Read + Write> Board<P> {
    /// Checks that the board answers with the design's identity and constants.
    pub fn check(&mut self) -> Result<(), LinkError> {
        let last = self.design.constants.iter().map(|c| c.1).max().unwrap_or(0);
        let words = self.link.read(reg::ID, last as usize / 4 + 1)?;
        for (name, offset, want) in &self.design.constants {
            let got = words[*offset as usize / 4];
            if u64::from(got) != *want {
                return Err(LinkError::OtherDesign {
                    what: format!("its {name} is {got}, this design's {want}"),
                });
            }
        }
        Ok(())
    }

    /// The STATUS register and the run's counters.
    pub fn status(&mut self) -> Result<Status, LinkError> {
        let w = self.link.read(reg::STATUS, 3)?;
        Ok(Status {
            busy: w[0] & 1 != 0,
            done: w[0] & 2 != 0,
            ignored: w[0] & 4 != 0,
            cycles: w[1],
            outputs: w[2],
        })
    }

    /// Writes every weight and bias; `progress` sees the words written so far.
    pub fn load(
        &mut self,
        params: &Parameters,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), LinkError> {
        let words = crate::backend::tables::mm_words(params);
        let mut done = 0;
        for (address, run) in self.design.runs(self.design.write_words) {
            self.link.write(address, &words[done..done + run])?;
            done += run;
            progress(done);
        }
        Ok(())
    }

    /// Reads every weight and bias back.
    pub fn read_parameters(
        &mut self,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Parameters, LinkError> {
        let mut words = Vec::with_capacity(self.design.addresses.len());
        for (address, run) in self.design.runs(protocol::MAX_READ_WORDS) {
            words.extend(self.link.read(address, run)?);
            progress(words.len());
        }
        Ok(self.design.parameters(&words))
    }

    /// Streams `samples` as one run (training when `train`) and returns every output;
    /// `progress` sees the outputs received so far.
    pub fn run(
        &mut self,
        samples: &[Sample],
        train: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<BoardOutput>, LinkError> {
        self.link.write(reg::CONTROL, &[u32::from(train)])?;
        let mut outputs = Vec::with_capacity(samples.len());
        for (x, s) in samples.iter().enumerate() {
            if x >= outputs.len() + self.design.window {
                outputs.push(self.design.output(&self.link.output()?.payload));
                progress(outputs.len());
            }
            let frame = protocol::input(
                x + 1 == samples.len(),
                s.label,
                self.design.label_bytes,
                &self.design.beats(&s.input),
            );
            self.link.send(&frame)?;
        }
        while outputs.len() < samples.len() {
            outputs.push(self.design.output(&self.link.output()?.payload));
            progress(outputs.len());
        }
        // The run is over once the last output has been taken: wait for DONE.
        let started = Instant::now();
        while !self.status()?.done {
            if started.elapsed() > self.link.timeout {
                return Err(LinkError::Timeout(self.link.timeout));
            }
        }
        Ok(outputs)
    }
}
