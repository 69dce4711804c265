//! FPGA resources as Artix-7 counts them, what Yosys's Xilinx cells cost in them, and how a
//! design's use compares with a part's capacity.

use crate::target::Device;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::{Add, AddAssign, Mul};

/// Resources of an Artix-7 design, in the units of a vendor utilisation report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    /// Slice LUTs: logic, distributed RAM and shift registers together.
    pub luts: u64,
    /// Of `luts`, those used as distributed RAM or shift registers.
    pub lut_memory: u64,
    pub flip_flops: u64,
    pub ramb36: u64,
    pub ramb18: u64,
    pub dsp48e1: u64,
    /// CARRY4 carry chains (not a capacity limit on their own).
    pub carry4: u64,
}

impl Resources {
    /// The resources of `count` Yosys cells of type `cell` (xc7 cell library); other cells
    /// (I/O buffers, clock buffers, wide multiplexers inside slices) cost none of these.
    pub fn of_cell(cell: &str, count: u64) -> Resources {
        let lut_memory = |luts: u64| Resources {
            luts: luts * count,
            lut_memory: luts * count,
            ..Resources::default()
        };
        match cell {
            "LUT1" | "LUT2" | "LUT3" | "LUT4" | "LUT5" | "LUT6" | "LUT6_2" => Resources {
                luts: count,
                ..Resources::default()
            },
            "SRL16E" | "SRLC16E" | "SRLC32E" => lut_memory(1),
            "RAM16X1S" | "RAM32X1S" | "RAM64X1S" => lut_memory(1),
            "RAM16X1D" | "RAM32X1D" | "RAM64X1D" | "RAM128X1S" => lut_memory(2),
            "RAM128X1D" | "RAM256X1S" | "RAM32M" | "RAM64M" => lut_memory(4),
            "FDRE" | "FDSE" | "FDCE" | "FDPE" | "LDCE" | "LDPE" => Resources {
                flip_flops: count,
                ..Resources::default()
            },
            "RAMB18E1" => Resources {
                ramb18: count,
                ..Resources::default()
            },
            "RAMB36E1" => Resources {
                ramb36: count,
                ..Resources::default()
            },
            "DSP48E1" => Resources {
                dsp48e1: count,
                ..Resources::default()
            },
            "CARRY4" => Resources {
                carry4: count,
                ..Resources::default()
            },
            _ => Resources::default(),
        }
    }

    /// The resources of a bag of cells.
    pub fn of_cells(cells: &BTreeMap<String, u64>) -> Resources {
        cells
            .iter()
            .map(|(cell, &n)| Resources::of_cell(cell, n))
            .fold(Resources::default(), Add::add)
    }

    /// Block RAM in 36 Kb units (two RAMB18 make one).
    pub fn block_ram(&self) -> f64 {
        self.ramb36 as f64 + self.ramb18 as f64 / 2.0
    }
}

impl Add for Resources {
    type Output = Resources;
    fn add(self, o: Resources) -> Resources {
        Resources {
            luts: self.luts + o.luts,
            lut_memory: self.lut_memory + o.lut_memory,
            flip_flops: self.flip_flops + o.flip_flops,
            ramb36: self.ramb36 + o.ramb36,
            ramb18: self.ramb18 + o.ramb18,
            dsp48e1: self.dsp48e1 + o.dsp48e1,
            carry4: self.carry4 + o.carry4,
        }
    }
}

impl AddAssign for Resources {
    fn add_assign(&mut self, o: Resources) {
        *self = *self + o;
    }
}

impl Mul<u64> for Resources {
    type Output = Resources;
    fn mul(self, k: u64) -> Resources {
        Resources {
            luts: self.luts * k,
            lut_memory: self.lut_memory * k,
            flip_flops: self.flip_flops * k,
            ramb36: self.ramb36 * k,
            ramb18: self.ramb18 * k,
            dsp48e1: self.dsp48e1 * k,
            carry4: self.carry4 * k,
        }
    }
}

/// One resource's use against the part.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Use {
    pub resource: &'static str,
    pub used: f64,
    pub available: f64,
    pub percent: f64,
}

/// A design's use of every limited resource of `device`.
pub fn utilization(r: &Resources, device: &Device) -> Vec<Use> {
    let entry = |resource, used: f64, available: f64| Use {
        resource,
        used,
        available,
        percent: (1000.0 * used / available).round() / 10.0,
    };
    vec![
        entry("LUT", r.luts as f64, device.luts as f64),
        entry("FF", r.flip_flops as f64, device.flip_flops as f64),
        entry("RAMB36", r.block_ram(), device.ramb36 as f64),
        entry("DSP48E1", r.dsp48e1 as f64, device.dsp48e1 as f64),
    ]
}

/// The resources over capacity, empty when the design fits.
pub fn over(uses: &[Use]) -> Vec<&Use> {
    uses.iter().filter(|u| u.used > u.available).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cost_their_luts_flip_flops_and_blocks() {
        let cells: BTreeMap<String, u64> = [
            ("LUT3", 10),
            ("LUT6", 5),
            ("RAM64M", 2),
            ("SRL16E", 3),
            ("FDRE", 7),
            ("FDSE", 1),
            ("RAMB18E1", 3),
            ("DSP48E1", 4),
            ("MUXF7", 9),
            ("IBUF", 12),
        ]
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
        let r = Resources::of_cells(&cells);
        assert_eq!(r.luts, 10 + 5 + 8 + 3);
        assert_eq!(r.lut_memory, 11);
        assert_eq!(r.flip_flops, 8);
        assert_eq!(r.block_ram(), 1.5);
        assert_eq!(r.dsp48e1, 4);
    }

    #[test]
    fn over_capacity_is_reported_per_resource() {
        let device = crate::target::DEVICES
            .iter()
            .find(|d| d.name == "xc7a35t")
            .unwrap();
        let r = Resources {
            luts: 30_000,
            dsp48e1: 10,
            ..Resources::default()
        };
        let uses = utilization(&r, device);
        let names: Vec<&str> = over(&uses).iter().map(|u| u.resource).collect();
        assert_eq!(names, ["LUT"]);
        assert_eq!(uses[0].percent, 144.2);
    }
}
