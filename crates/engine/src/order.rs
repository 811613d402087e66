//! Stable sorting through one shared sort of positions, for the code the browser app links.
//!
//! Why not `slice::sort_by`: the standard library compiles its whole sort (quicksort, merges,
//! small sorts, pivots: 3–5 kB of wasm) again for every element type and every comparison
//! closure, and the page had 31 such copies, over 100 kB of its wasm (issue 14). Here the
//! sort itself runs on positions with the comparison behind a `&dyn Fn`, so it is compiled
//! once; what each caller adds is a closure and a few swaps. The result is the same as
//! `sort_by`'s: stable, equal items keep their order. Code on the hot paths of the search and
//! of ingest keeps the standard sort.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, as `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| compare(&items[a], &items[b]));
    arrange(items, &order);
}

/// Sorts `items` stably by `key`, as `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `items` into ascending order, as `items.sort()` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp)
}

/// The positions `0..len` in the order `compare` puts them, ties in position order: the one
/// copy of the standard sort that every caller shares.
#[inline(never)]
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts the item now at `order[k]` at position `k`, by swaps.
fn arrange<T>(items: &mut [T], order: &[usize]) {
    // destination[i] is where the item now at position i belongs.
    let mut destination = vec![0; order.len()];
    for (to, &from) in order.iter().enumerate() {
        destination[from] = to;
    }
    for i in 0..items.len() {
        // Each swap puts one item where it belongs, so this ends after at most len swaps.
        while destination[i] != i {
            let to = destination[i];
            items.swap(i, to);
            destination.swap(i, to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_the_standard_stable_sort_does() {
        // Ties on the key (the first letter) must keep their order, as `sort_by_key` keeps it.
        let words = [
            "oldham",
            "shrewsbury",
            "ashton",
            "oswestry",
            "telford",
            "stockport",
            "ludlow",
            "oakengates",
            "bury",
            "ashford",
            "",
            "rochdale",
            "olney",
        ];
        let first = |w: &&str| w.chars().next();
        let mut ours = words.to_vec();
        sort_by_key(&mut ours, first);
        let mut standard = words.to_vec();
        standard.sort_by_key(first);
        assert_eq!(ours, standard);

        let mut ours = words.to_vec();
        sort(&mut ours);
        let mut standard = words.to_vec();
        standard.sort();
        assert_eq!(ours, standard);
    }

    #[test]
    fn matches_the_standard_sort_on_every_arrangement_of_five() {
        // Every permutation of five items, two of them tied, against `sort_by`.
        let items = [(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (2, 'e')];
        let mut seen = 0;
        let mut indices = [0, 1, 2, 3, 4];
        loop {
            let arranged: Vec<(i32, char)> = indices.iter().map(|&i| items[i]).collect();
            let mut ours = arranged.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut standard = arranged;
            standard.sort_by_key(|a| a.0);
            assert_eq!(ours, standard);
            seen += 1;
            if !next_permutation(&mut indices) {
                break;
            }
        }
        assert_eq!(seen, 120);
    }

    #[test]
    fn sorts_nothing_and_one() {
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![7];
        sort(&mut one);
        assert_eq!(one, [7]);
    }

    fn next_permutation(items: &mut [usize]) -> bool {
        let Some(i) = (1..items.len()).rev().find(|&i| items[i - 1] < items[i]) else {
            return false;
        };
        let j = (i..items.len())
            .rev()
            .find(|&j| items[j] > items[i - 1])
            .unwrap_or(i);
        items.swap(i - 1, j);
        items[i..].reverse();
        true
    }
}
