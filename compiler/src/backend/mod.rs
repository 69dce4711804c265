//! The Verilog backend: a verified schedule becomes synthesizable Verilog-2001 for Artix-7 —
//! hand-written primitives from `templates/rtl`, glue rendered from `templates/glue` —
//! with the tables its memories start from, a testbench, and the schedule as CSV.

pub mod context;
pub mod inventory;
pub mod report;
pub mod storage;
pub mod tables;
mod vivado;

use crate::datapath::layout::{self, bits};
use crate::network::Network;
use crate::Compiled;
use serde::Serialize;
use snn_runtime::program::Parameters;
use std::collections::BTreeMap;
use std::path::Path;

pub use context::{Options, UpdateMultipliers};

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
    let version = env!("CARGO_PKG_VERSION");
    let net = &network.name;
    let label_w = bits(network.output().size);
    let mut design = Design::default();

    let jn = schedule.junctions().len();
    let junctions = context::junctions(compiled, options);
    let mems: Vec<context::MemContext> = (0..jn)
        .map(|i| context::memory(compiled, i, options.beat))
        .collect();
    let common = Common {
        net: net.clone(),
        model,
        version: version.into(),
        period: timing.period,
        slot_w: bits(timing.period),
        label_w,
        training: timing.training,
    };
    for j in &junctions {
        let text = render(
            &tera,
            "junction",
            &common,
            &[("j", serde_json::to_value(j).map_err(|e| e.to_string())?)],
        )?;
        design.add(format!("rtl/{net}_{}.v", j.name), text);
    }
    for m in &mems {
        let text = render(
            &tera,
            "layer_mem",
            &common,
            &[("mem", serde_json::to_value(m).map_err(|e| e.to_string())?)],
        )?;
        design.add(format!("rtl/{net}_{}.v", m.name), text);
    }

    // Tables.
    for (path, text) in tables::parameter_files(network, schedule, layout, params) {
        design.add(format!("mem/{path}"), text);
    }
    for (i, (js, j)) in schedule.junctions().iter().zip(&junctions).enumerate() {
        let jl = &layout.junctions[i];
        let name = &js.name;
        if j.rowgen {
            design.add(
                format!("mem/{name}_seeds.mem"),
                tables::seeds(js, j.rows, j.row_w),
            );
        } else {
            design.add(format!("mem/{name}_rows.mem"), tables::rows(js, j.row_w));
        }
        if j.crossbar {
            design.add(
                format!("mem/{name}_lane_bank.mem"),
                tables::lane_bank(js, j.bank_w),
            );
            design.add(
                format!("mem/{name}_bank_lane.mem"),
                tables::bank_lane(js, j.bank_w),
            );
        }
        let next = schedule.junctions().get(i + 1);
        if j.acc {
            design.add(
                format!("mem/{name}_lanes.mem"),
                tables::lanes(js, jl, j.m_w),
            );
            design.add(
                format!("mem/{name}_finalize.mem"),
                tables::finalize(
                    jl,
                    j.neuron_w,
                    next.map(|n| (n, j.right_bank_w, j.right_row_w)),
                ),
            );
        } else if let Some(next) = next {
            design.add(
                format!("mem/{name}_placement.mem"),
                tables::placement(jl, js.right_size, next, j.right_bank_w, j.right_row_w),
            );
        }
        let activation = network
            .layer(network.junction(js.junction).right)
            .activation
            .expect("activated");
        if let Some(table) = tables::activation(activation, network.formats.activations) {
            design.add(format!("mem/{name}_activation.mem"), table);
        }
    }
    let first = &schedule.junctions()[0];
    let (bank0_w, row0_w) = (bits(first.z), bits(first.left_size.div_ceil(first.z)));
    design.add(
        "mem/loader.mem",
        tables::loader(first, options.beat, bank0_w, row0_w),
    );
    let mm_local_w = junctions.iter().map(|j| j.mm_w).max().unwrap_or(1);
    let addresses = tables::mm_addresses(schedule, layout, mm_local_w);
    design.add(
        "tb/mm_addresses.mem",
        addresses
            .iter()
            .map(|a| format!("{a:08x}\n"))
            .collect::<String>(),
    );

    // The top level and the testbench.
    let in_copies = timing.layers[0].activations;
    let label_copies = timing.label_copies;
    let out = timing.junctions.last().expect("a junction");
    let out_copies = out.output_copies;
    let layers_summary = network
        .layers
        .iter()
        .map(|&l| format!("{}[{}]", network.layer(l).name, network.layer(l).size))
        .collect::<Vec<_>>()
        .join(" -> ");
    let last = junctions.last().expect("a junction");
    let mut entered_taps: Vec<usize> = junctions
        .iter()
        .flat_map(|j| {
            let mut taps = vec![j.forward_lag];
            if j.training {
                taps.push(j.backward_lag);
            }
            if j.transfer {
                taps.push(j.backward_lag - 1);
            }
            taps
        })
        .collect();
    entered_taps.sort_unstable();
    entered_taps.dedup();
    let history = timing.history();
    let top = TopContext {
        layers_summary,
        latency: timing.latency,
        clock_mhz: network.target.clock_mhz,
        beat: options.beat,
        beats: first.left_size / options.beat,
        beat_w: bits(first.left_size / options.beat),
        input_w: network.formats.input.width as usize,
        outputs: network.output().size,
        act_w: network.formats.activations.width as usize,
        // An input that entered `drain_cycles` cycles ago is done; the junctions' lags
        // must be in the history too.
        history_read: entered_taps.contains(&history),
        history,
        entered_taps,
        in_copies,
        in_copy_w: bits(in_copies),
        label_copies,
        label_ptr_w: bits(label_copies),
        label_in0: context::counter_init(0, label_copies),
        label_out0: context::counter_init(last.forward_lag, label_copies),
        out_copies,
        out_copy_w: bits(out_copies),
        out_copy0: 0,
        out_count_w: bits(out_copies + 2),
        layer0_bank_w: bank0_w,
        layer0_row_w: row0_w,
        mm_local_w,
        mm_junction_w: bits(jn),
        files: BTreeMap::from([("loader", "mem/loader.mem".to_string())]),
        loader_style: inventory::memories(&inventory::top(
            context::loader_columns(compiled, options.beat),
            first.left_size / options.beat,
        ))
        .map(|(_, memory)| memory.style())
        .next()
        .expect("the loader"),
        last: serde_json::to_value(last).map_err(|e| e.to_string())?,
        mems: mems
            .iter()
            .map(|m| serde_json::to_value(m).expect("serialisable"))
            .collect(),
        junctions: junctions
            .iter()
            .map(|j| serde_json::to_value(j).expect("serialisable"))
            .collect(),
        max_samples: bench.max_samples,
        mm_count: addresses.len(),
        timeout_clocks: 8 * timing.period as u64 * timing.drain_cycles as u64 + 10_000,
    };
    let top_value = serde_json::to_value(&top).map_err(|e| e.to_string())?;
    let top_fields: Vec<(&str, serde_json::Value)> = top_value
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    design.add(
        format!("rtl/{net}_top.v"),
        render(&tera, "top", &common, &top_fields)?,
    );
    design.add(
        format!("tb/tb_{net}.v"),
        render(&tera, "tb", &common, &top_fields)?,
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
    let report = report::report(compiled, &junctions, &mems, options);
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

#[derive(Serialize)]
struct TopContext {
    entered_taps: Vec<usize>,
    layers_summary: String,
    latency: usize,
    clock_mhz: f64,
    beat: usize,
    beats: usize,
    beat_w: usize,
    input_w: usize,
    outputs: usize,
    act_w: usize,
    history: usize,
    history_read: bool,
    in_copies: usize,
    in_copy_w: usize,
    label_copies: usize,
    label_ptr_w: usize,
    label_in0: usize,
    label_out0: usize,
    out_copies: usize,
    out_copy_w: usize,
    out_copy0: usize,
    out_count_w: usize,
    layer0_bank_w: usize,
    layer0_row_w: usize,
    mm_local_w: usize,
    mm_junction_w: usize,
    files: BTreeMap<&'static str, String>,
    loader_style: &'static str,
    last: serde_json::Value,
    mems: Vec<serde_json::Value>,
    junctions: Vec<serde_json::Value>,
    max_samples: usize,
    mm_count: usize,
    timeout_clocks: u64,
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
