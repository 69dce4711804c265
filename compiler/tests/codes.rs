//! Every diagnostic code snnc has is listed in docs/errors.md with an example, and is tested:
//! by a model named after it in `testsuite/errors/`, `testsuite/warnings/` or (ONNX)
//! `testsuite/import/errors/`, or by a test in `compiler/tests/` that expects it.

mod common;

use std::path::Path;

/// The codes declared in the diagnostics module (`code(E0300)`), in order.
fn declared() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagnostics");
    let mut codes = Vec::new();
    for file in ["error.rs", "warning.rs"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for part in text.split("code(").skip(1) {
            let code: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            codes.push(code);
        }
    }
    codes
}

#[test]
fn every_code_is_documented_with_an_example() {
    let docs = std::fs::read_to_string(common::testsuite().join("../docs/errors.md")).unwrap();
    let codes = declared();
    assert!(codes.len() > 40, "{codes:?}");
    for code in &codes {
        let heading = format!("### {code}");
        let at = docs
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/errors.md has no `{heading}`"));
        let section = &docs[at + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        assert!(
            section.contains("```"),
            "{code}: its section shows an example"
        );
    }
}

#[test]
fn every_code_has_a_test() {
    let models: Vec<String> = [
        ("errors", "snn"),
        ("warnings", "snn"),
        ("import/errors", "onnx"),
    ]
    .iter()
    .flat_map(|(dir, ext)| common::files(dir, ext))
    .map(|p| common::file_name(&p))
    .collect();
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let tests: String = std::fs::read_dir(&tests_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("codes.rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for code in declared() {
        let by_model = models.iter().any(|m| m.starts_with(&format!("{code}_")));
        let by_test = tests.contains(&format!("\"{code}\""));
        assert!(by_model || by_test, "{code} has no test");
    }
}
