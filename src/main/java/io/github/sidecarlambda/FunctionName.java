package io.github.sidecarlambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function to invoke as the route gives it: a name, {@code name:qualifier}, a partial ARN
 * {@code account:function:name} or a full ARN. It is validated with Lambda's own pattern and passed to Lambda
 * unchanged; a full ARN also tells the function's region.
 */
public final class FunctionName {

    // Lambda's FunctionName pattern for Invoke (from the service model), with groups for region and qualifier.
    private static final Pattern PATTERN = Pattern.compile(
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?((?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}):)?((?<account>\\d{12}):)?"
                    + "(function:)?(?<name>[a-zA-Z0-9-_]{1,64})(:(?<qualifier>\\$LATEST|[a-zA-Z0-9-_]{1,128}))?");
    static final int MAX_LENGTH = 170;

    private final String value;
    private final String region;
    private final String qualifier;

    private final String account;

    private FunctionName(String value, String region, String qualifier, String account) {
        this.value = value;
        this.region = region;
        this.qualifier = qualifier;
        this.account = account;
    }

    /** The account of a full or partial ARN, or null for a plain name (then the role's account). */
    public String account() {
        return account;
    }

    public static FunctionName parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new SidecarLambdaConfigurationException(
                    "function", "is required: sidecar-lambda:<function name, name:alias, partial or full ARN>");
        }
        Matcher m = PATTERN.matcher(raw);
        if (raw.length() > MAX_LENGTH || !m.matches()) {
            throw new SidecarLambdaConfigurationException(
                    "function",
                    "must be a function name, name:alias, account:function:name or a full Lambda ARN, at most "
                            + MAX_LENGTH + " characters, the name itself 1-64 characters of [A-Za-z0-9_-]; was '" + raw
                            + "'");
        }
        String region = raw.startsWith("arn:") ? m.group("region") : null;
        return new FunctionName(raw, region, m.group("qualifier"), m.group("account"));
    }

    /** The region of a full ARN, or null. */
    public String region() {
        return region;
    }

    /** The qualifier written into the name ({@code name:alias}), or null. */
    public String qualifier() {
        return qualifier;
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
