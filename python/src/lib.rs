//! The native half of the `byokcheck` Python package: `byokcheck._native`.
//!
//! Thin by design: each function converts its arguments, calls one core function and hands
//! the core's serde result to Python as plain dicts and lists (`pythonize`), the same contract
//! as the CLI's `--format json`. The typed classes (`Report`, `Finding`, `Severity`...) live in
//! the Python facade, `byokcheck/__init__.py`, and its stub for this module is `_native.pyi`.
//!
//! The PyO3 glue is behind the `native` feature, which maturin turns on; without it this crate
//! is empty, so `cargo build --workspace` needs no Python.

#[cfg(feature = "native")]
mod native;
