//! The Vivado flow of a build: `vivado/build.tcl` (out of context for the core or its AXI
//! shell, or with a board top the whole flow to a bitstream, with `program.tcl` and the
//! board's pins), the model's clock as `vivado/timing.xdc`, and `package_ip.tcl` for the AXI
//! shell.

use super::RenderError;
use crate::hw::Hardware;
use crate::network::Network;
use crate::target::Board;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "slack",
        include_str!("../../../templates/vivado/slack.tcl.tera"),
    ),
    (
        "build",
        include_str!("../../../templates/vivado/build.tcl.tera"),
    ),
    (
        "board_build",
        include_str!("../../../templates/vivado/board_build.tcl.tera"),
    ),
    (
        "program",
        include_str!("../../../templates/vivado/program.tcl.tera"),
    ),
    (
        "board_xdc",
        include_str!("../../../templates/vivado/board.xdc.tera"),
    ),
    (
        "timing",
        include_str!("../../../templates/vivado/timing.xdc.tera"),
    ),
    (
        "package_ip",
        include_str!("../../../templates/vivado/package_ip.tcl.tera"),
    ),
];

/// The flow's files, by path in the build directory.
pub fn files(
    network: &Network,
    model: &str,
    hw: &Hardware,
) -> Result<Vec<(String, String)>, RenderError> {
    let failed = |template: &str, e: tera::Error| RenderError::Template {
        template: format!("vivado/{template}"),
        message: format!("{e:?}"),
    };
    let mut tera = tera::Tera::default();
    for (name, text) in TEMPLATES {
        tera.add_raw_template(name, text)
            .map_err(|e| failed(name, e))?;
    }
    let part = network.target.part.name.to_ascii_lowercase();
    let boards: Vec<&str> = Board::ALL
        .iter()
        .filter(|(_, b)| b.part() == part)
        .map(|(name, _)| *name)
        .collect();
    let mut context = tera::Context::new();
    context.insert("net", &network.name);
    context.insert("model", model);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    context.insert("part", &network.target.part.name);
    context.insert("device", network.target.part.device.name);
    context.insert("clock_mhz", &network.target.clock_mhz);
    context.insert("period_ns", &format!("{:.3}", network.target.period_ns()));
    context.insert("boards", &boards);
    let top = if hw.shell.is_some() {
        format!("{}_axi", network.name)
    } else {
        format!("{}_top", network.name)
    };
    context.insert("top", &top);
    let render = |name: &str, context: &tera::Context| {
        tera.render(name, context).map_err(|e| failed(name, e))
    };
    let mut out = vec![("vivado/timing.xdc".to_string(), render("timing", &context)?)];
    match &hw.board {
        None => out.push(("vivado/build.tcl".into(), render("build", &context)?)),
        Some(board) => {
            context.insert("board", board.board);
            context.insert("title", board.title);
            context.insert("pins", &board.pins);
            out.push(("vivado/build.tcl".into(), render("board_build", &context)?));
            out.push(("vivado/program.tcl".into(), render("program", &context)?));
            out.push((
                format!("vivado/{}.xdc", board.board),
                render("board_xdc", &context)?,
            ));
        }
    }
    if hw.shell.is_some() {
        out.push((
            "vivado/package_ip.tcl".into(),
            render("package_ip", &context)?,
        ));
    }
    Ok(out)
}
