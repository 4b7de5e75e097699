package io.github.sidecarlambda.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault drill of docs/benchmark.md, shortened to fit the suite: 1,500 exchanges in 12 s, STS down 3 s, 20 route
 * stop/start cycles, the same faults and checks.
 */
class FaultDrillTest {

    @Test
    void everyExchangeEndsTypedInTimeAndNothingRunsTwiceOrLeaks() throws Exception {
        FaultDrill.Options options = new FaultDrill.Options(
                1_500,
                4,
                Duration.ofSeconds(12),
                Duration.ofSeconds(3),
                20,
                0.10,
                0.25,
                Duration.ofSeconds(20),
                Duration.ofSeconds(4),
                20261128L,
                3);

        FaultDrill.Report r = FaultDrill.run(options);

        System.out.print(r);
        assertThat(r.sent()).isEqualTo(1_500);
        assertThat(r.lost()).as("lost").isZero();
        assertThat(r.hung()).as("hung").isZero();
        assertThat(r.untypedFailures())
                .as("untyped failures %s", r.untypedSamples())
                .isZero();
        // an exchange Camel itself refuses while it stops the route (before the component) is counted apart
        assertThat(r.succeeded() + r.typedFailures() + r.refusedByCamel()).isEqualTo(r.sent());
        assertThat(r.ranTwice()).as("ran twice").isEqualTo(r.ranTwiceExplained());
        assertThat(r.succeededButNeverRan()).isZero();
        // the faults really happened, in all three services, and some exchanges were saved by redelivery
        assertThat(r.faultsInjected().keySet())
                .anyMatch(k -> k.startsWith("lambda/"))
                .anyMatch(k -> k.startsWith("sts/"))
                .anyMatch(k -> k.startsWith("ssm/"));
        assertThat(r.redeliveries()).isPositive();
        assertThat(r.typedFailures()).isPositive();
        assertThat(r.succeeded()).isGreaterThan(r.sent() * 8 / 10);
        // expiry and rotation forced new AssumeRole calls; the outage was survived on valid credentials
        assertThat(r.emulatorCalls().get("sts/AssumeRole ok")).isGreaterThanOrEqualTo(2L * 4 + 1);
        assertThat(r.succeededDuringOutage()).isPositive();
        assertThat(r.routeCyclesDone()).isEqualTo(20);
        assertThat(r.threadsAfter()).as("threads after the cycles").isEqualTo(r.threadsBefore());
        assertThat(r.connectionsAfter().closeWait()).isZero();
        assertThat(r.connectionsAfter().established())
                .isLessThanOrEqualTo(r.connectionsBefore().established());
        assertThat(r.threadsAfterContextStop().values()).allMatch(n -> n == 0);
        // Lambda sat behind a front end that closed pooled connections under the client: none of it was lost or ran
        // twice
        assertThat(r.closedByFrontEnd()).isGreaterThan(100);
        assertThat(r.passed()).isTrue();
    }
}
