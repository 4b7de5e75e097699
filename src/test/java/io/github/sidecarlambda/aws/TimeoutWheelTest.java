package io.github.sidecarlambda.aws;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The SDK's timer: fires on time (within a tick), never after a cancel, repeats, refuses work once stopped. */
class TimeoutWheelTest {

    @Test
    void aTaskRunsAfterItsDelayAndACancelledOneNever() throws Exception {
        TimeoutWheel wheel = new TimeoutWheel(r -> new Thread(r, "wheel-test"));
        try {
            AtomicInteger cancelledRuns = new AtomicInteger();
            ScheduledFuture<?> cancelled = wheel.schedule(cancelledRuns::incrementAndGet, 50, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            ScheduledFuture<String> fired = wheel.schedule(() -> "fired", 100, TimeUnit.MILLISECONDS);
            assertThat(cancelled.cancel(false)).isTrue();

            assertThat(fired.get(2, TimeUnit.SECONDS)).isEqualTo("fired");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(95L, 100L + 10 * TimeoutWheel.TICK_MILLIS);
            Thread.sleep(100);
            assertThat(cancelledRuns.get()).isZero();
            assertThat(cancelled.isCancelled()).isTrue();
        } finally {
            wheel.shutdownNow();
        }
    }

    @Test
    void aFixedRateTaskRepeatsUntilCancelledAndAStoppedWheelRefusesWork() throws Exception {
        TimeoutWheel wheel = new TimeoutWheel(r -> new Thread(r, "wheel-test"));
        CountDownLatch three = new CountDownLatch(3);
        ScheduledFuture<?> repeating = wheel.scheduleAtFixedRate(three::countDown, 0, 20, TimeUnit.MILLISECONDS);
        assertThat(three.await(2, TimeUnit.SECONDS)).isTrue();
        repeating.cancel(false);
        wheel.shutdownNow();
        assertThat(wheel.isShutdown()).isTrue();
        assertThatThrownBy(() -> wheel.schedule(() -> {}, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("stopped");
    }

    @Test
    void cancellingCreatesNoExceptionPerCall() {
        // the SDK cancels a timeout on every call: a new CancellationException (stack trace filled) each time cost
        // about a throwable per invocation (JFR); cancelled tasks now share one exception without a stack trace
        TimeoutWheel wheel = new TimeoutWheel(r -> new Thread(r, "wheel-test"));
        try {
            ScheduledFuture<?> a = wheel.schedule(() -> {}, 1, TimeUnit.HOURS);
            ScheduledFuture<?> b = wheel.schedule(() -> {}, 1, TimeUnit.HOURS);
            assertThat(a.cancel(false)).isTrue();
            assertThat(b.cancel(false)).isTrue();
            assertThat(a.isCancelled()).isTrue();
            Throwable first = catchThrowable(a::get);
            Throwable second = catchThrowable(b::get);
            assertThat(first)
                    .isInstanceOf(java.util.concurrent.CancellationException.class)
                    .isSameAs(second);
            assertThat(first.getStackTrace()).isEmpty();
            assertThat(a.cancel(false)).as("cancelled once").isFalse();
        } finally {
            wheel.shutdownNow();
        }
    }
}
