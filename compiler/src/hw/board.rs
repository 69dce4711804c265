//! The board top: the AXI shell behind the board's USB-UART (`snn_uart_bridge` speaking the
//! board protocol), the status on LEDs and a reset button — with every pin of the board it
//! uses, from which the top's ports and the board's `.xdc` are both written.

use super::parts::{self, Part, Primitive};
use super::shell::Shell;
use super::verilog::{Params, Ports};
use crate::backend::storage::Memory;
use crate::datapath::layout::bits;
use crate::target::Board;
use serde::Serialize;

/// The board's oscillator, which clocks the board top directly.
pub const OSCILLATOR_HZ: f64 = 100e6;

/// The fastest a UART bit may be: clocks per bit the receiver needs to find a bit's middle.
const MIN_CLOCKS_PER_BIT: usize = 8;

/// How far the UART's bit rate may be from the one asked for (the other end adds as much).
pub const MAX_BAUD_ERROR: f64 = 0.02;

/// Bytes of the queue after the receiver (2^RX_QUEUE_W) and before the transmitter.
const RX_QUEUE_W: usize = 6;
const TX_QUEUE_W: usize = 10;

/// One pin of the board the top uses.
#[derive(Clone, Debug, Serialize)]
pub struct Pin {
    /// The top's port (with an index for a bus bit).
    pub port: String,
    pub package_pin: &'static str,
    /// What it is on the board.
    pub doc: String,
}

/// What a board has that the top uses.
struct Pins {
    title: &'static str,
    clock: &'static str,
    reset: (&'static str, &'static str),
    uart_rx: (&'static str, &'static str),
    uart_tx: (&'static str, &'static str),
    leds: [&'static str; 4],
    led_names: &'static str,
}

fn board_pins(board: Board) -> Pins {
    match board {
        Board::ArtyA7_100T => Pins {
            title: "Digilent Arty A7-100T",
            clock: "E3",
            reset: ("D9", "button BTN0"),
            uart_rx: ("A9", "USB-UART uart_txd_in (from the host)"),
            uart_tx: ("D10", "USB-UART uart_rxd_out (to the host)"),
            leds: ["H5", "J5", "T9", "T10"],
            led_names: "LD4 to LD7",
        },
        Board::Nexys4Ddr => Pins {
            title: "Digilent Nexys4 DDR",
            clock: "E3",
            reset: ("N17", "the centre button BTNC"),
            uart_rx: ("C4", "USB-UART UART_TXD_IN (from the host)"),
            uart_tx: ("D4", "USB-UART UART_RXD_OUT (to the host)"),
            leds: ["H17", "K15", "J13", "N14"],
            led_names: "LED0 to LED3",
        },
    }
}

/// What the LEDs show, lowest first.
pub const LEDS: [&str; 4] = [
    "a run is in progress",
    "a run has finished",
    "a frame was refused since reset",
    "blinks while the clock runs",
];

/// Why a board top cannot be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BoardError {
    #[error("the board top runs on the board's {oscillator} MHz oscillator, the model is clocked at {clock} MHz")]
    Clock { oscillator: f64, clock: f64 },
    #[error("{baud} baud at {clock} MHz is {clocks_per_bit} clocks per bit, {error:.1}% off (at most {max:.0}%, and at least {min} clocks per bit)")]
    Baud {
        baud: u32,
        clock: f64,
        clocks_per_bit: usize,
        error: f64,
        max: f64,
        min: usize,
    },
}

/// The board top of a design.
#[derive(Clone, Debug, Serialize)]
pub struct BoardTop {
    /// The board's name in snnc (`arty_a7_100t`) and its title.
    pub board: &'static str,
    pub title: &'static str,
    pub baud: u32,
    pub clocks_per_bit: usize,
    pub rx_queue_w: usize,
    pub tx_queue_w: usize,
    /// Bytes of the frame buffer: 2^buffer_w, a whole input frame and a WRITE of some words.
    pub buffer_w: usize,
    /// Bytes of an input beat, of a label and of an output in the frames.
    pub in_bytes: usize,
    pub beats: usize,
    pub label_bytes: usize,
    pub label_w: usize,
    pub out_bytes: usize,
    pub axil_addr_w: usize,
    /// Words a WRITE frame may carry.
    pub write_words: usize,
    /// Outputs the host may have outstanding (inputs sent, outputs not yet received), so that
    /// the transmit queue never fills and the core never waits on it.
    pub window: usize,
    /// Bits of the LED blinker's counter (its top bit toggles every 2^(w-1) clocks).
    pub blink_w: usize,
    pub pins: Vec<Pin>,
    pub params: Params,
    pub ports: Ports,
    #[serde(skip)]
    pub parts: Vec<Part>,
}

/// The board top of `shell` on `board`, the UART at `baud`, the model clocked at `clock_mhz`.
pub fn board_top(
    shell: &Shell,
    board: Board,
    baud: u32,
    clock_mhz: f64,
) -> Result<BoardTop, BoardError> {
    let oscillator_mhz = OSCILLATOR_HZ / 1e6;
    if (clock_mhz - oscillator_mhz).abs() > 1e-9 {
        return Err(BoardError::Clock {
            oscillator: oscillator_mhz,
            clock: clock_mhz,
        });
    }
    let clocks_per_bit = (OSCILLATOR_HZ / f64::from(baud)).round() as usize;
    let actual = OSCILLATOR_HZ / clocks_per_bit.max(1) as f64;
    let error = (actual - f64::from(baud)).abs() / f64::from(baud);
    if clocks_per_bit < MIN_CLOCKS_PER_BIT || error > MAX_BAUD_ERROR {
        return Err(BoardError::Baud {
            baud,
            clock: clock_mhz,
            clocks_per_bit,
            error: 100.0 * error,
            max: 100.0 * MAX_BAUD_ERROR,
            min: MIN_CLOCKS_PER_BIT,
        });
    }
    let label_bytes = shell.label_w.div_ceil(8);
    let in_bytes = shell.in_tdata_w / 8;
    let out_bytes = shell.out_tdata_w / 8;
    let input_frame = 1 + label_bytes + shell.beats * in_bytes;
    // At least 64 bytes: a WRITE of 15 words.
    let buffer_w = bits(input_frame).max(6);
    // An output frame is its bytes and 5 of framing.
    let window = ((1usize << TX_QUEUE_W) / (out_bytes + 5)).max(1);
    let p = board_pins(board);
    let mut pins = vec![
        pin("clk", p.clock, "the 100 MHz oscillator".into()),
        pin("btn_reset", p.reset.0, format!("{} (reset)", p.reset.1)),
        pin("uart_rx", p.uart_rx.0, p.uart_rx.1.into()),
        pin("uart_tx", p.uart_tx.0, p.uart_tx.1.into()),
    ];
    for (i, (package_pin, shows)) in p.leds.iter().zip(LEDS).enumerate() {
        let doc = format!("LED {} of {}: {shows}", i, p.led_names);
        pins.push(pin(&format!("led[{i}]"), package_pin, doc));
    }
    let mut top = BoardTop {
        board: board.name(),
        title: p.title,
        baud,
        clocks_per_bit,
        rx_queue_w: RX_QUEUE_W,
        tx_queue_w: TX_QUEUE_W,
        buffer_w,
        in_bytes,
        beats: shell.beats,
        label_bytes,
        label_w: shell.label_w,
        out_bytes,
        axil_addr_w: shell.axil_addr_w,
        write_words: ((1usize << buffer_w) - 4) / 4,
        window,
        blink_w: 27,
        pins,
        params: Params::default(),
        ports: Ports::default(),
        parts: Vec::new(),
    };
    let buffer = Memory::ram(8, 1 << buffer_w, 1);
    top.parts = vec![
        parts::part("receiver", 1, Primitive::UartRx { clocks_per_bit }),
        parts::part(
            "rx_queue",
            1,
            Primitive::Fifo {
                width: 8,
                addr: RX_QUEUE_W,
            },
        ),
        parts::part(
            "bridge",
            1,
            Primitive::Bridge {
                addr_w: shell.axil_addr_w,
                in_bytes,
                out_bytes,
                label_bytes,
            },
        ),
        parts::nested("bridge_buffer", Primitive::Stored(buffer)),
        parts::part(
            "tx_queue",
            1,
            Primitive::Fifo {
                width: 8,
                addr: TX_QUEUE_W,
            },
        ),
        parts::part("transmitter", 1, Primitive::UartTx { clocks_per_bit }),
    ];
    let record = serde_json::to_value(&top).expect("a hardware record serialises");
    top.params = Params::of(&record);
    top.params.text(
        "BUFFER_STYLE",
        buffer.style(),
        "storage of the frame buffer",
    );
    top.ports = ports();
    Ok(top)
}

fn pin(port: &str, package_pin: &'static str, doc: String) -> Pin {
    Pin {
        port: port.to_string(),
        package_pin,
        doc,
    }
}

/// The board top's ports: the pins it uses.
fn ports() -> Ports {
    let mut p = Ports::default();
    p.input("clk", "the board's 100 MHz oscillator");
    p.input("btn_reset", "a button: reset while pressed");
    p.input("uart_rx", "from the host");
    p.output("uart_tx", "to the host");
    p.output_bits("led", LEDS.len(), "busy, done, refused, alive");
    p
}
