//! Target devices: the Artix-7 parts snnc knows, their resources, and the boards with pin files.

use std::fmt;

/// An Artix-7 device and its capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    /// e.g. `xc7a100t`
    pub name: &'static str,
    pub luts: u64,
    pub flip_flops: u64,
    /// 36 Kb block RAMs (each is two RAMB18).
    pub ramb36: u64,
    pub dsp48e1: u64,
}

/// The Artix-7 family (Xilinx DS180, table 2).
pub const DEVICES: &[Device] = &[
    Device {
        name: "xc7a12t",
        luts: 8_000,
        flip_flops: 16_000,
        ramb36: 20,
        dsp48e1: 40,
    },
    Device {
        name: "xc7a15t",
        luts: 10_400,
        flip_flops: 20_800,
        ramb36: 25,
        dsp48e1: 45,
    },
    Device {
        name: "xc7a25t",
        luts: 14_600,
        flip_flops: 29_200,
        ramb36: 45,
        dsp48e1: 80,
    },
    Device {
        name: "xc7a35t",
        luts: 20_800,
        flip_flops: 41_600,
        ramb36: 50,
        dsp48e1: 90,
    },
    Device {
        name: "xc7a50t",
        luts: 32_600,
        flip_flops: 65_200,
        ramb36: 75,
        dsp48e1: 120,
    },
    Device {
        name: "xc7a75t",
        luts: 47_200,
        flip_flops: 94_400,
        ramb36: 105,
        dsp48e1: 180,
    },
    Device {
        name: "xc7a100t",
        luts: 63_400,
        flip_flops: 126_800,
        ramb36: 135,
        dsp48e1: 240,
    },
    Device {
        name: "xc7a200t",
        luts: 134_600,
        flip_flops: 269_200,
        ramb36: 365,
        dsp48e1: 740,
    },
];

/// A full part name such as `xc7a100tcsg324-1`: device, package and speed grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub device: Device,
    pub package: String,
    pub speed: String,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Why a part name was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PartError {
    /// Not of the form `xc7a<N>t<package>-<speed>`.
    Malformed,
    /// The form is right but the device is not an Artix-7 snnc knows.
    UnknownDevice(String),
    /// A Xilinx part of another family ("a Zynq-7000", ...).
    OtherFamily(&'static str),
}

/// The family of a Xilinx part name that is not Artix-7, as "a Zynq-7000" or "an UltraScale+".
fn other_family(name: &str) -> Option<&'static str> {
    const FAMILIES: &[(&str, &str)] = &[
        ("xc7z", "a Zynq-7000"),
        ("xc7k", "a Kintex-7"),
        ("xc7v", "a Virtex-7"),
        ("xc7s", "a Spartan-7"),
        ("xczu", "a Zynq UltraScale+"),
        ("xcku", "a Kintex UltraScale"),
        ("xcvu", "a Virtex UltraScale"),
        ("xcau", "an Artix UltraScale+"),
        ("xcvc", "a Versal"),
        ("xcvm", "a Versal"),
        ("xc6", "a Spartan-6 or Virtex-6"),
    ];
    FAMILIES
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, family)| *family)
}

impl Part {
    /// Parses `xc7a100tcsg324-1` (also `xc7a35ticpg236-1L` style industrial/low-power names).
    pub fn parse(name: &str) -> Result<Part, PartError> {
        let lower = name.to_ascii_lowercase();
        if let Some(family) = other_family(&lower) {
            return Err(PartError::OtherFamily(family));
        }
        let (body, speed) = lower.split_once('-').ok_or(PartError::Malformed)?;
        let t = body.find('t').ok_or(PartError::Malformed)?;
        let device_name = &body[..=t];
        let package = body[t + 1..].trim_start_matches('i');
        let speed_ok = matches!(speed, "1" | "2" | "3" | "1l" | "2l");
        let package_ok = package.len() >= 5
            && package
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
                >= 2
            && package.chars().rev().take(3).all(|c| c.is_ascii_digit());
        if !device_name.starts_with("xc7a") || !speed_ok || !package_ok {
            return Err(PartError::Malformed);
        }
        let device = DEVICES
            .iter()
            .find(|d| d.name == device_name)
            .ok_or_else(|| PartError::UnknownDevice(device_name.to_string()))?;
        Ok(Part {
            name: name.to_string(),
            device: *device,
            package: package.to_string(),
            speed: speed.to_uppercase(),
        })
    }
}

/// Development boards with a pin file (`.xdc`) snnc can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Board {
    #[value(name = "arty_a7_100t")]
    ArtyA7_100T,
    #[value(name = "nexys4_ddr")]
    Nexys4Ddr,
}

impl Board {
    pub const ALL: &'static [(&'static str, Board)] = &[
        ("arty_a7_100t", Board::ArtyA7_100T),
        ("nexys4_ddr", Board::Nexys4Ddr),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Board::ArtyA7_100T => "arty_a7_100t",
            Board::Nexys4Ddr => "nexys4_ddr",
        }
    }

    /// The part soldered on the board.
    pub fn part(self) -> &'static str {
        match self {
            Board::ArtyA7_100T | Board::Nexys4Ddr => "xc7a100tcsg324-1",
        }
    }
}

/// Where the design goes and how fast it is clocked.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub part: Part,
    pub clock_mhz: f64,
    pub board: Option<Board>,
    /// Where the model sets the clock (`None`: the default clock).
    pub clock_span: Option<miette::SourceSpan>,
}

impl Target {
    /// The clock period in nanoseconds.
    pub fn period_ns(&self) -> f64 {
        1000.0 / self.clock_mhz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_part_names() {
        let p = Part::parse("xc7a100tcsg324-1").unwrap();
        assert_eq!(p.device.name, "xc7a100t");
        assert_eq!(p.package, "csg324");
        assert_eq!(p.speed, "1");
        assert_eq!(p.device.dsp48e1, 240);
        let p = Part::parse("xc7a35ticpg236-1L").unwrap();
        assert_eq!(p.device.name, "xc7a35t");
        assert_eq!(p.speed, "1L");
    }

    #[test]
    fn refuses_other_names() {
        assert_eq!(Part::parse("xc7a100t"), Err(PartError::Malformed));
        assert_eq!(
            Part::parse("xc7z020clg400-1"),
            Err(PartError::OtherFamily("a Zynq-7000"))
        );
        assert_eq!(
            Part::parse("xcku040-ffva1156-2-e"),
            Err(PartError::OtherFamily("a Kintex UltraScale"))
        );
        assert_eq!(
            Part::parse("xc7a60tcsg324-1"),
            Err(PartError::UnknownDevice("xc7a60t".into()))
        );
    }
}
