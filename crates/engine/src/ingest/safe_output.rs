//! Text from CQC's files made safe for where it is written: a CSV cell that a spreadsheet would
//! run as a formula, and terminal output that control characters would drive. One function
//! for each, used by the CLI's exports and messages and by the browser's download alike.

use std::borrow::Cow;

/// A CSV cell that a spreadsheet opens as text, never as a formula (OWASP's CSV-injection
/// guidance): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, which Excel, LibreOffice and Google Sheets take as "this is text" and do not
/// show. Two cases are left as they are, as neither can run: a number such as `-3` or `-0.5`
/// (a spreadsheet reads it as that number, and rewriting it would turn numbers into text) and
/// a lone `-`, which CQC's own files write for "no brand" (a round trip through `cqc export`
/// keeps it).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let starts_a_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !starts_a_formula || cell == "-" || is_plain_number(cell) {
        return Cow::Borrowed(cell);
    }
    Cow::Owned(format!("'{cell}"))
}

/// An optional sign, digits, and at most one decimal point with digits after it.
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Text for a terminal: every control character (escape sequences could clear the screen,
/// move the cursor or retitle the window) and every invisible or bidirectional character
/// (which could reorder what is shown) written as `<U+001B>`. Line breaks inside one message
/// are shown too, so a value cannot forge a line of its own.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    super::validate::make_visible(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        for (cell, expected) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+44 1743 000000", "'+44 1743 000000"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("-", "-"),
            ("-3", "-3"),
            ("-0.5", "-0.5"),
            ("Gilbert Court", "Gilbert Court"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(spreadsheet_safe(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(
            terminal_safe("Care\u{1b}]0;pwned\u{7}"),
            "Care<U+001B>]0;pwned<U+0007>"
        );
        assert_eq!(terminal_safe("line\nforged"), "line<U+000A>forged");
        assert_eq!(terminal_safe("Café"), "Café");
        assert_eq!(terminal_safe("\u{202E}abc"), "<U+202E>abc");
    }
}
