//! Edge colouring of bipartite multigraphs with the fewest colours (König: the maximum degree).
//!
//! The graph is given as a matrix of multiplicities `m[row][col]` (for the scheduler: lanes ×
//! banks, each entry the number of edges a lane must take from a bank). The result is a
//! list of matchings with multiplicities whose sum is the matrix: a matching used `k` times
//! is `k` clocks in which each row takes one edge from its column.
//!
//! Algorithm: pad the matrix to a Δ-regular one (Δ the largest row or column sum); then
//! recursively, if Δ is odd remove one perfect matching (Hopcroft–Karp on the support), and
//! split the even remainder into two Δ/2-regular halves: even entries split in two, the odd
//! entries form a graph of even degrees whose closed trails alternate between the halves.
//! A split with no odd entries gives two equal halves, which are coloured once and counted
//! twice. The work is O(nnz log Δ) for the splits, where nnz ≤ min(rows², edges).

/// A sparse square matrix of multiplicities, rows in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Matrix {
    /// `row_start[r]..row_start[r + 1]` index the entries of row r.
    row_start: Vec<usize>,
    cols: Vec<u32>,
    counts: Vec<u32>,
}

impl Matrix {
    fn from_triples(n: usize, mut triples: Vec<(u32, u32, u32)>) -> Matrix {
        triples.sort_unstable();
        let mut m = Matrix {
            row_start: vec![0; n + 1],
            cols: Vec::with_capacity(triples.len()),
            counts: Vec::with_capacity(triples.len()),
        };
        let mut previous: Option<(u32, u32)> = None;
        for (r, c, k) in triples {
            if k == 0 {
                continue;
            }
            if previous == Some((r, c)) {
                *m.counts.last_mut().expect("a previous entry") += k;
            } else {
                m.cols.push(c);
                m.counts.push(k);
                m.row_start[r as usize + 1] += 1;
                previous = Some((r, c));
            }
        }
        for r in 0..n {
            m.row_start[r + 1] += m.row_start[r];
        }
        m
    }

    fn n(&self) -> usize {
        self.row_start.len() - 1
    }

    fn row(&self, r: usize) -> std::ops::Range<usize> {
        self.row_start[r]..self.row_start[r + 1]
    }
}

/// One colour class used `times` times: `banks[row]` is the column each row takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    pub columns: Vec<u32>,
    pub times: u32,
}

/// Decomposes `entries` — `(row, col, multiplicity)` over an `n × n` matrix — into
/// matchings whose multiplicities add up to Δ, the largest row or column sum. Rows or
/// columns below Δ are padded; a padded use of `(row, col)` is an idle clock for that row.
pub fn colour(n: usize, entries: &[(u32, u32, u32)]) -> (u32, Vec<Class>) {
    let mut row_sum = vec![0u64; n];
    let mut col_sum = vec![0u64; n];
    for &(r, c, k) in entries {
        row_sum[r as usize] += k as u64;
        col_sum[c as usize] += k as u64;
    }
    let delta = row_sum.iter().chain(&col_sum).copied().max().unwrap_or(0);
    if delta == 0 {
        return (0, Vec::new());
    }
    let mut triples = entries.to_vec();
    // Northwest-corner padding: pair deficient rows with deficient columns.
    let (mut r, mut c) = (0, 0);
    while r < n && c < n {
        let (dr, dc) = (delta - row_sum[r], delta - col_sum[c]);
        if dr == 0 {
            r += 1;
        } else if dc == 0 {
            c += 1;
        } else {
            let k = dr.min(dc);
            triples.push((r as u32, c as u32, k as u32));
            row_sum[r] += k;
            col_sum[c] += k;
        }
    }
    let matrix = Matrix::from_triples(n, triples);
    let mut classes = Vec::new();
    decompose(matrix, delta as u32, 1, &mut classes);
    (delta as u32, classes)
}

/// Appends the classes of the Δ-regular `m`, each multiplied by `scale`.
fn decompose(mut m: Matrix, mut delta: u32, scale: u32, out: &mut Vec<Class>) {
    let n = m.n();
    while delta > 0 {
        // A single permutation repeated Δ times: one entry per row.
        if m.cols.len() == n {
            out.push(Class {
                columns: m.cols.clone(),
                times: delta * scale,
            });
            return;
        }
        if delta % 2 == 1 {
            let matching = perfect_matching(&m);
            m = subtract(&m, &matching);
            out.push(Class {
                columns: matching,
                times: scale,
            });
            delta -= 1;
            continue;
        }
        let (a, b) = split(&m);
        match b {
            // No odd entries: both halves are the same matrix.
            None => {
                decompose(a, delta / 2, scale * 2, out);
            }
            Some(b) => {
                let (mut left, right) = rayon::join(
                    || {
                        let mut classes = Vec::new();
                        decompose(a, delta / 2, scale, &mut classes);
                        classes
                    },
                    || {
                        let mut classes = Vec::new();
                        decompose(b, delta / 2, scale, &mut classes);
                        classes
                    },
                );
                out.append(&mut left);
                out.extend(right);
            }
        }
        return;
    }
}

/// `m` minus one unit at every `(row, matching[row])`.
fn subtract(m: &Matrix, matching: &[u32]) -> Matrix {
    let mut out = Matrix {
        row_start: vec![0; m.n() + 1],
        cols: Vec::with_capacity(m.cols.len()),
        counts: Vec::with_capacity(m.cols.len()),
    };
    for (r, &matched) in matching.iter().enumerate() {
        for i in m.row(r) {
            let k = m.counts[i] - u32::from(m.cols[i] == matched);
            if k > 0 {
                out.cols.push(m.cols[i]);
                out.counts.push(k);
            }
        }
        out.row_start[r + 1] = out.cols.len();
    }
    out
}

/// Splits an even-regular matrix into two halves of half the degree.
/// Returns `(half, None)` when the halves are equal.
fn split(m: &Matrix) -> (Matrix, Option<Matrix>) {
    let n = m.n();
    // The odd entries, row by row (their row's range in `odd_start`), are the edges of a
    // graph in which every row and column has even degree.
    let mut odd: Vec<u32> = Vec::new();
    let mut odd_start = vec![0u32; n + 1];
    for r in 0..n {
        for i in m.row(r) {
            if m.counts[i] & 1 == 1 {
                odd.push(i as u32);
            }
        }
        odd_start[r + 1] = odd.len() as u32;
    }
    if odd.is_empty() {
        let half = Matrix {
            row_start: m.row_start.clone(),
            cols: m.cols.clone(),
            counts: m.counts.iter().map(|k| k / 2).collect(),
        };
        return (half, None);
    }
    // Column incidence of the odd edges (positions in `odd`), by counting sort.
    let mut col_start = vec![0u32; n + 1];
    for &i in &odd {
        col_start[m.cols[i as usize] as usize + 1] += 1;
    }
    for c in 0..n {
        col_start[c + 1] += col_start[c];
    }
    let mut col_edges = vec![0u32; odd.len()];
    let mut fill = col_start.clone();
    let mut row_of = vec![0u32; odd.len()];
    for r in 0..n {
        for e in odd_start[r]..odd_start[r + 1] {
            row_of[e as usize] = r as u32;
            let c = m.cols[odd[e as usize] as usize] as usize;
            col_edges[fill[c] as usize] = e;
            fill[c] += 1;
        }
    }
    // Closed trails from every row, alternating halves: each vertex's odd edges split evenly.
    let mut used = vec![false; odd.len()];
    let mut first = vec![false; odd.len()];
    let mut row_cursor = odd_start.clone();
    let mut col_cursor = col_start;
    for origin in 0..n {
        loop {
            let mut r = origin;
            let mut to_first = true;
            // Take the next unused edge at row r; stop when the row is exhausted.
            loop {
                let end = odd_start[r + 1];
                let mut e = row_cursor[r];
                while e < end && used[e as usize] {
                    e += 1;
                }
                row_cursor[r] = e;
                if e == end {
                    break;
                }
                used[e as usize] = true;
                first[e as usize] = to_first;
                to_first = !to_first;
                let c = m.cols[odd[e as usize] as usize] as usize;
                // Leave the column by its next unused edge (one exists: degrees are even).
                let mut k = col_cursor[c];
                while used[col_edges[k as usize] as usize] {
                    k += 1;
                }
                col_cursor[c] = k;
                let back = col_edges[k as usize] as usize;
                used[back] = true;
                first[back] = to_first;
                to_first = !to_first;
                r = row_of[back] as usize;
            }
            if row_cursor[origin] == odd_start[origin + 1] {
                break;
            }
        }
    }
    // Build both halves in one pass.
    let mut a = Matrix {
        row_start: vec![0; n + 1],
        cols: Vec::with_capacity(m.cols.len()),
        counts: Vec::with_capacity(m.cols.len()),
    };
    let mut b = a.clone();
    let mut e = 0usize;
    for r in 0..n {
        for i in m.row(r) {
            let k = m.counts[i];
            let (mut ka, mut kb) = (k / 2, k / 2);
            if k & 1 == 1 {
                if first[e] {
                    ka += 1;
                } else {
                    kb += 1;
                }
                e += 1;
            }
            if ka > 0 {
                a.cols.push(m.cols[i]);
                a.counts.push(ka);
            }
            if kb > 0 {
                b.cols.push(m.cols[i]);
                b.counts.push(kb);
            }
        }
        a.row_start[r + 1] = a.cols.len();
        b.row_start[r + 1] = b.cols.len();
    }
    (a, Some(b))
}

/// A perfect matching in the support of a regular matrix (Hopcroft–Karp, greedy start).
fn perfect_matching(m: &Matrix) -> Vec<u32> {
    const NONE: u32 = u32::MAX;
    let n = m.n();
    let mut row_match = vec![NONE; n];
    let mut col_match = vec![NONE; n];
    for (r, matched) in row_match.iter_mut().enumerate() {
        for i in m.row(r) {
            let c = m.cols[i] as usize;
            if col_match[c] == NONE {
                col_match[c] = r as u32;
                *matched = c as u32;
                break;
            }
        }
    }
    let mut dist = vec![0u32; n];
    let mut queue = Vec::with_capacity(n);
    loop {
        // BFS from free rows over alternating paths.
        queue.clear();
        for r in 0..n {
            if row_match[r] == NONE {
                dist[r] = 0;
                queue.push(r);
            } else {
                dist[r] = u32::MAX;
            }
        }
        let mut found = false;
        let mut head = 0;
        while head < queue.len() {
            let r = queue[head];
            head += 1;
            for i in m.row(r) {
                let owner = col_match[m.cols[i] as usize];
                if owner == NONE {
                    found = true;
                } else if dist[owner as usize] == u32::MAX {
                    dist[owner as usize] = dist[r] + 1;
                    queue.push(owner as usize);
                }
            }
        }
        if !found {
            break;
        }
        // DFS along layered paths (iterative, with a per-row edge cursor).
        let mut cursor: Vec<usize> = (0..n).map(|r| m.row_start[r]).collect();
        for free in 0..n {
            if row_match[free] != NONE {
                continue;
            }
            let mut path: Vec<usize> = vec![free];
            while let Some(&r) = path.last() {
                if cursor[r] == m.row_start[r + 1] {
                    dist[r] = u32::MAX;
                    path.pop();
                    continue;
                }
                let c = m.cols[cursor[r]] as usize;
                cursor[r] += 1;
                let owner = col_match[c];
                if owner == NONE {
                    // Augment along the path: each row takes the column its cursor just passed.
                    for &pr in &path {
                        let pc = m.cols[cursor[pr] - 1] as usize;
                        row_match[pr] = pc as u32;
                        col_match[pc] = pr as u32;
                    }
                    break;
                } else if dist[owner as usize] == dist[r] + 1 {
                    path.push(owner as usize);
                }
            }
        }
    }
    assert!(
        row_match.iter().all(|&c| c != NONE),
        "a regular bipartite multigraph has a perfect matching"
    );
    row_match
}

#[cfg(test)]
mod tests {
    use super::*;
    use snn_runtime::prng::Rng;

    /// Checks that `classes` are matchings whose multiplicities rebuild `entries` (plus padding).
    fn check(n: usize, entries: &[(u32, u32, u32)]) -> u32 {
        let (delta, classes) = colour(n, entries);
        let total: u32 = classes.iter().map(|c| c.times).sum();
        assert_eq!(total, delta, "Δ colours");
        let mut used = vec![vec![0u32; n]; n];
        for class in &classes {
            let mut seen = vec![false; n];
            for (r, &c) in class.columns.iter().enumerate() {
                assert!(!seen[c as usize], "a column twice in one class");
                seen[c as usize] = true;
                used[r][c as usize] += class.times;
            }
        }
        for &(r, c, k) in entries {
            assert!(used[r as usize][c as usize] >= k, "entry ({r},{c}) covered");
        }
        delta
    }

    #[test]
    fn regular_and_irregular_matrices() {
        assert_eq!(check(2, &[(0, 0, 3), (1, 1, 3)]), 3);
        assert_eq!(check(2, &[(0, 0, 1), (0, 1, 2), (1, 0, 2), (1, 1, 1)]), 3);
        assert_eq!(check(3, &[(0, 0, 5), (1, 0, 1), (2, 2, 2)]), 6);
        assert_eq!(check(1, &[]), 0);
    }

    #[test]
    fn random_multigraphs_take_exactly_their_maximum_degree() {
        let mut rng = Rng::new(5);
        for n in [1usize, 2, 3, 8, 17, 64] {
            for _ in 0..10 {
                let entries: Vec<(u32, u32, u32)> = (0..n * 4)
                    .map(|_| {
                        (
                            rng.below(n as u64) as u32,
                            rng.below(n as u64) as u32,
                            rng.below(9) as u32,
                        )
                    })
                    .collect();
                let mut row = vec![0u32; n];
                let mut col = vec![0u32; n];
                for &(r, c, k) in &entries {
                    row[r as usize] += k;
                    col[c as usize] += k;
                }
                let expected = row.iter().chain(&col).copied().max().unwrap();
                assert_eq!(check(n, &entries), expected);
            }
        }
    }
}
