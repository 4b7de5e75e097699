package io.github.sidecarlambda.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * Throughput benchmark (not a test): LambdaAsyncClient (netty, maxConcurrency 256) keeps 256 invocations in flight
 * against a zero-latency function over keep-alive connections, for a warm-up and then a measured period.
 * Args: [measureSeconds=10] [warmupSeconds=3] [concurrency=256] [functionLatencyMs=0]
 */
public final class EmulatorBenchmark {
    private EmulatorBenchmark() {}

    public static void main(String[] args) throws Exception {
        // the repository's test classpath logs at TRACE (secret-hygiene check); a benchmark must not
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        int measureS = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmupS = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int latencyMs = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String fn = "BenchZero";
        try (AwsEmulator emu = SeedScenario.builder()
                        .account(
                                SeedScenario.CUSTOMER_ACCOUNT,
                                a -> a.role(
                                        "/",
                                        "bench",
                                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}}",
                                        SeedScenario.invokePolicy(
                                                "arn:aws:lambda:us-east-1:641769673540:function:" + fn)))
                        .function(FunctionSpec.of(SeedScenario.CUSTOMER_ACCOUNT, SeedScenario.REGION, fn, (p, c) -> p)
                                .latency(Duration.ofMillis(latencyMs)))
                        .start();
                LambdaAsyncClient lambda = LambdaAsyncClient.builder()
                        .endpointOverride(emu.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(emu.credentialsFor("arn:aws:iam::641769673540:role/bench"))
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                                .maxConcurrency(concurrency)
                                .maxPendingConnectionAcquires(100_000))
                        .build()) {
            SdkBytes payload = SdkBytes.fromUtf8String("{\"hello\":\"world\",\"n\":12345}");
            System.out.printf(
                    Locale.ROOT,
                    "Emulator %s, %d concurrent, function latency %d ms%n",
                    emu.endpoint(),
                    concurrency,
                    latencyMs);
            run(lambda, fn, payload, concurrency, warmupS, null);
            emu.resetCounters();
            AtomicLong clientNanos = new AtomicLong();
            long t0 = System.nanoTime();
            long[] result = run(lambda, fn, payload, concurrency, measureS, clientNanos);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "invocations ok=%d errors=%d in %.1f s -> %.0f invokes/s%n",
                    result[0],
                    result[1],
                    secs,
                    result[0] / secs);
            System.out.printf(
                    Locale.ROOT,
                    "client round trip mean %.2f ms%n",
                    clientNanos.get() / 1e6 / Math.max(1, result[0] + result[1]));
            System.out.println("server time per invoke: " + emu.serverTimeStats("lambda", "Invoke"));
            System.out.println("server count lambda/Invoke: " + emu.count("lambda", "Invoke") + " (succeeded "
                    + emu.count("lambda", "Invoke", true) + ")");
        }
    }

    private static long[] run(
            LambdaAsyncClient lambda, String fn, SdkBytes payload, int concurrency, int seconds, AtomicLong clientNanos)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong err = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long s = System.nanoTime();
            lambda.invoke(b -> b.functionName(fn).payload(payload)).whenComplete((r, t) -> {
                if (t == null && r.statusCode() == 200) {
                    ok.incrementAndGet();
                } else {
                    err.incrementAndGet();
                }
                if (clientNanos != null) {
                    clientNanos.addAndGet(System.nanoTime() - s);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        return new long[] {ok.get(), err.get()};
    }
}
