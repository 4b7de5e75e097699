package io.github.sidecarlambda;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of the SSM parameter that holds a customer's External ID, in the seed's hierarchy
 * {@code <customer>/<environment>/<key>}. A hierarchical name is always sent fully qualified: {@code acme/prod/trustKey}
 * becomes {@code /acme/prod/trustKey}, because Parameter Store rejects a hierarchical name without the leading slash.
 */
public final class ParameterName {

    static final int MAX_LENGTH = 1011;
    static final int MAX_LEVELS = 15;
    private static final Pattern CHARS = Pattern.compile("[a-zA-Z0-9_.\\-/]+");

    private final String value;

    private ParameterName(String value) {
        this.value = value;
    }

    /**
     * Parses and normalizes a parameter name.
     *
     * @param option            the option name used in error messages
     * @param requireHierarchy  whether at least the three levels customer/environment/key are required
     * @throws SidecarLambdaConfigurationException naming the option, the rule and the value
     */
    public static ParameterName parse(String option, String raw, boolean requireHierarchy) {
        if (raw == null || raw.isBlank()) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "is required: the name of the SSM parameter holding the External ID, as <customer>/<environment>/<key>");
        }
        if (!CHARS.matcher(raw).matches()) {
            throw new SidecarLambdaConfigurationException(
                    option, "a parameter name may only contain a-z A-Z 0-9 _ . - /; was '" + raw + "'");
        }
        String name = raw.indexOf('/') >= 0 && !raw.startsWith("/") ? "/" + raw : raw;
        if (name.length() > MAX_LENGTH) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "a parameter name may be at most " + MAX_LENGTH + " characters; was " + name.length()
                            + " characters");
        }
        String[] levels = name.startsWith("/") ? name.substring(1).split("/", -1) : new String[] {name};
        for (String level : levels) {
            if (level.isEmpty()) {
                throw new SidecarLambdaConfigurationException(
                        option,
                        "a parameter name may not have an empty level ('//' or a trailing '/'); was '" + raw + "'");
            }
        }
        if (levels.length > MAX_LEVELS) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "a parameter name may have at most " + MAX_LEVELS + " levels; was " + levels.length + " in '" + raw
                            + "'");
        }
        String first = levels[0].toLowerCase(Locale.ROOT);
        if (first.startsWith("aws") || first.startsWith("ssm")) {
            throw new SidecarLambdaConfigurationException(
                    option, "a parameter name may not begin with 'aws' or 'ssm' (reserved by AWS); was '" + raw + "'");
        }
        if (requireHierarchy && levels.length < 3) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "must follow the hierarchy <customer>/<environment>/<key> (at least 3 levels, e.g. acme/prod/trustKey; "
                            + "set requireKeyHierarchy=false to allow others); was '"
                            + raw + "'");
        }
        return new ParameterName(name);
    }

    /** The fully qualified name sent to Parameter Store. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterName other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
