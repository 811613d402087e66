//! One chunk: a run of consecutive locations stored column by column (all ids, then all names,
//! …, then every rating's group, …), decodable on its own given the string table. Grouping a
//! field's values puts similar bytes next to each other for gzip and brotli, and chunking lets
//! the browser decode a few thousand locations, yield, and go on.

use super::codes::{
    date_from_unix_day, domain_code, domain_from, key_question_code, key_question_from,
    not_rated_code, not_rated_from, rating_value_code, rating_value_from, unix_day,
};
use super::strings::{RefDecoder, RefEncoder, StringTable, StringTableBuilder};
use super::wire::{put_flag, put_varint, unzigzag, zigzag, ByteReader};
use super::SnapshotError;
use crate::model::{
    Date, Location, PublishedRating, RatingValue, SafAssessment, SafKeyQuestion, SafStatement,
};
use std::cell::Cell;

/// CQC's own report address for a location; almost every location links to exactly this, so
/// the snapshot stores a code instead of the URL.
const REPORT_URL_HTTPS: &str = "https://www.cqc.org.uk/location/";
const REPORT_URL_HTTP: &str = "http://www.cqc.org.uk/location/";

/// `report_url` codes below this are the fixed cases; from it on, a string reference follows.
const REPORT_URL_NONE: u64 = 0;
const REPORT_URL_CQC_HTTPS: u64 = 1;
const REPORT_URL_CQC_HTTP: u64 = 2;
const REPORT_URL_OTHER: u64 = 3;

/// A rating's domain, value and inherited flag share one byte: bits 0–2 domain, 3–6 value,
/// 7 inherited.
const INHERITED_BIT: u8 = 0x80;

/// Dates are stored as the difference in days from the previous date of the same column in the
/// chunk (the first from 1970-01-01), plus one so that 0 can mean "no date": the six ratings of
/// one inspection share a date, so most differences are 0.
#[derive(Default)]
struct DateEncoder {
    previous: i64,
}

impl DateEncoder {
    fn put(&mut self, out: &mut Vec<u8>, date: Option<Date>) {
        match date {
            None => put_varint(out, 0),
            Some(date) => {
                let day = unix_day(date);
                put_varint(out, zigzag(day - self.previous) + 1);
                self.previous = day;
            }
        }
    }
}

#[derive(Default)]
struct DateDecoder {
    previous: i64,
}

impl DateDecoder {
    fn read(&mut self, r: &mut ByteReader<'_>, what: &str) -> Result<Option<Date>, SnapshotError> {
        let code = r.varint(what)?;
        if code == 0 {
            return Ok(None);
        }
        let delta = unzigzag(code - 1);
        let (day, date) = self
            .previous
            .checked_add(delta)
            .and_then(|day| Some((day, date_from_unix_day(day)?)))
            .ok_or_else(|| r.corrupt(format_args!("{what} is not a representable date")))?;
        self.previous = day;
        Ok(Some(date))
    }
}

/// Writes one string column: a reference per value.
fn put_strings<'s>(
    out: &mut Vec<u8>,
    table: &mut StringTableBuilder<'s>,
    values: impl Iterator<Item = &'s str>,
) {
    let mut column = RefEncoder::default();
    for text in values {
        put_varint(out, column.code(table.intern(text)));
    }
}

/// Writes an optional string column: 0 for none, else the reference plus one.
fn put_optional_strings<'s>(
    out: &mut Vec<u8>,
    table: &mut StringTableBuilder<'s>,
    values: impl Iterator<Item = Option<&'s str>>,
) {
    let mut column = RefEncoder::default();
    for text in values {
        match text {
            None => put_varint(out, 0),
            Some(text) => put_varint(out, column.code(table.intern(text)) + 1),
        }
    }
}

fn optional_string<'a>(
    column: &mut RefDecoder<'_, 'a>,
    r: &mut ByteReader<'_>,
    what: &str,
) -> Result<Option<&'a str>, SnapshotError> {
    match r.varint(what)? {
        0 => Ok(None),
        code => column.resolve(unzigzag(code - 1), r, what).map(Some),
    }
}

/// The fewest bytes one item can take in a chunk: a location has 17 fields of at least a byte
/// each, a rating 4, an assessment 6. Counts are checked against them before anything is
/// allocated, so a hostile count cannot make the decoder reserve far more memory than the input
/// could fill.
pub(super) const MIN_LOCATION_BYTES: usize = 17;
const MIN_RATING_BYTES: usize = 4;
const MIN_ASSESSMENT_BYTES: usize = 6;

/// One count per location; their sum, at `min_bytes_each`, must fit in the bytes left.
fn counts(
    r: &mut ByteReader<'_>,
    locations: usize,
    min_bytes_each: usize,
    what: &str,
) -> Result<(Vec<usize>, usize), SnapshotError> {
    let mut counts = Vec::with_capacity(locations);
    let mut total = 0usize;
    for _ in 0..locations {
        let n = r.count(what)?;
        total = total
            .checked_add(n)
            .filter(|&t| {
                t.checked_mul(min_bytes_each)
                    .is_some_and(|b| b <= r.remaining())
            })
            .ok_or_else(|| r.corrupt(format_args!("the {what}s add up to more than the chunk")))?;
        counts.push(n);
    }
    Ok((counts, total))
}

fn optional_rating_value_byte(
    r: &mut ByteReader<'_>,
    what: &str,
) -> Result<Option<RatingValue>, SnapshotError> {
    match r.byte(what)? {
        0 => Ok(None),
        code => rating_value_from(code - 1)
            .map(Some)
            .ok_or_else(|| r.corrupt(format_args!("{what} code {code} is unknown"))),
    }
}

/// Appends the chunk's bytes for `locations` to `out`, adding their strings to `table`.
pub(super) fn encode_chunk<'s>(
    locations: &'s [Location],
    table: &mut StringTableBuilder<'s>,
    out: &mut Vec<u8>,
) {
    let all = || locations.iter();
    put_strings(out, table, all().map(|l| l.id.as_str()));
    put_strings(out, table, all().map(|l| l.name.as_str()));
    put_strings(out, table, all().map(|l| l.provider_id.as_str()));
    put_strings(out, table, all().map(|l| l.provider_name.as_str()));
    put_optional_strings(out, table, all().map(|l| l.brand_id.as_deref()));
    put_optional_strings(out, table, all().map(|l| l.brand_name.as_deref()));
    put_strings(out, table, all().map(|l| l.location_type.as_str()));
    put_strings(out, table, all().map(|l| l.inspection_category.as_str()));
    for l in all() {
        put_flag(out, l.care_home);
    }
    put_strings(out, table, all().map(|l| l.street.as_str()));
    put_strings(out, table, all().map(|l| l.city.as_str()));
    put_strings(out, table, all().map(|l| l.postcode.as_str()));
    put_strings(out, table, all().map(|l| l.local_authority.as_str()));
    put_strings(out, table, all().map(|l| l.region.as_str()));

    let mut urls = RefEncoder::default();
    for l in all() {
        // A URL is rebuilt from the ID on decoding only when the ID is a checked CQC ID.
        let from_id = is_checked_id(&l.id);
        let code = match l.report_url.as_deref() {
            None => REPORT_URL_NONE,
            Some(url) if from_id && url.strip_prefix(REPORT_URL_HTTPS) == Some(l.id.as_str()) => {
                REPORT_URL_CQC_HTTPS
            }
            Some(url) if from_id && url.strip_prefix(REPORT_URL_HTTP) == Some(l.id.as_str()) => {
                REPORT_URL_CQC_HTTP
            }
            Some(url) => REPORT_URL_OTHER + urls.code(table.intern(url)),
        };
        put_varint(out, code);
    }
    for l in all() {
        put_varint(out, l.ratings.len() as u64);
    }
    for l in all() {
        put_varint(out, l.assessments.len() as u64);
    }

    let ratings = || locations.iter().flat_map(|l| &l.ratings);
    put_strings(out, table, ratings().map(|r| r.group.as_str()));
    for rating in ratings() {
        let inherited = if rating.inherited { INHERITED_BIT } else { 0 };
        out.push(domain_code(rating.domain) | rating_value_code(rating.value) << 3 | inherited);
    }
    let mut published = DateEncoder::default();
    for rating in ratings() {
        published.put(out, rating.published);
    }
    put_optional_strings(out, table, ratings().map(|r| r.report_type.as_deref()));

    // Assessments are rare (a few per thousand locations in real data), so they are stored
    // row by row rather than in columns.
    let mut plan_ids = RefEncoder::default();
    let mut service_groups = RefEncoder::default();
    let mut assessment_dates = DateEncoder::default();
    let mut assessment_published = DateEncoder::default();
    let mut key_question_dates = DateEncoder::default();
    for assessment in locations.iter().flat_map(|l| &l.assessments) {
        put_varint(out, plan_ids.code(table.intern(&assessment.plan_id)));
        put_varint(
            out,
            service_groups.code(table.intern(&assessment.service_group)),
        );
        assessment_dates.put(out, assessment.assessment_date);
        assessment_published.put(out, assessment.published);
        out.push(assessment.rating.map_or(0, |v| rating_value_code(v) + 1));
        put_varint(out, assessment.key_questions.len() as u64);
        for kq in &assessment.key_questions {
            out.push(key_question_code(kq.key_question));
            out.push(kq.rating.map_or(0, |v| rating_value_code(v) + 1));
            put_varint(out, kq.percentage.map_or(0, |p| u64::from(p) + 1));
            put_flag(out, kq.assessed);
            key_question_dates.put(out, kq.date);
            put_varint(out, kq.statements.len() as u64);
            for statement in &kq.statements {
                out.push(statement.id);
                put_varint(out, statement.score.map_or(0, |s| u64::from(s) + 1));
                out.push(statement.unrated.map_or(0, |k| not_rated_code(k) + 1));
                put_flag(out, statement.assessed);
            }
        }
    }

    // Detail (registration, history, commentary, facts) is nested and absent for every
    // location the Latest ratings file alone describes: one byte each for those, a
    // length-prefixed postcard record for the others.
    for l in all() {
        if l.detail.is_empty() {
            put_varint(out, 0);
        } else {
            // Plain owned data (no maps, no foreign Serialize impls) into a Vec: postcard's
            // only failure modes do not arise.
            let bytes =
                postcard::to_allocvec(&l.detail).expect("a location's detail always serialises");
            put_varint(out, bytes.len() as u64);
            out.extend_from_slice(&bytes);
        }
    }
}

/// How much text a snapshot's chunks may copy out of its string table, per byte of the file. A
/// repeated string costs one byte however long it is, so without a cap a kilobyte could ask
/// for gigabytes (one long string referred to thousands of times). Real snapshots copy 3 to 5
/// bytes per byte of file; even one of nothing but one-byte references to hundred-character
/// strings stays under this.
pub(super) const COPY_PER_FILE_BYTE: usize = 128;
/// ... plus this much, so that a small file of long strings is never refused.
pub(super) const COPY_ALLOWANCE: usize = 1 << 20;

/// Text copied out of the string table, drawn from what the snapshot as a whole may copy.
struct CopyBudget<'b> {
    left: &'b Cell<usize>,
}

impl CopyBudget<'_> {
    fn charge(&mut self, bytes: usize, r: &ByteReader<'_>) -> Result<(), SnapshotError> {
        let left = self.left.get().checked_sub(bytes).ok_or_else(|| {
            r.corrupt(format_args!(
                "its strings would copy more than {COPY_PER_FILE_BYTE} times the file's size"
            ))
        })?;
        self.left.set(left);
        Ok(())
    }

    fn copy(&mut self, text: &str, r: &ByteReader<'_>) -> Result<String, SnapshotError> {
        self.charge(text.len(), r)?;
        Ok(text.to_owned())
    }

    fn copy_optional(
        &mut self,
        text: Option<&str>,
        r: &ByteReader<'_>,
    ) -> Result<Option<String>, SnapshotError> {
        text.map(|t| self.copy(t, r)).transpose()
    }
}

/// Reads a chunk of `count` locations; `r` must cover exactly the chunk's bytes.
pub(super) fn decode_chunk(
    mut r: ByteReader<'_>,
    table: &StringTable<'_>,
    count: usize,
    copy_budget: &Cell<usize>,
) -> Result<Vec<Location>, SnapshotError> {
    let mut budget = CopyBudget { left: copy_budget };
    let mut locations = vec![Location::default(); count];
    macro_rules! string_column {
        ($field:ident, $what:literal) => {{
            let mut column = RefDecoder::new(table);
            for l in locations.iter_mut() {
                let text = column.read(&mut r, $what)?;
                l.$field = budget.copy(text, &r)?;
            }
        }};
    }
    macro_rules! optional_string_column {
        ($field:ident, $what:literal) => {{
            let mut column = RefDecoder::new(table);
            for l in locations.iter_mut() {
                let text = optional_string(&mut column, &mut r, $what)?;
                l.$field = budget.copy_optional(text, &r)?;
            }
        }};
    }
    string_column!(id, "location id");
    string_column!(name, "location name");
    string_column!(provider_id, "provider id");
    string_column!(provider_name, "provider name");
    optional_string_column!(brand_id, "brand id");
    optional_string_column!(brand_name, "brand name");
    string_column!(location_type, "location type");
    string_column!(inspection_category, "inspection category");
    for l in locations.iter_mut() {
        l.care_home = r.flag("care home flag")?;
    }
    string_column!(street, "street");
    string_column!(city, "city");
    string_column!(postcode, "postcode");
    string_column!(local_authority, "local authority");
    string_column!(region, "region");

    let mut urls = RefDecoder::new(table);
    for l in locations.iter_mut() {
        let code = r.varint("report url")?;
        if matches!(code, REPORT_URL_CQC_HTTPS | REPORT_URL_CQC_HTTP) && !is_checked_id(&l.id) {
            return Err(r.corrupt(format_args!(
                "report url is to be built from the location id {:?}, which is not a CQC location id",
                l.id
            )));
        }
        l.report_url = match code {
            REPORT_URL_NONE => None,
            REPORT_URL_CQC_HTTPS => {
                budget.charge(REPORT_URL_HTTPS.len() + l.id.len(), &r)?;
                Some(format!("{REPORT_URL_HTTPS}{}", l.id))
            }
            REPORT_URL_CQC_HTTP => {
                budget.charge(REPORT_URL_HTTP.len() + l.id.len(), &r)?;
                Some(format!("{REPORT_URL_HTTP}{}", l.id))
            }
            code => {
                let delta = unzigzag(code - REPORT_URL_OTHER);
                let url = urls.resolve(delta, &r, "report url")?;
                Some(budget.copy(url, &r)?)
            }
        };
    }

    let (rating_counts, total_ratings) = counts(&mut r, count, MIN_RATING_BYTES, "rating count")?;
    let (assessment_counts, _) = counts(&mut r, count, MIN_ASSESSMENT_BYTES, "assessment count")?;

    // Each rating column is read whole, then the columns are zipped into ratings.
    let mut groups = Vec::with_capacity(total_ratings);
    let mut column = RefDecoder::new(table);
    for _ in 0..total_ratings {
        groups.push(column.read(&mut r, "rating group")?);
    }
    let mut kinds = Vec::with_capacity(total_ratings);
    for _ in 0..total_ratings {
        let code = r.byte("rating code")?;
        let domain = domain_from(code & 0x07);
        let value = rating_value_from((code & !INHERITED_BIT) >> 3);
        match (domain, value) {
            (Some(domain), Some(value)) => kinds.push((domain, value, code & INHERITED_BIT != 0)),
            _ => return Err(r.corrupt(format_args!("rating code {code:#04x} is unknown"))),
        }
    }
    let mut dates = Vec::with_capacity(total_ratings);
    let mut published = DateDecoder::default();
    for _ in 0..total_ratings {
        dates.push(published.read(&mut r, "rating date")?);
    }
    let mut report_types = RefDecoder::new(table);
    let mut ratings = Vec::with_capacity(total_ratings);
    for ((group, (domain, value, inherited)), published) in groups.into_iter().zip(kinds).zip(dates)
    {
        let report_type = optional_string(&mut report_types, &mut r, "report type")?;
        ratings.push(PublishedRating {
            group: budget.copy(group, &r)?,
            domain,
            value,
            published,
            report_type: budget.copy_optional(report_type, &r)?,
            inherited,
        });
    }
    let mut ratings = ratings.into_iter();
    for (l, n) in locations.iter_mut().zip(rating_counts) {
        l.ratings = ratings.by_ref().take(n).collect();
    }

    let mut plan_ids = RefDecoder::new(table);
    let mut service_groups = RefDecoder::new(table);
    let mut assessment_dates = DateDecoder::default();
    let mut assessment_published = DateDecoder::default();
    let mut key_question_dates = DateDecoder::default();
    for (l, n) in locations.iter_mut().zip(assessment_counts) {
        let mut assessments = Vec::with_capacity(n);
        for _ in 0..n {
            let plan_id = plan_ids.read(&mut r, "assessment plan id")?;
            let plan_id = budget.copy(plan_id, &r)?;
            let service_group = service_groups.read(&mut r, "assessment service group")?;
            let service_group = budget.copy(service_group, &r)?;
            let assessment_date = assessment_dates.read(&mut r, "assessment date")?;
            let published = assessment_published.read(&mut r, "assessment publication date")?;
            let rating = optional_rating_value_byte(&mut r, "assessment rating")?;
            let kq_count = r.count("key question count")?;
            // Grown as decoded: nested counts are only bounded by the bytes left.
            let mut key_questions = Vec::new();
            for _ in 0..kq_count {
                let code = r.byte("key question")?;
                let key_question = key_question_from(code).ok_or_else(|| {
                    r.corrupt(format_args!("key question code {code} is unknown"))
                })?;
                let rating = optional_rating_value_byte(&mut r, "key question rating")?;
                let percentage = match r.varint("key question percentage")? {
                    0 => None,
                    p => Some(u8::try_from(p - 1).map_err(|_| {
                        r.corrupt(format_args!(
                            "key question percentage {} exceeds 255",
                            p - 1
                        ))
                    })?),
                };
                let assessed = r.flag("key question assessed flag")?;
                let date = key_question_dates.read(&mut r, "key question date")?;
                let statement_count = r.count("statement count")?;
                let mut statements = Vec::new();
                for _ in 0..statement_count {
                    let id = r.byte("statement id")?;
                    let score = match r.varint("statement score")? {
                        0 => None,
                        s => Some(u8::try_from(s - 1).map_err(|_| {
                            r.corrupt(format_args!("statement score {} exceeds 255", s - 1))
                        })?),
                    };
                    let unrated = match r.byte("statement unrated kind")? {
                        0 => None,
                        code => Some(not_rated_from(code - 1).ok_or_else(|| {
                            r.corrupt(format_args!("unrated kind code {code} is unknown"))
                        })?),
                    };
                    let assessed = r.flag("statement assessed flag")?;
                    statements.push(SafStatement {
                        id,
                        score,
                        unrated,
                        assessed,
                    });
                }
                key_questions.push(SafKeyQuestion {
                    key_question,
                    rating,
                    percentage,
                    assessed,
                    date,
                    statements,
                });
            }
            assessments.push(SafAssessment {
                plan_id,
                service_group,
                assessment_date,
                published,
                rating,
                key_questions,
            });
        }
        l.assessments = assessments;
    }
    for l in locations.iter_mut() {
        let len = r.count("detail length")?;
        if len == 0 {
            continue;
        }
        let bytes = r.take(len, "detail")?;
        // A record's text is at most its length; it is charged like the string table's.
        budget.charge(len, &r)?;
        l.detail = postcard::from_bytes(bytes)
            .map_err(|e| r.corrupt(format_args!("a location's detail does not decode: {e}")))?;
    }
    r.finish()?;
    Ok(locations)
}

/// Whether a location ID has one of CQC's shapes, so a report URL may be built from it.
fn is_checked_id(id: &str) -> bool {
    crate::ingest::validate::id_problem(id, crate::ingest::validate::IdKind::Location).is_none()
}
