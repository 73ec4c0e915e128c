//! What changed in the plans between two git revisions, as meaning (`plan diff`).
