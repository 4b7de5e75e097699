package io.github.sidecarlambda;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of checking a tenant's chain step by step (platform identity, External ID, AssumeRole, Lambda
 * {@code DryRun}): one line per step with ✓ or ✗, and for a failed step its likely cause and the fix. AWS's
 * AccessDenied never says which check failed, so each step names what it proved. Shared by the onboarding CLI's
 * {@code preflight} command and the endpoint option {@code preflight=true}. Never holds a secret.
 */
public final class PreflightReport {

    /** How a step ended. */
    public enum Status {
        PASSED("✓"),
        FAILED("✗"),
        SKIPPED("-");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    /** One step: its name, status, what it found, and for a failure the likely cause and the fix. */
    public record Step(String name, Status status, String detail, String cause, String fix) {}

    private final String subject;
    private final List<Step> steps = new ArrayList<>();

    /** @param subject what is checked, e.g. the role ARN, External ID key and function */
    public PreflightReport(String subject) {
        this.subject = subject;
    }

    public PreflightReport passed(String name, String detail) {
        steps.add(new Step(name, Status.PASSED, detail, null, null));
        return this;
    }

    public PreflightReport failed(String name, String detail, String cause, String fix) {
        steps.add(new Step(name, Status.FAILED, detail, cause, fix));
        return this;
    }

    public PreflightReport skipped(String name, String detail) {
        steps.add(new Step(name, Status.SKIPPED, detail, null, null));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** True when every step passed (none failed or was skipped). */
    public boolean ok() {
        return !steps.isEmpty() && steps.stream().allMatch(s -> s.status() == Status.PASSED);
    }

    /** The first failed step, or null. */
    public Step firstFailure() {
        return steps.stream()
                .filter(s -> s.status() == Status.FAILED)
                .findFirst()
                .orElse(null);
    }

    /** The report as text, one line per step, cause and fix indented under a failed step. */
    public String render() {
        int width = steps.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("Preflight of ").append(subject).append('\n');
        for (Step s : steps) {
            out.append(s.status().mark())
                    .append(' ')
                    .append(String.format("%-" + width + "s", s.name()))
                    .append("  ")
                    .append(s.detail() == null ? "" : s.detail())
                    .append('\n');
            if (s.cause() != null) {
                out.append("    cause: ").append(s.cause()).append('\n');
            }
            if (s.fix() != null) {
                out.append("    fix:   ").append(s.fix()).append('\n');
            }
        }
        long passed = steps.stream().filter(s -> s.status() == Status.PASSED).count();
        out.append(ok() ? "All " + passed + " checks passed." : passed + " of " + steps.size() + " checks passed.");
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
