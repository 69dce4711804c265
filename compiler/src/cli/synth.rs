//! `snnc synth MODEL.snn`: synthesise the generated RTL with Yosys for Xilinx 7-series and
//! report LUTs, flip-flops, block RAM, DSP slices and carry chains against the part, block by
//! block, with the analytical estimate beside them.

use super::{CommandResult, Output};
use crate::cells;
use crate::diagnostics::Error;
use crate::fmax::{self, Verdict};
use crate::synth::{estimate, yosys, Synthesis};
use crate::table::Table;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file
    model: PathBuf,
    #[command(flatten)]
    dir: super::build::WorkDir,
    #[command(flatten)]
    design: super::build::DesignArgs,
}

pub fn run(args: &Args, out: &Output) -> CommandResult {
    let compiled = super::compile(&args.model, out)?;
    let network = &compiled.network();
    let options = args.design.options(&compiled)?;
    let params = args.design.parameters(&compiled, out)?;
    let design = super::build::emit(&compiled, &params, &options, 1)?;
    let temp = tempfile::tempdir().map_err(|e| Error::Internal {
        message: format!("temporary directory: {e}"),
    })?;
    let dir = match &args.dir.output {
        Some(dir) => {
            crate::files::write_tree(dir, &design.files, args.dir.force)?;
            dir.clone()
        }
        None => {
            design
                .write(temp.path())
                .map_err(|e| super::write_error(temp.path(), e))?;
            temp.path().to_path_buf()
        }
    };
    let spinner = out.spinner("{spinner} synthesising {msg} with Yosys ({elapsed})");
    spinner.set_message(network.name.clone());
    let started = Instant::now();
    let report = yosys::synthesise(&dir, &design.sources(), &format!("{}_top", network.name));
    spinner.finish_and_clear();
    let report = report.map_err(|e| match e {
        yosys::YosysError::Missing => Error::YosysMissing { alternative: "" },
        yosys::YosysError::Failed(log) => Error::YosysFailed { log },
    })?;
    let synthesis = Synthesis::from_yosys(&compiled, &report);
    let estimated = estimate::estimate(&compiled, &options);
    let timing =
        fmax::netlist::analyse(&report.netlist, &report.top).map_err(|e| Error::YosysFailed {
            log: format!("timing the netlist: {e}"),
        })?;
    let verdict = Verdict::new(timing.worst.total_ps, network.target.clock_mhz);
    let json = serde_json::json!({
        "yosys": synthesis,
        "estimate": estimated,
        "timing": {
            "worst": timing.worst,
            "worst_cells": timing.worst_cells,
            "verdict": verdict,
            "yosys_sta_ps": report.sta_ps,
            "untimed": timing.untimed,
        },
        "seconds": started.elapsed().as_secs_f64(),
    });
    out.result(&json, || {
        let mut text = text(&synthesis, &estimated.resources, started.elapsed());
        text.push_str(&timing_text(&timing, &verdict, report.sta_ps));
        text
    });
    Ok(())
}

/// The timing estimate as a person reads it: the worst path, its cells and routing, the
/// estimated Fmax against the model's clock, the path step by step.
fn timing_text(timing: &fmax::netlist::Analysis, verdict: &Verdict, sta_ps: Option<u64>) -> String {
    let w = &timing.worst;
    let ns = |ps: u64| ps as f64 / 1000.0;
    let mut out = format!(
        "\ntiming (estimate, -1 speed grade): worst path {:.2} ns = {:.2} ns in cells + {:.2} ns \
         routing; Fmax {:.0} MHz: {verdict}\n  {}\n",
        ns(w.total_ps),
        ns(w.cell_ps),
        ns(w.routing_ps),
        verdict.fmax_mhz,
        w.summary(),
    );
    out.push_str(&format!(
        "  by cell delay alone the worst is {:.2} ns ({}); Yosys sta: {}\n",
        ns(timing.worst_cells.total_ps),
        timing.worst_cells.summary(),
        sta_ps.map_or("no figure".to_string(), |ps| format!("{:.2} ns", ns(ps))),
    ));
    if !timing.untimed.is_empty() {
        let cells: Vec<String> = timing
            .untimed
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        out.push_str(&format!(
            "  not timed (paths through them are cut): {}\n",
            cells.join(", ")
        ));
    }
    let mut table = Table::with_header(">ns | cell | from | signal");
    for s in &w.steps {
        table.row(cells![
            format!("{:.3}", ns(s.at_ps)),
            s.cell,
            s.source,
            s.signal
        ]);
    }
    out.push('\n');
    out.push_str(&table.render());
    out
}

/// The report as a person reads it.
fn text(s: &Synthesis, estimated: &Synthesis, took: Duration) -> String {
    let mut out = format!(
        "{} on {} (Yosys synth_xilinx, {:.0} s)\n\n",
        s.network,
        s.part,
        took.as_secs_f64()
    );
    let est = &estimated.utilization;
    let mut table = Table::with_header("resource | >used | >available | >use | >estimate");
    for (u, e) in s.utilization.iter().zip(est) {
        table.row(cells![
            u.resource,
            format_number(u.used),
            format_number(u.available),
            format!("{:.1}%", u.percent),
            format_number(e.used),
        ]);
    }
    out.push_str(&table.render());
    out.push_str(&format!(
        "\n{}; {} carry chains (CARRY4), {} LUTs as memory",
        s.verdict(),
        s.total.carry4,
        s.total.lut_memory
    ));
    out.push_str("\n\n");
    let mut blocks =
        Table::with_header("block | part | >LUT | >FF | >RAMB36 | >DSP48E1 | >est. LUT | >est. FF");
    for b in &s.blocks {
        let e = estimated.blocks.iter().find(|e| e.name == b.name);
        blocks.row(cells![
            b.name,
            "all",
            b.resources.luts,
            b.resources.flip_flops,
            format_number(b.resources.block_ram()),
            b.resources.dsp48e1,
            e.map_or(String::new(), |e| e.resources.luts.to_string()),
            e.map_or(String::new(), |e| e.resources.flip_flops.to_string()),
        ]);
        for (part, r) in &b.parts {
            let e = e.and_then(|e| e.parts.get(part));
            blocks.row(cells![
                String::new(),
                part,
                r.luts,
                r.flip_flops,
                format_number(r.block_ram()),
                r.dsp48e1,
                e.map_or(String::new(), |e| e.luts.to_string()),
                e.map_or(String::new(), |e| e.flip_flops.to_string()),
            ]);
        }
    }
    out.push_str(&blocks.render());
    out
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
