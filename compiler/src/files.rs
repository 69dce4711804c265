//! Writing the user's files without losing what is there. A file is written to a temporary
//! file beside it and renamed into place, so that a failed or killed write leaves the previous
//! file whole; without `force` a file that exists — or appears meanwhile, when two runs write
//! the same path — is never replaced, and exactly one writer wins. A build directory is
//! written fresh beside its place and swapped in whole, so that no file of an earlier build
//! survives and nothing is written through a link inside it; `force` replaces only a
//! directory snnc built.

use crate::diagnostics::Error;
use crate::Failure;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file every build directory holds, by which snnc recognises one it may replace.
pub const BUILD_MARKER: &str = "report.json";

fn cannot_write(path: &Path, e: impl std::fmt::Display) -> Failure {
    Error::CannotWrite {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
    .into()
}

fn exists(path: &Path, detail: &'static str) -> Failure {
    Error::OutputExists {
        path: path.display().to_string(),
        detail,
    }
    .into()
}

/// The permissions of a file or directory the user asked for: `mode` less the umask, as any
/// file the user creates (temporary files are private by default).
fn readable(mode: u32) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(mode)
}

/// The directory a path's file goes into (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks, before any long work, that `path` can be written: its directory exists and takes
/// new files, and (without `force`) nothing is there yet.
pub fn check_writable(path: &Path, force: bool) -> Result<(), Failure> {
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists(path, ""));
    }
    tempfile::Builder::new()
        .prefix(".snnc-probe-")
        .tempfile_in(parent(path))
        .map(drop)
        .map_err(|e| cannot_write(path, e))
}

/// Writes `bytes` to `path` atomically; see the module docs.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<(), Failure> {
    let mut file = tempfile::Builder::new()
        .prefix(".snnc-")
        .permissions(readable(0o666))
        .tempfile_in(parent(path))
        .map_err(|e| cannot_write(path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| cannot_write(path, e))?;
    if force {
        file.persist(path)
            .map_err(|e| cannot_write(path, e.error))?;
    } else {
        file.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists(path, "")
            } else {
                cannot_write(path, e.error)
            }
        })?;
    }
    Ok(())
}

/// Writes `files` (paths relative to `dir`) as the directory `dir`: built fresh beside it and
/// swapped in. An existing `dir` must be empty, or with `force` a directory snnc built.
pub fn write_tree(
    dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    force: bool,
) -> Result<(), Failure> {
    let existing = match dir.symlink_metadata() {
        Err(_) => None,
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Error::NotOurs {
                path: dir.display().to_string(),
                what: "a symbolic link",
            }
            .into())
        }
        Ok(m) if !m.is_dir() => return Err(cannot_write(dir, "it exists and is not a directory")),
        Ok(_) => Some(
            std::fs::read_dir(dir)
                .map_err(|e| cannot_write(dir, e))?
                .next()
                .is_some(),
        ),
    };
    if existing == Some(true) {
        if !force {
            return Err(exists(dir, " and is not empty"));
        }
        if !dir.join(BUILD_MARKER).is_file() {
            return Err(Error::NotOurs {
                path: dir.display().to_string(),
                what: "a directory snnc did not build",
            }
            .into());
        }
    }
    // The directory's parents are made as `mkdir -p` would: `-o build/model` in a fresh clone.
    std::fs::create_dir_all(parent(dir)).map_err(|e| cannot_write(dir, e))?;
    let fresh = tempfile::Builder::new()
        .prefix(".snnc-build-")
        .permissions(readable(0o777))
        .tempdir_in(parent(dir))
        .map_err(|e| cannot_write(dir, e))?;
    for (path, content) in files {
        let full = fresh.path().join(path);
        if let Some(p) = full.parent() {
            std::fs::create_dir_all(p).map_err(|e| cannot_write(dir, e))?;
        }
        std::fs::write(&full, content).map_err(|e| cannot_write(&dir.join(path), e))?;
    }
    match existing {
        None => std::fs::rename(fresh.path(), dir).map_err(|e| {
            if dir.exists() {
                exists(dir, ", made meanwhile by another run")
            } else {
                cannot_write(dir, e)
            }
        })?,
        Some(_) => {
            swap(fresh.path(), dir).map_err(|e| cannot_write(dir, e))?;
            // `fresh` now holds the earlier build, removed when it drops (links inside are
            // removed, never followed).
        }
    }
    // After the rename `fresh` names nothing (new directory) or the old build: either way
    // dropping it removes only what snnc wrote.
    drop(fresh);
    Ok(())
}

/// Exchanges two directories in one step where the system can (Linux), else by a rename
/// aside; afterwards `a` holds what `b` held and `b` what `a` held.
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other)
        };
        let (ca, cb) = (c(a)?, c(b)?);
        // SAFETY: two valid, NUL-terminated paths relative to the working directory.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINVAL) && e.raw_os_error() != Some(libc::ENOSYS) {
            return Err(e);
        }
    }
    let aside: PathBuf = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_or_failed_write_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.npz");
        write_atomic(&path, b"first", false).unwrap();
        assert!(
            write_atomic(&path, b"second", false).is_err(),
            "no clobbering"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        write_atomic(&path, b"second", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file stays behind");
    }

    #[test]
    fn a_build_replaces_its_whole_directory_and_nothing_outside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("build");
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "the user's").unwrap();
        let first: BTreeMap<String, Vec<u8>> = [
            (BUILD_MARKER.to_string(), b"{}".to_vec()),
            ("rtl/old.v".to_string(), b"module old;".to_vec()),
        ]
        .into();
        write_tree(&out, &first, false).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("rtl/link.v")).unwrap();
        let second: BTreeMap<String, Vec<u8>> = [
            (BUILD_MARKER.to_string(), b"{}".to_vec()),
            ("rtl/link.v".to_string(), b"module new;".to_vec()),
        ]
        .into();
        assert!(
            write_tree(&out, &second, false).is_err(),
            "not empty, no --force"
        );
        write_tree(&out, &second, true).unwrap();
        assert!(!out.join("rtl/old.v").exists(), "no stale file");
        assert_eq!(
            std::fs::read(out.join("rtl/link.v")).unwrap(),
            b"module new;"
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's");
        let mine = dir.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "x").unwrap();
        assert!(
            write_tree(&mine, &second, true).is_err(),
            "not a build of snnc"
        );
        assert!(mine.join("notes.txt").exists());
    }
}
