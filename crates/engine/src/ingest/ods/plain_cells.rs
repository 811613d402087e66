//! The cells LibreOffice writes for nearly every cell of CQC's sheet, told from the raw bytes
//! before the XML reader sees them: `<table:table-cell …/>`, and `<table:table-cell …>` holding
//! one paragraph of plain text. A national `content.xml` is 1.4 GB of about 14 million such
//! cells; through quick-xml each was five events (and as many buffer copies and UTF-8 checks),
//! which made the reading thread the ingest's bottleneck. Anything else, or a cell cut by the
//! end of the buffered bytes, is left to the XML reader, which then reads exactly these bytes
//! as it always did.

use super::names::PLAIN_TEXT_CELL;

/// A cell matched at the start of the buffered bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct PlainCell<'b> {
    /// The start tag's text after its name, as `BytesStart::attributes_raw` gives it.
    pub attributes: &'b str,
    /// Whether those are `PLAIN_TEXT_CELL`, which `cell_attributes` reads as one text cell:
    /// most cells, told apart here by the comparison that found them.
    pub is_text_cell: bool,
    /// The text of its one paragraph, which has no markup, reference or carriage return, so
    /// that the XML reader would have given it byte for byte; `None` for an empty element.
    pub text: Option<&'b str>,
    /// The bytes the cell takes, its end tag included.
    pub taken: usize,
}

const CELL_START: &[u8] = b"<table:table-cell";
const PARAGRAPH_START: &[u8] = b"<text:p>";
const CELL_END: &[u8] = b"</text:p></table:table-cell>";

/// A text cell as LibreOffice writes it, up to its paragraph's text: `CELL_START`,
/// `PLAIN_TEXT_CELL`, `>` and `PARAGRAPH_START` as one comparison (a test checks they agree).
const TEXT_CELL_OPEN: &[u8] =
    br#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>"#;

/// The cell at the start of `buffered`, if it is one of the plain forms and wholly buffered.
pub fn plain_cell(buffered: &[u8]) -> Option<PlainCell<'_>> {
    if let Some(content) = buffered.strip_prefix(TEXT_CELL_OPEN) {
        return paragraph_cell(buffered, PLAIN_TEXT_CELL, true, content);
    }
    let after_name = buffered.strip_prefix(CELL_START)?;
    // The name ends here only at a space, `/` or `>` (the XML reader's other separators are
    // left to it).
    if !matches!(after_name.first(), Some(b' ' | b'/' | b'>')) {
        return None;
    }
    let (attributes, empty, after_tag) = any_cell_tag(after_name)?;
    if empty {
        let taken = buffered.len() - after_tag.len();
        return Some(PlainCell {
            attributes,
            is_text_cell: false,
            text: None,
            taken,
        });
    }
    let content = after_tag.strip_prefix(PARAGRAPH_START)?;
    paragraph_cell(buffered, attributes, false, content)
}

/// The cell whose paragraph's text starts `content`, if the text is plain and the paragraph
/// and the cell end straight after it.
fn paragraph_cell<'b>(
    buffered: &'b [u8],
    attributes: &'b str,
    is_text_cell: bool,
    content: &'b [u8],
) -> Option<PlainCell<'b>> {
    let text_len = memchr::memchr3(b'<', b'&', b'\r', content)?;
    let (text, after_text) = content.split_at(text_len);
    let after_cell = after_text.strip_prefix(CELL_END)?;
    let text = std::str::from_utf8(text).ok()?;
    Some(PlainCell {
        attributes,
        is_text_cell,
        text: Some(text),
        taken: buffered.len() - after_cell.len(),
    })
}

/// Any other cell's start tag: its attributes, whether it is an empty element, and the bytes
/// after it.
fn any_cell_tag(after_name: &[u8]) -> Option<(&str, bool, &[u8])> {
    let tag_end = memchr::memchr(b'>', after_name)?;
    let tag_rest = after_name.get(..tag_end)?;
    if !outside_quotes(tag_rest) {
        return None;
    }
    let (attributes, empty) = match tag_rest.strip_suffix(b"/") {
        Some(attributes) => (attributes, true),
        None => (tag_rest, false),
    };
    let attributes = std::str::from_utf8(attributes).ok()?;
    Some((attributes, empty, after_name.get(tag_end + 1..)?))
}

/// Whether the tag's first `>` is its end: so when its values are all in double quotes, an
/// even count of them before it, and it holds no `<`.
fn outside_quotes(tag: &[u8]) -> bool {
    memchr::memchr2(b'\'', b'<', tag).is_none()
        && memchr::memchr_iter(b'"', tag).count().is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::{plain_cell, PlainCell};

    const PLAIN: &str = r#" office:value-type="string" calcext:value-type="string""#;
    const CLOSE: &str = "</text:p></table:table-cell>";

    fn text_cell(attributes: &str, text: &str) -> String {
        format!("<table:table-cell{attributes}><text:p>{text}{CLOSE}")
    }

    #[test]
    fn a_text_cell_is_its_attributes_its_text_and_its_length() {
        let cell = text_cell(PLAIN, "Care home é");
        let next = "<table:table-cell/>";
        let bytes = format!("{cell}{next}");
        let expected = PlainCell {
            attributes: PLAIN,
            is_text_cell: true,
            text: Some("Care home é"),
            taken: cell.len(),
        };
        assert_eq!(plain_cell(bytes.as_bytes()), Some(expected));
        let repeated = r#" table:number-columns-repeated="2" office:value-type="string""#;
        let cell = text_cell(repeated, "");
        let expected = PlainCell {
            attributes: repeated,
            is_text_cell: false,
            text: Some(""),
            taken: cell.len(),
        };
        assert_eq!(plain_cell(cell.as_bytes()), Some(expected));
        let bare = text_cell("", "x");
        let expected = PlainCell {
            attributes: "",
            is_text_cell: false,
            text: Some("x"),
            taken: bare.len(),
        };
        assert_eq!(plain_cell(bare.as_bytes()), Some(expected));
    }

    #[test]
    fn the_text_cell_opening_is_the_one_the_xml_reader_tells_by_its_attributes() {
        let open = format!("<table:table-cell{}><text:p>", super::PLAIN_TEXT_CELL);
        assert_eq!(super::TEXT_CELL_OPEN, open.as_bytes());
    }

    #[test]
    fn an_empty_cell_is_its_attributes_and_its_length() {
        let expected = PlainCell {
            attributes: "",
            is_text_cell: false,
            text: None,
            taken: 19,
        };
        assert_eq!(
            plain_cell(b"<table:table-cell/></table:table-row>"),
            Some(expected)
        );
        let repeated = r#"<table:table-cell table:number-columns-repeated="3"/>"#;
        let expected = PlainCell {
            attributes: r#" table:number-columns-repeated="3""#,
            is_text_cell: false,
            text: None,
            taken: repeated.len(),
        };
        assert_eq!(plain_cell(repeated.as_bytes()), Some(expected));
    }

    #[test]
    fn anything_else_is_left_to_the_xml_reader() {
        let left = [
            text_cell(PLAIN, "a &amp; b"),
            text_cell(PLAIN, "line\r\nbreak"),
            text_cell(PLAIN, "two<text:s/>spaces"),
            text_cell(PLAIN, "first</text:p><text:p>second"),
            format!("<table:table-cell{PLAIN}><text:p>cut short</text:p></table:tab"),
            format!("<table:table-cell{PLAIN}><text:p>no end yet"),
            format!("<table:table-cell{PLAIN}>text outside a paragraph</table:table-cell>"),
            r#"<table:table-cell table:formula="of:=[.A1]>1"/>"#.to_string(),
            r#"<table:table-cell table:formula='of:=1'/>"#.to_string(),
            r#"<table:table-cell a="1" <b/>"#.to_string(),
            "<table:table-cell\ttable:style-name=\"ce1\"/>".to_string(),
            "<table:table-cellx/>".to_string(),
            "<table:covered-table-cell/>".to_string(),
            "<table:table-cell/".to_string(),
            "</table:table-row>".to_string(),
        ];
        for bytes in &left {
            assert_eq!(plain_cell(bytes.as_bytes()), None, "{bytes}");
        }
        for attributes in [true, false] {
            let mut invalid = b"<table:table-cell".to_vec();
            if attributes {
                invalid.extend_from_slice(b" a=\"\xff\"/>");
            } else {
                invalid.extend_from_slice(b"><text:p>x\xff");
                invalid.extend_from_slice(CLOSE.as_bytes());
            }
            assert_eq!(plain_cell(&invalid), None);
        }
    }
}
