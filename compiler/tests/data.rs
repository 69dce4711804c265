//! Data and weights are read as documented or refused, never taken another way in silence:
//! pixels against values, labelled CSV, Fortran-order arrays, NumPy data directories, empty
//! sets, and weights that saturate or miss the network's edges.

mod common;

use common::testsuite;
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn tiny() -> std::path::PathBuf {
    testsuite().join("models/tiny.snn")
}

/// A `.npy` file of `values` with `shape`, as NumPy writes `descr`, in Fortran order or not.
fn npy(descr: &str, shape: &[usize], fortran: bool, values: &[u8]) -> Vec<u8> {
    let dims = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {dims}, }}",
        if fortran { "True" } else { "False" }
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    bytes.extend(values);
    bytes
}

fn f64s(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The tiny data set's CSV rows (label, 16 values).
fn rows(name: &str) -> Vec<Vec<f64>> {
    std::fs::read_to_string(testsuite().join("data/tiny").join(name))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn pixels_in_a_csv_are_noticed_and_read_with_pixels() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["train.csv", "test.csv"] {
        let text: String = rows(name)
            .iter()
            .map(|r| {
                let mut cells = vec![format!("{}", r[0])];
                cells.extend(r[1..].iter().map(|v| format!("{}", (v * 256.0).round())));
                cells.join(",") + "\n"
            })
            .collect();
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let weights = dir.path().join("w.npz");
    let model = tiny();
    let train = |extra: &[&str]| {
        let mut args = vec![
            "train",
            path(&model),
            "--data",
            path(dir.path()),
            "-o",
            path(&weights),
            "--force",
        ];
        args.extend(extra);
        common::snnc(&args)
    };
    let as_values = train(&[]);
    assert!(as_values.status.success());
    let warning = stderr(&as_values);
    assert!(
        warning.contains("W1002") && warning.contains("--pixels"),
        "{warning}"
    );
    let as_pixels = train(&["--pixels"]);
    assert!(as_pixels.status.success());
    assert!(
        !stderr(&as_pixels).contains("W1002"),
        "{}",
        stderr(&as_pixels)
    );
    // Read as pixels, the data is the original data set: the same accuracy to the bit.
    let original = common::snnc(&[
        "train",
        path(&tiny()),
        "--data",
        path(&testsuite().join("data/tiny")),
        "-o",
        path(&dir.path().join("o.npz")),
    ]);
    let epoch = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap()
            .split(" (")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(epoch(&as_pixels), epoch(&original));
}

#[test]
fn a_labelled_csv_given_to_run_is_not_read_as_features() {
    let test = testsuite().join("data/tiny/test.csv");
    let out = common::snnc(&["run", path(&tiny()), "--input", path(&test), "--limit", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--labelled"), "{}", stderr(&out));
    let out = common::snnc(&[
        "run",
        path(&tiny()),
        "--input",
        path(&test),
        "--limit",
        "2",
        "--labelled",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
}

#[test]
fn fortran_order_arrays_are_read_as_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let samples: Vec<Vec<f64>> = rows("test.csv")
        .into_iter()
        .take(5)
        .map(|r| r[1..].to_vec())
        .collect();
    let c_order: Vec<f64> = samples.iter().flatten().copied().collect();
    let fortran: Vec<f64> = (0..16)
        .flat_map(|f| samples.iter().map(move |s| s[f]))
        .collect();
    let (c, f) = (dir.path().join("c.npy"), dir.path().join("f.npy"));
    std::fs::write(&c, npy("<f8", &[5, 16], false, &f64s(&c_order))).unwrap();
    std::fs::write(&f, npy("<f8", &[5, 16], true, &f64s(&fortran))).unwrap();
    let run = |input: &Path| common::snnc(&["run", path(&tiny()), "--input", path(input)]).stdout;
    assert_eq!(run(&c), run(&f));

    // Trained weights saved as NumPy's `np.savez(w.T)` would: Fortran order.
    let saved = dir.path().join("w.npz");
    assert!(common::snnc(&[
        "train",
        path(&tiny()),
        "--data",
        path(&testsuite().join("data/tiny")),
        "-o",
        path(&saved)
    ])
    .status
    .success());
    let transposed = dir.path().join("wf.npz");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&saved).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&transposed).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let array = snn_runtime::npy::parse(&bytes).unwrap();
        let bytes = match array.shape.as_slice() {
            [rows, cols] => {
                let column_major: Vec<f64> = (0..*cols)
                    .flat_map(|c| (0..*rows).map(move |r| (r, c)))
                    .map(|(r, c)| array.values[r * cols + c])
                    .collect();
                npy("<f8", &array.shape, true, &f64s(&column_major))
            }
            _ => bytes,
        };
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
    let with = |w: &Path| {
        common::snnc(&[
            "run",
            path(&tiny()),
            "--input",
            path(&c),
            "--weights",
            path(w),
        ])
        .stdout
    };
    assert_eq!(with(&saved), with(&transposed));
}

#[test]
fn numpy_data_directories_train_like_the_csv_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    for (name, x, y) in [
        ("train.csv", "x_train.npy", "y_train.npy"),
        ("test.csv", "x_test.npy", "y_test.npy"),
    ] {
        let rows = rows(name);
        // Pixels as uint8 images of 4 × 4, labels as int64.
        let pixels: Vec<u8> = rows
            .iter()
            .flat_map(|r| r[1..].iter().map(|v| (v * 256.0).round() as u8))
            .collect();
        let labels: Vec<u8> = rows
            .iter()
            .flat_map(|r| (r[0] as i64).to_le_bytes())
            .collect();
        std::fs::write(
            dir.path().join(x),
            npy("|u1", &[rows.len(), 4, 4], false, &pixels),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(y),
            npy("<i8", &[rows.len()], false, &labels),
        )
        .unwrap();
    }
    let train = |data: &Path| {
        let out = common::snnc(&[
            "train",
            path(&tiny()),
            "--data",
            path(data),
            "-o",
            path(&data.join("w.npz")),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .split(" (")
            .next()
            .unwrap()
            .to_string()
    };
    let csv_dir = tempfile::tempdir().unwrap();
    for name in ["train.csv", "test.csv"] {
        std::fs::copy(
            testsuite().join("data/tiny").join(name),
            csv_dir.path().join(name),
        )
        .unwrap();
    }
    assert_eq!(train(dir.path()), train(csv_dir.path()));
}

#[test]
fn empty_data_sets_and_zero_limits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let header = |dims: &[u32]| {
        let mut bytes = vec![0, 0, 8, dims.len() as u8];
        for d in dims {
            bytes.extend(d.to_be_bytes());
        }
        bytes
    };
    for (name, bytes) in [
        ("train-images-idx3-ubyte", header(&[0, 4, 4])),
        ("train-labels-idx1-ubyte", header(&[0])),
        ("t10k-images-idx3-ubyte", header(&[0, 4, 4])),
        ("t10k-labels-idx1-ubyte", header(&[0])),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = common::snnc(&[
        "train",
        path(&tiny()),
        "--data",
        path(dir.path()),
        "-o",
        path(&dir.path().join("w.npz")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no samples"), "{}", stderr(&out));
    assert!(!dir.path().join("w.npz").exists(), "nothing is saved");
    let data = testsuite().join("data/tiny");
    for args in [
        vec![
            "train",
            path(&tiny()),
            "--data",
            path(&data),
            "--limit",
            "0",
        ],
        vec![
            "eval",
            path(&tiny()),
            "--data",
            path(&data),
            "--weights",
            "w.npz",
            "--limit",
            "0",
        ],
        vec![
            "train",
            path(&tiny()),
            "--data",
            path(&data),
            "--epochs",
            "0",
        ],
    ] {
        assert_eq!(common::snnc(&args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn weights_that_saturate_or_miss_the_edges_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    // dense.snn's layers trained, then loaded into a sparse network of the same layers and a
    // narrower weight format: refused with the edge masks `train` saves, counted without.
    let dense_text = "network d { formats { default = fixed<16, 10>; input = ufixed<8, 8>; } input x[16]; layer hidden[8] { activation = sigmoid; connect = dense; z = 16; } layer output[4] { activation = sigmoid; connect = dense; z = 8; } train { learning_rate = 2^0; } }";
    let sparse_text = dense_text
        .replace("fixed<16, 10>", "fixed<6, 5>")
        .replace(
            "connect = dense; z = 16",
            "connect = sparse(fan_out = 2, pattern = random(seed = 1)); z = 4",
        )
        .replace("network d", "network s");
    let (dense, sparse) = (dir.path().join("d.snn"), dir.path().join("s.snn"));
    std::fs::write(&dense, dense_text).unwrap();
    std::fs::write(&sparse, sparse_text).unwrap();
    let weights = dir.path().join("w.npz");
    let data = testsuite().join("data/tiny");
    let trained = common::snnc(&[
        "train",
        path(&dense),
        "--data",
        path(&data),
        "-o",
        path(&weights),
    ]);
    assert!(trained.status.success(), "{}", stderr(&trained));
    let inputs = dir.path().join("x.csv");
    std::fs::write(&inputs, "0.5,".repeat(15) + "0.5\n").unwrap();
    let run = |w: &Path| {
        common::snnc(&[
            "run",
            path(&sparse),
            "--input",
            path(&inputs),
            "--weights",
            path(w),
        ])
    };
    // The saved file's edge masks say it is another network's.
    let refused = run(&weights);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("E1004") && stderr(&refused).contains("junction `hidden`"),
        "{}",
        stderr(&refused)
    );
    // Without them — matrices as NumPy users save them — the weights load, counted.
    let unmasked = dir.path().join("unmasked.npz");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&weights).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&unmasked).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !name.ends_with(".edges.npy") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut out, &bytes).unwrap();
        }
    }
    out.finish().unwrap();
    let out = run(&unmasked);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);
    assert!(warnings.contains("W1003"), "saturated: {warnings}");
    assert!(warnings.contains("W1004"), "off the edges: {warnings}");
}
