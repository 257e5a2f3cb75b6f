//! One module per subcommand.

pub mod arn;
pub mod check;
pub mod generate;
pub mod rule;
pub mod verify;
