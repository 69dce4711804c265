//! Fixed-point number formats and the two operations every datapath step is made of:
//! rounding to fewer fraction bits (half up) and saturating to a width.
//!
//! Raw values are carried in `i64`: every format is at most 32 bits wide, so a product of
//! two raw values (one of them at most 33 bits: a 32-bit unsigned input, or an output
//! minus its target) and a sum of up to 2^30 saturated products cannot overflow; the
//! rounding shift never forms `raw + 2^(s−1)`, which could.

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
/// dropped bit decides, so ties go towards +infinity (−2.5 → −2, 2.5 → 3). It is taken as
/// `floor(raw / 2^s)` plus that bit, so no intermediate can overflow at any width.
/// Gaining bits is exact where the result fits in 64 bits; beyond that `raw` is first
/// clamped to the largest magnitude whose shift fits, and every caller saturates the result
/// to a format of at most 32 bits next, so the end result is still the exact one.
#[inline]
pub fn rescale(raw: i64, from: u32, to: u32) -> i64 {
    if from > to {
        let s = from - to;
        if s >= 64 {
            // |raw| ≤ 2^63 ≤ 2^(s−1): the value rounds to zero.
            return 0;
        }
        (raw >> s) + ((raw >> (s - 1)) & 1)
    } else {
        shift_left_saturating(raw, to - from)
    }
}

/// `raw · 2^g`, with `raw` clamped so that the product fits in an `i64`.
#[inline]
pub fn shift_left_saturating(raw: i64, g: u32) -> i64 {
    if raw == 0 {
        0
    } else if g >= 63 {
        // Only −1 · 2^63 fits; a positive value has no multiple of 2^63 but 0 to go to, so
        // it takes the largest i64, the same side of every format's range.
        if raw > 0 {
            i64::MAX
        } else {
            i64::MIN
        }
    } else {
        raw.clamp(i64::MIN >> g, i64::MAX >> g) << g
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
    fn rounding_is_exact_at_the_widest_shifts() {
        // The full-width product of ufixed<32, 32> and fixed<32, 31> into fixed<32, 0>.
        let a = (1i64 << 32) - 1;
        let w = (1i64 << 31) - 1;
        let p = a * w;
        let exact = |x: i64, s: u32| ((x as i128 + (1i128 << (s - 1))) >> s) as i64;
        assert_eq!(rescale(p, 63, 0), exact(p, 63));
        assert_eq!(rescale(p, 63, 0), 1);
        assert_eq!(rescale(-p, 63, 0), exact(-p, 63));
        assert_eq!(rescale(i64::MAX, 62, 0), exact(i64::MAX, 62));
        assert_eq!(rescale(i64::MIN, 63, 0), exact(i64::MIN, 63));
        assert_eq!(rescale(i64::MIN, 1, 0), exact(i64::MIN, 1));
        for s in 1..64 {
            for x in [p, -p, i64::MAX, i64::MIN, 3 << 40, -(5 << 50), 1, -1] {
                assert_eq!(rescale(x, s, 0), exact(x, s), "x = {x}, s = {s}");
            }
        }
        assert_eq!(rescale(i64::MIN, 70, 0), 0);
        // Gaining bits past 64 clamps first: still beyond every 32-bit format's range.
        assert_eq!(rescale((1i64 << 32) - 1, 0, 31), ((1i64 << 32) - 1) << 31);
        assert_eq!(rescale(1i64 << 40, 0, 31), ((1i64 << 32) - 1) << 31);
        assert_eq!(rescale(-(1i64 << 40), 0, 31), i64::MIN);
        assert_eq!(rescale(-1, 0, 63), i64::MIN);
        assert_eq!(rescale(1, 0, 63), i64::MAX);
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
