package io.github.sidecarlambda.emulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts, roles, users and issued sessions. */
final class Iam {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    static final class Role {
        final String account;
        final String path;
        final String name;
        final String arn;
        final String roleId;
        final int maxSessionDuration;
        volatile Policy trust;
        final List<Policy> policies;

        Role(String account, String path, String name, int maxSessionDuration, Policy trust, List<Policy> policies) {
            this.account = account;
            this.path = path;
            this.name = name;
            this.arn = "arn:aws:iam::" + account + ":role" + path + name;
            this.roleId = "AROA" + random(UPPER_ALNUM, 17);
            this.maxSessionDuration = maxSessionDuration;
            this.trust = trust;
            this.policies = policies;
        }
    }

    /** An authenticated identity: a user or an assumed-role session. */
    static final class Principal {
        final String arn; // user ARN or arn:aws:sts::A:assumed-role/R/S
        final String account;
        final String principalArn; // user ARN or role ARN (aws:PrincipalArn)
        final String userId;
        final List<Policy> policies;
        final Policy sessionPolicy; // may be null
        final boolean session;
        final Instant issuedAt; // sessions only (aws:TokenIssueTime)

        Principal(
                String arn,
                String account,
                String principalArn,
                String userId,
                List<Policy> policies,
                Policy sessionPolicy,
                boolean session,
                Instant issuedAt) {
            this.arn = arn;
            this.account = account;
            this.principalArn = principalArn;
            this.userId = userId;
            this.policies = policies;
            this.sessionPolicy = sessionPolicy;
            this.session = session;
            this.issuedAt = issuedAt;
        }

        /** Identity-based evaluation (plus session policy intersection). */
        boolean allowed(String action, String resource, Map<String, List<String>> ctx) {
            Policy.Decision d = Policy.Decision.NONE;
            for (Policy p : policies) {
                Policy.Decision x = p.evaluate(action, resource, ctx);
                if (x == Policy.Decision.DENY) {
                    return false;
                }
                if (x == Policy.Decision.ALLOW) {
                    d = x;
                }
            }
            if (d != Policy.Decision.ALLOW) {
                return false;
            }
            return sessionPolicy == null || sessionPolicy.evaluate(action, resource, ctx) == Policy.Decision.ALLOW;
        }

        boolean explicitlyDenied(String action, String resource, Map<String, List<String>> ctx) {
            for (Policy p : policies) {
                if (p.evaluate(action, resource, ctx) == Policy.Decision.DENY) {
                    return true;
                }
            }
            return sessionPolicy != null && sessionPolicy.evaluate(action, resource, ctx) == Policy.Decision.DENY;
        }

        /**
         * The global condition keys of a request by this principal, as the IAM User Guide ("AWS global condition
         * context keys", "Principal key values") describes their availability: always the principal ARN (the role
         * ARN for a session), account, type, userid, time, source IP, SecureTransport (false: the emulator speaks
         * plain HTTP), requested Region and ViaAWSService (false: principals call directly); aws:username only for
         * users; aws:TokenIssueTime and aws:MultiFactorAuthPresent (false: the emulator has no MFA) only for
         * temporary credentials; aws:UserAgent when the request carries one.
         */
        Map<String, List<String>> context(String sourceIp, Instant now, String region, String userAgent) {
            Map<String, List<String>> c = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            c.put("aws:PrincipalArn", List.of(principalArn));
            c.put("aws:PrincipalAccount", List.of(account));
            c.put("aws:PrincipalType", List.of(session ? "AssumedRole" : "User"));
            c.put("aws:userid", List.of(userId));
            if (!session) {
                c.put("aws:username", List.of(arn.substring(arn.lastIndexOf('/') + 1)));
            } else {
                c.put("aws:TokenIssueTime", List.of(iso(issuedAt)));
                c.put("aws:MultiFactorAuthPresent", List.of("false"));
            }
            c.put("aws:CurrentTime", List.of(iso(now)));
            c.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
            if (sourceIp != null) {
                c.put("aws:SourceIp", List.of(sourceIp));
            }
            c.put("aws:SecureTransport", List.of("false"));
            c.put("aws:RequestedRegion", List.of(region));
            c.put("aws:ViaAWSService", List.of("false"));
            if (userAgent != null) {
                c.put("aws:UserAgent", List.of(userAgent));
            }
            return c;
        }

        private static String iso(Instant t) {
            return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** An OIDC identity provider; url without the https:// scheme, as in its ARN and in condition keys. */
    record OidcProvider(String account, String url, List<String> clientIds) {
        String arn() {
            return "arn:aws:iam::" + account + ":oidc-provider/" + url;
        }
    }

    /** A credential the emulator knows: a user's long-term key or an issued session. */
    record Credential(
            String accessKeyId, String secret, String sessionToken, Instant expiration, Principal principal) {}

    final Map<String, Role> roles = new ConcurrentHashMap<>();
    final Map<String, Principal> users = new ConcurrentHashMap<>(); // by user ARN
    final Map<String, Credential> keys = new ConcurrentHashMap<>();
    final Map<String, String> userKeys = new ConcurrentHashMap<>(); // user ARN -> access key
    final Map<String, OidcProvider> oidcProviders = new ConcurrentHashMap<>(); // by ARN

    void addAccount(AccountSpec spec) {
        for (AccountSpec.RoleDef r : spec.roles) {
            List<Policy> pols = new ArrayList<>();
            for (String p : r.policies()) {
                pols.add(Policy.parse(p, Policy.Kind.IDENTITY));
            }
            Role role = new Role(
                    spec.accountId,
                    r.path(),
                    r.name(),
                    r.maxSessionDurationSeconds(),
                    Policy.parse(r.trustPolicyJson(), Policy.Kind.TRUST),
                    List.copyOf(pols));
            roles.put(role.arn, role);
        }
        for (AccountSpec.UserDef u : spec.users) {
            List<Policy> pols = new ArrayList<>();
            for (String p : u.policies()) {
                pols.add(Policy.parse(p, Policy.Kind.IDENTITY));
            }
            String arn = "arn:aws:iam::" + spec.accountId + ":user/" + u.name();
            Principal p = new Principal(
                    arn, spec.accountId, arn, "AIDA" + random(UPPER_ALNUM, 17), List.copyOf(pols), null, false, null);
            users.put(arn, p);
            userKeys.put(arn, u.accessKeyId());
            keys.put(u.accessKeyId(), new Credential(u.accessKeyId(), u.secretAccessKey(), null, null, p));
        }
        for (AccountSpec.OidcProviderDef o : spec.oidcProviders) {
            OidcProvider p = new OidcProvider(spec.accountId, o.url(), o.clientIds());
            oidcProviders.put(p.arn(), p);
        }
    }

    Credential issueSession(Role role, String sessionName, Instant issuedAt, Instant expiration, Policy sessionPolicy) {
        String arn = "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + sessionName;
        Principal p = new Principal(
                arn,
                role.account,
                role.arn,
                role.roleId + ":" + sessionName,
                role.policies,
                sessionPolicy,
                true,
                issuedAt);
        String akid = "ASIA" + random(UPPER_ALNUM, 16);
        String secret = random(SECRET_CHARS, 40);
        String token = "IQoJb3JpZ2luX2VjE" + random(SECRET_CHARS, 300);
        Credential c = new Credential(akid, secret, token, expiration, p);
        keys.put(akid, c);
        return c;
    }

    static String random(char[] alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    static String requestId() {
        return java.util.UUID.randomUUID().toString();
    }
}
