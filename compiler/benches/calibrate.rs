//! Calibrates the resource estimate against Yosys and measures its error.
//!
//! `cargo bench --bench calibrate -- primitives` synthesises every primitive over its
//! parameter range and fits the primitives' models; `-- glue` synthesises the corpus (the
//! testsuite's models and explored variants) and fits each block's own logic; both print the
//! coefficients for `compiler/src/synth/estimate/coefficients.rs`. `-- check` prints the
//! estimate against Yosys for every design of the corpus (the table in docs/performance.md).
//! Yosys results are cached under `target/calibration`; `--jobs N` runs N Yosys at once.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use snn_compiler::backend::{self, PRIMITIVES};
use snn_compiler::explore::{Explorer, Point};
use snn_compiler::hw::parts::Primitive;
use snn_compiler::hw::{self, Interface, Options, UpdateMultipliers};
use snn_compiler::synth::estimate::{self, primitives, BlockKind};
use snn_compiler::synth::resources::Resources;
use snn_compiler::synth::yosys;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn cache() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/calibration")
}

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite/models")
}

/// A cached computation: `key`'s JSON under the cache, or `compute` and store it.
fn cached<T: Serialize + for<'de> Deserialize<'de>>(
    key: &str,
    compute: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    let path = cache().join(format!("{key}.json"));
    if let Ok(text) = std::fs::read_to_string(&path) {
        if let Ok(value) = serde_json::from_str(&text) {
            return Ok(value);
        }
    }
    let value = compute()?;
    std::fs::create_dir_all(cache()).map_err(|e| e.to_string())?;
    std::fs::write(&path, serde_json::to_string(&value).expect("serialisable"))
        .map_err(|e| e.to_string())?;
    Ok(value)
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
struct Measured {
    luts: u64,
    flip_flops: u64,
    dsp48e1: u64,
    ramb18: u64,
    ramb36: u64,
}

impl From<Resources> for Measured {
    fn from(r: Resources) -> Measured {
        Measured {
            luts: r.luts,
            flip_flops: r.flip_flops,
            dsp48e1: r.dsp48e1,
            ramb18: r.ramb18,
            ramb36: r.ramb36,
        }
    }
}

// ------------------------------------------------------------------------- primitives

/// A primitive to measure: its inventory form, and how to synthesise it alone.
struct Job {
    primitive: Primitive,
    module: &'static str,
    parameters: Vec<(&'static str, String)>,
}

fn primitive_jobs(explorer: &Explorer) -> Vec<Job> {
    let mut jobs = Vec::new();
    let widths = [8usize, 10, 12, 16, 18, 20, 24, 26, 32];
    for &a in &widths {
        for &b in &widths {
            if a.abs_diff(b) <= 8 {
                jobs.push(Job {
                    primitive: Primitive::Mul {
                        a_w: a,
                        b_w: b,
                        out_w: a,
                        luts: false,
                        b_unsigned: false,
                    },
                    module: "snn_mul",
                    parameters: vec![
                        ("A_W", a.to_string()),
                        ("B_W", b.to_string()),
                        ("OUT_W", a.to_string()),
                        ("SHIFT", (b - 2).to_string()),
                    ],
                });
            }
        }
    }
    for &a in &[4usize, 6, 8, 10, 12, 16] {
        for &b in &[4usize, 6, 8, 10, 12, 16] {
            jobs.push(Job {
                primitive: Primitive::Mul {
                    a_w: a,
                    b_w: b,
                    out_w: a,
                    luts: true,
                    b_unsigned: false,
                },
                module: "snn_mul",
                parameters: vec![
                    ("A_W", a.to_string()),
                    ("B_W", b.to_string()),
                    ("OUT_W", a.to_string()),
                    ("SHIFT", (b - 2).to_string()),
                    ("USE_DSP", "\"no\"".into()),
                ],
            });
        }
    }
    for &i in &[8usize, 12, 16, 24, 32, 40] {
        for &o in &[6usize, 8, 10, 16, 32] {
            for &s in &[0i64, 3, -2] {
                let mut parameters = vec![("IN_W", i.to_string()), ("OUT_W", o.to_string())];
                if s > 0 {
                    parameters.push(("SHIFT", s.to_string()));
                } else if s < 0 {
                    parameters.push(("LSHIFT", (-s).to_string()));
                }
                jobs.push(Job {
                    primitive: Primitive::RoundSat {
                        in_w: i,
                        out_w: o,
                        shift: s,
                    },
                    module: "snn_round_sat",
                    parameters,
                });
            }
        }
    }
    for &n in &[2usize, 3, 4, 5, 8, 16, 32, 64] {
        for &w in &[8usize, 10, 16, 32] {
            jobs.push(Job {
                primitive: Primitive::Tree { n, in_w: w },
                module: "snn_adder_tree",
                parameters: vec![
                    ("N", n.to_string()),
                    ("IN_W", w.to_string()),
                    (
                        "LEVELS",
                        snn_compiler::datapath::layout::bits(n).to_string(),
                    ),
                    (
                        "REGISTERED",
                        snn_compiler::datapath::layout::tree_registers(n, w).to_string(),
                    ),
                ],
            });
        }
    }
    for &n in &[4usize, 8, 16, 32] {
        for &w in &[8usize, 10, 16] {
            jobs.push(Job {
                primitive: Primitive::Crossbar { n, width: w },
                module: "snn_crossbar",
                parameters: vec![
                    ("N", n.to_string()),
                    ("WIDTH", w.to_string()),
                    ("SEL_W", snn_compiler::datapath::layout::bits(n).to_string()),
                ],
            });
        }
    }
    for &(n, levels) in &[
        (6usize, 1usize),
        (16, 1),
        (20, 2),
        (72, 2),
        (136, 2),
        (264, 3),
    ] {
        for &w in &[8usize, 16] {
            jobs.push(Job {
                primitive: Primitive::MuxTree {
                    n,
                    width: w,
                    levels,
                },
                module: "snn_mux_tree",
                parameters: vec![
                    ("N", n.to_string()),
                    ("WIDTH", w.to_string()),
                    ("SEL_W", snn_compiler::datapath::layout::bits(n).to_string()),
                    ("LEVELS", levels.to_string()),
                ],
            });
        }
    }
    jobs.extend(interface_jobs());
    for &bits in &[8u64, 10, 16, 32] {
        let (compiled, _) = explorer
            .compile(&Point {
                bits: Some(bits),
                ..Point::default()
            })
            .expect("the tiny model at these bits");
        let options = Options {
            beat: 1,
            update_multipliers: UpdateMultipliers::Auto,
            interface: Interface::Native,
            board: None,
            baud: snn_compiler::hw::DEFAULT_BAUD,
        };
        let j = &hw::model(&compiled, &options)
            .expect("no board top")
            .junctions[0];
        let act = &j.act;
        let w = j.act_w;
        for kind in [0usize, 1, 2] {
            let mut parameters = vec![
                ("W", w.to_string()),
                ("KIND", kind.to_string()),
                ("ONE", act.one.to_string()),
            ];
            if kind == 0 {
                parameters.extend([
                    ("OFFSET", act.offset.to_string()),
                    ("IDX_SHIFT", act.shift.to_string()),
                    ("ENTRIES", act.entries.to_string()),
                    ("IDX_W", act.index_w.to_string()),
                    ("TABLE", format!("\"table_{w}.mem\"")),
                    ("TABLE_STYLE", "\"block\"".into()),
                ]);
            }
            jobs.push(Job {
                primitive: Primitive::Act {
                    w,
                    sigmoid: kind == 0,
                },
                module: "snn_act",
                parameters,
            });
        }
    }
    jobs
}

/// The AXI shell's and the board top's primitives over the ranges designs give them.
fn interface_jobs() -> Vec<Job> {
    let mut jobs = Vec::new();
    for addr_w in [9usize, 12, 15, 17, 20] {
        jobs.push(Job {
            primitive: Primitive::AxiLite { addr_w },
            module: "snn_axil",
            parameters: vec![("ADDR_W", addr_w.to_string()), ("READ_LATENCY", "3".into())],
        });
    }
    for addr in [4usize, 6, 8, 10] {
        jobs.push(Job {
            primitive: Primitive::Fifo { width: 8, addr },
            module: "snn_fifo",
            parameters: vec![("WIDTH", "8".into()), ("ADDR", addr.to_string())],
        });
    }
    for clocks_per_bit in [8usize, 100, 868] {
        jobs.push(Job {
            primitive: Primitive::UartRx { clocks_per_bit },
            module: "snn_uart_rx",
            parameters: vec![("CLOCKS_PER_BIT", clocks_per_bit.to_string())],
        });
        jobs.push(Job {
            primitive: Primitive::UartTx { clocks_per_bit },
            module: "snn_uart_tx",
            parameters: vec![("CLOCKS_PER_BIT", clocks_per_bit.to_string())],
        });
    }
    for (addr_w, in_bytes, out_bytes, label_bytes) in [
        (10, 4, 5, 1),
        (12, 2, 11, 1),
        (15, 8, 9, 1),
        (17, 32, 41, 1),
        (17, 16, 21, 2),
        (20, 1, 3, 1),
    ] {
        let buf_w = 11;
        jobs.push(Job {
            primitive: Primitive::Bridge {
                addr_w,
                in_bytes,
                out_bytes,
                label_bytes,
            },
            module: "snn_uart_bridge",
            parameters: vec![
                ("ADDR_W", addr_w.to_string()),
                ("IN_BYTES", in_bytes.to_string()),
                ("BEATS", "4".into()),
                ("LABEL_BYTES", label_bytes.to_string()),
                ("LABEL_W", (8 * label_bytes - 2).to_string()),
                ("OUT_BYTES", out_bytes.to_string()),
                ("BUF_W", buf_w.to_string()),
                ("BUF_STYLE", "\"block\"".into()),
            ],
        });
    }
    jobs
}

fn measure(job: &Job) -> Result<Measured, String> {
    let key: String = job
        .parameters
        .iter()
        .map(|(k, v)| format!("_{k}{}", v.replace('"', "").replace('.', "_")))
        .collect();
    cached(&format!("prim_{}{key}", job.module), || {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut sources = Vec::new();
        for (name, text) in PRIMITIVES {
            std::fs::write(dir.path().join(name), text).map_err(|e| e.to_string())?;
            sources.push(name.to_string());
        }
        // A sigmoid's table: entries of varied bits, so that nothing folds away.
        for w in [8, 10, 16, 32] {
            let mut seed = 0x9e37_79b9_u64;
            let table: String = (0..4096)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    format!("{:x}\n", seed & ((1u64 << (2 * w)) - 1))
                })
                .collect();
            std::fs::write(dir.path().join(format!("table_{w}.mem")), table)
                .map_err(|e| e.to_string())?;
        }
        yosys::module(dir.path(), &sources, job.module, &job.parameters)
            .map(Measured::from)
            .map_err(|e| format!("{e:?}"))
    })
}

// ------------------------------------------------------------------------- designs

/// The corpus: testsuite models and variants of them.
fn corpus() -> Vec<(&'static str, Point)> {
    let p = |cycles: Option<u64>, bits: Option<u64>, density: Option<f64>| Point {
        cycles,
        bits,
        density,
        dense: false,
    };
    let model = p(None, None, None);
    vec![
        ("tiny", model),
        ("tiny", p(None, Some(8), None)),
        ("tiny", p(None, Some(24), None)),
        ("tiny_lockstep", model),
        ("corner_one_row", model),
        ("corner_saturation", model),
        ("corner_ties", model),
        ("dense", model),
        ("dense", p(None, Some(8), None)),
        ("dense", p(Some(32), None, None)),
        ("relu", model),
        ("relu", p(None, Some(8), None)),
        ("pruned", model),
        ("pruned", p(None, None, Some(0.1))),
        ("dey2018_mnist", model),
        ("dey2018_mnist", p(Some(64), None, None)),
        ("dey2018_mnist", p(Some(128), None, None)),
        ("dey2018_mnist", p(None, Some(8), None)),
        ("dey2018_mnist", p(None, Some(16), None)),
        ("dey2018_mnist", p(Some(64), Some(16), None)),
        ("dey2018_mnist", p(Some(128), Some(8), None)),
        ("dey2018_mnist", p(Some(128), Some(32), None)),
        (
            "dey2018_mnist",
            Point {
                dense: true,
                ..p(Some(1024), None, None)
            },
        ),
        (
            "dey2018_mnist",
            Point {
                dense: true,
                ..p(Some(2048), Some(16), None)
            },
        ),
        ("fashion_pruned", model),
        ("fashion_pruned", p(None, Some(16), None)),
    ]
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct DesignRecord {
    total: Measured,
    blocks: BTreeMap<String, Measured>,
}

struct Design {
    label: String,
    compiled: snn_compiler::Compiled,
    options: Options,
    yosys: DesignRecord,
}

fn designs() -> Vec<Design> {
    let scratch = cache().join("work");
    corpus()
        .par_iter()
        .filter_map(|(model, point)| {
            let path = models_dir().join(format!("{model}.snn"));
            let explorer = Explorer::open(&path, &scratch).ok()?;
            let compiled = match explorer.compile(point) {
                Ok((c, _)) => c,
                Err(e) => {
                    eprintln!("{model} {}: {e}", point.label());
                    return None;
                }
            };
            let options = Options {
                beat: backend::default_beat(compiled.network()),
                update_multipliers: UpdateMultipliers::Auto,
                interface: Interface::Native,
                board: None,
                baud: snn_compiler::hw::DEFAULT_BAUD,
            };
            let label = format!("{model} {}", point.label());
            let record = cached(&format!("design_{model}_{}", point.label()), || {
                eprintln!("synthesising {label}");
                let dir = scratch.join(format!("{model}_{}", point.label()));
                let program = snn_compiler::lower::program(&compiled);
                let params = snn_compiler::lower::initial_parameters(compiled.network(), &program);
                let s = snn_compiler::explore::synthesise(&compiled, &params, &options, &dir)
                    .map_err(|e| e.to_string())?;
                Ok(DesignRecord {
                    total: s.total.into(),
                    blocks: s
                        .blocks
                        .iter()
                        .map(|b| (b.name.clone(), b.resources.into()))
                        .collect(),
                })
            });
            match record {
                Ok(yosys) => Some(Design {
                    label,
                    compiled,
                    options,
                    yosys,
                }),
                Err(e) => {
                    eprintln!("{label}: {e}");
                    None
                }
            }
        })
        .collect()
}

/// Board tops of small models: Yosys's total of `<net>_board`, and the own logic (cells
/// outside any submodule) of `<net>_axi` and `<net>_board`.
struct BoardDesign {
    label: String,
    compiled: snn_compiler::Compiled,
    options: Options,
    total: Measured,
    shell_own: Measured,
    board_own: Measured,
}

fn board_designs() -> Vec<BoardDesign> {
    let scratch = cache().join("work");
    [
        "tiny",
        "relu",
        "dense",
        "logistic",
        "corner_one_row",
        "pruned",
    ]
    .par_iter()
    .filter_map(|model| {
        let path = models_dir().join(format!("{model}.snn"));
        let text = std::fs::read(&path).ok()?;
        let network =
            snn_compiler::compile_bytes(format!("{model}.snn"), text, path.parent()?).ok()?;
        let compiled = snn_compiler::plan(network).ok()?;
        let options = Options {
            beat: backend::default_beat(compiled.network()),
            update_multipliers: UpdateMultipliers::Auto,
            interface: Interface::Axi,
            board: Some(snn_compiler::target::Board::ArtyA7_100T),
            baud: snn_compiler::hw::DEFAULT_BAUD,
        };
        let net = compiled.network().name.clone();
        let record = cached(&format!("board_{model}"), || {
            eprintln!("synthesising the board top of {model}");
            let dir = scratch.join(format!("board_{model}"));
            let bench = backend::Bench { max_samples: 1 };
            let design = snn_compiler::emit(&compiled, None, &options, &bench)
                .map_err(|e| format!("{e:?}"))?;
            design.write(&dir).map_err(|e| e.to_string())?;
            let report = yosys::synthesise(&dir, &design.sources(), &format!("{net}_board"))
                .map_err(|e| format!("{e:?}"))?;
            let own = |module: &str| -> Measured {
                let cells = &report.modules[module];
                let mine: BTreeMap<String, u64> = cells
                    .iter()
                    .filter(|(c, _)| !report.modules.contains_key(*c))
                    .map(|(c, n)| (c.clone(), *n))
                    .collect();
                Resources::of_cells(&mine).into()
            };
            Ok((
                yosys::total(&report.modules, &report.top).into(),
                own(&format!("{net}_axi")),
                own(&format!("{net}_board")),
            ))
        });
        match record {
            Ok((total, shell_own, board_own)) => Some(BoardDesign {
                label: format!("{model} board top"),
                compiled,
                options,
                total,
                shell_own,
                board_own,
            }),
            Err(e) => {
                eprintln!("{model}: {e}");
                None
            }
        }
    })
    .collect()
}

/// The shell's and the board top's own logic, fitted over the board designs.
fn fit_board_glue(designs: &[BoardDesign]) {
    for (name, kind) in [("SHELL", BlockKind::Shell), ("BOARD", BlockKind::Board)] {
        let mut lut_rows = Vec::new();
        let mut ff_rows = Vec::new();
        let mut names = Vec::new();
        for d in designs {
            let hardware = hw::model(&d.compiled, &d.options).expect("the board top");
            for b in estimate::blocks(&hardware)
                .into_iter()
                .filter(|b| b.kind == kind)
            {
                let own = if kind == BlockKind::Shell {
                    d.shell_own
                } else {
                    d.board_own
                };
                names = b.glue.names();
                lut_rows.push((b.glue.values(), own.luts as f64, 1.0));
                ff_rows.push((b.glue.values(), own.flip_flops as f64, 1.0));
            }
        }
        print!(
            "{}",
            glue_coefficients(name, &names, &nnls(&lut_rows), &nnls(&ff_rows))
        );
    }
}

// ------------------------------------------------------------------------- fitting

/// Non-negative weighted least squares: x ≥ 0 minimising Σ w_i (a_i·x − b_i)², by cyclic
/// coordinate descent on scaled columns.
fn nnls(rows: &[(Vec<f64>, f64, f64)]) -> Vec<f64> {
    let n = rows.first().map_or(0, |r| r.0.len());
    let scale: Vec<f64> = (0..n)
        .map(|k| {
            rows.iter()
                .map(|(a, _, w)| w * a[k] * a[k])
                .sum::<f64>()
                .sqrt()
                .max(1e-12)
        })
        .collect();
    let mut x = vec![0.0; n];
    let mut residual: Vec<f64> = rows.iter().map(|(_, b, _)| -b).collect();
    for _ in 0..20_000 {
        let mut moved = 0.0f64;
        for k in 0..n {
            let (mut g, mut h) = (0.0, 0.0);
            for (i, (a, _, w)) in rows.iter().enumerate() {
                let ak = a[k] / scale[k];
                g += w * ak * residual[i];
                h += w * ak * ak;
            }
            if h <= 0.0 {
                continue;
            }
            let xk = x[k] * scale[k];
            let new = (xk - g / h).max(0.0);
            let delta = new - xk;
            if delta != 0.0 {
                for (i, (a, _, _)) in rows.iter().enumerate() {
                    residual[i] += delta * a[k] / scale[k];
                }
                x[k] = new / scale[k];
                moved = moved.max(delta.abs());
            }
        }
        if moved < 1e-9 {
            break;
        }
    }
    x
}

fn coefficients(name: &str, luts: &[f64], flip_flops: &[f64]) -> String {
    let list = |v: &[f64]| {
        v.iter()
            .map(|c| format!("{:?}", (c * 1e4).round() / 1e4))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "pub const {name}: Model = Model {{\n    luts: Linear(&[{}]),\n    flip_flops: Linear(&[{}]),\n}};\n",
        list(luts),
        list(flip_flops)
    )
}

/// A glue model as `coefficients.rs` holds it: each coefficient beside its feature's name.
fn glue_coefficients(name: &str, names: &[&str], luts: &[f64], flip_flops: &[f64]) -> String {
    let list = |v: &[f64]| {
        names
            .iter()
            .zip(v)
            .map(|(n, c)| format!("        (\"{n}\", {:?}),\n", (c * 1e4).round() / 1e4))
            .collect::<String>()
    };
    format!(
        "pub const {name}: GlueModel = GlueModel {{\n    luts: Named(&[\n{}    ]),\n    flip_flops: Named(&[\n{}    ]),\n}};\n",
        list(luts),
        list(flip_flops)
    )
}

/// A coefficient group: its name and the primitives it prices.
type Group = (&'static str, fn(&Primitive) -> bool);

fn fit_primitives(jobs: &[Job], measured: &[Measured]) {
    let groups: [Group; 12] = [
        ("MUL_DSP", |p| {
            matches!(p, Primitive::Mul { luts: false, .. })
        }),
        ("MUL_LUTS", |p| {
            matches!(p, Primitive::Mul { luts: true, .. })
        }),
        ("ROUND_SAT", |p| matches!(p, Primitive::RoundSat { .. })),
        ("TREE", |p| matches!(p, Primitive::Tree { .. })),
        ("CROSSBAR", |p| matches!(p, Primitive::Crossbar { .. })),
        ("MUX_TREE", |p| matches!(p, Primitive::MuxTree { .. })),
        ("ACT", |p| matches!(p, Primitive::Act { .. })),
        ("AXIL", |p| matches!(p, Primitive::AxiLite { .. })),
        ("FIFO", |p| matches!(p, Primitive::Fifo { .. })),
        ("UART_RX", |p| matches!(p, Primitive::UartRx { .. })),
        ("UART_TX", |p| matches!(p, Primitive::UartTx { .. })),
        ("BRIDGE", |p| matches!(p, Primitive::Bridge { .. })),
    ];
    for (name, member) in groups {
        let rows = |of: fn(&Measured) -> u64| -> Vec<(Vec<f64>, f64, f64)> {
            jobs.iter()
                .zip(measured)
                .filter(|(j, _)| member(&j.primitive))
                .map(|(j, m)| {
                    let y = of(m) as f64;
                    (primitives::features(&j.primitive), y, 1.0 / y.max(8.0))
                })
                .collect()
        };
        let luts = nnls(&rows(|m| m.luts));
        let ffs = nnls(&rows(|m| m.flip_flops));
        print!("{}", coefficients(name, &luts, &ffs));
    }
    // The exact parts: DSP slices.
    for (j, m) in jobs.iter().zip(measured) {
        let estimated = primitives::cost(&j.primitive);
        if estimated.dsp48e1 != m.dsp48e1 {
            eprintln!(
                "DSP rule disagrees for {:?}: Yosys {}, rule {}",
                j.primitive, m.dsp48e1, estimated.dsp48e1
            );
        }
    }
}

fn fit_glue(designs: &[Design]) {
    for (name, kind) in [
        ("JUNCTION", BlockKind::Junction),
        ("LAYER_MEMORY", BlockKind::LayerMemory),
        ("TOP", BlockKind::Top),
    ] {
        let mut lut_rows = Vec::new();
        let mut ff_rows = Vec::new();
        let mut names = Vec::new();
        for d in designs {
            for b in estimate::blocks(&hw::model(&d.compiled, &d.options).expect("no board top")) {
                if b.kind != kind {
                    continue;
                }
                let Some(y) = d.yosys.blocks.get(&b.name) else {
                    eprintln!("{}: Yosys has no block {}", d.label, b.name);
                    continue;
                };
                let prims = b
                    .primitives
                    .values()
                    .fold(Resources::default(), |a, r| a + *r);
                let weight = |total: u64| 1.0 / (total as f64).max(500.0).powi(2);
                names = b.glue.names();
                lut_rows.push((
                    b.glue.values(),
                    y.luts as f64 - prims.luts as f64,
                    weight(d.yosys.total.luts),
                ));
                ff_rows.push((
                    b.glue.values(),
                    y.flip_flops as f64 - prims.flip_flops as f64,
                    weight(d.yosys.total.flip_flops),
                ));
            }
        }
        print!(
            "{}",
            glue_coefficients(name, &names, &nnls(&lut_rows), &nnls(&ff_rows))
        );
    }
}

fn check(designs: &[Design], blocks: bool) {
    println!("| design | LUT Yosys | estimate | error | FF Yosys | estimate | error | DSP Yosys | estimate | BRAM36 Yosys | estimate |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut worst = (0.0f64, 0.0f64, 0.0f64);
    let mut bram_exact = true;
    for d in designs {
        let e = estimate::estimate(&d.compiled, &d.options).resources.total;
        let y = d.yosys.total;
        let err = |est: u64, yos: u64| 100.0 * (est as f64 - yos as f64) / (yos as f64).max(1.0);
        let (el, ef, ed) = (
            err(e.luts, y.luts),
            err(e.flip_flops, y.flip_flops),
            err(e.dsp48e1, y.dsp48e1),
        );
        worst = (
            worst.0.max(el.abs()),
            worst.1.max(ef.abs()),
            worst.2.max(ed.abs()),
        );
        let yb = y.ramb36 as f64 + y.ramb18 as f64 / 2.0;
        bram_exact &= (e.block_ram() - yb).abs() < 1e-9;
        print_row(&d.label, &y, &e);
        if blocks {
            for b in estimate::estimate(&d.compiled, &d.options).resources.blocks {
                let y = d.yosys.blocks.get(&b.name).copied().unwrap_or_default();
                let e = b.resources;
                println!(
                    "|   {} | {} | {} | | {} | {} | | {} | {} | {} | {} |",
                    b.name,
                    y.luts,
                    e.luts,
                    y.flip_flops,
                    e.flip_flops,
                    y.dsp48e1,
                    e.dsp48e1,
                    y.ramb36 as f64 + y.ramb18 as f64 / 2.0,
                    e.block_ram()
                );
            }
        }
    }
    println!(
        "\nlargest error: LUT {:.1}%, FF {:.1}%, DSP {:.1}%; block RAM {}",
        worst.0,
        worst.1,
        worst.2,
        if bram_exact { "exact" } else { "NOT exact" }
    );
}

/// One row of a check table: Yosys's count, the estimate and the error per resource.
fn print_row(label: &str, y: &Measured, e: &Resources) {
    let err = |est: u64, yos: u64| 100.0 * (est as f64 - yos as f64) / (yos as f64).max(1.0);
    println!(
        "| {label} | {} | {} | {:+.1}% | {} | {} | {:+.1}% | {} | {} | {} | {} |",
        y.luts,
        e.luts,
        err(e.luts, y.luts),
        y.flip_flops,
        e.flip_flops,
        err(e.flip_flops, y.flip_flops),
        y.dsp48e1,
        e.dsp48e1,
        y.ramb36 as f64 + y.ramb18 as f64 / 2.0,
        e.block_ram()
    );
}

/// The board tops: Yosys's total against the estimate of everything the board top holds.
fn check_boards(designs: &[BoardDesign]) {
    println!("\n| board top | LUT Yosys | estimate | error | FF Yosys | estimate | error | DSP Yosys | estimate | BRAM36 Yosys | estimate |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut worst = (0.0f64, 0.0f64);
    for d in designs {
        let hardware = hw::model(&d.compiled, &d.options).expect("the board top");
        let e = estimate::of(&d.compiled, &hardware).resources.total;
        let y = d.total;
        let err = |est: u64, yos: u64| 100.0 * (est as f64 - yos as f64) / (yos as f64).max(1.0);
        let (el, ef) = (err(e.luts, y.luts), err(e.flip_flops, y.flip_flops));
        worst = (worst.0.max(el.abs()), worst.1.max(ef.abs()));
        print_row(&d.label, &y, &e);
    }
    println!(
        "\nboard tops, largest error: LUT {:.1}%, FF {:.1}%",
        worst.0, worst.1
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let jobs = args
        .iter()
        .position(|a| a == "--jobs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(2);
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build_global()
        .expect("one pool");
    let mode = args
        .iter()
        .find(|a| ["primitives", "glue", "check"].contains(&a.as_str()))
        .map(String::as_str)
        .unwrap_or("check");
    match mode {
        "primitives" => {
            let explorer = Explorer::open(&models_dir().join("tiny.snn"), &cache().join("work"))
                .expect("the tiny model");
            let jobs = primitive_jobs(&explorer);
            eprintln!("{} primitive configurations", jobs.len());
            let measured: Vec<Measured> = jobs
                .par_iter()
                .map(|j| measure(j).unwrap_or_else(|e| panic!("{}: {e}", j.module)))
                .collect();
            fit_primitives(&jobs, &measured);
        }
        "glue" => {
            fit_glue(&designs());
            fit_board_glue(&board_designs());
        }
        _ => {
            check(&designs(), args.iter().any(|a| a == "--blocks"));
            check_boards(&board_designs());
        }
    }
}
