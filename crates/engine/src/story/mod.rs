//! A rating's story over time: every overall rating CQC published for a location in order
//! ([`timeline`]), how long since it was last inspected against CQC's stated expectation
//! ([`clock`]), and what changed between two months of data ([`diff`]). The location page,
//! `cqc show` and `cqc diff` read these; they are plain data with serde derives.

pub mod clock;
pub mod diff;
pub mod timeline;

pub use clock::{
    clock_summary, reinspection_clock, ClockBasis, ClockGroup, ClockStanding, ClockSummary,
    LastSeen, ReinspectionClock,
};
pub use diff::{diff_snapshots, Change, ChangeKind, ChangeList, SnapshotDiff};
pub use timeline::{
    rating_timeline, Direction, RatingChange, RatingTimeline, TimelineEntry, TimelineSource,
};
