//! The hardware model is the one description of the generated hardware: the glue templates
//! only substitute what it holds (no arithmetic, no decisions on numbers), and what they
//! render has no degenerate constructs.

mod common;

use std::path::Path;

/// The tera tags (`{{ … }}` and `{% … %}`) of a template, with their line numbers.
fn tags(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (open, close) in [("{{", "}}"), ("{%", "%}")] {
        let mut rest = text;
        let mut offset = 0;
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start..].find(close) else {
                break;
            };
            let tag = &rest[start + 2..start + len];
            let line = text[..offset + start].matches('\n').count() + 1;
            out.push((line, tag.trim_matches('-').trim().to_string()));
            offset += start + len + 2;
            rest = &rest[start + len + 2..];
        }
    }
    out
}

/// Whether a tag computes: arithmetic or a comparison of numbers. Strings in quotes (a
/// tera escape of a brace, an enum's name) do not count.
fn computes(tag: &str) -> bool {
    let unquoted: String = tag
        .split('"')
        .step_by(2)
        .flat_map(|part| part.split('\'').step_by(2))
        .collect();
    unquoted.contains(['+', '*', '/', '%', '<', '>'])
        || unquoted.split_whitespace().any(|word| word == "-")
}

#[test]
fn the_glue_templates_compute_nothing() {
    let dir = common::testsuite().join("../templates/glue");
    let mut found = Vec::new();
    let mut templates = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        templates += 1;
        for (line, tag) in tags(&text) {
            if computes(&tag) {
                found.push(format!("{}:{line}: {tag}", path.display()));
            }
        }
    }
    assert!(templates >= 7, "the glue templates in {}", dir.display());
    assert!(found.is_empty(), "tags that compute:\n{}", found.join("\n"));
}

#[test]
fn the_template_check_sees_arithmetic() {
    // The check above must be able to fail.
    for tag in ["j.z * j.row_w - 1", "j.steps - 1", "mem.copies > 1", "a+b"] {
        assert!(computes(tag), "{tag}");
    }
    for tag in [
        "j.name",
        "'{'",
        "if j.side == \"tree\"",
        "p.name | upper",
        "for p in j.pointers.all",
    ] {
        assert!(!computes(tag), "{tag}");
    }
    assert_eq!(
        tags("a {{ x }}\n{%- if y %}b"),
        [(1, "x".into()), (2, "if y".into())]
    );
}

/// Degenerate Verilog: a loop or replication of a literal one or zero, an empty lane count.
fn degenerate(text: &str) -> Vec<String> {
    let patterns = ["< 1;", "< 0;", "{1{", "{0{", " 0 lanes", "[-1:0]"];
    text.lines()
        .filter(|line| patterns.iter().any(|p| line.contains(p)))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_generated_module_has_a_degenerate_construct() {
    assert_eq!(degenerate("for (g = 0; g < 1; g = g + 1)").len(), 1);
    for path in common::files("models", "snn") {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("build");
        let run = common::snnc(&["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        for file in std::fs::read_dir(out.join("rtl")).unwrap() {
            let file = file.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            let bad = degenerate(&text);
            assert!(bad.is_empty(), "{}:\n{}", shown(&file), bad.join("\n"));
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

mod instances;

use instances::Value;
use snn_compiler::backend::storage::Kind;
use snn_compiler::hw::parts::{Part, Primitive};
use std::collections::BTreeMap;

/// What a part says an instance is: its module and the parameters that decide its cost.
fn expected(part: &Part) -> (&'static str, Vec<(&'static str, i64)>) {
    let n = |v: usize| v as i64;
    match part.primitive {
        Primitive::Stored(m) => match m.kind {
            Kind::Ram { read_ports: 1 } => (
                "snn_ram",
                vec![("WIDTH", n(m.width)), ("DEPTH", n(m.depth))],
            ),
            Kind::Ram { .. } => (
                "snn_ram_2r",
                vec![("WIDTH", n(m.width)), ("DEPTH", n(m.depth))],
            ),
            Kind::Lanes { lanes } => (
                "snn_ram_lanes",
                vec![
                    ("LANES", n(lanes)),
                    ("WIDTH", n(m.width)),
                    ("DEPTH", n(m.depth)),
                ],
            ),
            Kind::Rom { declared, .. } => (
                "snn_rom",
                vec![("WIDTH", n(declared)), ("DEPTH", n(m.depth))],
            ),
        },
        Primitive::LutRam {
            width,
            depth,
            reads,
        } => (
            "snn_lutram",
            vec![
                ("WIDTH", n(width)),
                ("DEPTH", n(depth)),
                ("READS", n(reads)),
            ],
        ),
        Primitive::Mul {
            a_w, b_w, out_w, ..
        } => (
            "snn_mul",
            vec![("A_W", n(a_w)), ("B_W", n(b_w)), ("OUT_W", n(out_w))],
        ),
        Primitive::Tree { n: inputs, in_w } => {
            ("snn_adder_tree", vec![("N", n(inputs)), ("IN_W", n(in_w))])
        }
        Primitive::MuxTree {
            n: words,
            width,
            levels,
        } => (
            "snn_mux_tree",
            vec![("N", n(words)), ("WIDTH", n(width)), ("LEVELS", n(levels))],
        ),
        Primitive::Crossbar { n: ports, width } => {
            ("snn_crossbar", vec![("N", n(ports)), ("WIDTH", n(width))])
        }
        Primitive::RoundSat { in_w, out_w, shift } => (
            "snn_round_sat",
            vec![
                ("IN_W", n(in_w)),
                ("OUT_W", n(out_w)),
                ("SHIFT-LSHIFT", shift),
            ],
        ),
        Primitive::Act { w, .. } => ("snn_act", vec![("W", n(w))]),
        Primitive::RowGen { z, row_w } => ("snn_rowgen", vec![("Z", n(z)), ("ROW_W", n(row_w))]),
        Primitive::Delay { width, depth } => {
            ("snn_delay", vec![("WIDTH", n(width)), ("DEPTH", n(depth))])
        }
        Primitive::AxiLite { addr_w } => ("snn_axil", vec![("ADDR_W", n(addr_w))]),
        Primitive::Fifo { width, addr } => {
            ("snn_fifo", vec![("WIDTH", n(width)), ("ADDR", n(addr))])
        }
        Primitive::UartRx { clocks_per_bit } => {
            ("snn_uart_rx", vec![("CLOCKS_PER_BIT", n(clocks_per_bit))])
        }
        Primitive::UartTx { clocks_per_bit } => {
            ("snn_uart_tx", vec![("CLOCKS_PER_BIT", n(clocks_per_bit))])
        }
        Primitive::Bridge {
            addr_w,
            in_bytes,
            out_bytes,
            label_bytes,
        } => (
            "snn_uart_bridge",
            vec![
                ("ADDR_W", n(addr_w)),
                ("IN_BYTES", n(in_bytes)),
                ("OUT_BYTES", n(out_bytes)),
                ("LABEL_BYTES", n(label_bytes)),
            ],
        ),
    }
}

/// An instance's parameter as a part states it (`SHIFT-LSHIFT`: the net right shift; an
/// absent shift is 0).
fn parameter(params: &BTreeMap<String, Value>, name: &str) -> Option<i64> {
    let number = |key: &str| match params.get(key) {
        Some(Value::Number(v)) => Some(*v),
        None => Some(0),
        _ => None,
    };
    match name.split_once('-') {
        Some((right, left)) => Some(number(right)? - number(left)?),
        None => match params.get(name)? {
            Value::Number(v) => Some(*v),
            _ => None,
        },
    }
}

/// Differences between the parts of a block and the instances of its module.
fn compare(block: &str, parts: &[Part], text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut found: BTreeMap<String, (String, i64, BTreeMap<String, Value>)> = BTreeMap::new();
    for i in instances::instances(text) {
        let entry = found
            .entry(i.name.clone())
            .or_insert((i.module.clone(), 0, i.params.clone()));
        if entry.0 != i.module {
            problems.push(format!(
                "{block}: `{}` is both {} and {}",
                i.name, entry.0, i.module
            ));
        }
        entry.1 += i.count;
    }
    let mut listed: BTreeMap<&str, i64> = BTreeMap::new();
    for part in parts.iter().filter(|p| !p.nested) {
        *listed.entry(part.name).or_default() += part.count as i64;
        let (module, params) = expected(part);
        let Some((found_module, _, found_params)) = found.get(part.name) else {
            problems.push(format!(
                "{block}: part `{}` ({module}) is not in the RTL",
                part.name
            ));
            continue;
        };
        if found_module != module {
            problems.push(format!(
                "{block}: `{}` is {found_module}, the model says {module}",
                part.name
            ));
        }
        for (name, value) in params {
            let rtl = parameter(found_params, name);
            if rtl != Some(value) {
                problems.push(format!(
                    "{block}: `{}` {name} is {rtl:?} in the RTL, {value} in the model",
                    part.name
                ));
            }
        }
    }
    for (name, (module, count, _)) in &found {
        match listed.get(name.as_str()) {
            None => problems.push(format!("{block}: {module} `{name}` is not among the parts")),
            Some(listed) if listed != count => problems.push(format!(
                "{block}: {count} instances of `{name}`, the model lists {listed}"
            )),
            _ => {}
        }
    }
    problems
}

#[test]
fn every_instance_of_every_model_is_a_part_of_its_hardware_model() {
    use snn_compiler::hw::{self, Options, UpdateMultipliers};
    let mut checked = 0;
    for path in common::files("models", "snn") {
        let text = std::fs::read(&path).unwrap();
        let name = common::file_name(&path);
        let compiled = common::plan(&name, &text, path.parent().unwrap());
        for update_multipliers in [UpdateMultipliers::Auto, UpdateMultipliers::Luts] {
            // With the AXI shell, and the board top of the model's board.
            let options = Options {
                beat: snn_compiler::backend::default_beat(compiled.network()),
                update_multipliers,
                interface: snn_compiler::hw::Interface::Axi,
                board: compiled.network().target.board,
                baud: snn_compiler::hw::DEFAULT_BAUD,
            };
            let model = hw::model(&compiled, &options).expect("the board top");
            let bench = snn_compiler::backend::Bench { max_samples: 1 };
            let design = snn_compiler::emit(&compiled, None, &options, &bench).unwrap();
            let net = &compiled.network().name;
            let module = |block: &str| {
                String::from_utf8(design.files[&format!("rtl/{net}_{block}.v")].clone()).unwrap()
            };
            let mut problems = Vec::new();
            for j in &model.junctions {
                problems.extend(compare(&j.name, &j.parts, &module(&j.name)));
            }
            for m in &model.memories {
                problems.extend(compare(&m.name, &m.parts, &module(&m.name)));
            }
            problems.extend(compare("top", &model.top.parts, &module("top")));
            let shell = model.shell.as_ref().expect("the AXI shell");
            problems.extend(compare("axi", &shell.parts, &module("axi")));
            if let Some(board) = &model.board {
                problems.extend(compare("board", &board.parts, &module("board")));
            }
            assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 32, "{checked} designs checked");
}

#[test]
fn the_instance_check_sees_a_part_the_rtl_lacks_and_an_instance_the_model_lacks() {
    let text = "module m (clk);\n    localparam Z = 4;  // lanes\n    localparam W = 3;\n    genvar l;\n    generate\n        for (l = 0; l < Z; l = l + 1) begin : lane\n            snn_delay #(.WIDTH(W*2), .DEPTH(Z-1)) line (.clk(clk));\n        end\n    endgenerate\n    snn_crossbar #(.N(Z), .WIDTH(W)) extra (.in(a));\nendmodule\n";
    let part = |name, count, primitive| Part {
        name,
        count,
        primitive,
        nested: false,
    };
    let delay = Primitive::Delay { width: 6, depth: 3 };
    let agreed = compare("m", &[part("line", 4, delay)], text);
    assert_eq!(agreed, ["m: snn_crossbar `extra` is not among the parts"]);
    let wrong = compare(
        "m",
        &[part("line", 3, Primitive::Delay { width: 6, depth: 2 })],
        text,
    );
    assert!(
        wrong
            .iter()
            .any(|p| p.contains("DEPTH is Some(3) in the RTL, 2 in the model")),
        "{wrong:?}"
    );
    assert!(
        wrong
            .iter()
            .any(|p| p.contains("4 instances of `line`, the model lists 3")),
        "{wrong:?}"
    );
    let missing = compare("m", &[part("gone", 1, delay)], text);
    assert!(
        missing
            .iter()
            .any(|p| p.contains("part `gone` (snn_delay) is not in the RTL")),
        "{missing:?}"
    );
}

#[test]
fn every_glue_feature_has_its_named_coefficient() {
    use snn_compiler::hw::{self, Options, UpdateMultipliers};
    use snn_compiler::synth::estimate::{blocks, coefficients, BlockKind};
    for path in common::files("models", "snn") {
        let text = std::fs::read(&path).unwrap();
        let name = common::file_name(&path);
        let compiled = common::plan(&name, &text, path.parent().unwrap());
        let options = Options {
            beat: snn_compiler::backend::default_beat(compiled.network()),
            update_multipliers: UpdateMultipliers::Auto,
            interface: snn_compiler::hw::Interface::Axi,
            board: compiled.network().target.board,
            baud: snn_compiler::hw::DEFAULT_BAUD,
        };
        for block in blocks(&hw::model(&compiled, &options).expect("the board top")) {
            let model = match block.kind {
                BlockKind::Junction => &coefficients::JUNCTION,
                BlockKind::LayerMemory => &coefficients::LAYER_MEMORY,
                BlockKind::Top => &coefficients::TOP,
                BlockKind::Shell => &coefficients::SHELL,
                BlockKind::Board => &coefficients::BOARD,
            };
            assert_eq!(
                model.luts.names(),
                block.glue.names(),
                "{name}: {}",
                block.name
            );
            assert_eq!(
                model.flip_flops.names(),
                block.glue.names(),
                "{name}: {}",
                block.name
            );
        }
    }
}
