//! The Verilog backend: a verified schedule becomes synthesizable Verilog-2001 for Artix-7 —
//! hand-written primitives from `templates/rtl`, glue rendered from `templates/glue` —
//! with the tables its memories start from, a testbench, and the schedule as CSV.

pub mod report;
pub mod storage;
pub mod tables;
mod vivado;

use crate::datapath::layout::{self, bits};
use crate::hw::{self, Options};
use crate::network::Network;
use crate::Compiled;
use serde::Serialize;
use snn_runtime::program::Parameters;
use std::collections::BTreeMap;
use std::path::Path;

/// Hand-written primitives, copied as they are.
pub const PRIMITIVES: &[(&str, &str)] = &[
    (
        "snn_act.v",
        include_str!("../../../templates/rtl/snn_act.v"),
    ),
    (
        "snn_adder_tree.v",
        include_str!("../../../templates/rtl/snn_adder_tree.v"),
    ),
    (
        "snn_crossbar.v",
        include_str!("../../../templates/rtl/snn_crossbar.v"),
    ),
    (
        "snn_delay.v",
        include_str!("../../../templates/rtl/snn_delay.v"),
    ),
    (
        "snn_lutram.v",
        include_str!("../../../templates/rtl/snn_lutram.v"),
    ),
    (
        "snn_mul.v",
        include_str!("../../../templates/rtl/snn_mul.v"),
    ),
    (
        "snn_ram.v",
        include_str!("../../../templates/rtl/snn_ram.v"),
    ),
    (
        "snn_ram_2r.v",
        include_str!("../../../templates/rtl/snn_ram_2r.v"),
    ),
    (
        "snn_ram_lanes.v",
        include_str!("../../../templates/rtl/snn_ram_lanes.v"),
    ),
    (
        "snn_rom.v",
        include_str!("../../../templates/rtl/snn_rom.v"),
    ),
    (
        "snn_round_sat.v",
        include_str!("../../../templates/rtl/snn_round_sat.v"),
    ),
    (
        "snn_rowgen.v",
        include_str!("../../../templates/rtl/snn_rowgen.v"),
    ),
];

const GLUE: &[(&str, &str)] = &[
    (
        "ports",
        include_str!("../../../templates/glue/ports.v.tera"),
    ),
    (
        "params",
        include_str!("../../../templates/glue/params.v.tera"),
    ),
    (
        "junction_tree",
        include_str!("../../../templates/glue/junction_tree.v.tera"),
    ),
    (
        "junction_acc",
        include_str!("../../../templates/glue/junction_acc.v.tera"),
    ),
    (
        "junction_output",
        include_str!("../../../templates/glue/junction_output.v.tera"),
    ),
    (
        "junction",
        include_str!("../../../templates/glue/junction.v.tera"),
    ),
    (
        "layer_mem",
        include_str!("../../../templates/glue/layer_mem.v.tera"),
    ),
    ("top", include_str!("../../../templates/glue/top.v.tera")),
    ("tb", include_str!("../../../templates/glue/tb.v.tera")),
];

/// Every file of a build, by path relative to the output directory.
#[derive(Debug, Default)]
pub struct Design {
    pub files: BTreeMap<String, Vec<u8>>,
    /// What `report.json` holds.
    pub report: Option<report::Report>,
}

impl Design {
    fn add(&mut self, path: impl Into<String>, content: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), content.into());
    }

    /// The Verilog sources, primitives first, in the order a simulator should read them.
    pub fn sources(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|p| p.starts_with("rtl/") && p.ends_with(".v"))
            .cloned()
            .collect()
    }

    /// Writes every file under `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (path, content) in &self.files {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(full, content)?;
        }
        Ok(())
    }
}

/// Testbench settings.
#[derive(Clone, Copy, Debug)]
pub struct Bench {
    /// The most inputs the testbench can stream.
    pub max_samples: usize,
}

/// Renders the design of a planned network, starting from `params`.
pub fn build(
    compiled: &Compiled,
    params: &Parameters,
    options: &Options,
    bench: &Bench,
) -> Result<Design, String> {
    let (network, schedule) = (&compiled.network, &compiled.schedule);
    let layout = &compiled.datapath.layout;
    let timing = &compiled.datapath.timing;
    layout::check_beat(schedule, options.beat).map_err(|e| e.to_string())?;
    let hw = hw::model(compiled, options);
    let mut tera = tera::Tera::new();
    // Sub-templates first: `junction` includes them.
    for (name, text) in GLUE {
        tera.add_raw_template(name, text)
            .map_err(|e| format!("template {name}: {e}"))?;
    }
    let model = Path::new(&network.source_name)
        .file_name()
        .map_or(network.source_name.clone(), |n| {
            n.to_string_lossy().into_owned()
        });
    let net = &network.name;
    let mut design = Design::default();
    let common = Common {
        net: net.clone(),
        model,
        version: env!("CARGO_PKG_VERSION").into(),
        period: timing.period,
        slot_w: bits(timing.period),
        label_w: hw.top.label_w,
        training: timing.training,
    };
    for j in &hw.junctions {
        let text = render(&tera, "junction", &common, &[("j", value(j)?)])?;
        design.add(format!("rtl/{net}_{}.v", j.name), text);
    }
    for m in &hw.memories {
        let text = render(&tera, "layer_mem", &common, &[("mem", value(m)?)])?;
        design.add(format!("rtl/{net}_{}.v", m.name), text);
    }

    // Tables.
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

    // The top level and the testbench.
    let top_fields = value(&hw.top)?;
    let mut top: Vec<(&str, serde_json::Value)> = top_fields
        .as_object()
        .expect("a record")
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let t = &hw.top;
    let mut tb = crate::hw::verilog::Params::default();
    tb.size("IN_DATA_W", t.beat * t.input_w, "bits of a beat");
    tb.size("LABEL_W", t.label_w, "bits of a label");
    tb.size("OUTPUTS", t.outputs, "output values");
    tb.size("ACT_W", t.act_w, "bits of an output value");
    tb.size("BEATS", t.beats, "beats per input");
    tb.size(
        "MAX_SAMPLES",
        bench.max_samples,
        "the most inputs a run streams",
    );
    tb.size("MM_COUNT", addresses.len(), "weights and biases read back");
    tb.number(
        "TIMEOUT",
        t.timeout_clocks as i64,
        "clocks without progress that end a run",
    );
    top.extend([
        ("tb_params", value(&tb)?),
        ("top_ports", value(&hw.top.ports)?),
        ("top_params", value(&hw.top.params)?),
        ("junctions", value(&hw.junctions)?),
        ("mems", value(&hw.memories)?),
        ("max_samples", value(&bench.max_samples)?),
        ("mm_count", value(&addresses.len())?),
    ]);
    design.add(
        format!("rtl/{net}_top.v"),
        render(&tera, "top", &common, &top)?,
    );
    design.add(
        format!("tb/tb_{net}.v"),
        render(&tera, "tb", &common, &top)?,
    );

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
    for js in schedule.junctions() {
        design.add(format!("schedule/{}.csv", js.name), js.csv());
    }

    // The Vivado flow and the report.
    for (path, text) in vivado::files(network, &common.model)? {
        design.add(path, text);
    }
    let report = report::report(compiled, &hw);
    design.add(
        "report.json",
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
    );
    design.add("report.md", report.markdown());
    design.report = Some(report);
    Ok(design)
}

/// The primitives `sources` instantiate (`snn_mul #(` or `snn_mul name (`), with the
/// primitives those instantiate, so that `rtl/` holds exactly the design's modules.
fn used_primitives(sources: &[&[u8]]) -> Vec<(&'static str, &'static str)> {
    let instantiates = |text: &str, module: &str| {
        text.match_indices(module).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + module.len()..].trim_start();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && (after.starts_with("#(")
                    || after.split_once('(').is_some_and(|(name, _)| {
                        let name = name.trim();
                        !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    }))
        })
    };
    fn module(file: &str) -> &str {
        file.trim_end_matches(".v")
    }
    let mut used: Vec<(&'static str, &'static str)> = Vec::new();
    let mut pending: Vec<String> = sources
        .iter()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    while let Some(text) = pending.pop() {
        for &(file, primitive) in PRIMITIVES {
            if !used.iter().any(|(f, _)| *f == file) && instantiates(&text, module(file)) {
                used.push((file, primitive));
                pending.push(primitive.to_string());
            }
        }
    }
    used.sort_unstable();
    used
}

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

/// `v` as a template value.
fn value<T: Serialize>(v: &T) -> Result<serde_json::Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

fn render(
    tera: &tera::Tera,
    template: &str,
    common: &Common,
    extra: &[(&str, serde_json::Value)],
) -> Result<String, String> {
    let mut context = tera::Context::from_serialize(common).map_err(|e| e.to_string())?;
    for (key, value) in extra {
        context.insert(key.to_string(), value);
    }
    tera.render(template, &context)
        .map_err(|e| format!("rendering {template}: {e:?}"))
}

/// The default number of input values per beat: a divisor of the input layer and of the
/// first junction's z, at most 32.
pub fn default_beat(network: &Network) -> usize {
    let first = network.junction(network.junctions[0]);
    let inputs = network.input().size;
    (1..=32.min(first.z))
        .rev()
        .find(|b| inputs.is_multiple_of(*b) && first.z.is_multiple_of(*b))
        .unwrap_or(1)
}
