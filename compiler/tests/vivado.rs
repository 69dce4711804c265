//! The Vivado flows, checked without Vivado: every command of every generated `.tcl` and
//! `.xdc` (also inside `[...]` and the bodies of `if`) is a Tcl built-in or a Vivado command
//! listed in `testsuite/vivado/commands.txt` with the options UG835 documents for it, every
//! option it is given is one of those, and every file it reads (or glob it expands) is in the
//! build. The checker is tested on broken scripts too.

mod common;

use snn_compiler::backend::{self, Bench, Design};
use snn_compiler::hw::{Interface, Options, UpdateMultipliers, DEFAULT_BAUD};
use snn_compiler::target::Board;
use std::collections::{BTreeMap, BTreeSet};

/// Tcl's own commands the flows use (their options are Tcl's, not checked here).
const TCL: &[&str] = &[
    "set", "if", "expr", "file", "lindex", "lsort", "glob", "cd", "puts", "exit", "info",
];

/// `command: -option ...` per line of commands.txt.
fn known() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(common::testsuite().join("vivado/commands.txt")).unwrap();
    text.lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (command, options) = l.rsplit_once(':').expect("`command: options`");
            let options = options.split_whitespace().map(str::to_string).collect();
            (command.trim().to_string(), options)
        })
        .collect()
}

/// The words of one Tcl command: braces and quotes group, brackets stay inside a word.
type Command = Vec<String>;

/// The commands of a Tcl script, in order (comments and line continuations dropped).
fn commands(script: &str) -> Vec<Command> {
    let chars: Vec<char> = script.replace("\\\n", " ").chars().collect();
    let mut out = Vec::new();
    let mut words: Command = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' || c == ';' {
            if !words.is_empty() {
                out.push(std::mem::take(&mut words));
            }
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '#' && words.is_empty() {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else {
            let start = i;
            i = word_end(&chars, i);
            words.push(chars[start..i].iter().collect());
        }
    }
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// Where the word starting at `i` ends.
fn word_end(chars: &[char], mut i: usize) -> usize {
    let close = |chars: &[char], mut i: usize, open: char, close: char| {
        let mut depth = 0;
        while i < chars.len() {
            if chars[i] == open {
                depth += 1;
            } else if chars[i] == close {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            i += 1;
        }
        panic!("unbalanced {open}{close}");
    };
    if chars[i] == '{' {
        return close(chars, i, '{', '}');
    }
    if chars[i] == '"' {
        i += 1;
        while chars[i] != '"' {
            i = if chars[i] == '[' {
                close(chars, i, '[', ']')
            } else {
                i + 1
            };
        }
        return i + 1;
    }
    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ';' {
        i = if chars[i] == '[' {
            close(chars, i, '[', ']')
        } else {
            i + 1
        };
    }
    i
}

/// The scripts inside `[...]` of a word.
fn substitutions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' && !word.starts_with('{') {
            let end = word_end(&chars, i);
            let end = (i..end).rev().find(|&k| chars[k] == ']').unwrap_or(end);
            out.push(chars[i + 1..end].iter().collect());
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn unbraced(word: &str) -> &str {
    word.strip_prefix('{')
        .and_then(|w| w.strip_suffix('}'))
        .unwrap_or(word)
}

/// What is wrong with `script`, a file of `design`: unknown commands and options, and files
/// it reads that the build does not have.
fn check(script: &str, design: &Design, known: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for words in commands(script) {
        let name = words[0].as_str();
        for w in &words {
            for inner in substitutions(w) {
                problems.extend(check(&inner, design, known));
            }
        }
        if name == "if" {
            // if {cond} {body} ?elseif {cond} {body}? ?else {body}?
            for (k, w) in words.iter().enumerate().skip(1) {
                let body = k % 2 == 0 || words[k - 1] == "else";
                if body && w.starts_with('{') {
                    problems.extend(check(unbraced(w), design, known));
                } else if w.starts_with('{') {
                    for inner in substitutions(unbraced(w)) {
                        problems.extend(check(&inner, design, known));
                    }
                }
            }
            continue;
        }
        if name == "glob" {
            for pattern in words.iter().skip(1).filter(|w| !w.starts_with('-')) {
                let (dir, ext) = pattern.rsplit_once("/*").expect("a glob `dir/*.ext`");
                let found = design
                    .files
                    .keys()
                    .any(|p| p.starts_with(&format!("{dir}/")) && p.ends_with(ext));
                if !found {
                    problems.push(format!("glob {pattern} matches no file of the build"));
                }
            }
        }
        if TCL.contains(&name) {
            continue;
        }
        let Some(options) = known.get(name) else {
            problems.push(format!("`{name}` is not a known Vivado command"));
            continue;
        };
        for w in words.iter().skip(1) {
            let is_option =
                w.starts_with('-') && w[1..].starts_with(|c: char| c.is_ascii_alphabetic());
            if is_option && !options.contains(w.as_str()) {
                problems.push(format!("`{name}` has no option `{w}`"));
            }
        }
        if matches!(name, "read_xdc" | "read_verilog") {
            for file in words
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-') && !w.starts_with('['))
            {
                let file = unbraced(file);
                if !design.files.contains_key(file) && file != "out_of_context" {
                    problems.push(format!(
                        "`{name}` reads {file}, which the build does not have"
                    ));
                }
            }
        }
    }
    problems
}

fn design(model: &str, board: Option<Board>) -> Design {
    let path = common::testsuite().join(format!("models/{model}.snn"));
    let compiled = common::plan(
        model,
        &std::fs::read(&path).unwrap(),
        path.parent().unwrap(),
    );
    let options = Options {
        beat: backend::default_beat(compiled.network()),
        update_multipliers: UpdateMultipliers::Auto,
        interface: Interface::Axi,
        board,
        baud: DEFAULT_BAUD,
    };
    snn_compiler::emit(&compiled, None, &options, &Bench { max_samples: 4 }).unwrap()
}

fn flows(design: &Design) -> Vec<(&String, String)> {
    design
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("vivado/") && (p.ends_with(".tcl") || p.ends_with(".xdc")))
        .map(|(p, text)| (p, String::from_utf8(text.clone()).unwrap()))
        .collect()
}

#[test]
fn every_generated_flow_uses_known_commands_and_options_and_files_of_the_build() {
    let known = known();
    for (model, board, expected) in [
        ("dey2018_mnist", Some(Board::Nexys4Ddr), 5),
        ("tiny", Some(Board::ArtyA7_100T), 5),
        ("tiny", None, 3),
    ] {
        let design = design(model, board);
        let files = flows(&design);
        assert_eq!(
            files.len(),
            expected,
            "{model}: {:?}",
            files.iter().map(|f| f.0).collect::<Vec<_>>()
        );
        for (path, text) in files {
            let problems = check(&text, &design, &known);
            assert!(
                problems.is_empty(),
                "{model} {path}:\n{}",
                problems.join("\n")
            );
        }
    }
}

#[test]
fn a_board_build_goes_to_a_bitstream_and_stops_on_negative_slack() {
    let design = design("dey2018_mnist", Some(Board::Nexys4Ddr));
    let text = |p: &str| String::from_utf8(design.files[p].clone()).unwrap();
    let build = text("vivado/build.tcl");
    let names: Vec<String> = commands(&build).into_iter().map(|c| c[0].clone()).collect();
    let order = [
        "read_verilog",
        "read_xdc",
        "synth_design",
        "opt_design",
        "place_design",
        "phys_opt_design",
        "route_design",
        "report_timing_summary",
        "if",
        "write_bitstream",
    ];
    let mut at = 0;
    for step in order {
        at += names[at..]
            .iter()
            .position(|n| n == step)
            .unwrap_or_else(|| panic!("build.tcl: no {step} after {:?}", &names[..at]));
    }
    assert!(build.contains("-top dey2018_mnist_board"), "{build}");
    assert!(build.contains("exit 1"), "a negative slack fails the flow");
    let xdc = text("vivado/nexys4_ddr.xdc");
    for port in ["clk", "btn_reset", "uart_rx", "uart_tx", "led[0]", "led[3]"] {
        assert!(
            xdc.contains(&format!("[get_ports {{{port}}}]")) && xdc.contains("IOSTANDARD LVCMOS33"),
            "the pin file names {port}"
        );
    }
    let program = text("vivado/program.tcl");
    assert!(
        program.contains("program_hw_devices") && program.contains("dey2018_mnist_nexys4_ddr.bit")
    );
}

#[test]
fn the_checker_sees_an_unknown_command_an_unknown_option_and_a_missing_file() {
    let known = known();
    let design = design("tiny", None);
    let broken = "read_verilog [lsort [glob rtl/*.sv]]\n\
                  if {1} {\n    synth_desing -top x\n}\n\
                  opt_design -fast\n\
                  read_xdc vivado/none.xdc\n";
    let problems = check(broken, &design, &known);
    assert_eq!(
        problems,
        [
            "glob rtl/*.sv matches no file of the build",
            "`synth_desing` is not a known Vivado command",
            "`opt_design` has no option `-fast`",
            "`read_xdc` reads vivado/none.xdc, which the build does not have",
        ]
    );
}
