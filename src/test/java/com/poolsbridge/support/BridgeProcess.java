package com.poolsbridge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * pools-bridge as a separate operating-system process, started as production starts it: {@code java -jar} on
 * the packaged jar when {@code -Dbridge.jar} names one, otherwise the same main class from the test classpath,
 * configured only through environment variables. Its output goes to a file the test can read.
 */
public final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int managementPort;

    private BridgeProcess(Process process, Path output, int managementPort) {
        this.process = process;
        this.output = output;
        this.managementPort = managementPort;
    }

    /** Starts the bridge and waits until its readiness probe answers UP. */
    public static BridgeProcess start(Map<String, String> env, Path workDir) throws IOException {
        int managementPort = freePort();
        String jar = System.getProperty("bridge.jar");
        ProcessBuilder builder = jar == null || jar.isBlank()
                ? new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "com.poolsbridge.PoolsBridge")
                : new ProcessBuilder(java(), "-jar", jar);
        Path output = workDir.resolve("bridge-" + managementPort + ".log");
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.redirectErrorStream(true).redirectOutput(output.toFile()).directory(workDir.toFile());
        BridgeProcess bridge = new BridgeProcess(builder.start(), output, managementPort);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> bridge.ready() || !bridge.process.isAlive());
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        if (!bridge.process.isAlive()) {
            throw new IllegalStateException("pools-bridge exited with " + bridge.process.exitValue() + ":\n" + bridge.output());
        }
        return bridge;
    }

    public boolean ready() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    public int managementPort() {
        return managementPort;
    }

    /** Stops the process as an operator's SIGTERM would, or kills it after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }
}
