//! Canonical form of plan TOML and log CSV (`plan fmt`).
