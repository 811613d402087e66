//! One module per page.

mod councils;
mod location;
mod national;
mod other;
mod search;

pub use councils::{CouncilPage, CouncilsPage};
pub use location::LocationPage;
pub use national::NationalPage;
pub use other::{LoadPage, MethodologyPage, NotFound, ProviderPage};
pub use search::SearchPage;
