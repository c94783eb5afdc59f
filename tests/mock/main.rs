//! Tests of `toss_shopping::mock`.
