//! Fixed-point number formats and the two operations every datapath step is made of:
//! rounding to fewer fraction bits (half up) and saturating to a width.
//!
//! Raw values are carried in `i64`: every format is at most 32 bits wide, so a
//! product of two raw values and a sum of up to 2^30 such products cannot overflow.

use std::fmt;

/// The widest format snnc accepts.
pub const MAX_WIDTH: u32 = 32;

/// `fixed<W, F>` (two's complement) or `ufixed<W, F>` (unsigned): W bits, F after the point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Format {
    pub signed: bool,
    pub width: u32,
    pub frac: u32,
}

impl Format {
    /// A two's complement format.
    pub const fn signed(width: u32, frac: u32) -> Format {
        Format {
            signed: true,
            width,
            frac,
        }
    }

    /// An unsigned format.
    pub const fn unsigned(width: u32, frac: u32) -> Format {
        Format {
            signed: false,
            width,
            frac,
        }
    }

    /// The smallest raw value.
    pub fn min_raw(self) -> i64 {
        if self.signed {
            -(1i64 << (self.width - 1))
        } else {
            0
        }
    }

    /// The largest raw value.
    pub fn max_raw(self) -> i64 {
        if self.signed {
            (1i64 << (self.width - 1)) - 1
        } else {
            (1i64 << self.width) - 1
        }
    }

    /// Clamps a raw value into this format's range.
    pub fn saturate(self, raw: i64) -> i64 {
        raw.clamp(self.min_raw(), self.max_raw())
    }

    /// The raw value of one (`2^F`), saturated: the largest value below 1 when 1 is not representable.
    pub fn one(self) -> i64 {
        self.saturate(1i64 << self.frac)
    }

    /// The value a raw number stands for.
    pub fn to_f64(self, raw: i64) -> f64 {
        raw as f64 / (1u64 << self.frac) as f64
    }

    /// The nearest representable raw value (ties up), saturated.
    pub fn from_f64(self, value: f64) -> i64 {
        let scaled = (value * (1u64 << self.frac) as f64 + 0.5).floor();
        if scaled.is_nan() {
            return 0;
        }
        self.saturate(scaled.clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    }

    /// The value of one least significant bit.
    pub fn lsb(self) -> f64 {
        1.0 / (1u64 << self.frac) as f64
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.signed { "fixed" } else { "ufixed" };
        write!(f, "{kind}<{}, {}>", self.width, self.frac)
    }
}

/// Re-expresses `raw` (with `from` fraction bits) with `to` fraction bits, rounding half up.
///
/// Dropping `s = from - to` bits computes `floor((raw + 2^(s-1)) / 2^s)`: the first
/// dropped bit decides, so ties go towards +infinity (−2.5 → −2, 2.5 → 3).
/// Gaining bits is exact.
#[inline]
pub fn rescale(raw: i64, from: u32, to: u32) -> i64 {
    if from > to {
        let s = from - to;
        (raw + (1i64 << (s - 1))) >> s
    } else {
        raw << (to - from)
    }
}

/// The product of two raw values, rounded to `format`'s fraction bits and saturated to it.
#[inline]
pub fn multiply(a: i64, a_frac: u32, b: i64, b_frac: u32, format: Format) -> i64 {
    format.saturate(rescale(a * b, a_frac + b_frac, format.frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_on_the_first_dropped_bit() {
        // 5/2 = 2.5 -> 3, -5/2 = -2.5 -> -2, 3/4 = 0.75 -> 1, -3/4 -> -1, 1/4 -> 0
        assert_eq!(rescale(5, 1, 0), 3);
        assert_eq!(rescale(-5, 1, 0), -2);
        assert_eq!(rescale(3, 2, 0), 1);
        assert_eq!(rescale(-3, 2, 0), -1);
        assert_eq!(rescale(1, 2, 0), 0);
        assert_eq!(rescale(-1, 2, 0), 0);
        assert_eq!(rescale(-2, 2, 0), 0);
        assert_eq!(rescale(7, 0, 3), 56);
    }

    #[test]
    fn ranges_and_saturation() {
        let f = Format::signed(10, 7);
        assert_eq!((f.min_raw(), f.max_raw()), (-512, 511));
        assert_eq!(f.saturate(600), 511);
        assert_eq!(f.saturate(-600), -512);
        assert_eq!(f.one(), 128);
        assert_eq!(Format::signed(8, 7).one(), 127);
        let u = Format::unsigned(8, 8);
        assert_eq!((u.min_raw(), u.max_raw()), (0, 255));
        assert_eq!(u.saturate(-3), 0);
        assert_eq!(f.to_string(), "fixed<10, 7>");
    }

    #[test]
    fn from_f64_rounds_ties_up_and_saturates() {
        let f = Format::signed(10, 7);
        assert_eq!(f.from_f64(0.5 / 128.0), 1);
        assert_eq!(f.from_f64(-0.5 / 128.0), 0);
        assert_eq!(f.from_f64(100.0), 511);
        assert_eq!(f.from_f64(-100.0), -512);
        assert_eq!(f.from_f64(f64::NAN), 0);
    }

    #[test]
    fn multiply_rounds_then_saturates() {
        let f = Format::signed(10, 7);
        // 1.5 * 1.5 = 2.25
        assert_eq!(multiply(192, 7, 192, 7, f), 288);
        // 3.9 * 3.9 saturates to 511/128
        assert_eq!(multiply(500, 7, 500, 7, f), 511);
        // (1/128) * (64/128) = 0.5 LSB -> rounds up to 1 LSB
        assert_eq!(multiply(1, 7, 64, 7, f), 1);
        assert_eq!(multiply(-1, 7, 64, 7, f), 0);
    }
}
