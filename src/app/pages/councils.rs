//! Councils: the list of CQC's 72 local-authority assessments under the Care Act, and one
//! council's page with its nine statement scores, the rating they give under CQC's bands, the
//! published rating beside it, a what-if on the scores and the single scores that would move it.
//! The table is CQC's published one (`/data/councils.csv`), fetched when a council page opens.

use crate::app::components::{rated_badge, rating_badge};
use cqc_engine::council::{
    read_councils, recompute_scores, single_score_moves, CouncilAgreement, CouncilAssessment,
    COUNCIL_RULES_SOURCE, COUNCIL_STATEMENTS,
};
use cqc_engine::rules::{KqScore, RuleParams};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const COUNCILS_URL: &str = "/data/councils.csv";

async fn fetch_councils() -> Result<Vec<CouncilAssessment>, String> {
    let response = gloo::net::http::Request::get(COUNCILS_URL)
        .send()
        .await
        .map_err(|e| format!("could not fetch {COUNCILS_URL}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "could not fetch {COUNCILS_URL}: HTTP {}",
            response.status()
        ));
    }
    let text = response
        .text()
        .await
        .map_err(|e| format!("could not read {COUNCILS_URL}: {e}"))?;
    read_councils("councils.csv", &text).map_err(|e| e.to_string())
}

/// Shows `body` with the council table once it has arrived, or what went wrong.
fn with_councils<V: IntoView + 'static>(
    body: impl Fn(Vec<CouncilAssessment>) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let councils = LocalResource::new(fetch_councils);
    move || match councils.get() {
        None => view! { <p role="status">"Loading the council assessments…"</p> }.into_any(),
        Some(Err(message)) => {
            view! { <p class="panel error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(list)) => body(list).into_view().into_any(),
    }
}

fn agreement_label(agreement: CouncilAgreement) -> &'static str {
    match agreement {
        CouncilAgreement::Agrees => "Agrees",
        CouncilAgreement::Differs => "Differs",
        CouncilAgreement::NotRated => "CQC published no rating",
    }
}

#[component]
pub fn CouncilsPage() -> impl IntoView {
    view! {
        <h1>"Councils' adult social care"</h1>
        <p>
            "Since 2024 CQC assesses how each council meets its duties under the Care Act 2014. "
            "It scores nine quality statements from 1 to 4, adds them up as one percentage and "
            "rates the council by the same bands it uses for services. "
            <a href=COUNCIL_RULES_SOURCE>"How CQC determines councils' ratings"</a>
            "."
        </p>
        {with_councils(|councils| view! { <CouncilTable councils/> })}
    }
}

#[component]
fn CouncilTable(councils: Vec<CouncilAssessment>) -> impl IntoView {
    let params = RuleParams::default();
    let agree = councils
        .iter()
        .filter(|c| c.agreement(&params) == CouncilAgreement::Agrees)
        .count();
    let rated = councils
        .iter()
        .filter(|c| c.agreement(&params) != CouncilAgreement::NotRated)
        .count();
    let rows = councils
        .iter()
        .map(|council| {
            let result = council.recompute(&params);
            let href = format!("/council/{}", council.slug());
            view! {
                <tr>
                    <th scope="row"><a href=href>{council.name.clone()}</a></th>
                    <td>{council.kind.clone()}</td>
                    <td>{rating_badge(Some(council.published))}</td>
                    <td>{rated_badge(result.as_ref().map(|r| r.rating))}</td>
                    <td class="num">{percent(result.as_ref())}</td>
                    <td>{agreement_label(council.agreement(&params))}</td>
                    <td>{council.month.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-testid="council-summary">
            {format!(
                "{} councils assessed. For {agree} of the {rated} with a published rating, the rules give the same rating from the nine scores.",
                councils.len()
            )}
        </p>
        <div class="table-wrap">
            <table>
                <caption>"Every council CQC has assessed, with the rating its scores give"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Council"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Published"</th>
                        <th scope="col">"By the rules"</th>
                        <th scope="col">"Score"</th>
                        <th scope="col">"Agreement"</th>
                        <th scope="col">"Published in"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn percent(result: Option<&KqScore>) -> String {
    result.map_or_else(
        || "no score".to_string(),
        |r| format!("{} %", r.displayed_percent),
    )
}

#[component]
pub fn CouncilPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        {with_councils(move |councils| {
            let slug = params.get().get("slug").unwrap_or_default();
            match councils.into_iter().find(|c| c.slug() == slug) {
                Some(council) => view! { <CouncilDetail council/> }.into_any(),
                None => view! {
                    <h1>"Council not found"</h1>
                    <p>"No council assessment with that name is in CQC's published table. "
                        <a href="/councils">"See every council"</a>"."</p>
                }
                .into_any(),
            }
        })}
    }
}

#[component]
fn CouncilDetail(council: CouncilAssessment) -> impl IntoView {
    let params = RuleParams::default();
    let published = council.published;
    let scores = RwSignal::new(council.scores);
    let original = council.scores;
    let result = Memo::new(move |_| recompute_scores(&scores.get(), &RuleParams::default()));
    let edited = move || scores.get() != original;
    let published_line = match published.rated() {
        Some(_) => view! {
            <p>"CQC's published rating ("{council.month.clone()}"): "{rating_badge(Some(published))}</p>
        }
        .into_any(),
        None => view! {
            <p>
                "CQC published this assessment ("{council.month.clone()}") as "
                {rating_badge(Some(published))}
                ": it gave no overall rating, though it published the nine scores. "
                "The rules' result below is what the scores would give under the bands, not a rating CQC awarded."
            </p>
        }
        .into_any(),
    };
    let moves = single_score_moves(&original, &params);
    let rule_text = bands_sentence(&params);
    view! {
        <h1>{council.name.clone()}</h1>
        <p class="muted">{council.kind.clone()}" · adult social care assessment under the Care Act 2014"</p>
        {published_line}
        <div class="panel" role="status" aria-live="polite" data-testid="council-result">
            {move || result_line(result.get().as_ref(), edited())}
        </div>
        <h2>"The nine scores"</h2>
        <p>"Change a score to see the rating it would give. 1: significant shortfalls, 2: some shortfalls, 3: good standard, 4: exceptional standard."</p>
        <ScoreTable scores/>
        <button type="button" on:click=move |_| scores.set(original) disabled=move || !edited()>
            "Back to CQC's scores"
        </button>
        <h2>"Which single score would move it"</h2>
        <MoveList moves/>
        <p class="muted">
            {rule_text}" See "
            <a href="/methodology">"how ratings are calculated"</a>" and "
            <a href=COUNCIL_RULES_SOURCE>"CQC's page"</a>"."
        </p>
        <p><a href="/councils">"Every council"</a></p>
    }
}

/// The rule in words, from the same bands the engine rates with.
fn bands_sentence(params: &RuleParams) -> String {
    let bands: Vec<String> = params
        .percentage_bands
        .iter()
        .map(|b| {
            format!(
                "{} to {} % {}",
                b.from_percent,
                b.to_percent,
                b.rating.label().to_lowercase()
            )
        })
        .collect();
    format!(
        "The rule: all nine statements weigh the same, the points are taken as a share of the most they could be, and the share is rated {}.",
        bands.join(", ")
    )
}

fn result_line(result: Option<&KqScore>, edited: bool) -> impl IntoView {
    let lead = if edited {
        "With your scores the rules give "
    } else {
        "From CQC's scores the rules give "
    };
    match result {
        Some(r) => view! {
            <p>
                {lead}{rated_badge(Some(r.rating))}
                {format!(": {} of {} points, {} %.", r.points, r.max_points, r.displayed_percent)}
                {r.boundary.then_some(" This is a boundary case: how CQC rounds decides the rating.")}
            </p>
        }
        .into_any(),
        None => view! { <p>"These scores give no result."</p> }.into_any(),
    }
}

#[component]
fn ScoreTable(scores: RwSignal<[u8; 9]>) -> impl IntoView {
    let rows = COUNCIL_STATEMENTS
        .iter()
        .enumerate()
        .map(|(i, statement)| {
            let id = format!("council-score-{}", i + 1);
            let label_for = id.clone();
            view! {
                <tr>
                    <td>{statement.theme}</td>
                    <th scope="row"><label for=label_for>{statement.title}</label></th>
                    <td>
                        <select
                            id=id
                            prop:value=move || scores.get()[i].to_string()
                            on:change=move |ev| {
                                if let Ok(score) = event_target_value(&ev).parse::<u8>() {
                                    scores.update(|s| s[i] = score);
                                }
                            }
                        >
                            {(1..=4u8).map(|s| view! { <option value=s.to_string()>{s.to_string()}</option> }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Theme"</th>
                        <th scope="col">"Quality statement"</th>
                        <th scope="col">"Score"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn MoveList(moves: Vec<cqc_engine::council::ScoreMove>) -> impl IntoView {
    if moves.is_empty() {
        return view! { <p>"No single score, changed on its own, would change the rating."</p> }
            .into_any();
    }
    let items = moves
        .into_iter()
        .map(|m| {
            view! {
                <li>
                    {format!("{} from {} to {}: ", COUNCIL_STATEMENTS[m.statement].title, m.from, m.to)}
                    {rated_badge(Some(m.rating))}
                </li>
            }
        })
        .collect_view();
    view! { <ul data-testid="council-moves">{items}</ul> }.into_any()
}
