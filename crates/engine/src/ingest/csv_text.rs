//! CSV text for the browser's downloads, byte for byte what the csv crate's default writer
//! gives (comma, `"` doubled inside quotes, `\n` after each record, a field quoted only when
//! it holds a comma, a quote or a line break), with every cell made spreadsheet-safe.
//!
//! Why not the csv crate's writer, as the CLI uses: its quoting code keeps a branch for
//! `QuoteStyle::NonNumeric` that parses each field as a float and an integer, and that branch
//! links the standard library's float parser and its tables into the page's wasm (about
//! 14 kB brotli, issue 14) for quoting the page never asks for.

use super::safe_output::spreadsheet_safe;

/// CSV being built one record at a time.
#[derive(Debug, Default)]
pub struct CsvText {
    text: String,
}

impl CsvText {
    pub fn new() -> CsvText {
        CsvText::default()
    }

    /// Appends one record; each cell goes through [`spreadsheet_safe`] first.
    pub fn record<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for (n, cell) in cells.into_iter().enumerate() {
            if n > 0 {
                self.text.push(',');
            }
            self.push_field(&spreadsheet_safe(cell.as_ref()));
        }
        self.text.push('\n');
    }

    fn push_field(&mut self, field: &str) {
        // '\r' is quoted too, as the csv crate does: its reader would take it for a line end.
        if field.contains([',', '"', '\n', '\r']) {
            self.text.push('"');
            self.text.push_str(&field.replace('"', "\"\""));
            self.text.push('"');
        } else {
            self.text.push_str(field);
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same records through the csv crate's default writer, each cell made safe first.
    fn through_csv_crate(records: &[Vec<&str>]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for record in records {
            writer
                .write_record(record.iter().map(|c| spreadsheet_safe(c).into_owned()))
                .unwrap();
        }
        writer.into_inner().unwrap()
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let records = vec![
            vec!["location_id", "name", "town", "overall_rating"],
            vec!["1-5312102242", "Franklin House", "Oldham", "Good"],
            vec![
                "1-1",
                "Smith, Jones & Co",
                "Ashton-under-Lyne",
                "Requires improvement",
            ],
            vec!["1-2", "The \"Beeches\"", "", "-"],
            vec!["1-3", "two\nlines", "carriage\rreturn", "=HYPERLINK(\"x\")"],
            vec!["1-4", "-3", "+44 161", "@home"],
            vec!["1-5", "Café Ŵ", "\"", ","],
        ];
        let mut text = CsvText::new();
        for record in &records {
            text.record(record);
        }
        assert_eq!(
            String::from_utf8(text.into_bytes()).unwrap(),
            String::from_utf8(through_csv_crate(&records)).unwrap()
        );
    }

    #[test]
    fn quotes_only_what_needs_quoting() {
        let mut text = CsvText::new();
        text.record(["a b", "c,d", "say \"hi\""]);
        assert_eq!(text.into_bytes(), b"a b,\"c,d\",\"say \"\"hi\"\"\"\n");
    }
}
