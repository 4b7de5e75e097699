package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** STS, AWS query protocol (form POST, XML responses). */
final class StsService {
    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
    private final Iam iam;
    private final java.time.Clock clock;

    StsService(Iam iam, java.time.Clock clock) {
        this.iam = iam;
        this.clock = clock;
    }

    static String operationOf(Req req) {
        String action = req.formParam("Action");
        if ("AssumeRole".equals(action)
                || "GetCallerIdentity".equals(action)
                || "AssumeRoleWithWebIdentity".equals(action)) {
            return action;
        }
        return null;
    }

    static String resourceHint(Req req, String op) {
        return op != null && op.startsWith("AssumeRole") ? req.formParam("RoleArn") : null;
    }

    Resp handle(Req req) {
        if ("GetCallerIdentity".equals(req.operation)) {
            Iam.Principal p = req.principal;
            req.resource = p.arn;
            return xml(
                    "GetCallerIdentity",
                    "<Arn>" + esc(p.arn) + "</Arn><UserId>" + esc(p.userId) + "</UserId><Account>" + p.account
                            + "</Account>");
        }
        if ("AssumeRoleWithWebIdentity".equals(req.operation)) {
            return assumeRoleWithWebIdentity(req);
        }
        return assumeRole(req);
    }

    /**
     * Unsigned: the OIDC token is the credential. Validation, then the token (issuer registered as an OIDC provider in
     * the role's account, audience among its client IDs, not expired), then the role's trust policy. The session is
     * an assumed-role session, so roles it assumes in turn are chained (1 hour at most).
     */
    private Resp assumeRoleWithWebIdentity(Req req) {
        String roleArn = req.formParam("RoleArn");
        String sessionName = req.formParam("RoleSessionName");
        String token = req.formParam("WebIdentityToken");
        req.resource = roleArn;
        if (roleArn == null) {
            throw validation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        }
        validateSessionName(sessionName);
        if (token == null) {
            throw validation("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
        }
        if (token.length() < 4 || token.length() > 20000) {
            // never echo the token
            throw validation("Value at 'webIdentityToken' failed to satisfy constraint: Member must have length "
                    + (token.length() < 4 ? "greater than or equal to 4" : "less than or equal to 20000"));
        }
        int duration = duration(req.formParam("DurationSeconds"));
        Policy sessionPolicy = sessionPolicy(req.formParam("Policy"));
        WebIdentity.Token t = WebIdentity.parse(token);
        String roleAccount = roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+") ? roleArn.split(":")[4] : "";
        String issuer = t.issuer().startsWith("https://") ? t.issuer().substring("https://".length()) : t.issuer();
        Iam.OidcProvider provider = iam.oidcProviders.get("arn:aws:iam::" + roleAccount + ":oidc-provider/" + issuer);
        if (provider == null) {
            throw WebIdentity.invalid("No OpenIDConnect provider found in your account for " + t.issuer());
        }
        String audience = t.audiences().stream()
                .filter(provider.clientIds()::contains)
                .findFirst()
                .orElseThrow(() -> WebIdentity.invalid("Incorrect token audience"));
        if (!clock.instant().isBefore(t.expires())) {
            throw new AwsError(400, "ExpiredTokenException", WebIdentity.EXPIRED);
        }
        Iam.Role role = iam.roles.get(roleArn);
        Map<String, List<String>> ctx = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ctx.put(provider.url() + ":sub", List.of(t.subject()));
        ctx.put(provider.url() + ":aud", List.of(audience));
        ctx.put("sts:RoleSessionName", List.of(sessionName));
        ctx.put("aws:CurrentTime", List.of(clock.instant().toString()));
        ctx.put("aws:EpochTime", List.of(Long.toString(clock.instant().getEpochSecond())));
        ctx.put("aws:SecureTransport", List.of("false"));
        if (role == null || !WebIdentity.trusts(role.trust, provider, ctx)) {
            throw new AwsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
        if (duration > role.maxSessionDuration) {
            throw new AwsError(
                    400,
                    "ValidationError",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        Instant issued = clock.instant();
        Instant exp = issued.plus(Duration.ofSeconds(duration)).truncatedTo(ChronoUnit.SECONDS);
        Iam.Credential c = iam.issueSession(role, sessionName, issued, exp, sessionPolicy);
        return xml(
                "AssumeRoleWithWebIdentity",
                credentials(c, exp)
                        + "<SubjectFromWebIdentityToken>" + esc(t.subject()) + "</SubjectFromWebIdentityToken>"
                        + "<Audience>" + esc(audience) + "</Audience><Provider>" + esc(t.issuer()) + "</Provider>");
    }

    private static void validateSessionName(String sessionName) {
        if (sessionName == null) {
            throw validation("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
        }
        if (sessionName.length() < 2 || sessionName.length() > 64) {
            throw validation("Value '" + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must have length "
                    + (sessionName.length() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw validation("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
    }

    private static int duration(String durationText) {
        int duration = 3600;
        if (durationText != null) {
            try {
                duration = Integer.parseInt(durationText);
            } catch (NumberFormatException e) {
                throw validation("Value '" + durationText
                        + "' at 'durationSeconds' failed to satisfy constraint: Member must be a number");
            }
            if (duration < 900 || duration > 43200) {
                throw validation("Value '" + duration
                        + "' at 'durationSeconds' failed to satisfy constraint: Member must have value "
                        + (duration < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
            }
        }
        return duration;
    }

    private static Policy sessionPolicy(String text) {
        if (text == null) {
            return null;
        }
        // a session policy follows the identity-policy grammar; what the emulator cannot evaluate is refused here
        // rather than evaluated as "no match"
        try {
            return Policy.parse(text, Policy.Kind.IDENTITY);
        } catch (Policy.MalformedJson e) {
            throw new AwsError(400, "MalformedPolicyDocument", "The policy is not in the valid JSON format.");
        } catch (IllegalArgumentException e) {
            throw new AwsError(400, "MalformedPolicyDocument", e.getMessage());
        }
    }

    private static String credentials(Iam.Credential c, Instant exp) {
        return "<Credentials><AccessKeyId>" + c.accessKeyId() + "</AccessKeyId><SecretAccessKey>" + esc(c.secret())
                + "</SecretAccessKey><SessionToken>" + esc(c.sessionToken()) + "</SessionToken><Expiration>"
                + DateTimeFormatter.ISO_INSTANT.format(exp) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>" + esc(c.principal().userId) + "</AssumedRoleId><Arn>"
                + esc(c.principal().arn) + "</Arn></AssumedRoleUser>";
    }

    private Resp assumeRole(Req req) {
        String roleArn = req.formParam("RoleArn");
        String sessionName = req.formParam("RoleSessionName");
        String externalId = req.formParam("ExternalId");
        String durationText = req.formParam("DurationSeconds");
        String sessionPolicyText = req.formParam("Policy");
        req.resource = roleArn;
        if (roleArn == null) {
            throw validation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        }
        if (roleArn.length() < 20 || roleArn.length() > 2048) {
            throw validation(
                    "Value '" + roleArn + "' at 'roleArn' failed to satisfy constraint: Member must have length "
                            + (roleArn.length() < 20 ? "greater than or equal to 20" : "less than or equal to 2048"));
        }
        validateSessionName(sessionName);
        if (externalId != null) {
            // never echo the External ID back
            if (externalId.length() < 2 || externalId.length() > 1224) {
                throw validation("Value at 'externalId' failed to satisfy constraint: Member must have length "
                        + (externalId.length() < 2 ? "greater than or equal to 2" : "less than or equal to 1224"));
            }
            if (!EXTERNAL_ID.matcher(externalId).matches()) {
                throw validation("Value at 'externalId' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w+=,.@:/-]*");
            }
        }
        int duration = duration(durationText);
        Policy sessionPolicy = sessionPolicy(sessionPolicyText);
        Iam.Principal caller = req.principal;
        Iam.Role role = iam.roles.get(roleArn);
        Map<String, List<String>> ctx = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ctx.putAll(req.context);
        ctx.put("sts:RoleSessionName", List.of(sessionName));
        if (externalId != null) {
            ctx.put("sts:ExternalId", List.of(externalId));
        }
        if (!authorized(caller, role, roleArn, ctx)) {
            throw new AwsError(
                    403,
                    "AccessDenied",
                    "User: " + caller.arn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        if (caller.session && duration > 3600) {
            throw new AwsError(
                    400,
                    "ValidationError",
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (duration > role.maxSessionDuration) {
            throw new AwsError(
                    400,
                    "ValidationError",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        Instant issued = clock.instant();
        Instant exp = issued.plus(Duration.ofSeconds(duration)).truncatedTo(ChronoUnit.SECONDS);
        Iam.Credential c = iam.issueSession(role, sessionName, issued, exp, sessionPolicy);
        String body = credentials(c, exp)
                + (sessionPolicy != null
                        ? "<PackedPolicySize>" + Math.min(100, sessionPolicyText.length() / 20) + "</PackedPolicySize>"
                        : "");
        return xml("AssumeRole", body);
    }

    private static boolean authorized(
            Iam.Principal caller, Iam.Role role, String roleArn, Map<String, List<String>> ctx) {
        if (role == null) {
            return false;
        }
        if (caller.explicitlyDenied("sts:AssumeRole", roleArn, ctx)) {
            return false;
        }
        boolean[] specific = new boolean[1];
        Policy.Caller c = new Policy.Caller(caller.arn, caller.account, caller.principalArn, !caller.session);
        if (role.trust.evaluateTrust(c, "sts:AssumeRole", ctx, specific) != Policy.Decision.ALLOW) {
            return false;
        }
        boolean identityAllows = caller.allowed("sts:AssumeRole", roleArn, ctx);
        if (!caller.account.equals(role.account)) {
            return identityAllows;
        }
        return identityAllows || specific[0];
    }

    private static AwsError validation(String msg) {
        return new AwsError(400, "ValidationError", "1 validation error detected: " + msg);
    }

    private static Resp xml(String op, String result) {
        String requestId = Iam.requestId();
        String s = "<" + op + "Response xmlns=\"" + NS + "\">\n  <" + op + "Result>" + result + "</" + op + "Result>\n"
                + "  <ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>\n</" + op
                + "Response>\n";
        return new Resp(200, "text/xml", s.getBytes(StandardCharsets.UTF_8)).header("x-amzn-RequestId", requestId);
    }

    static Resp error(AwsError e) {
        String requestId = Iam.requestId();
        String s = "<ErrorResponse xmlns=\"" + NS + "\">\n  <Error>\n    <Type>" + (e.sender ? "Sender" : "Receiver")
                + "</Type>\n    <Code>" + esc(e.code) + "</Code>\n    <Message>" + esc(e.getMessage())
                + "</Message>\n  </Error>\n"
                + "  <RequestId>" + requestId + "</RequestId>\n</ErrorResponse>\n";
        return new Resp(e.status, "text/xml", s.getBytes(StandardCharsets.UTF_8)).header("x-amzn-RequestId", requestId);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '&':
                    sb.append("&amp;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&apos;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }
}
