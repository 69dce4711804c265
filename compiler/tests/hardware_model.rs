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
