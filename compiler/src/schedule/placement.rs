//! Bank placement: which bank each left neuron lives in.
//!
//! By default neuron `n` lives in bank `n mod z`, row `n / z`. When the edges of a pattern
//! crowd some banks (pruned matrices do: some inputs keep many weights, others none), the
//! scheduler may permute the banks *within each row*: neuron `n` stays in row `n / z` and
//! moves to bank `perm[n / z][n mod z]`. A row's neurons are still spread over distinct
//! banks, so whoever writes or reads a row's neurons together still touches each bank once;
//! it only needs the row's permutation (a small table) and a crossbar.
//!
//! Rows are placed greedily — the heaviest neurons of a row go to the least-loaded banks —
//! and then improved by swaps: while some row can exchange a neuron of the busiest bank with
//! a lighter neuron of another bank so that both end below the current maximum, it does.

/// How a junction's left neurons are spread over banks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Bank `n mod z`.
    Modulo,
    /// Bank `rows[n / z][n mod z]`: each row a permutation of `0..z`.
    Permuted { rows: Vec<Vec<u32>> },
}

impl Placement {
    /// The bank of left neuron `n` with `z` banks.
    #[inline]
    pub fn bank(&self, n: u32, z: usize) -> usize {
        let n = n as usize;
        match self {
            Placement::Modulo => n % z,
            Placement::Permuted { rows } => rows[n / z][n % z] as usize,
        }
    }
}

/// The busiest bank's edge count under `placement`.
pub fn busiest(fan_out: &[u32], z: usize, placement: &Placement) -> usize {
    let mut load = vec![0usize; z];
    for (n, &d) in fan_out.iter().enumerate() {
        load[placement.bank(n as u32, z)] += d as usize;
    }
    load.into_iter().max().unwrap_or(0)
}

/// A placement no busier than `n mod z`: balanced rows when that lowers the busiest bank.
pub fn place(fan_out: &[u32], z: usize) -> Placement {
    let modulo = busiest(fan_out, z, &Placement::Modulo);
    let mut load = vec![0usize; z];
    let mut rows = Vec::with_capacity(fan_out.len().div_ceil(z));
    let mut neurons: Vec<usize> = Vec::with_capacity(z);
    let mut banks: Vec<usize> = (0..z).collect();
    for row in fan_out.chunks(z) {
        neurons.clear();
        neurons.extend(0..row.len());
        neurons.sort_by_key(|&i| (std::cmp::Reverse(row[i]), i));
        banks.sort_by_key(|&b| (load[b], b));
        let mut perm = vec![0u32; row.len()];
        for (&i, &b) in neurons.iter().zip(&banks) {
            perm[i] = b as u32;
            load[b] += row[i] as usize;
        }
        rows.push(perm);
    }
    improve(fan_out, z, &mut rows, &mut load);
    if load.iter().copied().max().unwrap_or(0) < modulo {
        Placement::Permuted { rows }
    } else {
        Placement::Modulo
    }
}

/// Swaps within rows that lower the busiest bank, until none does.
fn improve(fan_out: &[u32], z: usize, rows: &mut [Vec<u32>], load: &mut [usize]) {
    // Neuron of each (row, bank), to find swap partners quickly.
    let mut at: Vec<Vec<usize>> = rows
        .iter()
        .enumerate()
        .map(|(r, perm)| {
            let mut inverse = vec![usize::MAX; z];
            for (i, &b) in perm.iter().enumerate() {
                inverse[b as usize] = r * z + i;
            }
            inverse
        })
        .collect();
    for _ in 0..16 * z {
        let (busiest, &max) = load
            .iter()
            .enumerate()
            .max_by_key(|&(b, &l)| (l, std::cmp::Reverse(b)))
            .expect("at least one bank");
        // The swap that leaves the pair's larger load smallest.
        let mut best: Option<(usize, usize, usize)> = None;
        for (r, inverse) in at.iter().enumerate() {
            let heavy = inverse[busiest];
            let heavy_d = if heavy == usize::MAX {
                0
            } else {
                fan_out[heavy] as usize
            };
            for other in 0..z {
                let light = inverse[other];
                let light_d = if light == usize::MAX {
                    0
                } else {
                    fan_out[light] as usize
                };
                if other == busiest || light_d >= heavy_d {
                    continue;
                }
                let moved = heavy_d - light_d;
                let worst = (max - moved).max(load[other] + moved);
                if worst < max && best.is_none_or(|(w, _, _)| worst < w) {
                    best = Some((worst, r, other));
                }
            }
        }
        let Some((_, r, other)) = best else { return };
        let (heavy, light) = (at[r][busiest], at[r][other]);
        let weight = |n: usize| {
            if n == usize::MAX {
                0
            } else {
                fan_out[n] as usize
            }
        };
        let moved = weight(heavy) - weight(light);
        load[busiest] -= moved;
        load[other] += moved;
        at[r].swap(busiest, other);
        for (n, bank) in [(heavy, other), (light, busiest)] {
            if n != usize::MAX {
                rows[r][n % z] = bank as u32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balancing_moves_heavy_neurons_apart() {
        // Two rows of 4; modulo puts both heavy neurons in bank 0.
        let fan_out = [9, 1, 1, 1, 9, 1, 1, 1];
        assert_eq!(busiest(&fan_out, 4, &Placement::Modulo), 18);
        let p = place(&fan_out, 4);
        assert_eq!(busiest(&fan_out, 4, &p), 10);
        if let Placement::Permuted { rows } = &p {
            for row in rows {
                let mut sorted = row.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, vec![0, 1, 2, 3], "each row a permutation");
            }
        }
    }

    #[test]
    fn balanced_patterns_keep_modulo() {
        assert_eq!(place(&[2, 2, 2, 2], 2), Placement::Modulo);
    }
}
