package io.github.sidecarlambda;

/** Lambda's {@code X-Amz-Log-Type}. */
public enum LogType {
    /** No logs in the response. */
    None,
    /** The last 4 KB of the function's log, returned in the {@code CamelSidecarLambdaLogResult} header (decoded). */
    Tail
}
