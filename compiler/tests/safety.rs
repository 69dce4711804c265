//! Nothing the user has is lost: a killed write leaves the previous file whole, a build
//! replaces only a directory snnc built and never writes through a link, two runs writing one
//! file cannot both win, a bad output path fails before the work, and files that are not
//! regular (FIFOs, devices) are refused without blocking.

mod common;

use common::testsuite;
use std::path::Path;
use std::process::{Command, Output};

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn snnc(args: &[&str]) -> Output {
    common::snnc(args)
}

/// `snnc args` with its file size limited to `blocks` of 512 bytes: the first write past it
/// kills the process (SIGXFSZ), half way through its output.
fn snnc_killed_by_file_size(args: &[&str], blocks: u64) -> Output {
    let mut script = format!("ulimit -f {blocks}; exec {}", env!("CARGO_BIN_EXE_snnc"));
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    Command::new("sh").args(["-c", &script]).output().unwrap()
}

fn tiny() -> std::path::PathBuf {
    testsuite().join("models/tiny.snn")
}

fn data() -> std::path::PathBuf {
    testsuite().join("data/tiny")
}

#[test]
fn a_save_killed_half_way_leaves_the_previous_weights() {
    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("w.npz");
    let first = snnc(&[
        "train",
        path(&tiny()),
        "--data",
        path(&data()),
        "-o",
        path(&weights),
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = std::fs::read(&weights).unwrap();
    // The archive is about a kilobyte: a 512-byte limit kills the second save in the middle.
    assert!(before.len() > 512);
    let killed = snnc_killed_by_file_size(
        &[
            "train",
            path(&tiny()),
            "--data",
            path(&data()),
            "-o",
            path(&weights),
            "--force",
            "--epochs",
            "2",
        ],
        1,
    );
    assert!(
        !killed.status.success(),
        "the save must have been cut short"
    );
    assert_eq!(
        std::fs::read(&weights).unwrap(),
        before,
        "the previous weights are whole"
    );
    let loaded = snn_runtime::weights::load(&weights, &program()).unwrap();
    assert!(!loaded.params.weights.is_empty());
}

fn program() -> snn_runtime::program::Program {
    let compiled = common::plan(
        "tiny.snn",
        &std::fs::read(tiny()).unwrap(),
        tiny().parent().unwrap(),
    );
    snn_compiler::lower::program(&compiled)
}

#[test]
fn a_build_killed_half_way_leaves_the_previous_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("build");
    let first = snnc(&["build", path(&tiny()), "-o", path(&out)]);
    assert!(first.status.success());
    let report = std::fs::read(out.join("report.json")).unwrap();
    let model = testsuite().join("models/dey2018_mnist.snn");
    let killed = snnc_killed_by_file_size(&["build", path(&model), "-o", path(&out), "--force"], 8);
    assert!(
        !killed.status.success(),
        "the build must have been cut short"
    );
    assert_eq!(std::fs::read(out.join("report.json")).unwrap(), report);
    let files = |d: &Path| std::fs::read_dir(d.join("rtl")).unwrap().count();
    assert!(files(&out) > 5, "the earlier build is complete");
}

#[test]
fn a_forced_build_replaces_an_earlier_one_whole_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("build");
    assert!(snnc(&[
        "build",
        path(&testsuite().join("models/relu.snn")),
        "-o",
        path(&out)
    ])
    .status
    .success());
    // A link in the build to a file of the user's, outside it.
    let outside = dir.path().join("notes.txt");
    std::fs::write(&outside, "the user's").unwrap();
    std::os::unix::fs::symlink(&outside, out.join("rtl/tiny_top.v")).unwrap();
    let again = snnc(&["build", path(&tiny()), "-o", path(&out), "--force"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let rtl: Vec<String> = std::fs::read_dir(out.join("rtl"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        rtl.iter().all(|f| !f.starts_with("relu")),
        "no stale file: {rtl:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "the user's",
        "no write through the link"
    );
    assert!(!out.join("rtl/tiny_top.v").is_symlink());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary directory stays behind: {leftovers:?}"
    );
}

#[test]
fn a_directory_of_the_users_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("report.md"), "my notes").unwrap();
    for args in [
        vec!["build", path(&tiny()), "-o", path(&mine), "--force"],
        vec!["sim", path(&tiny()), "-o", path(&mine), "--force"],
        vec!["sim", path(&tiny()), "--keep", path(&mine)],
    ] {
        let out = snnc(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("E1016") || stderr.contains("E1002"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(mine.join("report.md")).unwrap(),
        "my notes"
    );
}

#[test]
fn two_runs_saving_one_file_cannot_both_win() {
    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("w.npz");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_snnc"))
            .args([
                "train",
                path(&tiny()),
                "--data",
                path(&data()),
                "-o",
                path(&weights),
                "-q",
            ])
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outcomes = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let won = outcomes.iter().filter(|o| o.status.success()).count();
    assert_eq!(won, 1, "exactly one run saves");
    let lost = outcomes.iter().find(|o| !o.status.success()).unwrap();
    let stderr = String::from_utf8_lossy(&lost.stderr);
    assert!(stderr.contains("E1002"), "{stderr}");
}

#[test]
fn an_unwritable_output_fails_before_training() {
    let out = snnc(&[
        "train",
        path(&tiny()),
        "--data",
        path(&data()),
        "-o",
        "/no/such/dir/w.npz",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E1001"));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("epoch"),
        "no training happened"
    );
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("model.snn");
    let c = std::ffi::CString::new(path(&fifo)).unwrap();
    // SAFETY: a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let weights_fifo = dir.path().join("w.npy");
    let c = std::ffi::CString::new(path(&weights_fifo)).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let model = dir.path().join("uses_fifo.snn");
    std::fs::write(
        &model,
        "network f { input x[4]; layer y[2] { activation = sigmoid; connect = dense; z = 4; weights = \"w.npy\"; } }",
    )
    .unwrap();
    let device = dir.path().join("uses_device.snn");
    std::fs::write(
        &device,
        "network d { input x[4]; layer y[2] { activation = sigmoid; connect = pruned(weights = \"/dev/zero\"); z = 4; } }",
    )
    .unwrap();
    let zeros = dir.path().join("zeros.npy");
    std::os::unix::fs::symlink("/dev/zero", &zeros).unwrap();
    for (args, code) in [
        (vec!["check", path(&fifo)], "E0001"),
        (vec!["check", "/dev/zero"], "E0001"),
        (vec!["check", path(&model)], "E0500"),
        (vec!["check", path(&device)], "E0500"),
        (vec!["run", path(&tiny()), "--input", path(&zeros)], "E1005"),
    ] {
        let started = std::time::Instant::now();
        let out = snnc(&args);
        assert!(started.elapsed().as_secs() < 10, "{args:?} blocked");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(code),
            "{args:?}"
        );
    }
}

#[test]
fn builds_name_their_model_by_its_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let absolute = tiny().canonicalize().unwrap();
    assert!(snnc(&["build", path(&absolute), "-o", path(&a)])
        .status
        .success());
    let relative = Command::new(env!("CARGO_BIN_EXE_snnc"))
        .current_dir(testsuite())
        .args(["build", "models/tiny.snn", "-o", path(&b)])
        .output()
        .unwrap();
    assert!(relative.status.success());
    for file in ["report.json", "report.md", "rtl/tiny_top.v"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_build_makes_the_directories_above_it() {
    // `-o build/model` in a fresh clone, where `build/` does not exist yet.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("build/models/tiny");
    let built = snnc(&["build", path(&tiny()), "-o", path(&out)]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(out.join("report.json").is_file());
    let entries: Vec<_> = std::fs::read_dir(dir.path().join("build/models"))
        .unwrap()
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "only the build, no temporary directory left"
    );
}
