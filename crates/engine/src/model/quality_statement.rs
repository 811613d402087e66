//! The 34 quality statements and 6 evidence categories of the single assessment framework, with
//! CQC's exact titles and the numeric ids its API uses (`qualityStatementId`, `evidenceCategoryId`).

use super::KeyQuestion;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QualityStatementDef {
    /// CQC's API id, 1–34, numbered in CQC's order within each key question.
    pub id: u8,
    pub key_question: KeyQuestion,
    pub title: &'static str,
}

const fn qs(id: u8, key_question: KeyQuestion, title: &'static str) -> QualityStatementDef {
    QualityStatementDef {
        id,
        key_question,
        title,
    }
}

use KeyQuestion::{Caring, Effective, Responsive, Safe, WellLed};

/// Spec §4.1; ids as sent by CQC's API (checked against the Oldham responses).
pub const QUALITY_STATEMENTS: [QualityStatementDef; 34] = [
    qs(1, Safe, "Learning culture"),
    qs(2, Safe, "Safe systems, pathways and transitions"),
    qs(3, Safe, "Safeguarding"),
    qs(4, Safe, "Involving people to manage risks"),
    qs(5, Safe, "Safe environments"),
    qs(6, Safe, "Safe and effective staffing"),
    qs(7, Safe, "Infection prevention and control"),
    qs(8, Safe, "Medicines optimisation"),
    qs(9, Effective, "Assessing needs"),
    qs(
        10,
        Effective,
        "Delivering evidence-based care and treatment",
    ),
    qs(11, Effective, "How staff, teams and services work together"),
    qs(12, Effective, "Supporting people to live healthier lives"),
    qs(13, Effective, "Monitoring and improving outcomes"),
    qs(14, Effective, "Consent to care and treatment"),
    qs(15, Caring, "Kindness, compassion and dignity"),
    qs(16, Caring, "Treating people as individuals"),
    qs(17, Caring, "Independence, choice and control"),
    qs(18, Caring, "Responding to people's immediate needs"),
    qs(19, Caring, "Workforce wellbeing and enablement"),
    qs(20, Responsive, "Person-centred care"),
    qs(21, Responsive, "Care provision, integration and continuity"),
    qs(22, Responsive, "Providing information"),
    qs(23, Responsive, "Listening to and involving people"),
    qs(24, Responsive, "Equity in access"),
    qs(25, Responsive, "Equity in experiences and outcomes"),
    qs(26, Responsive, "Planning for the future"),
    qs(27, WellLed, "Shared direction and culture"),
    qs(28, WellLed, "Capable, compassionate and inclusive leaders"),
    qs(29, WellLed, "Freedom to speak up"),
    qs(30, WellLed, "Workforce equality, diversity and inclusion"),
    qs(31, WellLed, "Governance, management and sustainability"),
    qs(32, WellLed, "Partnerships and communities"),
    qs(33, WellLed, "Learning, improvement and innovation"),
    qs(
        34,
        WellLed,
        "Environmental sustainability – sustainable development",
    ),
];

/// The statement with this API id. Statement `n` is listed `n`th (a test checks it): the
/// engine looks up every statement it is given.
pub fn quality_statement(id: u8) -> Option<&'static QualityStatementDef> {
    QUALITY_STATEMENTS
        .get(usize::from(id).checked_sub(1)?)
        .filter(|q| q.id == id)
}

/// The statements of one key question, in CQC's order.
pub fn quality_statements_for(
    key_question: KeyQuestion,
) -> impl Iterator<Item = &'static QualityStatementDef> {
    let (start, end) = RUNS[key_question as usize];
    QUALITY_STATEMENTS[start..end]
        .iter()
        .filter(move |q| q.key_question == key_question)
}

/// Each key question's run of [`QUALITY_STATEMENTS`], which lists them key question by key
/// question (a test checks that every statement is in its run): the national audit reads a
/// statement-scored key question's statements for 60,000 locations, and the run spares it
/// passing over the other 26 or so each time.
const RUNS: [(usize, usize); KeyQuestion::ALL.len()] = {
    let mut runs = [(usize::MAX, 0); KeyQuestion::ALL.len()];
    let mut i = 0;
    while i < QUALITY_STATEMENTS.len() {
        let run = &mut runs[QUALITY_STATEMENTS[i].key_question as usize];
        if run.0 == usize::MAX {
            run.0 = i;
        }
        run.1 = i + 1;
        i += 1;
    }
    runs
};

/// The six evidence categories (spec §4.2), numbered as CQC's API numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EvidenceCategory {
    PeoplesExperience = 1,
    FeedbackFromStaffAndLeaders = 2,
    FeedbackFromPartners = 3,
    Observation = 4,
    Processes = 5,
    Outcomes = 6,
}

impl EvidenceCategory {
    pub const ALL: [EvidenceCategory; 6] = [
        EvidenceCategory::PeoplesExperience,
        EvidenceCategory::FeedbackFromStaffAndLeaders,
        EvidenceCategory::FeedbackFromPartners,
        EvidenceCategory::Observation,
        EvidenceCategory::Processes,
        EvidenceCategory::Outcomes,
    ];

    pub fn title(self) -> &'static str {
        match self {
            EvidenceCategory::PeoplesExperience => {
                "People's experience of health and care services"
            }
            EvidenceCategory::FeedbackFromStaffAndLeaders => "Feedback from staff and leaders",
            EvidenceCategory::FeedbackFromPartners => "Feedback from partners",
            EvidenceCategory::Observation => "Observation",
            EvidenceCategory::Processes => "Processes",
            EvidenceCategory::Outcomes => "Outcomes",
        }
    }

    pub fn from_id(id: u8) -> Option<EvidenceCategory> {
        EvidenceCategory::ALL.into_iter().find(|c| *c as u8 == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_question_are_8_6_5_7_8() {
        let counts: Vec<usize> = KeyQuestion::ALL
            .iter()
            .map(|kq| quality_statements_for(*kq).count())
            .collect();
        assert_eq!(counts, vec![8, 6, 5, 7, 8]);
        for (i, q) in QUALITY_STATEMENTS.iter().enumerate() {
            assert_eq!(q.id as usize, i + 1);
            assert_eq!(quality_statement(q.id), Some(q));
        }
        // Each key question's run holds all its statements (the list is in key-question order).
        for kq in KeyQuestion::ALL {
            let in_run: Vec<_> = quality_statements_for(kq).collect();
            let all: Vec<_> = QUALITY_STATEMENTS
                .iter()
                .filter(|q| q.key_question == kq)
                .collect();
            assert_eq!(in_run, all, "{kq:?}");
        }
        assert_eq!(quality_statement(0), None);
        assert_eq!(quality_statement(35), None);
    }
}
