package io.github.sidecarlambda.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Roles and users of one emulated account, configured through {@link AwsEmulator.Builder#account}.
 * Policies are JSON documents written like IAM's (Statement object or array, string-or-array values).
 */
public final class AccountSpec {
    record RoleDef(
            String path, String name, int maxSessionDurationSeconds, String trustPolicyJson, List<String> policies) {}

    record UserDef(String name, String accessKeyId, String secretAccessKey, List<String> policies) {}

    record OidcProviderDef(String url, List<String> clientIds) {}

    final String accountId;
    final List<RoleDef> roles = new ArrayList<>();
    final List<UserDef> users = new ArrayList<>();
    final List<OidcProviderDef> oidcProviders = new ArrayList<>();

    AccountSpec(String accountId) {
        this.accountId = accountId;
    }

    /** A role with the default maximum session duration of 3600 s. Path like "/" or "/tenants/". */
    public AccountSpec role(String path, String name, String trustPolicyJson, String... permissionPoliciesJson) {
        return role(path, name, 3600, trustPolicyJson, permissionPoliciesJson);
    }

    public AccountSpec role(
            String path,
            String name,
            int maxSessionDurationSeconds,
            String trustPolicyJson,
            String... permissionPoliciesJson) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (!p.startsWith("/") || !p.endsWith("/")) {
            throw new IllegalArgumentException("Role path must start and end with '/': " + path);
        }
        if (maxSessionDurationSeconds < 3600 || maxSessionDurationSeconds > 43200) {
            throw new IllegalArgumentException("maxSessionDuration must be 3600..43200");
        }
        Policy.parse(trustPolicyJson, Policy.Kind.TRUST);
        for (String pol : permissionPoliciesJson) {
            Policy.parse(pol, Policy.Kind.IDENTITY);
        }
        roles.add(new RoleDef(p, name, maxSessionDurationSeconds, trustPolicyJson, List.of(permissionPoliciesJson)));
        return this;
    }

    /**
     * An IAM OIDC identity provider (IAM CreateOpenIDConnectProvider), e.g. an EKS cluster's issuer
     * {@code https://oidc.eks.us-east-1.amazonaws.com/id/XYZ} with client ID {@code sts.amazonaws.com}. Its ARN is
     * {@code arn:aws:iam::ACCOUNT:oidc-provider/<url without https://>}; trust policies name it as a
     * {@code Federated} principal. No thumbprints or keys: the emulator does not verify token signatures.
     */
    public AccountSpec oidcProvider(String url, String... clientIds) {
        if (url == null || !url.startsWith("https://") || url.length() <= "https://".length()) {
            throw new IllegalArgumentException("OIDC provider URL must start with https://, got " + url);
        }
        if (clientIds.length == 0) {
            throw new IllegalArgumentException("OIDC provider " + url + " needs at least one client ID (audience)");
        }
        String bare = url.substring("https://".length());
        oidcProviders.add(new OidcProviderDef(
                bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare, List.of(clientIds)));
        return this;
    }

    /** A user (ARN arn:aws:iam::ACCOUNT:user/NAME) with a long-term AKIA... access key. */
    public AccountSpec user(String name, String accessKeyId, String secretAccessKey, String... permissionPoliciesJson) {
        for (String pol : permissionPoliciesJson) {
            Policy.parse(pol, Policy.Kind.IDENTITY);
        }
        users.add(new UserDef(name, accessKeyId, secretAccessKey, List.of(permissionPoliciesJson)));
        return this;
    }
}
