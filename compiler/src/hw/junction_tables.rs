//! The tables a junction's ROMs hold: each one's memory image, its file under `mem/`, and the
//! columns synthesis keeps of it (what the ROM costs).

use super::junction::{Junction, Side};
use crate::backend::tables::{self, Columns};
use crate::Compiled;

/// A table a ROM is initialised from, with the columns synthesis keeps.
#[derive(Clone, Debug)]
struct Table {
    text: String,
    columns: Columns,
}

impl Table {
    fn new(text: String, width: usize, depth: usize) -> Table {
        let columns = tables::columns(&text, width, depth);
        Table { text, columns }
    }
}

/// The junction's tables: what its ROMs hold (`None`: it has no such ROM).
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub rows: Option<Columns>,
    pub lane_bank: Option<Columns>,
    pub bank_lane: Option<Columns>,
    pub lanes: Option<Columns>,
    pub finalize: Option<Columns>,
    pub placement: Option<Columns>,
    pub activation: Option<Columns>,
}

/// The junction's tables: their memory images, file names and columns.
pub fn add(compiled: &Compiled, j: &mut Junction) {
    let (network, schedule) = (&compiled.network(), &compiled.schedule());
    let js = schedule.junction(j.id);
    let jl = compiled.datapath().layout().junction(j.id);
    let next = compiled.network().next(j.id).map(|n| schedule.junction(n));
    let name = js.name.clone();
    let add = |j: &mut Junction, key: &'static str, table: Table| {
        let file = format!("{name}_{key}.mem");
        j.files.insert(key, format!("mem/{file}"));
        j.images.push((file, table.text));
        table.columns
    };
    if j.rowgen {
        let file = format!("{name}_seeds.mem");
        j.files.insert("seeds", format!("mem/{file}"));
        j.images.push((file, tables::seeds(js, j.rows, j.row_w)));
    } else {
        let table = Table::new(tables::rows(js, j.row_w), j.z * j.row_w, j.cycles);
        j.tables.rows = Some(add(j, "rows", table));
    }
    if j.crossbar {
        let (z, bank_w, cycles) = (j.z, j.bank_w, j.cycles);
        let table = Table::new(tables::lane_bank(js, bank_w), z * bank_w, cycles);
        j.tables.lane_bank = Some(add(j, "lane_bank", table));
        let table = Table::new(tables::bank_lane(js, bank_w), z * (bank_w + 1), cycles);
        j.tables.bank_lane = Some(add(j, "bank_lane", table));
    }
    let place_w = j.right_bank_w + j.right_row_w;
    if j.side == Side::Accumulate {
        let text = tables::lanes(js, jl, j.step_w);
        let table = Table::new(text, j.z * (j.step_w + 1), j.cycles);
        j.tables.lanes = Some(add(j, "lanes", table));
        let order = tables::finalize(
            jl,
            j.neuron_w,
            next.map(|n| (n, j.right_bank_w, j.right_row_w)),
        );
        let fin_w = j.groups * (1 + j.neuron_w + if j.last { 0 } else { place_w });
        let table = Table::new(order, fin_w, j.steps);
        j.tables.finalize = Some(add(j, "finalize", table));
    } else if let Some(next) = next {
        let text = tables::placement(jl, j.right, next, j.right_bank_w, j.right_row_w);
        let table = Table::new(text, j.groups * place_w, j.neurons_per_group);
        j.tables.placement = Some(add(j, "placement", table));
    }
    let activation = network
        .layer(network.junction(js.junction).right)
        .activation
        .expect("activated");
    match tables::activation(activation, network.formats.activations) {
        Some(text) => {
            let table = Table::new(text, 2 * j.act_w, j.act.entries);
            j.tables.activation = Some(add(j, "activation", table));
        }
        None => {
            j.files.insert("activation", String::new());
        }
    }
}
