package io.github.sidecarlambda;

/** Lambda's {@code X-Amz-Log-Type}. */
public enum LogType {
    /** No logs in the response. */
    None,
    /** The last 4 KB of the function's log, returned in the {@code CamelSidecarLambdaLogResult} header (decoded). */
    Tail;

    static LogType parse(String value) {
        for (LogType t : values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new SidecarLambdaConfigurationException("logType", "must be None or Tail; was '" + value + "'");
    }
}
