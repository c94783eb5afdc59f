//! Settlement lines.
