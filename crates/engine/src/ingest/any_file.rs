//! Reading one file of whatever kind it is, as every caller (the `cqc` command, the browser's
//! worker) does: the kind is `FileKind`'s decision, never the caller's.

use super::api::read_api_response;
use super::api_provider::ProviderRecord;
use super::history::{is_rating_history, read_rating_history, RatingHistory};
use super::kind::FileKind;
use super::report::{IngestError, IngestIssue};
use super::screen::read_latest_ratings_as_of;
use super::Ingested;
use crate::model::Location;

/// What one file gave.
#[derive(Debug, Clone)]
pub enum FileContent {
    /// A Latest ratings file (CSV, ODS, XLSX), with its row accounting.
    LatestRatings(Ingested),
    /// One API location response: a location, or the one issue that made it unusable (an
    /// API response is one record, counted with the others of its kind).
    ApiLocation(Box<Result<Location, IngestIssue>>),
    /// One API provider response: its name for the locations it runs.
    ApiProvider(Box<Result<ProviderRecord, IngestIssue>>),
    /// A history of overall ratings, joined to the locations the other files give.
    RatingHistory(RatingHistory),
}

/// Reads a file by its kind (content first, name as a hint). An unusable file is an error
/// naming it; rows within it that cannot be used are reported in its accounting.
/// No date may be later than `today`, where the caller knows it (see
/// `screen::read_latest_ratings_as_of`).
pub fn read_file(
    name: &str,
    bytes: &[u8],
    today: Option<crate::model::Date>,
) -> Result<FileContent, IngestError> {
    let kind = FileKind::of(name, bytes);
    if let Some(limit) = kind.most_bytes_read_whole() {
        if bytes.len() as u64 > limit {
            return Err(IngestError::TooLarge {
                file: name.into(),
                bytes: bytes.len() as u64,
                limit,
            });
        }
    }
    match kind {
        FileKind::ApiJson => Ok(read_api_response(name, bytes)),
        FileKind::Csv if is_rating_history(bytes) => {
            Ok(FileContent::RatingHistory(read_rating_history(name, bytes)))
        }
        _ => read_latest_ratings_as_of(name, bytes, today).map(FileContent::LatestRatings),
    }
}
