//! Small pieces of view shared by the pages: rating, age and provisional badges.

mod badges;

pub use badges::{age_badge, date, provisional_badge, rated_badge, rating_badge};
