//! The board protocol's frames (docs/hardware.md): 0x5A, type, length (little-endian), the
//! payload, CRC-8 (polynomial 0x07, initial 0) over type, length and payload — built and read
//! byte for byte as `snn_uart_bridge` does.

/// The byte that starts a frame.
pub const SYNC: u8 = 0x5A;

/// Frame types, host to board and board to host.
pub mod kind {
    pub const WRITE: u8 = 0x01;
    pub const READ: u8 = 0x02;
    pub const INPUT: u8 = 0x03;
    pub const ACK: u8 = 0x81;
    pub const WORDS: u8 = 0x82;
    pub const OUTPUT: u8 = 0x83;
    pub const ERROR: u8 = 0xE0;
}

/// The most words one READ may ask for (its answer's length is 4 × count in 16 bits).
pub const MAX_READ_WORDS: usize = 16383;

/// CRC-8 of `bytes` after `crc`: polynomial 0x07, no reflection, no final XOR.
pub fn crc8(mut crc: u8, bytes: &[u8]) -> u8 {
    for &b in bytes {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// A whole frame of `kind` around `payload`.
pub fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(payload.len()).expect("a payload fits in 16 bits");
    let mut out = Vec::with_capacity(payload.len() + 5);
    out.push(SYNC);
    out.push(kind);
    out.extend(length.to_le_bytes());
    out.extend(payload);
    let crc = crc8(0, &out[1..]);
    out.push(crc);
    out
}

/// WRITE: `words` at consecutive word addresses from byte address `address`.
pub fn write(address: u32, words: &[u32]) -> Vec<u8> {
    let mut payload = address.to_le_bytes().to_vec();
    for w in words {
        payload.extend(w.to_le_bytes());
    }
    frame(kind::WRITE, &payload)
}

/// READ: `count` words from byte address `address`.
pub fn read(address: u32, count: u16) -> Vec<u8> {
    let mut payload = address.to_le_bytes().to_vec();
    payload.extend(count.to_le_bytes());
    frame(kind::READ, &payload)
}

/// INPUT: one input, its label in `label_bytes` bytes, its beats as bytes.
pub fn input(last: bool, label: usize, label_bytes: usize, beats: &[u8]) -> Vec<u8> {
    let mut payload = vec![u8::from(last)];
    payload.extend(&(label as u32).to_le_bytes()[..label_bytes]);
    payload.extend(beats);
    frame(kind::INPUT, &payload)
}

/// A frame from the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub kind: u8,
    pub payload: Vec<u8>,
}

/// What went wrong reading frames.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a frame's CRC is {got:#04x}, its bytes give {want:#04x}")]
    Crc { got: u8, want: u8 },
    #[error("byte {byte:#04x} where a frame should start")]
    NoSync { byte: u8 },
}

/// Reads frames out of a byte stream as bytes arrive.
#[derive(Debug, Default)]
pub struct Reader {
    pending: Vec<u8>,
}

impl Reader {
    /// Takes `bytes`; returns the frames they complete, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Frame>, FrameError> {
        self.pending.extend_from_slice(bytes);
        let mut frames = Vec::new();
        loop {
            let Some(&first) = self.pending.first() else {
                return Ok(frames);
            };
            if first != SYNC {
                self.pending.remove(0);
                return Err(FrameError::NoSync { byte: first });
            }
            if self.pending.len() < 4 {
                return Ok(frames);
            }
            let length = u16::from_le_bytes([self.pending[2], self.pending[3]]) as usize;
            if self.pending.len() < length + 5 {
                return Ok(frames);
            }
            let whole: Vec<u8> = self.pending.drain(..length + 5).collect();
            let want = crc8(0, &whole[1..length + 4]);
            let got = whole[length + 4];
            if got != want {
                return Err(FrameError::Crc { got, want });
            }
            frames.push(Frame {
                kind: whole[1],
                payload: whole[4..length + 4].to_vec(),
            });
        }
    }
}

/// What an ERROR frame's code means.
pub fn refusal(code: u8) -> &'static str {
    match code {
        1 => "a frame's CRC did not match",
        2 => "a frame of an unknown type",
        3 => "a character with a low stop bit",
        4 => "a frame of a length its type cannot have",
        5 => "a byte lost: the receive queue was full",
        _ => "an unknown refusal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_is_crc8_with_polynomial_7() {
        assert_eq!(crc8(0, b"123456789"), 0xF4);
    }

    #[test]
    fn frames_read_back_and_a_flipped_bit_is_caught() {
        let mut stream = write(0x200, &[1, 0xdead_beef]);
        stream.extend(read(0x10, 3));
        let mut reader = Reader::default();
        // Byte by byte, as a UART delivers them.
        let mut frames = Vec::new();
        for b in &stream {
            frames.extend(reader.push(&[*b]).unwrap());
        }
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].kind, kind::WRITE);
        assert_eq!(
            frames[0].payload,
            [0, 2, 0, 0, 1, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde]
        );
        assert_eq!(frames[1].payload, [0x10, 0, 0, 0, 3, 0]);
        let mut broken = frame(kind::OUTPUT, &[1, 2, 3]);
        broken[5] ^= 4;
        assert!(matches!(
            Reader::default().push(&broken),
            Err(FrameError::Crc { .. })
        ));
    }

    #[test]
    fn an_input_frame_carries_flags_label_and_beats() {
        let f = input(true, 0x1234, 2, &[9, 8, 7]);
        assert_eq!(&f[..4], &[SYNC, kind::INPUT, 6, 0]);
        assert_eq!(&f[4..10], &[1, 0x34, 0x12, 9, 8, 7]);
    }
}
