//! The two cells LibreOffice writes for nearly every cell of CQC's sheet, told from the raw
//! bytes before the XML reader sees them: a text cell of one plain paragraph, and an empty
//! cell. A national `content.xml` is 1.4 GB of about 14 million such cells; through quick-xml
//! each is five events (and as many buffer copies and UTF-8 checks), which made the reading
//! thread the ingest's bottleneck. Anything else, or a cell cut by the end of the buffered
//! bytes, is left to the XML reader, which then reads exactly these bytes as it always did.

use super::names::PLAIN_TEXT_CELL;

/// A cell matched at the start of the buffered bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum PlainCell<'b> {
    /// `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>…`
    /// `</text:p></table:table-cell>` whose text has no markup, reference or carriage return,
    /// so that the XML reader would have given it byte for byte.
    Text(&'b str),
    /// `<table:table-cell/>`.
    Empty,
}

const EMPTY_CELL: &[u8] = b"<table:table-cell/>";
const TEXT_CELL_END: &[u8] = b"</text:p></table:table-cell>";

/// The opening of a plain text cell, as the XML reader's `PLAIN_TEXT_CELL` comparison tells it.
fn text_cell_start() -> impl Iterator<Item = &'static [u8]> {
    [
        b"<table:table-cell".as_slice(),
        PLAIN_TEXT_CELL.as_bytes(),
        b"><text:p>".as_slice(),
    ]
    .into_iter()
}

/// The cell at the start of `buffered` and how many bytes it takes, if it is one of the two
/// plain forms and wholly buffered.
pub fn plain_cell(buffered: &[u8]) -> Option<(PlainCell<'_>, usize)> {
    if buffered.starts_with(EMPTY_CELL) {
        return Some((PlainCell::Empty, EMPTY_CELL.len()));
    }
    let mut rest = buffered;
    for part in text_cell_start() {
        rest = rest.strip_prefix(part)?;
    }
    let text_len = memchr::memchr3(b'<', b'&', b'\r', rest)?;
    let (text, after) = rest.split_at(text_len);
    if !after.starts_with(TEXT_CELL_END) {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?;
    let taken = buffered.len() - after.len() + TEXT_CELL_END.len();
    Some((PlainCell::Text(text), taken))
}

#[cfg(test)]
mod tests {
    use super::{plain_cell, PlainCell};

    const OPEN: &str =
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>"#;
    const CLOSE: &str = "</text:p></table:table-cell>";

    #[test]
    fn a_plain_text_cell_is_its_text_and_its_length() {
        let cell = format!("{OPEN}Care home é{CLOSE}<table:table-cell/>");
        let taken = cell.len() - "<table:table-cell/>".len();
        assert_eq!(
            plain_cell(cell.as_bytes()),
            Some((PlainCell::Text("Care home é"), taken))
        );
        let empty = format!("{OPEN}{CLOSE}");
        assert_eq!(
            plain_cell(empty.as_bytes()),
            Some((PlainCell::Text(""), empty.len()))
        );
    }

    #[test]
    fn an_empty_cell_is_matched_alone() {
        assert_eq!(
            plain_cell(b"<table:table-cell/></table:table-row>"),
            Some((PlainCell::Empty, 19))
        );
    }

    #[test]
    fn anything_else_is_left_to_the_xml_reader() {
        let left = [
            format!("{OPEN}a &amp; b{CLOSE}"),
            format!("{OPEN}line\r\nbreak{CLOSE}"),
            format!("{OPEN}two<text:s/>spaces{CLOSE}"),
            format!("{OPEN}first</text:p><text:p>second{CLOSE}"),
            format!("{OPEN}cut short</text:p></table:tab"),
            format!("{OPEN}no end yet"),
            r#"<table:table-cell table:number-columns-repeated="2"/>"#.to_string(),
            r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#.to_string(),
            "<table:table-cell/".to_string(),
            "</table:table-row>".to_string(),
        ];
        for bytes in &left {
            assert_eq!(plain_cell(bytes.as_bytes()), None, "{bytes}");
        }
        let mut invalid = format!("{OPEN}x").into_bytes();
        invalid.push(0xff);
        invalid.extend_from_slice(CLOSE.as_bytes());
        assert_eq!(plain_cell(&invalid), None);
    }
}
