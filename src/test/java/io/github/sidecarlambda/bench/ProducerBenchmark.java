package io.github.sidecarlambda.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;
import io.github.sidecarlambda.emulator.AwsEmulator;

/**
 * Side-by-side throughput, latency and client CPU per invocation, in one run:
 * <ol>
 * <li>the raw SDK {@code LambdaAsyncClient} with static temporary credentials (the baseline),</li>
 * <li>a Camel route {@code direct -> sidecar-lambda} (assume role, External ID from SSM, cached credentials),</li>
 * <li>camel-aws2-lambda's synchronous producer driven by 8 caller threads.</li>
 * </ol>
 * By default ({@code bench.peer=process}) the AWS emulator runs in its own JVM pinned to CPU 1 and this JVM to CPU 0
 * ({@code taskset}), so the clients compete for one core and the CPU each spends per invocation decides throughput;
 * the emulator's own cost is not charged to any client. {@code bench.peer=inProcess} is the older mode (emulator in
 * this JVM, everything sharing both cores). Every client is warmed, then rounds rotate the order of the clients, and
 * the table reports the median round with the range. Run with the command in docs/benchmark.md.
 */
public final class ProducerBenchmark {

    static final String PLATFORM_ACCOUNT = "809167139867";
    static final String PLATFORM_ROLE = "arn:aws:iam::809167139867:role/java_proxy";
    static final String ACCOUNT = "222233334444";
    private static final String ROLE = "arn:aws:iam::222233334444:role/Boomi_sidecar_connector_bench";
    static final String EXTERNAL_ID = "bench-external-id-0001";
    static final String SIDECAR_ANSWER =
            "{\"modify\":{\"addHeaders\":{\"x-checked\":\"1\"},\"dropHeaders\":[\"user-agent\"]}}";
    private static final byte[] PAYLOAD = "{\"order\":42,\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One measured round of one client. cpuMicros: this JVM's CPU per completed invocation. */
    record Result(
            double throughput,
            double p50Millis,
            double p99Millis,
            long errors,
            double cpuMicros,
            double allocatedBytes,
            Map<String, Double> cpuByThreads,
            long completed) {}

    /**
     * Where a client's CPU goes, per kind of thread (µs per invocation): the client's I/O event loops, the threads its
     * futures complete on, its timers, the driving thread, everything else of the JVM's Java threads, and the peers'
     * own threads when they run in this JVM (left out of the client's CPU). GC and JIT threads are not Java threads:
     * they are in the process total only.
     */
    static String threadKind(String name) {
        if (name.startsWith("jdk-lambda-peer")
                || name.startsWith("aws-emulator")
                || name.startsWith("HTTP-Dispatcher")
                || name.startsWith("closing-lambda-peer")
                || name.startsWith("idle-timeout-task")) {
            return "peer";
        }
        if (name.contains("NettyEventLoop") || name.contains("nioEventLoop")) {
            return "io";
        }
        if (name.contains("SidecarLambdaCompletion") || name.startsWith("sdk-async-response")) {
            return "completion";
        }
        if (name.contains("Timeouts") || name.contains("Scheduler") || name.contains("ScheduledExecutor")) {
            return "timers";
        }
        if (name.equals(Thread.currentThread().getName())) {
            return "driver";
        }
        return "other";
    }

    private static Map<Long, Long> threadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = THREADS.getThreadCpuTime(t.getId());
            if (nanos >= 0) {
                cpu.put(t.getId(), nanos);
            }
        }
        return cpu;
    }

    /** CPU µs per invocation of each kind of thread between two snapshots (threads born in between count from 0). */
    private static Map<String, Double> cpuByKind(Map<Long, Long> before, long done) {
        Map<String, Double> byKind = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = THREADS.getThreadCpuTime(t.getId());
            if (nanos < 0) {
                continue;
            }
            byKind.merge(
                    threadKind(t.getName()), (nanos - before.getOrDefault(t.getId(), 0L)) / 1e3 / done, Double::sum);
        }
        return byKind;
    }

    /** Failed invocations by client and kind (exception type and the start of its message, digits removed). */
    static final Map<String, java.util.concurrent.atomic.LongAdder> FAILURES =
            new java.util.concurrent.ConcurrentHashMap<>();

    static void failed(String client, Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        String m = String.valueOf(e.getMessage()).replaceAll("\\d+", "#");
        FAILURES.computeIfAbsent(
                        client + ": " + e.getClass().getSimpleName() + ": " + m.substring(0, Math.min(160, m.length())),
                        k -> new java.util.concurrent.atomic.LongAdder())
                .increment();
    }

    private ProducerBenchmark() {}

    public static void main(String[] args) throws Exception {
        // the test classpath logs at TRACE for the secret-hygiene check; a benchmark must not
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Duration measure = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "5")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.warmup", "60")));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "5"));
        String peerMode = System.getProperty("bench.peer", "process");
        String loads = System.getProperty("bench.loads", "Zero:64,Fifty:256,TwoHundred:1000");
        List<String> clients =
                List.of(System.getProperty("bench.clients", "raw,route,aws2").split(","));
        int aws2Threads = Integer.parseInt(System.getProperty("bench.aws2Threads", "8"));

        Path seed = Files.createTempFile("bench-seed", ".json");
        Files.writeString(seed, seedJson());
        try (Peer peer = switch (peerMode) {
            case "inProcess" -> new InProcessPeer(seed);
            case "jdkInProcess" ->
                new InProcessPeer(
                        AwsEmulator.builder().seedFile(seed).start(), new JdkLambdaPeer(0, BENCH_FUNCTIONS, false));
            default ->
                new ProcessPeer(
                        seed,
                        peerMode,
                        System.getProperty("bench.peerCpus", "1"),
                        System.getProperty("bench.clientCpus", "0"));
        }) {
            System.out.printf(
                    Locale.ROOT,
                    "peer: %s; %d s warm-up per client, %d rounds of %d s%n",
                    peer,
                    warmup.toSeconds(),
                    rounds,
                    measure.toSeconds());
            StringBuilder table = new StringBuilder();
            table.append(
                    String.format(
                            Locale.ROOT,
                            "| function | in flight | client | inv/s median (range) | p50 ms | p99 ms | client CPU µs/inv | alloc KB/inv | errors |%n"));
            table.append("|---|---|---|---|---|---|---|---|---|\n");
            StringBuilder verdicts = new StringBuilder();
            for (String load : loads.split(",")) {
                String function = load.split(":")[0];
                int inFlight = Integer.parseInt(load.split(":")[1]);
                Map<String, Client> built = new java.util.LinkedHashMap<>();
                Set<Thread> before = liveThreads();
                Map<String, Set<Thread>> threadsOf = new HashMap<>();
                try {
                    if (clients.contains("raw")) {
                        built.put("raw SDK LambdaAsyncClient", new RawSdk(peer, function, inFlight, false));
                    }
                    if (clients.contains("rawTimeout")) {
                        built.put(
                                "raw SDK, apiCallTimeout on a ScheduledThreadPoolExecutor",
                                new RawSdk(peer, function, inFlight, true));
                    }
                    if (clients.contains("route")) {
                        built.put("sidecar-lambda route", new Component(peer, function, inFlight, null));
                    }
                    if (clients.contains(
                            "route50")) { // the route with the old default pool (the AWS SDK's): 50 connections
                        built.put(
                                "sidecar-lambda route, maxConcurrency=50 (the old default)",
                                new Component(peer, function, inFlight, "50conn"));
                    }
                    for (String c : clients) { // route:N = the route with completionThreads=N
                        if (c.startsWith("route:")) {
                            String v = c.substring(6);
                            built.put(
                                    "sidecar-lambda route, completionThreads=" + v,
                                    new Component(peer, function, inFlight, v));
                        }
                    }
                    if (clients.contains("aws2") && !function.equals("TwoHundred")) {
                        built.put(
                                "camel-aws2-lambda sync, " + aws2Threads + " threads",
                                new Aws2Lambda(peer, function, aws2Threads));
                    }
                    for (Map.Entry<String, Client> c : built.entrySet()) {
                        Set<Thread> start = liveThreads();
                        c.getValue().run(Duration.ofSeconds(2));
                        Set<Thread> mine = liveThreads();
                        mine.removeAll(start);
                        threadsOf.put(c.getKey(), mine);
                    }
                    List<String> names = new ArrayList<>(built.keySet());
                    // warm-up in slices, rotating the clients, until each has had bench.warmup seconds: on one core the
                    // JIT competes with the clients, and the SDK and Netty code they share is compiled once for all
                    Duration slice = Duration.ofSeconds(Math.min(5, Math.max(1, warmup.toSeconds())));
                    for (long s = 0; s < warmup.toSeconds(); s += slice.toSeconds()) {
                        StringBuilder line = new StringBuilder();
                        for (String name : names) {
                            Result w = built.get(name).run(slice);
                            line.append(String.format(Locale.ROOT, " %s %.0f/s", name, w.throughput()));
                        }
                        System.out.printf(Locale.ROOT, "%s@%d warm-up %ds:%s%n", function, inFlight, s, line);
                    }
                    long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
                    Map<String, List<Result>> results = new java.util.LinkedHashMap<>();
                    names.forEach(n -> results.put(n, new ArrayList<>()));
                    long heapBefore = heapAfterGc();
                    for (int r = 0; r < rounds; r++) {
                        List<String> order = new ArrayList<>(names);
                        Collections.rotate(order, -r); // each client goes first in turn
                        for (String name : order) {
                            results.get(name).add(built.get(name).run(measure));
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "%s@%d round %d: %s%n",
                                function,
                                inFlight,
                                r,
                                names.stream()
                                        .map(n -> String.format(
                                                Locale.ROOT,
                                                "%s %.0f/s %.1f µs CPU",
                                                n,
                                                results.get(n)
                                                        .get(results.get(n).size() - 1)
                                                        .throughput(),
                                                results.get(n)
                                                        .get(results.get(n).size() - 1)
                                                        .cpuMicros()))
                                        .collect(Collectors.joining(", ")));
                    }
                    long heapAfter = heapAfterGc();
                    System.out.printf(
                            Locale.ROOT,
                            "JIT compilation during the measured rounds: %d ms%n",
                            ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0);
                    for (String name : names) {
                        row(table, function, inFlight, name, results.get(name));
                        verdicts.append(String.format(
                                Locale.ROOT,
                                "%s @%d: %s: CPU µs per invoke by thread kind (median of rounds): %s%n",
                                function,
                                inFlight,
                                name,
                                profile(results.get(name))));
                    }
                    List<Result> raw = results.get("raw SDK LambdaAsyncClient");
                    for (String name : names) {
                        if (raw == null || !name.startsWith("sidecar-lambda")) {
                            continue;
                        }
                        List<Result> ours = results.get(name);
                        double[] ratios = new double[rounds];
                        for (int r = 0; r < rounds; r++) {
                            ratios[r] = ours.get(r).throughput() / raw.get(r).throughput();
                        }
                        verdicts.append(String.format(
                                Locale.ROOT,
                                "%s @%d: %s / raw: throughput %.3f (per round %s; target >= 0.95), p99 %.2f (target <= 1.2), "
                                        + "client CPU per invoke %.2f%n",
                                function,
                                inFlight,
                                name,
                                median(ours, Result::throughput) / median(raw, Result::throughput),
                                Arrays.stream(ratios)
                                        .mapToObj(x -> String.format(Locale.ROOT, "%.2f", x))
                                        .collect(Collectors.joining("/")),
                                median(ours, Result::p99Millis) / median(raw, Result::p99Millis),
                                median(ours, Result::cpuMicros) / median(raw, Result::cpuMicros)));
                    }
                    for (String name : names) {
                        if (name.startsWith("camel-aws2") && results.containsKey("sidecar-lambda route")) {
                            verdicts.append(String.format(
                                    Locale.ROOT,
                                    "%s @%d: route (%d in flight) / %s: %.2fx%n",
                                    function,
                                    inFlight,
                                    inFlight,
                                    name,
                                    median(results.get("sidecar-lambda route"), Result::throughput)
                                            / median(results.get(name), Result::throughput)));
                        }
                    }
                    for (String name : names) {
                        if (name.startsWith("sidecar-lambda")) {
                            verdicts.append(String.format(
                                    Locale.ROOT,
                                    "%s @%d: threads started by %s: %s%n",
                                    function,
                                    inFlight,
                                    name,
                                    describe(threadsOf.get(name))));
                        }
                    }
                    verdicts.append(String.format(
                            Locale.ROOT,
                            "%s @%d: heap after GC %.1f -> %.1f MB over the rounds%n",
                            function,
                            inFlight,
                            heapBefore / 1e6,
                            heapAfter / 1e6));
                } finally {
                    for (Client c : built.values()) {
                        c.close();
                    }
                }
                Set<Thread> left = liveThreads();
                left.removeAll(before);
                left.removeIf(t -> !t.isAlive());
                if (!left.isEmpty()) {
                    System.out.println("threads left after closing the clients of " + function + ": " + describe(left));
                }
            }
            System.out.println();
            System.out.print(table);
            System.out.println();
            System.out.print(verdicts);
            System.out.println(peer.calls());
            FAILURES.forEach((k, v) -> System.out.println("failures " + v.sum() + " x " + k));
        } finally {
            Files.deleteIfExists(seed);
        }
    }

    // ------------------------------------------------------------------------------------------ measurement

    interface Client extends AutoCloseable {
        Result run(Duration duration) throws Exception;

        @Override
        void close();
    }

    /** Something that sends one invocation and calls back with its latency, or -1 on failure. */
    interface Sender {
        void send(Consumer<Long> done);
    }

    /** Keeps {@code inFlight} invocations outstanding for {@code duration} from one thread. */
    static Result run(Sender sender, int inFlight, Duration duration) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        long[] histogram = new long[2_000_000];
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<Long, Long> threads0 = threadCpu();
        long cpu0 = OS.getProcessCpuTime();
        long alloc0 = THREADS.getTotalThreadAllocatedBytes();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            sender.send(latencyNanos -> {
                if (latencyNanos < 0) {
                    errors.incrementAndGet();
                } else {
                    int micros = (int) Math.min(histogram.length - 1, latencyNanos / 1000);
                    synchronized (histogram) {
                        histogram[micros]++;
                    }
                    completed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        return result(histogram, completed.get(), errors.get(), start, cpu0, alloc0, threads0);
    }

    /** cpuMicros: the process's CPU per invocation less what peers running in this JVM spent. */
    private static Result result(
            long[] histogram,
            long completed,
            long errors,
            long start,
            long cpu0,
            long alloc0,
            Map<Long, Long> threads0) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = Math.max(1, completed);
        Map<String, Double> byKind = cpuByKind(threads0, done);
        return new Result(
                completed / seconds,
                percentile(histogram, completed, 0.50),
                percentile(histogram, completed, 0.99),
                errors,
                (OS.getProcessCpuTime() - cpu0) / 1e3 / done - byKind.getOrDefault("peer", 0.0),
                (double) (THREADS.getTotalThreadAllocatedBytes() - alloc0) / done,
                byKind,
                completed);
    }

    private static double percentile(long[] histogram, long total, double p) {
        long rank = (long) Math.ceil(total * p);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank && rank > 0) {
                return i / 1000.0;
            }
        }
        return 0;
    }

    static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = results.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median over the rounds of each thread kind's CPU per invocation. */
    static String profile(List<Result> rs) {
        Set<String> kinds = new java.util.TreeSet<>();
        rs.forEach(r -> kinds.addAll(r.cpuByThreads().keySet()));
        return kinds.stream()
                .map(k -> String.format(
                        Locale.ROOT,
                        "%s %.1f",
                        k,
                        median(rs, r -> r.cpuByThreads().getOrDefault(k, 0.0))))
                .collect(Collectors.joining(", "));
    }

    private static void row(StringBuilder table, String function, int inFlight, String name, List<Result> rs) {
        double min = rs.stream().mapToDouble(Result::throughput).min().orElse(0);
        double max = rs.stream().mapToDouble(Result::throughput).max().orElse(0);
        table.append(String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.0f (%.0f–%.0f) | %.2f | %.2f | %.1f | %.1f | %d |%n",
                function,
                inFlight,
                name,
                median(rs, Result::throughput),
                min,
                max,
                median(rs, Result::p50Millis),
                median(rs, Result::p99Millis),
                median(rs, Result::cpuMicros),
                median(rs, Result::allocatedBytes) / 1024,
                rs.stream().mapToLong(Result::errors).sum()));
    }

    private static Set<Thread> liveThreads() {
        return new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Thread names grouped by prefix (trailing numbers removed), live ones only. */
    static String describe(Set<Thread> threads) {
        Map<String, Integer> byName = new TreeMap<>();
        threads.stream()
                .filter(Thread::isAlive)
                .forEach(t -> byName.merge(
                        t.getName()
                                .replaceAll("thread #\\d+ - ", "")
                                .replaceAll("[-#\\s]*\\d+$", "")
                                .replaceAll("-\\d+-", "-"),
                        1,
                        Integer::sum));
        int total = byName.values().stream().mapToInt(Integer::intValue).sum();
        return total + " " + byName;
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    // ------------------------------------------------------------------------------------------ peers

    /** Points a sidecar-lambda configuration at the peer: its region, endpoints and the platform identity. */
    static void useAwsOf(Peer peer, SidecarLambdaConfiguration config) {
        String endpoint = peer.endpoint().toString();
        config.setRegion("us-east-1");
        config.setParameterStoreRegion("us-east-1");
        config.setStsEndpointOverride(endpoint);
        config.setSsmEndpointOverride(endpoint);
        config.setLambdaEndpointOverride(peer.lambdaEndpoint().toString());
        config.setBaseCredentialsProvider(peer.platform());
    }

    /** The AWS emulator serving the benchmark's seed: STS, SSM and Lambda. */
    interface Peer extends AutoCloseable {
        /** STS and SSM (and Lambda unless {@link #lambdaEndpoint()} says otherwise). */
        URI endpoint();

        default URI lambdaEndpoint() {
            return endpoint();
        }

        /** The operator's identity (the platform role java_proxy), as the component's base credentials. */
        AwsCredentialsProvider platform();

        String calls();

        @Override
        void close();

        /** The customer role's credentials, assumed once with the External ID, for the baselines. */
        default AwsCredentialsProvider roleCredentials() {
            try (StsClient sts = StsClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(endpoint())
                    .credentialsProvider(platform())
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                Credentials c = sts.assumeRole(
                                b -> b.roleArn(ROLE).roleSessionName("bench").externalId(EXTERNAL_ID))
                        .credentials();
                return StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
            }
        }
    }

    /** The benchmark's functions and their latency, for the Lambda peers that are not the emulator. */
    static final Map<String, Long> BENCH_FUNCTIONS = Map.of("Zero", 0L, "Fifty", 50L, "TwoHundred", 200L);

    static final class InProcessPeer implements Peer {
        private final AwsEmulator emulator;
        private final AutoCloseable lambda;
        private final URI lambdaEndpoint;

        InProcessPeer(Path seed) {
            this(AwsEmulator.builder().seedFile(seed).start());
        }

        /** An emulator seeded elsewhere: it must hold the platform role java_proxy and the benchmark's customer role. */
        InProcessPeer(AwsEmulator emulator) {
            this(emulator, null, null);
        }

        InProcessPeer(AwsEmulator emulator, JdkLambdaPeer lambda) {
            this(emulator, lambda, lambda.endpoint());
        }

        /** With another server as Lambda, in this JVM too, closed with this peer (lambda null: the emulator is Lambda). */
        InProcessPeer(AwsEmulator emulator, AutoCloseable lambda, URI lambdaEndpoint) {
            this.emulator = emulator;
            this.lambda = lambda;
            this.lambdaEndpoint = lambdaEndpoint;
        }

        @Override
        public URI endpoint() {
            return emulator.endpoint();
        }

        @Override
        public URI lambdaEndpoint() {
            return lambdaEndpoint != null ? lambdaEndpoint : emulator.endpoint();
        }

        @Override
        public AwsCredentialsProvider platform() {
            return emulator.credentialsFor(PLATFORM_ROLE);
        }

        @Override
        public String calls() {
            return String.format(
                    Locale.ROOT,
                    "emulator calls: AssumeRole=%d GetParameter=%d Invoke=%d",
                    emulator.count("sts", "AssumeRole"),
                    emulator.count("ssm", "GetParameter"),
                    emulator.count("lambda", "Invoke"));
        }

        @Override
        public void close() {
            emulator.close();
            if (lambda != null) {
                try {
                    lambda.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public String toString() {
            return lambda != null
                    ? "emulator (STS, SSM) and " + lambda.getClass().getSimpleName()
                            + " as Lambda, in this JVM (clients and peers share every core)"
                    : "emulator in this JVM (client and emulator share every core)";
        }
    }

    /**
     * The emulator launcher ({@code AwsEmulator.main}) in its own JVM, pinned with {@code taskset} to
     * {@code peerCpus}; this JVM is pinned to {@code clientCpus}. Credentials and endpoint come from its output.
     */
    static final class ProcessPeer implements Peer {
        private final List<Process> processes = new ArrayList<>();
        private final boolean pin;
        private final URI endpoint;
        private final URI lambdaEndpoint;
        private final AwsCredentialsProvider platform;
        private final String description;

        /** mode: "lean" (LeanLambdaPeer as Lambda), "jdk" (JdkLambdaPeer as Lambda), else the emulator is Lambda too. */
        ProcessPeer(Path seed, String mode, String peerCpus, String clientCpus)
                throws IOException, InterruptedException {
            pin = Files.isExecutable(Path.of("/usr/bin/taskset"));
            Map<String, String> exports = new HashMap<>();
            endpoint = spawn(peerCpus, exports, AwsEmulator.class.getName(), "--port", "0", "--seed", seed.toString());
            String lambdaPeer = switch (mode) {
                case "lean" -> LeanLambdaPeer.class.getName();
                case "jdk" -> JdkLambdaPeer.class.getName();
                default -> null;
            };
            lambdaEndpoint = lambdaPeer != null
                    ? spawn(
                            peerCpus,
                            new HashMap<>(),
                            lambdaPeer,
                            "--port",
                            "0",
                            "--functions",
                            "Zero=0,Fifty=50,TwoHundred=200")
                    : endpoint;
            boolean lean = lambdaPeer != null;
            AwsCredentials creds = exports.containsKey("AWS_SESSION_TOKEN")
                    ? AwsSessionCredentials.create(
                            exports.get("AWS_ACCESS_KEY_ID"),
                            exports.get("AWS_SECRET_ACCESS_KEY"),
                            exports.get("AWS_SESSION_TOKEN"))
                    : AwsBasicCredentials.create(
                            exports.get("AWS_ACCESS_KEY_ID"), exports.get("AWS_SECRET_ACCESS_KEY"));
            platform = StaticCredentialsProvider.create(creds);
            String what = lean
                    ? "emulator (STS, SSM) and "
                            + (mode.equals("jdk")
                                    ? "a plain JDK HttpServer Lambda peer (JdkLambdaPeer)"
                                    : "a lean Netty Lambda peer (LeanLambdaPeer)")
                            + ", each in its own JVM"
                    : "emulator in its own JVM";
            if (pin) {
                // every thread of this JVM, and those it starts later (they inherit the mask), on the client CPUs
                long pid = ProcessHandle.current().pid();
                int rc = new ProcessBuilder("taskset", "-a", "-c", "-p", clientCpus, Long.toString(pid))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
                if (rc != 0) {
                    throw new IllegalStateException("taskset could not pin this JVM to CPUs " + clientCpus);
                }
                description = what + " on CPU " + peerCpus + ", clients in this JVM on CPU " + clientCpus;
            } else {
                description = what + ", not pinned (no taskset)";
            }
        }

        /** Starts a JVM running {@code mainClass}, reads its output up to "READY url"; export lines go to {@code exports}. */
        private URI spawn(String cpus, Map<String, String> exports, String... mainAndArgs)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            if (pin) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms1g",
                    "-Xmx2g",
                    "-Dlog4j2.configurationFile=log4j2-bench.xml"));
            String extra = System.getProperty("bench.peerJvmArgs", "").trim(); // e.g. -Dsun.net.httpserver.nodelay=true
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", classpath()));
            command.addAll(List.of(mainAndArgs));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring(7).split("=", 2);
                    exports.put(kv[0], kv[1]);
                } else if (line.startsWith("READY ")) {
                    Thread drain = new Thread(
                            () -> out.lines().forEach(l -> System.out.println("[peer] " + l)), "peer-output");
                    drain.setDaemon(true);
                    drain.start();
                    return URI.create(line.substring(6).trim());
                } else if (!line.startsWith("#")) {
                    System.out.println("[peer] " + line);
                }
            }
            throw new IllegalStateException(mainAndArgs[0] + " ended before READY, exit " + process.waitFor());
        }

        private static String classpath() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader instanceof URLClassLoader urls) { // exec:java runs the class in a URLClassLoader
                List<String> entries = new ArrayList<>();
                for (URL url : urls.getURLs()) {
                    entries.add(Path.of(URI.create(url.toString())).toString());
                }
                return String.join(java.io.File.pathSeparator, entries);
            }
            return System.getProperty("java.class.path");
        }

        @Override
        public URI endpoint() {
            return endpoint;
        }

        @Override
        public URI lambdaEndpoint() {
            return lambdaEndpoint;
        }

        @Override
        public AwsCredentialsProvider platform() {
            return platform;
        }

        @Override
        public String calls() {
            return "";
        }

        @Override
        public void close() {
            for (Process process : processes) {
                process.destroy();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process.destroyForcibly();
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** The seed: platform role, one customer role trusting it with the External ID, the parameter, three functions. */
    static String seedJson() {
        String platformTrust =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String platformPolicy =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ssm:GetParameter\","
                        + "\"ssm:GetParameters\"],\"Resource\":\"arn:aws:ssm:*:" + PLATFORM_ACCOUNT + ":parameter/*\"},"
                        + "{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::*:role/*\"}]}";
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + PLATFORM_ROLE
                + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\""
                + EXTERNAL_ID + "\"}}}]}";
        String invoke =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\","
                        + "\"Resource\":\"arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*\"}]}";
        return "{\"launcherPrincipal\":\"" + PLATFORM_ROLE + "\",\n"
                + "\"quotas\":{\"lambdaConcurrentExecutions\":5000},\n"
                + "\"accounts\":[{\"id\":\"" + PLATFORM_ACCOUNT
                + "\",\"roles\":[{\"name\":\"java_proxy\",\"trustPolicy\":"
                + platformTrust + ",\"permissionPolicies\":[" + platformPolicy + "]}]},\n"
                + "{\"id\":\"" + ACCOUNT + "\",\"roles\":[{\"name\":\"Boomi_sidecar_connector_bench\",\"trustPolicy\":"
                + trust
                + ",\"permissionPolicies\":[" + invoke + "]}]}],\n"
                + "\"parameters\":[{\"account\":\"" + PLATFORM_ACCOUNT
                + "\",\"name\":\"/bench/prod/trustKey\",\"value\":\""
                + EXTERNAL_ID + "\",\"secure\":true}],\n"
                + "\"functions\":[{\"account\":\"" + ACCOUNT + "\",\"name\":\"Zero\",\"latencyMs\":0},"
                + "{\"account\":\"" + ACCOUNT + "\",\"name\":\"Fifty\",\"latencyMs\":50},"
                + "{\"account\":\"" + ACCOUNT + "\",\"name\":\"TwoHundred\",\"latencyMs\":200},"
                // SidecarBenchmark's function: a sidecar answer that adds one header and drops another
                + "{\"account\":\"" + ACCOUNT + "\",\"name\":\"Sidecar\",\"behaviour\":\"static\",\"response\":"
                + SIDECAR_ANSWER + "}]}\n";
    }

    // ------------------------------------------------------------------------------------------ clients

    /** The baseline: what a careful user would write by hand with static temporary credentials. */
    static final class RawSdk implements Client {
        private final LambdaAsyncClient client;
        private final String function;
        private final int inFlight;

        private final java.util.concurrent.ScheduledThreadPoolExecutor timer;

        /** withTimeout: an apiCallTimeout (as the component sets one) on a one-thread scheduled pool. */
        RawSdk(Peer peer, String function, int inFlight, boolean withTimeout) {
            timer = withTimeout ? new java.util.concurrent.ScheduledThreadPoolExecutor(1) : null;
            if (timer != null) {
                timer.setRemoveOnCancelPolicy(true);
            }
            this.client = LambdaAsyncClient.builder()
                    .overrideConfiguration(o -> {
                        if (timer != null) {
                            o.apiCallTimeout(Duration.ofSeconds(930)).scheduledExecutorService(timer);
                        }
                    })
                    .region(Region.US_EAST_1)
                    .endpointOverride(peer.lambdaEndpoint())
                    .credentialsProvider(peer.roleCredentials())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight))
                    .build();
            this.function = function;
            this.inFlight = inFlight;
        }

        void send(Consumer<Long> done) {
            long t0 = System.nanoTime();
            client.invoke(InvokeRequest.builder()
                            .functionName(function)
                            .payload(SdkBytes.fromByteArray(PAYLOAD))
                            .build())
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            failed("raw", e);
                        }
                        done.accept(e == null && r.functionError() == null ? System.nanoTime() - t0 : -1);
                    });
        }

        @Override
        public Result run(Duration duration) throws InterruptedException {
            return ProducerBenchmark.run(this::send, inFlight, duration);
        }

        @Override
        public void close() {
            client.close();
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    /** The component, through a route, driven through Camel's async API (no thread blocked per message). */
    static final class Component implements Client {
        private final CamelContext context = new DefaultCamelContext();
        private final AsyncProducer producer;
        private final int inFlight;

        /** variant: null = as measured (maxConcurrency = in flight), a number = also completionThreads, "50conn":
         *  maxConcurrency=50, the component's default before 0.1.0 (the AWS SDK's). */
        Component(Peer peer, String function, int inFlight, String variant) throws Exception {
            this.inFlight = inFlight;
            SidecarLambdaComponent component = context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
            boolean fifty = "50conn".equals(variant);
            if (variant != null && !fifty) {
                component.setCompletionThreads(Integer.parseInt(variant));
            }
            useAwsOf(peer, component.getConfiguration());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bench")
                            .to("sidecar-lambda:" + function + "?roleArn=" + ROLE
                                    + "&externalIdKey=bench/prod/trustKey"
                                    + "&maxConcurrency=" + (fifty ? 50 : inFlight));
                }
            });
            context.start();
            // -Dbench.noRoute=true drives the sidecar-lambda producer itself, to tell its cost from the route's
            producer = Boolean.getBoolean("bench.noRoute")
                    ? context.getEndpoints().stream()
                            .filter(e -> e.getEndpointUri().startsWith("sidecar-lambda"))
                            .findFirst()
                            .orElseThrow()
                            .createAsyncProducer()
                    : context.getEndpoint("direct:bench").createAsyncProducer();
            producer.start();
        }

        void send(Consumer<Long> done) {
            Exchange exchange = producer.getEndpoint().createExchange();
            exchange.getMessage().setBody(PAYLOAD);
            long t0 = System.nanoTime();
            producer.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    failed("route", exchange.getException());
                }
                done.accept(exchange.getException() == null ? System.nanoTime() - t0 : -1);
            });
        }

        @Override
        public Result run(Duration duration) throws InterruptedException {
            return ProducerBenchmark.run(this::send, inFlight, duration);
        }

        @Override
        public void close() {
            producer.stop();
            context.stop();
        }
    }

    /**
     * camel-aws2-lambda's producer: synchronous, so each in-flight call holds a caller thread. Its client is the SDK's
     * default synchronous one (Apache HTTP client), with as many connections as caller threads.
     */
    static final class Aws2Lambda implements Client {
        private final int threads;
        private final CamelContext context = new DefaultCamelContext();
        private final LambdaClient client;
        private final ProducerTemplate template;

        Aws2Lambda(Peer peer, String function, int threads) throws Exception {
            this.threads = threads;
            client = LambdaClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(peer.lambdaEndpoint())
                    .credentialsProvider(peer.roleCredentials())
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads))
                    .build();
            context.getRegistry().bind("lambdaClient", client);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:aws2")
                            .to("aws2-lambda:" + function + "?operation=invokeFunction&awsLambdaClient=#lambdaClient");
                }
            });
            context.start();
            template = context.createProducerTemplate();
        }

        @Override
        public Result run(Duration duration) throws InterruptedException {
            long[] histogram = new long[2_000_000];
            AtomicLong completed = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            Map<Long, Long> threads0 = threadCpu();
            long cpu0 = OS.getProcessCpuTime();
            long alloc0 = THREADS.getTotalThreadAllocatedBytes();
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            CountDownLatch finished = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                new Thread(
                                () -> {
                                    while (System.nanoTime() < end) {
                                        long t0 = System.nanoTime();
                                        Exchange result = template.request(
                                                "direct:aws2",
                                                e -> e.getMessage().setBody(PAYLOAD));
                                        if (result.getException() != null) {
                                            errors.incrementAndGet();
                                            continue;
                                        }
                                        int micros =
                                                (int) Math.min(histogram.length - 1, (System.nanoTime() - t0) / 1000);
                                        synchronized (histogram) {
                                            histogram[micros]++;
                                        }
                                        completed.incrementAndGet();
                                    }
                                    finished.countDown();
                                },
                                "aws2-caller-" + t)
                        .start();
            }
            finished.await();
            return result(histogram, completed.get(), errors.get(), start, cpu0, alloc0, threads0);
        }

        @Override
        public void close() {
            context.stop();
            client.close();
        }
    }
}
