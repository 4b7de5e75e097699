package io.github.sidecarlambda.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;

/**
 * Soak: the sidecar-lambda route at saturation (64 in flight against a 0 ms function, as ProducerBenchmark's "Zero")
 * for {@code bench.soak.minutes} (default 10), reading the heap after full GCs every {@code bench.soak.sampleSeconds}
 * (default 30). A leak (timers left in a scheduler queue, exchanges, tenants, connections) shows as a rising line.
 * <p>
 * {@code mvn -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.sidecarlambda.bench.SoakBenchmark}
 */
public final class SoakBenchmark {

    private SoakBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Duration total = Duration.ofMinutes(Long.parseLong(System.getProperty("bench.soak.minutes", "10")));
        Duration sample = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.soak.sampleSeconds", "30")));
        int inFlight = 64;
        int closeEvery = Integer.getInteger("bench.soak.closeEvery", 100);
        try (AwsEmulator emulator = SeedScenario.builder()
                        .account(
                                ProducerBenchmark.ACCOUNT,
                                a -> a.role(
                                        "/",
                                        "Boomi_sidecar_connector_bench",
                                        SeedScenario.trustPolicy(
                                                SeedScenario.PLATFORM_ROLE_ARN, ProducerBenchmark.EXTERNAL_ID),
                                        SeedScenario.invokePolicy("arn:aws:lambda:us-east-1:222233334444:function:*")))
                        .parameter(
                                SeedScenario.PLATFORM_ACCOUNT,
                                SeedScenario.REGION,
                                "/bench/prod/trustKey",
                                ProducerBenchmark.EXTERNAL_ID,
                                true)
                        .function(FunctionSpec.of(ProducerBenchmark.ACCOUNT, SeedScenario.REGION, "Zero", (p, c) -> p))
                        .start();
                // Lambda behind a front end that closes each keep-alive connection after a few answers, unannounced
                ClosingLambdaPeer frontEnd = ClosingLambdaPeer.frontEndOf(emulator.endpoint(), closeEvery);
                ProducerBenchmark.Component component = new ProducerBenchmark.Component(
                        new ProducerBenchmark.InProcessPeer(emulator, null, frontEnd.endpoint()),
                        "Zero",
                        inFlight,
                        null)) {
            ProducerBenchmark.run(component::send, inFlight, Duration.ofSeconds(15)); // warm-up
            emulator.resetCounters(); // the samples below compare the emulator's invocations with their own exchanges
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            List<double[]> rows = new ArrayList<>();
            long invocations = 0;
            long errors = 0;
            long ranTwice = 0;
            int samples = (int) Math.max(1, total.toSeconds() / sample.toSeconds());
            for (int i = 0; i < samples; i++) {
                ProducerBenchmark.Result r = ProducerBenchmark.run(component::send, inFlight, sample);
                invocations += (long) (r.throughput() * sample.toSeconds());
                errors += r.errors();
                // every exchange that completed ran once: the emulator ran exactly as many (nothing re-sent ran twice)
                ranTwice += Math.max(0, emulator.count("lambda", "Invoke") - r.completed());
                if (emulator.count("lambda", "Invoke") < r.completed()) {
                    throw new IllegalStateException("fewer invocations than completed exchanges");
                }
                emulator.resetCounters(); // the emulator's own call log is bounded, but keep it out of the reading
                System.gc();
                System.gc();
                Thread.sleep(200);
                double heapMb = memory.getHeapMemoryUsage().getUsed() / 1048576.0;
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                rows.add(new double[] {(i + 1) * sample.toSeconds(), r.throughput(), heapMb, threads});
                System.out.printf(
                        Locale.ROOT,
                        "t=%4ds  %7.0f inv/s  heap after GC %7.1f MB  threads %d%n",
                        (i + 1) * sample.toSeconds(),
                        r.throughput(),
                        heapMb,
                        threads);
            }
            System.out.println();
            System.out.println("| t (s) | inv/s | heap after full GC (MB) | live threads |");
            System.out.println("|---|---|---|---|");
            for (double[] row : rows) {
                System.out.printf(Locale.ROOT, "| %.0f | %.0f | %.1f | %.0f |%n", row[0], row[1], row[2], row[3]);
            }
            double first = rows.get(0)[2];
            double last = rows.get(rows.size() - 1)[2];
            double max = rows.stream().mapToDouble(r -> r[2]).max().orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "%ninvocations ~%d, errors %d, ran twice %d, connections the front end closed "
                            + "after an answer %d; heap after GC first %.1f MB, last %.1f MB, max %.1f MB%n",
                    invocations,
                    errors,
                    ranTwice,
                    frontEnd.connectionsClosedAfterAnswer(),
                    first,
                    last,
                    max);
        }
    }
}
