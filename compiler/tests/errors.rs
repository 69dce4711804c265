//! Every model in `testsuite/errors/` fails with the error its file name gives: the
//! snapshot holds the source and the diagnostic as `snnc` prints it, and the binary exits 1.

mod common;

use common::{file_name, files, snapshots_in, snnc};

/// The code a file's name starts with: `E0300_unknown_activation.snn` → `E0300`.
fn expected_code(name: &str) -> &str {
    name.split('_').next().expect("named CODE_description.snn")
}

#[test]
fn every_error_model_gives_its_code_with_a_rendered_diagnostic() {
    let models = files("errors", "snn");
    assert!(models.len() >= 25, "the error suite has one model per code");
    snapshots_in("errors", || {
        for path in models {
            let name = file_name(&path);
            let bytes = std::fs::read(&path).unwrap();
            let failure =
                snn_compiler::compile_bytes(name.clone(), bytes.clone(), path.parent().unwrap())
                    .expect_err(&format!("{name} must fail"));
            let codes: Vec<String> = failure.errors.iter().map(|e| e.code_str()).collect();
            assert_eq!(
                codes[0],
                expected_code(&name),
                "{name}: first error is {codes:?}"
            );
            let rendered = failure.render(false);
            assert!(!rendered.contains('\u{1b}'), "{name}: no colour codes");
            let source = String::from_utf8_lossy(&bytes);
            insta::assert_snapshot!(
                name.trim_end_matches(".snn"),
                format!("{source}\n{rendered}")
            );
        }
    });
}

#[test]
fn the_binary_exits_1_with_code_line_and_column_for_every_error_model() {
    for path in files("errors", "snn") {
        let name = file_name(&path);
        let out = snnc(&["check", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected_code(&name)), "{name}: {stderr}");
        // miette prints `file:line:column` above the source excerpt.
        let located = format!("{name}:");
        let position = stderr
            .lines()
            .find_map(|l| l.split(&located).nth(1))
            .unwrap_or_else(|| panic!("{name}: no position in {stderr}"));
        let mut parts = position.trim_end_matches(']').split(':');
        let line: usize = parts.next().unwrap().parse().unwrap();
        let column: usize = parts.next().unwrap().parse().unwrap();
        assert!(line >= 1 && column >= 1, "{name}: {position}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    }
}
