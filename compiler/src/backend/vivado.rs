//! The Vivado flow of a build: `vivado/build.tcl` (non-project, out of context), the
//! model's clock as `vivado/timing.xdc`, and pin files for the boards that carry the part.

use super::RenderError;
use crate::network::Network;
use crate::target::Board;

const BUILD: &str = include_str!("../../../templates/vivado/build.tcl.tera");
const TIMING: &str = include_str!("../../../templates/vivado/timing.xdc.tera");
const BOARD: &str = include_str!("../../../templates/vivado/board.xdc.tera");

/// A board's clock and reset pins, as its pin file names them.
struct Pins {
    name: &'static str,
    reset_pin: &'static str,
    reset_doc: &'static str,
}

fn pins(board: Board) -> Pins {
    match board {
        Board::ArtyA7_100T => Pins {
            name: "Digilent Arty A7-100T",
            reset_pin: "D9",
            reset_doc: "button BTN0 (D9)",
        },
        Board::Nexys4Ddr => Pins {
            name: "Digilent Nexys4 DDR",
            reset_pin: "N17",
            reset_doc: "the centre button BTNC (N17)",
        },
    }
}

/// The flow's files, by path in the build directory.
pub fn files(network: &Network, model: &str) -> Result<Vec<(String, String)>, RenderError> {
    let boards: Vec<Board> = Board::ALL
        .iter()
        .map(|(_, b)| *b)
        .filter(|b| b.part() == network.target.part.name.to_ascii_lowercase())
        .collect();
    let mut context = tera::Context::new();
    context.insert("net", &network.name);
    context.insert("model", model);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    context.insert("part", &network.target.part.name);
    context.insert("clock_mhz", &network.target.clock_mhz);
    context.insert(
        "period_ns",
        &format!("{:.3}", 1000.0 / network.target.clock_mhz),
    );
    context.insert(
        "boards",
        &boards.iter().map(|b| b.name()).collect::<Vec<_>>(),
    );
    let render = |text: &str, context: &tera::Context| {
        tera::Tera::one_off(text, context, false).map_err(|e| RenderError::Template {
            template: "vivado".into(),
            message: format!("{e:?}"),
        })
    };
    let mut out = vec![
        ("vivado/build.tcl".to_string(), render(BUILD, &context)?),
        ("vivado/timing.xdc".to_string(), render(TIMING, &context)?),
    ];
    for board in boards {
        let p = pins(board);
        let mut c = context.clone();
        c.insert("board_name", p.name);
        c.insert("reset_pin", p.reset_pin);
        c.insert("reset_doc", p.reset_doc);
        out.push((format!("vivado/{}.xdc", board.name()), render(BOARD, &c)?));
    }
    Ok(out)
}
