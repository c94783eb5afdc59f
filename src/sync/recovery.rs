//! What a failed write of the sync leads to, decided by the operation's retry safety in the
//! spec (`x-toss-retry`, read at run time from [`OperationMeta`](crate::OperationMeta)) and by
//! the kind of failure. The client has already re-sent the write as far as its retry policy
//! allows; this decides whether the sync tries the item again in a later round.

use crate::error::{Error, ErrorCode};
use crate::operation::RetrySafety;

/// What happens to an item after one of its writes failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recovery {
    /// The failure is final (the vendor refused the value, the token was rejected, ...), or
    /// re-sending could duplicate something: report it.
    Report,
    /// The failure may pass (throttling, an outage, a timeout): read the item again in the
    /// next round and write what is still missing.
    Retry {
        /// The write may have been applied and its operation asks for a read before it is
        /// sent again: without a fresh read of the item it is not re-sent.
        read_first: bool,
    },
}

/// The recovery for a write whose operation has `safety` and that failed with `error`.
///
/// Transient are the failures the client itself would retry, a write it did not re-send
/// because it may have been applied (`Unconfirmed`), and the vendor's `REQUEST_FAILED`, which
/// the vendor documents as a failure that may still have been applied.
pub(crate) fn after_failure(safety: RetrySafety, error: &Error) -> Recovery {
    let transient = error.is_retryable()
        || matches!(error, Error::Unconfirmed { .. })
        || error.code() == Some(&ErrorCode::RequestFailed);
    match safety {
        RetrySafety::Unsafe => Recovery::Report,
        _ if !transient => Recovery::Report,
        RetrySafety::VerifyFirst => Recovery::Retry { read_first: true },
        RetrySafety::Safe | RetrySafety::Idempotent => Recovery::Retry { read_first: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ErrorCode, Reason};

    fn outage() -> Error {
        Error::Server {
            status: 503,
            snippet: String::new(),
            retry_after: None,
        }
    }

    fn vendor(code: &str) -> Error {
        Error::Api(Box::new(ApiError {
            operation: "update_item_sale_price",
            status: 200,
            code: ErrorCode::from(code),
            reason: Reason::Text("판매가는 정상가보다 클 수 없어요.".into()),
            title: None,
        }))
    }

    fn unconfirmed() -> Error {
        Error::Unconfirmed {
            operation: "update_order_product_delivery",
            source: Box::new(outage()),
        }
    }

    #[test]
    fn an_idempotent_write_that_failed_transiently_is_tried_again_in_the_next_round() {
        assert_eq!(
            after_failure(RetrySafety::Idempotent, &outage()),
            Recovery::Retry { read_first: false }
        );
    }

    #[test]
    fn a_verify_first_write_that_may_have_been_applied_is_tried_again_only_after_a_read() {
        for error in [outage(), unconfirmed()] {
            assert_eq!(
                after_failure(RetrySafety::VerifyFirst, &error),
                Recovery::Retry { read_first: true }
            );
        }
    }

    fn refused() -> Error {
        vendor("BAD_REQUEST")
    }

    #[test]
    fn request_failed_may_have_been_applied_so_it_is_tried_again_after_a_read() {
        assert_eq!(
            after_failure(RetrySafety::VerifyFirst, &vendor("REQUEST_FAILED")),
            Recovery::Retry { read_first: true }
        );
        assert_eq!(
            after_failure(RetrySafety::Idempotent, &vendor("REQUEST_FAILED")),
            Recovery::Retry { read_first: false }
        );
    }

    #[test]
    fn refusals_and_unsafe_writes_are_reported() {
        assert_eq!(
            after_failure(RetrySafety::Idempotent, &refused()),
            Recovery::Report
        );
        assert_eq!(
            after_failure(RetrySafety::VerifyFirst, &refused()),
            Recovery::Report
        );
        assert_eq!(
            after_failure(RetrySafety::Unsafe, &outage()),
            Recovery::Report
        );
        assert_eq!(
            after_failure(RetrySafety::Unsafe, &unconfirmed()),
            Recovery::Report
        );
    }
}
