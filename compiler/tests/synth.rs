//! `snnc synth` end to end under Yosys (installed by scripts/test), the estimate against
//! it, and `snnc explore` on a tiny grid (analytical only: its CSV is a snapshot).

mod common;

use serde_json::Value;

fn tiny() -> String {
    common::testsuite()
        .join("models/tiny.snn")
        .display()
        .to_string()
}

fn number(v: &Value, path: &[&str]) -> f64 {
    let mut at = v;
    for key in path {
        at = &at[key];
    }
    at.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number in {v}"))
}

#[test]
fn synth_reports_the_part_a_verdict_blocks_and_a_close_estimate() {
    let out = common::snnc(&["synth", &tiny(), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "snnc synth failed: {stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let yosys = &report["yosys"];
    assert_eq!(yosys["part"], "xc7a100tcsg324-1");
    assert_eq!(yosys["fits"], true);
    // Timing: the worst path with routing is longer than by cells alone, and the cells'
    // figure stays within 15% of Yosys's own `sta` (which counts the clock buffer and times
    // DSP48E1 slices and block RAM faster).
    let timing = &report["timing"];
    let worst = number(timing, &["worst", "total_ps"]);
    let cells = number(timing, &["worst_cells", "total_ps"]);
    let sta = number(timing, &["yosys_sta_ps"]);
    assert!(worst > cells && cells > 1000.0, "{timing}");
    assert!(
        (cells - sta).abs() <= 0.15 * sta,
        "cells {cells} ps, sta {sta} ps"
    );
    assert_eq!(timing["verdict"]["clock_mhz"], 100.0);
    assert!(timing["worst"]["steps"].as_array().unwrap().len() >= 2);
    let blocks: Vec<&str> = yosys["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    for block in ["hidden", "output", "mem_x", "mem_hidden", "top level"] {
        assert!(blocks.contains(&block), "no block {block} in {blocks:?}");
    }
    // The estimate: LUTs and flip-flops within 10%, DSP slices and block RAM exact.
    let estimate = &report["estimate"]["resources"];
    for (resource, tolerance) in [("luts", 0.10), ("flip_flops", 0.10), ("dsp48e1", 0.0)] {
        let y = number(yosys, &["total", resource]);
        let e = number(estimate, &["total", resource]);
        assert!(
            (e - y).abs() <= tolerance * y,
            "{resource}: estimate {e}, Yosys {y}"
        );
    }
    for resource in ["ramb18", "ramb36"] {
        assert_eq!(
            estimate["total"][resource], yosys["total"][resource],
            "{resource}"
        );
    }
}

#[test]
fn synth_without_yosys_says_which_package_to_install() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(["synth", &tiny()])
        .env("PATH", "")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E1012]"), "{stderr}");
    assert!(stderr.contains("apt-get install yosys"), "{stderr}");
}

/// Runs `snnc explore MODEL ARGS -o OUT_DIR`, which must succeed.
fn explore(model: &str, args: &[&str], out_dir: &std::path::Path) {
    let mut all = vec!["explore", model];
    all.extend_from_slice(args);
    all.extend(["-o", out_dir.to_str().unwrap()]);
    let out = common::snnc(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explore_writes_csv_table_and_plots_for_a_grid() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("explore");
    explore(
        &tiny(),
        &["--cycles", "8,16", "--bits", "8,16", "--dense"],
        &out_dir,
    );
    for file in [
        "explore.md",
        "throughput_vs_luts.svg",
        "throughput_vs_dsps.svg",
    ] {
        assert!(out_dir.join(file).is_file(), "{file} missing");
    }
    let csv = std::fs::read_to_string(out_dir.join("explore.csv")).unwrap();
    common::snapshots_in("explore", || insta::assert_snapshot!("tiny_grid.csv", csv));
    let table = std::fs::read_to_string(out_dir.join("explore.md")).unwrap();
    assert!(table.contains("## Sparse or dense"), "{table}");

    // The directory now exists: a second run refuses to write into it.
    let again = common::snnc(&["explore", &tiny(), "-o", out_dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("error[E1002]"));
}

#[test]
fn explore_rejects_a_density_outside_zero_to_one() {
    let out = common::snnc(&["explore", &tiny(), "--density", "1.5"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E1014]"), "{stderr}");
}

#[test]
fn explore_gives_a_wide_format_the_integer_bits_training_needs() {
    // dey2018 trains at fixed<10, 7>; at 16 bits, 2 integer bits leave σ's lowest entry
    // above the update's rounding (fixed<16, 13> does not learn), so the point gets a third.
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("explore");
    let model = common::testsuite().join("models/dey2018_mnist.snn");
    explore(model.to_str().unwrap(), &["--bits", "8,10,16"], &out_dir);
    let csv = std::fs::read_to_string(out_dir.join("explore.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    for (row, format) in rows
        .iter()
        .zip(["fixed<8, 5>", "fixed<10, 7>", "fixed<16, 12>"])
    {
        assert!(row.contains(&format!(",\"{format}\",")), "{row}");
    }
}

/// `model` with `from` replaced by `to`, written into `dir`.
fn variant(model: &str, from: &str, to: &str, dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(common::testsuite().join("models").join(model)).unwrap();
    assert!(text.contains(from), "{model} has `{from}`");
    let path = dir.join(model);
    std::fs::write(&path, text.replace(from, to)).unwrap();
    path.display().to_string()
}

#[test]
fn explore_at_large_learning_rates_keeps_formats_and_says_why() {
    // tiny trains at 2^-2. At 2^0 no split of the bits can settle (σ's lowest entry is at
    // least one LSB, and a whole δ is a whole update); at 2^-1 one can. Every point still
    // has a design, none is refused for lack of fraction bits.
    for (rate, settles) in [("2^0", false), ("2^-1", true)] {
        let dir = tempfile::tempdir().unwrap();
        let model = variant(
            "tiny.snn",
            "learning_rate = 2^-2;",
            &format!("learning_rate = {rate};"),
            dir.path(),
        );
        let out_dir = dir.path().join("explore");
        explore(&model, &["--bits", "6,8,12"], &out_dir);
        let csv = std::fs::read_to_string(out_dir.join("explore.csv")).unwrap();
        assert!(!csv.contains("no fraction bits"), "{rate}: {csv}");
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), 3, "{csv}");
        for row in rows {
            assert!(row.contains(",true,"), "{rate}: every point fits: {row}");
            assert_eq!(row.contains("may not settle"), !settles, "{rate}: {row}");
        }
    }
}

#[test]
fn a_tie_at_half_an_lsb_rounds_to_no_update_so_the_format_is_kept() {
    // fixed<8, 5> with a sigmoid table over [-2, 2): σ(-2) = 0.119 is 3.8 LSB, stored as 4,
    // and at η = 2^-3 the update of δ = 4 LSB is floor((-4 + 4) / 8) = 0: training settles
    // with the model's own integer bits, so 8 bits stay fixed<8, 5>.
    let dir = tempfile::tempdir().unwrap();
    let model = variant(
        "tiny.snn",
        "activation = sigmoid;\n        connect    = sparse(fan_out = 2, pattern = clash_free(type = 3",
        "activation = sigmoid(range = 2);\n        connect    = sparse(fan_out = 2, pattern = clash_free(type = 3",
        dir.path(),
    );
    let model = {
        let text = std::fs::read_to_string(&model).unwrap();
        std::fs::write(
            &model,
            text.replace("learning_rate = 2^-2;", "learning_rate = 2^-3;"),
        )
        .unwrap();
        model
    };
    let out_dir = dir.path().join("explore");
    explore(&model, &["--bits", "8"], &out_dir);
    let csv = std::fs::read_to_string(out_dir.join("explore.csv")).unwrap();
    assert!(csv.contains(",\"fixed<8, 5>\","), "{csv}");
}

/// The `accuracy` column of an explore CSV's only row.
fn accuracy_of_single_point(out_dir: &std::path::Path) -> f64 {
    let csv = std::fs::read_to_string(out_dir.join("explore.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|c| *c == "accuracy").unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    // The format column is quoted and holds a comma.
    let cells: Vec<&str> = rows[0].split(',').collect();
    cells[column + 1]
        .parse()
        .unwrap_or_else(|_| panic!("{csv}"))
}

#[test]
fn explore_starts_every_point_from_the_given_weights() {
    // Four training samples move tiny's initial weights little (26% test accuracy); from
    // weights trained for five epochs the same point classifies every test sample.
    let dir = tempfile::tempdir().unwrap();
    let model = common::testsuite().join("models/tiny.snn");
    let data = common::testsuite().join("data/tiny");
    let weights = dir.path().join("trained.npz");
    let out = common::snnc(&[
        "train",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--epochs",
        "5",
        "--save",
        weights.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sweep = [
        "--train-on",
        data.to_str().unwrap(),
        "--limit",
        "4",
        "--bits",
        "8",
    ];
    let from_init = dir.path().join("from_init");
    explore(model.to_str().unwrap(), &sweep, &from_init);
    let from_trained = dir.path().join("from_trained");
    let mut with_weights = sweep.to_vec();
    with_weights.extend(["--weights", weights.to_str().unwrap()]);
    explore(model.to_str().unwrap(), &with_weights, &from_trained);
    let (init, trained) = (
        accuracy_of_single_point(&from_init),
        accuracy_of_single_point(&from_trained),
    );
    assert!(init < 0.5, "from the initial weights: {init}");
    assert_eq!(trained, 1.0, "from the trained weights");
}
