package io.github.sidecarlambda.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A Lambda Invoke peer that costs what a plain HTTP server costs: Netty, one event loop, no signature check, no
 * policy. It answers {@code POST /2015-03-31/functions/<name>/invocations} like Lambda (200, {@code X-Amz-Executed-Version},
 * {@code x-amzn-RequestId}, the echo function's body) after the function's latency, scheduled on the event loop so a
 * thousand calls in flight hold no thread. Used by {@link ProducerBenchmark} ({@code bench.peer=lean}) so that the
 * client, not the peer, is what the measurement is bound by. Not an emulator: it checks nothing.
 *
 * <p>{@code main(--port N, --functions Zero=0,Fifty=50)} prints {@code READY <url>}.
 */
public final class LeanLambdaPeer implements AutoCloseable {

    private static final String PREFIX = "/2015-03-31/functions/";
    private final NioEventLoopGroup loops;
    private final Channel channel;
    private final Map<String, Long> latencyMillis;
    private final AtomicLong ids = new AtomicLong();

    public LeanLambdaPeer(int port, Map<String, Long> latencyMillis, int threads) throws InterruptedException {
        this.latencyMillis = Map.copyOf(latencyMillis);
        this.loops = new NioEventLoopGroup(threads);
        this.channel = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(6 * 1024 * 1024),
                                        new Handler());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .sync()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = request.uri();
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            FullHttpResponse response;
            Long latency = null;
            if (path.startsWith(PREFIX) && path.endsWith("/invocations")) {
                String name = path.substring(PREFIX.length(), path.length() - "/invocations".length());
                latency = latencyMillis.get(name);
                if (latency != null) {
                    ByteBuf in = request.content();
                    byte[] head = ("{\"statusCode\":200,\"body\":").getBytes(StandardCharsets.UTF_8);
                    byte[] tail = (",\"function\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
                    ByteBuf body = Unpooled.buffer(head.length + in.readableBytes() + tail.length);
                    body.writeBytes(head)
                            .writeBytes(in, in.readerIndex(), in.readableBytes())
                            .writeBytes(tail);
                    response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                    response.headers()
                            .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .set("X-Amz-Executed-Version", "$LATEST")
                            .set(
                                    "x-amzn-RequestId",
                                    "00000000-0000-4000-8000-" + String.format("%012d", ids.incrementAndGet()));
                } else {
                    response = error(
                            HttpResponseStatus.NOT_FOUND, "ResourceNotFoundException", "Function not found: " + name);
                }
            } else {
                response =
                        error(HttpResponseStatus.BAD_REQUEST, "InvalidRequestContentException", "not an Invoke call");
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            Runnable send = () -> {
                var f = ctx.writeAndFlush(response);
                if (!keepAlive) {
                    f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            };
            if (latency != null && latency > 0) {
                ctx.executor().schedule(send, latency, TimeUnit.MILLISECONDS);
            } else {
                send.run();
            }
        }
    }

    private static FullHttpResponse error(HttpResponseStatus status, String type, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                Unpooled.copiedBuffer("{\"Type\":\"User\",\"message\":\"" + message + "\"}", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set("x-amzn-ErrorType", type);
        return r;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int threads = 1;
        Map<String, Long> functions = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--functions" -> {
                    for (String f : args[++i].split(",")) {
                        String[] kv = f.split("=");
                        functions.put(kv[0], Long.parseLong(kv[1]));
                    }
                }
                default -> {
                    System.err.println("Usage: LeanLambdaPeer [--port N] [--threads N] --functions Name=latencyMs,...");
                    System.exit(2);
                }
            }
        }
        LeanLambdaPeer peer = new LeanLambdaPeer(port, functions, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(peer::close));
        System.out.println("READY http://127.0.0.1:" + peer.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
