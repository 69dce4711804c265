//! How the hardware model meets the Verilog: each generated module's ports and the
//! `localparam`s it opens with, named as the module body refers to them. The templates
//! render these lists and nothing is computed in them.

use super::names::DESCRIBED;
use serde::{Deserialize, Serialize};

/// A `localparam` of a generated module: its Verilog name, value and what it holds.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    pub name: String,
    /// The value as a Verilog literal: a decimal number or a quoted string.
    pub value: String,
    pub doc: &'static str,
}

/// A constant of `bits` bits, declared as a sized literal so that comparing or assigning it
/// to a signal of that width is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constant {
    pub bits: usize,
    pub value: i64,
    pub signed: bool,
}

impl Constant {
    pub fn new(bits: usize, value: usize) -> Constant {
        Constant {
            bits,
            value: value as i64,
            signed: false,
        }
    }

    pub fn signed(bits: usize, value: i64) -> Constant {
        Constant {
            bits,
            value,
            signed: true,
        }
    }

    /// As a Verilog literal (a negative one as the negation of its magnitude).
    fn literal(&self) -> String {
        let sign = if self.signed { "s" } else { "" };
        let minus = if self.value < 0 { "-" } else { "" };
        format!("{minus}{}'{sign}d{}", self.bits, self.value.unsigned_abs())
    }
}

/// The records nested in a hardware record whose numbers are the module's own (a junction's
/// pipeline stages, activation unit and constants).
const FLATTENED: &[&str] = &["stages", "act", "constants"];

/// The `localparam`s of one module, in declaration order.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Params(Vec<Param>);

impl Params {
    /// Every described number of `record` (a serialised hardware record, with the records
    /// nested in it under [`FLATTENED`]), named as its field in upper case, in the order of
    /// [`DESCRIBED`].
    pub fn of(record: &serde_json::Value) -> Params {
        let mut params = Params::default();
        for (field, doc) in DESCRIBED {
            let value = record.get(field).or_else(|| {
                FLATTENED
                    .iter()
                    .find_map(|nested| record.get(nested)?.get(*field))
            });
            let literal = match value {
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(constant @ serde_json::Value::Object(_)) => {
                    match serde_json::from_value::<Constant>(constant.clone()) {
                        Ok(c) => c.literal(),
                        Err(_) => continue,
                    }
                }
                _ => continue,
            };
            params.literal(field.to_uppercase(), literal, doc);
        }
        params
    }

    /// A number.
    pub fn number(&mut self, name: impl Into<String>, value: impl Into<i64>, doc: &'static str) {
        self.0.push(Param {
            name: name.into(),
            value: value.into().to_string(),
            doc,
        });
    }

    /// A count or width.
    pub fn size(&mut self, name: impl Into<String>, value: usize, doc: &'static str) {
        self.number(name, value as i64, doc);
    }

    /// A constant of `width` bits, to compare with or assign to a signal of that width.
    pub fn sized(
        &mut self,
        name: impl Into<String>,
        width: usize,
        value: usize,
        doc: &'static str,
    ) {
        self.0.push(Param {
            name: name.into(),
            value: format!("{width}'d{value}"),
            doc,
        });
    }

    /// A constant written as the Verilog literal `value` (e.g. a signed sized number).
    pub fn literal(&mut self, name: impl Into<String>, value: String, doc: &'static str) {
        self.0.push(Param {
            name: name.into(),
            value,
            doc,
        });
    }

    /// A string (a file name or a storage style).
    pub fn text(&mut self, name: impl Into<String>, value: &str, doc: &'static str) {
        self.0.push(Param {
            name: name.into(),
            value: format!("\"{value}\""),
            doc,
        });
    }
}

/// Which way a port points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Input,
    Output,
}

/// A port of a generated module.
#[derive(Clone, Debug, Serialize)]
pub struct Port {
    pub name: String,
    pub direction: Direction,
    /// Driven by a register of the module (`output reg`).
    pub reg: bool,
    /// The highest bit index of a vector (its bits less one); `None`: a scalar.
    pub msb: Option<usize>,
    pub doc: String,
    /// A clock, enable or reset: the top level drives it, not a wire of its own.
    pub control: bool,
    /// A comment line that opens a group of ports.
    pub section: Option<String>,
}

/// The ports of one module, in declaration order.
#[derive(Clone, Debug, Default)]
pub struct Ports {
    ports: Vec<Port>,
    /// The section comment the next port opens.
    pending: Option<String>,
}

impl Serialize for Ports {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.ports.serialize(serializer)
    }
}

impl Ports {
    fn add(
        &mut self,
        name: impl Into<String>,
        direction: Direction,
        width: Option<usize>,
        doc: &str,
    ) {
        self.ports.push(Port {
            name: name.into(),
            direction,
            reg: false,
            msb: width.map(|w| w - 1),
            doc: doc.to_string(),
            control: false,
            section: None,
        });
    }

    /// Opens a group of ports with a comment line.
    pub fn section(&mut self, text: impl Into<String>) -> &mut Ports {
        self.pending = Some(text.into());
        self
    }

    /// A clock, enable or reset input.
    pub fn control(&mut self, name: &'static str, doc: &str) {
        self.add(name, Direction::Input, None, doc);
        self.ports.last_mut().expect("just added").control = true;
        self.take_section();
    }

    /// A scalar input.
    pub fn input(&mut self, name: &'static str, doc: &str) {
        self.add(name, Direction::Input, None, doc);
        self.take_section();
    }

    /// A vector input of `width` bits.
    pub fn input_bits(&mut self, name: impl Into<String>, width: usize, doc: &str) {
        self.add(name, Direction::Input, Some(width), doc);
        self.take_section();
    }

    /// A scalar output.
    pub fn output(&mut self, name: &'static str, doc: &str) {
        self.add(name, Direction::Output, None, doc);
        self.take_section();
    }

    /// A vector output of `width` bits.
    pub fn output_bits(&mut self, name: impl Into<String>, width: usize, doc: &str) {
        self.add(name, Direction::Output, Some(width), doc);
        self.take_section();
    }

    /// A vector output driven by a register.
    pub fn output_reg(&mut self, name: &'static str, width: usize, doc: &str) {
        self.add(name, Direction::Output, Some(width), doc);
        self.ports.last_mut().expect("just added").reg = true;
        self.take_section();
    }

    /// A scalar output driven by a register.
    pub fn output_reg_bit(&mut self, name: &'static str, doc: &str) {
        self.add(name, Direction::Output, None, doc);
        self.ports.last_mut().expect("just added").reg = true;
        self.take_section();
    }

    /// The address of `count` accesses to banked storage: `{prefix}_valid`, `{prefix}_bank`
    /// (unless each access has its own bank) and `{prefix}_row`.
    pub fn address(
        &mut self,
        prefix: &str,
        direction: Direction,
        count: usize,
        bank_w: Option<usize>,
        row_w: usize,
    ) -> &mut Ports {
        self.add(format!("{prefix}_valid"), direction, Some(count), "");
        self.take_section();
        if let Some(bank_w) = bank_w {
            self.add(
                format!("{prefix}_bank"),
                direction,
                Some(count * bank_w),
                "",
            );
        }
        self.add(format!("{prefix}_row"), direction, Some(count * row_w), "");
        self
    }

    fn take_section(&mut self) {
        if let Some(text) = self.pending.take() {
            self.ports.last_mut().expect("just added").section = Some(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_gives_its_described_numbers_and_constants_in_order() {
        let record = serde_json::json!({
            "z": 16,
            "name": "hidden",
            "slot_last": {"bits": 5, "value": 31, "signed": false},
            "cost_one": {"bits": 10, "value": -32, "signed": true},
            "stages": {"s_update": 7},
            "files": {"rows": "mem/rows.mem"},
        });
        let params = Params::of(&record);
        let declared: Vec<(&str, &str)> = params
            .0
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            declared,
            [
                ("SLOT_LAST", "5'd31"),
                ("Z", "16"),
                ("COST_ONE", "-10'sd32"),
                ("S_UPDATE", "7")
            ]
        );
    }
}
