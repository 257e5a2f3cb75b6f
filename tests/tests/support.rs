//! Shared helpers for the cross-crate tests: where the repository and the corpora are.

use std::path::PathBuf;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared/corpus/aws-managed-policies` beside the checkout, as CI lays it out.
pub fn managed_policies() -> Option<PathBuf> {
    let dir = repo_root()
        .parent()?
        .join("shared/corpus/aws-managed-policies");
    dir.is_dir().then_some(dir)
}
