package io.github.sidecarlambda;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ARN of an IAM role, validated against IAM's rules: partition {@code aws}, {@code aws-cn} or {@code aws-us-gov},
 * a 12-digit account, an optional path ({@code /} or {@code /segment/.../}) and a name of 1-64 characters of
 * {@code [\w+=,.@-]}.
 */
public final class RoleArn {

    /** STS's limit for AssumeRole's RoleArn; checked before anything else looks at the value. */
    static final int MAX_LENGTH = 2048;

    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
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
        if (value.length() > MAX_LENGTH) {
            throw new SidecarLambdaConfigurationException(
                    "roleArn",
                    "may be at most " + MAX_LENGTH + " characters; was " + value.length() + " characters starting '"
                            + value.substring(0, 64) + "...'");
        }
        // parsed by hand, segment by segment: no regex that recurses per path segment (a long path overflowed the
        // stack)
        String[] parts = value.split(":", 6);
        if (parts.length != 6
                || !parts[0].equals("arn")
                || !(parts[1].equals("aws") || parts[1].equals("aws-cn") || parts[1].equals("aws-us-gov"))
                || !parts[2].equals("iam")
                || !parts[3].isEmpty()
                || !ACCOUNT.matcher(parts[4]).matches()
                || !parts[5].startsWith("role/")) {
            throw new SidecarLambdaConfigurationException("roleArn", RULE + "; was '" + value + "'");
        }
        String resource = parts[5];
        int lastSlash = resource.lastIndexOf('/');
        String path = resource.substring("role".length(), lastSlash + 1);
        String name = resource.substring(lastSlash + 1);
        if (!NAME.matcher(name).matches() || !validPath(path)) {
            throw new SidecarLambdaConfigurationException("roleArn", RULE + "; was '" + value + "'");
        }
        if (path.length() > 512) {
            throw new SidecarLambdaConfigurationException(
                    "roleArn", "the role path may be at most 512 characters; was '" + value + "'");
        }
        return new RoleArn(value, parts[1], parts[4], path, name);
    }

    /** IAM paths: "/" or "/a/b/", printable ASCII, no empty segment. */
    private static boolean validPath(String path) {
        if (!path.startsWith("/") || !path.endsWith("/") || path.contains("//") && path.length() > 1) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the seed's rule that the role name starts with the platform's prefix. IAM role names are
     * case-insensitive, so the comparison is too. An empty prefix disables the check.
     */
    public RoleArn requireNamePrefix(String prefix) {
        if (prefix != null
                && !prefix.isEmpty()
                && !roleName.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            throw new SidecarLambdaConfigurationException(
                    "roleArn",
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
