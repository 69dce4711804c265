//! Every model in `testsuite/warnings/` compiles with the warning its file name gives: the
//! command exits 0, prints its result, and the snapshot holds the warning as `snnc` prints
//! it on stderr. W04xx warnings come from `snnc check`, W10xx from `snnc build`.

mod common;

use common::{file_name, files, snapshots_in};

#[test]
fn every_warning_model_gives_its_code_and_still_succeeds() {
    let models = files("warnings", "snn");
    assert!(!models.is_empty());
    let out_dir = tempfile::tempdir().unwrap();
    snapshots_in("warnings", || {
        for path in models {
            let name = file_name(&path);
            let code = name.split('_').next().unwrap();
            let relative = format!("testsuite/warnings/{name}");
            let built = out_dir.path().join(&name);
            let mut args = vec![];
            if code.starts_with("W10") {
                args.extend(["build", &relative, "-o", built.to_str().unwrap()]);
            } else {
                args.extend(["check", &relative]);
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_snnc"))
                .current_dir(common::testsuite().join(".."))
                .args(&args)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
            assert!(
                !out.stdout.is_empty(),
                "{name}: the command's result is printed"
            );
            assert!(stderr.contains(code), "{name}: {stderr}");
            insta::assert_snapshot!(name.trim_end_matches(".snn"), stderr);
        }
    });
}
