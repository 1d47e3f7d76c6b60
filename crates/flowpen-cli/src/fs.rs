//! The file system and environment as `flowpen_command` asks for them, with std.

use flowpen_command::{Host, Kind, ReadFailure};

/// std's file system and the process's environment.
pub(crate) struct StdHost;

impl Host for StdHost {
    fn read(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, ReadFailure> {
        if limit != usize::MAX {
            let size = std::fs::metadata(path)
                .map_err(|e| ReadFailure::Io(e.to_string()))?
                .len();
            if size > limit as u64 {
                return Err(ReadFailure::TooLarge(size));
            }
        }
        std::fs::read(path).map_err(|e| ReadFailure::Io(e.to_string()))
    }

    fn kind(&mut self, path: &str) -> Kind {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Kind::Dir,
            Ok(_) => Kind::File,
            Err(_) => Kind::Missing,
        }
    }

    fn list(&mut self, dir: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    fn canonical(&mut self, path: &str) -> Option<String> {
        std::fs::canonicalize(path)
            .ok()
            .map(|p| p.display().to_string())
    }

    fn var(&mut self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}
