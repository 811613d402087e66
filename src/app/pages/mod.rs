//! One module per page.

mod location;
mod national;
mod other;
mod search;

pub use location::LocationPage;
pub use national::NationalPage;
pub use other::{LoadPage, MethodologyPage, NotFound, ProviderPage};
pub use search::SearchPage;
