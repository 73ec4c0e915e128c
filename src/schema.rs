//! The log schema for other tools (`plan schema`).
