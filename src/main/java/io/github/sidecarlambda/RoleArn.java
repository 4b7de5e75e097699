package io.github.sidecarlambda;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARN of an IAM role, validated against IAM's rules: partition {@code aws}, {@code aws-cn} or {@code aws-us-gov},
 * a 12-digit account, an optional path ({@code /} or {@code /segment/.../}) and a name of 1-64 characters of
 * {@code [\w+=,.@-]}.
 */
public final class RoleArn {

    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role(/(?:[\\x21-\\x7E&&[^/]]+/)*)([\\w+=,.@-]{1,64})");
    static final String RULE = "must be arn:{aws|aws-cn|aws-us-gov}:iam::<12-digit account>:role/[<path>/]<name> "
                               + "with a role name of 1-64 characters of [A-Za-z0-9_+=,.@-]";

    private final String value;
    private final String partition;
    private final String accountId;
    private final String path;
    private final String roleName;

    private RoleArn(String value, String partition, String accountId, String path, String roleName) {
        this.value = value;
        this.partition = partition;
        this.accountId = accountId;
        this.path = path;
        this.roleName = roleName;
    }

    /**
     * Parses a role ARN.
     *
     * @throws SidecarLambdaConfigurationException naming option {@code roleArn}, the rule and the value
     */
    public static RoleArn parse(String value) {
        if (value == null || value.isBlank()) {
            throw new SidecarLambdaConfigurationException("roleArn", "is required; it " + RULE);
        }
        Matcher m = ARN.matcher(value);
        if (!m.matches()) {
            throw new SidecarLambdaConfigurationException("roleArn", RULE + "; was '" + value + "'");
        }
        if (m.group(3).length() > 512) {
            throw new SidecarLambdaConfigurationException("roleArn", "the role path may be at most 512 characters; was '"
                                                                     + value + "'");
        }
        return new RoleArn(value, m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /**
     * Checks the seed's rule that the role name starts with the platform's prefix. IAM role names are
     * case-insensitive, so the comparison is too. An empty prefix disables the check.
     */
    public RoleArn requireNamePrefix(String prefix) {
        if (prefix != null && !prefix.isEmpty()
                && !roleName.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            throw new SidecarLambdaConfigurationException("roleArn",
                    "the role name must start with the prefix '" + prefix + "' (option roleNamePrefix, compared "
                                                                     + "case-insensitively; empty disables the check); role name was '"
                                                                     + roleName + "' in '" + value + "'");
        }
        return this;
    }

    public String partition() {
        return partition;
    }

    public String accountId() {
        return accountId;
    }

    public String path() {
        return path;
    }

    public String roleName() {
        return roleName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleArn other && value.equals(other.value);
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
