//! Running Yosys (`synth_xilinx -family xc7`) on a written design, and reading what it
//! reports: the cells of every module (`stat`, hierarchy kept), and the flattened netlist
//! (`json`) that [`crate::fmax::netlist`] times, with Yosys's own `sta` beside it. Both are
//! taken before `synth_xilinx`'s last step, which turns the cell library's timed models
//! into black boxes.

use super::resources::Resources;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The cells of every module, by module name (Yosys's, e.g. `$paramod$…\snn_mul`); a cell
/// type that is itself a module is an instance of it.
pub type Modules = BTreeMap<String, BTreeMap<String, u64>>;

/// Why Yosys gave no report.
#[derive(Debug, thiserror::Error)]
pub enum YosysError {
    /// `yosys` is not on the PATH.
    #[error("yosys is not installed")]
    Missing,
    /// It ran and failed: its log.
    #[error("Yosys failed: {0}")]
    Failed(String),
}

/// What a Yosys run reported.
#[derive(Debug, Clone)]
pub struct Report {
    pub modules: Modules,
    pub top: String,
    /// The flattened top module's netlist (Yosys JSON).
    pub netlist: String,
    /// Yosys's `sta`: the latest arrival in the flattened top, in ps of cell delay.
    pub sta_ps: Option<u64>,
}

/// Synthesises the Verilog `sources` (paths relative to `dir`, where memory images are found)
/// with `top` as the top module, writing `yosys.log` there.
pub fn synthesise(dir: &Path, sources: &[String], top: &str) -> Result<Report, YosysError> {
    if !crate::cosim::installed("yosys") {
        return Err(YosysError::Missing);
    }
    let script = format!(
        "read_verilog {}; synth_xilinx -family xc7 -top {top} -run :check; \
         tee -q -o yosys_stat.txt stat; flatten; tee -q -o yosys_sta.txt sta; \
         json -o yosys_netlist.json {top}",
        sources.join(" ")
    );
    let out = Command::new("yosys")
        .args(["-q", "-l", "yosys.log", "-p", &script])
        .current_dir(dir)
        .output()
        .map_err(|e| YosysError::Failed(e.to_string()))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("yosys.log")).unwrap_or_default();
        return Err(YosysError::Failed(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            tail(&log, 40)
        )));
    }
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_err(|e| YosysError::Failed(format!("{name}: {e}")))
    };
    Ok(Report {
        modules: parse_stat(&read("yosys_stat.txt")?),
        top: top.to_string(),
        netlist: read("yosys_netlist.json")?,
        sta_ps: parse_sta(&read("yosys_sta.txt")?),
    })
}

/// Synthesises one module of `sources` on its own with `parameters` set: its resources,
/// submodules included (for calibrating the estimate's models).
pub fn module(
    dir: &Path,
    sources: &[String],
    top: &str,
    parameters: &[(&str, String)],
) -> Result<Resources, YosysError> {
    if !crate::cosim::installed("yosys") {
        return Err(YosysError::Missing);
    }
    let set: String = parameters
        .iter()
        .map(|(k, v)| format!(" -set {k} {v}"))
        .collect();
    let script = format!(
        "read_verilog {}; chparam{set} {top}; synth_xilinx -family xc7 -top {top}; \
         tee -q -o module_stat.txt stat",
        sources.join(" ")
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .current_dir(dir)
        .output()
        .map_err(|e| YosysError::Failed(e.to_string()))?;
    if !out.status.success() {
        return Err(YosysError::Failed(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    let stat = std::fs::read_to_string(dir.join("module_stat.txt"))
        .map_err(|e| YosysError::Failed(format!("module_stat.txt: {e}")))?;
    Ok(total(&parse_stat(&stat), top))
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Reads `stat`'s per-module sections: `=== name ===`, then after `Number of cells:` one
/// `type count` line per cell type.
pub fn parse_stat(text: &str) -> Modules {
    let mut modules = Modules::new();
    let mut current: Option<String> = None;
    let mut in_cells = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("=== ")
            .and_then(|r| r.strip_suffix(" ==="))
        {
            in_cells = false;
            current = (name != "design hierarchy").then(|| name.to_string());
            if let Some(m) = &current {
                modules.entry(m.clone()).or_default();
            }
            continue;
        }
        let Some(module) = &current else { continue };
        if trimmed.starts_with("Number of cells:") {
            in_cells = true;
            continue;
        }
        if trimmed.is_empty()
            || trimmed.starts_with("Number of")
            || trimmed.starts_with("Chip area")
        {
            in_cells = false;
            continue;
        }
        if in_cells {
            let mut parts = trimmed.rsplitn(2, char::is_whitespace);
            let (Some(count), Some(cell)) = (parts.next(), parts.next()) else {
                continue;
            };
            if let Ok(n) = count.parse::<u64>() {
                *modules
                    .get_mut(module)
                    .expect("entered")
                    .entry(cell.trim().to_string())
                    .or_default() += n;
            }
        }
    }
    modules
}

/// Reads `sta`'s `Latest arrival time in '…' is N:`.
pub fn parse_sta(text: &str) -> Option<u64> {
    text.lines()
        .filter_map(|l| l.split("' is ").nth(1))
        .filter_map(|r| r.trim_end_matches(':').trim().parse().ok())
        .max()
}

/// The base name of a Yosys module: `$paramod$…\snn_mul` → `snn_mul`.
pub fn base_name(module: &str) -> &str {
    module.rsplit('\\').next().unwrap_or(module)
}

/// The resources of one instance of `module`, submodules included.
pub fn total(modules: &Modules, module: &str) -> Resources {
    let Some(cells) = modules.get(module) else {
        return Resources::default();
    };
    cells
        .iter()
        .map(|(cell, &n)| {
            if modules.contains_key(cell) {
                total(modules, cell) * n
            } else {
                Resources::of_cell(cell, n)
            }
        })
        .fold(Resources::default(), |a, b| a + b)
}

/// The resources of one instance of `module` by the kind of block they sit in: its own cells
/// under `own`, each submodule (at any depth) under the category `category` gives its base
/// name; a submodule whose category is `None` is opened up.
pub fn breakdown(
    modules: &Modules,
    module: &str,
    own: &'static str,
    category: &dyn Fn(&str) -> Option<&'static str>,
) -> BTreeMap<&'static str, Resources> {
    let mut out: BTreeMap<&'static str, Resources> = BTreeMap::new();
    let Some(cells) = modules.get(module) else {
        return out;
    };
    for (cell, &n) in cells {
        if modules.contains_key(cell) {
            match category(base_name(cell)) {
                Some(c) => *out.entry(c).or_default() += total(modules, cell) * n,
                None => {
                    for (c, r) in breakdown(modules, cell, own, category) {
                        *out.entry(c).or_default() += r * n;
                    }
                }
            }
        } else {
            *out.entry(own).or_default() += Resources::of_cell(cell, n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = include_str!("../../../testsuite/synth/stat_tiny.txt");

    #[test]
    fn stat_is_read_per_module_with_its_instances() {
        let modules = parse_stat(STAT);
        assert!(modules.contains_key("tiny_top"));
        let top = &modules["tiny_top"];
        assert_eq!(top.get("tiny_hidden"), Some(&1));
        let r = total(&modules, "tiny_top");
        // The figures of the design hierarchy section of the same log.
        assert_eq!(r.dsp48e1, 15);
        assert_eq!(r.flip_flops, 825 + 20);
        assert_eq!(r.luts, 984 + 4 * (65 + 3) + 142);
        assert_eq!(r.lut_memory, 4 * (65 + 3) + 142);
        assert_eq!(r.carry4, 149);
    }

    #[test]
    fn breakdown_sums_to_the_total() {
        let modules = parse_stat(STAT);
        let parts = breakdown(&modules, "tiny_hidden", "glue", &|name| match name {
            "snn_mul" => Some("multipliers"),
            "snn_adder_tree" => Some("adder trees"),
            _ => None,
        });
        let sum = parts.values().fold(Resources::default(), |a, b| a + *b);
        assert_eq!(sum, total(&modules, "tiny_hidden"));
        // The forward and update multipliers of its four lanes and a δ multiplier.
        assert_eq!(parts["multipliers"].dsp48e1, 9);
    }

    #[test]
    fn sta_reports_the_latest_arrival() {
        let text = "Latest arrival time in 'tiny_top' is 4619:\n    4619 u (RAM32M.DIA)\n";
        assert_eq!(parse_sta(text), Some(4619));
        assert_eq!(parse_sta("nothing"), None);
        assert_eq!(base_name("$paramod$ab12\\snn_mul"), "snn_mul");
    }
}
