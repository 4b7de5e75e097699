package io.github.sidecarlambda.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.sidecarlambda.LambdaServiceException;
import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaException;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.Faults.Chaos;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;

/**
 * Fault drill: many exchanges through routes that redeliver what the component calls retryable and send the rest to
 * a dead-letter branch, while the emulator injects random faults into STS, Parameter Store and Lambda (throttling,
 * 5xx, dropped connections, latency spikes), credentials expire at AWS, one tenant's External ID is rotated, STS is
 * down for a while (credentials still valid), and routes are stopped and started under traffic. It then checks that
 * every exchange ended, typed, in time, that no invocation ran twice without a redelivery the route chose after a
 * "may have run" failure, and that the component's and the SDK's threads and the open connections are the same
 * before and after the stop/start cycles. One implementation for the command (docs/benchmark.md, "Fault drill") and
 * the shortened JUnit version ({@code FaultDrillTest}). Loopback only.
 */
public final class FaultDrill {

    static final String ACCOUNT = "444455556666";
    static final String FUNCTION = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:Drill";
    /** How often the route redelivers a retryable failure before it goes to the dead-letter branch. */
    static final int MAX_REDELIVERIES = 6;

    /** What the drill does; the defaults are the full command's. */
    public record Options(
            int exchanges,
            int tenants,
            Duration duration,
            Duration stsOutage,
            int routeCycles,
            double invokeFaultRate,
            double controlPlaneFaultRate,
            Duration exchangeDeadline,
            Duration settle,
            long seed,
            int frontEndCloseEvery) {

        public Options {
            // the outage must end before the last expiry (90 %): STS is down only while credentials are valid
            if (stsOutage.toMillis() > duration.toMillis() * 45 / 100) {
                throw new IllegalArgumentException("the STS outage may last at most 45 % of the run");
            }
        }

        /** STS and SSM are called a few times per tenant and expiry, Invoke on every exchange: hence two rates. */
        public static Options full() {
            return new Options(
                    10_000,
                    4,
                    Duration.ofSeconds(150),
                    Duration.ofSeconds(60),
                    200,
                    0.10,
                    0.25,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(8),
                    20261128L,
                    3);
        }

        /** The full options, overridden by {@code -Ddrill.*} system properties. */
        public static Options fromSystemProperties() {
            Options d = full();
            return new Options(
                    Integer.getInteger("drill.exchanges", d.exchanges),
                    Integer.getInteger("drill.tenants", d.tenants),
                    Duration.ofSeconds(Long.getLong("drill.seconds", d.duration.toSeconds())),
                    Duration.ofSeconds(Long.getLong("drill.stsOutageSeconds", d.stsOutage.toSeconds())),
                    Integer.getInteger("drill.routeCycles", d.routeCycles),
                    Double.parseDouble(System.getProperty("drill.invokeFaultRate", "" + d.invokeFaultRate)),
                    Double.parseDouble(System.getProperty("drill.controlPlaneFaultRate", "" + d.controlPlaneFaultRate)),
                    d.exchangeDeadline,
                    d.settle,
                    Long.getLong("drill.seed", d.seed),
                    Integer.getInteger("drill.frontEndCloseEvery", d.frontEndCloseEvery));
        }
    }

    /** What the drill saw. {@link #passed()} is the verdict; {@link #toString()} the report. */
    public record Report(
            Options options,
            int sent,
            int completed,
            int succeeded,
            int typedFailures,
            int untypedFailures,
            int refusedByCamel,
            List<String> refusedSamples,
            int hung,
            int lost,
            int ranTwice,
            int ranTwiceExplained,
            int succeededButNeverRan,
            int redeliveries,
            int redeliveriesOfMayHaveRun,
            Map<String, Integer> failuresByKind,
            List<String> untypedSamples,
            Map<String, Long> faultsInjected,
            Map<String, Long> emulatorCalls,
            long assumeRoleDuringOutage,
            int succeededDuringOutage,
            int routeCyclesDone,
            Map<String, Integer> threadsBefore,
            Map<String, Integer> threadsAfter,
            Map<String, Integer> threadsAfterContextStop,
            Connections connectionsBefore,
            Connections connectionsAfter,
            Connections connectionsAfterContextStop,
            long maxLatencyMillis,
            long wallMillis,
            List<String> timeline,
            Map<String, String> failureSamples,
            int closedByFrontEnd) {

        public boolean passed() {
            return sent == options.exchanges
                    && completed == sent
                    && lost == 0
                    && hung == 0
                    && untypedFailures == 0
                    && succeeded + typedFailures + refusedByCamel == sent
                    && ranTwice == ranTwiceExplained
                    && succeededButNeverRan == 0
                    && threadsBefore.equals(threadsAfter)
                    && connectionsAfter.established() <= connectionsBefore.established()
                    && connectionsAfter.closeWait() == 0
                    && routeCyclesDone == options.routeCycles
                    && threadsAfterContextStop.values().stream().allMatch(n -> n == 0);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    Locale.ROOT,
                    "Fault drill: %d exchanges, %d tenants, %d s, STS down %d s, %d route "
                            + "stop/start cycles, faults %.0f %% of Invoke and %.0f %% of STS/SSM calls, seed %d%n",
                    options.exchanges,
                    options.tenants,
                    options.duration.toSeconds(),
                    options.stsOutage.toSeconds(),
                    options.routeCycles,
                    options.invokeFaultRate * 100,
                    options.controlPlaneFaultRate * 100,
                    options.seed));
            b.append(String.format(
                    Locale.ROOT,
                    "Lambda behind a front end closing each connection after %d answers "
                            + "without Connection: close (0: none): it closed %d%n",
                    options.frontEndCloseEvery,
                    closedByFrontEnd));
            b.append(String.format(
                    Locale.ROOT,
                    "sent %d, completed %d (succeeded %d, typed SidecarLambdaException %d, "
                            + "untyped %d), lost %d, hung (> %d s) %d, slowest %d ms, wall %d s%n",
                    sent,
                    completed,
                    succeeded,
                    typedFailures,
                    untypedFailures,
                    lost,
                    options.exchangeDeadline.toSeconds(),
                    hung,
                    maxLatencyMillis,
                    wallMillis / 1000));
            b.append(String.format(
                    Locale.ROOT,
                    "refused by Camel while it stopped their route, before the component: " + "%d %s%n",
                    refusedByCamel,
                    refusedSamples));
            b.append(String.format(
                    Locale.ROOT,
                    "ran twice %d (explained by a redelivery after a may-have-run failure: "
                            + "%d); succeeded without running %d; route redeliveries %d (of may-have-run failures %d)%n",
                    ranTwice,
                    ranTwiceExplained,
                    succeededButNeverRan,
                    redeliveries,
                    redeliveriesOfMayHaveRun));
            b.append("typed failures by kind: ").append(failuresByKind).append('\n');
            failureSamples.forEach((k, v) ->
                    b.append("  e.g. ").append(k).append(": ").append(v).append('\n'));
            b.append("timeline (sent per tenth of the run: ok/failed typed or refused by Camel/untyped, events): ")
                    .append(timeline)
                    .append('\n');
            if (!untypedSamples.isEmpty()) {
                b.append("untyped samples: ").append(untypedSamples).append('\n');
            }
            b.append("faults injected: ").append(faultsInjected).append('\n');
            b.append("emulator calls: ").append(emulatorCalls).append('\n');
            b.append(String.format(
                    Locale.ROOT,
                    "during the STS outage: %d AssumeRole calls, %d exchanges succeeded%n",
                    assumeRoleDuringOutage,
                    succeededDuringOutage));
            b.append(String.format(Locale.ROOT, "route stop/start cycles done %d%n", routeCyclesDone));
            b.append("threads before cycles ")
                    .append(threadsBefore)
                    .append(", after ")
                    .append(threadsAfter)
                    .append(", after context stop ")
                    .append(threadsAfterContextStop)
                    .append('\n');
            b.append("connections to the emulator before cycles ")
                    .append(connectionsBefore)
                    .append(", after ")
                    .append(connectionsAfter)
                    .append(", after context stop ")
                    .append(connectionsAfterContextStop)
                    .append('\n');
            b.append(passed() ? "PASSED" : "FAILED").append('\n');
            return b.toString();
        }
    }

    /**
     * TCP connections between this JVM and the emulator's port, from /proc/net/tcp (Linux): established, seen from
     * the client side, and half-closed ones the client never closed (CLOSE_WAIT, a leak's signature). -1 when
     * /proc/net/tcp cannot be read.
     */
    public record Connections(int established, int closeWait) {
        static Connections to(int port) {
            int established = 0;
            int closeWait = 0;
            for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    if (file.endsWith("tcp")) {
                        return new Connections(-1, -1);
                    }
                    continue;
                }
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (remotePort != port) {
                        continue;
                    }
                    if (f[3].equals("01")) {
                        established++;
                    } else if (f[3].equals("08")) {
                        closeWait++;
                    }
                }
            }
            return new Connections(established, closeWait);
        }

        @Override
        public String toString() {
            return established + " established, " + closeWait + " close-wait";
        }
    }

    private FaultDrill() {}

    public static void main(String[] args) throws Exception {
        // the test classpath logs at TRACE for the secret-hygiene check; a drill must not
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Report report = run(Options.fromSystemProperties());
        System.out.print(report);
        System.exit(report.passed() ? 0 : 1);
    }

    static String role(int tenant) {
        return "arn:aws:iam::" + ACCOUNT + ":role/Boomi_sidecar_connector_drill" + tenant;
    }

    static String key(int tenant) {
        return "drill" + tenant + "/prod/trustKey";
    }

    static String externalId(int tenant) {
        return "drill-" + tenant + "-external-id-k4";
    }

    /** Live threads of the component and of the AWS SDK, by name prefix (the emulator's are not counted). */
    public static Map<String, Integer> liveThreads() {
        Map<String, Integer> counts = new TreeMap<>(Map.of("SidecarLambda", 0, "aws-java-sdk", 0, "sdk-", 0));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive()) {
                continue;
            }
            String name = t.getName();
            String kind = name.contains("SidecarLambda")
                    ? "SidecarLambda"
                    : name.startsWith("aws-java-sdk") ? "aws-java-sdk" : name.startsWith("sdk-") ? "sdk-" : null;
            if (kind != null) {
                counts.merge(kind, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Waits until the thread counts have not changed for a second (or {@code max} passed), and returns them. */
    public static Map<String, Integer> settledThreads(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        Map<String, Integer> last = liveThreads();
        int stable = 0;
        while (System.nanoTime() < end && stable < 10) {
            Thread.sleep(100);
            Map<String, Integer> now = liveThreads();
            stable = now.equals(last) ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    public static Report run(Options o) throws Exception {
        // how many times the function ran for each exchange id, as the emulator's handler saw it
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AwsEmulator.Builder builder = SeedScenario.builder();
        builder.account(ACCOUNT, a -> {
            for (int i = 0; i < o.tenants(); i++) {
                a.role(
                        "/",
                        "Boomi_sidecar_connector_drill" + i,
                        SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, externalId(i)),
                        SeedScenario.invokePolicy(FUNCTION));
            }
        });
        for (int i = 0; i < o.tenants(); i++) {
            builder.parameter(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/" + key(i), externalId(i), true);
        }
        builder.function(FunctionSpec.of(ACCOUNT, SeedScenario.REGION, "Drill", (payload, ctx) -> {
                    String text = new String(payload, StandardCharsets.UTF_8);
                    int start = text.indexOf("\"id\":\"") + 6;
                    runs.computeIfAbsent(text.substring(start, text.indexOf('"', start)), k -> new AtomicInteger())
                            .incrementAndGet();
                    return payload;
                })
                .latency(Duration.ofMillis(5)));

        long t0 = System.nanoTime();
        try (AwsEmulator emulator = builder.start();
                ClosingLambdaPeer frontEnd = o.frontEndCloseEvery() > 0
                        ? ClosingLambdaPeer.frontEndOf(emulator.endpoint(), o.frontEndCloseEvery())
                        : null) {
            return drill(o, emulator, frontEnd, runs, t0);
        }
    }

    private static Report drill(
            Options o, AwsEmulator emulator, ClosingLambdaPeer frontEnd, Map<String, AtomicInteger> runs, long t0)
            throws Exception {
        int n = o.exchanges();
        AtomicLongArray sentAt = new AtomicLongArray(n);
        AtomicLongArray doneAt = new AtomicLongArray(n);
        AtomicReferenceArray<String> outcome = new AtomicReferenceArray<>(n);
        Map<String, Integer> redeliveredAfter = new ConcurrentHashMap<>(); // id -> redeliveries after may-have-run
        AtomicInteger redeliveries = new AtomicInteger();
        AtomicInteger redeliveriesOfMayHaveRun = new AtomicInteger();
        Map<String, Integer> failuresByKind = new ConcurrentHashMap<>();
        Map<String, String> failureSamples = new ConcurrentHashMap<>();
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> untypedSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger typed = new AtomicInteger();
        AtomicInteger untyped = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> refusedSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger succeededDuringOutage = new AtomicInteger();
        AtomicLong outageFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong outageTo = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch allDone = new CountDownLatch(n);

        CamelContext context = new DefaultCamelContext();
        EmulatorEnvironment.apply(context, emulator);
        if (frontEnd != null) {
            // Lambda behind a front end that closes each keep-alive connection after a few answers, unannounced
            context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                    .getConfiguration()
                    .setLambdaEndpointOverride(frontEnd.endpoint().toString());
        }
        // the shutdown of one route waits for its in-flight exchanges (redeliveries included), never for long
        context.getShutdownStrategy().setTimeout(30);
        Predicate retryable = e -> e.getException() instanceof SidecarLambdaException s && s.isRetryable();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // what a careful user writes: redeliver only what the component says is safe and transient
                onException(SidecarLambdaException.class)
                        .onWhen(retryable)
                        .maximumRedeliveries(MAX_REDELIVERIES)
                        .redeliveryDelay(50)
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .maximumRedeliveryDelay(1_000)
                        .onRedelivery(e -> {
                            redeliveries.incrementAndGet();
                            Exception caught = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                            if (caught instanceof LambdaServiceException l && l.mayHaveRun()) {
                                redeliveriesOfMayHaveRun.incrementAndGet();
                                redeliveredAfter.merge(e.getProperty("drill.id", String.class), 1, Integer::sum);
                            }
                        })
                        .handled(true)
                        .setProperty("drill.deadLetter", constant("retries exhausted"));
                // the rest goes to the dead-letter branch at once
                onException(SidecarLambdaException.class)
                        .onWhen(e -> !retryable.matches(e))
                        .handled(true)
                        .setProperty("drill.deadLetter", constant("not retryable"));
                for (int i = 0; i < o.tenants(); i++) {
                    // odd tenants leave retries to the route (maxRetries=0), even ones re-read the External ID at
                    // every refresh (externalIdCacheTtl=0): both paths see the faults
                    from("direct:drill-t" + i)
                            .routeId("drill-t" + i)
                            .to("sidecar-lambda:" + FUNCTION + "?roleArn=" + role(i) + "&externalIdKey=" + key(i)
                                    + (i % 2 == 1 ? "&maxRetries=0" : "&externalIdCacheTtl=0"));
                }
            }
        });
        context.start();
        int port = emulator.port();
        try {
            List<AsyncProducer> producers = new ArrayList<>();
            for (int i = 0; i < o.tenants(); i++) {
                AsyncProducer p = context.getEndpoint("direct:drill-t" + i).createAsyncProducer();
                p.start();
                producers.add(p);
            }

            // warm-up without faults, at the drill's concurrency, so every pool has the threads it will have
            warmUp(context, producers, o.tenants() * 25);
            Map<String, Integer> threadsBefore = settledThreads(o.settle());
            Connections connectionsBefore = Connections.to(port);
            emulator.resetCounters();

            long seed = o.seed();
            emulator.faults()
                    .chaos(
                            "lambda",
                            "Invoke",
                            o.invokeFaultRate(),
                            seed,
                            Chaos.error("TooManyRequestsException", 429),
                            Chaos.error("ServiceException", 500),
                            Chaos.dropConnection(),
                            Chaos.latency(Duration.ofMillis(400)));
            for (String op : new String[] {"GetParameter", "GetParameters"}) {
                emulator.faults()
                        .chaos(
                                "ssm",
                                op,
                                o.controlPlaneFaultRate(),
                                seed + 1,
                                Chaos.error("ThrottlingException", 400),
                                Chaos.error("InternalServerError", 500),
                                Chaos.dropConnection(),
                                Chaos.latency(Duration.ofMillis(400)));
            }
            emulator.faults()
                    .chaos(
                            "sts",
                            "AssumeRole",
                            o.controlPlaneFaultRate(),
                            seed + 2,
                            Chaos.error("Throttling", 400),
                            Chaos.error("ServiceUnavailable", 503),
                            Chaos.dropConnection(),
                            Chaos.latency(Duration.ofMillis(400)));

            long start = System.nanoTime();
            long durationNanos = o.duration().toNanos();
            AtomicInteger next = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                Thread sender = new Thread(
                        () -> {
                            for (int k; (k = next.getAndIncrement()) < n; ) {
                                // paced evenly over the duration, so the timed events below happen under traffic
                                sleepUntil(start + durationNanos * k / n);
                                int index = k;
                                String id = "x" + k;
                                int tenant = k % o.tenants();
                                Exchange exchange =
                                        producers.get(tenant).getEndpoint().createExchange();
                                exchange.setProperty("drill.id", id);
                                String payload = "{\"id\":\"" + id + "\",\"tenant\":" + tenant + "}";
                                exchange.getMessage().setBody(payload);
                                sentAt.set(index, System.nanoTime());
                                try {
                                    producers.get(tenant).process(exchange, doneSync -> {
                                        long now = System.nanoTime();
                                        doneAt.set(index, now);
                                        String verdict = classify(exchange, payload);
                                        outcome.set(index, verdict);
                                        if (verdict.equals("ok")) {
                                            succeeded.incrementAndGet();
                                            if (now >= outageFrom.get() && now <= outageTo.get()) {
                                                succeededDuringOutage.incrementAndGet();
                                            }
                                        } else if (verdict.startsWith("typed ")) {
                                            typed.incrementAndGet();
                                            failuresByKind.merge(verdict.substring(6), 1, Integer::sum);
                                            failureSamples.computeIfAbsent(
                                                    verdict.substring(6),
                                                    v -> String.valueOf(exchange.getProperty(
                                                            Exchange.EXCEPTION_CAUGHT, Exception.class)));
                                        } else if (verdict.startsWith("camel ")) {
                                            refused.incrementAndGet();
                                            if (refusedSamples.size() < 3) {
                                                refusedSamples.add(verdict.substring(6));
                                            }
                                        } else {
                                            untyped.incrementAndGet();
                                            if (untypedSamples.size() < 10) {
                                                untypedSamples.add(verdict);
                                            }
                                        }
                                        completed.incrementAndGet();
                                        allDone.countDown();
                                    });
                                } catch (Throwable t) {
                                    // a sender must never die silently: this exchange is then lost, and counted as such
                                    untypedSamples.add("process threw " + t);
                                }
                            }
                        },
                        "drill-sender-" + s);
                sender.start();
                senders.add(sender);
            }

            // route stop/start cycles, spread from 5 % to 90 % of the run, round robin over the tenants' routes
            AtomicInteger cyclesDone = new AtomicInteger();
            List<String> cycleErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread cycler = new Thread(
                    () -> {
                        for (int c = 0; c < o.routeCycles(); c++) {
                            sleepUntil(start
                                    + durationNanos / 20
                                    + (long) (durationNanos * 0.85 * c / Math.max(1, o.routeCycles())));
                            String route = "drill-t" + (c % o.tenants());
                            try {
                                context.getRouteController().stopRoute(route);
                                context.getRouteController().startRoute(route);
                                cyclesDone.incrementAndGet();
                            } catch (Exception e) {
                                cycleErrors.add(e.toString());
                            }
                        }
                    },
                    "drill-route-cycler");
            cycler.start();

            // AWS's clock passes an hour: every tenant's credentials expire under traffic (Lambda: ExpiredToken)
            expire(emulator, start, durationNanos, 10, "credentials expire", events);
            // tenant 0's customer rotates the External ID and the operator stores it; then credentials expire again
            sleepUntil(start + durationNanos * 20 / 100);
            String rotated = "drill-0-rotated-id-9z";
            emulator.updateTrustPolicy(role(0), SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, rotated));
            emulator.putParameter(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/" + key(0), rotated, true);
            expire(emulator, start, durationNanos, 20, "External ID of tenant 0 rotated, credentials expire", events);
            expire(emulator, start, durationNanos, 30, "credentials expire", events);
            // STS down while every tenant's credentials are valid: nothing may notice
            sleepUntil(start + durationNanos * 40 / 100);
            long assumeBefore = emulator.count("sts", "AssumeRole");
            outageFrom.set(System.nanoTime());
            events.add(String.format(Locale.ROOT, "%.1fs STS down", (System.nanoTime() - start) / 1e9));
            emulator.faults().failNext("sts", "AssumeRole", Integer.MAX_VALUE, "ServiceUnavailable", 503);
            Thread.sleep(o.stsOutage().toMillis());
            emulator.faults().failNext("sts", "AssumeRole", 0, "ServiceUnavailable", 503);
            outageTo.set(System.nanoTime());
            events.add(String.format(Locale.ROOT, "%.1fs STS up", (System.nanoTime() - start) / 1e9));
            long assumeDuringOutage = emulator.count("sts", "AssumeRole") - assumeBefore;
            expire(emulator, start, durationNanos, 90, "credentials expire", events);

            for (Thread s : senders) {
                s.join();
            }
            cycler.join();
            // every exchange gets the deadline after the last was sent; what has not ended by then is lost
            allDone.await(o.exchangeDeadline().toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Long> injected = emulator.faults().chaosInjected();
            emulator.faults().clear();
            Map<String, Integer> threadsAfter = settledThreads(o.settle());
            Connections connectionsAfter = Connections.to(port);

            int hung = 0;
            long maxLatency = 0;
            for (int k = 0; k < n; k++) {
                long done = doneAt.get(k);
                long took = done == 0 ? Long.MAX_VALUE : done - sentAt.get(k);
                if (took > o.exchangeDeadline().toNanos()) {
                    hung++;
                } else {
                    maxLatency = Math.max(maxLatency, took);
                }
            }
            int ranTwice = 0;
            int explained = 0;
            int neverRan = 0;
            for (Map.Entry<String, AtomicInteger> e : runs.entrySet()) {
                if (e.getKey().startsWith("x") && e.getValue().get() > 1) {
                    ranTwice++;
                    // explained only when the route chose to redeliver after a may-have-run failure that often
                    if (redeliveredAfter.getOrDefault(e.getKey(), 0)
                            >= e.getValue().get() - 1) {
                        explained++;
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                if ("ok".equals(outcome.get(k)) && !runs.containsKey("x" + k)) {
                    neverRan++;
                }
            }
            untypedSamples.addAll(cycleErrors);
            List<String> timeline = new ArrayList<>();
            for (int tenth = 0; tenth < 10; tenth++) {
                int ok = 0;
                int ty = 0;
                int un = 0;
                for (int k = n * tenth / 10; k < n * (tenth + 1) / 10; k++) {
                    String v = outcome.get(k);
                    if ("ok".equals(v)) {
                        ok++;
                    } else if (v != null && (v.startsWith("typed ") || v.startsWith("camel "))) {
                        ty++;
                    } else {
                        un++;
                    }
                }
                timeline.add(ok + "/" + ty + "/" + un);
            }
            timeline.addAll(events);
            Map<String, Long> calls = new TreeMap<>();
            for (String[] op : new String[][] {
                {"sts", "AssumeRole"}, {"ssm", "GetParameter"},
                {"ssm", "GetParameters"}, {"lambda", "Invoke"}
            }) {
                calls.put(op[0] + "/" + op[1], emulator.count(op[0], op[1]));
                calls.put(op[0] + "/" + op[1] + " ok", emulator.count(op[0], op[1], true));
            }

            for (AsyncProducer p : producers) {
                p.stop();
            }
            context.stop();
            Map<String, Integer> threadsAfterStop = settledThreads(Duration.ofSeconds(5));
            Connections connectionsAfterStop = Connections.to(port);
            return new Report(
                    o,
                    next.get() > n ? n : next.get(),
                    completed.get(),
                    succeeded.get(),
                    typed.get(),
                    untyped.get() + cycleErrors.size(),
                    refused.get(),
                    List.copyOf(refusedSamples),
                    hung,
                    n - completed.get(),
                    ranTwice,
                    explained,
                    neverRan,
                    redeliveries.get(),
                    redeliveriesOfMayHaveRun.get(),
                    new TreeMap<>(failuresByKind),
                    List.copyOf(untypedSamples),
                    injected,
                    calls,
                    assumeDuringOutage,
                    succeededDuringOutage.get(),
                    cyclesDone.get(),
                    threadsBefore,
                    threadsAfter,
                    threadsAfterStop,
                    connectionsBefore,
                    connectionsAfter,
                    connectionsAfterStop,
                    maxLatency / 1_000_000,
                    (System.nanoTime() - t0) / 1_000_000,
                    timeline,
                    new TreeMap<>(failureSamples),
                    frontEnd == null ? 0 : frontEnd.connectionsClosedAfterAnswer());
        } finally {
            context.stop();
        }
    }

    private static void expire(
            AwsEmulator emulator, long start, long durationNanos, int percent, String what, List<String> events) {
        sleepUntil(start + durationNanos * percent / 100);
        emulator.clock().advance(Duration.ofMinutes(61));
        events.add(String.format(Locale.ROOT, "%.1fs %s", (System.nanoTime() - start) / 1e9, what));
    }

    private static void warmUp(CamelContext context, List<AsyncProducer> producers, int count) throws Exception {
        CountDownLatch done = new CountDownLatch(count);
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int k = 0; k < count; k++) {
            AsyncProducer p = producers.get(k % producers.size());
            Exchange exchange = p.getEndpoint().createExchange();
            String payload = "{\"id\":\"warm" + k + "\"}";
            exchange.getMessage().setBody(payload);
            p.process(exchange, doneSync -> {
                if (!classify(exchange, payload).equals("ok")) {
                    failures.add(new IllegalStateException(classify(exchange, payload)));
                }
                done.countDown();
            });
        }
        if (!done.await(60, TimeUnit.SECONDS) || !failures.isEmpty()) {
            throw new IllegalStateException("warm-up without faults failed: " + failures);
        }
    }

    /**
     * "ok", "typed &lt;kind&gt;" for a SidecarLambdaException (raised, or handled by the dead-letter branch), or what
     * went wrong.
     */
    static String classify(Exchange exchange, String payload) {
        Exception raised = exchange.getException();
        // EXCEPTION_CAUGHT stays set after a redelivery that succeeded: only the dead-letter branch's mark counts
        Exception handled = exchange.getProperty("drill.deadLetter") == null
                ? null
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Exception failure = raised != null ? raised : handled;
        if (failure == null) {
            Object body = exchange.getMessage().getBody();
            return payload.equals(body) ? "ok" : "wrong body: " + body;
        }
        if (refusedByCamel(failure)) {
            return "camel " + failure;
        }
        if (failure instanceof SidecarLambdaException s) {
            String kind = s.getClass().getSimpleName();
            if (s instanceof LambdaServiceException l) {
                kind += " " + (l.getAwsErrorCode() == null ? "(no response)" : l.getAwsErrorCode())
                        + (l.mayHaveRun() ? " may-have-run" : "");
            }
            return "typed " + kind + (s.isRetryable() ? " retryable" : "") + (raised != null ? " (not handled!)" : "");
        }
        return "untyped " + failure;
    }

    /**
     * Camel's own answer to an exchange that entered a route while Camel was stopping it, before the route reached
     * the component: a direct consumer defers its shutdown (it stays registered while the route's processors stop),
     * so the exchange meets a stopped SendProcessor or a stopped error handler. Not the component's doing.
     */
    static boolean refusedByCamel(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length == 0 || !trace[0].getClassName().startsWith("org.apache.camel.processor")) {
            return false;
        }
        for (StackTraceElement frame : trace) {
            if (frame.getClassName().startsWith("io.github.sidecarlambda.")
                    && !frame.getClassName().startsWith("io.github.sidecarlambda.bench.")) {
                return false;
            }
        }
        return failure instanceof IllegalStateException
                        && String.valueOf(failure.getMessage()).startsWith("SendProcessor has not been started")
                || failure instanceof java.util.concurrent.RejectedExecutionException;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
