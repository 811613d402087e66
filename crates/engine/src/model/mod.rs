//! The canonical data model: ratings, key questions, quality statements, evidence and locations.
//!
//! Everything here is plain data with serde derives. It knows nothing of files, rules or the
//! browser; ingest fills it, the rule engine reads it, the snapshot stores it.

mod date;
mod detail;
mod evidence;
mod key_question;
mod location;
mod quality_statement;
mod rating;

pub use date::{
    format_date, format_dmy, format_long_date, format_year, format_years, parse_cqc_date,
    years_between, years_from_days, Date,
};
pub use detail::{
    Commentary, CommentaryScope, Facts, HistoricRating, HistorySource, LocationDetail,
    Registration, RegistrationStatus, Relationship, RelationshipKind, Report,
};
pub use evidence::{KqInput, QsInput, QsStatus, RatingInput, ScoreSource, ServiceInput};
pub use key_question::{Domain, KeyQuestion};
pub use location::{
    Location, OwnRatings, PublishedRating, SafAssessment, SafKeyQuestion, SafStatement, Snapshot,
    SnapshotMeta, ASSESSMENT_REPORT_TYPE, OVERALL_GROUP, SNAPSHOT_FORMAT_VERSION,
};
pub use quality_statement::{
    quality_statement, quality_statements_for, EvidenceCategory, QualityStatementDef,
    QUALITY_STATEMENTS,
};
pub use rating::{NotRatedKind, Rating, RatingValue, NOT_RATED_LABEL};
