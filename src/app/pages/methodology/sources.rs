//! Links from the rule catalogue's sources to CQC's own pages. The catalogue names each source
//! in words ("CQC, \"Ratings principles: NHS trusts\" …"); a reader should be one click from
//! the page itself. Addresses are those in the algorithm spec's reference list; a source that
//! names no CQC page (an inference, a secondary source, a check against the data) gets none.

/// A distinctive part of a source's wording, the CQC page's title and its address. Checked in
/// order: the more specific names come first.
const CQC_PAGES: [(&str, &str, &str); 12] = [
    (
        "aggregation principle",
        "How we aggregate ratings using the rating principles: adult social care services",
        "https://www.cqc.org.uk/guidance-providers/adult-social-care/how-we-aggregate-ratings-using-rating-principles-adult-social",
    ),
    (
        "How we aggregate ratings",
        "How we aggregate ratings using the rating principles: adult social care services",
        "https://www.cqc.org.uk/guidance-providers/adult-social-care/how-we-aggregate-ratings-using-rating-principles-adult-social",
    ),
    (
        "Ratings principles: NHS trusts",
        "Ratings principles: NHS trusts",
        "https://www.cqc.org.uk/guidance-providers/nhs-trusts/ratings-principles-nhs-trusts",
    ),
    (
        "Ratings principles: primary medical services",
        "Ratings principles: primary medical services",
        "https://www.cqc.org.uk/guidance-providers/gps/ratings-principles-primary-medical-services",
    ),
    (
        "Continuation of regulatory history",
        "Continuation of regulatory history",
        "https://www.cqc.org.uk/guidance-regulation/providers/registration/continuation-regulatory-history",
    ),
    (
        "How we reach a rating",
        "How we reach a rating",
        "https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating",
    ),
    (
        "worked example",
        "Example: how we reach a rating (GP practice)",
        "https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating/example-gp-practice",
    ),
    (
        "How we score",
        "How we rate and score",
        "https://www.cqc.org.uk/what-we-do/how-we-do-our-job/ratings",
    ),
    (
        "Assessing quality and performance",
        "Assessing quality and performance",
        "https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance",
    ),
    (
        "local authority assessment",
        "Local authorities: how we determine ratings",
        "https://www.cqc.org.uk/guidance-regulation/local-authorities/how-we-determine-ratings",
    ),
    (
        "\"Ratings\" pages",
        "Ratings: adult social care services",
        "https://www.cqc.org.uk/guidance-providers/adult-social-care/ratings-adult-social-care-services",
    ),
    (
        "consultation",
        "Initial response to the consultation \"Better regulation, better care\"",
        "https://www.cqc.org.uk/about-us/how-we-involve-you/consultations/initial-response-public-consultation-better-regulation-better-care",
    ),
];

/// The CQC page a source names: its title and address.
pub fn cqc_page(source: &str) -> Option<(&'static str, &'static str)> {
    CQC_PAGES
        .iter()
        .find(|(key, _, _)| source.contains(key))
        .map(|(_, title, url)| (*title, *url))
}
