package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Authenticates a request: SigV4 Authorization header, access key lookup, session token, expiry and
 * request date skew, then recomputes the signature with the SDK's own AwsV4HttpSigner.
 */
final class SigV4Verifier {
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** Parsed Authorization header. */
    record Auth(String accessKeyId, String date, String region, String service, List<String> signedHeaders, String signature) {
    }

    private final Iam iam;
    private final Clock clock;

    SigV4Verifier(Iam iam, Clock clock) {
        this.iam = iam;
        this.clock = clock;
    }

    static Auth parse(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return null;
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String p = part.trim();
            if (p.startsWith("Credential=")) {
                credential = p.substring("Credential=".length());
            } else if (p.startsWith("SignedHeaders=")) {
                signedHeaders = p.substring("SignedHeaders=".length());
            } else if (p.startsWith("Signature=")) {
                signature = p.substring("Signature=".length());
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            return null;
        }
        String[] c = credential.split("/");
        if (c.length != 5 || !"aws4_request".equals(c[4])) {
            return null;
        }
        return new Auth(c[0], c[1], c[2], c[3], List.of(signedHeaders.split(";")), signature);
    }

    /** Authenticates, setting req.principal; throws AwsError in the shape for req.service. */
    void authenticate(Req req) {
        String service = req.service;
        String authz = req.header("Authorization");
        if (authz == null) {
            throw missingAuth(service);
        }
        Auth auth = parse(authz);
        if (auth == null) {
            throw incomplete(service);
        }
        req.accessKeyId = auth.accessKeyId();
        req.scopeRegion = auth.region();
        Iam.Credential cred = iam.keys.get(auth.accessKeyId());
        if (cred == null) {
            throw invalidToken(service);
        }
        String token = req.header("X-Amz-Security-Token");
        if (cred.sessionToken() != null) {
            if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    cred.sessionToken().getBytes(StandardCharsets.UTF_8))) {
                throw invalidToken(service);
            }
        } else if (token != null) {
            throw invalidToken(service);
        }
        Instant now = clock.instant();
        if (cred.expiration() != null && !now.isBefore(cred.expiration())) {
            throw expiredToken(service);
        }
        // the 5-minute window is judged against the signer's time base (see EmulatorClock#skew), not expiry time
        now = clock instanceof EmulatorClock ec ? ec.signingReference() : now;
        String amzDate = req.header("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (RuntimeException e) {
            throw incomplete(service);
        }
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw badSignature(service, "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw badSignature(service, "Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        if (!auth.date().equals(amzDate.substring(0, 8)) || !auth.signedHeaders().contains("host")) {
            throw badSignature(service, SIG_MISMATCH);
        }
        String expected = computeSignature(req, auth, cred.secret(), signedAt);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw badSignature(service, SIG_MISMATCH);
        }
        req.principal = cred.principal();
    }

    private static String computeSignature(Req req, Auth auth, String secret, Instant signedAt) {
        String host = req.hostHeader == null ? "127.0.0.1" : req.hostHeader;
        int port = 80;
        String hostName = host;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            hostName = host.substring(0, colon);
            port = Integer.parseInt(host.substring(colon + 1));
        }
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(req.method))
                .protocol("http")
                .host(hostName)
                .port(port)
                .encodedPath(req.rawPath);
        for (Map.Entry<String, List<String>> q : req.query().entrySet()) {
            b.putRawQueryParameter(q.getKey(), q.getValue());
        }
        boolean unsignedPayload = false;
        for (String h : auth.signedHeaders()) {
            if (h.equals("host")) {
                continue;
            }
            List<String> values = req.headers.get(h);
            if (values != null) {
                b.putHeader(h, values);
            }
            if (h.equals("x-amz-content-sha256") && values != null && values.contains("UNSIGNED-PAYLOAD")) {
                unsignedPayload = true;
            }
        }
        boolean finalUnsigned = unsignedPayload;
        SignedRequest signed = SIGNER.sign(r -> {
            r.identity(AwsCredentialsIdentity.create(auth.accessKeyId(), secret))
                    .request(b.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(req.body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, auth.service())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, auth.region())
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC));
            if (finalUnsigned) {
                r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            }
        });
        String a = signed.request().firstMatchingHeader("Authorization").orElse("");
        Auth computed = parse(a);
        return computed == null ? "" : computed.signature();
    }

    static final String SIG_MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    static AwsError missingAuth(String service) {
        switch (service) {
            case "sts": return new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            case "ssm": return new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
            default: return new AwsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
    }

    static AwsError incomplete(String service) {
        String msg = "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and a valid X-Amz-Date.";
        switch (service) {
            case "sts": return new AwsError(400, "IncompleteSignature", msg);
            case "ssm": return new AwsError(400, "IncompleteSignatureException", msg);
            default: return new AwsError(403, "IncompleteSignatureException", msg);
        }
    }

    static AwsError invalidToken(String service) {
        String msg = "The security token included in the request is invalid.";
        switch (service) {
            case "sts": return new AwsError(403, "InvalidClientTokenId", msg);
            case "ssm": return new AwsError(400, "UnrecognizedClientException", msg);
            default: return new AwsError(403, "UnrecognizedClientException", msg);
        }
    }

    static AwsError expiredToken(String service) {
        switch (service) {
            case "sts": return new AwsError(403, "ExpiredToken", "The security token included in the request is expired");
            case "ssm": return new AwsError(400, "ExpiredTokenException", "The security token included in the request is expired");
            default: return new AwsError(403, "ExpiredTokenException", "The security token included in the request is expired");
        }
    }

    static AwsError badSignature(String service, String msg) {
        switch (service) {
            case "sts": return new AwsError(403, "SignatureDoesNotMatch", msg);
            case "ssm": return new AwsError(400, "InvalidSignatureException", msg);
            default: return new AwsError(403, "InvalidSignatureException", msg);
        }
    }
}
