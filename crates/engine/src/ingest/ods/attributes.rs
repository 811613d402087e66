//! Reading a start tag's attributes as the reader needs them: repeat counts, a cell's value (as
//! calamine read it), a run of spaces, a sheet's name, entities. Each runs once per cell of a
//! sheet of millions, so the splitting is done by hand rather than by quick-xml's checked
//! attribute iterator.

use super::error::Problem;
use super::limits::MAX_CELL_CHARS;
use super::names::{
    ANNOTATION, CELL, COVERED_CELL, LINE_BREAK, PARAGRAPH, PLAIN_TEXT_CELL, SPACES, TAB,
};
use crate::ingest::cell_values::{boolean_text, number_text};
use quick_xml::events::{BytesRef, BytesStart};
use std::borrow::Cow;

/// A cell's value as its attributes give it.
pub enum CellValue {
    /// No value: an empty cell, or a formula without a result.
    None,
    /// Given by an attribute (numbers, dates, booleans, `office:string-value`).
    Attribute(String),
    /// Text held in the cell's paragraphs.
    Content,
}

/// The inline elements of a cell's text.
pub enum TextElement {
    Paragraph,
    Spaces(usize),
    Tab,
    LineBreak,
    Annotation,
    Other,
}

impl TextElement {
    pub fn read(e: &BytesStart<'_>) -> Result<Self, Problem> {
        Ok(match e.name().as_ref() {
            PARAGRAPH => TextElement::Paragraph,
            SPACES => TextElement::Spaces(space_count(e)?),
            TAB => TextElement::Tab,
            LINE_BREAK => TextElement::LineBreak,
            ANNOTATION => TextElement::Annotation,
            _ => TextElement::Other,
        })
    }
}

fn space_count(e: &BytesStart<'_>) -> Result<usize, Problem> {
    let Some(count) = attribute(e, "text:c")? else {
        return Ok(1);
    };
    match count.parse::<usize>() {
        Ok(n) if n <= MAX_CELL_CHARS => Ok(n),
        _ => Err(Problem::SpaceCount(count.into_owned())),
    }
}

/// The element's name if it is a cell. Covered cells (under a merged cell) keep their values
/// in the file, and calamine read them as ordinary cells; so does this reader.
pub fn cell_name(e: &BytesStart<'_>) -> Option<&'static str> {
    match e.name().as_ref() {
        CELL => Some(CELL),
        COVERED_CELL => Some(COVERED_CELL),
        _ => None,
    }
}

pub fn sheet_name(e: &BytesStart<'_>) -> Result<Option<String>, Problem> {
    Ok(attribute(e, "table:name")?.map(Cow::into_owned))
}

pub fn row_repeats(e: &BytesStart<'_>) -> Result<u64, Problem> {
    repeat_count(e, "table:number-rows-repeated")
}

fn repeat_count(e: &BytesStart<'_>, key: &'static str) -> Result<u64, Problem> {
    match attribute(e, key)? {
        None => Ok(1),
        Some(text) => text.parse().map_err(|_| Problem::NotAWholeNumber {
            key,
            value: text.into_owned(),
        }),
    }
}

/// How many columns a cell spans and its value, from its attributes as calamine read them:
/// the first of `office:value`, `office:string-value`, `office:date-value`,
/// `office:time-value` and `office:boolean-value` is the value; failing one, a string cell's
/// (or an error cell's) text is its content.
/// `raw` is the start tag's text after its name, as `BytesStart::attributes_raw` gives it.
pub fn cell_attributes(raw: &str) -> Result<(usize, CellValue), Problem> {
    // Most cells of CQC's file are text cells exactly as LibreOffice writes them; telling them
    // by one comparison instead of parsing their attributes saves a tenth of the reading time.
    if raw == PLAIN_TEXT_CELL {
        return Ok((1, CellValue::Content));
    }
    let mut repeats = 1usize;
    let mut value: Option<String> = None;
    let mut is_string = false;
    let mut is_error = false;
    for pair in RawAttributes::new(raw) {
        let (key, raw) = pair?;
        match key {
            "table:number-columns-repeated" => {
                repeats = raw.parse().map_err(|_| Problem::NotAWholeNumber {
                    key: "table:number-columns-repeated",
                    value: raw.into(),
                })?;
            }
            "office:value" if value.is_none() => {
                let number: f64 = raw
                    .trim()
                    .parse()
                    .map_err(|_| Problem::NotANumber(raw.into()))?;
                value = Some(number_text(number));
            }
            "office:string-value" | "office:date-value" | "office:time-value"
                if value.is_none() =>
            {
                value = Some(unescape(raw)?.into_owned());
            }
            "office:boolean-value" if value.is_none() => {
                value = Some(boolean_text(raw == "true" || raw == "TRUE").to_string());
            }
            "office:value-type" if value.is_none() => is_string = raw == "string",
            "calcext:value-type" => is_error = raw == "error",
            _ => {}
        }
    }
    let value = match value {
        None if is_string => CellValue::Content,
        Some(text) if is_error && text.is_empty() => CellValue::Content,
        Some(text) => CellValue::Attribute(text),
        None => CellValue::None,
    };
    Ok((repeats, value))
}

/// One attribute's value, unescaped.
pub fn attribute<'e>(e: &'e BytesStart<'_>, key: &str) -> Result<Option<Cow<'e, str>>, Problem> {
    for pair in RawAttributes::new(e.attributes_raw()) {
        let (k, raw) = pair?;
        if k == key {
            return unescape(raw).map(Some);
        }
    }
    Ok(None)
}

pub fn unescape(raw: &str) -> Result<Cow<'_, str>, Problem> {
    quick_xml::escape::unescape(raw).map_err(|e| Problem::BadEscape {
        value: raw.into(),
        reason: e.to_string(),
    })
}

pub fn push_entity(reference: &BytesRef<'_>, text: &mut String) -> Result<(), Problem> {
    if let Some(predefined) = quick_xml::escape::resolve_predefined_entity(reference) {
        text.push_str(predefined);
        return Ok(());
    }
    match reference.resolve_char_ref() {
        Ok(Some(c)) => {
            text.push(c);
            Ok(())
        }
        _ => Err(Problem::UnknownEntity((**reference).to_string())),
    }
}

/// The `key="value"` pairs of a start tag, raw (values still escaped). quick-xml's own
/// attribute iterator checks and wraps each pair; this runs once per cell of a sheet of
/// millions, so it only splits. The tokenizer has already refused unclosed quotes.
pub struct RawAttributes<'a> {
    rest: &'a str,
}

impl<'a> RawAttributes<'a> {
    fn new(raw: &'a str) -> Self {
        RawAttributes { rest: raw }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Result<(&'a str, &'a str), Problem>;

    // Plain byte loops: this runs for every cell of the sheet, and with the release profile's
    // size optimisation char searching or closures here took a fifth of the reading time.
    // Every byte looked for is ASCII, so each slice boundary is a char boundary.
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let bytes = rest.as_bytes();
        let mut at = 0;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        self.rest = "";
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' {
            at += 1;
        }
        let key = rest.get(key_start..at).unwrap_or("").trim_ascii_end();
        if at == bytes.len() {
            return Some(Err(Problem::AttributeWithoutValue(key.into())));
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => return Some(Err(Problem::UnquotedAttribute(key.into()))),
        };
        let value_start = at + 1;
        at = value_start;
        while at < bytes.len() && bytes[at] != quote {
            at += 1;
        }
        self.rest = rest.get(at + 1..).unwrap_or("");
        Some(Ok((key, rest.get(value_start..at).unwrap_or(""))))
    }
}
