package io.github.sidecarlambda.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.sidecarlambda.Internals;
import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.CallRecord;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;

/**
 * Many tenants on one route, against one in-process emulator holding N customer roles (each its own trust policy and
 * External ID), N External ID parameters and one echo function per customer account. Four parts, each printed as a
 * Markdown table:
 * <ol>
 * <li>A: threads and retained heap per tenant at 1 / 100 / 1,000 / 10,000 tenants (a fresh CamelContext per level;
 * the component's share of the heap is what dropping its tenants frees, so the emulator's growth is not counted);</li>
 * <li>B: throughput of 1,000 tenants round-robin vs one tenant through the same route, alternating rounds;</li>
 * <li>C: 10,000 tenants cold at once under Parameter Store's default 40 TPS;</li>
 * <li>D: K replicas (CamelContexts) against one quota-enforcing emulator, every replica serving every tenant vs
 * tenant affinity (each replica its own share).</li>
 * </ol>
 * Sizes via system properties (defaults in brackets): bench.levels [1,100,1000,10000], bench.accounts [10],
 * bench.throughputTenants [1000], bench.inFlight [64], bench.seconds [5], bench.warmup [5], bench.rounds [3],
 * bench.coldTenants [10000], bench.replicas [1,2,4], bench.replicaTenants [2000], bench.stsAssumeRoleRate [0 = none],
 * bench.refreshTimeout [120000 ms, parts C and D],
 * bench.parts [ABCD]. Run with the command in docs/benchmark.md.
 */
public final class TenantScaleBenchmark {

    private static final String FUNCTION = "Echo";
    private static final int WINDOW = 256; // exchanges in flight while warming tenants (parts A and B)

    private final AwsEmulator emulator;
    private final int accounts;

    private TenantScaleBenchmark(AwsEmulator emulator, int accounts) {
        this.emulator = emulator;
        this.accounts = accounts;
    }

    static String account(int a) {
        return String.format(Locale.ROOT, "3000%08d", a);
    }

    String role(int tenant) {
        return "arn:aws:iam::" + account(tenant % accounts) + ":role/Boomi_sidecar_connector_t" + tenant;
    }

    static String key(int tenant) {
        return "bench/t" + tenant + "/trustKey";
    }

    static String externalId(int tenant) {
        return String.format(Locale.ROOT, "xid-%06d-%08x", tenant, tenant * 2654435761L & 0xffffffffL);
    }

    public static void main(String[] args) throws Exception {
        // the test classpath logs at TRACE for the secret-hygiene check; a benchmark must not
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        int[] levels = ints(System.getProperty("bench.levels", "1,100,1000,10000"));
        int accounts = Integer.getInteger("bench.accounts", 10);
        int throughputTenants = Integer.getInteger("bench.throughputTenants", 1000);
        int coldTenants = Integer.getInteger("bench.coldTenants", 10_000);
        int[] replicas = ints(System.getProperty("bench.replicas", "1,2,4"));
        int replicaTenants = Integer.getInteger("bench.replicaTenants", 2000);
        String parts = System.getProperty("bench.parts", "ABCD");
        int maxTenants = Math.max(
                Math.max(Arrays.stream(levels).max().orElse(1), throughputTenants),
                Math.max(coldTenants, replicaTenants));

        long t0 = System.nanoTime();
        AwsEmulator.Builder builder = SeedScenario.builder();
        for (int a = 0; a < accounts; a++) {
            String acct = account(a);
            String fnArn = "arn:aws:lambda:" + SeedScenario.REGION + ":" + acct + ":function:" + FUNCTION;
            String invoke = SeedScenario.invokePolicy(fnArn);
            int first = a;
            builder.account(acct, spec -> {
                for (int t = first; t < maxTenants; t += accounts) {
                    spec.role(
                            "/",
                            "Boomi_sidecar_connector_t" + t,
                            SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, externalId(t)),
                            invoke);
                }
            });
            builder.function(FunctionSpec.of(acct, SeedScenario.REGION, FUNCTION, (p, c) -> p));
        }
        for (int t = 0; t < maxTenants; t++) {
            builder.parameter(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/" + key(t), externalId(t), true);
        }
        try (AwsEmulator emulator = builder.start()) {
            System.out.printf(
                    Locale.ROOT,
                    "emulator with %d roles in %d accounts, %d parameters: set up in %.1f s%n",
                    maxTenants,
                    accounts,
                    maxTenants,
                    (System.nanoTime() - t0) / 1e9);
            TenantScaleBenchmark bench = new TenantScaleBenchmark(emulator, accounts);
            StringBuilder out = new StringBuilder();
            if (parts.contains("A")) {
                out.append(bench.partA(levels)).append('\n');
            }
            if (parts.contains("B")) {
                out.append(bench.partB(throughputTenants)).append('\n');
            }
            if (parts.contains("C")) {
                out.append(bench.partC(coldTenants)).append('\n');
            }
            if (parts.contains("D")) {
                out.append(bench.partD(replicas, replicaTenants)).append('\n');
            }
            System.out.println();
            System.out.print(out);
            System.out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    // ------------------------------------------------------------------------------------------ A: threads, heap

    String partA(int[] levels) throws Exception {
        // only the measurement should matter here: no SSM throttling (AssumeRole has no bucket by default)
        emulator.quotas().ssmHigherThroughput(true);
        StringBuilder t = new StringBuilder();
        t.append("### A. Threads and heap per tenant (one route, tenantFromHeaders, each tenant cold then cached)\n\n");
        t.append(
                "| tenants | failed | AssumeRole | cold phase (s) | cached phase (s) | live threads (JVM) | emulator threads "
                        + "| SidecarLambda / aws-java-sdk / sdk- threads | Lambda clients | cached tenants | header targets "
                        + "| heap freed by dropping tenants (KB/tenant) | + header targets (KB/tenant) | component total (KB/tenant) |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : levels) {
            awaitNoComponentThreads();
            emulator.resetCounters();
            CamelContext ctx = context(64, 30_000);
            try {
                AsyncProducer producer = producer(ctx);
                long c0 = System.nanoTime();
                long coldFailed = windowed(producer, n, WINDOW, i -> i);
                double cold = (System.nanoTime() - c0) / 1e9;
                long c1 = System.nanoTime();
                long cachedFailed = windowed(producer, n, WINDOW, i -> i);
                double cached = (System.nanoTime() - c1) / 1e9;
                Endpoint sidecar = sidecarEndpoint(ctx);
                long cachedTenants = Internals.cachedTenants(ctx);
                long headerTargets = Internals.headerTargets(sidecar);
                int lambdaClients = Internals.lambdaClients(ctx);
                int all = Thread.activeCount();
                int liveAll = (int) Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .count();
                int emu = threads(name -> name.startsWith("aws-emulator"));
                int comp = componentThreads();
                long withTenants = heapAfterGc();
                Internals.clearTenants(ctx);
                long withoutTenants = heapAfterGc();
                Internals.clearHeaderTargets(sidecar);
                long withoutHeaders = heapAfterGc();
                t.append(String.format(
                        Locale.ROOT,
                        "| %,d | %d | %,d | %.2f | %.2f | %d | %d | %d | %d | %,d | %,d | %.2f | %.2f | %.2f |%n",
                        n,
                        coldFailed + cachedFailed,
                        emulator.count("sts", "AssumeRole"),
                        cold,
                        cached,
                        liveAll,
                        emu,
                        comp,
                        lambdaClients,
                        cachedTenants,
                        headerTargets,
                        kb(withTenants - withoutTenants, n),
                        kb(withoutTenants - withoutHeaders, n),
                        kb(withTenants - withoutHeaders, n)));
                System.out.printf(Locale.ROOT, "A %d tenants done (activeCount %d)%n", n, all);
                producer.stop();
            } finally {
                ctx.stop();
            }
        }
        t.append(
                "\nHeap: used heap after repeated full GCs (`System.gc()`, settle) with the tenants cached, minus the same "
                        + "after `clear()` of the component's tenant cache, then minus after emptying the endpoint's cache of "
                        + "parsed tenant headers; divided by the number of tenants. The emulator's own state (sessions, call "
                        + "log) is alive in all three readings, so it cancels out. At 1 tenant the figure is GC noise.\n");
        return t.toString();
    }

    // ------------------------------------------------------------------------------------------ B: throughput

    String partB(int tenants) throws Exception {
        emulator.quotas().ssmHigherThroughput(true);
        int inFlight = Integer.getInteger("bench.inFlight", 64);
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 5));
        int rounds = Integer.getInteger("bench.rounds", 3);
        awaitNoComponentThreads();
        emulator.resetCounters();
        CamelContext ctx = context(inFlight, 30_000);
        try {
            AsyncProducer producer = producer(ctx);
            long failed = windowed(producer, tenants, WINDOW, i -> i); // every tenant cold, then cached
            AtomicInteger next = new AtomicInteger();
            ProducerBenchmark.Sender many =
                    done -> send(producer, Math.floorMod(next.getAndIncrement(), tenants), done);
            ProducerBenchmark.Sender one = done -> send(producer, 0, done);
            ProducerBenchmark.run(many, inFlight, warmup);
            ProducerBenchmark.run(one, inFlight, warmup);
            long assumedBefore = emulator.count("sts", "AssumeRole");
            ProducerBenchmark.Result[] m = new ProducerBenchmark.Result[rounds];
            ProducerBenchmark.Result[] s = new ProducerBenchmark.Result[rounds];
            for (int r = 0; r < rounds; r++) {
                // alternate which goes first, so neither always runs on the other's leftovers
                if (r % 2 == 0) {
                    m[r] = ProducerBenchmark.run(many, inFlight, measure);
                    s[r] = ProducerBenchmark.run(one, inFlight, measure);
                } else {
                    s[r] = ProducerBenchmark.run(one, inFlight, measure);
                    m[r] = ProducerBenchmark.run(many, inFlight, measure);
                }
                System.out.printf(
                        Locale.ROOT,
                        "B round %d: %d tenants %.0f/s, 1 tenant %.0f/s%n",
                        r,
                        tenants,
                        m[r].throughput(),
                        s[r].throughput());
            }
            long assumedDuring = emulator.count("sts", "AssumeRole") - assumedBefore;
            StringBuilder t = new StringBuilder();
            t.append(String.format(
                    Locale.ROOT,
                    "### B. Throughput: %,d tenants round-robin vs 1 tenant, one route, %d in "
                            + "flight, %d rounds x %d s alternating (after %d s warm-up each)%n%n",
                    tenants,
                    inFlight,
                    rounds,
                    measure.toSeconds(),
                    warmup.toSeconds()));
            t.append("| load | median (inv/s) | min - max (inv/s) | median p50 (ms) | median p99 (ms) | errors |\n");
            t.append("|---|---|---|---|---|---|\n");
            row(t, String.format(Locale.ROOT, "%,d tenants round-robin", tenants), m);
            row(t, "1 tenant", s);
            double ratio =
                    median(m, ProducerBenchmark.Result::throughput) / median(s, ProducerBenchmark.Result::throughput);
            t.append(String.format(
                    Locale.ROOT,
                    "%nRatio of medians: %.3f (target >= 0.9). Warm-up failures: %d. AssumeRole "
                            + "calls during the measured rounds: %d (all tenants were cached).%n",
                    ratio,
                    failed,
                    assumedDuring));
            producer.stop();
            return t.toString();
        } finally {
            ctx.stop();
        }
    }

    private static void row(StringBuilder t, String name, ProducerBenchmark.Result[] rs) {
        t.append(String.format(
                Locale.ROOT,
                "| %s | %.0f | %.0f - %.0f | %.2f | %.2f | %d |%n",
                name,
                median(rs, ProducerBenchmark.Result::throughput),
                Arrays.stream(rs)
                        .mapToDouble(ProducerBenchmark.Result::throughput)
                        .min()
                        .orElse(0),
                Arrays.stream(rs)
                        .mapToDouble(ProducerBenchmark.Result::throughput)
                        .max()
                        .orElse(0),
                median(rs, ProducerBenchmark.Result::p50Millis),
                median(rs, ProducerBenchmark.Result::p99Millis),
                Arrays.stream(rs).mapToLong(ProducerBenchmark.Result::errors).sum()));
    }

    private static double median(
            ProducerBenchmark.Result[] rs, java.util.function.ToDoubleFunction<ProducerBenchmark.Result> f) {
        double[] v = Arrays.stream(rs).mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ------------------------------------------------------------------------------------------ C: cold start, 40 TPS

    String partC(int tenants) throws Exception {
        emulator.quotas().ssmHigherThroughput(false);
        emulator.quotas().ssmStandardThroughput(40); // AWS's default; also starts a full bucket
        awaitNoComponentThreads();
        emulator.resetCounters();
        CamelContext ctx = context(64, refreshTimeout());
        try {
            AsyncProducer producer = producer(ctx);
            Burst burst = burst(List.of(producer), tenants, 0, 180);
            producer.stop();
            System.out.printf(
                    Locale.ROOT,
                    "C: all sent after %.1f s; longest wait of a failed exchange %.1f s%n",
                    burst.submitSeconds,
                    burst.maxFailedWaitSeconds);
            StringBuilder t = new StringBuilder();
            t.append(String.format(
                    Locale.ROOT,
                    "### C. %,d tenants cold at once, Parameter Store at the default 40 TPS, "
                            + "credentialsRefreshTimeout %d s%n%n",
                    tenants,
                    refreshTimeout() / 1000));
            t.append(
                    "| tenants | exchanges ok | failed | wall time to all served (s) | longest wait of one exchange (s) "
                            + "| GetParameter | GetParameters | throttled SSM calls | SSM calls/s (ok) | AssumeRole (ok) | Invoke |\n");
            t.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            long ok = emulator.count("ssm", "GetParameter", true) + emulator.count("ssm", "GetParameters", true);
            t.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %d | %.1f | %.1f | %,d | %,d | %,d | %.1f | %,d (%,d) | %,d |%n",
                    tenants,
                    burst.ok,
                    burst.failed,
                    burst.seconds,
                    burst.maxWaitSeconds,
                    emulator.count("ssm", "GetParameter"),
                    emulator.count("ssm", "GetParameters"),
                    throttled("ssm"),
                    ok / burst.seconds,
                    emulator.count("sts", "AssumeRole"),
                    emulator.count("sts", "AssumeRole", true),
                    emulator.count("lambda", "Invoke")));
            if (burst.firstFailure != null) {
                t.append("\nFirst failure: ").append(burst.firstFailure).append('\n');
            }
            return t.toString();
        } finally {
            ctx.stop();
        }
    }

    // ------------------------------------------------------------------------------------------ D: replicas

    String partD(int[] replicaCounts, int tenants) throws Exception {
        double stsRate = Double.parseDouble(System.getProperty("bench.stsAssumeRoleRate", "0"));
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "### D. K replicas (CamelContexts, one JVM) against one emulator, SSM at 40 "
                        + "TPS, AssumeRole %s, %,d tenants cold, credentialsRefreshTimeout %d s%n%n",
                stsRate > 0 ? "at " + stsRate + " TPS" : "unthrottled",
                tenants,
                refreshTimeout() / 1000));
        t.append(
                "| replicas | placement | tenants per replica | exchanges ok | failed | time to all served (s) "
                        + "| longest wait of one exchange (s) | SSM calls (GetParameter + GetParameters) | throttled SSM | AssumeRole | throttled STS |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (boolean affinity : new boolean[] {false, true}) {
            for (int k : replicaCounts) {
                emulator.quotas().ssmHigherThroughput(false);
                emulator.quotas().ssmStandardThroughput(40);
                emulator.quotas().stsAssumeRole(stsRate);
                awaitNoComponentThreads();
                emulator.resetCounters();
                List<CamelContext> contexts = new ArrayList<>();
                List<AsyncProducer> producers = new ArrayList<>();
                try {
                    for (int r = 0; r < k; r++) {
                        CamelContext ctx = context(64, refreshTimeout());
                        contexts.add(ctx);
                        producers.add(producer(ctx));
                    }
                    int perReplica = affinity ? tenants / k : tenants;
                    Burst burst = burst(producers, perReplica, affinity ? perReplica : 0, 300);
                    t.append(String.format(
                            Locale.ROOT,
                            "| %d | %s | %,d | %,d | %d | %.1f | %.1f | %,d + %,d | %,d | %,d | %,d |%n",
                            k,
                            affinity ? "tenant affinity" : "every replica, every tenant",
                            perReplica,
                            burst.ok,
                            burst.failed,
                            burst.seconds,
                            burst.maxWaitSeconds,
                            emulator.count("ssm", "GetParameter"),
                            emulator.count("ssm", "GetParameters"),
                            throttled("ssm"),
                            emulator.count("sts", "AssumeRole"),
                            throttled("sts")));
                    System.out.printf(
                            Locale.ROOT,
                            "D %d replicas affinity=%s: %.1f s (all sent after %.1f s)%n",
                            k,
                            affinity,
                            burst.seconds,
                            burst.submitSeconds);
                } finally {
                    for (AsyncProducer p : producers) {
                        p.stop();
                    }
                    for (CamelContext c : contexts) {
                        c.stop();
                    }
                }
            }
        }
        emulator.quotas().stsAssumeRole(0);
        return t.toString();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Parts C and D: long enough for an SSM-bound cold start (the component's default is 30 s). */
    private static long refreshTimeout() {
        return Long.getLong("bench.refreshTimeout", 120_000);
    }

    private CamelContext context(int maxConcurrency, long refreshTimeoutMillis) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        EmulatorEnvironment.apply(ctx, emulator);
        ctx.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                .setCredentialsRefreshTimeout(refreshTimeoutMillis);
        String uri = "sidecar-lambda:" + FUNCTION + "?roleArn=" + role(0) + "&externalIdKey=" + key(0)
                + "&tenantFromHeaders=true&maxConcurrency=" + maxConcurrency;
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        ctx.start();
        return ctx;
    }

    private static AsyncProducer producer(CamelContext ctx) throws Exception {
        AsyncProducer p = ctx.getEndpoint("direct:in").createAsyncProducer();
        p.start();
        return p;
    }

    private static Endpoint sidecarEndpoint(CamelContext ctx) {
        return ctx.getEndpoints().stream()
                .filter(e -> e.getEndpointUri().startsWith("sidecar-lambda"))
                .findFirst()
                .orElseThrow();
    }

    /** Sends one message for {@code tenant}; {@code done} gets the latency in ns, or -1 if it failed or came back wrong. */
    private void send(AsyncProducer producer, int tenant, Consumer<Long> done) {
        Exchange ex = producer.getEndpoint().createExchange();
        String body = "{\"t\":" + tenant + "}";
        ex.getMessage().setBody(body);
        ex.getMessage().setHeader(SidecarLambdaConstants.ROLE_ARN, role(tenant));
        ex.getMessage().setHeader(SidecarLambdaConstants.EXTERNAL_ID_KEY, key(tenant));
        long t0 = System.nanoTime();
        producer.process(ex, sync -> {
            boolean ok =
                    ex.getException() == null && body.equals(ex.getMessage().getBody(String.class));
            if (!ok) {
                FAILURE.compareAndSet(
                        null,
                        tenant + ": "
                                + (ex.getException() != null
                                        ? ex.getException().toString()
                                        : "echo returned " + ex.getMessage().getBody(String.class)));
            }
            done.accept(ok ? System.nanoTime() - t0 : -1L);
        });
    }

    private static final AtomicReference<String> FAILURE = new AtomicReference<>();

    /** Sends one message to each of {@code n} tenants with at most {@code window} in flight; returns the failures. */
    private long windowed(AsyncProducer producer, int n, int window, IntUnaryOperator tenantOf)
            throws InterruptedException {
        Semaphore slots = new Semaphore(window);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            send(producer, tenantOf.applyAsInt(i), latency -> {
                if (latency < 0) {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(window);
        return failed.get();
    }

    record Burst(
            long ok,
            long failed,
            double seconds,
            double maxWaitSeconds,
            double submitSeconds,
            double maxFailedWaitSeconds,
            String firstFailure) {}

    /**
     * All at once: every producer (replica) gets one message for each of its {@code perReplica} tenants, replica r's
     * tenants starting at {@code r * stride}; measures until the last exchange completes.
     */
    private Burst burst(List<AsyncProducer> producers, int perReplica, int stride, int timeoutSeconds)
            throws InterruptedException {
        FAILURE.set(null);
        int total = producers.size() * perReplica;
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong maxWait = new AtomicLong();
        AtomicLong maxFailedWait = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < perReplica; i++) {
            for (int r = 0; r < producers.size(); r++) {
                long sentAt = System.nanoTime();
                send(producers.get(r), r * stride + i, latency -> {
                    if (latency < 0) {
                        failed.incrementAndGet();
                        maxFailedWait.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                    } else {
                        maxWait.accumulateAndGet(latency, Math::max);
                    }
                    done.countDown();
                });
            }
        }
        double submitted = (System.nanoTime() - t0) / 1e9;
        boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long notDone = done.getCount();
        return new Burst(
                total - failed.get() - notDone,
                failed.get() + notDone,
                seconds,
                maxWait.get() / 1e9,
                submitted,
                maxFailedWait.get() / 1e9,
                all ? FAILURE.get() : notDone + " exchanges not done after " + timeoutSeconds + " s; " + FAILURE.get());
    }

    /** Failed calls of a service whose error is throttling (from the emulator's call log). */
    private long throttled(String service) {
        return emulator.calls().stream()
                .filter(c -> c.service().equals(service))
                .map(CallRecord::errorCode)
                .filter(e -> e != null && (e.equals("ThrottlingException") || e.equals("Throttling")))
                .count();
    }

    private static int threads(java.util.function.Predicate<String> name) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name)
                .count();
    }

    /** The component's and the AWS SDK's threads (as ManyTenantsTest counts them). */
    private static int componentThreads() {
        return threads(n -> n.contains("SidecarLambda") || n.startsWith("aws-java-sdk") || n.startsWith("sdk-"));
    }

    /** A stopped context's event loops shut down gracefully (up to 2 s): wait, so each level starts from none. */
    private static void awaitNoComponentThreads() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (componentThreads() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    /** Used heap after full collections, the smallest of several settled readings. */
    private static long heapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(150);
            min = Math.min(
                    min,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private static double kb(long bytes, int n) {
        return bytes / 1024.0 / n;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
