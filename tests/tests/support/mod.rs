//! Shared helpers for the cross-crate tests: where the repository and the corpora are.
//! (A folder module, so that cargo does not build it as a test target of its own.)

use std::path::PathBuf;

#[allow(clippy::expect_used, reason = "test code: a panic is a failing test")]
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared/corpus/aws-managed-policies` beside the checkout, as CI lays it out.
#[allow(dead_code, reason = "each test target uses only some of the helpers")]
pub fn managed_policies() -> Option<PathBuf> {
    let dir = repo_root()
        .parent()?
        .join("shared/corpus/aws-managed-policies");
    dir.is_dir().then_some(dir)
}
