//! What changed between two sets of CQC's data (two months' Latest ratings files, or a dropped
//! file against the data it replaces): locations new and gone, ratings new, up, down and
//! withdrawn, and re-inspections. `cqc diff` prints it and the "Load newer data" page shows it.
//! Only a location's own ratings (service group "Overall") are compared.

use crate::model::{
    format_date, Date, Domain, KeyQuestion, Location, OwnRatings, PublishedRating, RatingValue,
    RegistrationStatus, Snapshot,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The kinds of change, in the order they are counted and listed for one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// In the new data only.
    NewLocation,
    /// In the old data only.
    LocationGone,
    /// In both, and deregistered in the new data only.
    Deregistered,
    /// A rating level published where there was none (overall or a key question).
    NewRating,
    RatingUp,
    RatingDown,
    /// A rating level in the old data with none in the new.
    RatingWithdrawn,
    /// A newer publication date for the location's own ratings, whatever their values.
    Reinspected,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::NewLocation,
        ChangeKind::LocationGone,
        ChangeKind::Deregistered,
        ChangeKind::NewRating,
        ChangeKind::RatingUp,
        ChangeKind::RatingDown,
        ChangeKind::RatingWithdrawn,
        ChangeKind::Reinspected,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::NewLocation => "new location",
            ChangeKind::LocationGone => "location gone",
            ChangeKind::Deregistered => "deregistered",
            ChangeKind::NewRating => "new rating",
            ChangeKind::RatingUp => "rating up",
            ChangeKind::RatingDown => "rating down",
            ChangeKind::RatingWithdrawn => "rating withdrawn",
            ChangeKind::Reinspected => "re-inspected",
        }
    }

    /// The label of more than one ("3 ratings up", "2 new locations").
    pub fn plural_label(self) -> &'static str {
        match self {
            ChangeKind::NewLocation => "new locations",
            ChangeKind::LocationGone => "locations gone",
            ChangeKind::Deregistered => "deregistered",
            ChangeKind::NewRating => "new ratings",
            ChangeKind::RatingUp => "ratings up",
            ChangeKind::RatingDown => "ratings down",
            ChangeKind::RatingWithdrawn => "ratings withdrawn",
            ChangeKind::Reinspected => "re-inspected",
        }
    }

    /// A short machine-friendly name for CSV and JSON consumers.
    pub fn slug(self) -> &'static str {
        match self {
            ChangeKind::NewLocation => "new-location",
            ChangeKind::LocationGone => "location-gone",
            ChangeKind::Deregistered => "deregistered",
            ChangeKind::NewRating => "new-rating",
            ChangeKind::RatingUp => "rating-up",
            ChangeKind::RatingDown => "rating-down",
            ChangeKind::RatingWithdrawn => "rating-withdrawn",
            ChangeKind::Reinspected => "reinspected",
        }
    }
}

/// One change to one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub location_id: String,
    /// The name in the new data, or the old where the location is gone.
    pub location_name: String,
    /// The rating compared; `None` for a change to the location itself.
    pub domain: Option<Domain>,
    pub old_value: Option<RatingValue>,
    pub new_value: Option<RatingValue>,
    pub old_date: Option<Date>,
    pub new_date: Option<Date>,
}

impl Change {
    /// The change in one line of plain text, as `cqc diff` prints it.
    pub fn describe(&self) -> String {
        let when = |date: Option<Date>| date.map(format_date).unwrap_or_else(|| "undated".into());
        let value = |v: Option<RatingValue>| RatingValue::plain_label(v);
        let what = self.domain.map(domain_label).unwrap_or("");
        let detail = match self.kind {
            ChangeKind::NewLocation | ChangeKind::LocationGone => String::new(),
            ChangeKind::Deregistered => format!(" on {}", when(self.new_date)),
            ChangeKind::NewRating => format!(
                " {what} {} (published {})",
                value(self.new_value),
                when(self.new_date)
            ),
            ChangeKind::RatingUp | ChangeKind::RatingDown => format!(
                " {what} {} → {} (published {}, was {})",
                value(self.old_value),
                value(self.new_value),
                when(self.new_date),
                when(self.old_date)
            ),
            ChangeKind::RatingWithdrawn => format!(
                " {what} {} (published {}) no longer listed",
                value(self.old_value),
                when(self.old_date)
            ),
            ChangeKind::Reinspected => format!(
                " published {}, was {}",
                when(self.new_date),
                when(self.old_date)
            ),
        };
        let who = format!(
            "{} {} ({})",
            self.kind.label(),
            self.location_id,
            self.location_name
        );
        if detail.is_empty() {
            who
        } else {
            format!("{who}:{detail}")
        }
    }
}

/// "Overall" or the key question's name.
pub fn domain_label(domain: Domain) -> &'static str {
    match domain {
        Domain::Overall => "Overall",
        Domain::KeyQuestion(kq) => kq.label(),
    }
}

/// Every change, and how many of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ChangeList {
    /// By location id, then kind, then domain (Overall first, then CQC's key-question order).
    pub changes: Vec<Change>,
    /// Each kind with at least one change, in [`ChangeKind::ALL`]'s order.
    pub counts: Vec<(ChangeKind, u32)>,
}

impl ChangeList {
    pub fn count(&self, kind: ChangeKind) -> u32 {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// The counts in one line ("2 ratings up, 1 new location"), or "no changes".
    pub fn summary(&self) -> String {
        if self.counts.is_empty() {
            return "no changes".to_string();
        }
        self.counts
            .iter()
            .map(|(kind, n)| {
                crate::explain::narrative::count(*n, kind.label(), kind.plural_label())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The domains compared, in the order their changes are listed.
const DOMAINS: [Domain; 6] = [
    Domain::Overall,
    Domain::KeyQuestion(KeyQuestion::Safe),
    Domain::KeyQuestion(KeyQuestion::Effective),
    Domain::KeyQuestion(KeyQuestion::Caring),
    Domain::KeyQuestion(KeyQuestion::Responsive),
    Domain::KeyQuestion(KeyQuestion::WellLed),
];

/// What changed from `old` to `new`. A location is matched by its CQC id.
pub fn diff_snapshots(old: &Snapshot, new: &Snapshot) -> ChangeList {
    let mut diff = SnapshotDiff::new(old, new);
    while !diff.compare_next(usize::MAX) {}
    diff.finish()
}

/// [`diff_snapshots`] a part at a time, for a caller that must not be busy for long in one go
/// (the page's thread, between which it yields to the browser): `compare_next` as often as it
/// asks, then `finish`. Each location is compared once, in the same order, so the list is the
/// same however the work is cut.
pub struct SnapshotDiff<'a> {
    old: &'a Snapshot,
    new: &'a Snapshot,
    old_by_id: HashMap<&'a str, &'a Location>,
    new_by_id: HashMap<&'a str, &'a Location>,
    changes: Vec<Change>,
    /// The next step: each old location indexed by id, then each new one, then each new one
    /// compared, then each old one looked for in the new (indexing a national data set's ids
    /// is itself tens of milliseconds, so it is cut up as the comparing is).
    next: usize,
}

impl<'a> SnapshotDiff<'a> {
    pub fn new(old: &'a Snapshot, new: &'a Snapshot) -> SnapshotDiff<'a> {
        SnapshotDiff {
            old,
            new,
            old_by_id: HashMap::with_capacity(old.locations.len()),
            new_by_id: HashMap::with_capacity(new.locations.len()),
            changes: Vec::new(),
            next: 0,
        }
    }

    /// Takes up to `count` more steps (a location indexed or compared). True when every
    /// location has been compared.
    pub fn compare_next(&mut self, count: usize) -> bool {
        let (old, new) = (&self.old.locations, &self.new.locations);
        let total = 2 * (old.len() + new.len());
        let end = self.next.saturating_add(count).min(total);
        for step in self.next..end {
            let (phase, i) = if step < old.len() {
                (0, step)
            } else if step < old.len() + new.len() {
                (1, step - old.len())
            } else if step < old.len() + 2 * new.len() {
                (2, step - old.len() - new.len())
            } else {
                (3, step - old.len() - 2 * new.len())
            };
            match phase {
                0 => {
                    self.old_by_id.insert(old[i].id.as_str(), &old[i]);
                }
                1 => {
                    self.new_by_id.insert(new[i].id.as_str(), &new[i]);
                }
                2 => match self.old_by_id.get(new[i].id.as_str()) {
                    Some(before) => compare_location(before, &new[i], &mut self.changes),
                    None => self
                        .changes
                        .push(location_change(ChangeKind::NewLocation, &new[i])),
                },
                _ => {
                    if !self.new_by_id.contains_key(old[i].id.as_str()) {
                        self.changes
                            .push(location_change(ChangeKind::LocationGone, &old[i]));
                    }
                }
            }
        }
        self.next = end;
        end == total
    }

    /// The list, ordered and counted. Locations not yet compared are left out.
    pub fn finish(self) -> ChangeList {
        let mut changes = self.changes;
        crate::order::sort_by(&mut changes, |a, b| {
            (&a.location_id, a.kind, a.domain.map(domain_order)).cmp(&(
                &b.location_id,
                b.kind,
                b.domain.map(domain_order),
            ))
        });
        // A location repeated within one data set would give its changes twice.
        changes.dedup();
        let counts = ChangeKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let n = changes.iter().filter(|c| c.kind == kind).count() as u32;
                (n > 0).then_some((kind, n))
            })
            .collect();
        ChangeList { changes, counts }
    }
}

fn domain_order(domain: Domain) -> usize {
    DOMAINS
        .iter()
        .position(|d| *d == domain)
        .unwrap_or(DOMAINS.len())
}

fn location_change(kind: ChangeKind, location: &Location) -> Change {
    Change {
        kind,
        location_id: location.id.clone(),
        location_name: location.name.clone(),
        domain: None,
        old_value: None,
        new_value: None,
        old_date: None,
        new_date: None,
    }
}

fn compare_location(before: &Location, after: &Location, changes: &mut Vec<Change>) {
    let was_deregistered = before.detail.registration.status == RegistrationStatus::Deregistered;
    if after.detail.registration.status == RegistrationStatus::Deregistered && !was_deregistered {
        changes.push(Change {
            new_date: after.detail.registration.deregistered,
            ..location_change(ChangeKind::Deregistered, after)
        });
    }
    let (old_own, new_own) = (before.own_ratings(), after.own_ratings());
    for domain in DOMAINS {
        let (old_row, new_row) = (own_row(&old_own, domain), own_row(&new_own, domain));
        let old_level = old_row.and_then(|r| r.value.rated());
        let new_level = new_row.and_then(|r| r.value.rated());
        let kind = match (old_level, new_level) {
            (None, Some(_)) => ChangeKind::NewRating,
            (Some(_), None) => ChangeKind::RatingWithdrawn,
            (Some(o), Some(n)) if n > o => ChangeKind::RatingUp,
            (Some(o), Some(n)) if n < o => ChangeKind::RatingDown,
            _ => continue,
        };
        changes.push(Change {
            domain: Some(domain),
            old_value: old_row.map(|r| r.value),
            new_value: new_row.map(|r| r.value),
            old_date: old_row.and_then(|r| r.published),
            new_date: new_row.and_then(|r| r.published),
            ..location_change(kind, after)
        });
    }
    let newest = |location: &Location| {
        let own = location.own_ratings();
        DOMAINS
            .iter()
            .filter_map(|d| own_row(&own, *d).and_then(|r| r.published))
            .max()
    };
    if let (Some(old_date), Some(new_date)) = (newest(before), newest(after)) {
        if new_date > old_date {
            changes.push(Change {
                old_date: Some(old_date),
                new_date: Some(new_date),
                old_value: old_own.overall.map(|r| r.value),
                new_value: new_own.overall.map(|r| r.value),
                domain: Some(Domain::Overall),
                ..location_change(ChangeKind::Reinspected, after)
            });
        }
    }
}

fn own_row<'a>(own: &OwnRatings<'a>, domain: Domain) -> Option<&'a PublishedRating> {
    match domain {
        Domain::Overall => own.overall,
        Domain::KeyQuestion(kq) => own.key_question(kq),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Rating, OVERALL_GROUP};

    fn day(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::from_ymd_opt(y, m, d)
    }

    fn row(domain: Domain, rating: Rating, published: Option<Date>) -> PublishedRating {
        PublishedRating {
            group: OVERALL_GROUP.into(),
            domain,
            value: RatingValue::Rated(rating),
            published,
            report_type: None,
            inherited: false,
        }
    }

    fn place(id: &str, ratings: Vec<PublishedRating>) -> Location {
        Location {
            id: id.into(),
            name: format!("Home {id}"),
            ratings,
            ..Location::default()
        }
    }

    fn snapshot(locations: Vec<Location>) -> Snapshot {
        Snapshot {
            locations,
            ..Snapshot::default()
        }
    }

    const SAFE: Domain = Domain::KeyQuestion(KeyQuestion::Safe);

    /// Two data sets between which every kind of change happens once.
    fn one_change_of_each_kind() -> (Snapshot, Snapshot) {
        let old = snapshot(vec![
            place(
                "1-a",
                vec![row(Domain::Overall, Rating::Good, day(2020, 1, 1))],
            ),
            place("1-b", vec![]),
            place("1-gone", vec![]),
        ]);
        let mut closed = place("1-b", vec![]);
        closed.detail.registration.status = RegistrationStatus::Deregistered;
        closed.detail.registration.deregistered = day(2025, 9, 1);
        let new = snapshot(vec![
            place(
                "1-a",
                vec![
                    row(
                        Domain::Overall,
                        Rating::RequiresImprovement,
                        day(2025, 8, 1),
                    ),
                    row(SAFE, Rating::Inadequate, day(2025, 8, 1)),
                ],
            ),
            closed,
            place("1-new", vec![]),
        ]);
        (old, new)
    }

    #[test]
    fn every_kind_of_change_is_found_once_in_a_stable_order() {
        let (old, new) = one_change_of_each_kind();
        let list = diff_snapshots(&old, &new);
        let seen: Vec<(ChangeKind, &str, Option<Domain>)> = list
            .changes
            .iter()
            .map(|c| (c.kind, c.location_id.as_str(), c.domain))
            .collect();
        assert_eq!(
            seen,
            vec![
                (ChangeKind::NewRating, "1-a", Some(SAFE)),
                (ChangeKind::RatingDown, "1-a", Some(Domain::Overall)),
                (ChangeKind::Reinspected, "1-a", Some(Domain::Overall)),
                (ChangeKind::Deregistered, "1-b", None),
                (ChangeKind::LocationGone, "1-gone", None),
                (ChangeKind::NewLocation, "1-new", None),
            ]
        );
        assert_eq!(list.count(ChangeKind::RatingDown), 1);
        assert_eq!(list.count(ChangeKind::RatingUp), 0);
        assert_eq!(
            list.changes[1].describe(),
            "rating down 1-a (Home 1-a): Overall Good → Requires improvement (published 1 Aug 2025, was 1 Jan 2020)"
        );
        assert_eq!(
            list.changes[4].describe(),
            "location gone 1-gone (Home 1-gone)"
        );
        assert_eq!(
            list.summary(),
            "1 new location, 1 location gone, 1 deregistered, 1 new rating, 1 rating down, 1 re-inspected"
        );
    }

    #[test]
    fn the_diff_a_part_at_a_time_is_the_diff_at_once() {
        let (old, new) = one_change_of_each_kind();
        let at_once = diff_snapshots(&old, &new);
        for part in [1, 2, 4] {
            let mut diff = SnapshotDiff::new(&old, &new);
            let mut calls = 1;
            while !diff.compare_next(part) {
                calls += 1;
            }
            // Six locations (three new, three old), each indexed and compared, in parts.
            assert_eq!(calls, 12_usize.div_ceil(part), "parts of {part}");
            assert_eq!(diff.finish(), at_once, "parts of {part}");
        }
    }

    #[test]
    fn the_same_data_twice_has_no_changes() {
        let data = snapshot(vec![place(
            "1-a",
            vec![row(Domain::Overall, Rating::Good, day(2020, 1, 1))],
        )]);
        let list = diff_snapshots(&data, &data);
        assert!(list.changes.is_empty());
        assert_eq!(list.summary(), "no changes");
    }

    #[test]
    fn a_reinspection_with_the_same_rating_is_still_a_change() {
        let old = snapshot(vec![place(
            "1-a",
            vec![row(Domain::Overall, Rating::Good, day(2020, 1, 1))],
        )]);
        let new = snapshot(vec![place(
            "1-a",
            vec![row(Domain::Overall, Rating::Good, day(2025, 1, 1))],
        )]);
        let list = diff_snapshots(&old, &new);
        assert_eq!(list.counts, [(ChangeKind::Reinspected, 1)]);
    }
}
