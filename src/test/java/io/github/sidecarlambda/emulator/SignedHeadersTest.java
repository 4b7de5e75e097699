package io.github.sidecarlambda.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID_PARAMETER;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ROLE_ARN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signature covers the headers the client listed in SignedHeaders, no more and no fewer: a request signed the way
 * the AWS CLI signs SSM calls (content-type;host;x-amz-date;x-amz-security-token;x-amz-target, no
 * x-amz-content-sha256) is accepted whatever its unsigned headers say, and changing a signed header or the body is
 * refused. Raw HTTP, so the test controls every header; CLI-shaped requests are signed with
 * {@link SigV4Verifier#sign}, which SigV4TestSuiteTest holds to AWS's known answers, and SDK-shaped ones with the
 * SDK's own signer.
 */
class SignedHeadersTest {
    private static final String GET_TRUST_KEY = "{\"Name\":\"" + EXTERNAL_ID_PARAMETER + "\",\"WithDecryption\":true}";
    private static final List<String> CLI_SIGNED =
            List.of("content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target");

    private static AwsEmulator emu;
    private static AwsSessionCredentials creds;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder().start();
        creds = (AwsSessionCredentials) emu.credentialsFor(PLATFORM_ROLE_ARN).resolveCredentials();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void cliShapedSignatureIsAcceptedWhateverTheUnsignedHeadersSay() throws Exception {
        Map<String, String> headers = ssmHeaders("AmazonSSM.GetParameter");
        headers.put("Authorization", cliSignature(headers, GET_TRUST_KEY, CLI_SIGNED));
        headers.put("X-Not-Signed", "first");
        HttpResponse<String> r = post(headers, GET_TRUST_KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body())
                        .field("Parameter")
                        .get()
                        .field("Value")
                        .get()
                        .asString())
                .isEqualTo(EXTERNAL_ID);

        headers.put("X-Not-Signed", "second");
        headers.put("User-Agent", "something-else/1.0");
        assertThat(post(headers, GET_TRUST_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void changingASignedHeaderIsRefused() throws Exception {
        Map<String, String> headers = ssmHeaders("AmazonSSM.GetParameter");
        headers.put("Authorization", cliSignature(headers, GET_TRUST_KEY, CLI_SIGNED));
        headers.put("X-Amz-Target", "AmazonSSM.GetParameters");
        assertSignatureMismatch(post(headers, GET_TRUST_KEY));
    }

    @Test
    void changingTheBodyIsRefused() throws Exception {
        Map<String, String> headers = ssmHeaders("AmazonSSM.GetParameter");
        headers.put("Authorization", cliSignature(headers, GET_TRUST_KEY, CLI_SIGNED));
        assertSignatureMismatch(post(headers, GET_TRUST_KEY.replace("true", "false")));
    }

    @Test
    void hostMustBeSigned() throws Exception {
        Map<String, String> headers = ssmHeaders("AmazonSSM.GetParameter");
        headers.put(
                "Authorization",
                cliSignature(
                        headers,
                        GET_TRUST_KEY,
                        List.of("content-type", "x-amz-date", "x-amz-security-token", "x-amz-target")));
        assertSignatureMismatch(post(headers, GET_TRUST_KEY));
    }

    /** The SDK signs x-amz-content-sha256; the verifier hashes the body itself, so the header cannot vouch for another. */
    @Test
    void signedContentHashDoesNotCoverAnotherBody() throws Exception {
        Map<String, String> headers = sdkSigned(GET_TRUST_KEY, true);
        assertThat(headers).containsKey("x-amz-content-sha256");
        assertThat(post(headers, GET_TRUST_KEY).statusCode()).isEqualTo(200);
        assertSignatureMismatch(post(headers, GET_TRUST_KEY.replace("true", "false")));
    }

    /** x-amz-content-sha256: UNSIGNED-PAYLOAD (the SDK's payload signing off) leaves the body out of the signature. */
    @Test
    void unsignedPayloadLeavesTheBodyOut() throws Exception {
        Map<String, String> headers = sdkSigned(GET_TRUST_KEY, false);
        assertThat(headers).containsEntry("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        HttpResponse<String> r = post(headers, GET_TRUST_KEY.replace(",\"WithDecryption\":true", ""));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body())
                        .field("Parameter")
                        .get()
                        .field("Value")
                        .get()
                        .asString())
                .isNotEqualTo(EXTERNAL_ID);
    }

    private static Map<String, String> ssmHeaders(String target) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-amz-json-1.1");
        h.put("X-Amz-Target", target);
        h.put("X-Amz-Date", SigV4Verifier.AMZ_DATE.format(Instant.now()));
        h.put("X-Amz-Security-Token", creds.sessionToken());
        return h;
    }

    private static String cliSignature(Map<String, String> headers, String body, List<String> signed) {
        Headers h = new Headers();
        headers.forEach(h::add);
        h.add("Host", emu.endpoint().getAuthority()); // what java.net.http.HttpClient sends
        String amzDate = headers.get("X-Amz-Date");
        SigV4Verifier.Auth auth =
                new SigV4Verifier.Auth(creds.accessKeyId(), amzDate.substring(0, 8), "us-east-1", "ssm", signed, "");
        return SigV4Verifier.sign(
                        "POST",
                        "/",
                        null,
                        h,
                        body.getBytes(StandardCharsets.UTF_8),
                        auth,
                        amzDate,
                        creds.secretAccessKey())
                .authorization();
    }

    private static Map<String, String> sdkSigned(String body, boolean signPayload) {
        URI endpoint = emu.endpoint();
        // the SDK leaves the payload unsigned only over https; the scheme is not part of what is signed
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol(signPayload ? "http" : "https")
                .host(endpoint.getHost())
                .port(endpoint.getPort())
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM.GetParameter")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsSessionCredentialsIdentity.create(
                                creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken()))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "ssm")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload))
                .request();
        Map<String, String> h = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) { // java.net.http sets Host itself, to the same value
                h.put(name, values.get(0));
            }
        });
        return h;
    }

    private static HttpResponse<String> post(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(emu.endpoint()).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::setHeader);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSignatureMismatch(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).field("__type").get().asString()).isEqualTo("InvalidSignatureException");
        assertThat(r.body()).contains("signature we calculated does not match");
    }
}
