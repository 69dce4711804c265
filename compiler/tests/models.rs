//! Every model in `testsuite/models/` checks cleanly; `snnc check` output is a snapshot.

mod common;

use common::{file_name, files, snapshots_in, snnc};

#[test]
fn check_output_of_every_model() {
    let models = files("models", "snn");
    assert!(models.len() >= 5);
    snapshots_in("check", || {
        for path in models {
            let name = file_name(&path);
            let relative = format!("testsuite/models/{name}");
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_snnc"))
                .current_dir(common::testsuite().join(".."))
                .args(["check", &relative])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
            let text = String::from_utf8(out.stdout).unwrap();
            insta::assert_snapshot!(name.trim_end_matches(".snn"), text);
        }
    });
}

#[test]
fn check_json_has_the_documented_keys() {
    for path in files("models", "snn") {
        let out = snnc(&["check", path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in ["network", "target", "cycles_per_input", "junctions"] {
            assert!(json.get(key).is_some(), "{}: no `{key}`", file_name(&path));
        }
        for j in json["junctions"].as_array().unwrap() {
            for key in [
                "name", "left", "right", "fan_in", "fan_out", "edges", "z", "cycles",
            ] {
                assert!(j.get(key).is_some(), "junction without `{key}`");
            }
        }
    }
}

#[test]
fn dey2018_is_the_published_instance() {
    let path = common::testsuite().join("models/dey2018_mnist.snn");
    let out = snnc(&["check", path.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let junctions = json["junctions"].as_array().unwrap();
    let field = |k: &str| {
        junctions
            .iter()
            .map(|j| j[k].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(field("left"), [1024, 64]);
    assert_eq!(field("right"), [64, 32]);
    assert_eq!(field("fan_out"), [4, 16]);
    assert_eq!(field("fan_in"), [64, 32]);
    assert_eq!(field("edges"), [4096, 1024]);
    assert_eq!(field("z"), [128, 32]);
    assert_eq!(field("cycles"), [32, 32]);
    assert_eq!(json["target"]["part"], "xc7a100tcsg324-1");
}
