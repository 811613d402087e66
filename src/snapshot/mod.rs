//! The snapshot the site loads: a magic tag, the format version, then the `Snapshot` in
//! postcard (a compact serde binary format). See docs/snapshot-format.md for the measurements
//! behind the choice.

use crate::model::{Snapshot, SNAPSHOT_FORMAT_VERSION};

/// Identifies a snapshot file ("CQC eXplorer").
pub const MAGIC: &[u8; 4] = b"CQCX";

/// The file name the site fetches from `public/data/`.
pub const FILE_NAME: &str = "snapshot.bin";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a CQC explorer snapshot (it does not start with \"CQCX\")")]
    BadMagic,
    #[error("snapshot format version {found} is not supported (this build reads version {expected}); rebuild it with `cqc ingest`")]
    WrongVersion { found: u32, expected: u32 },
    #[error("the snapshot is truncated or corrupt: {0}")]
    Corrupt(String),
}

pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SNAPSHOT_FORMAT_VERSION.to_le_bytes());
    // Serialising plain data into a Vec cannot fail; an empty body would fail decoding loudly.
    if let Ok(body) = postcard::to_allocvec(snapshot) {
        out.extend_from_slice(&body);
    }
    out
}

pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(SnapshotError::BadMagic)?;
    let (version, body) = rest
        .split_first_chunk::<4>()
        .ok_or_else(|| SnapshotError::Corrupt("no version".into()))?;
    let found = u32::from_le_bytes(*version);
    if found != SNAPSHOT_FORMAT_VERSION {
        return Err(SnapshotError::WrongVersion {
            found,
            expected: SNAPSHOT_FORMAT_VERSION,
        });
    }
    let (snapshot, remainder): (Snapshot, &[u8]) =
        postcard::take_from_bytes(body).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    if !remainder.is_empty() {
        return Err(SnapshotError::Corrupt(format!(
            "{} unexpected bytes after the data",
            remainder.len()
        )));
    }
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_typed_errors() {
        let s = Snapshot::default();
        let bytes = encode(&s);
        assert_eq!(
            decode(&bytes),
            Ok(Snapshot {
                meta: s.meta.clone(),
                locations: vec![],
            })
        );
        assert_eq!(decode(b"nope"), Err(SnapshotError::BadMagic));
        let mut wrong = bytes.clone();
        wrong[4] = 99;
        assert!(matches!(
            decode(&wrong),
            Err(SnapshotError::WrongVersion { found: 99, .. })
        ));
        assert!(matches!(
            decode(&bytes[..6]),
            Err(SnapshotError::Corrupt(_))
        ));
    }
}
