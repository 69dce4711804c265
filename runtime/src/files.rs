//! Reading the user's files safely: only regular files are opened (a FIFO or a device would
//! block or never end), never more than a stated limit is read, and gzip members are
//! unpacked within the same limit.

use flate2::read::MultiGzDecoder;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest weight file (`.npy`, `.npz`) snnc reads.
pub const MAX_WEIGHTS_BYTES: u64 = 1 << 31;
/// The largest data file snnc reads, after un-gzipping.
pub const MAX_DATA_BYTES: u64 = 1 << 33;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// A directory, FIFO, socket or device.
    NotRegular(&'static str),
    TooLarge {
        limit: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the {} MiB snnc reads", limit >> 20)
            }
        }
    }
}

/// What kind of file a path is, when it is not a regular one.
fn not_regular(kind: std::fs::FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// The bytes of the regular file at `path` (symbolic links followed), at most `limit`.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(what) = not_regular(meta.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Opening never blocks, should the path have become a FIFO since it was looked at.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let opened = file.metadata().map_err(ReadError::Io)?;
    if let Some(what) = not_regular(opened.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// `bytes` un-gzipped when they start with the gzip magic (every member, as `gzip -d`
/// does), at most `limit` bytes; anything after the last member that is not one is an error.
pub fn gunzip(bytes: Vec<u8>, limit: u64) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    MultiGzDecoder::new(&bytes[..])
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("not valid gzip: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "it unpacks to more than the {} MiB snnc reads",
            limit >> 20
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 1 << 20),
            Err(ReadError::NotRegular("a device"))
        ));
        assert!(matches!(
            read_regular(Path::new("/tmp"), 1 << 20),
            Err(ReadError::NotRegular("a directory"))
        ));
        let dir = tempfile_dir();
        let path = dir.join("big");
        std::fs::write(&path, vec![0u8; 2048]).unwrap();
        assert!(matches!(
            read_regular(&path, 1024),
            Err(ReadError::TooLarge { limit: 1024 })
        ));
        assert_eq!(read_regular(&path, 4096).unwrap().len(), 2048);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile_dir();
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_regular(&fifo, 1 << 20),
            Err(ReadError::NotRegular("a FIFO"))
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn gzip_members_are_all_read_and_garbage_after_them_is_an_error() {
        let member = |text: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(text).unwrap();
            gz.finish().unwrap()
        };
        let mut two = member(b"first ");
        two.extend(member(b"second"));
        assert_eq!(gunzip(two.clone(), 1 << 20).unwrap(), b"first second");
        let mut garbage = two;
        garbage.extend(b"trailing bytes");
        assert!(gunzip(garbage, 1 << 20).is_err());
        assert!(
            gunzip(member(&[7u8; 4096]), 1024).is_err(),
            "the limit holds unpacked"
        );
        assert_eq!(gunzip(b"plain".to_vec(), 10).unwrap(), b"plain");
    }

    fn tempfile_dir() -> std::path::PathBuf {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "snnc-files-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
