//! One module per page.

mod location;
mod other;
mod search;

pub use location::LocationPage;
pub use other::{LoadPage, MethodologyPage, NationalPage, NotFound, ProviderPage};
pub use search::SearchPage;
