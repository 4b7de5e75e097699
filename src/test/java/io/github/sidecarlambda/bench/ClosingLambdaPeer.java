package io.github.sidecarlambda.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lambda Invoke peer written as the plainest HTTP/1.1 server: blocking sockets, one thread per connection, and a
 * keep-alive policy that closes a connection right after the answer to every {@code closeEvery}-th request on it,
 * <em>without</em> a {@code Connection: close} header. That is what the JDK's HttpServer does past its
 * {@code maxIdleConnections}, and what a server or load balancer closing an idle keep-alive connection looks like to
 * a client that reuses it at that moment: the next request written onto the connection is never read, and the client
 * sees the connection closed before any byte of an answer. Tests use it to make that race happen often and on
 * purpose (the JDK server needs 200 idle connections first).
 *
 * <p>Answers {@code POST /2015-03-31/functions/<name>/invocations} like {@link JdkLambdaPeer}; counts invocations, the
 * bodies run more than once, the connections accepted and the connections it closed this way. As
 * {@link #frontEndOf(java.net.URI, int)} it stands before another server instead (the fault drill and the soak put it
 * before the AWS emulator's Lambda).
 */
public final class ClosingLambdaPeer implements AutoCloseable {

    private static final String PREFIX = "/2015-03-31/functions/";

    private final ServerSocket server;
    private final Map<String, Long> latencyMillis;
    private final int closeEvery;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedAfterAnswer = new AtomicInteger();
    private final Map<String, AtomicInteger> runsByBody = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean open = true;

    /** Where requests go in front-end mode (a load balancer before the AWS emulator); null: answered here. */
    private final InetSocketAddress upstream;
    /** Instead of closing after the answer: reset (RST) the connection when the next request arrives, unread. */
    private final boolean reset;

    public ClosingLambdaPeer(Map<String, Long> latencyMillis, int closeEvery) throws IOException {
        this(latencyMillis, closeEvery, null, false);
    }

    /**
     * A peer that, instead of closing a connection after every {@code closeEvery}-th answer, resets it (TCP RST) when
     * the next request on it arrives, without reading it: a client then sees "Connection reset" before any byte of an
     * answer, on a connection that had answered before.
     */
    public static ClosingLambdaPeer resetting(Map<String, Long> latencyMillis, int closeEvery) throws IOException {
        return new ClosingLambdaPeer(latencyMillis, closeEvery, null, true);
    }

    /**
     * A front end that closes connections the same way, before {@code upstream} (for example the AWS emulator, so that
     * the emulator still checks signatures and records what ran): each request is passed to it on a connection of its
     * own and its answer passed back; a connection the upstream drops is dropped.
     */
    public static ClosingLambdaPeer frontEndOf(java.net.URI upstream, int closeEvery) throws IOException {
        return new ClosingLambdaPeer(
                Map.of(), closeEvery, new InetSocketAddress(upstream.getHost(), upstream.getPort()), false);
    }

    private ClosingLambdaPeer(
            Map<String, Long> latencyMillis, int closeEvery, InetSocketAddress upstream, boolean reset)
            throws IOException {
        if (closeEvery < 1) {
            throw new IllegalArgumentException("closeEvery must be at least 1; was " + closeEvery);
        }
        this.latencyMillis = Map.copyOf(latencyMillis);
        this.closeEvery = closeEvery;
        this.upstream = upstream;
        this.reset = reset;
        this.server = new ServerSocket(0, 2048, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "closing-lambda-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public java.net.URI endpoint() {
        return java.net.URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public long invocations() {
        return invocations.get();
    }

    public long bodiesRunTwice() {
        return runsByBody.values().stream().filter(c -> c.get() > 1).count();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections this peer closed right after an answer, without saying so. */
    public int connectionsClosedAfterAnswer() {
        return closedAfterAnswer.get();
    }

    private void accept() {
        while (open) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "closing-lambda-peer-" + accepted.get());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        Socket up = null;
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            InputStream upIn = null;
            for (int answered = 1; open; answered++) {
                String head = readHead(in);
                if (head == null) {
                    return; // the client closed
                }
                byte[] body = in.readNBytes(contentLength(head));
                if (upstream == null) {
                    out.write(answer(head.split("\r\n")[0].split(" ")[1], body));
                } else {
                    if (up == null) {
                        up = new Socket(upstream.getAddress(), upstream.getPort());
                        up.setTcpNoDelay(true);
                        upIn = new BufferedInputStream(up.getInputStream());
                    }
                    up.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    up.getOutputStream().write(body);
                    up.getOutputStream().flush();
                    String answerHead = readHead(upIn);
                    if (answerHead == null) {
                        return; // the upstream dropped the connection without an answer: so does the front end
                    }
                    int status = Integer.parseInt(answerHead.split(" ")[1]);
                    byte[] answerBody =
                            status == 204 || status == 304 ? new byte[0] : upIn.readNBytes(contentLength(answerHead));
                    out.write(answerHead.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(answerBody);
                }
                out.flush();
                if (answered % closeEvery == 0) {
                    closedAfterAnswer.incrementAndGet();
                    if (reset && in.read() >= 0) {
                        socket.setSoLinger(true, 0); // the next request's first byte is in: reset, unread
                    }
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the upstream went away
        } finally {
            if (up != null) {
                try {
                    up.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    private byte[] answer(String path, byte[] in) {
        int status = 200;
        String type = null;
        byte[] body;
        String name = path.startsWith(PREFIX) && path.endsWith("/invocations")
                ? path.substring(PREFIX.length(), path.length() - "/invocations".length())
                : null;
        Long latency = name == null ? null : latencyMillis.get(name);
        if (latency == null) {
            status = 404;
            type = "ResourceNotFoundException";
            body = "{\"Type\":\"User\",\"message\":\"Function not found\"}".getBytes(StandardCharsets.UTF_8);
        } else {
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            invocations.incrementAndGet();
            runsByBody
                    .computeIfAbsent(new String(in, StandardCharsets.UTF_8), k -> new AtomicInteger())
                    .incrementAndGet();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes("{\"statusCode\":200,\"body\":".getBytes(StandardCharsets.UTF_8));
            b.writeBytes(in);
            b.writeBytes((",\"function\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
            body = b.toByteArray();
        }
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Amz-Executed-Version: $LATEST\r\n"
                + "x-amzn-RequestId: 00000000-0000-4000-8000-" + String.format("%012d", invocations.get()) + "\r\n"
                + (type != null ? "x-amzn-ErrorType: " + type + "\r\n" : "")
                + "\r\n";
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        response.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        response.writeBytes(body);
        return response.toByteArray();
    }

    /** The request line and headers, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
