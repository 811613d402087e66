//! The search box's text between the keystroke and the address. The results follow each
//! keystroke at once; the address (a history entry) follows when typing pauses, or when the box
//! loses focus or its form is submitted. The navigation took 3–25 ms of each keystroke's task
//! (once 78 ms) on a 2-core machine, and a cold shard the keystroke had asked for could not be
//! read until it was done: the answer to a cold search came 58 ms after the
//! keystroke (median of ten words), and 36 ms with the navigation after the pause.

use super::query::Query;
use super::Go;
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the address shows the text.
const PAUSE: Duration = Duration::from_millis(400);

/// The text typed over an address that does not show it yet.
#[derive(Clone, Copy)]
pub struct Typing {
    /// The query of the address the text was typed over, and the text. Read only while the
    /// address is still that one: Back, a filter or a link moves past it without a word.
    typed: RwSignal<Option<(Query, String)>>,
    /// Counts keystrokes, so that only the last one's pause moves the address.
    keystrokes: StoredValue<u64>,
    address: Memo<Query>,
}

impl Typing {
    /// `address`: the query the address itself shows.
    pub fn new(address: Memo<Query>) -> Typing {
        Typing {
            typed: RwSignal::new(None),
            keystrokes: StoredValue::new(0),
            address,
        }
    }

    /// The query to show: the address's, with the text typed over it if there is one.
    pub fn query(&self) -> Query {
        let mut query = self.address.get();
        self.typed.with(|typed| {
            if let Some((_, text)) = typed.as_ref().filter(|(over, _)| *over == query) {
                query.filters.text = text.clone();
                query.page = 0;
            }
        });
        query
    }

    /// A keystroke: the results follow now, the address after a pause.
    pub fn typed(&self, text: String, go: Go) {
        self.typed.set(Some((self.address.get_untracked(), text)));
        self.keystrokes.update_value(|n| *n += 1);
        let (this, keystroke) = (*self, self.keystrokes.get_value());
        set_timeout(
            move || {
                // Gone (the page was left) or overtaken by a later keystroke: nothing to do.
                if this.keystrokes.try_get_value() == Some(keystroke) {
                    this.settle(go);
                }
            },
            PAUSE,
        );
    }

    /// Puts the typed text in the address now, if it still belongs there. The first text typed
    /// over an address without one starts a history entry; later text refines it, so Back does
    /// not replay a word letter by letter.
    pub fn settle(&self, go: Go) {
        let Some(Some((over, text))) = self.typed.try_get_untracked() else {
            return;
        };
        if self.address.try_get_untracked().as_ref() == Some(&over) {
            let continuing = !over.filters.text.is_empty();
            let mut query = over;
            query.filters.text = text;
            query.page = 0;
            go(query, continuing);
        }
        self.typed.try_set(None);
    }
}
