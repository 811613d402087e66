//! One module per page.

mod compare;
mod councils;
mod load;
mod location;
mod methodology;
mod national;
mod near;
mod not_found;
mod provider;
mod provider_spread;
mod search;

pub use compare::{ComparePage, CompareSelection};
pub use councils::{CouncilPage, CouncilsPage};
pub use load::LoadPage;
pub use location::LocationPage;
pub use methodology::MethodologyPage;
pub use national::NationalPage;
pub use near::NearPage;
pub use not_found::NotFound;
pub use provider::ProviderPage;
pub use search::SearchPage;
