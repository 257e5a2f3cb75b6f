//! Finding the files to check and reading them: folders are walked for `*.json`, `-` is
//! standard input, and a file that cannot be read becomes an entry saying why (the others are
//! still checked).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::{normalize, Config};
use crate::error::describe_io;

/// Folders never walked into: version control, dependencies, build output.
const SKIPPED_FOLDERS: &[&str] = &["node_modules", "target", "__pycache__"];

/// One input to check.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file on disk, by its path as given (or found under a given folder).
    File { path: PathBuf, display: String },
    /// Text already read (standard input), with the path config globs match it as.
    Text {
        display: String,
        glob_path: PathBuf,
        text: String,
    },
    /// Something that could not be read or walked, and why.
    Unreadable { display: String, error: String },
}

impl Input {
    pub fn display(&self) -> &str {
        match self {
            Input::File { display, .. }
            | Input::Text { display, .. }
            | Input::Unreadable { display, .. } => display,
        }
    }

    /// The path the config's globs are matched against.
    pub fn glob_path(&self) -> PathBuf {
        match self {
            Input::File { path, .. } => path.clone(),
            Input::Text { glob_path, .. } => glob_path.clone(),
            Input::Unreadable { display, .. } => PathBuf::from(display),
        }
    }

    /// The text, or why there is none.
    pub fn read(&self) -> Result<String, String> {
        match self {
            Input::File { path, .. } => match std::fs::read(path) {
                Ok(bytes) => utf8(bytes),
                Err(error) => Err(format!("cannot read the file: {}", describe_io(&error))),
            },
            Input::Text { text, .. } => Ok(text.clone()),
            Input::Unreadable { error, .. } => Err(error.clone()),
        }
    }
}

/// Policies are UTF-8 JSON; anything else is reported with where it stops being UTF-8.
fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); save the policy as UTF-8",
            error.utf8_error().valid_up_to()
        )
    })
}

/// The path as shown: `./` and `a/../` removed, `/` separators.
pub fn display(path: &Path) -> String {
    let text = normalize(path).to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".into()
    } else {
        text
    }
}

/// Standard input as one input, named `name` (or `-`).
pub fn stdin(name: Option<&Path>) -> Input {
    let display = name.map_or_else(|| "-".to_string(), display);
    let glob_path = name.map_or_else(|| PathBuf::from("-"), Path::to_path_buf);
    let mut bytes = Vec::new();
    match std::io::stdin().read_to_end(&mut bytes) {
        Ok(_) => match utf8(bytes) {
            Ok(text) => Input::Text {
                display,
                glob_path,
                text,
            },
            Err(error) => Input::Unreadable { display, error },
        },
        Err(error) => Input::Unreadable {
            display,
            error: format!("cannot read standard input: {}", describe_io(&error)),
        },
    }
}

/// The inputs `path` names: itself if a file (whatever its extension), its `*.json` files if a
/// folder. Paths the config excludes are left out.
pub fn collect(path: &Path, config: &Config, inputs: &mut Vec<Input>) {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, config, inputs),
        Ok(_) => {
            if !config.excluded(path) {
                inputs.push(Input::File {
                    path: path.to_path_buf(),
                    display: display(path),
                });
            }
        }
        Err(error) => inputs.push(Input::Unreadable {
            display: display(path),
            error: format!("cannot read: {}", describe_io(&error)),
        }),
    }
}

fn walk(dir: &Path, config: &Config, inputs: &mut Vec<Input>) {
    // Each file's display path is the folder's plus its name: normalising the folder once,
    // not every file's whole path (walking a path's components cost 2,000 instructions per
    // file, on the main thread before any worker starts).
    let folder = display(dir);
    let prefix = match folder.as_str() {
        "." => String::new(),
        f if f.ends_with('/') => folder.clone(),
        f => format!("{f}/"),
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            inputs.push(Input::Unreadable {
                display: folder,
                error: format!("cannot read the folder: {}", describe_io(&error)),
            });
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                inputs.push(Input::Unreadable {
                    display: folder.clone(),
                    error: format!("cannot read the folder: {}", describe_io(&error)),
                });
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Symbolic links to folders are not followed: they can loop.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_ref()) {
                walk(&path, config, inputs);
            }
        } else if is_json(&name)
            && !config.excluded(&path)
            // The directory entry's type is known without a system call; only a symbolic link
            // needs one to learn whether it leads to a file.
            && (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
        {
            inputs.push(Input::File {
                display: format!("{prefix}{}", name.replace('\\', "/")),
                path,
            });
        }
    }
}

fn is_json(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_clean() {
        assert_eq!(display(Path::new("./a/../b.json")), "b.json");
        assert_eq!(display(Path::new(".")), ".");
        assert!(is_json("x.JSON"));
        assert!(!is_json("x.json.bak"));
    }

    #[test]
    fn walked_files_are_shown_as_display_shows_their_paths() {
        let root = std::env::temp_dir().join(format!("byokcheck-walk-{}", std::process::id()));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.json"), "{}").unwrap();
        std::fs::write(root.join("sub/b.json"), "{}").unwrap();
        let no_config = crate::args::ConfigArgs {
            config: None,
            no_config: true,
        };
        let config = Config::load(&no_config, &root).unwrap();
        for dir in [root.clone(), root.join("sub/.."), root.join("./sub/../")] {
            let mut inputs = Vec::new();
            walk(&dir, &config, &mut inputs);
            let mut shown: Vec<String> = inputs.iter().map(|i| i.display().to_string()).collect();
            shown.sort();
            let mut expected = vec![
                display(&dir.join("a.json")),
                display(&dir.join("sub").join("b.json")),
            ];
            expected.sort();
            assert_eq!(shown, expected, "{}", dir.display());
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn invalid_utf8_says_where() {
        let error = utf8(vec![b'{', 0xff, b'}']).unwrap_err();
        assert!(error.contains("offset 1"), "{error}");
    }
}
