//! Tables with a header row: aligned plain text for command output, or Markdown for reports.

/// A table: a header row and data rows, columns aligned on output.
pub struct Table {
    rows: Vec<Vec<String>>,
    right_aligned: Vec<bool>,
}

/// A table row: each cell as its `to_string()`.
#[macro_export]
macro_rules! cells {
    ($($cell:expr),* $(,)?) => { vec![$($cell.to_string()),*] };
}

impl Table {
    /// A table with these column headers; columns whose header starts with `>` align right.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            right_aligned: headers.iter().map(|h| h.starts_with('>')).collect(),
            rows: vec![headers
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect()],
        }
    }

    /// A table whose column headers are given as one line, `a | >b | c`.
    pub fn with_header(line: &str) -> Table {
        Table::new(&line.split('|').map(str::trim).collect::<Vec<_>>())
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as lines, two spaces between columns, no trailing spaces.
    pub fn render(&self) -> String {
        let columns = self.right_aligned.len();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (c, width) in widths.iter().enumerate() {
                let cell = row.get(c).map_or("", String::as_str);
                let pad = width - cell.chars().count();
                if c > 0 {
                    line.push_str("  ");
                }
                if self.right_aligned[c] {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The table as Markdown: the header, a rule with each column's alignment, the rows.
    pub fn markdown(&self) -> String {
        let escaped = |cell: &String| cell.replace('|', "\\|");
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(escaped).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let rule: Vec<String> = self
            .right_aligned
            .iter()
            .map(|&right| if right { "---:" } else { "---" }.to_string())
            .collect();
        let mut out = line(&self.rows[0]);
        out.push_str(&line(&rule));
        for row in &self.rows[1..] {
            out.push_str(&line(row));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn markdown_marks_right_aligned_columns_and_keeps_cells_in_order() {
        let mut t = Table::with_header("name | >count");
        t.row(cells!["a", 10]);
        t.row(cells!["b|b", 2]);
        assert_eq!(
            t.markdown(),
            "| name | count |\n| --- | ---: |\n| a | 10 |\n| b\\|b | 2 |\n"
        );
        assert_eq!(t.render(), "name  count\na        10\nb|b       2\n");
    }
}
