//! The command line itself: help, usage errors, and inputs that must never crash snnc.

mod common;

use common::snnc;
use proptest::prelude::*;

#[test]
fn help_lists_the_subcommands() {
    let out = snnc(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("check"), "{text}");
    let out = snnc(&["check", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--format"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(snnc(&[]).status.code(), Some(2));
    assert_eq!(snnc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(snnc(&["check"]).status.code(), Some(2));
    assert_eq!(
        snnc(&["check", "x.snn", "--format", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn missing_file_and_directory_are_coded_errors() {
    let out = snnc(&["check", "/no/such/model.snn"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0001"));
    let out = snnc(&["check", "/tmp"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0001"));
}

#[test]
fn a_100_megabyte_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.snn");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 << 20).unwrap();
    let out = snnc(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0003"));
}

#[test]
fn the_empty_file_is_a_syntax_error() {
    let failure =
        snn_compiler::compile_bytes("empty.snn".into(), vec![], std::path::Path::new("."))
            .unwrap_err();
    assert_eq!(failure.errors[0].code_str(), "E0100");
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let text = format!(
        "network n {{ cycles = {}1{}; }}",
        "f(a = ".repeat(100_000),
        ")".repeat(100_000)
    );
    let failure = snn_compiler::compile_bytes(
        "deep.snn".into(),
        text.into_bytes(),
        std::path::Path::new("."),
    )
    .unwrap_err();
    assert_eq!(failure.errors[0].code_str(), "E0004");
}

/// Fragments of the language, to build inputs that are nearly models.
const FRAGMENTS: &[&str] = &[
    "network",
    "n",
    "{",
    "}",
    "input",
    "layer",
    "x",
    "[",
    "]",
    "16",
    "8",
    "0",
    "=",
    ";",
    "(",
    ")",
    ",",
    "<",
    ">",
    "fixed",
    "ufixed",
    "2^-3",
    "2^99",
    "\"a.npy\"",
    "activation",
    "sigmoid",
    "connect",
    "sparse",
    "fan_out",
    "fan_in",
    "pattern",
    "clash_free",
    "random",
    "type",
    "seed",
    "dense",
    "pruned",
    "weights",
    "z",
    "cycles",
    "train",
    "formats",
    "target",
    "part",
    "clock",
    "100 MHz",
    "1.5",
    "from",
    "relu",
    "\n",
    " ",
    "//c\n",
    "18446744073709551616",
    "é",
    "\u{0}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = snn_compiler::compile_bytes("fuzz.snn".into(), bytes, std::path::Path::new("."));
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(0..FRAGMENTS.len(), 0..80)) {
        let text: String = tokens.iter().map(|&i| FRAGMENTS[i]).collect::<Vec<_>>().join(" ");
        let result = snn_compiler::compile_bytes("soup.snn".into(), text.into_bytes(), std::path::Path::new("."));
        if let Err(failure) = result {
            prop_assert!(!failure.errors.is_empty());
            let _ = failure.render(false);
        }
    }

    #[test]
    fn mutated_models_never_panic(position in 0usize..900, replacement in 0..FRAGMENTS.len()) {
        let model = std::fs::read_to_string(common::testsuite().join("models/dey2018_mnist.snn")).unwrap();
        let position = position.min(model.len());
        let position = (0..=position).rev().find(|p| model.is_char_boundary(*p)).unwrap();
        let text = format!("{}{}{}", &model[..position], FRAGMENTS[replacement], &model[position..]);
        if let Err(failure) = snn_compiler::compile_bytes("mutant.snn".into(), text.into_bytes(), &common::testsuite().join("models")) {
            let _ = failure.render(false);
        }
    }
}
