package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The web identity side of AssumeRoleWithWebIdentity: reading the OIDC token (a JWT whose signature the emulator does
 * not verify) and deciding whether a role's trust policy lets its {@code Federated} provider in.
 */
final class WebIdentity {
    static final String INVALID = "The web identity token that was passed could not be validated by AWS. "
            + "Get a new identity token from the identity provider and then retry the request.";
    static final String EXPIRED = "The web identity token that was passed is expired or is not valid. "
            + "Get a new identity token from the identity provider and then retry the request.";

    /** The claims AWS uses: issuer, subject, audiences, expiry. */
    record Token(String issuer, String subject, List<String> audiences, Instant expires) {}

    private WebIdentity() {}

    /** Parses header.payload.signature; anything unreadable or without iss/sub/aud/exp is InvalidIdentityToken. */
    static Token parse(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid(INVALID);
        }
        JsonNode claims;
        try {
            Json.parse(Base64.getUrlDecoder().decode(parts[0]));
            claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw invalid(INVALID);
        }
        if (!claims.isObject()) {
            throw invalid(INVALID);
        }
        String iss = Json.str(claims, "iss").orElse(null);
        String sub = Json.str(claims, "sub").orElse(null);
        List<String> aud = claims.field("aud").map(Json::strings).orElse(List.of());
        JsonNode exp = claims.field("exp").orElse(null);
        if (iss == null || sub == null || aud.isEmpty() || exp == null || !exp.isNumber()) {
            throw invalid(INVALID);
        }
        return new Token(iss, sub, aud, Instant.ofEpochSecond((long) Double.parseDouble(exp.asNumber())));
    }

    static AwsError invalid(String message) {
        return new AwsError(400, "InvalidIdentityToken", message);
    }

    /**
     * Trust decision for a web identity: only statements whose {@code Principal.Federated} names the provider's ARN
     * can match, with the token's claims as condition keys ({@code <url>:sub}, {@code <url>:aud}). The statements are
     * re-expressed with that provider as an {@code AWS} principal so that {@link Policy}'s own evaluation (condition
     * operators included) decides, without a second evaluator.
     */
    static boolean trusts(Policy trust, Iam.OidcProvider provider, Map<String, List<String>> context) {
        JsonNode root = Json.parse(trust.source);
        JsonNode st = root.field("Statement").orElseThrow();
        List<String> kept = new ArrayList<>();
        for (JsonNode s : st.isArray() ? st.asArray() : List.of(st)) {
            JsonNode principal = s.field("Principal").orElse(null);
            if (principal == null || !principal.isObject()) {
                continue;
            }
            List<String> federated =
                    principal.field("Federated").map(Json::strings).orElse(List.of());
            if (!federated.contains(provider.arn())) {
                continue;
            }
            StringBuilder copy = new StringBuilder("{");
            for (var e : s.asObject().entrySet()) {
                if (!e.getKey().equals("Principal")) {
                    copy.append(Json.quote(e.getKey()))
                            .append(':')
                            .append(Json.write(e.getValue()))
                            .append(',');
                }
            }
            kept.add(copy.append("\"Principal\":{\"AWS\":")
                    .append(Json.quote(provider.arn()))
                    .append("}}")
                    .toString());
        }
        Policy federatedOnly = Policy.parse("{\"Statement\":[" + String.join(",", kept) + "]}");
        Policy.Caller caller = new Policy.Caller(provider.arn(), "", provider.arn(), false);
        return federatedOnly.evaluateTrust(caller, "sts:AssumeRoleWithWebIdentity", context, new boolean[1])
                == Policy.Decision.ALLOW;
    }
}
