//! Activation functions as the hardware computes them: sigmoid and its derivative from
//! lookup tables, ReLU and identity from comparisons. Tables are built here once and
//! used both by the executors and, as `.mem` files, by the generated RTL.

use crate::fixed::Format;

/// Which activation a layer applies, with its table geometry for sigmoid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activation {
    Sigmoid(SigmoidTable),
    Relu,
    Identity,
}

/// A sigmoid table: `2^log2_entries` entries covering `[-2^log2_range, 2^log2_range)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigmoidTable {
    pub log2_entries: u32,
    pub log2_range: i32,
}

impl SigmoidTable {
    /// The published geometry: 1024 entries over [-4, 4).
    pub const PUBLISHED: SigmoidTable = SigmoidTable {
        log2_entries: 10,
        log2_range: 2,
    };

    /// The number of entries.
    pub fn entries(self) -> usize {
        1 << self.log2_entries
    }

    /// How many low bits of a raw input in `format` are dropped to form the index,
    /// or `None` when the table is finer than the format (more than one entry per value).
    pub fn index_shift(self, format: Format) -> Option<u32> {
        let bits = format.frac as i64 + self.log2_range as i64 + 1 - self.log2_entries as i64;
        u32::try_from(bits).ok()
    }

    /// The raw input value (in `format`) of the table's lower end, `-R`.
    pub fn offset_raw(self, format: Format) -> i64 {
        let shift = format.frac as i64 + self.log2_range as i64;
        if shift >= 0 {
            1i64 << shift
        } else {
            0
        }
    }

    /// The table index for a raw pre-activation value: `(raw + R·2^F) >> shift`, clamped.
    pub fn index(self, format: Format, raw: i64) -> usize {
        let shift = self
            .index_shift(format)
            .expect("table geometry checked at elaboration");
        let i = (raw + self.offset_raw(format)) >> shift;
        i.clamp(0, self.entries() as i64 - 1) as usize
    }

    /// The input value entry `i` stands for: the middle of the representable values in its bin.
    pub fn point(self, format: Format, i: usize) -> f64 {
        let range = 2f64.powi(self.log2_range);
        let step = 2.0 * range / self.entries() as f64;
        -range + i as f64 * step + (step - format.lsb()) / 2.0
    }
}

/// The two tables of a sigmoid layer, in raw values of the activation format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigmoidLuts {
    /// σ(x), kept inside [1 LSB, 1 − 1 LSB] so that it is never exactly 0 or 1.
    pub value: Vec<i64>,
    /// σ'(x) = σ(x)(1 − σ(x)), computed from the exact σ, not from the rounded entry.
    pub derivative: Vec<i64>,
}

/// Builds the tables for `table` with entries in `format`.
pub fn sigmoid_luts(table: SigmoidTable, format: Format) -> SigmoidLuts {
    let hi = format.one() - 1;
    let (value, derivative) = (0..table.entries())
        .map(|i| {
            let x = table.point(format, i);
            let s = 1.0 / (1.0 + (-x).exp());
            (
                format.from_f64(s).clamp(1, hi.max(1)),
                format.from_f64(s * (1.0 - s)),
            )
        })
        .unzip();
    SigmoidLuts { value, derivative }
}

/// An activation with its tables built, ready to apply to raw values.
#[derive(Clone, Debug)]
pub struct Activator {
    pub activation: Activation,
    pub format: Format,
    pub luts: Option<SigmoidLuts>,
}

impl Activator {
    pub fn new(activation: Activation, format: Format) -> Activator {
        let luts = match activation {
            Activation::Sigmoid(t) => Some(sigmoid_luts(t, format)),
            _ => None,
        };
        Activator {
            activation,
            format,
            luts,
        }
    }

    /// The activation of a raw pre-activation value already saturated to `format`.
    pub fn value(&self, raw: i64) -> i64 {
        match (self.activation, &self.luts) {
            (Activation::Sigmoid(t), Some(l)) => l.value[t.index(self.format, raw)],
            (Activation::Relu, _) => raw.max(0),
            _ => raw,
        }
    }

    /// The derivative at a raw pre-activation value.
    pub fn derivative(&self, raw: i64) -> i64 {
        match (self.activation, &self.luts) {
            (Activation::Sigmoid(t), Some(l)) => l.derivative[t.index(self.format, raw)],
            (Activation::Relu, _) => {
                if raw > 0 {
                    self.format.one()
                } else {
                    0
                }
            }
            _ => self.format.one(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_table_is_indexed_by_the_raw_bits() {
        let f = Format::signed(10, 7);
        let t = SigmoidTable::PUBLISHED;
        assert_eq!(t.index_shift(f), Some(0));
        assert_eq!(t.index(f, -512), 0);
        assert_eq!(t.index(f, 0), 512);
        assert_eq!(t.index(f, 511), 1023);
        // The point of entry i is exactly the value i stands for.
        assert_eq!(t.point(f, 512), 0.0);
        assert_eq!(t.point(f, 0), -4.0);
    }

    #[test]
    fn sigmoid_entries_stay_inside_the_open_unit_interval() {
        let f = Format::signed(10, 7);
        let l = sigmoid_luts(SigmoidTable::PUBLISHED, f);
        assert_eq!(l.value[512], 64); // σ(0) = 0.5
        assert_eq!(l.derivative[512], 32); // σ'(0) = 0.25
        assert_eq!(l.value[0], 2); // σ(-4) = 0.018 -> 2.3 LSB
        assert_eq!(l.value[1023], 126); // σ(3.99) = 0.982 -> 125.7
        assert!(l.value.iter().all(|v| (1..=127).contains(v)));
        assert!(l.value.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn coarse_tables_clamp_out_of_range_inputs() {
        let f = Format::signed(16, 10); // range [-32, 32)
        let t = SigmoidTable {
            log2_entries: 8,
            log2_range: 3,
        };
        assert_eq!(t.index_shift(f), Some(6));
        assert_eq!(t.index(f, f.min_raw()), 0);
        assert_eq!(t.index(f, f.max_raw()), 255);
        assert_eq!(t.index(f, 0), 128);
    }

    #[test]
    fn relu_and_identity() {
        let f = Format::signed(8, 4);
        let relu = Activator::new(Activation::Relu, f);
        assert_eq!((relu.value(-5), relu.value(7)), (0, 7));
        assert_eq!(
            (relu.derivative(-5), relu.derivative(0), relu.derivative(7)),
            (0, 0, 16)
        );
        let id = Activator::new(Activation::Identity, f);
        assert_eq!((id.value(-5), id.derivative(-5)), (-5, 16));
    }
}
