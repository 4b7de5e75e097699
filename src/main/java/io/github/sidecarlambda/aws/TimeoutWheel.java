package io.github.sidecarlambda.aws;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;

/**
 * The AWS SDK's timer for its clients of one component: every call schedules its {@code apiCallTimeout} here and
 * cancels it when the answer comes, so this is on the path of every Invoke. A {@code ScheduledThreadPoolExecutor}
 * takes a lock and often wakes its thread on each schedule and cancel (the cancelled timer is usually the head of its
 * queue); Netty's {@link HashedWheelTimer} queues both without a lock or a wake-up and handles them on its next tick,
 * which costs one short wake-up every {@link #TICK_MILLIS} ms whatever the load. Timers fire up to one tick late: for
 * timeouts of seconds and retry back-offs of tens of milliseconds, nothing a caller can tell. Tasks run on the wheel's
 * one thread, as they ran on the single scheduler thread before: the SDK's timeout task only fails a future, and a
 * retry only starts the next attempt (sending is asynchronous).
 */
final class TimeoutWheel extends AbstractExecutorService implements ScheduledExecutorService {

    static final long TICK_MILLIS = 10;

    /**
     * What a cancelled task holds: one shared instance without a stack trace. {@code CompletableFuture.cancel} would
     * create (and fill the stack trace of) a new exception each time, and the SDK cancels a timeout on every call.
     */
    private static final CancellationException CANCELLED = new CancellationException("cancelled") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final HashedWheelTimer timer;
    private volatile boolean shutdown;

    public TimeoutWheel(ThreadFactory threads) {
        this.timer = new HashedWheelTimer(threads, TICK_MILLIS, TimeUnit.MILLISECONDS, 512);
    }

    /** One scheduled task: a Netty timeout plus the future the caller holds. */
    private final class Task<V> extends CompletableFuture<V> implements ScheduledFuture<V> {
        private final long dueNanos;
        private volatile Timeout timeout;

        public Task(long delayNanos) {
            this.dueNanos = System.nanoTime() + delayNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = completeExceptionally(CANCELLED); // isCancelled() is true after it
            Timeout t = timeout;
            if (cancelled && t != null) {
                t.cancel(); // queued for removal at the next tick; no lock, no wake-up
            }
            return cancelled;
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(
                () -> {
                    command.run();
                    return null;
                },
                delay,
                unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("sidecar-lambda: the component's timer is stopped");
        }
        long nanos = Math.max(0, unit.toNanos(delay));
        Task<V> task = new Task<>(nanos);
        task.timeout = timer.newTimeout(
                t -> {
                    if (task.isDone()) {
                        return;
                    }
                    try {
                        task.complete(callable.call());
                    } catch (Throwable e) {
                        task.completeExceptionally(e);
                    }
                },
                nanos,
                TimeUnit.NANOSECONDS);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return repeat(command, initialDelay, period, unit, true);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return repeat(command, initialDelay, delay, unit, false);
    }

    /** Runs {@code command} until cancelled, a run fails or the wheel stops; the returned future ends it. */
    private ScheduledFuture<?> repeat(
            Runnable command, long initialDelay, long period, TimeUnit unit, boolean fixedRate) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive; was " + period);
        }
        long periodNanos = unit.toNanos(period);
        Task<Void> handle = new Task<>(unit.toNanos(initialDelay));
        long[] next = {System.nanoTime() + unit.toNanos(initialDelay)};
        TimerTask[] step = new TimerTask[1];
        step[0] = t -> {
            if (handle.isDone()) {
                return;
            }
            try {
                command.run();
            } catch (Throwable e) {
                handle.completeExceptionally(e);
                return;
            }
            next[0] = fixedRate ? next[0] + periodNanos : System.nanoTime() + periodNanos;
            if (!shutdown) {
                handle.timeout =
                        timer.newTimeout(step[0], Math.max(0, next[0] - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        };
        handle.timeout = timer.newTimeout(step[0], Math.max(0, unit.toNanos(initialDelay)), TimeUnit.NANOSECONDS);
        return handle;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        timer.stop();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
