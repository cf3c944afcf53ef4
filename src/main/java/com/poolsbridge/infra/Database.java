package com.poolsbridge.infra;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** The connection pool for every durable record, with the schema brought up to date before any route starts. */
public final class Database {

    private Database() {
    }

    /**
     * How long anything may wait on the database, so a dead or restarting server fails a statement (a retried,
     * transient failure) instead of hanging a consumer: the pool wait, the TCP connect, a silent socket, and a
     * statement that runs too long on the server.
     */
    public record Limits(int maxPoolSize, long connectionTimeoutMillis, int socketTimeoutSeconds,
                         long statementTimeoutMillis) {

        public static Limits defaults(int maxPoolSize) {
            return new Limits(maxPoolSize, 10_000, 30, 15_000);
        }
    }

    public static HikariDataSource connect(String url, String user, String password, int maxPoolSize) {
        return connect(url, user, password, Limits.defaults(maxPoolSize));
    }

    public static HikariDataSource connect(String url, String user, String password, Limits limits) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pools-bridge-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(limits.maxPoolSize());
        config.setConnectionTimeout(limits.connectionTimeoutMillis());
        // PostgreSQL JDBC driver properties (seconds), and the server-side statement limit for every session
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, limits.connectionTimeoutMillis() / 1000)));
        config.addDataSourceProperty("socketTimeout", String.valueOf(limits.socketTimeoutSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("options", "-c statement_timeout=" + limits.statementTimeoutMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        migrate(dataSource);
        return dataSource;
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
