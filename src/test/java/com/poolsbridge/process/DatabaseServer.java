package com.poolsbridge.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL (zonky binaries) on a fixed port and data directory, so it can be stopped the hard way and
 * started again on the same data. The postmaster is a child process of the test JVM.
 */
public final class DatabaseServer implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    private DatabaseServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static DatabaseServer start(Path dataDir, int port) throws IOException {
        DatabaseServer server = new DatabaseServer(dataDir, port);
        server.startPostgres();
        return server;
    }

    private void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setPort(port).start();
    }

    public int port() {
        return port;
    }

    /** JDBC URL for a given port (the app connects through a proxy port, the checker directly). */
    public String jdbcUrl(int viaPort) {
        return "jdbc:postgresql://127.0.0.1:" + viaPort + "/postgres?user=postgres";
    }

    public String user() {
        return "postgres";
    }

    /** {@code pg_ctl stop -m immediate}: SIGQUIT to the postmaster, no checkpoint, crash recovery at next start. */
    public void stopImmediate() throws Exception {
        long pid = postgres.getProcess().pid();
        new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor();
        awaitExit();
    }

    /** {@code kill -9} of the postmaster. */
    public void kill9() throws Exception {
        postgres.getProcess().destroyForcibly();
        awaitExit();
    }

    public void restart() throws IOException {
        startPostgres();
    }

    private void awaitExit() throws Exception {
        postgres.getProcess().waitFor(30, TimeUnit.SECONDS);
        try {
            postgres.close();   // releases zonky's lock on the data directory; the server is already gone
        } catch (IOException ignored) {
            // pg_ctl stop on a dead server
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // already stopped
        }
    }
}
