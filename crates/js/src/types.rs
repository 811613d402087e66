//! The JavaScript API's own types: the shapes a page passes in and gets back, and their
//! TypeScript declarations (the one `typescript_custom_section` below, which wasm-bindgen copies
//! into `cqc_ratings.d.ts`). They are converted from and to the engine's types in `convert.rs`
//! only, so a change inside the engine cannot change what JavaScript sees without a change here.
//!
//! The shapes are serde's externally tagged JSON: an enum variant without data is its name as a
//! string (`"Good"`), one with data is an object with a single key (`{ "Rated": "Good" }`).
//! Absent values are `null`. Dates are ISO 8601 days (`"2025-04-17"`; chrono's `NaiveDate`).
//! tests/e2e/js_api.test.mjs compiles real outputs against the declarations with `tsc --strict`.

use cqc_engine::model::Date;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = r#"
/** An ISO 8601 day, e.g. "2025-04-17". */
export type IsoDate = string;
export type Rating = "Inadequate" | "RequiresImprovement" | "Good" | "Outstanding";
export type KeyQuestion = "Safe" | "Effective" | "Caring" | "Responsive" | "WellLed";
export type RuleSetId = "G1Kloe" | "G2SafEvidenceCategories" | "G3SafQualityStatements" | "G4Draft2026";
/** Why a rating slot has no rating. */
export type NotRatedKind = "NotRated" | "InspectedButNotRated" | "InsufficientEvidence" | "RegulationsMet"
  | "RegulationsNotMet" | "NotApplicable" | "NoPublishedRating" | "Suspended" | "UnderAppeal";
export type RatingValue = { Rated: Rating } | { Unrated: NotRatedKind };
export type RuleId = "BreachCap" | "InadequateThreshold" | "RequiresImprovementThreshold" | "OutstandingThreshold"
  | "GoodDefault" | "SingleInadequateFallback" | "InadequatePrecedence" | "UnratedExcluded" | "InheritedNotMixed"
  | "SafKeyQuestionPercentage" | "SafBands" | "SafTiePolicy" | "SafOutstandingLimiter" | "SafGoodLimiter"
  | "SafSeedFromRating" | "SafEvidenceCategoryConversion" | "SafOverallByPrinciples" | "LocalAuthorityOverall"
  | "DraftJudgementLeaf" | "DraftOverallAssumed" | "LegacyJudgementLeaf" | "RequirementNoticeLimiter"
  | "WarningNoticeLimiter" | "RegisteredManagerLimiter";
/** How sure the explorer is that a rule is CQC's: anything but "Confirmed" is provisional. */
export type RuleStatus = "Confirmed" | "Empirical" | "Inferred" | "Unconfirmed";
export type TiePolicy = "RoundHalfUp" | "StrictBands" | "RoundHalfEven";

/** One location's evidence under one rule set: the input of rate, explain, whatIf, minimalChange. */
export interface Evidence {
  rule_set: RuleSetId;
  key_questions: KqEvidence[];
  /** A breach of regulations (caps the overall at requires improvement). */
  breach?: boolean;
  /** Enforcement and registered-manager limiters: facts CQC's open data does not carry. */
  limiters?: Limiter[];
  /** The day evidence ages are measured from. */
  as_of?: IsoDate | null;
}
export type LimiterKind = "RequirementNotice" | "WarningNotice" | "NoRegisteredManager";
/** A limiter on one key question (a registered manager limits Well-led only). */
export interface Limiter { key_question: KeyQuestion; kind: LimiterKind }
export interface KqEvidence {
  key_question: KeyQuestion;
  rating?: RatingInput | null;
  /** Quality-statement scores (single assessment framework rule sets). */
  statements?: StatementInput[];
}
export interface RatingInput {
  value: RatingValue;
  published?: IsoDate | null;
  /** Carried over from a previous registration. */
  inherited: boolean;
}
export interface StatementInput {
  /** CQC's quality-statement id, 1–34. */
  id: number;
  /** 1–4, or null when not scored. */
  score?: number | null;
  source: ScoreSource;
  /** Evidence-category scores (1–4 each), for assessments before December 2024. */
  category_scores?: number[];
}
export type ScoreSource =
  | { Assessed: { date: IsoDate | null } }
  | { CarriedForward: { date: IsoDate | null } }
  | { SeededFromRating: { rating: Rating; date: IsoDate | null } }
  | "UserEntered";

/** One change to the evidence, for whatIf; minimalChange returns them too. */
export type Edit =
  | { KqRating: { key_question: KeyQuestion; rating: Rating | null } }
  | { StatementScore: { id: number; score: number } }
  | { KqDate: { key_question: KeyQuestion; date: IsoDate } }
  | { Breach: boolean }
  | { Limiter: { limiter: Limiter; applies: boolean } };

/** What rate, explain and whatIf return. */
export interface Explanation {
  rule_set: RuleSetId;
  /** null when no key question is rated. */
  overall: Rating | null;
  /** The aggregation before any cap. */
  aggregation: Aggregation | null;
  key_questions: KqResult[];
  /** Each rule that fired, in order. */
  steps: Step[];
  warnings: string[];
  evidence_age: EvidenceAge;
  /** The explanation as plain-English paragraphs. */
  narrative: string[];
}
export interface Aggregation {
  rating: Rating;
  rule: RuleId;
  counts: Counts;
  band: AggregationBand;
  precedence_applied: boolean;
}
export interface Counts { outstanding: number; good: number; requires_improvement: number; inadequate: number }
export interface KqResult {
  key_question: KeyQuestion;
  rating: Rating | null;
  published: RatingValue | null;
  published_date: IsoDate | null;
  inherited: boolean;
  score: KqScore | null;
  statements: StatementResult[];
  /** Why it was left out of the overall, if it was. */
  excluded_because: string | null;
}
export interface KqScore {
  points: number;
  max_points: number;
  exact_percent: number;
  displayed_percent: number;
  band_rating: Rating;
  rating: Rating;
  limiter: RuleId | null;
  lowest_score: number;
  boundary: boolean;
}
export interface StatementResult {
  id: number;
  title: string;
  score: number | null;
  source: ScoreSource;
  category_scores: number[];
}
export interface Step {
  rule: RuleId;
  code: string;
  /** What it applied to: "Overall", "Safe", … */
  scope: string;
  provisional: boolean;
  text: string;
}
export interface EvidenceAge {
  as_of: IsoDate | null;
  /** Oldest first; undated and scenario slices last. */
  slices: AgeSlice[];
  oldest: IsoDate | null;
  newest: IsoDate | null;
  span_days: number | null;
  mean_age_years: number | null;
}
export interface AgeSlice {
  /** "2019", "date not published" or "your scenario". */
  label: string;
  year: number | null;
  share: number;
  scenario: boolean;
}

/** One cheapest set of edits that reaches minimalChange's target. */
export interface Solution {
  edits: Edit[];
  /** Each edit in words, same order. */
  descriptions: string[];
  changes: number;
  steps: number;
  result: Rating;
}

/** Every parameter of the rules; ruleSets().params are the defaults. */
export interface RuleParams {
  aggregation_bands: AggregationBand[];
  percentage_bands: PercentageBand[];
  tie_policy: TiePolicy;
  outstanding_limiter_max_score: number;
  good_limiter_max_score: number;
  apply_limiters: boolean;
}
export interface AggregationBand {
  min_n: number;
  max_n: number | null;
  outstanding_at_least: number;
  ri_at_least: number;
  inadequate_at_least: number;
  ri_and_inadequate_status: RuleStatus;
}
export interface PercentageBand { rating: Rating; from_percent: number; to_percent: number }

/** What ruleSets returns. */
export interface Catalogue {
  rule_sets: RuleSetInfo[];
  rules: Rule[];
  params: RuleParams;
  /** Worst first. */
  ratings: Rating[];
}
export interface RuleSetInfo {
  id: RuleSetId;
  name: string;
  period: string;
  key_question_method: string;
  overall_method: string;
  source: string;
  /** The rules it can fire, in evaluation order. */
  rules: RuleId[];
}
export interface Rule {
  id: RuleId;
  code: string;
  title: string;
  statement: string;
  status: RuleStatus;
  source: string;
  spec_ref: string;
}
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    Inadequate,
    RequiresImprovement,
    Good,
    Outstanding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyQuestion {
    Safe,
    Effective,
    Caring,
    Responsive,
    WellLed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleSetId {
    G1Kloe,
    G2SafEvidenceCategories,
    G3SafQualityStatements,
    G4Draft2026,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotRatedKind {
    NotRated,
    InspectedButNotRated,
    InsufficientEvidence,
    RegulationsMet,
    RegulationsNotMet,
    NotApplicable,
    NoPublishedRating,
    Suspended,
    UnderAppeal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingValue {
    Rated(Rating),
    Unrated(NotRatedKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleId {
    BreachCap,
    InadequateThreshold,
    RequiresImprovementThreshold,
    OutstandingThreshold,
    GoodDefault,
    SingleInadequateFallback,
    InadequatePrecedence,
    UnratedExcluded,
    InheritedNotMixed,
    SafKeyQuestionPercentage,
    SafBands,
    SafTiePolicy,
    SafOutstandingLimiter,
    SafGoodLimiter,
    SafSeedFromRating,
    SafEvidenceCategoryConversion,
    SafOverallByPrinciples,
    LocalAuthorityOverall,
    DraftJudgementLeaf,
    DraftOverallAssumed,
    LegacyJudgementLeaf,
    RequirementNoticeLimiter,
    WarningNoticeLimiter,
    RegisteredManagerLimiter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleStatus {
    Confirmed,
    Empirical,
    Inferred,
    Unconfirmed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TiePolicy {
    RoundHalfUp,
    StrictBands,
    RoundHalfEven,
}

/// One location's evidence under one rule set.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Evidence {
    pub rule_set: RuleSetId,
    pub key_questions: Vec<KqEvidence>,
    #[serde(default)]
    pub breach: bool,
    #[serde(default)]
    pub limiters: Vec<Limiter>,
    #[serde(default)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimiterKind {
    RequirementNotice,
    WarningNotice,
    NoRegisteredManager,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limiter {
    pub key_question: KeyQuestion,
    pub kind: LimiterKind,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KqEvidence {
    pub key_question: KeyQuestion,
    #[serde(default)]
    pub rating: Option<RatingInput>,
    #[serde(default)]
    pub statements: Vec<StatementInput>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RatingInput {
    pub value: RatingValue,
    #[serde(default)]
    pub published: Option<Date>,
    pub inherited: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StatementInput {
    pub id: u8,
    #[serde(default)]
    pub score: Option<u8>,
    pub source: ScoreSource,
    #[serde(default)]
    pub category_scores: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScoreSource {
    Assessed { date: Option<Date> },
    CarriedForward { date: Option<Date> },
    SeededFromRating { rating: Rating, date: Option<Date> },
    UserEntered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    KqRating {
        key_question: KeyQuestion,
        rating: Option<Rating>,
    },
    StatementScore {
        id: u8,
        score: u8,
    },
    KqDate {
        key_question: KeyQuestion,
        date: Date,
    },
    Breach(bool),
    Limiter {
        limiter: Limiter,
        applies: bool,
    },
}

/// What `rate`, `explain` and `whatIf` return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub rule_set: RuleSetId,
    pub overall: Option<Rating>,
    pub aggregation: Option<Aggregation>,
    pub key_questions: Vec<KqResult>,
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
    pub evidence_age: EvidenceAge,
    pub narrative: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregation {
    pub rating: Rating,
    pub rule: RuleId,
    pub counts: Counts,
    pub band: AggregationBand,
    pub precedence_applied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KqResult {
    pub key_question: KeyQuestion,
    pub rating: Option<Rating>,
    pub published: Option<RatingValue>,
    pub published_date: Option<Date>,
    pub inherited: bool,
    pub score: Option<KqScore>,
    pub statements: Vec<StatementResult>,
    pub excluded_because: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KqScore {
    pub points: u32,
    pub max_points: u32,
    pub exact_percent: f64,
    pub displayed_percent: u32,
    pub band_rating: Rating,
    pub rating: Rating,
    pub limiter: Option<RuleId>,
    pub lowest_score: u8,
    pub boundary: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementResult {
    pub id: u8,
    pub title: &'static str,
    pub score: Option<u8>,
    pub source: ScoreSource,
    pub category_scores: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub rule: RuleId,
    pub code: &'static str,
    pub scope: String,
    pub provisional: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceAge {
    pub as_of: Option<Date>,
    pub slices: Vec<AgeSlice>,
    pub oldest: Option<Date>,
    pub newest: Option<Date>,
    pub span_days: Option<i64>,
    pub mean_age_years: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeSlice {
    pub label: String,
    pub year: Option<i32>,
    pub share: f64,
    pub scenario: bool,
}

/// One cheapest way to reach `minimalChange`'s target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    pub edits: Vec<Edit>,
    pub descriptions: Vec<String>,
    pub changes: u32,
    pub steps: u32,
    pub result: Rating,
}

/// Every parameter of the rules, in and out (`ruleSets().params` are the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleParams {
    pub aggregation_bands: Vec<AggregationBand>,
    pub percentage_bands: Vec<PercentageBand>,
    pub tie_policy: TiePolicy,
    pub outstanding_limiter_max_score: u8,
    pub good_limiter_max_score: u8,
    pub apply_limiters: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregationBand {
    pub min_n: u32,
    pub max_n: Option<u32>,
    pub outstanding_at_least: u32,
    pub ri_at_least: u32,
    pub inadequate_at_least: u32,
    pub ri_and_inadequate_status: RuleStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PercentageBand {
    pub rating: Rating,
    pub from_percent: u32,
    pub to_percent: u32,
}

/// What `ruleSets` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    pub rule_sets: Vec<RuleSetInfo>,
    pub rules: Vec<Rule>,
    pub params: RuleParams,
    pub ratings: Vec<Rating>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSetInfo {
    pub id: RuleSetId,
    pub name: &'static str,
    pub period: String,
    pub key_question_method: String,
    pub overall_method: &'static str,
    pub source: &'static str,
    pub rules: Vec<RuleId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: RuleId,
    pub code: &'static str,
    pub title: String,
    pub statement: String,
    pub status: RuleStatus,
    pub source: &'static str,
    pub spec_ref: &'static str,
}
