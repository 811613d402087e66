//! `cqc show DATA LOCATION-ID`: one location as its page shows it: identity, registration
//! and related registrations, every published rating with its date and age, the timeline,
//! CQC's own words, the re-inspection clock, and the rules' recomputation with any divergence.
//! Ages are measured to `--today` (default: the system date), with the data's date beside.

use clap::ValueEnum;
use cqc_engine::audit::{audit, levels::Level, Agreement, AuditReport};
use cqc_engine::ingest::terminal_safe;
use cqc_engine::model::{
    format_date, format_years, quality_statement, years_between, Commentary, CommentaryScope, Date,
    Domain, EvidenceCategory, Location, PublishedRating, RatingValue, RegistrationStatus,
    RelationshipKind, Snapshot, OVERALL_GROUP,
};
use cqc_engine::rules::{rule_set_info, RuleParams};
use cqc_engine::story::{
    rating_timeline, reinspection_clock, Direction, RatingTimeline, ReinspectionClock,
};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

/// How many near ids an unknown id is answered with.
const CLOSEST_IDS: usize = 3;

/// Everything the location page shows, computed once for either format.
struct Shown<'a> {
    location: &'a Location,
    today: Date,
    data_date: Option<Date>,
    timeline: RatingTimeline,
    clock: ReinspectionClock,
    audit: AuditReport,
}

pub fn run(data: &Path, location_id: &str, format: ShowFormat, today: Option<&str>) -> ExitCode {
    let today = match today {
        Some(text) => match Date::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) => date,
            Err(_) => {
                eprintln!(
                    "error: --today {}: expected a date as YYYY-MM-DD",
                    terminal_safe(text)
                );
                return ExitCode::from(2);
            }
        },
        None => match crate::today() {
            Some(date) => date,
            None => {
                eprintln!("error: the system clock gives no date; pass --today YYYY-MM-DD");
                return ExitCode::from(2);
            }
        },
    };
    let snap = match crate::load_data(std::slice::from_ref(&data.to_path_buf())) {
        Ok((snap, report)) => {
            crate::note_reported_rows(&report);
            snap
        }
        Err(message) => {
            eprintln!("error: {}", terminal_safe(&message));
            return ExitCode::from(2);
        }
    };
    let Some(location) = snap.locations.iter().find(|l| l.id == location_id.trim()) else {
        eprintln!(
            "error: no location {} in {}",
            terminal_safe(location_id),
            data.display()
        );
        let near = closest_ids(&snap, location_id);
        if !near.is_empty() {
            eprintln!("closest ids: {}", terminal_safe(&near.join(", ")));
        }
        return ExitCode::from(1);
    };
    // The audit of this location alone: the same lines and level checks `cqc audit` gives it.
    let alone = Snapshot {
        meta: snap.meta.clone(),
        locations: vec![location.clone()],
    };
    let shown = Shown {
        location,
        today,
        data_date: snap.meta.data_date,
        timeline: rating_timeline(location),
        clock: reinspection_clock(location, today),
        audit: audit(&alone, &RuleParams::default()),
    };
    match format {
        ShowFormat::Text => print_text(&shown),
        ShowFormat::Json => match serde_json::to_string_pretty(&as_json(&shown)) {
            Ok(text) => say!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    }
    ExitCode::SUCCESS
}

/// The ids nearest `wanted` by edit distance, nearest first (ties by id).
fn closest_ids(snap: &Snapshot, wanted: &str) -> Vec<String> {
    let mut ranked: Vec<(usize, &str)> = snap
        .locations
        .iter()
        .map(|l| (strsim::levenshtein(&l.id, wanted), l.id.as_str()))
        .filter(|(distance, _)| *distance <= wanted.len() / 3 + 1)
        .collect();
    ranked.sort();
    ranked.dedup_by_key(|(_, id)| *id);
    ranked
        .into_iter()
        .take(CLOSEST_IDS)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// "1.6 years old on 2026-12-01 (data of 2025-09-22)".
fn age_phrase(published: Option<Date>, today: Date, data_date: Option<Date>) -> String {
    let Some(published) = published else {
        return "undated".to_string();
    };
    let data = data_date.map_or_else(|| "unknown".to_string(), |d| d.to_string());
    format!(
        "{} old on {today} (data of {data})",
        format_years(years_between(published, today))
    )
}

fn domain_label(domain: Domain) -> &'static str {
    match domain {
        Domain::Overall => "Overall",
        Domain::KeyQuestion(kq) => kq.label(),
    }
}

fn scope_label(scope: CommentaryScope) -> String {
    match scope {
        CommentaryScope::Summary => "Summary".into(),
        CommentaryScope::Assessment => "The assessment".into(),
        CommentaryScope::PeoplesExperience => "People's experience".into(),
        CommentaryScope::KeyQuestion(kq) => kq.label().into(),
        CommentaryScope::EvidenceCategory {
            statement,
            category,
        } => {
            let statement_name = quality_statement(statement).map_or_else(
                || format!("quality statement {statement}"),
                |q| q.title.into(),
            );
            let category_name = EvidenceCategory::from_id(category).map_or_else(
                || format!("evidence category {category}"),
                |c| c.title().into(),
            );
            format!("{statement_name}: {category_name}")
        }
    }
}

fn date_or_undated(date: Option<Date>) -> String {
    date.map_or_else(|| "undated".to_string(), format_date)
}

/// The location's own ratings first (overall, then key questions), then each service group's.
fn ratings_in_page_order(location: &Location) -> Vec<&PublishedRating> {
    let mut rows: Vec<&PublishedRating> = location.ratings.iter().collect();
    let domain_rank = |d: Domain| match d {
        Domain::Overall => 0,
        Domain::KeyQuestion(kq) => 1 + kq.index(),
    };
    let groups = location.service_groups();
    let group_rank = |g: &str| {
        if g == OVERALL_GROUP {
            0
        } else {
            1 + groups.iter().position(|x| *x == g).unwrap_or(groups.len())
        }
    };
    rows.sort_by_key(|r| {
        (
            group_rank(&r.group),
            domain_rank(r.domain),
            std::cmp::Reverse(r.published),
        )
    });
    rows
}

fn print_text(shown: &Shown<'_>) {
    let l = shown.location;
    let safe = |text: &str| terminal_safe(text).into_owned();
    say!("{} ({})", safe(&l.name), safe(&l.id));
    if l.provider_name.trim().is_empty() {
        // API location responses carry only the id; the name comes from a provider response,
        // and is never kept for an individual's or a partnership's (a person's name).
        say!(
            "  Provider: {} (its name is not in this data)",
            safe(&l.provider_id)
        );
    } else {
        say!(
            "  Provider: {} ({})",
            safe(&l.provider_name),
            safe(&l.provider_id)
        );
    }
    say!(
        "  Address: {}, {}, {}; {} ({})",
        safe(&l.street),
        safe(&l.city),
        safe(&l.postcode),
        safe(&l.local_authority),
        safe(&l.region)
    );
    say!(
        "  Type: {}; {}{}",
        safe(&l.location_type),
        safe(&l.inspection_category),
        if l.care_home { "; care home" } else { "" }
    );
    if let Some(link) = l.report_link() {
        say!("  CQC page: {}", safe(&link));
    }
    say!();
    print_registration(l, &safe);
    say!();
    // A closed location's ratings are the last CQC published, not a current judgement.
    let closed = l
        .detail
        .registration
        .closed_label()
        .map(|label| format!("{label}: the last CQC published; "))
        .unwrap_or_default();
    say!(
        "Published ratings ({closed}ages on {}, data of {}):",
        shown.today,
        shown
            .data_date
            .map_or_else(|| "unknown".to_string(), |d| d.to_string())
    );
    let rows = ratings_in_page_order(l);
    if rows.is_empty() {
        say!("  none");
    }
    for r in rows {
        let mut notes = Vec::new();
        if r.inherited {
            notes.push("inherited".to_string());
        }
        if let Some(kind) = r.report_type.as_deref().filter(|t| !t.is_empty()) {
            notes.push(safe(kind));
        }
        // The location's own ratings by domain alone; a service group's named before it.
        let scope = if r.group == OVERALL_GROUP {
            domain_label(r.domain).to_string()
        } else {
            format!("{}: {}", safe(&r.group), domain_label(r.domain))
        };
        say!(
            "  {:<24} {:<22} published {}, {}{}",
            scope,
            r.value.label(),
            date_or_undated(r.published),
            age_phrase(r.published, shown.today, shown.data_date),
            if notes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", notes.join(", "))
            }
        );
    }
    say!();
    print_timeline(&shown.timeline, &safe);
    say!();
    print_commentary(&l.detail.commentary);
    say!();
    say!("Re-inspection clock:");
    say!("  {}", safe(&shown.clock.sentence()));
    // Measured to --today, but the data cannot show an inspection published after its date.
    if let Some(data_date) = shown.data_date.filter(|d| *d < shown.today) {
        say!("  The data is of {data_date}: an inspection published after that is not in it.");
    }
    if let Some(e) = &shown.clock.expectation {
        say!(
            "  Expectation{}: {}",
            if e.provisional { " (provisional)" } else { "" },
            safe(&e.source)
        );
        if let Some(url) = &e.source_url {
            say!("  Source: {}", safe(url));
        }
    }
    say!();
    print_recomputation(&shown.audit, &safe);
}

fn print_registration(l: &Location, safe: &dyn Fn(&str) -> String) {
    let r = &l.detail.registration;
    let status = match r.status {
        RegistrationStatus::Registered => "Registered",
        RegistrationStatus::Deregistered => "Deregistered",
        RegistrationStatus::NotStated => "Registered (the data does not say otherwise)",
    };
    let mut line = format!("Registration: {status}");
    if let Some(date) = r.registered {
        line.push_str(&format!(", registered {}", format_date(date)));
    }
    if let Some(date) = r.deregistered {
        line.push_str(&format!(", deregistered {}", format_date(date)));
    }
    if r.dormant {
        line.push_str("; dormant (registered, providing no regulated activity)");
    }
    say!("{line}");
    for rel in &l.detail.relationships {
        let kind = match &rel.kind {
            RelationshipKind::Predecessor => "Predecessor".to_string(),
            RelationshipKind::Successor => "Successor".to_string(),
            RelationshipKind::Other(text) => safe(text),
        };
        let reason = if rel.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", safe(&rel.reason))
        };
        say!(
            "  {kind}: {} {}{reason}",
            safe(&rel.location_id),
            safe(&rel.location_name)
        );
    }
}

fn print_timeline(timeline: &RatingTimeline, safe: &dyn Fn(&str) -> String) {
    say!("Timeline (oldest first):");
    if timeline.entries.is_empty() {
        say!("  no published overall rating");
        return;
    }
    for (i, e) in timeline.entries.iter().enumerate() {
        let change = timeline
            .changes
            .iter()
            .find(|c| c.entry == i)
            .map(|c| match c.direction {
                Direction::Same => format!(", unchanged from {}", c.from.label()),
                _ => format!(", {} from {}", c.direction.label(), c.from.label()),
            })
            .unwrap_or_default();
        let first = if timeline.first_rating == Some(i) {
            ", first rating"
        } else {
            ""
        };
        let inherited = match (&e.inherited, &e.inherited_from) {
            (true, Some(from)) => format!(", inherited from {}", safe(from)),
            (true, None) => ", inherited".to_string(),
            _ => String::new(),
        };
        say!(
            "  {:<12} {:<24} {}{first}{change}{inherited}",
            date_or_undated(e.date),
            e.overall.label(),
            e.source.label()
        );
        if !e.key_questions.is_empty() {
            let kqs: Vec<String> = e
                .key_questions
                .iter()
                .map(|(kq, v)| format!("{} {}", kq.label(), v.label()))
                .collect();
            say!("               {}", kqs.join("; "));
        }
        if let Some(link) = &e.report_link {
            say!("               report: {}", safe(link));
        }
    }
    if let (Some(current), Some(since)) = (timeline.current, timeline.current_since) {
        say!("  Rated {current} since {}.", format_date(since));
    }
    say!(
        "  Inspections in a row rated Requires improvement or worse, ending with the latest: {}",
        timeline.requires_improvement_or_worse_in_a_row
    );
}

fn print_commentary(commentary: &[Commentary]) {
    say!("CQC's own words (quoted from CQC's published assessment):");
    if commentary.is_empty() {
        say!("  none in the data");
        return;
    }
    let mut sorted: Vec<&Commentary> = commentary.iter().collect();
    sorted.sort_by_key(|c| c.scope);
    for c in sorted {
        say!(
            "  {} (assessment {}, {}): CQC wrote:",
            scope_label(c.scope),
            terminal_safe(&c.plan_id),
            date_or_undated(c.date)
        );
        // Line by line: terminal_safe shows a line break inside one value as a marker.
        for line in c.text.lines().filter(|line| !line.trim().is_empty()) {
            say!("    {}", terminal_safe(line.trim()));
        }
    }
}

fn print_recomputation(report: &AuditReport, safe: &dyn Fn(&str) -> String) {
    say!("Recomputation (the explorer's reading of CQC's rules):");
    let Some(line) = report.locations.first() else {
        return;
    };
    say!("  Rules in force: {}", rule_set_info(line.rule_set).name);
    let published = RatingValue::plain_label(line.published);
    let recomputed = line.recomputed.map_or("no result", |r| r.label());
    match line.agreement {
        Agreement::Agrees => say!("  Overall: published {published}, the rules give {recomputed}: they agree."),
        Agreement::Diverges(class) => {
            say!(
                "  Overall: published {published}, the rules give {recomputed}: they differ ({}).",
                class.label()
            );
            say!("  {}", class.explanation());
        }
        Agreement::NotComparable => say!(
            "  Overall: published {published}; not comparable (no published level, or no rated inputs)."
        ),
    }
    for (level, level_report) in &report.levels {
        if *level == Level::KeyQuestionsToOverall || level_report.compared == 0 {
            continue;
        }
        say!(
            "  {}: {} of {} agree",
            level.label(),
            level_report.agree,
            level_report.compared
        );
        for d in &level_report.divergences {
            say!(
                "    {}: published {}, the rules give {}{}",
                safe(&d.scope),
                safe(&d.published),
                safe(&d.recomputed),
                d.class
                    .map_or_else(String::new, |c| format!(" ({})", c.label()))
            );
        }
    }
}

fn as_json(shown: &Shown<'_>) -> serde_json::Value {
    let l = shown.location;
    let ratings: Vec<serde_json::Value> = ratings_in_page_order(l)
        .into_iter()
        .map(|r| {
            json!({
                "group": r.group,
                "domain": domain_label(r.domain),
                "value": r.value.label(),
                "published": r.published,
                "age_years": r.published.map(|p| (years_between(p, shown.today) * 10.0).round() / 10.0),
                "report_type": r.report_type,
                "inherited": r.inherited,
            })
        })
        .collect();
    let levels: serde_json::Map<String, serde_json::Value> = shown
        .audit
        .levels
        .iter()
        .filter(|(_, report)| report.compared > 0)
        .map(|(level, report)| {
            let value = json!({
                "compared": report.compared,
                "agree": report.agree,
                "divergences": report.divergences.iter().map(|d| json!({
                    "scope": d.scope,
                    "published": d.published,
                    "recomputed": d.recomputed,
                    "class": d.class.map(|c| c.label()),
                })).collect::<Vec<_>>(),
            });
            (level.label().to_string(), value)
        })
        .collect();
    json!({
        "id": l.id,
        "name": l.name,
        "provider": { "id": l.provider_id, "name": l.provider_name },
        "address": {
            "street": l.street, "city": l.city, "postcode": l.postcode,
            "local_authority": l.local_authority, "region": l.region,
        },
        "location_type": l.location_type,
        "inspection_category": l.inspection_category,
        "care_home": l.care_home,
        "today": shown.today,
        "data_date": shown.data_date,
        "registration": l.detail.registration,
        "relationships": l.detail.relationships,
        "ratings": ratings,
        "timeline": shown.timeline,
        "commentary": l.detail.commentary.iter().map(|c| json!({
            "attribution": "CQC",
            "scope": scope_label(c.scope),
            "plan_id": c.plan_id,
            "date": c.date,
            "text": c.text,
        })).collect::<Vec<_>>(),
        "clock": shown.clock,
        "clock_sentence": shown.clock.sentence(),
        "recomputation": {
            "audit": shown.audit.locations.first(),
            "levels": levels,
        },
    })
}
