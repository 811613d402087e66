//! Published versus recomputed: for every location, whether CQC's published overall rating is
//! what the rules give, and if not, which kind of divergence it is; and the national summary
//! (agreement by sector and era, rating ages, ratings whose inputs span years).

pub mod levels;

use crate::model::{Date, Location, OwnRatings, Rating, RatingValue, Snapshot};
use crate::rules::{rate_verdict, rule_set_in_force_for_overall, Evidence, Explanation};
use crate::rules::{RateError, RuleParams, RuleSetId, VerdictMemo};
use serde::Serialize;
use std::borrow::Borrow;

/// Why a published rating differs from the rules' result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum DivergenceClass {
    /// Ratings inherited from a previous provider sit beside new ones.
    InheritedRatingsMixed,
    /// Some key questions are not rated, so the rules work on fewer inputs than CQC may have.
    UnratedInputs,
    /// The data contradicts itself (e.g. a key question published after the overall).
    DataInconsistency,
    /// The inputs are complete and consistent: inspectors departed from the principles, as
    /// CQC allows ("see the report").
    ProfessionalJudgement,
}

impl DivergenceClass {
    pub const ALL: [DivergenceClass; 4] = [
        DivergenceClass::ProfessionalJudgement,
        DivergenceClass::InheritedRatingsMixed,
        DivergenceClass::UnratedInputs,
        DivergenceClass::DataInconsistency,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DivergenceClass::ProfessionalJudgement => "professional judgement",
            DivergenceClass::InheritedRatingsMixed => "inherited ratings mixed",
            DivergenceClass::UnratedInputs => "unrated inputs",
            DivergenceClass::DataInconsistency => "data inconsistency",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            DivergenceClass::ProfessionalJudgement => "CQC allows inspectors to depart from the ratings principles and record why in the report; the published inputs are complete, so this is a judgement call. See the report.",
            DivergenceClass::InheritedRatingsMixed => "Some key-question ratings were inherited from a previous provider and others were not; CQC does not aggregate the two, so the published overall may rest on a different set of ratings.",
            DivergenceClass::UnratedInputs => "Some key questions are not rated, so the rules had fewer inputs than a full inspection.",
            DivergenceClass::DataInconsistency => "The published data contradicts itself (for example a key question published after the overall rating), so the overall was not re-aggregated when an input changed.",
        }
    }
}

/// The outcome of comparing one published overall rating with the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Agreement {
    Agrees,
    Diverges(DivergenceClass),
    /// No published overall rating, or no rated inputs to recompute one from.
    NotComparable,
}

/// Compares a published overall with the rules' result for the same inputs.
pub fn compare(
    published: Option<RatingValue>,
    published_date: Option<Date>,
    explanation: &Explanation,
) -> Agreement {
    let (Some(published), Some(recomputed)) =
        (published.and_then(RatingValue::rated), explanation.overall)
    else {
        return Agreement::NotComparable;
    };
    if published == recomputed {
        return Agreement::Agrees;
    }
    // Read in place, not collected: the national audit compares every diverging location.
    let rated = || {
        explanation
            .key_questions
            .iter()
            .filter(|k| k.rating.is_some())
    };
    let inherited = rated().filter(|k| k.inherited).count();
    let rated_count = rated().count();
    if inherited > 0 && inherited < rated_count {
        return Agreement::Diverges(DivergenceClass::InheritedRatingsMixed);
    }
    if rated_count < explanation.key_questions.len() {
        return Agreement::Diverges(DivergenceClass::UnratedInputs);
    }
    let newer_input = published_date
        .is_some_and(|overall| rated().any(|k| k.published_date.is_some_and(|d| d > overall)));
    if newer_input {
        return Agreement::Diverges(DivergenceClass::DataInconsistency);
    }
    Agreement::Diverges(DivergenceClass::ProfessionalJudgement)
}

/// One location's audit line. Lines are kept in the snapshot's order, so a line's position is
/// its location's index (the location's id and name are read from there, not copied).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocationAudit {
    pub sector: &'static str,
    pub rule_set: RuleSetId,
    pub published: Option<RatingValue>,
    pub published_date: Option<Date>,
    pub recomputed: Option<Rating>,
    pub agreement: Agreement,
    /// Days between the oldest and newest key-question rating behind the overall.
    pub input_span_days: Option<i64>,
    /// Age of the published overall at the data's date, in days.
    pub age_days: Option<i64>,
    /// Whether the published overall rests on quality-statement scores CQC published (an
    /// assessment's), rather than on ratings alone. Only then does agreement under a
    /// statement-scoring rule set say anything about the scoring rules.
    pub statement_scores: bool,
}

/// Rates a location under the rule set in force (`rules::rule_set_in_force`, the one policy
/// every caller uses) and compares. Only the ratings are computed (`rules::rate_verdict`): the
/// audit never reads the trace nor the statements.
pub fn audit_location(
    location: &Location,
    params: &RuleParams,
    as_of: Option<Date>,
) -> LocationAudit {
    let own = location.own_ratings();
    audit_location_in(location, own, sector_of(location), as_of, |evidence| {
        rate_verdict(evidence, params)
    })
}

/// [`audit_location`] with the location's own ratings read, its sector known, and its evidence
/// rated by `rate_with`: `rules::rate_verdict` (or the national audit's memo of it, which lends
/// its outcome), or (in the tests, to show the lines are the same) `rules::rate`, which records
/// everything.
fn audit_location_in<E: Borrow<Explanation>>(
    location: &Location,
    own: OwnRatings<'_>,
    sector: &'static str,
    as_of: Option<Date>,
    rate_with: impl FnOnce(&Evidence) -> Result<E, RateError>,
) -> LocationAudit {
    let published = own.overall;
    let rule_set = rule_set_in_force_for_overall(location, published);
    let evidence = Evidence::from_own_ratings(location, own, rule_set, as_of);
    // Evidence built from a published location is always valid; an error here would mean the
    // ingest let a bad score through, which is reported as "not comparable" rather than lost.
    let explanation = rate_with(&evidence).ok();
    let explanation = explanation.as_ref().map(Borrow::borrow);
    let agreement = match explanation {
        Some(e) => compare(
            published.map(|p| p.value),
            published.and_then(|p| p.published),
            e,
        ),
        None => Agreement::NotComparable,
    };
    LocationAudit {
        sector,
        rule_set,
        published: published.map(|p| p.value),
        published_date: published.and_then(|p| p.published),
        recomputed: explanation.and_then(|e| e.overall),
        agreement,
        input_span_days: explanation.and_then(|e| e.evidence_age.span_days),
        age_days: as_of
            .zip(published.and_then(|p| p.published))
            .map(|(at, d)| (at - d).num_days()),
        statement_scores: published
            .and_then(|p| location.assessment_behind(p))
            .is_some_and(levels::assessment_has_scores),
    }
}

/// The by-methodology group of an audit line: the rule set's name, with ratings under a
/// statement-scoring rule set that rest on ratings alone set apart, since their agreement says
/// nothing about the scoring (their statements were seeded from the very ratings compared).
fn rule_set_group(line: &LocationAudit) -> String {
    let name = crate::rules::rule_set_info(line.rule_set).name;
    if rule_set_key(line).1 {
        format!("{name}, {}", levels::BASIS_PRINCIPLES_ONLY)
    } else {
        name.to_string()
    }
}

/// What tells one [`rule_set_group`] from another without writing its name: the rule set, and
/// whether it is set apart as resting on ratings alone (the rule sets' names differ).
fn rule_set_key(line: &LocationAudit) -> (RuleSetId, bool) {
    let principles_only = line.rule_set.scores_statements() && !line.statement_scores;
    (line.rule_set, principles_only)
}

/// Agreement counts by group, in the order the groups are first met; each found by its key,
/// its name written once, when it is first met.
struct Groups<K> {
    keys: Vec<K>,
    counts: Vec<AgreementCount>,
}

impl<K> Default for Groups<K> {
    fn default() -> Self {
        Groups {
            keys: Vec::new(),
            counts: Vec::new(),
        }
    }
}

impl<K: PartialEq> Groups<K> {
    fn count(&mut self, key: K, agrees: bool, name: impl FnOnce() -> String) {
        let i = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.counts.push(AgreementCount {
                    group: name(),
                    ..Default::default()
                });
                self.counts.len() - 1
            }
        };
        self.counts[i].compared += 1;
        self.counts[i].agree += u32::from(agrees);
    }
}

/// The broad sector CQC files a location under. Called for every location by the audit and by
/// the search filters, so it compares without allocating.
pub fn sector_of(location: &Location) -> &'static str {
    let c = CaseInsensitive(&location.inspection_category);
    let t = CaseInsensitive(&location.location_type);
    if c.contains("adult social care")
        || c.contains("residential social care")
        || c.contains("community based adult")
        || t.contains("social care")
    {
        "Adult social care"
    } else if c.contains("gp") || c.contains("primary medical") || t.contains("primary medical") {
        "GP and primary medical"
    } else if c.contains("dentist") || c.contains("dental") || t.contains("dental") {
        // Not "dent" alone: that is inside "Independent".
        "Dental"
    } else if c.contains("hospital")
        || t.contains("nhs")
        || t.contains("healthcare")
        || t.contains("ambulance")
    {
        "Hospitals and independent healthcare"
    } else if location.inspection_category.is_empty() && location.location_type.is_empty() {
        "Unknown"
    } else {
        "Other"
    }
}

/// [`sector_of`] remembered for each (category, type) pair met: a national snapshot has a few
/// dozen pairs among 60,000 locations, and classifying reads each text several times over.
/// A pair is compared by its texts' lengths, then eight bytes at a time:
/// in WASM a `str` comparison is a call to a byte-by-byte `memcmp`, and hashing both texts
/// first cost more than the comparison it saved.
#[derive(Default)]
pub(crate) struct Sectors<'a> {
    known: Vec<KnownPair<'a>>,
}

struct KnownPair<'a> {
    category: &'a [u8],
    kind: &'a [u8],
    sector: &'static str,
}

impl<'a> Sectors<'a> {
    pub(crate) fn of(&mut self, location: &'a Location) -> &'static str {
        let (category, kind) = (
            location.inspection_category.as_bytes(),
            location.location_type.as_bytes(),
        );
        if let Some(known) = self
            .known
            .iter()
            .find(|k| same_bytes(k.category, category) && same_bytes(k.kind, kind))
        {
            return known.sector;
        }
        let sector = sector_of(location);
        self.known.push(KnownPair {
            category,
            kind,
            sector,
        });
        sector
    }
}

/// Whether two byte strings are equal, compared eight bytes at a time (as arrays, which compare
/// as one word; slices would call `memcmp`).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let ((a_words, a_tail), (b_words, b_tail)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    a_tail.iter().zip(b_tail).all(|(x, y)| x == y)
        && a_words.iter().zip(b_words).all(|(x, y)| x == y)
}

/// A text compared case-insensitively (ASCII: CQC's category and type names are ASCII).
struct CaseInsensitive<'a>(&'a str);

impl CaseInsensitive<'_> {
    fn contains(&self, needle: &str) -> bool {
        let (hay, needle) = (self.0.as_bytes(), needle.as_bytes());
        let Some((&first, _)) = needle.split_first() else {
            return true;
        };
        // Only positions whose first byte matches are compared in full.
        (0..(hay.len() + 1).saturating_sub(needle.len())).any(|i| {
            hay[i].to_ascii_lowercase() == first
                && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
        })
    }
}

/// Agreement counts for one group of locations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AgreementCount {
    pub group: String,
    pub compared: u32,
    pub agree: u32,
}

impl AgreementCount {
    pub fn rate(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.agree as f64 / self.compared as f64)
    }
}

/// Statistics of the ages of published overall ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct AgeStats {
    pub count: u32,
    pub mean_years: Option<f64>,
    pub median_years: Option<f64>,
    pub share_older_than_2: Option<f64>,
    pub share_older_than_4: Option<f64>,
    pub share_older_than_6: Option<f64>,
}

/// The national (or snapshot-wide) report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub as_of: Option<Date>,
    pub locations: Vec<LocationAudit>,
    pub overall: AgreementCount,
    pub by_sector: Vec<AgreementCount>,
    pub by_rule_set: Vec<AgreementCount>,
    pub by_class: Vec<(DivergenceClass, u32)>,
    pub ages: AgeStats,
    /// Overall ratings whose key-question inputs span more than a year.
    pub spanning_more_than_a_year: u32,
    /// Overall ratings whose key-question inputs have more than one publication date.
    pub mixed_dates: u32,
    /// Each level of the ratings checked on its own (see [`levels`]), keyed by level. Empty
    /// when the report was summarised from lines alone ([`summarise`]); [`audit`] fills it.
    pub levels: std::collections::BTreeMap<levels::Level, levels::LevelReport>,
}

impl AuditReport {
    /// The diverging lines, each with its location's index in the snapshot.
    pub fn divergences(&self) -> impl Iterator<Item = (usize, &LocationAudit)> {
        self.locations
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l.agreement, Agreement::Diverges(_)))
    }
}

/// Audits every location of a snapshot, with ages measured at the data's own date.
pub fn audit(snapshot: &Snapshot, params: &RuleParams) -> AuditReport {
    let mut auditor = Auditor::new(snapshot, params);
    while !auditor.audit_next(snapshot.locations.len()) {}
    auditor.finish()
}

/// [`audit`] a run of locations at a time, for a caller that must give the browser its turn in
/// between (the app audits 60,000 locations in the background). The same report, from the same
/// code, however the runs are cut.
pub struct Auditor<'s> {
    snapshot: &'s Snapshot,
    params: &'s RuleParams,
    sectors: Sectors<'s>,
    // Each location's levels are checked as it is rated: its own ratings are read once.
    level_checks: levels::LevelChecks,
    // Most locations share their combination of ratings with many others: each combination is
    // rated once.
    verdicts: VerdictMemo<'s>,
    lines: Vec<LocationAudit>,
}

impl<'s> Auditor<'s> {
    pub fn new(snapshot: &'s Snapshot, params: &'s RuleParams) -> Self {
        Auditor {
            snapshot,
            params,
            sectors: Sectors::default(),
            level_checks: levels::LevelChecks::default(),
            verdicts: VerdictMemo::new(params),
            lines: Vec::with_capacity(snapshot.locations.len()),
        }
    }

    /// Audits the next `count` locations; true once every location has been.
    pub fn audit_next(&mut self, count: usize) -> bool {
        let as_of = self.snapshot.meta.data_date;
        let locations = &self.snapshot.locations;
        let start = self.lines.len();
        let end = start.saturating_add(count).min(locations.len());
        for (index, l) in locations.iter().enumerate().take(end).skip(start) {
            let own = l.own_ratings();
            let memo = &mut self.verdicts;
            // The memo passed on, not reborrowed, so that the outcome it lends outlives the
            // closure.
            let line = audit_location_in(l, own, self.sectors.of(l), as_of, move |e| {
                VerdictMemo::rate(memo, e)
            });
            self.level_checks.check(index, l, own, &line, self.params);
            self.lines.push(line);
        }
        self.lines.len() == locations.len()
    }

    /// The report on the locations audited so far (every one, once `audit_next` said so).
    pub fn finish(self) -> AuditReport {
        let mut report = summarise(self.snapshot.meta.data_date, self.lines);
        report.levels = self
            .level_checks
            .finish()
            .into_iter()
            .map(|level| (level.level, level))
            .collect();
        report
    }
}

/// Builds the summary figures from audit lines.
pub fn summarise(as_of: Option<Date>, locations: Vec<LocationAudit>) -> AuditReport {
    let mut overall = AgreementCount {
        group: "All".into(),
        ..Default::default()
    };
    let mut sector_groups = Groups::default();
    let mut rule_set_groups = Groups::default();
    let mut by_class: Vec<(DivergenceClass, u32)> =
        DivergenceClass::ALL.iter().map(|c| (*c, 0)).collect();
    for l in &locations {
        let agrees = match l.agreement {
            Agreement::NotComparable => continue,
            Agreement::Agrees => true,
            Agreement::Diverges(class) => {
                if let Some(entry) = by_class.iter_mut().find(|(c, _)| *c == class) {
                    entry.1 += 1;
                }
                false
            }
        };
        sector_groups.count(l.sector, agrees, || l.sector.to_string());
        rule_set_groups.count(rule_set_key(l), agrees, || rule_set_group(l));
        overall.compared += 1;
        overall.agree += u32::from(agrees);
    }
    let (mut by_sector, by_rule_set) = (sector_groups.counts, rule_set_groups.counts);
    crate::order::sort_by(&mut by_sector, |a, b| {
        b.compared.cmp(&a.compared).then(a.group.cmp(&b.group))
    });
    // Sorted as whole days, then made years: the same order (days to years keeps it), and a
    // plain sort of integers rather than `order`'s sort of positions behind a `dyn` comparison,
    // for 60,000 ages.
    let mut age_days: Vec<i64> = locations
        .iter()
        .filter(|l| l.published.and_then(RatingValue::rated).is_some())
        .filter_map(|l| l.age_days)
        .collect();
    age_days.sort_unstable();
    let ages: Vec<f64> = age_days
        .into_iter()
        .map(crate::model::years_from_days)
        .collect();
    let share_over = |years: f64| {
        (!ages.is_empty())
            .then(|| ages.iter().filter(|a| **a > years).count() as f64 / ages.len() as f64)
    };
    let age_stats = AgeStats {
        count: ages.len() as u32,
        mean_years: (!ages.is_empty()).then(|| ages.iter().sum::<f64>() / ages.len() as f64),
        median_years: median(&ages),
        share_older_than_2: share_over(2.0),
        share_older_than_4: share_over(4.0),
        share_older_than_6: share_over(6.0),
    };
    let spanning_more_than_a_year = locations
        .iter()
        .filter(|l| l.input_span_days.is_some_and(|d| d > 365))
        .count() as u32;
    let mixed_dates = locations
        .iter()
        .filter(|l| l.input_span_days.is_some_and(|d| d > 0))
        .count() as u32;
    AuditReport {
        as_of,
        locations,
        overall,
        by_sector,
        by_rule_set,
        by_class,
        ages: age_stats,
        spanning_more_than_a_year,
        mixed_dates,
        levels: Default::default(),
    }
}

fn median(sorted: &[f64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rate;

    /// The bundled real data (Shropshire, Oldham and the hospitals' API responses).
    fn bundled() -> Snapshot {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/snapshot.bin"
        );
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        crate::snapshot::decode(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A synthetic snapshot as `cqc synth` makes the national-scale one, from the Shropshire
    /// extract, dated by its newest rating.
    fn synthetic() -> Snapshot {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv"
        );
        let source = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let options = crate::ingest::synth::SynthOptions {
            locations: 3_000,
            seed: 14,
        };
        let mut csv = Vec::new();
        crate::ingest::synth::synthesise("shropshire.csv", &source, &options, &mut csv)
            .unwrap_or_else(|e| panic!("synthesise: {e}"));
        let ingested = crate::ingest::read_latest_ratings("synthetic.csv", &csv)
            .unwrap_or_else(|e| panic!("ingest: {e}"));
        let data_date = ingested
            .locations
            .iter()
            .flat_map(|l| l.ratings.iter().filter_map(|r| r.published))
            .max();
        Snapshot {
            meta: crate::model::SnapshotMeta {
                data_date,
                ..Default::default()
            },
            locations: ingested.locations,
        }
    }

    #[test]
    fn the_audit_gives_what_the_recording_path_gives_line_by_line() {
        let params = RuleParams::default();
        for (name, snapshot) in [("bundled", bundled()), ("synthetic", synthetic())] {
            let as_of = snapshot.meta.data_date;
            let report = audit(&snapshot, &params);
            assert_eq!(report.locations.len(), snapshot.locations.len(), "{name}");
            let mut compared = 0;
            for (location, line) in snapshot.locations.iter().zip(&report.locations) {
                // Each location's evidence as every page builds it, rated with the trace and
                // the statements recorded, as the location page rates it.
                let sector = sector_of(location);
                let own = location.own_ratings();
                let recorded =
                    audit_location_in(location, own, sector, as_of, |e| rate(e, &params));
                assert_eq!(line, &recorded, "{name}: {}", location.id);
                assert_eq!(line, &audit_location(location, &params, as_of), "{name}");
                compared += usize::from(line.agreement != Agreement::NotComparable);
                // The verdict is the full result with the trace and the statements left out.
                let rule_set = crate::rules::rule_set_in_force(location);
                let evidence = Evidence::from_location(location, rule_set, as_of);
                let full = rate(&evidence, &params);
                let verdict = crate::rules::rate_verdict(&evidence, &params);
                let without_detail = full.map(|mut e| {
                    e.steps.clear();
                    e.key_questions
                        .iter_mut()
                        .for_each(|k| k.statements.clear());
                    // Of the evidence age, the verdict keeps the dates and the span.
                    e.evidence_age.slices.clear();
                    e.evidence_age.mean_age_years = None;
                    e
                });
                assert_eq!(verdict, without_detail, "{name}: {}", location.id);
            }
            assert!(
                compared > snapshot.locations.len() / 3,
                "{name}: {compared}"
            );
            // The summary is the one the lines give, counted again from the recorded lines.
            let recorded_lines = snapshot
                .locations
                .iter()
                .map(|l| {
                    audit_location_in(l, l.own_ratings(), sector_of(l), as_of, |e| {
                        rate(e, &params)
                    })
                })
                .collect();
            let summary = summarise(as_of, recorded_lines);
            assert_eq!(
                AuditReport {
                    levels: Default::default(),
                    ..report
                },
                summary,
                "{name}"
            );
        }
    }

    #[test]
    fn the_audit_in_runs_is_the_audit_whole_however_the_runs_are_cut() {
        let params = RuleParams::default();
        let snapshot = bundled();
        let whole = audit(&snapshot, &params);
        for run in [1, 7, 256] {
            let mut auditor = Auditor::new(&snapshot, &params);
            let mut calls = 1;
            while !auditor.audit_next(run) {
                calls += 1;
            }
            assert_eq!(
                calls,
                snapshot.locations.len().div_ceil(run),
                "runs of {run}"
            );
            assert_eq!(auditor.finish(), whole, "runs of {run}");
        }
    }

    #[test]
    fn the_audit_memo_gives_what_rate_verdict_gives_under_every_rule_set() {
        let params = RuleParams::default();
        for (name, snapshot) in [("bundled", bundled()), ("synthetic", synthetic())] {
            let as_of = snapshot.meta.data_date;
            // One memo for every location and rule set, as the audit shares one: an outcome
            // remembered from one location is what another is given.
            let mut memo = VerdictMemo::new(&params);
            let mut given = 0;
            for location in &snapshot.locations {
                for rule_set in RuleSetId::ALL {
                    let mut evidence = Evidence::from_location(location, rule_set, as_of);
                    let expected = rate_verdict(&evidence, &params);
                    assert_eq!(
                        memo.rate(&evidence).cloned(),
                        expected,
                        "{name}: {}",
                        location.id
                    );
                    given += 1;
                    // A breach is not one of the ratings the memo is keyed by: it is rated in
                    // full, not given a remembered outcome without the cap.
                    evidence.breach = true;
                    let expected = rate_verdict(&evidence, &params);
                    let breach = memo.rate(&evidence).cloned();
                    assert_eq!(breach, expected, "{name}: {} breach", location.id);
                }
            }
            assert!(given > 2_000, "{name}: {given}");
        }
    }

    #[test]
    fn every_category_and_type_in_cqc_data_has_its_sector() {
        const HOSPITALS: &str = "Hospitals and independent healthcare";
        const GP: &str = "GP and primary medical";
        const SOCIAL_CARE: &str = "Adult social care";
        // Every (primary inspection category, location type) pair in the real Shropshire
        // extract and the Oldham API responses under tests/fixtures/cqc.
        let cases = [
            (
                "Acute hospital - Independent non-specialist",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            (
                "Acute hospital - Independent specialist",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            (
                "Acute hospital - NHS non-specialist",
                "NHS Healthcare Organisation",
                HOSPITALS,
            ),
            (
                "Acute hospital - NHS specialist",
                "NHS Healthcare Organisation",
                HOSPITALS,
            ),
            ("Ambulance service", "Independent Ambulance", HOSPITALS),
            (
                "Community based adult social care services",
                "Social Care Org",
                SOCIAL_CARE,
            ),
            (
                "Community health - NHS & Independent",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            (
                "Community health - NHS & Independent",
                "NHS Healthcare Organisation",
                HOSPITALS,
            ),
            (
                "Community substance misuse",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            ("Dentists", "NHS Healthcare Organisation", "Dental"),
            ("Dentists", "Primary Dental Care", "Dental"),
            ("GP Practices", "Primary Medical Services", GP),
            ("Hospice services", "Independent Healthcare Org", HOSPITALS),
            (
                "Independent consulting doctors",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            (
                "Mental health - community & hospital - independent",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            (
                "Mental health - community & residential - NHS",
                "NHS Healthcare Organisation",
                HOSPITALS,
            ),
            ("Out of hours", "Primary Medical Services", GP),
            ("Residential social care", "Social Care Org", SOCIAL_CARE),
            (
                "Residential substance misuse",
                "Independent Healthcare Org",
                HOSPITALS,
            ),
            ("", "Independent Healthcare Org", HOSPITALS),
            ("", "NHS Healthcare Organisation", HOSPITALS),
            ("", "Primary Dental Care", "Dental"),
            ("", "Primary Medical Services", GP),
            ("", "Social Care Org", SOCIAL_CARE),
            ("", "", "Unknown"),
        ];
        for (category, location_type, sector) in cases {
            let location = Location {
                inspection_category: category.into(),
                location_type: location_type.into(),
                ..Location::default()
            };
            assert_eq!(
                sector_of(&location),
                sector,
                "{category:?} / {location_type:?}"
            );
        }
    }
}
