//! The snapshot the site loads (format version 3): a magic tag and the format version, the
//! header's length and checksum, the snapshot's metadata, one table of every distinct string, a
//! directory of chunks with a checksum each, then the locations in chunks of a few thousand,
//! each stored column by column and decodable on its own, so the browser can decode one chunk,
//! yield, and decode the next. docs/snapshot-format.md gives the byte layout and the
//! measurements behind it.
//!
//! Every byte after the preamble is covered by a CRC-32 (the header's before it is parsed, each
//! chunk's before it is decoded), so a damaged file is an error, never different data.
//!
//! `encode`/`decode` handle a whole snapshot; `SnapshotReader` decodes it a chunk at a time.
//! Decoding never panics and never allocates more than a bounded multiple of the input's size:
//! every count is checked against the bytes that are left, and the text copied out of the
//! string table (where one byte can name a long string) is capped at 128 times the file's size.

mod chunk;
mod codes;
mod strings;
mod wire;

use crate::model::{Location, Snapshot, SnapshotMeta, SNAPSHOT_FORMAT_VERSION};
use strings::{StringTable, StringTableBuilder};
use wire::{put_str, put_varint, zigzag, ByteReader};

/// Identifies a snapshot file ("CQC eXplorer").
pub const MAGIC: &[u8; 4] = b"CQCX";

/// The file name the site fetches from `public/data/`.
pub const FILE_NAME: &str = "snapshot.bin";

/// Locations per chunk: at national scale (about 8 ratings per location) one chunk decodes in
/// well under 40 ms in the browser, so the page stays responsive between chunks.
pub const LOCATIONS_PER_CHUNK: usize = 4_000;

/// Magic (4 bytes) and the version (`u32` little-endian), as in every format version so far, so
/// an old file is refused with its version rather than misread.
const PREAMBLE_LEN: usize = 8;

/// After the preamble: the header's length (`u64` little-endian) and its CRC-32 (`u32`
/// little-endian); the header (metadata, string table, chunk directory) starts after them.
const HEADER_START: usize = PREAMBLE_LEN + 8 + 4;

/// CRC-32 (IEEE, as zip and PNG use it): detects every burst of up to 32 flipped bits, so any
/// single damaged byte, and is what the zip reader already builds in (crc32fast).
fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a CQC explorer snapshot (it does not start with \"CQCX\")")]
    BadMagic,
    #[error("snapshot format version {found} is not supported (this build reads version {expected}); rebuild it with `cqc ingest`")]
    WrongVersion { found: u32, expected: u32 },
    #[error("the snapshot is truncated or corrupt: {0}")]
    Corrupt(String),
    /// A checksum does not match: the bytes changed after they were written.
    #[error("the snapshot is damaged (a checksum does not match; download or rebuild it): {0}")]
    Damaged(String),
}

/// Encodes `snapshot` in chunks of `LOCATIONS_PER_CHUNK` locations.
pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    encode_with_chunk_size(snapshot, LOCATIONS_PER_CHUNK)
}

/// Encodes with a chosen number of locations per chunk (at least 1): tests use small chunks to
/// exercise many chunks on little data. Any chunk size decodes to the same snapshot.
pub fn encode_with_chunk_size(snapshot: &Snapshot, locations_per_chunk: usize) -> Vec<u8> {
    let mut table = StringTableBuilder::default();
    let bodies: Vec<(usize, Vec<u8>)> = snapshot
        .locations
        .chunks(locations_per_chunk.max(1))
        .map(|locations| {
            let mut body = Vec::new();
            chunk::encode_chunk(locations, &mut table, &mut body);
            (locations.len(), body)
        })
        .collect();

    let mut header = Vec::new();
    put_meta(&mut header, &snapshot.meta);
    table.write(&mut header);
    assemble(header, &bodies)
}

/// The file from the metadata and string table already written to `header`, and the chunk
/// bodies with their location counts: adds the directory, the checksums and the preamble.
fn assemble(mut header: Vec<u8>, bodies: &[(usize, Vec<u8>)]) -> Vec<u8> {
    put_varint(&mut header, bodies.len() as u64);
    for (locations, body) in bodies {
        put_varint(&mut header, *locations as u64);
        put_varint(&mut header, body.len() as u64);
        header.extend_from_slice(&checksum(body).to_le_bytes());
    }
    let chunk_bytes: usize = bodies.iter().map(|(_, body)| body.len()).sum();
    let mut out = Vec::with_capacity(HEADER_START + header.len() + chunk_bytes);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SNAPSHOT_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&header).to_le_bytes());
    out.extend_from_slice(&header);
    for (_, body) in bodies {
        out.extend_from_slice(body);
    }
    out
}

/// Decodes a whole snapshot at once.
pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    let reader = SnapshotReader::open(bytes)?;
    let mut locations = Vec::with_capacity(reader.location_count());
    for index in 0..reader.chunk_count() {
        locations.extend(reader.decode_chunk(index)?);
    }
    Ok(Snapshot {
        meta: reader.meta,
        locations,
    })
}

/// Where one chunk's bytes are and how many locations they hold.
struct ChunkEntry<'a> {
    locations: usize,
    bytes: &'a [u8],
    /// The chunk's offset in the file, for error messages.
    offset: usize,
    /// The CRC-32 the directory gives for the chunk's bytes.
    checksum: u32,
}

/// A snapshot opened for decoding a chunk at a time: `open` reads the metadata, the string
/// table and the chunk directory; `decode_chunk` decodes one chunk's locations. Decoding every
/// chunk in order and concatenating gives the same locations as `decode`.
pub struct SnapshotReader<'a> {
    meta: SnapshotMeta,
    strings: StringTable<'a>,
    chunks: Vec<ChunkEntry<'a>>,
    location_count: usize,
    /// Bytes of text the chunks may still copy out of the string table (see
    /// `chunk::COPY_PER_FILE_BYTE`); every `decode_chunk` call draws on it, so a reader is
    /// for decoding each chunk once.
    copy_budget: std::cell::Cell<usize>,
}

impl<'a> SnapshotReader<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, SnapshotError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(SnapshotError::BadMagic)?;
        let (version, _) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| SnapshotError::Corrupt("the file ends inside the version".into()))?;
        let found = u32::from_le_bytes(*version);
        if found != SNAPSHOT_FORMAT_VERSION {
            return Err(SnapshotError::WrongVersion {
                found,
                expected: SNAPSHOT_FORMAT_VERSION,
            });
        }
        let header_end = check_header(bytes)?;
        let mut r = ByteReader::new(
            &bytes[HEADER_START..],
            HEADER_START,
            "snapshot header".into(),
        );
        let meta = read_meta(&mut r)?;
        let strings = StringTable::read(&mut r)?;

        // Each directory entry takes at least six bytes, which bounds the count.
        let chunk_count = r.count("chunk count")?;
        let mut sizes = Vec::with_capacity(chunk_count);
        for _ in 0..chunk_count {
            let locations = r.count("chunk location count")?;
            let len = r.count("chunk length")?;
            let crc = r.take(4, "chunk checksum")?;
            let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
            sizes.push((locations, len, crc));
        }
        // The checksum vouches for exactly the header's declared length: parsing must end there.
        if r.offset() != header_end {
            return Err(r.corrupt(format_args!(
                "the header ends here, but its length in the preamble says byte {header_end}"
            )));
        }
        let mut chunks = Vec::with_capacity(chunk_count);
        let mut location_count = 0usize;
        for (index, (locations, len, checksum)) in sizes.into_iter().enumerate() {
            if locations
                .checked_mul(chunk::MIN_LOCATION_BYTES)
                .is_none_or(|bytes| bytes > len)
            {
                return Err(r.corrupt(format_args!(
                    "chunk {index} claims {locations} locations in {len} bytes"
                )));
            }
            let offset = r.offset();
            let bytes = r.take(len, "a chunk")?;
            location_count += locations;
            chunks.push(ChunkEntry {
                locations,
                bytes,
                offset,
                checksum,
            });
        }
        r.finish()?;
        Ok(SnapshotReader {
            meta,
            strings,
            chunks,
            location_count,
            copy_budget: std::cell::Cell::new(
                bytes
                    .len()
                    .saturating_mul(chunk::COPY_PER_FILE_BYTE)
                    .saturating_add(chunk::COPY_ALLOWANCE),
            ),
        })
    }

    pub fn meta(&self) -> &SnapshotMeta {
        &self.meta
    }

    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Locations in all chunks together.
    pub fn location_count(&self) -> usize {
        self.location_count
    }

    /// The locations of chunk `index` (0-based), in snapshot order.
    pub fn decode_chunk(&self, index: usize) -> Result<Vec<Location>, SnapshotError> {
        let entry = self.chunks.get(index).ok_or_else(|| {
            SnapshotError::Corrupt(format!(
                "chunk {index} asked for, the snapshot has {}",
                self.chunks.len()
            ))
        })?;
        let found = checksum(entry.bytes);
        if found != entry.checksum {
            return Err(SnapshotError::Damaged(format!(
                "chunk {index} (bytes {} to {}) has CRC-32 {found:08x}, the directory says {:08x}",
                entry.offset,
                entry.offset + entry.bytes.len(),
                entry.checksum
            )));
        }
        let r = ByteReader::new(entry.bytes, entry.offset, format!("chunk {index}"));
        chunk::decode_chunk(r, &self.strings, entry.locations, &self.copy_budget)
    }

    /// The metadata, with the reader's borrow of the bytes ended.
    pub fn into_meta(self) -> SnapshotMeta {
        self.meta
    }
}

/// Checks the header's length and checksum before any of it is parsed; returns where it ends.
fn check_header(bytes: &[u8]) -> Result<usize, SnapshotError> {
    let ends_early =
        || SnapshotError::Corrupt("the file ends inside the header's length and checksum".into());
    let fields = bytes.get(PREAMBLE_LEN..).ok_or_else(ends_early)?;
    let (len, rest) = fields.split_first_chunk::<8>().ok_or_else(ends_early)?;
    let (crc, _) = rest.split_first_chunk::<4>().ok_or_else(ends_early)?;
    let len = u64::from_le_bytes(*len);
    let expected = u32::from_le_bytes(*crc);
    let header_end = usize::try_from(len)
        .ok()
        .and_then(|len| len.checked_add(HEADER_START))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| {
            SnapshotError::Corrupt(format!(
                "the header is said to be {len} bytes long, but the file has {} bytes after the preamble",
                bytes.len() - HEADER_START
            ))
        })?;
    let found = checksum(&bytes[HEADER_START..header_end]);
    if found != expected {
        return Err(SnapshotError::Damaged(format!(
            "the header (bytes {HEADER_START} to {header_end}) has CRC-32 {found:08x}, the preamble says {expected:08x}"
        )));
    }
    Ok(header_end)
}

fn put_meta(out: &mut Vec<u8>, meta: &SnapshotMeta) {
    put_varint(out, u64::from(meta.format_version));
    match meta.data_date {
        None => put_varint(out, 0),
        Some(date) => put_varint(out, zigzag(codes::unix_day(date)) + 1),
    }
    put_varint(out, meta.sources.len() as u64);
    for source in &meta.sources {
        put_str(out, source);
    }
    put_str(out, &meta.licence);
    put_varint(out, meta.rows_read);
    put_varint(out, meta.rows_accepted);
    put_varint(out, meta.rows_reported);
}

fn read_meta(r: &mut ByteReader<'_>) -> Result<SnapshotMeta, SnapshotError> {
    let format_version = r.u32("meta format version")?;
    let data_date = match r.varint("data date")? {
        0 => None,
        code => Some(
            codes::date_from_unix_day(wire::unzigzag(code - 1))
                .ok_or_else(|| r.corrupt("the data date is not a representable date"))?,
        ),
    };
    let source_count = r.count("source count")?;
    let mut sources = Vec::with_capacity(source_count);
    for _ in 0..source_count {
        sources.push(r.str("source")?.to_owned());
    }
    Ok(SnapshotMeta {
        format_version,
        data_date,
        sources,
        licence: r.str("licence")?.to_owned(),
        rows_read: r.varint("rows read")?,
        rows_accepted: r.varint("rows accepted")?,
        rows_reported: r.varint("rows reported")?,
    })
}

#[cfg(test)]
mod tests;
