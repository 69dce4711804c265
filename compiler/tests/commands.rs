//! Every error a command reports (E10xx) has its code, exit status 1 and its help line, in text
//! and as JSON; the tools snnc drives are replaced by scripts that fail (or vanish) to reach the
//! codes that need them. Internal errors (E9xxx) say they are bugs.

mod common;

use common::testsuite;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs `snnc` with `args` and `PATH` set to `path` when given.
fn snnc_with_path(args: &[&str], bin: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_snnc"));
    c.args(args).env("NO_COLOR", "1");
    if let Some(bin) = bin {
        c.env("PATH", bin);
    }
    c.output().unwrap()
}

/// A directory of executable scripts standing for the tools: `(name, script body)`.
fn fake_tools(dir: &Path, tools: &[(&str, &str)]) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, body) in tools {
        let file = bin.join(name);
        std::fs::write(&file, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// The command fails with `code`: exit status 1, the code and a help line on stderr, nothing
/// but diagnostics there, and the same code as JSON with `--format json`.
fn fails_with(code: &str, args: &[&str], bin: Option<&Path>) {
    let out = snnc_with_path(args, bin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "{args:?}: {stderr}"
    );
    assert!(stderr.contains("help: "), "{args:?}: {stderr}");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = snnc_with_path(&json_args, bin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let record: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}"));
    assert_eq!(record["code"], code, "{args:?}: {stderr}");
    assert_eq!(record["severity"], "error");
    assert!(record["help"].is_string(), "{record}");
}

#[test]
fn command_errors_are_coded() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("w.npz");
    let data = testsuite().join("data/tiny");
    let dense = testsuite().join("models/dense.snn");
    let tiny = testsuite().join("models/tiny.snn");
    let a_file = dir.path().join("a_file");
    std::fs::write(&a_file, "x").unwrap();
    let under_a_file = a_file.join("out");
    let full = dir.path().join("full");
    std::fs::create_dir_all(&full).unwrap();
    std::fs::write(full.join("keep.txt"), "the user's").unwrap();
    let t = path(&tiny);
    fails_with("E1001", &["build", t, "-o", path(&under_a_file)], None);
    fails_with("E1002", &["build", t, "-o", path(&full)], None);
    fails_with(
        "E1003",
        &[
            "train",
            path(&dense),
            "--data",
            path(&data),
            "-o",
            path(&save),
        ],
        None,
    );
    fails_with(
        "E1004",
        &[
            "eval",
            t,
            "--weights",
            "/no/such.npz",
            "--data",
            path(&data),
        ],
        None,
    );
    fails_with(
        "E1005",
        &["train", t, "--data", "/no/such/dir", "-o", path(&save)],
        None,
    );
    fails_with("E1005", &["run", t, "--input", t], None);
    // tiny's first junction has z = 4 over 16 inputs: 3 values per beat divide neither.
    fails_with(
        "E1006",
        &["build", t, "-o", path(&dir.path().join("b")), "--beat", "3"],
        None,
    );
    // 30 Mbaud is 3 clocks per bit of the board's 100 MHz.
    let board = ["--board", "arty_a7_100t"];
    let board_dir = dir.path().join("board");
    let b = path(&board_dir);
    fails_with(
        "E1017",
        &[
            "build", t, "-o", b, board[0], board[1], "--baud", "30000000",
        ],
        None,
    );
    // `snnc board`: a model without a board, a port that is not there, a port that never
    // answers (a pseudo-terminal nobody reads).
    fails_with("E1018", &["board", "load", t, "--port", "/dev/null"], None);
    let (_master, silent) = pseudo_terminal();
    for (code, port) in [("E1019", "/no/such/port"), ("E1020", silent.as_str())] {
        let args = [
            "board",
            "load",
            t,
            "--board",
            "arty_a7_100t",
            "--timeout",
            "1",
            "--port",
            port,
        ];
        fails_with(code, &args, None);
    }
    fails_with(
        "E1014",
        &[
            "explore",
            t,
            "--density",
            "1.5",
            "-o",
            path(&dir.path().join("e")),
        ],
        None,
    );
    assert_eq!(
        std::fs::read_to_string(full.join("keep.txt")).unwrap(),
        "the user's",
        "a refused build leaves the directory alone"
    );
}

#[test]
fn missing_tools_are_named_with_their_package() {
    let dir = tempfile::tempdir().unwrap();
    let empty = fake_tools(dir.path(), &[]);
    let t = testsuite().join("models/tiny.snn");
    fails_with("E1008", &["sim", path(&t)], Some(&empty));
    fails_with("E1012", &["synth", path(&t)], Some(&empty));
    let out = snnc_with_path(&["sim", path(&t)], Some(&empty));
    assert!(String::from_utf8_lossy(&out.stderr).contains("apt-get install verilator"));
}

#[test]
fn failing_tools_show_their_own_log() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_tools(
        dir.path(),
        &[
            (
                "verilator",
                "echo '%Error: the fake verilator fails' >&2; exit 1",
            ),
            ("yosys", "echo 'ERROR: the fake yosys fails' >&2; exit 1"),
        ],
    );
    let t = testsuite().join("models/tiny.snn");
    fails_with("E1009", &["sim", path(&t)], Some(&bin));
    fails_with("E1013", &["synth", path(&t)], Some(&bin));
    let out = snnc_with_path(&["sim", path(&t)], Some(&bin));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the fake verilator fails"));
}

#[test]
fn a_simulation_that_disagrees_is_e1010() {
    // Icarus stands in: its compiler succeeds and its "simulation" writes four zero outputs
    // for every sample, and no weights.
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_tools(
        dir.path(),
        &[
            ("iverilog", "exit 0"),
            (
                "vvp",
                r#"n=4
: > outputs.txt
i=0
while [ $i -lt $n ]; do echo "$i 0 0 0 0 0 @$((100 + 8 * i))" >> outputs.txt; i=$((i + 1)); done
echo "tb: outputs=$n clocks=200 run_start=1 first_output=100 run=150""#,
            ),
        ],
    );
    let t = testsuite().join("models/tiny.snn");
    fails_with(
        "E1010",
        &["sim", path(&t), "--simulator", "icarus", "--samples", "4"],
        Some(&bin),
    );
}

#[test]
fn an_explore_with_no_design_is_e1015() {
    // Three inputs, five outputs: no power-of-two cycle count gives whole lanes.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("odd.snn");
    std::fs::write(
        &model,
        "network odd { input x[3]; layer y[5] { activation = sigmoid; connect = dense; z = 3; } }",
    )
    .unwrap();
    fails_with(
        "E1015",
        &[
            "explore",
            path(&model),
            "--dense",
            "-o",
            path(&dir.path().join("e")),
        ],
        None,
    );
}

#[test]
fn internal_errors_say_they_are_bugs() {
    use snn_compiler::diagnostics::Error;
    let internal = snn_compiler::PlanFailure::Datapath(snn_compiler::datapath::PlanError::Layout(
        snn_compiler::datapath::LayoutError::SharedBank {
            junction: "hidden".into(),
            groups: 2,
            next: "output".into(),
            z: 3,
        },
    ))
    .into_error("tiny");
    let timing = Error::TimingModel {
        measured: "33 clocks per input, predicted 32".into(),
    };
    for (error, code) in [(internal, "E9000"), (timing, "E9001")] {
        let text = snn_compiler::Failure::from(error).render(false);
        assert!(text.contains(&format!("error[{code}]")), "{text}");
        assert!(text.contains("a bug in snnc"), "{text}");
    }
}

#[test]
fn usage_errors_exit_2_and_user_errors_1() {
    let t = testsuite().join("models/tiny.snn");
    for args in [
        vec!["sim", path(&t), "--engine", "float"],
        vec!["sim", path(&t), "--samples", "0"],
        vec!["build", path(&t), "-o", "x", "--max-samples", "0"],
        vec!["explore", path(&t), "--jobs", "0"],
        vec!["check", path(&t), "--format", "xml"],
    ] {
        let out = snnc_with_path(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::Read;
    let model = testsuite().join("models/dey2018_mnist.snn");
    let mut child = Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(["check", path(&model)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the pipe before snnc writes (as `| head -0` would).
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Nothing but the model's own diagnostic (its clock is above the estimated Fmax): no
    // error about the closed pipe.
    assert!(stderr.is_empty() || stderr.starts_with("W0402"), "{stderr}");
    assert!(
        !stderr.contains("error") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    assert!(status.code() != Some(101), "{status:?}");
}

#[test]
fn quiet_and_json_keep_stderr_to_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let data = testsuite().join("data/tiny");
    let tiny = testsuite().join("models/tiny.snn");
    let save = dir.path().join("w.npz");
    let inputs = dir.path().join("inputs.csv");
    std::fs::write(
        &inputs,
        "0.5,".repeat(15) + "0.5\n" + &"0.25,".repeat(15) + "0.25\n",
    )
    .unwrap();
    let out = snnc_with_path(
        &[
            "train",
            path(&tiny),
            "--data",
            path(&data),
            "-o",
            path(&save),
            "-q",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("epoch 1"));
    for args in [
        vec!["check", path(&tiny)],
        vec![
            "train",
            path(&tiny),
            "--data",
            path(&data),
            "-o",
            path(&save),
            "--force",
        ],
        vec![
            "eval",
            path(&tiny),
            "--weights",
            path(&save),
            "--data",
            path(&data),
        ],
        vec!["run", path(&tiny), "--input", path(&inputs)],
        vec!["schedule", path(&tiny), "-o", path(&dir.path().join("s"))],
        vec!["build", path(&tiny), "-o", path(&dir.path().join("b"))],
    ] {
        let mut json = args.clone();
        json.extend(["--format", "json"]);
        let out = snnc_with_path(&json, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let _: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    }
}

/// A pseudo-terminal: its master (closed when dropped) and the path of its other end.
fn pseudo_terminal() -> (std::fs::File, String) {
    use std::os::fd::FromRawFd;
    // SAFETY: plain libc calls on a descriptor this function owns; ptsname's buffer is copied
    // before any other call.
    unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(fd >= 0 && libc::grantpt(fd) == 0 && libc::unlockpt(fd) == 0);
        let name = std::ffi::CStr::from_ptr(libc::ptsname(fd))
            .to_string_lossy()
            .into_owned();
        (std::fs::File::from_raw_fd(fd), name)
    }
}
