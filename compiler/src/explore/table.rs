//! The results as a CSV file (one row per design point, fixed columns) and as Markdown.

use super::compare::Verdict;
use super::Row;
use crate::cells;
use crate::table::Table;
use std::fmt::Write;

const COLUMNS: &[&str] = &[
    "point",
    "dense",
    "cycles",
    "bits",
    "density",
    "format",
    "edges",
    "lanes",
    "clocks_per_input",
    "inputs_per_second",
    "fmax_mhz",
    "latency",
    "est_lut",
    "est_ff",
    "est_bram36",
    "est_dsp",
    "est_fits",
    "yosys_lut",
    "yosys_ff",
    "yosys_bram36",
    "yosys_dsp",
    "yosys_fits",
    "accuracy",
    "error",
    "note",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\"").replace('\n', " "))
    } else {
        s.to_string()
    }
}

/// The rows as CSV.
pub fn csv(rows: &[Row]) -> String {
    let mut out = COLUMNS.join(",") + "\n";
    for r in rows {
        let e = r.estimate.as_ref();
        let y = r.yosys.as_ref();
        let cells = [
            r.label.clone(),
            r.point.dense.to_string(),
            opt(r.point.cycles),
            opt(r.point.bits),
            opt(r.point.density),
            r.format.clone(),
            opt((r.error.is_none()).then_some(r.edges)),
            opt((r.error.is_none()).then_some(r.lanes)),
            opt(e.map(|e| e.clocks_per_input)),
            opt(e.map(|e| e.inputs_per_second)),
            opt(r.fmax_mhz.map(|f| format!("{f:.0}"))),
            opt(e.map(|e| e.latency)),
            opt(e.map(|e| e.resources.total.luts)),
            opt(e.map(|e| e.resources.total.flip_flops)),
            opt(e.map(|e| e.resources.total.block_ram())),
            opt(e.map(|e| e.resources.total.dsp48e1)),
            opt(e.map(|e| e.resources.fits)),
            opt(y.map(|y| y.total.luts)),
            opt(y.map(|y| y.total.flip_flops)),
            opt(y.map(|y| y.total.block_ram())),
            opt(y.map(|y| y.total.dsp48e1)),
            opt(y.map(|y| y.fits)),
            opt(r.accuracy.map(|a| format!("{:.4}", a))),
            r.error.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// A rate or count with a k or M suffix.
pub fn si(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// The rows, and the sparse-against-dense verdicts, as Markdown.
pub fn markdown(title: &str, part: &str, rows: &[Row], verdicts: &[Verdict]) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "# {title}\n");
    let _ = writeln!(
        w,
        "Resources are the analytical estimate{}; a design fits when every resource is within {part}. \
         Inputs/s are at the model's clock, or at the estimated Fmax (docs/timing.md) where that is lower.\n",
        if rows.iter().any(|r| r.yosys.is_some()) {
            ", with Yosys's count beside it"
        } else {
            ""
        }
    );
    let synth = rows.iter().any(|r| r.yosys.is_some());
    let trained = rows.iter().any(|r| r.accuracy.is_some());
    let mut header = vec![
        "point",
        "format",
        ">lanes",
        ">clocks/input",
        ">inputs/s",
        ">LUT",
        ">FF",
        ">BRAM36",
        ">DSP",
        ">fits",
    ];
    if synth {
        header.extend([">Yosys LUT", ">Yosys FF", ">Yosys BRAM36", ">Yosys DSP"]);
    }
    if trained {
        header.push(">accuracy");
    }
    let mut table = Table::new(&header);
    for r in rows {
        if let Some(error) = &r.error {
            let mut cells = vec![r.label.clone(), error.clone()];
            cells.resize(header.len(), String::new());
            table.row(cells);
            continue;
        }
        let Some(e) = &r.estimate else { continue };
        let t = e.resources.total;
        let mut cells = cells![
            r.label,
            format!("`{}`", r.format),
            r.lanes,
            e.clocks_per_input,
            si(e.inputs_per_second),
            t.luts,
            t.flip_flops,
            format!("{}", t.block_ram()),
            t.dsp48e1,
            if r.fits() == Some(true) { "yes" } else { "no" },
        ];
        if synth {
            match &r.yosys {
                Some(y) => cells.extend([
                    y.total.luts.to_string(),
                    y.total.flip_flops.to_string(),
                    format!("{}", y.total.block_ram()),
                    y.total.dsp48e1.to_string(),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 4)),
            }
        }
        if trained {
            cells.push(opt(r.accuracy.map(|a| format!("{:.2}%", 100.0 * a))));
        }
        table.row(cells);
    }
    w.push_str(&table.markdown());
    let notes: Vec<String> = rows
        .iter()
        .filter_map(|r| Some(format!("- {}: {}", r.label, r.note.as_ref()?)))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(w, "\n{}", notes.join("\n"));
    }
    if verdicts.iter().any(|v| v.dense.is_some()) {
        let _ = writeln!(w, "\n## Sparse or dense\n");
        let _ = writeln!(
            w,
            "The fastest design of each kind that fits {part}: the sparse one at its density, the dense one (every edge) with as many lanes as fit.\n"
        );
        let mut table = Table::with_header(
            ">bits | >density | sparse | >inputs/s | dense | >inputs/s | faster",
        );
        for v in verdicts {
            let side = |b: &Option<super::compare::Best>| match b {
                Some(b) => [b.label.clone(), si(b.inputs_per_second)],
                None => ["does not fit".into(), "-".into()],
            };
            let faster = if v.speedup.is_finite() && v.speedup > 1.0 {
                format!("{} ×{:.1}", v.faster, v.speedup)
            } else {
                v.faster.to_string()
            };
            let mut cells = cells![
                v.bits.map_or("model".into(), |b| b.to_string()),
                v.density.map_or("model".into(), |d| format!("{d}")),
            ];
            cells.extend(side(&v.sparse));
            cells.extend(side(&v.dense));
            cells.push(faster);
            table.row(cells);
        }
        w.push_str(&table.markdown());
    }
    w
}
