//! A location: its published ratings with dates and ages, how the rating was built (trace,
//! evidence-age bar, narrative, agreement with the rules), and the what-if.

use crate::app::data::{with_data, AppData};
use crate::app::format::{age_badge, date, provisional_badge, rated_badge, rating_badge};
use cqc_engine::audit::{compare, Agreement};
use cqc_engine::explain::{AgeSliceLabel, Explanation};
use cqc_engine::model::{quality_statements_for, Domain, KeyQuestion, Location, Rating};
use cqc_engine::rules::{rate, rule_set_info, Evidence, RuleSetId};
use cqc_engine::whatif::scenario::Scenario;
use cqc_engine::whatif::{apply, minimal_change, single_slips, Edit};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn LocationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    view! {
        {with_data(move |d: AppData| {
            let id = params.get().get("id").unwrap_or_default();
            match d.snapshot.locations.iter().find(|l| l.id == id) {
                Some(l) => {
                    let l = l.clone();
                    let d = d.clone();
                    view! { <LocationView location=l data=d query=query /> }.into_any()
                }
                None => view! {
                    <h1>"Location not found"</h1>
                    <p>{format!("No location with the id \"{id}\" is in this data. ")}<a href="/">"Search for a location"</a></p>
                }.into_any(),
            }
        })}
    }
}

#[component]
fn LocationView(
    location: Location,
    data: AppData,
    query: Memo<leptos_router::params::ParamsMap>,
) -> impl IntoView {
    let as_of = data.snapshot.meta.data_date;
    let scenario = Memo::new(move |_| {
        let q = query.get();
        Scenario::parse(
            q.get("rs").as_deref(),
            q.get("kq").as_deref(),
            q.get("qs").as_deref(),
            q.get("breach").as_deref(),
            q.get("tie").as_deref(),
        )
    });
    let loc = location.clone();
    let rule_set = Memo::new(move |_| {
        scenario
            .get()
            .0
            .rule_set
            .unwrap_or_else(|| cqc_engine::rules::rule_set_in_force(&loc))
    });
    let loc = location.clone();
    let base = Memo::new(move |_| Evidence::from_location(&loc, rule_set.get(), as_of));
    let edited = Memo::new(move |_| apply(&base.get(), &scenario.get().0.edits));
    let result = Memo::new(move |_| {
        rate(&edited.get(), &scenario.get().0.params()).map_err(|e| e.to_string())
    });
    let published_result = Memo::new(move |_| rate(&base.get(), &scenario.get().0.params()).ok());
    let navigate = use_navigate();
    let path = format!("/location/{}", location.id);
    let go = {
        let path = path.clone();
        move |s: Scenario| {
            let q = s.to_query();
            let url = if q.is_empty() {
                path.clone()
            } else {
                format!("{path}?{q}")
            };
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };
    let overall = location.published(Domain::Overall).cloned();
    let provider_href = format!("/provider/{}", location.provider_id);
    let groups: Vec<String> = location
        .service_groups()
        .into_iter()
        .map(String::from)
        .collect();
    let loc_for_groups = location.clone();
    let report_url = location.report_link();
    let loc_kq = location.clone();
    let go_rs = go.clone();
    let go_edit = go.clone();
    let go_reset = go.clone();
    view! {
        <h1>{location.name.clone()}</h1>
        <p class="muted">
            {format!("{}, {} {} · {} · ", location.street, location.city, location.postcode, location.local_authority)}
            <a href=provider_href>{if location.provider_name.is_empty() { "Provider".to_string() } else { location.provider_name.clone() }}</a>
            {format!(" · CQC id {}", location.id)}
        </p>
        <div class="panel">
            <h2 class="flush-top">"Overall: " {rating_badge(overall.as_ref().map(|o| o.value))}</h2>
            <p>{format!("Published {}", date(overall.as_ref().and_then(|o| o.published)))}" "{age_badge(overall.as_ref().and_then(|o| o.published), as_of)}
               {overall.as_ref().filter(|o| o.inherited).map(|_| " · inherited from a previous registration")}</p>
            {report_url.map(|u| view! { <p><a href=u rel="noopener noreferrer">"Read CQC's report on cqc.org.uk"</a></p> })}
        </div>
        <h2>"The five key questions"</h2>
        <div class="kq-grid">
            {KeyQuestion::ALL.iter().map(|kq| {
                let p = loc_kq.published(Domain::KeyQuestion(*kq));
                view! {
                    <div class="kq-card" data-testid=format!("kq-{}", kq.slug())>
                        <h3>{kq.label()}</h3>
                        <p class="muted flush">{kq.question()}</p>
                        <p>{rating_badge(p.map(|p| p.value))}</p>
                        <p>{date(p.and_then(|p| p.published))}" "{age_badge(p.and_then(|p| p.published), as_of)}</p>
                    </div>
                }
            }).collect_view()}
        </div>
        {(!groups.is_empty()).then(|| view! {
            <h2>"Services and population groups"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Service or group"</th>{KeyQuestion::ALL.iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}<th scope="col">"Overall"</th></tr></thead>
                <tbody>{groups.iter().map(|g| {
                    let cell = |domain: Domain| loc_for_groups.ratings.iter().find(|r| &r.group == g && r.domain == domain).map(|r| r.value);
                    view! { <tr><th scope="row">{g.clone()}</th>
                        {KeyQuestion::ALL.iter().map(|k| view! { <td>{cell(Domain::KeyQuestion(*k)).map(|v| rating_badge(Some(v)))}</td> }).collect_view()}
                        <td>{rating_badge(cell(Domain::Overall))}</td></tr> }
                }).collect_view()}</tbody>
            </table></div>
        })}

        <h2 id="how">"How this rating was built"</h2>
        <div>
            <label for="ruleset">"Methodology"</label>
            <select id="ruleset" prop:value=move || rule_set.get().slug() on:change=move |ev| {
                let v = event_target_value(&ev);
                let mut s = scenario.get_untracked().0;
                s.rule_set = RuleSetId::from_slug(&v);
                go_rs(s);
            }>
                {RuleSetId::ALL.iter().map(|r| view! { <option value=r.slug()>{rule_set_info(*r).name}</option> }).collect_view()}
            </select>
            {location.assessments.is_empty().then(|| view! {
                <p class="muted">"CQC's data has no quality-statement scores for this location, so the rules start from its five key-question ratings. Choose a single assessment framework methodology to type in the quality-statement scores from the report; until you do, they are the scores CQC seeds from the published ratings."</p>
            })}
        </div>
        {move || {
            let rejected = scenario.get().1;
            (!rejected.is_empty()).then(|| view! { <div class="panel warn" role="status">{format!("Parts of this link could not be used and were ignored: {}", rejected.join(", "))}</div> })
        }}
        {
            let overall = overall.clone();
            move || match (result.get(), published_result.get()) {
                (Ok(e), Some(published_e)) => {
                    let edited_scenario = !scenario.get().0.edits.is_empty();
                    let agreement = compare(overall.as_ref().map(|o| o.value), overall.as_ref().and_then(|o| o.published), &published_e);
                    view! { <Explained explanation=e agreement=agreement scenario=edited_scenario /> }.into_any()
                }
                (Err(message), _) => view! { <div class="error-panel" role="alert">{message}</div> }.into_any(),
                _ => view! { <p>"No result."</p> }.into_any(),
            }
        }

        <h2 id="what-if">"What if?"</h2>
        <p>"Change any input and the result, trace and narrative above update at once. The link in the address bar holds the scenario: copy it to share exactly this scenario."</p>
        {move || {
            let go_edit = go_edit.clone();
            let go_reset = go_reset.clone();
            let e = edited.get();
            let s = scenario.get().0;
            let explained = result.get().ok();
            let edits = if e.rule_set.scores_statements() {
                statement_editors(&e, explained.as_ref(), s.clone(), go_edit.clone()).into_any()
            } else {
                kq_editors(&e, s.clone(), go_edit.clone()).into_any()
            };
            let has_edits = !s.edits.is_empty();
            view! {
                {edits}
                <p>
                    <button type="button" disabled=!has_edits on:click=move |_| go_reset(s.without_edits())>"Reset to the published inputs"</button>
                    " "
                    <button type="button" on:click=move |_| copy_link()>"Copy scenario link"</button>
                </p>
            }
        }}
        {move || {
            let e = edited.get();
            let p = scenario.get().0.params();
            let now = rate(&e, &p).ok().and_then(|x| x.overall);
            let targets: Vec<Rating> = Rating::ALL.iter().copied().filter(|r| Some(*r) > now && *r >= Rating::Good).collect();
            let s = scenario.get().0;
            view! {
                <h3>"The smallest change that would raise it"</h3>
                {if targets.is_empty() { view! { <p>"Nothing: it is already outstanding, or has no rated inputs."</p> }.into_any() } else {
                    targets.into_iter().map(|t| {
                        let solutions = minimal_change(&e, &p, t).unwrap_or_default();
                        let s = s.clone();
                        view! {
                            <h4>{format!("To reach {}", t.label().to_lowercase())}</h4>
                            {if solutions.is_empty() { view! { <p>"Not reachable by changing ratings or scores (for example, a breach caps it)."</p> }.into_any() } else {
                                view! { <ul data-testid=format!("solutions-{}", t.slug())>{solutions.into_iter().map(|sol| {
                                    let mut next = s.clone();
                                    for edit in &sol.edits { next = next.with_edit(*edit); }
                                    let href = format!("?{}", next.to_query());
                                    view! { <li>{sol.descriptions.join("; ")}{format!(" ({} change{}) ", sol.changes, if sol.changes == 1 { "" } else { "s" })}<a href=href>"try it"</a></li> }
                                }).collect_view()}</ul> }.into_any()
                            }}
                        }
                    }).collect_view().into_any()
                }}
                <h3>"What single slip would lower it"</h3>
                {match single_slips(&e, &p) {
                    Ok(slips) if !slips.is_empty() => view! { <ul>{slips.into_iter().map(|slip| view! { <li>{format!("{} → {}", slip.description, slip.result.map(|r| r.label()).unwrap_or("no rating"))}</li> }).collect_view()}</ul> }.into_any(),
                    _ => view! { <p>"No single one-step drop would lower the overall rating."</p> }.into_any(),
                }}
                <h3>"The same evidence under each methodology"</h3>
                <div class="table-wrap"><table>
                    <thead><tr><th scope="col">"Methodology"</th><th scope="col">"Overall"</th></tr></thead>
                    <tbody>{RuleSetId::ALL.iter().map(|rs| {
                        let mut other = e.clone();
                        other.rule_set = *rs;
                        let r = rate(&other, &p).ok().and_then(|x| x.overall);
                        view! { <tr><th scope="row">{rule_set_info(*rs).name}</th><td>{rated_badge(r)}</td></tr> }
                    }).collect_view()}</tbody>
                </table></div>
            }
        }}
    }
}

/// The recomputed result, agreement, evidence-age bar, narrative and trace.
#[component]
fn Explained(explanation: Explanation, agreement: Agreement, scenario: bool) -> impl IntoView {
    let info = rule_set_info(explanation.rule_set);
    let agreement_view = if scenario {
        view! { <div class="panel provisional" role="status">"This is a what-if scenario, not CQC's published rating."</div> }.into_any()
    } else {
        match agreement {
            Agreement::Agrees => view! { <div class="panel ok" data-testid="agreement">"CQC's published overall rating is what the rules give."</div> }.into_any(),
            Agreement::Diverges(class) => view! { <div class="panel warn" data-testid="agreement"><strong>{format!("CQC's published rating differs from the rules: {}. ", class.label())}</strong>{class.explanation()}</div> }.into_any(),
            Agreement::NotComparable => view! { <div class="panel" data-testid="agreement">"There is no published overall rating to compare with."</div> }.into_any(),
        }
    };
    let slices = explanation.evidence_age.slices.clone();
    let colours = [
        "#5c0a12", "#8e0b17", "#a35200", "#7a6a00", "#2a7a3a", "#005a30", "#1d4f91", "#6f3c96",
    ];
    let n = slices.len();
    let bar_label = slices
        .iter()
        .map(|s| format!("{:.0} % from {}", s.share * 100.0, s.label()))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <p>{format!("Rules: {}. ", info.name)}<a href="/methodology">"How these rules work"</a></p>
        <p class="lead" data-testid="recomputed">"The rules give: " {rated_badge(explanation.overall)}</p>
        {agreement_view}
        <h3>"How old is the evidence?"</h3>
        <div class="age-bar" role="img" aria-label=bar_label>
            {slices.iter().enumerate().map(|(i, s)| {
                let colour = if s.scenario { "#1d4f91" } else if s.year.is_none() { "#b1b4b6" } else { colours[(colours.len() + i).saturating_sub(n) % colours.len()] };
                view! { <span style:width=format!("{:.2}%", s.share * 100.0) style:background=colour title=format!("{}: {:.0} %", s.label(), s.share * 100.0)></span> }
            }).collect_view()}
        </div>
        <ul data-testid="age-legend">{slices.iter().map(|s| view! { <li>{format!("{:.0} % from {}", s.share * 100.0, s.label())}</li> }).collect_view()}</ul>
        <div data-testid="narrative">{cqc_engine::explain::narrative::paragraphs(&explanation).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}</div>
        <h3>"Every rule that fired, in order"</h3>
        <ol class="trace" data-testid="trace">
            {explanation.steps.iter().map(|s| view! {
                <li><code>{s.code()}</code>" "{cqc_engine::explain::narrative::step_text(s)}" "{s.provisional().then(provisional_badge)}</li>
            }).collect_view()}
        </ol>
        {explanation.key_questions.iter().filter(|k| k.score.is_some()).map(|k| {
            let score = k.score.clone();
            view! {
                <details>
                    <summary>{format!("{}: {} % from {} quality statements", k.key_question.label(), score.as_ref().map(|s| s.displayed_percent).unwrap_or(0), k.statements.len())}</summary>
                    <table><thead><tr><th scope="col">"Quality statement"</th><th scope="col">"Score"</th><th scope="col">"Where the score comes from"</th></tr></thead>
                    <tbody>{k.statements.iter().map(|st| view! {
                        <tr><td>{st.title}</td><td>{st.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</td><td>{source_label(&st.source)}</td></tr>
                    }).collect_view()}</tbody></table>
                </details>
            }
        }).collect_view()}
    }
}

fn source_label(source: &cqc_engine::model::ScoreSource) -> String {
    use cqc_engine::model::ScoreSource::*;
    match source {
        Assessed { date: d } => format!("assessed by CQC ({})", date(*d)),
        CarriedForward { .. } => {
            "not assessed this time: CQC's carried-forward score (date not published)".into()
        }
        SeededFromRating { rating, date: d } => format!(
            "seeded from the {} rating of {} (as CQC does; not a real score)",
            rating.label().to_lowercase(),
            date(*d)
        ),
        UserEntered => "your scenario".into(),
    }
}

/// One select per key question (legacy and 2026 rules).
fn kq_editors(e: &Evidence, s: Scenario, go: impl Fn(Scenario) + Clone + 'static) -> impl IntoView {
    view! {
        <div class="filters">
            {KeyQuestion::ALL.iter().map(|kq| {
                let current = e.key_question(*kq).and_then(|k| k.rating.as_ref()).and_then(|r| r.value.rated());
                let id = format!("edit-{}", kq.slug());
                let go = go.clone();
                let s = s.clone();
                let kq = *kq;
                view! {
                    <div>
                        <label for=id.clone()>{kq.label()}</label>
                        <select id=id prop:value=current.map(|r| r.slug()).unwrap_or("none") on:change=move |ev| {
                            let v = event_target_value(&ev);
                            go(s.with_edit(Edit::KqRating { key_question: kq, rating: Rating::from_slug(&v) }));
                        }>
                            {Rating::ALL.iter().rev().map(|r| view! { <option value=r.slug()>{r.label()}</option> }).collect_view()}
                            <option value="none">"Not rated"</option>
                        </select>
                    </div>
                }
            }).collect_view()}
            <div>
                <label for="edit-breach"><input id="edit-breach" type="checkbox" prop:checked=e.breach on:change={
                    let go = go.clone();
                    let s = s.clone();
                    move |ev| go(s.with_edit(Edit::Breach(event_target_checked(&ev))))
                } />" A breach of regulations"</label>
            </div>
        </div>
    }
}

/// Score inputs for every quality statement (SAF rules), starting from CQC's published or
/// seeded scores, labelled as such.
fn statement_editors(
    e: &Evidence,
    explained: Option<&Explanation>,
    s: Scenario,
    go: impl Fn(Scenario) + Clone + 'static,
) -> impl IntoView {
    view! {
        <p>"Scores start from CQC's published quality-statement scores where the data has them, and otherwise from the scores CQC seeds from the published rating (marked “seeded”). Type in the scores from your report."</p>
        {KeyQuestion::ALL.iter().map(|kq| {
            let result = explained.and_then(|x| x.key_question(*kq)).cloned();
            let go = go.clone();
            let s = s.clone();
            let _ = e;
            view! {
                <fieldset>
                    <legend>{format!("{}{}", kq.label(), result.as_ref().and_then(|r| r.score.as_ref()).map(|sc| format!(": {} % ({})", sc.displayed_percent, sc.rating.label())).unwrap_or_default())}</legend>
                    <div class="filters">
                    {quality_statements_for(*kq).filter_map(|def| {
                        let st = result.as_ref()?.statements.iter().find(|x| x.id == def.id)?.clone();
                        let id = format!("qs-{}", def.id);
                        let go = go.clone();
                        let s = s.clone();
                        let seeded = matches!(st.source, cqc_engine::model::ScoreSource::SeededFromRating { .. });
                        let def_id = def.id;
                        Some(view! {
                            <div>
                                <label for=id.clone()>{def.title}{seeded.then_some(" (seeded)")}</label>
                                <select id=id prop:value=st.score.map(|x| x.to_string()).unwrap_or_default() on:change=move |ev| {
                                    if let Ok(score) = event_target_value(&ev).parse::<u8>() {
                                        go(s.with_edit(Edit::StatementScore { id: def_id, score }));
                                    }
                                }>
                                    <option value="4">"4 exceptional"</option>
                                    <option value="3">"3 good"</option>
                                    <option value="2">"2 some shortfalls"</option>
                                    <option value="1">"1 significant shortfalls"</option>
                                </select>
                            </div>
                        })
                    }).collect_view()}
                    </div>
                </fieldset>
            }
        }).collect_view()}
    }
}

fn copy_link() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let _ = window.navigator().clipboard().write_text(&href);
}
