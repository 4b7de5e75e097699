package io.github.sidecarlambda.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers: AWS's Signature Version 4 test suite (published with the SigV4 documentation, also kept in
 * awslabs/aws-c-auth tests/aws-signing-test-suite). For every case the verifier must reproduce AWS's canonical request,
 * string to sign and Authorization header exactly. The headers reach it the way the emulator receives them: sent over
 * a socket to a JDK HttpServer, so the server's handling of repeated headers and of whitespace is part of the test.
 */
class SigV4TestSuiteTest {
    /** Where CI keeps the shared copy (beside the clone); the committed copy under src/test/resources must equal it. */
    private static final Path SHARED = Path.of(System.getProperty("basedir", "."))
            .resolve("../shared/vectors/aws-sigv4-test-suite.json")
            .normalize();

    private static final String RESOURCE = "/sigv4/aws-sigv4-test-suite.json";

    /**
     * In this file the case's request and creq carry "Content-Type: ...; charset=utf-8" and a signed Content-Length
     * (as aws-c-auth's copy has them), while its sts and authz are those of AWS's original 2015 suite, computed for
     * "charset=utf8" without Content-Length: SHA-256(creq) is not the hash in sts, so no request reproduces all three.
     * The creq is checked; the sts/authz pair cannot be. (In post-x-www-form-urlencoded, creq lists content-length
     * while authz does not; each is checked over its own list.)
     */
    private static final String INCONSISTENT = "post-x-www-form-urlencoded-parameters";

    private static HttpServer server;
    private static final BlockingQueue<Received> RECEIVED = new ArrayBlockingQueue<>(1);

    private record Received(Headers headers, byte[] body) {}

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            RECEIVED.add(
                    new Received(ex.getRequestHeaders(), ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    static JsonNode suite() throws IOException {
        byte[] committed;
        try (InputStream in = SigV4TestSuiteTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("AWS SigV4 test suite missing from the test classpath: " + RESOURCE);
            }
            committed = in.readAllBytes();
        }
        if (Files.exists(SHARED)) {
            assertThat(committed)
                    .as("src/test/resources%s is a copy of %s", RESOURCE, SHARED)
                    .isEqualTo(Files.readAllBytes(SHARED));
        }
        return Json.parse(committed);
    }

    static List<String> caseNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode c : suite().field("tests").get().field("all").get().asArray()) {
            names.add(c.field("name").get().asString());
        }
        return names;
    }

    @Test
    void suiteIsComplete() throws IOException {
        JsonNode tests = suite().field("tests").get();
        Set<String> all = new HashSet<>(caseNames());
        assertThat(all).hasSize(28);
        Set<String> grouped = new HashSet<>();
        for (String group : List.of("basic", "normalizePath", "sts")) {
            for (JsonNode c : tests.field(group).get().asArray()) {
                grouped.add(c.field("name").get().asString());
            }
        }
        assertThat(grouped).isEqualTo(all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void reproducesAwsKnownAnswers(String name) throws Exception {
        JsonNode suite = suite();
        JsonNode config = suite.field("config").get();
        JsonNode c = null;
        for (JsonNode x : suite.field("tests").get().field("all").get().asArray()) {
            if (x.field("name").get().asString().equals(name)) {
                c = x;
            }
        }
        JsonNode request = c.field("request").get();
        String authz = c.field("authz").get().asString();
        Received received = send(request, authz);

        // the verifier reads the client's Authorization header from what the server received
        SigV4Verifier.Auth auth = SigV4Verifier.parse(received.headers().getFirst("Authorization"));
        assertThat(auth).isNotNull();
        assertThat(auth.accessKeyId())
                .isEqualTo(config.field("accessKeyId").get().asString());
        String creq = c.field("creq").get().asString();
        String sts = c.field("sts").get().asString();
        String[] creqLines = creq.split("\n", -1);
        List<String> creqSignedHeaders = List.of(creqLines[creqLines.length - 2].split(";"));
        String query = request.field("query").get().asString();
        String secret = config.field("secretAccessKey").get().asString();
        String amzDate = received.headers().getFirst("X-Amz-Date");
        String method = request.field("method").get().asString();
        // path and query as the test suite gives them: the JDK URI parser reads "//example//" as an authority,
        // a request target no AWS client sends
        String path = request.field("path").get().asString();
        String rawQuery = query.isEmpty() ? null : query;

        // the canonical request over the headers that AWS's canonical request lists
        SigV4Verifier.Auth creqAuth = new SigV4Verifier.Auth(
                auth.accessKeyId(), auth.date(), auth.region(), auth.service(), creqSignedHeaders, auth.signature());
        assertThat(SigV4Verifier.sign(
                                method, path, rawQuery, received.headers(), received.body(), creqAuth, amzDate, secret)
                        .canonicalRequest())
                .isEqualTo(creq);

        // as the verifier runs: over the client's SignedHeaders
        SigV4Verifier.Signing signing =
                SigV4Verifier.sign(method, path, rawQuery, received.headers(), received.body(), auth, amzDate, secret);
        if (INCONSISTENT.equals(name)) {
            // the file's creq and sts disagree (see INCONSISTENT); prove it, so that a corrected file ends this
            // exemption
            assertThat(hexSha256(creq)).isNotEqualTo(sts.substring(sts.lastIndexOf('\n') + 1));
            return;
        }
        if (creqSignedHeaders.equals(auth.signedHeaders())) {
            assertThat(signing.canonicalRequest()).isEqualTo(creq);
        }
        assertThat(signing.stringToSign()).isEqualTo(sts);
        assertThat(signing.authorization()).isEqualTo(authz);
    }

    private static String hexSha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes the case's request (its headers as listed, plus its Authorization) to the server, byte by byte. */
    private static Received send(JsonNode request, String authz) throws Exception {
        StringBuilder http = new StringBuilder();
        // the request target does not matter here (see above); "/" keeps the JDK's request-line parser out of it
        http.append(request.field("method").get().asString()).append(" / HTTP/1.1\r\n");
        for (JsonNode h : request.field("headers").get().asArray()) {
            List<JsonNode> pair = h.asArray();
            http.append(pair.get(0).asString())
                    .append(": ")
                    .append(pair.get(1).asString())
                    .append("\r\n");
        }
        http.append("Authorization: ").append(authz).append("\r\n");
        byte[] body = request.field("body").get().asString().getBytes(StandardCharsets.UTF_8);
        boolean hasLength = http.toString().toLowerCase().contains("\r\ncontent-length:");
        if (!hasLength && body.length > 0) {
            http.append("Content-Length: ").append(body.length).append("\r\n");
        }
        http.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(http.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 204");
        }
        Received r = RECEIVED.poll(10, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }
}
