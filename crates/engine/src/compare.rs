//! The rules of the compare page, kept out of the app so they are tested natively: how many
//! services are put side by side, how a list of ids in an address is read, and which cells of
//! a row differ from the rest.

/// How many locations are put side by side: more would not fit a phone's width.
pub const MAX_COMPARED: usize = 3;

/// The ids in a list as the address writes it ("1-…,1-…"): trimmed, without repeats, at most
/// [`MAX_COMPARED`].
pub fn parse_ids(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in text.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !ids.iter().any(|known| known == id) && ids.len() < MAX_COMPARED {
            ids.push(id.to_string());
        }
    }
    ids
}

/// For each cell of a row, whether no other cell in the row has its value: with two services
/// both cells of a differing row are marked; with three, only the odd one out (or all three
/// when all differ). A single service differs from nothing.
pub fn differing<T: PartialEq>(cells: &[T]) -> Vec<bool> {
    if cells.len() < 2 {
        return vec![false; cells.len()];
    }
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            cells
                .iter()
                .enumerate()
                .all(|(j, other)| i == j || other != cell)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_deduplicated_and_capped() {
        assert_eq!(
            parse_ids(" 1-a, 1-b,,1-a,1-c,1-d"),
            vec!["1-a", "1-b", "1-c"]
        );
        assert!(parse_ids("").is_empty());
        assert!(parse_ids(" , ").is_empty());
    }

    #[test]
    fn a_cell_differs_when_no_other_shares_it() {
        let k = |s: &str| Some(s.to_string());
        assert_eq!(
            differing(&[k("Good"), k("Good"), k("Outstanding")]),
            vec![false, false, true]
        );
        assert_eq!(
            differing(&[k("Good"), k("Inadequate"), k("Outstanding")]),
            vec![true, true, true]
        );
        assert_eq!(differing(&[k("Good"), None]), vec![true, true]);
        assert_eq!(differing(&[k("Good"), k("Good")]), vec![false, false]);
        assert_eq!(differing(&[k("Good")]), vec![false]);
        assert_eq!(
            differing::<Option<String>>(&[None, None]),
            vec![false, false]
        );
    }
}
