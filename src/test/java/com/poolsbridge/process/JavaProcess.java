package com.poolsbridge.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A child JVM (broker or app) with its output in a log file; always killed at the end of the test JVM. */
public final class JavaProcess implements AutoCloseable {

    /** The JVM options of every child unless a caller gives its own (see {@link #start(String, Path, String, List, List, Map, Path)}). */
    public static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");   // two shared cores: start fast, we measure correctness, not speed

    private final String name;
    private final Process process;
    private final Path log;
    private final long startedNanos;
    private volatile Duration startToReady;
    private volatile int managementPort;

    private JavaProcess(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
    }

    /** Starts {@code java [jvmArgs] -cp <test classpath> mainClass args}, or {@code -jar jar} when jar is given. */
    public static JavaProcess start(String name, Path jar, String mainClass, List<String> args,
                                    Map<String, String> env, Path log) throws IOException {
        return start(name, jar, mainClass, DEFAULT_JVM_ARGS, args, env, log);
    }

    /** As above with the given JVM options instead of {@link #DEFAULT_JVM_ARGS} (benchmarks: production options). */
    public static JavaProcess start(String name, Path jar, String mainClass, List<String> jvmArgs, List<String> args,
                                    Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            command.add(classpath());
            command.add(mainClass);
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();   // production shape: configured only by what we pass here
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new JavaProcess(name, builder.start(), log, started);
    }

    /** The test classpath, each entry once (surefire lists target/classes twice: routes would load twice). */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, new LinkedHashSet<>(Arrays.asList(cp.split(File.pathSeparator))));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Waits until this pools-bridge process answers its readiness probe; fails at once if it exits. Remembers the
     * port and the time from the process start to the first ready answer ({@link #startToReady()}, to 100 ms).
     */
    public void awaitReady(int managementPort) {
        this.managementPort = managementPort;
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        await(name + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        startToReady = Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** From the process start to its first ready answer; null before {@link #awaitReady(int)} returned. */
    public Duration startToReady() {
        return startToReady;
    }

    /** The management port given to {@link #awaitReady(int)} (health, metrics), 0 before. */
    public int managementPort() {
        return managementPort;
    }

    /** A line of {@code /proc/<pid>/status} in KiB (e.g. VmHWM = peak resident set, VmRSS = now), -1 if absent. */
    public long procStatusKiB(String field) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** SIGTERM, as an operator or Kubernetes stops it; true when it exited within the timeout. */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop, nothing flushed. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill9();
    }
}
