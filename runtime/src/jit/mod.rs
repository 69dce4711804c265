//! The Cranelift JIT: compiles a program's kernels (forward, cost, backward, update per
//! junction) to native code, with formats, edge lists and activation tables baked in, and
//! runs them under the shared pipeline driver. Same results as the interpreter, bit for bit.

mod emit;
mod kernels;

use crate::activation::Activator;
use crate::engine::{self, Engine, Output, Stages};
use crate::program::{Parameters, Pipeline, Program, Sample};
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, UserFuncName, Value};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use emit::Emitter;
use kernels::{JunctionCode, Rows};
use std::time::{Duration, Instant};

type ForwardFn = unsafe extern "C" fn(*const i64, *mut i64, *mut i64, *const i32, *const i64);
type CostFn = unsafe extern "C" fn(*const i64, *const i64, i64, *mut i64);
type BackwardFn = unsafe extern "C" fn(*const i64, *const i64, *mut i64, *mut i64, *const i32);
type UpdateFn = unsafe extern "C" fn(*const i64, *const i64, *mut i32, *mut i64);

/// The compiled kernels of one junction.
struct Kernels {
    forward: ForwardFn,
    backward: BackwardFn,
    update: UpdateFn,
}

/// Compiled code for a program, and the arrays it points into.
pub struct Compiled {
    // The code lives in the module; it is never freed while `Compiled` exists.
    _module: JITModule,
    kernels: Vec<Kernels>,
    cost: Option<CostFn>,
    /// `order[j][k]`: the schedule index of the k-th edge in right-neuron order.
    order: Vec<Vec<u32>>,
    // Arrays the code reads through baked pointers: kept alive, never moved.
    _rows: Vec<Rows>,
    _tables: Vec<(Vec<i64>, Vec<i64>)>,
    /// How long compilation took.
    pub compile_time: Duration,
}

/// Compiles `program` to native code.
pub fn compile(program: &Program) -> Result<Compiled, String> {
    let start = Instant::now();
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| e.to_string())?;
    flags.set("is_pic", "false").map_err(|e| e.to_string())?;
    let isa = cranelift_native::builder()
        .map_err(|e| format!("this machine is not supported by the JIT: {e}"))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())?;
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));

    // Edges by right neuron: the JIT's own order (sums are exact, so order is free).
    let mut rows = Vec::new();
    let mut order = Vec::new();
    for junction in &program.junctions {
        let mut by_right: Vec<u32> = (0..junction.edges() as u32).collect();
        by_right.sort_by_key(|&e| (junction.right[e as usize], junction.left[e as usize]));
        let mut row_start = vec![0u32; junction.right_size + 1];
        for &r in &junction.right {
            row_start[r as usize + 1] += 1;
        }
        for r in 0..junction.right_size {
            row_start[r + 1] += row_start[r];
        }
        rows.push(Rows {
            row_start,
            left: by_right
                .iter()
                .map(|&e| junction.left[e as usize])
                .collect(),
        });
        order.push(by_right);
    }
    let activators = program.activators();
    let tables: Vec<(Vec<i64>, Vec<i64>)> = activators
        .iter()
        .map(|a: &Activator| match &a.luts {
            Some(l) => (l.value.clone(), l.derivative.clone()),
            None => (Vec::new(), Vec::new()),
        })
        .collect();

    let mut context = module.make_context();
    let mut builder_context = FunctionBuilderContext::new();
    let mut define = |module: &mut JITModule,
                      name: String,
                      params: usize,
                      body: &dyn Fn(&mut Emitter, &[Value])|
     -> Result<FuncId, String> {
        let mut signature = module.make_signature();
        for _ in 0..params {
            signature.params.push(AbiParam::new(types::I64));
        }
        let id = module
            .declare_function(&name, Linkage::Local, &signature)
            .map_err(|e| e.to_string())?;
        context.func.signature = signature;
        context.func.name = UserFuncName::user(0, id.as_u32());
        let mut b = FunctionBuilder::new(&mut context.func, &mut builder_context);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let values = b.block_params(entry).to_vec();
        let mut e = Emitter { b };
        body(&mut e, &values);
        let mut b = e.b;
        b.ins().return_(&[]);
        b.seal_all_blocks();
        b.finalize(module.target_config());
        module
            .define_function(id, &mut context)
            .map_err(|e| format!("{name}: {e:?}"))?;
        module.clear_context(&mut context);
        Ok(id)
    };

    let shift = program.training.map_or(0, |t| t.shift);
    let code_of = |j: usize| JunctionCode {
        rows: &rows[j],
        left_size: program.junctions[j].left_size,
        right_size: program.junctions[j].right_size,
        formats: program.formats,
        left_format: program.layer_format(j),
        activator: &activators[j],
        lut_value: &tables[j].0,
        lut_derivative: &tables[j].1,
        shift,
    };
    let mut ids = Vec::new();
    for j in 0..program.junctions.len() {
        let code = code_of(j);
        let f = define(&mut module, format!("forward_{j}"), 5, &|e, p| {
            kernels::forward(e, p, &code)
        })?;
        let b = define(&mut module, format!("backward_{j}"), 5, &|e, p| {
            kernels::backward(e, p, &code)
        })?;
        let u = define(&mut module, format!("update_{j}"), 4, &|e, p| {
            kernels::update(e, p, &code)
        })?;
        ids.push((f, b, u));
    }
    let cost_id = match program.training {
        Some(training) => {
            let code = code_of(program.junctions.len() - 1);
            Some(define(&mut module, "cost".into(), 4, &|e, p| {
                kernels::cost(e, p, &code, training.cost)
            })?)
        }
        None => None,
    };
    module.finalize_definitions().map_err(|e| e.to_string())?;
    let address = |module: &JITModule, id: FuncId| module.get_finalized_function(id);
    // SAFETY: each pointer is a function compiled above with exactly this signature.
    let kernels = ids
        .iter()
        .map(|&(f, b, u)| unsafe {
            Kernels {
                forward: std::mem::transmute::<*const u8, ForwardFn>(address(&module, f)),
                backward: std::mem::transmute::<*const u8, BackwardFn>(address(&module, b)),
                update: std::mem::transmute::<*const u8, UpdateFn>(address(&module, u)),
            }
        })
        .collect();
    let cost =
        cost_id.map(|c| unsafe { std::mem::transmute::<*const u8, CostFn>(address(&module, c)) });
    Ok(Compiled {
        _module: module,
        kernels,
        cost,
        order,
        _rows: rows,
        _tables: tables,
        compile_time: start.elapsed(),
    })
}

/// The JIT engine: compiled code plus the parameters it trains.
pub struct JitEngine<'p> {
    program: &'p Program,
    code: Compiled,
    /// Weights in the code's right-neuron order.
    weights: Vec<Vec<i32>>,
    biases: Vec<Vec<i64>>,
    /// Scratch for backward sums, one per junction.
    scratch: Vec<Vec<i64>>,
}

/// One input's buffers.
pub struct Trace {
    label: usize,
    values: Vec<Vec<i64>>,
    derivatives: Vec<Vec<i64>>,
    deltas: Vec<Vec<i64>>,
}

impl<'p> JitEngine<'p> {
    /// Compiles `program` and loads `params`.
    pub fn new(program: &'p Program, params: &Parameters) -> Result<JitEngine<'p>, String> {
        program.check_parameters(params)?;
        let code = compile(program)?;
        let weights = code
            .order
            .iter()
            .zip(&params.weights)
            .map(|(order, w)| order.iter().map(|&e| w[e as usize] as i32).collect())
            .collect();
        Ok(JitEngine {
            program,
            weights,
            biases: params.biases.clone(),
            scratch: program
                .junctions
                .iter()
                .map(|j| vec![0; j.left_size])
                .collect(),
            code,
        })
    }

    /// How long compilation took.
    pub fn compile_time(&self) -> Duration {
        self.code.compile_time
    }

    fn output(&self, trace: &Trace) -> Output {
        let raw = trace.values.last().expect("layers").clone();
        Output::from_raw(raw, self.program.formats.activations)
    }
}

impl Stages for JitEngine<'_> {
    type Trace = Trace;

    fn junctions(&self) -> usize {
        self.program.junctions.len()
    }

    fn start(&mut self, sample: &Sample, recycled: Option<Trace>) -> Trace {
        let mut trace = recycled.unwrap_or_else(|| Trace {
            label: 0,
            values: self
                .program
                .layers
                .iter()
                .map(|l| vec![0; l.size])
                .collect(),
            derivatives: self.program.layers[1..]
                .iter()
                .map(|l| vec![0; l.size])
                .collect(),
            deltas: self.program.layers[1..]
                .iter()
                .map(|l| vec![0; l.size])
                .collect(),
        });
        trace.label = sample.label;
        trace.values[0].copy_from_slice(&sample.input);
        trace
    }

    fn forward(&mut self, j: usize, trace: &mut Trace) {
        let (left, right) = trace.values.split_at_mut(j + 1);
        // SAFETY: the kernel reads `left_size` values, writes `right_size` values and
        // derivatives, and reads this junction's weights and biases: all sized to match.
        unsafe {
            (self.code.kernels[j].forward)(
                left[j].as_ptr(),
                right[0].as_mut_ptr(),
                trace.derivatives[j].as_mut_ptr(),
                self.weights[j].as_ptr(),
                self.biases[j].as_ptr(),
            )
        }
    }

    fn finish(&mut self, trace: &mut Trace, train: bool) -> Output {
        let output = self.output(trace);
        if let (true, Some(cost)) = (train, self.code.cost) {
            let last = self.program.junctions.len() - 1;
            // SAFETY: output-layer-sized buffers.
            unsafe {
                cost(
                    trace.values[last + 1].as_ptr(),
                    trace.derivatives[last].as_ptr(),
                    trace.label as i64,
                    trace.deltas[last].as_mut_ptr(),
                )
            }
        }
        output
    }

    fn backward(&mut self, j: usize, trace: &mut Trace) {
        let (left, right) = trace.deltas.split_at_mut(j);
        // SAFETY: buffers sized to the junction's layers; scratch to its left layer.
        unsafe {
            (self.code.kernels[j].backward)(
                right[0].as_ptr(),
                trace.derivatives[j - 1].as_ptr(),
                left[j - 1].as_mut_ptr(),
                self.scratch[j].as_mut_ptr(),
                self.weights[j].as_ptr(),
            )
        }
    }

    fn update(&mut self, j: usize, trace: &Trace) {
        // SAFETY: buffers sized to the junction's layers and parameters.
        unsafe {
            (self.code.kernels[j].update)(
                trace.deltas[j].as_ptr(),
                trace.values[j].as_ptr(),
                self.weights[j].as_mut_ptr(),
                self.biases[j].as_mut_ptr(),
            )
        }
    }
}

impl Engine for JitEngine<'_> {
    fn infer(&mut self, input: &[i64]) -> Output {
        engine::infer(self, input)
    }

    fn train(
        &mut self,
        samples: &[Sample],
        pipeline: &Pipeline,
        on_output: &mut dyn FnMut(usize, &Output),
    ) {
        assert!(
            self.code.cost.is_some(),
            "training needs a program with a training block"
        );
        engine::train(self, samples, pipeline, on_output)
    }

    fn parameters(&self) -> Option<Parameters> {
        let weights = self
            .code
            .order
            .iter()
            .zip(&self.weights)
            .map(|(order, w)| {
                let mut schedule = vec![0i64; w.len()];
                for (k, &e) in order.iter().enumerate() {
                    schedule[e as usize] = w[k] as i64;
                }
                schedule
            })
            .collect();
        Some(Parameters {
            weights,
            biases: self.biases.clone(),
        })
    }

    fn values(&self) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let p = self.parameters().expect("fixed-point parameters");
        let w = self.program.formats.weights;
        let convert = |v: &Vec<Vec<i64>>| {
            v.iter()
                .map(|x| x.iter().map(|&r| w.to_f64(r)).collect())
                .collect()
        };
        (convert(&p.weights), convert(&p.biases))
    }
}
