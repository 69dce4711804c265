//! Rendering the hardware model into a design: the glue templates over each module's record,
//! the memory images, the testbench's tables, the schedules, the Vivado flow and the report.

use super::{regs, report, tables, used_primitives, vivado, Bench, Design, GLUE};
use crate::datapath::layout::bits;
use crate::hw::regs::RegisterMap;
use crate::hw::verilog::Params;
use crate::hw::Hardware;
use crate::Compiled;
use serde::Serialize;
use snn_runtime::program::Parameters;
use std::path::Path;

/// Why a design could not be rendered: always a bug in snnc (a template or its record).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },
    #[error("the record of {what} cannot be serialised: {message}")]
    Record { what: String, message: String },
}

/// The design of `hw`, the hardware of `compiled`, its memories starting from `params`.
pub fn render(
    compiled: &Compiled,
    hw: &Hardware,
    params: &Parameters,
    bench: &Bench,
) -> Result<Design, RenderError> {
    let tera = glue_templates()?;
    let common = Common::of(compiled, hw);
    let net = &common.net;
    let mut design = Design::default();
    for j in &hw.junctions {
        let text = fill(&tera, "junction", &common, &[("j", value(&j.name, j)?)])?;
        design.add(format!("rtl/{net}_{}.v", j.name), text);
    }
    for m in &hw.memories {
        let text = fill(&tera, "layer_mem", &common, &[("mem", value(&m.name, m)?)])?;
        design.add(format!("rtl/{net}_{}.v", m.name), text);
    }
    let read_back = add_tables(&mut design, compiled, hw, params);
    let top = top_values(hw, &testbench(hw, bench, read_back))?;
    design.add(
        format!("rtl/{net}_top.v"),
        fill(&tera, "top", &common, &top)?,
    );
    design.add(format!("tb/tb_{net}.v"), fill(&tera, "tb", &common, &top)?);
    if let Some(shell) = &hw.shell {
        let record = [("shell", value("the AXI shell", shell)?)];
        design.add(
            format!("rtl/{net}_axi.v"),
            fill(&tera, "axi", &common, &record)?,
        );
        let mut tb = shell.params.clone();
        limits(&mut tb, hw, bench, read_back);
        let tb = [("tb_params", value("the AXI testbench", &tb)?)];
        design.add(
            format!("tb/tb_{net}_axi.v"),
            fill(&tera, "tb_axi", &common, &tb)?,
        );
        add_registers(&mut design, net, &shell.regs)?;
    }
    if let Some(board) = &hw.board {
        let record = [("board", value("the board top", board)?)];
        design.add(
            format!("rtl/{net}_board.v"),
            fill(&tera, "board", &common, &record)?,
        );
    }
    // The primitives the glue instantiates, and those they instantiate in turn.
    let glue: Vec<&[u8]> = design
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("rtl/"))
        .map(|(_, text)| text.as_slice())
        .collect();
    for (name, text) in used_primitives(&glue) {
        design.add(format!("rtl/{name}"), text);
    }
    for js in compiled.schedule().junctions() {
        design.add(format!("schedule/{}.csv", js.name), js.csv());
    }
    for (path, text) in vivado::files(compiled.network(), &common.model, hw)? {
        design.add(path, text);
    }
    add_report(&mut design, compiled, hw)?;
    Ok(design)
}

/// The glue templates, ready to render.
fn glue_templates() -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::new();
    for (name, text) in GLUE {
        tera.add_raw_template(name, text)
            .map_err(|e| RenderError::Template {
                template: name.to_string(),
                message: e.to_string(),
            })?;
    }
    Ok(tera)
}

/// The memory images (parameters, the junctions' tables, the loader's) and the testbench's
/// list of addresses to read back; returns how many there are.
fn add_tables(
    design: &mut Design,
    compiled: &Compiled,
    hw: &Hardware,
    params: &Parameters,
) -> usize {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let layout = compiled.datapath().layout();
    for (path, text) in tables::parameter_files(network, schedule, layout, params) {
        design.add(format!("mem/{path}"), text);
    }
    for j in &hw.junctions {
        for (file, text) in &j.images {
            design.add(format!("mem/{file}"), text.clone());
        }
    }
    design.add(hw.top.loader_file, hw.top.loader_image.clone());
    let addresses = tables::mm_addresses(schedule, layout, hw.top.mm_local_w);
    design.add(
        "tb/mm_addresses.mem",
        addresses
            .iter()
            .map(|a| format!("{a:08x}\n"))
            .collect::<String>(),
    );
    addresses.len()
}

/// The testbench's `localparam`s: the top level's stream widths, the samples a run may
/// stream and the `read_back` weights and biases it reads after it.
fn testbench(hw: &Hardware, bench: &Bench, read_back: usize) -> Params {
    let t = &hw.top;
    let mut tb = Params::default();
    tb.size("IN_DATA_W", t.beat * t.input_w, "bits of a beat");
    tb.size("LABEL_W", t.label_w, "bits of a label");
    tb.size("OUTPUTS", t.outputs, "output values");
    tb.size("ACT_W", t.act_w, "bits of an output value");
    tb.size("BEATS", t.beats, "beats per input");
    tb.size(
        "MM_READ_LATENCY",
        t.mm_read_latency,
        "clocks from a read's address to its data",
    );
    limits(&mut tb, hw, bench, read_back);
    tb
}

/// What a testbench may stream and must read back, and when it gives up.
fn limits(tb: &mut Params, hw: &Hardware, bench: &Bench, read_back: usize) {
    tb.size(
        "MAX_SAMPLES",
        bench.max_samples,
        "the most inputs a run streams",
    );
    tb.size("MM_COUNT", read_back, "weights and biases read back");
    let timeout = hw.top.timeout_clocks as i64;
    tb.number("TIMEOUT", timeout, "clocks without progress that end a run");
}

/// What the top level and the testbench are rendered with: the top's record, its ports and
/// parameters, the junctions and memories it connects, and the testbench's parameters.
fn top_values(hw: &Hardware, tb: &Params) -> Result<Vec<(String, serde_json::Value)>, RenderError> {
    let record = value("the top level", &hw.top)?;
    let mut top: Vec<(String, serde_json::Value)> = record
        .as_object()
        .expect("a record")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let lists = [
        ("tb_params", value("the testbench", tb)?),
        ("top_ports", value("the top level", &hw.top.ports)?),
        ("top_params", value("the top level", &hw.top.params)?),
        ("junctions", value("the junctions", &hw.junctions)?),
        ("mems", value("the layer memories", &hw.memories)?),
    ];
    top.extend(lists.map(|(k, v)| (k.to_string(), v)));
    Ok(top)
}

/// `regs.md`, `regs.json` and `regs.h`: the AXI shell's register map.
fn add_registers(design: &mut Design, net: &str, map: &RegisterMap) -> Result<(), RenderError> {
    let json = serde_json::to_string_pretty(map).map_err(|e| RenderError::Record {
        what: "the register map".into(),
        message: e.to_string(),
    })?;
    design.add("regs.json", json + "\n");
    design.add("regs.md", regs::markdown(net, map));
    design.add("regs.h", regs::c_header(net, map));
    Ok(())
}

/// `report.json` and `report.md`.
fn add_report(design: &mut Design, compiled: &Compiled, hw: &Hardware) -> Result<(), RenderError> {
    let report = report::report(compiled, hw);
    let json = serde_json::to_string_pretty(&report).map_err(|e| RenderError::Record {
        what: "the report".into(),
        message: e.to_string(),
    })?;
    design.add("report.json", json + "\n");
    design.add("report.md", report.markdown());
    design.report = Some(report);
    Ok(())
}

/// What every glue template is rendered with.
#[derive(Serialize)]
struct Common {
    net: String,
    model: String,
    version: String,
    period: usize,
    slot_w: usize,
    label_w: usize,
    training: bool,
}

impl Common {
    fn of(compiled: &Compiled, hw: &Hardware) -> Common {
        let network = &compiled.network();
        let timing = compiled.datapath().timing();
        Common {
            net: network.name.clone(),
            // By its file name, so that a build is the same wherever it is run from.
            model: Path::new(&network.source_name)
                .file_name()
                .map_or(network.source_name.clone(), |n| {
                    n.to_string_lossy().into_owned()
                }),
            version: env!("CARGO_PKG_VERSION").into(),
            period: timing.period(),
            slot_w: bits(timing.period()),
            label_w: hw.top.label_w,
            training: timing.training(),
        }
    }
}

/// The record `v` of `what` as a template value.
fn value<T: Serialize>(what: &str, v: &T) -> Result<serde_json::Value, RenderError> {
    serde_json::to_value(v).map_err(|e| RenderError::Record {
        what: what.to_string(),
        message: e.to_string(),
    })
}

/// `template` rendered with the common values and `extra`.
fn fill(
    tera: &tera::Tera,
    template: &str,
    common: &Common,
    extra: &[(impl AsRef<str>, serde_json::Value)],
) -> Result<String, RenderError> {
    let failed = |message: String| RenderError::Template {
        template: template.to_string(),
        message,
    };
    let mut context = tera::Context::from_serialize(common).map_err(|e| failed(e.to_string()))?;
    for (key, value) in extra {
        context.insert(key.as_ref().to_string(), value);
    }
    tera.render(template, &context)
        .map_err(|e| failed(format!("{e:?}")))
}
