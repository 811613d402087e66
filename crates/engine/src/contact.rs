//! Links made from a location's phone number and website as CQC's data gives them. The text
//! comes from a file anyone may have edited, so a page links only to what is plainly a phone
//! number or an ordinary website, and shows anything else as text.

/// The `tel:` address of a phone number, or `None` if the text is not plainly one: digits,
/// spaces, brackets and dashes, with at most a leading `+`, and between 7 and 15 digits.
pub fn phone_link(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-'));
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let plus = if trimmed.starts_with('+') { "+" } else { "" };
    (allowed && (7..=15).contains(&digits.len())).then(|| format!("tel:{plus}{digits}"))
}

/// Whether `host` is a plain domain name: dot-separated labels of letters, digits and inner
/// hyphens, a top-level label of letters, and nothing else (no user, port or address).
fn is_plain_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    labels.len() >= 2
        && host.len() <= 253
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The web address to link a website to, or `None` to show it as text: an `http` or `https`
/// address, or (as CQC mostly writes them) a bare "www.example.org", whose host is a plain
/// domain. A bare address is linked over https.
pub fn website_link(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &trimmed["https://".len()..])
    } else if lower.starts_with("http://") {
        ("http://", &trimmed["http://".len()..])
    } else if lower.contains("://") || lower.contains(':') {
        return None;
    } else {
        ("https://", trimmed)
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let path_ok = path
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`'));
    (is_plain_domain(host) && path_ok)
        .then(|| format!("{scheme}{}{path}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links_only_when_plain() {
        assert_eq!(
            phone_link("01616653185").as_deref(),
            Some("tel:01616653185")
        );
        assert_eq!(
            phone_link(" 0161 665 3185 ").as_deref(),
            Some("tel:01616653185")
        );
        assert_eq!(
            phone_link("+44 (0)161 665-3185").as_deref(),
            Some("tel:+4401616653185")
        );
        assert_eq!(phone_link("123"), None);
        assert_eq!(phone_link("0161 ext. 5"), None);
        assert_eq!(phone_link("javascript:alert(1)"), None);
        assert_eq!(phone_link(""), None);
    }

    #[test]
    fn websites_link_only_to_plain_domains_over_http() {
        assert_eq!(
            website_link("www.brook.org.uk").as_deref(),
            Some("https://www.brook.org.uk")
        );
        assert_eq!(
            website_link("http://WWW.Example.com/care?x=1").as_deref(),
            Some("http://www.example.com/care?x=1")
        );
        assert_eq!(
            website_link("HTTPS://example.nhs.uk/").as_deref(),
            Some("https://example.nhs.uk/")
        );
        for refused in [
            "javascript:alert(1)",
            "ftp://example.com",
            "https://user@example.com",
            "https://example.com:8080",
            "https://192.168.0.1",
            "https://localhost",
            "https://exa mple.com",
            "https://-bad.com",
            "www.example.com/\"onclick",
            "",
        ] {
            assert_eq!(website_link(refused), None, "{refused}");
        }
    }
}
