package io.github.sidecarlambda;

/** Lambda's {@code X-Amz-Invocation-Type}, spelled as AWS spells it. */
public enum InvocationType {
    /** Synchronous: waits for the function; HTTP 200 with its response. Payload up to 6 MB. */
    RequestResponse(6 * 1024 * 1024),
    /** Asynchronous: Lambda queues the event; HTTP 202, no response payload. Payload up to 1 MB. */
    Event(1024 * 1024),
    /** Checks that the caller may invoke the function without running it; HTTP 204. */
    DryRun(6 * 1024 * 1024);

    private final long maxPayloadBytes;

    InvocationType(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The largest request payload Lambda accepts for this invocation type. */
    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Exactly as Lambda spells it; anything else is refused naming the option (or header), the rule and the value. */
    static InvocationType parse(String option, Object value) {
        if (value instanceof InvocationType t) {
            return t;
        }
        for (InvocationType t : values()) {
            if (t.name().equals(String.valueOf(value))) {
                return t;
            }
        }
        throw new SidecarLambdaConfigurationException(
                option, "must be RequestResponse, Event or DryRun; was '" + value + "'");
    }
}
