package io.github.sidecarlambda.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Runs the tool in-process as a user would (arguments in; exit code, standard output and error out). */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(AwsCredentialsProvider as, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SidecarLambdaCli.commandLine(new SidecarLambdaCli(as));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static String[] args(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
