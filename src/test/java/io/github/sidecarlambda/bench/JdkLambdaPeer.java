package io.github.sidecarlambda.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Lambda Invoke peer as a plain server is written: the JDK's {@code com.sun.net.httpserver.HttpServer} with its
 * defaults, a thread per request in flight (a cached pool; the handler sleeps the function's latency in it), and the
 * JDK's keep-alive policy, which is the point: when {@code sun.net.httpserver.maxIdleConnections} (default 200)
 * connections are idle, it closes a connection right after answering on it, without a {@code Connection: close}
 * header, as load balancers and front ends close idle keep-alive connections. A client that writes its next request
 * onto such a connection sees it closed before any byte of the answer.
 *
 * <p>It answers {@code POST /2015-03-31/functions/<name>/invocations} like Lambda (200, {@code X-Amz-Executed-Version},
 * {@code x-amzn-RequestId}, the request body echoed inside a JSON object). It counts what it ran: invocations, and how
 * often it ran the same body (a request re-sent after it had already run would be counted twice), and the client
 * connections it saw (by remote port). Not an emulator: it checks no signature.
 *
 * <p>{@code main(--port N, --functions Zero=0,Fifty=50)} prints {@code READY <url>}; used by {@link ProducerBenchmark}
 * ({@code bench.peer=jdk} and {@code jdkInProcess}) and by the stale-connection tests.
 */
public final class JdkLambdaPeer implements AutoCloseable {

    private static final String PREFIX = "/2015-03-31/functions/";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Long> latencyMillis;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong invocations = new AtomicLong();
    private final Map<String, AtomicInteger> runsByBody;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    /** countBodies: remember every body to count bodies run more than once (tests; not for long benchmarks). */
    public JdkLambdaPeer(int port, Map<String, Long> latencyMillis, boolean countBodies) throws IOException {
        this.latencyMillis = Map.copyOf(latencyMillis);
        this.runsByBody = countBodies ? new ConcurrentHashMap<>() : null;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jdk-lambda-peer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2048);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public java.net.URI endpoint() {
        return java.net.URI.create("http://127.0.0.1:" + port());
    }

    /** Invocations answered with 200. */
    public long invocations() {
        return invocations.get();
    }

    /** Bodies that the function ran more than once (needs countBodies). */
    public long bodiesRunTwice() {
        return runsByBody.values().stream().filter(c -> c.get() > 1).count();
    }

    /** Client connections seen (distinct remote ports). */
    public int connectionsSeen() {
        return clientPorts.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] in;
            try (InputStream body = exchange.getRequestBody()) {
                in = body.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod())
                    || !path.startsWith(PREFIX)
                    || !path.endsWith("/invocations")) {
                error(exchange, 400, "InvalidRequestContentException", "not an Invoke call");
                return;
            }
            String name = path.substring(PREFIX.length(), path.length() - "/invocations".length());
            Long latency = latencyMillis.get(name);
            if (latency == null) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + name);
                return;
            }
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            invocations.incrementAndGet();
            if (runsByBody != null) {
                runsByBody
                        .computeIfAbsent(new String(in, StandardCharsets.UTF_8), k -> new AtomicInteger())
                        .incrementAndGet();
            }
            byte[] head = "{\"statusCode\":200,\"body\":".getBytes(StandardCharsets.UTF_8);
            byte[] tail = (",\"function\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            exchange.getResponseHeaders()
                    .set(
                            "x-amzn-RequestId",
                            "00000000-0000-4000-8000-" + String.format("%012d", ids.incrementAndGet()));
            exchange.sendResponseHeaders(200, head.length + in.length + tail.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(head);
                out.write(in);
                out.write(tail);
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"Type\":\"User\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Map<String, Long> functions = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--functions" -> {
                    for (String f : args[++i].split(",")) {
                        String[] kv = f.split("=");
                        functions.put(kv[0], Long.parseLong(kv[1]));
                    }
                }
                default -> {
                    System.err.println("Usage: JdkLambdaPeer [--port N] --functions Name=latencyMs,...");
                    System.exit(2);
                }
            }
        }
        JdkLambdaPeer peer = new JdkLambdaPeer(port, functions, false);
        Runtime.getRuntime().addShutdownHook(new Thread(peer::close));
        System.out.println("READY " + peer.endpoint());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
