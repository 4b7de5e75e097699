package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.Headers;

/**
 * Authenticates a request: SigV4 Authorization header, access key lookup, session token, expiry and request date
 * skew, then the signature, recomputed from the published algorithm with nothing but the JDK's SHA-256 and HMAC
 * (AWS IAM User Guide, "Create a signed AWS API request" and "Elements of an AWS API request signature";
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). It shares no code
 * with any SDK signer, so a client's signing mistakes are not repeated here, and it covers exactly the headers the
 * client listed in SignedHeaders (the AWS CLI, for one, does not sign x-amz-content-sha256). SigV4TestSuiteTest holds
 * it to AWS's own test suite.
 */
final class SigV4Verifier {
    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    /** Parsed Authorization header. */
    record Auth(
            String accessKeyId,
            String date,
            String region,
            String service,
            List<String> signedHeaders,
            String signature) {
        String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    /**
     * The intermediate products of signing one request, named as in AWS's documentation and test suite
     * ({@code creq}, {@code sts}, {@code authz}), so a test can compare every step, not only the final signature.
     */
    record Signing(String canonicalRequest, String stringToSign, String signature, String authorization) {}

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
            if (token == null
                    || !MessageDigest.isEqual(
                            token.getBytes(StandardCharsets.UTF_8),
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
            throw badSignature(
                    service,
                    "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                            + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw badSignature(
                    service,
                    "Signature not yet current: " + amzDate + " is still later than "
                            + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        if (!auth.date().equals(amzDate.substring(0, 8))
                || !auth.signedHeaders().contains("host")) {
            throw badSignature(service, SIG_MISMATCH);
        }
        String expected = sign(
                        req.method, req.rawPath, req.rawQuery, req.headers, req.body, auth, amzDate, cred.secret())
                .signature();
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw badSignature(service, SIG_MISMATCH);
        }
        req.principal = cred.principal();
    }

    /**
     * Signs a request as its client did: canonical request, string to sign, signing key, signature. Covers the headers
     * in {@code auth.signedHeaders()} in the client's order (AWS requires them sorted; a client that did not sort
     * signed something else and must fail). The secret comes from the emulator's IAM, never from the request.
     */
    static Signing sign(
            String method,
            String rawPath,
            String rawQuery,
            Headers headers,
            byte[] body,
            Auth auth,
            String amzDate,
            String secret) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : auth.signedHeaders()) {
            canonicalHeaders
                    .append(name)
                    .append(':')
                    .append(canonicalHeaderValue(headers.get(name)))
                    .append('\n');
        }
        String signedHeaders = String.join(";", auth.signedHeaders());
        String canonicalRequest = method + "\n"
                + canonicalUri(rawPath) + "\n"
                + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n"
                + signedHeaders + "\n"
                + hashedPayload(headers, body);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + auth.scope() + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + auth.accessKeyId() + "/" + auth.scope() + ", SignedHeaders="
                + signedHeaders + ", Signature=" + signature;
        return new Signing(canonicalRequest, stringToSign, signature, authorization);
    }

    /**
     * Non-S3 services: remove "." and ".." segments and empty ones (double slashes), as RFC 3986 5.2.4 and the test
     * suite's normalize-path cases show, then URI-encode each segment of the path as it came over the wire. Since
     * that path is already encoded once, "%" becomes "%25": AWS's "each path segment URI-encoded twice".
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/').append(uriEncode(segment));
        }
        if (segments.isEmpty()) {
            return "/";
        }
        return rawPath.endsWith("/") ? out.append('/').toString() : out.toString();
    }

    /**
     * Each name and value decoded, then URI-encoded (everything but A-Z a-z 0-9 - _ . ~, "=" for an absent value),
     * sorted by name, then by value.
     */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            // in a query "+" is a literal plus (form bodies are not part of the canonical query)
            params.add(
                    new String[] {uriEncode(Req.percentDecode(name, false)), uriEncode(Req.percentDecode(value, false))
                    });
        }
        params.sort((x, y) -> x[0].equals(y[0]) ? x[1].compareTo(y[1]) : x[0].compareTo(y[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : params) {
            out.append(out.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** Values trimmed, inner runs of spaces made one, repeated headers joined with "," in arrival order. */
    static String canonicalHeaderValue(List<String> values) {
        if (values == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String v : values) {
            out.append(out.length() == 0 ? "" : ",").append(v.strip().replaceAll(" {2,}", " "));
        }
        return out.toString();
    }

    /**
     * SHA-256 of the body, or UNSIGNED-PAYLOAD when the client said so in x-amz-content-sha256. Any other value of
     * that header is not trusted: it is the body's hash if the client is honest, and if it is not, the signature
     * computed over the real body no longer matches, so a swapped body is refused.
     */
    static String hashedPayload(Headers headers, byte[] body) {
        String declared = headers.getFirst("x-amz-content-sha256");
        if (declared != null && declared.strip().equals(UNSIGNED_PAYLOAD)) {
            return UNSIGNED_PAYLOAD;
        }
        return hex(sha256(body));
    }

    /** UriEncode() of the AWS docs: every byte of the UTF-8 form except A-Z a-z 0-9 - _ . ~ as %XX (upper case). */
    static String uriEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    static final String SIG_MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    static AwsError missingAuth(String service) {
        switch (service) {
            case "sts":
                return new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            case "ssm", "secretsmanager":
                return new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
            default:
                return new AwsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
    }

    static AwsError incomplete(String service) {
        String msg = "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and a valid X-Amz-Date.";
        switch (service) {
            case "sts":
                return new AwsError(400, "IncompleteSignature", msg);
            case "ssm", "secretsmanager":
                return new AwsError(400, "IncompleteSignatureException", msg);
            default:
                return new AwsError(403, "IncompleteSignatureException", msg);
        }
    }

    static AwsError invalidToken(String service) {
        String msg = "The security token included in the request is invalid.";
        switch (service) {
            case "sts":
                return new AwsError(403, "InvalidClientTokenId", msg);
            case "ssm", "secretsmanager":
                return new AwsError(400, "UnrecognizedClientException", msg);
            default:
                return new AwsError(403, "UnrecognizedClientException", msg);
        }
    }

    static AwsError expiredToken(String service) {
        switch (service) {
            case "sts":
                return new AwsError(403, "ExpiredToken", "The security token included in the request is expired");
            case "ssm", "secretsmanager":
                return new AwsError(
                        400, "ExpiredTokenException", "The security token included in the request is expired");
            default:
                return new AwsError(
                        403, "ExpiredTokenException", "The security token included in the request is expired");
        }
    }

    static AwsError badSignature(String service, String msg) {
        switch (service) {
            case "sts":
                return new AwsError(403, "SignatureDoesNotMatch", msg);
            case "ssm", "secretsmanager":
                return new AwsError(400, "InvalidSignatureException", msg);
            default:
                return new AwsError(403, "InvalidSignatureException", msg);
        }
    }
}
