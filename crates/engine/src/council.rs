//! Councils: CQC's assessments of local authorities' adult social care duties under the Care Act
//! 2014. Each council is scored 1–4 on nine quality statements of its own (four themes, not the
//! 34 statements providers are assessed on), and CQC rates it by one percentage over the nine
//! ("We combine the scores for all the quality statements assessed to give an overall score as a
//! percentage. All quality statements are weighted equally"), with the single assessment
//! framework's bands and no limiters.
//!
//! This module reads the published table of those assessments (one row a council: its name,
//! type, published rating, nine scores and month), recomputes each with the engine's rule
//! ([`local_authority_overall`]), and finds the single score changes that would move a rating.

use crate::model::{Rating, RatingValue};
use crate::rules::saf::local_authority_overall;
use crate::rules::{KqScore, RuleParams};
use serde::Serialize;

/// One of the nine quality statements a council is assessed on, in CQC's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CouncilStatement {
    /// The column the published table gives its score in.
    pub column: &'static str,
    pub title: &'static str,
    pub theme: &'static str,
}

/// CQC's local-authority assessment framework: nine quality statements in four themes.
pub const COUNCIL_STATEMENTS: [CouncilStatement; 9] = [
    CouncilStatement {
        column: "QS1Assess",
        title: "Assessing needs",
        theme: "Working with people",
    },
    CouncilStatement {
        column: "QS2Support",
        title: "Supporting people to live healthier lives",
        theme: "Working with people",
    },
    CouncilStatement {
        column: "QS3Equity",
        title: "Equity in experience and outcomes",
        theme: "Working with people",
    },
    CouncilStatement {
        column: "QS4Care",
        title: "Care provision, integration and continuity",
        theme: "Providing support",
    },
    CouncilStatement {
        column: "QS5Partner",
        title: "Partnerships and communities",
        theme: "Providing support",
    },
    CouncilStatement {
        column: "QS6Safe",
        title: "Safe pathways, systems and transitions",
        theme: "How the local authority ensures safety within the system",
    },
    CouncilStatement {
        column: "QS7Safeguard",
        title: "Safeguarding",
        theme: "How the local authority ensures safety within the system",
    },
    CouncilStatement {
        column: "QS8Govern",
        title: "Governance, management and sustainability",
        theme: "Leadership",
    },
    CouncilStatement {
        column: "QS9Learn",
        title: "Learning, improvement and innovation",
        theme: "Leadership",
    },
];

/// Where CQC says how councils' ratings are determined.
pub const COUNCIL_RULES_SOURCE: &str =
    "https://www.cqc.org.uk/guidance-regulation/local-authorities/how-we-determine-ratings";

/// One council's published assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CouncilAssessment {
    pub name: String,
    /// "County Council", "London Borough", "Unitary Authority", …
    pub kind: String,
    /// CQC's published overall rating; "Not Rated" is a real published value (County Durham).
    pub published: RatingValue,
    /// The nine statement scores, in [`COUNCIL_STATEMENTS`] order.
    pub scores: [u8; 9],
    /// The month CQC published the assessment, as the table gives it ("February 2025").
    pub month: String,
}

/// How a council's published rating compares with the rules' result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CouncilAgreement {
    Agrees,
    Differs,
    /// CQC published no rating ("Not Rated"), so there is nothing to compare with.
    NotRated,
}

impl CouncilAssessment {
    /// The rules' result for these scores: points, percentage, band and rating.
    pub fn recompute(&self, params: &RuleParams) -> Option<KqScore> {
        recompute_scores(&self.scores, params)
    }

    pub fn agreement(&self, params: &RuleParams) -> CouncilAgreement {
        match self.published.rated() {
            Some(published) if self.recompute(params).map(|r| r.rating) == Some(published) => {
                CouncilAgreement::Agrees
            }
            Some(_) => CouncilAgreement::Differs,
            None => CouncilAgreement::NotRated,
        }
    }

    /// The name as a URL path segment: lower case, words joined by `-` ("county-durham").
    pub fn slug(&self) -> String {
        slug(&self.name)
    }
}

/// The rules' result for nine council scores. `None` only if the rule has no answer for them,
/// which it always has for nine scores of 1–4 (all the reader and the what-if make).
pub fn recompute_scores(scores: &[u8; 9], params: &RuleParams) -> Option<KqScore> {
    local_authority_overall(scores, params)
}

fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

/// One change of one statement's score that changes the council's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScoreMove {
    /// Index into [`COUNCIL_STATEMENTS`].
    pub statement: usize,
    pub from: u8,
    pub to: u8,
    pub rating: Rating,
}

/// For each statement, the nearest score that would raise the rating and the nearest that would
/// lower it, with everything else as it is: "which single score would move it". Statements whose
/// every possible score leaves the rating where it is are not listed.
pub fn single_score_moves(scores: &[u8; 9], params: &RuleParams) -> Vec<ScoreMove> {
    let Some(now) = recompute_scores(scores, params).map(|r| r.rating) else {
        return Vec::new();
    };
    let mut moves = Vec::new();
    for (statement, &from) in scores.iter().enumerate() {
        let first_change = |mut candidates: Box<dyn Iterator<Item = u8>>| {
            candidates.find_map(|to| {
                let mut edited = *scores;
                edited[statement] = to;
                let rating = recompute_scores(&edited, params)?.rating;
                (rating != now).then_some(ScoreMove {
                    statement,
                    from,
                    to,
                    rating,
                })
            })
        };
        moves.extend(first_change(Box::new(from + 1..=MAX_COUNCIL_SCORE)));
        moves.extend(first_change(Box::new((MIN_COUNCIL_SCORE..from).rev())));
    }
    moves
}

const MIN_COUNCIL_SCORE: u8 = 1;
const MAX_COUNCIL_SCORE: u8 = 4;

/// A problem in the table of council assessments, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouncilError {
    #[error("{file}: not a table of council assessments: {reason}")]
    Table { file: String, reason: String },
    #[error("{file}, row {row}, column {column:?}: {value:?} is not {expected}")]
    Cell {
        file: String,
        row: usize,
        column: String,
        value: String,
        expected: &'static str,
    },
}

/// Reads the published table of council assessments (CSV with the columns `Authority Name`,
/// `Type`, `Overall`, `QS1Assess` … `QS9Learn` and `Date`; others are ignored). Rows are
/// numbered as a spreadsheet shows them: the header is row 1.
pub fn read_councils(file: &str, text: &str) -> Result<Vec<CouncilAssessment>, CouncilError> {
    let table_error = |reason: String| CouncilError::Table {
        file: file.to_string(),
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| table_error(e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| table_error(format!("it has no {name:?} column")))
    };
    let name_col = column("Authority Name")?;
    let kind_col = column("Type")?;
    let overall_col = column("Overall")?;
    let month_col = column("Date")?;
    let mut score_cols = [0usize; 9];
    for (slot, statement) in score_cols.iter_mut().zip(COUNCIL_STATEMENTS.iter()) {
        *slot = column(statement.column)?;
    }

    let mut councils = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = record.map_err(|e| table_error(format!("row {row}: {e}")))?;
        let cell = |col: usize| record.get(col).unwrap_or("").trim();
        let bad = |col: usize, expected: &'static str| CouncilError::Cell {
            file: file.to_string(),
            row,
            column: headers.get(col).unwrap_or("").to_string(),
            value: cell(col).to_string(),
            expected,
        };
        let name = cell(name_col);
        if name.is_empty() {
            return Err(bad(name_col, "a council's name"));
        }
        let published =
            RatingValue::parse(cell(overall_col)).ok_or_else(|| bad(overall_col, "a rating"))?;
        let mut scores = [0u8; 9];
        for (score, &col) in scores.iter_mut().zip(score_cols.iter()) {
            *score = cell(col)
                .parse::<u8>()
                .ok()
                .filter(|s| (MIN_COUNCIL_SCORE..=MAX_COUNCIL_SCORE).contains(s))
                .ok_or_else(|| bad(col, "a score from 1 to 4"))?;
        }
        councils.push(CouncilAssessment {
            name: name.to_string(),
            kind: cell(kind_col).to_string(),
            published,
            scores,
            month: cell(month_col).to_string(),
        });
    }
    if councils.is_empty() {
        return Err(table_error("it has a header but no councils".into()));
    }
    Ok(councils)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Rank,Authority Name,Type,Overall,QS1Assess,QS2Support,QS3Equity,QS4Care,QS5Partner,QS6Safe,QS7Safeguard,QS8Govern,QS9Learn,Avg Score,Date";

    #[test]
    fn slugs_are_readable_path_segments() {
        assert_eq!(slug("County Durham"), "county-durham");
        assert_eq!(
            slug("Royal Borough of Kensington and Chelsea"),
            "royal-borough-of-kensington-and-chelsea"
        );
        assert_eq!(
            slug("Brighton & Hove City Council"),
            "brighton-hove-city-council"
        );
    }

    #[test]
    fn a_bad_score_names_its_row_column_and_value() {
        let text = format!(
            "{HEADER}\n1,Camden,London Borough,Outstanding,3,3,4,3,5,4,3,4,4,3.56,February 2025\n"
        );
        let error = read_councils("t.csv", &text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.csv, row 2, column \"QS5Partner\": \"5\" is not a score from 1 to 4"
        );
    }

    #[test]
    fn a_missing_column_and_an_empty_table_are_said() {
        let error = read_councils("t.csv", "Authority Name,Type\n").unwrap_err();
        assert!(
            error.to_string().contains("no \"Overall\" column"),
            "{error}"
        );
        let error = read_councils("t.csv", &format!("{HEADER}\n")).unwrap_err();
        assert!(error.to_string().contains("no councils"), "{error}");
    }

    #[test]
    fn single_moves_are_the_nearest_score_each_way() {
        // 27/36 = 75 %: Good. One statement from 3 to 1 gives 25/36 = 69 %, still Good; the
        // band edges are 63 % (23/36) and 88 % (32/36), so no single score moves it.
        let p = RuleParams::default();
        assert!(single_score_moves(&[3; 9], &p).is_empty());
        // 23/36 = 63.9 %: Good at the edge. Any statement one point lower gives 22/36 = 61 %:
        // Requires improvement; any statement higher stays Good.
        let edge = [3, 3, 3, 2, 2, 2, 3, 3, 2];
        let moves = single_score_moves(&edge, &p);
        assert!(moves
            .iter()
            .all(|m| m.rating == Rating::RequiresImprovement && m.to + 1 == m.from));
        assert_eq!(moves.len(), 9, "{moves:?}");
    }
}
