package io.github.sidecarlambda.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.Headers;

/** A received HTTP request plus what the emulator learned about it. */
final class Req {
    final String method;
    final String rawPath;
    final String rawQuery;
    final Headers headers;
    final byte[] body;
    final String hostHeader;

    String service;
    String operation;
    String accessKeyId;
    String scopeRegion;
    String resource;
    Iam.Principal principal;
    String sourceIp; // the peer address (aws:SourceIp)
    Map<String, List<String>> context; // IAM request context, set once the principal is known
    Map<String, List<String>> form; // STS

    Req(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.body = body;
        this.hostHeader = headers.getFirst("Host");
    }

    /**
     * The operation of an AWS JSON 1.1 call ({@code X-Amz-Target: <prefix>.<Operation>}) when it is one of
     * {@code operations}, else null.
     */
    String jsonTarget(String prefix, java.util.Set<String> operations) {
        String target = header("X-Amz-Target");
        if (target == null || !target.startsWith(prefix + ".")) {
            return null;
        }
        String op = target.substring(prefix.length() + 1);
        return operations.contains(op) ? op : null;
    }

    String header(String name) {
        return headers.getFirst(name);
    }

    String region() {
        return scopeRegion == null ? "us-east-1" : scopeRegion;
    }

    Map<String, List<String>> query() {
        return parseForm(rawQuery, false);
    }

    String formParam(String name) {
        List<String> v = form == null ? null : form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Parses a=b&c=d. With plusIsSpace (form bodies) '+' decodes to a space. */
    static Map<String, List<String>> parseForm(String s, boolean plusIsSpace) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.computeIfAbsent(percentDecode(k, plusIsSpace), x -> new ArrayList<>())
                    .add(percentDecode(v, plusIsSpace));
        }
        return out;
    }

    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
                out.write('%');
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
