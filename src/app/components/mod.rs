//! Small pieces of view shared by the pages: rating, age, closed and provisional badges, bar
//! charts with their keys and tables, the
//! data's freshness, table regions, counted nouns, and moving the focus to what an action produced.

mod badges;
pub mod charts;
mod deferred;
mod dropped_banner;
mod focus;
mod freshness;
mod offline_banner;
mod table;

pub use badges::{age_badge, closed_badge, date, provisional_badge, rated_badge, rating_badge};
pub use deferred::after_first_draw;
pub use dropped_banner::DroppedDataBanner;
pub use focus::focus_when_ready;
pub use freshness::{as_of_line, StaleDataNotice};
pub use offline_banner::OfflineBanner;
pub use table::TableRegion;

/// "1 location", "3 locations": the count and its noun agree.
pub fn counted(n: usize, singular: &str, plural: &str) -> String {
    cqc_engine::explain::narrative::count(u32::try_from(n).unwrap_or(u32::MAX), singular, plural)
}
