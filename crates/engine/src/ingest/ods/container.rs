//! The zip container of an ODS: telling an ODS from another zip, refusing a password-protected
//! one, and opening `content.xml` (the part that holds the sheets) as a stream.

use super::error::{OdsError, OdsErrorKind, Position};
use super::signature::{mimetype_comes_first, MIMETYPE};
use std::io::{BufRead, BufReader, Cursor, Read};

/// Whether a zip is an ODF spreadsheet rather than an XLSX workbook.
pub fn is_ods(bytes: &[u8]) -> bool {
    mimetype_comes_first(bytes) || archive_declares_ods(bytes)
}

/// For an ODS written by a tool that did not put `mimetype` first.
pub fn archive_declares_ods(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = archive.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::with_capacity(MIMETYPE.len());
    entry
        .take(MIMETYPE.len() as u64)
        .read_to_end(&mut head)
        .is_ok()
        && head == MIMETYPE
}

/// Where `content.xml` is read from: the zip, or in tests plain XML. It is opened a second
/// time only when the preferred sheet comes after the first one.
pub trait ContentSource {
    type Xml<'s>: BufRead
    where
        Self: 's;
    fn open(&mut self) -> Result<Self::Xml<'_>, OdsError>;
}

pub struct ZipContent<'a> {
    file: &'a str,
    file_bytes: u64,
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> ZipContent<'a> {
    pub fn open(file: &'a str, bytes: &'a [u8]) -> Result<Self, OdsError> {
        let file_bytes = bytes.len() as u64;
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            OdsError::new(
                file,
                file_bytes,
                Position::default(),
                OdsErrorKind::NotAZip(e.to_string()),
            )
        })?;
        let mut content = ZipContent {
            file,
            file_bytes,
            archive,
        };
        content.refuse_encrypted()?;
        Ok(content)
    }

    fn error(&self, kind: OdsErrorKind) -> OdsError {
        OdsError::new(self.file, self.file_bytes, Position::default(), kind)
    }

    /// An encrypted ODS would otherwise read as damaged XML, which would send the user
    /// looking for the wrong problem.
    fn refuse_encrypted(&mut self) -> Result<(), OdsError> {
        let Ok(manifest) = self.archive.by_name("META-INF/manifest.xml") else {
            return Ok(());
        };
        let mut text = Vec::new();
        // The manifest lists the parts; a real one is a few kilobytes.
        let read = manifest.take(1 << 20).read_to_end(&mut text);
        let encrypted = text
            .windows(b"manifest:encryption-data".len())
            .any(|w| w == b"manifest:encryption-data");
        if read.is_ok() && encrypted {
            return Err(self.error(OdsErrorKind::Encrypted));
        }
        Ok(())
    }
}

impl<'a> ContentSource for ZipContent<'a> {
    type Xml<'s>
        = BufReader<zip::read::ZipFile<'s, Cursor<&'a [u8]>>>
    where
        Self: 's;

    fn open(&mut self) -> Result<Self::Xml<'_>, OdsError> {
        let (file, file_bytes) = (self.file, self.file_bytes);
        let error = |kind| OdsError::new(file, file_bytes, Position::default(), kind);
        match self.archive.by_name("content.xml") {
            Ok(entry) => Ok(BufReader::with_capacity(1 << 16, entry)),
            Err(zip::result::ZipError::FileNotFound) => Err(error(OdsErrorKind::NoContent)),
            Err(e) => Err(error(OdsErrorKind::ContentUnreadable(e.to_string()))),
        }
    }
}
